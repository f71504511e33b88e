"""Determinism: byte-identical output across runs, hash seeds and worker counts.

The input mixes the seeds with the hostile cases (records and rejects of every kind), so that
rejects, stats and the order of both files are covered. ``--no-timings`` leaves the wall-clock
seconds out of ``stats.json``; the whole output directory must then be byte-identical.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from . import accounting
from .conftest import ROOT, SEEDS
from .hostile.make_cases import write

FILES = ("corpus.jsonl", "rejects.jsonl", "stats.json")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("determinism")
    write(root / "in", "default")
    for big in ("fifty-mb.txt", "five-mb-line.txt"):  # covered by the hostile suite; slow to reread here
        (root / "in" / big).unlink()
    shutil.copytree(SEEDS, root / "in" / "seeds")
    return root / "in"


def _clean(inputs: Path, out: Path, seed: str, *flags: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "clean", str(inputs), "--out", str(out), "--no-timings", *flags],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    accounting.check([str(inputs)], out)
    return {name: (out / name).read_bytes() for name in FILES}


def test_byte_identical_across_runs_and_hash_seeds(inputs: Path, tmp_path: Path) -> None:
    outputs = [_clean(inputs, tmp_path / f"out-{seed}", seed) for seed in ("0", "1", "4242")]
    assert outputs[0]["corpus.jsonl"] and outputs[0]["rejects.jsonl"]
    for other in outputs[1:]:
        for name in FILES:
            assert other[name] == outputs[0][name], f"{name} differs between PYTHONHASHSEED runs"




def test_byte_identical_with_one_or_more_workers(inputs: Path, tmp_path: Path) -> None:
    one = _clean(inputs, tmp_path / "w1", "0", "--workers", "1")
    two = _clean(inputs, tmp_path / "w2", "1", "--workers", "2")
    assert one == two
