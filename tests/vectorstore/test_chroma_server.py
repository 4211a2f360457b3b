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


def test_an_unreachable_server_is_reported(monkeypatch):
    monkeypatch.setenv("CASEFILE_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CASEFILE_CHROMA_PORT", str(free_port()))
    with pytest.raises(StoreUnavailable, match=r"127\.0\.0\.1"):
        open_case(Settings(), "x")
