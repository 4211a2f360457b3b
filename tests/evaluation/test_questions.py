"""Reading question files: JSONL and CSV, and bad rows reported and skipped."""

import json

from casefile.evaluation.questions import load_questions


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_jsonl_with_every_field(tmp_path):
    path = write_jsonl(
        tmp_path / "q.jsonl",
        [
            {
                "id": "judge",
                "question": "Which judge?",
                "answers": ["Lewis Liman", "Judge Liman"],
                "evidence": ["told Judge Lewis Liman", {"doc": "order.pdf", "page": 2}],
                "doc": "article.txt",
            },
            {"question": "What is the trial date?", "answerable": False},
            {
                "question": "Who sued?",
                "answers": "Baldoni",
                "evidence": {"doc": "a.txt", "start": 3, "end": 9},
            },
        ],
    )
    loaded = load_questions(path)
    assert loaded.problems == []
    first, second, third = loaded.questions
    assert first.id == "judge" and first.answers == ("Lewis Liman", "Judge Liman")
    assert first.evidence[1] == {"doc": "order.pdf", "page": 2} and first.doc == "article.txt"
    assert second.answerable is False and second.answers == () and second.id
    assert third.answers == ("Baldoni",) and third.evidence == (
        {"doc": "a.txt", "start": 3, "end": 9},
    )


def test_csv_with_json_and_plain_cells(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(
        "id,question,answers,evidence,answerable\n"
        'j,Which judge?,"[""Lewis Liman"", ""Liman""]",told Judge Lewis Liman,true\n'
        "t,What is the trial date?,,,no\n"
    )
    loaded = load_questions(path)
    assert loaded.problems == []
    judge, trial = loaded.questions
    assert judge.answers == ("Lewis Liman", "Liman")
    assert judge.evidence == ("told Judge Lewis Liman",)
    assert trial.answerable is False and trial.evidence == ()


def test_malformed_rows_are_named_by_line_and_the_rest_is_read(tmp_path):
    path = write_jsonl(
        tmp_path / "q.jsonl",
        [
            {"question": "Which judge?"},
            "{not json",
            {"id": "x", "answers": ["no question"]},
            {"question": "Bad span?", "evidence": [{"doc": "a.txt", "start": 9, "end": 3}]},
            {"question": "Bad flag?", "answerable": "perhaps"},
            {"question": "Which judge?", "id": "dup"},
            {"question": "Again?", "id": "dup"},
        ],
    )
    loaded = load_questions(path)
    assert [q.question for q in loaded.questions] == ["Which judge?", "Which judge?"]
    assert len(loaded.problems) == 5
    assert loaded.problems[0].startswith("q.jsonl:2: not valid JSON")
    assert "q.jsonl:3: 'question' is missing" in loaded.problems[1]
    assert "start < end" in loaded.problems[2]
    assert "'answerable' must be true or false" in loaded.problems[3]
    assert "q.jsonl:7: duplicate id 'dup'" in loaded.problems[4]


def test_csv_bad_json_cell_is_reported(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('question,answers\nWhich judge?,"[Lewis"\nWho sued?,Baldoni\n')
    loaded = load_questions(path)
    assert [q.question for q in loaded.questions] == ["Who sued?"]
    assert loaded.problems[0].startswith("q.csv:2: cell '[Lewis' is not valid JSON")


def test_the_demo_set_is_valid_and_big_enough():
    from tests.conftest import ROOT

    loaded = load_questions(ROOT / "examples" / "seed_questions.jsonl")
    assert loaded.problems == []
    answerable = [q for q in loaded.questions if q.answerable]
    assert len(answerable) >= 20 and all(q.answers and q.evidence for q in answerable)
    assert len(loaded.questions) - len(answerable) >= 5
