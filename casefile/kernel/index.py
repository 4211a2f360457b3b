"""The seams between the stages: what answering reads from a case, what ingestion writes.

`vectorstore.store.CaseStore` is the one implementation; tests and library users may
bring another (an in-memory index, a different database) without touching the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from casefile.kernel.records import Chunk, DocumentRecord, PageSpan


@runtime_checkable
class CaseIndex(Protocol):
    """What the retriever, the answerer and evaluation need from a case's store."""

    case: str
    embeddings: Embeddings

    def records(self) -> list[DocumentRecord]:
        """Every complete document of the case, oldest first."""
        ...

    def record(self, doc_id: str) -> DocumentRecord | None:
        """The record of one document, complete or not."""
        ...

    def find(self, name: str) -> DocumentRecord:
        """The document whose doc_id, id prefix, file name or source is `name`."""
        ...

    def document_text(self, doc_id: str) -> str:
        """A document's stored text, which every offset refers to."""
        ...

    def page_spans(self, doc_id: str) -> tuple[PageSpan, ...]:
        """Where each page of a document lies in its stored text (empty when unpaginated)."""
        ...

    def page_spans_of(self, doc_ids: Iterable[str]) -> dict[str, tuple[PageSpan, ...]]:
        """`page_spans` of many documents at once (those removed are left out)."""
        ...

    def dense_search(
        self, vector: list[float], k: int, doc_ids: set[str] | None = None
    ) -> list[tuple[Document, float]]:
        """The `k` chunks nearest to `vector`, with their cosine similarity."""
        ...

    def keyword_search(
        self, query: str, k: int, doc_ids: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the `k` best chunks for `query`."""
        ...

    def chunks_by_id(self, ids: list[str]) -> list[tuple[Document, list[float]]]:
        """Chunks with their stored vectors, in the order of `ids`."""
        ...

    def extra(self, doc_id: str, name: str) -> str | None:
        """What ingest kept beside a document under `name` (JSON), or None."""
        ...

    def extras(self, name: str) -> dict[str, str]:
        """doc_id -> what ingest kept under `name`, for every document that has it."""
        ...

    def write_extra(self, doc_id: str, name: str, data: str) -> None:
        """Keep `data` beside a document (for extras made after ingest, on first use)."""
        ...

    def original(self, doc_id: str) -> Path | None:
        """The copy of a document's original file (a PDF) the case keeps, or None."""
        ...


@runtime_checkable
class CaseWriter(Protocol):
    """What ingestion needs to store documents into a case."""

    case: str
    embedded_chunks: int

    def records(self, *, include_incomplete: bool = False) -> list[DocumentRecord]: ...

    def record(self, doc_id: str) -> DocumentRecord | None: ...

    def records_for_source(self, source: str) -> list[DocumentRecord]: ...

    def chunker_of(self, doc_id: str) -> str: ...

    def write_document(
        self,
        record: DocumentRecord,
        text: str,
        chunks: Sequence[Chunk],
        *,
        pages: Sequence[PageSpan] = (),
        chunker: str = "",
        extras: Mapping[str, str | Callable[[], str | None]] | None = None,
        original: bytes | None = None,
    ) -> None: ...

    def delete_document(self, doc_id: str) -> None: ...

    def original(self, doc_id: str) -> Path | None: ...

    def keep_original(self, doc_id: str, data: bytes) -> None:
        """Keep a document's original file (a PDF), to show its pages."""
        ...

    def abandoned_records(self) -> list[DocumentRecord]:
        """Incomplete records whose writer is gone (killed or crashed), safe to remove."""
        ...
