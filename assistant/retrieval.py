"""Hybrid retrieval: dense (Chroma) and keyword (BM25) results fused by reciprocal rank."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from casefile.kernel.index import CaseIndex
from casefile.kernel.records import Passage

RRF_K = 60


class HybridRetriever(BaseRetriever):
    """A LangChain retriever over one case; overlapping chunks come back merged.

    >>> retriever = HybridRetriever(store=open_case(settings), k=5)
    >>> passages = retriever.retrieve("Who is the judge?", docs=["order.pdf"])
    >>> documents = retriever.invoke("Who is the judge?")  # the same, as LangChain Documents
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: CaseIndex
    k: int = 5
    candidates: int = 24  # chunks taken from each of the dense and keyword lists

    def model_post_init(self, context: Any) -> None:
        if self.k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {self.k}")

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [Document(page_content=p.text, metadata=asdict(p)) for p in self.retrieve(query)]

    def retrieve(
        self,
        query: str,
        *,
        k: int | None = None,
        docs: list[str] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> list[Passage]:
        """The `k` best passages for `query`, optionally only from `docs` and a date range."""
        k = self.k if k is None else k
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        allowed = self.allowed_doc_ids(docs, date_from, date_to)
        if allowed is not None and not allowed:
            return []
        query_vector = np.asarray(self.store.embeddings.embed_query(query))
        dense = self.store.dense_search(query_vector.tolist(), self.candidates, allowed)
        keyword = self.store.keyword_search(query, self.candidates, allowed)

        fused: dict[str, float] = {}
        for rank, (doc, _) in enumerate(dense):
            fused[doc.id] = fused.get(doc.id, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, (chunk_id, _) in enumerate(keyword):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused, key=fused.__getitem__, reverse=True)[: 3 * k]

        similarity = {doc.id: score for doc, score in dense}
        missing = [chunk_id for chunk_id in best if chunk_id not in similarity]
        for doc, vector in self.store.chunks_by_id(missing):
            similarity[doc.id] = float(np.dot(query_vector, np.asarray(vector)))
        chunks = {doc.id: doc for doc, _ in dense}
        chunks.update(
            {
                doc.id: doc
                for doc, _ in self.store.chunks_by_id([i for i in best if i not in chunks])
            }
        )
        hits = [(chunks[i], fused[i], similarity.get(i, 0.0)) for i in best if i in chunks]
        passages = merge_overlapping(hits)
        return sorted(passages, key=lambda p: p.score, reverse=True)[:k]

    def allowed_doc_ids(
        self, docs: list[str] | None, date_from: date | None, date_to: date | None
    ) -> set[str] | None:
        """Documents a question may draw on, or None for all of the case."""
        if not docs and date_from is None and date_to is None:
            return None
        records = [self.store.find(name) for name in docs] if docs else self.store.records()
        allowed = set()
        for record in records:
            if date_from or date_to:
                day = _parse_day(record.date)
                if day is None or (date_from and day < date_from) or (date_to and day > date_to):
                    continue
            allowed.add(record.doc_id)
        return allowed


def merge_overlapping(hits: list[tuple[Document, float, float]]) -> list[Passage]:
    """Join chunks of one document whose spans overlap into one passage (best scores kept)."""
    ordered = sorted(hits, key=lambda h: (h[0].metadata["doc_id"], h[0].metadata["start"]))
    passages: list[Passage] = []
    for doc, score, similarity in ordered:
        meta = doc.metadata
        last = passages[-1] if passages else None
        if last is not None and last.doc_id == meta["doc_id"] and meta["start"] < last.end:
            grows = meta["end"] > last.end
            tail = doc.page_content[last.end - meta["start"] :] if grows else ""
            end_page = (meta.get("end_page") or meta.get("page")) if grows else last.end_page
            passages[-1] = Passage(
                doc_id=last.doc_id,
                source=last.source,
                title=last.title,
                page=last.page,
                start=last.start,
                end=max(last.end, meta["end"]),
                text=last.text + tail,
                score=max(last.score, score),
                date=last.date,
                similarity=max(last.similarity, similarity),
                end_page=end_page if end_page != last.page else last.end_page,
                ocr=last.ocr or bool(meta.get("ocr")),
            )
            continue
        passages.append(
            Passage(
                doc_id=meta["doc_id"],
                source=meta.get("source", ""),
                title=meta.get("title", ""),
                page=meta.get("page"),
                start=meta["start"],
                end=meta["end"],
                text=doc.page_content,
                score=score,
                date=meta.get("date"),
                similarity=similarity,
                end_page=meta.get("end_page"),
                ocr=bool(meta.get("ocr")),
            )
        )
    return passages


def _parse_day(value: str | None) -> date | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
        return date.fromisoformat(value[:10])
    return None
