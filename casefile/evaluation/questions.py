"""Question files for `casefile eval`: JSONL (one object per line) or CSV (one row each).

Fields: `question` (required), `id`, `answers` (a string or a list), `evidence` (a list of
quotes, `{doc, start, end}`, `{doc, page}` or `{doc, page, quote}` objects), `doc`
(restrict retrieval to that document), `answerable` (false for questions the documents
do not answer) and `history` (the questions asked before it in the same conversation, for a
follow-up such as "Why?"). In CSV, a cell of `answers` or `evidence` that starts with `[` or `{` is
read as JSON, otherwise as a single string.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Evidence = str | dict[str, Any]


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answers: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    doc: str | None = None
    answerable: bool = True
    history: tuple[str, ...] = ()  # earlier questions of the conversation, oldest first


@dataclass
class QuestionFile:
    questions: list[EvalQuestion] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "file:line: reason", rows skipped


def load_questions(path: Path) -> QuestionFile:
    """Read every valid row; a bad row becomes a problem naming its line, not an error."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such question file")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        rows = ((i + 2, row) for i, row in enumerate(csv.DictReader(text.splitlines())))
    else:
        rows = _jsonl_rows(text)
    loaded = QuestionFile()
    seen: set[str] = set()
    for line, row in rows:
        try:
            question = _question(row, csv_cells=path.suffix.lower() == ".csv")
            if question.id in seen:
                raise ValueError(f"duplicate id {question.id!r}")
        except ValueError as exc:
            loaded.problems.append(f"{path.name}:{line}: {exc}")
            continue
        seen.add(question.id)
        loaded.questions.append(question)
    return loaded


def _jsonl_rows(text: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield number, row


def _question(row: Any, *, csv_cells: bool) -> EvalQuestion:
    if isinstance(row, ValueError):
        raise row
    if not isinstance(row, dict):
        raise ValueError("a row must be an object with a 'question'")
    question = str(row.get("question") or "").strip()
    if not question:
        raise ValueError("'question' is missing or empty")
    answers = _cell(row.get("answers"), csv_cells)
    evidence = _cell(row.get("evidence"), csv_cells)
    answers = [answers] if isinstance(answers, str) else list(answers or [])
    evidence = [evidence] if isinstance(evidence, str | dict) else list(evidence or [])
    if not all(isinstance(a, str) for a in answers):
        raise ValueError("'answers' must be a string or a list of strings")
    for item in evidence:
        _check_evidence(item)
    history = _cell(row.get("history"), csv_cells)
    history = [history] if isinstance(history, str) else list(history or [])
    if not all(isinstance(h, str) and h.strip() for h in history):
        raise ValueError("'history' must be a question or a list of questions")
    qid = str(row.get("id") or "").strip() or hashlib.sha1(question.encode()).hexdigest()[:10]
    doc = str(row.get("doc") or "").strip() or None
    return EvalQuestion(
        id=qid,
        question=question,
        answers=tuple(a for a in answers if a.strip()),
        evidence=tuple(evidence),
        doc=doc,
        answerable=_flag(row.get("answerable", True)),
        history=tuple(h.strip() for h in history),
    )


def _cell(value: Any, csv_cells: bool) -> Any:
    if csv_cells and isinstance(value, str):
        value = value.strip()
        if value[:1] in "[{" and value:
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"cell {value[:40]!r} is not valid JSON ({exc.msg})") from exc
        return value or None
    return value


def _check_evidence(item: Any) -> None:
    if isinstance(item, str):
        if not item.strip():
            raise ValueError("an evidence quote is empty")
        return
    if not isinstance(item, dict) or not item.get("doc"):
        raise ValueError("evidence must be quotes or objects with a 'doc'")
    if "quote" in item and not (isinstance(item["quote"], str) and item["quote"].strip()):
        raise ValueError(f"evidence in {item['doc']!r} has an empty or non-text 'quote'")
    if "page" in item:
        if not isinstance(item["page"], int) or item["page"] < 1:
            raise ValueError(f"evidence page {item['page']!r} is not a page number")
        return
    if "quote" in item:
        return
    start, end = item.get("start"), item.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        raise ValueError(f"evidence in {item['doc']!r} needs start < end (got {start!r}, {end!r})")


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "true", "yes", "1", "y"):
        return True
    if text in ("false", "no", "0", "n"):
        return False
    raise ValueError(f"'answerable' must be true or false, not {value!r}")
