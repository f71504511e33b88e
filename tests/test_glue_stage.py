"""The `glue` stage's fast paths (bench/GLUE.md, "Eighteenth speed round") give the documents the
reference path gives: the same paragraphs, captions, fields and edits, bit for bit.

The reference is the stage as it was before the round (`_reference_run`: the document context
built from the texts, each text repaired by `repair` with no tokens given), run on documents as
they reach `glue` (the stages before it run on the seeds, on made-up bench pages and on edge
cases: an unstructured page, a text met twice, empty and whitespace-only fields, languages the
engine leaves alone).
"""

from __future__ import annotations

from typing import Any

import pytest

from bench.make_corpus import documents
from pipeline import glue as engine
from pipeline.config import Config
from pipeline.document import Caption, Document, Edit, Source, Where, evolve
from pipeline.edits import map_text_fields
from pipeline.glue import GlueContext, core
from pipeline.runner import Outcome, _step
from pipeline.stages import STAGES
from pipeline.stages import glue as stage

from .conftest import ROOT

CFG = Config()


def _reference_run(doc: Document, cfg: Config) -> Document:
    """The stage before the round: no text split ahead, `GlueContext.from_texts`."""
    lang = doc.lang or ""
    if lang not in cfg.glue.languages:
        return doc
    context = engine.GlueContext.from_texts((value for _, _, value in doc.text_fields()), lang)

    def fix(text: str, where: Where) -> tuple[str, list[Edit]]:
        repaired, splits = engine.repair(text, lang, context)
        edits = [
            Edit("glue", s.rule, s.left + s.right, f"{s.left} {s.right}",
                 Where(where.field, where.index, s.offset - len(s.left)), s.score)
            for s in splits
        ]
        return repaired, edits

    return map_text_fields(doc, fix)[0]


def _before_glue(doc: Document) -> Document | None:
    """`doc` as it reaches `glue` (None: rejected by an earlier stage)."""
    outcome = Outcome(doc.id)
    for name, fn in STAGES:
        if name == "glue":
            return doc
        found = _step(name, fn, doc, CFG, outcome)
        if found is None:
            return None
        doc = found
    return doc


def _edge_cases(base: Document) -> list[Document]:
    """Made-up documents the stage must treat as the reference does."""
    glued = "Leministre a déclaré quele projet avance.\nMaiTien Dung a reçu Mai Tien Dung."
    para = "Le ministre Mai Tien Dung a déclaré quele Vietnamont signé."
    out = [
        evolve(base, structured=False, text=glued, lang="fr"),  # one `text` field
        evolve(base, paragraphs=(para, para, "", "   ", para + " Fin."), lang="fr"),  # a text met twice
        evolve(base, title=para, lead=None, dateline="Hanoï,17 mars", paragraphs=(para,), lang="fr"),
        evolve(base, captions=(Caption(1, para, "VNA", "fr"), Caption(None, "", None)), lang="fr"),
        evolve(base, paragraphs=("ThePrime Minister ofVietnam said so.",), lang="en"),
        evolve(base, lang="zh"),
        evolve(base, lang=None),
    ]
    return out


@pytest.fixture(scope="module")
def ready() -> list[Document]:
    docs = [Document(id=p.stem, source=Source(str(p), 0, ""), text=p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "seeds").glob("*.txt"))]
    docs += [Document(id=d["id"], source=Source(d["id"], 0, ""), text=d["text"]) for d in documents(160, seed=18)]
    out = [d for d in (_before_glue(doc) for doc in docs) if d is not None]
    out += _edge_cases(next(d for d in out if d.structured and d.lang == "fr"))
    return out


def _fields(doc: Document) -> tuple[Any, ...]:
    return (doc.text, doc.title, doc.lead, doc.dateline, doc.paragraphs, doc.captions,
            [(e.to_json(), None if e.score is None else e.score.hex()) for e in doc.edits])


def test_the_stage_gives_the_reference_documents(ready: list[Document]) -> None:
    changed = 0
    for doc in ready:
        fast, slow = stage.run(doc, CFG), _reference_run(doc, CFG)
        assert _fields(fast) == _fields(slow), doc.id
        assert (fast is doc) == (slow is doc)  # a document without a split comes back as it is
        changed += fast is not doc
    assert changed > 80  # the bench pages do hold glue the stage repairs


def test_each_edit_holds_its_own_texts_place(ready: list[Document]) -> None:
    """The stage reads each text's place once (`where.field`, `where.index`) and each split's
    fields once (twenty-ninth round): against the reference, on documents whose edits fall in
    several texts (the paragraphs' indexes, the captions', the title), with several splits in
    one text, and with a text met twice."""
    spread = multi = 0
    for doc in ready:
        fast, slow = stage.run(doc, CFG), _reference_run(doc, CFG)
        assert [(e.to_json(), e.where) for e in fast.edits] == [(e.to_json(), e.where) for e in slow.edits], doc.id
        glued = [e for e in fast.edits if e.stage == "glue"]  # (the stages before add theirs)
        places = [(e.where.field, e.where.index) for e in glued]
        spread += len(set(places)) >= 3
        multi += len(places) > len(set(places))
        for e in glued:  # each edit's piece is where its place and offset say
            field, index, offset = e.where.field, e.where.index, e.where.offset
            assert offset is not None
            value = getattr(doc, field) if index is None else getattr(doc, field)[index]
            text = value.text if isinstance(value, Caption) else value
            assert text[offset:offset + len(e.before)] == e.before, (doc.id, e)
    assert spread > 80 and multi > 80  # (113 and 129 of 172 documents)


def test_a_context_from_tokens_is_the_context_from_texts(ready: list[Document]) -> None:
    """`GlueContext.from_tokens` (the texts split by the caller) indexes the same words and the
    same cores met twice as `from_texts`, and the pairs and scans answer alike."""
    asked = 0
    for doc in ready[:80]:
        texts = [value for _, _, value in doc.text_fields()]
        a = GlueContext.from_tokens(texts, [t.split() for t in texts], "fr")
        b = GlueContext.from_texts(texts, "fr")
        assert a.words == b.words
        for core_ in [*sorted(b.words)[:200], "", "(", "zzz", "Mai", "Tien"]:
            assert a.seen_twice(core_) == b.seen_twice(core_)
            asked += 1
        assert a.counts == b.counts and a.pairs == b.pairs
    assert asked > 5_000


def test_repair_with_given_words_is_repair(ready: list[Document]) -> None:
    """`repair(p, ..., words=p.split())` is `repair(p, ...)`, on every text of the documents."""
    n = 0
    for doc in ready[:100]:
        lang = doc.lang or "fr"
        texts = [value for _, _, value in doc.text_fields()]
        ctx = GlueContext.from_texts(texts, lang)
        for text in texts:
            assert core.repair(text, lang, ctx, words=text.split()) == core.repair(text, lang, ctx)
            n += 1
    assert n > 1_000


def test_has_word_with_tokens_given_is_membership(ready: list[Document]) -> None:
    """With the tokens given, `has_word` builds the set of words at the first question (no
    scan) and answers as `from_texts`' set does, on the pieces of every token."""
    asked = found = 0
    for doc in ready[:60]:
        texts = [value for _, _, value in doc.text_fields()]
        given = GlueContext.from_tokens(texts, [t.split() for t in texts], "fr")
        ref = GlueContext.from_texts(texts, "fr").words
        asks = ["", "(", "Mai", "Tien)", " ", "a b"]
        for tok in " ".join(texts).split()[:300]:
            asks += [tok, core._core(tok), tok[1:], tok[:-1], tok[: len(tok) // 2]]
        for a in asks:
            want = a in ref
            assert given.has_word(a) == want, a
            asked += 1
            found += want
        assert given._scans == 0
    assert asked > 20_000 and 0.2 * asked < found < 0.8 * asked, (asked, found)


def _reference_kind(tok: str, shared: Any) -> int:
    """The gates' sorting of a token as it was written in `_nothing_to_split` and `_one_pass`."""
    if tok in shared.known or core._surely_plain(tok, shared.known, shared.elided):
        return core._KIND_PLAIN
    if shared.cleared is not None and core._cleared(tok, shared.cleared):
        return core._KIND_LISTED
    return core._KIND_PLAIN if shared.part._plain(tok) else core._KIND_ODD


def test_gate_kind_is_the_gates_sorting(ready: list[Document]) -> None:
    """`_Shared.kind` (memoised `_gate_kind`) sorts every token as the gates' own tests did: on
    the tokens of the documents, their pieces, and made-up tokens with marks, digits, elisions,
    capitals; asked twice (the memo's answer) and after the memo is emptied."""
    import random

    rng = random.Random(18)
    toks: list[str] = []
    for doc in ready:
        for text in [value for _, _, value in doc.text_fields()]:
            for tok in text.split():
                i = rng.randrange(len(tok) + 1)
                toks += [tok, tok[:i], tok[i:], tok.upper(), tok.capitalize(), f"({tok},", f"{tok}.", f"«{tok}»"]
    toks += ["l'origine", "L'origine", "qu'ils", "l'sien", "dit,", "(and", "else?)", '"l\'origine".', "9,8",
             "2020,au", "Hanoï,17", "U.S.", "24e", "", "(", ")", "»", "’", "Vietnamont", "quele", "e-gouvernement,l'"]
    counts = [0, 0, 0]
    for lang in ("fr", "en"):
        shared = core._shared_for(lang, core.DEFAULT_CONFIG)
        shared.kinds.clear()
        for tok in toks:
            if not tok or tok in shared.known:
                continue  # (the callers test `known` first and never ask about "")
            want = _reference_kind(tok, shared)
            assert shared.kind(tok) == want == shared.kind(tok), (lang, tok)
            counts[want] += 1
        assert len(shared.kinds) <= core.MEMO_KINDS
        shared.clear()
        assert not shared.kinds
    assert min(counts) > 100, counts


def test_gate_kind_memo_stays_bounded() -> None:
    """The memo is emptied when full: never more than `MEMO_KINDS` tokens, the same answers."""
    shared = core._shared_for("fr", core.DEFAULT_CONFIG)
    shared.kinds.clear()
    made = [f"Xq{i}zz" for i in range(core.MEMO_KINDS + 500)]
    for tok in made:
        assert shared.kind(tok) == core._KIND_ODD
        assert len(shared.kinds) <= core.MEMO_KINDS
    assert 0 < len(shared.kinds) <= 501
    assert shared.kind(made[0]) == core._KIND_ODD  # asked again after the memo was emptied
    shared.kinds.clear()


def test_a_documents_candidates_memo_is_each_paragraphs_own(ready: list[Document]) -> None:
    """With the document's memo of candidates (`GlueContext.candidates_memo`, shared by the
    scorers of all its paragraphs) every text is repaired as with a memo of its own (a fresh
    context of the same texts for each text), in the stage's order and in reverse order; the
    memo is one per configuration."""
    n = split = memoised = 0
    for doc in ready[:120]:
        lang = doc.lang or "fr"
        texts = [value for _, _, value in doc.text_fields()]
        for order in (texts, texts[::-1]):
            shared_ctx = GlueContext.from_tokens(order, [t.split() for t in order], lang)
            for text in order:
                got = core.repair(text, lang, shared_ctx)
                assert got == core.repair(text, lang, GlueContext.from_texts(texts, lang)), text
                n += 1
                split += bool(got[1])
            full, cheap = shared_ctx.candidates_memo(core.DEFAULT_CONFIG)
            memoised += bool(full)
            # (two dicts keyed by the token: in full, and `cheap_only`)
            assert all(isinstance(k, str) for k in [*full, *cheap])
    assert n > 1_500 and split > 150 and memoised > 50, (n, split, memoised)
    ctx = GlueContext.from_texts(["Leministre a dit."], "fr")
    memo = ctx.candidates_memo(core.DEFAULT_CONFIG)
    core.repair("Leministre a dit.", "fr", ctx)
    # (the same two dicts: the pair itself is a new tuple per call in the compiled engine, where
    # mypyc keeps a tuple attribute unboxed)
    again = ctx.candidates_memo(core.DEFAULT_CONFIG)
    assert again[0] is memo[0] and again[1] is memo[1]
    other = core.GlueConfig(inline_threshold={"fr": 2.5, "en": 3.0})
    assert ctx.candidates_memo(other) == ({}, {}) and ctx.candidates_memo(other)[0] is not memo[0]
    # (the scorers of the context read its two dicts)
    full, cheap = ctx.candidates_memo(other)
    scorer = core._Scorer("fr", other, ctx)
    assert scorer._cache is full and scorer._cache_cheap is cheap
    scorer = core._Scorer("fr", core.DEFAULT_CONFIG, ctx)
    assert scorer._cache is not full and scorer._cache is ctx.candidates_memo(core.DEFAULT_CONFIG)[0]


def _reference_text_fields(doc: Document) -> list[tuple[str, int | None, str]]:
    """`Document.text_fields` as it was written before the twenty-second round."""
    out: list[tuple[str, int | None, str]] = []
    if not doc.structured:
        return [("text", None, doc.text)]
    for name in ("title", "lead", "dateline"):
        value = getattr(doc, name)
        if value:
            out.append((name, None, value))
    out.extend(("paragraphs", i, p) for i, p in enumerate(doc.paragraphs))
    out.extend(("captions", i, c.text) for i, c in enumerate(doc.captions))
    return out


def test_text_fields_is_the_reference(ready: list[Document]) -> None:
    """The fields, in order, of every document, and of made-up ones (empty and missing title,
    lead and dateline; no paragraphs; captions only; unstructured)."""
    base = next(d for d in ready if d.structured and d.captions)
    made = [
        evolve(base, title="", lead=None, dateline="Hanoï"), evolve(base, title="T", lead="", dateline=""),
        evolve(base, paragraphs=(), captions=()), evolve(base, paragraphs=(), title=None, lead=None, dateline=None),
        evolve(base, captions=(Caption(None, "", None), Caption(2, "x", "VNA"))),
        evolve(base, structured=False, text=""), evolve(base, structured=False, text="a b"),
    ]
    for doc in ready + made:
        assert doc.text_fields() == _reference_text_fields(doc)
        assert [type(f) for f in doc.text_fields()] == [tuple] * len(_reference_text_fields(doc))


def test_seen_twice_with_tokens_given_builds_the_index(ready: list[Document]) -> None:
    """With the tokens given, `seen_twice` asked first builds the index of the tokens at once
    (no count of the texts) and answers as `counts` does, on the cores and pieces of every
    token."""
    asked = twice = 0
    for doc in ready[:60]:
        texts = [value for _, _, value in doc.text_fields()]
        counts = GlueContext.from_texts(texts, "fr").counts
        given = GlueContext.from_tokens(texts, [t.split() for t in texts], "fr")
        asks = ["", "(", "Mai", "zzz"]
        for tok in " ".join(texts).split()[:300]:
            asks += [core._core(tok), tok, tok[1:]]
        for a in asks:
            want = counts.get(a, 0) >= 2
            assert given.seen_twice(a) == want, a
            assert given._follow is not None and given._counts is None  # (built at the first question)
            asked += 1
            twice += want
    assert asked > 5_000 and twice > 500, (asked, twice)
