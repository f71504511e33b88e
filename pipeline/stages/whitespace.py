"""``whitespace``: single ordinary spaces between words, no blank-only lines.

No-break and other fixed-width spaces become ordinary spaces (scraped pages use them as
ordinary spaces: ``Bureau\\u00a0 du``), runs of spaces and tabs become one space, lines are
trimmed, and a line holding only spaces becomes empty (so it separates paragraphs, not fills
them). U+3000, the ideographic space, is CJK typography and stays inside a line; at its ends
(``\u3000\u3000越南...``) it is indentation and goes.

    before: "le ministre et président du Bureau\\u00a0 du gouvernement,\\u00a0 Mai Tien Dung "
    after:  "le ministre et président du Bureau du gouvernement, Mai Tien Dung"
"""

from __future__ import annotations

import re
from typing import Final

import regex

from ..config import Config
from ..document import Document, Edit, Where
from ..edits import first_of, lines_with, map_text_fields

NAME = "whitespace"

_SPACE = r"[ \t\u00a0\u2000-\u200a\u202f\u205f]"
# Any Unicode space at the ends of a line goes, U+3000 included: there it is indentation.
_EDGE = r"[^\S\n]"
# One pass, so every edit's offset is in the line as the stage received it: edges are trimmed,
# runs between words become one ordinary space. A lone ordinary space, already right, is not
# matched at all (``(?! \S)``): most lines hold nothing else.
_FIX = regex.compile(rf"^{_EDGE}+|{_EDGE}+$|(?<=\S)(?! \S){_SPACE}+(?=\S)")
_NEEDS_WORK = regex.compile(rf"[\t\u00a0\u2000-\u200a\u202f\u205f]|  |^{_EDGE}|{_EDGE}$", regex.MULTILINE)
# Every space ``regex`` knows (its ``\s``) but the ordinary space and the newline: a character
# class ``re`` scans a whole text for fast. (Python's ``str.isspace`` adds U+001C-U+001F.)
ODD_SPACE_CHARS = "\t\x0b\x0c\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"  # a class's inside
ODD_SPACE = re.compile(f"[{ODD_SPACE_CHARS}]")


def lines_needing_work(text: str, odd: list[int] | None = None, spaced: list[int] | None = None) -> list[int]:
    """Indexes of the lines of ``text`` that ``_FIX`` may change (a superset: maybe more, never
    fewer), found in one scan of the whole text.

    A line needs work when it holds a space other than `` `` (the fast scan), two spaces in a row,
    or a space at one of its ends; only a text with one of the last two takes the slower scan.
    ``odd``: ``lines_with(ODD_SPACE, text)`` when the caller has it (the fast scan's answer);
    ``spaced``: the lines holding two spaces in a row or a space at either end, in order, when
    the caller has them (``unicode``'s page scan finds them with the odd spaces), instead of
    the substring searches.

        >>> lines_needing_work("a b\\nc\\u00a0d\\ne f")
        [1]
    """
    found = lines_with(ODD_SPACE, text) if odd is None else odd
    if spaced is not None:
        # the lines the substring searches below would add (none: ``found`` itself, as there)
        return sorted({*found, *spaced}) if spaced else found
    if "  " in text or " \n" in text or "\n " in text or text.startswith(" ") or text.endswith(" "):
        # Then the lines ``_NEEDS_WORK`` finds (it is run by ``regex`` at every character, about
        # 25 times slower than this) add to those the lines holding two spaces in a row or an
        # ordinary space at either end (its other characters are odd spaces): a superset of its
        # lines, as promised, each found by substring searches.
        more = set(found)
        more.update(_lines_with_literal(text, "  ", 0))
        more.update(_lines_with_literal(text, "\n ", 1))
        more.update(_lines_with_literal(text, " \n", 0))
        if text.startswith(" "):
            more.add(0)
        if text.endswith(" "):
            more.add(text.count("\n"))
        return sorted(more)
    return found


def _lines_with_literal(text: str, needle: str, shift: int) -> list[int]:
    """The lines of ``text`` in which ``needle`` (holding at most one newline, its first
    character when ``shift`` is 1) occurs at ``shift`` characters before a position of the line:
    ``"\\n "`` with 1 finds the lines starting with a space. One pass over the text."""
    out: list[int] = []
    line = counted = 0
    at = text.find(needle)
    while at >= 0:
        pos = at + shift
        line += text.count("\n", counted, pos)
        counted = pos
        out.append(line)
        end = text.find("\n", pos)
        if end < 0:
            break
        at = text.find(needle, end + 1 - shift)  # the next line's (its newline, for shift 1)
    return out


# The page texts :func:`page_work` was last asked about, oldest first, with their answers.
_PAGE_WORK: Final[dict[str, tuple[int, ...]]] = {}
_PAGE_WORK_SIZE = 256  # pages: the runner's batches hold 32; each entry keeps its page alive (a few MB at most)


def page_work(text: str, odd: list[int] | None = None, spaced: list[int] | None = None) -> tuple[int, ...]:
    """``lines_needing_work(text)`` of a page, remembered for the last 256 page texts of this
    process: ``unicode`` asks it of the page it has fixed (the lines to see as ``whitespace``
    will leave them), and ``whitespace`` then gets that same text (on the bench corpus 88 % of
    the pages: the others changed after the question) and asks it again; remembered, the
    second answer costs a hash and a comparison of the page instead of four scans of it.

    The answer is a function of the text alone, so a remembered answer is the answer. The hits
    come from each page going from one stage to the next, not from pages repeating in a corpus:
    text that never repeats gets them too; a page the runner sends alone (``names``) misses and
    pays the hash. Per line, ``lines_needing_work`` itself (short texts would push pages out).
    ``odd``, ``spaced``: as for ``lines_needing_work``.
    """
    found = _PAGE_WORK.get(text)
    if found is None:
        found = tuple(lines_needing_work(text, odd, spaced))
        if len(_PAGE_WORK) >= _PAGE_WORK_SIZE:
            del _PAGE_WORK[next(iter(_PAGE_WORK))]  # the oldest
        _PAGE_WORK[text] = found
    return found


def _kind(m: regex.Match[str]) -> str:
    return "trim" if m.start() == 0 or m.end() == len(m.string) else "spaces"


def _replacement(m: regex.Match[str]) -> str:
    return "" if _kind(m) == "trim" else " "


# The white space of a line: ``regex``'s ``\s`` but the newline (``_EDGE``), as a set; and the
# characters ``_FIX`` turns into one ordinary space between words (``_SPACE``).
_WHITE: Final = frozenset(
    "\t\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_TO_ONE_SPACE: Final = frozenset(
    " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
)


# ``ODD_SPACE``'s characters (all in the BMP), read from the pattern: a line is searched for
# the few of them it holds, each by ``str.find`` (:func:`pipeline.edits.first_of`).
_ODD_SPACES: Final = tuple(m.group() for m in ODD_SPACE.finditer("".join(map(chr, range(0x10000)))))


def holds_odd_space(line: str) -> bool:
    """``ODD_SPACE.search(line) is not None``, by ``in`` of each odd space (a ``memchr`` of the
    line, or nothing for a character wider than the line's) instead of ``re``'s class test at
    every character: ``holds_odd_space("a\u00a0b")`` -> True, ``holds_odd_space("a b")`` -> False."""
    for ch in _ODD_SPACES:
        if ch in line:
            return True
    return False


def _fixes(line: str) -> list[tuple[int, int, str]]:
    r"""The matches of ``_FIX`` in ``line`` (no newline), in order, as ``(start, end, replacement)``
    with ``_replacement``'s replacement: the same as ``_FIX.finditer``, about three times faster.

    ``_FIX`` is tried at every character (a step of ``regex`` each), while what it matches is
    always a maximal run of white space (``_WHITE``): at the start of the line (``^\s+`` takes
    the whole run: a trim), at its end (``\s+$`` from the run's first character: a trim), or
    between two words when the run is not a lone ordinary space (``(?! \S)``) and holds only
    characters of ``_SPACE`` (else ``_SPACE+`` stops inside it and ``(?=\S)`` fails, at the
    run's first character and, the lookbehind failing, at the others): one space. So the runs
    are found by the two fast searches that find every run but the lone ordinary spaces (an odd
    space, ``ODD_SPACE``; two spaces in a row) and a look at the line's two ends, and each is
    widened to its ends and read as above. (tests/test_fastpaths.py: the same matches as
    ``_FIX`` on made-up lines and the corpus's.)
    """
    n = len(line)
    out: list[tuple[int, int, str]] = []
    if n == 0:
        return out
    white = _WHITE
    # the odd spaces the line holds: ``in`` is a ``memchr``, or nothing for a character wider
    # than the line's (a Latin-1 line holds no U+3000): most lines hold one kind, or none
    held = [ch for ch in _ODD_SPACES if ch in line]
    odd = first_of(line, 0, held)
    double = line.find("  ")
    if double < 0:
        double = n
    pos = 0  # the end of the last run
    if line[0] in white:
        odd = 0  # the run at the start, whatever it holds (a lone space is found by no search)
    while True:
        at = odd if odd < double else double
        if at >= n:
            break
        start = at
        while start > pos and line[start - 1] in white:
            start -= 1
        end = at + 1
        while end < n and line[end] in white:
            end += 1
        if start == 0 or end == n:
            out.append((start, end, ""))
        elif all(ch in _TO_ONE_SPACE for ch in line[start:end]):
            out.append((start, end, " "))  # never a lone " ": no search finds one inside a line
        pos = end
        if odd < end:
            odd = first_of(line, end, held)
        if double < end:
            double = line.find("  ", end)
            if double < 0:
                double = n
    if line[-1] in white and (not out or out[-1][1] != n):
        out.append((n - 1, n, ""))  # a lone space at the end (any other run there was found)
    return out


def respace(line: str) -> str:
    """``line`` as this stage leaves it, without recording edits (``unicode`` asks ftfy about it):
    ``_FIX.sub(_replacement, line)``.

        >>> respace("\u00a0Le\u2003 ministre ")
        'Le ministre'
    """
    fixes = _fixes(line)
    if not fixes:
        return line
    out: list[str] = []
    last = 0
    for start, end, new in fixes:
        out.append(line[last:start])
        out.append(new)
        last = end
    out.append(line[last:])
    return "".join(out)


def _fix(text: str, where: Where) -> tuple[str, list[Edit]]:
    """The lines ``lines_needing_work`` finds fixed, the text between them copied as it is.

    The text is not split into its lines and joined again (most of a page's lines need
    nothing, and splitting copies each): each line to fix is found by the newlines before it,
    from the last one, and the text is the pieces between the fixed lines and those lines.

        before: "\n".join(lines[i] fixed for every line)
        after:  text[:start_2] + fixed line 2 + text[end_2:start_7] + fixed line 7 + text[end_7:]
    """
    todo = page_work(text) if where.field == "text" else lines_needing_work(text)
    if not todo:
        return text, []  # what splitting and joining the lines would give back
    edits: list[Edit] = []
    pieces: list[str] = []
    line = start = copied = 0  # the line at ``start``; the text before ``copied`` is in ``pieces``
    for i in todo:  # in order, each once
        while line < i:
            # (``find``, not ``index``: line ``i`` exists, so the newline before it does; compiled,
            # ``find`` is a direct call where ``index`` is a generic method call, about 800
            # instructions more for each line passed)
            start = text.find("\n", start) + 1
            assert start > 0  # (as ``index`` would raise)
            line += 1
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        old = text[start:end]
        new = _fix_line(old, where.field, i if where.field == "text" else where.index, edits)
        if new is not old:
            pieces.append(text[copied:start])
            pieces.append(new)
            copied = end
    if not pieces:
        return text, edits  # (no line changed: what joining the lines would give back)
    pieces.append(text[copied:])
    return "".join(pieces), edits


def _fix_line(line: str, field: str, index: int | None, edits: list[Edit]) -> str:
    """``edits.sub_recorded(_FIX, _replacement, line, NAME, _kind, Where(field, index))``, its edits
    appended to ``edits``: the same loop over the same matches (:func:`_fixes`), with ``_kind``
    worked out once per match (this stage makes most of the pipeline's edits, one per run of
    spaces)."""
    out: list[str] = []
    last = 0
    for start, end, new in _fixes(line):
        old = line[start:end]
        if new == old:
            continue  # never: a match is never a lone space
        out.append(line[last:start])
        out.append(new)
        last = end
        edits.append(Edit(NAME, "spaces" if new else "trim", old, new, Where(field, index, start)))
    if not out:
        return line
    out.append(line[last:])
    return "".join(out)


def run(doc: Document, cfg: Config) -> Document:
    new, _ = map_text_fields(doc, _fix)
    return new
