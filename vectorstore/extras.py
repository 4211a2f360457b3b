"""What ingest keeps beside a document (its desk, its word positions, an original file shared
through a server), in the case's extras collection.

A value is held in its items' metadata, not as their document: Chroma indexes every
document's trigrams for full-text search, which nothing reads here, and on the word
positions' base64 that index cost about a second a megabyte at ingest (a 1,518-page filing's
17 MB of positions took longer to store than its pages took to embed; see BENCHMARKS.md).
A long value is cut into parts that one server request carries (PART_CHARS, a multiple of
four, so each part of a base64 text decodes on its own).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

PART_CHARS = 2 * 1024 * 1024
DATA = "data"  # the metadata key of a part's text


class Extras:
    """Named texts kept beside the documents of one case.

    >>> extras = Extras(collection)
    >>> extras.write("d14fb1b939f17d3b", "desk", '{"v": 28}')
    >>> extras.read("d14fb1b939f17d3b", "desk")
    '{"v": 28}'
    """

    def __init__(self, collection: Collection) -> None:
        self._collection = collection

    def write(self, doc_id: str, name: str, data: str) -> None:
        """Keep `data` under `name`, replacing what was there. A reader meanwhile gets the old
        value or the new one, or None while a long value's parts are replaced."""
        parts = [data[i : i + PART_CHARS] for i in range(0, len(data), PART_CHARS)] or [""]
        write = uuid.uuid4().hex[:12]  # every part of one value carries it
        # One part a request; the first, which says how many there are, last.
        for number in [*range(1, len(parts)), 0]:
            self._collection.upsert(
                ids=[_part_id(doc_id, name, number)],
                embeddings=[[0.0]],
                documents=[""],  # clears a value kept the first way, as the document
                metadatas=[
                    {
                        "doc_id": doc_id,
                        "name": name,
                        "part": number,
                        "parts": len(parts),
                        "write": write,
                        DATA: parts[number],
                    }
                ],
            )
        # What a longer value left.
        self._collection.delete(
            where={"$and": [{"doc_id": doc_id}, {"name": name}, {"part": {"$gte": len(parts)}}]}
        )

    def read(self, doc_id: str, name: str) -> str | None:
        """The value kept under `name`, or None."""
        parts = self.read_parts(doc_id, name)
        return "".join(parts) if parts is not None else None

    def read_parts(self, doc_id: str, name: str) -> list[str] | None:
        """The value kept under `name` in the parts it was stored in, or None."""
        got = self._collection.get(
            ids=[_part_id(doc_id, name, 0)], include=["documents", "metadatas"]
        )
        if not got["ids"]:
            return self._read_where(doc_id, name)  # an original shared before this format
        first = (got["metadatas"] or [{}])[0]
        parts = int(first.get("parts", 1))
        if parts == 1:
            return [_value(first, (got["documents"] or [None])[0])]
        rest = self._collection.get(
            ids=[_part_id(doc_id, name, number) for number in range(1, parts)],
            include=["metadatas"],
        )
        return _joined([first, *(rest["metadatas"] or [])], [None] * parts)

    def read_all(self, name: str) -> dict[str, str]:
        """doc_id -> the value kept under `name`, for every document that has one."""
        got = self._collection.get(where={"name": name}, include=["documents", "metadatas"])
        items: dict[str, tuple[list[Any], list[str | None]]] = defaultdict(lambda: ([], []))
        for meta, document in zip(got["metadatas"] or [], got["documents"] or [], strict=True):
            metas, documents = items[str(meta["doc_id"])]
            metas.append(meta)
            documents.append(document)
        joined = {doc_id: _joined(*parts) for doc_id, parts in items.items()}
        return {doc_id: "".join(value) for doc_id, value in joined.items() if value is not None}

    def delete(self, doc_id: str) -> None:
        """Remove every value kept beside a document."""
        self._collection.delete(where={"doc_id": doc_id})

    def _read_where(self, doc_id: str, name: str) -> list[str] | None:
        got = self._collection.get(
            where={"$and": [{"doc_id": doc_id}, {"name": name}]},
            include=["documents", "metadatas"],
        )
        if not got["ids"]:
            return None
        return _joined(got["metadatas"] or [], got["documents"] or [])


def _part_id(doc_id: str, name: str, number: int) -> str:
    return f"{doc_id}:{name}" if number == 0 else f"{doc_id}:{name}:{number}"


def _value(meta: Any, document: str | None) -> str:
    """A part's text: in its metadata, or (stored the first way) its document."""
    return str(meta[DATA]) if DATA in meta else document or ""


def _joined(metas: list[Any], documents: list[str | None]) -> list[str] | None:
    """The parts in order, or None while some are missing or of another write (a write under
    way elsewhere)."""
    parts = sorted(zip(metas, documents, strict=True), key=lambda item: int(item[0].get("part", 0)))
    expected = int(parts[0][0].get("parts", len(parts))) if parts else 0
    if not parts or len(parts) != expected:
        return None
    if len({meta.get("write") for meta, _ in parts}) > 1:
        return None
    return [_value(meta, document) for meta, document in parts]
