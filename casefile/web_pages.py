"""The page view of the chat: a citation into a PDF shown on the page the court filed, the
quote highlighted where it stands, with a pager and zoom, beside the text view.

The image is sent inside the HTML as a data URL: nothing is served from a path, and the
document shown is always one the session's own answer cites, found by doc_id in the case.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from typing import Any

import gradio as gr

from assistant import Answer
from assistant.pages import PageView, ShownPage
from casefile.kernel.errors import CasefileError
from casefile.kernel.records import Citation
from casefile.render import span_html

CSS = """
#cf-page .cf-page-head { margin: 0 0 4px 0; }
#cf-page .cf-page-note { background: #fff4e5; padding: 4px 8px; border-radius: 6px; margin: 4px 0; }
#cf-page .cf-page-ok { color: #555; font-size: 0.9em; margin: 4px 0; }
#cf-page .cf-page-scroll { overflow: auto; max-height: 88vh; border: 1px solid #ccc;
  background: #888; text-align: center; }
#cf-page .cf-page-frame { position: relative; display: inline-block; line-height: 0; }
#cf-page .cf-page-frame img { display: block; max-width: 100%; max-height: 86vh; }
#cf-page .cf-page-frame.cf-zoomed img { max-height: none; max-width: none; }
#cf-page .cf-page-mark { position: absolute; pointer-events: none; }
"""
# Zooms in the browser without a round trip: the image is sent once, at full width.
ZOOM_JS = """(zoom) => {
  for (const frame of document.querySelectorAll('#cf-page .cf-page-frame')) {
    const img = frame.querySelector('img');
    const box = frame.parentElement;
    if (!img || !img.naturalHeight) continue;
    if (zoom > 100) {
      const fit = Math.min(box.clientWidth, 0.86 * window.innerHeight *
                           img.naturalWidth / img.naturalHeight);
      frame.classList.add('cf-zoomed');
      img.style.width = Math.round(fit * zoom / 100) + 'px';
      const mark = frame.querySelector('.cf-page-mark');
      if (mark) {
        box.scrollTop = mark.offsetTop + mark.offsetHeight / 2 - box.clientHeight / 2;
        box.scrollLeft = mark.offsetLeft - 24;
      }
    } else {
      frame.classList.remove('cf-zoomed');
      img.style.width = '';
    }
  }
  return [];
}"""
EMPTY_PAGE = (
    '<div class="cf-page-view"><p class="cf-empty">The page of a cited PDF appears here, '
    "the quote highlighted on it.</p></div>"
)
NO_PDF = (
    '<div class="cf-page-view"><p class="cf-empty">No source of this answer is a PDF: '
    "its text is shown under Sources.</p></div>"
)

Pages = Callable[[str], PageView]


def pdf_citations(answer: Answer | None) -> list[Citation]:
    """The citations of an answer that have pages to show."""
    return [c for c in answer.citations if c.page is not None] if answer else []


def page_html(shown: ShownPage, citation: Citation | None) -> str:
    """The page image with its heading ("[1] Title — page 5 of 12") and what it shows."""
    label = f"[{citation.n}] " if citation else ""
    head = (
        f'<p class="cf-page-head"><b>{html.escape(label + shown.title)}</b> — '
        f'<span class="cf-page-number">page {shown.page} of {shown.pages}</span></p>'
    )
    if shown.notice:
        note = f'<p class="cf-page-note">{html.escape(shown.notice)}</p>'
    elif shown.boxes:
        note = '<p class="cf-page-ok">The quoted words are highlighted on the page.</p>'
    else:
        note = ""
    marks = "".join(
        f'<span class="cf-page-mark" style="left:{b.x0 * 100:.2f}%;top:{b.y0 * 100:.2f}%;'
        f'width:{(b.x1 - b.x0) * 100:.2f}%;height:{(b.y1 - b.y0) * 100:.2f}%"></span>'
        for b in shown.boxes[:1]
    )
    data = base64.b64encode(shown.png).decode("ascii")
    alt = f"page {shown.page} of {shown.pages} of {shown.name}"
    return (
        f'<div class="cf-page-view" data-doc="{html.escape(shown.doc_id)}" '
        f'data-page="{shown.page}" data-pages="{shown.pages}" '
        f'data-highlighted="{"yes" if shown.boxes else "no"}">'
        f"{head}{note}"
        '<div class="cf-page-scroll">'
        '<div class="cf-page-frame">'
        f'<img class="cf-page-img" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'
        f"{marks}</div></div></div>"
    )


def error_html(message: str) -> str:
    return f'<div class="cf-page-view"><p class="cf-page-note">{html.escape(message)}</p></div>'


class PageViewPanel:
    """The page view's components in the Blocks being built, and how to drive them."""

    def __init__(self, pages_of: Pages, answers: gr.State, case: gr.Dropdown) -> None:
        self.pages_of = pages_of
        with gr.Row(elem_id="cf-page-row"):
            with gr.Column(scale=1, min_width=240):
                self.pick = gr.Radio([], label="Show the page of citation", elem_id="cf-page-pick")
                with gr.Row():
                    previous = gr.Button("◀ Previous page", size="sm", elem_id="cf-page-prev")
                    following = gr.Button("Next page ▶", size="sm", elem_id="cf-page-next")
                self.zoom = gr.Slider(
                    100, 400, value=100, step=25, label="Zoom (%)", elem_id="cf-page-zoom"
                )
                # The stored text of the quote, to read beside the page the court filed.
                self.text = gr.HTML("", elem_id="cf-page-text")
            with gr.Column(scale=3):
                self.view = gr.HTML(EMPTY_PAGE, elem_id="cf-page")
        self.where = gr.State(None)  # {"n": the citation shown, "page": the page shown}
        self.answers = answers
        self.case = case
        shown = [self.view, self.text, self.where]
        self._zoomed(
            self.pick.input(
                lambda a, c, n: self.render(a, c, n, None),
                [answers, case, self.pick],
                shown,
                api_visibility="private",
            )
        )
        for button, step in ((previous, -1), (following, 1)):
            self._zoomed(
                button.click(
                    lambda a, c, s, step=step: self.turn(a, c, s, step),
                    [answers, case, self.where],
                    shown,
                    api_visibility="private",
                )
            )
        self.zoom.change(None, [self.zoom], None, js=ZOOM_JS)

    def _zoomed(self, event: Any) -> None:
        event.then(None, [self.zoom], None, js=ZOOM_JS)

    def follow(self, event: Any) -> None:
        """After `event` (a new answer), show its first citation into a PDF."""
        self._zoomed(
            event.then(
                self.open_latest,
                [self.answers, self.case],
                [self.pick, self.view, self.text, self.where],
                api_visibility="private",
            )
        )

    def clear(self, event: Any) -> None:
        """After `event` (another case chosen), empty the view."""
        event.then(
            lambda: (gr.update(choices=[], value=None), EMPTY_PAGE, "", None),
            None,
            [self.pick, self.view, self.text, self.where],
            api_visibility="private",
        )

    def render(
        self, chosen: Sequence[Answer], case_name: str, n: int | None, page: int | None
    ) -> tuple[str, str, dict[str, Any] | None]:
        """The page `page` (default: the quote's) of citation `n` of the latest answer, the
        quote in its stored text, and what is shown."""
        answer = chosen[-1] if chosen else None
        citation = next((c for c in pdf_citations(answer) if c.n == n), None)
        if citation is None:
            return (NO_PDF if answer else EMPTY_PAGE), "", None
        view = self.pages_of(case_name)
        text = span_html(
            f"[{citation.n}] text as stored",
            view.store.document_text(citation.doc_id),
            citation.start,
            citation.end,
            citation.pages.split(" ", 1)[-1],  # "3" or "3–4"
        )
        try:
            shown = view.show(citation.doc_id, page, span=(citation.start, citation.end))
        except CasefileError as exc:
            return error_html(str(exc)), text, {"n": citation.n, "page": page or citation.page}
        return page_html(shown, citation), text, {"n": citation.n, "page": shown.page}

    def open_latest(self, chosen: Sequence[Answer], case_name: str) -> tuple[Any, str, str, Any]:
        cited = pdf_citations(chosen[-1] if chosen else None)
        choices = [(f"[{c.n}] {c.title[:60]} · {c.pages}", c.n) for c in cited]
        first = cited[0].n if cited else None
        panel, text, state = self.render(chosen, case_name, first, None)
        return gr.update(choices=choices, value=first), panel, text, state

    def turn(
        self, chosen: Sequence[Answer], case_name: str, state: dict[str, Any] | None, step: int
    ) -> tuple[Any, Any, Any]:
        """The page before or after the one shown, within the document."""
        if not state:
            return gr.skip(), gr.skip(), state
        answer = chosen[-1] if chosen else None
        citation = next((c for c in pdf_citations(answer) if c.n == state["n"]), None)
        if citation is None:
            return gr.skip(), gr.skip(), state
        try:
            last = max(self.pages_of(case_name).document(citation.doc_id).page_count, 1)
        except CasefileError as exc:  # removed from the case since the answer
            return error_html(str(exc)), gr.skip(), state
        page = min(last, max(1, int(state.get("page") or 1) + step))
        return self.render(chosen, case_name, state["n"], page)
