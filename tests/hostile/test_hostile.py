"""Hostile inputs through ``python -m pipeline clean DIR --out OUT``, as a user runs it.

The cases and their expected outcomes are the table in ``make_cases.py``. The run happens in a
fresh working directory with a fresh ``HOME``; afterwards nothing outside ``--out`` has changed
(listings of the input, working and home directories compared), no file named after an id such as
``../../etc/x`` exists anywhere, every input is a record or a reject (``tests/accounting.py``),
and no internal error was reported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from .. import accounting
from ..conftest import ROOT, read_jsonl
from . import make_cases
from .make_cases import CASES, JSONL_EXPECT, JSONL_PATH, Case, Record, Rejected, write


def _listing(root: Path, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """Every path under ``root`` (links not followed) with its size and mtime."""
    out: dict[str, tuple[int, int]] = {}
    for dirpath, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if skip is None or Path(dirpath, d) != skip]
        for name in dirs + files:
            path = Path(dirpath, name)
            info = path.lstat()
            out[os.fsencode(path).decode("utf-8", "backslashreplace")] = (info.st_size, info.st_mtime_ns)
    return out


def _clean(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "clean", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


class Run:
    def __init__(self, base: Path, name: str, flags: list[str]) -> None:
        self.inputs = base / "in"
        self.cases = write(self.inputs, name)
        self.cwd, self.home, self.out = base / "cwd", base / "home", base / "out"
        self.cwd.mkdir()
        self.home.mkdir()
        before = {p: _listing(p) for p in (self.inputs, self.cwd, self.home)}
        etc_x = Path("/etc/x").exists()
        self.result = _clean([str(self.inputs), "--out", str(self.out), *flags], self.cwd, self.home)
        self.after_same = {p: _listing(p) == listing for p, listing in before.items()}
        self.etc_x_created = not etc_x and Path("/etc/x").exists()
        self.records, self.rejects = (
            accounting.check([str(self.inputs)], self.out) if self.result.returncode == 0 else ([], [])
        )

    def outcome(self, path: str, line: int | None = None) -> tuple[str, dict[str, Any]]:
        key = (os.fsencode(self.inputs / path).decode("utf-8", "backslashreplace"), line)
        found = [("record", r) for r in self.records if (r["source"]["path"], r["source"].get("line")) == key]
        found += [("reject", r) for r in self.rejects if (r["source"]["path"], r["source"].get("line")) == key]
        assert len(found) == 1, f"{key}: {len(found)} outcomes"
        return found[0]


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    made = {
        "default": Run(tmp_path_factory.mktemp("hostile-default"), "default", []),
        "raised": Run(tmp_path_factory.mktemp("hostile-raised"), "raised", ["--max-bytes", "64000000"]),
    }
    yield made
    for run in made.values():  # the 50 MB files go now, not at the end of the session
        shutil.rmtree(run.inputs, ignore_errors=True)


@pytest.mark.parametrize("name", ["default", "raised"])
def test_run_completes_cleanly(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    assert run.result.returncode == 0, run.result.stderr
    assert "internal error" not in run.result.stderr and "Traceback" not in run.result.stderr, run.result.stderr
    assert sorted(p.name for p in run.out.iterdir()) == ["corpus.jsonl", "rejects.jsonl", "stats.json"]


@pytest.mark.parametrize("name", ["default", "raised"])
def test_nothing_written_outside_out(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    assert all(run.after_same.values()), f"changed outside --out: {run.after_same}"
    assert not run.etc_x_created
    for base in (run.out, run.cwd, run.home, run.inputs):
        assert not (base / "../../etc/x").exists()
        assert not list(base.parent.glob("**/etc/x"))


def _check(kind: str, got: dict[str, Any], expect: Record | Rejected, id_: str) -> None:
    assert got["id"] == id_
    if isinstance(expect, Rejected):
        assert kind == "reject", f"expected a reject {expect.reason}, got a record: {got.get('text', '')[:200]!r}"
        assert (got["stage"], got["reason"]) == (expect.stage, expect.reason), got["detail"]
        assert expect.hint.lower() in got["detail"].lower(), got["detail"]
        assert len(got["detail"]) > 20, "a reject says what to do"
        return
    assert kind == "record", (
        f"expected a record, got reject {got.get('stage')}:{got.get('reason')}: {got.get('detail')}"
    )
    for part in expect.has:
        assert part in got["text"], f"{part!r} not in {got['text']!r}"
    for part in expect.hasnt:
        assert part not in got["text"] and all(part not in p for p in got["paragraphs"]), part
    if expect.title is not None:
        assert got["title"] == expect.title
    if expect.encoding is not None:
        assert got["source"]["encoding"] == expect.encoding


def _case_params() -> list[Any]:
    params = []
    for case in CASES:
        marks = []
        if case.needs == "non-root" and os.geteuid() == 0:
            marks.append(pytest.mark.skip(reason="running as root: a mode-000 file is readable"))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _case_params())
def test_case(runs: dict[str, Run], case: Case) -> None:
    run = runs[case.run]
    kind, got = run.outcome(case.path, case.line)
    _check(kind, got, case.expect, case.key_id)


@pytest.mark.parametrize(
    ("line", "label", "id_", "expect"),
    [(i + 1, *e) for i, e in enumerate(JSONL_EXPECT)],
    ids=[e[0] for e in JSONL_EXPECT],
)
def test_jsonl_line(runs: dict[str, Run], line: int, label: str, id_: str, expect: Record | Rejected) -> None:
    kind, got = runs["default"].outcome(JSONL_PATH, line)
    _check(kind, got, expect, id_)


def test_every_case_has_an_outcome(runs: dict[str, Run]) -> None:
    """The table covers the whole run: no input without an asserted expectation."""
    run = runs["default"]
    expected = len(run.cases) + len(JSONL_EXPECT)
    assert len(run.records) + len(run.rejects) == expected


def test_repairs_are_recorded(runs: dict[str, Run]) -> None:
    """Each repair leaves its edit: encoding, NUL, newline, mojibake and invisible characters."""
    run = runs["default"]
    kinds = {}
    for name in ("cp1252-fr.txt", "nul.txt", "crlf.txt", "mojibake.txt", "invisible.txt"):
        kind, record = run.outcome(name)
        assert kind == "record"
        kinds[name] = {(e["stage"], e["kind"]) for e in record["edits"]}
    assert ("decode", "encoding") in kinds["cp1252-fr.txt"]
    assert ("decode", "nul") in kinds["nul.txt"]
    assert ("decode", "newlines") in kinds["crlf.txt"]
    assert ("unicode", "ftfy") in kinds["mojibake.txt"]
    assert ("unicode", "invisible") in kinds["invisible.txt"]


def test_outputs_validate(runs: dict[str, Run]) -> None:
    for name in ("corpus.jsonl", "rejects.jsonl"):
        result = subprocess.run(
            [sys.executable, "-m", "pipeline", "validate", str(runs["default"].out / name)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    assert read_jsonl(runs["default"].out / "rejects.jsonl")


SETPRIV = shutil.which("setpriv")


@pytest.mark.skipif(
    os.geteuid() != 0 or SETPRIV is None,
    reason="as a normal user the mode-000 case of the table covers this; as root it needs setpriv",
)
def test_unreadable_file_and_directory_as_an_unprivileged_user() -> None:
    """Root reads everything, so the run drops to uid 65534 (nobody), as a real user would be."""
    base = Path(tempfile.mkdtemp(prefix="newsclean-unreadable-"))
    try:
        base.chmod(0o755)
        src, out, home = base / "in", base / "outdir", base / "home"
        (src / "locked").mkdir(parents=True)
        home.mkdir()
        out.mkdir(mode=0o777)
        out.chmod(0o777)
        (src / "ok.txt").write_text(make_cases.PAGE, encoding="utf-8")
        (src / "secret.txt").write_text(make_cases.PAGE, encoding="utf-8")
        (src / "secret.txt").chmod(0)
        (src / "locked" / "hidden.txt").write_text(make_cases.PAGE, encoding="utf-8")
        (src / "locked").chmod(0)
        env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [SETPRIV or "", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "pipeline",
             "clean", str(src), "--out", str(out / "o")],
            cwd=base, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        records = read_jsonl(out / "o" / "corpus.jsonl")
        rejects = read_jsonl(out / "o" / "rejects.jsonl")
        assert [r["id"] for r in records] == ["ok"]
        assert sorted((r["id"], r["stage"], r["reason"]) for r in rejects) == [
            ("locked", "read", "unreadable"),
            ("secret", "read", "unreadable"),
        ]
        assert all("permission" in r["detail"].lower() for r in rejects)
    finally:
        for path in (base / "in" / "locked", base / "in" / "secret.txt"):
            if path.exists():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_internal_error_names_input_stage_and_what_to_do(tmp_path: Path) -> None:
    """A bug in a stage: the document becomes an ``internal_error`` reject, the run goes on."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(make_cases.PAGE, encoding="utf-8")
    (src / "b.txt").write_text(make_cases.PAGE.replace("Japon", "Cambodge"), encoding="utf-8")
    script = (
        "import sys; from pipeline import stages; from pipeline.cli import main\n"
        "def boom(doc, cfg):\n"
        "    if doc.id == 'a': raise ValueError('simulated bug')\n"
        "    return doc\n"
        "stages.STAGES = tuple((n, boom if n == 'dates' else f) for n, f in stages.STAGES)\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "clean", str(src), "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    records, rejects = accounting.check([str(src)], tmp_path / "out")
    assert [r["id"] for r in records] == ["b"]
    [bad] = rejects
    assert (bad["id"], bad["stage"], bad["reason"]) == ("a", "dates", "internal_error")
    assert "simulated bug" in bad["detail"] and "report" in bad["detail"]
    assert "internal error in stage 'dates'" in result.stderr and str(src / "a.txt") in result.stderr
    assert "Traceback" in result.stderr and "ValueError: simulated bug" in result.stderr


def test_unwritable_out_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = _clean([str(ROOT / "seeds"), "--out", str(tmp_path / "file" / "out")], tmp_path, tmp_path)
    assert result.returncode == 2
    assert "cannot write the output to --out" in result.stderr and "Traceback" not in result.stderr
