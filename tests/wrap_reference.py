"""The wrap model's `best_chain` as it was before the ninth speed round (main d27d4da): a table
of every offset by every place of a line window, read by numpy, and the re-solve as it was. Kept
as the reference the new one must equal bit for bit (`tests/test_glue_speed.py`); not used by
the pipeline. Self-contained on purpose: a reference that imported the engine's helpers would
change with them. (Only what `best_chain` calls is kept: `likely_chain` and `chain_bound` went.)"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.lib.stride_tricks import as_strided

if TYPE_CHECKING:
    from pipeline.glue.core import GlueConfig, _Cand

_NEG = -1e9


def best_chain(
    n: int, tokens: Sequence[tuple[int, int]], cands: Sequence[_Cand], cfg: GlueConfig
) -> tuple[float, list[int]]:
    """Best wrap chain for a paragraph of length `n`: (score, indices into `cands`).

    `tokens` are the (start, end) offsets of the whitespace tokens; `cands` the split
    candidates with their lexical scores (any order). Returns (-inf, []) when no chain exists.
    """
    if not cands or not tokens:
        return _NEG, []
    over_w, under_w = cfg.over_penalty, cfg.under_penalty
    pad = cfg.max_width + cfg.window_after + 2
    size = n + pad
    # each offset's best score and its candidate, filled as dicts (a numpy scalar access per
    # candidate costs more) over the offsets that hold one, then written into the arrays
    lex_d: dict[int, float] = {}
    which_d: dict[int, int] = {}
    floor = cfg.chain_floor
    top: dict[int, float] = {}
    for c in cands:
        top[c.tok] = max(top.get(c.tok, c.lex), c.lex)
    for k, c in enumerate(cands):
        # a token's best score is compressed below the floor, not cut: the best place inside a
        # straddling token still wins by its full margin (`Papadímos|succède`), but one odd
        # line costs the chain a bounded amount
        best = top[c.tok]
        v = (best if best >= floor else floor + 0.05 * (best - floor)) + (c.lex - best)
        if v > lex_d.get(c.pos, _NEG):
            lex_d[c.pos] = v
            which_d[c.pos] = k
    # a run of spaces is a line end whose space survived the join (`et  télécommunications`):
    # a break the chain may take for free, with no split to make
    for (_, e1), (s2, _) in itertools.pairwise(tokens):
        if s2 - e1 >= 2 and lex_d.get(s2 - 1, _NEG) < cfg.visible_break:
            lex_d[s2 - 1] = cfg.visible_break
            which_d[s2 - 1] = -1
    # (the two dicts hold the same offsets in the same order: both are set together)
    held = np.fromiter(lex_d.keys(), dtype=np.int64, count=len(lex_d))
    lex = np.full(size, _NEG)
    lex[held] = np.fromiter(lex_d.values(), dtype=np.float64, count=len(lex_d))
    which = np.full(size, -1, dtype=np.int64)
    which[held] = np.fromiter(which_d.values(), dtype=np.int64, count=len(which_d))
    # rest[q]: characters from q to the end of its token (length of the next line's first word),
    # for all tokens at once: `e - q` for every q in [s, e)
    rest = np.zeros(size, dtype=np.int64)
    se = np.fromiter([x for tok in tokens for x in tok], dtype=np.int64, count=2 * len(tokens)).reshape(-1, 2)
    lengths = se[:, 1] - se[:, 0]
    inside = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    at = np.repeat(se[:, 0], lengths) + inside
    rest[at] = np.repeat(se[:, 1], lengths) - at
    # start rows: the candidates inside the first token (the first word's glue), or offset 0
    t0s, t0e = tokens[0]
    first = {c.pos: lex_d.get(c.pos, _NEG) + cfg.first_word_bonus for c in cands if t0s < c.pos < t0e}
    starts = sorted(first.items(), key=lambda kv: -kv[1])[: cfg.first_candidates]
    starts.append((0, -cfg.no_first_penalty))
    widths = np.arange(cfg.min_width, cfg.max_width + 1, dtype=np.int64)
    nw = len(widths)
    rows = len(starts) * nw
    deltas = np.arange(-cfg.window_before, cfg.window_after + 1, dtype=np.int64)
    over = np.maximum(deltas, 0) * over_w  # the line is longer than W
    # every line's score, for every end offset q and every place k in the window (q = p + W +
    # deltas[k]): one table per paragraph, computed in the order of the per-line formula so the
    # numbers are the same bit for bit; a row's window is then the diagonal q = base + k,
    # flat index base * K + k * (K + 1), read by one gather per line
    K = deltas.size
    # the short-line penalty of a line ending at q that is deltas[k] longer than W (`under_cap` at
    # most): a function of rest[q] that is 0 from `window_before` on, so one row per value of
    # min(rest[q], window_before), computed once and gathered
    shorts = np.arange(cfg.window_before + 1, dtype=np.int64)
    under_r = np.minimum(np.maximum(-deltas[None, :] - shorts[:, None], 0) * under_w, cfg.under_cap)
    # a line is either longer than W (over > 0, under = 0: `rest` >= 0) or not (over = 0), so
    # `over + under` is the one that is not zero, exactly, and `x - over - under` equals
    # `x - pen` bit for bit: one table of both penalties, for the walk and the re-solve
    pen_all = np.take(over[None, :] + under_r, np.minimum(rest, cfg.window_before), axis=0)
    table_2d = (lex[:, None] + cfg.line_bonus) - pen_all
    table = table_2d.ravel()
    # the best place of every window at once: the window of a row starting at `base` is the
    # diagonal table_2d[base + k, k], a strided view; its max and first argmax (the ones the
    # per-row argmax would find, the same values in the same order) are read per line below
    step_q, step_k = table_2d.strides
    wins = as_strided(table_2d, shape=(size - K + 1, K), strides=(step_q, step_q + step_k))
    win_j = wins.argmax(axis=1)
    win_best = table[np.arange(size - K + 1, dtype=np.int64) * K + win_j * (K + 1)]
    max_lines = n // cfg.min_width + 3
    phantom = cfg.line_bonus - cfg.phantom_penalty
    over_l = float(over_w)
    margin = cfg.prune_margin
    before, after = cfg.window_before, cfg.window_after
    # a line of at least `min_width - window_before` characters is never shorter than
    # `min_line`; a row whose line end was clipped at the padding has `remaining <= W` and
    # finishes in that step whatever its line scores, so the check is then moot
    check_short = cfg.min_width - cfg.window_before <= cfg.min_line
    win_jl: list[int] = win_j.tolist()
    win_bl: list[float] = win_best.tolist()
    table_l: list[float] = table.tolist() if check_short else []
    deltas_l: list[int] = deltas.tolist()
    # The walk proper, one row at a time in plain loops (a few hundred row-steps per paragraph,
    # where numpy's per-call overhead on such small arrays cost more than the work): the same
    # operations on the same float64 values as the vectorised walk, so the same scores.
    # The rows still walking are kept packed (`idx`: their row numbers), so finished and
    # dropped rows cost nothing; `final` holds each row's end score (_NEG: dropped or unfinished).
    final = [_NEG] * rows
    idx = list(range(rows))
    ps = [pos for pos, _ in starts for _ in range(nw)]
    scores = [v for _, v in starts for _ in range(nw)]
    Ws = [w for _ in starts for w in range(cfg.min_width, cfg.max_width + 1)]
    no_floor = float("-inf")
    for line in range(max_lines):
        if not idx:
            break
        # rows far behind the best cannot win: from the third line on, a row below `floor_s`
        # is dropped (skipped by the step below, which rebuilds the lists anyway)
        floor_s = max(scores) - margin if line >= 2 else no_floor
        n_idx: list[int] = []
        n_ps: list[int] = []
        n_scores: list[float] = []
        n_Ws: list[int] = []
        for r in range(len(idx)):
            if scores[r] < floor_s:
                continue
            pr, wr, sr = ps[r], Ws[r], scores[r]
            remaining = n - pr
            # the window of a row is q = base .. base + K - 1, inside [0, size) for every row:
            # p >= 0 and W + deltas >= min_width - window_before >= 0 below (`GlueConfig` checks),
            # p < n and W + deltas <= max_width + window_after < pad above
            base = pr + wr - before
            if check_short:
                jr, bs = 0, _NEG
                for k in range(K):
                    v = table_l[(base + k) * K + k] if wr + deltas_l[k] > cfg.min_line else _NEG
                    if v > bs or k == 0:
                        jr, bs = k, v
            else:
                jr, bs = win_jl[base], win_bl[base]
            bq = base + jr
            if bs < phantom:
                bs, bq = phantom, pr + wr
            end_score = -max(remaining - wr, 0) * over_l
            if remaining <= wr + after and (end_score >= bs or remaining <= wr):
                final[idx[r]] = sr + end_score
            else:
                n_idx.append(idx[r])
                n_ps.append(bq)
                n_scores.append(sr + bs)
                n_Ws.append(wr)
        idx, ps, scores, Ws = n_idx, n_ps, n_scores, n_Ws
        if len(idx) > nw:
            # rows at the same width and offset walk on identically from here: only the best
            # of them can give its width's best end score, so the others are dropped (of equal
            # ones the first: which one is kept changes no width's best end score)
            # (by small lists, not a dict keyed by `W * size + p`: a width has at most one row
            # per start, and a row number is a small int where such a key is a new int object)
            n_starts = len(starts)
            slots = [0] * (nw * n_starts)  # per width: the rows kept so far
            counts = [0] * nw
            drop = [False] * len(idx)
            dropped = 0
            for r in range(len(idx)):
                wi = Ws[r] - cfg.min_width
                at = wi * n_starts
                p = ps[r]
                same = False
                for j in range(at, at + counts[wi]):
                    o = slots[j]
                    if ps[o] == p:
                        same = True
                        if scores[r] > scores[o]:
                            drop[o] = True
                            slots[j] = r
                        else:
                            drop[r] = True
                        dropped += 1
                        break
                if not same:
                    slots[at + counts[wi]] = r
                    counts[wi] += 1
            if dropped:
                kept = [r for r in range(len(idx)) if not drop[r]]
                idx = [idx[r] for r in kept]
                ps = [ps[r] for r in kept]
                scores = [scores[r] for r in kept]
                Ws = [Ws[r] for r in kept]
    score = np.array(final, dtype=np.float64)
    # the greedy walk ranks the widths; an exact dynamic program then re-solves the best few,
    # so one line taken wrongly (jitter, a word broken early) does not derail the rest
    per_width = score.reshape(len(starts), nw).max(axis=0)
    order = np.argsort(-per_width, kind="stable")[: cfg.refine_widths]  # (stable since stop 15)
    # the penalties depend on the line's end offset and on `d - W` only, not on W: the walk's
    # table serves every width re-solved below, transposed (a row per line length: the program
    # maximises over rows, element by element)
    pen_t = np.ascontiguousarray(pen_all[:n].T)
    chosen = [int(widths[wi]) for wi in order if per_width[wi] > _NEG / 2]
    best_total, best_solved = _NEG, None
    init: dict[int, float] = {}  # each start's own score, the best of its entries
    for pos, v in starts:
        if v > init.get(pos, _NEG):
            init[pos] = v
    last_start = tokens[-1][0]
    if chosen and min(chosen) - cfg.window_before > cfg.min_line:
        solved_all = _viterbi_many(chosen, n, starts, lex, pen_t, cfg, init, last_start)  # all at once
    else:
        solved_all = [_viterbi(w, n, starts, lex, pen_t, cfg, init, last_start) for w in chosen]
    for total, solved in solved_all:
        if total > best_total:
            best_total, best_solved = total, solved
    if best_solved is None:
        return _NEG, []
    # the chain is traced back for the winning width only
    return best_total, best_solved.chain(init, lex, which, cfg)


class _Solved:
    """One width solved by `_viterbi`: what tracing its best chain back needs.

    No back pointers are kept during the program: a line's start is found again, for the few
    lines of the chain alone, as the first argmax over the same numbers the program maximised.
    """

    def __init__(self, width: int, lo: int, first: int, fresh: int, best: np.ndarray,
                 prev: np.ndarray, pen_a: np.ndarray) -> None:
        self.width = width
        self.lo = lo  # the shortest line
        self.first = first  # the first offset solved
        self.fresh = fresh  # offsets from here on were written by the program alone
        self.end = 0  # where the last line starts (`finish`)
        self.best = best
        self.prev = prev
        self.pen_a = pen_a

    def line_start(self, q: int, init: dict[int, float]) -> int:
        """Where the best line into offset `q` starts, or -1 for a start the program did not
        improve on (`init`: each start's own score) or an offset before the first solved."""
        if q < self.first or self._unimproved(q, init):
            return -1
        i = q - self.first
        return q - self.lo - int((self.prev[:, i] - self.pen_a[:, i]).argmax())

    def _unimproved(self, q: int, init: dict[int, float]) -> bool:
        """Whether `q` is a start the program did not improve on (no line leads into it)."""
        return q < self.fresh and float(self.best[q]) == init.get(q, _NEG)

    def line_starts(self, q1: int, q2: int, init: dict[int, float]) -> list[int]:
        """`line_start(q, init)` for each offset `q` of `q1 .. q2 - 1`, all the argmaxes in one
        numpy call (the first argmax of each column, as `line_start`'s for one column; a call
        per offset cost more than the rest of `finish`)."""
        first = max(q1, self.first)
        out = [-1] * (min(first, q2) - q1)  # before the first offset solved
        if first < q2:
            i0, i1 = first - self.first, q2 - self.first
            jumps: list[int] = (self.prev[:, i0:i1] - self.pen_a[:, i0:i1]).argmax(axis=0).tolist()
            for q in range(first, q2):
                if self._unimproved(q, init):
                    out.append(-1)
                else:
                    out.append(q - self.lo - jumps[q - first])
        return out

    def finish(self, n: int, init: dict[int, float], last_start: int, cfg: GlueConfig) -> float:
        """The best last line (it must fit: a little over the width costs like any long line):
        sets `end`, returns the chain's score (about _NEG when no chain exists).

        A break inside the paragraph's last token (after `last_start`) leaves a last line of one
        fragment; when the line before it could have held the whole token, the paragraph may as
        well have ended there (greedy wrapping would not have broken: `Moi|net.`), so that break
        earns no line bonus.
        """
        width = self.width
        t0 = max(0, n - width - cfg.window_after)
        tails = np.arange(t0, n)
        end = self.best[t0:n] - np.maximum(n - tails - width, 0) * cfg.over_penalty  # (a slice: no gather)
        if last_start > 0:
            # only the tails inside the last token (`q > last_start`, by their offsets as plain
            # ints), and their line starts all at once (a numpy call or two per tail cost more
            # than the test)
            q0 = max(t0, last_start + 1)
            ends: list[float] = end[q0 - t0 :].tolist()
            starts = self.line_starts(q0, n, init)
            for q in range(q0, n):
                p = starts[q - q0]
                # (no chain ends where it is about _NEG)
                if ends[q - q0] > _NEG / 2 and p >= 0 and n - p <= width:
                    end[q - t0] -= cfg.line_bonus
        k = int(end.argmax())
        self.end = t0 + k
        return float(end[k])

    def chain(self, init: dict[int, float], lex: np.ndarray, which: np.ndarray, cfg: GlueConfig) -> list[int]:
        """Indices into the candidates of the breaks of the best chain, in order."""
        phantom = -cfg.phantom_penalty
        chain: list[int] = []
        q = self.end
        while q > 0:
            if lex[q] >= phantom and which[q] >= 0:
                chain.append(int(which[q]))
            q = self.line_start(q, init)
        return chain[::-1]


def _viterbi_many(
    widths: list[int], n: int, starts: list[tuple[int, float]], lex: np.ndarray, pen_t: np.ndarray,
    cfg: GlueConfig, init: dict[int, float], last_start: int = 0,
) -> list[tuple[float, _Solved | None]]:
    """`_viterbi` for several widths at once, each block one vectorised step for all of them:
    the same numbers, in the same operations, as `_viterbi` width by width.

    Only when no width's shortest line is clipped at `min_line` (the caller checks): then every
    width's lines span the same K lengths `width - window_before + k`, whose penalties `pen_t[k]`
    are the same for all widths. Width w's scores sit in row w of one buffer, shifted by
    `lo_w - lo_min` so that one strided view reads every width's previous scores; the blocks are
    `lo_min` long (independent for every width) and start at the first offset of the shortest.
    Offsets a longer width cannot reach yet get scores about _NEG, as in `_viterbi`.
    """
    before = cfg.window_before
    K = before + cfg.window_after + 1
    los = [w - before for w in widths]
    lo_min = min(los)
    size = len(lex)
    R = K + (max(los) - lo_min) + size  # one row: K slots of _NEG, the shift, the scores
    flat = np.full(len(widths) * R, _NEG)
    bests: list[np.ndarray] = []
    for w, lo in enumerate(los):
        start = w * R + K + (lo - lo_min)
        best = flat[start : start + size]
        for pos, v in starts:
            if v > best[pos]:
                best[pos] = v
        bests.append(best)
    first = min(p for p, _ in starts) + lo_min
    last = max(first, n)
    # prev3[w, k, i] = bests[w][first + i - lo_w - k]: flat[w * R + K - lo_min + first + i - k]
    step = flat.strides[0]
    prev3 = as_strided(flat[K - lo_min + first:], shape=(len(widths), K, last - first),
                       strides=(R * step, -step, step))
    pen_a = pen_t[:, first:] if first < n else pen_t[:, :0]
    local_a = np.maximum(lex[first:last], -cfg.phantom_penalty)
    fresh = max(p for p, _ in starts) + 1  # see `_viterbi`
    b = first
    while b < n:
        e = min(b + lo_min, n)
        sl = slice(b - first, e - first)
        got = (prev3[:, :, sl] - pen_a[None, :, sl]).max(axis=1) + cfg.line_bonus + local_a[None, sl]
        for w, best in enumerate(bests):
            if b >= fresh:
                best[b:e] = got[w]
            else:
                old = best[b:e]
                np.copyto(old, got[w], where=got[w] > old)
        b = e
    out: list[tuple[float, _Solved | None]] = []
    for w, width in enumerate(widths):
        solved = _Solved(width, los[w], first, fresh, bests[w], prev3[w], pen_a)
        total = solved.finish(n, init, last_start, cfg)
        out.append((_NEG, None) if total <= _NEG / 2 else (total, solved))
    return out


def _viterbi(
    width: int, n: int, starts: list[tuple[int, float]], lex: np.ndarray, pen_t: np.ndarray,
    cfg: GlueConfig, init: dict[int, float], last_start: int = 0,
) -> tuple[float, _Solved | None]:
    """Exact best chain at one width: breaks at any offsets, lines scored as in `best_chain`.
    Returns its score and what tracing it needs (`_Solved.chain`), or (_NEG, None).

    Blocks of `width - window_before` offsets depend only on earlier blocks, so each block is
    one vectorised step. `pen_t[k, q]`: the penalty (too long or too short) of a line ending at q
    that is `k - window_before` characters longer than `width` (the same for every width).
    """
    lo = max(width - cfg.window_before, cfg.min_line + 1)
    hi = width + cfg.window_after
    phantom = -cfg.phantom_penalty  # a break with no visible split, in split-score units
    size = len(lex)
    K = hi - lo + 1
    # `best` is a view into a buffer with K slots of _NEG before offset 0: a line that would
    # start before the paragraph reads one of them (it cannot start, its score stays _NEG)
    buf = np.full(K + size, _NEG)
    best = buf[K:]
    for pos, v in starts:
        if v > best[pos]:
            best[pos] = v
    first = min(p for p, _ in starts) + lo
    last = max(first, n)
    # prev[k, i] = best[first + i - lo - k]: the score before a line of lo + k characters ending
    # at `first + i`, a strided view of `buf` (no copy: it sees the blocks solved before it)
    step = buf.strides[0]
    prev = as_strided(buf[K + first - lo:], shape=(K, last - first), strides=(-step, step))
    skip = lo - (width - cfg.window_before)  # rows of `pen_t` below `min_line`
    pen_a = pen_t[skip:, first:] if first < n else pen_t[skip:, :0]
    local_a = np.maximum(lex[first:last], phantom)
    # past the last start every offset still holds _NEG, so a block's scores are written as
    # they are: a line from a start that cannot be reached (or from before the paragraph) scores
    # about _NEG, and no chain above _NEG / 2 (the only ones returned) goes through it
    fresh = max(p for p, _ in starts) + 1
    b = first
    while b < n:  # offsets b..e-1 are one contiguous block: slices, not gathers
        e = min(b + lo, n)
        sl = slice(b - first, e - first)
        got = (prev[:, sl] - pen_a[:, sl]).max(axis=0) + cfg.line_bonus + local_a[sl]
        if b >= fresh:
            best[b:e] = got
        else:
            old = best[b:e]
            np.copyto(old, got, where=got > old)  # `old` is a view of `best[b:e]`
        b = e
    solved = _Solved(width, lo, first, fresh, best, prev, pen_a)
    total = solved.finish(n, init, last_start, cfg)
    return (_NEG, None) if total <= _NEG / 2 else (total, solved)
