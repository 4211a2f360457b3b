"""The bundled all-MiniLM-L6-v2 model, loaded from site-packages with the hub offline."""

import numpy as np
import pytest

from casefile.kernel.errors import ModelUnavailable
from casefile.kernel.settings import IngestSettings
from ingest.pipeline import ingest_paths
from tests.conftest import SEED
from vectorstore.embeddings import SentenceTransformerEmbeddings
from vectorstore.store import CaseStore, make_client

pytestmark = pytest.mark.integration


def test_bundled_model_gives_normalised_384_dim_vectors(real_embeddings):
    vectors = np.array(real_embeddings.embed_documents(["The judge granted the order.", "Lunch."]))
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_similar_sentences_are_closer_than_unrelated_ones(real_embeddings):
    judge, court, cake = (
        np.array(real_embeddings.embed_query(t))
        for t in (
            "The judge ruled on the motion.",
            "The court decided the request.",
            "A chocolate cake recipe.",
        )
    )
    assert judge @ court > judge @ cake + 0.2


def test_a_model_that_is_not_on_disk_fails_with_a_clear_message():
    embedder = SentenceTransformerEmbeddings("no-such-org/no-such-model")
    with pytest.raises(
        ModelUnavailable, match="cannot load embedding model 'no-such-org/no-such-model'"
    ):
        embedder.embed_query("x")


def test_seed_case_dense_search_finds_the_passage(settings, real_embeddings):
    store = CaseStore(make_client(settings), "seed", real_embeddings)
    ingest_paths([SEED], store, IngestSettings())
    cases = {
        "Which judge is hearing the case?": "Judge Lewis Liman",
        "Who are Lively's lawyers?": "Mike Gottlieb and Esra Hudson",
        "How much did Baldoni sue for?": "$400 million",
    }
    for question, answer in cases.items():
        found = store.langchain_vectorstore().similarity_search(question, k=3)
        assert any(answer in d.page_content for d in found), question
