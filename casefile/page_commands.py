"""`casefile show`: a page of a case's PDF as an image, the cited words highlighted where
they stand on it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from casefile.console import CaseOption, err, load_settings, out

if TYPE_CHECKING:
    from assistant.pages import PageView
    from casefile.kernel.index import CaseIndex
    from casefile.kernel.settings import Settings

# "3f2a9c1d0b7e4a61:1200-1290": a document and a span of its stored text, as `ask` prints
# a citation (and as `ask --json` gives it: doc_id, start, end).
CITATION = re.compile(r"^(?P<doc>.+):(?P<start>\d+)-(?P<end>\d+)$")


def page_view(settings: Settings, store: CaseIndex | None = None) -> PageView:
    """The page view of the settings' case (or of `store`, already open), its renders cached
    in the case's folder."""
    from assistant.pages import PageView
    from vectorstore.cases import open_case

    store = store or open_case(settings, create=False)
    return PageView(store, settings.pages, cache=settings.case_dir(store.case) / "page-cache")


def show(
    target: Annotated[
        str,
        typer.Argument(
            metavar="CITATION_OR_DOC",
            help="A citation DOC:START-END (as `ask` prints it), or a document: doc_id, its "
            "first 6+ characters or file name.",
        ),
    ],
    page: Annotated[
        int | None,
        typer.Option("--page", "-p", min=1, help="Page to show (default: the citation's, or 1)."),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="PNG to write (default: <file>-page-<N>.png here)."),
    ] = None,
    width: Annotated[
        int | None,
        typer.Option(help="Image width in pixels (env CASEFILE_PAGES_WIDTH; default 1400)."),
    ] = None,
    case: CaseOption = None,
) -> None:
    """Write a page of a PDF as a PNG, with the cited words highlighted where they stand."""
    settings = load_settings(case)
    view = page_view(settings)
    match = CITATION.match(target)
    name = match.group("doc") if match else target
    span = (int(match.group("start")), int(match.group("end"))) if match else None
    record = view.store.find(name)  # a document of the case: no path is ever opened
    if span and span[1] <= span[0]:
        raise typer.BadParameter(f"the span {span[0]}-{span[1]} is empty", param_hint="CITATION")
    shown = view.show(record.doc_id, page, span=span, width=width)
    target_file = out_file or Path(f"{Path(record.name).stem}-page-{shown.page}.png")
    target_file.parent.mkdir(parents=True, exist_ok=True)
    target_file.write_bytes(shown.png)
    out.print(
        f"{escape(record.title)} ({escape(record.name)}): page {shown.page} of {shown.pages} "
        f"→ {escape(str(target_file))}",
        soft_wrap=True,
    )
    if shown.notice:
        err.print(f"[yellow]{escape(shown.notice)}[/]")
    elif shown.boxes:
        lines = len(shown.boxes)
        out.print(f"the quote is highlighted ({lines} line{'s' if lines != 1 else ''})")


def register(app: typer.Typer) -> None:
    app.command()(show)
