"""The web app's Chat tab: cited answers that lead with the fact, their sources opened
beside them, and exports of the conversation."""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Answer
from casefile.kernel.errors import CasefileError, CaseNotFound
from casefile.render import (
    chat_markdown,
    export_markdown,
    page_image_writer,
    safe_markdown,
    sources_html,
)
from casefile.web_cases import Cases, without_paths
from casefile.web_pages import CitationViewer

Reply = tuple[list[dict[str, str]], Any, list[Answer], str]


@dataclass
class Controls:
    """The settings of a question, chosen above the tabs."""

    case: gr.Dropdown
    model: gr.Dropdown
    k: gr.Slider
    docs: gr.Dropdown


def respond(
    cases: Cases,
    message: str,
    chat: list[dict[str, str]],
    case: str,
    model: str,
    k: float,
    docs: list[str],
    answers: list[Answer],
) -> Iterator[Reply]:
    """Stream an answer into the chat: (chat, sources panel, answers, question box)."""
    question = (message or "").strip()
    if not question:
        yield chat, gr.skip(), answers, ""
        return
    chat = [*chat, {"role": "user", "content": safe_markdown(question)}]
    partial = ""
    try:
        assistant = cases.assistant(case)
        # The answers themselves: a follow-up reads the question before it as it was
        # understood, and favours the documents its answer cited.
        for event in assistant.stream(
            question, list(answers), model=model, k=int(k), docs=docs or None
        ):
            if isinstance(event, Answer):
                turn = len(answers)
                answers = [*answers, event]
                final = [*chat, {"role": "assistant", "content": chat_markdown(event, turn)}]
                panel = sources_html(event, lambda d: cases.document_text(case, d))
                yield final, panel, answers, ""
            else:
                partial += event
                draft = f"{safe_markdown(partial)}\n\n*verifying against the documents…*"
                yield [*chat, {"role": "assistant", "content": draft}], gr.skip(), answers, ""
    except CaseNotFound:
        note = (
            f"*The case “{safe_markdown(case)}” has no documents yet: add them under "
            "Documents below.*"
        )
        yield [*chat, {"role": "assistant", "content": note}], gr.skip(), answers, ""
    except CasefileError as exc:
        note = f"*{safe_markdown(without_paths(str(exc)))}*"
        yield [*chat, {"role": "assistant", "content": note}], gr.skip(), answers, ""


def export(cases: Cases, answers: list[Answer], case: str, last_only: bool, pages: bool) -> Any:
    """The conversation (or its last answer) as a Markdown file; with `pages`, a zip of it
    and the cited pages with their quotes highlighted."""
    chosen = answers[-1:] if last_only else answers
    if not chosen:
        gr.Info("Ask a question first: there is nothing to export yet.")
        return gr.update(value=None, visible=False)
    folder = Path(tempfile.mkdtemp(prefix="casefile-export-"))
    name = "casefile-answer" if last_only else "casefile-conversation"
    content = folder / name if pages else folder
    content.mkdir(exist_ok=True)
    images = page_image_writer(cases.pages(case), content) if pages else None
    path = content / f"{name}.md"
    path.write_text(export_markdown(chosen, case, images), encoding="utf-8")
    if pages:  # the Markdown links its images by relative path: one zip holds both
        path = Path(shutil.make_archive(str(folder / name), "zip", folder, name))
    return gr.update(value=str(path), visible=True)


class ChatTab:
    """The chat and the source viewer beside it, in the Blocks being built."""

    def __init__(self, cases: Cases, controls: Controls) -> None:
        self.cases = cases
        self.controls = controls
        self.answers = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=5):
                # No "share" button: it would post the conversation to Hugging Face.
                self.chat = gr.Chatbot(
                    label="Answers",
                    height=560,
                    sanitize_html=True,
                    buttons=["copy", "copy_all"],
                    elem_id="cf-chat",
                )
                self.question = gr.Textbox(
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
            with gr.Column(scale=6):
                self.viewer = CitationViewer(cases.pages, self.answers, controls.case)
                with gr.Accordion("All sources of the latest answer, in their text", open=False):
                    self.sources = gr.HTML(sources_html(None, lambda d: ""), elem_id="cf-sources")
        for button, last in ((export_all, False), (export_last, True)):
            button.click(
                lambda a, c, p, last=last: export(cases, a, c, last, p),
                [self.answers, controls.case, with_pages],
                exported,
                api_visibility="private",
            )
        self.asks(self.question.submit)

    def asks(self, trigger: Any, inputs: list[Any] | None = None) -> None:
        """`trigger(fn, inputs, outputs)` asks the question box's question (or the value of
        `inputs`, e.g. a suggestion's button) and opens the answer's first source."""
        c = self.controls
        ask = trigger(
            functools.partial(respond, self.cases),
            [*(inputs or [self.question]), self.chat, c.case, c.model, c.k, c.docs, self.answers],
            [self.chat, self.sources, self.answers, self.question],
            api_visibility="private",
        )
        self.viewer.follow(ask)

    def clear(self, event: Any) -> None:
        """After `event` (another case chosen), start a new conversation."""
        self.viewer.clear(
            event.then(
                lambda: ([], [], sources_html(None, lambda d: "")),
                None,
                [self.chat, self.answers, self.sources],
                api_visibility="private",
            )
        )
