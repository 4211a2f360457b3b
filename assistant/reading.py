"""From retrieved passages to the words that answer: the reader's step of the answer path.

    question → candidates (retrieval) → **read** → verify → cite

The trained reader (`assistant/reader.py`) scores every span of every candidate; the best
span is the short answer, verbatim; the sentence of the document that holds it is the quote.
The candidates come back re-ranked by how well the reader says each answers, so a long
filing's right page rises even when retrieval ranked it low. A question is refused when no
span reaches the reader's calibrated threshold: then the nearest sentence is kept, to be
offered as "not an answer, but the nearest the documents come".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.fragments import is_fragment
from assistant.questions import Question, fits
from assistant.reader import ExtractiveReader, Reading, ReadSpan
from casefile.kernel.errors import DocumentNotFound
from casefile.kernel.records import Passage
from casefile.kernel.text import split_sentences
from ingest.legal import Statement, dispositions, stated

# How far around a span to look for the rest of its sentence (a chunk may cut it).
SENTENCE_REACH = 1500
# A second sentence is quoted when its own best span scores at least this share of the best.
SECOND_SHARE = 0.5
_EDGE = " \t\n,;:.()[]\"'“”‘’"
CHECK_SHAPE = True


@dataclass(frozen=True)
class Located:
    """A span of a document's stored text: `passage` is the candidate it was read in."""

    passage: Passage
    start: int  # document offsets
    end: int
    text: str


@dataclass(frozen=True)
class Finding:
    """What the reader found for a question among the candidates."""

    answered: bool
    confidence: float  # the best span's score (0..1)
    threshold: float
    short: Located | None  # the best span, when answered
    sentences: tuple[Located, ...]  # the sentences to quote, best first
    ranked: tuple[Passage, ...]  # the candidates, best answering first
    nearest: Located | None  # the sentence of the best span, even when below the threshold

    @property
    def reason(self) -> str:
        if self.answered:
            return ""
        if not self.ranked:
            return "no passage was found"
        return "no passage states it"


class PassageReader:
    """Reads candidates for the span that answers, and the sentences that hold it.

    `document_text(doc_id)` gives a document's stored text, to quote a sentence whole when a
    candidate cuts it.
    """

    def __init__(
        self,
        reader: ExtractiveReader,
        document_text,  # type: ignore[no-untyped-def]  # Callable[[str], str]
        *,
        max_sentences: int = 2,
    ) -> None:
        if max_sentences <= 0:
            raise ValueError(
                f"max_sentences must be greater than 0. Currently, it is {max_sentences}"
            )
        self.reader = reader
        self.document_text = document_text
        self.max_sentences = max_sentences

    def run(self, question: Question, candidates: list[Passage]) -> Finding:
        texts = [p.text for p in candidates]
        # A court document's own statement of the role or ruling asked about ("Before A, B,
        # and C, Circuit Judges.", "AFFIRMED.") is the evidence the reader scores first.
        stated = _statements(question, texts)
        reading = self.reader.read(
            question.text, texts, top_k=8, marked=[[(s.start, s.end) for s in t] for t in stated]
        )
        ranked = _rerank(candidates, reading)
        cache: dict[str, str | None] = {}
        # A statement the reader believes answers comes first, of the role the question
        # wants most ("wrote the opinion": its author before a judge named elsewhere); else
        # the reader's own spans.
        roles = {(i, s.start, s.end): s.role for i, found in enumerate(stated) for s in found}
        wanted = [*question.roles, "disposition"]
        found = sorted(
            (
                pair
                for pair in self._stated(reading, candidates, stated, cache)
                if pair[0].score >= reading.relevance_threshold
            ),
            key=lambda pair: wanted.index(roles[(pair[0].passage, pair[0].start, pair[0].end)]),
        )
        from_statement = bool(found)
        found += self._verified(question, reading, candidates, cache)
        if not found:
            return Finding(False, 0.0, reading.threshold, None, (), ranked, None)
        best, short, first = found[0]
        if not from_statement and best.score < reading.threshold:
            return Finding(False, best.score, reading.threshold, None, (), ranked, first)
        if question.yes_no and not from_statement:
            # "Did the court find ...?": no span says "no"; a ruling stated in the sentence
            # ("is DENIED") is the short answer, else the sentence answers alone.
            short = _ruling_in(first)
        sentences = [first]
        for span, _, sentence in found[1:]:
            if len(sentences) == self.max_sentences:
                break
            if from_statement or span.score < max(reading.threshold, SECOND_SHARE * best.score):
                break
            if not any(_overlaps(sentence, s) for s in sentences):
                sentences.append(sentence)
        return Finding(True, best.score, reading.threshold, short, tuple(sentences), ranked, first)

    def _stated(
        self,
        reading: Reading,
        candidates: list[Passage],
        stated: list[list[Statement]],
        cache: dict[str, str | None],
    ) -> Iterator[tuple[ReadSpan, Located, Located]]:
        """The statements of the role or ruling asked about, best scored first, each with the
        whole statement as its sentence ("SUSAN ILLSTON" / "United States District Judge")."""
        reaches = {(i, s.start, s.end): s.reach for i, found in enumerate(stated) for s in found}
        for span in reading.marked:
            passage = candidates[span.passage]
            located = self._locate(passage, (span.start, span.end))
            whole = self._locate(passage, reaches[(span.passage, span.start, span.end)])
            sentence = self._sentence(whole, cache)
            if sentence is not None:
                yield span, located, sentence

    def _verified(
        self,
        question: Question,
        reading: Reading,
        candidates: list[Passage],
        cache: dict[str, str | None],
    ) -> Iterator[tuple[ReadSpan, Located, Located]]:
        """The reader's spans, best first, with their sentences, passing over a span that is
        only punctuation or whose sentence is a heading, a caption or a citation."""
        for span in reading.spans:
            trimmed = _trimmed(span)
            if trimmed is None:
                continue
            located = self._locate(candidates[span.passage], trimmed)
            if CHECK_SHAPE and not fits(located.text, question.expects):
                continue  # "how many" answered by "more", "when" by "the Court"
            sentence = self._sentence(located, cache)
            if sentence is not None and not is_fragment(sentence.text):
                yield span, located, sentence

    @staticmethod
    def _locate(passage: Passage, span: tuple[int, int]) -> Located:
        """A span of a candidate (offsets into its text) as a span of its document."""
        start, end = passage.start + span[0], passage.start + span[1]
        return Located(passage, start, end, passage.text[span[0] : span[1]])

    def _sentence(self, span: Located, cache: dict[str, str | None]) -> Located | None:
        """The document's sentence(s) holding `span`, whole (`cache`: the texts read); None
        when the document was removed (by another session) since it was retrieved."""
        doc_id = span.passage.doc_id
        if doc_id not in cache:
            try:
                cache[doc_id] = self.document_text(doc_id)
            except DocumentNotFound:
                cache[doc_id] = None
        text = cache[doc_id]
        if text is None:
            return None
        low = max(0, span.start - SENTENCE_REACH)
        high = min(len(text), span.end + SENTENCE_REACH)
        around = [
            (s, e) for s, e in split_sentences(text, low, high) if s < span.end and e > span.start
        ]
        if not around:
            return span
        start, end = around[0][0], around[-1][1]
        if around[0][0] == low and low > 0 or around[-1][1] == high and high < len(text):
            start, end = span.start, span.end  # a run with no sentence end: quote the span
        return Located(span.passage, start, end, text[start:end])


# The sides a court document's counsel act for, as questions name them.
_SIDES = (
    "appellant", "appellee", "plaintiff", "defendant", "petitioner", "respondent",
    "government", "intervenor", "amicus", "debtor", "creditor", "claimant",
)  # fmt: skip


def _statements(question: Question, texts: list[str]) -> list[list[Statement]]:
    """Per text, the statements of the roles (or the ruling) the question asks about; for
    "who argued for the appellee?", only the counsel of the side asked about."""
    wanted = {"disposition"} if question.ruling else set(question.roles)
    if not wanted:
        return [[] for _ in texts]
    asked = question.text.lower()
    sides = [side for side in _SIDES if side in asked]

    def fits_side(statement: Statement) -> bool:
        if statement.role != "counsel" or not sides:
            return True
        return any(side in statement.side.lower() for side in sides)

    return [[s for s in stated(text) if s.role in wanted and fits_side(s)] for text in texts]


def _ruling_in(sentence: Located) -> Located | None:
    """The disposition a sentence states ("AFFIRMED", "the motion is granted"), if any."""
    found = dispositions(sentence.text)
    if not found:
        return None
    ruling = min(found, key=lambda s: s.end - s.start)
    start = sentence.start + ruling.start
    return Located(sentence.passage, start, start + len(ruling.value), ruling.value)


def _rerank(candidates: list[Passage], reading: Reading) -> tuple[Passage, ...]:
    """Candidates by the reader's belief that each answers; retrieval's order breaks ties."""
    order = sorted(range(len(candidates)), key=lambda i: (-round(reading.relevance[i], 3), i))
    return tuple(candidates[i] for i in order)


def _trimmed(span: ReadSpan) -> tuple[int, int] | None:
    """The span without the spaces and punctuation at its edges; None when nothing is left."""
    text = span.text
    left = len(text) - len(text.lstrip(_EDGE))
    right = len(text.rstrip(_EDGE))
    if right <= left or not re.search(r"\w", text[left:right]):
        return None
    # The final "." of an abbreviation ("Inc.", "Jr.") belongs to the name.
    kept = text[left:right]
    if (
        right < len(text)
        and text[right] == "."
        and re.search(r"\b(?:[A-Z][a-z]{0,3}|[A-Z])$", kept)
    ):
        right += 1
    return span.start + left, span.start + right


def _overlaps(a: Located, b: Located) -> bool:
    return a.passage.doc_id == b.passage.doc_id and a.start < b.end and b.start < a.end
