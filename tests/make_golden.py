"""Write ``tests/golden/<id>.json``: the expected record of each seed. Run by ``make golden`` only.

Read the diff (``git diff tests/golden``) before committing it: a golden file is a claim that a
person checked this output.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from pipeline.config import Config
from pipeline.executors.local import run

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def records() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        run(["seeds"], Path(tmp), Config(), timings=False)
        lines = (Path(tmp) / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def render(record: dict[str, object]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    for record in records():
        path = GOLDEN / f"{record['id']}.json"
        path.write_text(render(record), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
