"""`bench.sweep_glue.overridden`: the configurations a weight sweep runs are the ones asked for."""

import pytest

from bench.sweep_glue import overridden
from pipeline.glue.core import DEFAULT_CONFIG


def test_a_number_replaces_a_number_and_the_rest_stays():
    cfg = overridden({"soft_penalty": 1.5})
    assert cfg.soft_penalty == 1.5
    assert cfg.name_piece == DEFAULT_CONFIG.name_piece
    assert DEFAULT_CONFIG.soft_penalty == 1.0  # the default is not touched (a new object)


def test_a_language_value_merges_into_its_field():
    cfg = overridden({"name_piece": {"fr": 2.5}})
    assert cfg.name_piece == {"fr": 2.5, "en": DEFAULT_CONFIG.name_piece["en"]}


def test_a_list_gives_a_tuple_field():
    assert overridden({"lowercase_slope_languages": []}).lowercase_slope_languages == ()


@pytest.mark.parametrize("changes", [{"nope": 1.0}, {"name_piece": 2.0}, {"soft_penalty": {"fr": 1.0}},
                                     {"soft_penalty": "high"}])
def test_an_unknown_field_or_a_kind_mismatch_is_refused(changes):
    with pytest.raises(ValueError):
        overridden(changes)
