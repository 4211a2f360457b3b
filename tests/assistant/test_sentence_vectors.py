"""The sentence-vector cache: bounded by bytes, and correct when it has to evict."""

import threading

import numpy as np
import pytest

from assistant.sentence_vectors import SentenceEmbeddingCache


def test_a_call_larger_than_the_cache_still_gets_every_vector(fake_embeddings):
    cache = SentenceEmbeddingCache(fake_embeddings, max_bytes=2_000)  # room for a few vectors
    texts = [f"Sentence number {i} of a long opinion." for i in range(200)]
    vectors = cache.embed(texts)
    assert vectors.shape == (200, 32)
    expected = np.asarray(fake_embeddings.embed_documents(texts), dtype=np.float32)
    assert np.allclose(vectors, expected)
    assert cache.size_bytes <= 2_000


def test_the_cache_stays_within_its_byte_budget_and_keeps_recent_sentences(fake_embeddings):
    cache = SentenceEmbeddingCache(fake_embeddings, max_bytes=20_000)
    for i in range(500):
        cache.embed([f"Passage {i}: the court ruled on the motion."])
        assert cache.size_bytes <= 20_000
    recent = "Passage 499: the court ruled on the motion."
    assert recent in cache._vectors
    assert "Passage 0: the court ruled on the motion." not in cache._vectors


def test_threads_evicting_each_other_never_lose_a_vector(fake_embeddings):
    cache = SentenceEmbeddingCache(fake_embeddings, max_bytes=3_000)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for round_ in range(50):
                texts = [f"thread {n} round {round_} sentence {i}" for i in range(12)]
                assert cache.embed(texts).shape == (12, 32)
        except BaseException as exc:  # collected and reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_a_budget_must_be_positive(fake_embeddings):
    with pytest.raises(ValueError, match="max_bytes must be greater than 0"):
        SentenceEmbeddingCache(fake_embeddings, max_bytes=0)
