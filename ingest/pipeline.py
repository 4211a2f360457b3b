"""Ingest files into a case: discover, parse, chunk and store, one file at a time."""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from casefile.kernel.errors import (
    IngestError,
    ModelUnavailable,
    StoreUnavailable,
    UnreadableFile,
)
from casefile.kernel.index import CaseWriter
from casefile.kernel.records import DocumentRecord, ParsedDocument
from casefile.kernel.settings import IngestSettings
from ingest.chunking import chunk_document
from ingest.desk import DESK
from ingest.desk import to_json as desk_json
from ingest.desk_worker import PendingDesk, start_desk_worker, submit_desk
from ingest.loaders import LoadOptions, parse_document, supported_suffixes
from ingest.positions import POSITIONS, positions_json

log = logging.getLogger(__name__)

Status = Literal["added", "updated", "unchanged", "failed", "skipped"]
# (file, page, pages, "text" or "OCR"): called as each page of a PDF is read
PageCallback = Callable[[Path, int, int, str], None]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file."""

    path: Path
    status: Status
    doc_id: str | None = None
    chunks: int = 0
    reason: str = ""
    title: str = ""


@dataclass
class IngestReport:
    """The outcome of every file of one ingest run."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    repaired: list[str] = field(default_factory=list)
    chunks_embedded: int = 0  # the rest of chunks_written reused vectors of identical text

    def count(self, status: Status) -> int:
        return Counter(o.status for o in self.outcomes)[status]

    @property
    def chunks_written(self) -> int:
        return sum(o.chunks for o in self.outcomes if o.status in ("added", "updated"))

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def discover_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Files to ingest under `paths` (folders walked recursively), and the ones skipped."""
    wanted: list[Path] = []
    skipped: list[FileOutcome] = []
    suffixes = supported_suffixes()
    for root in paths:
        if not root.exists():
            skipped.append(FileOutcome(root, "failed", reason="no such file or folder"))
            continue
        candidates = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in candidates:
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue  # hidden files and folders (.git, .DS_Store) are never documents
            if path.suffix.lower() in suffixes:
                wanted.append(path)
            else:
                skipped.append(
                    FileOutcome(
                        path,
                        "skipped",
                        reason=f"not a supported type ({path.suffix or 'no suffix'})",
                    )
                )
    return list(dict.fromkeys(wanted)), skipped


def ingest_paths(
    paths: Iterable[Path],
    store: CaseWriter,
    settings: IngestSettings,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_page: PageCallback | None = None,
) -> IngestReport:
    """Ingest every supported file under `paths` into `store`; a bad file never stops the batch."""
    started = time.perf_counter()
    report = IngestReport(repaired=finish_interrupted(store))
    embedded_before = store.embedded_chunks
    files, skipped = discover_files(paths)
    report.outcomes.extend(skipped)
    if files and settings.desk:
        start_desk_worker()  # its model loads while the first file is read
    # Each file is read (parsed, laid out) while the one before it is embedded and stored:
    # reading is one core's work, and storing leaves a core idle at times.
    reader = _Reader(store, settings, on_page)
    try:
        for index, path in enumerate(files):
            following = files[index + 1] if index + 1 < len(files) else None
            read_next = functools.partial(reader.start, following)
            try:
                outcome = ingest_file(path, store, settings, on_page, reader.take(path), read_next)
            except IngestError as exc:
                outcome = FileOutcome(path, "failed", reason=exc.reason)
            except (StoreUnavailable, ModelUnavailable):
                raise  # nothing else in the batch could be stored either
            except Exception as exc:  # a parser bug on one odd file must not stop the batch
                log.exception("%s: unexpected error while ingesting", path)
                outcome = FileOutcome(
                    path,
                    "failed",
                    reason=f"unexpected error while reading it ({type(exc).__name__})",
                )
            read_next()  # if the file failed before it was read
            if outcome.status == "failed":
                log.info("%s: %s", path, outcome.reason)
            report.outcomes.append(outcome)
            if on_file:
                on_file(outcome)
    finally:
        reader.close()
    store.records()  # leaves the case's register current: the next question need not list
    report.seconds = time.perf_counter() - started
    report.chunks_embedded = store.embedded_chunks - embedded_before
    return report


@dataclass(frozen=True)
class _ReadAhead:
    """A file read before its turn: its bytes and their parsed text (None when the case
    already holds them), or why it could not be read."""

    data: bytes = b""
    parsed: ParsedDocument | None = None
    error: Exception | None = None


class _Reader:
    """Reads one file ahead, in a thread of its own, while the current one is stored."""

    def __init__(
        self, store: CaseWriter, settings: IngestSettings, on_page: PageCallback | None
    ) -> None:
        self._args = (store, settings, on_page)
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="read-ahead")
        self._next: tuple[Path, Future[_ReadAhead]] | None = None

    def start(self, path: Path | None) -> None:
        if path is not None and self._next is None:
            self._next = (path, self._pool.submit(_read_ahead, path, *self._args))

    def take(self, path: Path) -> Future[_ReadAhead] | None:
        """The reading of `path` if it was started."""
        if self._next is None or self._next[0] != path:
            return None
        read, self._next = self._next[1], None
        return read

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _read_ahead(
    path: Path, store: CaseWriter, settings: IngestSettings, on_page: PageCallback | None
) -> _ReadAhead:
    """Parse `path` if it is new or changed; its errors wait for its turn."""
    try:
        data = _file_bytes(path, settings)
        existing = store.record(_doc_id(data))
        if existing and existing.complete:
            return _ReadAhead(data)  # most likely unchanged: its turn decides
        return _ReadAhead(data, parse_document(path, data, _load_options(path, settings, on_page)))
    except Exception as exc:
        return _ReadAhead(error=exc)


def ingest_file(
    path: Path,
    store: CaseWriter,
    settings: IngestSettings,
    on_page: PageCallback | None = None,
    read: Future[_ReadAhead] | None = None,
    then: Callable[[], None] | None = None,
) -> FileOutcome:
    """Ingest one file: unchanged files cost one hash; a changed file replaces its old version.
    `read`: this file, being read already; `then` is called once this file is read (to start
    reading the next)."""
    ahead = read.result() if read is not None else _ReadAhead(_file_bytes(path, settings))
    if ahead.error is not None:
        raise ahead.error
    data, parsed = ahead.data, ahead.parsed
    doc_id = _doc_id(data)
    # Two sessions adding the same file at once: the second finds it done by the first.
    with _document_lock(store.case, doc_id):
        size = len(data)
        return _ingest_bytes(path, data, doc_id, size, store, settings, on_page, parsed, then)


def _doc_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _file_bytes(path: Path, settings: IngestSettings) -> bytes:
    size = path.stat().st_size
    limit = settings.max_file_mb * 1024 * 1024
    if size > limit:
        raise UnreadableFile(
            path,
            f"file is {size / 1024 / 1024:.1f} MB, over the {settings.max_file_mb:g} MB limit "
            "(CASEFILE_INGEST_MAX_FILE_MB)",
        )
    return path.read_bytes()


def _load_options(
    path: Path, settings: IngestSettings, on_page: PageCallback | None
) -> LoadOptions:
    return LoadOptions(
        drop_uppercase_lines=settings.drop_uppercase_lines,
        ocr=settings.ocr,
        on_page=(lambda page, pages, what: on_page(path, page, pages, what)) if on_page else None,
    )


def _ingest_bytes(
    path: Path,
    data: bytes,
    doc_id: str,
    size: int,
    store: CaseWriter,
    settings: IngestSettings,
    on_page: PageCallback | None,
    parsed: ParsedDocument | None = None,
    then: Callable[[], None] | None = None,
) -> FileOutcome:
    source = str(path.resolve())
    chunker = chunker_signature(settings, path.suffix)
    previous = [r for r in store.records_for_source(source) if r.doc_id != doc_id]

    existing = store.record(doc_id)
    if existing and existing.complete and store.chunker_of(doc_id) == chunker:
        if then:
            then()
        if existing.kind == "pdf" and store.original(doc_id) is None:
            # Ingested on another machine sharing the Chroma server: keep the file here too.
            store.keep_original(doc_id, data)
        _drop_versions(store, previous)
        reason = "" if existing.source == source else f"same content as {existing.source}"
        return FileOutcome(path, "unchanged", doc_id, existing.chunk_count, reason, existing.title)

    if parsed is None:
        parsed = parse_document(path, data, _load_options(path, settings, on_page))
    if then:
        then()
    # The desk is read in its worker while the chunks are embedded and stored.
    pending = submit_desk(doc_id, parsed, settings.desk_budget_s) if settings.desk else None
    try:
        chunk_count = _store(path, data, doc_id, size, parsed, pending, store, settings)
    except BaseException:
        if pending:
            pending.cancel()  # not waited for: the document was not stored
        raise
    _drop_versions(store, previous)
    status: Status = "updated" if previous or existing else "added"
    problem = pending.problem if pending else ""
    note = f"quotes, people and timeline left out: {problem}" if problem else ""
    return FileOutcome(path, status, doc_id, chunk_count, note, parsed.title)


def _store(
    path: Path,
    data: bytes,
    doc_id: str,
    size: int,
    parsed: ParsedDocument,
    pending: PendingDesk | None,
    store: CaseWriter,
    settings: IngestSettings,
) -> int:
    """Write the document's record, chunks and extras; the number of chunks."""
    source = str(path.resolve())
    chunker = chunker_signature(settings, path.suffix)
    chunks = chunk_document(parsed, doc_id, settings.chunk_size, settings.chunk_overlap)
    record = DocumentRecord(
        doc_id=doc_id,
        source=source,
        title=parsed.title,
        kind=parsed.kind,
        date=parsed.date,
        page_count=parsed.page_count,
        chunk_count=len(chunks),
        size_bytes=size,
        ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        court=parsed.docket.court,
        case_number=parsed.docket.case_number,
        docket_entry=parsed.docket.docket_entry,
        ocr_pages=parsed.ocr_pages,
    )
    extras: dict[str, str | Callable[[], str | None]] = {}
    if pending:
        extras[DESK] = lambda: _desk_data(pending)
    if parsed.words:
        extras[POSITIONS] = positions_json(parsed.words)
    store.write_document(
        record,
        parsed.text,
        chunks,
        pages=parsed.pages,
        chunker=chunker,
        extras=extras,
        # The case keeps a PDF's file, to show a quote on the page as the court has it.
        original=data if parsed.kind == "pdf" else None,
    )
    return len(chunks)


def _desk_data(pending: PendingDesk) -> str | None:
    desk = pending.kept()
    return desk_json(desk) if desk is not None else None


def finish_interrupted(store: CaseWriter) -> list[str]:
    """Remove what a killed or failed ingest left half-written, so its file is ingested again.

    Documents that another process or session is writing at this moment are left alone.
    """
    repaired = []
    for record in store.abandoned_records():
        log.warning("removing the unfinished ingest of %s", record.source)
        store.delete_document(record.doc_id)
        repaired.append(record.source)
    return repaired


_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _document_lock(case: str, doc_id: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault((case, doc_id), threading.Lock())


# Bumped when a format's reading changes, so the next ingest re-processes those files only.
# pdfium-4: SEC cover-page titles; word positions and the original file kept for the page view.
# pdfium-5: a scanned page under a text banner (an ECF line over the scan) is read by OCR.
# pdfium-6, html-1, text-1: court records titled from their caption as reporters write case
#   names ("Gray v. Hudson — Order …"), dated by document_dates' stated rule; SEC registrants
#   in proper case; PACER docket reports titled by their case.
# pdfium-7: a page number in figures set apart from the text above or below it is removed
#   outside the header and footer zones too (slip opinions, 10-Ks with wide margins).
READER_VERSIONS = {
    ".pdf": "pdfium-7",
    ".html": "html-1",
    ".htm": "html-1",
    ".txt": "text-1",
    ".md": "text-1",
    ".markdown": "text-1",
}


def chunker_signature(settings: IngestSettings, suffix: str = "") -> str:
    """Identifies what shapes a file's text and chunks: the chunk settings and the reader of
    its format. A change means re-processing files that are otherwise unchanged."""
    base = f"v1/{settings.chunk_size}/{settings.chunk_overlap}/{int(settings.drop_uppercase_lines)}"
    reader = READER_VERSIONS.get(suffix.lower())
    return f"{base}/{reader}/ocr{int(settings.ocr)}" if reader else base


def _drop_versions(store: CaseWriter, records: list[DocumentRecord]) -> None:
    for record in records:
        store.delete_document(record.doc_id)
