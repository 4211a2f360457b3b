"""The small frozen records that flow through ingestion."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpan:
    """Where one page of a paginated document lies in its stored text."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class ParsedDocument:
    """A document's cleaned text, which every offset refers to, and what is known about it."""

    text: str
    kind: str
    title: str
    date: str | None = None
    pages: tuple[PageSpan, ...] = ()

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_at(self, offset: int) -> int | None:
        """The page number holding character `offset`, or None for unpaginated documents."""
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        return self.pages[-1].number if self.pages else None


@dataclass(frozen=True)
class Chunk:
    """A verbatim slice `text == document_text[start:end]` of one document."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    title: str
    page: int | None = None

    @property
    def id(self) -> str:
        return chunk_id(self.doc_id, self.index)


def chunk_id(doc_id: str, index: int) -> str:
    """Deterministic id of a document's `index`-th chunk."""
    return f"{doc_id}:{index:05d}"


@dataclass(frozen=True)
class DocumentRecord:
    """What the case's registry knows about one stored document."""

    doc_id: str
    source: str
    title: str
    kind: str
    date: str | None
    page_count: int
    chunk_count: int
    size_bytes: int
    ingested_at: str
    complete: bool = True

    @property
    def name(self) -> str:
        """The file name of the source, as users refer to it."""
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]
