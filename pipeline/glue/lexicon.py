"""Word frequency tables for the glue stage, loaded lazily once per process.

Why not `wordfreq.zipf_frequency`: it re-tokenizes its argument on every call, which costs
more than the whole repair. The stage looks words up in a plain dict instead:
`zipf("ministre", "fr")` -> 5.27, an unknown word -> None.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable


@functools.cache
def table(lang: str) -> dict[str, float]:
    """Map each lowercase word of wordfreq's list for `lang` to its Zipf frequency (read-only)."""
    import wordfreq  # imported lazily: worker processes that never see fr/en text skip the cost

    freqs: dict[str, float] = wordfreq.get_frequency_dict(lang)
    return {word: math.log10(f) + 9.0 for word, f in freqs.items()}


@functools.cache
def common_words(lang: str, min_zipf: float) -> frozenset[str]:
    """The words at or above `min_zipf`: the per-paragraph gate treats them as surely spaced."""
    return frozenset(w for w, z in table(lang).items() if z >= min_zipf)


@functools.cache
def prefixes(lang: str) -> frozenset[str]:
    """First four letters of the words wordfreq knows (Zipf >= 1.5): how words may start."""
    return frozenset(w[:4] for w, z in table(lang).items() if z >= 1.5)


@functools.cache
def suffixes(lang: str) -> frozenset[str]:
    """Last three letters of the words wordfreq knows (Zipf >= 2): how words may end."""
    return frozenset(w[-3:] for w, z in table(lang).items() if z >= 2.0)


class CharModel:
    """Character trigram model of how words of a language are spelled (lowercase, letters only).

    Trained on the word types wordfreq lists (Zipf >= 1.5), interpolated with bigram and
    unigram estimates. `logp("gorse")` is the log10 probability of the whole spelling,
    end of word included: an unknown word's plausibility falls with its length and with
    letter sequences no word has (`ntpoort`, `succè`), which decides where inside a glued
    token the break falls: `Gorse|réalise`, not `Gorseréali|se`.
    """

    def __init__(self, words: list[str]) -> None:
        tri: dict[str, int] = {}
        bi: dict[str, int] = {}
        uni: dict[str, int] = {}
        for w in words:
            s = "^^" + w + "$"
            for i in range(2, len(s)):
                k3, k2, k1 = s[i - 2 : i + 1], s[i - 1 : i + 1], s[i]
                tri[k3] = tri.get(k3, 0) + 1
                bi[k2] = bi.get(k2, 0) + 1
                uni[k1] = uni.get(k1, 0) + 1
        self.tri, self.bi, self.uni = tri, bi, uni
        # context counts: how often each history occurs (as the first 2 / 1 chars of an n-gram)
        ctx2: dict[str, int] = {}
        ctx1: dict[str, int] = {}
        for k, n in tri.items():
            ctx2[k[:2]] = ctx2.get(k[:2], 0) + n
        for k, n in bi.items():
            ctx1[k[:1]] = ctx1.get(k[:1], 0) + n
        self.ctx2, self.ctx1 = ctx2, ctx1
        self.total = sum(uni.values())
        self.vocab = len(uni) + 1
        self._cache: dict[str, float] = {}
        # word -> its log10 P without the end marker: `logp("vietna")` starts from the sum of
        # `logp("vietn")` (split positions score every prefix of a token, one letter longer each)
        self._bodies: dict[str, float] = {}
        # log10 P of every trigram seen in training, computed once (a property of the model,
        # not of the text scored): `logp` then costs one dict look-up per letter
        self._log3 = {k: math.log10(self._p(k[0], k[1], k[2])) for k in tri}

    def _p(self, a: str, b: str, c: str) -> float:
        p1 = (self.uni.get(c, 0) + 1) / (self.total + self.vocab)
        n1 = self.ctx1.get(b, 0)
        p2 = (self.bi.get(b + c, 0) + 2.0 * p1) / (n1 + 2.0)
        n2 = self.ctx2.get(a + b, 0)
        return (self.tri.get(a + b + c, 0) + 2.0 * p2) / (n2 + 2.0)

    def logp(self, word: str) -> float:
        """log10 P(spelling) of a lowercase word, end marker included."""
        found = self._cache.get(word)
        if found is not None:
            return found
        s = "^^" + word + "$"
        log3 = self._log3
        body = self._bodies.get(word[:-1]) if len(word) > 1 else None
        if body is None:
            total, start = 0.0, 2
        else:  # the sum up to the last letter is the shorter word's, added in the same order
            total, start = body, len(s) - 2
        for i in range(start, len(s)):
            if i == len(s) - 1:
                body = total  # everything but the end marker
            v = log3.get(s[i - 2 : i + 1])
            if v is None:  # a trigram never seen in training: its backed-off estimate
                v = math.log10(self._p(s[i - 2], s[i - 1], s[i]))
            total += v  # added in order, one by one: the same float as ever
        if len(self._cache) < 200_000:
            self._cache[word] = total
        if len(self._bodies) >= 4096:  # only the last token's prefixes are ever extended
            self._bodies.clear()
        self._bodies[word] = body  # type: ignore[assignment]  # reason: set in the loop's last step
        return total


_MODELS: list[CharModel] = []
_MEMOS: list[Callable[[], None]] = []


def register_memo(clear: Callable[[], None]) -> None:
    """Have `forget_spellings` call `clear` too (the glue engine's memos of scored pieces)."""
    _MEMOS.append(clear)


@functools.cache
def char_model(lang: str) -> CharModel:
    """The spelling model of `lang`, built once per process from wordfreq's word list."""
    model = CharModel([w for w, z in table(lang).items() if z >= 1.5 and w.isalpha()])
    _MODELS.append(model)
    return model


def forget_spellings() -> None:
    """Empty the spelling models' memo of scored words and every registered memo of scores
    (the glue engine's pieces and tokens, see `core._Shared`); the models stay loaded.

    For benchmarks: timing the same paragraphs again must not reuse their scores.
    """
    for model in _MODELS:
        model._cache.clear()
        model._bodies.clear()
    for clear in _MEMOS:
        clear()
