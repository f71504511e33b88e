"""The treebank's marked missing spaces (`bench/treebank.py`): found where they are, and only there."""

from __future__ import annotations

import json
import random

import pytest

from bench import treebank
from bench.bench_glue import en_inline


@pytest.mark.parametrize(("split", "count"), [("dev", 13), ("test", 15)])
def test_every_marked_token_is_placed_between_its_two_forms(split: str, count: int) -> None:
    rows = [r for r in treebank._rows() if r["split"] == split]
    assert len(rows) == count
    lines = treebank.lines(split)
    placed = treebank.marked(split)
    assert sum(len(offs) for offs in placed.values()) == count  # no two rows on one offset
    glued = {(r["left"], r["right"]) for r in rows}
    for line, offs in placed.items():
        for o in offs:
            text = lines[line]
            assert text[o - 1] != " " and text[o] != " "  # a missing space: nothing there yet
            assert any(text[:o].endswith(left) and text[o:].startswith(right) for left, right in glued)


def test_a_known_typo_is_at_its_offset() -> None:
    # dev: "so goand get dancing" (reviews-389136-0004), the space goes before `and`
    lines = treebank.lines("dev")
    hits = [(i, o) for i, offs in treebank.marked("dev").items() for o in offs
            if lines[i][o - 2:o + 3] == "goand"]
    assert len(hits) == 1
    i, o = hits[0]
    assert lines[i][:o] + " " + lines[i][o:] == lines[i].replace("goand", "go and")


def test_offsets_follow_the_text_when_other_spaces_are_removed() -> None:
    assert treebank.to_glued("a b cd", "ab cd", frozenset({5})) == frozenset({4})
    assert treebank.to_glued("a b cd", "a b cd", frozenset({5})) == frozenset({5})
    lines = treebank.lines("test")
    for line, offs in treebank.marked("test").items():
        original = lines[line]
        g = en_inline(original, random.Random(line).randrange(10**6))
        for o, at in zip(sorted(offs), sorted(treebank.to_glued(original, g.text, offs)), strict=True):
            assert g.text[at] == original[o]
            assert g.text[:at].replace(" ", "") == original[:o].replace(" ", "")


def _refused(row: dict[str, str], tmp_path, monkeypatch) -> str:
    """The message `marked("dev")` raises with `row` as the only marked token."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"split": "dev", "id": "1", "misc": "CorrectSpaceAfter=Yes|SpaceAfter=No", **row})
                    + "\n", encoding="utf-8")
    monkeypatch.setattr(treebank, "GOLD", gold)
    treebank.marked.cache_clear()
    try:
        with pytest.raises(treebank.Unplaced) as refused:
            treebank.marked("dev")
    finally:
        treebank.marked.cache_clear()
    return str(refused.value)


def test_a_sentence_not_in_the_paragraphs_is_refused(tmp_path, monkeypatch) -> None:
    row = {"sent_id": "x-1", "left": "no", "right": "where", "text": "This sentence is nowhere in dev."}
    assert _refused(row, tmp_path, monkeypatch) == "x-1: sentence found 0 times in dev.txt"


def test_two_readings_of_the_glue_in_one_sentence_are_refused(tmp_path, monkeypatch) -> None:
    # a real dev sentence, but a "glue" `o|u` that it holds twice (`you`, `should`): which one
    # the annotators meant cannot be told from the two forms, so nothing is guessed
    row = {"sent_id": "x-2", "left": "o", "right": "u", "text": "you should get a cockerspaniel."}
    assert _refused(row, tmp_path, monkeypatch) == "x-2: 'ou' found 2 times in its sentence"
