"""``whitespace``: single ordinary spaces between words, no blank-only lines.

No-break and other fixed-width spaces become ordinary spaces (scraped pages use them as
ordinary spaces: ``Bureau\\u00a0 du``), runs of spaces and tabs become one space, lines are
trimmed, and a line holding only spaces becomes empty (so it separates paragraphs, not fills
them). U+3000, the ideographic space, is CJK typography and stays.

    before: "le ministre et président du Bureau\\u00a0 du gouvernement,\\u00a0 Mai Tien Dung "
    after:  "le ministre et président du Bureau du gouvernement, Mai Tien Dung"
"""

from __future__ import annotations

import regex

from ..config import Config
from ..document import Document, Edit, Where
from ..edits import map_text_fields, sub_recorded

NAME = "whitespace"

_SPACE = r"[ \t\u00a0\u2000-\u200a\u202f\u205f]"
# One pass, so every edit's offset is in the line as the stage received it: edges are trimmed,
# runs between words become one ordinary space.
_FIX = regex.compile(rf"^{_SPACE}+|{_SPACE}+$|(?<=\S){_SPACE}+(?=\S)")
_NEEDS_WORK = regex.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f]|  |^ | $")


def _kind(m: regex.Match[str]) -> str:
    return "trim" if m.start() == 0 or m.end() == len(m.string) else "spaces"


def _fix(text: str, where: Where) -> tuple[str, list[Edit]]:
    edits: list[Edit] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _NEEDS_WORK.search(line):
            continue
        line_where = Where(where.field, i if where.field == "text" else where.index)
        lines[i], found = sub_recorded(_FIX, lambda m: "" if _kind(m) == "trim" else " ", line, NAME, _kind, line_where)
        edits.extend(found)
    return "\n".join(lines), edits


def run(doc: Document, cfg: Config) -> Document:
    new, _ = map_text_fields(doc, _fix)
    return new
