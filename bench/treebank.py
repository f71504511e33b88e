"""The spaces UD English-EWT's annotators mark as missing in its own text, as benchmark offsets.

The clean English of `bench.bench_glue` (`ud-english-ewt`) is web writing with missing spaces
of its own (`offersthat`, `Inc.One`, `goand`). The benchmark counts every split of that text as
a false split, repairs of such typos included. The treebank itself says which of them are
typos: a token followed by no space that should be, `SpaceAfter=No|CorrectSpaceAfter=Yes` in
its MISC column (UD guidelines, "CorrectSpaceAfter"). `bench/data/ud_ewt_missing_spaces.jsonl`
holds every such token of `en_ewt-ud-dev.conllu` and `en_ewt-ud-test.conllu` (see
`bench/data/README.md`: where from, how read, licence); this module finds each in the
paragraphs of `../shared/data/ud-english-ewt/{dev,test}.txt`:

    >>> marked("dev")[line]            # doctest: +SKIP
    frozenset({27})                    # `... so goand get` -> the offset of `and`

An offset is where the split puts its space: the index of the right token's first character
in the paragraph, as `bench.bench_glue` counts splits on the clean originals. A split there is
what the annotators would write; the benchmark's main figures still count it as false (the
issue's definition: every split of the originals), and `bench_glue` prints both.

Not every missing space of the text is marked (the annotators were not exhaustive:
`questionsand` and `Baltimore,MD` are single tokens or unmarked), so this is a lower bound of
the source's own typos, never a reclassification by us.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from bench.bench_glue import DATA

GOLD = Path(__file__).resolve().parent / "data" / "ud_ewt_missing_spaces.jsonl"


class Unplaced(ValueError):
    """A marked token that cannot be found exactly once in the paragraphs."""


def _space(text: str) -> str:
    # the data files collapse each run of whitespace of a sentence to one space (their README)
    return re.sub(r"\s+", " ", text).strip()


def _rows() -> list[dict[str, str]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@functools.cache
def lines(split: str) -> list[str]:
    """The paragraphs of `ud-english-ewt/{split}.txt`, one per line (read once)."""
    return (DATA / "ud-english-ewt" / f"{split}.txt").read_text(encoding="utf-8").splitlines()


@functools.cache
def marked(split: str) -> dict[int, frozenset[int]]:
    """Line index of `ud-english-ewt/{split}.txt` -> offsets of the marked missing spaces.

    Raises `Unplaced` when a sentence is in no paragraph or in several, or when the two tokens
    glued (`left + right`) occur more or less than once in the sentence: an offset that is not
    certain is not guessed.
    """
    out: dict[int, set[int]] = {}
    for row in _rows():
        if row["split"] != split:
            continue
        sent = _space(row["text"])
        where = [(i, m.start()) for i, line in enumerate(lines(split))
                 for m in re.finditer(re.escape(sent), line)
                 if (m.start() == 0 or line[m.start() - 1] == " ")
                 and (m.end() == len(line) or line[m.end()] == " ")]
        if len(where) != 1:
            raise Unplaced(f"{row['sent_id']}: sentence found {len(where)} times in {split}.txt")
        glued = row["left"] + row["right"]
        at = [m.start() for m in re.finditer(re.escape(glued), sent)]
        if len(at) != 1:
            raise Unplaced(f"{row['sent_id']}: {glued!r} found {len(at)} times in its sentence")
        line, start = where[0]
        out.setdefault(line, set()).add(start + at[0] + len(row["left"]))
    return {line: frozenset(offs) for line, offs in out.items()}


def by_paragraph(split: str) -> dict[str, frozenset[int]]:
    """`marked(split)` keyed by the paragraph's text (`Glued.original` in `bench.bench_glue`)."""
    paragraphs = lines(split)
    return {paragraphs[i]: offs for i, offs in marked(split).items()}


def to_glued(original: str, text: str, offsets: frozenset[int]) -> frozenset[int]:
    """`offsets` of `original` as offsets of `text`, which is `original` with spaces removed.

    >>> sorted(to_glued("a b cd", "ab cd", frozenset({5})))
    [4]
    """
    shift = 0
    j = 0
    out = set()
    for i, ch in enumerate(original):
        if i in offsets:
            out.add(i - shift)
        if j < len(text) and text[j] == ch:
            j += 1
        else:
            shift += 1  # a removed space
    return frozenset(out)
