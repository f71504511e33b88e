"""Shared fixtures: the seeds cleaned once per test session, in-process and through the CLI.

Every ``clean`` run made through :func:`cli` or :func:`clean_texts` is checked for
``inputs = records + rejects`` by key (``tests/accounting.py``) before the test sees it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import Config
from pipeline.executors.local import run

from . import accounting

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The five seed pages by id (file stem).
S000, S001, S002, S003, S004 = (
    "000_2a0369b5aed10035",
    "001_7425207f4bc29cf3",
    "002_12f76e114ee0439a",
    "003_b6001f6463ccf938",
    "004_71ed4cd7531df482",
)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


_VALUED = {
    "--out", "--max-bytes", "--max-line-chars", "--regex-timeout", "--workers", "--shard-size", "--compression",
    "--executor", "--ray-address", "--files-per-task",
}


def cli(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pipeline ARGS`` as a user would; a ``clean`` run is checked for accounting."""
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=600
    )
    # 0: done; 1 under --strict: done, with rejects. Any other exit wrote no new output to check.
    if args and args[0] == "clean" and (result.returncode == 0 or (result.returncode == 1 and "--strict" in args)):
        inputs, out, rest = [], None, list(args[1:])
        while rest:
            arg = rest.pop(0)
            if arg in _VALUED:
                value = rest.pop(0)
                out = Path(value) if arg == "--out" else out
            elif not arg.startswith("--"):
                inputs.append(arg)
        if out is not None and (cwd / out / "stats.json").exists():
            accounting.check(inputs, cwd / out, cwd)
    return result


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds_out")
    result = cli("clean", "seeds", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def records(seeds_out: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in read_jsonl(seeds_out / "corpus.jsonl")}


def clean_texts(texts: dict[str, str], tmp: Path) -> dict[str, dict[str, Any]]:
    """Clean ``{id: text}`` pages in-process; returns records by id."""
    src = tmp / "in"
    src.mkdir(parents=True, exist_ok=True)
    for id_, text in texts.items():
        (src / f"{id_}.txt").write_text(text, encoding="utf-8")
    run([str(src)], tmp / "out", Config())
    accounting.check([str(src)], tmp / "out")
    return {r["id"]: r for r in read_jsonl(tmp / "out" / "corpus.jsonl")}


def pytest_report_header() -> str:
    from pipeline import ENGINE as STAGES
    from pipeline.glue import ENGINE

    return f"glue engine: {ENGINE} (pipeline.glue.native); stages: {STAGES} (pipeline.native)"
