"""The per-document modules compiled by mypyc (`build_stages.py`) are their Python source, only faster.

- where a build of the current sources exists, it runs (`pipeline.ENGINE == "compiled"`, every
  module of `pipeline.native.MODULES` an extension), else the source, which is never shadowed by
  a stale build: a package whose sources changed after its build runs the sources as they are;
- the compiled pipeline and the source (`NEWSCLEAN_STAGES=source`) write the same bytes
  (records, with their edits and removed text, rejects and stats) for the seeds, 300 bench pages
  and made-up edge cases (encodings, binary, empty, a long line), the compiled run on 2 workers
  (its objects sent between processes), the source on 1;
- `load_source`, what the tests that monkeypatch a stage use, gives a fresh module run from the
  `.py` file, leaving the modules in use in place.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline
from pipeline import native
from pipeline.config import Config
from pipeline.document import Document, Source

ROOT = Path(__file__).resolve().parent.parent
ENGINE = pipeline.ENGINE


def _is_extension(path: str | None) -> bool:
    return path is not None and any(path.endswith(s) for s in importlib.machinery.EXTENSION_SUFFIXES)


def test_the_modules_in_use_are_the_current_build_or_the_source() -> None:
    forced = os.environ.get(native.ENV) == "source"
    files = [importlib.import_module(name).__file__ for name in native.MODULES]
    if native.state() == "compiled" and not forced:
        assert ENGINE == "compiled" and all(_is_extension(f) for f in files), files
    else:
        assert ENGINE.startswith("source")
        assert files == [str(native.source(name)) for name in native.MODULES]
    if os.environ.get("CI") == "true" and os.environ.get("NEWSCLEAN_STAGES_BUILD") != "0" and not forced:
        assert ENGINE == "compiled", "CI builds the compiled stages (make): build_stages.py did not run or failed"


def test_every_compiled_module_is_a_module_of_the_package() -> None:
    for name in native.MODULES:
        assert native.source(name).is_file(), name
    assert native.source("pipeline.stages.dates") == native.HERE / "stages" / "dates.py"
    assert native.source("pipeline.native") not in [native.source(n) for n in native.MODULES]  # never compiled


def _edge_cases(root: Path) -> None:
    """Small inputs that take the stages' rarer paths: other encodings, binary, empty, blank, a
    very long line, CRLF and mojibake, a page with a dateline and a sign-off."""
    root.mkdir()
    page = "Titre de l'article\n\nHanoï (VNA) – Le ministre a déclaré quele projet avance.\n-VNA\n"
    (root / "utf16.txt").write_bytes(page.encode("utf-16"))
    (root / "cp1252.txt").write_bytes(page.replace("–", "-").encode("cp1252"))
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(b" \n\t\n")
    (root / "long.txt").write_text("Titre\n\n" + "mot " * 40000 + "\n", encoding="utf-8")
    (root / "crlf.txt").write_bytes(page.replace("\n", "\r\n").replace("é", "Ã©").encode("utf-8"))
    (root / "zh.txt").write_text("越南与日本加强合作\n\n河内（越通社）——越南政府办公厅主任梅进勇出席研讨会。\n（完）\n",
                                 encoding="utf-8")


def _bench_pages(path: Path, n: int) -> None:
    from bench.make_corpus import documents

    with path.open("w", encoding="utf-8") as f:
        for doc in documents(n, seed=19):
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")


def _clean(inputs: list[str], out: Path, workers: int, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "clean", *inputs, "--out", str(out), "--workers", str(workers),
         "--no-timings"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )


@pytest.mark.skipif(native.state() != "compiled", reason=f"the stages are not compiled here ({native.state()})")
def test_compiled_pipeline_writes_the_sources_bytes(tmp_path: Path) -> None:
    _edge_cases(tmp_path / "edge")
    _bench_pages(tmp_path / "bench.jsonl", 300)
    inputs = [str(ROOT / "seeds"), str(tmp_path / "edge"), str(tmp_path / "bench.jsonl")]
    source_env = {**os.environ, native.ENV: "source", "PYTHONPATH": str(ROOT)}
    compiled_env = {k: v for k, v in os.environ.items() if k != native.ENV} | {"PYTHONPATH": str(ROOT)}
    procs = {"source": _clean(inputs, tmp_path / "source", 1, source_env),
             "compiled": _clean(inputs, tmp_path / "compiled", 2, compiled_env)}
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err
        last = err.strip().splitlines()[-1]
        assert last.endswith(f"stages: {'compiled' if name == 'compiled' else 'source (NEWSCLEAN_STAGES=source)'})")
    for file in ("corpus.jsonl", "rejects.jsonl", "stats.json"):
        compiled = (tmp_path / "compiled" / file).read_bytes()
        assert compiled == (tmp_path / "source" / file).read_bytes(), file
    # what was compared is not trivial: every stage edited, cut or rejected something
    stats = json.loads((tmp_path / "compiled" / "stats.json").read_bytes())
    assert stats["records"] > 250 and stats["rejects"] >= 2
    stages = stats["stages"]
    for name in ("unicode", "whitespace", "glue", "dates"):
        assert stages[name]["edits"] > 50, name
    assert stages["structure"]["changed"] > 250 and stages["decode"]["rejected"] >= 1


PROBE = ("import pipeline; from pipeline.stages import dates; from pipeline import runner;"
         " print(pipeline.ENGINE); print(dates.__file__); print(runner.__file__)")


def _run_in(root: Path, code: str, **env: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code], cwd=root,
                            env={**os.environ, "PYTHONPATH": str(root), **env},
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("edited", ["stages/dates.py", "config.py"])
def test_a_stale_or_partial_build_never_runs(tmp_path: Path, edited: str) -> None:
    """A copy of the package with a source edited after its build (a compiled module, or one it
    is compiled against), or, where nothing was built, with a stray extension file, runs the
    sources as they are now, all of them."""
    pkg = tmp_path / "pipeline"
    shutil.copytree(ROOT / "pipeline", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    env = {native.ENV: ""}
    if native.state() == "compiled":  # (this build, even where this process runs the source)
        lines = _run_in(tmp_path, PROBE, **env)
        assert lines[0] == "compiled" and _is_extension(lines[1]) and _is_extension(lines[2])  # the copy is current
        with (pkg / edited).open("a", encoding="utf-8") as f:
            f.write("\n# edited after the build\n")
    else:
        (pkg / "stages" / f"dates{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"not a build")
    lines = _run_in(tmp_path, PROBE, **env)
    assert lines[0].startswith("source (the compiled build is stale")
    assert lines[1:] == [str(pkg / "stages" / "dates.py"), str(pkg / "runner.py")]


SCAN_PROBE = ("import pipeline; from pipeline.stages import unicode;"
              " print(pipeline.ENGINE); print(unicode._C_PAGE_SCAN is not None)")


@pytest.mark.skipif(native.state() != "compiled", reason=f"the stages are not compiled here ({native.state()})")
def test_the_c_page_scan_runs_only_with_a_current_build(tmp_path: Path) -> None:
    """`unicode`'s C page scan (`_scanc.pyx`, one of `native.KERNELS`) runs with the compiled
    stages, not with `NEWSCLEAN_STAGES=source`, and not once its `.pyx` changed after the build
    (the digest covers it: numpy's scan runs, with every module's source)."""
    assert "pipeline.stages._scanc" in native.KERNELS
    assert native.source("pipeline.stages._scanc").with_suffix(".pyx") in native.sources()
    assert _run_in(ROOT, SCAN_PROBE, **{native.ENV: ""}) == ["compiled", "True"]
    forced = _run_in(ROOT, SCAN_PROBE, **{native.ENV: "source"})
    assert forced == ["source (NEWSCLEAN_STAGES=source)", "False"]
    pkg = tmp_path / "pipeline"
    shutil.copytree(ROOT / "pipeline", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    assert _run_in(tmp_path, SCAN_PROBE, **{native.ENV: ""}) == ["compiled", "True"]  # the copy is current
    with (pkg / "stages" / "_scanc.pyx").open("a", encoding="utf-8") as f:
        f.write("\n# edited after the build\n")
    lines = _run_in(tmp_path, SCAN_PROBE, **{native.ENV: ""})
    assert lines[0].startswith("source (the compiled build is stale") and lines[1] == "False"


def test_a_stray_extension_never_runs(tmp_path: Path) -> None:
    """An extension of a module that no build of `MODULES` makes (one an older build compiled, since
    left out) would shadow its source: the package runs its sources, that module's too."""
    pkg = tmp_path / "pipeline"
    shutil.copytree(ROOT / "pipeline", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    (pkg / "executors" / f"output{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"an old build")
    code = PROBE + "; from pipeline.executors import output; print(output.__file__)"
    lines = _run_in(tmp_path, code, **{native.ENV: ""})
    assert lines[0].startswith("source (the compiled build is stale")
    assert lines[1:] == [str(pkg / "stages" / "dates.py"), str(pkg / "runner.py"), str(pkg / "executors" / "output.py")]


def test_forcing_the_source() -> None:
    lines = _run_in(ROOT, PROBE, **{native.ENV: "source"})
    assert lines == ["source (NEWSCLEAN_STAGES=source)", str(native.HERE / "stages" / "dates.py"),
                     str(native.HERE / "runner.py")]


def test_load_source_leaves_the_modules_in_use_in_place() -> None:
    from pipeline.stages import dates

    src = native.load_source("pipeline.stages.dates")
    assert src is not dates and sys.modules["pipeline.stages.dates"] is dates
    assert src.__file__ == str(native.HERE / "stages" / "dates.py")
    doc = Document(id="x", source=Source("x", 1, "0" * 64), structured=True, lang="fr",
                   paragraphs=("Hanoï (VNA) – Le ministre a parlé.",),
                   published_raw="DNUM_AIZABZCACB 10:55")
    assert src.run(doc, Config()) == dates.run(doc, Config())


def test_compiled_sources_reads_the_table_beside_the_package() -> None:
    """`sources` (compiled since stop 24) finds `sources.toml` from the package directory, not
    from its `__file__` (compiled, the path it was compiled from, relative to the build's
    directory), and picks each page's profile as its source does: the same site for the seeds,
    bench pages and made-up ones, from another working directory too."""
    from bench.make_corpus import documents
    from pipeline import sources

    src = native.load_source("pipeline.sources")
    assert sources.TABLE_PATH == src.TABLE_PATH == native.HERE / "sources.toml"
    assert [p.name for p in sources.profiles()[0]] == [p.name for p in src.profiles()[0]]
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages += [d["text"] for d in documents(60, seed=11)] + ["Voir plus\nPhoto: VNA 越通社", "nothing at all"]
    names = [src.profile_for(page).name for page in pages]
    assert len(set(names)) >= 3 and [sources.profile_for(page).name for page in pages] == names
    probe = ("import pipeline, pipeline.sources as s;"
             " print(pipeline.ENGINE == native_engine, s.profile_for('Photo: VNA').name)")
    result = subprocess.run([sys.executable, "-c", probe.replace("native_engine", repr(pipeline.ENGINE))], cwd="/",
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.split() == ["True", "vna-fr"], result.stderr
