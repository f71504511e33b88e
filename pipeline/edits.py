"""Helpers that change text and record each change as an :class:`Edit`.

They give the explain plan its precision: one edit per match, with the exact before/after and
the offset in the text the stage received.

    >>> text, edits = sub_recorded(regex.compile(" {2,}"), " ", "a  b", "whitespace", "spaces",
    ...                            Where("paragraphs", 0))
    >>> text, edits[0].before, edits[0].where.offset
    ('a b', '  ', 1)
"""

from __future__ import annotations

import re
from collections.abc import Callable

import regex

from .document import Caption, Document, Edit, Where, evolve


def sub_recorded(
    pattern: regex.Pattern[str],
    repl: str | Callable[[regex.Match[str]], str],
    text: str,
    stage: str,
    kind: str | Callable[[regex.Match[str]], str],
    where: Where,
) -> tuple[str, list[Edit]]:
    """``pattern.sub`` that also returns an edit for every match whose replacement differs.

    ``kind`` may be a function of the match, for patterns with several alternatives.
    """
    edits: list[Edit] = []
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        new = repl(m) if callable(repl) else m.expand(repl)
        if new == m.group(0):
            continue
        out.append(text[last : m.start()])
        out.append(new)
        last = m.end()
        label = kind(m) if callable(kind) else kind
        edits.append(Edit(stage, label, m.group(0), new, Where(where.field, where.index, m.start())))
    if not edits:
        return text, edits
    out.append(text[last:])
    return "".join(out), edits


def lines_with(pattern: re.Pattern[str] | regex.Pattern[str], text: str) -> list[int]:
    """Indexes of the lines of ``text`` (split on ``\\n``) where ``pattern`` matches, in order.

    One search over the whole text, which skips to the next line at each hit, instead of one
    search per line: a stage that only acts on lines holding some character finds them at the
    cost of one scan. ``pattern`` must not match across a newline (``^``/``$`` need
    ``regex.MULTILINE`` to mean the ends of each line).

        >>> lines_with(regex.compile("[é]"), "a\\nété\\nb\\nbébé")
        [1, 3]
    """
    out: list[int] = []
    line = counted = pos = 0
    while (m := pattern.search(text, pos)) is not None:
        start = m.start()
        line += text.count("\n", counted, start)
        counted = start
        out.append(line)
        pos = text.find("\n", start) + 1
        if pos == 0:
            break
    return out


def diff_edit(stage: str, kind: str, before: str, after: str, where: Where) -> Edit | None:
    """One edit for a changed string: the differing middle once the common ends are trimmed.

    Linear time (no difflib), so it is safe on long lines:
    ``diff_edit("unicode", "mojibake", "dÃ©jÃ  vu", "déjà vu", w)`` gives before ``Ã©jÃ ``,
    after ``éjà``, offset 1.
    """
    if before == after:
        return None
    # The common ends by halving (each step one slice comparison, in C): same ends as a
    # character-by-character walk, without a Python step per character of a long line.
    lo, hi = 0, min(len(before), len(after))
    while lo < hi:  # before[:lo] == after[:lo]; the common prefix is at most hi long
        mid = (lo + hi + 1) // 2
        if before[lo:mid] == after[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    start = lo
    end_b, end_a = len(before), len(after)
    lo, hi = 0, min(end_b, end_a) - start
    while lo < hi:  # the last lo characters agree; the common suffix is at most hi long
        mid = (lo + hi + 1) // 2
        if before[end_b - mid : end_b - lo] == after[end_a - mid : end_a - lo]:
            lo = mid
        else:
            hi = mid - 1
    end_b, end_a = end_b - lo, end_a - lo
    return Edit(stage, kind, before[start:end_b], after[start:end_a], Where(where.field, where.index, start))


def map_text_fields(doc: Document, fn: Callable[[str, Where], tuple[str, list[Edit]]]) -> tuple[Document, list[Edit]]:
    """Apply ``fn`` to every text field of the document (see ``Document.text_fields``).

    Returns the new document (same object when nothing changed) and the edits made.
    """
    all_edits: list[Edit] = []
    changes: dict[str, object] = {}
    # Copied on the first change only: most fields of most pages come back unchanged.
    paragraphs: list[str] | None = None
    captions: list[Caption] | None = None
    for name, index, value in doc.text_fields():
        new, edits = fn(value, Where(name, index))
        if new == value:
            continue
        all_edits.extend(edits)
        if name == "paragraphs" and index is not None:
            if paragraphs is None:
                paragraphs = list(doc.paragraphs)
            paragraphs[index] = new
        elif name == "captions" and index is not None:
            if captions is None:
                captions = list(doc.captions)
            captions[index] = evolve(captions[index], text=new)
        else:
            changes[name] = new
    # A field that changed differs from the document's (``new != value``): nothing changed when
    # no field did and no edit came back.
    if not all_edits and not changes and paragraphs is None and captions is None:
        return doc, []
    return (
        evolve(
            doc,
            paragraphs=doc.paragraphs if paragraphs is None else tuple(paragraphs),
            captions=doc.captions if captions is None else tuple(captions),
            edits=doc.edits + tuple(all_edits),
            **changes,  # keys are Document field names, from text_fields()
        ),
        all_edits,
    )


def first_of(line: str, pos: int, held: list[str]) -> int:
    """The first index from ``pos`` of any of the characters ``held``, or ``len(line)`` when none
    is there: the first of their next occurrences, each found by ``str.find`` (a ``memchr`` of
    the line), where a ``re`` character class calls its test at every character (about 45
    instructions each). ``held``: the few characters of a class that the line holds, so that
    ``first_of(line, pos, held)`` is the class's ``search(line, pos).start()`` (``whitespace``'s
    odd spaces, ``unicode``'s invisible characters).

        first_of("a\u00a0b\u3000c", 2, ["\u00a0", "\u3000"]) -> 3
    """
    first = len(line)
    for ch in held:
        at = line.find(ch, pos, first)
        if at >= 0:
            first = at
    return first


def find_literal(text: str, needle: str, anchor: int, start: int = 0) -> int:
    """``text.find(needle, start)`` (``start`` >= 0), where ``anchor`` is
    ``sources.literal_anchor(needle)``: the places the needle's ``anchor``-th character occurs,
    found one at a time, are the only places it can start (``anchor`` characters before); each
    is checked by reading one more of its characters there, then comparing the slice.

    Why: ``str.find`` of a needle of several characters steps through the page at a few
    instructions a character (CPython checks the needle's last character at each position), and
    ``structure`` looks for several literals in every page (the signatures', the credit labels',
    the photo marker's); a search for one character is a ``memchr`` (in a page of two bytes a
    character, of its low byte), a fraction of an instruction a character, and a rare character
    (``(``, ``P``, ``ả``) occurs a few times a page. (Compiled here, with the slice compared
    rather than ``startswith(needle, at)``, a generic method call with its argument tuple.)

        before: page.find("Photo", 120)             (a check at each character from 120)
        after:  find_literal(page, "Photo", 0, 120) (page.find("P", 120), then the slice there)
    """
    if anchor < 0:
        return text.find(needle, start)
    ch = needle[anchor]
    size = len(needle)
    n = len(text)
    # A second character of the needle (the one after the anchor, or before it when the anchor is
    # last), read before the slice is made: most places of ``ch`` are not the needle's (the
    # ``V`` of ``VNA`` for ``Voir plus``), and a character read is cheaper than a slice.
    other = anchor + 1 if anchor + 1 < size else anchor - 1
    expected = needle[other] if other >= 0 else ""
    at = text.find(ch, start + anchor)
    while at >= 0:
        begin = at - anchor  # (>= start >= 0: ``at`` >= ``start + anchor``)
        if begin + size > n:
            return -1  # the needle no longer fits, here or further on
        if (other < 0 or text[begin + other] == expected) and text[begin : begin + size] == needle:
            return begin
        at = text.find(ch, at + 1)
    return -1
