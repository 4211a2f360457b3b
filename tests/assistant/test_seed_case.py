"""Answers on the demo case with the real bundled embedder, the real SmolLM2 through llama.cpp
(xllamacpp), and the same model behind llama.cpp's OpenAI-compatible server."""

import json
import shutil
import subprocess
import sys

import pytest

from assistant import Answer, CaseAssistant
from assistant.models import ChatModels
from casefile.kernel.settings import Settings
from tests.conftest import LLAMA_SERVER_KEY, SEED, free_port

pytestmark = pytest.mark.integration

ANSWERABLE = {
    "Which judge is hearing the case?": "Lewis Liman",
    "How much did Baldoni sue Lively and Reynolds for?": "$400 million",
    "Who are Blake Lively’s lawyers?": "Mike Gottlieb and Esra Hudson",
    "How did Baldoni’s lawyer describe the subpoenas?": "fishing expedition",
}
UNANSWERABLE = [
    "What is Blake Lively’s net worth?",
    "When is the trial date?",
    "How old is Justin Baldoni?",
]


@pytest.fixture(scope="module")
def assistant(seed_case) -> CaseAssistant:
    settings, store = seed_case
    return CaseAssistant(store, settings)


def assert_cited(answer: Answer, expected: str, store) -> None:
    assert answer.answerable, answer.notice
    assert any(expected in c.quote for c in answer.citations), (answer.answer, answer.citations)
    for citation in answer.citations:
        assert store.document_text(citation.doc_id)[citation.start : citation.end] == citation.quote
        assert citation.quote in SEED.read_text(encoding="utf-8")  # verbatim in the article itself


@pytest.mark.parametrize(("question", "expected"), ANSWERABLE.items())
def test_extractive_answers_with_a_verbatim_citation_holding_the_answer(
    assistant, seed_case, question, expected
):
    answer = assistant.ask(question, model="extractive")
    assert_cited(answer, expected, seed_case[1])
    assert expected in answer.answer


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_questions_the_article_does_not_answer_are_refused(assistant, question):
    answer = assistant.ask(question, model="extractive")
    assert not answer.answerable
    assert answer.citations == ()


@pytest.mark.parametrize(("question", "expected"), ANSWERABLE.items())
def test_local_model_answers_are_verified_and_cited(assistant, seed_case, question, expected):
    answer = assistant.ask(question, model="local")
    assert answer.model == "local"
    assert "could not answer" not in answer.notice  # the model ran
    assert_cited(answer, expected, seed_case[1])
    for sentence in answer.sentences:
        assert sentence.supported and sentence.citations


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_local_model_does_not_answer_what_the_article_does_not_say(assistant, question):
    answer = assistant.ask(question, model="local")
    assert not answer.answerable


def test_local_model_streams_tokens(assistant):
    # (Role questions such as "Who is the judge?" are answered from the desk, without a model.)
    events = list(
        assistant.stream("How much did Baldoni sue Lively and Reynolds for?", model="local")
    )
    assert len(events) > 3 and isinstance(events[-1], Answer)


def test_openai_backend_round_trip_through_a_llama_server(seed_case, llama_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", llama_server)
    monkeypatch.setenv("OPENAI_API_KEY", LLAMA_SERVER_KEY)
    settings, store = seed_case
    # Settings read the variables when built, so these see the server's URL and its key.
    assistant = CaseAssistant(store, Settings(home=settings.home), chat_models=ChatModels())
    answer = assistant.ask("Which judge is hearing the case?", model="openai:smollm2")
    assert answer.model == "openai:smollm2"
    assert "could not answer" not in answer.notice
    assert "generate" in answer.timings
    assert_cited(answer, "Lewis Liman", seed_case[1])


def test_openai_backend_down_gives_the_extractive_answer(assistant, seed_case, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    answer = assistant.ask("How much did Baldoni sue Lively and Reynolds for?", model="openai:any")
    assert answer.notice.startswith("The model openai:any could not answer")
    assert_cited(answer, "$400 million", seed_case[1])


def test_ollama_backend_down_gives_the_extractive_answer(assistant, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", f"http://127.0.0.1:{free_port()}")
    answer = assistant.ask("Which judge is hearing the case?", model="ollama:llama3")
    assert "could not answer" in answer.notice
    assert "Lewis Liman" in answer.answer


@pytest.mark.parametrize("model", ["extractive", "local"])
def test_cli_ask_json_done_when(tmp_path, model):
    """The issue's check: `casefile ask ... --json` on the ingested seed case."""
    env_home = tmp_path / "home"
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "casefile.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**__import__("os").environ, "CASEFILE_HOME": str(env_home)},
    )
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    assert run("ingest", str(seeds)).returncode == 0
    result = run(
        "ask", "How much did Baldoni sue Lively and Reynolds for?", "--json", "--model", model
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answerable"] is True and "$400 million" in data["answer"]
    article = SEED.read_text(encoding="utf-8")
    assert data["citations"] and all(c["quote"] in article for c in data["citations"])
    assert any("$400 million" in c["quote"] for c in data["citations"])
    refused = json.loads(
        run("ask", "What is Blake Lively’s net worth?", "--json", "--model", model).stdout
    )
    assert refused["answerable"] is False
