"""Load ``sources.toml`` (the table of site and language markers) into compiled profiles.

The table is data; this module only compiles it and picks the profile of a page::

    >>> profile_for("Hanoï (VNA) - Le ministre ...\\n\\nVoir plus\\n").name
    'vna-fr'
"""

from __future__ import annotations

import functools
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

TABLE_PATH = Path(__file__).with_name("sources.toml")


@dataclass(frozen=True)
class Profile:
    """One source's markers, compiled. See the comments at the top of ``sources.toml``."""

    name: str
    lang: str | None
    signatures: tuple[regex.Pattern[str], ...]
    sidebar_markers: frozenset[str]
    boilerplate: tuple[regex.Pattern[str], ...]
    photo_marker: regex.Pattern[str] | None
    credit: regex.Pattern[str] | None
    signoff_suffixes: tuple[regex.Pattern[str], ...]
    signoff_lines: frozenset[str]
    dateline: regex.Pattern[str] | None
    byline_date: regex.Pattern[str] | None
    timezone: str
    credit_label: regex.Pattern[str] | None = None  # any credit label alone: see _label_regex


def _compile_all(patterns: list[str], flags: int = 0) -> tuple[regex.Pattern[str], ...]:
    return tuple(regex.compile(p, flags | regex.V1) for p in patterns if p)


def _credit_regex(labels: list[str]) -> regex.Pattern[str] | None:
    """A caption ends in ``<label> <credit>``: ``. Photo: VNA``, ``。图自越通社``.

    The label must follow a sentence end or a closing bracket (or start the line), so that a body
    sentence merely mentioning a photo is not taken for a caption. The credit is short and has no
    sentence end of its own.
    """
    if not labels:
        return None
    alternatives = "|".join(f"(?:{label})" for label in labels)
    return regex.compile(
        rf"(?:(?<=[.!?。！？)）\"”»])|^)\s*(?P<label>{alternatives})\s*(?P<credit>[^\s.。!?](?:[^.。!?]|\.(?!\s|$)){{0,79}}?)\s*\.?\s*$",
        regex.V1,
    )


def _label_regex(labels: list[str]) -> regex.Pattern[str] | None:
    """Any of the credit labels, alone. ``credit`` matches a label inside the line, so a line in
    which no label occurs holds no credit: ``structure`` looks for the labels first (a search
    several times cheaper than ``credit``'s, whose lookbehind is tried at every position)."""
    if not labels:
        return None
    return regex.compile("|".join(f"(?:{label})" for label in labels), regex.V1)


def _profile(name: str, table: dict[str, Any]) -> Profile:
    marker = table.get("photo_marker", "")
    dateline = table.get("dateline", "")
    byline = table.get("byline_date", "")
    return Profile(
        name=name,
        lang=table.get("lang"),
        signatures=_compile_all(table.get("signatures", []), regex.MULTILINE),
        sidebar_markers=frozenset(table.get("sidebar_markers", [])),
        boilerplate=_compile_all(table.get("boilerplate", [])),
        photo_marker=regex.compile(marker, regex.V1) if marker else None,
        credit=_credit_regex(table.get("credit_labels", [])),
        signoff_suffixes=_compile_all(table.get("signoff_suffixes", [])),
        signoff_lines=frozenset(table.get("signoff_lines", [])),
        dateline=regex.compile(dateline, regex.V1) if dateline else None,
        byline_date=regex.compile(byline, regex.V1) if byline else None,
        timezone=table.get("timezone", "UTC"),
        credit_label=_label_regex(table.get("credit_labels", [])),
    )


@functools.cache
def profiles(path: Path = TABLE_PATH) -> tuple[tuple[Profile, ...], Profile]:
    """All site profiles in table order, and the generic fallback."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    sites = tuple(_profile(name, table) for name, table in data.get("source", {}).items())
    return sites, _profile("generic", data.get("generic", {}))


def profile_for(text: str, timeout: float | None = None) -> Profile:
    """The profile whose signatures match the page most often (first in the table on ties).

    ``timeout`` (seconds, for all signatures together) guards against a catastrophic pattern in
    the table: past it, ``TimeoutError`` is raised.
    """
    sites, generic = profiles()
    best, best_hits = generic, 0
    deadline = time.perf_counter() + timeout if timeout is not None else None
    for site in sites:
        hits = 0
        for i, sig in enumerate(site.signatures):
            if hits + len(site.signatures) - i <= best_hits:
                break  # it can no longer beat the best site so far (ties go to the first)
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and left <= 0:
                raise TimeoutError("regex timed out")
            hits += sig.search(text, timeout=left) is not None
        if hits > best_hits:
            best, best_hits = site, hits
    return best


def profile_named(name: str | None) -> Profile:
    sites, generic = profiles()
    for site in sites:
        if site.name == name:
            return site
    return generic
