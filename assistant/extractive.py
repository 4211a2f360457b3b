"""The `extractive` model: answer with the retrieved sentences that best answer the question.

It also decides whether a question is answerable at all, for every model: a question
whose best sentence is too far from it, lacks the kind of fact asked for (a date for
"when", a number for "how much", a name for "who"), or shares none of its subject words
is refused rather than answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from langchain_core.embeddings import Embeddings

from assistant.evidence import (
    content_terms,
    covers,
    has_date,
    names_in,
    numbers_in,
    stem,
    term_pairs,
)
from assistant.injection import is_instruction
from assistant.sentence_vectors import SentenceEmbeddingCache
from casefile.kernel.records import Passage
from casefile.kernel.text import split_sentences

AnswerKind = Literal["person", "number", "date", "place", "quote"]

_KINDS: list[tuple[re.Pattern[str], AnswerKind]] = [
    (
        re.compile(
            r"^\s*(who|whom|whose)\b|\bwhich (lawyer|attorney|judge|person)|\bname of\b", re.I
        ),
        "person",
    ),
    (re.compile(r"\bhow (much|many|old|long)\b|\bwhat (amount|sum)\b", re.I), "number"),
    (re.compile(r"^\s*when\b|\bwhat (date|year|day|month|time)\b", re.I), "date"),
    (re.compile(r"^\s*where\b", re.I), "place"),
    # "What did X call / say about ...": reported speech, which news copy puts in quotes.
    (
        re.compile(
            r"\b(what|how) (did|does|do|has|have)\b.*\b(say|call|describe|characteri[sz]e|react|"
            r"respond|comment|claim|tell|label)\b",
            re.I,
        ),
        "quote",
    ),
]
_QUOTATION = re.compile(r"[“\"][^”\"]{3,}[”\"]")
_NUMBER_WORDS = re.compile(r"\b(million|billion|thousand|hundred|dozen|percent)\b", re.I)


def expected_kind(question: str) -> AnswerKind | None:
    """The kind of fact a question asks for, when its wording says so."""
    for pattern, kind in _KINDS:
        if pattern.search(question):
            return kind
    return None


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence of a retrieved passage, scored as an answer to the question."""

    passage: Passage
    start: int  # offsets in the document's stored text
    end: int
    text: str
    score: float
    similarity: float
    overlap: float
    on_topic: bool


@dataclass(frozen=True)
class Assessment:
    answerable: bool
    reason: str
    sentences: list[ScoredSentence]


class ExtractiveAnswerer:
    """Scores the sentences of retrieved passages against a question."""

    def __init__(
        self,
        embeddings: Embeddings | SentenceEmbeddingCache,
        *,
        min_score: float = 0.45,
        max_sentences: int = 2,
        margin: float = 0.06,
    ) -> None:
        if not 0 < min_score < 1:
            raise ValueError(f"min_score must be between 0 and 1. Currently, it is {min_score}")
        if max_sentences <= 0:
            raise ValueError(
                f"max_sentences must be greater than 0. Currently, it is {max_sentences}"
            )
        self.cache = (
            embeddings
            if isinstance(embeddings, SentenceEmbeddingCache)
            else SentenceEmbeddingCache(embeddings)
        )
        self.min_score = min_score
        self.max_sentences = max_sentences
        self.margin = margin

    def score(self, question: str, passages: list[Passage]) -> list[ScoredSentence]:
        """Every usable sentence of `passages`, best answer first."""
        spans = [
            (passage, passage.start + s, passage.start + e, passage.text[s:e])
            for passage in passages
            for s, e in split_sentences(passage.text)
        ]
        seen: set[tuple[str, int]] = set()
        usable = []
        for passage, start, end, text in spans:
            if (passage.doc_id, start) in seen or len(text.split()) < 4 or is_instruction(text):
                continue
            seen.add((passage.doc_id, start))
            usable.append((passage, start, end, text))
        if not usable:
            return []
        texts = [u[3] for u in usable]
        question_names = names_in(question)
        # A name the question shares with only a sentence or two pins the topic down.
        mentions = {n: sum(n in names_in(t) for t in texts) for n in question_names}
        rare_names = {n for n, count in mentions.items() if 0 < count <= 2}
        rated = self.rate(question, texts, rare_names)
        scored = [
            ScoredSentence(passage, start, end, text, score, similarity, overlap, on_topic)
            for (passage, start, end, text), (score, similarity, overlap, on_topic) in zip(
                usable, rated, strict=True
            )
        ]
        return sorted(scored, key=lambda s: s.score, reverse=True)

    def rate(
        self, question: str, texts: list[str], rare_names: set[str] = frozenset()
    ) -> list[tuple[float, float, float, bool]]:
        """(score, similarity, overlap, on_topic) of each text as an answer to `question`."""
        if not texts:
            return []
        similarities = self.cache.embed(texts) @ self.cache.query(question)
        terms = content_terms(question)
        pairs = term_pairs(question)
        question_names = names_in(question)
        focus = terms - {stem(n.lower()) for n in question_names}
        kind = expected_kind(question)
        rated = []
        for text, similarity in zip(texts, similarities, strict=True):
            text_terms = content_terms(text)
            overlap = len(covers(terms, text_terms)) / len(terms) if terms else 0.0
            on_topic = (
                not focus or bool(covers(focus, text_terms)) or bool(rare_names & names_in(text))
            )
            adjustment = _kind_adjustment(kind, question_names, focus, text)
            if pairs:
                adjustment += 0.15 * len(pairs & term_pairs(text)) / len(pairs)
            score = 0.6 * float(similarity) + 0.4 * overlap + adjustment
            rated.append((score, float(similarity), overlap, on_topic))
        return rated

    def assess(self, question: str, passages: list[Passage]) -> Assessment:
        """Whether the passages answer `question`, and the sentences that do."""
        scored = self.score(question, passages)
        if not scored:
            return Assessment(False, "no passage was retrieved", [])
        relevant = [s for s in scored if s.on_topic]
        if not relevant:
            return Assessment(False, "no passage mentions what the question asks about", [])
        best = relevant[0]
        if best.score < self.min_score:
            return Assessment(
                False, f"the closest sentence scores {best.score:.2f}, below {self.min_score}", []
            )
        chosen = [best]
        for candidate in relevant[1:]:
            if len(chosen) == self.max_sentences or candidate.score < best.score - self.margin:
                break
            if candidate.text != best.text:
                chosen.append(candidate)
        return Assessment(True, "", chosen)


def _kind_adjustment(
    kind: AnswerKind | None, question_names: set[str], focus: set[str], sentence: str
) -> float:
    """Reward a sentence holding the kind of fact asked for; penalise one without it."""
    if kind is None:
        return 0.0
    if kind == "person":
        return _names_beside_focus(question_names, focus, sentence)
    if kind == "place":
        return 0.1 if names_in(sentence) - question_names else -0.1
    if kind == "number":
        found = bool(numbers_in(sentence) or _NUMBER_WORDS.search(sentence))
        return 0.15 if found else -0.2
    if kind == "quote":
        return 0.15 if _QUOTATION.search(sentence) else -0.1
    return 0.15 if has_date(sentence) else -0.2


def _names_beside_focus(question_names: set[str], focus: set[str], sentence: str) -> float:
    """For "who" questions: a new name right beside the asked-about role
    ("lawyer, Bryan Freedman")."""
    if not focus:
        return 0.0  # "Who is Neama Rahmani?": any sentence about them will do
    words = re.findall(r"[\w’'-]+", sentence)
    new_names = names_in(sentence) - question_names
    # "Lively’s lawyers" names whose lawyers they are, not who the lawyers are.
    name_at = [i for i, w in enumerate(words) if w in new_names]
    focus_at = [
        i for i, w in enumerate(words) if covers({stem(w.lower().removesuffix("’s"))}, focus)
    ]
    if any(abs(n - f) <= 2 for n in name_at for f in focus_at):
        return 0.2
    return -0.15
