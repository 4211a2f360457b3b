"""The cases the web app serves, and its API (`/ask`, `/sources`, `/remove`, `/page`).

A client of the app never learns where files live on the server: documents are named by
file name and doc_id, and a read-only call naming a case that does not exist is answered
`CaseNotFound` without creating it.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import gradio as gr

from casefile.kernel.errors import CasefileError, CaseNotFound, InvalidCaseName
from casefile.kernel.records import DocumentRecord
from casefile.kernel.settings import Settings, check_case_name
from casefile.render import source_name

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from assistant import CaseAssistant
    from assistant.desk import CaseDesk
    from assistant.pages import PageView

P = ParamSpec("P")
R = TypeVar("R")
SUGGESTIONS = 4
# A path in one of our own messages ("/srv/casefile/default/uploads/memo.pdf: corrupt"):
# its folders are dropped, its file name kept. Messages are short and ours, never a document.
_PATH = re.compile(r"(?<![\w.:/])/(?:[^\s'\"/]+/)+(?=[^\s'\"/])")
_DECISION_WORDS = re.compile(r"\b(?:order|opinion|decision|judgment|ruling)\b", re.IGNORECASE)


def without_paths(message: str) -> str:
    """`message` with every absolute path cut to its file name."""
    return _PATH.sub("", message)


@dataclass(frozen=True)
class Overview:
    """What a case holds, for the header of the app."""

    case: str
    documents: int
    pages: int
    ocr_pages: int
    last_ingest: str  # ISO time of the latest ingest, "" when empty

    def markdown(self) -> str:
        if not self.documents:
            return (
                f"**Case “{self.case}”** has no documents yet: add them under *Documents* "
                "below, or with `casefile ingest`."
            )
        ocr = f" ({self.ocr_pages} read by OCR)" if self.ocr_pages else ""
        pages = f"{_count(self.pages, 'page')}{ocr} · " if self.pages else ""
        when = self.last_ingest[:16].replace("T", " ")
        return (
            f"**Case “{self.case}”** · {_count(self.documents, 'document')} · {pages}"
            f"last added {when} UTC"
        )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def overview(case: str, records: list[DocumentRecord]) -> Overview:
    """The counts of a case."""
    return Overview(
        case=case,
        documents=len(records),
        pages=sum(r.page_count for r in records),
        ocr_pages=sum(len(r.ocr_pages) for r in records),
        last_ingest=max((r.ingested_at for r in records), default=""),
    )


def suggested_questions(records: list[DocumentRecord], desk: CaseDesk | None) -> list[str]:
    """Questions made from what the case's documents state: who decides, who represents
    whom (the clients most often named first), what a court ordered. Candidates: the
    app keeps those the documents answer."""
    people = desk.people() if desk is not None else []
    questions: list[str] = []
    if any(role.role == "judge" for p in people for role, _ in p.roles):
        questions.append("Which judge is hearing the case?")
    from assistant.desk import describe

    clients: dict[str, int] = {}
    for person in people:
        for role, _ in person.roles:
            client = describe(role).partition(" for ")[2]
            if role.role == "lawyer" and client:
                clients[client] = clients.get(client, 0) + 1
    for client in sorted(clients, key=lambda c: (-clients[c], c))[:3]:
        the = "" if client[0].isupper() or client.startswith("the ") else "the "
        questions.append(f"Who represents {the}{client}?")
    if any(r.court and _DECISION_WORDS.search(r.title) for r in records):
        questions.append("What did the court order?")
    return list(dict.fromkeys(questions))


class Cases:
    """The assistants of the cases opened by the app, sharing one embedder and one Chroma
    client; chat models come from the process's one registry."""

    def __init__(self, settings: Settings) -> None:
        from vectorstore.embeddings import make_embeddings
        from vectorstore.store import make_client

        self.settings = settings
        self.client = make_client(settings)
        self.embeddings = make_embeddings(settings.embedding, settings.home)
        self._assistants: dict[str, CaseAssistant] = {}
        self._pages: dict[str, PageView] = {}
        self._suggestions: dict[str, tuple[frozenset[str], list[str]]] = {}
        self._lock = threading.Lock()
        self._upload_locks: dict[str, threading.Lock] = {}

    def names(self) -> list[str]:
        """The cases on the store (the default one first when it has none)."""
        from vectorstore.store import list_cases

        return list_cases(self.client) or [self.settings.case]

    def assistant(self, case: str, *, create: bool = False) -> CaseAssistant:
        """The assistant of `case`; `CaseNotFound` unless it exists or `create` is given."""
        from assistant import CaseAssistant
        from vectorstore.cases import open_case

        case = check_case_name(case)
        with self._lock:
            if case not in self._assistants:
                store = open_case(
                    self.settings,
                    case,
                    create=create,
                    embeddings=self.embeddings,
                    client=self.client,
                )
                self._assistants[case] = CaseAssistant(store, self.settings)
            return self._assistants[case]

    def warm(self, case: str) -> None:
        """Load what the first question on `case` needs (`CaseAssistant.warm_up`); a case
        that does not exist yet has nothing to load, and a failure here is the first
        question's to report."""
        try:
            self.assistant(case).warm_up()
        except (CaseNotFound, InvalidCaseName):
            pass
        except Exception:
            log.warning("case %r: not made ready before its first question", case, exc_info=True)

    def records(self, case: str) -> list[DocumentRecord]:
        """The documents of `case`; none for a case that does not exist yet."""
        try:
            return self.assistant(case).store.records()
        except (CaseNotFound, InvalidCaseName):  # typed in, not made (yet): nothing in it
            return []

    def desk(self, case: str) -> CaseDesk:
        """The reporter's desk of a case: the assistant's own, so it is read once."""
        return self.assistant(case).desk

    def pages(self, case: str) -> PageView:
        """The page view of a case's PDFs (rendered pages cached in the case's folder)."""
        from assistant.pages import PageView

        store = self.assistant(case).store
        with self._lock:
            if case not in self._pages:
                self._pages[case] = PageView(
                    store, self.settings.pages, cache=self.settings.case_dir(case) / "page-cache"
                )
            return self._pages[case]

    def document_text(self, case: str, doc_id: str) -> str:
        return self.assistant(case).store.document_text(doc_id)

    def overview(self, case: str) -> Overview:
        """The counts of a case, read from its registry (no document is read)."""
        return overview(case, self.records(case))

    def suggestions(self, case: str) -> list[str]:
        """Up to four questions the case's documents answer, made again only when its
        documents change. The first call reads the desk and asks them: slow on a large case,
        so the app shows the counts first and these after."""
        records = self.records(case)
        key = frozenset(r.doc_id for r in records)
        cached = self._suggestions.get(case)
        if cached is not None and cached[0] == key:
            return cached[1]
        kept: list[str] = []
        if records:
            assistant = self.assistant(case)
            # Only what the documents answer: a suggestion that is refused helps no one.
            for question in suggested_questions(records, assistant.desk):
                if assistant.ask(question, model="extractive").answerable:
                    kept.append(question)
                if len(kept) == SUGGESTIONS:
                    break
        self._suggestions[case] = (key, kept)
        return kept

    def upload_lock(self, case: str) -> threading.Lock:
        """Held while files are copied into a case's uploads folder and ingested, so two
        sessions adding a file of the same name never ingest each other's copy."""
        with self._lock:
            return self._upload_locks.setdefault(case, threading.Lock())


def user_errors(function: Callable[P, R]) -> Callable[P, R]:
    """An API function whose domain errors reach the caller as their message (gr.Error),
    without the server's paths."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except CasefileError as exc:
            raise gr.Error(without_paths(str(exc))) from exc

    return wrapper


class CaseAPI:
    """The app's named endpoints, over the cases it serves. Read-only calls never create a
    case; `case` defaults to the settings' case."""

    def __init__(self, cases: Cases) -> None:
        self.cases = cases

    def _case(self, case: str | None) -> str:
        return case or self.cases.settings.case

    def ask(
        self,
        question: str,
        case: str | None = None,
        model: str | None = None,
        k: int | None = None,
        docs: list[str] | None = None,
        history: list[list[str]] | None = None,
    ) -> dict[str, Any]:
        """Ask a question of a case; returns the `casefile ask --json` object (sources by
        file name). `history` is the conversation so far as [question, answer] pairs."""
        from assistant.pages import with_boxes

        settings = self.cases.settings
        case = self._case(case)
        assistant = self.cases.assistant(case)
        pairs = [tuple(pair) for pair in history or [] if len(pair) == 2]
        answer = assistant.ask(
            question,
            pairs,
            model=model or settings.model,
            k=int(k or settings.retrieval.k),
            docs=docs or None,
        )
        return public(with_boxes(answer.to_json(), self.cases.pages(case), answer.citations))

    def sources(self, case: str | None = None) -> list[dict[str, Any]]:
        """The documents of a case: title, file, kind, date, pages, chunks, doc_id."""
        return [document_row(r) for r in self.cases.assistant(self._case(case)).store.records()]

    def remove(self, doc: str, case: str | None = None) -> list[dict[str, Any]]:
        """Remove a document (doc_id, id prefix or file name) from a case; returns the
        documents left."""
        store = self.cases.assistant(self._case(case)).store
        store.delete_document(store.find(doc).doc_id)
        return self.sources(case)

    def page(
        self,
        doc: str,
        page: int | None = None,
        start: int | None = None,
        end: int | None = None,
        width: int | None = None,
        case: str | None = None,
    ) -> dict[str, Any]:
        """A page of a PDF of the case (doc_id, id prefix or file name) as a PNG data URL,
        with the quote `text[start:end]` highlighted; default page: the quote's.

        Returns doc_id, page, pages, image, boxes (of the quote on this page) and notice.
        """
        from assistant.pages import boxes_json

        view = self.cases.pages(self._case(case))
        record = view.store.find(doc)  # a document of the case, never a path opened
        span = (int(start), int(end)) if start is not None and end is not None else None
        shown = view.show(
            record.doc_id,
            int(page) if page else None,
            span=span,
            width=int(width) if width else None,
        )
        return {
            "doc_id": shown.doc_id,
            "page": shown.page,
            "pages": shown.pages,
            "image": "data:image/png;base64," + base64.b64encode(shown.png).decode("ascii"),
            "notice": shown.notice,
            **boxes_json(shown.placement),
        }

    def register(self) -> None:
        """Add the endpoints to the Blocks being built."""
        for name in ("ask", "sources", "remove", "page"):
            gr.api(user_errors(getattr(self, name)), api_name=name)


def public(value: Any) -> Any:
    """A reply as a client gets it: every `source` in it (citations, passages, the nearest
    sentence, whatever comes next) named by file, never by the server's path."""
    if isinstance(value, dict):
        return {
            k: source_name(v) if k == "source" and isinstance(v, str) else public(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [public(v) for v in value]
    return value


def document_row(r: DocumentRecord) -> dict[str, Any]:
    """One document as the app lists it."""
    return {
        "title": r.title,
        "file": r.name,
        "kind": r.kind,
        "date": r.date or "",
        "pages": r.page_count or "",
        "chunks": r.chunk_count,
        "doc_id": r.doc_id,
    }
