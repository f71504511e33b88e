"""The line-wrap model of the glue stage: where hard-wrapped lines were joined.

A page hard-wrapped at width W and then joined lost one space after the first word of the
paragraph and then one space per line. Greedy wrapping makes each line end predictable: a line
starting at glued offset p ends at a break q inside the token that straddles p + W (the line
fits, q - p <= W, and the next word would not have: the token holding q reaches p + W). So for
each W the chain of breaks is nearly forced, and the only free choice is where inside each
straddling token the break falls, which word frequencies settle.

Before: `Leministre et président ... a déclaré quele 9 janvier 2020, ... au Vietnamont signé`
After (chain at W=80): breaks `Le|ministre`, `que|le`, `Vietnam|ont`.

Scoring (Zipf units; "not wrapped" scores 0): each break earns `line_bonus` plus its lexical
score, minus a penalty per character the line is longer than the greedy interval allows
(`over_penalty`) or shorter (`under_penalty`: jitter, a line broken a word early). A line
whose straddling token has no plausible split may be bridged by a "phantom" break at
`phantom_penalty` (a glue we cannot see, e.g. inside a number), so one odd line does not sink
a chain. Every (first break, W) pair is walked greedily line by line (plain loops reading each
line window's best place from one table per paragraph); the best few widths are re-solved
exactly by a dynamic program, all of them at once with numpy. The best chain must beat "not
wrapped" by `GlueConfig.wrap_threshold`.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
from numpy.lib.stride_tricks import as_strided

from pipeline.glue import native

if TYPE_CHECKING:
    from pipeline.glue.core import GlueConfig, _Cand

_NEG = -1e9
# The compiled kernel (`_wrapc.pyx`: this module's `best_chain` from the candidates on, as C
# loops) when the compiled engine runs, else None: the source runs its own Python throughout.
# (A module, typed `ModuleType`: mypy reads its functions as `Any`; `_wrapc.pyi` documents them.)
_KERNEL = native.kernel()


def best_chain(
    n: int, tokens: Sequence[tuple[int, int]], cands: Sequence[_Cand], cfg: GlueConfig
) -> tuple[float, list[int]]:
    """Best wrap chain for a paragraph of length `n`: (score, indices into `cands`).

    `tokens` are the (start, end) offsets of the whitespace tokens; `cands` the split
    candidates with their lexical scores (any order). Returns (-inf, []) when no chain exists.
    With the compiled engine, it runs in C (`_wrapc.solve`, from the candidates on), the same numbers.
    """
    return _best_chain(n, tokens, cands, cfg, _KERNEL)


def best_chain_at(
    n: int, starts: list[int], words: list[str], cands: Sequence[_Cand], cfg: GlueConfig
) -> tuple[float, list[int]]:
    """`best_chain(n, spans, cands, cfg)` with the token spans given as their starts and their
    words (`spans[k]` is `(starts[k], starts[k] + len(words[k]))`): the kernel reads each end
    as the start plus the word's length, so `core` makes no (start, end) tuple per token (and
    no second boxed int) for it; the Python (no kernel, or a declined input) builds the spans.

    Before: `best_chain(n, [(0, 2), (3, 11)], ...)`; after: `best_chain_at(n, [0, 3],
    ["Le", "ministre"], ...)`, the same answer."""
    if not cands or not starts:
        return _NEG, []
    if _KERNEL is not None:
        _, _, lows_k, pens_bk = _penalties(cfg.window_before, cfg.window_after, cfg.over_penalty,
                                           cfg.under_penalty, cfg.under_cap)
        got: tuple[float, list[int]] | None = _KERNEL.solve(n, starts, cands, pens_bk, lows_k, cfg, words)
        if got is not None:
            return got
    return _best_chain(n, [(s, s + len(w)) for s, w in zip(starts, words, strict=True)], cands, cfg, None)


def best_chain_py(
    n: int, tokens: Sequence[tuple[int, int]], cands: Sequence[_Cand], cfg: GlueConfig
) -> tuple[float, list[int]]:
    """`best_chain` all in Python, even where the C kernel is built (the reference the tests
    compare the kernel with)."""
    return _best_chain(n, tokens, cands, cfg, None)


def _best_chain(
    n: int, tokens: Sequence[tuple[int, int]], cands: Sequence[_Cand], cfg: GlueConfig,
    kernel: ModuleType | None,
) -> tuple[float, list[int]]:
    """`best_chain`, run by `kernel.solve` when given (unless it declines the inputs)."""
    if not cands or not tokens:
        return _NEG, []
    over_w, under_w = cfg.over_penalty, cfg.under_penalty
    if kernel is not None:
        # all the rest in C, its set-up too (the candidates' scores, `short`, the start rows, read
        # from `tokens` and `cands` into C arrays): the same operations on the same float64
        # values (None: inputs outside what its arrays were argued for -- tokens out of order, a
        # candidate's token out of range, a NaN start score, far-off configurations -- never
        # `core`'s with the default configuration; then the Python below, the same answer)
        _, _, lows_k, pens_bk = _penalties(cfg.window_before, cfg.window_after, over_w, under_w, cfg.under_cap)
        got: tuple[float, list[int]] | None = kernel.solve(n, tokens, cands, pens_bk, lows_k, cfg)
        if got is not None:
            return got
    pad = cfg.max_width + cfg.window_after + 2
    size = n + pad
    # each offset's best score and its candidate, filled as dicts (a numpy scalar access per
    # candidate costs more) over the offsets that hold one, then written into the arrays
    lex_d: dict[int, float] = {}
    which_d: dict[int, int] = {}
    floor = cfg.chain_floor
    top: dict[int, float] = {}
    for c in cands:
        # (`max(top.get(c.tok, c.lex), c.lex)` without the builtin's generic call: the first of
        # equal scores is kept, as `max` keeps its first argument)
        t = top.get(c.tok)
        if t is None or c.lex > t:
            top[c.tok] = c.lex
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
    before, after = cfg.window_before, cfg.window_after
    bonus = cfg.line_bonus
    # short[q]: min(characters from q to the end of its token, window_before): the length of the
    # next line's first word, as far as the short-line penalty reads it (0 between tokens)
    short_b = _short_bytes(tokens, size, before)
    # start rows: the candidates inside the first token (the first word's glue), or offset 0
    t0s, t0e = tokens[0]
    first = {c.pos: lex_d.get(c.pos, _NEG) + cfg.first_word_bonus for c in cands if t0s < c.pos < t0e}
    starts = sorted(first.items(), key=lambda kv: -kv[1])[: cfg.first_candidates]
    starts.append((0, -cfg.no_first_penalty))
    nw = cfg.max_width - cfg.min_width + 1  # the widths tried, min_width .. max_width
    rows = len(starts) * nw
    # A line ending at q that is deltas[k] = k - window_before characters longer than W scores
    # `(lex[q] + line_bonus) - pens[short[q]][k]`: `pens[s][k]` is the penalty of a line that
    # long (`over_penalty` per character over W) or that short (`under_penalty` per character
    # under, `under_cap` at most, none from `window_before` on: a function of short[q]), each
    # number computed by the same float operations as numpy's table of them was.
    K = before + after + 1
    deltas_l = list(range(-before, after + 1))
    pens, pens_a, lows, _ = _penalties(before, after, over_w, under_w, cfg.under_cap)
    # (the two dicts hold the same offsets in the same order: both are set together)
    held = np.fromiter(lex_d.keys(), dtype=np.int64, count=len(lex_d))
    lex = np.full(size, _NEG)
    lex[held] = np.fromiter(lex_d.values(), dtype=np.float64, count=len(lex_d))
    if short_b is not None:
        short = list(short_b)  # (the ints 0..255 are shared objects: a cheap conversion)
    else:
        short = [0] * size
        for s0, e0 in tokens:
            for q in range(s0, e0):
                r = e0 - q
                short[q] = r if r < before else before
    phantom = bonus - cfg.phantom_penalty
    # The best place of every line window at once: the window of a line from p at width W is
    # q = base .. base + K - 1 (base = p + W - window_before, the place k = q - base); its best
    # place is the first (smallest q) of its highest score, or a phantom break at p + W when that
    # score is below `phantom`. Only the offsets that hold a candidate can score above `phantom`
    # (any other offset scores about _NEG), and a place below it is never taken, so the windows
    # are filled from the held offsets alone, in increasing order (a tie keeps the first), with
    # the places at or above `phantom` (`win_q[base]` -1: none, a phantom break). When the
    # penalty row falls to its first lowest place `lows[row]`, then rises (the default penalties),
    # the places of an offset at or above `phantom` are one run of k around it (`v0 - p` never
    # rises with p, in floats too): none when its lowest place is below `phantom`, else from the
    # first such place before it (a bisection) to the first below `phantom` after it.
    nb = size - K + 1
    win_b = [0.0] * nb
    win_q = [-1] * nb
    for q in sorted(lex_d):
        v0 = lex_d[q] + bonus
        if v0 < phantom:
            continue  # (penalties are never negative: no place of q reaches `phantom`)
        row = short[q]
        prow = pens[row]
        k_low = lows[row]
        k0 = 0
        if k_low >= 0:
            if v0 - prow[k_low] < phantom:
                continue
            k1 = k_low
            while k0 < k1:  # the first k with v0 - prow[k] >= phantom (it holds at k_low)
                m = (k0 + k1) // 2
                if v0 - prow[m] >= phantom:
                    k1 = m
                else:
                    k0 = m + 1
        seen = False  # a place of q at or above `phantom` met
        for k in range(k0, K):
            b = q - k
            if b < 0:
                break
            v = v0 - prow[k]
            if v >= phantom:
                seen = True
                if b < nb and (win_q[b] < 0 or v > win_b[b]):
                    win_b[b] = v
                    win_q[b] = q
            elif seen and k_low >= 0:
                break
    max_lines = n // cfg.min_width + 3
    over_l = float(over_w)
    margin = cfg.prune_margin
    # a line of at least `min_width - window_before` characters is never shorter than
    # `min_line`; a row whose line end was clipped at the padding has `remaining <= W` and
    # finishes in that step whatever its line scores, so the check is then moot
    check_short = cfg.min_width - cfg.window_before <= cfg.min_line
    # The walk proper, one row at a time in plain loops (a few hundred row-steps per paragraph,
    # where numpy's per-call overhead on such small arrays cost more than the work): the same
    # operations on the same float64 values as the vectorised walk, so the same scores.
    # Row r walks from start r // nw at width min_width + r % nw; its offset and score are
    # updated in place (`ps`, `scores`), the rows still walking listed in order in `alive`, so
    # finished and dropped rows cost nothing; `final` holds each row's end score (_NEG: dropped
    # or unfinished).
    min_w = cfg.min_width
    final = [_NEG] * rows
    # (each start's `nw` entries by list repetition: a nested comprehension boxed every entry)
    ps: list[int] = []
    scores: list[float] = []
    for pos, v in starts:
        ps.extend([pos] * nw)
        scores.extend([v] * nw)
    alive = list(range(rows))
    # Rows at the same width and offset walk on identically from there: only the best of them
    # can give its width's best end score (the same additions follow: x <= y gives x + a <= y + a
    # in floats too), and it sets the lead the others are pruned by, so the others are dropped
    # as soon as they meet (of equal ones the first); a pure saving, which changes no width's
    # best end score. A width has one row per start (r, r - nw, r - 2 nw, ...) and `alive` is in
    # row order, so a row that steps to an offset looks back at the rows of its width from the
    # earlier starts kept at this line (`mark[r]`: the line a row was last kept at, -1 once
    # dropped), where the whole list was grouped by width after each line.
    mark = [-1] * rows
    gone = [False] * rows  # dropped after its step, for a later row of its width (rare)
    for line in range(max_lines):
        if not alive:
            break
        # rows far behind the best cannot win: from the third line on, a row below `floor_s`
        # is dropped
        floor_s = _NEG
        if line >= 2:
            lead = scores[alive[0]]
            for r in alive:
                if scores[r] > lead:
                    lead = scores[r]
            floor_s = lead - margin
        kept: list[int] = []
        dropped = False  # a row kept before at this line was dropped since
        for r in alive:
            sr = scores[r]
            if line >= 2 and sr < floor_s:
                continue
            pr = ps[r]
            wr = min_w + r % nw
            remaining = n - pr
            # the window of a row is q = base .. base + K - 1, inside [0, size) for every row:
            # p >= 0 and W + deltas >= min_width - window_before >= 0 below (`GlueConfig` checks),
            # p < n and W + deltas <= max_width + window_after < pad above
            base = pr + wr - before
            if check_short:
                # (the windows above are for lines never shorter than `min_line`: here each place
                # is scored, a line too short at _NEG, and the first best taken)
                jr, bs = 0, _NEG
                for k in range(K):
                    q = base + k
                    v = (lex_d.get(q, _NEG) + bonus) - pens[short[q]][k] if wr + deltas_l[k] > cfg.min_line else _NEG
                    if v > bs or k == 0:
                        jr, bs = k, v
                bq = base + jr
                if bs < phantom:
                    bs, bq = phantom, pr + wr
            else:
                bq = win_q[base]
                if bq < 0:
                    bs, bq = phantom, pr + wr
                else:
                    bs = win_b[base]
            if remaining <= wr + after:  # (the last line's score only near the end)
                over = remaining - wr
                end_score = -(over if over > 0 else 0) * over_l  # (`-max(over, 0) * over_l`)
                if end_score >= bs or remaining <= wr:
                    final[r] = sr + end_score
                    continue
            v = sr + bs
            o = r - nw
            while o >= 0:
                if mark[o] == line and ps[o] == bq:
                    break
                o -= nw
            if o >= 0:  # a row of an earlier start, at this width, kept at the same offset
                if v > scores[o]:
                    gone[o] = True
                    mark[o] = -1
                    dropped = True
                else:
                    continue
            ps[r] = bq
            scores[r] = v
            mark[r] = line
            kept.append(r)
        alive = [r for r in kept if not gone[r]] if dropped else kept
    # the greedy walk ranks the widths; an exact dynamic program then re-solves the best few,
    # so one line taken wrongly (jitter, a word broken early) does not derail the rest
    per_width = final[:nw]  # each width's best end score over its starts
    for r in range(nw, rows):
        if final[r] > per_width[r % nw]:
            per_width[r % nw] = final[r]
    # (a stable sort: equal scores in the order of their widths, narrowest first, on every
    # processor; numpy's default `argsort` dispatches by processor, to sorts that order equal
    # keys each its own way, so the widths chosen could differ from machine to machine)
    order: list[int] = np.argsort(-np.array(per_width, dtype=np.float64), kind="stable")[: cfg.refine_widths].tolist()
    # the penalties depend on the line's end offset and on `d - W` only, not on W: the walk's
    # table serves every width re-solved below, transposed (a row per line length: the program
    # maximises over rows, element by element); its rows taken whole, by each offset's
    # `short` (as bytes when they fit: a list of ints costs numpy a conversion per element)
    rows_at = (np.frombuffer(short_b, dtype=np.uint8, count=n) if short_b is not None
               else np.array(short[:n], dtype=np.int64))
    pen_t = np.ascontiguousarray(pens_a.take(rows_at, axis=0).T)
    chosen = [min_w + wi for wi in order if per_width[wi] > _NEG / 2]
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
    return best_total, best_solved.chain(init, lex_d, which_d, cfg)


def _short_bytes(tokens: Sequence[tuple[int, int]], size: int, before: int) -> bytes | None:
    """`best_chain`'s `short` as `size` bytes: at offset q inside a token, min(characters from q
    to the token's end, `before`), else 0. Joined a token at a time from one descending run per
    `before` (`_short_run`), not written a character at a time. None when `before` does not fit
    in a byte or the tokens are not in increasing order without overlap (then `short` is
    written character by character)."""
    if before > 255:
        return None
    runz = _short_run(before)
    parts: list[bytes] = []
    pend = -1  # the length of the token before, not yet joined (-1: none)
    prev = 0
    for s0, e0 in tokens:
        if s0 < prev or e0 < s0 or e0 > size:
            return None
        if pend >= 0:
            _short_piece(parts, runz, pend, s0 - prev)
        elif s0 > 0:
            parts.append(_zeros(s0))  # (before the first token)
        pend = e0 - s0
        prev = e0
    if pend >= 0:
        _short_piece(parts, runz, pend, size - prev)
    else:
        parts.append(_zeros(size))
    return b"".join(parts)


def _short_piece(parts: list[bytes], runz: bytes, length: int, gap: int) -> None:
    """Append a token of `length` characters and the `gap` zeros after it to `_short_bytes`'
    parts: the token is the last `length` bytes of the run before its final zero, so a token
    followed by one space (most) is one slice."""
    top = len(runz) - 1  # the run, without its final zero
    if length > top:  # (a token longer than the run: `before` repeated opens it)
        parts.append(bytes([runz[0]]) * (length - top))
        length = top
    if gap == 1:
        parts.append(runz[top - length :])
    else:
        parts.append(runz[top - length : top])
        if gap > 0:
            parts.append(_zeros(gap))


def _zeros(k: int) -> bytes:
    """`k` zero bytes (a slice of a constant: `bytes(k)` is a generic call)."""
    return _ZEROS[:k] if k <= len(_ZEROS) else bytes(k)


_ZEROS = bytes(512)


@functools.lru_cache(maxsize=8)
def _short_run(before: int) -> bytes:
    """`before` repeated 4,096 times, then `before - 1` down to 1, then one zero: before the
    zero, its last L bytes are `_short_bytes`' values over a token of L characters, with the
    zero those of such a token and the one space after it (per configuration)."""
    return bytes([before]) * 4096 + bytes(range(before - 1, 0, -1)) + bytes(1)


@functools.lru_cache(maxsize=8)
def _penalties(before: int, after: int, over_w: float, under_w: float,
               cap: float) -> tuple[list[list[float]], np.ndarray, list[int], bytes]:
    """`pens[r][k]`: the penalty of a line `k - before` characters longer than its width, where
    the next line's first word is `r` characters long (`r` up to `before`: the same from there on):
    `over_w` per character over the width, or `under_w` per character under it (`cap` at most)
    beyond the jitter that so short a first word allows; the same as an (r, k) array; and per
    row the first k of its lowest penalty when the row never rises up to there and never falls
    after it (so whenever `over_w` and `under_w` are not negative), else -1; and the array's
    bytes (row by row, native float64: what the C kernel reads). Per configuration: the same
    numbers for every paragraph."""
    deltas = range(-before, after + 1)
    over_k = [float(max(d, 0)) * over_w for d in deltas]  # the line is longer than W
    pens = [[over_k[k] + min(float(max(-d - r, 0)) * under_w, cap) for k, d in enumerate(deltas)]
            for r in range(before + 1)]
    lows: list[int] = []
    for row in pens:
        low = row.index(min(row))
        falls = all(row[k] <= row[k - 1] for k in range(1, low + 1))
        rises = all(row[k] >= row[k - 1] for k in range(low + 1, len(row)))
        lows.append(low if falls and rises else -1)
    pens_a = np.array(pens, dtype=np.float64)
    return pens, pens_a, lows, pens_a.tobytes()


def likely_chain(cands: Sequence[_Cand], cfg: GlueConfig) -> bool:
    """A crude test that a wrap chain is likely (a wrapped paragraph, many good places): the
    positive gains a line end at each candidate would bring (`line_bonus` plus its score) add
    up to `wrap_threshold + no_first_penalty`. Stops there, so it costs a few candidates."""
    bonus = cfg.line_bonus
    quick = cfg.wrap_threshold + cfg.no_first_penalty
    crude = 0.0
    for c in cands:
        if c.lex > -bonus:
            crude += bonus + c.lex
            if crude >= quick:
                return True
    return False


def _bound_tops(
    cands: Sequence[_Cand], t0s: int, t0e: int, cfg: GlueConfig
) -> tuple[dict[int, float], float, int]:
    """`chain_bound`'s first step, shared with `chain_bound_at`: each token's best candidate,
    compressed below `chain_floor`, and the best start (a place inside the first token, whose
    span is `t0s`-`t0e`, with `first_word_bonus`, else `-no_first_penalty`) with its offset."""
    floor = cfg.chain_floor
    tops: dict[int, float] = {}  # a token's best candidate, compressed
    start, p0 = -cfg.no_first_penalty, 0
    for c in cands:
        lex = c.lex
        v = lex if lex >= floor else floor + 0.05 * (lex - floor)
        if v > tops.get(c.tok, _NEG):
            tops[c.tok] = v
        if t0s < c.pos < t0e:
            start = max(start, v + cfg.first_word_bonus)
            p0 = max(p0, c.pos)
    return tops, start, p0


def _bound_total(n: int, start: float, p0: int, gains: list[float], cfg: GlueConfig) -> float:
    """`chain_bound`'s last step, shared with `chain_bound_at`: the start plus every positive
    line-end gain, and as many of the best others as the fewest line ends a chain from `p0` can
    have (an offset with no candidate counting `line_bonus - phantom_penalty`), plus 1e-6."""
    bonus, ph = cfg.line_bonus, cfg.phantom_penalty
    hi = cfg.max_width + cfg.window_after
    need = max(0, -(-(n - p0) // hi) - 1)  # the fewest line ends a chain can have
    total = start
    rest: list[float] = []
    used = 0
    for g in gains:
        if g > 0:
            total += g
            used += 1
        else:
            rest.append(g)
    if used < need:
        rest.sort(reverse=True)
        more = rest[: need - used]
        for g in more:
            total += g
        total += (need - used - len(more)) * (bonus - ph)
    return total + 1e-6


def chain_bound(
    n: int, tokens: Sequence[tuple[int, int]], cands: Sequence[_Cand], cfg: GlueConfig
) -> float:
    """An upper bound on the score `best_chain` returns for the same arguments, or +inf when
    `likely_chain` finds a chain likely (a wrapped paragraph: then it costs a few candidates).
    A paragraph with too few good places for its length (clean text: one or two candidates
    above 0 in five lines) is shown to have no chain reaching `wrap_threshold` without the walk
    and the dynamic program.

    Why it is a bound: a chain scores its start (a first-token place's score plus
    `first_word_bonus`, or `-no_first_penalty`) plus, per line, `line_bonus` plus its end's
    score (at least `-phantom_penalty`, the score of an offset with no candidate; a double
    space `visible_break`) minus penalties that are never negative, and its last line's
    penalty (never negative; `finish` may also take a line bonus back). Line ends are distinct
    offsets at least `lo` apart (lines are at least `min_width - window_before` and more than
    `min_line` long), so a token holds at most `1 + len // lo` of them; no line nor the last one
    is longer than `max_width + window_after`, so a chain from start `p` has at least
    `ceil((n - p) / (max_width + window_after)) - 1` line ends. The bound takes the best start
    and the best such number of line ends (all the positive ones, and as many more of the best
    others as the minimum asks, an offset with no candidate counting `line_bonus -
    phantom_penalty`). `best_chain` compresses a token's scores below `chain_floor`: an
    offset's value is at most its candidate's score compressed alone (the compression minus
    the identity does not increase). Plus 1e-6, for summing in another order."""
    if not cands or not tokens:
        return _NEG
    if likely_chain(cands, cfg):
        return float("inf")  # (always exact: only a bound below the threshold skips a chain)
    bonus, ph = cfg.line_bonus, cfg.phantom_penalty
    t0s, t0e = tokens[0]
    tops, start, p0 = _bound_tops(cands, t0s, t0e, cfg)
    lo = max(cfg.min_width - cfg.window_before, cfg.min_line + 1)  # the shortest line
    gains: list[float] = []
    for k, v in tops.items():
        s0, e0 = tokens[k]
        gains.extend([bonus + max(v, -ph)] * (1 + (e0 - s0) // lo))
    for (_, e1), (s2, _) in itertools.pairwise(tokens):
        if s2 - e1 >= 2:
            gains.append(bonus + max(cfg.visible_break, -ph))  # a double space: a free line end
    return _bound_total(n, start, p0, gains, cfg)


def chain_bound_at(
    n: int, starts: list[int], words: list[str], cands: Sequence[_Cand], cfg: GlueConfig
) -> float:
    """`chain_bound(n, spans, cands, cfg)` with the token spans given as their starts and their
    words (`spans[k]` is `(starts[k], starts[k] + len(words[k]))`, as `best_chain_at` takes
    them): the same steps, in the same order, each span read where `chain_bound` reads it (no
    tuple per token made). A test compares the two.

    Before: `chain_bound(n, [(0, 2), (3, 11)], ...)`; after: `chain_bound_at(n, [0, 3],
    ["Le", "ministre"], ...)`, the same bound."""
    if not cands or not starts:
        return _NEG
    if likely_chain(cands, cfg):
        return float("inf")  # (always exact: only a bound below the threshold skips a chain)
    return chain_bound_with(n, starts, words, cands, {}, cfg)  # (no token known by a bound alone)


def chain_bound_with(
    n: int, starts: list[int], words: list[str], cands: Sequence[_Cand], uppers: dict[int, float],
    cfg: GlueConfig,
) -> float:
    """An upper bound on what `best_chain_at` returns for the candidates `cands` together with
    those of the tokens in `uppers`, known only by the most any of them scores (token index ->
    that score; never token 0, whose places count for the chain's start): `chain_bound_at`'s
    bound, each token of `uppers` counting as one candidate of that score, and without its
    `likely_chain` short cut (so never +inf). Used where the exact scores of those tokens would
    cost more than their bounds (`core._no_chain`: clean text the fast gate did not clear).

    Before: `chain_bound_at(n, starts, words, cands + exact_cands_of_token_7, cfg)`; after:
    `chain_bound_with(n, starts, words, cands, {7: 1.2}, cfg)`, at least as large."""
    if not starts or not (cands or uppers):
        return _NEG
    bonus, ph = cfg.line_bonus, cfg.phantom_penalty
    t0s = starts[0]
    tops, start, p0 = _bound_tops(cands, t0s, t0s + len(words[0]), cfg)
    floor = cfg.chain_floor
    for k, lex in uppers.items():
        v = lex if lex >= floor else floor + 0.05 * (lex - floor)  # (compressed as `_bound_tops` does)
        if v > tops.get(k, _NEG):
            tops[k] = v
    lo = max(cfg.min_width - cfg.window_before, cfg.min_line + 1)  # the shortest line
    gains: list[float] = []
    for k, v in tops.items():
        gains.extend([bonus + max(v, -ph)] * (1 + len(words[k]) // lo))
    for k in range(len(starts) - 1):
        if starts[k + 1] - (starts[k] + len(words[k])) >= 2:
            gains.append(bonus + max(cfg.visible_break, -ph))  # a double space: a free line end
    return _bound_total(n, start, p0, gains, cfg)


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
        over = cfg.over_penalty
        t0 = max(0, n - width - cfg.window_after)
        # each tail's score as plain floats (a numpy call per step of a dozen cost more than the
        # loop): the same operations as `best[t0:n] - np.maximum(n - tails - width, 0) * over`
        end: list[float] = self.best[t0:n].tolist()
        for i in range(n - t0 - width):  # (the other tails lose `0.0 * over`: x - 0.0 is x)
            end[i] = end[i] - float(n - t0 - i - width) * over
        q0 = max(t0, last_start + 1)
        if last_start > 0 and q0 < n and self._may_lead(end, q0 - t0):
            # only the tails inside the last token (`q > last_start`), and their line starts all
            # at once (a numpy call or two per tail cost more than the test)
            starts = self.line_starts(q0, n, init)
            for q in range(q0, n):
                p = starts[q - q0]
                # (no chain ends where it is about _NEG)
                if end[q - t0] > _NEG / 2 and p >= 0 and n - p <= width:
                    end[q - t0] -= cfg.line_bonus
        k, top = 0, end[0]  # the first best, as numpy's argmax (its score a local float: unboxed once)
        for i in range(1, n - t0):
            v = end[i]
            if v > top:
                k, top = i, v
        self.end = t0 + k
        return top

    @staticmethod
    def _may_lead(end: list[float], i0: int) -> bool:
        """Whether a tail from `i0` on is at least as high as every tail before it. When none
        is, the best tail (the first of the highest) is one before `i0` whatever is taken off
        those from `i0` on (`finish` only lowers them), so their line starts need not be found."""
        if i0 == 0:
            return True
        lead = end[0]
        for i in range(1, i0):
            if end[i] > lead:
                lead = end[i]
        for i in range(i0, len(end)):
            if end[i] >= lead:
                return True
        return False

    def chain(self, init: dict[int, float], lex: dict[int, float], which: dict[int, int],
              cfg: GlueConfig) -> list[int]:
        """Indices into the candidates of the breaks of the best chain, in order (`lex`, `which`:
        each held offset's score and candidate, -1 for a double space)."""
        phantom = -cfg.phantom_penalty
        chain: list[int] = []
        q = self.end
        while q > 0:
            if lex.get(q, _NEG) >= phantom and which.get(q, -1) >= 0:
                chain.append(which[q])
            q = self.line_start(q, init)
        return chain[::-1]


def _viterbi_many(
    widths: list[int], n: int, starts: list[tuple[int, float]], lex: np.ndarray, pen_t: np.ndarray,
    cfg: GlueConfig, init: dict[int, float], last_start: int = 0,
) -> list[tuple[float, _Solved | None]]:
    """`_viterbi` for several widths at once, each block one vectorised step for all of them:
    the same numbers, in the same operations, as `_viterbi` width by width; except that a width
    that cannot beat the widths before it (its best tail is not above their best total) is given
    as (_NEG, None), unfinished: `best_chain` would not take it.

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
    at: list[int] = []
    values: list[float] = []
    for w, lo in enumerate(los):
        start = w * R + K + (lo - lo_min)
        bests.append(flat[start : start + size])
        # each start's own score (`init`: the best of its entries, none at or below _NEG, as
        # `if v > best[pos]` over the entries leaves it), every width's at once
        for pos, v in init.items():
            at.append(start + pos)
            values.append(v)
    flat[at] = values
    first = min(p for p, _ in starts) + lo_min
    last = max(first, n)
    # prev3[k, w, i] = bests[w][first + i - lo_w - k]: flat[w * R + K - lo_min + first + i - k]
    # (a view: `np.ndarray` over the buffer, as `as_strided` makes it at more cost; k first, so
    # that each block's differences, laid out in that order, are maximised over the outer axis,
    # which numpy does row by row where over a middle axis it buffers)
    step = flat.strides[0]
    prev3 = np.ndarray((K, len(widths), last - first), dtype=np.float64, buffer=flat,
                       offset=(K - lo_min + first) * step, strides=(-step, R * step, step))
    pen_a = pen_t[:, first:] if first < n else pen_t[:, :0]
    local_a = np.maximum(lex[first:last], -cfg.phantom_penalty)
    fresh = max(p for p, _ in starts) + 1  # see `_viterbi`
    # a full block's differences and maxima go to two buffers made once per call (a fresh
    # array per numpy call, and `ndarray.max`'s Python wrapper, cost about 6,000 instructions
    # a block); the same C-ordered layout, so the same elements in the same order. The last,
    # shorter block is computed as before.
    nwid = len(widths)
    diff_buf = np.empty((K, nwid, lo_min))
    got_buf = np.empty((nwid, lo_min))
    sub, add, mx = np.subtract, np.add, np.maximum.reduce
    bonus = cfg.line_bonus
    b = first
    while b < n:
        e = min(b + lo_min, n)
        sl = slice(b - first, e - first)
        if e - b == lo_min:
            got: np.ndarray = mx(sub(prev3[:, :, sl], pen_a[:, None, sl], diff_buf), 0, out=got_buf)
        else:
            got = mx(np.subtract(prev3[:, :, sl], pen_a[:, None, sl], order="C"), 0)
        # (in place: the same two additions, in the same order, no temporaries)
        add(got, bonus, got)
        add(got, local_a[sl], got)
        for w, best in enumerate(bests):
            if b >= fresh:
                best[b:e] = got[w]
            else:
                old = best[b:e]
                np.copyto(old, got[w], where=got[w] > old)
        b = e
    out: list[tuple[float, _Solved | None]] = []
    # `best_chain` takes the first width of the highest total, so a width none of whose tails
    # is above the best total of the widths before it (`lead`) is never taken: `finish` only
    # lowers the tails (when `over_penalty` and `line_bonus` are not negative: x - y <= x for
    # y >= 0, in floats too), so its total is at most its best tail. Such a width is not
    # finished (one numpy maximum instead of `finish` and its `_Solved`) and given as no chain.
    lowers = cfg.over_penalty >= 0 and cfg.line_bonus >= 0
    lead = _NEG
    for w, width in enumerate(widths):
        if lowers and lead > _NEG / 2:
            t0 = max(0, n - width - cfg.window_after)  # (`finish`'s first tail)
            if float(np.maximum.reduce(bests[w][t0:n])) <= lead:
                out.append((_NEG, None))
                continue
        solved = _Solved(width, los[w], first, fresh, bests[w], prev3[:, w], pen_a)
        total = solved.finish(n, init, last_start, cfg)
        out.append((_NEG, None) if total <= _NEG / 2 else (total, solved))
        if total > _NEG / 2 and total > lead:
            lead = total
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
