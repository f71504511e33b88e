"""``unicode``: mojibake repaired with ftfy, NFC, invisible control characters removed.

ftfy runs with the fixes that repair broken encodings only: curly quotes, French « », full-width
CJK punctuation and ligatures stay as the article has them, HTML entities are left alone.
Zero-width and bidi control characters carry nothing a reader sees and break word matching, so
they go; ZWJ/ZWNJ are kept where scripts need them (only removed between Latin or Han letters).

    before: "lâ€™e-gouvernement, « dÃ©veloppement »\\u200b"
    after:  "l’e-gouvernement, « développement »"
"""

from __future__ import annotations

import ftfy
import regex

from ..config import Config
from ..document import Document, Edit, Where
from ..edits import diff_edit, map_text_fields, sub_recorded

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

# Always invisible, never needed in running text: ZWSP, word joiner, BOM, soft hyphen, bidi marks,
# embeddings, overrides (U+202E) and isolates.
_INVISIBLE = regex.compile(r"[\u200b\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]+")
# ZWNJ/ZWJ are meaningful in Arabic, Indic scripts and emoji; between Latin or Han letters they
# are scraping debris.
_JOINERS = regex.compile(r"(?<=[\p{Latin}\p{Han}])[\u200c\u200d]+(?=[\p{Latin}\p{Han}])", regex.V1)


def _fix_line(line: str) -> str:
    if line.isascii() and line.isprintable():
        return line  # nothing ftfy could change: no mojibake, no control characters
    return ftfy.fix_text(line, FTFY_CONFIG)


def _fix(text: str, where: Where) -> tuple[str, list[Edit]]:
    edits: list[Edit] = []
    out_lines = []
    for i, line in enumerate(text.split("\n")):
        line_where = Where(where.field, i if where.field == "text" else where.index)
        fixed = _fix_line(line)
        if fixed != line:
            edit = diff_edit(NAME, "ftfy", line, fixed, line_where)
            if edit is not None:
                edits.append(edit)
        fixed, more = sub_recorded(_INVISIBLE, "", fixed, NAME, "invisible", line_where)
        edits.extend(more)
        fixed, more = sub_recorded(_JOINERS, "", fixed, NAME, "invisible", line_where)
        edits.extend(more)
        out_lines.append(fixed)
    return "\n".join(out_lines), edits


_MAX_PASSES = 4
_SPACES = regex.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f]+")  # what ``whitespace`` makes one space
_EDGES = regex.compile(r"^[^\S\n]+|[^\S\n]+$")  # what ``whitespace`` trims (U+3000 included)


def _respace(text: str, where: Where) -> tuple[str, list[Edit]]:
    """ftfy reads mojibake in context: it leaves ``Le\\xa0Ã©`` and `` Â Le`` alone but repairs
    ``Le Ã©`` and ``Â Le``, which is what ``whitespace`` makes of them, so a second run would
    repair what the first did not. ftfy therefore also sees each line as ``whitespace`` will leave
    it, and that reading wins when it repairs more. (No-break spaces that were part of mojibake,
    ``Ã\\xa0`` for ``à``, are gone after the first fix.)

        before: "Le\\xa0Ã© vu"
        after:  "Le é vu"
    """
    edits: list[Edit] = []
    out_lines = []
    for i, line in enumerate(text.split("\n")):
        spaced = _EDGES.sub("", _SPACES.sub(" ", line))
        if spaced != line and not (spaced.isascii() and spaced.isprintable()):
            again = ftfy.fix_text(spaced, FTFY_CONFIG)
            edit = diff_edit(NAME, "ftfy", line, again, Where(where.field, i if where.field == "text" else where.index))
            if again != spaced and edit is not None:
                edits.append(edit)
                line = again
        out_lines.append(line)
    return "\n".join(out_lines), edits


def _settle(text: str, where: Where) -> tuple[str, list[Edit]]:
    """``_fix`` and ``_respace`` until nothing changes, so that a second run changes nothing:
    removing a ``\\u200b`` can join the two halves of a mojibake pair (``dÃ\\u200b©``) that ftfy
    repairs on the next pass."""
    edits: list[Edit] = []
    for _ in range(_MAX_PASSES):
        fixed, more = _fix(text, where)
        edits.extend(more)
        fixed, more = _respace(fixed, where)
        edits.extend(more)
        if fixed == text:
            break
        text = fixed
    return text, edits


def run(doc: Document, cfg: Config) -> Document:
    new, _ = map_text_fields(doc, _settle)
    return new
