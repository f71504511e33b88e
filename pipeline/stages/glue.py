"""``glue``: put back the spaces lost where line wraps or inline HTML elements were joined.

The engine (``pipeline.glue``) works one paragraph at a time with evidence from the whole
document (words seen correctly spaced elsewhere on the page); this stage runs it over every text
field of the record and records each split with its score.

    before: "Leministre et président du bureau du gouvernement, Mai Tien Dung, a déclaré quele 9 janvier"
    after:  "Le ministre et président du bureau du gouvernement, Mai Tien Dung, a déclaré que le 9 janvier"
"""

from __future__ import annotations

from .. import glue as engine
from ..config import Config
from ..document import Document, Edit, Where
from ..edits import map_text_fields

NAME = "glue"


def run(doc: Document, cfg: Config) -> Document:
    lang = doc.lang or ""
    if lang not in cfg.glue.languages:
        return doc
    texts = [value for _, _, value in doc.text_fields()]
    # each text split once, for the document context's index of words and for the first pass of
    # its own `repair` (which would split it again): the same token strings, made and hashed once
    tokens = [text.split() for text in texts]
    context = engine.GlueContext.from_tokens(texts, tokens, lang)
    at = 0  # `map_text_fields` visits `doc.text_fields()` in this order: the i-th call is texts[i]

    def fix(text: str, where: Where) -> tuple[str, list[Edit]]:
        nonlocal at
        # (the very string split above, or else no tokens given: `repair` splits it itself)
        words = tokens[at] if at < len(texts) and texts[at] is text else None
        at += 1
        repaired, splits = engine.repair(text, lang, context, words=words)
        if not splits:
            return repaired, []
        # each field of a split read once, and the field's place once per text: `Split` and
        # `Where` are classes of other compiled groups (the engine's, the records'), so each
        # `s.left` is a generic attribute look-up (about 95 instructions), and the edit read
        # `left` three times, `right` twice, `where.field`, `where.index` once per split
        # (`Leministre` -> Edit("glue", "wrap", "Leministre", "Le ministre", Where(f, i, 0), 4.1))
        field, index = where.field, where.index
        edits: list[Edit] = []
        for s in splits:
            left, right = s.left, s.right
            edits.append(
                Edit(
                    NAME,
                    s.rule,
                    left + right,
                    f"{left} {right}",
                    # (a new Where, not dataclasses.replace: a third of its cost, one per split)
                    Where(field, index, s.offset - len(left)),
                    s.score,
                )
            )
        return repaired, edits

    new, _ = map_text_fields(doc, fix)
    return new
