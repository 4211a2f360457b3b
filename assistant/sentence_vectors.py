"""Sentence vectors, computed once per process and shared by the answerer and the verifier."""

from __future__ import annotations

import threading

import numpy as np
from langchain_core.embeddings import Embeddings


class SentenceEmbeddingCache:
    """Embeds sentences once per process: the same passages come back query after query."""

    def __init__(self, embeddings: Embeddings, max_entries: int = 50_000) -> None:
        self.embeddings = embeddings
        self.max_entries = max_entries
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = self.embeddings.embed_documents(missing)
            with self._lock:
                if len(self._vectors) + len(missing) > self.max_entries:
                    self._vectors.clear()
                self._vectors.update(zip(missing, (np.asarray(v) for v in fresh), strict=True))
        with self._lock:
            return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, 1))

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(text))
