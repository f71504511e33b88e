"""All settings of the cleaner, with their documented defaults, in one immutable object.

Like ftfy's ``TextFixerConfig``: a frozen dataclass per stage, keyed by the stage's name.
Overrides make a new object::

    >>> cfg = Config()
    >>> cfg2 = cfg.override(decode={"max_bytes": 1_000_000})
    >>> cfg.decode.max_bytes, cfg2.decode.max_bytes
    (16777216, 1000000)

Site and language knowledge (markers, credit labels, sign-offs) is not here: it is data in
``pipeline/sources.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True)
class DecodeConfig:
    """``decode``: bytes to text.

    max_bytes: larger inputs are rejected (``too_large``) before decoding.
    max_line_chars: a page with a longer line is rejected (``line_too_long``); news paragraphs
        are a few thousand characters, a megabyte-long line is a dump, not an article.
    binary_control_ratio: share of C0 control bytes (other than tab/newline/CR) above which
        the input is treated as binary.
    """

    enabled: bool = True
    max_bytes: int = 16 * 1024 * 1024
    max_line_chars: int = 200_000
    binary_control_ratio: float = 0.01


@dataclass(frozen=True)
class UnicodeConfig:
    """``unicode``: ftfy for mojibake only, NFC, invisible control characters out.

    ftfy_gate: skip ftfy on lines a cheap check proves it would leave unchanged (no control
        character, already NFC, not ``ftfy.badness.is_bad``); same output, several times faster.
    """

    enabled: bool = True
    ftfy_gate: bool = True


@dataclass(frozen=True)
class WhitespaceConfig:
    """``whitespace``: no-break spaces between words, runs of spaces, blank lines."""

    enabled: bool = True


@dataclass(frozen=True)
class StructureConfig:
    """``structure``: title, lead, dateline, byline, paragraphs, captions, sidebar, sign-offs.

    max_title_chars: a first line longer than this is not taken for a headline.
    max_caption_chars: a line longer than this is not taken for a caption, whatever it ends with.
    regex_timeout: seconds per MiB of page text (at least this) one document may spend matching
        the ``sources.toml`` patterns (user data: a pattern with catastrophic backtracking must not
        hang the run); past it the document is rejected (``timeout``). Ordinary pages need a few
        milliseconds; a 16 MiB page of short lines about 6 s on a busy 2-core machine.
    """

    enabled: bool = True
    max_title_chars: int = 250
    max_caption_chars: int = 600
    regex_timeout: float = 10.0


@dataclass(frozen=True)
class LanguageConfig:
    """``language``: article and caption language with fastText where it is sure, else lingua.

    languages: ISO 639-1 codes lingua chooses among. A closed set keeps short captions right
        (``Scene at Nghe An bridge.`` is English, not Welsh) and memory small.
    min_chars: shorter texts get the article's language (captions) or ``und``.
    sample_chars: the article's language is read from its first characters (title, lead,
        paragraphs): 1,000 characters decide a news article's language as well as 3,000 on the
        seeds, at a third of lingua's cost (0.44 ms instead of 1.2 ms per page).
    probe_chars: the sample is first read at its two ends, this many characters each; when lingua
        finds the same language in both, that is the article's; when not, the whole sample
        decides. 0 turns the probes off. With 200 the decision was the same as the whole
        sample's on the 2,000-page bench corpus, the seeds and 393 1,000-character samples of
        shared/data (UD English EWT, French GSD), and on 1,199 of 1,200 samples made of an
        English head and a French body or the reverse; lingua's time per page is about halved.
    memo_texts: lingua's answers for the last this many distinct texts (captions, probes,
        samples) are remembered, per process and language set; 0 turns it off. lingua is
        deterministic, so the decisions are the same with or without it; a caption, headline or
        lead a site repeats on many pages is read once. At most about 4 MB (texts of at most
        ``sample_chars`` characters). What it saves depends on how much a corpus repeats: on the
        synthetic bench corpus (13 distinct captions, 142 distinct sample heads in 2,000 pages)
        it removes four lingua calls in five; on text that never repeats it saves nothing and
        costs a hash per call.
    fasttext: ask fastText's language identifier (``lid.176.ftz``, see the stage's docstring)
        first; False gives lingua's decisions exactly as before fastText was added.
    fasttext_min_chars: fastText is asked only about texts (captions, samples) of at least this
        many characters; shorter ones go to lingua, which is better on a few words (``研讨会场景。``
        is Japanese to fastText, with 0.92). Tuned on the dev splits of shared/data (paragraphs,
        their sentences, fragments of 2-8 words): precision first, a right answer of lingua's
        made wrong weighs more than a wrong one made right. With probability 0.7, asking from 0
        characters on made 12 of lingua's right answers wrong (for 231 made right), from 20
        characters two (for 45); and fastText's short Chinese is unsafe. The hybrid is at least
        as accurate as lingua alone in every length bucket (bench/SCALE.md, "Language
        identification: fastText first").
    fasttext_min_prob: fastText's answer is taken when its most probable language among
        ``languages`` has at least this probability; else lingua decides. On the dev splits, at
        20 characters: 0.5 took 11 right answers of lingua's to wrong ones (for 54 wrong ones
        made right), 0.7 two (``VINGAS VISAKHA INDUSTRIAL GASES PVT.`` is German to fastText with
        0.996) for 45; 0.9 two for 31. Two of the bench captions, ``View of Hanoi bridge.``
        (English 0.52) and ``Scene at Nghe An bridge.`` (0.67), stay with lingua.
    """

    enabled: bool = True
    languages: tuple[str, ...] = ("en", "fr", "zh", "vi", "de", "es", "it", "pt", "ja", "ko", "ru", "id")
    min_chars: int = 8
    sample_chars: int = 1000
    probe_chars: int = 200
    memo_texts: int = 4096
    fasttext: bool = True
    fasttext_min_chars: int = 20
    fasttext_min_prob: float = 0.7


@dataclass(frozen=True)
class GlueStageConfig:
    """``glue``: repair of words glued by joined line wraps or inline HTML (``fr`` and ``en``)."""

    enabled: bool = True
    languages: tuple[str, ...] = ("fr", "en")


@dataclass(frozen=True)
class DatesConfig:
    """``dates``: ``DNUM_`` placeholders decoded into ``published`` (site's time zone)."""

    enabled: bool = True
    default_timezone: str = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class RecordConfig:
    """``record``: assemble the output record and validate it against the JSON Schema."""

    enabled: bool = True
    max_edits_per_stage: int = 2000


@dataclass(frozen=True)
class Config:
    """The whole configuration: one field per stage, named as the stage."""

    decode: DecodeConfig = field(default_factory=DecodeConfig)
    unicode: UnicodeConfig = field(default_factory=UnicodeConfig)
    whitespace: WhitespaceConfig = field(default_factory=WhitespaceConfig)
    structure: StructureConfig = field(default_factory=StructureConfig)
    language: LanguageConfig = field(default_factory=LanguageConfig)
    glue: GlueStageConfig = field(default_factory=GlueStageConfig)
    dates: DatesConfig = field(default_factory=DatesConfig)
    record: RecordConfig = field(default_factory=RecordConfig)

    def override(self, **stages: dict[str, Any]) -> Config:
        """A new Config with some fields of some stages replaced; unknown names are errors."""
        known = {f.name for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, values in stages.items():
            if name not in known:
                raise KeyError(f"unknown stage in config: {name!r} (known: {sorted(known)})")
            changes[name] = replace(getattr(self, name), **values)
        return replace(self, **changes)

    def stage(self, name: str) -> Any:
        return getattr(self, name)


DEFAULT = Config()
