"""A BM25 keyword index over a case's chunks, for the keyword half of hybrid retrieval."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rank_bm25 import BM25Okapi

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,'’][a-z0-9]+)*")
STOPWORDS = frozenset(
    """a an and are as at be been but by did do does for from had has have he her his how i in
    is it its of on or she that the their them they this to was were what when where which who
    whom why will with would you your""".split()
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens without stop words; numbers keep their separators ("400,000")."""
    tokens = _TOKEN.findall(text.lower().replace("’", "'"))
    tokens = [t[:-2] if t.endswith("'s") else t for t in tokens]  # possessives: "lively's"
    return [t for t in tokens if t not in STOPWORDS]


@dataclass(frozen=True)
class KeywordHit:
    chunk_id: str
    score: float


class KeywordIndex:
    """BM25 over a fixed set of chunks; rebuilt by its owner when the chunks change."""

    def __init__(self, chunk_ids: list[str], texts: list[str]) -> None:
        if len(chunk_ids) != len(texts):
            raise ValueError(f"{len(chunk_ids)} chunk ids but {len(texts)} texts")
        self.chunk_ids = list(chunk_ids)
        tokenized = [tokenize(text) for text in texts]
        self._bm25 = BM25Okapi(tokenized) if any(tokenized) else None

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def search(self, query: str, k: int, doc_ids: set[str] | None = None) -> list[KeywordHit]:
        """The `k` best chunks for `query` (only of the documents `doc_ids` when given)."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        terms = tokenize(query)
        if self._bm25 is None or not terms:
            return []
        scores = self._bm25.get_scores(terms)
        order = scores.argsort()[::-1]
        hits: list[KeywordHit] = []
        for i in order:
            if scores[i] <= 0:
                break
            chunk_id = self.chunk_ids[i]
            if doc_ids is None or chunk_id.split(":", 1)[0] in doc_ids:
                hits.append(KeywordHit(chunk_id, float(scores[i])))
                if len(hits) == k:
                    break
        return hits
