"""Run the stages over documents and write ``corpus.jsonl``, ``rejects.jsonl`` and ``stats.json``.

:func:`clean_document` is the whole pipeline for one document: a pure function from a document
to an :class:`Outcome` (a record or a reject, and what each stage did), safe to call in worker
processes; :func:`clean_batch` gives a batch of documents the same outcomes, running the stages
one after the other over the whole batch (kinder to the CPU caches). :mod:`pipeline.executors`
run them over a corpus (local processes, Ray), reading, cleaning and writing a document or a
small batch at a time, so memory does not grow with the corpus.

A stage that raises :class:`Reject` turns the document into a reject with that stage's reason;
any other exception is a bug: the document becomes a reject with reason ``internal_error``, the
traceback goes to stderr, and the run goes on. Nothing is swallowed silently.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from . import stages as stage_registry
from .config import Config
from .document import Document, Reject
from .io import reject


class StageRun(NamedTuple):
    """What one stage did to one document (a tuple: made for every stage of every page, and sent
    back from worker processes as it is)."""

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
    # ``record`` as its JSONL line (``io.dumps``), when the ``record`` stage made it (see
    # ``Document.record_line``); None otherwise.
    line: bytes | None = None


def clean_document(doc: Document, cfg: Config, names: Iterable[str] | None = None) -> Outcome:
    """Run the stages (all, or those named) over one document."""
    return clean_batch([doc], cfg, names)[0]


def clean_batch(docs: Sequence[Document], cfg: Config, names: Iterable[str] | None = None) -> list[Outcome]:
    """:func:`clean_document` of each document, stage by stage over the batch: the same outcomes
    (each document still goes through the stages alone, in order, and stops at its reject), but
    one stage's tables (lingua's n-gram models, the glue engine's word tables, the regexes) are
    used for the whole batch while they are in the CPU caches, instead of being pushed out by the
    next stage's after each page. Over batches of 32 pages this cuts the pipeline's CPU time per
    page by about a sixth on pages that do not repeat (lingua's calls alone by about 40 %)."""
    wanted = set(names) if names is not None else None
    outcomes = [Outcome(doc.id) for doc in docs]
    live = list(range(len(docs)))
    current = list(docs)
    for name, fn in stage_registry.STAGES:
        if (wanted is not None and name not in wanted) or not cfg.stage(name).enabled:
            continue
        still = []
        for i in live:
            doc = _step(name, fn, current[i], cfg, outcomes[i])
            if doc is not None:
                current[i] = doc
                still.append(i)
        live = still
    for i in live:
        outcomes[i].record = current[i].record
        outcomes[i].line = current[i].record_line
    return outcomes


def _run(name: str, changed: bool, rejected: bool, seconds: float, edits: int) -> StageRun:
    """``StageRun(name, changed, rejected, seconds, edits)``, made as its class makes it.

    A ``NamedTuple``'s ``__new__`` is a Python function (``collections.namedtuple`` writes it:
    ``return _tuple_new(_cls, (name, changed, ...))``), so each ``StageRun(...)`` ran an
    interpreted frame, about 2,600 instructions; ``_step`` makes one for every stage of every
    page. ``tuple.__new__`` of the class and the fields' tuple is that function's own body: the
    same ``StageRun``, equal and of the same type, without the frame.

        before: StageRun("dates", False, False, 1.2e-05, 0)          (an interpreted __new__)
        after:  _run("dates", False, False, 1.2e-05, 0) -> the same  (tuple.__new__, in C)
    """
    return tuple.__new__(StageRun, (name, changed, rejected, seconds, edits))


def _step(name: str, fn: stage_registry.StageFn, doc: Document, cfg: Config, outcome: Outcome) -> Document | None:
    """One stage over one document, recorded in ``outcome``; None when the document is rejected
    (``outcome.reject`` then says why)."""
    start = time.perf_counter()
    n_edits, n_removed = len(doc.edits), len(doc.removed)
    try:
        out = fn(doc, cfg)
    except Reject as exc:
        outcome.stages.append(_run(name, False, True, time.perf_counter() - start, 0))
        outcome.reject = reject(doc.id, doc.source.to_json(), exc.stage, exc.reason, exc.detail)
        return None
    # (`bug`, not `exc` again: compiled by mypyc, one name is one variable of one type, `Reject`)
    except Exception as bug:  # a bug: report it loudly, keep the run going
        print(f"newsclean: internal error in stage {name!r} on {doc.id!r} ({doc.source.path}):", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        outcome.stages.append(_run(name, False, True, time.perf_counter() - start, 0))
        outcome.reject = reject(
            doc.id,
            doc.source.to_json(),
            name,
            "internal_error",
            f"{type(bug).__name__}: {bug} -- a bug in the cleaner; please report it with this input",
        )
        return None
    added = len(out.edits) - n_edits
    changed = added > 0 or len(out.removed) > n_removed
    outcome.stages.append(_run(name, changed, False, time.perf_counter() - start, added))
    return out


def stage_runs(outcome: Outcome) -> tuple[tuple[str, bool, bool, float, int], ...]:
    """The outcome's stage runs as tuples (cheap to send back from a worker process)."""
    return tuple(outcome.stages)


@dataclass
class Stats:
    """Per stage: documents seen, changed, rejected, edits, seconds; and the run's totals."""

    inputs: int = 0
    records: int = 0
    rejects: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    stages: dict[str, dict[str, float]] = field(default_factory=dict)
    wall_seconds: float = 0.0  # the run's wall-clock time (set by the executor; not in stats.json)
    bytes_in: int = 0  # input bytes cleaned in this run (set by the executor)

    def add(self, outcome: Outcome) -> None:
        self.add_runs(stage_runs(outcome))

    def add_runs(self, runs: Iterable[tuple[str, bool, bool, float, int]]) -> None:
        """Count one document's stage runs, as ``(name, changed, rejected, seconds, edits)``."""
        stages = self.stages
        for name, changed, rejected, seconds, edits in runs:
            s = stages.get(name)
            if s is None:  # not setdefault: that would build the default dict for every run
                s = stages[name] = {"seen": 0, "changed": 0, "rejected": 0, "edits": 0, "seconds": 0.0}
            s["seen"] += 1
            s["changed"] += int(changed)
            s["rejected"] += int(rejected)
            s["edits"] += edits
            s["seconds"] += seconds

    def count(self, ok: bool, reason: str | None) -> None:
        """One input written: a record (``ok``) or a reject with ``stage:reason``."""
        self.inputs += 1
        if ok:
            self.records += 1
        else:
            self.rejects += 1
            self.reasons[reason or "unknown"] += 1

    def raw(self) -> dict[str, Any]:
        """Everything, unrounded, for a shard's ``done`` file (see :meth:`merge`)."""
        return {
            "inputs": self.inputs,
            "records": self.records,
            "rejects": self.rejects,
            "reasons": dict(self.reasons),
            "stages": self.stages,
            "bytes": self.bytes_in,
        }

    def merge(self, raw: dict[str, Any]) -> None:
        """Add the counts of another run or shard (the dict of :meth:`raw`)."""
        self.inputs += raw["inputs"]
        self.records += raw["records"]
        self.rejects += raw["rejects"]
        self.reasons.update(raw["reasons"])
        self.bytes_in += raw.get("bytes", 0)
        for name, values in raw["stages"].items():
            s = self.stages.setdefault(name, {"seen": 0, "changed": 0, "rejected": 0, "edits": 0, "seconds": 0.0})
            for key, value in values.items():
                s[key] += value

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

    def speed(self) -> str:
        """``12.3 s, 1626 docs/s, 10.6 MB/s`` for the run's final line (stderr)."""
        secs = max(self.wall_seconds, 1e-9)
        return f"{self.wall_seconds:.1f} s, {self.inputs / secs:.0f} docs/s, {self.bytes_in / secs / 1e6:.2f} MB/s"
