"""The launched app through gradio_client, as an API user or a script would use it."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client, handle_file

from casefile.web import safe_upload_name
from tests.conftest import SEED

pytestmark = pytest.mark.integration

EXPECTED = {
    "Who are Blake Lively’s lawyers?": "Mike Gottlieb and Esra Hudson",
    "How much did Baldoni sue Lively and Reynolds for?": "$400 million",
    "Which judge is hearing the case?": "Lewis Liman",
    "How did Baldoni’s lawyer describe the subpoenas?": "fishing expedition",
    "When is the mediation deadline?": "June 2, 2025",
}


@pytest.fixture(scope="module")
def client(app_url) -> Client:
    return Client(app_url, verbose=False)


def ask(client: Client, question: str) -> dict:
    return client.predict(question, "default", "extractive", 5, [], api_name="/ask")


def test_the_named_endpoints_are_listed(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/ask", "/ingest", "/sources", "/remove"} <= set(endpoints)


def test_asking_returns_a_cited_answer(client):
    result = ask(client, "Who are Blake Lively’s lawyers?")
    assert result["answerable"] is True
    assert "Mike Gottlieb and Esra Hudson" in result["answer"]
    assert "Mike Gottlieb and Esra Hudson" in result["citations"][0]["quote"]


def test_an_uploaded_file_is_ingested_and_listed(client, tmp_path):
    note = tmp_path / "status-letter.txt"
    note.write_text(
        "Status letter. The parties will exchange documents by July 7, 2025.", encoding="utf-8"
    )
    outcomes = client.predict([handle_file(str(note))], "default", api_name="/ingest")
    assert outcomes["data"] == [["status-letter.txt", "added", "1 chunks"]]
    files = [d["file"] for d in client.predict("default", api_name="/sources")]
    assert "status-letter.txt" in files
    again = client.predict([handle_file(str(note))], "default", api_name="/ingest")
    assert again["data"][0][1] == "unchanged"
    assert "July 7, 2025" in ask(client, "By when will the parties exchange documents?")["answer"]


def test_twenty_concurrent_questions_are_all_answered_and_none_mixed_up(client):
    questions = [q for q in EXPECTED for _ in range(4)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        jobs = [(q, pool.submit(ask, client, q)) for q in questions]
        results = [(q, job.result(timeout=300)) for q, job in jobs]
    assert len(results) == 20
    for question, result in results:
        assert result["question"] == question
        assert EXPECTED[question] in result["answer"], (question, result["answer"])


def test_a_file_of_a_type_not_allowed_is_refused(client, tmp_path):
    from gradio_client.exceptions import AppError

    junk = tmp_path / "tool.exe"
    junk.write_bytes(b"MZ\x90\x00")
    with pytest.raises(AppError, match="Invalid file type"):
        client.predict([handle_file(str(junk))], "default", api_name="/ingest")
    assert "tool.exe" not in [d["file"] for d in client.predict("default", api_name="/sources")]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\boot.ini.txt", "boot.ini.txt"),
        ("report<script>.pdf", "report_script_.pdf"),
        (".hidden.txt", "hidden.txt"),
        ("", "upload"),
    ],
)
def test_upload_names_cannot_escape_the_uploads_folder(name, safe):
    assert safe_upload_name(name) == safe


def test_the_page_endpoint_refuses_what_is_not_a_document_of_the_case(client):
    from gradio_client.exceptions import AppError

    for asked in ("../../etc/passwd", "/etc/hostname", "0123456789abcdef"):
        with pytest.raises(AppError, match="no document named"):
            client.predict(asked, api_name="/page")
    with pytest.raises(AppError, match="not a PDF"):
        client.predict(SEED.name, api_name="/page")


def test_api_replies_name_documents_by_file_never_by_server_path(client, app_home):
    import json

    replies = [
        ask(client, "Who are Blake Lively’s lawyers?"),
        ask(client, "What is Blake Lively’s net worth?"),  # refused: the nearest passages
        client.predict("default", api_name="/sources"),
    ]
    for reply in replies:
        text = json.dumps(reply)
        assert str(app_home) not in text and "source-docs/" not in text
    assert replies[0]["citations"][0]["source"] == SEED.name


@pytest.mark.parametrize(
    ("endpoint", "args"),
    [
        ("/sources", ("nope",)),
        ("/ask", ("Who is the judge?", "nope")),
        ("/page", (SEED.name, None, None, None, None, "nope")),
        ("/remove", (SEED.name, "nope")),
    ],
)
def test_a_call_naming_an_unknown_case_answers_case_not_found_and_creates_nothing(
    client, app_home, endpoint, args
):
    from gradio_client.exceptions import AppError

    from casefile.kernel.settings import Settings

    with pytest.raises(AppError, match="no case named 'nope'"):
        client.predict(*args, api_name=endpoint)
    assert not Settings(home=app_home).case_dir("nope").exists()
    with pytest.raises(AppError, match="no case named 'nope'"):
        client.predict("nope", api_name="/sources")  # still not there


def test_the_page_endpoint_and_ask_give_the_quotes_place_on_the_page(pages_app_url):
    import base64

    pages = Client(pages_app_url, verbose=False)
    answer = pages.predict(
        "When was the hearing on the motion held?", "default", "extractive", 5, [], api_name="/ask"
    )
    cited = next(c for c in answer["citations"] if "March 3, 2021" in c["quote"])
    assert cited["boxes"] and cited["boxes_notice"] == ""
    shown = pages.predict(
        cited["doc_id"], None, cited["start"], cited["end"], 600, api_name="/page"
    )
    assert (shown["page"], shown["pages"], shown["notice"]) == (3, 3, "")
    assert shown["boxes"] == cited["boxes"]
    png = base64.b64decode(shown["image"].removeprefix("data:image/png;base64,"))
    assert png.startswith(b"\x89PNG")
