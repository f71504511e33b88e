"""Shared fixtures: the seeds cleaned once per test session, in-process and through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import Config
from pipeline.runner import run

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def cli(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pipeline ARGS`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=600
    )


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
    return {r["id"]: r for r in read_jsonl(tmp / "out" / "corpus.jsonl")}
