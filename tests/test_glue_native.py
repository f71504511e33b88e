"""The glue engine compiled by mypyc (`build_glue.py`) is its Python source, only faster.

- where a build of the current sources exists, it runs (`pipeline.glue.ENGINE == "compiled"`),
  and in CI it must exist: `make` builds it;
- it gives the source's repairs on every benchmark paragraph (dev and test, all five scenarios,
  seed 2024), the same offsets, pieces, rules and scores, bit for bit;
- a build of other sources (stale) or a missing one never runs: the source does.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.glue import ENGINE, GlueContext, core, native, repair

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("fr-wrap", "fr-rough", "en-inline", "fr-clean", "en-clean")


def _is_extension(path: str | None) -> bool:
    return path is not None and any(path.endswith(s) for s in importlib.machinery.EXTENSION_SUFFIXES)


def test_the_engine_in_use_is_the_current_build_or_the_source() -> None:
    forced = os.environ.get(native.ENV) == "source"
    if native.state() == "compiled" and not forced:
        assert ENGINE == "compiled" and _is_extension(core.__file__)
    else:
        assert ENGINE.startswith("source") and core.__file__ is not None and core.__file__.endswith("core.py")
    if os.environ.get("CI") == "true" and os.environ.get("NEWSCLEAN_GLUE_BUILD") != "0" and not forced:
        assert ENGINE == "compiled", "CI builds the compiled engine (make): build_glue.py did not run or failed"


def _repairs() -> list[Any]:
    """Every benchmark paragraph repaired as `bench.bench_glue` does (its own context), as JSON
    (scores as float.hex: exact)."""
    from bench.bench_glue import SCENARIOS, _items

    out: list[Any] = []
    for name in NAMES:
        lang = SCENARIOS[name][1]
        for split in ("dev", "test"):
            for g in _items(name, split, 2024):
                text, splits = repair(g.text, lang, GlueContext.from_texts([g.text], lang))
                out.append([name, split, text, [[s.offset, s.left, s.right, s.score.hex(), s.rule] for s in splits]])
    return out


def _source_env() -> dict[str, str]:
    return {**os.environ, native.ENV: "source", "PYTHONPATH": str(ROOT)}


@pytest.mark.skipif(ENGINE != "compiled", reason=f"the glue engine is not compiled here ({ENGINE})")
def test_compiled_repairs_are_the_sources_bit_for_bit() -> None:
    from bench.bench_glue import DATA

    if not DATA.exists():
        pytest.skip("../shared/data not present")
    # the source's repairs in another process (the same module names, run from source), meanwhile ours
    code = "import json, sys; from tests.test_glue_native import _repairs; json.dump(_repairs(), sys.stdout)"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=_source_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    compiled = _repairs()
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    source = json.loads(out)
    assert len(source) == len(compiled) > 2500
    assert sum(len(r[3]) for r in compiled) > 5000  # thousands of splits compared, not just clean text
    for a, b in zip(compiled, source, strict=True):
        assert a == b


def _run_in(root: Path, code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


PROBE = ("import pipeline.glue as g; from pipeline.glue import core;"
         " print(g.ENGINE); print(core.__file__); print(g.repair('Leministre a dit quele 9 janvier', 'fr')[0])")


def test_a_stale_or_partial_build_never_runs(tmp_path: Path) -> None:
    """A copy of the package whose engine source was edited after its build (or, where nothing
    was built, with a stray extension file) imports the source, which runs as it is now."""
    pkg = tmp_path / "pipeline"
    shutil.copytree(ROOT / "pipeline", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    glue = pkg / "glue"
    if ENGINE == "compiled":
        lines = _run_in(tmp_path, PROBE).splitlines()
        assert lines[0] == "compiled" and _is_extension(lines[1])  # the copy is current
        with (glue / "wrap.py").open("a", encoding="utf-8") as f:
            f.write("\n# edited after the build\n")
    else:
        (glue / f"core{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"not a build")
    lines = _run_in(tmp_path, PROBE).splitlines()
    assert lines[0].startswith("source (the compiled build is stale")
    assert lines[1] == str(glue / "core.py")
    assert lines[2] == "Le ministre a dit que le 9 janvier"


def test_forcing_the_source() -> None:
    lines = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=_source_env(), capture_output=True,
                           text=True, encoding="utf-8", timeout=300, check=True).stdout.splitlines()
    assert lines[0].startswith("source") and lines[1].endswith("core.py")
    assert lines[2] == "Le ministre a dit que le 9 janvier"


def test_load_sources_leaves_the_engine_in_place() -> None:
    modules = native.load_sources()
    assert [m.__file__ for m in modules.values()] == [str(native.HERE / f"{n}.py") for n in native.MODULES]
    src = modules["core"]
    assert sys.modules["pipeline.glue.core"] is core and src is not core
    assert src.best_chain_at is modules["wrap"].best_chain_at and src.L is modules["langdata"]  # each other's
    text = "Leministre a déclaré quele 9 janvier 2020, au Vietnamont signé une note."
    fixed, splits = src.repair(text, "fr")
    ours = repair(text, "fr")
    assert fixed == ours[0] and [(s.offset, s.score) for s in splits] == [(s.offset, s.score) for s in ours[1]]


# --- the wrap model's C kernel (`pipeline/glue/_wrapc.pyx`) ---

def _kernel() -> Any:
    """The built kernel module, or a skip where the engine is not compiled here."""
    if native.state() != "compiled":
        pytest.skip(f"the glue engine is not compiled here ({native.state()})")
    return importlib.import_module(f"{native.PACKAGE}.{native.KERNEL}")


class _Counting:
    """A kernel that counts the calls it answered (not None: the C ran, the Python was not
    its fallback)."""

    def __init__(self, kernel: Any) -> None:
        self.kernel = kernel
        self.answered = 0

    def solve(self, *args: Any) -> Any:
        got = self.kernel.solve(*args)
        self.answered += got is not None
        return got


def test_the_kernel_runs_with_the_compiled_engine_alone() -> None:
    """`wrap.py` calls the kernel with the compiled engine; the sources (`load_sources`, and
    `NEWSCLEAN_GLUE=source`) run their own Python throughout."""
    from pipeline.glue import wrap

    modules = native.load_sources()
    assert modules["wrap"]._KERNEL is None
    probe = "from pipeline.glue import wrap; print(wrap._KERNEL is None)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=_source_env(), capture_output=True,
                         text=True, encoding="utf-8", timeout=300, check=True).stdout
    assert out.strip() == "True"
    if ENGINE == "compiled":
        assert wrap._KERNEL is not None and wrap._KERNEL.__name__ == f"{native.PACKAGE}.{native.KERNEL}"
    else:
        assert wrap._KERNEL is None


def _made_up(rng: Any, cands_of: Any, n_max: int) -> tuple[int, list[tuple[int, int]], list[Any]]:
    """A made-up paragraph (as `test_glue_speed._random_tokens`, up to `n_max` characters) and
    its candidates: several in a token, scores far below the chain's floor and far above,
    equal scores (ties), places about the phantom break's score."""
    tokens: list[tuple[int, int]] = []
    pos = rng.randint(0, 2)
    length = rng.randint(1, n_max)
    while pos < length or not tokens:
        size = rng.randint(1, 40 if rng.random() < 0.05 else 12)
        tokens.append((pos, pos + size))
        pos += size + (2 if rng.random() < 0.03 else 1)
    rate = rng.choice([0.1, 0.4, 0.9])
    top = rng.choice([-6.0, -2.0, 1.0, 4.0, 8.0])
    tie = rng.choice([None, -1.0, 2.0])  # every candidate of the paragraph at one score
    cands = []
    for k, (s, e) in enumerate(tokens):
        if e - s < 2 or rng.random() > rate:
            continue
        best = rng.uniform(-14.0, top)
        for _ in range(rng.randint(1, 3)):
            lex = best - rng.expovariate(0.5) if rng.random() < 0.8 else round(best)
            cands.append(cands_of(rng.randint(s + 1, e - 1), k, tie if tie is not None else lex))
    return tokens[-1][1], tokens, cands


@pytest.mark.parametrize("overrides", [
    {},
    {"min_line": 30},  # `check_short`: the walk scores each place; and `_viterbi` width by width
    {"min_line": 60, "min_width": 60},  # every re-solved width clipped at `min_line` (`_viterbi`)
    {"window_before": 15, "window_after": 10},
    {"min_width": 40, "max_width": 90, "under_cap": 2.0, "over_penalty": 0.9},
    {"first_candidates": 1, "prune_margin": 10.0, "refine_widths": 6},
    {"refine_widths": 1, "line_bonus": 0.0, "phantom_penalty": 3.0},
])
def test_the_kernel_is_the_python_on_made_up_paragraphs(overrides: dict[str, Any]) -> None:
    """The C kernel gives `best_chain`'s Python score (bit for bit) and chain, and the frozen
    reference's (`tests/wrap_reference.py`), on made-up paragraphs: none to a few candidates,
    one token, shorter than a line, long (up to 3,000 characters), ties."""
    from tests import wrap_reference

    kernel = _Counting(_kernel())
    src = native.load_sources()
    wrap, src_core = src["wrap"], src["core"]
    cfg = src_core.GlueConfig(**overrides)
    rng = random.Random(13)
    chains = 0
    for trial in range(300):
        n_max = rng.choice([20, 60, 400, 900, 3000])
        n, tokens, cands = _made_up(rng, lambda p, k, lex: src_core._Cand(p, k, lex, "a", "b", False), n_max)
        if trial % 50 == 0:
            cands = []  # no candidates
        if trial % 50 == 1:
            tokens, n = [(0, n)], n  # one token
            cands = [src_core._Cand(p, 0, -1.0 * (p % 3), "a", "b", False) for p in range(1, n, 7)]
        want = wrap._best_chain(n, tokens, cands, cfg, None)
        got = wrap._best_chain(n, tokens, cands, cfg, kernel)
        assert (got[0].hex(), list(got[1])) == (want[0].hex(), list(want[1])), (trial, n)
        if cands:
            ref = wrap_reference.best_chain(n, tokens, cands, cfg)
            assert (got[0].hex(), list(got[1])) == (float(ref[0]).hex(), list(ref[1])), (trial, n)
        chains += bool(want[1])
    assert chains > 30 and kernel.answered > 200


def test_the_kernel_declines_a_zero_width() -> None:
    """`solve` divides in C (`cdivision`: no zero check): with `min_width` 0 (allowed where
    `window_before` is 0) it returns None and the Python runs, which raises as it always did
    (the kernel raised the same ZeroDivisionError before), rather than dividing by zero in C."""
    kernel = _Counting(_kernel())
    src = native.load_sources()
    wrap, src_core = src["wrap"], src["core"]
    cfg = src_core.GlueConfig(min_width=0, window_before=0, min_line=0)
    tokens = [(0, 9), (10, 20)]
    cands = [src_core._Cand(4, 0, 1.0, "a", "b", False), src_core._Cand(15, 1, -1.0, "a", "b", False)]
    with pytest.raises(ZeroDivisionError):
        wrap._best_chain(20, tokens, cands, cfg, None)
    with pytest.raises(ZeroDivisionError):
        wrap._best_chain(20, tokens, cands, cfg, kernel)
    assert kernel.answered == 0
    # and with a width of 1 the kernel answers, as the Python does
    cfg1 = src_core.GlueConfig(min_width=1, max_width=30, window_before=0, min_line=0)
    want = wrap._best_chain(20, tokens, cands, cfg1, None)
    got = wrap._best_chain(20, tokens, cands, cfg1, kernel)
    assert (got[0].hex(), list(got[1])) == (want[0].hex(), list(want[1]))
    assert kernel.answered == 1


def test_the_kernel_is_the_python_on_the_benchmark_paragraphs() -> None:
    """Every `best_chain` call the benchmark's glued paragraphs make (fr-wrap, fr-rough and
    en-inline, dev): the kernel's answer is the Python's, bit for bit."""
    from bench.bench_glue import DATA, SCENARIOS, _items

    if not DATA.exists():
        pytest.skip("../shared/data not present")
    kernel = _Counting(_kernel())
    src = native.load_sources()
    wrap, src_core = src["wrap"], src["core"]
    calls: list[tuple[Any, ...]] = []

    def recording(n: int, starts: Any, words: Any, cands: Any, cfg: Any) -> Any:
        calls.append((n, [(s, s + len(w)) for s, w in zip(starts, words, strict=True)], list(cands), cfg))
        return wrap.best_chain_at(n, starts, words, cands, cfg)

    src_core.best_chain_at = recording  # (the source's module: the compiled one binds its calls)
    for name in ("fr-wrap", "fr-rough", "en-inline"):
        lang = SCENARIOS[name][1]
        for g in _items(name, "dev", 2024):
            src_core.repair(g.text, lang, src_core.GlueContext.from_texts([g.text], lang))
    chains = 0
    for n, tokens, cands, cfg in calls:
        want = wrap._best_chain(n, tokens, cands, cfg, None)
        got = wrap._best_chain(n, tokens, cands, cfg, kernel)
        assert (got[0].hex(), got[1]) == (want[0].hex(), want[1]), n
        chains += bool(want[1])
    assert len(calls) > 200 and chains > 100 and kernel.answered == len(calls)


def test_the_kernels_width_ranking_is_numpys_stable_one() -> None:
    """`_wrapc.top_widths` (the widths' ranking without numpy): the first `m` of numpy's stable
    order of `-scores` (those above _NEG / 2), ties included; it leaves only NaN to numpy.
    Scores drawn from a few values (many ties), with _NEG, -0.0 and 0.0, infinities and NaN."""
    kernel = _kernel()
    import numpy as np

    rng = random.Random(15)
    pools = [
        [1.5, 2.0, 2.0000000000000004, -3.0, -1e9, 7.25],
        [0.0, -0.0, 1.0, -1e9],
        [float("inf"), 3.0, -float("inf"), -1e9, float("nan")],
    ]
    answered = declined = ties = 0
    for trial in range(4000):
        nw = rng.choice([1, 2, 3, 4, 5, 51, 200])
        m = rng.choice([0, 1, 2, 3, 3, 6, 128])
        if trial % 3 == 0:
            pw = [rng.uniform(-20.0, 20.0) for _ in range(nw)]  # distinct (almost surely)
        else:
            pool = rng.choice(pools)
            pw = [rng.choice(pool) if rng.random() < 0.7 else rng.uniform(-5.0, 5.0) for _ in range(nw)]
        got = kernel.top_widths_of(pw, m)
        order = np.argsort(-np.array(pw, dtype=np.float64), kind="stable")[:m].tolist()
        want = [wi for wi in order if pw[wi] > -1e9 / 2]
        if got is None:
            declined += 1
            assert any(v != v for v in pw), (pw, m)  # declined for NaN alone
        else:
            answered += 1
            assert got == want, (pw, m)
            kept = [pw[wi] for wi in want]
            ties += len(set(kept)) < len(kept)
    assert answered > 3000 and declined > 100 and ties > 500


def test_the_kernels_set_up_is_the_pythons() -> None:
    """The kernel's set-up (each offset's score and candidate, the double spaces' free breaks,
    `short`, the start rows) on inputs that could tell it apart from `wrap.py`'s: candidates in
    any order, several at one offset with equal values (the first kept), equal scores in the
    first token (the start rows' stable order), a candidate on a double space's free break,
    scores about `chain_floor`; and inputs it must decline (tokens out of order or overlapping,
    a candidate's token out of range), where the Python answers: the same answers,
    bit for bit."""
    from tests import wrap_reference

    kernel = _Counting(_kernel())
    src = native.load_sources()
    wrap, src_core = src["wrap"], src["core"]
    rng = random.Random(1515)
    chains = declined = 0
    for trial in range(600):
        cfg = src_core.GlueConfig(**rng.choice([{}, {"first_candidates": 1}, {"first_candidates": 6},
                                                {"chain_floor": -2.0, "visible_break": 3.0}]))
        n, tokens, cands = _made_up(rng, lambda p, k, lex: src_core._Cand(p, k, lex, "a", "b", False),
                                    rng.choice([60, 400, 900]))
        if not cands:
            continue
        kind = trial % 6
        if kind == 1:
            rng.shuffle(cands)
        elif kind == 2:  # copies at the same offsets, same or other scores
            cands = cands + [src_core._Cand(c.pos, c.tok, rng.choice([c.lex, c.lex - 1.0, c.lex + 0.5]), "x", "y",
                                            False) for c in cands if rng.random() < 0.5]
            rng.shuffle(cands)
        elif kind == 3:  # the first token's places at equal scores, and scores about the floor
            s0, e0 = tokens[0]
            extra = [src_core._Cand(p, 0, rng.choice([-1.0, 2.0, cfg.chain_floor, cfg.chain_floor - 0.5]), "a", "b",
                                    False) for p in range(s0 + 1, e0)]
            cands = extra + cands if rng.random() < 0.5 else cands + extra
        elif kind == 4 and len(tokens) > 2:  # a candidate on a double space's free break
            i = rng.randrange(1, len(tokens))
            s2 = tokens[i][0]
            tokens = tokens[:i] + [(s2 + 1, tokens[i][1] + 1)] + [(s + 1, e + 1) for s, e in tokens[i + 1:]]
            n += 1
            cands = [src_core._Cand(c.pos + (c.pos >= s2), c.tok, c.lex, "a", "b", False) for c in cands]
            cands.append(src_core._Cand(s2, i - 1, rng.choice([-20.0, 0.0, 5.0]), "a", "b", False))
        elif kind == 5:  # inputs the kernel declines
            which = rng.randrange(3)
            if which == 0 and len(tokens) > 1:
                tokens = [tokens[1], tokens[0], *tokens[2:]]
            elif which == 1:
                cands = [*cands, src_core._Cand(cands[0].pos, len(tokens) + 3, 1.0, "a", "b", False)]
            else:  # (answered: an offset past the paragraph, inside the padding, is one more place)
                cands = [*cands, src_core._Cand(n + 3, cands[0].tok, 1.0, "a", "b", False)]
        want = wrap._best_chain(n, tokens, cands, cfg, None)
        before = kernel.answered
        got = wrap._best_chain(n, tokens, cands, cfg, kernel)
        assert (got[0].hex(), list(got[1])) == (want[0].hex(), list(want[1])), (trial, kind, n)
        if kind in (1, 3):
            ref = wrap_reference.best_chain(n, tokens, cands, cfg)
            assert (got[0].hex(), list(got[1])) == (float(ref[0]).hex(), list(ref[1])), (trial, n)
        declined += kind == 5 and kernel.answered == before
        chains += bool(want[1])
    assert chains > 60 and kernel.answered > 400 and declined > 30


def test_the_kernels_max_rows_tiles_are_the_row_loops() -> None:
    """`_wrapc.max_rows` (each offset's best line length), AVX2 (sixteen offsets at a time, the
    last fewer with masked loads) and baseline (a row at a time), against Python's `v > a ? v :
    a` in the same order, bit for bit: blocks of 1 to 70 offsets (every tile remainder), 1 to
    30 rows, constant rows and table rows mixed, and values drawn from few numbers (ties),
    -0.0 and 0.0, infinities and NaN (where the first operand's order decides)."""
    k = _kernel()
    rng = random.Random(1520)
    pool = [1.5, -2.0, 0.0, -0.0, 3.25, -1e9, float("inf"), -float("inf"), float("nan"), 7.0]

    def value() -> float:
        return rng.choice(pool) if rng.random() < 0.6 else rng.uniform(-30.0, 30.0)

    checked = nans = 0
    try:
        for _ in range(1500):
            m = rng.randint(1, 70)
            nrow = rng.randint(1, 30)
            skip = rng.randint(0, nrow - 1)
            nk = rng.randint(1, nrow - skip)
            pad = nk - 1 + rng.randint(0, 3)
            src = [value() for _ in range(pad + m)]
            rows = [[value() for _ in range(m)] for _ in range(nrow)]
            consts = [value() if rng.random() < 0.3 else None for _ in range(nrow)]
            want = []
            for i in range(m):
                a = 0.0
                for j in range(nk):
                    r = skip + j
                    c = consts[r]
                    v = src[pad + i - j] - (c if c is not None else rows[r][i])
                    a = v if j == 0 or v > a else a
                want.append(a.hex())
                nans += a != a
            for on in (True, False):
                k.set_simd(on)
                got = k.max_rows_of(src, rows, consts, skip, nk, m, pad)
                assert [g.hex() for g in got] == want, (m, nrow, skip, nk, on)
                checked += m
    finally:
        assert k.set_simd(True) == k.SIMD
    assert checked > 50000 and nans > 1000


def test_the_kernels_transposed_penalties_are_the_gather() -> None:
    """`_wrapc.fill_runs` (the penalty table transposed, token by token as runs of each column
    read backwards) writes `pens[short[q]][k]` for every offset from `q0` to `n` and every
    column not constant, bit for bit, AVX2 and baseline: made-up tokens of 0 to 60 characters
    (longer than `window_before`, and runs longer than the copies' padding), gaps of 0 to 40,
    the first token after `q0` or around it, tokens running past `n`, `q0` anywhere, and
    tables of several shapes (`window_before` 0 to 40, every column constant or none)."""
    k = _kernel()
    src = native.load_sources()
    wrap, src_core = src["wrap"], src["core"]
    rng = random.Random(1519)
    rows = long_tokens = long_gaps = 0
    try:
        for _ in range(1500):
            before = rng.choice([22, 22, 15, 3, 0, 40])
            after = rng.choice([7, 10, 0])
            cfg = src_core.GlueConfig(window_before=before, window_after=after, min_width=max(50, before),
                                      under_cap=rng.choice([4.0, 2.0, 30.0, 0.0]))
            pens, _, _, pens_b = wrap._penalties(before, after, cfg.over_penalty, cfg.under_penalty, cfg.under_cap)
            n = rng.randint(1, 400)
            spans: list[tuple[int, int]] = []
            pos = rng.randint(0, 30)
            while True:
                size = rng.choice([0, 1, 2, 5, 8, 12, 23, 30, 60]) if rng.random() < 0.5 else rng.randint(1, 12)
                if pos + size > n + before:
                    break
                spans.append((pos, pos + size))
                long_tokens += size > before
                gap = rng.choice([0, 1, 1, 1, 2, 5, 9, 15, 40])
                long_gaps += gap > 20
                pos += size + gap
            if not spans:
                continue
            q0 = rng.randint(0, n - 1)
            short = [0] * (n + before + 1)
            for s, e in spans:
                for q in range(s, e):
                    short[q] = min(e - q, before)
            width = before + after + 1
            varying = {c for c in range(width) if len({pens[r][c].hex() for r in range(before + 1)}) > 1}
            for on in (True, False):
                k.set_simd(on)
                got = k.pen_t_of(n, spans, q0, pens_b, before, after)
                assert set(got) == varying
                for c, values in got.items():
                    assert [v.hex() for v in values] == [pens[short[q]][c].hex() for q in range(q0, n)], (
                        spans, q0, n, c)
                    rows += 1
    finally:
        assert k.set_simd(True) == k.SIMD
    assert rows > 20000 and long_tokens > 500 and long_gaps > 500


@pytest.mark.parametrize("overrides", [
    {}, {"min_line": 60, "min_width": 60}, {"window_before": 15, "window_after": 10},
    {"under_cap": 0.0},  # every column of the penalty table constant (read as constants)
    {"under_cap": 30.0, "over_penalty": 0.0},  # none beyond the width constant but 0.0
])
def test_the_kernels_avx2_loops_are_its_baseline_ones(overrides: dict[str, Any]) -> None:
    """The re-solve's element-wise loops compiled for AVX2 (four lanes, where the processor has
    it) and for the baseline (SSE2): the same scores, bit for bit, and the Python's; with the
    penalty table's columns equal in every row (read as constants) or not."""
    k = _kernel()
    src = native.load_sources()
    wrap, src_core = src["wrap"], src["core"]
    cfg = src_core.GlueConfig(**overrides)
    rng = random.Random(1516)
    chains = 0
    try:
        for trial in range(150):
            n, tokens, cands = _made_up(rng, lambda p, t, lex: src_core._Cand(p, t, lex, "a", "b", False),
                                        rng.choice([400, 900, 3000]))
            want = wrap._best_chain(n, tokens, cands, cfg, None)
            got = []
            for on in (True, False):
                k.set_simd(on)
                got.append(wrap._best_chain(n, tokens, cands, cfg, k))
            for g in got:
                assert (g[0].hex(), list(g[1])) == (want[0].hex(), list(want[1])), (trial, n)
            chains += bool(want[1])
    finally:
        assert k.set_simd(True) == k.SIMD
    assert chains > 15


def test_the_kernel_reads_the_compiled_candidates_as_the_python_does() -> None:
    """The kernel reads `pos`, `tok` and `lex` of the compiled engine's candidates (a mypyc
    class) through their getters, of any other class (the source's) by the generic look-up:
    the same answers as the Python on the same numbers, with compiled candidates, source ones,
    and lists mixing both."""
    kernel = _Counting(_kernel())
    src = native.load_sources()
    wrap, src_core = src["wrap"], src["core"]
    # (the compiled class's attributes are getset descriptors: the getters the kernel calls)
    assert all(type(core._Cand.__dict__[a]).__name__ == "getset_descriptor" for a in ("pos", "tok", "lex"))
    # (the source's: slots, member descriptors: the generic look-up)
    assert type(src_core._Cand.__dict__["pos"]).__name__ == "member_descriptor"
    cfg = src_core.GlueConfig()
    rng = random.Random(1517)
    chains = 0
    for trial in range(200):
        n, tokens, cands = _made_up(rng, lambda p, k, lex: src_core._Cand(p, k, lex, "a", "b", False),
                                    rng.choice([60, 400, 900]))
        want = wrap._best_chain(n, tokens, cands, cfg, None)
        compiled = [core._Cand(c.pos, c.tok, c.lex, c.left, c.right, c.forced) for c in cands]
        mixed = [c if rng.random() < 0.5 else d for c, d in zip(cands, compiled, strict=True)]
        for these in (compiled, mixed):
            got = wrap._best_chain(n, tokens, these, cfg, kernel)
            assert (got[0].hex(), list(got[1])) == (want[0].hex(), list(want[1])), (trial, n)
        chains += bool(want[1])
    assert chains > 30 and kernel.answered > 300


class _Props:
    """A candidate whose `pos`, `tok` and `lex` are properties (no getset descriptor: the
    kernel reads them by the generic look-up)."""

    def __init__(self, pos: int, tok: int, lex: float) -> None:
        self._p, self._t, self._l = pos, tok, lex

    @property
    def pos(self) -> int:
        return self._p

    @property
    def tok(self) -> int:
        return self._t

    @property
    def lex(self) -> float:
        return self._l


def test_the_kernels_held_configuration_and_getters_are_each_calls_own() -> None:
    """`solve` holds the last configuration's numbers (`_hold_config`) and the last candidate
    class's getters (`wrapc_getters`) from call to call, and reads lists' items directly
    (`wrapc_item`): calls that alternate configurations (other objects with the same numbers,
    other numbers, one whose read fails), candidate classes (compiled, source, properties, mixed)
    and sequence types (lists, tuples) each give the Python's answer on their own inputs, bit for
    bit, as the first call of a process does."""
    kernel = _kernel()
    src = native.load_sources()
    wrap, src_core = src["wrap"], src["core"]
    cfgs = [src_core.GlueConfig(), src_core.GlueConfig(), src_core.GlueConfig(min_line=30),
            src_core.GlueConfig(window_before=15, window_after=10),
            src_core.GlueConfig(first_candidates=1, prune_margin=10.0, refine_widths=6, line_bonus=0.0),
            core.GlueConfig(), core.GlueConfig(phantom_penalty=3.0, over_penalty=0.9)]
    kinds = [
        lambda c: core._Cand(c.pos, c.tok, c.lex, "a", "b", False),
        lambda c: c,
        lambda c: _Props(c.pos, c.tok, c.lex),
    ]
    rng = random.Random(2817)
    answered = 0
    for trial in range(400):
        cfg = rng.choice(cfgs)
        n, tokens, cands = _made_up(rng, lambda p, k, lex: src_core._Cand(p, k, lex, "a", "b", False),
                                    rng.choice([60, 400, 900]))
        if not cands:
            continue
        want = wrap._best_chain(n, tokens, cands, cfg, None)
        how = rng.randrange(4)
        these: Any = ([kinds[how](c) for c in cands] if how < 3
                      else [rng.choice(kinds)(c) for c in cands])  # (mixed classes)
        spans: Any = tokens
        starts: Any = [s for s, _ in tokens]
        words: Any = ["x" * (e - s) for s, e in tokens]
        if rng.random() < 0.3:  # (other sequences: indexed generically)
            these, spans, starts, words = tuple(these), tuple(spans), tuple(starts), tuple(words)
        _, _, lows, pens_b = wrap._penalties(cfg.window_before, cfg.window_after, cfg.over_penalty,
                                             cfg.under_penalty, cfg.under_cap)
        for got in (kernel.solve(n, spans, these, pens_b, lows, cfg),
                    kernel.solve(n, starts, these, pens_b, lows, cfg, words)):
            assert got is not None, trial
            assert (got[0].hex(), list(got[1])) == (want[0].hex(), list(want[1])), (trial, n, how)
            answered += 1
        if trial % 37 == 0:  # a configuration whose read fails: the error, and the next call right
            with pytest.raises(AttributeError):
                kernel.solve(n, spans, these, pens_b, lows, object())
    assert answered > 600


def test_the_kernel_frees_what_it_allocates() -> None:
    """`solve` gives back every buffer it takes, on every path: a process cleans millions of
    paragraphs, so a few hundred bytes kept per call grow its memory with the corpus (issue #4's
    flat-memory bar; a buffer left unfreed did exactly that: 2 MB per 4,200 calls). tracemalloc
    traces `PyMem_Malloc`, which the kernel allocates with."""
    import tracemalloc

    kernel = _Counting(_kernel())
    src = native.load_sources()
    wrap, src_core = src["wrap"], src["core"]
    cfg = src_core.GlueConfig()
    rng = random.Random(7)
    inputs = [_made_up(rng, lambda p, k, lex: src_core._Cand(p, k, lex, "a", "b", False), 900) for _ in range(40)]
    inputs = [(n, tokens, cands) for n, tokens, cands in inputs if cands]
    # the answers kept alive while measuring: only what the kernel itself keeps counts
    answers = [wrap._best_chain(n, tokens, cands, cfg, kernel) for n, tokens, cands in inputs]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(25):
            for n, tokens, cands in inputs:
                wrap._best_chain(n, tokens, cands, cfg, kernel)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    calls = 25 * len(inputs)
    assert kernel.answered >= calls and answers
    assert grown < 16 * calls, f"{grown} bytes kept after {calls} calls"


def test_the_spelling_kernel_frees_what_it_allocates_and_checks_its_model() -> None:
    """`_wrapc.Spelling` gives back its tables when it goes (one is built per language and
    configuration, but a process may build many) and the buffers `run_logps` takes for a run
    longer than its stack arrays (70 letters); it refuses a model whose `_log3` is not keyed by
    its counted trigrams (the back-off then reads a count of 0 for every trigram `_log3` lacks),
    and counts too large for a double to hold exactly."""
    import tracemalloc
    from types import SimpleNamespace

    kernel = _kernel()
    model = core._shared_for("fr", core.GlueConfig()).model()
    long_runs = ["".join(random.Random(k).choice("abcdeéfghilmnoprstuv") for _ in range(70 + k)) for k in range(60)]
    spelling = kernel.Spelling(model)
    want = [spelling.run_logps(r) for r in long_runs]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(5):
            built = kernel.Spelling(model)
            assert [built.run_logps(r) for r in long_runs] == want
            del built
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 20_000, f"{grown} bytes kept after 5 models and 300 long runs"
    fake = SimpleNamespace(_log3=dict(model._log3), uni=model.uni, ctx1=model.ctx1, bi=model.bi, ctx2=model.ctx2,
                           tri=dict(model.tri), total=model.total, vocab=model.vocab)
    kernel.Spelling(fake)  # (a copy of the model's tables: accepted)
    fake.tri["zzq"] = 1
    with pytest.raises(ValueError):
        kernel.Spelling(fake)
    del fake.tri["zzq"]
    fake.total = 2**53
    with pytest.raises(ValueError):
        kernel.Spelling(fake)


_PROBE = """
import json, random, sys
from pipeline.glue import native
from tests.test_glue_native import _made_up
src = native.load_sources()
wrap, core = src["wrap"], src["core"]
rng = random.Random(21)
out = []
for trial in range(400):
    n, tokens, cands = _made_up(rng, lambda p, k, lex: core._Cand(p, k, lex, "a", "b", False), 900)
    got = wrap._best_chain(n, tokens, cands, core.GlueConfig(), None)
    out.append([got[0].hex(), list(got[1])])
print(json.dumps(out))
"""


def test_the_wrap_model_does_not_depend_on_numpys_processor_level() -> None:
    """The same chains whatever SIMD level numpy runs at: its default `argsort` orders equal
    keys by the sort it dispatches to (AVX-512, AVX2 or baseline code), so the widths' ranking
    is a stable sort (before stop 15 it was not, and 22 of 800 seed-001 pages changed with numpy
    held to baseline x86-64). Made-up paragraphs with many tied widths, in this process and in
    one where numpy may use nothing above baseline x86-64 (`NPY_DISABLE_CPU_FEATURES`; on a
    machine without those features the two runs are alike and the test proves less)."""
    root = Path(__file__).resolve().parent.parent
    base = {**os.environ, "PYTHONPATH": str(root)}
    runs = []
    for extra in ({}, {"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"}):
        done = subprocess.run([sys.executable, "-c", _PROBE], env={**base, **extra}, cwd=root,
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    assert sum(bool(chain) for _, chain in runs[0]) > 100
    assert runs[0] == runs[1]


def _index_texts(rng: random.Random, pool: list[str]) -> list[str]:
    """Made-up texts for the index: benchmark text cut and shuffled, tokens of marks alone, a
    mark before or after a letter, digit or mark, non-ASCII and astral letters, empty texts and
    whitespace of every kind between tokens."""
    marks = "([{«“‘\"'¿¡)]}»”’.,;:!?…%-"
    spaces = [" ", "  ", "\n", "\t", "\u00a0", "\u2003", "\u3000"]
    words = ["Mai", "Tien", "Dung", "x", "é", "Ü", "ℓ", "😀", "9", "l'", "d’", "2020", "Hanoï"]
    texts: list[str] = []
    for _ in range(rng.randrange(1, 7)):
        if rng.random() < 0.3 and pool:
            text = rng.choice(pool)
            cut = rng.randrange(len(text) + 1)
            texts.append(text[cut:] + " " + text[:cut])
            continue
        toks = []
        for _ in range(rng.randrange(0, 40)):
            w = rng.choice(words) if rng.random() < 0.7 else ""
            before = "".join(rng.choice(marks) for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])))
            after = "".join(rng.choice(marks) for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])))
            tok = before + w + after
            if tok:
                toks.append(tok)
        text = ""
        for tok in toks:
            text += rng.choice(spaces) + tok
        texts.append(text + rng.choice(["", " ", "\n"]))
    return texts


def test_the_kernels_index_is_the_pythons() -> None:
    """`_wrapc.index_tokens` (the C loop `GlueContext._index` calls with the compiled engine) is
    the source's `_index`, the same dict: the same keys in the same order, each value the same
    str or list, on 600 made-up sets of texts (marks alone, marks before and after letters,
    digits and marks, non-ASCII, empty texts, every kind of whitespace) and 300 sets of
    benchmark texts, from the texts and from given tokens; and None (the Python then runs, and
    raises as it does) for a token that is no exact str or is empty, a text's tokens that are
    no list, fewer token lists than texts."""
    from bench.bench_glue import DATA, _items

    kernel = _kernel()
    src_core = native.load_sources()["core"]
    assert src_core._KERNEL is None and core._KERNEL is kernel
    rng = random.Random(30)
    pool = []
    if DATA.exists():
        pool = [g.text for name in ("fr-rough", "en-inline", "fr-clean") for g in _items(name, "dev", 2024)[:100]]
    checked = repeated = stripped = 0
    sets = [_index_texts(rng, pool) for _ in range(600)]
    sets += [[rng.choice(pool) for _ in range(rng.randrange(1, 5))] for _ in range(300 if pool else 0)]
    sets += [[], [""], ["  "], ["«»"], ["( x )"], ["x,", "x"], ["Mai Tien", "Mai Tien,"]]
    for texts in sets:
        want = src_core.GlueContext.from_texts(texts, "fr")._index()
        for got in (kernel.index_tokens(tuple(texts), None, core._OPENING, core._CLOSING),
                    kernel.index_tokens(tuple(texts), [t.split() for t in texts], core._OPENING, core._CLOSING),
                    core.GlueContext.from_tokens(texts, [t.split() for t in texts], "fr")._index(),
                    core.GlueContext.from_texts(texts, "fr")._index()):
            assert list(got.items()) == list(want.items()), texts
            assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
        checked += len(want)
        repeated += sum(isinstance(v, list) for v in want.values())
        stripped += sum(core._core(t) != t for text in texts for t in text.split())
    assert checked > 20_000 and repeated > 2_000 and stripped > 5_000, (checked, repeated, stripped)

    class Sub(str):
        pass

    texts = ("Mai Tien", "Dung")
    for tokens in ([["Mai", Sub("Tien")], ["Dung"]], [["Mai", ""], ["Dung"]], [["Mai", 3], ["Dung"]],
                   [("Mai", "Tien"), ["Dung"]], [["Mai", "Tien"]]):
        assert kernel.index_tokens(texts, tokens, core._OPENING, core._CLOSING) is None
    # (declined: the Python runs, the same table for a subclass, or the same error)
    sub = core.GlueContext.from_tokens(texts, [["Mai", Sub("Tien")], ["Dung"]], "fr")._index()
    assert sub == {"Mai": "Tien", "Tien": "", "Dung": ""}
    for bad in ([["Mai", ""], ["Dung"]], [["Mai", "Tien"]]):
        with pytest.raises(IndexError):
            core.GlueContext.from_tokens(texts, bad, "fr")._index()
        with pytest.raises(IndexError):
            src_core.GlueContext.from_tokens(texts, bad, "fr")._index()


def test_the_kernels_spelling_terms_are_the_pythons() -> None:
    """`_wrapc.Spelling.run_logps` (what the compiled engine's `_run_bounds` reads) gives the
    source's `_run_logps`, and `Spelling.logp` (what its `core_score` reads) `CharModel.logp`,
    the same floats bit for bit, for both languages' models: on every
    letter run of the benchmark's dev tokens, on the model's own words, and on made-up runs of
    1 to 90 letters that hold trigrams no word has (the backed-off estimate), letters the
    model never saw, and the model's own markers `^` and `$`. The engine in use reads it."""
    from bench.bench_glue import DATA, _items
    from pipeline.glue.lexicon import table

    kernel = _kernel()
    src_core = native.load_sources()["core"]
    rng = random.Random(33)
    letters = "abcdefghijklmnopqrstuvwxyzéèêàçôûœæñøåäöüßαж^$"
    for lang in ("fr", "en"):
        shared = core._shared_for(lang, core.GlueConfig())
        spelling = shared.spelling()
        assert isinstance(spelling, kernel.Spelling) and shared.spelling() is spelling  # (built once)
        model = shared.model()
        runs = {w for w in list(table(lang))[:20_000] if w.isalpha()}
        if DATA.exists():
            for name in (("fr-rough", "fr-clean") if lang == "fr" else ("en-inline", "en-clean")):
                for g in _items(name, "dev", 2024):
                    runs.update(r.lower() for r in re.findall(r"[^\W\d_]+", g.text))
        made = ["".join(rng.choice(letters) for _ in range(rng.randrange(1, 91))) for _ in range(3_000)]
        unseen = 0
        for low in sorted(runs) + made:
            want = src_core._run_logps(model, low)
            got = spelling.run_logps(low)
            assert [[x.hex() for x in side] for side in got] == [[x.hex() for x in side] for side in want], low
            assert spelling.logp(low).hex() == model.logp(low).hex() == shared.logp(low).hex(), low
            k = len(low) // 2  # (a suffix and a prefix of it: the model's shortcuts from held sums)
            assert spelling.logp(low[k:]).hex() == model.logp(low[k:]).hex(), low
            assert spelling.logp(low[:k]).hex() == model.logp(low[:k]).hex(), low
            unseen += any(low[k - 2 : k + 1] not in model._log3 for k in range(2, len(low)))
        assert len(runs) > 20_000 and unseen > 2_000, (len(runs), unseen)
    with pytest.raises(ValueError):
        spelling.run_logps("")
    assert spelling.logp("").hex() == model.logp("").hex()


@pytest.mark.skipif(ENGINE != "compiled", reason=f"the glue engine is not compiled here ({ENGINE})")
def test_candidates_and_splits_are_no_containers_of_the_cyclic_collector() -> None:
    """`_Cand` and `Split` are marked `acyclic` for mypyc: the compiled objects are not tracked
    by Python's cyclic collector, which is exact only because none of their fields can hold a
    reference back to one (mypyc checks each field's type when it is set: a list, a dict or a
    candidate is refused), and refcounting alone frees them. The source's classes (the mark is
    a no-op there) are ordinary objects with the same fields and values."""
    import gc
    import tracemalloc

    src_core = native.load_sources()["core"]
    c = core._Cand(3, 1, 2.5, "Le", "ministre", False, True)
    s = core.Split(2, "Le", "ministre", 4.125, "wrap")
    assert not gc.is_tracked(c) and not gc.is_tracked(s)
    # the fields as the source's objects hold them, and the splits equal and hashed alike
    sc = src_core._Cand(3, 1, 2.5, "Le", "ministre", False, True)
    ss = src_core.Split(2, "Le", "ministre", 4.125, "wrap")
    for a in ("pos", "tok", "lex", "left", "right", "forced", "chain_only"):
        assert getattr(c, a) == getattr(sc, a)
    assert (s.offset, s.left, s.right, s.score, s.rule) == (ss.offset, ss.left, ss.right, ss.score, ss.rule)
    twin = core.Split(2, "Le", "ministre", 4.125, "wrap")
    assert s == twin and hash(s) == hash(twin)
    # no field takes a container (nor a candidate): no cycle can go through one
    box: list[Any] = [c]
    for a, v in (("left", box), ("right", {"a": c}), ("pos", box), ("lex", c), ("tok", (c,)), ("forced", box)):
        with pytest.raises(TypeError):
            setattr(c, a, v)
    with pytest.raises(TypeError):
        core.Split(2, box, "x", 1.0, "wrap")  # type: ignore[arg-type]  # (the type check under test)
    # the candidates a repair makes are freed by reference counting alone (the collector off)
    ctx = GlueContext.from_texts(["Leministre a dit quele 9 janvier 2020 au Vietnamont signé"], "fr")
    repair("Leministre a dit quele 9 janvier 2020 au Vietnamont signé", "fr", ctx)
    was = gc.isenabled()
    gc.disable()
    try:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        made = [core._Cand(k, k, k / 3, "ab", "cd", False) for k in range(50_000)]
        assert tracemalloc.get_traced_memory()[0] - base > 50_000 * 40
        del made
        assert tracemalloc.get_traced_memory()[0] - base < 50_000
    finally:
        tracemalloc.stop()
        if was:
            gc.enable()


def test_the_rows_camel_bonus_is_typed_none_first() -> None:
    """`_Row`'s camel bonus is `None | float`, None first: mypyc tests a union's members in the
    order written, and most rows hold None, which the float test first would send through
    `PyType_IsSubtype` twice per row. (Its values are checked by the bit-for-bit comparisons of
    the compiled repairs with the source's: rows with a camel bonus and rows without.)"""
    import typing

    camel = typing.get_args(core._Row)[5]
    assert typing.get_args(camel) == (type(None), float)
    # rows of both kinds reach the candidates, with the same scores as the source's
    src_core = native.load_sources()["core"]
    for tok in ("RajeshBhagwan", "Leministre", "ofEmbassy", "quele", "VietnamAirlines,"):
        ours = core._Scorer("fr", core.DEFAULT_CONFIG, None).candidates(tok, 0, 0, False)
        theirs = src_core._Scorer("fr", src_core.DEFAULT_CONFIG, None).candidates(tok, 0, 0, False)
        assert [(c.pos, c.lex.hex(), c.left, c.right, c.forced, c.chain_only) for c in ours] == [
            (c.pos, c.lex.hex(), c.left, c.right, c.forced, c.chain_only) for c in theirs]
    rows = core._shared_for("fr", core.DEFAULT_CONFIG).positions("RajeshBhagwan", False)
    assert rows is not None and any(r[5] is not None for r in rows[1])
    rows = core._shared_for("fr", core.DEFAULT_CONFIG).positions("Leministre", False)
    assert rows is not None and any(r[5] is None for r in rows[1])
