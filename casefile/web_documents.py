"""The web app's Documents panel: add files to a case, list its documents, remove one
after confirming — each step says what it did."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from casefile.kernel.errors import CasefileError
from casefile.web_cases import Cases, document_row, without_paths

COLUMNS = ["title", "file", "kind", "date", "pages", "chunks", "doc_id"]


def safe_upload_name(name: str) -> str:
    """A file name that cannot leave the uploads folder or hide itself."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .")
    return (base or "upload")[:120]


def ingest_files(
    cases: Cases, files: list[str], case: str, progress: Any = None
) -> list[list[str]]:
    """Copy uploaded files into the case's uploads folder and ingest them: one row per file
    (name, outcome, detail); a refused file never stops the others."""
    from ingest.loaders import supported_suffixes
    from ingest.pipeline import ingest_paths

    settings = cases.settings
    suffixes = supported_suffixes()
    folder = settings.case_dir(case) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = []
    limit = settings.ingest.max_file_mb * 1024 * 1024
    store = cases.assistant(case, create=True).store
    with cases.upload_lock(case):
        accepted: list[Path] = []
        for path in map(Path, files):
            name = safe_upload_name(path.name)
            if Path(name).suffix.lower() not in suffixes:
                allowed = ", ".join(sorted(suffixes))
                rows.append([name, "failed", f"not an allowed type (allowed: {allowed})"])
            elif path.stat().st_size > limit:
                rows.append([name, "failed", f"over the {settings.ingest.max_file_mb:g} MB limit"])
            else:
                target = folder / name
                shutil.copyfile(path, target)
                accepted.append(target)
        total = max(1, len(accepted))
        done = [0]

        def advance(outcome: Any) -> None:
            done[0] += 1
            if progress is not None:
                progress((done[0], total), desc=f"ingested {outcome.path.name}")

        report = ingest_paths(accepted, store, settings.ingest, on_file=advance)
    for outcome in report.outcomes:
        detail = outcome.reason or (f"{outcome.chunks} chunks" if outcome.chunks else "")
        rows.append([outcome.path.name, outcome.status, without_paths(detail)])
    return rows


def uploader(cases: Cases) -> Callable[..., list[list[str]]]:
    """The upload button's function (Gradio passes its progress bar as a default)."""

    def upload(
        files: list[str] | None,
        case: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (how Gradio hands it over)
    ) -> list[list[str]]:
        return ingest_files(cases, files or [], case, progress)

    return upload


@dataclass
class DocumentsPanel:
    """The panel's components in the Blocks being built; `changed` lists what must be
    refreshed when the case's documents change (picker, listing, remove choice)."""

    files: gr.File
    add: gr.Button
    outcomes: gr.Dataframe
    listing: gr.Dataframe
    to_remove: gr.Dropdown
    remove: gr.Button
    confirm_row: gr.Row
    confirm_text: gr.Markdown
    confirm: gr.Button
    cancel: gr.Button
    status: gr.Markdown

    def wire(self, cases: Cases, case: gr.Dropdown, changed: Callable[[Any], Any]) -> None:
        """Connect the panel's buttons; `changed(event)` refreshes what shows the case after
        an upload or a removal."""
        private: dict[str, Any] = {"api_visibility": "private"}
        changed(
            self.add.click(uploader(cases), [self.files, case], self.outcomes, api_name="ingest")
        )
        self.remove.click(
            lambda c, d: ask_to_remove(cases, c, d),
            [case, self.to_remove],
            [self.confirm_row, self.confirm_text, self.status],
            **private,
        )
        self.cancel.click(
            lambda: (gr.update(visible=False), "Nothing was removed."),
            None,
            [self.confirm_row, self.status],
            **private,
        )
        changed(
            self.confirm.click(
                lambda c, d: remove_document(cases, c, d),
                [case, self.to_remove],
                [self.confirm_row, self.status, self.outcomes],
                **private,
            )
        )


def documents_panel(suffixes: list[str]) -> DocumentsPanel:
    """Build the panel (inside an accordion the caller opens)."""
    files = gr.File(
        file_count="multiple", file_types=suffixes, label="Add documents", type="filepath"
    )
    add = gr.Button("Add to case", variant="primary")
    outcomes = gr.Dataframe(
        headers=["file", "outcome", "detail"],
        label="Upload results",
        interactive=False,
        elem_id="cf-upload-results",
    )
    listing = gr.Dataframe(
        headers=COLUMNS, label="Documents in the case", interactive=False, elem_id="cf-documents"
    )
    with gr.Row():
        to_remove = gr.Dropdown([], label="Document to remove", scale=3, elem_id="cf-remove-pick")
        remove = gr.Button("Remove…", variant="stop", scale=1, elem_id="cf-remove")
    with gr.Row(visible=False, elem_id="cf-remove-confirm") as confirm_row:
        confirm_text = gr.Markdown()
        confirm = gr.Button("Yes, remove it", variant="stop", scale=0)
        cancel = gr.Button("Cancel", scale=0)
    status = gr.Markdown(elem_id="cf-documents-status")
    return DocumentsPanel(
        files,
        add,
        outcomes,
        listing,
        to_remove,
        remove,
        confirm_row,
        confirm_text,
        confirm,
        cancel,
        status,
    )


def listing(cases: Cases, case: str) -> tuple[Any, list[list[Any]], Any]:
    """The document picker, the listing and the remove choice of a case."""
    records = cases.records(case)
    picks = [(f"{r.name} — {r.title}", r.doc_id) for r in records]
    rows = [[document_row(r)[c] for c in COLUMNS] for r in records]
    return gr.update(choices=picks, value=[]), rows, gr.update(choices=picks, value=None)


def ask_to_remove(cases: Cases, case: str, doc_id: str | None) -> tuple[Any, str, str]:
    """The confirmation row for the chosen document (or why nothing can be removed)."""
    if not doc_id:
        return gr.update(visible=False), "", "Choose a document to remove first."
    record = next((r for r in cases.records(case) if r.doc_id == doc_id), None)
    if record is None:
        return gr.update(visible=False), "", "That document is no longer in the case."
    question = (
        f"Remove **{_plain(record.name)}** ({_plain(record.title)}, {record.chunk_count} chunks) "
        f"from case “{_plain(case)}”? Its passages stop answering questions."
    )
    return gr.update(visible=True), question, ""


def remove_document(cases: Cases, case: str, doc_id: str | None) -> tuple[Any, str, Any]:
    """Remove the chosen document: (confirm row hidden, what happened, upload results
    cleared)."""
    hidden = gr.update(visible=False)
    if not doc_id:
        return hidden, "Nothing was removed.", gr.skip()
    store = cases.assistant(case).store
    try:
        record = store.find(doc_id)
        store.delete_document(record.doc_id)
    except CasefileError as exc:
        return hidden, f"Nothing was removed: {_plain(without_paths(str(exc)))}", gr.skip()
    left = len(store.records())
    said = f"Removed **{_plain(record.name)}** ({_plain(record.title)}); {left} document(s) left."
    return hidden, said, []


def _plain(text: str) -> str:
    """A name or title shown in Markdown as it is written."""
    from casefile.render import safe_markdown

    return safe_markdown(text)
