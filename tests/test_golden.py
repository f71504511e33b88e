"""Each seed's record equals its golden file (written by ``make golden``, read by a person)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .make_golden import GOLDEN, render

SEED_IDS = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


@pytest.mark.parametrize("seed", SEED_IDS)
def test_golden(records: dict[str, dict[str, Any]], seed: str) -> None:
    path = GOLDEN / f"{seed}.json"
    assert path.exists(), f"{path} is missing: run `make golden` and read the result"
    assert render(records[seed]) == path.read_text(encoding="utf-8"), (
        f"{seed} differs from its golden file; if the change is intended, run `make golden` and review the diff"
    )
