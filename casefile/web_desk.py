"""The web app's Quotes, Timeline and People tabs: cited tables whose rows open their
source, the timeline plotted, and exports as Markdown with footnotes and CSV."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

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

QUOTE_COLUMNS = ["speaker", "role", "quote", "document", "page"]
EVENT_COLUMNS = ["date", "as_written", "event", "document", "page"]
PEOPLE_COLUMNS = ["name", "kind", "roles", "mentions", "by_document"]
EMPTY_SOURCE = (
    '<div class="cf-sources"><p class="cf-empty">Select a row to see its source.</p></div>'
)


def desk_tabs(
    desk_of: Callable[[str], Any], text_of: Callable[[str, str], str], case: gr.Dropdown
) -> None:
    """Add the three tabs to the Blocks being built. `desk_of(case)` gives a case's
    `CaseDesk`, `text_of(case, doc_id)` a document's stored text."""

    def source(case_name: str, rows: list[dict[str, Any]], evt: gr.SelectData) -> str:
        row = rows[evt.index[0]] if rows and evt.index and evt.index[0] < len(rows) else None
        if row is None or not row.get("doc_id"):
            return EMPTY_SOURCE
        text = text_of(case_name, row["doc_id"])
        return span_html(
            row.get("document", ""), text, row["start"], row["end"], page=row.get("page")
        )

    with gr.Tab("Quotes", elem_id="cf-tab-quotes"):
        with gr.Row():
            who = gr.Textbox(label="Speaker (any part of the name)", scale=3)
            show = gr.Button("Show quotes", scale=1)
            export = gr.Button("Export (Markdown + CSV)", size="sm", scale=1)
        table, files, rows = _table_beside_source(
            case,
            source,
            QUOTE_COLUMNS,
            ["15%", "15%", "45%", "17%", "8%"],
            "cf-quotes",
            "cf-quote-source",
        )

        def load(case_name: str, name: str):
            found = quote_table(desk_of(case_name).quotes(name.strip() or None))
            return _frame(found, QUOTE_COLUMNS), found

        def export_quotes(case_name: str, name: str):
            desk = desk_of(case_name)
            found = desk.quotes(name.strip() or None)
            return _files("quotes", quotes_markdown(found, case_name), quote_table(found))

        for trigger in (show.click, who.submit):
            trigger(load, [case, who], [table, rows], api_visibility="private")
        export.click(export_quotes, [case, who], files, api_visibility="private")

    with gr.Tab("Timeline", elem_id="cf-tab-timeline"):
        with gr.Row():
            who_t = gr.Textbox(label="Only events naming (optional)", scale=3)
            show_t = gr.Button("Show timeline", scale=1)
            export_t = gr.Button("Export (Markdown + CSV + plot)", size="sm", scale=1)
        plot = gr.Image(
            label="Events on a time axis", type="filepath", height=300, elem_id="cf-timeline-plot"
        )
        table_t, files_t, rows_t = _table_beside_source(
            case,
            source,
            EVENT_COLUMNS,
            ["12%", "13%", "50%", "17%", "8%"],
            "cf-timeline",
            "cf-event-source",
        )

        def load_timeline(case_name: str, name: str):
            found = desk_of(case_name).timeline(name.strip() or None)
            image = timeline_plot(
                found, Path(tempfile.mkdtemp(prefix="casefile-plot-")) / "timeline.png"
            )
            table_rows = event_table(found)
            return _frame(table_rows, EVENT_COLUMNS), table_rows, str(image) if image else None

        def export_timeline(case_name: str, name: str):
            found = desk_of(case_name).timeline(name.strip() or None)
            folder = Path(tempfile.mkdtemp(prefix="casefile-export-"))
            image = timeline_plot(found, folder / "timeline.png")
            markdown = timeline_markdown(found, case_name, image.name if image else None)
            return _files("timeline", markdown, event_table(found), folder, image)

        for trigger in (show_t.click, who_t.submit):
            trigger(load_timeline, [case, who_t], [table_t, rows_t, plot], api_visibility="private")
        export_t.click(export_timeline, [case, who_t], files_t, api_visibility="private")

    with gr.Tab("People", elem_id="cf-tab-people"):
        with gr.Row():
            show_p = gr.Button("Show people", scale=1)
            export_p = gr.Button("Export (Markdown + CSV)", size="sm", scale=1)
        table_p, files_p, rows_p = _table_beside_source(
            case,
            source,
            PEOPLE_COLUMNS,
            ["20%", "12%", "33%", "10%", "25%"],
            "cf-people",
            "cf-person-source",
        )

        def load_people(case_name: str):
            found = desk_of(case_name).people()
            # A row opens where the person's first role is stated.
            table_rows = [
                {**row, **_first_role(person)}
                for row, person in zip(people_table(found), found, strict=True)
            ]
            return _frame(table_rows, PEOPLE_COLUMNS), table_rows

        def export_people(case_name: str):
            found = desk_of(case_name).people()
            return _files("people", people_markdown(found, case_name), people_table(found))

        show_p.click(load_people, [case], [table_p, rows_p], api_visibility="private")
        export_p.click(export_people, [case], files_p, api_visibility="private")


def _table_beside_source(
    case: gr.Dropdown,
    source: Callable[..., str],
    columns: list[str],
    widths: list[str],
    table_id: str,
    panel_id: str,
) -> tuple[gr.Dataframe, gr.File, gr.State]:
    """A tab's table with the source panel beside it (a selected row opens its source), its
    export files and the rows shown."""
    with gr.Row():
        with gr.Column(scale=3):
            table = gr.Dataframe(
                headers=columns,
                interactive=False,
                wrap=True,
                column_widths=widths,
                elem_id=table_id,
            )
        with gr.Column(scale=2):
            panel = gr.HTML(EMPTY_SOURCE, elem_id=panel_id)
    files = gr.File(label="Export", file_count="multiple", interactive=False, visible=False)
    rows = gr.State([])
    table.select(source, [case, rows], panel, api_visibility="private")
    return table, files, rows


def _first_role(person: Any) -> dict[str, Any]:
    if not person.roles:
        return {"doc_id": None, "start": 0, "end": 0}
    _, where = person.roles[0]
    return {
        "doc_id": where.doc_id,
        "start": where.start,
        "end": where.end,
        "document": where.title,
        "page": where.page,
    }


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    """The table's cells; a document's long title is cut short (the source panel has it)."""
    return [[_cell(c, row.get(c, "")) for c in columns] for row in rows] or [["" for _ in columns]]


def _cell(column: str, value: Any) -> Any:
    return short_title(value) if column == "document" and isinstance(value, str) else value


def _files(
    name: str,
    markdown: str,
    rows: list[dict[str, Any]],
    folder: Path | None = None,
    image: Path | None = None,
) -> Any:
    folder = folder or Path(tempfile.mkdtemp(prefix="casefile-export-"))
    (folder / f"{name}.md").write_text(markdown, encoding="utf-8")
    (folder / f"{name}.csv").write_text(to_csv(rows), encoding="utf-8")
    paths = [str(folder / f"{name}.md"), str(folder / f"{name}.csv")] + (
        [str(image)] if image else []
    )
    return gr.update(value=paths, visible=True)
