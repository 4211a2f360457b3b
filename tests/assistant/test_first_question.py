"""The first question after an ingest made by another process reads what that ingest kept:
no document is read again for its statements or its desk, and the keyword index is opened,
not rebuilt. (How long it takes is measured by the benchmarks, not asserted here.)"""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant import CaseAssistant
from casefile.kernel.settings import Settings
from tests.assistant.test_court_answers import OPINION, ORDER
from tests.conftest import SEED

pytestmark = pytest.mark.integration


def _forbidden(what: str):
    def fail(*args, **kwargs):
        raise AssertionError(f"{what} at question time")

    return fail


def test_the_first_question_rebuilds_nothing_the_ingest_kept(tmp_path, monkeypatch):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "opinion.txt").write_text(OPINION, encoding="utf-8")
    (folder / "order.txt").write_text(ORDER, encoding="utf-8")
    (folder / "article.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "casefile.cli", "ingest", str(folder)],
        check=True,
        capture_output=True,
        timeout=300,
    )

    monkeypatch.setattr("assistant.retrieval.stated", _forbidden("statements read"))
    monkeypatch.setattr("assistant.desk.submit_desk", _forbidden("a desk read"))
    monkeypatch.setattr(
        "vectorstore.keyword.KeywordIndex.apply", _forbidden("keyword index written")
    )
    assistant = CaseAssistant.open(Settings())
    judges = assistant.ask("Who were the judges on the Okafor appeal?")
    assert "Loken" in judges.answer
    ruling = assistant.ask("Was the motion to compel granted?")
    assert ruling.citations
    quote = assistant.ask("What did Adrienne Uthe say?")
    assert quote.citations


def test_the_web_app_makes_the_case_ready_before_its_first_question(tmp_path, monkeypatch):
    from casefile.web_cases import Cases

    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "article.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "casefile.cli", "ingest", str(folder)],
        check=True,
        capture_output=True,
        timeout=300,
    )
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
