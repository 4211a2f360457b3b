"""What a refusal threshold would trade, scored from answers given at threshold 0."""

from bench.threshold import scores


def _row(answerable: bool, confidence: float, contains: bool) -> dict:
    wrong = not answerable or not contains
    metrics = {"refused": False, "confidence": confidence, "contains": contains, "wrong": wrong}
    return {"answerable": answerable, "metrics": metrics}


ROWS = [
    _row(True, 0.9, contains=True),
    _row(True, 0.6, contains=False),  # a wrong answer, fairly sure of itself
    _row(True, 0.2, contains=True),  # a right answer, unsure
    _row(False, 0.4, contains=False),  # an unanswerable question answered
]


def test_at_zero_everything_is_answered():
    assert scores(ROWS, 0.0) == {"wrong": 0.5, "holds": 2 / 3, "refused": 0.0}


def test_a_higher_threshold_trades_wrong_answers_for_refusals():
    assert scores(ROWS, 0.5) == {"wrong": 0.25, "holds": 1 / 3, "refused": 1 / 3}
    assert scores(ROWS, 0.95) == {"wrong": 0.0, "holds": 0.0, "refused": 1.0}


def test_the_chosen_threshold_drops_the_sure_wrong_answers_first():
    from bench.threshold import choose

    # A right answer at 0.9 and a wrong one at 0.6 on one set; on the other, a wrong answer
    # at 0.3 and a right one at 0.8: withholding everything under 0.61 serves both best.
    other = [_row(True, 0.8, contains=True), _row(False, 0.3, contains=False)]
    threshold, value = choose({"a": ROWS, "b": other})
    assert 0.6 < threshold <= 0.8
    assert value > 0


def test_the_threshold_is_stored_with_its_rule(tmp_path):
    import json

    from bench.threshold import write

    (tmp_path / "reader.json").write_text(json.dumps({"threshold": 0.9}), encoding="utf-8")
    write(tmp_path, 0.25, 0.4, ["demo", "court"])
    stored = json.loads((tmp_path / "reader.json").read_text(encoding="utf-8"))
    assert stored["threshold"] == 0.25
    assert stored["calibration"]["case_sets"]["sets"] == ["demo", "court"]
