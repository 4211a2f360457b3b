"""The reading step: the best span leads, its sentence is quoted whole, refusals keep the
nearest sentence, and candidates come back in the reader's order."""

from __future__ import annotations

from assistant.questions import Question
from assistant.reader import Reading, ReadSpan
from assistant.reading import PassageReader
from casefile.kernel.records import Passage

DOCUMENT = (
    "The hearing was held in Fresno. Judge Ann Ortiz signed the order on May 1, 2020. "
    "The motion to dismiss is DENIED. Counsel for the plaintiff was Bo Chen of Reed LLP."
)


class FakeReader:
    """Gives back the spans it is told to, wherever their text is found in the passages."""

    def __init__(
        self,
        spans: list[tuple[str, float]],
        relevance: list[float],
        threshold=0.3,
        marks: dict[str, float] | None = None,
    ):
        self.spans = spans
        self.relevance = relevance
        self.threshold = threshold
        # a marked span's text -> its passage's P(answers) (others score 0.01)
        self.marks = marks or {}

    def read(self, question: str, texts: list[str], *, top_k: int = 5, marked=()) -> Reading:
        scored = [
            ReadSpan(i, s, e, texts[i][s:e], self.marks.get(texts[i][s:e], 0.01))
            for i, spans in enumerate(marked)
            for s, e in spans
        ]
        scored.sort(key=lambda s: -s.score)
        found = []
        for words, score in self.spans:
            index = next(i for i, t in enumerate(texts) if words in t)
            start = texts[index].index(words)
            found.append(ReadSpan(index, start, start + len(words), words, score))
        found.sort(key=lambda s: -s.score)
        return Reading(
            tuple(found), tuple(self.relevance), self.threshold, tuple(scored), self.threshold
        )


def _passage(start: int, end: int, doc_id: str = "d1") -> Passage:
    return Passage(doc_id, "order.pdf", "Order", 1, start, end, DOCUMENT[start:end], 0.5)


def _reader(reader: FakeReader) -> PassageReader:
    return PassageReader(reader, lambda doc_id: DOCUMENT, max_sentences=2)


def test_the_best_span_is_the_short_answer_and_its_sentence_is_quoted_whole():
    # The candidate starts mid-sentence: the quote is still the document's whole sentence.
    cut = DOCUMENT.index("Ortiz")
    candidates = [_passage(0, 30), _passage(cut, len(DOCUMENT))]
    reading = _reader(FakeReader([("Fresno", 0.1), ("Ortiz", 0.9)], [0.1, 0.95]))
    finding = reading.run(Question.parse("Who signed the order?"), candidates)
    assert finding.answered
    assert finding.short.text == "Ortiz"
    assert finding.sentences[0].text == "Judge Ann Ortiz signed the order on May 1, 2020."
    assert finding.ranked[0] is candidates[1]  # the reader's order, not retrieval's


def test_a_second_sentence_is_quoted_only_when_its_span_is_nearly_as_good():
    candidates = [_passage(0, len(DOCUMENT))]
    close = FakeReader([("May 1, 2020", 0.8), ("Fresno", 0.5)], [0.9])
    far = FakeReader([("May 1, 2020", 0.8), ("Fresno", 0.2)], [0.9])
    question = Question.parse("What is known about the order?")
    assert len(_reader(close).run(question, candidates).sentences) == 2
    assert len(_reader(far).run(question, candidates).sentences) == 1


def test_below_the_threshold_the_question_is_refused_with_the_nearest_sentence_kept():
    candidates = [_passage(0, len(DOCUMENT))]
    finding = _reader(FakeReader([("Bo Chen", 0.2)], [0.3], threshold=0.5)).run(
        Question.parse("Who is the defendant's lawyer?"), candidates
    )
    assert not finding.answered and finding.short is None and not finding.sentences
    assert finding.nearest.text.startswith("Counsel for the plaintiff")
    assert finding.confidence == 0.2


def test_punctuation_around_a_span_is_not_part_of_the_short_answer():
    candidates = [_passage(0, len(DOCUMENT))]
    finding = _reader(FakeReader([("Reed LLP.", 0.9)], [0.9])).run(
        Question.parse("Which firm?"), candidates
    )
    assert finding.short.text == "Reed LLP"


def test_nothing_retrieved_is_a_refusal_without_a_nearest_sentence():
    finding = _reader(FakeReader([], [])).run(Question.parse("Who?"), [])
    assert not finding.answered and finding.nearest is None and finding.reason


def test_a_yes_or_no_question_leads_with_the_ruling_its_sentence_states():
    candidates = [_passage(0, len(DOCUMENT))]
    reader = FakeReader([("motion to dismiss", 0.9)], [0.9], marks={"DENIED": 0.6})
    finding = _reader(reader).run(
        Question.parse("Did the court grant the motion to dismiss?"), candidates
    )
    assert finding.short.text == "DENIED"
    assert finding.sentences[0].text == "The motion to dismiss is DENIED."


def test_a_yes_or_no_question_without_a_stated_ruling_has_no_short_answer():
    # A span is not "yes" or "no": the sentence answers on its own.
    candidates = [_passage(0, len(DOCUMENT))]
    finding = _reader(FakeReader([("Fresno", 0.9)], [0.9])).run(
        Question.parse("Was the hearing held in Fresno?"), candidates
    )
    assert finding.answered and finding.short is None
    assert finding.sentences[0].text == "The hearing was held in Fresno."


SIGNED = (
    "IT IS SO ORDERED. The motion is DENIED.\n"
    "Dated: May 1, 2020\n"
    "SUSAN ILLSTON\n"
    "United States District Judge\n"
    "Judge Illston heard from Michael Snyder, a witness, at length in the hearing."
)


def test_a_role_question_is_answered_from_the_documents_statement_of_the_role():
    # The reader likes the witness's name better; the signature block states who the judge is.
    candidates = [Passage("d1", "order.pdf", "Order", 1, 0, len(SIGNED), SIGNED, 0.5)]
    reader = FakeReader([("Michael Snyder", 0.9)], [0.9], marks={"SUSAN ILLSTON": 0.4})
    finding = PassageReader(reader, lambda doc_id: SIGNED).run(
        Question.parse("Which judge signed the order?"), candidates
    )
    assert finding.short.text == "SUSAN ILLSTON"
    assert finding.sentences[0].text == "SUSAN ILLSTON\nUnited States District Judge"


def test_a_statement_the_reader_doubts_leaves_the_answer_to_the_reader():
    # Below the threshold, a statement of the role does not answer: the reader's best does,
    # when it is sure enough, and nothing does when it is not.
    candidates = [Passage("d1", "order.pdf", "Order", 1, 0, len(SIGNED), SIGNED, 0.5)]
    question = Question.parse("Which judge signed the order?")
    sure = FakeReader([("Judge Illston", 0.9)], [0.9], marks={"SUSAN ILLSTON": 0.1})
    unsure = FakeReader([("Michael Snyder", 0.2)], [0.9], marks={"SUSAN ILLSTON": 0.1})
    assert PassageReader(sure, lambda d: SIGNED).run(question, candidates).short.text == (
        "Judge Illston"
    )
    assert not PassageReader(unsure, lambda d: SIGNED).run(question, candidates).answered


def test_a_span_whose_sentence_is_a_caption_or_a_citation_is_passed_over():
    text = (
        "John A. SAVAGE, Appellant, v. Ernest F. GRAJEK, Appellee.\n"
        "Gift Surplus, 268 N.C. App. at 4.\n"
        "The largest prize a player can win is $2,400."
    )
    candidates = [Passage("d1", "op.pdf", "Opinion", 1, 0, len(text), text, 0.5)]
    reader = FakeReader([("GRAJEK", 0.9), ("268", 0.8), ("$2,400", 0.5)], [0.9])
    finding = PassageReader(reader, lambda doc_id: text).run(
        Question.parse("What is the largest prize?"), candidates
    )
    assert finding.short.text == "$2,400"


def test_the_role_the_question_wants_most_is_stated_first():
    # "Who wrote the opinion?" wants its author before a judge the opinion names elsewhere.
    text = (
        "On appeal from the District Court. District Judge: Honorable Ann Reyes.\n"
        "FISHER, Circuit Judge.\n"
        "We consider whether the insurer must defend."
    )
    candidates = [Passage("d1", "op.pdf", "Opinion", 1, 0, len(text), text, 0.5)]
    reader = FakeReader([], [0.9], marks={"Ann Reyes": 0.95, "FISHER": 0.6})
    finding = PassageReader(reader, lambda d: text).run(
        Question.parse("Which judge wrote the opinion?"), candidates
    )
    assert finding.short.text == "FISHER"


def test_a_span_without_the_shape_the_question_asks_for_is_passed_over():
    # "How many" is not answered by a word without a figure, nor "who" by a lower-case one.
    candidates = [_passage(0, len(DOCUMENT))]
    reader = FakeReader([("held", 0.9), ("1", 0.5)], [0.9])
    finding = _reader(reader).run(Question.parse("How many days did it take?"), candidates)
    assert finding.short.text == "1"


def test_a_document_removed_since_retrieval_is_passed_over():
    from casefile.kernel.errors import DocumentNotFound

    def document_text(doc_id: str) -> str:
        if doc_id == "gone":  # another session removed it after retrieval found it
            raise DocumentNotFound(f"no document {doc_id!r}")
        return DOCUMENT

    cut = DOCUMENT.index("The motion")
    candidates = [_passage(0, cut, doc_id="gone"), _passage(cut, len(DOCUMENT))]
    reader = FakeReader([("Ortiz", 0.9), ("DENIED", 0.7)], [0.95, 0.9])
    finding = PassageReader(reader, document_text).run(
        Question.parse("What did the court do?"), candidates
    )
    assert finding.answered
    assert finding.short.text == "DENIED"
    assert all(s.passage.doc_id != "gone" for s in finding.sentences)
