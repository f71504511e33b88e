"""``dates``: decode ``DNUM_`` date placeholders.

Some CMS exports hide dates as ``DNUM_`` followed by letters: ``A``-``J`` are the digits 0-9 and
``Z`` separates day, month and year. The byline's placeholder becomes ``published`` (ISO 8601,
in the site's time zone from ``sources.toml``); placeholders left in the text become ``dd/mm/yyyy``
as the site would have printed them. A placeholder that is not a real date is removed, and the
edit keeps it. Other dates in the text are left as written.

    before: byline="Thanh Le", published_raw="DNUM_AIZABZCACB 10:55"
    after:  published="2021-01-08T10:55:00+07:00"
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

import regex

from ..config import Config
from ..document import Document, Edit, Reject, Removed, Where, evolve
from ..edits import find_literal, map_text_fields, sub_recorded
from ..sources import literal_anchor, profile_named

NAME = "dates"

_PLACEHOLDER = regex.compile(r"(?P<sp> ?)DNUM_(?P<code>[A-JZ]+)(?:\s+(?P<h>\d{1,2}):(?P<m>\d{2}))?")
_DIGITS = str.maketrans("ABCDEFGHIJ", "0123456789")
_LEFTOVER = regex.compile(r" ?DNUM_\w*")
# (``"DNUM_" in value`` by ``edits.find_literal``: a search for its rarest character, ``_``, a
# ``memchr``, instead of CPython's check at each character; asked of every text field of every page)
_DNUM_ANCHOR: Final = literal_anchor("DNUM_")


def decode_placeholder(code: str) -> dt.date | None:
    """``"AIZABZCACB"`` -> ``date(2021, 1, 8)``; None when it is not a valid day/month/year."""
    parts = code.translate(_DIGITS).split("Z")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    day, month, year = (int(p) for p in parts)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def to_iso(raw: str, timezone: str) -> str | None:
    """``"DNUM_AIZABZCACB 10:55"`` in Asia/Ho_Chi_Minh -> ``"2021-01-08T10:55:00+07:00"``."""
    m = _PLACEHOLDER.fullmatch(raw.strip())
    if m is None or m.group("sp"):
        return None
    date = decode_placeholder(m.group("code"))
    if date is None:
        return None
    if m.group("h") is None:
        return date.isoformat()
    hour, minute = int(m.group("h")), int(m.group("m"))
    if hour > 23 or minute > 59:
        return None
    stamp = dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=ZoneInfo(timezone))
    return stamp.isoformat()


def _in_text(text: str, where: Where) -> tuple[str, list[Edit]]:
    if "DNUM_" not in text:  # both patterns need it: most fields are done here
        return text, []

    def repl(m: regex.Match[str]) -> str:
        date = decode_placeholder(m.group("code"))
        if date is None:
            return ""
        shown = m.group("sp") + date.strftime("%d/%m/%Y")
        return f"{shown} {m.group('h')}:{m.group('m')}" if m.group("h") else shown

    text, edits = sub_recorded(_PLACEHOLDER, repl, text, NAME, "placeholder", where)
    text, more = sub_recorded(_LEFTOVER, "", text, NAME, "undecodable_placeholder", where)
    return text, edits + more


def _tidy(doc: Document) -> Document:
    """Fields left blank or with an edge space by a removed placeholder: ``"DNUM_ZZZ Le"`` ->
    ``"Le"``; a field left empty goes (its text is in the edit's ``before``), a caption's credit
    to ``removed``. Nothing left of the body is a reject ``no_body``."""
    paragraphs = tuple(p.strip() for p in doc.paragraphs if p.strip())
    captions = tuple(evolve(c, text=c.text.strip()) for c in doc.captions if c.text.strip())
    removed = tuple(
        Removed(NAME, "caption_credit", c.credit) for c in doc.captions if not c.text.strip() and c.credit
    )
    if not paragraphs:
        raise Reject(NAME, "no_body", "nothing left once the date placeholders were removed from the text")
    return evolve(
        doc,
        paragraphs=paragraphs,
        captions=captions,
        removed=doc.removed + removed,
        title=(doc.title or "").strip() or None,
        lead=(doc.lead or "").strip() or None,
        dateline=(doc.dateline or "").strip() or None,
    )


def _has_placeholder(doc: Document) -> bool:
    """Whether a text field of ``doc`` holds ``DNUM_``, which both of :func:`_in_text`'s patterns
    need: where none does, ``map_text_fields(doc, _in_text)`` gives ``(doc, [])`` (every field
    comes back as it was, with no edit), without its ``Where`` and call per field.

        before: map_text_fields(doc, _in_text) -> (doc, []) after ~20 calls of _in_text
        after:  _has_placeholder(doc) -> False: (doc, []) at once
    """
    for _, _, value in doc.text_fields():
        if find_literal(value, "DNUM_", _DNUM_ANCHOR) >= 0:  # (``"DNUM_" in value``)
            return True
    return False


def run(doc: Document, cfg: Config) -> Document:
    new, edits = map_text_fields(doc, _in_text) if _has_placeholder(doc) else (doc, [])
    if edits and new.structured:
        new = _tidy(new)
    if doc.published_raw is None:
        return new
    profile = profile_named(doc.site)
    zone = profile.timezone if doc.site and profile.name == doc.site else cfg.dates.default_timezone
    published = to_iso(doc.published_raw, zone)
    kind = "published" if published is not None else "undecodable_published"
    edit = Edit(NAME, kind, doc.published_raw, published or "", Where("published"))
    return evolve(new, published=published, published_raw=None, edits=(*new.edits, edit))
