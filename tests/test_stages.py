"""Every stage against its case file ``tests/cases/<stage>.toml``.

A case has a ``label`` and an ``input``; ``expected`` is what the stage must produce, and a case
without ``expected`` (and without ``expect``/``reject``) is a negative case: correct text that must
come out unchanged, with no edit recorded. ``xfail = true`` (with ``reason``) marks a known failure,
run as ``xfail(strict=True)`` so that fixing it is noticed.

How each stage reads a case:
- ``decode``: ``input_hex`` (bytes) or ``input``; ``expected`` text, or ``reject`` reason.
- ``unicode``, ``whitespace``: ``input`` is page text; ``expected`` the text after the stage.
- ``glue``, ``dates``: ``input`` is one paragraph (``lang``); ``expected`` the repaired paragraph.
  ``dates`` cases with ``published_raw`` check ``published`` (``expect_published``) instead.
- ``language``: ``input`` is a paragraph; ``expected`` an ISO 639-1 code.
- ``structure``: ``input`` is a page; ``[case.expect]`` lists fields and their values
  (``captions`` as ``[n, text, credit]`` triples, ``removed`` as ``[kind, text]`` pairs);
  or ``reject``.
- ``record``: ``[case.fields]`` of a structured document; ``expected`` the record's ``text``, or
  ``reject`` (reason ``schema``) with ``detail_contains``.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

import pytest

from pipeline import stages
from pipeline.config import Config
from pipeline.document import Caption, Document, Reject, Source

CASES = Path(__file__).parent / "cases"
CFG = Config()


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.toml")):
        stage = path.stem
        if stage == "glue":
            continue  # read by tests/test_glue.py, which also passes each case's document context
        assert stage in stages.NAMES, f"{path.name}: no stage named {stage!r}"
        with open(path, "rb") as fh:
            cases = tomllib.load(fh)["case"]
        for i, case in enumerate(cases):
            marks = (
                [pytest.mark.xfail(strict=True, reason=case.get("reason", "known failure"))]
                if case.get("xfail")
                else []
            )
            params.append(pytest.param(stage, case, id=f"{stage}-{i:03d}-{case['label']}", marks=marks))
    return params


def _source(data: bytes) -> Source:
    return Source("<case>", len(data), hashlib.sha256(data).hexdigest())


def _run(stage: str, doc: Document) -> Document:
    return stages.get(stage)(doc, CFG)


def _expect_reject(stage: str, doc: Document, case: dict[str, Any]) -> None:
    """The stage must reject ``doc`` with the case's reason (and detail, when given)."""
    with pytest.raises(Reject) as info:
        _run(stage, doc)
    assert info.value.reason == case["reject"]
    assert case.get("detail_contains", "") in info.value.detail


def _is_negative(case: dict[str, Any]) -> bool:
    return not any(k in case for k in ("expected", "expect", "reject", "expect_published"))


@pytest.mark.parametrize(("stage", "case"), _load())
def test_case(stage: str, case: dict[str, Any]) -> None:
    if stage == "decode":
        data = bytes.fromhex(case["input_hex"]) if "input_hex" in case else case["input"].encode("utf-8")
        doc = Document(id="case", source=_source(data), raw=data)
        if "reject" in case:
            _expect_reject(stage, doc, case)
            return
        out = _run(stage, doc)
        assert out.text == case.get("expected", case.get("input"))
        return

    text = case.get("input", "")
    source = _source(text.encode("utf-8"))
    if stage in ("unicode", "whitespace"):
        doc = Document(id="case", source=source, text=text)
        out = _run(stage, doc)
        assert out.text == case.get("expected", text)
    elif stage in ("glue", "dates") and "published_raw" not in case:
        doc = Document(
            id="case",
            source=source,
            lang=case.get("lang", "fr"),
            paragraphs=(text,),
            structured=True,
            site=case.get("site"),
        )
        out = _run(stage, doc)
        assert out.paragraphs[0] == case.get("expected", text)
    elif stage == "dates":
        doc = Document(
            id="case",
            source=source,
            paragraphs=("x",),
            structured=True,
            site=case.get("site"),
            published_raw=case["published_raw"],
        )
        out = _run(stage, doc)
        assert out.published == case.get("expect_published")
        assert all("DNUM_" not in (e.after or "") for e in out.edits)
        return
    elif stage == "language":
        doc = Document(id="case", source=source, paragraphs=(text,), structured=True)
        out = _run(stage, doc)
        assert out.lang == case["expected"]
        return
    elif stage == "structure":
        doc = Document(id="case", source=source, text=text)
        if "reject" in case:
            _expect_reject(stage, doc, case)
            return
        out = _run(stage, doc)
        for name, want in case["expect"].items():
            if name == "captions":
                got: Any = [[c.n if c.n is not None else 0, c.text, c.credit or ""] for c in out.captions]
            elif name == "removed":
                got = [[r.kind, r.text] for r in out.removed]
            elif name == "paragraphs":
                got = list(out.paragraphs)
            else:
                got = getattr(out, name)
                want = None if want == "" else want
            assert got == want, f"{name}: {got!r} != {want!r}"
        return
    elif stage == "record":
        fields = dict(case["fields"])
        fields["captions"] = tuple(Caption(*c) for c in fields.get("captions", []))
        fields["paragraphs"] = tuple(fields.get("paragraphs", []))
        doc = Document(id="case", source=source, structured=True, **fields)
        if "reject" in case:
            _expect_reject(stage, doc, case)
            return
        out = _run(stage, doc)
        assert out.record is not None and out.record["text"] == case["expected"]
        return
    else:  # pragma: no cover - a new stage needs its reading rule here
        pytest.fail(f"no case reader for stage {stage}")

    if _is_negative(case):
        assert out.edits == (), f"negative case recorded edits: {out.edits}"
    else:
        assert all(e.stage == stage for e in out.edits)
