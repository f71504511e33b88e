"""Limits a user can set, and the accounting check itself.

- ``--regex-timeout``: the ``sources.toml`` patterns are user data; a catastrophic one (nested
  repetition on a line it cannot match) turns the document into a reject ``structure: timeout``
  naming the pattern, and the run goes on. Tested on a copy of the package whose table has such
  a pattern, run as a user runs it.
- ``--max-bytes`` on JSONL: a line over the limit is skipped unparsed (reject ``too_large``).
- ``tests/accounting.py`` fails when an input is lost or counted twice.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.document import Document, Reject, Source
from pipeline.native import load_source

from . import accounting
from .conftest import ROOT, cli, read_jsonl

CATASTROPHIC = r"^(\w|\w\w)+$"  # exponential backtracking on a long word followed by "!"
PAGE = "Titre de l'article\n\nHanoï (VNA) - Le ministre a déclaré que le projet avance.\n"
HOSTILE_LINE = "a" * 80 + "!"


def _package_copy(tmp: Path, boilerplate: str) -> Path:
    """A copy of the package with ``boilerplate`` added to the vna-fr table of sources.toml."""
    shutil.copytree(ROOT / "pipeline", tmp / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "schemas", tmp / "schemas")
    table = tmp / "pipeline" / "sources.toml"
    text = table.read_text(encoding="utf-8")
    head, sep, rest = text.partition("[source.vna-fr]")
    rest = rest.replace("boilerplate = []", f"boilerplate = ['{boilerplate}']", 1)
    table.write_text(head + sep + rest, encoding="utf-8")
    return tmp


def test_catastrophic_pattern_is_a_timeout_reject_and_the_run_goes_on(tmp_path: Path) -> None:
    pkg = _package_copy(tmp_path / "pkg", CATASTROPHIC)
    src = tmp_path / "in"
    src.mkdir()
    (src / "hostile.txt").write_text(PAGE + HOSTILE_LINE + "\n", encoding="utf-8")
    (src / "fine.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "clean", str(src), "--out", str(out), "--regex-timeout", "0.5"],
        cwd=pkg,
        env={**os.environ, "PYTHONPATH": str(pkg)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    records, rejects = accounting.check([str(src)], out)
    assert [r["id"] for r in records] == ["fine"]
    assert [(r["id"], r["stage"], r["reason"]) for r in rejects] == [("hostile", "structure", "timeout")]
    assert CATASTROPHIC in rejects[0]["detail"] and "--regex-timeout" in rejects[0]["detail"]


def test_timeout_in_process_names_the_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    import regex

    from pipeline import sources

    sites, generic = sources.profiles()
    bad = next(s for s in sites if s.name == "vna-fr")
    bad = bad.__class__(**{**bad.__dict__, "boilerplate": (regex.compile(CATASTROPHIC, regex.V1),)})
    monkeypatch.setattr(sources, "profiles", lambda path=None: ((bad,), generic))
    # (the stage run from its source: its compiled build binds `profile_for` at import)
    structure = load_source("pipeline.stages.structure")
    monkeypatch.setattr(structure, "profile_for", lambda text, timeout=None: bad)
    doc = Document(id="x", source=Source("x", 1, "0" * 64), text=PAGE + HOSTILE_LINE)
    with pytest.raises(Reject) as info:
        structure.run(doc, Config().override(structure={"regex_timeout": 0.2}))
    assert (info.value.stage, info.value.reason) == ("structure", "timeout")
    assert CATASTROPHIC in info.value.detail
    # The same page with the shipped table is fine: the budget does not bite on normal patterns.
    monkeypatch.undo()
    assert structure.run(doc, Config()).paragraphs


def test_regex_timeout_flag_applies(tmp_path: Path) -> None:
    """A budget too small for any page: every page is rejected ``timeout``, none crashes."""
    result = cli("clean", "seeds", "--out", str(tmp_path / "out"), "--regex-timeout", "0.000001")
    assert result.returncode == 0, result.stderr
    rejects = read_jsonl(tmp_path / "out" / "rejects.jsonl")
    assert len(rejects) == 5 and {(r["stage"], r["reason"]) for r in rejects} == {("structure", "timeout")}


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_regex_timeout_must_be_positive(tmp_path: Path, value: str) -> None:
    result = cli("clean", "seeds", "--out", str(tmp_path / "out"), "--regex-timeout", value)
    assert result.returncode == 2 and "--regex-timeout" in result.stderr
    assert not (tmp_path / "out").exists()


def test_jsonl_line_over_max_bytes_is_skipped_unparsed(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "small", "text": PAGE}),
        json.dumps({"id": "big", "text": "x" * 5000}),
        json.dumps({"id": "after", "text": PAGE}),
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("clean", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out"), "--max-bytes", "1000")
    assert result.returncode == 0, result.stderr
    records = read_jsonl(tmp_path / "out" / "corpus.jsonl")
    rejects = read_jsonl(tmp_path / "out" / "rejects.jsonl")
    assert [r["id"] for r in records] == ["small", "after"]
    assert [(r["id"], r["reason"], r["source"]["line"]) for r in rejects] == [("in.jsonl:2", "too_large", 2)]


def _fake_out(tmp: Path, records: list[dict[str, object]], rejects: list[dict[str, object]], inputs: int) -> Path:
    out = tmp / "out"
    out.mkdir()
    (out / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (out / "rejects.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rejects))
    stats = {"inputs": inputs, "records": len(records), "rejects": len(rejects)}
    (out / "stats.json").write_text(json.dumps(stats))
    return out


def test_accounting_catches_a_lost_input(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        (src / name).write_text(PAGE)
    out = _fake_out(tmp_path, [{"id": "a", "source": {"path": str(src / "a.txt")}}], [], 1)
    with pytest.raises(AssertionError, match="lost"):
        accounting.check([str(src)], out)


def test_accounting_catches_an_input_both_kept_and_rejected(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(PAGE)
    item = {"id": "a", "source": {"path": str(src / "a.txt")}}
    out = _fake_out(tmp_path, [item], [item], 2)
    with pytest.raises(AssertionError, match="both"):
        accounting.check([str(src)], out)
