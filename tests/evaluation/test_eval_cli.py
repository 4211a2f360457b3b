"""`casefile eval` as a user runs it: the demo set on the demo case, with the bundled embedder."""

import json
import shutil

import pytest

from tests.cli.test_cli import casefile
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.integration


def test_the_demo_set_end_to_end_with_the_extractive_model(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    casefile("ingest", str(seeds), "--case", "demo")
    questions = tmp_path / "questions.jsonl"
    lines = (ROOT / "examples" / "seed_questions.jsonl").read_text().splitlines()
    questions.write_text("\n".join([*lines, '{"answers": ["a row without a question"]}']) + "\n")
    out = tmp_path / "report"

    first = casefile("eval", str(questions), "--case", "demo", "--out", str(out))
    assert "questions.jsonl:31: 'question' is missing" in first.stderr
    assert "30 answered now" in first.stderr
    assert "hit@k" in first.stdout and "citation precision" in first.stdout

    summary = json.loads((out / "summary.json").read_text())["models"]["extractive"]
    assert summary["questions"] == 30
    assert summary["hit_at_k"] >= 0.9
    assert summary["citation_precision"] == 1.0
    assert summary["contains_answer"] >= 0.75
    assert summary["refusal_recall"] >= 0.5
    assert summary["answerable_refused"] <= 0.1
    rows = [json.loads(line) for line in (out / "answers.jsonl").read_text().splitlines()]
    assert len(rows) == 30
    lawyers = next(r for r in rows if r["id"] == "lawyers-lively")
    assert "Mike Gottlieb and Esra Hudson" in lawyers["answer"]["answer"]
    assert {"hit", "rr", "f1", "em", "refused"} <= set(lawyers["metrics"])
    assert (out / "report.md").read_text().startswith("# Evaluation of")
    assert (out / "report.html").exists() and (out / "metrics.png").exists()

    again = casefile("eval", str(questions), "--case", "demo", "--out", str(out))
    assert "0 answered now, 30 already" in again.stderr
    assert len((out / "answers.jsonl").read_text().splitlines()) == 30


def test_eval_needs_a_question_file_or_squad(tmp_path):
    result = casefile("eval", check=False)
    assert result.returncode == 2
    assert "give a question file or --squad FILE" in result.stderr
    missing = casefile("eval", str(tmp_path / "nope.jsonl"), check=False)
    message = " ".join(missing.stderr.replace("│", " ").split())  # unwrap the error box
    assert missing.returncode == 2 and "nope.jsonl: no such question file" in message
