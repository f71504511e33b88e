"""The glue engine's memos shared across paragraphs (`pipeline.glue.core._Shared`).

Speed work must not change a single output: what is memoised is document-free (piece scores,
a token's split positions), so a token scored under one document's context and then met in
another document must get that other document's answer, warm or cold.
"""

from __future__ import annotations

import pytest

from pipeline.glue import GlueConfig, GlueContext, core, repair
from pipeline.glue.core import DEFAULT_CONFIG, MEMO_PIECES, MEMO_TOKENS, _shared_for
from pipeline.glue.lexicon import forget_spellings

PARA = "Le ministre MaiTien a reçu la délégation."
WITH_PAIR = ["Mai Tien Dung reçoit les délégués.", PARA]  # `Mai Tien` seen spaced elsewhere


def test_context_does_not_leak_through_the_memo() -> None:
    forget_spellings()
    cold = repair(PARA, "fr", GlueContext.from_texts([PARA], "fr"))
    assert cold == (PARA, [])  # without the pair, `MaiTien` is a name left alone
    warmed = repair(PARA, "fr", GlueContext.from_texts(WITH_PAIR, "fr"))
    assert warmed[0] == "Le ministre Mai Tien a reçu la délégation."
    assert [(s.left, s.right) for s in warmed[1]] == [("Mai", "Tien")]
    # the token is now memoised; the document without the pair still gets its own answer
    assert repair(PARA, "fr", GlueContext.from_texts([PARA], "fr")) == cold


def test_warm_and_cold_memos_give_the_same_splits_and_scores() -> None:
    glued = "Leministre a déclaré quele 9 janvier 2020, au Vietnamont signé une note."
    forget_spellings()
    cold = repair(glued, "fr")
    warm = repair(glued, "fr")
    assert cold[0] != glued and cold == warm  # same text, same Split records (scores included)


def test_forget_spellings_empties_the_memos_and_they_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = _shared_for("fr", _default())
    forget_spellings()
    repair("Leministre a déclaré quele 9 janvier, « Diefmatten » MaiTien.", "fr")
    memos = _memos(shared)
    filled = ("pieces_part", "pieces_whole", "positions_full", "glued", "kinds")
    assert all(len(memos[name]) > 0 for name in filled), {name: len(memo) for name, memo in memos.items()}
    forget_spellings()
    assert all(len(memo) == 0 for memo in _memos(shared).values())
    # each is emptied when it holds its bound, and then holds the new entry (source engine: the
    # compiled one reads the bounds as constants)
    if core.__file__.endswith(".py"):
        monkeypatch.setattr(core, "MEMO_PIECES", 3)
        monkeypatch.setattr(core, "MEMO_TOKENS", 2)
        for text in ("Leministre a dit quele", "Vietnamont signé Diefmatten", "MaiTien Gorseréalise ofEmbassy"):
            forget_spellings()
            repair(text, "fr")
            sizes = {name: len(memo) for name, memo in _memos(shared).items() if name != "kinds"}
            assert all(size <= (3 if name in ("pieces_part", "pieces_whole", "camels") else 2)
                       for name, size in sizes.items()), sizes
    assert MEMO_PIECES >= MEMO_TOKENS > 1000


def _memos(shared: object) -> dict[str, dict[object, object]]:
    names = ("pieces_part", "pieces_whole", "positions_full", "positions_cheap", "cheap_rows_memo", "glued",
             "bounds", "camels", "kinds")
    return {name: getattr(shared, name) for name in names}


def test_memoised_methods_are_the_scorers_methods() -> None:
    """`_Shared.piece`, `positions`, `cheap_rows`, `maybe_glued`, `bound`, `camel_two` (plain
    dict memos) answer as the scorer's own methods, cold and warm, on the tokens and pieces of
    a few benchmark-like paragraphs."""
    shared = _shared_for("fr", DEFAULT_CONFIG)
    toks = ("Leministre a déclaré quele 9 janvier 2020, au Vietnamont signé une note Diefmatten "
            "« MaiTien » d'Averroès 1er 20h45 aujourd'hui. ofEmbassy Saint-Genest pourtant ").split()
    for _ in range(2):  # cold, then warm
        for tok in toks:
            assert shared.bound(tok) == shared.part._bound(tok), tok
            assert shared.maybe_glued(tok) == shared.part._maybe_glued(tok), tok
            assert shared.cheap_rows(tok) == shared.part._cheap_rows(tok), tok
            for cheap in (False, True):
                assert shared.positions(tok, cheap) == shared.part._positions(tok, cheap), tok
            for k in range(1, len(tok)):
                for piece in (tok[:k], tok[k:]):
                    assert shared.piece(piece, False) == shared.part._piece_score(piece), piece
                    assert shared.piece(piece, True) == shared.whole._piece_score(piece), piece
            assert shared.camel_two(tok) == shared.part._camel_two(tok), tok


def _default() -> GlueConfig:
    """The configuration object `repair` uses when none is given (a compiled `repair` does not
    show its default arguments; the source's does: it is `DEFAULT_CONFIG`)."""
    defaults = getattr(repair, "__defaults__", None)
    if defaults is not None:
        assert DEFAULT_CONFIG in defaults  # (`config`, then `words`)
    assert isinstance(DEFAULT_CONFIG, GlueConfig)
    return DEFAULT_CONFIG
