"""From lines on pages to text that reads like the document: page furniture out, paragraphs
joined, words hyphenated at a line end rejoined, sentences carried across page breaks,
footnotes kept but never inside a sentence of the body.

The input is what a PDF's text layer (or OCR) gives: lines in drawing order, each with its
box on the page. Everything here is geometry and typography common to court filings and
other paginated documents: no rule knows a court, a party or a phrase.
"""

from __future__ import annotations

import math
import re
import statistics
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from casefile.kernel.records import PageSpan, WordBoxes

# Pages laid out together (`lay_out`): what repeats in their margins is judged among them.
# The longest filing of ../shared/eval has 252.
WINDOW_PAGES = 256
# Zones of a page (fractions of its height / width) where running headers, footers, page
# numbers and pleading-paper line numbers live.
HEADER_ZONE = 0.14
FOOTER_ZONE = 0.11
SIDE_ZONE = 0.2

# "Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page 3 of 15",
# "Case: 21-50498 Document: 00516242060 Page: 1 Date Filed: 03/16/2022",
# "Case: 20-16276, 08/05/2020, ID: 11778722, DktEntry: 19, Page 1 of 15"
ECF_STAMP = re.compile(
    r"^\s*Case\s*:?\s*\S+.{0,80}?\b(?:Document|Doc\.?|DktEntry|ID)\s*:?\s*[\w.-]+.{0,80}?\bPage\b",
    re.IGNORECASE,
)
PAGE_NUMBER = re.compile(
    r"^[\s\-–—(\[]*(?:page\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?[\s\-–—)\].]*$",
    re.IGNORECASE,
)
LINE_NUMBER = re.compile(r"^\s*\d{1,2}\s*$")
# A page number in figures alone ("7", "- 7 -", "Page 7"): roman numerals alone are headings
# as often ("II"), so only figures count outside the header and footer zones.
FOLIO = re.compile(r"^[\s\-–—(\[]*(?:page\s*)?\d{1,4}[\s\-–—)\].]*$", re.IGNORECASE)
# A footnote begins with its marker: "1 Defendant's letter…", "* Pursuant to…", "12. See…"
FOOTNOTE_START = re.compile(r"^\s*(\d{1,3}|\*{1,3}|[†‡§])\.?\s+\S")
# A marker in running text sits right after a word or punctuation: "briefs,1", "nakedness.”3"
MARKER_IN_TEXT = re.compile(r"(?<=[A-Za-z.,;:”’\"')\]])(\d{1,3}|\*{1,3}|[†‡])(?=[\s,.;:]|$)")
SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*$")
# What ends a sentence for good, so a page's last paragraph does not run on to the next.
FINAL_STOP = re.compile(r"[.!?][\"”’')\]]*(?:\s*\d{1,3}|\*{1,3})?$")
HYPHENATED_END = re.compile(r"([A-Za-z]+)-$")
# pdfium joins a line ending in a hyphen to the next one and marks the join with one of these.
SOFT_HYPHEN = re.compile(r"([A-Za-z]+)[\x02\ufffe]([A-Za-z]+)")
LEADING_WORD = re.compile(r"^([a-z]+)")


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on a page in points, origin at the top left."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True)
class Line:
    """One line of a page as drawn: its text, box, and the box of each character (see
    `char_boxes`; given as boxes or None, kept packed)."""

    text: str
    box: Box
    chars: array = field(default_factory=lambda: array("f"))

    def __post_init__(self) -> None:
        if not isinstance(self.chars, array):
            object.__setattr__(self, "chars", char_boxes(self.chars))

    @property
    def vertical(self) -> bool:
        """Text set sideways (a margin banner), whose box is tall and narrow."""
        return self.box.height > 2.5 * max(self.box.width, 1.0) and len(self.text.strip()) > 3


def char_boxes(boxes: Iterable[Box | None]) -> array:
    """Characters' boxes packed four floats each (x0, top, x1, bottom; NaN for a character
    without one): a long PDF has millions of characters, and an object each would hold
    hundreds of bytes where this holds 16."""
    packed = array("f")
    for box in boxes:
        packed.extend((box.x0, box.top, box.x1, box.bottom) if box else NO_BOX)
    return packed


NO_BOX = (math.nan,) * 4


def span_box(chars: array, start: int, end: int) -> Box | None:
    """The box around characters `start:end` of a line's packed boxes; None when none of
    them has one."""
    packed = chars[4 * start : 4 * end]
    x0s = [v for v in packed[0::4] if v == v]  # NaN is not equal to itself
    if not x0s:
        return None
    return Box(
        min(x0s),
        min([v for v in packed[1::4] if v == v]),
        max([v for v in packed[2::4] if v == v]),
        max([v for v in packed[3::4] if v == v]),
    )


@dataclass
class Page:
    """The lines of one page and what the page is."""

    number: int
    width: float
    height: float
    lines: list[Line]
    ocr: bool = False


@dataclass
class Block:
    """A paragraph in the making: lines of one page joined as they read."""

    page: int
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class LaidOut:
    """The text of a paginated document and where each part of it came from."""

    text: str
    pages: tuple[PageSpan, ...]  # segments in text order; a page may have several
    words: WordBoxes
    furniture: tuple[tuple[int, str], ...]  # (page, line) removed as headers, stamps, numbers
    first_page: tuple[str, ...] = ()  # the paragraphs of the first page with text, as drawn


# -- page furniture ------------------------------------------------------------------------


def _zone_key(text: str) -> str:
    """A line with its numbers masked, so "Page 3 of 15" and "Page 4 of 15" repeat."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _in_margin(line: Line, page: Page) -> bool:
    box = line.box
    return (
        box.bottom < page.height * HEADER_ZONE
        or box.top > page.height * (1 - FOOTER_ZONE)
        or box.x1 < page.width * SIDE_ZONE
        or box.x0 > page.width * (1 - SIDE_ZONE)
    )


def is_stamp(text: str) -> bool:
    """An ECF header or a similar filing stamp repeated on every page."""
    return bool(ECF_STAMP.match(text))


def split_furniture(pages: Sequence[Page]) -> tuple[list[list[Line]], list[tuple[int, str]]]:
    """Each page's lines without running headers and footers, filing stamps, page numbers
    and pleading-paper line numbers; and what was removed."""
    repeated_in = Counter(
        key
        for page in pages
        for key in {_zone_key(line.text) for line in page.lines if _in_margin(line, page)}
    )
    pages_with_text = sum(1 for page in pages if page.lines)
    repeats = max(2, (pages_with_text + 1) // 2)
    kept_pages: list[list[Line]] = []
    removed: list[tuple[int, str]] = []
    for page in pages:
        kept = []
        apart = _set_apart(page)
        for line in page.lines:
            text = line.text.strip()
            if not text:
                continue
            margin = _in_margin(line, page)
            furniture = (
                is_stamp(text)
                or (margin and repeated_in[_zone_key(text)] >= repeats)
                or (margin and PAGE_NUMBER.match(text) is not None and _is_zone_y(line, page))
                or (line in apart and FOLIO.match(text) is not None)
                or (line.box.x1 < page.width * SIDE_ZONE and LINE_NUMBER.match(text) is not None)
                or (
                    line.box.x0 > page.width * (1 - SIDE_ZONE)
                    and LINE_NUMBER.match(text) is not None
                )
                or (margin and line.vertical)
            )
            if furniture:
                removed.append((page.number, text))
            else:
                kept.append(line)
        kept_pages.append(kept)
    return kept_pages, removed


def _set_apart(page: Page) -> list[Line]:
    """The page's first and last lines when a gap of at least their own height separates them
    from the rest: where a page number stands on pages with wide margins, below the header
    zone (a slip opinion's "7" above its first line of text)."""
    lines = sorted(
        (line for line in page.lines if line.text.strip()), key=lambda drawn: drawn.box.top
    )
    if len(lines) < 3:
        return []
    apart = []
    first, second = lines[0], lines[1]
    if second.box.top - first.box.bottom >= first.box.bottom - first.box.top:
        apart.append(first)
    last, before = lines[-1], lines[-2]
    if last.box.top - before.box.bottom >= last.box.bottom - last.box.top:
        apart.append(last)
    return apart


def _is_zone_y(line: Line, page: Page) -> bool:
    return line.box.bottom < page.height * HEADER_ZONE or line.box.top > page.height * (
        1 - FOOTER_ZONE
    )


# -- footnotes -----------------------------------------------------------------------------


def split_footnotes(lines: list[Line], page_height: float) -> tuple[list[Line], list[Line]]:
    """(body, footnotes) of a page: the footnotes begin at the highest line in the lower
    part of the page that starts with a marker the body uses ("…briefs,1" / "1 Defendant…")."""
    body_text = " ".join(line.text for line in lines)
    markers = set(MARKER_IN_TEXT.findall(body_text))
    if not markers:
        return lines, []
    starts = [
        line
        for line in lines
        if line.box.top > page_height * 0.4
        and (match := FOOTNOTE_START.match(line.text))
        and match.group(1) in markers
    ]
    if not starts:
        return lines, []
    first = min(starts, key=lambda line: line.box.top)
    cut = first.box.top - 0.5
    body = [line for line in lines if line.box.top < cut]
    notes = [line for line in lines if line.box.top >= cut]
    if not body:
        return lines, []
    # The footnotes sit below the body; a "note" above body text is a numbered paragraph.
    if max(line.box.bottom for line in body) > first.box.bottom + 1:
        return lines, []
    return body, sorted(notes, key=lambda line: (round(line.box.top), line.box.x0))


# -- paragraphs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Margins:
    """Where the text of a document's pages usually starts and ends, in points."""

    left: float
    right: float

    @classmethod
    def of(cls, lines: Sequence[Line]) -> Margins:
        if not lines:
            return cls(0.0, 0.0)
        lefts = sorted(line.box.x0 for line in lines)
        rights = sorted(line.box.x1 for line in lines)
        return cls(lefts[int(0.1 * (len(lefts) - 1))], rights[int(0.9 * (len(rights) - 1))])


def paragraphs(
    lines: list[Line], page: int, *, footnotes: bool = False, margins: Margins | None = None
) -> list[Block]:
    """Group a page's lines (in reading order) into paragraphs by spacing, indents and
    line lengths, measured against the document's usual margins."""
    if not lines:
        return []
    heights = [line.box.height for line in lines if line.box.height > 0]
    height = statistics.median(heights) if heights else 10.0
    pitches = [
        b.box.bottom - a.box.bottom
        for a, b in zip(lines, lines[1:], strict=False)
        if 0.5 * height < b.box.bottom - a.box.bottom < 3.5 * height
    ]
    pitch = statistics.median(pitches) if pitches else 1.3 * height
    margins = margins or Margins.of(lines)
    short = margins.right - max(0.12 * (margins.right - margins.left), 36.0)

    blocks: list[Block] = []
    for line in lines:
        if not blocks or _starts_paragraph(
            blocks[-1].lines[-1], line, pitch, height, short, margins.left, footnotes
        ):
            blocks.append(Block(page, [line]))
        else:
            blocks[-1].lines.append(line)
    return blocks


def _starts_paragraph(
    prev: Line,
    cur: Line,
    pitch: float,
    height: float,
    short: float,
    left: float,
    footnotes: bool,
) -> bool:
    rise = cur.box.bottom - prev.box.bottom
    if abs(rise) < 0.5 * height:
        # The same printed line, drawn in two pieces (a superscript between them).
        return cur.box.x0 < prev.box.x1 - 2
    if rise < 0 or rise > 1.4 * pitch:
        return True  # up the page (a new column or block), or a blank line
    if footnotes and FOOTNOTE_START.match(cur.text):
        return True
    if cur.box.x0 > prev.box.x0 + 10 and cur.box.x0 > left + 10:
        return True  # an indent (a line back at the margin after a hanging "¶ 1" is not)
    text = prev.text.rstrip()
    if prev.box.x1 < short:
        # A short line ends its paragraph when it ends a sentence or the next one starts anew.
        starts_anew = bool(re.match(r"\s*[A-Z0-9“\"(\[§¶•*]", cur.text))
        return bool(SENTENCE_END.search(text)) or starts_anew
    return False


# -- joining lines ---------------------------------------------------------------------------


class Words:
    """Whether a string is an English word: the bundled spelling dictionary, plus the words
    of the document itself (names, legal terms)."""

    def __init__(self, document_words: set[str]) -> None:
        self.document_words = document_words

    def __contains__(self, word: str) -> bool:
        word = word.lower()
        return word in self.document_words or word in _dictionary()


_DICTIONARY: frozenset[str] | None = None


def english_words() -> frozenset[str]:
    """The bundled spelling dictionary's words, lowercase."""
    return _dictionary()


def _dictionary() -> frozenset[str]:
    global _DICTIONARY
    if _DICTIONARY is None:
        from spellchecker import SpellChecker

        _DICTIONARY = frozenset(SpellChecker(language="en").word_frequency.dictionary)
    return _DICTIONARY


def join_hyphenated(first: str, second: str, words: Words) -> bool:
    """Whether "first-" at a line end and "second" on the next line are one word broken by
    the typesetter ("Okla-" "homa") rather than a real compound ("square-" "foot")."""
    return (first + second) in words and not (
        first.lower() in words and second.lower() in words and f"{first}-{second}".lower() in words
    )


# -- assembly ------------------------------------------------------------------------------


class _Text:
    """The stored text being written, with the page of every stretch and the words' boxes."""

    def __init__(self) -> None:
        self.parts: list[str] = []  # what was written since `compact`, as written
        self.written: list[str] = []  # the text before, joined a page at a time
        self.length = 0
        self.segments: list[list[int]] = []  # [page, start, end]
        self.words = WordBoxes()
        self.sizes: dict[int, tuple[float, float]] = {}  # page -> (width, height)

    def write(self, text: str, page: int | None, line: Line | None = None, offset: int = 0) -> None:
        """Append `text` from `page` (None: a separator, of no page); when it is (part of)
        `line` from `offset`, record its word boxes."""
        if not text:
            return
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        if page is None:
            return
        if self.segments and self.segments[-1][0] == page:
            self.segments[-1][2] = self.length  # the separators since are this page's too
        else:
            self.segments.append([page, start, self.length])
        if line is not None and line.chars:
            self._record_words(text, page, line, offset, start)

    def _record_words(self, text: str, page: int, line: Line, offset: int, start: int) -> None:
        width, height = self.sizes[page]
        for match in re.finditer(r"\S+", text):
            box = span_box(line.chars, offset + match.start(), offset + match.end())
            if box is None:
                continue
            self.words.append(
                page,
                start + match.start(),
                start + match.end(),
                box.x0 / width,
                box.top / height,
                box.x1 / width,
                box.bottom / height,
            )

    def compact(self) -> None:
        """Join what was written so far (a word or line a part) into one string, keeping the
        last part apart: a long document's text held as millions of small strings cost
        several times its size."""
        if len(self.parts) > 1:
            self.written.append("".join(self.parts[:-1]))
            del self.parts[:-1]

    def text(self) -> str:
        return "".join([*self.written, *self.parts])


def mend_soft_hyphens(line: Line, words: Words) -> Line:
    """A line with pdfium's marks of a hyphen at a line end resolved: gone inside a broken
    word ("Okla|homa"), a hyphen in a real compound ("vendor|plaintiffs")."""
    if "\x02" not in line.text and "\ufffe" not in line.text:
        return line
    text, chars = line.text, array("f", line.chars)
    for match in reversed(list(SOFT_HYPHEN.finditer(text))):
        mark = match.start(2) - 1
        if join_hyphenated(match.group(1), match.group(2), words):
            text = text[:mark] + text[mark + 1 :]
            del chars[4 * mark : 4 * mark + 4]
        else:
            text = text[:mark] + "-" + text[mark + 1 :]
    text = text.replace("\x02", "-").replace("\ufffe", "-")
    return Line(text, line.box, chars)


def _write_block(out: _Text, block: Block, words: Words) -> None:
    """One paragraph: its lines joined with spaces, hyphenated breaks mended."""
    carry = ""  # the start of a hyphenated word held back from the previous line
    for index, line in enumerate(block.lines):
        raw = line.text
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        offset = lead
        if index:
            previous = out.parts[-1] if out.parts else ""
            if carry:
                pass  # the word continues without a space
            elif previous and not previous.endswith(" "):
                out.write(" ", None)
        carry = ""
        last = index == len(block.lines) - 1
        hyphen = HYPHENATED_END.search(body)
        following = block.lines[index + 1].text.strip() if not last else ""
        second = LEADING_WORD.match(following)
        if hyphen and second and join_hyphenated(hyphen.group(1), second.group(1), words):
            out.write(body[:-1], block.page, line, offset)  # drop the line-end hyphen
            carry = hyphen.group(1)
        elif hyphen and second:
            out.write(body, block.page, line, offset)
            carry = "-"  # a real compound: no space after its hyphen
        else:
            out.write(body, block.page, line, offset)


def _continues(block: Block, following: Block) -> bool:
    """Whether the last paragraph of a page runs on into the first of the next page."""
    last = block.lines[-1].text.rstrip()
    if FINAL_STOP.search(last):
        return False
    first = following.lines[0].text.lstrip()
    return bool(re.match(r"[a-z0-9(\[“\"'‘,;]", first)) or len(block.lines) > 1


def lay_out(pages: Iterable[Page], window: int | None = None) -> LaidOut:
    """The document's text with every page's furniture removed and its paragraphs joined.

    Pages are taken `window` at a time (WINDOW_PAGES), as they are read: what repeats in
    the margins, the document's own words and its usual margins are those of the window's
    pages, and a window's pages are let go once laid out, so a long PDF is never held whole.
    A document of up to `window` pages is laid out as one."""
    window = window or WINDOW_PAGES
    out = _Text()
    writer = _PageWriter(out)
    removed: list[tuple[int, str]] = []
    first_page: tuple[str, ...] | None = None
    for chunk in _windows(pages, window):
        kept, furniture = split_furniture(chunk)
        removed.extend(furniture)
        vocabulary = {
            w.lower()
            for lines in kept
            for line in lines
            for w in re.findall(r"[A-Za-z]{3,}", line.text)
        }
        words = Words(vocabulary)
        kept = [[mend_soft_hyphens(line, words) for line in lines] for lines in kept]
        margins = Margins.of([line for lines in kept for line in lines])
        for page, lines in zip(chunk, kept, strict=True):
            out.sizes[page.number] = (page.width, page.height)
            body, footnotes = split_footnotes(lines, page.height)
            writer.add(
                _lowest_last(paragraphs(body, page.number, margins=margins)),
                paragraphs(footnotes, page.number, footnotes=True, margins=margins),
                words,
            )
        first = next((lines for lines in kept if lines), None)
        if first_page is None and first is not None:
            first_page = tuple(
                " ".join(line.text.strip() for line in block.lines)
                for block in paragraphs(first, 0, margins=margins)
            )
    writer.finish()
    spans = tuple(PageSpan(page, start, end) for page, start, end in out.segments)
    return LaidOut(out.text(), spans, out.words, tuple(removed), first_page or ())


def _windows(pages: Iterable[Page], size: int) -> Iterator[list[Page]]:
    chunk: list[Page] = []
    for page in pages:
        chunk.append(page)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _LaidPage:
    blocks: list[Block]
    notes: list[Block]
    words: Words
    continued: bool  # its first paragraph goes on from the page with text before it


class _PageWriter:
    """Writes pages' paragraphs as they come: a page with text waits for the next page with
    text, which says whether its last sentence runs on (then its footnotes wait for the
    sentence to end)."""

    def __init__(self, out: _Text) -> None:
        self.out = out
        self.waiting: list[_LaidPage] = []  # the last page with text, and any empty after it
        self.held: list[tuple[Block, Words]] = []  # footnotes waiting for a sentence to end

    def add(self, blocks: list[Block], notes: list[Block], words: Words) -> None:
        continued = False
        if blocks:
            last = next((page for page in reversed(self.waiting) if page.blocks), None)
            continued = last is not None and _continues(last.blocks[-1], blocks[0])
            self._write_waiting(runs_on=continued)
        self.waiting.append(_LaidPage(blocks, notes, words, continued))

    def finish(self) -> None:
        self._write_waiting(runs_on=False)
        self._flush()

    def _write_waiting(self, runs_on: bool) -> None:
        """Write the waiting pages; the one with text runs on into the next when `runs_on`
        (and its footnotes wait across empty pages too)."""
        for page in self.waiting:
            self._write(page, runs_on=runs_on)
        self.waiting = []
        self.out.compact()

    def _write(self, page: _LaidPage, runs_on: bool) -> None:
        out = self.out
        for position, block in enumerate(page.blocks):
            if out.parts:
                if position == 0 and page.continued:
                    out.write(" ", None)  # the sentence goes on across the page break
                else:
                    out.write("\n\n" if position == 0 else "\n", None)
            _write_block(out, block, page.words)
            if not (position == len(page.blocks) - 1 and runs_on):
                self._flush()
        self.held.extend((note, page.words) for note in page.notes)
        if not runs_on:
            self._flush()

    def _flush(self) -> None:
        for note, words in self.held:
            self.out.write("\n", None)
            _write_block(self.out, note, words)
        self.held.clear()


def _lowest_last(blocks: list[Block]) -> list[Block]:
    """The page's blocks with the one lowest on the page last: a sentence that runs on to
    the next page ends there, even when a stamp or a side note was drawn after it."""
    if len(blocks) < 2:
        return blocks
    lowest = max(blocks, key=lambda block: block.lines[-1].box.bottom)
    return [block for block in blocks if block is not lowest] + [lowest]


Progress = Callable[[int, int], None]
