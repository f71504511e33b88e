"""Word frequency tables for the glue stage, loaded lazily once per process.

Why not `wordfreq.zipf_frequency`: it re-tokenizes its argument on every call, which costs
more than the whole repair. The stage looks words up in a plain dict instead:
`zipf("ministre", "fr")` -> 5.27, an unknown word -> None.

Stored tables: wordfreq's lists are fixed, so what this module derives from them that costs
time to build (the table itself, the spelling model's trigram counts, the sets of prefixes and
suffixes) is also written by `make native` (`gatetable.main`, beside the gate tables) into
`_gate_lexicon_<lang>.bin`, and read from there when the file is current (`stored`): one
`marshal.loads` (about 0.07 s a language) where importing wordfreq, reading its list, building
the table and counting the trigrams took about 0.3 s. The same dicts and sets, in the same
order, with the same floats (marshal writes a float's 8 bytes, and each bucket's Zipf once: the
words of a bucket share one float object, as `dict.fromkeys` made them). Missing, stale (another
key: the engine's sources, wordfreq's version, Python's) or damaged: None, and everything is
built from wordfreq as before.

    before: table("fr") imports wordfreq, reads `large_fr.msgpack.gz`, counts 15,690 trigrams
    after:  table("fr") reads `_gate_lexicon_fr.bin` (same dict); wordfreq is never imported
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import itertools
import marshal
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.glue import langdata as L
from pipeline.glue import native

STORED_FORMAT = 1


def stored_path(lang: str) -> Path:
    """Where `make native` writes the stored tables of `lang` (`_gate_*`: not committed, removed
    by `build_glue.py --clean` with the gate tables)."""
    return native.HERE / f"_gate_lexicon_{lang}.bin"


def stored_key(lang: str) -> str:
    """What a stored file must have been written for: this format, the language, the engine's
    sources (`native.digest`: this module among them), wordfreq's version, Python's version
    (marshal's format)."""
    h = hashlib.sha256()
    for part in (str(STORED_FORMAT), lang, native.digest(), importlib.metadata.version("wordfreq"), sys.version):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


def from_wordfreq(lang: str) -> dict[str, Any]:
    """What a stored file holds, computed from wordfreq: `table` (`table(lang)`), `tri` (the
    spelling model's trigram counts), `prefixes` and `suffixes` (see `prefixes`, `suffixes`),
    `descending` (the table's Zipfs never rise along its order, see `common_words`)."""
    raw = _from_wordfreq(lang)
    tab = _without_glues(lang, raw)
    return {"table": tab, "tri": _count_trigrams(_model_words(raw)),
            "prefixes": _prefixes_of(raw), "suffixes": _suffixes_of(raw),
            "descending": all(a >= b for a, b in itertools.pairwise(tab.values()))}


def stored_bytes(lang: str) -> bytes:
    """The content of `stored_path(lang)`: the key, a newline, then `from_wordfreq(lang)` marshalled."""
    return stored_key(lang).encode("ascii") + b"\n" + marshal.dumps(from_wordfreq(lang))


def read_stored(path: Path, lang: str) -> dict[str, Any] | None:
    """The tables stored at `path` for `lang` when the file is current (its key is
    `stored_key(lang)`) and whole; None otherwise (missing, stale, damaged)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    if head != stored_key(lang).encode("ascii"):
        return None
    try:
        found = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    names = ("table", "tri", "prefixes", "suffixes", "descending")
    if not isinstance(found, dict) or any(name not in found for name in names):
        return None
    return found


@functools.cache
def stored(lang: str) -> dict[str, Any] | None:
    """`read_stored` of `lang`'s file, once per process."""
    return read_stored(stored_path(lang), lang)


def _from_wordfreq(lang: str) -> dict[str, float]:
    """`table(lang)` built from wordfreq's list."""
    import wordfreq  # imported lazily: worker processes that never see fr/en text skip the cost

    # what `{w: log10(f) + 9 for w, f in wordfreq.get_frequency_dict(lang).items()}` gives,
    # built the way `get_frequency_dict` builds its dict (bucket by bucket, a later bucket
    # overriding an earlier one) but with one log10 per frequency bucket instead of one per
    # word: the same floats, in about a third of the time
    out: dict[str, float] = {}
    for index, bucket in enumerate(wordfreq.get_frequency_list(lang)):
        out.update(dict.fromkeys(bucket, math.log10(wordfreq.cB_to_freq(-index)) + 9.0))
    return out


@functools.cache
def table(lang: str) -> dict[str, float]:
    """Map each lowercase word of wordfreq's list for `lang` to its Zipf frequency (read-only),
    less the glues `langdata.LISTED_GLUES` names (`ofthe`; see `_without_glues`)."""
    found = stored(lang)
    if found is None:
        return _without_glues(lang, _raw_table(lang))
    held: dict[str, float] = found["table"]
    return held


@functools.cache
def _raw_table(lang: str) -> dict[str, float]:
    """wordfreq's list as `table` reads it, the listed glues kept: what the spelling model and
    the sets of prefixes and suffixes are built from (the stored file's, the same). Without a
    stored file, English holds this dict beside `table`'s (15 MB more, by tracemalloc; French,
    which lists no glue, shares one)."""
    return _from_wordfreq(lang)


def _without_glues(lang: str, raw: dict[str, float]) -> dict[str, float]:
    """`raw` less `langdata.LISTED_GLUES[lang]`: web text glues those words so often that
    wordfreq lists the glue (`ofthe` 3.33, `thankyou` 3.29, `iam` 2.95), which made the engine
    read `Iam`, `Thankyou` as known words and leave them. Out of the table they are unknown
    strings, split like any glue of two words. Only the table: the spelling model and the
    prefixes and suffixes keep them (spellings of English all the same).

        before: `Iam glad.` -> `Iam glad.`;  after: `I am glad.`
    """
    glues = L.LISTED_GLUES.get(lang)
    if not glues:
        return raw
    return {w: z for w, z in raw.items() if w not in glues}  # (the same float objects, in order)


@functools.cache
def common_words(lang: str, min_zipf: float) -> frozenset[str]:
    """The words at or above `min_zipf`: the per-paragraph gate treats them as surely spaced.

    A stored table whose Zipfs never rise along its order (wordfreq's list is most frequent
    first; `descending`, checked when the file is written) holds them as its first words: read
    up to the first word below `min_zipf` (15,591 of the 311,419 French words for 3.5), not
    through the whole table. The same words, in the same order, so the same set.
    """
    found = stored(lang)
    if found is not None and found["descending"] is True:
        first: list[str] = []
        for w, z in table(lang).items():
            if z < min_zipf:
                break
            first.append(w)
        return frozenset(first)
    return frozenset(w for w, z in table(lang).items() if z >= min_zipf)


@functools.cache
def prefixes(lang: str) -> frozenset[str]:
    """First four letters of the words wordfreq knows (Zipf >= 1.5): how words may start."""
    found = stored(lang)
    if found is None:
        return _prefixes_of(_raw_table(lang))
    held: frozenset[str] = found["prefixes"]
    return held


@functools.cache
def suffixes(lang: str) -> frozenset[str]:
    """Last three letters of the words wordfreq knows (Zipf >= 2): how words may end."""
    found = stored(lang)
    if found is None:
        return _suffixes_of(_raw_table(lang))
    held: frozenset[str] = found["suffixes"]
    return held


def _prefixes_of(tab: dict[str, float]) -> frozenset[str]:
    return frozenset(w[:4] for w, z in tab.items() if z >= 1.5)


def _suffixes_of(tab: dict[str, float]) -> frozenset[str]:
    return frozenset(w[-3:] for w, z in tab.items() if z >= 2.0)


def _model_words(tab: dict[str, float]) -> list[str]:
    """The words the spelling model is trained on: Zipf >= 1.5, letters only."""
    return [w for w, z in tab.items() if z >= 1.5 and w.isalpha()]


def _count_trigrams(words: list[str]) -> dict[str, int]:
    """Occurrences of each trigram of `"^^" + w + "$"` over `words` (letters only).

    Counted with numpy (about 0.1 s instead of 0.45 s for wordfreq's French list): the words
    are joined into one string `^^w1$^^w2$...`, each window of three code points becomes one
    integer, and `np.unique` counts them. A window that crosses from one word into the next has
    `$` as its first or second character, which no trigram of a single word has (words hold no
    `$`), so dropping those windows leaves exactly the trigrams of the words. Integer counts:
    the same dict as counting word by word, whatever the order.
    """
    import numpy as np

    joined = "^^" + "$^^".join(words) + "$" if words else ""
    try:
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    except UnicodeEncodeError:  # a lone surrogate: count word by word
        tri: dict[str, int] = {}
        for w in words:
            s = "^^" + w + "$"
            for i in range(2, len(s)):
                tri[s[i - 2 : i + 1]] = tri.get(s[i - 2 : i + 1], 0) + 1
        return tri
    if len(codes) < 3:
        return {}
    base = 0x110000  # code points are below this, so (a, b, c) -> one int64 without collision
    keys = (codes[:-2] * base + codes[1:-1]) * base + codes[2:]
    end = ord("$")
    keys = keys[(codes[:-2] != end) & (codes[1:-1] != end)]
    found, counts = np.unique(keys, return_counts=True)
    first, second, third = found // (base * base), (found // base) % base, found % base
    return {
        chr(a) + chr(b) + chr(c): n
        for a, b, c, n in zip(first.tolist(), second.tolist(), third.tolist(), counts.tolist(), strict=True)
    }


class CharModel:
    """Character trigram model of how words of a language are spelled (lowercase, letters only).

    Trained on the word types wordfreq lists (Zipf >= 1.5), interpolated with bigram and
    unigram estimates. `logp("gorse")` is the log10 probability of the whole spelling,
    end of word included: an unknown word's plausibility falls with its length and with
    letter sequences no word has (`ntpoort`, `succè`), which decides where inside a glued
    token the break falls: `Gorse|réalise`, not `Gorseréali|se`.
    """

    def __init__(self, words: list[str], tri: dict[str, int] | None = None) -> None:
        if tri is None:  # (given: `_count_trigrams(words)` as stored, see `char_model`)
            tri = _count_trigrams(words)
        # every bigram and unigram counted is the tail of a trigram counted (`s[i-1:i+1]` and
        # `s[i]` of the window `s[i-2:i+1]`), so their counts follow from the trigrams' exactly
        bi: dict[str, int] = {}
        uni: dict[str, int] = {}
        for k, n in tri.items():
            bi[k[1:]] = bi.get(k[1:], 0) + n
            uni[k[2]] = uni.get(k[2], 0) + n
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
        # the last word summed from scratch and its terms (log10 P of each trigram of
        # `^^word$`, in order): the right pieces of a token are its suffixes (`ietnamont`,
        # `etnamont`, ...), scored after the whole token, and past their first two trigrams they
        # hold the token's own
        self._tail = ""
        self._tail_terms: list[float] = []
        # log10 P of every trigram seen in training, computed once (a property of the model,
        # not of the text scored): `logp` then costs one dict look-up per letter
        self._log3 = {k: math.log10(self._p(k[0], k[1], k[2])) for k in tri}
        # the same values keyed by what a word's own letters give without building the trigram
        # (`core._Scorer._run_bounds` bounds every prefix and suffix of a run of letters):
        # `_firsts[c]` is `_log3["^^" + c]`, `_starts[xy]` is `_log3["^" + xy]` (a word opening
        # with `xy`), `_ends[xy]` is `_log3[xy + "$"]` (a word closing with `xy`); a key missing
        # there is missing from `_log3` too
        self._firsts: dict[str, float] = {}
        self._starts: dict[str, float] = {}
        self._ends: dict[str, float] = {}
        for k, v in self._log3.items():
            if k[0] == "^":
                if k[1] == "^":
                    self._firsts[k[2]] = v
                else:
                    self._starts[k[1:]] = v
            if k[2] == "$":
                self._ends[k[:2]] = v

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
        tail = self._tail
        m = len(word)
        d = len(tail) - m
        if body is None and m >= 2 and d > 0 and tail.endswith(word):
            # a suffix of the last word summed from scratch: its own first two trigrams (`^^e`,
            # `^et`), then the longer word's terms from its offset on, added in the same order
            terms = self._tail_terms
            total = 0.0
            for i in (2, 3):
                v = log3.get(s[i - 2 : i + 1])
                if v is None:
                    v = math.log10(self._p(s[i - 2], s[i - 1], s[i]))
                total += v
            for t in range(d + 2, d + m):
                total += terms[t]
            body = total  # everything but the end marker
            total += terms[d + m]
        else:
            if body is None:
                total, start = 0.0, 2
            else:  # the sum up to the last letter is the shorter word's, added in the same order
                total, start = body, len(s) - 2
            new: list[float] = []
            for i in range(start, len(s)):
                if i == len(s) - 1:
                    body = total  # everything but the end marker
                v = log3.get(s[i - 2 : i + 1])
                if v is None:  # a trigram never seen in training: its backed-off estimate
                    v = math.log10(self._p(s[i - 2], s[i - 1], s[i]))
                total += v  # added in order, one by one: the same float as ever
                if start == 2:
                    new.append(v)
            if start == 2 and m > 2 and not tail.startswith(word):
                # (a prefix of the held word, the left piece of its token, leaves it held)
                self._tail, self._tail_terms = word, new
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
    """The spelling model of `lang`, built once per process from wordfreq's word list (from its
    stored trigram counts when current, see `stored`)."""
    found = stored(lang)
    model = CharModel([], found["tri"]) if found is not None else CharModel(_model_words(_raw_table(lang)))
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
        model._tail, model._tail_terms = "", []
    for clear in _MEMOS:
        clear()
