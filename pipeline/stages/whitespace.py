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

import regex

from ..config import Config
from ..document import Document, Edit, Where
from ..edits import map_text_fields, sub_recorded

NAME = "whitespace"

_SPACES = regex.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f]+")
_RUN = regex.compile(r"(?<=\S)[ \t\u00a0\u2000-\u200a\u202f\u205f]+(?=\S)")
# Any Unicode space at the ends of a line goes, U+3000 included: there it is indentation.
_EDGES = regex.compile(r"^[^\S\n]+|[^\S\n]+$")


def _fix(text: str, where: Where) -> tuple[str, list[Edit]]:
    edits: list[Edit] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not (_SPACES.search(line) or _EDGES.search(line)) or (
            line.isascii() and "  " not in line and "\t" not in line and line == line.strip()
        ):
            continue
        line_where = Where(where.field, i if where.field == "text" else where.index)
        fixed, trimmed = sub_recorded(_EDGES, "", line, NAME, "trim", line_where)
        fixed, spaced = sub_recorded(_RUN, " ", fixed, NAME, "spaces", line_where)
        edits.extend(trimmed)
        edits.extend(spaced)
        lines[i] = fixed
    return "\n".join(lines), edits


def run(doc: Document, cfg: Config) -> Document:
    new, _ = map_text_fields(doc, _fix)
    return new
