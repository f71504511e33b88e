"""Run the stages over documents and write ``corpus.jsonl``, ``rejects.jsonl`` and ``stats.json``.

:func:`clean_document` is the whole pipeline for one document: a pure function from a document
to an :class:`Outcome` (a record or a reject, and what each stage did), safe to call in worker
processes. :func:`run` is the local executor: it reads, cleans and writes, one document at a
time, so memory does not grow with the corpus.

A stage that raises :class:`Reject` turns the document into a reject with that stage's reason;
any other exception is a bug: the document becomes a reject with reason ``internal_error``, the
traceback goes to stderr, and the run goes on. Nothing is swallowed silently.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import stages as stage_registry
from .config import Config
from .document import Document, Reject
from .io import AtomicWriter, dumps, read_inputs, reject


@dataclass
class StageRun:
    name: str
    changed: bool
    rejected: bool
    seconds: float
    edits: int


@dataclass
class Outcome:
    id: str
    record: dict[str, Any] | None = None
    reject: dict[str, Any] | None = None
    stages: list[StageRun] = field(default_factory=list)


def clean_document(doc: Document, cfg: Config, names: Iterable[str] | None = None) -> Outcome:
    """Run the stages (all, or those named) over one document."""
    wanted = set(names) if names is not None else None
    outcome = Outcome(doc.id)
    for name, fn in stage_registry.STAGES:
        if (wanted is not None and name not in wanted) or not cfg.stage(name).enabled:
            continue
        start = time.perf_counter()
        n_edits, n_removed = len(doc.edits), len(doc.removed)
        try:
            doc = fn(doc, cfg)
        except Reject as exc:
            outcome.stages.append(StageRun(name, False, True, time.perf_counter() - start, 0))
            outcome.reject = reject(doc.id, doc.source.to_json(), exc.stage, exc.reason, exc.detail)
            return outcome
        except Exception as exc:  # a bug: report it loudly, keep the run going
            print(f"newsclean: internal error in stage {name!r} on {doc.id!r} ({doc.source.path}):", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            outcome.stages.append(StageRun(name, False, True, time.perf_counter() - start, 0))
            outcome.reject = reject(
                doc.id,
                doc.source.to_json(),
                name,
                "internal_error",
                f"{type(exc).__name__}: {exc} -- a bug in the cleaner; please report it with this input",
            )
            return outcome
        added = len(doc.edits) - n_edits
        changed = added > 0 or len(doc.removed) > n_removed
        outcome.stages.append(StageRun(name, changed, False, time.perf_counter() - start, added))
    outcome.record = doc.record
    return outcome


@dataclass
class Stats:
    """Per stage: documents seen, changed, rejected, edits, seconds; and the run's totals."""

    inputs: int = 0
    records: int = 0
    rejects: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    stages: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, outcome: Outcome) -> None:
        for run in outcome.stages:
            s = self.stages.setdefault(run.name, {"seen": 0, "changed": 0, "rejected": 0, "edits": 0, "seconds": 0.0})
            s["seen"] += 1
            s["changed"] += int(run.changed)
            s["rejected"] += int(run.rejected)
            s["edits"] += run.edits
            s["seconds"] += run.seconds

    def to_json(self, timings: bool = True) -> dict[str, Any]:
        stages = {}
        for name in stage_registry.NAMES:
            if name in self.stages:
                s = dict(self.stages[name])
                if timings:
                    s["seconds"] = round(s["seconds"], 6)
                else:
                    del s["seconds"]
                stages[name] = s
        return {
            "inputs": self.inputs,
            "records": self.records,
            "rejects": self.rejects,
            "reject_reasons": dict(sorted(self.reasons.items())),
            "stages": stages,
        }

    def summary(self) -> str:
        edits = ", ".join(
            f"{n} {int(self.stages[n]['edits'])}"
            for n in stage_registry.NAMES
            if n in self.stages and self.stages[n]["edits"]
        )
        return (
            f"{self.inputs} documents in, {self.records} records out, {self.rejects} rejects"
            f" | edits per stage: {edits or 'none'}"
        )


def run(inputs: list[str], out_dir: Path, cfg: Config, timings: bool = True) -> Stats:
    """Clean every input into ``out_dir``; returns the stats (also written to stats.json)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = Stats()
    corpus = AtomicWriter(out_dir / "corpus.jsonl")
    rejects = AtomicWriter(out_dir / "rejects.jsonl")
    try:
        for item in read_inputs(inputs, exclude=out_dir, max_bytes=cfg.decode.max_bytes):
            stats.inputs += 1
            if isinstance(item, dict):  # could not even be read
                stats.rejects += 1
                stats.reasons[f"{item['stage']}:{item['reason']}"] += 1
                rejects.write(dumps(item))
                continue
            outcome = clean_document(item, cfg)
            stats.add(outcome)
            if outcome.record is not None:
                stats.records += 1
                corpus.write(dumps(outcome.record))
            else:
                assert outcome.reject is not None
                stats.rejects += 1
                stats.reasons[f"{outcome.reject['stage']}:{outcome.reject['reason']}"] += 1
                rejects.write(dumps(outcome.reject))
    except BaseException:
        corpus.abort()
        rejects.abort()
        raise
    corpus.commit()
    rejects.commit()
    stats_path = out_dir / "stats.json"
    tmp = stats_path.with_name("stats.json.tmp")
    tmp.write_text(json.dumps(stats.to_json(timings), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(stats_path)
    return stats
