"""Speed work on the glue engine must not change a single number: the fast ways of building
the lexicon and the spelling model give what the plain ways give, bit for bit."""

from __future__ import annotations

import math

import wordfreq

from pipeline.glue.lexicon import CharModel, _count_trigrams, table


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
    for lang in ("fr", "en"):
        expected = {w: math.log10(f) + 9.0 for w, f in wordfreq.get_frequency_dict(lang).items()}
        got = table(lang)
        assert list(got) == list(expected)  # same words, same order
        assert all(a.hex() == b.hex() for a, b in zip(got.values(), expected.values(), strict=True))
