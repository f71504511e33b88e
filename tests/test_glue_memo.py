"""The glue engine's memos shared across paragraphs (`pipeline.glue.core._Shared`).

Speed work must not change a single output: what is memoised is document-free (piece scores,
a token's split positions), so a token scored under one document's context and then met in
another document must get that other document's answer, warm or cold.
"""

from __future__ import annotations

from pipeline.glue import GlueConfig, GlueContext, repair
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


def test_forget_spellings_empties_the_memos_and_they_are_bounded() -> None:
    shared = _shared_for("fr", _default())
    repair("Leministre a déclaré quele 9 janvier.", "fr")
    assert shared.piece.cache_info().currsize > 0
    assert shared.piece.cache_info().maxsize == MEMO_PIECES
    assert shared.positions.cache_info().maxsize == MEMO_TOKENS
    forget_spellings()
    assert shared.piece.cache_info().currsize == 0
    assert shared.positions.cache_info().currsize == 0


def _default() -> GlueConfig:
    """The configuration object `repair` uses when none is given (a compiled `repair` does not
    show its default arguments; the source's does: it is `DEFAULT_CONFIG`)."""
    defaults = getattr(repair, "__defaults__", None)
    if defaults is not None:
        assert defaults[-1] is DEFAULT_CONFIG
    assert isinstance(DEFAULT_CONFIG, GlueConfig)
    return DEFAULT_CONFIG
