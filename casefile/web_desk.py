"""The web app's Quotes, Timeline and People tabs: cited tables whose rows open their
source, loaded when the tab is opened, the timeline plotted, and exports as Markdown with
footnotes and CSV."""

from __future__ import annotations

import base64
import html
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from casefile.desk import (
    event_table,
    people_markdown,
    people_table,
    quote_table,
    quotes_markdown,
    short_title,
    timeline_markdown,
    timeline_plot,
    to_csv,
)
from casefile.render import span_html

if TYPE_CHECKING:
    from assistant.desk import CaseDesk, Person

Rows = list[dict[str, Any]]
EMPTY_SOURCE = (
    '<div class="cf-sources"><p class="cf-empty">Select a row to see its source.</p></div>'
)


@dataclass(frozen=True)
class Exported:
    """A tab's export: its Markdown, its rows as CSV, and the plot when it has one."""

    markdown: str
    rows: Rows
    image: Path | None = None


@dataclass(frozen=True)
class DeskTab:
    """One of the desk's tabs: its table and how its rows are made from a case's desk.

    `rows(desk, who)` gives the table's rows (each with the doc_id, start and end it opens);
    `export(desk, case, who, folder)` what its export button writes.
    """

    name: str
    columns: tuple[str, ...]
    widths: tuple[str, ...]
    rows: Callable[[CaseDesk, str | None], Rows]
    export: Callable[[CaseDesk, str, str | None, Path], Exported]
    filter_label: str | None = None  # the name filter's label; None: no filter
    # The timeline's plot above the table: plot(desk, who, image path) -> the path written.
    plot: Callable[[CaseDesk, str | None, Path], Path | None] | None = None

    @property
    def key(self) -> str:
        return self.name.lower()


def _people_rows(desk: CaseDesk, who: str | None) -> Rows:
    found = desk.people()
    # A row opens where the person's first role is stated, else where first named.
    return [
        {**row, **_first_role(person)}
        for row, person in zip(people_table(found), found, strict=True)
    ]


def _export_quotes(desk: CaseDesk, case: str, who: str | None, folder: Path) -> Exported:
    found = desk.quotes(who)
    return Exported(quotes_markdown(found, case), quote_table(found))


def _plot_timeline(desk: CaseDesk, who: str | None, path: Path) -> Path | None:
    return timeline_plot(desk.timeline(who), path)


def _export_timeline(desk: CaseDesk, case: str, who: str | None, folder: Path) -> Exported:
    found = desk.timeline(who)
    image = timeline_plot(found, folder / "timeline.png")
    markdown = timeline_markdown(found, case, image.name if image else None)
    return Exported(markdown, event_table(found), image)


def _export_people(desk: CaseDesk, case: str, who: str | None, folder: Path) -> Exported:
    found = desk.people()
    return Exported(people_markdown(found, case), people_table(found))


TABS = (
    DeskTab(
        "Quotes",
        ("speaker", "role", "quote", "document", "page"),
        ("15%", "15%", "45%", "17%", "8%"),
        lambda desk, who: quote_table(desk.quotes(who)),
        _export_quotes,
        filter_label="Only quotes of (any part of the speaker's name)",
    ),
    DeskTab(
        "Timeline",
        ("date", "as_written", "who", "event", "document", "page", "also_in"),
        ("10%", "10%", "10%", "36%", "13%", "5%", "16%"),
        lambda desk, who: event_table(desk.timeline(who)),
        _export_timeline,
        filter_label="Only events naming",
        plot=_plot_timeline,
    ),
    DeskTab(
        "People",
        ("name", "kind", "roles", "mentions", "by_document"),
        ("20%", "12%", "33%", "10%", "25%"),
        _people_rows,
        _export_people,
    ),
)


def desk_tabs(
    desk_of: Callable[[str], CaseDesk],
    text_of: Callable[[str, str], str],
    case: gr.Dropdown,
) -> None:
    """Add the desk's tabs to the Blocks being built. `desk_of(case)` gives a case's
    `CaseDesk`, `text_of(case, doc_id)` a document's stored text."""
    for tab in TABS:
        desk_tab(tab, desk_of, text_of, case)


def desk_tab(
    tab: DeskTab,
    desk_of: Callable[[str], CaseDesk],
    text_of: Callable[[str, str], str],
    case: gr.Dropdown,
) -> None:
    """One tab: an optional name filter, the table beside the selected row's source, the
    export; its rows load when the tab is opened."""

    def load(case_name: str, who: str = "") -> tuple[Any, ...]:
        desk, named = desk_of(case_name), who.strip() or None
        rows = tab.rows(desk, named)
        if tab.plot is None:
            return _frame(rows, tab.columns), rows
        folder = Path(tempfile.mkdtemp(prefix="casefile-plot-"))
        image = tab.plot(desk, named, folder / "timeline.png")
        return _frame(rows, tab.columns), rows, _plot_html(image, len(rows))

    def export(case_name: str, who: str = "") -> Any:
        folder = Path(tempfile.mkdtemp(prefix="casefile-export-"))
        made = tab.export(desk_of(case_name), case_name, who.strip() or None, folder)
        return _files(tab.key, made, folder)

    def source(case_name: str, rows: Rows, evt: gr.SelectData) -> str:
        row = rows[evt.index[0]] if rows and evt.index and evt.index[0] < len(rows) else None
        if row is None or not row.get("doc_id"):
            return EMPTY_SOURCE
        text = text_of(case_name, row["doc_id"])
        return span_html(
            row.get("document", ""), text, row["start"], row["end"], page=row.get("page")
        )

    with gr.Tab(tab.name, elem_id=f"cf-tab-{tab.key}") as opened:
        with gr.Row():
            who = (
                gr.Textbox(label=tab.filter_label, scale=3, elem_id=f"cf-{tab.key}-filter")
                if tab.filter_label
                else None
            )
            export_button = gr.Button(f"Export {tab.key} (Markdown + CSV)", size="sm", scale=1)
        plot = gr.HTML("", elem_id="cf-timeline-plot") if tab.plot else None
        with gr.Row():
            with gr.Column(scale=3):
                table = gr.Dataframe(
                    headers=list(tab.columns),
                    interactive=False,
                    wrap=True,
                    column_widths=list(tab.widths),
                    elem_id=f"cf-{tab.key}",
                    label=tab.name,
                )
            with gr.Column(scale=2):
                panel = gr.HTML(EMPTY_SOURCE, elem_id=f"cf-{tab.key}-source")
        files = gr.File(label="Export", file_count="multiple", interactive=False, visible=False)
        rows = gr.State([])
    inputs = [case, who] if who is not None else [case]
    outputs = [table, rows] + ([plot] if plot is not None else [])
    opened.select(load, inputs, outputs, api_visibility="private")
    if who is not None:
        who.submit(load, inputs, outputs, api_visibility="private")
    export_button.click(export, inputs, files, api_visibility="private")
    table.select(source, [case, rows], panel, api_visibility="private")


def _plot_html(image: Path | None, events: int) -> str:
    """The plot inline (nothing served from a path), with words for a screen reader."""
    if image is None:
        return ""
    data = base64.b64encode(image.read_bytes()).decode("ascii")
    alt = f"The case's {events} dated events on a time axis"
    return (
        '<div class="cf-plot"><img alt="' + html.escape(alt) + '" '
        f'src="data:image/png;base64,{data}"></div>'
    )


def _first_role(person: Person) -> dict[str, Any]:
    """Where a person's row opens: the first statement of a role, else the first mention."""
    where = person.roles[0][1] if person.roles else person.first
    if where is None:
        return {"doc_id": None, "start": 0, "end": 0}
    return {
        "doc_id": where.doc_id,
        "start": where.start,
        "end": where.end,
        "document": where.title,
        "page": where.page,
    }


def _frame(rows: Rows, columns: tuple[str, ...]) -> list[list[Any]]:
    """The table's cells; a document's long title is cut short (the source panel has it)."""
    return [[_cell(c, row.get(c, "")) for c in columns] for row in rows] or [["" for _ in columns]]


def _cell(column: str, value: Any) -> Any:
    return short_title(value) if column == "document" and isinstance(value, str) else value


def _files(name: str, made: Exported, folder: Path) -> Any:
    (folder / f"{name}.md").write_text(made.markdown, encoding="utf-8")
    (folder / f"{name}.csv").write_text(to_csv(made.rows), encoding="utf-8")
    paths = [folder / f"{name}.md", folder / f"{name}.csv"]
    if made.image:
        paths.append(made.image)
    return gr.update(value=[str(p) for p in paths], visible=True)
