"""Fuzz targets, one per stage and one for the whole pipeline, with the invariants they check.

Each target takes a generated input and fails (AssertionError, or any exception escaping a
stage other than :class:`Reject`) when an invariant breaks. ``tests/test_fuzz.py`` runs every
target briefly on each test run (fixed seeds, so CI is reproducible); ``make fuzz`` runs them
for ``FUZZ_SECONDS`` with fresh random seeds (``python -m tests.fuzz``). A failure found there
becomes a regression case in ``tests/cases/<stage>.toml`` or ``tests/hostile/``.

The invariants:

- **no crash**: a stage returns a document or raises ``Reject`` with a reason and a detail;
- **idempotence** (text stages ``unicode``, ``whitespace``, ``glue``, ``dates``): running the
  stage on its own output changes nothing and records no edit;
- **nothing lost** (every stage after ``decode``, and the whole pipeline): let ``kept(d)`` be the
  multiset of non-whitespace characters of everything a document holds: title, lead, paragraphs,
  captions (text and credit), byline, ``published_raw``/``published``, and the text of every
  ``removed`` entry (before ``structure``: the page text). Then for each stage
  ``kept(after) - kept(before) == chars(edit.after) - chars(edit.before)`` summed over the
  edits the stage recorded on text (not those on ``lang``). Whitespace is not counted: the stages normalise it by design
  (runs of spaces, no-break spaces, line ends). ``dateline`` is not counted: it is a copy of the
  start of its paragraph. Over the whole pipeline this says: every non-whitespace character of
  the decoded page is in the record, in ``removed``, or in an edit's ``before``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from pipeline import stages
from pipeline.config import Config
from pipeline.document import Document, Reject, Source
from pipeline.runner import clean_document
from pipeline.sources import profile_for

CFG = Config()
SOURCE = Source("<fuzz>", 0, "0" * 64)

WORDS = [
    "Le", "ministre", "a", "déclaré", "que", "le", "Vietnam", "gouvernement", "électronique", "Hanoï",
    "l’équipe", "l'ambassade", "Japon", "9,8", "2021", "Leministre", "quele", "dematériel", "au", "de",
    "The", "minister", "said", "ofEmbassy", "Japanin", "Government", "越南", "政府", "办公厅", "。", "，",
    "«", "»", "“", "”", "e-gouvernement", "Mai", "Tien", "Dung,", "Hanoï,17", "mars.", "année.",
    # digits `isdigit` takes and `int` does not (`²` before a glued plural raised in glue's
    # agreement rule), other scripts' decimals, and glued plurals after numbers
    "²", "③", "½", "٣", "4000", "historiensont", "soldatsont", "ofthe",
]  # fmt: skip
MARKERS = [
    "Voir plus", "更多", "Latest", "Photo: VNA", "Photo : VNA.", "ảnh 1", "ảnh 2", "-VNA", "- VNA", "(完)",
    "越通社", "./.", "DNUM_AIZABZCACB 10:55", "DNUM_ZZZ", "Featured Nghe An Newspaper", "Hanoï (VNA) –",
    "(Baonghean) -", "图自越通社", "Ảnh: Chinhphu.vn", "POWERED BY ONECMS", "Thanh Le DNUM_AIZABZCACB 10:55",
]  # fmt: skip
NOISE = [
    "\u00a0", "  ", "\t", "\u200b", "\u200d", "\u202e", "\u2066", "\u00ad", "Ã©", "â€™", "Ã ", "\x00", "\r\n",
    "\r", "\n", "\n\n", "\ufeff", "e\u0301", "\u3000", "\x1b[31m", "\x85", "\u2028", "\ud7ff", "😀",
]  # fmt: skip

_token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(MARKERS),
    st.sampled_from(NOISE),
    st.text(max_size=4),
)
_sep = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", "\u00a0"])
PAGES = st.lists(st.tuples(_token, _sep), max_size=60).map(lambda parts: "".join(t + s for t, s in parts))
PARAGRAPHS = PAGES.map(lambda text: " ".join(text.split()))  # one line, as the text stages see it after structure
RAW = st.one_of(
    PAGES.map(lambda t: t.encode("utf-8", "surrogatepass")),
    PAGES.map(lambda t: t.encode("utf-16")),
    PAGES.map(lambda t: t.encode("cp1252", "replace")),
    st.binary(max_size=300),
)


def chars(text: str | None) -> Counter[str]:
    return Counter(ch for ch in text or "" if not ch.isspace())


def kept(doc: Document) -> Counter[str]:
    """Every non-whitespace character the document holds (see the module docstring)."""
    out = chars(doc.text) if not doc.structured else Counter()
    for value in (doc.title, doc.lead, doc.byline, doc.published_raw, doc.published, *doc.paragraphs):
        out.update(chars(value))
    for caption in doc.captions:
        out.update(chars(caption.text))
        out.update(chars(caption.credit))
    for removed in doc.removed:
        out.update(chars(removed.text))
    return out


def edit_balance(doc: Document, since: int) -> Counter[str]:
    """``chars(after) - chars(before)`` over the edits from index ``since`` (may go negative)."""
    out: Counter[str] = Counter()
    for edit in doc.edits[since:]:
        if edit.where.field == "lang":
            continue  # metadata (the language stage overruling the site), not text
        out.update(chars(edit.after))
        out.subtract(chars(edit.before))
    return out


def _diff(a: Counter[str], b: Counter[str]) -> dict[str, int]:
    d = Counter(a)
    d.subtract(b)
    return {k: v for k, v in d.items() if v}


def check_stage_step(name: str, before: Document, after: Document) -> None:
    """The stage's output is well formed and accounts for every character it moved or changed."""
    assert isinstance(after, Document)
    assert after.edits[: len(before.edits)] == before.edits, f"{name} rewrote earlier edits"
    assert after.removed[: len(before.removed)] == before.removed, f"{name} rewrote earlier removed entries"
    assert all(e.stage == name for e in after.edits[len(before.edits) :])
    if name == "decode":
        return
    delta = kept(after)
    delta.subtract(kept(before))
    delta = Counter({k: v for k, v in delta.items() if v})
    balance = Counter({k: v for k, v in edit_balance(after, len(before.edits)).items() if v})
    assert delta == balance, f"{name}: characters unaccounted for: {_diff(delta, balance)}"


def run_stages(doc: Document, cfg: Config = CFG) -> Document | Reject:
    """Every stage in order, checking each step; a Reject ends the run and is returned."""
    for name, fn in stages.STAGES:
        try:
            new = fn(doc, cfg)
        except Reject as exc:
            assert exc.reason and exc.detail and exc.stage == name, f"{name}: a reject names its stage and reason"
            return exc
        check_stage_step(name, doc, new)
        doc = new
    return doc


def target_pipeline(raw: bytes) -> None:
    """The whole pipeline on raw bytes: no crash; accounting stage by stage; a valid record."""
    doc = Document(id="fuzz", source=replace(SOURCE, bytes=len(raw)), raw=raw)
    result = run_stages(doc)
    outcome = clean_document(doc, CFG)
    if isinstance(result, Reject):
        assert outcome.reject is not None and outcome.reject["reason"] == result.reason
        assert result.reason not in ("schema", "internal_error"), f"a bug, not a bad input: {result}"
        return
    assert outcome.record is not None and outcome.record == result.record


NO_GLUE = CFG.override(glue={"enabled": False})


def _idempotent_any_profile(text: str) -> None:
    """``clean(clean(x)) == clean(x)`` even when the second run reads another source profile."""
    first = clean_document(Document(id="a", source=SOURCE, text=text), NO_GLUE)
    if first.record is None:
        return
    again = clean_document(Document(id="a", source=SOURCE, text=first.record["text"]), NO_GLUE)
    assert again.record is not None and again.record["text"] == first.record["text"]


def target_idempotent_pipeline(text: str, cfg: Config = NO_GLUE) -> None:
    """``clean(clean(x)) == clean(x)``: the record's text, cleaned again, comes back unchanged.

    Run without ``glue`` in CI: a glue split can expose a token that a second pass splits again
    (``Latest aLatest``, see ``KNOWN_FAILING``). Checked only when
    the cleaned text is still read with the same source profile: cleaning can remove the lines
    that identified the page's source (``Voir plus``), and another source's markers then apply
    (``更多\nVoir plus``: see ``KNOWN_FAILING``). Also not checked when ``dates`` removed an
    undecodable placeholder: it runs after ``structure``, so ``Voir plus DNUM_ZZZ`` becomes
    ``Voir plus``, a sidebar marker on the second run (``KNOWN_FAILING``)."""
    first = clean_document(Document(id="a", source=SOURCE, text=text), cfg)
    if first.record is None:
        assert first.reject is not None and first.reject["reason"] != "internal_error", first.reject
        return
    assume(profile_for(first.record["text"]).name == first.record["source"]["site"])
    assume(
        not any(
            e["stage"] == "dates" and e["where"]["field"] != "published" and not e["after"]
            for e in first.record["edits"]
        )
    )
    again = clean_document(Document(id="a", source=SOURCE, text=first.record["text"]), cfg)
    assert again.record is not None, again.reject
    assert again.record["text"] == first.record["text"]


def _text_doc(text: str) -> Document:
    return Document(id="fuzz", source=SOURCE, text=text)


def _para_doc(text: str, lang: str) -> Document:
    return Document(id="fuzz", source=SOURCE, paragraphs=(text,) if text else (), structured=True, lang=lang)


def target_text_stage(name: str, doc: Document, idempotent: bool = True) -> None:
    """One text stage: no crash, accounting, and idempotence (a second run records no edit)."""
    fn = stages.get(name)
    try:
        once = fn(doc, CFG)
    except Reject as exc:
        assert exc.reason and exc.detail
        return
    check_stage_step(name, doc, once)
    if not idempotent:
        return
    twice = fn(once, CFG)
    assert twice.edits == once.edits, f"{name} is not idempotent: {twice.edits[len(once.edits) :]}"
    assert twice.text_fields() == once.text_fields()


def target_structure(text: str) -> None:
    """``structure`` on a page (after ``unicode`` and ``whitespace``, as in the pipeline)."""
    doc = _text_doc(text)
    for name in ("unicode", "whitespace"):
        doc = stages.get(name)(doc, CFG)
    try:
        out = stages.get("structure")(doc, CFG)
    except Reject as exc:
        assert exc.reason in ("no_body", "timeout"), exc
        return
    check_stage_step("structure", doc, out)
    assert out.paragraphs and all(p.strip() == p and p for p in out.paragraphs)


def target_decode(raw: bytes) -> None:
    doc = Document(id="fuzz", source=replace(SOURCE, bytes=len(raw)), raw=raw)
    try:
        out = stages.get("decode")(doc, CFG)
    except Reject as exc:
        assert exc.reason in ("empty", "binary", "too_large", "line_too_long", "undecodable"), exc
        return
    assert out.raw is None and "\r" not in out.text and "\x00" not in out.text and out.text.strip()
    if out.source.encoding == "utf-8":  # valid UTF-8 is never re-decoded: only line ends and NULs change
        assert out.text == raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


CLEAN_PAGES = st.lists(
    st.tuples(st.sampled_from([w for w in WORDS if w not in ("Leministre", "quele", "dematériel", "ofEmbassy")]),
              st.sampled_from([" ", " ", "\n", "\n\n"])),
    max_size=60,
).map(lambda parts: "".join(t + s for t, s in parts).strip())  # fmt: skip


def target_clean_text_untouched(text: str) -> None:
    """Correct text is left alone: ``unicode`` and ``whitespace`` record no edit on clean French,
    English and Chinese words with single spaces (ftfy's promise, and ours)."""
    doc = _text_doc(text)
    for name in ("unicode", "whitespace"):
        out = stages.get(name)(doc, CFG)
        assert out.edits == () and out.text == text, f"{name} changed clean text: {out.edits}"


def target_language(text: str) -> None:
    doc = _para_doc(text, "fr")
    out = stages.get("language")(doc, CFG)
    check_stage_step("language", doc, out)
    assert out.lang is not None and (out.lang == "und" or len(out.lang) == 2)


def target_record(text: str) -> None:
    doc = _para_doc(" ".join(text.split()), "fr")
    try:
        out = stages.get("record")(doc, CFG)
    except Reject as exc:
        assert exc.reason == "schema" and exc.detail
        return
    assert out.record is not None and out.record["paragraphs"] == list(doc.paragraphs)


TARGETS: dict[str, tuple[Any, Any]] = {
    "decode": (RAW, target_decode),
    "unicode": (PAGES, lambda t: target_text_stage("unicode", _text_doc(t))),
    "whitespace": (PAGES, lambda t: target_text_stage("whitespace", _text_doc(t))),
    "structure": (PAGES, target_structure),
    "language": (PARAGRAPHS, target_language),
    "glue-fr": (PARAGRAPHS, lambda t: target_text_stage("glue", _para_doc(t, "fr"), idempotent=False)),
    "glue-en": (PARAGRAPHS, lambda t: target_text_stage("glue", _para_doc(t, "en"), idempotent=False)),
    "dates": (PARAGRAPHS, lambda t: target_text_stage("dates", _para_doc(t, "fr"))),
    "record": (PARAGRAPHS, target_record),
    "clean-text": (CLEAN_PAGES, target_clean_text_untouched),
    "pipeline": (RAW, target_pipeline),
    "idempotence": (PAGES, target_idempotent_pipeline),
}

# Known failures, run only when named (``python -m tests.fuzz --seconds 60 glue-idempotence``):
# glue can need a second pass: a split can expose a token that a second pass splits again
# ("Latest aLatest" -> "Latest a Latest" -> "La test a Latest"); the regression case is
# tests/test_fuzz.py::test_glue_idempotence_split_reveals_a_rare_token.
KNOWN_FAILING: dict[str, tuple[Any, Any]] = {
    "glue-idempotence": (PARAGRAPHS, lambda t: target_text_stage("glue", _para_doc(t, "fr"))),
    "idempotence-with-glue": (PAGES, lambda t: target_idempotent_pipeline(t, CFG)),
    "idempotence-any-profile": (PAGES, lambda t: _idempotent_any_profile(t)),
}
