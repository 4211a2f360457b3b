"""The metrics on hand-made cases, edge cases included."""

import pytest

from casefile.evaluation.metrics import (
    contains_answer,
    exact_match,
    normalize_answer,
    percentile,
    refusal_metrics,
    retrieval_metrics,
    token_f1,
)

GOLD = [("d1", 100, 200)]


def test_a_passage_covering_the_gold_span_hits_at_its_rank():
    retrieved = [("d1", 0, 50), ("d2", 100, 200), ("d1", 90, 260)]
    m = retrieval_metrics(retrieved, GOLD)
    assert m["hit"] == 1.0
    assert m["rr"] == pytest.approx(1 / 3)
    assert m["span_recall"] == 1.0
    # 100 gold characters among 50 + 100 + 170 retrieved
    assert m["span_precision"] == pytest.approx(100 / 320)


def test_covering_less_than_half_of_the_gold_span_is_a_miss():
    m = retrieval_metrics([("d1", 151, 400)], GOLD)
    assert m["hit"] == 0.0 and m["rr"] == 0.0
    assert m["span_recall"] == pytest.approx(0.49)


def test_exactly_half_counts_as_a_hit():
    assert retrieval_metrics([("d1", 150, 400)], GOLD)["hit"] == 1.0


def test_overlapping_passages_are_not_counted_twice():
    m = retrieval_metrics([("d1", 100, 180), ("d1", 120, 200)], GOLD)
    assert m["span_recall"] == 1.0
    assert m["span_precision"] == 1.0


def test_the_same_offsets_in_another_document_do_not_count():
    assert retrieval_metrics([("d2", 100, 200)], GOLD)["hit"] == 0.0


def test_no_gold_evidence_means_no_retrieval_score():
    assert set(retrieval_metrics([("d1", 0, 10)], []).values()) == {None}


def test_nothing_retrieved_scores_zero():
    m = retrieval_metrics([], GOLD)
    assert m == {"hit": 0.0, "rr": 0.0, "span_recall": 0.0, "span_precision": 0.0}


def test_squad_normalisation():
    assert normalize_answer("The  $400 Million!") == "400 million"
    assert normalize_answer("“Fishing expedition.”") == "fishing expedition"


def test_exact_match_and_f1_take_the_best_gold_answer():
    golds = ["Lewis Liman", "Judge Lewis Liman"]
    assert exact_match("judge Lewis Liman.", golds) == 1.0
    assert token_f1("Lewis Liman", golds) == 1.0
    assert token_f1("Liman", ["Lewis Liman"]) == pytest.approx(2 / 3)
    assert exact_match("Mike Gottlieb", ["Bryan Freedman"]) == 0.0


def test_an_empty_answer_or_refusal_scores_zero_against_gold():
    assert exact_match("", ["Lewis Liman"]) == 0.0
    assert token_f1("", ["Lewis Liman"]) == 0.0
    assert contains_answer("", ["Lewis Liman"]) == 0.0


def test_no_gold_answer_means_no_answer_score():
    assert exact_match("anything", []) is None
    assert token_f1("anything", []) is None
    assert contains_answer("anything", []) is None


def test_contains_answer_matches_whole_words_only():
    sentence = "Lively's lawyers, Mike Gottlieb and Esra Hudson, told Digital."
    assert contains_answer(sentence, ["Mike Gottlieb and Esra Hudson"]) == 1.0
    assert contains_answer("The judge ruled in January.", ["Jan"]) == 0.0


def test_refusal_precision_and_recall():
    # (refused, should refuse)
    pairs = [(True, True), (True, False), (False, True), (False, False), (True, True)]
    m = refusal_metrics(pairs)
    assert m["refusal_precision"] == pytest.approx(2 / 3)
    assert m["refusal_recall"] == pytest.approx(2 / 3)
    assert m["answerable_refused"] == pytest.approx(1 / 2)


def test_refusal_metrics_without_refusals_or_unanswerable_questions():
    m = refusal_metrics([(False, False), (False, False)])
    assert m["refusal_precision"] is None
    assert m["refusal_recall"] is None
    assert m["answerable_refused"] == 0.0


def test_percentiles():
    assert percentile([], 50) is None
    assert percentile([3.0], 95) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(map(float, range(101))), 95) == 95.0
