"""Speed work on the glue engine must not change a single number or split.

- the fast ways of building the lexicon and the spelling model give what the plain ways give,
  bit for bit;
- the fast gate (`core._nothing_to_split`) returns True only where `_one_pass` finds nothing:
  its bounds (`_Scorer._lex_bound`) are never below the exact scores, its set of surely plain
  tokens passes the token gate, and repairs with and without it (and without `_below`, which
  also spares inline-only paragraphs the scoring of hopeless tokens) are identical.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import sys
from types import ModuleType
from typing import Any

import pytest
import wordfreq

from pipeline.glue import GlueConfig, GlueContext, core, native, wrap
from pipeline.glue.lexicon import CharModel, _count_trigrams, common_words, table


def _reference_trigrams(words: list[str]) -> dict[str, int]:
    """The word-by-word count `_count_trigrams` replaces."""
    tri: dict[str, int] = {}
    for w in words:
        s = "^^" + w + "$"
        for i in range(2, len(s)):
            tri[s[i - 2 : i + 1]] = tri.get(s[i - 2 : i + 1], 0) + 1
    return tri


def test_trigram_counts_equal_the_word_by_word_count() -> None:
    words = ["a", "à", "ministre", "vietnam", "a", "œuvre", "straße", "x", "𝒜𝒷", "ijk", "ministre"]
    assert _count_trigrams(words) == _reference_trigrams(words)
    assert _count_trigrams([]) == {}
    assert _count_trigrams(["z"]) == {"^^z": 1, "^z$": 1}
    # no trigram crosses from one word into the next: `$` ends a trigram or is absent
    assert all("$" not in k[:2] for k in _count_trigrams(words))


def test_char_model_counts_and_log_probabilities_are_the_word_by_word_ones() -> None:
    words = [w for w, z in table("fr").items() if z >= 4.0 and w.isalpha()]
    model = CharModel(words)
    tri = _reference_trigrams(words)
    bi: dict[str, int] = {}
    uni: dict[str, int] = {}
    for w in words:
        s = "^^" + w + "$"
        for i in range(2, len(s)):
            bi[s[i - 1 : i + 1]] = bi.get(s[i - 1 : i + 1], 0) + 1
            uni[s[i]] = uni.get(s[i], 0) + 1
    assert (model.tri, model.bi, model.uni) == (tri, bi, uni)
    assert model.total == sum(uni.values()) and model.vocab == len(uni) + 1
    # the log-probabilities are the same floats (a dict compares its floats exactly)
    assert model._log3 == {k: math.log10(model._p(k[0], k[1], k[2])) for k in tri}


def test_table_is_wordfreqs_dict_in_zipf() -> None:
    """wordfreq's dict in Zipf, less the listed glues (`langdata.LISTED_GLUES`) and nothing else."""
    from pipeline.glue.langdata import LISTED_GLUES

    for lang in ("fr", "en"):
        glues = LISTED_GLUES.get(lang, frozenset())
        full = wordfreq.get_frequency_dict(lang)
        assert glues <= full.keys()  # each one listed (a glue wordfreq does not list needs no entry)
        expected = {w: math.log10(f) + 9.0 for w, f in full.items() if w not in glues}
        got = table(lang)
        assert list(got) == list(expected)  # same words, same order
        assert all(a.hex() == b.hex() for a, b in zip(got.values(), expected.values(), strict=True))


def _bench_items(name: str, split: str) -> list[Any]:
    from bench.bench_glue import DATA, _items

    if not DATA.exists():
        pytest.skip("../shared/data not present")
    return _items(name, split, 2024)


def test_str_split_is_the_token_regex() -> None:
    """The engine tokenizes with `str.split()` (`_one_pass` finds each token's offset after the
    previous one's end: only whitespace lies between), where it used `\\S+`: the same
    whitespace, code point by code point."""
    space = re.compile(r"\s")
    assert all((space.fullmatch(chr(c)) is not None) == chr(c).isspace() for c in range(sys.maxunicode + 1))


# the plain forms of the two regexes `core` writes trigger first for speed
_PUNCT_GLUE_PLAIN = re.compile(
    r"[,;:.!?)»”«][^\W\d_]|[^\W\d_.][(«“»]|[^\W\d_)»%],\d|[^\W\d_]\d|\d[^\W\d_]"
    r"|[a-zß-ÿ]{2}[A-ZÀ-Þ](?![a-zß-ÿ])|[^\W\d_]\"[^\W\d_]|[.!?][\"'][^\W\d_]"
    r"|[^\W\d_]{2}[ldjnsmtc]['’][aeiouyhàâéèêîôûœAEIOUYHÀÂÉÈÊÎÔÛŒ]|[^\W\d_]['’]s[^\W\d_]"
)
_INNER_GLUE_PLAIN = re.compile(
    r"[^\W_][.!?…]+[\"»)]*[A-ZÀ-Þ][a-zà-ÿ]|[a-zà-ÿ][.!?;][A-ZÀ-Þ]|[^\W\d_]{2}[!?;][^\W\d_]"
    r"|[,)»][^\W\d_]|[^\W\d_][(«]|^[.,;:!?…]"
)


def test_trigger_first_regexes_match_where_the_plain_ones_do() -> None:
    """`_PUNCT_GLUE_RE` and `_INNER_GLUE_RE` find a match exactly where their plain forms do
    (only that is used): on every token of the benchmark, on glued pairs of them and on random
    strings of the characters the alternatives name (and a few that are near them)."""
    import random

    texts: set[str] = set()
    for name, split in (("fr-clean", "dev"), ("fr-clean", "test"), ("en-clean", "dev"), ("en-clean", "test"),
                        ("fr-rough", "dev"), ("en-inline", "dev")):
        for g in _bench_items(name, split):
            texts.update(g.text.split())
    rng = random.Random(3)
    words = sorted(texts)
    texts.update(rng.choice(words) + rng.choice(words) for _ in range(50_000))
    chars = list("aAbzZéÉßÿ÷×ÞÀ09²½_,;:.!?)»”«(“\"'’…%ldjnstmchoiuyœΩİ\u0307 -")
    texts.update("".join(rng.choice(chars) for _ in range(rng.randint(1, 9))) for _ in range(100_000))
    for fast, plain in ((core._PUNCT_GLUE_RE, _PUNCT_GLUE_PLAIN), (core._INNER_GLUE_RE, _INNER_GLUE_PLAIN)):
        assert [t for t in texts if (fast.search(t) is None) != (plain.search(t) is None)] == []
    # ... and `_INNER_SPLIT_RE` finds nothing where `_INNER_SPLIT_MARK_RE` does not
    assert [t for t in texts if core._INNER_SPLIT_RE.search(t) and not core._INNER_SPLIT_MARK_RE.search(t)] == []
    assert core._PUNCT_GLUE_RE.search("andI") and core._INNER_GLUE_RE.search("arrières.Biblio")
    assert not core._PUNCT_GLUE_RE.search("PowerPoint") and not core._INNER_GLUE_RE.search("M.")


def test_surely_plain_tokens_pass_the_token_gate() -> None:
    for lang in ("fr", "en"):
        scorer = core._Scorer(lang, GlueConfig(), None)
        plain = core._plain_tokens(lang, GlueConfig().gate_zipf)
        assert len(plain) > 1.5 * len(common_words(lang, GlueConfig().gate_zipf))
        assert all(scorer._plain(tok) for tok in plain)
        # ... and so does such a token with opening and closing marks around it (`_nothing_to_split`)
        assert all(scorer._plain(tok + mark) for tok in plain for mark in core._PLAIN_CLOSING)
        assert all(scorer._plain(mark + tok) for tok in plain for mark in core._PLAIN_OPENING)
        closings = ["", *core._PLAIN_CLOSING, '",', ".”", "?)", ").", '."', "]."]
        marks = [o + c for o in ["", *core._PLAIN_OPENING, '("', "[“"] for c in closings]
        assert all(scorer._plain(mark[:k] + tok + mark[k:]) for tok in sorted(plain)[::37] for mark in marks
                   for k in range(len(mark) + 1) if mark[:k].strip(core._PLAIN_OPENING) == ""
                   and mark[k:].strip(core._PLAIN_CLOSING) == "")
    assert "ministre" in plain_of("fr") and "Le" in plain_of("fr") and "Vietnamont" not in plain_of("fr")
    # an elided form before a surely plain word (`_elided_plain`), with marks around it
    scorer = core._Scorer("fr", GlueConfig(), None)
    plain, elided = plain_of("fr"), core._plain_elisions("fr", GlueConfig().gate_zipf)
    assert {"l", "L", "qu", "Qu", "d"} <= elided and "jusqu" not in elided
    tokens = [e + a + w for e in sorted(elided) for a in "'’" for w in sorted(plain)[::17]]
    for tok in tokens:
        if core._elided_plain(tok, plain, elided):
            assert scorer._plain(tok) and scorer._plain("(" + tok + "),") and scorer._plain('"' + tok + '".'), tok
    assert core._elided_plain("l'origine", plain, elided) and not core._elided_plain("l'sien", plain, elided)
    assert not scorer._plain("l'sien") and sum(core._elided_plain(t, plain, elided) for t in tokens) > 1000


def plain_of(lang: str) -> frozenset[str]:
    return core._plain_tokens(lang, GlueConfig().gate_zipf)


def _check_bounds(tokens: set[str], shared: core._Shared, scorer: core._Scorer,
                  bound: Any = None) -> tuple[int, int]:
    """Every candidate of every token `shared.bound` (or `bound`) covers scores at most its
    position's bound (and the token's largest); returns (tokens covered, candidates checked)."""
    covered = checked = 0
    for tok in sorted(tokens):
        found = shared.bound(tok) if bound is None else bound(tok)
        if found is None:
            continue
        covered += 1
        top, rows = found
        by_pieces = {(left, right): v for v, left, right in rows}
        for c in scorer.candidates(tok, 0, 0, False):
            v = by_pieces.get((core._core(c.left), core._core(c.right)))
            assert v is not None and not c.forced, (tok, c)
            assert c.lex <= v <= top, (tok, c, v, top)
            checked += 1
    return covered, checked


@pytest.mark.parametrize("name", ["fr-rough", "fr-clean", "en-inline", "en-clean"])
def test_bounds_are_never_below_the_exact_scores(name: str) -> None:
    """Every candidate `candidates` gives a covered token scores at most its position's bound
    (and the token's largest); checked on every token of the test split, glued and clean."""
    lang = "fr" if name.startswith("fr") else "en"
    cfg = GlueConfig()
    shared = core._shared_for(lang, cfg)
    scorer = core._Scorer(lang, cfg, None)
    tokens = {tok for g in _bench_items(name, "test") for tok in g.text.split()}
    covered, checked = _check_bounds(tokens, shared, scorer)
    assert covered > 0.7 * len(tokens) and checked > 1000, (covered, len(tokens), checked)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hyphen_bounds_are_never_below_the_exact_scores(lang: str) -> None:
    """Tokens of letters joined by hyphens (`_Scorer._hyphen_part`), made up from benchmark words
    and glued pairs, one-letter and capitalised parts, marks around: every candidate scores at
    most its position's bound."""
    import random

    cfg = GlueConfig()
    shared = core._shared_for(lang, cfg)
    scorer = core._Scorer(lang, cfg, None)
    name = "fr-rough" if lang == "fr" else "en-inline"
    words = sorted({core._core(t) for g in _bench_items(name, "dev")[:300] for t in g.text.split()})
    words = [w for w in words if w.isalpha()]
    rng = random.Random(7)
    tokens: set[str] = set()
    for _ in range(1500):
        parts = [rng.choice(words) if rng.random() < 0.8 else rng.choice("aeydlstAE")
                 for _ in range(rng.choice((2, 2, 3, 4)))]
        if rng.random() < 0.3:
            parts[rng.randrange(len(parts))] = rng.choice(words) + rng.choice(words)  # a glue in a part
        tok = "-".join(parts)
        tok = rng.choice(("", "", "(", '"', "«")) + tok + rng.choice(("", "", ",", ".", ").", '"'))
        tokens.add(tok)
    covered, checked = _check_bounds(tokens, shared, scorer)
    assert covered > 0.5 * len(tokens) and checked > 1000, (covered, len(tokens), checked)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_mixed_bounds_are_never_below_the_exact_scores(lang: str) -> None:
    """The tokens the letter bound (`_lex_bound`) does not cover, bounded by `_mixed_bound`:
    on every such token of the dev and test splits of the language's scenarios, and on made-up
    tokens of their classes (numbers glued to letters and ordinals, dotted initialisms and
    addresses, elisions and slashes inside hyphenated words, dashes, ellipses, commas, glued
    words around any of these, marks before and after), every candidate scores at most its
    position's bound."""
    import random

    cfg = GlueConfig()
    shared = core._shared_for(lang, cfg)
    scorer = core._Scorer(lang, cfg, None)
    names = ["fr-wrap", "fr-rough", "fr-clean"] if lang == "fr" else ["en-inline", "en-clean"]
    bench = {tok for name in names for split in ("dev", "test") for g in _bench_items(name, split)
             for tok in g.text.split()}
    bench = {tok for tok in bench if shared.part._lex_bound(tok) is None}
    # (`_mixed_bound` itself: `_Shared.bound` asks it only for tokens of 8+ characters without
    # an inner glue, in a language without wrap chains, see `_Scorer._bound`)
    covered, checked = _check_bounds(bench, shared, scorer, shared.part._mixed_bound)
    assert covered > 0.8 * len(bench) and checked > 3000, (covered, len(bench), checked)
    routed = [tok for tok in bench if len(tok) >= core.MIXED_MIN_LEN and core._INNER_GLUE_RE.search(tok) is None]
    if lang in cfg.wrap_languages:
        assert all(shared.bound(tok) is None for tok in routed) and len(routed) > 300
    else:
        assert all(shared.bound(tok) == shared.part._mixed_bound(tok) for tok in routed) and len(routed) > 300

    words = sorted({core._core(t) for g in _bench_items(names[-1], "dev")[:300] for t in g.text.split()})
    words = [w for w in words if w.isalpha()]
    rng = random.Random(11)

    def element() -> str:
        r = rng.random()
        if r < 0.45:
            w = rng.choice(words)
            return rng.choice((w, w, w.capitalize(), w.upper()[:4]))
        if r < 0.7:
            return str(rng.choice((1, 3, 9, 12, 24, 30, 545, 1914, 1990, 2000, 20000)))
        if r < 0.85:
            return rng.choice(("e", "er", "re", "h", "h30", "th", "st", "nd", "s", "km", "ha", "kg", "ans", "pdf",
                               "doc", "com", "A", "E", "U", "S", "d'", "l'", "qu'", "St", "M"))
        return rng.choice(words) + rng.choice(words)  # a glue inside

    tokens: set[str] = set()
    seps = ("", "", ".", ".", "..", "...", ",", "-", "--", "'", "’", "/", "(", ")", ":", "!", "?", "%", "°", "$")
    while len(tokens) < 3000:
        tok = element()
        for _ in range(rng.choice((1, 1, 2, 3))):
            tok += rng.choice(seps) + element()
        tok = rng.choice(("", "", "", "(", "«", "[", "$", "#")) + tok + rng.choice(("", "", ",", ".", ").", ":", ";"))
        if shared.part._lex_bound(tok) is None:
            tokens.add(tok)
    covered, checked = _check_bounds(tokens, shared, scorer, shared.part._mixed_bound)
    assert covered > 0.5 * len(tokens) and checked > 5000, (covered, len(tokens), checked)


def test_has_word_is_membership_in_words() -> None:
    """`GlueContext.has_word` (a scan of the texts) answers as `words` (the set of token cores)
    does: on every token core, every piece of every token and made-up strings of a few hundred
    benchmark paragraphs, before and after the set is built."""
    import random

    rng = random.Random(3)
    items = _bench_items("fr-rough", "dev")[:150] + _bench_items("en-inline", "dev")[:150]
    checked = found = 0
    for g in items:
        texts = [g.text, "«  (Mai Tien), " + g.text[: len(g.text) // 3] + ' "x" ... ']
        ctx, ref = GlueContext.from_texts(texts, "fr"), GlueContext.from_texts(texts, "fr").words
        asks: list[str] = []
        for tok in g.text.split():
            asks.append(core._core(tok))
            i = rng.randrange(len(tok) + 1)
            asks += [tok[:i], tok[i:], tok, tok[1:], core._core(tok)[1:], core._core(tok)[:-1]]
        asks += ["Mai", "Tien", "x", "(Mai", "Tien)", "", " ", "a b", "  ", " Mai", "x\" ..."]
        # one- and two-letter pieces, met inside many words (the integer test before the walk),
        # asked of a context of their own (the set is built after `_HAS_WORD_SCANS` scans)
        short = GlueContext.from_texts(texts, "fr")
        for a in [ch for ch in "aeisnrtldM1"] + ["le", "de", "es", "en", "nt", "Le", "20", "a,", "(l"]:
            assert short._scans < core._HAS_WORD_SCANS
            assert short.has_word(a) == (a in ref), (a, g.text)
        for a in asks:
            assert ctx.has_word(a) == (a in ref), (a, g.text)
            checked += 1
            found += a in ref
    assert checked > 10_000 and 0.2 * checked < found < 0.8 * checked, (checked, found)


def test_address_is_the_url_regex() -> None:
    """`_Scorer._address` skips the address regex only where it cannot match: the same answer on
    every benchmark token and on random strings of letters, marks and case-folding traps."""
    import random

    toks = {t for name in ("fr-rough", "en-inline") for g in _bench_items(name, "dev") for t in g.text.split()}
    rng = random.Random(1)
    alpha = "abcdefkKsſ.:@/wWhtpf_-é1 "
    toks |= {"".join(rng.choice(alpha) for _ in range(rng.randint(1, 12))) for _ in range(50_000)}
    toks |= {"http://x", "HTTPS://y", "ftp://a", "www.x", "a@b", "x.com", "X.COM", "site.it", "hTtpſ://a"}
    for lang in ("fr", "en"):
        scorer = core._Scorer(lang, GlueConfig(), None)
        hits = 0
        for tok in toks:
            hit = scorer.url_re.search(tok) is not None
            assert scorer._address(tok) == hit, (lang, tok)
            hits += hit
        assert hits > 1000


def test_bound_examples() -> None:
    shared = core._shared_for("fr", GlueConfig())
    assert shared.bound("Vietnamont")[0] > 0.0  # type: ignore[index]  # reason: covered
    assert shared.bound("ministre,")[0] < 0.0  # type: ignore[index]  # reason: covered
    elided = shared.bound("l'équipement")  # an elision: splits inside the word only
    assert elided is not None and ("l'équi", "pement") in [(left, right) for _, left, right in elided[1]]
    # the letter bound leaves digits, dashes and inner dots to `_mixed_bound`, which clears them
    # (below the token's inline threshold: 3 for a capitalised French token, else 1)
    assert shared.part._lex_bound("1er") is None and shared.part._lex_bound("GPL--et") is None
    for tok in ("1er", "GPL--et", "20h30", "R.E.M.", "Sainte-Anne-d'Auray.", "10.JPG"):
        found = shared.part._mixed_bound(tok)
        assert found is not None and found[0] < core._inline_threshold(tok, "fr", GlueConfig()), tok
    # ... but the gate asks it only in a language without wrap chains (see `_Scorer._bound`)
    assert shared.bound("Sainte-Anne-d'Auray.") is None and shared.bound("1er") is None
    en = core._shared_for("en", GlueConfig())
    for tok in ("1990s", "29th", "U.S.", "alt.animals.cat,", "UnleadedStocks.pdf)(See", "field...strongly"):
        found = en.part._mixed_bound(tok)
        assert found is not None and found[0] < 1.0, tok
    assert en.part._mixed_bound("ago.The")[0] >= 1.0  # type: ignore[index]  # a sentence glued: not cleared
    assert en.bound("yesterday.The") is None and en.bound("1990s") is None  # an inner glue, short: exactly
    assert en.bound("alt.animals.cat,") == en.part._mixed_bound("alt.animals.cat,")
    mixed = shared.part._mixed_bound
    assert mixed("mot,suite") is None and mixed("Hanoï,17") is None  # forced: scored exactly
    assert mixed('"...there') is None  # a quote: its parity is the paragraph's
    hyphen = shared.bound("maroco-sahraoui")  # letters between hyphens: splits inside a part only
    assert hyphen is not None and ("maroc", "o-sahraoui") in [(left, right) for _, left, right in hyphen[1]]
    assert all("-" not in (left[-1], right[0]) for _, left, right in hyphen[1])
    clitic = core._shared_for("en", GlueConfig()).bound("Enron's")
    assert clitic is not None and ("En", "ron's") in [(left, right) for _, left, right in clitic[1]]
    assert shared.part._lex_bound("«Tu") is None and shared.part._lex_bound("chose:") is None  # punctuation


@pytest.fixture(scope="module")
def source_core() -> ModuleType:
    """`core` run from its Python source: the compiled module binds its own module-level calls
    when it is built, so patching `_nothing_to_split` on it would change nothing."""
    if core.__file__ is not None and core.__file__.endswith(".py"):
        return core
    return native.load_sources()["core"]


@pytest.mark.parametrize("name", ["fr-wrap", "fr-rough", "fr-clean", "en-inline", "en-clean"])
def test_repairs_with_and_without_the_fast_gate_are_identical(
    name: str, monkeypatch: pytest.MonkeyPatch, source_core: ModuleType
) -> None:
    src = source_core  # the compiled engine gives the source's repairs: tests/test_glue_native.py
    lang = "fr" if name.startswith("fr") else "en"
    items = _bench_items(name, "dev")[:120]
    fast = [src.repair(g.text, lang, src.GlueContext.from_texts([g.text], lang)) for g in items]
    fired = sum(src._nothing_to_split(g.text, lang, src._Scorer(lang, src.GlueConfig(),
                src.GlueContext.from_texts([g.text], lang)), src.GlueConfig()) for g in items)
    monkeypatch.setattr(src, "_nothing_to_split", lambda *args: False)
    monkeypatch.setattr(src, "_below", lambda *args: None)  # every token scored in full
    monkeypatch.setattr(src, "_no_chain", lambda *args: False)  # every chain bounded on exact scores
    slow = [src.repair(g.text, lang, src.GlueContext.from_texts([g.text], lang)) for g in items]
    assert fast == slow
    if name.endswith("clean"):
        assert fired > 0.75 * len(items)  # the gate is what makes clean text cheap
    elif name == "fr-wrap":
        assert fired == 0  # every wrapped paragraph is scored in full


@pytest.mark.parametrize("name", ["fr-wrap", "fr-rough", "fr-clean", "en-inline", "en-clean"])
def test_a_paragraph_the_fast_gate_fails_has_an_odd_letter_run_or_a_punctuation_glue(name: str) -> None:
    """`_one_pass` has no per-paragraph gate after the fast gate ("every letter run of the
    paragraph a common word, and no punctuation glue in it"): the fast gate fails only on a
    token the token gate does not pass, which makes the paragraph fail that gate too."""
    lang = "fr" if name.startswith("fr") else "en"
    cfg = GlueConfig()
    common = common_words(lang, cfg.gate_zipf)
    failed = 0
    for g in _bench_items(name, "dev")[:200]:
        scorer = core._Scorer(lang, cfg, GlueContext.from_texts([g.text], lang))
        if core._nothing_to_split(g.text, lang, scorer, cfg):
            continue
        failed += 1
        runs = re.findall(r"[^\W\d_]+", g.text.lower())
        assert not set(runs) <= common or core._PUNCT_GLUE_RE.search(g.text) is not None, g.text
    assert failed > 0


def test_fast_gate_negative_and_positive_cases() -> None:
    cfg = GlueConfig()

    def gate(text: str, lang: str = "fr") -> bool:
        return core._nothing_to_split(text, lang, core._Scorer(lang, cfg, GlueContext.from_texts([text], lang)), cfg)

    assert gate("Le ministre a déclaré que le Vietnam a signé une note.")
    assert gate("Le ministre Papadímos a reçu M. Sleimane, dit-il.")
    assert not gate("Le ministre a déclaré quele Vietnam a signé une note.")  # `quele`
    assert not gate("Hanoï,17 mars (VNA) - Le ministre a signé.")  # the dateline comma
    assert not gate("Il a vu l'e-gouvernement,l'ambassadeur hier.")  # the comma rule
    assert not gate("The ministerof Embassy said so.", "en")
    # the document context can lift a split: `maitien` alone is a rare word, beside `mai tien`
    # two (the gate uses the token's own threshold: a capitalised French token needs 3)
    para = "Le ministre maitien a reçu la délégation."
    assert gate(para)
    ctx = GlueContext.from_texts(["mai tien Dung reçoit les délégués.", para], "fr")
    assert not core._nothing_to_split(para, "fr", core._Scorer("fr", cfg, ctx), cfg)
    assert core.repair(para, "fr", ctx)[0] == "Le ministre mai tien a reçu la délégation."


@pytest.mark.parametrize("name", ["fr-wrap", "fr-rough", "fr-clean", "en-inline", "en-clean"])
def test_chain_bounds_are_never_below_the_chain_score(
    name: str, monkeypatch: pytest.MonkeyPatch, source_core: ModuleType
) -> None:
    """`wrap.chain_bound` is never below what `best_chain` gives, on every benchmark paragraph
    (as `core` calls them: `chain_bound_at`, `best_chain_at`)
    (dev and test) where a chain is tried: the bound is made to give +inf, so every chain is
    tried, and computed in full (`likely_chain` says no)."""
    src = source_core
    lang = "fr" if name.startswith("fr") else "en"
    bound, chain = src.chain_bound_at, src.best_chain_at
    monkeypatch.setitem(bound.__globals__, "likely_chain", lambda *args: False)
    log: list[tuple[str, float]] = []

    def record_bound(*args: Any) -> float:
        log.append(("bound", bound(*args)))
        return math.inf

    def record_chain(*args: Any) -> tuple[float, list[int]]:
        got = chain(*args)
        log.append(("chain", got[0]))
        return got

    monkeypatch.setattr(src, "chain_bound_at", record_bound)
    monkeypatch.setattr(src, "best_chain_at", record_chain)
    for split in ("dev", "test"):
        for g in _bench_items(name, split):
            src.repair(g.text, lang, src.GlueContext.from_texts([g.text], lang))
    threshold = src.GlueConfig().wrap_threshold
    chains = below = 0
    for i in range(0, len(log), 2):  # per chain tried: the bound, then the chain
        (k1, ub), (k2, total) = log[i : i + 2]
        assert (k1, k2) == ("bound", "chain")
        assert ub >= total
        chains += 1
        below += ub < threshold
    if lang not in src.GlueConfig().wrap_languages:
        assert chains == 0
    else:
        assert chains > 0
    if name == "fr-clean":
        assert below > 0  # what the bound is for: clean paragraphs spared the chain


@pytest.mark.parametrize("name", ["fr-wrap", "fr-rough", "fr-clean"])
def test_no_chain_only_where_the_exact_chain_fails(
    name: str, monkeypatch: pytest.MonkeyPatch, source_core: ModuleType
) -> None:
    """`core._chain_upper`, the bound `_no_chain` decides by, is never below the best chain the
    exact path finds, on every benchmark paragraph it is asked of (dev, test and train2), computed
    in full (no `likely` short cut); `_no_chain`'s answer is recorded and the exact path run
    instead, the chain bound made +inf so that the chain itself is computed wherever the exact
    path would try one. So `_no_chain` says True only where no chain reaches `wrap_threshold`."""
    src = source_core
    no_chain, upper, chain, one_pass = src._no_chain, src._chain_upper, src.best_chain_at, src._one_pass
    asked: list[list[Any]] = []  # [its answer, the bound in full, the best chain found] per question
    current: list[list[Any] | None] = [None]

    def record_no_chain(*args: Any) -> bool:
        asked.append([no_chain(*args), upper(*args, math.inf), -math.inf])
        current[0] = asked[-1]
        return False

    def record_chain(*args: Any) -> tuple[float, list[int]]:
        got = chain(*args)
        if current[0] is not None:
            current[0][2] = got[0]
        return got

    def pass_alone(*args: Any, **kwargs: Any) -> Any:
        current[0] = None  # (a chain belongs to the question of its own pass)
        return one_pass(*args, **kwargs)

    monkeypatch.setattr(src, "_no_chain", record_no_chain)
    monkeypatch.setattr(src, "chain_bound_at", lambda *args: math.inf)
    monkeypatch.setattr(src, "best_chain_at", record_chain)
    monkeypatch.setattr(src, "_one_pass", pass_alone)
    for split in ("dev", "test", "train2"):
        for g in _bench_items(name, split):
            src.repair(g.text, "fr", src.GlueContext.from_texts([g.text], "fr"))
    threshold = src.GlueConfig().wrap_threshold
    assert asked
    for answer, ub, total in asked:
        assert ub >= total
        assert answer <= (ub < threshold)  # (it may say False where the bound is low: `likely`)
    said = sum(answer for answer, _, _ in asked)
    if name == "fr-clean":
        assert said > 0.5 * len(asked)  # what it is for: clean paragraphs the gate did not clear
    else:  # (the glued text asks it of wrapped paragraphs too, which get a chain)
        assert any(total >= threshold for _, _, total in asked)


@pytest.mark.parametrize("name", ["fr-wrap", "fr-rough", "fr-clean"])
def test_chain_terms_bound_every_token(name: str) -> None:
    """`core._chain_terms` (what `_no_chain` bounds a chain from): every token it bounds has no
    candidate above its bound, and the candidates it scores exactly are the ones `_one_pass`
    gathers, on benchmark paragraphs (dev, the first 150) as they are and with every fifth
    token opened by a straight quote (the exact candidates then carry `_quote_parity`'s changes;
    a quote opening a token leaves its bounded splits alone, so the bound's own quote term is
    not reached here), each with a document context holding every in-word cut of its plain
    tokens as two words side by side (the context's pair bonus)."""
    cfg = GlueConfig()
    shared = core._shared_for("fr", cfg)
    tokens = raised = 0
    for g in _bench_items(name, "dev")[:150]:
        for quote in (False, True):
            words = g.text.split()
            if quote:
                words = ['"' + w if i % 5 == 2 else w for i, w in enumerate(words)]
            text = " ".join(words)
            pairs = []
            for w in words:
                rows = shared.cheap_rows(w)
                if rows is not None:
                    pairs.extend(f"{lc} {rc}." for _, _, lc, rc, _, _, _ in rows[1])
            scorer = core._Scorer("fr", cfg, GlueContext.from_texts([text, " ".join(pairs)], "fr"))
            starts = core._token_starts(text, words)
            suspicious: list[int] = []
            core._sort_tokens(words, shared, suspicious, [])
            found = core._chain_terms(text, words, starts, suspicious, scorer, cfg, math.inf)
            assert found is not None
            exact, uppers = found
            # the candidates `_one_pass` gathers for a chain (before `_agreement` and `_grammar`,
            # which only lower them)
            ref: list[core._Cand] = []
            for k, w in enumerate(words):
                if k in suspicious:
                    scorer.extend_cached(ref, w, starts[k], k, cheap_only=False)
                elif len(w) >= 3:
                    scorer.extend_cached(ref, w, starts[k], k, cheap_only=True)
            core._quote_parity(text, ref, cfg)
            best: dict[int, float] = {}
            for c in ref:
                best[c.tok] = max(best.get(c.tok, -math.inf), c.lex)
            scored = {c.tok for c in exact}
            assert sorted((c.pos, c.lex) for c in exact) == sorted((c.pos, c.lex) for c in ref if c.tok in scored)
            for k, top in best.items():
                if k in scored:
                    continue
                assert k in uppers and uppers[k] >= top, (words[k], uppers.get(k), top)
                tokens += 1
                raised += top > uppers[k] - cfg.ctx_pair_bonus  # (a bound the context's bonus matters to)
    assert tokens > 500 and raised > 0


def test_no_chain_examples() -> None:
    """A clean paragraph with a rare name: no chain, by bounds; the same paragraph wrapped at 75
    characters and joined (a glue on every line): not shown, scored exactly."""
    import textwrap

    cfg = GlueConfig()
    clean = ("Le ministre Poston a reçu hier la délégation du comité régional, venue présenter son "
             "rapport annuel sur la situation des écoles de la province. Il a rappelé que le "
             "gouvernement avait consacré une part importante de son budget à la rénovation des "
             "bâtiments scolaires et à la formation des enseignants, en particulier dans les "
             "districts de montagne où les besoins restent les plus grands.")
    glued = "".join(textwrap.wrap(clean, 75))

    def no_chain(text: str) -> bool:
        scorer = core._Scorer("fr", cfg, GlueContext.from_texts([text], "fr"))
        words = text.split()
        suspicious: list[int] = []
        core._sort_tokens(words, scorer._shared, suspicious, [])
        return core._no_chain(text, words, core._token_starts(text, words), suspicious, scorer, cfg)

    assert no_chain(clean)
    assert not no_chain(glued)
    assert core.repair(glued, "fr")[0] == clean


def _random_tokens(rng: Any) -> tuple[int, list[tuple[int, int]]]:
    """A made-up paragraph's length and its tokens' (start, end): 30-900 characters, tokens of
    1-12 characters (1 in 20 up to 40), 1 space in 33 doubled."""
    tokens: list[tuple[int, int]] = []
    pos = rng.randint(0, 2)
    length = rng.randint(30, 900)
    while pos < length:
        size = rng.randint(1, 40 if rng.random() < 0.05 else 12)
        tokens.append((pos, pos + size))
        pos += size + (2 if rng.random() < 0.03 else 1)
    return tokens[-1][1], tokens


def test_chain_bound_on_made_up_paragraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random paragraphs, tokens and candidate scores (some tokens long, double spaces, scores
    far below the chain's floor, candidates in the first token or not, several in a token):
    `chain_bound` is never below `best_chain`'s score, and some made-up paragraphs are cleared."""
    import random

    wrap = native.load_sources()["wrap"]
    best_chain, chain_bound = wrap.best_chain, wrap.chain_bound
    monkeypatch.setattr(wrap, "likely_chain", lambda *args: False)  # the bound in full
    cfg = GlueConfig()
    rng = random.Random(3)
    cleared = 0
    for trial in range(400):
        n, tokens = _random_tokens(rng)
        rate = rng.choice([0.02, 0.1, 0.4, 0.9])
        top = rng.choice([-2.0, 1.0, 4.0, 8.0])
        cands: list[core._Cand] = []
        for k, (s, e) in enumerate(tokens):
            if e - s < 2 or rng.random() > rate:
                continue
            best = rng.uniform(-14.0, top)
            for _ in range(rng.randint(1, 3)):
                cands.append(core._Cand(rng.randint(s + 1, e - 1), k, best - rng.expovariate(0.5), "a", "b", False))
        if not cands:
            continue
        ub = chain_bound(n, tokens, cands, cfg)
        best = best_chain(n, tokens, cands, cfg)[0]
        assert ub >= best, trial
        cleared += ub < cfg.wrap_threshold
        # `chain_bound_with`: the same bound from the same candidates; with some tokens (not the
        # first) known only by at least their best score, never below the chain either
        starts = [s for s, _ in tokens]
        words = ["x" * (e - s) for s, e in tokens]
        assert wrap.chain_bound_with(n, starts, words, cands, {}, cfg) == ub
        moved = {c.tok for c in cands if c.tok > 0 and rng.random() < 0.5}
        uppers: dict[int, float] = {}
        for c in cands:
            if c.tok in moved:
                uppers[c.tok] = max(uppers.get(c.tok, -math.inf), c.lex)
        slack = rng.choice([0.0, 0.5])
        uppers = {k: v + slack for k, v in uppers.items()}
        kept = [c for c in cands if c.tok not in moved]
        assert wrap.chain_bound_with(n, starts, words, kept, uppers, cfg) >= best, trial
    assert cleared > 20


@pytest.mark.parametrize("likely", [False, True])
def test_spans_as_starts_and_words_are_the_spans(likely: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """`wrap.chain_bound_at` and `wrap.best_chain_at` (the spans as starts and words, the kernel
    reading each end as start plus length) give `chain_bound`'s and `best_chain`'s answers bit
    for bit, compiled and source, with the kernel and in Python: made-up paragraphs (double
    spaces, long tokens, candidates in the first token, several a token, none) and a declined
    input (tokens out of order: the kernel says None, the Python answers). `likely`: the bound
    in full, or `likely_chain` as it is."""
    import random

    mods = [("compiled", wrap), ("source", native.load_sources()["wrap"])]
    cfg = GlueConfig()
    rng = random.Random(25)
    checked = chains = 0
    for trial in range(300):
        n, tokens = _random_tokens(rng)
        words = ["".join(rng.choice("aé,.") for _ in range(e - s)) for s, e in tokens]
        starts = [s for s, _ in tokens]
        rate = rng.choice([0.0, 0.1, 0.4, 0.9])
        cands: list[core._Cand] = []
        for k, (s, e) in enumerate(tokens):
            if e - s < 2 or rng.random() > rate:
                continue
            best = rng.uniform(-14.0, rng.choice([-2.0, 1.0, 4.0, 8.0]))
            for _ in range(rng.randint(1, 3)):
                cands.append(core._Cand(rng.randint(s + 1, e - 1), k, best - rng.expovariate(0.5), "a", "b", False))
        if trial % 50 == 7 and len(tokens) > 2:  # out of order: declined by the kernel
            starts[1], starts[2] = starts[2], starts[1]
            words[1], words[2] = words[2], words[1]
            tokens = [(s, s + len(w)) for s, w in zip(starts, words, strict=True)]
        for _, mod in mods:
            if not likely:
                monkeypatch.setattr(mod, "likely_chain", lambda *args: False)
            want_b = mod.chain_bound(n, tokens, cands, cfg)
            got_b = mod.chain_bound_at(n, starts, words, cands, cfg)
            assert want_b == got_b or (math.isinf(want_b) and want_b == got_b), trial
            want = mod.best_chain(n, tokens, cands, cfg)
            got = mod.best_chain_at(n, starts, words, cands, cfg)
            assert (got[0].hex() if got[0] == got[0] else "nan", got[1]) == (
                want[0].hex() if want[0] == want[0] else "nan", want[1]), trial
            py = mod.best_chain_py(n, tokens, cands, cfg)
            assert (py[0].hex(), py[1]) == (want[0].hex(), want[1]), trial
            checked += 1
            chains += bool(want[1])
    assert checked > 500 and chains > 50


def test_finish_is_the_tail_by_tail_reference(monkeypatch: pytest.MonkeyPatch, source_core: ModuleType) -> None:
    """`_Solved.finish` (only the tails inside the last token, their line starts by one argmax
    over their columns) gives the tail-by-tail reference's end and score, bit for bit, for every
    width re-solved on every fr-wrap and fr-rough paragraph (dev and test)."""
    import numpy as np

    solved_cls = source_core.best_chain_at.__globals__["_Solved"]
    neg = source_core.best_chain_at.__globals__["_NEG"]
    fast = solved_cls.finish
    checked = 0

    def reference(self: Any, n: int, init: dict[int, float], last_start: int, cfg: Any) -> tuple[int, float]:
        width = self.width
        tails = np.arange(max(0, n - width - cfg.window_after), n)
        end = self.best[tails] - np.maximum(n - tails - width, 0) * cfg.over_penalty
        if last_start > 0:
            for k in range(len(tails)):
                q = int(tails[k])
                if q > last_start and end[k] > neg / 2:
                    p = self.line_start(q, init)
                    if p >= 0 and n - p <= width:
                        end[k] -= cfg.line_bonus
        k = int(end.argmax())
        return int(tails[k]), float(end[k])

    def both(self: Any, n: int, init: dict[int, float], last_start: int, cfg: Any) -> float:
        nonlocal checked
        want = reference(self, n, init, last_start, cfg)
        got = fast(self, n, init, last_start, cfg)
        assert (self.end, got) == want
        checked += 1
        return got

    monkeypatch.setattr(solved_cls, "finish", both)
    for name in ("fr-wrap", "fr-rough"):
        for split in ("dev", "test"):
            for g in _bench_items(name, split):
                source_core.repair(g.text, "fr", source_core.GlueContext.from_texts([g.text], "fr"))
    assert checked > 1000


@pytest.mark.parametrize("overrides", [
    {},
    {"min_line": 30},  # lines may be shorter than `min_line`: the walk scores each place
    {"window_before": 15, "window_after": 10},
    {"min_width": 40, "max_width": 90, "under_cap": 2.0, "over_penalty": 0.9},
    {"first_candidates": 1, "prune_margin": 10.0},
])
def test_best_chain_is_the_reference(overrides: dict[str, Any]) -> None:
    """`best_chain` (the engine as loaded: compiled or source) gives the score (bit for bit) and
    the chain of the reference kept from before the ninth speed round (`tests/wrap_reference.py`:
    a dense table of every offset by every place, read by numpy) on made-up paragraphs: long
    tokens, double spaces, scores far below the chain's floor and far above, several candidates
    in a token, candidates in the first token or not, equal scores, places about the phantom
    break's score. (A tie kept by the last place in the new windows fails it; the walk only ranks
    the widths, so not every change of the walk changes the chains.)"""
    import random

    from pipeline.glue.wrap import best_chain
    from tests import wrap_reference

    cfg = GlueConfig(**overrides)
    rng = random.Random(9)
    chains = 0
    for trial in range(400):
        n, tokens = _random_tokens(rng)
        rate = rng.choice([0.1, 0.4, 0.9])
        top = rng.choice([-6.0, -2.0, 1.0, 4.0, 8.0])  # (-6: places about the phantom break's score)
        cands: list[core._Cand] = []
        for k, (s, e) in enumerate(tokens):
            if e - s < 2 or rng.random() > rate:
                continue
            best = rng.uniform(-14.0, top)
            for _ in range(rng.randint(1, 3)):
                lex = best - rng.expovariate(0.5) if rng.random() < 0.8 else round(best)  # (ties)
                cands.append(core._Cand(rng.randint(s + 1, e - 1), k, lex, "a", "b", False))
        if not cands:
            continue
        fresh = [core._Cand(c.pos, c.tok, c.lex, "a", "b", False) for c in cands]
        want = wrap_reference.best_chain(n, tokens, fresh, cfg)
        got = best_chain(n, tokens, cands, cfg)
        assert (repr(got[0]), list(got[1])) == (repr(want[0]), list(want[1])), trial
        chains += bool(want[1])
    assert chains > 50


def test_short_bytes_are_the_character_by_character_values() -> None:
    """`wrap._short_bytes` (joined a token at a time) gives what `best_chain` wrote a character
    at a time: min(characters to the token's end, `before`) inside a token, 0 elsewhere."""
    def reference(tokens: list[tuple[int, int]], size: int, before: int) -> list[int]:
        short = [0] * size
        for s0, e0 in tokens:
            for q in range(s0, e0):
                r = e0 - q
                short[q] = r if r < before else before
        return short

    rng = random.Random(11)
    for before in (0, 1, 2, 5, 22, 255):
        for _ in range(500):
            tokens: list[tuple[int, int]] = []
            p = rng.choice([0, 1, 3, 600])
            for _ in range(rng.randint(0, 30)):
                length = rng.choice([1, 2, 3, 5, 8, 20, 30, 5000]) if rng.random() < 0.9 else rng.randint(1, 9000)
                tokens.append((p, p + length))
                p += length + (rng.randint(1, 3) if rng.random() < 0.95 else rng.randint(4, 700))
            size = p + rng.choice([0, 1, 2, rng.randint(0, 120), rng.randint(500, 700)])
            got = wrap._short_bytes(tokens, size, before)
            assert got is not None and list(got) == reference(tokens, size, before)
    assert wrap._short_bytes([(0, 3)], 10, 256) is None  # (then `short` is written as before)
    assert wrap._short_bytes([(4, 6), (0, 3)], 10, 22) is None


def test_scans_answer_as_the_tables() -> None:
    """`GlueContext.has_pair` (a scan of the texts) answers as `pairs` (the set built by
    `_build`) does, and `seen_twice` (on the cores met twice, no `counts` made) as `counts`: on every
    pair of adjacent cores, cores of neighbouring tokens across marks, texts and sentence ends,
    pieces of tokens and made-up strings of a few hundred benchmark paragraphs."""
    import random

    rng = random.Random(5)
    items = _bench_items("fr-rough", "dev")[:150] + _bench_items("en-inline", "dev")[:150]
    checked = seen = paired = 0
    for n, g in enumerate(items):
        other = items[(n + 1) % len(items)].text
        texts = [g.text, "«  (Mai Tien), " + g.text[: len(g.text) // 3] + ' "x" ... ', other[: len(other) // 2],
                 "' \" (( ))  Mai\nTien  «Tien» Mai' 'x' \"x\""]
        ctx, ref = GlueContext.from_texts(texts, "fr"), GlueContext.from_texts(texts, "fr")
        counts, pairs = ref.counts, ref.pairs
        toks = " ".join(texts).split()
        cores = [core._core(t) for t in toks]
        asks: list[tuple[str, str]] = list(pairs)
        for i, tok in enumerate(toks):
            j = rng.randrange(len(tok) + 1)
            asks += [(cores[i], cores[(i + 1) % len(cores)]), (cores[i], cores[rng.randrange(len(cores))]),
                     (tok[:j], tok[j:]), (tok, cores[i]), (cores[i][1:], cores[i][:-1])]
        asks += [("Mai", "Tien"), ("Tien", "Mai"), ("x", "x"), ("", "x"), ("Mai", ""), (" ", "Mai"), ("a b", "c"),
                 ("(Mai", "Tien)"), ("'", "\""), ("Mai\nTien", "Tien"), ("Tien", "Mai'")]
        for a, b in asks:
            want = (a, b) in pairs
            assert ctx.has_pair(a, b) == want, (a, b, g.text)
            assert ctx.seen_twice(a) == (counts.get(a, 0) >= 2), (a, g.text)
            checked += 1
            paired += want
            seen += counts.get(a, 0) >= 2
        assert ctx._pairs is None and ctx.counts == counts  # the pairs scanned for, never built
        assert list(ctx.counts) == list(counts)  # (the same insertion order too)
    assert checked > 10_000 and 0.05 * checked < paired < 0.8 * checked, (checked, paired)
    assert 0.05 * checked < seen, (checked, seen)


def test_core_is_the_two_strips() -> None:
    """`core._core` (each strip only where an end of the token holds a mark) is
    `tok.lstrip(_OPENING).rstrip(_CLOSING)`, on every token of a few hundred benchmark paragraphs
    and on made-up tokens of marks and letters (empty, marks only, marks inside)."""
    rng = random.Random(7)
    marks = core._OPENING + core._CLOSING + "-/'’"
    toks = [t for g in _bench_items("fr-rough", "dev")[:150] + _bench_items("en-inline", "dev")[:150]
            for t in g.text.split()]
    for _ in range(20_000):
        toks.append("".join(rng.choice(marks + "aZé9 ") for _ in range(rng.randrange(6))))
    toks += ["", "(", ")", "((", "))", "()", ")(", "«»", "a", "(a", "a)", "(a)", ")a(", "“x”", "…"]
    for tok in toks:
        assert core._core(tok) == tok.lstrip(core._OPENING).rstrip(core._CLOSING), tok
    assert sum(core._core(t) != t for t in toks) > 5_000


def test_words_and_seen_twice_from_one_pass() -> None:
    """`GlueContext._index` (the words and the cores met twice, one pass over the tokens):
    `words` is the set of the non-empty cores `counts` holds and `seen_twice` is `counts[core]
    >= 2`, whether `words` or `seen_twice` is asked first, and on given counts."""
    rng = random.Random(9)
    items = _bench_items("fr-rough", "dev")[:100] + _bench_items("en-inline", "dev")[:100]
    checked = seen = 0
    for n, g in enumerate(items):
        other = items[(n + 1) % len(items)].text
        texts = [g.text, "«  (Mai Tien), " + g.text[: len(g.text) // 3] + ' "x" ... ( ) ((',
                 other[: len(other) // 2], "' \" (( ))  Mai\nTien  «Tien» Mai' 'x' \"x\" «Mai»,"]
        counts = GlueContext.from_texts(texts, "fr").counts
        words_first, twice_first = GlueContext.from_texts(texts, "fr"), GlueContext.from_texts(texts, "fr")
        given = GlueContext("fr", counts=counts, texts=texts)
        assert words_first.words == frozenset(counts) and "" not in words_first.words
        toks = " ".join(texts).split()
        asks = [core._core(t) for t in toks] + [t[: rng.randrange(len(t) + 1)] for t in toks]
        asks += ["Mai", "Tien", "x", "", "(", "(Mai", "Mai,", " ", "zzz"]
        for a in asks:
            want = counts.get(a, 0) >= 2
            assert words_first.seen_twice(a) == want and twice_first.seen_twice(a) == want, (a, g.text)
            assert given.seen_twice(a) == want
            checked += 1
            seen += want
        assert twice_first.words == words_first.words
        assert words_first._counts is None and twice_first._counts is None  # (no `Counter` made)
    assert checked > 10_000 and 0.1 * checked < seen < 0.9 * checked, (checked, seen)


def test_no_space_and_ascii_alnum_are_the_str_methods() -> None:
    """`core._no_space` is `not any(ch.isspace() for ch in s)` and `core._ascii_alnum(ord(ch))`
    is `ch.isascii() and ch.isalnum()`: on every code point below 0x3100 (the Unicode spaces
    among them), and on made-up strings of letters, marks and spaces."""
    for c in range(0x3100):
        ch = chr(c)
        assert core._ascii_alnum(c) == (ch.isascii() and ch.isalnum()), hex(c)
        assert core._no_space(ch) == (not ch.isspace()) and core._no_space("ab" + ch + "9") == (not ch.isspace())
    rng = random.Random(11)
    pool = "aZé9(»’-.\u00a0\u2009\u3000\x1c\x85 \t\n"
    strings = ["".join(rng.choice(pool) for _ in range(rng.randrange(8))) for _ in range(5_000)]
    for s in strings:
        assert core._no_space(s) == (not any(ch.isspace() for ch in s)), repr(s)
    assert 0.1 * len(strings) < sum(core._no_space(s) for s in strings) < 0.9 * len(strings)


def test_surely_plain_is_the_strips_and_slices() -> None:
    """`_surely_plain` and `_elided_plain` (integer tests on a token's ends, no slices) answer as
    the strips and slices they replace, on every token of a few hundred benchmark paragraphs,
    on elided forms with marks around them and on made-up tokens (empty, marks only)."""
    def elided_ref(word: str, known: frozenset[str], elided: frozenset[str]) -> bool:
        k = 1 if word[1:2] in core._APOSTROPHES else 2 if word[2:3] in core._APOSTROPHES else 0
        return k > 0 and word[:k] in elided and word[k + 1 : k + 2] != "s" and word[k + 1 :] in known

    def surely_ref(tok: str, known: frozenset[str], elided: frozenset[str]) -> bool:
        word = tok.lstrip(core._PLAIN_OPENING).rstrip(core._PLAIN_CLOSING)
        return word in known or (bool(elided) and elided_ref(word, known, elided))

    rng = random.Random(13)
    for lang, name in (("fr", "fr-rough"), ("en", "en-inline")):
        known, elided = plain_of(lang), core._plain_elisions(lang, GlueConfig().gate_zipf)
        toks = [t for g in _bench_items(name, "dev")[:200] for t in g.text.split()]
        words = sorted(known)[::101]
        toks += [rng.choice(["", *core._PLAIN_OPENING]) + e + a + w + rng.choice(["", *core._PLAIN_CLOSING])
                 for e in [*sorted(elided), "x", "jusqu"] for a in "'’" for w in [*words[:40], "sien"]]
        pool = core._PLAIN_OPENING + core._PLAIN_CLOSING + "'’ldsé9Z"
        toks += ["".join(rng.choice(pool) for _ in range(rng.randrange(7))) for _ in range(5_000)]
        toks += ["", "(", ")", "l'", "'l", "l'a", "qu’il", "(l'origine),"]
        hits = 0
        for tok in toks:
            want = surely_ref(tok, known, elided)
            assert core._surely_plain(tok, known, elided) == want, (lang, tok)
            assert core._elided_plain(tok, known, elided) == elided_ref(tok, known, elided), (lang, tok)
            hits += want
        assert 0.1 * len(toks) < hits < 0.9 * len(toks), (lang, hits, len(toks))


def test_row_cues_are_the_booleans_they_replace() -> None:
    """`core._row_cues` sets each bit of a `_positions` row exactly when the cue it stands for
    holds (the comma and digits bits from the characters around the offset), for every
    combination of the cues and characters of each kind."""
    import itertools

    chars = [",", ".", "a", "Z", "9", "٣", "²", "'", " ", "é"]
    names = ["forced", "soft", "abbrev", "punct", "camel2", "bad", "sent", "quote"]
    bits = [core._CUE_FORCED, core._CUE_SOFT, core._CUE_ABBREV, core._CUE_PUNCT, core._CUE_CAMEL2, core._CUE_BAD,
            core._CUE_SENT, core._CUE_QUOTE]
    all_bits = [*bits, core._CUE_COMMA, core._CUE_DIGITS]
    assert len(set(all_bits)) == len(all_bits) and all(b & (b - 1) == 0 for b in all_bits)
    for a, b in itertools.product(chars, chars):
        for flags in itertools.product((False, True), repeat=len(names)):
            cues = core._row_cues(a, b, *flags)
            for flag, bit, name in zip(flags, bits, names, strict=True):
                assert ((cues & bit) != 0) == flag, (a, b, name)
            assert ((cues & core._CUE_COMMA) != 0) == (a == ",")
            assert ((cues & core._CUE_DIGITS) != 0) == (a.isdigit() and b.isdigit()), (a, b)
            assert cues < 2 * max(all_bits)


def test_cached_cheap_is_the_cheap_candidates() -> None:
    """`_Scorer.cached(..., cheap_only=True)` (which answers [] at once for a token without
    cheap rows, memoising nothing) gives the candidates of `_cheap` shifted, on every token of a
    few hundred benchmark paragraphs, with and without a document context, asked twice."""
    for lang, name in (("fr", "fr-wrap"), ("en", "en-inline")):
        items = _bench_items(name, "dev")[:150]
        ctx = GlueContext.from_texts([g.text for g in items], lang)
        for context in (None, ctx):
            scorer, ref = core._Scorer(lang, GlueConfig(), context), core._Scorer(lang, GlueConfig(), context)
            empty = full = 0
            for g in items:
                for k, tok in enumerate(g.text.split()):
                    want = [(c.pos + 7, k, c.lex, c.left, c.right, c.forced, c.chain_only)
                            for c in ref._cheap(tok, ref._shared.cheap_rows(tok))]
                    for _ in range(2):
                        got = [(c.pos, c.tok, c.lex, c.left, c.right, c.forced, c.chain_only)
                               for c in scorer.cached(tok, 7, k, cheap_only=True)]
                        assert got == want, (lang, tok)
                    empty += not want
                    full += bool(want)
            assert empty > 1000 and full > 50, (lang, empty, full)


def test_token_starts_are_where_find_finds_the_tokens() -> None:
    """`core._token_starts` (a walk over the whitespace between tokens) gives each token of
    `str.split` the offset `paragraph.find(word, at)` gave it, on benchmark paragraphs and on
    made-up ones with every kind of whitespace around and between the tokens."""
    def reference(paragraph: str) -> list[tuple[int, str]]:
        toks, at = [], 0
        for word in paragraph.split():
            at = paragraph.find(word, at)
            toks.append((at, word))
            at += len(word)
        return toks

    rng = random.Random(17)
    spaces = [" ", "  ", "\t", "\n", "\u00a0", "\u2009", "\u3000", "\x1c", "\x85", " \u202f "]
    paragraphs = [g.text for g in _bench_items("fr-rough", "dev")[:200] + _bench_items("en-inline", "dev")[:200]]
    for _ in range(3_000):
        words = ["".join(rng.choice("aZé9,.«»()'’-x") for _ in range(rng.randrange(1, 6)))
                 for _ in range(rng.randrange(8))]
        paragraphs.append(rng.choice(["", *spaces]) + "".join(w + rng.choice(spaces) for w in words))
    paragraphs += ["", " ", "a", " a ", "a\u00a0b", "\u3000x\u3000y"]
    for p in paragraphs:
        starts = core._token_starts(p, p.split())
        assert len(starts) == len(p.split()) and list(zip(starts, p.split(), strict=True)) == reference(p), repr(p)


def test_thresholds_are_the_min_and_max_they_replace() -> None:
    """`_stray_threshold` and `_context_allowance` (two-argument `min`s and `max`es) are the
    four-argument `min` and `max` they replace, bit for bit, under configurations with equal,
    negative and signed-zero values; `_inline_threshold` reads a token's first character as
    `tok[:1].isupper()` does, on every code point below 0x3100 and the empty token."""
    import dataclasses

    rng = random.Random(19)
    values = [-1.5, -0.0, 0.0, 0.5, 1.0, 2.0, 2.0, 3.25]
    for _ in range(500):
        cfg = dataclasses.replace(
            GlueConfig(), function_glue_threshold=rng.choice(values), function_glue_name_threshold=rng.choice(values),
            unlisted_glue_threshold=rng.choice(values), wrapped_punct_threshold=rng.choice(values),
            ctx_pair_bonus=rng.choice(values), ctx_word_bonus=rng.choice(values), ctx_whole_penalty=rng.choice(values))
        want = min(cfg.function_glue_threshold, cfg.function_glue_name_threshold, cfg.unlisted_glue_threshold,
                   cfg.wrapped_punct_threshold)
        assert math.copysign(1, core._stray_threshold(cfg)) == math.copysign(1, want)
        assert core._stray_threshold(cfg) == want
        allow = max(0.0, cfg.ctx_pair_bonus, cfg.ctx_word_bonus, 2 * cfg.ctx_word_bonus)
        want = allow + max(0.0, -cfg.ctx_whole_penalty)
        assert math.copysign(1, core._context_allowance(cfg)) == math.copysign(1, want)
        assert core._context_allowance(cfg) == want
    cfg = dataclasses.replace(GlueConfig(), inline_name_threshold={"fr": 7.0}, inline_threshold={"fr": 1.0})
    for c in range(0x3100):
        tok = chr(c) + "ab"
        assert core._inline_threshold(tok, "fr", cfg) == (7.0 if tok[:1].isupper() else 1.0), hex(c)
    assert core._inline_threshold("", "fr", cfg) == 1.0


def _agreement_reference(toks: list[tuple[int, str]], cands: list[Any], lang: str, cfg: GlueConfig) -> None:
    """`core._agreement` as the set of (token, left piece) pairs wrote it (the reference)."""
    penalty, numbers, tab = cfg.agreement_penalty.get(lang), core.L.NUMBER_DETERMINERS.get(lang), table(lang)
    assert penalty is not None and numbers is not None
    todo, after = [], set()
    for c in cands:
        left = c.left
        if len(left) >= 4 and left[1] in "'’" and left[0].lower() + "'" in numbers:
            # an elided determiner inside the left piece (`L'Organisations|coute`): its noun
            after.add(c.tok)
            if len(left) > 4 and not numbers[left[0].lower() + "'"] and left[-1] in "sx" and left[2:].isalpha():
                todo.append((c, False, 2))
            continue
        if c.tok == 0:
            continue
        prev = toks[c.tok - 1][1]
        before = core._core(prev).lower()
        det = numbers.get(before)
        number = det is None and prev.isdecimal() and int(before[-6:]) >= 2
        if toks[c.tok][1][:2] in ("d'", "d’") and (det is True or before in core.L.QUANTITY_NOUNS.get(lang, ())):
            # `de` elided before the noun after a plural determiner or a noun of quantity
            # (`plusieurs d'autre|sont`, `milliers d'année|sont`): the noun is plural
            if len(c.left) >= 4 and c.left[:2] in ("d'", "d’") and c.left[2:].isalpha():
                todo.append((c, True, 2))
                after.add(c.tok)
            continue
        if (det is None and not number) or not c.left.isalpha():
            continue
        plural = det
        if plural is None:
            if not (number and c.left.islower()):
                continue
            plural = True
        todo.append((c, plural, 0))
        after.add(c.tok)
    lefts = {(d.tok, d.left) for d in cands if d.tok in after}
    for c, plural, k in todo:
        whole, left = c.left, c.left[k:]
        if plural and left[-1] not in "sx" and any((c.tok, whole + e) in lefts for e in "sx"):
            c.lex -= penalty
        elif (not plural and left[-1] in "sx" and (c.tok, whole[:-1]) in lefts
              and tab.get(left[:-1].lower(), 0.0) + 1.0 > tab.get(left.lower(), 0.0)):
            c.lex -= penalty


def test_agreement_by_offsets_is_the_pairs_of_left_pieces() -> None:
    """`_agreement` (the other reading found by its offset) lowers the same candidates by the
    same penalty as the set of (token, left piece) pairs it replaces, on the candidates of every
    token of a few hundred glued French paragraphs (each token scored in full and as a common
    word, as `_one_pass` gathers them), with made-up determiners and numbers before them."""
    rng = random.Random(23)
    cfg = GlueConfig()
    scorer = core._Scorer("fr", cfg, None)
    dets = ["les", "des", "du", "le", "la", "Les", "(des", "3", "1", "2000", "ses", "un", "certains", "milliers",
            "plusieurs d'", "centaine d'", "le d'"]
    changed = 0
    for g in _bench_items("fr-wrap", "dev")[:150] + _bench_items("fr-rough", "dev")[:150]:
        words = g.text.split()
        dets_at = [rng.choice(dets) for _ in words]  # (`plusieurs d'` is glued to the word: `d'autres`)
        words = [w if rng.random() < 0.7 else d + ("" if d.endswith("'") else " ") + w
                 for w, d in zip(words, dets_at, strict=True)]
        text = " ".join(words)
        toks = list(zip(core._token_starts(text, text.split()), text.split(), strict=True))
        cands: list[Any] = []
        for k, (start, tok) in enumerate(toks):
            cands += scorer.cached(tok, start, k, cheap_only=False)
            if len(tok) >= 3:
                cands += scorer.cached(tok, start, k, cheap_only=True)
        ref = [core._Cand(c.pos, c.tok, c.lex, c.left, c.right, c.forced, c.chain_only) for c in cands]
        before = [c.lex for c in cands]
        core._agreement(text.split(), cands, "fr", cfg)
        _agreement_reference(toks, ref, "fr", cfg)
        assert [c.lex for c in cands] == [c.lex for c in ref], g.text
        changed += sum(c.lex != lex for c, lex in zip(cands, before, strict=True))
    assert changed > 20, changed


def test_agreement_skips_what_it_cannot_lower() -> None:
    """`_agreement` tests a candidate after a determiner or a number by its characters first (a
    plural reading's left piece ends in neither `s` nor `x` and its right piece opens with one,
    a singular one's left piece ends in one) and drops the others before `_isalpha`: the same
    scores as the reference, on every offset of 20,000 made-up tokens of `s`, `x`, other
    letters, capitals, digits, marks and apostrophes after made-up determiners and numbers
    (left or right pieces empty included), in English and French."""
    rng = random.Random(2424)
    cfg = GlueConfig()
    dets = ["les", "des", "du", "le", "la", "Les", "(des", "3", "1", "2000", "ses", "un", "the", "these", "a", "12,",
            "certains", "milliers", "plusieurs"]
    changed = 0
    for _ in range(2_000):
        toks_ = []
        for _ in range(rng.randrange(1, 12)):
            toks_.append(rng.choice(dets))
            head = rng.choice(("", "", "d'", "d’", "D'"))  # (`de` elided before a noun: `milliers d'année|sont`)
            toks_.append(head + "".join(rng.choice("sxsxeaitnSXÉé9-'.") for _ in range(rng.randrange(1, 9))))
        text = " ".join(toks_)
        words = text.split()
        toks = list(zip(core._token_starts(text, words), words, strict=True))
        cands: list[Any] = []
        for k, (start, tok) in enumerate(toks):
            for i in range(0 if rng.random() < 0.05 else 1, len(tok) + (1 if rng.random() < 0.05 else 0)):
                cands.append(core._Cand(start + i, k, rng.uniform(-3, 3), tok[:i], tok[i:], False, rng.random() < 0.3))
        for lang in ("fr", "en"):
            mine = [core._Cand(c.pos, c.tok, c.lex, c.left, c.right, c.forced, c.chain_only) for c in cands]
            ref = [core._Cand(c.pos, c.tok, c.lex, c.left, c.right, c.forced, c.chain_only) for c in cands]
            core._agreement(words, mine, lang, cfg)
            if cfg.agreement_penalty.get(lang) is None or core.L.NUMBER_DETERMINERS.get(lang) is None:
                assert [c.lex for c in mine] == [c.lex for c in cands]
                continue
            _agreement_reference(toks, ref, lang, cfg)
            assert [c.lex for c in mine] == [c.lex for c in ref], (lang, text)
            changed += sum(c.lex != d.lex for c, d in zip(mine, cands, strict=True))
    assert changed > 500, changed


def test_isalpha_islower_isupper_are_the_str_methods() -> None:
    """`core._isalpha`, `_islower`, `_isupper`, `_isdecimal` (ASCII by integer tests, the rest asked) answer as
    the `str` methods on every code point below 0x3100 alone and around ASCII letters, and on
    made-up strings of ASCII and other letters, digits, marks and spaces (empty included)."""
    funcs = ((core._isalpha, str.isalpha), (core._islower, str.islower), (core._isupper, str.isupper),
             (core._isdecimal, str.isdecimal))
    for c in range(0x3100):
        ch = chr(c)
        for s in (ch, "ab" + ch, ch + "AB", "aB" + ch + "9", ch + ch):
            for fast, slow in funcs:
                assert fast(s) == slow(s), (hex(c), s, slow)
    rng = random.Random(29)
    pool = "abzAZé É9 -'’ǅßİıΣσ0١²"
    for _ in range(20_000):
        s = "".join(rng.choice(pool) for _ in range(rng.randrange(7)))
        for fast, slow in funcs:
            assert fast(s) == slow(s), (s, slow)


def test_two_known_opens_is_two_known_and_starts_with_word() -> None:
    """`_two_known_opens` gives `_two_known` (the same float) and `_starts_with_word` (or None
    where `embedded_min` is below 2) on every prefix and suffix of the lowercase letter runs of
    benchmark paragraphs (French and English) and on made-up strings, with the default
    `embedded_min` and others (0 to 6)."""
    pieces: dict[str, set[str]] = {"fr": set(), "en": set()}
    for name, lang in (("fr-wrap", "fr"), ("fr-rough", "fr"), ("en-inline", "en")):
        for g in _bench_items(name, "dev")[:120]:
            for run in re.findall(r"[^\W\d_]+", g.text.lower()):
                pieces[lang].update(run[:k] for k in range(2, len(run) + 1))
                pieces[lang].update(run[k:] for k in range(len(run) - 1))
    rng = random.Random(31)
    for lang, pool in (("fr", "aeilnorstuéàdmpq"), ("en", "aeinorsthdlmwg")):
        pieces[lang].update("".join(rng.choice(pool) for _ in range(rng.randrange(2, 16))) for _ in range(3000))
        pieces[lang].update(("lavillede", "ministre", "iraqipolitical", "thereporter", "ab", "xyz", "aaaa"))
    told = opened = 0
    for first in (None, 0, 1, 2, 3, 4, 6):
        for lang, found in pieces.items():
            cfg = GlueConfig() if first is None else GlueConfig(embedded_min={lang: first})
            scorer = core._Scorer(lang, cfg, None)
            for low in sorted(found):
                two, opens = scorer._two_known_opens(low)
                assert two == scorer._two_known(low), (lang, low)
                # ... and with the piece in its own case (the lone-letter rules), the same
                # `opens` (the rules skip only readings at k = 1 and k = n - 1)
                for cased in (low, low[:1].upper() + low[1:], low.upper()):
                    two_c, opens_c = scorer._two_known_opens(low, cased)
                    assert two_c == scorer._two_known(low, cased) <= two and opens_c == opens, (lang, cased)
                if cfg.embedded_min.get(lang, 3) < 2:
                    assert opens is None
                else:
                    assert opens == scorer._starts_with_word(low), (lang, low, first)
                    told += 1
                    opened += bool(opens)
    assert told > 10_000 and opened > 1000, (told, opened)


def test_two_known_at_is_two_known_of_the_cased_piece() -> None:
    """`_two_known_at` (the bounds' nested reading of a run's prefix or suffix, from its known
    opening and closing words) gives `_two_known` of the piece, with the piece's case for the
    lone-letter rules and without it, on every prefix and suffix of letter runs of benchmark
    paragraphs (in their case, lowercased and capitalised) and made-up strings."""
    runs: dict[str, set[str]] = {"fr": set(), "en": set()}
    for name, lang in (("fr-rough", "fr"), ("en-inline", "en")):
        for g in _bench_items(name, "dev")[:150]:
            for run in re.findall(r"[^\W\d_]+", g.text):
                if len(run) >= 3:
                    runs[lang].update((run, run.lower(), run[:1].upper() + run[1:].lower()))
    rng = random.Random(37)
    runs["en"].update("".join(rng.choice("aeiIonrstwhd") for _ in range(rng.randrange(3, 14))) for _ in range(2000))
    runs["en"].update(("Andiamos", "theiamos", "Afghanistanalike", "haveattacheda", "andIwas", "whatagreat"))
    checked = 0
    for lang, found in runs.items():
        scorer = core._Scorer(lang, GlueConfig(), None)
        for run in sorted(found):
            rb = scorer._run_bounds(run)
            n = len(run)
            for k in range(1, n):
                for left, piece in ((True, run[:k]), (False, run[k:])):
                    ends = rb.openers if left else rb.closers
                    assert scorer._two_known_at(rb.low, k, ends, left) == scorer._two_known(piece.lower()), piece
                    got = scorer._two_known_at(rb.low, k, ends, left, piece)
                    assert got == scorer._two_known(piece.lower(), piece), (lang, run, piece)
                    checked += 1
    assert checked > 20_000, checked


def test_below_0250_is_isascii_or_max() -> None:
    """`core._below_0250` is `s.isascii() or max(s) < "\\u0250"` on every code point below
    0x3100 alone and next to ASCII and Latin letters, and on made-up strings."""
    def slow(s: str) -> bool:
        return s.isascii() or max(s) < "\u0250"

    for c in range(0x3100):
        ch = chr(c)
        for s in (ch, "ab" + ch, ch + "é", "é" + ch + "z"):
            assert core._below_0250(s) == slow(s), hex(c)
    rng = random.Random(37)
    pool = "az9é\u024f\u0250ɐΣ中 "
    for _ in range(5000):
        s = "".join(rng.choice(pool) for _ in range(rng.randrange(1, 7)))
        assert core._below_0250(s) == slow(s), s


def test_shared_holds_the_model_and_the_common_words() -> None:
    """`_Shared.model`, `words_5`, `words_35` are the objects `char_model` and `common_words`
    give (held at first use)."""
    from pipeline.glue.lexicon import char_model

    for lang in ("fr", "en"):
        shared = core._Shared(lang, GlueConfig())
        assert shared.model() is char_model(lang) and shared.model() is char_model(lang)
        assert shared.words_5() is common_words(lang, 5.0) and shared.words_5() is common_words(lang, 5.0)
        assert shared.words_35() is common_words(lang, 3.5) and shared.words_35() is common_words(lang, 3.5)


def _logp_reference(model: CharModel, word: str) -> tuple[float, float]:
    """log10 P(spelling) of `word` summed from scratch, trigram by trigram (no memo), and the
    sum without the end marker."""
    s = "^^" + word + "$"
    total = body = 0.0
    for i in range(2, len(s)):
        if i == len(s) - 1:
            body = total
        v = model._log3.get(s[i - 2 : i + 1])
        total += v if v is not None else math.log10(model._p(s[i - 2], s[i - 1], s[i]))
    return total, body


def test_logp_of_suffixes_from_the_held_terms_is_the_sum_from_scratch() -> None:
    """`CharModel.logp` of a suffix of the word it last summed from scratch (its terms held)
    gives the float of the sum from scratch, and so does every other call, in the order
    `_letter_rows` asks (whole token, then each left piece and right piece) and in a shuffled
    order, on the lowercase letter runs of benchmark paragraphs and made-up strings (unseen
    trigrams included); the bodies memo holds the sums without the end marker."""
    from pipeline.glue.lexicon import char_model, forget_spellings

    rng = random.Random(41)
    held = 0
    try:
        for name, lang in (("fr-wrap", "fr"), ("fr-rough", "fr"), ("en-inline", "en")):
            model = char_model(lang)
            runs = {run for g in _bench_items(name, "dev")[:100]
                    for run in re.findall(r"[^\W\d_]+", g.text.lower()) if len(run) >= 2}
            runs.update("".join(rng.choice("aeiqxzwkéàœ") for _ in range(rng.randrange(2, 14))) for _ in range(300))
            for run in sorted(runs):
                forget_spellings()
                asks = [run] + [w for k in range(1, len(run)) for w in (run[:k], run[k:])]
                if rng.random() < 0.3:
                    rng.shuffle(asks)
                for w in asks:
                    suffix = model._bodies.get(w[:-1]) is None and len(w) >= 2 and \
                        len(model._tail) > len(w) and model._tail.endswith(w) and w not in model._cache
                    total, body = _logp_reference(model, w)
                    assert model.logp(w) == total, (lang, run, w)
                    assert model._bodies[w] == body, (lang, run, w)
                    held += suffix
        assert held > 5000, held
    finally:
        forget_spellings()


def test_inner_split_and_camel_at_are_the_regex_searches() -> None:
    """`core._inner_split` (the search started two characters before the first mark) finds the
    match (same span) of `_INNER_SPLIT_RE.search` where the mark pattern matches, and
    `core._camel_at` answers as `_CAMEL_RE.search(s, pos)`, on the tokens of benchmark
    paragraphs, on every code point below 0x3100 around letters and marks, and on made-up
    strings of letters, capitals, marks, quotes, digits and spaces."""
    def inner(s: str) -> tuple[int, int] | None:
        m = core._INNER_SPLIT_RE.search(s) if core._INNER_SPLIT_MARK_RE.search(s) else None
        return m.span() if m is not None else None

    def fast(s: str) -> tuple[int, int] | None:
        m = core._inner_split(s)
        return m.span() if m is not None else None

    texts = [tok for name in ("fr-wrap", "fr-rough", "en-inline")
             for g in _bench_items(name, "dev")[:150] for tok in g.text.split()]
    for c in range(0x3100):
        ch = chr(c)
        texts += [ch, "ab" + ch + "Cd", "a" + ch, ch + "B", "xyz" + ch + ".Ab", "ab." + ch, ch + ";b", "é" + ch + "À"]
    rng = random.Random(43)
    pool = "abzéßÿ÷ABZÀÞ×.!?…;,)»(«\"'’-_9 Ɐ"
    texts += ["".join(rng.choice(pool) for _ in range(rng.randrange(12))) for _ in range(30_000)]
    found = camels = 0
    for s in texts:
        assert fast(s) == inner(s), s
        found += inner(s) is not None
        for pos in (0, 1, 2, 5):
            camel = core._CAMEL_RE.search(s, pos) is not None
            assert core._camel_at(s, pos) == camel, (s, pos)
            camels += camel
    assert found > 3000 and camels > 10_000, (found, camels)


def test_decimal_first_is_the_regex_digit_class() -> None:
    """`core._decimal_first(s)` is `re.match(r"\\d", s) is not None` on every code point (alone
    and before letters) and the empty string: where it is False, none of the number, measure
    and ordinal patterns (all open with `\\d+`) can match."""
    digit = re.compile(r"\d")
    assert core._decimal_first("") is False
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        assert core._decimal_first(ch) == (digit.match(ch) is not None), hex(c)
        assert core._decimal_first(ch + "a1") == (digit.match(ch) is not None), hex(c)
    for pattern in (core._NUMBER_RE, core._MEASURE_RE, core._ORDINAL_RE):
        assert pattern.pattern.startswith(r"\d+"), pattern.pattern


def _plain_reference(scorer: core._Scorer, tok: str) -> bool:
    """The token gate as it was written before its no-letter path (`_Scorer._plain`)."""
    common = common_words(scorer.lang, scorer.cfg.gate_zipf)
    low = tok.lower()
    if low.isalpha():
        return low in common and core._PUNCT_GLUE_RE.search(tok) is None
    return common.issuperset(core._LETTERS_RE.findall(low)) and core._PUNCT_GLUE_RE.search(tok) is None


def test_no_glue_without_letters_is_the_regex() -> None:
    """`_no_glue_without_letters(t)` is True only where `_PUNCT_GLUE_RE` finds nothing in a
    string `t` without letters: on every code point (alone, and before and after digits and
    marks), and on random strings of digits, marks, `×`, `÷` and other non-letters; a letter
    of `tok` is one of `tok.lower()` and back, code point by code point."""
    letter = re.compile(r"[^\W\d_]")
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        assert (letter.search(ch) is None) == (letter.search(ch.lower()) is None), hex(c)
        if letter.search(ch) is not None:
            continue
        for t in (ch, "1" + ch, ch + "1", "(" + ch + ")", ch + ",1", ")," + ch, ch * 3):
            if letter.search(t) is None and core._no_glue_without_letters(t):
                assert core._PUNCT_GLUE_RE.search(t) is None, (hex(c), t)
    rng = random.Random(7)
    chars = list("0123456789²½,;:.!?)»”«(“\"'’…%×÷-/[]&#+*=§°€$£\u00a0\u2030")
    seen = 0
    for _ in range(200_000):
        t = "".join(rng.choice(chars) for _ in range(rng.randint(1, 8)))
        if letter.search(t) is None and core._no_glue_without_letters(t):  # (`½`, `²` are letters there)
            seen += 1
            assert core._PUNCT_GLUE_RE.search(t) is None, t
    assert seen > 20_000
    # the regex does match some strings without letters: those are not answered without it
    for t in ("÷÷×", "1÷÷×", "÷÷×)"):
        assert core._PUNCT_GLUE_RE.search(t) is not None and not core._no_glue_without_letters(t), t
    for t in ("35", "(2012).", "2012),3", "%,5", "»,1", "—", "«"):
        assert core._no_glue_without_letters(t) and core._PUNCT_GLUE_RE.search(t) is None, t


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_token_gate_is_the_reference(lang: str) -> None:
    """`_Scorer._plain` (the common words held, the no-letter path) answers as it was written,
    on every token of the benchmark's clean and glued scenarios (dev and test) and on made-up
    tokens: numbers, marks, `×`/`÷`, commas before digits, with letters around."""
    scorer = core._shared_for(lang, core.DEFAULT_CONFIG).part
    names = ("fr-clean", "fr-wrap", "fr-rough") if lang == "fr" else ("en-clean", "en-inline")
    tokens: set[str] = set()
    for name in names:
        for split in ("dev", "test"):
            for g in _bench_items(name, split):
                tokens.update(g.text.split())
    rng = random.Random(11)
    parts = ["12", "2012", "3", ",", ".", "(", ")", "»", "«", "%", "×", "÷", "’", "'", "-", "/", "le", "Le",
             "ministre", "Vietnam", "x", "é", "²", "½", "—", ":", '"', "…"]
    tokens.update("".join(rng.choice(parts) for _ in range(rng.randint(1, 4))) for _ in range(30_000))
    assert [t for t in tokens if scorer._plain(t) != _plain_reference(scorer, t)] == []
    no_letters = [t for t in tokens if core._LETTERS_RE.search(t) is None]
    assert len(no_letters) > 1_000 and sum(scorer._plain(t) for t in no_letters) > 500


def _run_logps_reference(scorer: core._Scorer, run: str) -> tuple[list[float], list[float]]:
    """`_run_bounds`'s spelling log-probabilities of every prefix and suffix, as they were
    written before the trigram views (`CharModel._firsts`, `_starts`, `_ends`): each trigram
    of `^^low$` built and looked up in `_log3`."""
    n = len(run)
    low = run.lower()
    model = scorer._shared.model()
    log3 = model._log3
    s = "^^" + low + "$"
    terms = [log3.get(s[k : k + 3]) for k in range(n + 1)]
    for k, v in enumerate(terms):
        if v is None:
            terms[k] = math.log10(model._p(s[k], s[k + 1], s[k + 2]))
    cum = [0.0] * (n + 1)
    for k in range(n):
        cum[k + 1] = cum[k] + terms[k]  # type: ignore[operator]  # reason: filled above
    left = [0.0] * n
    right = [0.0] * n
    end = terms[n]
    for k in range(1, n):
        e3 = s[k : k + 2] + "$"
        v = log3.get(e3)
        left[k] = cum[k] + (v if v is not None else math.log10(model._p(e3[0], e3[1], "$")))
        s3 = "^^" + low[k]
        v = log3.get(s3)
        first = v if v is not None else math.log10(model._p("^", "^", low[k]))
        t2 = "^" + low[k : k + 2] if n - k > 1 else "^" + low[k] + "$"
        v = log3.get(t2)
        second = v if v is not None else math.log10(model._p(t2[0], t2[1], t2[2]))
        right[k] = first + second + ((cum[n] - cum[k + 2]) + end if n - k > 1 else 0.0)  # type: ignore[operator]  # reason: filled above
    return left, right


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_trigram_views_are_the_trigram_table(lang: str) -> None:
    """`CharModel._firsts`, `_starts`, `_ends` hold `_log3`'s value of the trigram they stand
    for, and a key is missing there exactly when that trigram is missing from `_log3`: every
    letter and every pair of letters the model knows, and letters it does not."""
    model = core._shared_for(lang, core.DEFAULT_CONFIG).model()
    letters = sorted({c for k in model._log3 for c in k if c not in "^$"} | set("ßœæqxzñçåøΩж"))
    for c in letters:
        assert model._firsts.get(c) == model._log3.get("^^" + c), c
    for a in letters:
        for b in letters:
            assert model._starts.get(a + b) == model._log3.get("^" + a + b), a + b
            assert model._ends.get(a + b) == model._log3.get(a + b + "$"), a + b
    assert len(model._firsts) > 20 and len(model._starts) > 300 and len(model._ends) > 300


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_run_bounds_spellings_are_the_trigram_by_trigram_sums(lang: str) -> None:
    """`_run_bounds`'s log-probabilities of each prefix and suffix are the floats the trigram
    by trigram sums gave (`_run_logps_reference`), bit for bit: on every letter run of the
    benchmark's clean and glued paragraphs (in their case and lowercased) and on made-up runs
    of 1-14 letters with trigrams the model never saw (`q`, `x`, `ß`, `œ`, Greek, Cyrillic)."""
    scorer = core._shared_for(lang, core.DEFAULT_CONFIG).part
    runs: set[str] = set()
    names = ("fr-clean", "fr-rough") if lang == "fr" else ("en-clean", "en-inline")
    for name in names:
        for split in ("dev", "test"):
            for g in _bench_items(name, split)[:200]:
                runs.update(r for r in re.findall(r"[^\W\d_]+", g.text) if len(r) >= 2)
    runs.update([r.lower() for r in runs])
    rng = random.Random(41)
    alphabet = "eaisnrtoluqxzkwyßœæéèçñΩαж"
    runs.update("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(3000))
    unseen = 0
    for run in sorted(runs):
        if len(run.lower()) != len(run):
            continue  # (`_lex_bound` covers no such core)
        rb = scorer._run_bounds(run)
        left, right = _run_logps_reference(scorer, run)
        assert [v.hex() for v in rb.logps_left] == [v.hex() for v in left], run
        assert [v.hex() for v in rb.logps_right] == [v.hex() for v in right], run
        low = "^^" + run.lower() + "$"
        unseen += any(low[k : k + 3] not in scorer._shared.model()._log3 for k in range(len(run) + 1))
    assert len(runs) > 4000 and unseen > 1000


def test_ascii_no_letter_is_the_str_tests() -> None:
    """`_ascii_no_letter(t)` is `t.isascii() and not any(c.isalpha() for c in t)` (ASCII's
    letters are `[A-Za-z]`, as for `[^\\W\\d_]`) on every code point alone and around ASCII
    digits and marks, and on made-up strings; where True, the token gate's reference passes."""
    letter = re.compile(r"[^\W\d_]")
    scorer = core._shared_for("fr", core.DEFAULT_CONFIG).part
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        for t in (ch, "1" + ch, ch + ",", "(" + ch + ")"):
            want = t.isascii() and letter.search(t) is None
            assert core._ascii_no_letter(t) == want, hex(c)
    rng = random.Random(43)
    pool = "0123456789,.;:!?()[]%-/'\"aZé«×"
    for _ in range(50_000):
        t = "".join(rng.choice(pool) for _ in range(rng.randrange(8)))
        assert core._ascii_no_letter(t) == (t.isascii() and not any(ch.isalpha() for ch in t)), t
        if core._ascii_no_letter(t):
            assert _plain_reference(scorer, t), t
    assert core._ascii_no_letter("") and core._ascii_no_letter("(2012),") and not core._ascii_no_letter("«")


def _tokens_of(name: str, n: int) -> list[str]:
    return [tok for g in _bench_items(name, "dev")[:n] for tok in g.text.split()]


def test_extend_cached_and_memoised_are_cached() -> None:
    """`_Scorer.extend_cached` appends to a list exactly the copies `cached` returns (shifted,
    the dateline rule at offset 0), and `memoised` gives the memo's own candidates at offset 0:
    the same as `cached(tok, 0, 0, ...)` where the dateline rule changes nothing, never the
    copies (changing a copy leaves the memo as it was); on every token of a few hundred
    benchmark paragraphs, with and without a document context, full and cheap, asked twice."""
    fields = ("pos", "tok", "lex", "left", "right", "forced", "chain_only", "rules")

    def rows(cands: list[Any]) -> list[tuple[Any, ...]]:
        return [tuple(getattr(c, f) for f in fields) for c in cands]

    made = dated = 0
    for lang, name in (("fr", "fr-wrap"), ("en", "en-inline"), ("fr", "fr-rough")):
        toks = [*_tokens_of(name, 120), "Hanoï,17", "Paris,3", "Lyon,", "pourtant", "Vietnamont"]
        ctx = GlueContext.from_texts([" ".join(toks)], lang)
        for context in (None, ctx):
            scorer, ref = core._Scorer(lang, GlueConfig(), context), core._Scorer(lang, GlueConfig(), context)
            for cheap in (False, True):
                for k, tok in enumerate(toks):
                    for start in (0, 5):
                        want = rows(ref.cached(tok, start, k, cheap))
                        out = [core._Cand(1, 2, 3.0, "a", "b", False)]
                        scorer.extend_cached(out, tok, start, k, cheap)
                        assert rows(out[1:]) == want
                        assert rows(out[:1]) == [(1, 2, 3.0, "a", "b", False, False, core._RULES_ALL)]
                        made += len(want)
                    memo = scorer.memoised(tok, cheap)
                    assert memo is scorer.memoised(tok, cheap) or not memo
                    shifted = rows(ref.cached(tok, 5, 0, cheap))
                    assert [(p - 5, *rest) for p, *rest in shifted] == rows(memo)
                    at0 = rows(ref.cached(tok, 0, 0, cheap))
                    dated += at0 != rows(memo)  # (the dateline rule)
                    copies = scorer.cached(tok, 0, 0, cheap)
                    for c, m in zip(copies, memo, strict=True):
                        assert c is not m
                        c.lex += 100.0
                    assert rows(scorer.memoised(tok, cheap)) == rows(memo)
    assert made > 5_000 and dated > 0, (made, dated)


def _reference_gate_clears(tok: str, first: str | None, scorer: Any, lang: str, cfg: GlueConfig,
                           was_wrapped: bool, wrap_: bool) -> bool:
    """`_gate_clears` as it was before the twentieth round: the exact candidates as copies."""
    if not scorer._shared.maybe_glued(tok):
        return True
    target = core._inline_threshold(tok, lang, cfg, was_wrapped)
    cands = scorer._cache.get(tok) if tok != first else None
    shift = 0
    if cands is None:
        if core._below(tok, scorer, cfg, target, wrap_):
            return True
        shift = 0 if tok == first else 1
        cands = scorer.cached(tok, shift, 0, cheap_only=False, scan=True)
    quoted = abs(cfg.quote_parity_bonus) if '"' in tok else 0.0
    for c in cands:
        lex = c.lex
        at = c.pos - shift
        if quoted and (tok[at - 1] == '"' or tok[at : at + 1] == '"'):
            lex += quoted
        if c.forced or (lex >= target and not c.chain_only) or (wrap_ and lex > 0):
            return False
    return True


def test_gate_clears_on_the_memo_is_the_gate_on_copies() -> None:
    """`_gate_clears` (reading the memo's own candidates) answers as it did on copies, for
    every odd token of a few hundred benchmark paragraphs (and made-up ones with quotes and
    datelines), as the first token or not, with and without a wrap chain possible, before and
    after a chain, with and without a document context; a scorer fresh for each question (the
    bound path) and one kept (the memo path)."""
    cfg = GlueConfig()
    extra = ['quele"Vietnam', '"mensonge"de', 'gigantesque"mensonge"', 'dit"quele', '"Leministre', 'Só"qui',
             "Hanoï,17", "Paris,3mars", "Leministre", "MaiTien", "dematériel"]
    answers = [0, 0]
    for lang, name in (("fr", "fr-wrap"), ("fr", "fr-rough"), ("en", "en-inline")):
        toks = _tokens_of(name, 80) + extra
        odd = [t for t in toks if t not in core._shared_for(lang, cfg).known
               and core._shared_for(lang, cfg).kind(t) == core._KIND_ODD]
        ctx = GlueContext.from_texts([" ".join(toks)], lang)
        for context in (None, ctx):
            kept, kept_ref = core._Scorer(lang, cfg, context), core._Scorer(lang, cfg, context)
            for tok in odd:
                for first in (None, tok):
                    for was_wrapped in (False, True):
                        for wrap_ in (False, True):
                            fresh, fresh_ref = core._Scorer(lang, cfg, None), core._Scorer(lang, cfg, None)
                            if context is not None:  # (a context of its own: its own memo)
                                fresh.ctx = fresh_ref.ctx = GlueContext.from_texts([" ".join(toks)], lang)
                                fresh._cache, fresh._cache_cheap = fresh.ctx.candidates_memo(cfg)
                                fresh_ref._cache, fresh_ref._cache_cheap = {}, {}
                            for a, b in ((kept, kept_ref), (fresh, fresh_ref)):
                                got = core._gate_clears(tok, first, a, lang, cfg, was_wrapped, wrap_)
                                want = _reference_gate_clears(tok, first, b, lang, cfg, was_wrapped, wrap_)
                                assert got == want, (lang, tok, first, was_wrapped, wrap_)
                                answers[got] += 1
    assert min(answers) > 500, answers


def test_no_cheap_holds_only_tokens_without_cheap_candidates() -> None:
    """`_Shared.no_cheap` (tokens `memoised(..., cheap_only=True)` answers [] for at once)
    holds only tokens whose cheap rows are empty (so `_cheap` gives [] whatever the document);
    the answers before and after it is filled, and after `clear`, are `_cheap`'s; bounded."""
    for lang, name in (("fr", "fr-wrap"), ("en", "en-inline")):
        toks = _tokens_of(name, 150)
        ctx = GlueContext.from_texts([" ".join(toks)], lang)
        scorer = core._Scorer(lang, GlueConfig(), ctx)
        shared = scorer._shared
        want = {tok: [(c.pos, c.lex, c.left, c.right, c.forced, c.chain_only)
                      for c in scorer._cheap(tok, shared.cheap_rows(tok))] for tok in toks}
        for _ in range(2):
            for tok in toks:
                got = [(c.pos, c.lex, c.left, c.right, c.forced, c.chain_only) for c in scorer.memoised(tok, True)]
                assert got == want[tok], (lang, tok)
            assert shared.no_cheap and len(shared.no_cheap) <= core.MEMO_KINDS
            for tok in shared.no_cheap:
                rows = shared.cheap_rows(tok)
                assert rows is not None and not rows[0] and not rows[1], tok
            shared.clear()
            assert not shared.no_cheap
    shared = core._shared_for("fr", core.DEFAULT_CONFIG)
    scorer = core._Scorer("fr", core.DEFAULT_CONFIG, None)
    made = [f"ministre{'x' * (i % 7)}{i}" for i in range(core.MEMO_KINDS + 300)]
    for tok in made:
        assert scorer.memoised(tok, True) == [] or tok not in shared.no_cheap
        assert len(shared.no_cheap) <= core.MEMO_KINDS
    shared.clear()


def test_next_words_are_the_split_of_the_repaired_paragraph() -> None:
    """`core._next_words` (the next pass's tokens from this pass's tokens and splits) is
    `_apply(paragraph, offsets).split()` wherever every offset lies strictly inside a token,
    the untouched tokens the very same strings; and empty (the caller splits) wherever one does
    not (in whitespace, at a token's start or end, repeated, past the end): on 200,000 made-up
    paragraphs with spaces, tabs, newlines, no-break and other Unicode spaces, and on the splits
    `_one_pass` makes in benchmark paragraphs."""
    rng = random.Random(20)
    spaces = [" ", " ", "  ", "\t", "\n", "\u00a0", "\u2009", "\u3000", " \n "]
    letters = "abcdeéLMV,.'’«»9"
    made = bailed = 0
    for _ in range(200_000):
        toks_ = ["".join(rng.choice(letters) for _ in range(rng.randrange(1, 9))) for _ in range(rng.randrange(1, 7))]
        text = rng.choice(["", " ", "\n"]) + "".join(t + rng.choice(spaces) for t in toks_)
        words = text.split()
        starts = core._token_starts(text, words)
        toks = list(zip(starts, words, strict=True))
        inside = [p for start, tok in toks for p in range(start + 1, start + len(tok))]
        anywhere = list(range(len(text) + 2))
        pool = inside if rng.random() < 0.8 and inside else anywhere
        offsets = sorted(rng.sample(pool, min(len(pool), rng.randrange(1, 4))))
        if rng.random() < 0.05:
            offsets = sorted(offsets + offsets[:1])  # repeated
        splits = [core.Split(o, "", "", 0.0, "wrap") for o in offsets]
        out: list[str] = []
        core._next_words(starts, words, splits, out)
        if all(o in inside for o in offsets) and len(set(offsets)) == len(offsets):
            assert out == core._apply(text, offsets).split(), (text, offsets)
            at = 0
            for start, tok in toks:  # an untouched token is the very string; a cut one, pieces
                cuts = sum(start < o < start + len(tok) for o in offsets)
                if cuts == 0:
                    assert out[at] is tok, (text, offsets)
                at += cuts + 1
            assert at == len(out)
            made += 1
        else:
            assert out == [], (text, offsets)
            bailed += 1
    assert made > 100_000 and bailed > 10_000, (made, bailed)
    cfg = GlueConfig()
    passes = 0
    for lang, name in (("fr", "fr-wrap"), ("fr", "fr-rough"), ("en", "en-inline")):
        for g in _bench_items(name, "dev")[:150]:
            scorer = core._Scorer(lang, cfg, GlueContext.from_texts([g.text], lang))
            nxt: list[str] = []
            splits = core._one_pass(g.text, lang, scorer, cfg, False, None, nxt)
            if splits:
                assert nxt == core._apply(g.text, [s.offset for s in splits]).split()
                passes += 1
            else:
                assert nxt == []
    assert passes > 200, passes


def test_next_words_by_split_is_the_token_loop() -> None:
    """`core._next_words` (by split: each offset's token by bisection, the untouched tokens
    between copied as slices) fills `out` exactly as the loop over the tokens it replaces (kept
    here as the reference): the same strings, the untouched tokens the very same objects, empty
    in the same cases; on 100,000 made-up paragraphs with offsets inside tokens, at their starts
    and ends, in whitespace, before the first and past the last token, repeated and not rising,
    no tokens and no splits; and on benchmark paragraphs with every single offset and pairs of
    offsets inside their tokens."""
    def reference(starts: list[int], words: list[str], splits: list[core.Split]) -> list[str]:
        out: list[str] = []
        si, ns = 0, len(splits)
        for k, tok in enumerate(words):
            start = starts[k]
            end = start + len(tok)
            if si < ns and splits[si].offset < end:
                prev = 0
                while si < ns and splits[si].offset < end:
                    cut = splits[si].offset - start
                    if cut <= prev or cut >= len(tok):
                        return []
                    out.append(tok[prev:cut])
                    prev = cut
                    si += 1
                out.append(tok[prev:])
            else:
                out.append(tok)
        return [] if si < ns else out

    def same(starts: list[int], words: list[str], offsets: list[int]) -> None:
        splits = [core.Split(o, "", "", 0.0, "wrap") for o in offsets]
        want = reference(starts, words, splits)
        got: list[str] = []
        core._next_words(starts, words, splits, got)
        assert got == want, (words, offsets)
        # an untouched token is the very string of `words` in both (a piece is a new string,
        # but for the one-character strings Python shares, the same in both)
        ids = {id(w) for w in words}
        for a, b in zip(got, want, strict=True):
            assert (id(a) in ids) == (id(b) in ids) and (id(b) not in ids or a is b), (words, offsets)

    rng = random.Random(24)
    spaces = [" ", " ", "  ", "\t", "\n", "\u00a0", "\u3000", " \n "]
    for _ in range(100_000):
        toks = ["".join(rng.choice("abcéLM,.'«9") for _ in range(rng.randrange(1, 8)))
                for _ in range(rng.randrange(0, 7))]
        text = rng.choice(["", " ", "\n"]) + "".join(t + rng.choice(spaces) for t in toks)
        words = text.split()
        starts = core._token_starts(text, words)
        offsets = [rng.randrange(-1, len(text) + 3) for _ in range(rng.randrange(0, 4))]
        if rng.random() < 0.8:
            offsets.sort()
        same(starts, words, offsets)
    for name in ("fr-wrap", "en-inline"):
        for g in _bench_items(name, "dev")[:40]:
            words = g.text.split()
            starts = core._token_starts(g.text, words)
            inside = [s + i for s, w in zip(starts, words, strict=True) for i in range(1, len(w))]
            for o in inside[:300]:
                same(starts, words, [o])
            for _ in range(200):
                same(starts, words, sorted(rng.sample(inside, min(len(inside), 3))))


def test_token_starts_single_spaced_is_the_walk() -> None:
    """`core._token_starts`'s sums for a single-spaced paragraph (its length the tokens' plus one
    a gap) are the offsets `paragraph.find` gives, and a paragraph that is not single-spaced (a
    run of two, whitespace before the first or after the last token) gets the walk's: on
    benchmark paragraphs joined by one of every kind of whitespace character, the same with one
    gap doubled, a space before or after, and made-up ones."""
    def reference(paragraph: str) -> list[int]:
        starts, at = [], 0
        for word in paragraph.split():
            at = paragraph.find(word, at)
            starts.append(at)
            at += len(word)
        return starts

    rng = random.Random(240)
    singles = [" ", "\t", "\n", "\r", "\u00a0", "\u2009", "\u3000", "\x1c", "\x85", "\u2028"]
    texts = [g.text for g in _bench_items("fr-rough", "dev")[:150] + _bench_items("en-inline", "dev")[:150]]
    texts += ["".join(rng.choice("aZé9,.«»") for _ in range(rng.randrange(1, 30))) for _ in range(500)]
    checked = 0
    for text in texts:
        words = text.split()
        for sep in singles:
            p = sep.join(words)
            variants = [p, " " + p, p + sep, p.replace(sep, sep * 2, 1), p.replace(sep, sep + " ", 1)]
            if len(words) > 2:
                k = rng.randrange(1, len(words))
                variants.append(sep.join(words[:k]) + sep + " " + sep.join(words[k:]))
            for v in variants:
                assert core._token_starts(v, v.split()) == reference(v), repr(v)
                checked += 1
    for p in ["", " ", "a", "a b", " a", "a ", "ab  c", "\u3000x\u3000y", "x\u3000\u3000y"]:
        assert core._token_starts(p, p.split()) == reference(p), repr(p)
    assert checked > 10_000


def test_piece_at_is_the_walk() -> None:
    """`core._piece_at` (its ASCII test written out) is the non-whitespace run ending or starting
    at every offset, by `str.isspace` character by character: benchmark paragraphs with each of
    ten whitespace characters put in their gaps, and made-up strings of letters, digits, marks
    and whitespace (empty included, offsets 0 and the length)."""
    def reference(paragraph: str, pos: int, side: int) -> str:
        if side < 0:
            start = pos
            while start > 0 and not paragraph[start - 1].isspace():
                start -= 1
            return paragraph[start:pos]
        end = pos
        while end < len(paragraph) and not paragraph[end].isspace():
            end += 1
        return paragraph[pos:end]

    rng = random.Random(25)
    spaces = [" ", "\t", "\n", "\r", "\u00a0", "\u2009", "\u3000", "\x1c", "\x85", "\u2028"]
    texts = [g.text for g in _bench_items("fr-rough", "dev")[:60] + _bench_items("en-inline", "dev")[:60]]
    texts = [t.replace(" ", rng.choice(spaces), 5) for t in texts]
    pool = "aZé9,.«»-'" + "".join(spaces)
    texts += ["".join(rng.choice(pool) for _ in range(rng.randrange(0, 25))) for _ in range(3000)]
    checked = 0
    for text in [*texts, "", " ", "a", " a ", "\u3000x\u3000"]:
        for pos in range(len(text) + 1):
            for side in (-1, 1):
                assert core._piece_at(text, pos, side) == reference(text, pos, side), (text, pos, side)
                checked += 1
    assert checked > 100_000


def test_has_upper_is_any_isupper() -> None:
    """`core._has_upper` is `any(ch.isupper() for ch in s)` on every code point below 0x3100
    alone and around ASCII letters, and on made-up strings (empty included)."""
    def ref(s: str) -> bool:
        return any(ch.isupper() for ch in s)

    for c in range(0x3100):
        ch = chr(c)
        for s in (ch, "ab" + ch, ch + "ab", "a9" + ch + "z"):
            assert core._has_upper(s) == ref(s), hex(c)
    rng = random.Random(31)
    pool = "abzAZé É9 -'’ǅßİıΣσĐđ"
    for _ in range(20_000):
        s = "".join(rng.choice(pool) for _ in range(rng.randrange(7)))
        assert core._has_upper(s) == ref(s), s


def test_context_terms_are_the_generated_terms() -> None:
    """`_Scorer._context_terms` (written out) gives the terms of the generator expressions it
    replaces, in the same order, for every split of the tokens of a few hundred benchmark
    paragraphs and made-up names, with the document context of those paragraphs, scanning and
    not."""
    def reference(scorer: Any, lc: str, rc: str, scan: bool) -> tuple[float, ...]:
        ctx, cfg = scorer.ctx, scorer.cfg
        if scan:
            left, right = ctx.has_word(lc), ctx.has_word(rc)
        else:
            left, right = lc in ctx.words, rc in ctx.words
        if not (left or right):
            return ()
        if left and right and ctx.has_pair(lc, rc):
            return (cfg.ctx_pair_bonus,)
        return tuple(cfg.ctx_word_bonus for c, seen in ((lc, left), (rc, right))
                     if seen and scorer.tab.get(c.lower(), 0.0) < 3.5 and any(ch.isupper() for ch in c))

    seen = {0: 0, 1: 0, 2: 0}
    for lang, name in (("fr", "fr-wrap"), ("fr", "fr-rough"), ("en", "en-inline")):
        items = _bench_items(name, "dev")[:150]
        names = "Mai Tien Dung Nguyen Xuan Phuc Đà Nẵng Hô Chi Minh ZAO Vietnam"
        texts = [g.text for g in items] + [names, names.lower()]
        ctx = GlueContext.from_texts(texts, lang)
        scorer = core._Scorer(lang, GlueConfig(), ctx)
        toks = [*(core._core(t) for text in texts for t in text.split()), *names.split()]
        for a, b in itertools.pairwise(toks):
            for lc, rc in ((a, b), (b, a), (a, a.lower()), (a[:3], a[3:])):
                for scan in (False, True):
                    got = scorer._context_terms(lc, rc, scan)
                    assert got == reference(scorer, lc, rc, scan), (lc, rc, scan)
                    seen[len(got)] += 1
    assert min(seen.values()) > 50, seen


def test_the_index_answers_as_the_tables() -> None:
    """`GlueContext._index` (each token's core -> the core after it, or "" where no pair
    follows: a str for one token, a list for more) answers `has_pair` as `pairs`, `seen_twice`
    as `counts` and `words` as `counts`' keys, once it is built (asked first: no scan of the
    texts), from the texts and from given tokens; its entries are one per token of a core."""
    rng = random.Random(23)
    items = _bench_items("fr-rough", "dev")[:120] + _bench_items("en-inline", "dev")[:120]
    checked = paired = 0
    for n, g in enumerate(items):
        other = items[(n + 1) % len(items)].text
        texts = [g.text, "«  (Mai Tien), " + g.text[: len(g.text) // 3] + ' "x" ... ( ) ((', "",
                 other[: len(other) // 2], "' \" (( ))  Mai\nTien  «Tien» Mai' 'x' \"x\" «Mai», Tien,Mai Mai",
                 "Mai", "  ", "(Tien"]
        ref = GlueContext.from_texts(texts, "fr")
        counts, pairs = ref.counts, ref.pairs
        built = GlueContext.from_texts(texts, "fr")
        given = GlueContext.from_tokens(texts, [t.split() for t in texts], "fr")
        follow = built._word_map()  # (the index, built before any question)
        assert built._follow is follow and given._word_map() == follow
        assert set(follow) == set(counts) and built.words == frozenset(counts)
        for c, entry in follow.items():
            assert (1 if isinstance(entry, str) else len(entry)) == counts[c], c
            assert isinstance(entry, str) or len(entry) >= 2
        toks = " ".join(texts).split()
        cores = [core._core(t) for t in toks]
        asks: list[tuple[str, str]] = list(pairs)
        for i, tok in enumerate(toks):
            j = rng.randrange(len(tok) + 1)
            asks += [(cores[i], cores[(i + 1) % len(cores)]), (cores[i], cores[rng.randrange(len(cores))]),
                     (tok[:j], tok[j:]), (tok, cores[i]), (cores[i][1:], cores[i][:-1]), (cores[i], "")]
        asks += [("Mai", "Tien"), ("Tien", "Mai"), ("x", "x"), ("", "x"), ("Mai", ""), (" ", "Mai"), ("a b", "c"),
                 ("(Mai", "Tien)"), ("'", "\""), ("Mai\nTien", "Tien"), ("Tien", "Mai'"), ("", "")]
        for a, b in asks:
            want = (a, b) in pairs
            assert built.has_pair(a, b) == want and given.has_pair(a, b) == want, (a, b, g.text)
            twice = counts.get(a, 0) >= 2
            assert built.seen_twice(a) == twice and given.seen_twice(a) == twice, (a, g.text)
            assert built.has_word(a) == (a in counts), a
            checked += 1
            paired += want
        assert built._pairs is None and built._scans == 0 and given._scans == 0
    assert checked > 10_000 and 0.05 * checked < paired < 0.8 * checked, (checked, paired)


def test_round3_is_round_to_three_places() -> None:
    """`rounding.round_places(x, 3)` (the split scores' rounding without a decimal string) is `round(x, 3)`
    bit for bit (the sign of a zero too): on the score of every candidate of the tokens of 300
    benchmark paragraphs, on ties and their neighbours (`k / 16`, `k / 2000`, `(k + 0.5) / 1000`
    and the doubles next to them, where `round` itself answers), on zeros of both signs, tiny,
    large, infinite and NaN values, and on 300,000 random values of several magnitudes."""
    import struct

    def bits(v: float) -> bytes:
        return struct.pack("<d", v)

    cfg = GlueConfig()
    values: list[float] = []
    for lang, name in (("fr", "fr-wrap"), ("fr", "fr-rough"), ("en", "en-inline")):
        scorer = core._Scorer(lang, cfg, None)
        for tok in _tokens_of(name, 100):
            values += [c.lex for c in scorer.cached(tok, 0, 0, cheap_only=False)]
    assert len(values) > 2_000
    for k in range(-4_000, 4_000):
        half = (k + 0.5) / 1000
        values += [k / 16, k / 2000, k / 1000, half, math.nextafter(half, 1.0), math.nextafter(half, -1.0)]
    values += [0.0, -0.0, 0.0004, -0.0004, -0.0005, 0.0005, -0.0006, 1e-300, -1e-300, 5e-324, -5e-324, 2.675,
               1.0005, 1e9, -1e9, 999_999_999.9995, 1e12, -1e12, 1e15, 1e300, math.inf, -math.inf]
    rng = random.Random(31)
    for _ in range(300_000):
        size = rng.choice([1e-3, 1.0, 10.0, 100.0, 1e6])
        values.append(rng.uniform(-size, size))
    from pipeline.rounding import round_places

    for v in values:
        assert bits(round_places(v, 3)) == bits(round(v, 3)), repr(v)
    assert math.isnan(round_places(math.nan, 3))
    for places in (0, 1, 2, 5, 6, 7, -1):  # the other places of the table, and round's beyond it
        for v in values[::50]:
            assert bits(round_places(v, places)) == bits(round(v, places)), (v, places)


def test_shared_for_the_last_asked_is_the_table() -> None:
    """`_shared_for` (the last memos returned tested first) returns what `_SHARED` holds for
    (language, configuration), the same object on every question, for requests that alternate
    languages and configurations, with more configurations than `_SHARED` keeps (it is emptied,
    and the last memos with it); the last memos are always among `_SHARED`'s, so
    `_forget_shared` empties them."""
    rng = random.Random(41)
    configs = [core.DEFAULT_CONFIG, GlueConfig()] + [GlueConfig(ctx_pair_bonus=float(k)) for k in range(10)]
    asked = 0
    for _ in range(3_000):
        lang, cfg = rng.choice(["fr", "en", "fr"]), rng.choice(configs[:3] if rng.random() < 0.8 else configs)
        got = core._shared_for(lang, cfg)
        assert got.cfg is cfg and got.lang == lang
        assert core._SHARED[(lang, id(cfg))] is got and core._LAST_SHARED == [got]
        assert core._shared_for(lang, cfg) is got
        asked += 1
    shared = core._shared_for("fr", core.DEFAULT_CONFIG)
    shared.kind("Leministre")
    assert shared.kinds
    core._forget_shared()
    assert not shared.kinds
    assert asked == 3_000


def _gate_sorted_as_one_pass(src: ModuleType, words: list[str], scorer: Any) -> tuple[list[int], int]:
    """The tokens sorted as `_one_pass` sorts them for the fast gate: the indices of the odd
    ones, in order, and the count of those and of the ones the gate table clears."""
    shared = scorer._shared
    odd: list[int] = []
    met = 0
    for k, tok in enumerate(words):
        if tok in shared.known:
            continue
        kind = shared.kind(tok)
        if kind == src._KIND_PLAIN:
            continue
        met += 1
        if kind == src._KIND_ODD:
            odd.append(k)
    return odd, met


@pytest.mark.parametrize("engine", ["compiled", "source"])
def test_the_gate_on_the_tokens_one_pass_sorted_is_the_gate_sorting_them(engine: str) -> None:
    """`_nothing_to_split` given the tokens as `_one_pass` sorted them (`odd`, `met`) answers as
    when it sorts them itself, with its early stop (the same tokens tested, in the same order,
    with the same `wrap`): on benchmark paragraphs of every kind (one document context per
    set, so the context lifts some splits), with and without `was_wrapped`, and on made-up ones
    (no token, whitespace first, a dateline first, few and many odd tokens, long ones), under
    the default configuration and ones where a chain needs no odd token or many."""
    src = core if engine == "compiled" else native.load_sources()["core"]
    made_up = ["", "   ", " Leministre a dit quele projet avance.", "Hanoï,17 mars (VNA) - Le ministre a signé.",
               "Le ministre a déclaré quele Vietnam a signé une note.", "The ministerof Embassy said so.",
               "Le Papadímos et Sleimane dit-il ofEmbassy au Vietnamont " * 12,
               "Leministre et président dubureau du gouvernement, MaiTien Dung, a déclaré quele 9 janvier " * 8]
    rng = random.Random(2828)
    seen = {True: 0, False: 0}
    for cfg in (src.GlueConfig(), src.GlueConfig(wrap_min_odd=0), src.GlueConfig(wrap_min_odd=3),
                src.GlueConfig(wrap_min_odd=6)):
        for name in ("fr-wrap", "fr-rough", "fr-clean", "en-inline", "en-clean"):
            lang = "fr" if name.startswith("fr") else "en"
            texts = [g.text for g in _bench_items(name, "dev")[:80]]
            # (words of each text shuffled across texts: other mixes of odd and plain tokens)
            mixed = [" ".join(rng.sample(t.split(), len(t.split()))) for t in texts[:20]]
            # (short ones of one to seven odd tokens between common words: as many odd tokens as
            # a chain needs, one fewer, one more, where `wrap` alone decides)
            shared = src._Scorer(lang, cfg, None)._shared
            pool = [t for text in texts for t in text.split()
                    if t not in shared.known and shared.kind(t) == src._KIND_ODD]
            few = [" le ".join(rng.sample(pool, rng.randint(1, 7))) for _ in range(60)]
            ctx = src.GlueContext.from_texts(texts, lang)
            for text in texts + mixed + few + made_up:
                words = text.split()
                for was_wrapped in (False, True):
                    want = src._nothing_to_split(text, lang, src._Scorer(lang, cfg, ctx), cfg, was_wrapped, words)
                    scorer = src._Scorer(lang, cfg, ctx)
                    odd, met = _gate_sorted_as_one_pass(src, words, scorer)
                    got = src._nothing_to_split(text, lang, scorer, cfg, was_wrapped, words, odd, met)
                    assert got == want, (name, text[:80], was_wrapped)
                    seen[want] += 1
    assert seen[True] > 500 and seen[False] > 500


@pytest.mark.parametrize("engine", ["compiled", "source"])
def test_next_sorting_is_the_sorting_of_the_next_words(engine: str) -> None:
    """`_next_sorting` (the next pass's `suspicious` and `odd`, carried over from this pass's
    for the tokens no split fell in, only the pieces sorted) is `_sort_tokens` of the next
    pass's tokens: on 20,000 made-up paragraphs of common, odd and glued tokens with one to
    four splits strictly inside tokens (several in one token, in the first and the last), and
    along `repair`'s passes on benchmark paragraphs of every kind (each pass given the sorting
    the one before carried over, as `repair` does)."""
    src = core if engine == "compiled" else native.load_sources()["core"]
    cfg = src.GlueConfig()

    def sorted_(words: list[str], shared: Any) -> tuple[list[int], list[int]]:
        sus: list[int] = []
        odd: list[int] = []
        src._sort_tokens(words, shared, sus, odd)
        return sus, odd

    rng = random.Random(3030)
    checked = {"made": 0, "carried": 0, "pieces odd": 0}
    for lang, name in (("fr", "fr-wrap"), ("fr", "fr-rough"), ("en", "en-inline")):
        texts = [g.text for g in _bench_items(name, "dev")[:100]]
        shared = src._Scorer(lang, cfg, None)._shared
        pool = [t for text in texts for t in text.split()]
        for _ in range(20_000 // 3):
            words = rng.sample(pool, rng.randint(1, 12))
            if rng.random() < 0.5:  # glued pairs: pieces that are common words again
                k = rng.randrange(len(words))
                words[k] = words[k] + rng.choice(pool)
            text = " ".join(words)
            starts = src._token_starts(text, words)
            inside = [s + i for s, w in zip(starts, words, strict=True) for i in range(1, len(w))]
            if not inside:
                continue
            offsets = sorted(rng.sample(inside, min(len(inside), rng.randint(1, 4))))
            splits = [src.Split(o, "", "", 0.0, "wrap") for o in offsets]
            nxt: list[str] = []
            cuts: list[int] = []
            src._next_words(starts, words, splits, nxt, cuts)
            assert nxt == src._apply(text, offsets).split() and len(cuts) == len(offsets)
            sus, odd = sorted_(words, shared)
            got_sus: list[int] = []
            got_odd: list[int] = []
            src._next_sorting(nxt, cuts, sus, odd, shared, got_sus, got_odd)
            want_sus, want_odd = sorted_(nxt, shared)
            assert (got_sus, got_odd) == (want_sus, want_odd), (words, offsets)
            checked["made"] += 1
            checked["pieces odd"] += len(want_odd) > len(odd) - sum(k in cuts for k in odd)
        ctx = src.GlueContext.from_texts(texts, lang)
        for text in texts:
            scorer = src._Scorer(lang, cfg, ctx)
            words: list[str] | None = None
            sorting: list[list[int]] | None = None
            for _ in range(cfg.max_passes):
                nxt = []
                after: list[list[int]] = []
                splits = src._one_pass(text, lang, scorer, cfg, False, words, nxt, sorting, after)
                if not splits:
                    break
                text = src._apply(text, [s.offset for s in splits])
                assert nxt == text.split()
                assert after == [*sorted_(nxt, shared)], text[:80]
                words, sorting = nxt, after
                checked["carried"] += 1
    assert checked["made"] > 15_000 and checked["carried"] > 150 and checked["pieces odd"] > 500, checked


def _rules_words(lang: str) -> list[str]:
    """Every word a rule of `_agreement` or `_grammar` names for `lang` (and a few capitalised)."""
    L = core.L
    verb = L.VERB_AGREEMENT.get(lang, ("", (), frozenset(), frozenset(), ()))
    words = {*L.FUNCTION_WORDS.get(lang, ()), *L.NUMBER_DETERMINERS.get(lang, {}), *L.ELIDING_WORDS.get(lang, ()),
             *L.REPLACED_BEFORE_VOWEL.get(lang, ()), *L.NEVER_LAST.get(lang, ()), *L.LAST_ONLY_AFTER.get(lang, {}),
             *L.NEVER_BEFORE.get(lang, ((), ()))[0], *L.NEVER_BEFORE.get(lang, ((), ()))[1],
             *L.NEVER_AFTER_INFINITIVE.get(lang, ()), verb[0], *verb[2], *verb[3], *("av" + e for e in verb[1])}
    words.discard("")
    return sorted(words | {w.capitalize() for w in words})


def _rules_compared(words: list[str], cands: list[Any], lang: str, cfg: GlueConfig) -> tuple[list[float], int]:
    """The scores `_agreement` and `_grammar` leave on copies of `cands` with their `rules` bits,
    checked equal to those they leave on copies marked as read by every rule (`_RULES_ALL`: the
    full tests); and how many of the candidates they lowered."""
    mine = [core._Cand(c.pos, c.tok, c.lex, c.left, c.right, c.forced, c.chain_only, c.rules) for c in cands]
    ref = [core._Cand(c.pos, c.tok, c.lex, c.left, c.right, c.forced, c.chain_only) for c in cands]
    assert all(c.rules == core._RULES_ALL for c in ref)
    for out in (mine, ref):
        core._agreement(words, out, lang, cfg)
        core._grammar(words, out, lang, cfg)
    assert [c.lex for c in mine] == [c.lex for c in ref], (" ".join(words), [
        (c.left, c.right, c.rules) for c, d in zip(mine, ref, strict=True) if c.lex != d.lex])
    return [c.lex for c in mine], sum(c.lex != d.lex for c, d in zip(mine, cands, strict=True))


def test_rule_bits_skip_only_what_no_rule_reads() -> None:
    """`_agreement` and `_grammar` skip the candidates whose `rules` bit is clear
    (`core._rule_bits`, computed once per memoised candidate): the scores they leave are those
    of their full tests on every candidate. On real candidates (the memo's, as `_one_pass`
    gathers them: every token of benchmark paragraphs scored in full and as a common word) with
    rule words put around them, and on every offset of made-up tokens glued from the very
    words the rules name (capitalised too, with numbers and marks), in many contexts: first,
    last, after a word, a comma or a sentence end, before a vowel or a word no noun phrase opens
    with."""
    rng = random.Random(3232)
    cfg = GlueConfig()
    lowered = 0
    for lang, name in (("fr", "fr-wrap"), ("fr", "fr-rough"), ("fr", "fr-clean"), ("en", "en-inline")):
        extra = [*_rules_words(lang), "fin.", "a.", "12", "2000", "été", "avion", ",", "Paris,"]
        scorer = core._Scorer(lang, cfg, None)
        for g in _bench_items(name, "dev")[:120]:
            words = [w if rng.random() < 0.7 else rng.choice(extra) + " " + w for w in g.text.split()]
            text = " ".join(words)
            words = text.split()
            cands: list[Any] = []
            for k, (start, tok) in enumerate(zip(core._token_starts(text, words), words, strict=True)):
                scorer.extend_cached(cands, tok, start, k, cheap_only=False)
                if tok not in scorer._shared.no_cheap:
                    scorer.extend_cached(cands, tok, start, k, cheap_only=True)
            assert all(c.rules == core._rule_bits(c.left, c.right, lang) for c in cands)
            lowered += _rules_compared(words, cands, lang, cfg)[1]
    assert lowered > 100, lowered
    made = checked = 0
    for lang in ("fr", "en"):
        vocab = [*_rules_words(lang), "7000", "90377", "1er", "25h", "tentes", "Sedna", "savoir", "attribuer",
                 "n'attribuer", "historien", "Voyageur", "L'Organisation", "scoute", "ans", "passionner", "Bres",
                 "tel", "renommé", "allé", "x", "s"]
        marks = ["", "", "", ".", ",", ")", "»", ".)"]
        context = [*_rules_words(lang), "fin.", "de", "et,", "avion", "été", "que", "Paris", "2000", "a."]
        scorer = core._Scorer(lang, cfg, None)
        made_lowered = 0
        # the rules' own examples (`core._grammar`, `core._agreement`), each in a few contexts
        examples = ["Voyageursans", "historiensont", "L'Organisationscoute", "Selu", "Lesserre", "leursavoir",
                    "desonx", "leavion", "Castiela", "Martinsa", "qu'ilsont", "ilsavaient", "allésont",
                    "renommésont", "n'attribuerai", "Bresles", "passionnera.", "telles", "perdreaux,",
                    "7000tentes", "90377Sedna", "1erjanvier", "25hde", "Lemosa"]
        for n in range(3_000):
            tok = (examples[n % len(examples)] if n < 20 * len(examples) else "".join(
                rng.choice(vocab) for _ in range(rng.choice((2, 2, 3)))) + rng.choice(marks))
            before = [rng.choice(context) for _ in range(rng.choice((0, 1, 1, 2)))]
            after = [rng.choice(context) for _ in range(rng.choice((0, 1, 1, 2)))]
            words = [*before, tok, *after]
            k = len(before)
            lex = rng.uniform(-3, 3)
            cands = [core._Cand(i, k, lex, tok[:i], tok[i:], False, rng.random() < 0.3,
                                core._rule_bits(tok[:i], tok[i:], lang)) for i in range(1, len(tok))]
            made += len(cands)
            made_lowered += _rules_compared(words, cands, lang, cfg)[1]
            # the candidates made from the memos' rows carry the bits of their pieces
            for cheap in (False, True):
                for c in scorer.cached(tok, 0, 0, cheap):
                    assert c.rules == core._rule_bits(c.left, c.right, lang), (c.left, c.right)
                    checked += 1
        if lang == "fr":
            assert made_lowered > 1_000, made_lowered
    assert made > 50_000 and checked > 1_000, (made, checked)


def test_rule_bits_examples() -> None:
    """Which rules may read a candidate, from its pieces alone."""
    A, G = core._RULE_AGREEMENT, core._RULE_GRAMMAR
    for left, right, bits in [
        ("pour", "tant", 0), ("Vietnam", "ont", 0), ("ministre", "rien", 0),  # no rule reads them
        ("historien", "sont", A | G), ("historiens", "ont", A), ("Voyageur", "sans", A),
        ("Le", "ministre", G), ("le", "avion", G), ("ministre", "de", G), ("Castie", "la", G), ("Bres", "les.", A | G),
        ("7000t", "entes", G), ("n'attribuer", "ai", G), ("leurs", "avoir", A | G), ("qu'il", "sont", A | G),
        ("tel", "les", G), ("passionner", "a.", G),
    ]:
        assert core._rule_bits(left, right, "fr") == bits, (left, right)
    assert core._rule_bits("Le", "ministre", "en") == 0  # (no French rule reads English)
    assert core._Cand(0, 0, 0.0, "a", "b", False).rules == core._RULES_ALL  # unknown: every rule
