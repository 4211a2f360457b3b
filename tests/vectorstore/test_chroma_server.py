"""The scale-out path: the same case operations against a real `chroma run` server."""

import pytest

from casefile.kernel.errors import StoreUnavailable
from casefile.kernel.settings import Settings
from ingest.pipeline import ingest_paths
from tests.conftest import SEED, free_port
from vectorstore.cases import open_case

pytestmark = pytest.mark.integration


@pytest.fixture
def server_settings(chroma_server, monkeypatch) -> Settings:
    monkeypatch.setenv("CASEFILE_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CASEFILE_CHROMA_PORT", str(chroma_server))
    return Settings()


def test_ingest_search_and_remove_through_the_server(server_settings, real_embeddings, tmp_path):
    from vectorstore.store import CaseStore, make_client

    store = CaseStore(make_client(server_settings), "server-case", real_embeddings)
    first = ingest_paths([SEED], store, server_settings.ingest)
    assert first.count("added") == 1
    again = ingest_paths([SEED], store, server_settings.ingest)
    assert again.count("unchanged") == 1
    assert store.chunk_count() == store.records()[0].chunk_count
    found = store.langchain_vectorstore().similarity_search("Which judge is on the case?", k=3)
    assert any("Judge Lewis Liman" in d.page_content for d in found)
    assert not (server_settings.home / "chroma").exists()  # nothing went to the embedded store

    store.delete_document(store.records()[0].doc_id)
    assert store.chunk_count() == 0


def test_a_second_client_sees_the_same_case(server_settings, fake_embeddings):
    first = open_case(server_settings, "shared", embeddings=fake_embeddings)
    ingest_paths([SEED], first, server_settings.ingest)
    second = open_case(server_settings, "shared", create=False, embeddings=fake_embeddings)
    assert [r.doc_id for r in second.records()] == [r.doc_id for r in first.records()]


def _within(seconds: float, found) -> bool:
    """Whether `found()` comes true within `seconds` (what another machine waits)."""
    import time

    deadline = time.monotonic() + seconds
    while not found():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_a_newsroom_shares_documents_keyword_hits_pages_and_removals(
    chroma_server, fake_embeddings, tmp_path
):
    """Two reporters' Casefiles, each with its own home, on one `chroma run` server."""
    from tests.documents import write_pdf

    server = {"chroma": {"host": "127.0.0.1", "port": chroma_server}}
    alice_settings = Settings(home=tmp_path / "alice", **server)
    alice = open_case(alice_settings, "desk", embeddings=fake_embeddings)
    bob = open_case(Settings(home=tmp_path / "bob", **server), "desk", embeddings=fake_embeddings)
    assert bob.keyword_search("exhibit", k=1) == []  # Bob's index exists before Alice adds

    memo = write_pdf(tmp_path / "memo.pdf", ["Exhibit 14 is the zanzibar shipping memo."])
    ingest_paths([memo, SEED], alice, alice_settings.ingest)
    [record] = [r for r in alice.records() if r.name == "memo.pdf"]

    # Bob finds the memo by a word only it holds, within seconds, and sees its page.
    assert _within(5, lambda: bob.keyword_search("zanzibar", k=3))
    assert bob.keyword_search("zanzibar", k=3)[0][0].startswith(record.doc_id)
    page = bob.original(record.doc_id)
    assert page is not None and page.read_bytes() == memo.read_bytes()
    assert page.is_relative_to(tmp_path / "bob")  # kept on Bob's machine from then on

    # Alice removes it: it is gone for Bob too, keyword hits included.
    alice.delete_document(record.doc_id)
    assert _within(5, lambda: not bob.keyword_search("zanzibar", k=3))
    assert record.doc_id not in {r.doc_id for r in bob.records()}


def test_an_unreachable_server_is_reported(monkeypatch):
    monkeypatch.setenv("CASEFILE_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CASEFILE_CHROMA_PORT", str(free_port()))
    with pytest.raises(StoreUnavailable, match=r"127\.0\.0\.1"):
        open_case(Settings(), "x")
