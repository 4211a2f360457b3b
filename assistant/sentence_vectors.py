"""Sentence vectors, computed once per process and shared by the answerer and the verifier."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from langchain_core.embeddings import Embeddings

DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class SentenceEmbeddingCache:
    """Embeds sentences once: the same passages come back question after question.

    Bounded by bytes (vectors and their texts), least recently used first out. A call
    gets its vectors from what it looked up or embedded itself, so an eviction made by
    this or another thread in the meantime never loses one of them.
    """

    def __init__(self, embeddings: Embeddings, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be greater than 0. Currently, it is {max_bytes}")
        self.embeddings = embeddings
        self.max_bytes = max_bytes
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._vectors)

    def embed(self, texts: list[str]) -> np.ndarray:
        """The vectors of `texts`, one row each, in order."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = self._vectors.get(text)
                if vector is not None:
                    self._vectors.move_to_end(text)
                    found[text] = vector
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            fresh = [
                np.asarray(v, dtype=np.float32) for v in self.embeddings.embed_documents(missing)
            ]
            found.update(zip(missing, fresh, strict=True))
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._remember(text, vector)
        return np.stack([found[t] for t in texts])

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(text), dtype=np.float32)

    def _remember(self, text: str, vector: np.ndarray) -> None:
        if text in self._vectors:
            return
        self._vectors[text] = vector
        self._bytes += _cost(text, vector)
        while self._bytes > self.max_bytes and self._vectors:
            old_text, old_vector = self._vectors.popitem(last=False)
            self._bytes -= _cost(old_text, old_vector)


def _cost(text: str, vector: np.ndarray) -> int:
    return vector.nbytes + len(text) * 2 + 100  # the vector, the key, dict overhead
