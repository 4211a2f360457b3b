"""The reporter's desk as tables, CSV, Markdown with footnotes and a timeline plot — for the
CLI, the web tabs and exports. Every row carries its citation."""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.desk import EventRow, Person, QuoteRow, describe


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
            "who": r.event.subject,
            "event": r.event.text,
            "document": r.source.title,
            "also_in": "; ".join(o.short for o in r.also),
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
    lines += ["| date | who | event |", "|---|---|---|"]
    notes: list[str] = []
    for row in rows:
        marks = ""
        for source in row.sources:  # the same words stated in several places: each cited
            notes.append(_footnote(len(notes) + 1, source.label, source.source))
            marks += f"[^{len(notes)}]"
        when = row.event.date or f"unresolved ({row.event.date_text})"
        if row.event.inferred and row.event.date:
            when += f" (inferred from “{row.event.date_text}”)"
        text = _md(" ".join(row.event.text.split())).replace("|", "\\|")
        lines.append(f"| {when} | {_md(row.event.subject)} | {text}{marks} |")
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
    """How many dated events fall in each month (each year when they span more than six
    years), as a PNG bar chart: readable however many events there are, the table beside it
    lists them. None when no event has a date."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    dated = [r for r in rows if r.event.date]
    if not dated:
        return None
    years = sorted({int(r.event.date[:4]) for r in dated})
    by_year = years[-1] - years[0] > 6
    precise = [r for r in dated if by_year or len(r.event.date) >= 7]
    if not precise:  # only years known: count by year
        precise, by_year = dated, True
    key = (lambda d: d[:4]) if by_year else (lambda d: d[:7])
    counts = Counter(key(r.event.date) for r in precise)
    bins = _bins(min(counts), max(counts), by_year)
    figure, axis = plt.subplots(figsize=(9, 3.2))
    axis.bar(range(len(bins)), [counts.get(b, 0) for b in bins], color="#2c3e50")
    step = max(1, len(bins) // 12)
    axis.set_xticks(range(0, len(bins), step), [bins[i] for i in range(0, len(bins), step)])
    axis.set_ylabel("events")
    axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    left_out = len(dated) - len(precise)
    note = f"; {left_out} dated only by year not shown" if left_out else ""
    per = "year" if by_year else "month"
    axis.set_title(title or f"{len(precise)} dated events per {per}{note}", fontsize=9)
    figure.autofmt_xdate()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _bins(first: str, last: str, by_year: bool) -> list[str]:
    """Every year ("2015") or month ("2015-03") from `first` to `last`, none skipped."""
    if by_year:
        return [str(y) for y in range(int(first), int(last) + 1)]
    year, month = int(first[:4]), int(first[5:7])
    bins = []
    while f"{year:04d}-{month:02d}" <= last:
        bins.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return bins


def _footnote(n: int, label: str, source: str) -> str:
    return f"[^{n}]: {_md(label)} — {_md(source)}"


def _md(text: str) -> str:
    """Document text shown literally in Markdown: no HTML, no links run."""
    return html.escape(text, quote=False).replace("[", "\\[").replace("]", "\\]")


def short_title(title: str, limit: int = 40) -> str:
    """A long document title cut to fit a table's cell."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
