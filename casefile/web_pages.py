"""The source viewer beside the chat: a citation into a PDF shown on the page the court
filed, the quote highlighted where it stands, with a pager and zoom; a citation into a
document without pages shown in its text, the quote highlighted.

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
#cf-pager { align-items: center; }
/* The pager and zoom only for a page: not for a text source, a refusal or an empty view. */
#cf-viewer:has(.cf-text-view) #cf-pager, #cf-viewer:has(.cf-nearest) #cf-pager,
#cf-viewer:has(.cf-waiting) #cf-pager { display: none; }
#cf-page .cf-page-scroll { overflow: auto; max-height: max(360px, calc(100vh - 470px));
  border: 1px solid #ccc; background: #888; text-align: center; }
#cf-page .cf-page-frame { position: relative; display: inline-block; line-height: 0; }
#cf-page .cf-page-frame img { display: block; max-width: 100%;
  max-height: max(350px, calc(100vh - 480px)); }
#cf-page .cf-context { max-height: 60vh; overflow: auto; }
.cf-hidden { display: none !important; }
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
      const fit = Math.min(box.clientWidth, Math.max(350, window.innerHeight - 480) *
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
    '<div class="cf-page-view cf-waiting"><p class="cf-empty">Click a marker such as [1] in '
    "an answer: its source opens here, the quote highlighted on the page the court filed.</p></div>"
)
# Opens a citation when one of its [n] markers is clicked in the chat: the link's target
# ("#cf-cite-<turn>-<n>") goes to a hidden box whose change the server answers.
LINKS_JS = """() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#cf-cite-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const box = document.querySelector('#cf-cite-target textarea, #cf-cite-target input');
    if (!box) return;
    box.value = link.getAttribute('href').slice('#cf-cite-'.length) + '-' + Date.now();
    box.dispatchEvent(new Event('input', {bubbles: true}));
  }, true);
}"""
# After a citation opens: the viewer and its highlight in view.
REVEAL_JS = """() => {
  const mark = document.querySelector('#cf-page .cf-page-mark, #cf-page mark');
  if (!mark) return [];
  const box = mark.closest('.cf-page-scroll, .cf-context');
  if (box) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
  const seen = mark.getBoundingClientRect();
  if (seen.top < 0 || seen.bottom > window.innerHeight) {
    mark.scrollIntoView({block: 'center'});
  }
  return [];
}"""

Pages = Callable[[str], PageView]
Where = dict[str, int] | None  # {"turn": answer shown, "n": its citation, "page": page shown}


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
    n = citation.n if citation else ""
    return (
        f'<div class="cf-page-view" data-n="{n}" data-doc="{html.escape(shown.doc_id)}" '
        f'data-page="{shown.page}" data-pages="{shown.pages}" '
        f'data-highlighted="{"yes" if shown.boxes else "no"}">'
        f"{head}{note}"
        '<div class="cf-page-scroll">'
        '<div class="cf-page-frame">'
        f'<img class="cf-page-img" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'
        f"{marks}</div></div></div>"
    )


def text_html(citation: Citation, text: str) -> str:
    """A citation into a document without pages (text, HTML, Word): the quote in its text."""
    return (
        f'<div class="cf-page-view cf-text-view" data-n="{citation.n}" '
        f'data-doc="{html.escape(citation.doc_id)}" data-highlighted="yes">'
        + span_html(f"[{citation.n}] {citation.title}", text, citation.start, citation.end)
        + "</div>"
    )


def nearest_html(answer: Answer, text_of: Callable[[str], str]) -> str:
    """For a refused question: the passage the documents come nearest with, in its text."""
    p = answer.nearest or (answer.passages[0] if answer.passages else None)
    if p is None:
        return EMPTY_PAGE
    return (
        '<div class="cf-page-view cf-nearest"><p class="cf-page-note">Not an answer, but the '
        "nearest passage the documents have:</p>"
        + span_html(p.title, text_of(p.doc_id), p.start, p.end, page=p.page)
        + "</div>"
    )


def error_html(message: str) -> str:
    return f'<div class="cf-page-view"><p class="cf-page-note">{html.escape(message)}</p></div>'


def choices(answer: Answer | None) -> list[tuple[str, int]]:
    """The citations of an answer as the viewer lists them: "[1] Title · page 3"."""
    if answer is None:
        return []
    return [
        (f"[{c.n}] {c.title[:60]}" + (f" · {c.pages}" if c.page else ""), c.n)
        for c in answer.citations
    ]


class CitationViewer:
    """Beside the chat: the source of a citation of an answer, on its PDF page (pager, zoom,
    and the quote in its stored text below) or in the text of a document without pages."""

    def __init__(self, pages_of: Pages, answers: gr.State, case: gr.Dropdown) -> None:
        self.pages_of = pages_of
        self.answers = answers
        self.case = case
        with gr.Column(elem_id="cf-viewer"):
            self.pick = gr.Radio([], label="Source", elem_id="cf-page-pick")
            with gr.Row(equal_height=False, elem_id="cf-pager"):
                previous = gr.Button(
                    "◀ Previous page", size="sm", scale=0, min_width=130, elem_id="cf-page-prev"
                )
                following = gr.Button(
                    "Next page ▶", size="sm", scale=0, min_width=130, elem_id="cf-page-next"
                )
                self.zoom = gr.Slider(
                    100, 400, value=100, step=25, label="Zoom (%)", elem_id="cf-page-zoom"
                )
            self.view = gr.HTML(EMPTY_PAGE, elem_id="cf-page")
            # The stored text of the quote, to read beside the page the court filed.
            self.text = gr.HTML("", elem_id="cf-page-text")
            self.target = gr.Textbox(
                elem_id="cf-cite-target", elem_classes=["cf-hidden"], show_label=False
            )
        self.where = gr.State(None)
        shown = [self.pick, self.view, self.text, self.where]
        self._revealed(
            self.pick.input(
                lambda a, c, w, n: self.render(a, c, (w or {}).get("turn", len(a) - 1), n),
                [answers, case, self.where, self.pick],
                shown,
                api_visibility="private",
            )
        )
        self._revealed(
            self.target.change(
                self.open_link,
                [answers, case, self.target],
                shown,
                api_visibility="private",
            )
        )
        for button, step in ((previous, -1), (following, 1)):
            self._revealed(
                button.click(
                    lambda a, c, w, step=step: self.turn(a, c, w, step),
                    [answers, case, self.where],
                    shown,
                    api_visibility="private",
                )
            )
        self.zoom.change(None, [self.zoom], None, js=ZOOM_JS)

    def _revealed(self, event: Any) -> None:
        event.then(None, [self.zoom], None, js=ZOOM_JS).then(None, None, None, js=REVEAL_JS)

    def follow(self, event: Any) -> None:
        """After `event` (a new answer), show its first source."""
        self._revealed(
            event.then(
                lambda a, c: self.render(a, c, len(a) - 1, None),
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

    def open_link(self, chosen: Sequence[Answer], case_name: str, target: str) -> tuple:
        """A clicked marker: "<turn>-<n>-<click time>"."""
        parts = (target or "").split("-")
        if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return self.render(chosen, case_name, int(parts[0]), int(parts[1]))

    def render(
        self,
        chosen: Sequence[Answer],
        case_name: str,
        turn: int,
        n: int | None,
        page: int | None = None,
    ) -> tuple[Any, str, str, Where]:
        """Citation `n` (default: the first) of answer `turn`, on page `page` (default: the
        quote's): the source list, the view, the quote in its stored text, what is shown."""
        answer = chosen[turn] if 0 <= turn < len(chosen) else None
        if answer is None:
            return gr.update(choices=[], value=None), EMPTY_PAGE, "", None
        listed, view, text, where = self._shown(answer, case_name, turn, n, page)
        return listed, f'<div class="cf-shown" data-turn="{turn}">{view}</div>', text, where

    def _shown(
        self, answer: Answer, case_name: str, turn: int, n: int | None, page: int | None
    ) -> tuple[Any, str, str, Where]:
        if not answer.citations:
            listed = gr.update(choices=[], value=None)
            return listed, nearest_html(answer, self._text_of(case_name)), "", None
        citation = next((c for c in answer.citations if c.n == n), answer.citations[0])
        listed = gr.update(choices=choices(answer), value=citation.n)
        view = self.pages_of(case_name)
        try:
            text = view.store.document_text(citation.doc_id)
        except CasefileError as exc:  # removed from the case since the answer
            return listed, error_html(str(exc)), "", None
        where: Where = {"turn": turn, "n": citation.n, "page": page or citation.page or 0}
        if citation.page is None:
            return listed, text_html(citation, text), "", where
        stored = span_html(
            f"[{citation.n}] text as stored",
            text,
            citation.start,
            citation.end,
            citation.pages.split(" ", 1)[-1],  # "3" or "3–4"
        )
        try:
            shown = view.show(citation.doc_id, page, span=(citation.start, citation.end))
        except CasefileError as exc:
            return listed, error_html(str(exc)), stored, where
        return listed, page_html(shown, citation), stored, {**where, "page": shown.page}

    def turn(
        self, chosen: Sequence[Answer], case_name: str, where: Where, step: int
    ) -> tuple[Any, Any, Any, Where]:
        """The page before or after the one shown, within the document."""
        if not where or not where.get("page"):
            return gr.skip(), gr.skip(), gr.skip(), where
        answer = chosen[where["turn"]] if where["turn"] < len(chosen) else None
        citation = (
            next((c for c in answer.citations if c.n == where["n"]), None) if answer else None
        )
        if citation is None:
            return gr.skip(), gr.skip(), gr.skip(), where
        try:
            last = max(self.pages_of(case_name).document(citation.doc_id).page_count, 1)
        except CasefileError as exc:  # removed from the case since the answer
            return gr.skip(), error_html(str(exc)), gr.skip(), where
        page = min(last, max(1, where["page"] + step))
        return self.render(chosen, case_name, where["turn"], citation.n, page)

    def _text_of(self, case_name: str) -> Callable[[str], str]:
        store = self.pages_of(case_name).store

        def text(doc_id: str) -> str:
            try:
                return store.document_text(doc_id)
            except CasefileError:
                return ""

        return text
