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
a chain. Every (first break, W) pair is walked greedily line by line, all at once with numpy;
the best chain must beat "not wrapped" by `GlueConfig.wrap_threshold`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

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
    # filled as Python lists (a numpy scalar access per candidate costs more), then converted
    lex_l = [_NEG] * size
    which_l = [-1] * size
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
        if v > lex_l[c.pos]:
            lex_l[c.pos] = v
            which_l[c.pos] = k
    # a run of spaces is a line end whose space survived the join (`et  télécommunications`):
    # a break the chain may take for free, with no split to make
    for (_, e1), (s2, _) in itertools.pairwise(tokens):
        if s2 - e1 >= 2 and lex_l[s2 - 1] < cfg.visible_break:
            lex_l[s2 - 1] = cfg.visible_break
            which_l[s2 - 1] = -1
    lex = np.array(lex_l, dtype=np.float64)
    which = np.array(which_l, dtype=np.int64)
    # rest[q]: characters from q to the end of its token (length of the next line's first word),
    # for all tokens at once: `e - q` for every q in [s, e)
    rest = np.zeros(size, dtype=np.int64)
    se = np.array(tokens, dtype=np.int64).reshape(-1, 2)
    lengths = se[:, 1] - se[:, 0]
    inside = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    at = np.repeat(se[:, 0], lengths) + inside
    rest[at] = np.repeat(se[:, 1], lengths) - at
    # start rows: the candidates inside the first token (the first word's glue), or offset 0
    t0s, t0e = tokens[0]
    first = {c.pos: float(lex_l[c.pos]) + cfg.first_word_bonus for c in cands if t0s < c.pos < t0e}
    starts = sorted(first.items(), key=lambda kv: -kv[1])[: cfg.first_candidates]
    starts.append((0, -cfg.no_first_penalty))
    widths = np.arange(cfg.min_width, cfg.max_width + 1, dtype=np.int64)
    nw = len(widths)
    rows = len(starts) * nw
    p = np.repeat(np.array([s for s, _ in starts], dtype=np.int64), nw)
    score = np.repeat(np.array([v for _, v in starts]), nw)
    W = np.tile(widths, len(starts))
    deltas = np.arange(-cfg.window_before, cfg.window_after + 1, dtype=np.int64)
    over = np.maximum(deltas, 0) * over_w  # the line is longer than W
    # every line's score, for every end offset q and every place k in the window (q = p + W +
    # deltas[k]): one table per paragraph, computed in the order of the per-line formula so the
    # numbers are the same bit for bit; a row's window is then the diagonal q = base + k,
    # flat index base * K + k * (K + 1), read by one gather per line
    K = deltas.size
    # the short-line penalty of a line ending at q that is deltas[k] longer than W (`under_cap` at most)
    under_all = np.minimum(np.maximum(-deltas[None, :] - rest[:, None], 0) * under_w, cfg.under_cap)
    table = ((lex[:, None] + cfg.line_bonus) - over[None, :] - under_all).ravel()
    diag = np.arange(K, dtype=np.int64) * (K + 1)
    max_lines = n // cfg.min_width + 3
    phantom = cfg.line_bonus - cfg.phantom_penalty
    # the rows still walking are kept packed (`idx`: their row numbers), so finished and
    # dropped rows cost nothing; `final` holds each row's end score (_NEG: dropped or unfinished)
    final = np.full(rows, _NEG)
    idx = np.arange(rows)
    # a line of at least `min_width - window_before` characters is never shorter than
    # `min_line`; a row whose line end was clipped at the padding has `remaining <= W` and
    # finishes in that step whatever its line scores, so the check is then moot
    check_short = cfg.min_width - cfg.window_before <= cfg.min_line
    for line in range(max_lines):
        if line >= 2 and idx.size:  # rows far behind the best cannot win: drop them
            keep = ~(score < score.max() - cfg.prune_margin)
            idx, p, score, W = idx[keep], p[keep], score[keep], W[keep]
        if not idx.size:
            break
        remaining = n - p
        # the window of a row is q = base .. base + K - 1, inside [0, size) for every row:
        # p >= 0 and W + deltas >= min_width - window_before >= 0 below (`GlueConfig` checks), p < n and
        # W + deltas <= max_width + window_after < pad above
        base = p + W - cfg.window_before
        local = table[(base * K)[:, None] + diag[None, :]]
        if check_short:
            local = np.where((W[:, None] + deltas[None, :]) > cfg.min_line, local, _NEG)
        j = local.argmax(axis=1)
        r = np.arange(idx.size)
        bq = base + j
        bs = local[r, j]
        use_phantom = bs < phantom
        bs = np.where(use_phantom, phantom, bs)
        bq = np.where(use_phantom, p + W, bq)
        end_score = -np.maximum(remaining - W, 0) * over_w
        ends = remaining <= W + cfg.window_after
        finish = ends & ((end_score >= bs) | (remaining <= W))
        final[idx[finish]] = score[finish] + end_score[finish]
        keep = ~finish
        idx, p, score, W = idx[keep], bq[keep], score[keep] + bs[keep], W[keep]
        if idx.size > nw:
            # rows at the same width and offset walk on identically from here: only the best
            # of them can give its width's best end score, so the others are dropped
            key = W * size + p
            order = np.lexsort((-score, key))
            first_of_key = np.ones(order.size, dtype=bool)
            first_of_key[1:] = key[order[1:]] != key[order[:-1]]
            order = order[first_of_key]
            idx, p, score, W = idx[order], p[order], score[order], W[order]
    score = final
    # the greedy walk ranks the widths; an exact dynamic program then re-solves the best few,
    # so one line taken wrongly (jitter, a word broken early) does not derail the rest
    per_width = score.reshape(len(starts), nw).max(axis=0)
    order = np.argsort(-per_width)[: cfg.refine_widths]
    # the short-line penalty depends on the line's end offset and on `d - W` only, not on W:
    # the walk's table serves every width re-solved below
    under_t = under_all[:n]
    best_total, best_chain = _NEG, []
    for wi in order:
        if per_width[wi] <= _NEG / 2:
            continue
        total, chain = _viterbi(int(widths[wi]), n, starts, lex, which, under_t, cfg, tokens[-1][0])
        if total > best_total:
            best_total, best_chain = total, chain
    return best_total, best_chain


def _viterbi(
    width: int, n: int, starts: list[tuple[int, float]], lex: np.ndarray, which: np.ndarray,
    under_t: np.ndarray, cfg: GlueConfig, last_start: int = 0,
) -> tuple[float, list[int]]:
    """Exact best chain at one width: breaks at any offsets, lines scored as in `best_chain`.

    Blocks of `width - window_before` offsets depend only on earlier blocks, so each block is
    one vectorised step. `under_t[q, k]`: the short-line penalty of a line ending at q that is
    `k - window_before` characters longer than `width` (the same for every width).
    """
    lo = max(width - cfg.window_before, cfg.min_line + 1)
    hi = width + cfg.window_after
    phantom = -cfg.phantom_penalty  # a break with no visible split, in split-score units
    size = len(lex)
    best = np.full(size, _NEG)
    back = np.full(size, -1, dtype=np.int64)
    for pos, v in starts:
        if v > best[pos]:
            best[pos] = v
    d = np.arange(lo, hi + 1, dtype=np.int64)
    line_over = np.maximum(d - width, 0) * cfg.over_penalty
    first = min(p for p, _ in starts) + lo
    # everything but `best` is known for all offsets at once: computed in one step each
    qa = np.arange(first, max(first, n), dtype=np.int64)
    pa = qa[:, None] - d[None, :]
    ok_a = pa >= 0
    pc_a = np.where(ok_a, pa, 0)  # the back pointer of a line that cannot start
    # gathers read the last slot for such a line: it is never written, so it stays _NEG
    pg_a = np.where(ok_a, pa, size - 1)
    skip = lo - (width - cfg.window_before)  # columns of `under_t` below `min_line`
    under_a = under_t[first:, skip:] if first < n else under_t[:0, skip:]
    local_a = np.maximum(lex[qa], phantom)
    rows = np.arange(lo)
    b = first
    while b < n:  # offsets b..e-1 are one contiguous block: slices, not gathers
        e = min(b + lo, n)
        sl = slice(b - first, e - first)
        cand = best[pg_a[sl]] - line_over[None, :] - under_a[sl]
        j = cand.argmax(axis=1)
        r = rows[: e - b]
        got = cand[r, j] + cfg.line_bonus + local_a[sl]
        old = best[b:e]
        improve = got > old
        np.copyto(old, got, where=improve)  # `old` is a view of `best[b:e]`
        np.copyto(back[b:e], pc_a[sl][r, j], where=improve)
        b = e
    return _chain_end(width, n, best, back, lex, which, cfg, last_start)


def _chain_end(
    width: int, n: int, best: np.ndarray, back: np.ndarray, lex: np.ndarray, which: np.ndarray,
    cfg: GlueConfig, last_start: int = 0,
) -> tuple[float, list[int]]:
    """The best last line of a solved width and the chain that leads to it (see `_viterbi`)."""
    hi = width + cfg.window_after
    phantom = -cfg.phantom_penalty
    # the last line: it must fit (a little over the width costs like any long line)
    tails = np.arange(max(0, n - hi), n)
    end = best[tails] - np.maximum(n - tails - width, 0) * cfg.over_penalty
    if last_start > 0:
        # a break inside the paragraph's last token leaves a last line of one fragment; when the
        # line before it could have held the whole token (no longer than the width), the
        # paragraph may as well end there: that break earns no line bonus (`Moi|net.`)
        prev = back[tails]
        optional = (tails > last_start) & (prev >= 0) & (n - prev <= width)
        end = end - np.where(optional, cfg.line_bonus, 0.0)
    k = int(end.argmax())
    total = float(end[k])
    if total <= _NEG / 2:
        return _NEG, []
    chain: list[int] = []
    q_ = int(tails[k])
    while q_ > 0:
        if lex[q_] >= phantom and which[q_] >= 0:
            chain.append(int(which[q_]))
        q_ = int(back[q_])
    return total, chain[::-1]
