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

from casefile.evaluation.metrics import (
    Span,
    contains_answer,
    exact_match,
    normalize_answer,
    retrieval_metrics,
    token_f1,
)
from casefile.evaluation.questions import EvalQuestion
from casefile.kernel.errors import CasefileError
from casefile.kernel.records import Answer, PageSpan, Passage, pages_in
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
    on_pair: Callable[[int], None] | None = None,  # called with the pairs done (or skipped)
) -> EvalRun:
    """Answer and score every question with every model, appending to `out/answers.jsonl`."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / ANSWERS_FILE
    run = EvalRun(rows=read_rows(path))
    texts = CaseTexts(assistant.store)
    done = {(row["id"], row["model"]) for row in run.rows}
    with path.open("a", encoding="utf-8") as sink:
        for question in questions:
            todo = [m for m in models if (question.id, m) not in done]
            skipped = len(models) - len(todo)
            run.skipped += skipped
            if on_pair and skipped:
                on_pair(skipped)
            if not todo:
                continue
            gold, notes = resolve_evidence(assistant.store, question, texts)
            run.problems.extend(f"{question.id}: {note}" for note in notes)
            for model in todo:
                try:
                    # A follow-up is asked after its conversation's earlier questions.
                    earlier: list[Answer] = []
                    for asked in question.history:
                        earlier.append(assistant.ask(asked, earlier, model=model, k=k))
                    answer = assistant.ask(
                        question.question,
                        earlier,
                        model=model,
                        k=k,
                        docs=[question.doc] if question.doc else None,
                    )
                except CasefileError as exc:
                    run.problems.append(f"{question.id} ({model}): {exc}")
                else:
                    row = score(question, answer, gold, assistant.verifier, texts)
                    row["evidence_notes"] = notes
                    sink.write(json.dumps(row, ensure_ascii=False) + "\n")
                    sink.flush()
                    run.rows.append(row)
                    run.answered += 1
                if on_pair:
                    on_pair(1)
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


class CaseTexts:
    """A case's records, stored texts and source files, each read once per evaluation run
    (PolicyQA asks thousands of questions of twenty documents)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._found: dict[str, Any] = {}
        self._stored: dict[str, str] = {}
        self._pages: dict[str, tuple[PageSpan, ...]] = {}
        self._sources: dict[Path, str | None] = {}
        self._records: list[Any] | None = None

    def find(self, name: str) -> Any:
        if name not in self._found:
            self._found[name] = self.store.find(name)
        return self._found[name]

    def records(self) -> list[Any]:
        if self._records is None:
            self._records = self.store.records()
        return self._records

    def pages(self, doc_id: str) -> tuple[PageSpan, ...]:
        if doc_id not in self._pages:
            self._pages[doc_id] = self.store.page_spans(doc_id)
        return self._pages[doc_id]

    def stored(self, doc_id: str) -> str:
        if doc_id not in self._stored:
            self._stored[doc_id] = self.store.document_text(doc_id)
        return self._stored[doc_id]

    def source(self, path: Path) -> str | None:
        """A plain-text source file's text, which cleaning may since have shifted."""
        if path not in self._sources:
            plain = path.suffix.lower() in {".txt", ".md", ".markdown"} and path.is_file()
            self._sources[path] = decode_text(path, path.read_bytes()) if plain else None
        return self._sources[path]


def resolve_evidence(
    store: Any, question: EvalQuestion, texts: CaseTexts | None = None
) -> tuple[list[Span], list[str]]:
    """Gold evidence as spans of stored document text, and notes on what could not be found."""
    texts = texts or CaseTexts(store)
    spans: list[Span] = []
    notes: list[str] = []
    for item in question.evidence:
        try:
            span = _resolve(texts, question, item)
        except CasefileError as exc:
            notes.append(f"evidence {_describe(item)}: {exc}")
            continue
        if span is None:
            notes.append(f"evidence {_describe(item)} is not in the case's documents")
        else:
            spans.append(span)
    return spans, notes


def _resolve(texts: CaseTexts, question: EvalQuestion, item: Any) -> Span | None:
    if isinstance(item, str):
        docs = [texts.find(question.doc)] if question.doc else texts.records()
        for record in docs:
            found = find_quote(texts.stored(record.doc_id), item)
            if found:
                return (record.doc_id, *found)
        return None
    record = texts.find(item["doc"])
    text = texts.stored(record.doc_id)
    page_span = None
    if "page" in item:
        pages = texts.pages(record.doc_id)
        same = [p for p in pages if p.number == item["page"]]  # a page may have several parts
        if same:
            page_span = (min(p.start for p in same), max(p.end for p in same))
        elif item["page"] == 1 and not pages:
            page_span = (0, len(text))
    if item.get("quote"):
        # The quoted words themselves, on their page when one is given: retrieval is then
        # scored by whether a passage holds the evidence, not merely comes from its page.
        near = page_span[0] if page_span else 0
        found = find_quote(text, item["quote"], near=near) or _fuzzy_quote(
            text, item["quote"], page_span
        )
        if found:
            return (record.doc_id, *found)
    if page_span is not None:
        return (record.doc_id, *page_span)
    if "page" in item or item.get("quote"):
        return None
    start, end = item["start"], item["end"]
    source = texts.source(Path(record.source))
    quote = source[start:end] if source is not None and end <= len(source) else text[start:end]
    found = find_quote(text, quote, near=start)
    return (record.doc_id, *found) if found else None


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


def _fuzzy_quote(text: str, quote: str, page: tuple[int, int] | None) -> tuple[int, int] | None:
    """The longest stretch of `quote` found verbatim on its page (or in the whole text),
    when it is at least half the quote: PDF text read another way (hyphens mended, a
    column joined) rarely matches a quote whole."""
    from difflib import SequenceMatcher

    start, end = page if page else (0, len(text))
    haystack = " ".join(text[start:end].translate(_STRAIGHT).split())
    needle = " ".join(quote.translate(_STRAIGHT).split())
    match = SequenceMatcher(None, haystack, needle, autojunk=False).find_longest_match(
        0, len(haystack), 0, len(needle)
    )
    if match.size < max(1, len(needle) // 2):
        return None
    found = find_quote(text[start:end], haystack[match.a : match.a + match.size])
    return (start + found[0], start + found[1]) if found else None


def _describe(item: Any) -> str:
    if isinstance(item, str):
        return repr(item[:60] + ("…" if len(item) > 60 else ""))
    return json.dumps(item, ensure_ascii=False)


# -- scoring one answer -------------------------------------------------------------------


def score(
    question: EvalQuestion,
    answer: Answer,
    gold: list[Span],
    verifier: Any,
    texts: CaseTexts | None = None,
) -> dict[str, Any]:
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
        "cited_page": cited_page(answer, gold, texts) if texts is not None else None,
        **short_answer_metrics(question, answer),
        "confidence": answer.confidence,
    }
    return {
        "id": question.id,
        "model": answer.model,
        "question": question.question,
        "answerable": question.answerable,
        "history": list(question.history),
        "gold_answers": list(question.answers),
        "gold_spans": [list(s) for s in gold],
        "answer": answer.to_json(),
        "metrics": metrics,
        "timings": answer.timings,
    }


def short_answer_metrics(question: EvalQuestion, answer: Answer) -> dict[str, Any]:
    """Whether the answer is wrong (what a reporter could print by mistake: an answer without
    the gold fact, or any answer to an unanswerable question), whether it led with a short
    answer, and whether that short answer holds a gold answer (or is held by one)."""
    answered = answer.answerable
    short = answer.short.text if answered and answer.short else ""
    said = " ".join(s.text for s in answer.sentences) if answered else ""
    if not question.answerable:
        wrong: bool | None = answered
    elif not question.answers:
        wrong = None
    else:
        wrong = answered and not contains_answer(f"{short} {said}", list(question.answers))
    right_short = None
    if short and question.answerable and question.answers:
        mine = normalize_answer(short)
        right_short = any(
            (gold := normalize_answer(g)) and (gold in mine or mine in gold)
            for g in question.answers
        )
    return {"wrong": wrong, "short_given": bool(short), "short_correct": right_short}


def cited_page(answer: Answer, gold: list[Span], texts: CaseTexts) -> float | None:
    """1.0 when a citation points at a page the gold evidence is printed on, 0.0 when none
    does; None for refusals and for gold evidence outside paginated documents."""
    if not answer.answerable:
        return None
    gold_pages: set[tuple[str, int]] = set()
    for doc_id, start, end in gold:
        spans = texts.pages(doc_id)
        gold_pages |= {(doc_id, page) for page in pages_in(spans, start, end)}
    if not gold_pages:
        return None
    for c in answer.citations:
        if c.page is None:
            continue
        last = c.end_page or c.page
        if any((c.doc_id, page) in gold_pages for page in range(c.page, last + 1)):
            return 1.0
    return 0.0


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
