# cython: language_level=3
"""The wrap model (`wrap.best_chain` from the candidates on) as C loops over C arrays: the
set-up (the candidates' scores per offset, `short`, the start rows), the window fill, the
greedy walk, the width ranking, the exact re-solve of the best widths and the chain trace.
Beside it, two smaller loops of the engine's in C: `index_tokens` (`GlueContext._index`) and
`Spelling` (the spelling model's trigram terms, `core._run_logps` and `CharModel.logp`), each
mirroring its Python the same way (same results, the Python the reference and the fallback).

Why: in `wrap.py` (compiled by mypyc) these loops box every offset and score into Python
objects, and the re-solve pays numpy's per-call overhead on arrays of a few hundred elements;
here they are plain loops over `double*` and `int*`. What: the SAME float64 operations, in the
same order, with the same tie-breaking (the first index of a maximum; the widths' order a
stable sort's, as `wrap.py`'s), so the results are bit for bit those of `wrap.py`, which stays the reference
and the fallback (`tests/test_glue_native.py` compares the two on many paragraphs).

Built by `build_glue.py` with the mypyc modules and keyed by the same digest
(`pipeline.glue.native`): a stale build never runs, and `NEWSCLEAN_GLUE=source` runs the pure
Python for the whole engine. Each loop below names the lines of `wrap.py` it mirrors.

Indexing: every array is indexed through raw C pointers (no bounds checks exist on them);
the ranges are argued where the index is formed, and `solve` checks its inputs (offsets
inside the arrays, table shapes) before any loop, returning None (the caller then runs the
Python) when they do not hold.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.string cimport memcmp, memcpy

cimport cython

import numpy as np

cdef double NEG = -1e9  # `wrap._NEG`


cdef struct Width:
    # one width re-solved (`wrap._Solved`): its line lengths are lo + k, k = 0 .. nk - 1, whose
    # penalties are row skip + k of the penalty table; offsets from `first` on were solved
    int width
    int lo
    int nk
    int skip
    int first
    double *best  # best[q]: the best score of a chain whose last line ends at q (q >= -pad)


cdef inline int line_start(Width *s, int q, int fresh, const double *init,
                           const unsigned char *short, const double *pens, int K) noexcept nogil:
    """`_Solved.line_start`: where the best line into `q` starts, or -1 (a start the program
    did not improve on, or an offset before the first solved). The first argmax over k of
    `best[q - lo - k] - pen_t[skip + k, q]`, as numpy's `argmax` of that column."""
    if q < s.first or (q < fresh and s.best[q] == init[q]):
        return -1
    cdef const double *prow = pens + <int>short[q] * K + s.skip
    # (q - lo - k >= first - lo - (nk - 1) >= -pad: the padding before `best`, all NEG)
    cdef double top = s.best[q - s.lo] - prow[0]
    cdef double v
    cdef int j = 0, k
    for k in range(1, s.nk):
        v = s.best[q - s.lo - k] - prow[k]
        if v > top:
            top = v
            j = k
    return q - s.lo - j


cdef double finish(Width *s, int n, int fresh, int last_start, const double *init,
                   const unsigned char *short, const double *pens, int K, int after,
                   double over, double bonus, double *end, int *end_at) noexcept nogil:
    """`_Solved.finish` (and `_may_lead`): the best last line; sets `end_at[0]`, returns the
    chain's score. `end` is scratch space of at least `n` doubles."""
    cdef int width = s.width
    cdef int t0 = n - width - after
    if t0 < 0:
        t0 = 0
    cdef int m = n - t0  # >= 1: n >= 1 (a paragraph with tokens)
    cdef int i, q, p, k
    cdef double lead, v, top
    cdef bint may
    # end: list[float] = self.best[t0:n].tolist(); the tails longer than the width pay `over`
    for i in range(m):
        end[i] = s.best[t0 + i]
    for i in range(n - t0 - width):
        end[i] = end[i] - <double>(n - t0 - i - width) * over
    cdef int q0 = t0 if t0 > last_start + 1 else last_start + 1
    if last_start > 0 and q0 < n:
        # `_may_lead(end, q0 - t0)`
        i = q0 - t0
        if i == 0:
            may = True
        else:
            lead = end[0]
            for k in range(1, i):
                if end[k] > lead:
                    lead = end[k]
            may = False
            for k in range(i, m):
                if end[k] >= lead:
                    may = True
                    break
        if may:
            # the breaks inside the last token that the line before could have held whole
            for q in range(q0, n):
                p = line_start(s, q, fresh, init, short, pens, K)
                if end[q - t0] > NEG / 2 and p >= 0 and n - p <= width:
                    end[q - t0] -= bonus
    # the first best tail, as numpy's argmax
    k = 0
    top = end[0]
    for i in range(1, m):
        v = end[i]
        if v > top:
            k = i
            top = v
    end_at[0] = t0 + k
    return top


cdef extern from *:
    """
    /* The re-solve's element-wise loops, each written once (a macro) and compiled twice: for
       the baseline x86-64 (SSE2, two lanes) and, where the processor has it, AVX2 (four
       lanes), picked once at import (`wrapc_pick`). Each lane of each vector instruction is
       the scalar operation on its element (`subpd` and `vsubpd` round each difference as
       `subsd` does; `maxpd` and `vmaxpd` are `v > a ? v : a` lane by lane, NaN and equal
       operands included), and no fused multiply-add is formed (`-ffp-contract=off`; there is
       no product), so both give the same bits; `set_simd` lets the tests run both.
       Written in C (not Cython) to give the compiler `restrict` and functions of their own:
       inlined into `solve`, GCC left the loops scalar. */

    /* acc[i] = max over k < nk of (src0[i - k] - pen(skip + k, i)) for i < m, k = 0, 1, ...
       and the first of equal values kept (`v > a ? v : a`): the maximum over the line lengths
       of a block of m offsets, a row k at a time (as numpy's maximum over the outer axis), all
       rows in one call. Row r of the penalties is `pen_tb + r * n` (n: the rows' stride; `pen_t` from the block's
       first offset on), or the constant cval[r] where cst[r] (a column of the table equal in
       every row, bit for bit: then pen_t's row would hold that very double everywhere, and it
       is not written). */
    #define WRAPC_MAX_ROWS_FROM(NAME, ATTR) \
    static inline __attribute__((always_inline ATTR)) void NAME(double *restrict acc, \
            const double *restrict src0, const double *restrict pen_tb, const unsigned char *restrict cst, \
            const double *restrict cval, int n, int skip, int nk, int m, int i0) { \
        for (int k = 0; k < nk; k++) { \
            const double *restrict src = src0 - k; \
            int r = skip + k; \
            if (cst[r]) { \
                double c = cval[r]; \
                if (k == 0) { \
                    for (int i = i0; i < m; i++) \
                        acc[i] = src[i] - c; \
                } else { \
                    for (int i = i0; i < m; i++) { \
                        double v = src[i] - c; \
                        double a = acc[i]; \
                        acc[i] = v > a ? v : a; \
                    } \
                } \
            } else { \
                const double *restrict pen = pen_tb + (size_t)r * n; \
                if (k == 0) { \
                    for (int i = i0; i < m; i++) \
                        acc[i] = src[i] - pen[i]; \
                } else { \
                    for (int i = i0; i < m; i++) { \
                        double v = src[i] - pen[i]; \
                        double a = acc[i]; \
                        acc[i] = v > a ? v : a; \
                    } \
                } \
            } \
        } \
    }
    #define WRAPC_MAX_ROWS(NAME, ATTR) \
    static __attribute__((noinline ATTR)) void NAME(double *restrict acc, const double *restrict src0, \
            const double *restrict pen_tb, const unsigned char *restrict cst, const double *restrict cval, \
            int n, int skip, int nk, int m) { \
        NAME##_from(acc, src0, pen_tb, cst, cval, n, skip, nk, m, 0); \
    }
    /* pen_t[k * stride + q] = pen[short[q] * K + k] for the rows k = ks[0 .. nks) (the columns
       of the table not constant: the others are read as constants), q0 <= q < n: the penalty
       table transposed (`wrap.py`'s `pen_t`), as copies of doubles, no arithmetic. Inside a
       token ending at e, `short[q]` is `min(e - q, before)`: from `e - before` on it falls by
       one per offset to 0 at e, and stays 0 over the whitespace up to the next token, so a
       token with the whitespace after it is one run of the column read backwards (`rev`, see
       `run_columns`): a copy of whole fours of doubles per run and row (`reg`: three ints each,
       the first offset, where in `rev`'s rows, how many fours; see `run_regions`), at least two
       fours (most runs: a token and its space, up to 8 characters), where the gather this
       replaces read `col[short[q]]` per offset and row (about 5.4 instructions a double).
       What a run's copies write past its end is written again after it: by a later run (in
       increasing order) or by the fills (`fills`, three ints each: [from, to) and 0 for
       `rev[0]`, the row of `before` (a token longer than `before` opens with it), or 1 for
       row 0's (a whitespace run longer than `rev`'s padding), written last); past n, into the
       row's padding (`stride >= n + 7`: a run starts before n). Its reads stay in `rev`'s row
       (`rs`: at least 7 past the values). */
    typedef double wrapc_v4 __attribute__((vector_size(32), aligned(8), may_alias));
    #define WRAPC_FILL_RUNS(NAME, ATTR) \
    static __attribute__((noinline ATTR)) void NAME(double *restrict pen_t, const double *restrict rev, \
                                                     const int *restrict ks, int nks, int rs, int stride, \
                                                     const int *restrict reg, int nreg, \
                                                     const int *restrict fills, int nfill) { \
        for (int g = 0; g < nreg; g++) { \
            const int *restrict r = reg + 3 * g; \
            double *restrict dst0 = pen_t + r[0]; \
            const double *restrict src = rev + r[1]; \
            int nch = r[2]; \
            if (nch <= 2) { \
                for (int j = 0; j < nks; j++, src += rs) { \
                    double *restrict dst = dst0 + (size_t)ks[j] * stride; \
                    *(wrapc_v4 *)dst = *(const wrapc_v4 *)src; \
                    *(wrapc_v4 *)(dst + 4) = *(const wrapc_v4 *)(src + 4); \
                } \
            } else { \
                for (int j = 0; j < nks; j++, src += rs) { \
                    double *restrict dst = dst0 + (size_t)ks[j] * stride; \
                    for (int t = 0; t < nch; t++) \
                        *(wrapc_v4 *)(dst + 4 * t) = *(const wrapc_v4 *)(src + 4 * t); \
                } \
            } \
        } \
        for (int g = 0; g < nfill; g++) { \
            const int *restrict f = fills + 3 * g; \
            for (int j = 0; j < nks; j++) { \
                double *restrict row = pen_t + (size_t)ks[j] * stride; \
                const double *restrict rv = rev + (size_t)j * rs; \
                double v = f[2] ? rv[rs - 1] : rv[0]; \
                for (int q = f[0]; q < f[1]; q++) \
                    row[q] = v; \
            } \
        } \
    }
    /* A block's scores from its maximum: got = (acc[i] + bonus) + max(lex[i], floor) (`l < floor
       ? floor : l`, as `maxpd(floor, l)` lane by lane), written as it is (`fresh`) or where it is
       above what best[i] holds (`got > b ? got : b`, as `maxpd(got, b)`): the same two additions
       in the same order as `wrap.py`'s `(... .max(axis=0) + line_bonus) + local_a`. */
    #define WRAPC_BLOCK_SCORES(NAME, ATTR) \
    static __attribute__((noinline ATTR)) void NAME(double *restrict best, const double *restrict acc, \
            const double *restrict lex, double bonus, double floor_l, int fresh, int m) { \
        if (fresh) { \
            for (int i = 0; i < m; i++) { \
                double l = lex[i]; \
                l = l < floor_l ? floor_l : l; \
                best[i] = (acc[i] + bonus) + l; \
            } \
        } else { \
            for (int i = 0; i < m; i++) { \
                double l = lex[i]; \
                l = l < floor_l ? floor_l : l; \
                double got = (acc[i] + bonus) + l; \
                double b = best[i]; \
                best[i] = got > b ? got : b; \
            } \
        } \
    }
    #define WRAPC_NOATTR
    WRAPC_MAX_ROWS_FROM(wrapc_max_rows_base_from, WRAPC_NOATTR)
    WRAPC_MAX_ROWS(wrapc_max_rows_base, WRAPC_NOATTR)
    WRAPC_BLOCK_SCORES(wrapc_block_scores_base, WRAPC_NOATTR)
    WRAPC_FILL_RUNS(wrapc_fill_runs_base, WRAPC_NOATTR)
    typedef void (*wrapc_rows_fn)(double *restrict, const double *restrict, const double *restrict,
                                  const unsigned char *restrict, const double *restrict, int, int, int, int);
    typedef void (*wrapc_fill_fn)(double *restrict, const double *restrict, const int *restrict, int, int, int,
                                  const int *restrict, int, const int *restrict, int);
    static wrapc_rows_fn wrapc_max_rows = wrapc_max_rows_base;
    typedef void (*wrapc_block_fn)(double *restrict, const double *restrict, const double *restrict,
                                   double, double, int, int);
    static wrapc_block_fn wrapc_block_scores = wrapc_block_scores_base;
    static wrapc_fill_fn wrapc_fill_runs = wrapc_fill_runs_base;
    #if defined(__x86_64__) && defined(__GNUC__)
    #define WRAPC_AVX2 , target("avx2")
    #include <immintrin.h>
    /* `wrapc_max_rows` for AVX2: sixteen offsets at a time over every row, their maxima held in
       four registers (where a row at a time over the block loaded and stored `acc` for each
       row and offset), the last fewer than sixteen alike with masked loads and stores (a lane
       past the block loads 0.0, is computed and never stored: nothing past the block is read
       or written). Each offset's differences are the same, compared in the same order (k = 0,
       1, ...): `_mm256_max_pd(v, a)` is `v > a ? v : a` lane by lane (the first operand where
       greater, else the second: NaN and equal operands included), as the loops above; the
       offsets do not depend on each other. */
    static inline __attribute__((always_inline, target("avx2"))) void wrapc_tile_avx2(
            double *restrict acc, const double *restrict src0, const double *restrict pen_tb,
            const unsigned char *restrict cst, const double *restrict cval, int n, int skip, int nk, int i0,
            int full, __m256i m0, __m256i m1, __m256i m2, __m256i m3) {
        /* (`full`, a constant where inlined: plain loads and stores, the masks unused) */
        #define WRAPC_LD(p, mk) (full ? _mm256_loadu_pd(p) : _mm256_maskload_pd((p), (mk)))
        __m256d t0, t1, t2, t3;
        /* row k's four differences, the constant's or the table row's (two loops: each
           difference reads its operands directly, no choice between them made per vector) */
        #define WRAPC_ROW(K_, V0, V1, V2, V3) \
            const double *sk = src0 + i0 - (K_); \
            int r = skip + (K_); \
            __m256d V0, V1, V2, V3; \
            if (cst[r]) { \
                __m256d c = _mm256_set1_pd(cval[r]); \
                V0 = _mm256_sub_pd(WRAPC_LD(sk, m0), c); \
                V1 = _mm256_sub_pd(WRAPC_LD(sk + 4, m1), c); \
                V2 = _mm256_sub_pd(WRAPC_LD(sk + 8, m2), c); \
                V3 = _mm256_sub_pd(WRAPC_LD(sk + 12, m3), c); \
            } else { \
                const double *pen = pen_tb + (size_t)r * n + i0; \
                V0 = _mm256_sub_pd(WRAPC_LD(sk, m0), WRAPC_LD(pen, m0)); \
                V1 = _mm256_sub_pd(WRAPC_LD(sk + 4, m1), WRAPC_LD(pen + 4, m1)); \
                V2 = _mm256_sub_pd(WRAPC_LD(sk + 8, m2), WRAPC_LD(pen + 8, m2)); \
                V3 = _mm256_sub_pd(WRAPC_LD(sk + 12, m3), WRAPC_LD(pen + 12, m3)); \
            }
        {
            WRAPC_ROW(0, v0, v1, v2, v3)
            t0 = v0;
            t1 = v1;
            t2 = v2;
            t3 = v3;
        }
        for (int k = 1; k < nk; k++) {
            WRAPC_ROW(k, v0, v1, v2, v3)
            t0 = _mm256_max_pd(v0, t0);
            t1 = _mm256_max_pd(v1, t1);
            t2 = _mm256_max_pd(v2, t2);
            t3 = _mm256_max_pd(v3, t3);
        }
        #undef WRAPC_ROW
        if (full) {
            _mm256_storeu_pd(acc + i0, t0);
            _mm256_storeu_pd(acc + i0 + 4, t1);
            _mm256_storeu_pd(acc + i0 + 8, t2);
            _mm256_storeu_pd(acc + i0 + 12, t3);
        } else {
            _mm256_maskstore_pd(acc + i0, m0, t0);
            _mm256_maskstore_pd(acc + i0 + 4, m1, t1);
            _mm256_maskstore_pd(acc + i0 + 8, m2, t2);
            _mm256_maskstore_pd(acc + i0 + 12, m3, t3);
        }
        #undef WRAPC_LD
    }
    static __attribute__((noinline, target("avx2"))) void wrapc_max_rows_avx2(
            double *restrict acc, const double *restrict src0, const double *restrict pen_tb,
            const unsigned char *restrict cst, const double *restrict cval, int n, int skip, int nk, int m) {
        const __m256i lanes = _mm256_setr_epi64x(0, 1, 2, 3);
        const __m256i all = _mm256_set1_epi64x(-1);
        int i0 = 0;
        for (; i0 + 16 <= m; i0 += 16)
            wrapc_tile_avx2(acc, src0, pen_tb, cst, cval, n, skip, nk, i0, 1, all, all, all, all);
        if (i0 < m) {
            long long left = m - i0;  /* 1 .. 15: lane l of vector j holds offset i0 + 4j + l */
            wrapc_tile_avx2(acc, src0, pen_tb, cst, cval, n, skip, nk, i0, 0,
                            _mm256_cmpgt_epi64(_mm256_set1_epi64x(left), lanes),
                            _mm256_cmpgt_epi64(_mm256_set1_epi64x(left - 4), lanes),
                            _mm256_cmpgt_epi64(_mm256_set1_epi64x(left - 8), lanes),
                            _mm256_cmpgt_epi64(_mm256_set1_epi64x(left - 12), lanes));
        }
    }
    WRAPC_BLOCK_SCORES(wrapc_block_scores_avx2, WRAPC_AVX2)
    WRAPC_FILL_RUNS(wrapc_fill_runs_avx2, WRAPC_AVX2)
    static int wrapc_has_avx2(void) {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
    }
    #else
    #define wrapc_max_rows_avx2 wrapc_max_rows_base
    #define wrapc_block_scores_avx2 wrapc_block_scores_base
    #define wrapc_fill_runs_avx2 wrapc_fill_runs_base
    static int wrapc_has_avx2(void) { return 0; }
    #endif
    /* the AVX2 loops when `on` and the processor has AVX2, else the baseline; returns which */
    static int wrapc_pick(int on) {
        int avx2 = on && wrapc_has_avx2();
        wrapc_max_rows = avx2 ? wrapc_max_rows_avx2 : wrapc_max_rows_base;
        wrapc_block_scores = avx2 ? wrapc_block_scores_avx2 : wrapc_block_scores_base;
        wrapc_fill_runs = avx2 ? wrapc_fill_runs_avx2 : wrapc_fill_runs_base;
        return avx2;
    }
    """
    void max_rows "wrapc_max_rows"(double *acc, const double *src0, const double *pen_tb,
                                   const unsigned char *cst, const double *cval, int n, int skip,
                                   int nk, int m) noexcept nogil
    void block_scores "wrapc_block_scores"(double *best, const double *acc, const double *lex, double bonus,
                                           double floor_l, int fresh, int m) noexcept nogil
    void fill_runs "wrapc_fill_runs"(double *pen_t, const double *rev, const int *ks, int nks, int rs, int stride,
                                     const int *reg, int nreg, const int *fills, int nfill) noexcept nogil
    int wrapc_pick(int on) noexcept nogil


cdef extern from *:
    """
    /* p[0 .. count) = v: a loop GCC vectorizes (Cython's `for j in range(...)` over a struct
       member's pointer was left scalar: about 3.5 instructions a double); copies, no arithmetic */
    static void wrapc_fill(double *restrict p, double v, int count) {
        for (int i = 0; i < count; i++)
            p[i] = v;
    }
    """
    void fill "wrapc_fill"(double *p, double v, int count) noexcept nogil


def set_simd(bint on):
    """Use the AVX2 loops (`on`, where the processor has AVX2: the default, set at import) or
    the baseline ones; returns whether the AVX2 ones now run. For the tests: the same bits."""
    return bool(wrapc_pick(on))


SIMD = set_simd(True)  # (whether the AVX2 loops run)


cdef int RUN_PAD = 8  # `fill_runs`: whitespace after a token copied with it (longer runs filled)

# `run_columns`' answer for the last penalty table `solve` was given: a function of the table
# alone (and of `window_before` and K, which its shape gives), the same bytes object for every
# paragraph of a configuration (`wrap._penalties`' cache), held here so its identity is not
# reused; per paragraph it cost about 6,000 instructions
cdef object _runs_of = None
cdef int _runs_before = -1
cdef int _runs_k = -1
cdef int _runs_nks = 0
cdef bytes _runs_rev = None
cdef bytes _runs_ks = None


cdef int run_columns(double *rev, int *ks, const double *pen, const unsigned char *cst, int K, int before,
                     int rs) noexcept nogil:
    """`fill_runs`' columns: for each column k of the penalty table not constant (`cst`), in
    order, `ks[j] = k` and `rev[j * rs + t] = pen[(before - t) * K + k]` for t <= before (the
    column read backwards: the row of a place t characters past `e - before` in a token ending
    at e), `pen[k]` (row 0: whitespace) for the `rs - before - 1` after; returns their count."""
    cdef int nks = 0, k, t
    cdef double *rv
    for k in range(K):
        if cst[k]:
            continue
        ks[nks] = k
        rv = rev + <size_t>nks * rs
        for t in range(before + 1):
            rv[t] = pen[(before - t) * K + k]
        for t in range(before + 1, rs):
            rv[t] = pen[k]
        nks += 1
    return nks


cdef int run_regions(int *reg, int *fills, int *nfill, const int *tok_s, const int *tok_e, int ntok, int n,
                     int q0, int before, int rsv) noexcept nogil:
    """`fill_runs`' runs and fills over [q0, n), from the offsets before the first token, then
    each token with the whitespace after it up to the next token (or n), [a, e) where not
    empty: `short[q]` there is `min(tok_e - q, before)` inside the token and 0 after it, which
    is `rev[t]` (`run_columns`) at `t = max(0, q - u)`, u = `tok_e - before`, while `t < rsv`
    (`rev`'s values: `before + 1` of the column, then row 0's). So `rev[0]` over [a, fe) (a
    token longer than `before`: a fill), `rev` from `c - u` on over [c, ce) (a run: its first
    offset, `c - u`, and its count of fours), row 0's value over [ce, e) (a whitespace run past
    `rev`'s values: a fill). Tokens in increasing order, not overlapping (`solve` checked), so
    the regions cover [q0, n) once each, in increasing order. Returns the number of runs (and
    the fills' in `nfill`)."""
    cdef int nreg = 0, i, s0, e0, nxt, a, u, fe, c, lim, ce
    cdef int *r
    nfill[0] = 0
    for i in range(-1, ntok):
        if i < 0:  # (before the first token: whitespace, as after an empty token at q0)
            s0 = q0
            e0 = q0
            nxt = tok_s[0]
        else:
            s0 = tok_s[i]
            e0 = tok_e[i]
            nxt = tok_s[i + 1] if i + 1 < ntok else n
        if nxt > n:
            nxt = n
        a = s0 if s0 > q0 else q0
        if a >= nxt:
            continue
        u = e0 - before
        fe = u if u < nxt else nxt
        if fe > a:
            r = fills + 3 * nfill[0]
            r[0] = a
            r[1] = fe
            r[2] = 0
            nfill[0] += 1
        c = a if a > u else u
        lim = u + rsv
        ce = nxt if nxt < lim else lim
        if ce > c:
            r = reg + 3 * nreg
            r[0] = c
            r[1] = c - u
            r[2] = (ce - c + 3) // 4
            nreg += 1
        else:
            ce = c if c < nxt else nxt  # (no run: the token runs past n, or q0 is past `rev`'s values)
        if nxt > ce:
            r = fills + 3 * nfill[0]
            r[0] = ce
            r[1] = nxt
            r[2] = 1
            nfill[0] += 1
    return nreg


cdef void resolve(Width *s, int n, int fresh, int block, const double *lex,
                  const double *pen_t, int stride, const unsigned char *cst, const double *cval, double *acc,
                  double bonus, double floor_l) noexcept nogil:
    """The dynamic program of `_viterbi` (and, for one width, of `_viterbi_many`): blocks of
    `block` offsets from `first`, each offset's best line into it,
    `max_k(best[q - lo - k] - pen_t[skip + k, q]) + line_bonus + max(lex[q], -phantom_penalty)`,
    written as it is (a block from `fresh` on) or where above the start's own score. An offset
    reads only offsets at least `lo >= block` before it, so before its block: the block's
    offsets are independent, and computed as numpy computes them, a row k at a time over the
    block (`pen_t[k, q]`, at `pen_t[k * stride + q]`: the penalty of a line `k - window_before`
    characters longer than its width ending at q, or `cval[k]` where `cst[k]`; `acc`: scratch
    of `block` doubles). For
    each offset the same numbers are compared in the same order (k = 0, 1, ...; the first of
    equal ones kept) and then the same two additions made as `wrap.py`'s
    `(... .max(axis=0) + line_bonus) + local_a`."""
    cdef int b = s.first, e, m
    cdef double *best = s.best
    while b < n:
        e = b + block
        if e > n:
            e = n
        m = e - b
        # (row k reads best[b - lo - k ..]: >= first - lo - (nk - 1) >= -pad, before b)
        max_rows(acc, best + (b - s.lo), pen_t + b, cst, cval, stride, s.skip, s.nk, m)
        # np.maximum(lex, -phantom_penalty); the same two additions, in the same order; written
        # as it is from `fresh` on, else np.copyto(old, got, where=got > old)
        block_scores(best + b, acc, lex + b, bonus, floor_l, b >= fresh, m)
        b = e


cdef int top_widths(const double *pw, int nw, int m, int *out) noexcept:
    """The widths' ranking of `wrap.py` (`np.argsort(-per_width, kind="stable")[:refine_widths]`,
    then those above _NEG / 2): the indices of the `m` highest of `pw[0 .. nw)`, highest first,
    equal scores in the order of their indices (a stable sort's order), those above NEG / 2
    alone, into `out`; their count, or -1 (the caller then asks numpy) when a score is NaN.
    Why exact: a stable sort of `-pw` puts the highest score first, of equal ones the lowest
    index, then the next, and so on; the insertion below keeps the `m` highest met so far in
    that order (a score goes after every one at least as high: those met before it have lower
    indices), and one equal to the last kept is not taken (its index is higher). -0.0 and 0.0
    are equal here as in numpy's comparison. `m` <= 128."""
    cdef double tv[130]
    cdef int ti[130]
    cdef int keep = m if m < nw else nw  # the m highest
    if keep <= 0:
        return 0
    cdef int c = 0, w, j, i
    cdef double x
    for w in range(nw):
        x = pw[w]
        if x != x:
            return -1
        if c < keep:
            j = c
            c += 1
        elif x > tv[keep - 1]:
            j = keep - 1
        else:
            continue
        while j > 0 and tv[j - 1] < x:  # (after every equal one: the stable order)
            tv[j] = tv[j - 1]
            ti[j] = ti[j - 1]
            j -= 1
        tv[j] = x
        ti[j] = w
    cdef int got = 0
    for i in range(m if m < nw else nw):
        if tv[i] <= NEG / 2:
            break  # (this one and every one after it are dropped)
        out[i] = ti[i]
        got += 1
    return got


cdef extern from *:
    """
    /* An attribute's getter, for reading the candidates' `pos`, `tok` and `lex` without the
       generic attribute look-up (`PyObject_GenericGetAttr`: the type's method cache, then the
       descriptor's `__get__`, about 150 instructions an attribute, three a candidate). When
       `tp` looks attributes up generically and `name` is a getset descriptor defined by `tp`
       itself (mypyc's native classes: an attribute is one), the generic look-up of `name` on
       an object of exactly type `tp` calls this very function with this closure (a getset
       descriptor is a data descriptor: it wins over an instance's dict; its type check passes
       for an object of type `tp`), so calling it gives the same object or the same error.
       NULL otherwise (a plain Python class, as the source engine's: the generic look-up). */
    typedef PyObject *(*wrapc_getter_fn)(PyObject *, void *);
    static wrapc_getter_fn wrapc_getter(PyTypeObject *tp, const char *name, void **closure) {
        if (tp->tp_getattro != PyObject_GenericGetAttr)
            return NULL;
        PyObject *key = PyUnicode_InternFromString(name);
        if (key == NULL) {
            PyErr_Clear();
            return NULL;
        }
        PyObject *d = _PyType_Lookup(tp, key);  /* (borrowed; no error set) */
        Py_DECREF(key);
        if (d == NULL || !Py_IS_TYPE(d, &PyGetSetDescr_Type) || PyDescr_TYPE(d) != tp)
            return NULL;
        PyGetSetDef *g = ((PyGetSetDescrObject *)d)->d_getset;
        if (g->get == NULL)
            return NULL;
        *closure = g->closure;
        return (wrapc_getter_fn)g->get;
    }
    static PyObject *wrapc_get_with(wrapc_getter_fn f, PyObject *obj, void *closure) {
        return f(obj, closure);
    }
    /* The three getters of the candidates' class (`pos`, `tok`, `lex`; see `wrapc_getter`),
       held for the last class asked, where each call of `solve` interned the three names and
       looked each up in the class (about 1,200 instructions a call). Held while the class is the
       same object (a reference kept, so its address is not reused) and its attributes unchanged:
       CPython gives a class a new `tp_version_tag` (or clears its valid flag) whenever its
       attributes change (`PyType_Modified`), and `_PyType_Lookup` above gives it a valid one.
       1: all three found (read them through the getters); 0: read them generically. */
    static PyTypeObject *wrapc_held_tp = NULL;
    static unsigned int wrapc_held_tag = 0;
    static int wrapc_held_direct = 0;
    static wrapc_getter_fn wrapc_held_fn[3];
    static void *wrapc_held_cl[3];
    static int wrapc_getters(PyTypeObject *tp, wrapc_getter_fn *fn, void **cl) {
        int i;
        if (tp != wrapc_held_tp || !PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG)
                || tp->tp_version_tag != wrapc_held_tag) {
            static const char *names[3] = {"pos", "tok", "lex"};
            int direct = 1;
            for (i = 0; i < 3; i++) {
                wrapc_held_cl[i] = NULL;
                wrapc_held_fn[i] = wrapc_getter(tp, names[i], &wrapc_held_cl[i]);
                if (wrapc_held_fn[i] == NULL)
                    direct = 0;
            }
            PyTypeObject *old = wrapc_held_tp;
            wrapc_held_tp = NULL;  /* (no valid tag: not held, asked again at the next call) */
            if (PyType_HasFeature(tp, Py_TPFLAGS_VALID_VERSION_TAG)) {
                Py_INCREF((PyObject *)tp);
                wrapc_held_tp = tp;
                wrapc_held_tag = tp->tp_version_tag;
            }
            Py_XDECREF((PyObject *)old);
            wrapc_held_direct = direct;
        }
        for (i = 0; i < 3; i++) {
            fn[i] = wrapc_held_fn[i];
            cl[i] = wrapc_held_cl[i];
        }
        return wrapc_held_direct;
    }
    /* `seq[i]` for 0 <= i: a list's item read directly (an exact list, i inside it: a new
       reference, as indexing gives), where Cython's generic `__Pyx_GetItemInt_Fast`, out of
       line, tested the type and the sign per item; any other object indexed generically. */
    static PyObject *wrapc_item(PyObject *seq, Py_ssize_t i) {
        if (PyList_CheckExact(seq) && i < PyList_GET_SIZE(seq)) {
            PyObject *item = PyList_GET_ITEM(seq, i);
            Py_INCREF(item);
            return item;
        }
        PyObject *key = PyLong_FromSsize_t(i);
        if (key == NULL)
            return NULL;
        PyObject *item = PyObject_GetItem(seq, key);
        Py_DECREF(key);
        return item;
    }
    """
    ctypedef struct PyTypeObject:
        pass
    ctypedef void *getter_fn "wrapc_getter_fn"
    bint getters "wrapc_getters"(PyTypeObject *tp, getter_fn *fn, void **cl)
    object item_at "wrapc_item"(object seq, Py_ssize_t i)
    object get_with "wrapc_get_with"(getter_fn f, object obj, void *closure)
    PyTypeObject *Py_TYPE(object obj)


# The configuration's numbers `solve` reads (`_hold_config`), held for the last configuration
# given (the object held, so its identity is not reused): each call read them as nineteen generic
# attribute look-ups and conversions (about 2,000 instructions a call). A configuration is frozen
# (`core.GlueConfig`), so the same object gives the same numbers.
cdef object _cfg_of = None
cdef int _c_before, _c_after, _c_min_w, _c_max_w, _c_min_line, _c_first_cands, _c_refine
cdef double _c_bonus, _c_phantom_pen, _c_phantom, _c_over_l, _c_margin, _c_floor_c, _c_visible
cdef double _c_first_bonus, _c_no_first
cdef bint _c_lowers


cdef int _hold_config(cfg) except -1:
    """Read `cfg`'s numbers as `solve` read them per call (the same attributes, conversions and
    expressions, in the same order: the same values, or the same error), and hold them with
    `cfg`. Before: each call read `cfg.window_before` ...; after: the first call for `cfg` does."""
    global _cfg_of, _c_before, _c_after, _c_min_w, _c_max_w, _c_min_line, _c_first_cands, _c_refine
    global _c_bonus, _c_phantom_pen, _c_phantom, _c_over_l, _c_margin, _c_floor_c, _c_visible
    global _c_first_bonus, _c_no_first, _c_lowers
    cdef int before = cfg.window_before
    cdef int after = cfg.window_after
    cdef int min_w = cfg.min_width
    cdef int max_w = cfg.max_width
    cdef int min_line = cfg.min_line
    cdef double bonus = cfg.line_bonus
    cdef double phantom_pen = cfg.phantom_penalty
    cdef double phantom = cfg.line_bonus - cfg.phantom_penalty
    cdef double over_l = cfg.over_penalty
    cdef double margin = cfg.prune_margin
    cdef double floor_c = cfg.chain_floor
    cdef double visible = cfg.visible_break
    cdef double first_bonus = cfg.first_word_bonus
    cdef double no_first = cfg.no_first_penalty
    cdef int first_cands = cfg.first_candidates
    cdef int refine = cfg.refine_widths
    cdef bint lowers = cfg.over_penalty >= 0 and cfg.line_bonus >= 0
    # (all read: only then held, so an error leaves the last configuration's numbers in place)
    _c_before, _c_after, _c_min_w, _c_max_w, _c_min_line = before, after, min_w, max_w, min_line
    _c_bonus, _c_phantom_pen, _c_phantom, _c_over_l, _c_margin = bonus, phantom_pen, phantom, over_l, margin
    _c_floor_c, _c_visible, _c_first_bonus, _c_no_first = floor_c, visible, first_bonus, no_first
    _c_first_cands, _c_refine, _c_lowers = first_cands, refine, lowers
    _cfg_of = cfg
    return 0


@cython.cdivision(True)  # C's `//` and `%`: every operand below is >= 0 and each divisor >= 1 (checked)
def solve(int n, tokens, cands, bytes pens_b, list lows, cfg, words=None):
    """`wrap.best_chain` after its first check (candidates and tokens given): (score, indices
    into the candidates), or None when the inputs are outside what the C arrays were argued for
    (the caller then runs the Python). `tokens`: the (start, end) offsets of the whitespace
    tokens, or with `words` given (`wrap.best_chain_at`) their starts alone, each token ending
    at its start plus the length of its word (no (start, end) tuple per token made for the
    kernel); `cands`: the split candidates (`core._Cand`: `pos`, `tok`, `lex` read once each);
    `pens_b`/`lows`: `wrap._penalties` (the table's float64 bytes, row by row)."""
    if cfg is not _cfg_of:  # (the configuration's numbers read once per configuration, see `_hold_config`)
        _hold_config(cfg)
    cdef int before = _c_before
    cdef int after = _c_after
    cdef int K = before + after + 1
    cdef int min_w = _c_min_w
    cdef int max_w = _c_max_w
    cdef int min_line = _c_min_line
    cdef int nw = max_w - min_w + 1
    cdef double bonus = _c_bonus
    cdef double phantom_pen = _c_phantom_pen
    cdef double phantom = _c_phantom
    cdef double over_l = _c_over_l
    cdef double margin = _c_margin
    cdef double floor_c = _c_floor_c
    cdef double visible = _c_visible
    cdef double first_bonus = _c_first_bonus
    cdef double no_first = _c_no_first
    cdef int first_cands = _c_first_cands
    cdef int refine = _c_refine
    cdef Py_ssize_t ntok = len(tokens)
    cdef Py_ssize_t ncand = len(cands)
    cdef int size = n + max_w + after + 2  # `wrap.py`'s `size`: the paragraph and its padding
    cdef int nb = size - K + 1
    cdef int nrow = len(lows)
    cdef bint lowers = _c_lowers
    # the checks the index arguments below rest on (`best_chain` gives all of them; `before`
    # up to 255 is also where `wrap._short_bytes` gives bytes, the Python's condition for the kernel)
    if words is not None and len(words) != ntok:
        return None
    if (n < 1 or ntok < 1 or ncand < 1 or ntok > 1 << 28 or ncand > 1 << 28
            or nrow != before + 1 or len(pens_b) != <Py_ssize_t>nrow * K * sizeof(double) or before < 0
            or before > 255 or after < 0 or min_w < before or min_w < 1 or nw < 1 or first_cands < 0 or refine < 0):
        return None
    cdef int i, j, k, q, r, b, o, line, pos, row_i, tok, s0, e0, prev
    cdef double lx, best_v
    cdef int pad = K + max_w  # before each re-solved width's scores: K + (lo_max - lo_min) at most
    cdef int rowlen = pad + size
    # the start rows are at most `first_candidates` places inside the first token and offset 0
    cdef int rows_cap = ((first_cands if first_cands < size else size) + 1) * nw
    # `pen_t`'s rows padded by 8 (`stride`); `fill_runs`' `rev`: K rows of `rs` doubles (held, see `_runs_of`)
    cdef int stride = n + 8
    cdef int rsv = before + 1 + RUN_PAD  # `rev`'s values: the column backwards, then `RUN_PAD` of row 0's
    cdef int rs = rsv + 8  # (two fours from inside the values read at most 7 past them)
    cdef size_t ndoubles = (<size_t>size * 4 + <size_t>K * stride + <size_t>nb + <size_t>nrow * K + <size_t>rows_cap * 2
                            + <size_t>nw + 1 + <size_t>ncand + <size_t>ntok + <size_t>size * 2 + 2 + <size_t>K)
    cdef size_t nints = (<size_t>size + <size_t>nb + <size_t>nrow + <size_t>rows_cap * 5
                         + <size_t>ncand * 2 + <size_t>ntok * 3 + <size_t>size * 2 + 2 + <size_t>9 * (ntok + 1))
    cdef double *dmem = <double *>PyMem_Malloc(ndoubles * sizeof(double))
    cdef int *imem = <int *>PyMem_Malloc(nints * sizeof(int))
    cdef unsigned char *cmem = <unsigned char *>PyMem_Malloc(<size_t>size * 2 + <size_t>K + 1)
    if dmem == NULL or imem == NULL or cmem == NULL:
        PyMem_Free(dmem)
        PyMem_Free(imem)
        PyMem_Free(cmem)
        raise MemoryError()
    cdef unsigned char *short = cmem  # `wrap.py`'s `short`: min(characters to the token's end, before)
    cdef unsigned char *seen_at = cmem + size  # a first-token offset already listed (`first`)
    cdef unsigned char *cst = seen_at + size  # cst[k]: column k of the table the same in every row
    cdef double *lex = dmem  # lex[q]: lex_d.get(q, _NEG)
    cdef double *init = lex + size  # each start's own score (`init`), _NEG elsewhere
    cdef double *end = init + size  # `finish`'s tails
    cdef double *acc = end + size  # `resolve`'s scratch (a block is shorter than `size`)
    cdef double *pen_t = acc + size  # pen_t[k * stride + q] = pens[short[q]][k], q < n (`wrap.py`'s `pen_t`)
    cdef double *win_b = pen_t + <Py_ssize_t>K * stride
    cdef double *pen = win_b + nb  # pens[row][k] at pen[row * K + k]
    cdef double *scores = pen + nrow * K
    cdef double *final = scores + rows_cap
    cdef double *per_width = final + rows_cap
    cdef double *clex = per_width + nw + 1  # each candidate's `lex`
    cdef double *tok_top = clex + ncand  # each token's best `lex` (`top`), where `has_top`
    cdef double *fval = tok_top + ntok  # the first token's places' scores (`first`), in order
    cdef double *bufs = NULL  # the re-solved widths' scores, `rowlen` each (made once they are known)
    cdef int *which = imem  # which_d.get(q), -2 where no offset is held
    cdef int *win_q = which + size
    cdef int *low = win_q + nb
    cdef int *ps = low + nrow
    cdef int *mark = ps + rows_cap
    cdef int *gone = mark + rows_cap
    cdef int *alive = gone + rows_cap
    cdef int *kept = alive + rows_cap
    cdef int *cpos = kept + rows_cap  # each candidate's `pos`
    cdef int *ctok = cpos + ncand  # each candidate's `tok`
    cdef int *tok_s = ctok + ncand  # each token's start
    cdef int *tok_e = tok_s + ntok  # each token's end
    cdef int *has_top = tok_e + ntok
    cdef int *fpos = has_top + ntok  # the first token's places (`first`'s keys), in order
    cdef int *spos = fpos + size  # the start rows' offsets (`starts`), then their scores in `sval`
    cdef double *sval = fval + size
    cdef double *cval = sval + size + 2  # cval[k]: that value, where cst[k]
    cdef int *reg = spos + size + 2  # `fill_runs`' runs, three ints each (at most one per token, and one before)
    cdef int *fills = reg + 3 * (ntok + 1)  # and its fills (at most two per token, and one before)
    cdef int nreg, nfill
    global _runs_of, _runs_before, _runs_k, _runs_nks, _runs_rev, _runs_ks
    cdef int nalive, nkept, pr, wr, remaining, base, jr, bq, over, k_low, k0, k1, mid, w
    cdef int min_start, max_start, fresh, lo_min, nchosen, block, end_q, best_w, best_end = 0
    cdef int nstarts, rows, nfirst, t0s, t0e, last_start, min_chosen
    cdef double v, v0, sr, bs, lead, floor_s, end_score, total, best_total, top
    cdef const double *prow
    cdef double *neg
    cdef getter_fn gfn[3]  # `pos`, `tok`, `lex`'s getters (`getters`)
    cdef void *gcl[3]
    cdef PyTypeObject *ctype
    cdef bint direct
    cdef Py_ssize_t wlen
    cdef bint check_short, dropped, seen, many
    cdef Width widths[128]
    cdef int chosen[128]
    cdef Width *s
    try:
        # --- the tokens (`_short_bytes`' conditions: in increasing order, no overlap, inside
        # `size`) and `short` ---
        prev = 0
        for i in range(size):
            short[i] = 0
            seen_at[i] = 0
        for i in range(ntok):
            # (`item_at(seq, i)`: `seq[i]`, a list's item read directly)
            if words is None:
                item = item_at(tokens, i)
                s0 = item[0]
                e0 = item[1]
            else:
                s0 = item_at(tokens, i)
                wlen = len(item_at(words, i))
                if wlen > size or s0 > size:  # (None below anyway; the sum stays an int)
                    return None
                e0 = s0 + <int>wlen
            if s0 < prev or e0 < s0 or e0 > size:
                return None
            tok_s[i] = s0
            tok_e[i] = e0
            has_top[i] = 0
            for q in range(s0, e0):
                short[q] = <unsigned char>(e0 - q if e0 - q < before else before)
            prev = e0
        last_start = tok_s[ntok - 1]
        # --- the candidates' scores (`lex_d`, `which_d`): `top`, then each candidate's value ---
        # (each attribute through its getter when the candidates' class has one: see `getter`;
        # the class's getters held from call to call, see `getters`)
        c = item_at(cands, 0)
        ctype = Py_TYPE(c)
        direct = getters(ctype, gfn, gcl)
        for i in range(ncand):
            c = item_at(cands, i)
            if direct and Py_TYPE(c) == ctype:
                pos = get_with(gfn[0], c, gcl[0])
                tok = get_with(gfn[1], c, gcl[1])
                lx = get_with(gfn[2], c, gcl[2])
            else:
                pos = c.pos
                tok = c.tok
                lx = c.lex
            if pos < 0 or pos >= size or tok < 0 or tok >= ntok:
                return None
            cpos[i] = pos
            ctok[i] = tok
            clex[i] = lx
            # `t is None or c.lex > t`: the first of equal scores kept
            if not has_top[tok] or lx > tok_top[tok]:
                tok_top[tok] = lx
                has_top[tok] = 1
        for i in range(size):
            lex[i] = NEG
            which[i] = -2
            init[i] = NEG
        for i in range(ncand):
            best_v = tok_top[ctok[i]]
            lx = clex[i]
            # (the same operations as `wrap.py`'s, in the same order)
            v = (best_v if best_v >= floor_c else floor_c + 0.05 * (best_v - floor_c)) + (lx - best_v)
            pos = cpos[i]
            if v > lex[pos]:  # (`lex_d.get(c.pos, _NEG)`: NEG where not held)
                lex[pos] = v
                which[pos] = i
        # a run of spaces: a free line end (s2 - 1 >= e1 + 1 >= 1 and < s2 <= size)
        for i in range(1, ntok):
            if tok_s[i] - tok_e[i - 1] >= 2 and lex[tok_s[i] - 1] < visible:
                lex[tok_s[i] - 1] = visible
                which[tok_s[i] - 1] = -1
        # --- the start rows: the first token's places by score (a stable sort, as `sorted`'s
        # by `-score`), the first `first_candidates`, then offset 0 ---
        t0s = tok_s[0]
        t0e = tok_e[0]
        nfirst = 0
        for i in range(ncand):
            pos = cpos[i]
            if t0s < pos < t0e and not seen_at[pos]:
                seen_at[pos] = 1
                v = lex[pos] + first_bonus
                if v != v:  # (NaN: `sorted`'s order is then its own)
                    return None
                # insertion after every score at least as high: stable, highest first
                j = nfirst
                while j > 0 and fval[j - 1] < v:
                    fval[j] = fval[j - 1]
                    fpos[j] = fpos[j - 1]
                    j -= 1
                fval[j] = v
                fpos[j] = pos
                nfirst += 1
        nstarts = nfirst if nfirst < first_cands else first_cands
        for i in range(nstarts):
            spos[i] = fpos[i]
            sval[i] = fval[i]
        spos[nstarts] = 0
        sval[nstarts] = -no_first
        nstarts += 1
        for i in range(nstarts):
            if spos[i] >= n:  # (a start at or past the end: the Python's)
                return None
        rows = nstarts * nw
        if rows > rows_cap:
            return None
        for row_i in range(nrow):
            low[row_i] = lows[row_i]
        memcpy(pen, <const char *>pens_b, nrow * K * sizeof(double))  # (copied: aligned)
        # the columns equal in every row, bit for bit (with the default penalties, a line longer
        # than its width: no short-line penalty): the re-solve reads them as constants
        for k in range(K):
            cval[k] = pen[k]
            cst[k] = 1
            for row_i in range(1, nrow):
                if memcmp(&pen[row_i * K + k], &pen[k], sizeof(double)) != 0:
                    cst[k] = 0
                    break
        for i in range(nstarts):
            pos = spos[i]
            v = sval[i]
            for j in range(nw):
                ps[i * nw + j] = pos
                scores[i * nw + j] = v
            if v > init[pos]:  # `init`: the best of a start's entries
                init[pos] = v

        # --- the windows (`win_b`, `win_q`): `for q in sorted(lex_d): ...` ---
        for b in range(nb):
            win_b[b] = 0.0
            win_q[b] = -1
        for q in range(size):  # (the held offsets, in increasing order)
            if which[q] == -2:
                continue
            v0 = lex[q] + bonus
            if v0 < phantom:
                continue
            row_i = short[q]
            prow = pen + row_i * K
            k_low = low[row_i]
            k0 = 0
            if k_low >= 0:
                if v0 - prow[k_low] < phantom:
                    continue
                k1 = k_low
                while k0 < k1:
                    mid = (k0 + k1) // 2
                    if v0 - prow[mid] >= phantom:
                        k1 = mid
                    else:
                        k0 = mid + 1
            seen = False
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

        # --- the greedy walk: `for line in range(max_lines): ...` ---
        check_short = min_w - before <= min_line
        for r in range(rows):
            final[r] = NEG
            mark[r] = -1
            gone[r] = 0
            alive[r] = r
        nalive = rows
        for line in range(n // min_w + 3):
            if nalive == 0:
                break
            floor_s = NEG
            if line >= 2:
                lead = scores[alive[0]]
                for i in range(nalive):
                    if scores[alive[i]] > lead:
                        lead = scores[alive[i]]
                floor_s = lead - margin
            nkept = 0
            dropped = False
            for i in range(nalive):
                r = alive[i]
                sr = scores[r]
                if line >= 2 and sr < floor_s:
                    continue
                pr = ps[r]
                wr = min_w + r % nw
                remaining = n - pr
                # the window q = base .. base + K - 1 is inside [0, size) (0 <= pr < n, see wrap.py)
                base = pr + wr - before
                if check_short:
                    jr = 0
                    bs = NEG
                    for k in range(K):
                        q = base + k
                        if wr + (k - before) > min_line:
                            v = (lex[q] + bonus) - pen[<int>short[q] * K + k]
                        else:
                            v = NEG
                        if v > bs or k == 0:
                            jr = k
                            bs = v
                    bq = base + jr
                    if bs < phantom:
                        bs = phantom
                        bq = pr + wr
                else:
                    bq = win_q[base]  # (base <= n - 1 + max_w - before < nb)
                    if bq < 0:
                        bs = phantom
                        bq = pr + wr
                    else:
                        bs = win_b[base]
                if remaining <= wr + after:
                    over = remaining - wr
                    end_score = <double>(-(over if over > 0 else 0)) * over_l
                    if end_score >= bs or remaining <= wr:
                        final[r] = sr + end_score
                        continue
                v = sr + bs
                o = r - nw
                while o >= 0:
                    if mark[o] == line and ps[o] == bq:
                        break
                    o -= nw
                if o >= 0:
                    if v > scores[o]:
                        gone[o] = 1
                        mark[o] = -1
                        dropped = True
                    else:
                        continue
                ps[r] = bq
                scores[r] = v
                mark[r] = line
                kept[nkept] = r
                nkept += 1
            nalive = 0
            for i in range(nkept):
                if not dropped or not gone[kept[i]]:
                    alive[nalive] = kept[i]
                    nalive += 1

        # --- the widths ranked: `per_width`, a stable sort's order ---
        for w in range(nw):
            per_width[w] = final[w]
        for r in range(nw, rows):
            if final[r] > per_width[r % nw]:
                per_width[r % nw] = final[r]
        nchosen = top_widths(per_width, nw, refine, chosen) if refine <= 128 else -1
        if nchosen < 0:
            # (NaN, or `refine_widths` above 128: numpy's stable argsort, as `wrap.py`'s; of
            # `-per_width` made here, each element negated as numpy's `-` negates it, and read by
            # numpy from bytes: an array from a list costs a conversion per element)
            neg_b = PyBytes_FromStringAndSize(NULL, nw * sizeof(double))
            neg = <double *>PyBytes_AS_STRING(neg_b)
            for w in range(nw):
                neg[w] = -per_width[w]
            order = np.frombuffer(neg_b, dtype=np.float64).argsort(kind="stable")[: cfg.refine_widths].tolist()
            got_w = [wi for wi in order if per_width[<int>wi] > NEG / 2]
            if len(got_w) > 128:  # (`refine_widths` far above its default: the Python runs)
                return None
            nchosen = len(got_w)
            for i in range(nchosen):
                chosen[i] = got_w[i]
        if nchosen == 0:
            return NEG, []
        for i in range(nchosen):
            chosen[i] += min_w  # (indices into `per_width` until here)
        bufs = <double *>PyMem_Malloc(<size_t>nchosen * rowlen * sizeof(double))
        if bufs == NULL:
            raise MemoryError()

        # --- the re-solve: `_viterbi_many` (all widths' lines clipped alike) or `_viterbi` ---
        min_start = n
        max_start = 0
        for i in range(nstarts):
            pos = spos[i]
            if pos < min_start:
                min_start = pos
            if pos > max_start:
                max_start = pos
        fresh = max_start + 1
        min_chosen = chosen[0]
        for i in range(1, nchosen):
            if chosen[i] < min_chosen:
                min_chosen = chosen[i]
        many = min_chosen - before > min_line
        lo_min = min_chosen - before
        for i in range(nchosen):
            s = &widths[i]
            s.width = chosen[i]
            if many:
                s.lo = s.width - before
                s.nk = K
                s.skip = 0
                s.first = min_start + lo_min  # the first offset of the shortest width
            else:
                s.lo = s.width - before
                if s.lo < min_line + 1:
                    s.lo = min_line + 1
                s.nk = s.width + after - s.lo + 1
                s.skip = s.lo - (s.width - before)
                s.first = min_start + s.lo
            # (reads reach q - lo - (nk - 1) >= first - lo - K + 1 >= -(K + lo_max - lo_min) >= -pad)
            s.best = bufs + i * rowlen + pad
            # _NEG up to n (the offsets from n on are never read; a block that starts before
            # `fresh` compares every offset of it, even those from `fresh` on, with what it holds)
            fill(s.best - pad, NEG, pad + n)
            for j in range(nstarts):
                s.best[spos[j]] = init[spos[j]]
        # the penalty table transposed (a row per line length), as `wrap.py`'s `pen_t`, over
        # the offsets the program solves (from the first width's first on)
        j = widths[0].first
        for i in range(1, nchosen):
            if widths[i].first < j:
                j = widths[i].first
        if j < n:
            if pens_b is not _runs_of or before != _runs_before or K != _runs_k:
                rev_b = PyBytes_FromStringAndSize(NULL, <Py_ssize_t>K * rs * sizeof(double))
                ks_b = PyBytes_FromStringAndSize(NULL, <Py_ssize_t>K * sizeof(int))
                _runs_nks = run_columns(<double *>PyBytes_AS_STRING(rev_b), <int *>PyBytes_AS_STRING(ks_b), pen, cst,
                                        K, before, rs)
                _runs_rev = rev_b
                _runs_ks = ks_b
                _runs_of = pens_b
                _runs_before = before
                _runs_k = K
            nreg = run_regions(reg, fills, &nfill, tok_s, tok_e, <int>ntok, n, j, before, rsv)
            fill_runs(pen_t, <const double *>PyBytes_AS_STRING(_runs_rev), <const int *>PyBytes_AS_STRING(_runs_ks),
                      _runs_nks, rs, stride, reg, nreg, fills, nfill)
        best_total = NEG
        best_w = -1
        lead = NEG
        for i in range(nchosen):
            s = &widths[i]
            block = lo_min if many else s.lo
            resolve(s, n, fresh, block, lex, pen_t, stride, cst, cval, acc, bonus, -phantom_pen)
            if many and lowers and lead > NEG / 2:
                # `_viterbi_many`: a width none of whose tails is above `lead` is not finished
                j = s.width
                b = n - j - after
                if b < 0:
                    b = 0
                top = s.best[b]
                for q in range(b + 1, n):
                    if s.best[q] > top:
                        top = s.best[q]
                if top <= lead:
                    continue
            total = finish(s, n, fresh, last_start, init, short, pen, K, after,
                           over_l, bonus, end, &end_q)
            if total <= NEG / 2:
                continue
            if many and total > lead:
                lead = total
            if total > best_total:
                best_total = total
                best_w = i
                best_end = end_q
        if best_w < 0:
            return NEG, []
        # --- the chain traced back for the winning width (`_Solved.chain`) ---
        s = &widths[best_w]
        chain = []
        q = best_end
        while q > 0:
            if lex[q] >= -phantom_pen and which[q] >= 0:
                chain.append(which[q])
            q = line_start(s, q, fresh, init, short, pen, K)
        chain.reverse()
        return best_total, chain
    finally:
        PyMem_Free(bufs)
        PyMem_Free(dmem)
        PyMem_Free(imem)
        PyMem_Free(cmem)


def top_widths_of(list pw, int m):
    """`top_widths` on a list (for the tests, which compare it with numpy's `argsort`): the
    indices, or None where it leaves the ranking to numpy. `m` <= 128."""
    cdef int nw = len(pw)
    if nw < 1 or nw > 100000 or m < 0 or m > 128:
        raise ValueError("top_widths_of: 1 <= len(pw) <= 100000 and 0 <= m <= 128")
    cdef double *buf = <double *>PyMem_Malloc(nw * sizeof(double))
    cdef int out[128]
    cdef int i, got
    if buf == NULL:
        raise MemoryError()
    try:
        for i in range(nw):
            buf[i] = pw[i]
        got = top_widths(buf, nw, m, out)
        return None if got < 0 else [out[i] for i in range(got)]
    finally:
        PyMem_Free(buf)


def pen_t_of(int n, list spans, int q0, bytes pens_b, int before, int after):
    """`solve`'s transposed penalty table, as `fill_runs` writes it (for the tests, which compare
    it with `pens[short[q]][k]`): {k: [pen_t[k][q] for q0 <= q < n]} for the columns k of the
    table (`pens_b`: `wrap._penalties`' bytes, `before + 1` rows of `before + after + 1`) not
    constant. `spans`: the tokens' (start, end), in increasing order, not overlapping, inside
    `n + before`. (The loops `set_simd` picked.)"""
    cdef int K = before + after + 1
    cdef int nrow = before + 1
    cdef int ntok = len(spans)
    if (before < 0 or before > 255 or after < 0 or n < 1 or ntok < 1 or q0 < 0 or q0 >= n
            or len(pens_b) != <Py_ssize_t>nrow * K * sizeof(double)):
        raise ValueError("pen_t_of: bad arguments")
    cdef int stride = n + 8
    cdef int rsv = before + 1 + RUN_PAD
    cdef int rs = rsv + 8
    cdef double *pen = <double *>PyMem_Malloc(<size_t>nrow * K * sizeof(double))
    cdef double *pen_t = <double *>PyMem_Malloc(<size_t>K * stride * sizeof(double))
    cdef double *rev = <double *>PyMem_Malloc(<size_t>K * rs * sizeof(double))
    cdef int *tok_s = <int *>PyMem_Malloc(<size_t>ntok * 2 * sizeof(int))
    cdef int *ks = <int *>PyMem_Malloc(<size_t>(K + 9 * (ntok + 1)) * sizeof(int))
    cdef unsigned char *cst = <unsigned char *>PyMem_Malloc(<size_t>K + 1)
    cdef int *tok_e
    cdef int i, k, row_i, prev = 0, nks, nreg, nfill
    try:
        if pen == NULL or pen_t == NULL or rev == NULL or tok_s == NULL or ks == NULL or cst == NULL:
            raise MemoryError()
        tok_e = tok_s + ntok
        for i in range(ntok):
            tok_s[i] = spans[i][0]
            tok_e[i] = spans[i][1]
            if tok_s[i] < prev or tok_e[i] < tok_s[i] or tok_e[i] > n + before:
                raise ValueError("pen_t_of: tokens out of order, overlapping or too long")
            prev = tok_e[i]
        memcpy(pen, <const char *>pens_b, nrow * K * sizeof(double))
        for k in range(K):  # (as `solve`)
            cst[k] = 1
            for row_i in range(1, nrow):
                if memcmp(&pen[row_i * K + k], &pen[k], sizeof(double)) != 0:
                    cst[k] = 0
                    break
        for i in range(K * stride):
            pen_t[i] = NEG
        nks = run_columns(rev, ks, pen, cst, K, before, rs)
        nreg = run_regions(ks + K, ks + K + 3 * (ntok + 1), &nfill, tok_s, tok_e, ntok, n, q0, before, rsv)
        fill_runs(pen_t, rev, ks, nks, rs, stride, ks + K, nreg, ks + K + 3 * (ntok + 1), nfill)
        return {ks[i]: [pen_t[<size_t>ks[i] * stride + q] for q in range(q0, n)] for i in range(nks)}
    finally:
        PyMem_Free(pen)
        PyMem_Free(pen_t)
        PyMem_Free(rev)
        PyMem_Free(tok_s)
        PyMem_Free(ks)
        PyMem_Free(cst)


def max_rows_of(list src, list pen_rows, list cst_of, int skip, int nk, int m, int pad):
    """`max_rows` on lists, with the loops `set_simd` picked (for the tests, which compare the
    AVX2 loops with the baseline ones and with Python): `acc[i] = max over k < nk of
    (src[pad + i - k] - pen(skip + k, i))`, the first of equal values kept, for i < m, where
    pen(r, i) is `pen_rows[r][i]`, or `cst_of[r]` where that is not None (a constant row).
    `pad >= nk - 1` values of `src` before the block."""
    cdef int nrow = len(pen_rows)
    if (m < 1 or nk < 1 or skip < 0 or skip + nk > nrow or len(cst_of) != nrow or pad < nk - 1
            or len(src) < pad + m or any(len(row) < m for row in pen_rows)):
        raise ValueError("max_rows_of: bad arguments")
    cdef double *s = <double *>PyMem_Malloc(<size_t>(pad + m) * sizeof(double))
    cdef double *p = <double *>PyMem_Malloc(<size_t>nrow * m * sizeof(double))
    cdef double *cv = <double *>PyMem_Malloc(<size_t>nrow * sizeof(double))
    cdef double *acc = <double *>PyMem_Malloc(<size_t>m * sizeof(double))
    cdef unsigned char *cs = <unsigned char *>PyMem_Malloc(<size_t>nrow)
    cdef int i, r
    try:
        if s == NULL or p == NULL or cv == NULL or acc == NULL or cs == NULL:
            raise MemoryError()
        for i in range(pad + m):
            s[i] = src[i]
        for r in range(nrow):
            cs[r] = cst_of[r] is not None
            cv[r] = cst_of[r] if cs[r] else 0.0
            for i in range(m):
                p[r * m + i] = pen_rows[r][i]
        max_rows(acc, s + pad, p, cs, cv, m, skip, nk, m)
        return [acc[i] for i in range(m)]
    finally:
        PyMem_Free(s)
        PyMem_Free(p)
        PyMem_Free(cv)
        PyMem_Free(acc)
        PyMem_Free(cs)


# ---------------------------------------------------------------------------------------------
# The document context's index of its texts' tokens (`core.GlueContext._index`), as a C loop.

from cpython.object cimport PyObject

cdef extern from "Python.h":
    # (a borrowed reference: the value now stored under `key`)
    PyObject *PyDict_SetDefault(object mp, object key, object defaultobj) except NULL
    Py_ssize_t PyDict_GET_SIZE(object mp)
    Py_ssize_t PyUnicode_GET_LENGTH(object s)
    Py_UCS4 PyUnicode_READ_CHAR(object s, Py_ssize_t i)
    Py_ssize_t PyUnicode_FindChar(object s, Py_UCS4 ch, Py_ssize_t start, Py_ssize_t end,
                                  int direction) except -2


cdef inline bint _ascii_alnum(Py_UCS4 c) noexcept nogil:
    """`core._ascii_alnum`: an ASCII letter or digit."""
    return (97 <= c <= 122) or (65 <= c <= 90) or (48 <= c <= 57)


@cython.boundscheck(False)
@cython.wraparound(False)
def index_tokens(texts, tokens, str opening, str closing):
    """`GlueContext._index`'s table, built by the same steps in the same order (so the same
    dict, its keys in the same order, the same values and lists): each token's core (not "")
    -> the core of the token after it in the same text when the two make a pair, else ""; a
    str for a core met once, a list of them for a core met twice or more. `texts`: the
    context's texts; `tokens`: `[text.split() for text in texts]` given, or None (each text
    split here). `opening`, `closing`: `core._OPENING`, `core._CLOSING`.

    Why: the Python loop (compiled by mypyc) costs about 700 instructions a token, of which
    the dict's own work (the hash, the look-up and the insertion) is about 270: here the rest
    is C (each end read as a code point, no boxed size, `PyDict_SetDefault` called directly).
    None (the caller then runs the Python, which raises what it raises): a token that is no
    exact str or is empty, a text's tokens that are no list, fewer token lists than texts.

    Before: texts `Mai Tien Dung reçoit`, `Mai Tien, dit`; after: `Mai` -> [`Tien`, `Tien`],
    `Tien` -> [`Dung`, ""], `Dung` -> `reçoit`, `reçoit` -> "", `dit` -> ""."""
    cdef dict follow = {}
    cdef Py_ssize_t nt = len(texts), n, i, m, size
    cdef Py_ssize_t lo = PyUnicode_GET_LENGTH(opening), lc = PyUnicode_GET_LENGTH(closing)
    cdef Py_UCS4 c
    cdef bint paired, closed
    cdef str prev, core, after
    cdef object tok, seq, val
    cdef list toks
    cdef PyObject *found
    if tokens is not None and len(tokens) < nt:
        return None
    for n in range(nt):
        if tokens is None:
            seq = texts[n].split()
        else:
            seq = tokens[n]
        if type(seq) is not list:
            return None
        toks = <list>seq
        prev = ""  # the previous token's core in this text ("": none, or an empty core)
        paired = False  # nothing was stripped after it: it may open a pair
        for i in range(len(toks)):
            tok = toks[i]
            if type(tok) is not str:
                return None
            m = PyUnicode_GET_LENGTH(tok)
            if m == 0:
                return None
            # `tok.lstrip(opening).rstrip(closing)`, each strip only where its end holds a mark,
            # one mark before an ASCII letter or digit cut by a slice (as `_index`)
            core = <str>tok
            c = PyUnicode_READ_CHAR(tok, 0)
            if not _ascii_alnum(c) and PyUnicode_FindChar(opening, c, 0, lo, 1) >= 0:
                if m > 1 and _ascii_alnum(PyUnicode_READ_CHAR(tok, 1)):
                    core = (<str>tok)[1:]
                else:
                    core = (<str>tok).lstrip(opening)
            closed = False
            m = PyUnicode_GET_LENGTH(core)
            if m > 0:
                c = PyUnicode_READ_CHAR(core, m - 1)
                if not _ascii_alnum(c) and PyUnicode_FindChar(closing, c, 0, lc, 1) >= 0:
                    if m > 1 and _ascii_alnum(PyUnicode_READ_CHAR(core, m - 2)):
                        core = core[:m - 1]
                    else:
                        core = core.rstrip(closing)
                    closed = True
            if PyUnicode_GET_LENGTH(prev) > 0:
                after = core if paired else ""
                # (one look-up for a new core: `setdefault` stores it, the dict grows by one)
                size = PyDict_GET_SIZE(follow)
                found = PyDict_SetDefault(follow, prev, after)
                if PyDict_GET_SIZE(follow) == size:  # met before
                    val = <object>found
                    if isinstance(val, str):
                        follow[prev] = [val, after]
                    else:
                        (<list>val).append(after)
            prev = core
            paired = not closed
        if PyUnicode_GET_LENGTH(prev) > 0:  # (the text's last token: no pair)
            size = PyDict_GET_SIZE(follow)
            found = PyDict_SetDefault(follow, prev, "")
            if PyDict_GET_SIZE(follow) == size:
                val = <object>found
                if isinstance(val, str):
                    follow[prev] = [val, ""]
                else:
                    (<list>val).append("")
    return follow


# --- the spelling model's trigram terms (`core._run_logps`) ---------------------------------

from libc.math cimport log10
from libc.stdint cimport uint64_t

cdef uint64_t _USED = (<uint64_t>1) << 63  # a slot's key with this bit is taken (a key is 63 bits)


cdef struct _Table:
    uint64_t *keys  # packed code points | _USED, 0 for an empty slot
    double *vals
    uint64_t mask  # slots - 1 (a power of two)


cdef inline uint64_t _pack(Py_UCS4 a, Py_UCS4 b, Py_UCS4 c) noexcept nogil:
    # (code points are below 2**21: three fit in 63 bits; shorter keys leave the high ones 0)
    return ((<uint64_t>a) << 42) | ((<uint64_t>b) << 21) | (<uint64_t>c)


cdef inline uint64_t _slot(uint64_t key, uint64_t mask) noexcept nogil:
    key ^= key >> 31
    key *= 0x9E3779B97F4A7C15ULL
    key ^= key >> 29
    return key & mask


cdef inline bint _get(const _Table *t, uint64_t key, double *out) noexcept nogil:
    cdef uint64_t i = _slot(key, t.mask)
    cdef uint64_t want = key | _USED
    while t.keys[i] != 0:
        if t.keys[i] == want:
            out[0] = t.vals[i]
            return True
        i = (i + 1) & t.mask
    return False


cdef inline void _empty(_Table *t) noexcept:
    t.keys = NULL
    t.vals = NULL
    t.mask = 0


cdef inline void _free(_Table *t) noexcept:
    PyMem_Free(t.keys)
    PyMem_Free(t.vals)
    _empty(t)


cdef int _fill(_Table *t, dict src, int width) except -1:
    """`t` holds `src` (str of `width` code points -> a float or an int, its value as a double:
    the counts are below 2**53, so exact), with at most half of its slots taken."""
    cdef Py_ssize_t m = len(src)
    cdef uint64_t size = 16, i, key
    cdef str k
    _free(t)
    while size < 2 * <uint64_t>m + 16:
        size *= 2
    t.keys = <uint64_t *>PyMem_Malloc(size * sizeof(uint64_t))
    t.vals = <double *>PyMem_Malloc(size * sizeof(double))
    if t.keys == NULL or t.vals == NULL:
        raise MemoryError()
    t.mask = size - 1
    for i in range(size):
        t.keys[i] = 0
    for k, v in src.items():
        if len(k) != width:
            raise ValueError(f"a key of {len(k)} characters where {width} were expected: {k!r}")
        key = _pack(k[0], k[1], k[2]) if width == 3 else _pack(0, k[0], k[1]) if width == 2 else _pack(0, 0, k[0])
        i = _slot(key, t.mask)
        while t.keys[i] != 0:
            i = (i + 1) & t.mask
        t.keys[i] = key | _USED
        t.vals[i] = <double>v
    return 0


cdef class Spelling:
    """`lexicon.CharModel`'s trigram terms in C: `run_logps(low)` is `core._run_logps(model,
    low)`, the same floats bit for bit (the same table values, `CharModel._p`'s operations in its
    order for a trigram never seen, `math.log10` being the C library's `log10`, the same sums in
    the same order), with no string sliced or hashed per trigram.

    Why: the fast gate bounds every rare token (`core._Scorer._run_bounds`), about 5 look-ups in
    Python dicts per letter, each of a string made for it; here a look-up is a multiply and a
    probe of an array. Built once per model from its tables (`core._Shared.spelling`)."""

    cdef _Table log3, uni, ctx1, bi, ctx2
    cdef double total_vocab  # `total + vocab`, an int below 2**53: exact as a double
    cdef readonly object model  # (held: the tables were copied from it)

    def __cinit__(self):
        _empty(&self.log3)
        _empty(&self.uni)
        _empty(&self.ctx1)
        _empty(&self.bi)
        _empty(&self.ctx2)

    def __init__(self, model):
        _fill(&self.log3, model._log3, 3)
        _fill(&self.uni, model.uni, 1)
        _fill(&self.ctx1, model.ctx1, 1)
        _fill(&self.bi, model.bi, 2)
        _fill(&self.ctx2, model.ctx2, 2)
        # (no table of the trigram counts: `_log3` holds every trigram counted, so one it lacks
        # has the count 0 in `_p`)
        if model.tri.keys() != model._log3.keys():
            raise ValueError("a model whose `_log3` is not keyed by its trigrams")
        total_vocab = model.total + model.vocab
        if not 0 < total_vocab < 2 ** 53:
            raise ValueError(f"counts too large to be exact as doubles: {total_vocab}")
        self.total_vocab = <double>total_vocab
        self.model = model

    def __dealloc__(self):
        _free(&self.log3)
        _free(&self.uni)
        _free(&self.ctx1)
        _free(&self.bi)
        _free(&self.ctx2)

    cdef inline double term(self, Py_UCS4 a, Py_UCS4 b, Py_UCS4 c) noexcept:
        """log10 P(c | a b): `_log3[a + b + c]`, else `log10(CharModel._p(a, b, c))`."""
        cdef double v, u = 0.0, n1 = 0.0, nb = 0.0, n2 = 0.0, p1, p2
        if _get(&self.log3, _pack(a, b, c), &v):
            return v
        _get(&self.uni, _pack(0, 0, c), &u)
        _get(&self.ctx1, _pack(0, 0, b), &n1)
        _get(&self.bi, _pack(0, b, c), &nb)
        _get(&self.ctx2, _pack(0, a, b), &n2)
        # `_p`: (uni + 1) / (total + vocab) is an int division of exact doubles (below 2**53),
        # then the same float operations in the same order (the trigram's count is 0: unseen)
        p1 = (u + 1.0) / self.total_vocab
        p2 = (nb + 2.0 * p1) / (n1 + 2.0)
        return log10((0.0 + 2.0 * p2) / (n2 + 2.0))

    def logp(self, str word):
        """`CharModel.logp(word)`: log10 P(spelling) of the lowercase `word`, end marker
        included, the terms of `^^word$` added one by one from 0.0, left to right, as `logp`
        adds them whichever of its shortcuts it takes (a held shorter word's sum, a held longer
        word's terms)."""
        cdef Py_ssize_t m = len(word), i
        cdef Py_UCS4 a = 94, b = 94, c  # `^`, `^`
        cdef double total = 0.0
        for i in range(m):
            c = word[i]
            total += self.term(a, b, c)
            a = b
            b = c
        return total + self.term(a, b, 36)  # (`$`)

    @cython.boundscheck(False)
    @cython.wraparound(False)
    def run_logps(self, str low):
        """(logps_left, logps_right) of `core._run_logps`: log10 P(spelling) of each prefix
        `low[:k]` and each suffix `low[k:]`, k = 1 .. len(low) - 1 (index 0 holds 0.0)."""
        cdef Py_ssize_t n = len(low), k
        cdef Py_UCS4 small_s[72]
        cdef double small_d[2 * 70]
        cdef Py_UCS4 *s = small_s
        cdef double *terms = small_d
        cdef double *cum
        cdef double end, e, first, second
        cdef Py_UCS4 hat = 94, dollar = 36  # `^`, `$`
        if n < 1:
            raise ValueError("an empty run")
        if n + 3 > 72:
            s = <Py_UCS4 *>PyMem_Malloc((n + 3) * sizeof(Py_UCS4))
            terms = <double *>PyMem_Malloc(2 * (n + 1) * sizeof(double))
            if s == NULL or terms == NULL:
                PyMem_Free(s if s != small_s else NULL)
                PyMem_Free(terms if terms != small_d else NULL)
                raise MemoryError()
        cum = terms + (n + 1)
        try:
            # `^^low$`: terms[k] is the trigram ending at low[k] (k < n), terms[n] the end marker's
            s[0] = hat
            s[1] = hat
            for k in range(n):
                s[k + 2] = low[k]
            s[n + 2] = dollar
            for k in range(n + 1):
                terms[k] = self.term(s[k], s[k + 1], s[k + 2])
            cum[0] = 0.0
            for k in range(n):
                cum[k + 1] = cum[k] + terms[k]
            left = [0.0] * n
            right = [0.0] * n
            end = terms[n]
            for k in range(1, n):
                # a prefix's own end: its last two letters and `$` (`^`, its letter, `$` for one)
                e = self.term(hat, s[2], dollar) if k == 1 else self.term(s[k], s[k + 1], dollar)
                left[k] = cum[k] + e
                # a suffix's own start: `^^` and its first letter, `^` and its first two (or
                # its letter and `$`), then the run's own terms from low[k + 2] on
                first = self.term(hat, hat, s[k + 2])
                if n - k > 1:
                    second = self.term(hat, s[k + 2], s[k + 3])
                    right[k] = first + second + ((cum[n] - cum[k + 2]) + end)
                else:
                    second = self.term(hat, s[k + 2], dollar)
                    right[k] = first + second + 0.0
            return left, right
        finally:
            if s != small_s:
                PyMem_Free(s)
            if terms != small_d:
                PyMem_Free(terms)
