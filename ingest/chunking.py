"""Sentence-aware chunking into verbatim slices of a document's stored text."""

from __future__ import annotations

import re

from casefile.kernel.records import Chunk, ParsedDocument, page_range, pages_in
from casefile.kernel.text import split_sentences

_WHITESPACE = re.compile(r"\s+")


def chunk_document(doc: ParsedDocument, doc_id: str, chunk_size: int, overlap: int) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `chunk_size` characters.

    In a paginated document a chunk stays within one page, unless a sentence runs on to the
    next page (then it records both: `page` and `end_page`). Consecutive chunks share up to
    `overlap` characters of whole sentences. Only a sentence longer than `chunk_size` is
    cut, at a space.
    """
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be greater than 0. Currently, it is {chunk_size}")
    if not 0 <= overlap < chunk_size:
        raise ValueError(f"overlap must be in [0, chunk_size). Currently, it is {overlap}")
    chunks: list[Chunk] = []
    ocr = set(doc.ocr_pages)
    for start, end in _regions(doc):
        units = _units(doc.text, start, end, chunk_size)
        for span_start, span_end in _pack(units, chunk_size, overlap):
            first, last = page_range(doc.pages, span_start, span_end)
            chunks.append(
                Chunk(
                    doc_id=doc_id,
                    index=len(chunks),
                    start=span_start,
                    end=span_end,
                    text=doc.text[span_start:span_end],
                    title=doc.title,
                    page=first,
                    end_page=last if last != first else None,
                    ocr=bool(ocr) and bool(ocr & pages_in(doc.pages, span_start, span_end)),
                )
            )
    return chunks


def _regions(doc: ParsedDocument) -> list[tuple[int, int]]:
    """Stretches chunks never cross: for paginated text, what lies between page breaks that
    no sentence runs over (a blank line); otherwise the whole text."""
    if not doc.pages:
        return [(0, len(doc.text))]
    regions, start = [], 0
    for gap in re.finditer(r"\n\n+", doc.text):
        regions.append((start, gap.start()))
        start = gap.end()
    regions.append((start, len(doc.text)))
    return [(s, e) for s, e in regions if e > s]


def _units(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    units: list[tuple[int, int]] = []
    for s, e in split_sentences(text, start, end):
        units.extend([(s, e)] if e - s <= limit else _split_long(text, s, e, limit))
    return units


def _split_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at the last space before each `limit` characters."""
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        gaps = [m.start() for m in _WHITESPACE.finditer(text, start + 1, start + limit + 1)]
        cut = gaps[-1] if gaps else start + limit
        pieces.append((start, cut))
        start = _WHITESPACE.match(text, cut, end).end() if gaps else cut  # type: ignore[union-attr]
    if start < end:
        pieces.append((start, end))
    return pieces


def _pack(units: list[tuple[int, int]], limit: int, overlap: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    first = 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and units[last + 1][1] - units[first][0] <= limit:
            last += 1
        spans.append((units[first][0], units[last][1]))
        if last + 1 >= len(units):
            break
        # Start the next chunk with the trailing sentences that fit in the overlap.
        following = last + 1
        while following - 1 > first and units[last][1] - units[following - 1][0] <= overlap:
            following -= 1
        first = following
    return spans
