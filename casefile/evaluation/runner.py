"""Run a question file through one or more models and score every answer.

Each (question, model) pair becomes one line of `answers.jsonl` as soon as it is scored,
so an interrupted run resumes where it stopped; the summary is recomputed from that file.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.types import Answer, Passage
from casefile.errors import CasefileError
from casefile.evaluation.metrics import (
    Span,
    contains_answer,
    exact_match,
    retrieval_metrics,
    token_f1,
)
from casefile.evaluation.questions import EvalQuestion
from ingest.loaders import decode_text

log = logging.getLogger(__name__)

ANSWERS_FILE = "answers.jsonl"


@dataclass
class EvalRun:
    rows: list[dict[str, Any]] = field(default_factory=list)  # every scored pair, old and new
    answered: int = 0  # pairs answered in this run
    skipped: int = 0  # pairs already in answers.jsonl
    problems: list[str] = field(default_factory=list)


def run_eval(
    assistant: Any,
    questions: Sequence[EvalQuestion],
    models: Sequence[str],
    out: Path,
    *,
    k: int | None = None,
    on_pair: Callable[[], None] | None = None,
) -> EvalRun:
    """Answer and score every question with every model, appending to `out/answers.jsonl`."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / ANSWERS_FILE
    run = EvalRun(rows=read_rows(path))
    done = {(row["id"], row["model"]) for row in run.rows}
    with path.open("a", encoding="utf-8") as sink:
        for question in questions:
            todo = [m for m in models if (question.id, m) not in done]
            run.skipped += len(models) - len(todo)
            gold: list[Span] = []
            notes: list[str] = []
            if todo:
                gold, notes = resolve_evidence(assistant.store, question)
                run.problems.extend(f"{question.id}: {note}" for note in notes)
            for model in todo:
                try:
                    answer = assistant.ask(
                        question.question,
                        model=model,
                        k=k,
                        docs=[question.doc] if question.doc else None,
                    )
                except (CasefileError, ValueError) as exc:
                    run.problems.append(f"{question.id} ({model}): {exc}")
                else:
                    row = score(question, answer, gold, assistant.verifier)
                    row["evidence_notes"] = notes
                    sink.write(json.dumps(row, ensure_ascii=False) + "\n")
                    sink.flush()
                    run.rows.append(row)
                    run.answered += 1
                if on_pair:
                    on_pair()
            if on_pair:
                for _ in range(len(models) - len(todo)):
                    on_pair()
    return run


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The scored pairs of an earlier run; a torn last line (killed mid-write) is dropped."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            log.warning("%s: ignoring an incomplete line", path)
    return rows


# -- gold evidence -----------------------------------------------------------------------


def resolve_evidence(store: Any, question: EvalQuestion) -> tuple[list[Span], list[str]]:
    """Gold evidence as spans of stored document text, and notes on what could not be found."""
    spans: list[Span] = []
    notes: list[str] = []
    for item in question.evidence:
        try:
            span = _resolve(store, question, item)
        except CasefileError as exc:
            notes.append(f"evidence {_describe(item)}: {exc}")
            continue
        if span is None:
            notes.append(f"evidence {_describe(item)} is not in the case's documents")
        else:
            spans.append(span)
    return spans, notes


def _resolve(store: Any, question: EvalQuestion, item: Any) -> Span | None:
    if isinstance(item, str):
        docs = [store.find(question.doc)] if question.doc else store.records()
        for record in docs:
            found = find_quote(store.document_text(record.doc_id), item)
            if found:
                return (record.doc_id, *found)
        return None
    record = store.find(item["doc"])
    text = store.document_text(record.doc_id)
    if "page" in item:
        page = next((p for p in store.page_spans(record.doc_id) if p.number == item["page"]), None)
        if page is None:
            return (record.doc_id, 0, len(text)) if item["page"] == 1 else None
        return (record.doc_id, page.start, page.end)
    start, end = item["start"], item["end"]
    quote = _source_slice(Path(record.source), start, end) or text[start:end]
    found = find_quote(text, quote, near=start)
    return (record.doc_id, *found) if found else None


def _source_slice(path: Path, start: int, end: int) -> str | None:
    """`[start, end)` of a plain-text source file, which cleaning may since have shifted."""
    if path.suffix.lower() not in {".txt", ".md", ".markdown"} or not path.is_file():
        return None
    text = decode_text(path, path.read_bytes())
    return text[start:end] if end <= len(text) else None


def find_quote(text: str, quote: str, near: int = 0) -> tuple[int, int] | None:
    """Where `quote` occurs in `text`, whitespace and curly quotes aside; the nearest to `near`."""
    words = quote.translate(_STRAIGHT).split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    # translate() maps one character to one, so offsets in the copy are offsets in `text`.
    matches = list(re.finditer(pattern, text.translate(_STRAIGHT)))
    if not matches:
        return None
    best = min(matches, key=lambda m: abs(m.start() - near))
    return best.start(), best.end()


_STRAIGHT = str.maketrans("’‘“”", "''\"\"")


def _describe(item: Any) -> str:
    if isinstance(item, str):
        return repr(item[:60] + ("…" if len(item) > 60 else ""))
    return json.dumps(item, ensure_ascii=False)


# -- scoring one answer -------------------------------------------------------------------


def score(question: EvalQuestion, answer: Answer, gold: list[Span], verifier: Any) -> dict[str, Any]:
    """One line of answers.jsonl: the answer as `ask --json` prints it, and its metrics."""
    retrieved = [(p.doc_id, p.start, p.end) for p in answer.passages]
    refused = not answer.answerable
    said = "" if refused else " ".join(s.text for s in answer.sentences)
    golds = list(question.answers) if question.answerable else []
    supported, cited_ok, cited_all = judge_citations(answer, verifier)
    sentences = len(answer.sentences)
    removed = len(answer.unsupported)
    metrics = {
        **retrieval_metrics(retrieved, gold),
        "em": exact_match(said, golds),
        "f1": token_f1(said, golds),
        "contains": contains_answer(said, golds),
        "refused": refused,
        "sentences": sentences,
        "supported_sentences": supported,
        "citations": cited_all,
        "supporting_citations": cited_ok,
        "removed_sentences": removed,
    }
    return {
        "id": question.id,
        "model": answer.model,
        "question": question.question,
        "answerable": question.answerable,
        "gold_answers": list(question.answers),
        "gold_spans": [list(s) for s in gold],
        "answer": answer.to_json(),
        "metrics": metrics,
        "timings": answer.timings,
    }


def judge_citations(answer: Answer, verifier: Any) -> tuple[int, int, int]:
    """(sentences supported by their citations, citations that support their sentence, citations).

    ALCE's citation recall and precision, with Casefile's verifier as the judge: a sentence
    is supported when one of the passages it cites supports it; a citation is precise when
    it supports its sentence on its own.
    """
    by_number = {c.n: c for c in answer.citations}
    supported = precise = total = 0
    for sentence in answer.sentences:
        quotes = [by_number[n] for n in sentence.citations if n in by_number]
        backing = [
            verifier.support_in(sentence.text, _as_passage(c), i)[0] is not None
            for i, c in enumerate(quotes)
        ]
        supported += any(backing)
        precise += sum(backing)
        total += len(backing)
    return supported, precise, total


def _as_passage(citation: Any) -> Passage:
    return Passage(
        citation.doc_id,
        citation.source,
        citation.title,
        citation.page,
        citation.start,
        citation.end,
        citation.quote,
        1.0,
    )
