"""The in-memory BM25 index Casefile used before tantivy (rebuilt from every chunk in every
process), kept as the reference `bench.keyword_engines` measures the engines against."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from casefile.kernel.records import doc_id_of
from vectorstore.keyword import tokenize


@dataclass(frozen=True)
class KeywordHit:
    chunk_id: str
    score: float


class KeywordIndex:
    """BM25 over a fixed set of chunks, as an inverted index: a query touches only the postings
    of its own terms, so it costs about the same at 50,000 chunks as at 500.

    Rebuilt by its owner when the chunks change. Scores are Okapi BM25 (k1 1.5, b 0.75) with
    Lucene's never-negative idf, so a term in most chunks still counts a little.
    """

    K1 = 1.5
    B = 0.75

    def __init__(self, chunk_ids: list[str], texts: list[str]) -> None:
        if len(chunk_ids) != len(texts):
            raise ValueError(f"{len(chunk_ids)} chunk ids but {len(texts)} texts")
        self.chunk_ids = list(chunk_ids)
        docs = sorted({doc_id_of(c) for c in self.chunk_ids})
        self._doc_index = {d: i for i, d in enumerate(docs)}
        self._chunk_doc = np.array(
            [self._doc_index[doc_id_of(c)] for c in self.chunk_ids], dtype=np.int32
        )
        postings: dict[str, tuple[list[int], list[int]]] = {}
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            counts = Counter(tokenize(text))
            lengths[row] = sum(counts.values())
            for term, tf in counts.items():
                rows, tfs = postings.setdefault(term, ([], []))
                rows.append(row)
                tfs.append(tf)
        n = len(texts)
        norm = self.K1 * (
            1 - self.B + self.B * lengths / max(float(lengths.mean()) if n else 1.0, 1e-9)
        )
        # Each posting stores its finished weight: a query only adds them up.
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (rows, tfs) in postings.items():
            idx = np.array(rows, dtype=np.int32)
            tf = np.array(tfs, dtype=np.float32)
            idf = math.log(1 + (n - len(rows) + 0.5) / (len(rows) + 0.5))
            self._postings[term] = (
                idx,
                (idf * tf * (self.K1 + 1) / (tf + norm[idx])).astype(np.float32),
            )

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def search(self, query: str, k: int, doc_ids: set[str] | None = None) -> list[KeywordHit]:
        """The `k` best chunks for `query` (only of the documents `doc_ids` when given)."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        terms = [t for t in tokenize(query) if t in self._postings]
        if not terms:
            return []
        scores = np.zeros(len(self.chunk_ids), dtype=np.float32)
        for term in terms:  # repeated query terms count again, as in BM25
            rows, weights = self._postings[term]
            scores[rows] += weights
        if doc_ids is not None:
            allowed = [self._doc_index[d] for d in doc_ids if d in self._doc_index]
            scores[~np.isin(self._chunk_doc, allowed)] = 0.0
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        ranked = sorted(candidates.tolist(), key=lambda i: (-scores[i], i))
        return [KeywordHit(self.chunk_ids[i], float(scores[i])) for i in ranked]
