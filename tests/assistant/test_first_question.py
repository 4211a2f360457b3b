"""The first question after an ingest made by another process reads what that ingest kept:
no document is read again for its statements or its desk, and the keyword index is opened,
not rebuilt. (How long it takes is measured by the benchmarks, not asserted here.)"""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant import CaseAssistant, retrieval
from casefile.kernel.settings import Settings
from tests.assistant.test_court_answers import OPINION, ORDER
from tests.conftest import SEED

pytestmark = pytest.mark.integration


def _forbidden(what: str):
    def fail(*args, **kwargs):
        raise AssertionError(f"{what} at question time")

    return fail


def _ingested_by_the_cli(folder, texts: dict[str, str]) -> None:
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "casefile.cli", "ingest", str(folder)],
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_the_first_question_rebuilds_nothing_the_ingest_kept(tmp_path, monkeypatch):
    article = SEED.read_text(encoding="utf-8")
    texts = {"opinion.txt": OPINION, "order.txt": ORDER, "article.txt": article}
    _ingested_by_the_cli(tmp_path / "case", texts)

    monkeypatch.setattr("assistant.retrieval.stated", _forbidden("statements read"))
    monkeypatch.setattr("assistant.desk.submit_desk", _forbidden("a desk read"))
    monkeypatch.setattr(
        "vectorstore.keyword.KeywordIndex.apply", _forbidden("keyword index written")
    )
    made = []  # what title terms were worked out of: the questions only, no document's title
    title_terms = retrieval._title_terms
    monkeypatch.setattr(
        "assistant.retrieval._title_terms", lambda text: made.append(text) or title_terms(text)
    )
    assistant = CaseAssistant.open(Settings())
    questions = [
        "Who were the judges on the Okafor appeal?",
        "Was the motion to compel granted?",
        "What did Adrienne Uthe say?",
    ]
    judges = assistant.ask(questions[0])
    assert "Loken" in judges.answer
    ruling = assistant.ask(questions[1])
    assert ruling.citations
    quote = assistant.ask(questions[2])
    assert quote.citations
    assert made and set(made) <= set(questions)


def test_the_web_app_makes_the_case_ready_before_its_first_question(tmp_path, monkeypatch):
    from casefile.web_cases import Cases

    _ingested_by_the_cli(tmp_path / "case", {"article.txt": SEED.read_text(encoding="utf-8")})
    settings = Settings()
    cases = Cases(settings)
    cases.warm(settings.case)  # what `casefile serve` starts in the background
    cases.warm("no-such-case")  # a case not made yet: nothing to load, no error

    # The first question then loads no model and reads no case-wide desk.
    monkeypatch.setattr("vectorstore.embeddings.OnnxEmbeddings._load", _forbidden("embedder"))
    monkeypatch.setattr("assistant.reader.ExtractiveReader._load", _forbidden("reader loaded"))
    monkeypatch.setattr("vectorstore.store.CaseStore.extras", _forbidden("every desk read"))
    answer = cases.assistant(settings.case).ask("Who are Blake Lively's lawyers?")
    assert "Gottlieb" in answer.answer and answer.citations
