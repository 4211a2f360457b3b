"""The bundled span reader, for real: the int8 ONNX model shipped in assistant/reader_model."""

from __future__ import annotations

import json

import pytest

from assistant.reader import BUNDLED_READER, ExtractiveReader, ReaderConfig
from casefile.kernel.errors import ModelUnavailable

pytestmark = pytest.mark.integration

ORDER = (
    "Plaintiff Maria Lopez sued Northwind Freight LLC for unpaid overtime. On March 3, 2021, "
    "the Honorable Ruth Abrams granted the defendant's motion for summary judgment. "
    "Counsel for the plaintiff was Daniel Okafor of Reyes & Tan LLP."
)
OTHER = (
    "The warehouse in Toledo employs about 400 people and ships furniture across the Midwest. "
    "Its lease runs until 2030."
)


@pytest.fixture(scope="module")
def reader() -> ExtractiveReader:
    return ExtractiveReader()


def test_the_bundled_model_and_its_calibration_are_shipped():
    config = ReaderConfig.load(BUNDLED_READER)
    assert (BUNDLED_READER / "model.onnx").stat().st_size < 30_000_000
    assert 0.0 < config.threshold < 1.0
    stored = json.loads((BUNDLED_READER / "reader.json").read_text())
    assert stored["calibration"]["squad"]["scores"]["squad_v1_dev"]["questions"] == 10570
    assert stored["calibration"]["case_sets"]["threshold"] == config.threshold


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who granted the motion for summary judgment?", "Ruth Abrams"),
        ("When was the motion for summary judgment granted?", "March 3, 2021"),
        ("Who was counsel for the plaintiff?", "Daniel Okafor"),
        ("Who sued Northwind Freight?", "Maria Lopez"),
    ],
)
def test_the_answer_is_the_span_that_states_it(reader, question, expected):
    reading = reader.read(question, [OTHER, ORDER])
    assert expected in reading.best.text
    assert reading.best.passage == 1


@pytest.mark.parametrize(
    "question",
    ["Who granted the motion for summary judgment?", "Who sued Northwind Freight?"],
)
def test_a_plainly_stated_answer_clears_the_threshold(reader, question):
    assert reader.read(question, [OTHER, ORDER]).answered


def test_an_unsure_reading_is_withheld_rather_than_wrong(reader):
    # The reader's best guess for the firm is the defendant's name, far below the threshold.
    reading = reader.read("Which law firm represented the plaintiff?", [OTHER, ORDER])
    assert not reading.answered or "Reyes & Tan" in reading.best.text


def test_the_passage_that_answers_is_ranked_above_one_that_does_not(reader):
    reading = reader.read("Who granted the motion for summary judgment?", [OTHER, ORDER])
    assert reading.relevance[1] > reading.relevance[0]


def test_a_question_the_passages_do_not_answer_is_not_answered(reader):
    reading = reader.read("How much did the jury award Maria Lopez?", [OTHER, ORDER])
    assert not reading.answered


def test_a_long_passage_is_read_to_its_end(reader):
    filler = " ".join(
        f"Paragraph {i} describes the shipping schedule of the warehouse." for i in range(120)
    )
    reading = reader.read("Who granted the motion for summary judgment?", [filler + " " + ORDER])
    assert "Ruth Abrams" in reading.best.text


def test_reading_is_deterministic(reader):
    first = reader.read("Who sued Northwind Freight?", [ORDER, OTHER])
    again = reader.read("Who sued Northwind Freight?", [ORDER, OTHER])
    assert first == again


def test_a_missing_model_is_named_in_the_error(tmp_path):
    with pytest.raises(ModelUnavailable, match=str(tmp_path)):
        ExtractiveReader(tmp_path).read("Who?", ["Ann."])
