"""``language``: the article's language and each caption's, with lingua.

lingua is accurate on short text (captions of four words), and a closed set of candidate
languages (``Config.language.languages``) keeps it so. The article's language is read from its
title, lead and paragraphs (first at both ends of that sample, see :func:`detect`); a caption too
short to tell gets the article's language. lingua's answers are remembered per text
(``Config.language.memo_texts``): a caption a site repeats on every page is read once.

    before: captions=(Caption(None, "Quang cảnh điểm cầu Hà Nội.", "Chinhphu.vn"),
                      Caption(None, "View of Hanoi bridge.", "Chinhphu.vn"))
    after:  lang="en", captions with lang "vi" and "en"
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from lingua import IsoCode639_1, LanguageDetectorBuilder

from ..config import Config
from ..document import Caption, Document, Edit, Where, evolve

NAME = "language"
UNDETERMINED = "und"


@functools.cache
def detector(codes: tuple[str, ...]) -> Any:
    """One lingua detector per language set, built once per process (models load lazily)."""
    isos = [getattr(IsoCode639_1, code.upper()) for code in codes]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


@functools.cache
def _reader(codes: tuple[str, ...], memo: int) -> Callable[[str], str | None]:
    """lingua's answer for a text (an ISO 639-1 code or None), remembered for the last ``memo``
    distinct texts of this process: lingua is deterministic, so a remembered answer is the
    answer, and a caption or headline a site repeats on many pages is read once."""
    find = detector(codes).detect_language_of

    def read(text: str) -> str | None:
        found = find(text)
        return None if found is None else str(found.iso_code_639_1.name.lower())

    return functools.lru_cache(maxsize=memo)(read) if memo > 0 else read


def _lingua(text: str, cfg: Config) -> str | None:
    return _reader(cfg.language.languages, cfg.language.memo_texts)(text)


def _has_letters(text: str, count: int) -> bool:
    """At least ``count`` letters in ``text`` (stops at the ``count``-th)."""
    if count <= 0:
        return True
    for ch in text:
        if ch.isalpha():
            count -= 1
            if count == 0:
                return True
    return False


def detect(text: str, cfg: Config, limit: int = 10_000, probe: int = 0) -> str | None:
    """ISO 639-1 code of ``text``, or None when it is too short or lingua cannot tell.

    With ``probe``, a text longer than two probes is first read at its two ends (``probe``
    characters each): when lingua gives both the same language, that is the answer; otherwise
    (a headline in one language over a body in another, a name-heavy end) lingua reads the whole
    text, as without ``probe``. lingua's time grows with the text, so two probes of 200
    characters cost less than half of one reading of 1,000.
    """
    text = text.strip()
    if not _has_letters(text[:200], cfg.language.min_chars) and not any(
        "\u4e00" <= ch <= "\u9fff" for ch in text[:50]
    ):
        return None
    text = text[:limit]
    if probe and len(text) > 2 * probe:
        head = _lingua(text[:probe], cfg)
        if head is not None and head == _lingua(text[-probe:], cfg):
            return head
    return _lingua(text, cfg)


def run(doc: Document, cfg: Config) -> Document:
    parts: list[str] = []
    size = 0
    for part in (doc.title, doc.lead, *doc.paragraphs):
        if part and size < cfg.language.sample_chars:
            parts.append(part)
            size += len(part) + 1
    sample = "\n".join(parts)
    lang = detect(sample, cfg, cfg.language.sample_chars, cfg.language.probe_chars) or doc.lang or UNDETERMINED
    edits: list[Edit] = []
    if doc.lang and lang != doc.lang:
        edits.append(Edit(NAME, "overrules_site", doc.lang, lang, Where("lang")))
    captions = tuple(Caption(c.n, c.text, c.credit, detect(c.text, cfg) or lang) for c in doc.captions)
    return evolve(doc, lang=lang, captions=captions, edits=doc.edits + tuple(edits))
