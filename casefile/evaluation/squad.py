"""Turn a SQuAD-format file (1.1 or 2.0) into case documents and a Casefile question file.

Each article (`data[].title`) becomes one text document, its paragraphs separated by blank
lines; each question keeps its gold answers, gets their character offsets in that
document as evidence, and is restricted to that document (SQuAD questions are asked of
one article: "Do you share my data?" has a different answer in every privacy policy).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Converted:
    documents: Path
    questions: Path
    document_count: int
    question_count: int


def convert_squad(source: Path, out: Path) -> Converted:
    """Write `out/documents/*.txt` and `out/questions.jsonl` from the SQuAD file `source`."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{source}: not a SQuAD file ({exc})") from exc
    documents = out / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    questions = out / "questions.jsonl"
    names: set[str] = set()
    count = 0
    with questions.open("w", encoding="utf-8") as sink:
        for number, article in enumerate(data, start=1):
            name = _file_name(article.get("title") or f"article-{number}", names)
            parts, offset = [], 0
            for paragraph in article.get("paragraphs", []):
                context = paragraph["context"]
                for qa in paragraph.get("qas", []):
                    sink.write(json.dumps(_question(qa, name, offset), ensure_ascii=False) + "\n")
                    count += 1
                parts.append(context)
                offset += len(context) + len(PARAGRAPH_SEPARATOR)
            (documents / name).write_text(PARAGRAPH_SEPARATOR.join(parts), encoding="utf-8")
    return Converted(documents, questions, len(names), count)


def _question(qa: dict, doc: str, offset: int) -> dict:
    impossible = bool(qa.get("is_impossible"))
    answers = [] if impossible else qa.get("answers", [])
    evidence = []
    for answer in answers:
        start = offset + int(answer["answer_start"])
        span = {"doc": doc, "start": start, "end": start + len(answer["text"])}
        if span not in evidence and answer["text"].strip():
            evidence.append(span)
    return {
        "id": str(qa.get("id") or ""),
        "question": qa["question"],
        "answers": list(dict.fromkeys(a["text"] for a in answers)),
        "evidence": evidence,
        "doc": doc,
        "answerable": not impossible,
    }


def _file_name(title: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-.")[:80] or "article"
    name, n = f"{stem}.txt", 2
    while name in taken:
        name, n = f"{stem}-{n}.txt", n + 1
    taken.add(name)
    return name
