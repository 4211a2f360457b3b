"""The reporter's desk as tables, CSV, Markdown with footnotes and a timeline plot — for the
CLI, the web tabs and exports. Every row carries its citation."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.desk import EventRow, Person, QuoteRow, date_range, describe


def quote_table(rows: Sequence[QuoteRow]) -> list[dict[str, Any]]:
    """One dict per quotation: speaker, role, quote, document, date, page, span."""
    return [
        {
            "speaker": r.quote.speaker or "(not stated)",
            "inferred": r.quote.inferred,
            "role": r.quote.role,
            "quote": r.quote.text,
            "document": r.source.title,
            "date": r.date or "",
            "page": r.source.page or "",
            "doc_id": r.source.doc_id,
            "start": r.source.start,
            "end": r.source.end,
        }
        for r in rows
    ]


def event_table(rows: Sequence[EventRow]) -> list[dict[str, Any]]:
    """One dict per dated event: date, how it was dated, the sentence, where."""
    return [
        {
            "date": r.event.date or "(unresolved)",
            "as_written": r.event.date_text,
            "inferred": r.event.inferred,
            "event": r.event.text,
            "document": r.source.title,
            "page": r.source.page or "",
            "doc_id": r.source.doc_id,
            "start": r.source.start,
            "end": r.source.end,
        }
        for r in rows
    ]


def people_table(people: Sequence[Person]) -> list[dict[str, Any]]:
    """One dict per person or organisation: roles, where stated, mentions per document."""
    return [
        {
            "name": p.name,
            "kind": p.kind,
            "roles": p.role_summary(),
            "stated_in": "; ".join(
                dict.fromkeys(f"{s.title} ({s.start}-{s.end})" for _, s in p.roles)
            ),
            "mentions": p.total,
            "by_document": "; ".join(f"{short_title(t)}: {n}" for t, n in p.mentions.items()),
            "variants": ", ".join(sorted(p.variants - {p.name})),
        }
        for p in people
    ]


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def quotes_markdown(rows: Sequence[QuoteRow], case: str) -> str:
    """Every quotation under its speaker, each with a footnote to its document and span."""
    lines = [f"# Quotes: case “{case}”", ""]
    notes: list[str] = []
    speakers: dict[str, list[QuoteRow]] = {}
    for row in rows:
        speakers.setdefault(row.quote.speaker or "Speaker not stated", []).append(row)
    for speaker, quoted in speakers.items():
        role = next((r.quote.role for r in quoted if r.quote.role), "")
        lines += [f"## {_md(speaker)}" + (f" ({_md(role)})" if role else ""), ""]
        for row in quoted:
            notes.append(_footnote(len(notes) + 1, row.source.label, row.source.source))
            mark = " (speaker inferred)" if row.quote.inferred else ""
            lines.append(f"- {_md(' '.join(row.quote.text.split()))}{mark}[^{len(notes)}]")
        lines.append("")
    return "\n".join(lines + notes) + "\n"


def timeline_markdown(rows: Sequence[EventRow], case: str, plot: str | None = None) -> str:
    lines = [f"# Timeline: case “{case}”", ""]
    if plot:
        lines += [f"![Events on a time axis]({plot})", ""]
    lines += ["| date | event |", "|---|---|"]
    notes: list[str] = []
    for row in rows:
        notes.append(_footnote(len(notes) + 1, row.source.label, row.source.source))
        when = row.event.date or f"unresolved ({row.event.date_text})"
        if row.event.inferred and row.event.date:
            when += f" (inferred from “{row.event.date_text}”)"
        text = _md(" ".join(row.event.text.split())).replace("|", "\\|")
        lines.append(f"| {when} | {text}[^{len(notes)}] |")
    return "\n".join([*lines, "", *notes]) + "\n"


def people_markdown(people: Sequence[Person], case: str) -> str:
    lines = [f"# People: case “{case}”", "", "| name | roles | mentions |", "|---|---|---|"]
    notes: list[str] = []
    for person in people:
        marks = ""
        for role, source in person.roles[:6]:
            notes.append(
                _footnote(len(notes) + 1, f"{describe(role)}: {source.label}", source.source)
            )
            marks += f"[^{len(notes)}]"
        lines.append(
            f"| {_md(person.name)} | {_md(person.role_summary())}{marks} | {person.total} |"
        )
    return "\n".join([*lines, "", *notes]) + "\n"


def timeline_plot(rows: Sequence[EventRow], path: Path, title: str = "") -> Path | None:
    """The dated events on a time axis, as a PNG; None when no event has a date."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    dated = [r for r in rows if r.event.date]
    if not dated:
        return None
    days = [date_range(r.event.date)[0] for r in dated]
    figure, axis = plt.subplots(figsize=(9, max(2.5, 0.32 * len(dated) + 1)))
    for index, (day, row) in enumerate(zip(days, dated, strict=True)):
        marker = "o" if not row.event.inferred else "s"
        axis.plot(day, index, marker, color="#c0392b" if row.event.inferred else "#2c3e50")
        label = " ".join(row.event.text.split())
        axis.annotate(
            label[:70] + ("…" if len(label) > 70 else ""),
            (day, index),
            xytext=(6, -3),
            textcoords="offset points",
            fontsize=7,
        )
    axis.set_yticks([])
    axis.invert_yaxis()
    axis.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    axis.set_title(title or "Dated events (squares: inferred from a relative date)", fontsize=9)
    figure.autofmt_xdate()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _footnote(n: int, label: str, source: str) -> str:
    return f"[^{n}]: {_md(label)} — {_md(source)}"


def _md(text: str) -> str:
    """Document text shown literally in Markdown: no HTML, no links run."""
    return html.escape(text, quote=False).replace("[", "\\[").replace("]", "\\]")


def short_title(title: str, limit: int = 40) -> str:
    """A long document title cut to fit a table's cell."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
