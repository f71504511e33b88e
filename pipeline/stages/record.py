"""``record``: assemble the output record of SPEC.md and validate it against the JSON Schema.

A record that breaks the schema becomes a reject naming the field, never a bad line in
``corpus.jsonl``. ``text`` is what ``{id, text}`` readers (datatrove, dolma) see: title, lead and
paragraphs joined by blank lines. A stage that made more than ``max_edits_per_stage`` edits on one
document keeps the first ones and one ``truncated`` edit counting the rest.

    before: Document(title="T", lead=None, paragraphs=("P1", "P2"), ...)
    after:  record={"id": ..., "text": "T\\n\\nP1\\n\\nP2", "title": "T", ...}
"""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..document import (
    Caption,
    Document,
    Edit,
    Reject,
    Removed,
    Source,
    _caption_json,
    _edit_json,
    _removed_json,
    _source_json,
    evolve,
)
from ..io import dumps
from ..schema import is_valid, problems

NAME = "record"


def _edits(doc: Document, cap: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    # Edits per stage so far, in the order the stages first appear (as a Counter would count
    # them, without its two lookups and Python-level ``__missing__`` per edit).
    seen: dict[str, int] = {}
    get = seen.get
    for edit in doc.edits:
        stage = edit.stage
        count = seen[stage] = get(stage, 0) + 1
        if count <= cap:
            # (an ``Edit``'s JSON by its function, a direct call compiled; anything else, a
            # subclass, by its own ``to_json``, as before)
            out.append(_edit_json(edit.__dict__) if type(edit) is Edit else edit.to_json())
    for stage, count in seen.items():
        if count > cap:
            out.append(
                {
                    "stage": stage,
                    "kind": "truncated",
                    "before": "",
                    "after": "",
                    "where": {"field": "edits", "index": None, "offset": None},
                    "count": count - cap,
                }
            )
    return out


def build(doc: Document, cfg: Config) -> dict[str, Any]:
    # The fields read from the document's instance dict: untyped, so that compiled by mypyc the
    # stage passes a wrong-typed field (a bug of an earlier stage) on to the schema check, which
    # names it (`schema` reject), as the source does, instead of raising TypeError at the read.
    d = doc.__dict__
    title, lead, paragraphs = d["title"], d["lead"], d["paragraphs"]
    parts = [p for p in (title, lead, *paragraphs) if p]
    # Each object's JSON by its class's function of its instance dict when it is of that class
    # exactly (compiled, a direct call instead of a generic method call on a Python class:
    # about 7,000 such calls on 320 bench pages); anything else by its own ``to_json``, as before.
    src = d["source"]
    source = _source_json(src.__dict__) if type(src) is Source else src.to_json()
    source["site"] = d["site"]
    return {
        "id": d["id"],
        "text": "\n\n".join(parts),
        "lang": d["lang"],
        "title": title,
        "lead": lead,
        "dateline": d["dateline"],
        "byline": d["byline"],
        "published": d["published"],
        "paragraphs": list(paragraphs),
        "captions": [_caption_json(c.__dict__) if type(c) is Caption else c.to_json() for c in d["captions"]],
        "removed": [_removed_json(r.__dict__) if type(r) is Removed else r.to_json() for r in d["removed"]],
        "edits": _edits(doc, cfg.record.max_edits_per_stage),
        "source": source,
    }


def run(doc: Document, cfg: Config) -> Document:
    record = build(doc, cfg)
    # The record's JSON line, made once: the check reads it, and the executors write it as it is
    # (the record is not changed after this stage) instead of serializing the record again.
    line = dumps(record)
    if is_valid(record, data=line):  # compiled validator first: ~130 µs per record saved
        return evolve(doc, record=record, record_line=line)
    found = list(problems(record))
    if found:
        detail = "; ".join(found[:3]) + " -- a bug in the cleaner; please report it with this input"
        raise Reject(NAME, "schema", detail)
    return evolve(doc, record=record, record_line=line)
