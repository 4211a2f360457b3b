"""The small frozen records that travel between the stages: documents, chunks, passages,
citations and answers."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, overload


@dataclass(frozen=True)
class PageSpan:
    """Where one page of a paginated document lies in its stored text."""

    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class WordBox:
    """Where a word of the stored text stands on its page: `text[start:end]`, and its box as
    fractions of the page's width and height, origin at the top left."""

    page: int
    start: int
    end: int
    x0: float
    y0: float
    x1: float
    y1: float


class WordBoxes(Sequence[WordBox]):
    """A document's word boxes in text order, held as columns of numbers: a long filing has
    hundreds of thousands of words, and a `WordBox` object with its numbers costs about 250
    bytes where a row here costs 52. Read as a sequence of `WordBox`; `columns` for arrays."""

    __slots__ = ("_columns",)

    def __init__(self) -> None:
        # page, start, end, then x0, y0, x1, y1: the fields of WordBox, in order
        self._columns: tuple[array[int] | array[float], ...] = (
            array("I"),
            array("Q"),
            array("Q"),
            *(array("d") for _ in range(4)),
        )

    @classmethod
    def of(cls, words: Iterable[WordBox]) -> WordBoxes:
        boxes = cls()
        for word in words:
            boxes.append(word.page, word.start, word.end, word.x0, word.y0, word.x1, word.y1)
        return boxes

    def append(self, *row: float) -> None:
        """Add a word: page, start, end, x0, y0, x1, y1 (only while the text is laid out)."""
        for column, value in zip(self._columns, row, strict=True):
            column.append(value)  # type: ignore[arg-type]

    @property
    def columns(self) -> tuple[array[int] | array[float], ...]:
        """page, start, end, x0, y0, x1, y1, each an array (NumPy reads them without a copy)."""
        return self._columns

    def __len__(self) -> int:
        return len(self._columns[0])

    @overload
    def __getitem__(self, index: int) -> WordBox: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[WordBox]: ...
    def __getitem__(self, index: int | slice) -> WordBox | Sequence[WordBox]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        page, start, end, x0, y0, x1, y1 = (column[index] for column in self._columns)
        return WordBox(int(page), int(start), int(end), x0, y0, x1, y1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordBoxes) and self._columns == other._columns

    def __hash__(self) -> int:
        return hash(tuple(column.tobytes() for column in self._columns))

    def __repr__(self) -> str:
        return f"WordBoxes({len(self)} words)"


@dataclass(frozen=True)
class QuoteBox:
    """A rectangle a quote covers on a page (one per line of it): fractions of the page's
    width and height, origin at the top left, like `WordBox`."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Docket:
    """What a court filing says about itself in its ECF header and caption."""

    court: str = ""
    case_number: str = ""
    docket_entry: str = ""
    filed: str = ""  # ISO date


@dataclass(frozen=True)
class ParsedDocument:
    """A document's cleaned text, which every offset refers to, and what is known about it.

    `pages` are the stretches of text each page gave, in text order: a page whose footnotes
    were moved after a sentence that runs on to the next page has two.
    """

    text: str
    kind: str
    title: str
    date: str | None = None
    pages: tuple[PageSpan, ...] = ()
    page_total: int = 0  # pages in the file, text or not (0: unpaginated)
    ocr_pages: tuple[int, ...] = ()  # pages whose text came from OCR
    docket: Docket = Docket()
    words: WordBoxes = field(default_factory=WordBoxes)  # for showing a quote on its page

    @property
    def page_count(self) -> int:
        return self.page_total or len({p.number for p in self.pages})

    def page_at(self, offset: int) -> int | None:
        """The page number holding character `offset`, or None for unpaginated documents."""
        return page_at(self.pages, offset)


def page_at(pages: Sequence[PageSpan], offset: int) -> int | None:
    """The number of the page holding character `offset`; the page before a gap between pages."""
    found = None
    for page in pages:
        if page.start <= offset:
            found = page.number
        if offset < page.end:
            break
    return found if found is not None else (pages[0].number if pages else None)


def page_range(pages: Sequence[PageSpan], start: int, end: int) -> tuple[int | None, int | None]:
    """(first page, last page) of the text between `start` and `end`."""
    return page_at(pages, start), page_at(pages, max(start, end - 1))


def pages_in(pages: Sequence[PageSpan], start: int, end: int) -> set[int]:
    """Every page some of the text between `start` and `end` comes from."""
    return {p.number for p in pages if p.start < end and start < p.end}


@dataclass(frozen=True)
class Chunk:
    """A verbatim slice `text == document_text[start:end]` of one document."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    title: str
    page: int | None = None
    end_page: int | None = None  # the page its last character is on, when another
    ocr: bool = False  # some of its text was read by OCR from a page image

    @property
    def id(self) -> str:
        return chunk_id(self.doc_id, self.index)


def chunk_id(doc_id: str, index: int) -> str:
    """Deterministic id of a document's `index`-th chunk."""
    return f"{doc_id}:{index:05d}"


def doc_id_of(chunk: str) -> str:
    """The document id inside a chunk id."""
    return chunk.split(":", 1)[0]


@dataclass(frozen=True)
class DocumentRecord:
    """What the case's registry knows about one stored document."""

    doc_id: str
    source: str
    title: str
    kind: str
    date: str | None
    page_count: int
    chunk_count: int
    size_bytes: int
    ingested_at: str
    complete: bool = True
    writer: str = ""  # who is writing an incomplete record (see vectorstore.store)
    court: str = ""
    case_number: str = ""
    docket_entry: str = ""
    ocr_pages: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        """The file name of the source, as users refer to it."""
        return file_name(self.source)


def file_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]


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
    end_page: int | None = None
    ocr: bool = False

    @property
    def name(self) -> str:
        return file_name(self.source)


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
    end_page: int | None = None  # set when the quote runs on to another page
    ocr: bool = False  # the quote was read by OCR from a scan: check it against the page

    @property
    def pages(self) -> str:
        """ "page 3", "pages 3–4", or "" for a document without pages."""
        if self.page is None:
            return ""
        if self.end_page and self.end_page != self.page:
            return f"pages {self.page}–{self.end_page}"
        return f"page {self.page}"


OCR_NOTE = "read by OCR from a scanned page: check it against the page"


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer and the citations (by `n`) that back it."""

    text: str
    citations: tuple[int, ...]
    supported: bool
    reason: str = ""  # why verification rejected it, or how its citation was fixed


@dataclass(frozen=True)
class ShortAnswer:
    """The few words that answer a question of fact, as the document has them: a verbatim
    slice `document_text[start:end]` inside the quote of citation `citation`."""

    text: str
    citation: int
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    """What `CaseAssistant.ask` returns; `to_json()` is the `casefile ask --json` object."""

    question: str
    answer: str
    answerable: bool
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    unsupported: tuple[AnswerSentence, ...]
    model: str
    standalone_question: str = ""
    notice: str = ""  # e.g. the model backend was down and the extractive answer is shown
    timings: dict[str, float] = field(default_factory=dict)
    short: ShortAnswer | None = None  # leads the answer to a question of fact
    # The reader's probability that the best span answers (None where no reader scored it).
    confidence: float | None = None
    # For a refusal: the sentence the documents come nearest with ("not an answer, but …").
    nearest: Passage | None = None

    def citation(self, n: int) -> Citation:
        return next(c for c in self.citations if c.n == n)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.answer,
            "short_answer": asdict(self.short) if self.short else None,
            "answerable": self.answerable,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "notice": self.notice,
            "sentences": [
                {"text": s.text, "citations": list(s.citations), "supported": s.supported}
                for s in self.sentences
            ],
            "citations": [asdict(c) for c in self.citations],
            "passages": [
                {k: v for k, v in asdict(p).items() if k != "similarity"} for p in self.passages
            ],
            "nearest": (
                {k: v for k, v in asdict(self.nearest).items() if k != "similarity"}
                if self.nearest
                else None
            ),
            "unsupported": [
                {"text": s.text, "citations": list(s.citations), "reason": s.reason}
                for s in self.unsupported
            ],
            "model": self.model,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


@dataclass(frozen=True)
class Quote:
    """A direct quotation in a document and who said it.

    `document_text[start:end]` is the quotation with its quotation marks. `speaker` is the
    person (or body) the text attributes it to, "" when the text does not say; `inferred`
    is set when the attribution is "she added" or "the founder said" and the speaker was
    resolved to the person last named. `said_at` is the span naming or referring to them.
    """

    doc_id: str
    start: int
    end: int
    text: str
    speaker: str
    role: str = ""
    inferred: bool = False
    said_at: tuple[int, int] | None = None


@dataclass(frozen=True)
class Event:
    """A sentence that dates something: `document_text[start:end]` is the sentence.

    `date` is ISO (YYYY, YYYY-MM or YYYY-MM-DD as precise as the text is), "" when a
    relative date ("Thursday") could not be resolved for want of the document's date;
    `inferred` marks dates resolved against the document's date rather than written out.
    `subject` names whom the event is about when the sentence does so by a pronoun or not
    at all ("In 1988, he was awarded a Ph.D.", "Born May 14, 1984."): the person last named
    before it; "" when the sentence names its own subject.
    """

    doc_id: str
    start: int
    end: int
    text: str
    date: str
    date_text: str
    inferred: bool = False
    subject: str = ""


@dataclass(frozen=True)
class RoleMention:
    """Where a document states someone's role: "Baldoni's lawyer, Bryan Freedman"."""

    doc_id: str
    start: int  # the span stating it
    end: int
    name: str
    role: str  # "judge", "lawyer", "party", "expert", "spokesperson", "witness", or as written
    detail: str = ""  # for whom, or the words of the role ("former federal prosecutor")


@dataclass(frozen=True)
class Desk:
    """What the reporter's desk keeps of one document: its quotations, dated events, the
    roles it states and how often it names each person or organisation."""

    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    roles: tuple[RoleMention, ...] = ()
    mentions: tuple[tuple[str, int], ...] = ()  # (name, count), names as written in full
    aliases: tuple[tuple[str, str], ...] = ()  # ("Lively", "Blake Lively"): short forms used
    first: tuple[tuple[str, int, int], ...] = ()  # (name, start, end): where first named
    kinds: tuple[tuple[str, str], ...] = ()  # (name, "person" | "organisation" | "law")
    # (start, end, role): where the document states a judge, counsel, a panel, an author or
    # its ruling ("Before A, B, and C, Circuit Judges.", "the motion is DENIED"), read once
    # at ingest for the questions that need those passages.
    stated: tuple[tuple[int, int, str], ...] = ()
    read: bool = True  # False: its reading ran past its time budget, and nothing is listed
