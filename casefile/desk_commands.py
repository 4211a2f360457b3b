"""`casefile quotes`, `casefile timeline` and `casefile people`: the reporter's desk at the
command line, as cited tables, JSON, CSV or an export folder (Markdown with footnotes, CSV,
and for the timeline a plot)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from casefile.console import CaseOption, err, load_settings, out

Format = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Csv = Annotated[bool, typer.Option("--csv", help="Print CSV.")]
Export = Annotated[
    Path | None,
    typer.Option("--export", help="Write Markdown (with footnotes) and CSV into this folder."),
]
Who = Annotated[str | None, typer.Option("--who", help="Only this person (any part of the name).")]


def _desk(case: str | None):  # type: ignore[no-untyped-def]
    from assistant.desk import CaseDesk
    from vectorstore.cases import open_case

    settings = load_settings(case)
    return CaseDesk(open_case(settings, create=False), settings.ingest.desk_budget_s), settings.case


def _print(rows: list[dict[str, Any]], as_json: bool, as_csv: bool) -> bool:
    from casefile.desk import to_csv

    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return True
    if as_csv:
        print(to_csv(rows), end="")
        return True
    return False


def _table(title: str, **ratios: int) -> Table:
    """A full-width table whose columns (underscores read as spaces) share its width."""
    table = Table(title=title, show_edge=False, expand=True)
    for column, ratio in ratios.items():
        table.add_column(column.replace("_", " "), ratio=ratio, overflow="fold")
    return table


def _export(folder: Path, name: str, markdown: str, rows: list[dict[str, Any]]) -> None:
    from casefile.desk import to_csv

    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(markdown, encoding="utf-8")
    (folder / f"{name}.csv").write_text(to_csv(rows), encoding="utf-8")
    err.print(f"wrote {escape(str(folder / name))}.md and .csv")


def quotes(
    case: CaseOption = None,
    who: Who = None,
    as_json: Format = False,
    as_csv: Csv = False,
    export: Export = None,
) -> None:
    """Every quotation in the case with its speaker, each cited."""
    from casefile.desk import quote_table, quotes_markdown

    desk, name = _desk(case)
    rows = desk.quotes(who)
    table_rows = quote_table(rows)
    if export:
        _export(export, "quotes", quotes_markdown(rows, name), table_rows)
    if _print(table_rows, as_json, as_csv):
        return
    table = _table(f"quotes in case {name!r}: {len(rows)}", speaker=1, quote=4, source=2)
    for row in rows:
        speaker = row.quote.speaker or "[dim](not stated)[/]"
        if row.quote.role:
            speaker += f"\n[dim]{escape(row.quote.role)}[/]"
        if row.quote.inferred:
            speaker += "\n[dim](inferred)[/]"
        table.add_row(speaker, escape(" ".join(row.quote.text.split())), escape(row.source.short))
    out.print(table)


def timeline(
    case: CaseOption = None,
    who: Who = None,
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events from this day.")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events up to this day.")
    ] = None,
    as_json: Format = False,
    as_csv: Csv = False,
    export: Export = None,
) -> None:
    """Every sentence that dates an event, in date order, each cited."""
    from casefile.desk import event_table, timeline_markdown, timeline_plot

    desk, name = _desk(case)
    rows = desk.timeline(who, since.date() if since else None, until.date() if until else None)
    table_rows = event_table(rows)
    if export:
        plot = timeline_plot(rows, export / "timeline.png")
        _export(
            export,
            "timeline",
            timeline_markdown(rows, name, plot.name if plot else None),
            table_rows,
        )
    if _print(table_rows, as_json, as_csv):
        return
    table = _table(
        f"timeline of case {name!r}: {len(rows)} events", date=1, who=1, event=4, source=2
    )
    for row in rows:
        when = row.event.date or "[dim]unresolved[/]"
        if row.event.inferred:
            when += f"\n[dim]inferred: “{escape(row.event.date_text)}”[/]"
        where = "\n".join(escape(s.short) for s in row.sources)  # each place stating it
        who = escape(row.event.subject)
        table.add_row(when, who, escape(" ".join(row.event.text.split())), where)
    out.print(table)


def people(
    case: CaseOption = None,
    as_json: Format = False,
    as_csv: Csv = False,
    export: Export = None,
) -> None:
    """People and organisations named in the case, their roles and where each is stated."""
    from casefile.desk import people_markdown, people_table

    desk, name = _desk(case)
    found = desk.people()
    table_rows = people_table(found)
    if export:
        _export(export, "people", people_markdown(found, name), table_rows)
    if _print(table_rows, as_json, as_csv):
        return
    table = _table(
        f"people in case {name!r}: {len(found)}", name=2, roles=3, stated_in=3, mentions=1
    )
    for person in found:
        stated = "\n".join(dict.fromkeys(source.short for _, source in person.roles[:3]))
        table.add_row(
            escape(person.name) + (f"\n[dim]{person.kind}[/]" if person.kind != "person" else ""),
            escape(person.role_summary()),
            escape(stated),
            str(person.total),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the desk's commands to the `casefile` command."""
    for command in (quotes, timeline, people):
        app.command()(command)
