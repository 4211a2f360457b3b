"""The only module that talks to chromadb: one chunk collection and one registry per case.

A case is a few collections: `casefile-<case>-chunks` holds the embedded chunks,
`casefile-<case>-docs` one record per document, and `casefile-<case>-extras` what ingest
keeps beside a document (`vectorstore.extras`): its stored text, so that a quote can always
be checked against its source, its desk and its word positions. Only chromadb's public
collection API is used; `CaseStore.langchain_vectorstore()` offers the chunks to LangChain
chains.

A record stays `complete=False` until all of its chunks are written, and names its writer
(host, process, and a heartbeat time): an ingest killed half-way leaves a record that the
next ingest removes and does again, while a record another live process or session is
still writing is left alone.

Every write that changes which documents are complete replaces the case's version token
(`vectorstore.register`), so that a question reads the complete records from a register
instead of listing the registry, and sees any process's write at its next check.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from casefile.kernel.errors import CaseNotFound, DocumentNotFound, StoreUnavailable
from casefile.kernel.records import Chunk, DocumentRecord, PageSpan, doc_id_of
from casefile.kernel.records import chunk_id as nth_chunk_id
from casefile.kernel.settings import Settings, check_case_name
from vectorstore.extras import Extras
from vectorstore.keyword import KeywordIndex
from vectorstore.originals import OriginalFiles
from vectorstore.register import CaseRegister

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from langchain_chroma import Chroma

log = logging.getLogger(__name__)

PREFIX = "casefile-"
CHUNKS_SUFFIX = "-chunks"
DOCS_SUFFIX = "-docs"
EXTRAS_SUFFIX = "-extras"  # what ingest keeps beside a document: its desk, its word boxes
WRITE_BATCH = 256
READ_PAGE = 5000
SPANS_READ = 1000  # records whose page spans one read takes
ORIGINAL = "original"  # the extras' name of an original file shared through a server
TEXT = "text"  # the extras' name of a document's stored text
KEYWORD_RECHECK_S = 2.0
KEYWORD_LEVEL_BATCH = 50  # documents added to the keyword index per commit when levelling
VERSION_SUFFIX = "-version"  # the case's version token (vectorstore.register)
# A search within named documents ranks their chunks itself up to this many (read by id:
# ~30 ms a thousand at 500k chunks); Chroma's filtered search costs ~280 ms there at any size.
EXACT_SEARCH_CHUNKS = 4000
# A writer on another machine that has not written for this long is taken for dead.
STALE_WRITER_S = 15 * 60
HEARTBEAT_S = 60.0  # how often a writer says it is alive while it stores a long document

# This process, as named in the records it is writing; and what it is writing right now.
PROCESS_WRITER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
_WRITING: set[tuple[str, str]] = set()  # (collection of records, doc_id)
_WRITING_LOCK = threading.Lock()


def make_client(settings: Settings) -> ClientAPI:
    """An embedded Chroma under `settings.home`, or a client of the configured server."""
    import chromadb
    from chromadb.config import Settings as ChromaClientSettings

    client_settings = ChromaClientSettings(anonymized_telemetry=False, allow_reset=False)
    chroma = settings.chroma
    try:
        if chroma.host:
            return chromadb.HttpClient(
                host=chroma.host, port=chroma.port, ssl=chroma.ssl, settings=client_settings
            )
        path = settings.home / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=client_settings)
    except Exception as exc:  # chromadb raises bare Exception/ValueError on connect failures
        where = (
            f"server {chroma.host}:{chroma.port}" if chroma.host else f"store in {settings.home}"
        )
        raise StoreUnavailable(f"cannot open the Chroma {where}: {exc}") from exc


def list_cases(client: ClientAPI) -> list[str]:
    """Names of the cases held by `client`."""
    names = (getattr(c, "name", c) for c in client.list_collections())
    return sorted(
        n[len(PREFIX) : -len(DOCS_SUFFIX)]
        for n in names
        if n.startswith(PREFIX) and n.endswith(DOCS_SUFFIX)
    )


class CaseStore:
    """A case's documents and chunks in Chroma, and the keyword index kept in step with them;
    with a `folder` (the case's folder on this machine), the original files of its PDFs.

    >>> store = CaseStore(make_client(settings), "default", SentenceTransformerEmbeddings())
    >>> [r.title for r in store.records()]
    """

    def __init__(
        self,
        client: ClientAPI,
        case: str,
        embeddings: Embeddings,
        *,
        create: bool = True,
        folder: Path | None = None,
        share_originals: bool = False,
    ) -> None:
        self.case = check_case_name(case)
        # With a shared server, the original files go to Chroma too, for the other machines.
        self.share_originals = share_originals
        self.client = client
        self.embeddings = embeddings
        self.folder = folder
        self._originals = OriginalFiles(folder / "originals") if folder else None
        docs_name = f"{PREFIX}{case}{DOCS_SUFFIX}"
        if not create and case not in list_cases(client):
            raise CaseNotFound(f"no case named {case!r}; the cases are: {list_cases(client)}")
        try:
            self._docs: Collection = client.get_or_create_collection(
                docs_name, embedding_function=None
            )
            self._chunks: Collection = client.get_or_create_collection(
                f"{PREFIX}{case}{CHUNKS_SUFFIX}",
                metadata={"hnsw:space": "cosine"},
                embedding_function=None,
            )
            self._extras: Collection = client.get_or_create_collection(
                f"{PREFIX}{case}{EXTRAS_SUFFIX}", embedding_function=None
            )
            self._version: Collection = client.get_or_create_collection(
                f"{PREFIX}{case}{VERSION_SUFFIX}", embedding_function=None
            )
        except Exception as exc:  # connection and server errors surface here first
            raise StoreUnavailable(f"cannot open case {case!r} in Chroma: {exc}") from exc
        self._extra_values = Extras(self._extras)
        self.embedded_chunks = 0  # texts this store has embedded (the rest reused stored vectors)
        self._keyword: KeywordIndex | None = None  # opened on first use
        self._keyword_lock = threading.Lock()
        self._keyword_open_lock = threading.Lock()
        self._keyword_checked = -1e9
        self._keyword_levelled: tuple[Any, ...] | None = None  # (version, index commit) then
        self._keyword_hidden: frozenset[str] = frozenset()  # indexed, but not complete in Chroma
        self._register = CaseRegister(
            self._version,
            self._docs,
            folder,
            lambda: self._listed_records(include_incomplete=False),
        )

    # -- documents ---------------------------------------------------------------------

    def records(self, *, include_incomplete: bool = False) -> list[DocumentRecord]:
        """Every document of the case, oldest first. The complete ones come from the case's
        register while no process has written since (`vectorstore.register`)."""
        if include_incomplete:
            return self._listed_records(include_incomplete=True)
        return self._register.records()

    def preload(self) -> None:
        """Read what Chroma reads at a case's first search (its whole vector index: 1.5 s at
        532k chunks). Chroma lets go of the GIL meanwhile: the CLI runs this in a thread
        while it imports and loads the rest."""
        try:
            got = self._chunks.get(limit=1, include=["embeddings"])
            if len(got["embeddings"]):
                self._chunks.query(query_embeddings=[got["embeddings"][0]], n_results=1, include=[])
        except Exception as exc:  # noqa: BLE001 - the question's own search will say what failed
            log.info("preloading case %s failed: %s", self.case, exc)

    def version(self) -> str:
        """Changes whenever a document is added, rewritten or removed, by any process."""
        return self._register.version()

    def _changed(self) -> None:
        self._register.changed()

    def _listed_records(self, *, include_incomplete: bool) -> list[DocumentRecord]:
        got = self._docs.get(include=["metadatas"])
        records = [_record(i, m) for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)]
        records = [r for r in records if include_incomplete or r.complete]
        return sorted(records, key=lambda r: (r.ingested_at, r.source))

    def record(self, doc_id: str) -> DocumentRecord | None:
        got = self._docs.get(ids=[doc_id], include=["metadatas"])
        return _record(got["ids"][0], got["metadatas"][0]) if got["ids"] else None

    def records_for_source(self, source: str) -> list[DocumentRecord]:
        got = self._docs.get(where={"source": source}, include=["metadatas"])
        return [_record(i, m) for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)]

    def find(self, name: str) -> DocumentRecord:
        """The complete document whose doc_id, id prefix, file name or source is `name`."""
        records = self.records()
        for match in (
            lambda r: r.doc_id == name or r.source == name,
            lambda r: r.name == name,
            lambda r: len(name) >= 6 and r.doc_id.startswith(name),
        ):
            found = [r for r in records if match(r)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                ids = ", ".join(r.doc_id for r in found)
                raise DocumentNotFound(f"{name!r} matches several documents ({ids}): use a doc_id")
        raise DocumentNotFound(f"no document named {name!r} in case {self.case!r}")

    def document_text(self, doc_id: str) -> str:
        """The document's stored text, which every offset of its chunks and citations
        refers to."""
        text = self._extra_values.read(doc_id, TEXT)
        if text is not None:
            return text
        # Stored before the text moved to the extras: the record's document.
        got = self._docs.get(ids=[doc_id], include=["documents"])
        if not got["ids"]:
            raise DocumentNotFound(f"no document {doc_id!r} in case {self.case!r}")
        return got["documents"][0] or ""

    def page_spans(self, doc_id: str) -> tuple[PageSpan, ...]:
        spans = self.page_spans_of([doc_id])
        if doc_id not in spans:
            raise DocumentNotFound(f"no document {doc_id!r} in case {self.case!r}")
        return spans[doc_id]

    def page_spans_of(self, doc_ids: Iterable[str]) -> dict[str, tuple[PageSpan, ...]]:
        """`page_spans` of many documents, a thousand a read (5,000 documents: 3.4 s one at
        a time, 0.7 s this way; BENCHMARKS.md)."""
        wanted = list(dict.fromkeys(doc_ids))
        spans: dict[str, tuple[PageSpan, ...]] = {}
        for first in range(0, len(wanted), SPANS_READ):
            got = self._docs.get(ids=wanted[first : first + SPANS_READ], include=["metadatas"])
            for doc_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                spans[doc_id] = tuple(PageSpan(*p) for p in json.loads(meta.get("pages", "[]")))
        return spans

    # -- writing -----------------------------------------------------------------------

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
    ) -> None:
        """Store a document, its chunks, its extras (JSON by name: the desk, the word
        positions; a callable is called once the chunks are stored, for what is read
        meanwhile, and None from it keeps nothing) and its original file (kept only by a
        store with a folder); the record is marked complete only at the end."""
        key = (self._docs.name, record.doc_id)
        with _WRITING_LOCK:
            _WRITING.add(key)
        try:
            pending = _metadata(record, complete=False, chunker=chunker, pages=pages)
            # The text goes with the extras, out of Chroma's full-text index of documents:
            # nothing queries it, and it held memory and time on a long filing (BENCHMARKS).
            # The empty document clears a text stored the first way.
            self._docs.upsert(
                ids=[record.doc_id], embeddings=[[0.0]], documents=[""], metadatas=[pending]
            )
            self._changed()  # a complete document written again is not complete meanwhile
            self._delete_chunks(record.doc_id)  # leftovers of an earlier, interrupted write
            # An earlier version's chunks (a changed chunker, the same file) leave the keyword
            # index now: if this write dies, the record stays incomplete and none are found.
            self._keyword_index().remove([record.doc_id])
            self.write_extra(record.doc_id, TEXT, text)
            if original is not None:
                self.keep_original(record.doc_id, original)
                if self.share_originals:
                    self._share_original(record.doc_id, original)
            beat = time.monotonic()
            for batch_start in range(0, len(chunks), WRITE_BATCH):
                self._add_chunk_batch(record, chunks[batch_start : batch_start + WRITE_BATCH])
                # Only writers on other machines are judged by it (STALE_WRITER_S); an update
                # of the record costs ~60 ms once its text is long.
                if time.monotonic() - beat > HEARTBEAT_S:
                    self._docs.update(ids=[record.doc_id], metadatas=[{"heartbeat": time.time()}])
                    beat = time.monotonic()
            for name, data in (extras or {}).items():
                value = data() if callable(data) else data
                if value is not None:  # a reading that failed, to be tried again later
                    self.write_extra(record.doc_id, name, value)
            done = _metadata(record, complete=True, chunker=chunker, pages=pages)
            done["chunk_count"] = len(chunks)
            self._docs.update(ids=[record.doc_id], metadatas=[done])
            self._changed()
            # Searchable by keyword once complete; a writer killed between the two leaves
            # a gap the next search of any process fills (`keyword_index`).
            self._keyword_index().replace(record.doc_id, [(c.id, c.text) for c in chunks])
        finally:
            with _WRITING_LOCK:
                _WRITING.discard(key)

    def abandoned_records(self) -> list[DocumentRecord]:
        """Incomplete records whose writer is gone: killed, crashed, or silent for too long.

        A record that another live process, or another session of this one, is still
        writing is never among them.
        """
        got = self._docs.get(where={"complete": False}, include=["metadatas"])
        abandoned = []
        for doc_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
            if _writer_gone(str(meta.get("writer", "")), float(meta.get("heartbeat", 0.0))):
                with _WRITING_LOCK:
                    busy = (self._docs.name, doc_id) in _WRITING
                if not busy:
                    abandoned.append(_record(doc_id, meta))
        return abandoned

    def _add_chunk_batch(self, record: DocumentRecord, chunks: Sequence[Chunk]) -> None:
        """Embed and add chunks; a chunk whose exact text the case already holds reuses its
        vector."""
        texts = [c.text for c in chunks]
        hashes = [text_hash(t) for t in texts]
        known = self.vectors_by_text_hash(hashes)
        text_of = dict(zip(hashes, texts, strict=True))
        fresh = [h for h in text_of if h not in known]  # each new text once, in order
        if fresh:
            known.update(
                zip(
                    fresh, self.embeddings.embed_documents([text_of[h] for h in fresh]), strict=True
                )
            )
        self.embedded_chunks += len(fresh)
        # upsert: a writer that repeats an interrupted write puts the same chunk ids again
        self._chunks.upsert(
            ids=[c.id for c in chunks],
            embeddings=[known[h] for h in hashes],
            documents=texts,
            metadatas=[
                _chunk_metadata(c, record) | {"text_hash": h}
                for c, h in zip(chunks, hashes, strict=True)
            ],
        )

    def vectors_by_text_hash(self, hashes: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors of chunks with these text hashes (one per hash)."""
        if not hashes:
            return {}
        got = self._chunks.get(
            where={"text_hash": {"$in": sorted(set(hashes))}}, include=["metadatas", "embeddings"]
        )
        return {
            meta["text_hash"]: list(vector)
            for meta, vector in zip(got["metadatas"], got["embeddings"], strict=True)
        }

    def write_extra(self, doc_id: str, name: str, data: str) -> None:
        """Keep `data` (JSON) beside a document under `name`, replacing what was there."""
        self._extra_values.write(doc_id, name, data)

    def extra(self, doc_id: str, name: str) -> str | None:
        """What ingest kept beside a document under `name`, or None."""
        return self._extra_values.read(doc_id, name)

    def extras(self, name: str) -> dict[str, str]:
        """doc_id -> what ingest kept under `name`, for every document that has it."""
        return self._extra_values.read_all(name)

    def keep_original(self, doc_id: str, data: bytes) -> None:
        """Keep `data` as the original file of `doc_id` (a store without a folder keeps none)."""
        if self._originals is not None:
            self._originals.keep(doc_id, data)

    def original(self, doc_id: str) -> Path | None:
        """The kept original file of a document of this case, or None (not a PDF, ingested
        before files were kept, or a store without a folder). With a shared server, a file
        another machine ingested is fetched from it once and kept here."""
        if self._originals is None or self.record(doc_id) is None:
            return None
        kept = self._originals.path(doc_id)
        if kept is None and self.share_originals and (data := self._shared_original(doc_id)):
            kept = self._originals.keep(doc_id, data)
        return kept

    def _share_original(self, doc_id: str, data: bytes) -> None:
        """`data` into the extras collection, as base64, for the other machines."""
        self._extra_values.write(doc_id, ORIGINAL, base64.b64encode(data).decode("ascii"))
        # The first part of an original shared before, under an id no longer written.
        self._extras.delete(ids=[f"{doc_id}:{ORIGINAL}:0"])

    def _shared_original(self, doc_id: str) -> bytes | None:
        parts = self._extra_values.read_parts(doc_id, ORIGINAL)
        if not parts:
            return None
        # Each part decodes on its own (kept in parts of whole base64 quanta, or, before,
        # each part of the file encoded by itself).
        return b"".join(base64.b64decode(part) for part in parts)

    def delete_document(self, doc_id: str) -> None:
        """Remove a document, its chunks, extras, original file and record (record last, so
        nothing is orphaned)."""
        self._keyword_index().remove([doc_id])
        record = self.record(doc_id)
        if record is not None and record.complete and record.chunk_count:
            # A complete write holds exactly these ids (it cleared all others first); by id
            # is ~4x faster than Chroma's filter over a 500k-chunk case.
            self._chunks.delete(ids=_chunk_ids({doc_id: record.chunk_count}))
        else:
            self._delete_chunks(doc_id)
        self._extra_values.delete(doc_id)
        if self._originals is not None:
            self._originals.remove(doc_id)
        self._docs.delete(ids=[doc_id])
        self._changed()

    def _delete_chunks(self, doc_id: str) -> None:
        self._chunks.delete(where={"doc_id": doc_id})

    def chunker_of(self, doc_id: str) -> str:
        got = self._docs.get(ids=[doc_id], include=["metadatas"])
        return str(got["metadatas"][0].get("chunker", "")) if got["ids"] else ""

    # -- reading chunks ----------------------------------------------------------------

    def chunk_count(self) -> int:
        return self._chunks.count()

    def chunks(self, doc_id: str | None = None) -> list[Document]:
        """Stored chunks (of one document, or all), ordered by document and position."""
        where = {"doc_id": doc_id} if doc_id else None
        docs = [
            Document(page_content=text, metadata=meta, id=chunk_id)
            for chunk_id, text, meta in self._paged(where, ["documents", "metadatas"])
        ]
        return sorted(docs, key=lambda d: (d.metadata["doc_id"], d.metadata["index"]))

    def _paged(self, where: dict[str, Any] | None, include: list[str]) -> Iterator[tuple[Any, ...]]:
        """(id, *included) of every matching chunk, a page at a time: one query for a whole
        large case overflows SQLite's limit on query variables."""
        offset = 0
        while True:
            got = self._chunks.get(
                where=where,
                include=include,
                limit=READ_PAGE,
                offset=offset,  # type: ignore[arg-type]
            )
            yield from zip(got["ids"], *(got[field] for field in include), strict=True)
            if len(got["ids"]) < READ_PAGE:
                return
            offset += READ_PAGE

    def dense_search(
        self, vector: list[float], k: int, doc_ids: set[str] | None = None
    ) -> list[tuple[Document, float]]:
        """The `k` chunks nearest to `vector`, with their cosine similarity."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        where = {"doc_id": {"$in": sorted(doc_ids)}} if doc_ids is not None else None
        if doc_ids is not None and not doc_ids:
            return []
        if doc_ids is not None and (ids := self._chunk_ids(doc_ids, EXACT_SEARCH_CHUNKS)):
            return self._exact_search(vector, k, ids)
        got = self._chunks.query(
            query_embeddings=[vector],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        found = []
        rows = zip(
            got["ids"][0],
            got["documents"][0],
            got["metadatas"][0],
            got["distances"][0],
            strict=True,
        )
        for chunk_id, text, meta, distance in rows:
            if text is None or meta is None:
                # Deleted by another writer between Chroma's vector search and its read of
                # the records (found by the 40-session soak test): gone, so not a result.
                log.info("chunk %s was removed while it was searched", chunk_id)
                continue
            found.append((Document(page_content=text, metadata=meta, id=chunk_id), 1.0 - distance))
        return found

    def _chunk_ids(self, doc_ids: set[str], limit: int) -> list[str]:
        """The ids of the chunks of `doc_ids` (from their records' chunk counts), or none
        when there are more than `limit` or a record does not say."""
        counts = {r.doc_id: r.chunk_count for r in self.records() if r.doc_id in doc_ids}
        if len(counts) < len(doc_ids) or sum(counts.values()) > limit or 0 in counts.values():
            return []
        return _chunk_ids(counts)

    def _exact_search(
        self, vector: list[float], k: int, ids: list[str]
    ) -> list[tuple[Document, float]]:
        """The `k` of the chunks `ids` nearest to `vector`, every one compared."""
        import numpy as np

        found, vectors = [], []
        for start in range(0, len(ids), READ_PAGE):
            got = self._chunks.get(ids=ids[start : start + READ_PAGE], include=["embeddings"])
            found += got["ids"]
            vectors += list(got["embeddings"])
        if not found:
            return []
        matrix = np.asarray(vectors, dtype=np.float32)
        query = np.asarray(vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
        similarity = (matrix @ query) / np.where(norms == 0, 1.0, norms)
        best = np.argsort(-similarity, kind="stable")[:k]
        score = {found[i]: float(similarity[i]) for i in best}
        # Read in order; a chunk another writer removed meanwhile is left out.
        return [(doc, score[doc.id]) for doc, _ in self.chunks_by_id(list(score))]

    def chunks_by_id(self, ids: list[str]) -> list[tuple[Document, list[float]]]:
        """Chunks with their stored embeddings, in the order of `ids`."""
        if not ids:
            return []
        from chromadb.errors import InternalError

        include: Any = ["documents", "metadatas", "embeddings"]
        try:
            got = self._chunks.get(ids=ids, include=include)
        except InternalError:
            # A chunk deleted while it was being read (a document removed by another writer)
            # fails the whole read: read the rest one by one, without it.
            got = {"ids": [], "documents": [], "metadatas": [], "embeddings": []}
            for chunk_id in ids:
                try:
                    one = self._chunks.get(ids=[chunk_id], include=include)
                except InternalError:
                    continue
                for key in got:
                    got[key].extend(one[key])
        found = {
            chunk_id: (Document(page_content=text, metadata=meta, id=chunk_id), list(vector))
            for chunk_id, text, meta, vector in zip(
                got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
            )
        }
        return [found[i] for i in ids if i in found]

    def keyword_index(self) -> KeywordIndex:
        """The case's keyword index, level with the complete documents in Chroma: checked at
        most every KEYWORD_RECHECK_S, so documents another process or machine added (a
        colleague's, on a shared server) become searchable, and removed ones go."""
        with self._keyword_lock:
            index = self._keyword_index()
            now = time.monotonic()
            if now - self._keyword_checked >= KEYWORD_RECHECK_S:
                self._keyword_checked = now
                index.refresh()
                # Levelled again only when either side changed since (at 500k chunks a
                # levelling lists thousands of records: not for every question).
                seen = (self.version(), index.commit_stamp())
                if seen != self._keyword_levelled:
                    try:
                        self._level_keywords(index)
                        self._keyword_levelled = seen
                    except StoreUnavailable as exc:  # another writer holds it: search as is
                        log.warning("keyword index of %s not levelled: %s", self.case, exc)
            return index

    def _keyword_index(self) -> KeywordIndex:
        with self._keyword_open_lock:
            if self._keyword is None:
                self._keyword = KeywordIndex(self.folder / "keyword" if self.folder else None)
            return self._keyword

    def _level_keywords(self, index: KeywordIndex) -> None:
        # The index first: a document written between the two readings is then in Chroma's
        # list, never taken for one removed.
        indexed = index.doc_ids()
        present = set(self._docs.get(include=[])["ids"])
        complete = {r.doc_id for r in self.records()}
        if gone := indexed - present:
            index.remove(gone)
        missing = sorted(complete - indexed)
        for start in range(0, len(missing), KEYWORD_LEVEL_BATCH):
            batch = missing[start : start + KEYWORD_LEVEL_BATCH]
            chunks: dict[str, list[tuple[str, str]]] = {doc_id: [] for doc_id in batch}
            for chunk_id, text in self._paged({"doc_id": {"$in": batch}}, ["documents"]):
                chunks[doc_id_of(chunk_id)].append((chunk_id, text))
            index.apply(chunks, remove=())
        if missing:
            log.info("keyword index of %s: added %d documents", self.case, len(missing))
        self._keyword_hidden = frozenset(indexed - complete - set(gone))

    def delete_case(self) -> None:
        """Drop the case's collections, the original files it keeps and its keyword index."""
        for name in (self._chunks.name, self._extras.name, self._docs.name, self._version.name):
            self.client.delete_collection(name)
        if self._originals is not None:
            self._originals.remove_all()
        self._keyword = None
        self._register.forget()
        if self.folder is not None:
            shutil.rmtree(self.folder / "keyword", ignore_errors=True)

    def keyword_search(
        self, query: str, k: int, doc_ids: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the `k` best chunks for `query`."""
        index = self.keyword_index()
        hits = index.search(query, k, doc_ids, exclude=self._keyword_hidden)
        return [(hit.chunk_id, hit.score) for hit in hits]

    def langchain_vectorstore(self) -> Chroma:
        """The case's chunks as a LangChain vector store, for use in a user's own chain."""
        from langchain_chroma import Chroma

        return Chroma(
            client=self.client,
            collection_name=self._chunks.name,
            embedding_function=self.embeddings,
            collection_metadata={"hnsw:space": "cosine"},
        )


def _metadata(
    record: DocumentRecord, *, complete: bool, chunker: str, pages: Iterable[PageSpan]
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": record.source,
        "title": record.title,
        "kind": record.kind,
        "page_count": record.page_count,
        "chunk_count": record.chunk_count,
        "size_bytes": record.size_bytes,
        "ingested_at": record.ingested_at,
        "complete": complete,
        "chunker": chunker,
        "pages": json.dumps([[p.number, p.start, p.end] for p in pages]),
        "court": record.court,
        "case_number": record.case_number,
        "docket_entry": record.docket_entry,
        "ocr_pages": json.dumps(list(record.ocr_pages)),
    }
    if not complete:
        meta["writer"] = PROCESS_WRITER
        meta["heartbeat"] = time.time()
    if record.date:
        meta["date"] = record.date
    return meta


def _record(doc_id: str, meta: dict[str, Any]) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id,
        source=meta["source"],
        title=meta["title"],
        kind=meta["kind"],
        date=meta.get("date"),
        page_count=int(meta.get("page_count", 0)),
        chunk_count=int(meta.get("chunk_count", 0)),
        size_bytes=int(meta.get("size_bytes", 0)),
        ingested_at=meta["ingested_at"],
        complete=bool(meta.get("complete", False)),
        writer=str(meta.get("writer", "")),
        court=str(meta.get("court", "")),
        case_number=str(meta.get("case_number", "")),
        docket_entry=str(meta.get("docket_entry", "")),
        ocr_pages=tuple(json.loads(meta.get("ocr_pages", "[]"))),
    )


def _chunk_ids(counts: Mapping[str, int]) -> list[str]:
    """The ids of each document's chunks, from doc_id -> how many it has."""
    return [nth_chunk_id(doc_id, i) for doc_id, n in sorted(counts.items()) for i in range(n)]


def _writer_gone(writer: str, heartbeat: float) -> bool:
    """Whether the process named `writer` can no longer finish its write."""
    if not writer or time.time() - heartbeat > STALE_WRITER_S:
        return True
    if writer == PROCESS_WRITER:
        return True  # ours, and not being written now (the caller checks): a failed write
    host, _, rest = writer.partition(":")
    if host != socket.gethostname():
        return False
    pid = int(rest.split(":", 1)[0] or 0)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    # Alive; but if that pid's process is this one under another token (pid reuse after a
    # restart), the old writer is gone.
    return pid == os.getpid()


def text_hash(text: str) -> str:
    """Identifies a chunk's exact text, so the same text is never embedded twice in a case."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _chunk_metadata(chunk: Chunk, record: DocumentRecord) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "doc_id": chunk.doc_id,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "title": chunk.title,
        "source": record.source,
        "kind": record.kind,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    if chunk.end_page is not None:
        meta["end_page"] = chunk.end_page
    if chunk.ocr:
        meta["ocr"] = True
    if record.date:
        meta["date"] = record.date
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", record.date[:10]):
            # Chroma compares numbers only, so date-range filters use YYYYMMDD.
            meta["date_num"] = int(record.date[:10].replace("-", ""))
    return meta
