"""The fast gate's table of listed rare words it clears (`pipeline.glue.gatetable`) changes no repair.

- every entry checked is what the engine computes: on a few thousand sampled words per language
  (and every form of each), a bit is set exactly when `core._clears` holds, and for a set bit
  `_below` itself is True in each situation (context or none, any threshold the case may get,
  wrap chain possible or not) and the token gates pass the token on;
- `core._cleared` is membership in exactly the forms built (`ente`, `Ente,`; not `ENTE`, `ente;`);
- a missing, stale or damaged table, or one of another configuration, is not used (the bounds
  are computed as before, the same repairs); a configuration other than the default does not
  use the default's table;
- the gates with the table and without it decide the same on benchmark dev paragraphs
  (`_nothing_to_split`, and `_one_pass`'s splits).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.glue import GlueConfig, GlueContext, core, gatetable, repair
from pipeline.glue.lexicon import table

LANGS = gatetable.LANGS


def _built(lang: str) -> dict[str, int]:
    found = gatetable.load(lang, repr(core.DEFAULT_CONFIG))
    if found is None:
        if os.environ.get("CI") == "true" and os.environ.get("NEWSCLEAN_GLUE_BUILD") != "0":
            pytest.fail("CI builds the gate tables (make: build_glue.py): none current")
        pytest.skip(f"no current gate table for {lang} (run `make native` or `python build_glue.py`)")
    return found


@pytest.fixture
def fresh_load() -> Iterator[None]:
    """`gatetable.load` remembers its answer per process: forget it around a test that moves
    or damages the file."""
    gatetable.load.cache_clear()
    yield
    gatetable.load.cache_clear()


@pytest.mark.parametrize("lang", LANGS)
def test_sampled_entries_are_what_the_engine_computes(lang: str) -> None:
    cleared = _built(lang)
    cfg = core.DEFAULT_CONFIG
    scorer = core._shared_for(lang, cfg).part
    known = core._plain_tokens(lang, cfg.gate_zipf)
    elided = core._plain_elisions(lang, cfg.gate_zipf)
    allow = core._context_allowance(cfg)
    tab = table(lang)
    rng = random.Random(f"gatetable {lang}")
    eligible = [w for w, z in tab.items() if gatetable.MIN_ZIPF <= z < cfg.gate_zipf
                and w[-1:] not in (",", ".") and not any(ch.isspace() for ch in w)]
    listed = sorted(cleared)
    assert len(listed) <= gatetable.MAX_WORDS
    # (words after the last entry, in the list's order, were not computed: `MAX_WORDS`)
    order = {w: i for i, w in enumerate(tab)}
    last = max(order[w] for w in listed)
    eligible = [w for w in eligible if order[w] <= last]
    sample = rng.sample(listed, 2500) + rng.sample(eligible, 1500)
    checked = 0
    for word in sample:
        bits = cleared.get(word, 0)
        marked = tab[word] >= gatetable.MIN_ZIPF_MARKED
        for bit, form in enumerate(gatetable.forms(word)):
            if form is None or not (marked or not gatetable.FORMS[bit][1]):
                assert not bits >> bit & 1
                continue
            assert core._cleared(form, cleared) == bool(bits >> bit & 1), (form, bits)
            assert core._clears(form, lang, scorer, cfg, known, elided, allow) == bool(bits >> bit & 1), form
            checked += 1
    assert checked > 15_000
    # a set bit: `_below` is True in every situation, with the bound computed now
    ctx = GlueContext.from_texts(["x"], lang)
    plain = core._shared_for(lang, cfg).part._plain  # (the token gate: `_gate_kind` asks it)
    for word in listed[:: max(1, len(listed) // 300)]:
        for bit, form in enumerate(gatetable.forms(word)):
            if form is None or not cleared[word] >> bit & 1:
                continue
            assert not core._surely_plain(form, known, elided) and not plain(form)
            for context in (None, ctx):
                s = core._Scorer(lang, cfg, context)
                for was_wrapped in (False, True):
                    target = core._inline_threshold(form, lang, cfg, was_wrapped)
                    for wrap in (False, True):
                        assert core._below(form, s, cfg, target, wrap) is True, form


def test_cleared_is_membership_in_the_forms_built() -> None:
    bits = {f: 1 << b for b, f in enumerate(gatetable.forms("ente")) if f is not None}
    assert sorted(bits) == ["Ente", "Ente,", "Ente.", "ente", "ente,", "ente."]
    for form, bit in bits.items():
        assert core._cleared(form, {"ente": bit})  # positive: that form's bit
        assert not core._cleared(form, {"ente": 63 ^ bit})  # negative: every other bit
    for other in ("ENTE", "eNte", "ente;", "(ente", "ente,,", "Ente..", "entes", ",", "."):
        assert not core._cleared(other, {"ente": 63, "entes": 0}), other
    # no capital of its own: one form per mark; one whose capital lowercases to another word: none
    assert gatetable.forms("1er") == ["1er", None, "1er,", None, "1er.", None]
    assert gatetable.forms("ßa")[1::2] == [None, None, None]


def test_examples_per_language() -> None:
    """Rare words the gate clears in every form; listed words it must keep scoring (web glues,
    `ente`: `en|te`), and words it never holds (common ones: the token gates pass them)."""
    for lang, rare, kept in (("fr", ["asperges", "alpinisme"], ["quele", "surle", "laville", "ente", "arien", "le"]),
                             ("en", ["barbershop", "apologetic"], ["inthe", "tablespoons", "the", "of"])):
        cleared = _built(lang)
        for word in rare:
            assert all(core._cleared(f, cleared) for f in gatetable.forms(word) if f is not None), word
        for word in kept:
            assert not any(core._cleared(f, cleared) for f in gatetable.forms(word) if f is not None), word


def test_a_missing_stale_or_damaged_table_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      fresh_load: None) -> None:
    para = "Le ministre des asperges a déclaré quele projet avance."
    expected = repair(para, "fr")
    files: dict[str, Path] = {}
    monkeypatch.setattr(gatetable, "path", lambda lang: files.get(lang, tmp_path / f"none_{lang}.bin"))
    default = repr(core.DEFAULT_CONFIG)
    assert gatetable.load("fr", default) is None  # missing
    good_key = gatetable.key("fr", default)
    words = len(table("fr"))

    def head(key: str, fmt: int = gatetable.FORMAT) -> bytes:
        return json.dumps({"format": fmt, "key": key, "words": words}).encode() + b"\n"

    damaged = {
        "stale": head("0" * 64) + bytes(words),
        "short": head(good_key) + bytes(9),
        "format": head(good_key, -1) + bytes(words),
        "garbage": b"\x00\xff not json\n" + bytes(words),
    }
    for name, data in damaged.items():
        files["fr"] = tmp_path / f"{name}.bin"
        files["fr"].write_bytes(data)
        gatetable.load.cache_clear()
        assert gatetable.load("fr", default) is None, name
    # a current file of all-zero bits is used (and clears nothing): the key is what decides
    files["fr"] = tmp_path / "zeros.bin"
    files["fr"].write_bytes(head(good_key) + bytes(words))
    gatetable.load.cache_clear()
    assert gatetable.load("fr", default) == {}
    # with no table, a fresh configuration's memos compute every bound: the same repair
    gatetable.load.cache_clear()
    del files["fr"]
    cfg = GlueConfig()
    assert core._shared_for("fr", cfg).cleared is None
    assert repair(para, "fr", config=cfg) == expected


def test_another_configuration_does_not_use_the_default_table() -> None:
    _built("fr")
    assert core._shared_for("fr", GlueConfig(gate_zipf=3.5)).cleared is None
    assert core._shared_for("fr", GlueConfig(inline_threshold={"fr": 0.5, "en": 1.0})).cleared is None
    assert core._shared_for("en", GlueConfig(ctx_pair_bonus=5.0)).cleared is None
    assert core._shared_for("fr", GlueConfig()).cleared is not None  # equal to the default: built for it


@pytest.mark.parametrize("name", ["fr-clean", "en-clean", "fr-wrap", "en-inline"])
def test_the_gates_decide_the_same_with_and_without_the_table(name: str) -> None:
    """`_nothing_to_split`, and `_one_pass` (which skips a cleared token when no wrap chain is
    possible), give the same answers with the table and without it."""
    from bench.bench_glue import SCENARIOS, _items

    lang = SCENARIOS[name][1]
    _built(lang)
    cfg = core.DEFAULT_CONFIG
    shared = core._shared_for(lang, cfg)
    cleared = shared.cleared
    decided: list[list[object]] = []
    try:
        for table_on in (True, False):
            shared.cleared = cleared if table_on else None
            out = []
            for g in _items(name, "dev", 2024)[:150]:
                ctx = GlueContext.from_texts([g.text], lang)
                for context in (None, ctx):
                    for was_wrapped in (False, True):
                        scorer = core._Scorer(lang, cfg, context)
                        out.append(core._nothing_to_split(g.text, lang, scorer, cfg, was_wrapped))
                        out.append(core._one_pass(g.text, lang, scorer, cfg, was_wrapped))
            decided.append(out)
    finally:
        shared.cleared = cleared
    assert decided[0] == decided[1]
    if name.endswith("clean"):
        assert any(x is True for x in decided[0])


def test_the_key_changes_with_the_sources_wordfreq_and_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    default = repr(core.DEFAULT_CONFIG)
    base = gatetable.key("fr", default)
    assert gatetable.key("fr", default) == base and gatetable.key("en", default) != base
    assert gatetable.key("fr", repr(GlueConfig(gate_zipf=3.5))) != base
    monkeypatch.setattr(gatetable.native, "digest", lambda: "0" * 64)  # other engine sources
    assert gatetable.key("fr", default) != base
    monkeypatch.undo()
    monkeypatch.setattr(gatetable.importlib.metadata, "version", lambda name: "0.0")  # another wordfreq
    assert gatetable.key("fr", default) != base
