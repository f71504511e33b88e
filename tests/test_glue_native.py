"""The glue engine compiled by mypyc (`build_glue.py`) is its Python source, only faster.

- where a build of the current sources exists, it runs (`pipeline.glue.ENGINE == "compiled"`),
  and in CI it must exist: `make` builds it;
- it gives the source's repairs on every benchmark paragraph (dev and test, all five scenarios,
  seed 2024), the same offsets, pieces, rules and scores, bit for bit;
- a build of other sources (stale) or a missing one never runs: the source does.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
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
    assert src.best_chain is modules["wrap"].best_chain and src.L is modules["langdata"]  # each other's
    text = "Leministre a déclaré quele 9 janvier 2020, au Vietnamont signé une note."
    fixed, splits = src.repair(text, "fr")
    ours = repair(text, "fr")
    assert fixed == ours[0] and [(s.offset, s.score) for s in splits] == [(s.offset, s.score) for s in ours[1]]
