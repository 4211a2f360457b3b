"""The `casefile` command: parse, call the library, print. Heavy imports happen inside commands."""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import threading
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from casefile import desk_commands, page_commands
from casefile.console import CaseOption, err, load_settings, out
from casefile.kernel.errors import CasefileError, UnknownModel
from casefile.kernel.records import OCR_NOTE, Answer, DocumentRecord
from casefile.kernel.settings import Settings
from casefile.render import quoted

if TYPE_CHECKING:
    from assistant import CaseAssistant

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

app = typer.Typer(
    help="Ask questions of a legal case's documents and get answers that cite them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (walked recursively).")],
    case: CaseOption = None,
) -> None:
    """Add documents to a case; unchanged files are skipped, changed ones replaced."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ingest.pipeline import discover_files, ingest_paths
    from vectorstore.cases import open_case

    settings = load_settings(case)
    store = open_case(settings)
    total = len(discover_files(paths)[0])
    with Progress(
        TextColumn("[bold]ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("", total=total)

        def advance(outcome):
            progress.update(task, advance=1, description=outcome.path.name)

        def page(path: Path, number: int, pages: int, what: str) -> None:
            if what != "OCR":
                return
            # OCR takes seconds a page: say which page, also when there is no terminal.
            progress.update(task, description=f"{path.name}: OCR of page {number} of {pages}")
            if not err.is_terminal:
                err.print(f"{escape(path.name)}: OCR of page {number} of {pages}")

        report = ingest_paths(paths, store, settings.ingest, on_file=advance, on_page=page)
    from assistant.retrieval import TitleIndex

    TitleIndex(store).refresh()  # the documents' title terms, kept for every question's process

    for source in report.repaired:
        err.print(f"[yellow]finished an interrupted ingest:[/] {escape(source)} is ingested again")
    for outcome in report.outcomes:
        line = f"{escape(str(outcome.path))}: {escape(outcome.reason)}"
        if outcome.status == "skipped":
            err.print(f"skipped {line}")
        elif outcome.status == "failed":
            err.print(f"[red]failed[/] {line}")
        elif outcome.reason and outcome.status in ("added", "updated"):
            err.print(f"[yellow]note[/] {line}")
    table = Table(title=f"case {store.case!r}", show_edge=False)
    for column in (
        "added",
        "updated",
        "unchanged",
        "failed",
        "chunks written",
        "embedded",
        "seconds",
    ):
        table.add_column(column, justify="right")
    table.add_row(
        *(str(report.count(s)) for s in ("added", "updated", "unchanged", "failed")),  # type: ignore[arg-type]
        str(report.chunks_written),
        str(report.chunks_embedded),
        f"{report.seconds:.1f}",
    )
    out.print(table)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def sources(
    case: CaseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List a case's documents."""
    from vectorstore.cases import open_case

    store = open_case(load_settings(case), create=False)
    records = store.records()
    if as_json:
        rows = [
            {
                "doc_id": r.doc_id,
                "title": r.title,
                "source": r.source,
                "kind": r.kind,
                "date": r.date,
                "pages": r.page_count,
                "chunks": r.chunk_count,
                "size_bytes": r.size_bytes,
                "ingested_at": r.ingested_at,
                "court": r.court,
                "case_number": r.case_number,
                "docket_entry": r.docket_entry,
                "ocr_pages": list(r.ocr_pages),
            }
            for r in records
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    out.print(sources_table(store.case, records, out.width))


def sources_table(case: str, records: list[DocumentRecord], width: int) -> Table:
    """The documents as a table that fits `width` columns: the title always shows, so on a
    narrow terminal the doc_id is cut to the prefix `remove` and `show` accept, and the
    court, case number, file and kind columns go first."""
    docketed = any(r.court or r.case_number for r in records)
    dockets = docketed and width >= 130
    wide = width >= 110 + (40 if dockets else 0)
    narrow = width < 100
    table = Table(
        title=f"case {case!r}: {len(records)} document{'s' if len(records) != 1 else ''}",
        show_edge=False,
        expand=True,
    )
    table.add_column("doc_id", no_wrap=True, min_width=8 if narrow else 16)
    table.add_column("title", ratio=3, no_wrap=True, overflow="ellipsis", min_width=24)
    if dockets:
        table.add_column("court", ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column("case no.", no_wrap=True, overflow="ellipsis", max_width=24)
    if wide:
        table.add_column("file", ratio=1, no_wrap=True, overflow="ellipsis")
    if not narrow:
        table.add_column("kind", no_wrap=True, min_width=5)
    table.add_column("filed / date", no_wrap=True, min_width=10)
    table.add_column("pages", no_wrap=True, justify="right", min_width=5)
    table.add_column("chunks", no_wrap=True, justify="right", min_width=6)
    for r in records:
        ocr = f" ({len(r.ocr_pages)} OCR)" if r.ocr_pages else ""
        table.add_row(
            r.doc_id[:8] if narrow else r.doc_id,
            r.title,
            *([r.court, r.case_number] if dockets else []),
            *([r.name] if wide else []),
            *([] if narrow else [r.kind]),
            r.date or "",
            f"{r.page_count or ''}{ocr}",
            str(r.chunk_count),
        )
    return table


@app.command()
def remove(
    doc: Annotated[
        str, typer.Argument(help="doc_id (or its first 6+ characters), file name or path.")
    ],
    case: CaseOption = None,
) -> None:
    """Delete a document and its chunks from a case."""
    from vectorstore.cases import open_case

    store = open_case(load_settings(case), create=False)
    record = store.find(doc)
    store.delete_document(record.doc_id)
    out.print(f"removed {record.doc_id} ({record.name}, {record.chunk_count} chunks)")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    case: CaseOption = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="extractive, local, gguf:/path/model.gguf, openai:MODEL or ollama:MODEL "
            "(env CASEFILE_MODEL).",
        ),
    ] = None,
    k: Annotated[int | None, typer.Option("--k", min=1, help="Passages to retrieve.")] = None,
    doc: Annotated[
        list[str] | None,
        typer.Option("--doc", "-d", help="Only this document (file name or doc_id); repeatable."),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only documents dated from this day."),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only documents dated up to this day."),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the answer as JSON (citations with their page boxes)."),
    ] = False,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Also write the answer as Markdown into this folder."),
    ] = None,
    page_images: Annotated[
        bool,
        typer.Option(
            "--page-images",
            help="With --export: the page of each citation into a PDF as a PNG beside it, "
            "the quote highlighted.",
        ),
    ] = False,
) -> None:
    """Answer a question from a case's documents, citing the passages it rests on."""
    from vectorstore.cases import open_case

    settings = load_settings(case)
    if page_images and not export:
        raise typer.BadParameter("--page-images goes with --export DIR", param_hint="--page-images")
    store = open_case(settings, create=False)
    # Chroma reads the case's vector index while the answering side is imported and loaded.
    threading.Thread(target=store.preload, name="casefile-preload", daemon=True).start()
    from assistant import CaseAssistant
    from assistant.models import ModelSpec

    if model:
        try:
            ModelSpec.parse(model)
        except UnknownModel as exc:
            raise typer.BadParameter(str(exc), param_hint="--model") from exc
    assistant = CaseAssistant(store, settings)
    # The reader, the keyword index and the title terms load beside the question's first
    # steps (which wait on the vector index): 0.4 s of a cold ask at 500k chunks.
    threading.Thread(
        target=_warm_up, args=(assistant,), name="casefile-warm-up", daemon=True
    ).start()
    with err.status("answering…", spinner="dots") if err.is_terminal else _nothing():
        answer = assistant.ask(
            question,
            model=model,
            k=k,
            docs=doc,
            date_from=since.date() if since else None,
            date_to=until.date() if until else None,
        )
    if export:
        _export_answer(answer, assistant, settings, export, page_images)
    if as_json:
        from assistant.pages import with_boxes

        view = page_commands.page_view(settings, assistant.store)
        payload = with_boxes(answer.to_json(), view, answer.citations)
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print_answer(answer)
    _QUICK_END.set()


def _warm_up(assistant: CaseAssistant) -> None:
    try:
        assistant.warm_up(desk=False)
    except Exception as exc:  # noqa: BLE001 - the question itself says what failed
        logging.getLogger(__name__).info("warming up failed: %s", exc)


def _export_answer(
    answer: Answer, assistant: CaseAssistant, settings: Settings, folder: Path, page_images: bool
) -> None:
    from casefile.render import export_markdown, page_image_writer

    folder.mkdir(parents=True, exist_ok=True)
    view = page_commands.page_view(settings, assistant.store)
    images = page_image_writer(view, folder) if page_images else None
    path = folder / "answer.md"
    path.write_text(export_markdown([answer], settings.case, images), encoding="utf-8")
    err.print(f"wrote {escape(str(path))}")


def print_answer(answer: Answer) -> None:
    """The answer with [n] markers, then numbered footnotes: title, page, quote."""
    if answer.notice and answer.answerable:
        err.print(f"[yellow]{escape(answer.notice)}[/]")
    out.print(escape(answer.answer), soft_wrap=True)
    if answer.notice and not answer.answerable:
        out.print(escape(answer.notice), soft_wrap=True)  # the nearest the documents come
    if answer.citations:
        out.print()
    for c in answer.citations:
        where = ", ".join(
            part
            for part in (
                c.title,
                c.date,
                c.pages,
                f"chars {c.start}-{c.end}",
            )
            if part
        )
        out.print(f"[bold][{c.n}][/] {escape(where)}", soft_wrap=True)
        if c.ocr:
            out.print(f"    [bold yellow]{escape(OCR_NOTE)}[/]", soft_wrap=True)
        out.print(f"    {escape(quoted(c.quote))}", soft_wrap=True, highlight=False)
        # A PDF's citation names itself as `casefile show` takes it, to see it on the page.
        show = f" · {c.doc_id}:{c.start}-{c.end}" if c.page is not None else ""
        out.print(f"    [dim]{escape(c.source)}{show}[/]", soft_wrap=True)
    if answer.unsupported:
        out.print("\n[bold red]Not supported by the documents (removed):[/]")
        for s in answer.unsupported:
            out.print(f"  ✗ {escape(s.text)} [dim]({escape(s.reason)})[/]", soft_wrap=True)
    if not answer.answerable:
        out.print("\n[bold]Nearest passages:[/]")
        for p in answer.passages:
            page = f", page {p.page}" if p.page else ""
            shown = escape(quoted(_clip(p.text)))
            out.print(f"  • {escape(p.title)}{page}: {shown}", soft_wrap=True)


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


@contextmanager
def _nothing():
    yield


@app.command()
def serve(
    case: CaseOption = None,
    host: Annotated[
        str | None,
        typer.Option(help="Address to listen on (env CASEFILE_APP_HOST; default 127.0.0.1)."),
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port (env CASEFILE_APP_PORT; default 7860).")
    ] = None,
    auth: Annotated[
        str | None,
        typer.Option(
            help="user:password; required off 127.0.0.1 (env CASEFILE_APP_AUTH or CASEFILE_AUTH)."
        ),
    ] = None,
    share: Annotated[
        bool, typer.Option(help="Also open a public share link (needs --auth).")
    ] = False,
) -> None:
    """Open the web chat on the case (http://127.0.0.1:7860 by default)."""
    from casefile.web import check_exposure
    from casefile.web import serve as serve_app

    settings = load_settings(case)
    updates = {k: v for k, v in {"host": host, "port": port, "auth": auth}.items() if v is not None}
    if share:
        updates["share"] = True
    try:
        app_settings = settings.app.model_validate({**settings.app.model_dump(), **updates})
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    settings = settings.model_copy(update={"app": app_settings})
    check_exposure(settings)
    err.print(f"Casefile: case {settings.case!r} at http://{settings.app.host}:{settings.app.port}")
    serve_app(settings)


@app.command("eval")
def evaluate(
    questions: Annotated[
        Path | None, typer.Argument(help="Question file: .jsonl or .csv (see README: Evaluation).")
    ] = None,
    case: CaseOption = None,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="Model to evaluate; repeat to compare side by side."),
    ] = None,
    k: Annotated[int | None, typer.Option("--k", min=1, help="Passages to retrieve.")] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Where answers.jsonl, summary.json and the reports go.")
    ] = Path("eval-out"),
    squad: Annotated[
        Path | None,
        typer.Option(
            help="A SQuAD-format file: convert it to documents and questions, ingest, evaluate."
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Only the first N questions of the file.")
    ] = None,
) -> None:
    """Answer a file of questions with each model and score retrieval, answers and citations."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from assistant import CaseAssistant
    from assistant.models import ModelSpec
    from casefile.evaluation.questions import load_questions
    from casefile.evaluation.report import metric_rows, summarize, write_reports
    from casefile.evaluation.runner import run_eval

    if (questions is None) == (squad is None):
        raise typer.BadParameter("give a question file or --squad FILE (not both)")
    models = list(dict.fromkeys(model or [load_settings().model]))
    for spec in models:
        try:
            ModelSpec.parse(spec)
        except UnknownModel as exc:
            raise typer.BadParameter(str(exc), param_hint="--model") from exc
    if squad is not None:
        questions, case = _prepare_squad(squad, out_dir, case)
    settings = load_settings(case)
    try:
        loaded = load_questions(questions)
    except FileNotFoundError as exc:
        raise typer.BadParameter(str(exc), param_hint="QUESTIONS") from exc
    for problem in loaded.problems:
        err.print(f"[yellow]skipped row[/] {escape(problem)}")
    chosen = loaded.questions[:limit] if limit else loaded.questions
    if not chosen:
        err.print(f"[red]no usable questions in {escape(str(questions))}[/]")
        raise typer.Exit(1)
    assistant = CaseAssistant.open(settings)
    with Progress(
        TextColumn("[bold]evaluating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("", total=len(chosen) * len(models))
        run = run_eval(
            assistant, chosen, models, out_dir, k=k, on_pair=lambda n: progress.advance(task, n)
        )
    ids = {q.id for q in chosen}
    rows = [row for row in run.rows if row["id"] in ids and row["model"] in models]
    problems = loaded.problems + run.problems
    summary = summarize(rows, models)
    write_reports(out_dir, summary, rows, source=str(questions), problems=problems)
    for problem in run.problems:
        err.print(f"[yellow]note[/] {escape(problem)}")
    table = Table(title=f"{questions.name} on case {settings.case!r}", show_edge=False)
    table.add_column("metric")
    for name in summary:
        table.add_column(name, justify="right")
    for row in metric_rows(summary):
        table.add_row(*row)
    out.print(table)
    err.print(
        f"{run.answered} answered now, {run.skipped} already in {escape(str(out_dir))}; "
        f"report: {escape(str(out_dir / 'report.md'))}"
    )


def _prepare_squad(squad: Path, out_dir: Path, case: str | None) -> tuple[Path, str]:
    """Convert a SQuAD file into documents + questions under `out_dir` and ingest them."""
    import re

    from casefile.evaluation.squad import convert_squad
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    try:
        converted = convert_squad(squad, out_dir / "squad")
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--squad") from exc
    case = case or re.sub(r"[^a-z0-9-]+", "-", f"{squad.parent.name}-{squad.stem}".lower()).strip(
        "-"
    )
    settings = load_settings(case)
    with err.status("ingesting the SQuAD documents…") if err.is_terminal else _nothing():
        report = ingest_paths([converted.documents], open_case(settings), settings.ingest)
    err.print(
        f"{converted.document_count} documents ({report.count('added')} added, "
        f"{report.count('unchanged')} unchanged) and {converted.question_count} questions "
        f"in case {case!r}; questions: {escape(str(converted.questions))}"
    )
    return converted.questions, case


@app.command()
def cases() -> None:
    """List the cases in the store."""
    from vectorstore.cases import open_case
    from vectorstore.store import list_cases, make_client

    settings = load_settings()
    names = list_cases(make_client(settings))
    if not names:
        out.print("no cases yet: `casefile ingest PATH` creates the 'default' case")
    for name in names:
        count = len(open_case(settings, name).records())
        out.print(f"{name}: {count} document{'s' if count != 1 else ''}")


desk_commands.register(app)  # quotes, timeline, people: listed after the core commands
page_commands.register(app)  # show


# Set by a command that only read the case once its output is written. Freeing what it
# loaded (Chroma's vector index, the model sessions) at the interpreter's exit costs a cold
# `casefile ask` at 500k chunks 0.3-0.5 s of its 3 s, and frees nothing anyone needs.
_QUICK_END = threading.Event()


def end_now(code: int) -> None:
    """Leave without tearing the interpreter down, after what a normal exit does that matters:
    other threads finished, the clean-ups registered with atexit run (the desk worker's end,
    logging's flush), the output flushed."""
    # What the interpreter's own shutdown does first: thread pools told to stop, then the
    # other non-daemon threads waited for.
    threading._shutdown()  # type: ignore[attr-defined]
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except CasefileError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        sys.exit(2)
    except SystemExit as exc:
        if _QUICK_END.is_set() and exc.code in (None, 0):
            end_now(0)
        raise
    if _QUICK_END.is_set():
        end_now(0)


if __name__ == "__main__":
    main()
