"""``unicode``: mojibake repaired with ftfy, NFC, invisible control characters removed.

ftfy runs with the fixes that repair broken encodings only: curly quotes, French « », full-width
CJK punctuation and ligatures stay as the article has them, HTML entities are left alone.
Zero-width and bidi control characters carry nothing a reader sees and break word matching, so
they go; ZWJ/ZWNJ are kept where scripts need them (only removed between Latin or Han letters).

    before: "lâ€™e-gouvernement, « dÃ©veloppement »\\u200b"
    after:  "l’e-gouvernement, « développement »"
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from bisect import bisect_left
from collections.abc import Container, Iterable
from typing import Any, Final

import ftfy
import numpy as np
import regex
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES, is_bad
from ftfy.chardata import CONTROL_CHARS

from .. import native
from ..config import Config
from ..document import Document, Edit, Where
from ..edits import diff_edit, first_of, lines_with, map_text_fields, sub_recorded
from .whitespace import ODD_SPACE, ODD_SPACE_CHARS, holds_odd_space, lines_needing_work, page_work, respace
from .whitespace import _fixes as _whitespace_fixes

NAME = "unicode"

FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=True,
    fix_surrogates=True,
    remove_control_chars=True,
    normalization="NFC",
    explain=False,
)

def _char_class(codes: list[int]) -> str:
    """``[0, 1, 2, 5]`` -> ``\\U00000000-\\U00000002\\U00000005`` (ranges of code points for a character class)."""
    parts, codes = [], sorted(set(codes))
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code != prev + 1:
            parts.append(f"\\U{start:08x}" + (f"-\\U{prev:08x}" if prev != start else ""))
            start = code
        prev = code
    return "".join(parts)


# Always invisible, never needed in running text: ZWSP, word joiner, BOM, soft hyphen, bidi marks,
# embeddings, overrides (U+202E) and isolates.
_INVISIBLE_CODES = [
    0x200B, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)
]
_INVISIBLE_CHARS = _char_class(_INVISIBLE_CODES)
_INVISIBLE: Final = regex.compile(f"[{_INVISIBLE_CHARS}]+")
# ZWNJ/ZWJ are meaningful in Arabic, Indic scripts and emoji; between Latin or Han letters they
# are scraping debris.
_JOINERS: Final = regex.compile(r"(?<=[\p{Latin}\p{Han}])[\u200c\u200d]+(?=[\p{Latin}\p{Han}])", regex.V1)


# Every character one of the enabled ftfy fixes acts on besides mojibake: C0/C1 controls (line
# breaks, terminal escapes, fix_c1_controls), U+2028/2029, surrogates, and ftfy's own table of
# control characters it removes. A line with none of them, that ftfy's badness heuristic finds
# clean and that is already NFC, comes out of ftfy unchanged: ftfy's fix_encoding does nothing
# on a text that is not ``is_bad`` (ftfy/__init__.py, _fix_encoding_one_step_and_explain).
_FTFY_TARGET_CODES = frozenset(
    [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0xD800, 0xE000), *CONTROL_CHARS]
)
_FTFY_TARGET_CHARS = _char_class(list(_FTFY_TARGET_CODES))
_FTFY_TARGETS = re.compile(f"[{_FTFY_TARGET_CHARS}]")


def _badness_witnesses() -> set[str]:
    """Characters at least one of which any match of ftfy's ``BADNESS_RE`` must contain.

    Derived from the installed ftfy's own regex: each of its alternatives is a sequence of
    character classes; from each we take one class it cannot match without (preferring classes
    without ASCII or common letters such as ``é``). A line with none of these characters cannot be
    ``is_bad``, so ftfy's costly badness regex need not run on it.
    """
    with warnings.catch_warnings():  # sre_parse is deprecated, but it is the parser re itself uses
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants as c
        import sre_parse

    def chars(op: object, av: object) -> set[str] | None:  # a node's finite character set, or None
        if op is c.LITERAL:
            return {chr(av)}  # type: ignore[arg-type]  # a LITERAL's argument is a code point
        if op is c.IN:
            out: set[str] = set()
            for sop, sav in av:  # type: ignore[attr-defined]  # an IN's argument is a list of items
                if sop is c.LITERAL:
                    out.add(chr(sav))
                elif sop is c.RANGE:
                    out.update(chr(code) for code in range(sav[0], sav[1] + 1))
                else:  # NEGATE, CATEGORY: not a finite set
                    return None
            return out
        return None  # repeats (optional parts), anchors: never required

    frequent: set[str] = {chr(code) for code in range(128)}  # ASCII: in every line
    for key in ("lower_accented", "lower_common", "common"):
        frequent |= chars(c.IN, sre_parse.parse(f"[{MOJIBAKE_CATEGORIES[key]}]").data[0][1]) or set()
    top: Any = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags).data  # typeshed's union is too loose
    if len(top) != 1 or top[0][0] is not c.BRANCH:
        raise RuntimeError("ftfy's BADNESS_RE is not an alternation any more: update the unicode gate")
    witnesses: set[str] = set()
    for branch in top[0][1][1]:
        required = [s for s in (chars(o, a) for o, a in branch.data) if s is not None]
        if not required:
            raise RuntimeError(f"ftfy's BADNESS_RE has a branch without a required class: {branch}")
        witnesses |= min(required, key=lambda s: (len(s & frequent), len(s)))
    return witnesses


_BADNESS_WITNESS_SET: Final = frozenset(_badness_witnesses())
_BADNESS_WITNESS_CHARS = _char_class([ord(ch) for ch in _BADNESS_WITNESS_SET])
_BADNESS_WITNESSES = re.compile(f"[{_BADNESS_WITNESS_CHARS}]")


def _badness_reach() -> int | None:
    """The longest match ftfy's ``BADNESS_RE`` can make, minus one; None when that is unbounded or
    the regex looks beyond its match (anchors, lookarounds, back references).

    Every match holds a witness character (see :func:`_badness_witnesses`), so with a reach of
    ``r`` a match lies within ``r`` characters of one of them: searching those windows answers as
    ``is_bad`` does, without running the regex over the whole line.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants as c
        import sre_parse

    parsed = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    looks_around = {c.ASSERT, c.ASSERT_NOT, c.GROUPREF, c.GROUPREF_EXISTS}
    # ``^`` is fine: a search from ``pos`` > 0 never matches it, and a window around a witness
    # near the start of the line starts at 0. ``$`` is not: ``endpos`` would move it.
    starts = {c.AT_BEGINNING, c.AT_BEGINNING_STRING}

    def clean(node: object) -> bool:
        if isinstance(node, sre_parse.SubPattern):
            return all(clean(item) for item in node.data)
        if isinstance(node, (list, tuple)):
            if node and (node[0] in looks_around or (node[0] is c.AT and node[1] not in starts)):
                return False
            return all(clean(item) for item in node)
        return True

    width = parsed.getwidth()[1]
    if not clean(parsed) or width > 16:
        return None
    return int(width) - 1


# (Not ``Final``: mypyc (mypy 2.4.1) fails to compile a Final ``int | None`` read inside a function.)
_BADNESS_REACH = _badness_reach()


def _badness_spans() -> dict[str, tuple[int, int]] | None:
    """For each badness witness, how many characters before it and after it a match of ftfy's
    ``BADNESS_RE`` held by its window must reach at most: ``(before, after)``, each at most
    ``_BADNESS_REACH``; None when the reach is unknown or a branch's width is unbounded.

    Every match of ``BADNESS_RE`` is a match of one of its branches, a sequence of items of
    which at least one class holds witnesses only (:func:`_badness_witnesses` takes one such
    class of every branch): so a match holds, at that item, a witness ``w``, with at most the
    items before it (their longest widths) before ``w`` and the items after it after ``w``.
    Taking for ``w`` the largest of these over every branch and item whose class holds ``w``
    and witnesses only, the window ``[at - before, at + 1 + after)`` of that witness holds the
    match. Most branches are two or three characters long: most windows are 3 or 4 characters
    instead of ``2 * reach + 1`` = 13, and ``BADNESS_RE``, tried at every position of a window,
    is tried at fewer (``"« Ã© »"``: around ``Ã``, ``"« Ã©"`` instead of the whole line).
    """
    if _BADNESS_REACH is None or BADNESS_RE.flags & re.IGNORECASE:
        return None  # (a class ignoring case matches more than its members)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants as c
        import sre_parse

    parsed: Any = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    branches = parsed.data[0][1][1]  # one alternation (checked by _badness_witnesses)
    spans: dict[str, tuple[int, int]] = {}
    for branch in branches:
        widths = [sre_parse.SubPattern(parsed.state, [item]).getwidth()[1] for item in branch.data]
        if any(width > _BADNESS_REACH + 1 for width in widths):
            return None  # unbounded (or wider than the whole reach): keep the reach
        for i, (op, av) in enumerate(branch.data):
            if op is c.LITERAL:
                members: set[str] = {chr(av)}
            elif op is c.IN and all(sop in (c.LITERAL, c.RANGE) for sop, _ in av):
                members = set()
                for sop, sav in av:
                    members.update({chr(sav)} if sop is c.LITERAL else map(chr, range(sav[0], sav[1] + 1)))
            else:
                continue
            if not members <= _BADNESS_WITNESS_SET:
                continue  # not a class of witnesses only: no witness need stand there
            before, after = sum(widths[:i]), sum(widths[i + 1 :])
            for ch in members:
                old = spans.get(ch, (0, 0))
                spans[ch] = (max(old[0], before), max(old[1], after))
    if set(spans) != _BADNESS_WITNESS_SET:
        return None  # a witness stands in no class of witnesses only: keep the reach
    return spans


# (before, after) for each witness (see :func:`_badness_spans`), or the reach for every one.
_BADNESS_SPANS: Final[dict[str, tuple[int, int]]] = _badness_spans() or dict.fromkeys(
    _BADNESS_WITNESS_SET, (_BADNESS_REACH or 0, _BADNESS_REACH or 0)
)


# ``BADNESS_RE.search(line, lo, hi) is not None`` for the witness windows, remembered per window
# text: a per-token table, not a memo of lines or pages. A window is a witness and one or two
# characters either side for most witnesses (``e »``, ``« L``, ``Ã©``: see _badness_spans), so
# a language's text holds few distinct windows. The answer is a function of the window's
# characters and of whether it starts the line: the reach (and so every window) exists only for
# a regex without lookarounds, back references, ``$`` or ``\b`` (see _badness_reach), and ``^``
# matches only at the line's start (not MULTILINE: else no memo). Two dicts: windows inside the
# line, and at its start; each emptied when full (the answers stay the regex's).
_BAD_WINDOWS: Final[tuple[dict[str, bool], dict[str, bool]]] = ({}, {})
_BAD_WINDOWS_SIZE = 1 << 16
_BAD_WINDOWS_OK: Final = not BADNESS_RE.flags & re.MULTILINE


def _bad_window(line: str, lo: int, hi: int) -> bool:
    """``BADNESS_RE.search(line, lo, hi) is not None`` (``lo`` >= 0), remembered per window text.

    ``_bad_window("« Ã© »", 1, 4)`` -> True (`` Ã©``); ``_bad_window("« L", 0, 3)`` -> False.
    """
    if not _BAD_WINDOWS_OK:
        return BADNESS_RE.search(line, lo, hi) is not None
    window = line[lo:hi]
    memo = _BAD_WINDOWS[lo == 0]
    found = memo.get(window)
    if found is None:
        found = BADNESS_RE.search(line, lo, hi) is not None
        if len(memo) >= _BAD_WINDOWS_SIZE:
            memo.clear()
        memo[window] = found
    return found


def looks_bad(line: str) -> bool:
    """``is_bad(line)``, searching ``BADNESS_RE`` only around the badness witnesses of ``line``.

    ``"« développement » dÃ©jà"`` -> True; ``"« développement »"`` -> False.
    """
    if _BADNESS_REACH is None:
        return _BADNESS_WITNESSES.search(line) is not None and is_bad(line)
    spans = _BADNESS_SPANS
    for m in _BADNESS_WITNESSES.finditer(line):
        at = m.start()
        before, after = spans[m.group()]
        if _bad_window(line, max(0, at - before), at + 1 + after):
            return True
    return False


def needs_ftfy(line: str) -> bool:
    """False when ftfy provably leaves ``line`` as it is (the gate skips it, same output).

    ``"Le ministre a déclaré"`` -> False; ``"dÃ©veloppement"`` -> True; ``"e\u0301"`` (not NFC) -> True.
    """
    if line.isascii():
        return not line.isprintable()
    if _FTFY_TARGETS.search(line) is not None or not unicodedata.is_normalized("NFC", line):
        return True
    return looks_bad(line)


def _fix_line(line: str, gate: bool = True, settled: set[str] | None = None) -> str:
    if gate and not needs_ftfy(line):
        return line
    if not gate and line.isascii() and line.isprintable():
        return line  # nothing ftfy could change: no mojibake, no control characters
    return _ftfy(line, settled)


def _ftfy(line: str, settled: set[str] | None) -> str:
    """``ftfy.fix_text(line, FTFY_CONFIG)`` for a line (no newline), remembering in ``settled``
    what it gave: ftfy leaves its own output as it is, so a later pass over the same page asks
    ftfy nothing about a line it already repaired (a Chinese line ftfy only partly repairs still
    holds badness witnesses, and would be given to ftfy again on every pass).

    Why its output is settled: ``fix_text`` cuts its text into segments at newlines and every
    ``max_decode_length`` characters and gives each to ``fix_and_explain``, which repeats its
    fixes until one round changes nothing; so for a line of one segment the output is a text one
    round leaves as it is, and, when it is one segment too (no newline, not too long), ftfy gives
    it back unchanged. Only within one field of one page: nothing is kept from page to page.
    """
    if settled is not None and line in settled:
        return line
    fixed = ftfy.fix_text(line, FTFY_CONFIG)
    limit = FTFY_CONFIG.max_decode_length
    if settled is not None and len(line) <= limit and len(fixed) <= limit and "\n" not in fixed:
        settled.add(fixed)
    return fixed


# Every character that can make ``_fix_line`` (gated) or the invisible-character removal act on
# a line: what ``needs_ftfy`` looks for (ftfy's targets, the tab and other ASCII controls, the
# badness witnesses), the invisible characters and the joiners. A line with none of them, in a
# text that is NFC, leaves ``_fix`` as it came. (These classes are sets of code points: ``re``
# scans a text for one many times faster than ``regex`` does.)
_LINE_WORK: Final = re.compile(f"[{_FTFY_TARGET_CHARS}\t{_BADNESS_WITNESS_CHARS}{_INVISIBLE_CHARS}\u200c\u200d]")
# What ``needs_ftfy`` looks for in a non-ASCII NFC line: ftfy's targets and the badness
# witnesses. ``_respace`` asks it of a line before working out ``respace(line)``: a line without
# them, NFC or ASCII, gives a ``respace(line)`` for which ``needs_ftfy`` is False, so the gated
# ``_respace`` leaves the line as it is. Why: ``respace`` only replaces runs of spaces between
# two non-spaces with `` `` and cuts them at the two ends, so ``respace(line)`` holds no
# character ``line`` does not hold but the space: still no target, no witness. It is NFC when
# ``line`` is: every space is a starter that composes with nothing and blocks what follows from
# composing with what precedes, so replacing or cutting one changes no composition or order.
# And when it is ASCII it is printable: an ASCII line without targets holds no control
# character but the tab, and a tab survives ``respace`` only in a run of spaces that also holds
# U+3000 or U+1680 inside the line, which survive too (not ASCII). (tests/test_fastpaths.py)
_FTFY_OR_BADNESS: Final = re.compile(f"[{_FTFY_TARGET_CHARS}{_BADNESS_WITNESS_CHARS}]")
_INVISIBLE_OR_JOINER: Final = re.compile(f"[{_INVISIBLE_CHARS}\u200c\u200d]")  # what _INVISIBLE and _JOINERS need
# The characters of ``_LINE_WORK`` by what they ask for (a character may be in several).
_TARGET_SET: Final = frozenset(chr(code) for code in _FTFY_TARGET_CODES)
# (as _INVISIBLE_OR_JOINER)
_INVISIBLE_OR_JOINER_SET: Final = frozenset(map(chr, _INVISIBLE_CODES)) | {"\u200c", "\u200d"}


def _scan_line(line: str) -> tuple[bool, bool]:
    """``needs_ftfy(line)`` for a line that is not ASCII, and, when that is False, whether
    ``line`` holds an invisible character or a joiner (True, unread, when it is True: ftfy's
    output is then searched instead), in one scan of ``_LINE_WORK``'s characters in the line.

    ``needs_ftfy`` scans the line for ftfy's targets, then for the badness witnesses (searching
    ``BADNESS_RE`` around each), and ``_fix_lines`` scans it again for invisible characters:
    here each character the one scan finds is looked up in the three sets, the witness windows
    searched as ``looks_bad`` searches them, in the same order; the answers are ORs, so stopping
    at the first target or bad window gives the same. Only when the badness reach is known.
    """
    assert _BADNESS_REACH is not None
    spans = _BADNESS_SPANS
    invisible = False
    for m in _LINE_WORK.finditer(line):
        ch = m.group()
        if ch in _TARGET_SET:
            return True, True
        span = spans.get(ch)  # a witness's window (see _badness_spans)
        if span is not None:
            at = m.start()
            if _bad_window(line, max(0, at - span[0]), at + 1 + span[1]):
                return True, True
        if ch in _INVISIBLE_OR_JOINER_SET:
            invisible = True
    if not unicodedata.is_normalized("NFC", line):
        return True, True
    return False, invisible


def _scan_marked(line: str, marks: list[int]) -> tuple[bool, bool]:
    """``_scan_line(line)``, given ``marks``: the offsets of the characters of
    ``_LINE_WORK_OR_NFC`` in ``line``, in order (the page scan's, :func:`_page_scan`).

    ``_scan_line`` finds ``_LINE_WORK``'s characters by ``re``'s class test at every character
    of the line (about 70 instructions each; the lines ``_fix_lines`` visits first are a fifth
    of a page), then asks ``unicodedata.is_normalized``; the page scan has found them already,
    with the NFC suspects (:func:`_nfc_suspect_codes`). Here each mark is read as ``_scan_line``
    reads each match, in the same order (a suspect that is not of ``_LINE_WORK`` is in none of
    the three sets, so passes as unread), and ``is_normalized`` is asked only of a line holding
    a suspect: a line without one is NFC.

        _scan_marked("« Ã© »", [0, 2, 3, 5]) -> (True, True);  _scan_marked("« L »", [0, 4]) -> (False, False)
    """
    assert _BADNESS_REACH is not None
    spans = _BADNESS_SPANS
    invisible = suspect = False
    for at in marks:
        ch = line[at]
        if ch in _TARGET_SET:
            return True, True
        span = spans.get(ch)  # a witness's window (see _badness_spans)
        if span is not None and _bad_window(line, max(0, at - span[0]), at + 1 + span[1]):
            return True, True
        if ch in _INVISIBLE_OR_JOINER_SET:
            invisible = True
        if ch in _NFC_SUSPECT_SET or ch > "\uffff":  # (above the BMP: a suspect, as in the page scan)
            suspect = True
    if suspect and not unicodedata.is_normalized("NFC", line):
        return True, True
    return False, invisible


def _nfc_suspect_codes() -> list[int]:
    """The code points of the BMP without which a text is NFC: those ``unicodedata``'s quick
    check does not answer "yes" for, or with a combining class (``"e\u0301"``: U+0301).

    ``unicodedata.is_normalized("NFC", text)`` is True when every character of ``text`` has
    NFC_Quick_Check Yes and combining class 0 (its quick check then answers yes: no mark is out
    of order). Those that have not: a combining class (``combining``); NFC_Quick_Check No, the
    characters that are never in an NFC text, so not their own NFC (``normalize("NFC", ch) !=
    ch``: singletons, composition exclusions); NFC_Quick_Check Maybe, the characters that may
    compose with what precedes them: the second of every two-character canonical decomposition
    and the Hangul vowel and trailing jamo (their syllables compose by rule, not by table). Read
    from ``unicodedata`` itself, so from the version of Unicode that answers ``is_normalized``;
    about 15 ms at import (the candidates first: a combining class or a decomposition). Above
    the BMP every character counts as a suspect (:data:`_LINE_WORK_OR_NFC`).
    """
    combining, decomposition = unicodedata.combining, unicodedata.decomposition
    codes: set[int] = set()
    for ch in [ch for ch in map(chr, range(0x10000)) if combining(ch) or decomposition(ch)]:
        if combining(ch):
            codes.add(ord(ch))
            continue
        mapping = decomposition(ch)
        if mapping.startswith("<"):
            continue  # a compatibility decomposition: NFC leaves the character as it is
        if unicodedata.normalize("NFC", ch) != ch:
            codes.add(ord(ch))  # NFC_Quick_Check No
        parts = mapping.split()
        if len(parts) == 2 and int(parts[1], 16) < 0x10000:
            codes.add(int(parts[1], 16))  # NFC_Quick_Check Maybe
    codes.update(range(0x1161, 0x1176), range(0x11A8, 0x11C3))  # Hangul V and T jamo: Maybe
    return sorted(codes)


# What ``_LINE_WORK`` looks for and the characters without which a line is NFC (every character
# above the BMP among them: one range, so ``re`` still tests a character against one table and
# one range); the page scan of :func:`_work_and_odd_lines` looks for these and ``whitespace``'s
# odd spaces. ``_LINE_WORK_OR_NFC``'s characters as a set.
_NFC_SUSPECT_CODES = _nfc_suspect_codes()
_NFC_SUSPECT_SET: Final = frozenset(map(chr, _NFC_SUSPECT_CODES))  # (the BMP's: see _scan_marked)
_NFC_SUSPECT_CHARS = _char_class(_NFC_SUSPECT_CODES) + "\U00010000-\U0010ffff"
_LINE_WORK_OR_NFC = re.compile(
    f"[{_FTFY_TARGET_CHARS}\t{_BADNESS_WITNESS_CHARS}{_INVISIBLE_CHARS}\u200c\u200d{_NFC_SUSPECT_CHARS}]"
)
_WORK_OR_ODD_SPACE = re.compile(
    f"[{_FTFY_TARGET_CHARS}\t{_BADNESS_WITNESS_CHARS}{_INVISIBLE_CHARS}\u200c\u200d{_NFC_SUSPECT_CHARS}{ODD_SPACE_CHARS}]"
)
_LINE_WORK_SET = _TARGET_SET | {"\t"} | _BADNESS_WITNESS_SET | _INVISIBLE_OR_JOINER_SET
_LINE_WORK_OR_NFC_SET = _LINE_WORK_SET | frozenset(map(chr, _NFC_SUSPECT_CODES))  # and above the BMP


def _work_and_odd_lines(text: str) -> tuple[list[int], list[int]]:
    """``(lines_with(_LINE_WORK_OR_NFC, text), lines_with(ODD_SPACE, text))``, in one scan of
    ``text``: the lines that may hold work for ``_fix_lines`` or not be NFC, and those holding
    an odd space.

    ``_settle`` needs both of a page: the lines to fix, and (of the fixed text, the same but
    for the lines fixed) those ``whitespace`` will change. Two scans of the page, each stopping
    at the first character it looks for in a line, read most of the page twice (on the bench
    pages, 70 % of the characters are in lines holding neither); one scan for both stops at the
    first character of either in a line, and only the rest of that line is searched for the
    other kind (a character can be of both). The NFC suspects ride along: a line without them
    is NFC (:func:`_nfc_suspect_codes`), so the page need not be checked whole first, and a line
    with them is visited, where ``_scan_line`` checks it (the pages of the bench have none).
    """
    work: list[int] = []
    odd: list[int] = []
    line = counted = pos = 0
    size = len(text)
    while (m := _WORK_OR_ODD_SPACE.search(text, pos)) is not None:
        start = m.start()
        line += text.count("\n", counted, start)
        counted = start
        end = text.find("\n", start)
        if end < 0:
            end = size
        ch = m.group()
        if (
            ch in _LINE_WORK_OR_NFC_SET
            or ch > "\uffff"  # above the BMP: a suspect (not in the set)
            or _LINE_WORK_OR_NFC.search(text, start + 1, end) is not None
        ):
            work.append(line)
        if ODD_SPACE.match(ch) is not None or ODD_SPACE.search(text, start + 1, end) is not None:
            odd.append(line)
        if end == size:
            break
        pos = end + 1
    return work, odd


# Each UTF-16 code unit's kinds for :func:`_work_and_odd_lines_vector`: 1 when it is of
# ``_LINE_WORK_OR_NFC``, 2 when of ``ODD_SPACE``, 4 for the newline. Read from the two patterns
# themselves, by scanning every code unit once at import (a few ms): the surrogates are ftfy's
# targets, so a character above the BMP (a pair of them in UTF-16, and of ``_LINE_WORK_OR_NFC``
# itself) and a lone surrogate both count as work, as the pattern has it.
_WORK: Final = 1  # (Final: compiled, the loops over the hits read constants, not module globals)
_ODD: Final = 2
_NEWLINE: Final = 4


def _unit_kinds() -> bytes:
    every = "".join(map(chr, range(0x10000)))
    kinds = bytearray(0x10000)
    for kind, pattern in ((_WORK, _LINE_WORK_OR_NFC), (_ODD, ODD_SPACE)):
        for m in pattern.finditer(every):
            kinds[m.start()] |= kind
    kinds[10] |= _NEWLINE
    return bytes(kinds)


_UNIT_KINDS: Final = _unit_kinds()  # (Final: read by each call of the C page scan, see _C_PAGE_SCAN)
_UNIT_KINDS_ARRAY: Final = np.frombuffer(_UNIT_KINDS, dtype=np.uint8)
_UNIT_SPACE: Final = np.uint16(0x20)  # (made once: a numpy scalar costs a call)
_UNIT_5F: Final = np.uint16(0x5F)
# Below this many characters the page scan of ``re`` costs less than numpy's calls (a dozen,
# some thousands of instructions each, against about 70 instructions a character for ``re``);
# without the C scan only (``_C_PAGE_SCAN``: with it, every text takes the C scan).
_VECTOR_SCAN_MIN = 1024


# ``_page_scan`` in C (``_scanc.pyx``: one loop over the string's own code points, the same
# answer for every string, a few instructions a character instead of numpy's dozen calls and
# whole-page temporaries), from a current compiled build (``pipeline.native.kernel``), else None:
# numpy's scan then runs (``NEWSCLEAN_STAGES=source``, a stale build, no compiler). Called with
# ``_UNIT_KINDS``; with no per-call overhead to pay back, for every text, short fields too.
#     before: _page_scan(text)                 (about 100,000 instructions for a page)
#     after:  _C_PAGE_SCAN(text, _UNIT_KINDS)  (about 4 a character)
_C_PAGE_SCAN: Any = getattr(native.kernel("pipeline.stages._scanc"), "page_scan", None)


def _work_and_odd_lines_vector(text: str) -> tuple[list[int], list[int], list[int]]:
    """:func:`_page_scan` without the marks: ``(work, odd, spaced)``."""
    work, odd, spaced, _, _ = _page_scan(text)
    return work, odd, spaced


def _page_scan(
    text: str,
) -> tuple[list[int], list[int], list[int], dict[int, list[int]] | None, list[int] | None]:
    """:func:`_work_and_odd_lines` by whole-text operations of numpy, and the lines holding two
    ordinary spaces in a row or one at either end (what ``whitespace.lines_needing_work`` looks
    for besides the odd spaces: its ``spaced``), for a page.

    ``re``'s scan costs about 70 instructions a character (a call of its class test each) and
    the three substring searches of ``lines_needing_work`` about 6 each; here ``text`` is taken
    in UTF-16 (its code units: a character above the BMP is two surrogates, of the work kind
    as it is), the units other than printable ASCII (about a tenth of a page) are looked up in
    ``_UNIT_KINDS``, and the spaces compared with their neighbours, a few instructions a
    character in all, the line of each hit given by the newlines before it. The same lines as
    the scans (tests/test_fastpaths.py); numpy's calls cost a few thousand instructions each,
    so a short field keeps ``re``'s scan (``_VECTOR_SCAN_MIN``). The reference and the fallback
    of the C scan (``_C_PAGE_SCAN``), which the compiled build runs instead, for every text.

    And the marks of the work lines: for each, the offsets in the line of its characters of
    ``_LINE_WORK_OR_NFC``, which :func:`_scan_marked` reads instead of scanning the line
    (None when the text holds a character above the BMP: the offsets are UTF-16 units, the
    string's indexes only when each character is one unit); and the offsets of the newlines
    (None likewise), from which :func:`_settle` cuts the lines it reads.

        "a\u00a0b\nc \n\u200bÃ©" -> ([2], [0], [1], {2: [0, 1, 2]}, [3, 6])
    """
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    # Printable ASCII (U+0020-U+007E, most of a page) is of no kind: only the other units are
    # looked up, found by one subtraction that wraps those below U+0020 round to the top.
    # (Methods of the arrays, not numpy's functions: ``np.flatnonzero``, ``np.cumsum``,
    # ``np.unique`` and ``np.searchsorted`` are Python functions around them, each call some
    # thousands of instructions of the interpreter.)
    # (``take``, not a subscript with an array: the same gather without the subscript's
    # dispatch; and numpy scalars of the units' type, not Python ints, to compare with)
    at = ((units - _UNIT_SPACE) >= _UNIT_5F).nonzero()[0]
    kinds = _UNIT_KINDS_ARRAY.take(units.take(at))
    hit = kinds.nonzero()[0]  # the newlines too
    # The hits are few (on the bench pages about 130 a page, most of them newlines): read one by
    # one, compiled, instead of a dozen more of numpy's calls (the newlines' running count, the
    # lines of each kind, their dedup), each some thousands of instructions whatever its size.
    #     before: lines = (kinds == _NEWLINE).cumsum(); work = dict.fromkeys(lines[(kinds & _WORK).nonzero()[0]])...
    #     after:  one loop over the hits' positions and kinds
    positions: list[int] = at.take(hit).tolist()
    hit_kinds: list[int] = kinds.take(hit).tolist()
    work: list[int] = []
    odd: list[int] = []
    newlines: list[int] = []  # the newlines' positions (the units before each line's first)
    marks: dict[int, list[int]] = {}
    here: list[int] = []  # the marks of the last work line
    line = start = 0  # the line of the next hit, and its first unit
    for n in range(len(hit_kinds)):
        kind = hit_kinds[n]
        if kind == _NEWLINE:  # (a newline is of no other kind, and no other unit of this one)
            start = positions[n]
            newlines.append(start)
            start += 1
            line += 1
            continue
        # (in order, so a line is added at its first hit of a kind)
        if kind & _WORK:
            if not work or work[-1] != line:
                work.append(line)
                here = marks[line] = []
            here.append(positions[n] - start)
        if kind & _ODD and (not odd or odd[-1] != line):
            odd.append(line)
    # "  " or " \n" at i: the line of i; "\n " at i: the line of i + 1; and the text's two ends.
    # Those pairs are among the pairs whose larger unit is the space (the others: a space next to
    # a tab or another control), found by two operations on the whole text.
    spaced: list[int] = []
    pairs = (np.maximum(units[:-1], units[1:]) == _UNIT_SPACE).nonzero()[0]
    # (the text's first and last units are spaces when its first and last characters are: a
    # character above the BMP is two surrogates)
    starts, ends = text.startswith(" "), text.endswith(" ")
    if len(pairs) or starts or ends:
        first, second = units[pairs], units[pairs + 1]
        spaces: list[int] = pairs[(first == 32) & ((second == 32) | (second == 10))].tolist()
        spaces += (pairs[(first == 10) & (second == 32)] + 1).tolist()
        if starts:
            spaces.append(0)
        if ends:
            spaces.append(len(units) - 1)
        # each a space: its line is the number of newlines before it
        spaced = sorted({bisect_left(newlines, at_space) for at_space in spaces})
    if len(units) != len(text):
        return work, odd, spaced, None, None
    return work, odd, spaced, marks, newlines


def _spaced(line: str) -> bool:
    """Whether ``line`` holds two ordinary spaces in a row or one at either end: ``"a  b"``, ``" a"``."""
    return "  " in line or line.startswith(" ") or line.endswith(" ")


def _fix(text: str, where: Where, gate: bool = True) -> tuple[str, list[Edit]]:
    lines = text.split("\n")
    edits, _ = _fix_lines(lines, _fix_todo(text, len(lines), gate), where, gate)
    return "\n".join(lines), edits


def _fix_todo(text: str, count: int, gate: bool) -> list[int] | range:
    """The lines of ``text`` (``count`` of them) that ``_fix_lines`` may change, in one scan."""
    # NFC is decided line by line (a newline never composes), so an NFC text has NFC lines only.
    return lines_with(_LINE_WORK, text) if gate and unicodedata.is_normalized("NFC", text) else range(count)


def _fix_lines(
    lines: list[str],
    todo: Iterable[int],
    where: Where,
    gate: bool,
    settled: set[str] | None = None,
    marks: dict[int, list[int]] | None = None,
) -> tuple[list[Edit], list[int]]:
    """ftfy and the invisible-character removal on ``lines[i]`` for each ``i`` of ``todo`` (in
    place); the edits, and the indexes of the lines that got one. Each line's result and edits
    depend on that line alone (and its index): visiting a line ``_fix_todo`` leaves out changes
    nothing, so any ``todo`` holding the lines it finds gives the same result. ``marks``: the
    page scan's marks of the lines as they are (see :func:`_scan_marked`), when the caller has
    them."""
    edits: list[Edit] = []
    touched: list[int] = []
    for i in todo:
        line = lines[i]
        n_edits = len(edits)
        if gate and _BADNESS_REACH is not None and not line.isascii():
            at = marks.get(i) if marks is not None else None
            if at is not None:  # (the first pass of a page, its lines as the page scan read them)
                # no scan: the page scan found the characters
                needs, invisible = _scan_marked(line, at)
                fixed = _ftfy(line, settled) if needs else line
            elif settled and line in settled:
                # A line ftfy gave (a later pass: it changed the line or gave an edit on it):
                # ftfy would give it back (see _ftfy), so the scan need not say whether to ask;
                # its invisible characters are looked for below, as after ftfy.
                #     before: _scan_line(line) -> (True, True); _ftfy(line, settled) -> line
                #     after:  (line, True)
                fixed, invisible = line, True
            else:
                needs, invisible = _scan_line(line)  # one scan instead of three
                fixed = _ftfy(line, settled) if needs else line
        else:
            fixed, invisible = _fix_line(line, gate, settled), True
        # The line's ``Where`` only for a line that gets an edit (most lines visited get none; the
        # edits make their own from its field and index).
        line_where: Where | None = None
        if fixed != line:
            line_where = Where(where.field, i if where.field == "text" else where.index)
            edit = diff_edit(NAME, "ftfy", line, fixed, line_where)
            if edit is not None:
                edits.append(edit)
        if invisible:
            # The invisible characters the line holds, by ``in`` of each (a ``memchr`` of the line,
            # or nothing for a character wider than the line's), instead of ``re``'s class test
            # at every character: most lines visited hold none (``_INVISIBLE_OR_JOINER``'s search).
            held = [ch for ch in _INVISIBLE_ORDER if ch in fixed]
            # ``_JOINERS`` matches runs of ZWNJ/ZWJ only: ``regex`` tries it at every character of
            # a line that holds neither (on the bench pages about a fifth of the two searches'
            # time, 2 M instructions); ``in`` finds none the same. (Removing the invisible
            # characters leaves the joiners as they are.)
            joiner = "\u200c" in fixed or "\u200d" in fixed
            if held or joiner:
                if line_where is None:
                    line_where = Where(where.field, i if where.field == "text" else where.index)
                if held:
                    fixed = _drop_invisible(fixed, held, line_where, edits)
                if joiner:
                    fixed, more = sub_recorded(_JOINERS, "", fixed, NAME, "invisible", line_where)
                    edits.extend(more)
        lines[i] = fixed
        if fixed != line or len(edits) > n_edits:
            touched.append(i)
    return edits, touched


# ``_INVISIBLE``'s characters, one by one (:func:`_drop_invisible`), and as a set.
_INVISIBLE_ORDER: Final = tuple(map(chr, _INVISIBLE_CODES))
_INVISIBLE_SET: Final = frozenset(_INVISIBLE_ORDER)


def _drop_invisible(line: str, held: list[str], where: Where, edits: list[Edit]) -> str:
    """``sub_recorded(_INVISIBLE, "", line, NAME, "invisible", where)``, its edits appended to
    ``edits``, given the invisible characters ``line`` holds (``held``, not empty).

    ``_INVISIBLE`` matches each maximal run of its characters (a class repeated), leftmost first;
    ``regex`` tries it at every character of the line (a few hundred instructions each, about
    40,000 for a line of the bench pages). Here the start of each run is the first of the next
    occurrences of the characters held, each found by ``str.find`` (a ``memchr``), and the run
    is read on while its characters are of the class: the same runs, the same edits (each run
    removed, at its offset in ``line``), in the same order (tests/test_fastpaths.py).

        before: sub_recorded(_INVISIBLE, "", "a\u200b\u00adb\u200bc", ...)
        after:  _drop_invisible("a\u200b\u00adb\u200bc", ["\u200b", "\u00ad"], ...) -> "abc",
                edits "\u200b\u00ad" at 1, "\u200b" at 4
    """
    n = len(line)
    out: list[str] = []
    last = 0  # the end of the last run
    at = first_of(line, 0, held)
    while at < n:
        end = at + 1
        while end < n and line[end] in _INVISIBLE_SET:
            end += 1
        out.append(line[last:at])
        edits.append(Edit(NAME, "invisible", line[at:end], "", Where(where.field, where.index, at)))
        last = end
        at = first_of(line, end, held)
    out.append(line[last:])
    return "".join(out)


_MAX_PASSES: Final = 4


def _respace(text: str, where: Where, gate: bool = True) -> tuple[str, list[Edit]]:
    """ftfy reads mojibake in context: it leaves ``Le\\xa0Ã©`` and `` Â Le`` alone but repairs
    ``Le Ã©`` and ``Â Le``, which is what ``whitespace`` makes of them, so a second run would
    repair what the first did not. ftfy therefore also sees each line as ``whitespace`` will leave
    it, and that reading wins when it repairs more. (No-break spaces that were part of mojibake,
    ``Ã\\xa0`` for ``à``, are gone after the first fix.)

        before: "Le\\xa0Ã© vu"
        after:  "Le é vu"
    """
    lines = text.split("\n")
    edits, _ = _respace_lines(lines, lines_needing_work(text), where, gate)  # the lines ``whitespace`` will change
    return "\n".join(lines), edits


def _respace_lines(
    lines: list[str],
    todo: Iterable[int],
    where: Where,
    gate: bool,
    settled: set[str] | None = None,
    suspects: Container[int] | None = None,
    marks: dict[int, list[int]] | None = None,
) -> tuple[list[Edit], list[int]]:
    """``_respace`` on ``lines[i]`` for each ``i`` of ``todo`` (in place); the edits, and the
    indexes of the lines changed. Line by line, as ``_fix_lines``: a line ``whitespace`` leaves
    as it is is left here too, so visiting more lines than ``lines_needing_work`` finds changes
    nothing. ``suspects`` (gated only): the lines that may hold one of ftfy's targets or
    badness witnesses or not be NFC, when the caller knows the others hold none and are NFC.
    ``marks`` (gated only): the page scan's marks of lines as they are (see :func:`_scan_marked`),
    when the caller has them."""
    edits: list[Edit] = []
    touched: list[int] = []
    for i in todo:
        line = lines[i]
        if gate and suspects is not None and i not in suspects:
            continue  # as below, without looking: the caller's scan found nothing in the line
        at = marks.get(i) if gate and marks is not None else None
        moved: list[int] | None = None  # the marks moved to ``spaced``, when the line has them
        if at is not None:
            # What the scans below would find, read from the marks: no scan of the line, and
            # none of ``spaced`` (the line's marks moved to it).
            #     before: _FTFY_OR_BADNESS.search(line) ...; respace(line); _scan_line(spaced)
            #     after:  _marks_may_need_ftfy(line, at); _respaced(line, at); _scan_marked(spaced, moved)
            if not _marks_may_need_ftfy(line, at):
                continue  # ``needs_ftfy(respace(line))`` is False: see _FTFY_OR_BADNESS
            spaced, moved = _respaced(line, at)
        else:
            if gate and _FTFY_OR_BADNESS.search(line) is None:
                if line.isascii() or unicodedata.is_normalized("NFC", line):
                    continue  # ``needs_ftfy(respace(line))`` is False: see _FTFY_OR_BADNESS
            spaced = respace(line)  # the line as ``whitespace`` will leave it
        if spaced == line or (spaced.isascii() and spaced.isprintable()):
            continue
        if gate:
            # ``needs_ftfy(spaced)``: for a line that is not ASCII, ``_scan_line``'s one scan of
            # ``_LINE_WORK``'s characters instead of its two (ftfy's targets, then the witnesses)
            #     before: needs_ftfy(spaced)
            #     after:  _scan_line(spaced)[0]   (the same answer: tests/test_fastpaths.py)
            if _BADNESS_REACH is not None and not spaced.isascii():
                needs = (_scan_line(spaced) if moved is None else _scan_marked(spaced, moved))[0]
            else:
                needs = needs_ftfy(spaced)
            if not needs:
                continue  # ftfy would leave ``spaced`` as it is: nothing to gain
        again = _ftfy(spaced, settled)
        edit = diff_edit(NAME, "ftfy", line, again, Where(where.field, i if where.field == "text" else where.index))
        if again != spaced and edit is not None:
            edits.append(edit)
            lines[i] = again
            touched.append(i)
    return edits, touched


def _marks_may_need_ftfy(line: str, marks: list[int]) -> bool:
    """Whether ``line`` holds one of ftfy's targets or a badness witness or is not NFC, given its
    marks (see :func:`_scan_marked`): ``_FTFY_OR_BADNESS.search(line) is not None or not
    unicodedata.is_normalized("NFC", line)``, without scanning the line (its characters of
    those classes and its NFC suspects are among the marks; a line without a suspect is NFC).

        _marks_may_need_ftfy("« L\u00a0»", [0, 3, 4]) -> True (« is a witness)
    """
    suspect = False
    for at in marks:
        ch = line[at]
        if ch in _TARGET_SET or ch in _BADNESS_WITNESS_SET:
            return True
        if ch in _NFC_SUSPECT_SET or ch > "\uffff":
            suspect = True
    return suspect and not unicodedata.is_normalized("NFC", line)


def _respaced(line: str, marks: list[int]) -> tuple[str, list[int]]:
    """``respace(line)``, and ``line``'s marks moved to it: the offsets in it of the characters
    of ``_LINE_WORK_OR_NFC``, given ``marks``, those of ``line`` (see :func:`_scan_marked`).

    ``respace`` replaces runs of white space (``whitespace._fixes``: each ``(start, end, new)``,
    ``new`` a space or nothing) and keeps every other character, in order: a mark outside the
    runs moves by what the runs before it gained or lost, a mark inside one goes (the space that
    may replace it is of no class), and ``respace`` adds no other character.

        _respaced("\u00a0Le\u2003 « x »", [0, 3, 5, 9]) -> ("Le « x »", [3, 7])
    """
    fixes = _whitespace_fixes(line)
    if not fixes:
        return line, marks  # (``respace`` gives ``line`` itself)
    out: list[str] = []
    moved: list[int] = []
    last = shift = k = 0
    count = len(marks)
    for start, end, new in fixes:
        while k < count and marks[k] < start:
            moved.append(marks[k] + shift)
            k += 1
        while k < count and marks[k] < end:
            k += 1  # replaced by ``new``
        out.append(line[last:start])
        out.append(new)
        last = end
        shift += len(new) - (end - start)
    while k < count:
        moved.append(marks[k] + shift)
        k += 1
    out.append(line[last:])
    return "".join(out), moved


def _settle(text: str, where: Where, gate: bool) -> tuple[str, list[Edit]]:
    """``_fix`` and ``_respace`` until nothing changes, so that a second run changes nothing:
    removing a ``\\u200b`` can join the two halves of a mojibake pair (``dÃ\\u200b©``) that ftfy
    repairs on the next pass.

    Both work line by line, so a pass after the first visits only the lines the previous pass
    changed or recorded an edit on: any other line is the line that pass already left as it
    was, and would be left so again. Same text and edits, in the same order (each pass's
    ``_fix`` edits, then its ``_respace`` edits, by line), as whole passes; a page that needs a
    second pass no longer pays for a second scan of every line (on the bench corpus about half
    the pages take two passes, and the later passes took a quarter of the stage's time).
    Should ftfy turn a line break inside a line (``\\r``, U+2028) into a newline, the lines
    renumber, and the rest runs as whole passes over the text (:func:`_settle_text`).
    """
    edits: list[Edit] = []
    fix_todo: Iterable[int]
    odd: list[int] | None = None  # the lines of ``text`` holding an odd space, when scanned
    spaced: list[int] | None = None  # and those with two spaces in a row or an edge space, when found
    marks: dict[int, list[int]] | None = None  # the page scan's marks of the lines (see _scan_marked)
    newlines: list[int] | None = None  # the offsets of ``text``'s newlines, when the page scan gave them
    if gate:
        # The lines ``_fix_todo`` finds on an NFC page, and the lines that may not be NFC (all of
        # them, with ``_fix_todo``, on a page that is not), and the odd spaces' lines: visiting
        # more lines changes nothing (see _fix_lines), and every line left out is NFC and
        # without work, as ``_respace_lines``'s ``suspects`` below want.
        if _C_PAGE_SCAN is not None:
            fix_todo, odd, spaced, marks, newlines = _C_PAGE_SCAN(text, _UNIT_KINDS)
        elif len(text) >= _VECTOR_SCAN_MIN:
            fix_todo, odd, spaced, marks, newlines = _page_scan(text)
        else:
            fix_todo, odd = _work_and_odd_lines(text)
    cut: dict[int, str] = {}  # the lines cut from ``text`` (see _joined), as cut
    if newlines is not None:
        # Only the lines the passes read are cut from the page, not all of them (the fix pass's
        # lines hold about a fifth of a page's characters; splitting a page copied every line):
        # the first pass reads the lines of ``fix_todo`` (its ``_respace_lines`` only those too:
        # its ``suspects``), and every later pass only lines an earlier one changed or gave an
        # edit, so lines it read; the others stay ``_UNCUT`` and are never read.
        #     before: lines = text.split("\n")
        #     after:  lines = [_UNCUT, ..., text[start_3:end_3], _UNCUT, ...] (the lines of fix_todo)
        lines = [_UNCUT] * (len(newlines) + 1)
        last = len(newlines)
        for i in fix_todo:
            lines[i] = cut[i] = text[newlines[i - 1] + 1 if i else 0 : newlines[i] if i < last else len(text)]
    else:
        lines = text.split("\n")
        if not gate:
            fix_todo = range(len(lines))  # as ``_fix_todo``
    respace_todo: Iterable[int] | None = None  # the first pass: the scan of the fixed text
    settled: set[str] = set()  # lines ftfy gave: it leaves them as they are (see _ftfy)
    # The text ``page_work`` was asked about, while no line has changed since (then it is the
    # text to return: see the end).
    fixed: str | None = None
    since: set[int] = set()  # the lines changed (or given an edit) since ``page_work`` was asked
    for n in range(_MAX_PASSES):
        before = list(lines)
        more, fix_touched = _fix_lines(lines, fix_todo, where, gate, settled, marks)
        if marks is not None:
            for i in fix_touched:
                marks.pop(i, None)  # (of the text's lines as they came: not of a line this pass changed)
        edits.extend(more)
        if respace_todo is not None:
            since.update(fix_touched)
        if any("\n" in lines[i] for i in fix_touched):
            # This pass's ``_respace`` over the renumbered lines, then whole passes.
            text, more = _respace(_joined(text, lines, newlines, cut), where, gate)
            edits.extend(more)
            return _settle_text(text, where, gate, edits, _MAX_PASSES - n - 1)
        elif fix_touched:
            fixed = None  # a later pass changed a line (or recorded an edit on it)
        if respace_todo is None:
            # (no line changed or got an edit: the text itself, the same object, not a copy)
            fixed = _joined(text, lines, newlines, cut) if fix_touched else text
            if odd is not None:
                # The lines of ``fixed`` holding an odd space: those of ``text``, but the lines
                # this pass changed, searched again (no line holds a newline: the lines are those
                # of ``text``, numbered alike).
                again = set(fix_touched)
                odd = sorted({i for i in odd if i not in again} | {i for i in again if holds_odd_space(lines[i])})
                if spaced is not None:  # the same for the lines with two spaces or an edge space
                    spaced = sorted({i for i in spaced if i not in again} | {i for i in again if _spaced(lines[i])})
            # A page's answer is remembered for ``whitespace``, which gets the same text next.
            respace_todo = (
                page_work(fixed, odd, spaced) if where.field == "text" else lines_needing_work(fixed, odd, spaced)
            )
        # A line the fix pass did not visit holds none of ``_LINE_WORK``'s characters and is NFC
        # (see the two ``fix_todo``), and that pass left it as it was: ``_respace_lines`` need not
        # look at it again (about two thirds of the lines ``whitespace`` fixes on the bench pages).
        suspects = set(fix_todo) if gate and not isinstance(fix_todo, range) else None
        more, respace_touched = _respace_lines(lines, respace_todo, where, gate, settled, suspects, marks)
        marks = None  # (the first pass only)
        edits.extend(more)
        since.update(respace_touched)
        if respace_touched:
            fixed = None
        if any("\n" in lines[i] for i in respace_touched):
            return _settle_text(_joined(text, lines, newlines, cut), where, gate, edits, _MAX_PASSES - n - 1)
        if lines == before:
            break  # whole passes stop on a text that came back unchanged, edits or not
        # The next pass visits the lines this one changed or recorded an edit on, as the
        # whole-text scans would find them (a line ``_fix_todo`` leaves out is NFC, without work).
        # (A line ftfy gave is visited without that scan: ``_fix_lines`` does not scan it either,
        # and visiting more lines changes nothing.)
        dirty = sorted({*fix_touched, *respace_touched})
        fix_todo = [
            i
            for i in dirty
            if not gate
            or lines[i] in settled
            or _LINE_WORK.search(lines[i]) is not None
            or not unicodedata.is_normalized("NFC", lines[i])
        ]
        # (``lines_needing_work`` of a line without a newline, in two cheaper tests)
        respace_todo = [i for i in dirty if holds_odd_space(lines[i]) or _spaced(lines[i])]
    # The page as ``fixed`` was joined, when no line changed since: that very string, not an
    # equal one joined again, so that ``whitespace``, which gets it next, finds its answer in
    # ``page_work``'s dict by identity, with its hash already made, instead of hashing and
    # comparing a new copy of the page (about 10 M instructions on srx's 320 pages).
    #     before: return "\n".join(lines)   (a new string, equal to ``fixed``)
    #     after:  return fixed              (the string ``page_work`` has)
    if fixed is None and odd is not None and spaced is not None and where.field == "text":
        # A line changed after the question (on the bench pages, one page in eight): the answer
        # for the page as it is now is that answer but for the lines changed since, which are
        # asked again one by one (a line's answer is its own: the odd spaces it holds, two
        # spaces in a row, a space at either end), and it is left in ``page_work``'s dict for
        # ``whitespace``, which gets this very string next, instead of its scans of the page.
        fixed = _joined(text, lines, newlines, cut)
        odd = sorted({i for i in odd if i not in since} | {i for i in since if holds_odd_space(lines[i])})
        spaced = sorted({i for i in spaced if i not in since} | {i for i in since if _spaced(lines[i])})
        page_work(fixed, odd, spaced)
    return (_joined(text, lines, newlines, cut) if fixed is None else fixed), edits


# A line of a page that ``_settle`` has not cut from it (it reads only the lines it cuts):
# told from every line by identity (a line cut from a page is a new string), never read.
_UNCUT: Final = "\x00(a line not cut from the page)"


def _joined(text: str, lines: list[str], newlines: list[int] | None, cut: dict[int, str]) -> str:
    """``"\\n".join(lines)`` when ``newlines`` is None; else the page ``text`` with its lines
    (``newlines``: the offsets of its newlines) that ``lines`` holds changed, each line of ``cut``
    (the lines cut from ``text``, in order, as cut) that is not the string it was cut as
    spliced between ``text``'s unchanged pieces (a line not cut is ``text``'s own: no pass
    wrote it). ``text`` itself when no line changed.

        _joined("a\\nb\\nc", [_UNCUT, "B", _UNCUT], [1, 3], {1: "b"}) -> "a\\nB\\nc"
    """
    if newlines is None:
        return "\n".join(lines)
    pieces: list[str] = []
    copied = 0  # the text before ``copied`` is in ``pieces``
    last = len(newlines)
    for i, was in cut.items():
        line = lines[i]
        if line is was:
            continue
        pieces.append(text[copied : newlines[i - 1] + 1 if i else 0])
        pieces.append(line)
        copied = newlines[i] if i < last else len(text)
    if not pieces:
        return text
    pieces.append(text[copied:])
    return "".join(pieces)


def _settle_text(text: str, where: Where, gate: bool, edits: list[Edit], passes: int) -> tuple[str, list[Edit]]:
    """The last ``passes`` passes of :func:`_settle` as whole passes over ``text``, when a pass
    changed ``text`` (else none)."""
    for _ in range(passes):
        fixed, more = _fix(text, where, gate)
        edits.extend(more)
        fixed, more = _respace(fixed, where, gate)
        edits.extend(more)
        if fixed == text:
            break
        text = fixed
    return text, edits


def run(doc: Document, cfg: Config) -> Document:
    gate = cfg.unicode.ftfy_gate
    new, _ = map_text_fields(doc, lambda text, where: _settle(text, where, gate))
    return new
