"""Answers as safe Markdown for the chat, as HTML for the sources panel, and as export files.

Everything that comes from a document is untrusted: it is HTML-escaped and its Markdown
syntax neutralised, so a `<script>`, an `<img onerror=...>` or a `javascript:` link in a
document shows as those characters and never runs.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.kernel.errors import PageUnavailable
from casefile.kernel.records import OCR_NOTE, Answer, Citation, file_name

if TYPE_CHECKING:
    from assistant.pages import PageView

log = logging.getLogger(__name__)

CONTEXT_CHARS = 320
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_URL = re.compile(r"^https?://[^\s<>\"']+$")

DocumentText = Callable[[str], str]
# A citation's page as an image file beside an export: (relative path, what to note), or None.
PageImage = Callable[[Citation], tuple[str, str] | None]


_OPENING_MARKS = ("“", '"', "‘", "'", "«")


def quoted(text: str) -> str:
    """`text` between quotation marks, unless it opens with its own: one pair, never
    "““Ms. Lively …" when the quoted sentence itself begins a quotation."""
    return text if text.startswith(_OPENING_MARKS) else f"“{text}”"


def safe_markdown(text: str) -> str:
    """`text` shown literally by a Markdown renderer: HTML escaped, Markdown syntax escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def chat_markdown(answer: Answer, turn: int | None = None) -> str:
    """The answer as it appears in the chat: the short answer first, the sentences that
    hold it with [n] markers, then a short source list. With `turn` (the answer's place in
    the conversation) each [n] is a link that opens citation n of that answer's page."""

    def marker(n: int) -> str:
        if turn is None:
            return f"\\[{n}\\]"
        return f'<a class="cf-cite" href="#cf-cite-{turn}-{n}" title="Open source {n}">[{n}]</a>'

    lines = []
    if answer.standalone_question and answer.standalone_question != answer.question:
        # A follow-up: how it was understood, so a misreading is seen and asked again.
        lines.append(f"*Read as: {safe_markdown(answer.standalone_question)}*\n")
    if answer.answerable:
        if answer.notice:
            lines.append(f"*{safe_markdown(answer.notice)}*\n")
        if answer.short is not None:
            # The fact first, as the reader found it, then the sentences that hold it.
            short = answer.short
            lines.append(f"**{safe_markdown(short.text)}** {marker(short.citation)}\n")
        lines.append(
            " ".join(
                safe_markdown(s.text) + "".join(f" {marker(n)}" for n in s.citations)
                for s in answer.sentences
            )
        )
    else:
        lines.append(f"**{safe_markdown(answer.answer)}**")
        if answer.notice:
            lines.append(f"\n{safe_markdown(answer.notice)}")
    if answer.citations:
        lines.append("")
        lines.append("**Sources**")
        for c in answer.citations:
            lines.append(f"{marker(c.n)} {safe_markdown(_where(c))}  ")
    if answer.unsupported:
        lines.append("")
        lines.append(
            f"*{len(answer.unsupported)} sentence(s) not supported by the documents "
            "were removed: see Sources.*"
        )
    return "\n".join(lines)


def _where(c: Citation) -> str:
    parts = [
        c.title,
        c.date or "",
        c.pages,
        source_name(c.source),
        "OCR: check the scan" if c.ocr else "",
    ]
    return " · ".join(p for p in parts if p)


def source_name(source: str) -> str:
    """How a document's source is shown: a URL as it is, a file by its name (never the
    folders it sits in on the server)."""
    return source if _URL.match(source) else file_name(source)


def sources_html(answer: Answer | None, document_text: DocumentText) -> str:
    """The sources panel: each citation in its surrounding text, the quote highlighted."""
    if answer is None:
        return (
            '<div class="cf-sources"><p class="cf-empty">'
            "Sources of the latest answer appear here.</p></div>"
        )
    parts = [
        '<div class="cf-sources">',
        f'<p class="cf-question">Sources for: <b>{html.escape(answer.question)}</b></p>',
    ]
    if answer.notice:
        parts.append(f'<p class="cf-notice">{html.escape(answer.notice)}</p>')
    for c in answer.citations:
        text = document_text(c.doc_id)
        before = text[max(0, c.start - CONTEXT_CHARS) : c.start]
        after = text[c.end : c.end + CONTEXT_CHARS]
        parts.append(
            f'<details class="cf-citation" id="cf-citation-{c.n}" open>'
            f"<summary><b>[{c.n}]</b> {html.escape(c.title)}</summary>"
            f'<p class="cf-meta">{_meta_html(c)}</p>'
            f'<blockquote class="cf-context">{"…" if c.start > CONTEXT_CHARS else ""}'
            f"{_paragraphs(before)}<mark>{_paragraphs(c.quote)}</mark>{_paragraphs(after)}"
            f"{'…' if c.end + CONTEXT_CHARS < len(text) else ''}</blockquote>"
            "</details>"
        )
    if answer.unsupported:
        parts.append(
            '<div class="cf-unsupported"><p><b>Not supported by the documents</b> '
            "(removed from the answer):</p><ul>"
        )
        for s in answer.unsupported:
            parts.append(
                f"<li><s>{html.escape(s.text)}</s> <small>{html.escape(s.reason)}</small></li>"
            )
        parts.append("</ul></div>")
    if not answer.answerable and answer.passages:
        parts.append("<p><b>Nearest passages</b> (they do not answer the question):</p>")
        for p in answer.passages:
            page = f", page {p.page}" if p.page else ""
            parts.append(
                f'<details class="cf-passage"><summary>{html.escape(p.title)}{page}</summary>'
                f'<blockquote class="cf-context">{_paragraphs(p.text)}</blockquote></details>'
            )
    parts.append("</div>")
    return "".join(parts)


def span_html(title: str, text: str, start: int, end: int, page: int | str | None = None) -> str:
    """One span of a document in its surrounding text, highlighted: a row's source."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    where = " · ".join(
        p for p in (f"page {page}" if page else "", f"characters {start}–{end}") if p
    )
    return (
        '<div class="cf-sources"><details class="cf-citation" open>'
        f"<summary><b>{html.escape(title)}</b></summary>"
        f'<p class="cf-meta">{html.escape(where)}</p>'
        f'<blockquote class="cf-context">{"…" if start > CONTEXT_CHARS else ""}'
        f"{_paragraphs(before)}<mark>{_paragraphs(text[start:end])}</mark>{_paragraphs(after)}"
        f"{'…' if end + CONTEXT_CHARS < len(text) else ''}</blockquote></details></div>"
    )


def _meta_html(c: Citation) -> str:
    items = [html.escape(c.date)] if c.date else []
    if c.page:
        items.append(c.pages)
    if c.ocr:
        items.append(f'<b class="cf-ocr">{html.escape(OCR_NOTE)}</b>')
    items.append(f"characters {c.start}–{c.end}")
    if _URL.match(c.source):
        href = html.escape(c.source, quote=True)
        items.append(f'<a href="{href}" rel="noopener noreferrer" target="_blank">{href}</a>')
    else:
        items.append(f"<code>{html.escape(source_name(c.source))}</code>")
    return " · ".join(items)


def _paragraphs(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def export_markdown(
    answers: Sequence[Answer], case: str, page_image: PageImage | None = None
) -> str:
    """A conversation (or one answer) as Markdown with footnote citations; with
    `page_image`, each footnote into a PDF shows its page with the quote highlighted.

    HTML in document text is escaped, so no Markdown viewer renders (or runs) it.
    """
    lines = _export_lines(answers, case, page_image)
    return html.escape("\n".join(lines), quote=False) + "\n"


def page_image_writer(view: PageView, folder: Path, width: int | None = None) -> PageImage:
    """Writes the page of each citation into a PDF, the quote highlighted, as
    `folder/pages/<doc>-<start>-<end>.png`; a document without a page to show gets none."""

    def write(c: Citation) -> tuple[str, str] | None:
        if c.page is None:
            return None
        name = f"pages/{c.doc_id[:12]}-{c.start}-{c.end}.png"
        try:
            shown = view.show(c.doc_id, span=(c.start, c.end), width=width)
        except PageUnavailable as exc:
            log.info("no page image for citation %s: %s", c.n, exc)
            return None
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(shown.png)
        return name, shown.notice

    return write


def _export_lines(
    answers: Sequence[Answer], case: str, page_image: PageImage | None = None
) -> list[str]:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Casefile: case “{case}”", "", f"Exported {stamp}.", ""]
    footnotes: list[str] = []
    for answer in answers:
        lines += [f"## {answer.question}", ""]
        if answer.notice:
            lines += [f"> {answer.notice}", ""]
        if not answer.answerable:
            lines += [answer.answer, ""]
            continue
        body = []
        for sentence in answer.sentences:
            marks = ""
            for n in sentence.citations:
                c = answer.citation(n)
                image = page_image(c) if page_image else None
                footnotes.append(_footnote(len(footnotes) + 1, c, image))
                marks += f"[^{len(footnotes)}]"
            body.append(sentence.text + marks)
        lines += [" ".join(body), ""]
        if answer.unsupported:
            lines.append("Not supported by the documents (removed):")
            lines += [f"- ~~{s.text}~~ ({s.reason})" for s in answer.unsupported]
            lines.append("")
        lines += [f"*Model: {answer.model}*", ""]
    return lines + footnotes


def _footnote(number: int, c: Citation, image: tuple[str, str] | None = None) -> str:
    where = ", ".join(
        p
        for p in (c.title, c.date or "", c.pages, source_name(c.source), OCR_NOTE if c.ocr else "")
        if p
    )
    quote = " ".join(c.quote.split())
    note = f"[^{number}]: {where}: {quoted(quote)} (characters {c.start}–{c.end})"
    if image:
        path, notice = image
        note += f" ![{c.pages} as filed]({path}) {notice or '(the quote highlighted)'}"
    return note
