"""Rank fusion, diversity and document naming as pure functions, on tiny hand-made inputs."""

import numpy as np

from assistant.retrieval import maximal_marginal_relevance, reciprocal_rank_fusion


def test_an_item_high_in_both_rankings_beats_one_high_in_one():
    fused = reciprocal_rank_fusion([(["a", "b", "c"], 1.0), (["b", "a", "d"], 1.0)])
    assert max(fused, key=fused.get) in {"a", "b"}
    assert fused["a"] == fused["b"] > fused["c"] > 0 and fused["d"] > 0


def test_weights_tilt_the_fusion():
    fused = reciprocal_rank_fusion([(["a"], 2.0), (["b"], 1.0)])
    assert fused["a"] == 2 * fused["b"]


def test_mmr_skips_a_near_duplicate_for_something_new():
    vectors = {
        "a": np.array([1.0, 0.0]),
        "a-copy": np.array([0.999, 0.045]),
        "other": np.array([0.0, 1.0]),
    }
    relevance = {"a": 1.0, "a-copy": 0.99, "other": 0.8}
    assert maximal_marginal_relevance(["a", "a-copy", "other"], relevance, vectors, 2, 0.7) == [
        "a",
        "other",
    ]
    # Relevance alone keeps the order it was given.
    assert maximal_marginal_relevance(["a", "a-copy", "other"], relevance, vectors, 2, 1.0) == [
        "a",
        "a-copy",
    ]


def test_mmr_of_nothing_is_nothing():
    assert maximal_marginal_relevance([], {}, {}, 3, 0.7) == []


def test_a_form_name_is_one_title_term_however_it_is_written():
    from assistant.retrieval import _title_terms

    assert {"8k", "costco"} <= _title_terms("COSTCO_2023_8K_dated-2023-01-19")
    assert "8k" in _title_terms("Who signed Costco's 8-K?")
    assert not {"8", "k"} & _title_terms("Form 8-K for Johnson & Johnson")
