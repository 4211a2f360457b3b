"""The records an answer is made of: passages, citations, sentences and the answer itself."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Passage:
    """A retrieved, verbatim span `[start, end)` of one document's stored text."""

    doc_id: str
    source: str
    title: str
    page: int | None
    start: int
    end: int
    text: str
    score: float
    date: str | None = None
    similarity: float = 0.0  # cosine between the question and the passage (dense model)

    @property
    def name(self) -> str:
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Citation:
    """Numbered evidence for the answer: `quote == document_text[start:end]`."""

    n: int
    doc_id: str
    source: str
    title: str
    page: int | None
    start: int
    end: int
    quote: str
    date: str | None = None


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer and the citations (by `n`) that back it."""

    text: str
    citations: tuple[int, ...]
    supported: bool
    reason: str = ""  # why verification rejected it, or how its citation was fixed


@dataclass
class Answer:
    """What `CaseAssistant.ask` returns; `to_json()` is the `casefile ask --json` object."""

    question: str
    answer: str
    answerable: bool
    sentences: list[AnswerSentence]
    citations: list[Citation]
    passages: list[Passage]
    unsupported: list[AnswerSentence]
    model: str
    standalone_question: str = ""
    notice: str = ""  # e.g. the model backend was down and the extractive answer is shown
    timings: dict[str, float] = field(default_factory=dict)

    def citation(self, n: int) -> Citation:
        return next(c for c in self.citations if c.n == n)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.answer,
            "answerable": self.answerable,
            "notice": self.notice,
            "sentences": [
                {"text": s.text, "citations": list(s.citations), "supported": s.supported}
                for s in self.sentences
            ],
            "citations": [asdict(c) for c in self.citations],
            "passages": [
                {k: v for k, v in asdict(p).items() if k != "similarity"} for p in self.passages
            ],
            "unsupported": [
                {"text": s.text, "citations": list(s.citations), "reason": s.reason}
                for s in self.unsupported
            ],
            "model": self.model,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
