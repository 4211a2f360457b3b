"""Where a quote stands on its page: the boxes of its words, merged line by line, or the
reason it cannot be shown there.

A highlight is drawn only when the stored words of the quote lie on the page as one run of
text read in order: every word has a box, each word follows the one before on its line or
starts the next line down, and no line that is not part of the quote lies between two of
its lines. A quote the extractor put together from places that do not follow each other on
the page (columns read across, a block moved) is not placed: better no highlight than one
that shows words where the quote does not stand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from casefile.kernel.records import QuoteBox, WordBox

NOT_PLACED = "The quote could not be placed on the page"
# A gap between two words of one line wider than this many line heights is a column
# gutter or a tab stop: the words are not one run of text...
MAX_GAP_LINES = 2.5
# ...unless what stands before the gap is a paragraph mark hung in the margin ("¶ 13",
# "(a)", "1."): the first run of the line, no wider than this (fraction of the page), left
# of where the page's lines begin.
MARGIN_MARK_WIDTH = 0.08


@dataclass(frozen=True)
class Placement:
    """The boxes of a quote (one per line, per page), or why it has none."""

    boxes: tuple[QuoteBox, ...] = ()
    reason: str = ""  # why it could not be placed; "" when it was

    @property
    def placed(self) -> bool:
        return bool(self.boxes) and not self.reason

    @property
    def notice(self) -> str:
        """What to tell a reader looking at the page, "" when the quote is highlighted."""
        return f"{NOT_PLACED}: {self.reason}." if self.reason else ""

    def on_page(self, page: int) -> tuple[QuoteBox, ...]:
        return tuple(b for b in self.boxes if b.page == page)

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(b.page for b in self.boxes))


def place_quote(
    text: str,
    start: int,
    end: int,
    words: Sequence[WordBox],
    page_words: dict[int, Sequence[WordBox]],
) -> Placement:
    """The boxes of `text[start:end]`, from `words` (the document's words overlapping it, in
    text order) checked against `page_words` (every word of each page they are on)."""
    if not words:
        return Placement(reason="no word of it has a position on the page")
    missing = _words_without_box(text, start, end, words)
    if missing:
        return Placement(reason=f"no position is known for {missing!r}")
    for a, b in zip(words, words[1:], strict=False):
        problem = _break_between(a, b, page_words.get(a.page, ()))
        if problem:
            return Placement(reason=problem)
    skipped = _skipped_line(words, page_words)
    if skipped:
        return Placement(reason=skipped)
    return Placement(tuple(_merge_lines(words)))


def _words_without_box(text: str, start: int, end: int, words: Sequence[WordBox]) -> str:
    """The first word of the quote no box covers any part of, or ""."""
    for match in re.finditer(r"\S+", text[start:end]):
        left, right = start + match.start(), start + match.end()
        if not any(w.start < right and left < w.end for w in words):
            return match.group(0)
    return ""


def _same_line(a: WordBox, b: WordBox) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return a.page == b.page and overlap > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0)


def _break_between(a: WordBox, b: WordBox, page: Sequence[WordBox]) -> str:
    """Why word `b` cannot follow word `a` in one run of text on the page (whose words are
    `page`), or ""."""
    if b.page < a.page:
        return "its words run back to an earlier page"
    if b.page > a.page + 1:
        return "its words skip a page"
    if b.page != a.page:
        return ""  # on to the next page
    if _same_line(a, b):
        if b.x0 < a.x0:
            return "its words are out of reading order on the page"
        if _far_apart(a, b) and not _margin_mark(a, page):
            return "its words are far apart on one line (columns read across?)"
        return ""
    if b.y1 <= a.y0:  # wholly above it (a superscript after a word is not)
        return "its words run back up the page (the text extraction reordered the layout)"
    return ""


def _margin_mark(word: WordBox, page: Sequence[WordBox]) -> bool:
    """Whether `word` ends a paragraph mark hung in the margin: a narrow first run of its
    line that ends left of where the page's lines of text begin."""
    before = sorted(
        (w for w in page if _same_line(w, word) and w.x1 <= word.x1), key=lambda w: w.x0
    )
    if not before:
        return True
    run_start = before[-1].x0
    for left, right in zip(reversed(before[:-1]), reversed(before), strict=False):
        if _far_apart(left, right):
            return False  # another run stands before it: a column, not the margin
        run_start = left.x0
    starts = sorted(_line_starts(page))
    body = starts[len(starts) // 4] if starts else 0.0
    return word.x1 - run_start <= MARGIN_MARK_WIDTH and word.x1 < body


def _line_starts(page: Sequence[WordBox]) -> list[float]:
    """Where each printed line of the page begins (the left of its leftmost word)."""
    starts: list[float] = []
    line: list[WordBox] = []
    for w in sorted(page, key=lambda w: (w.y0 + w.y1) / 2):
        if line and not _same_line(line[0], w):
            starts.append(min(x.x0 for x in line))
            line = []
        line.append(w)
    if line:
        starts.append(min(x.x0 for x in line))
    return starts


def _skipped_line(words: Sequence[WordBox], page_words: dict[int, Sequence[WordBox]]) -> str:
    """Whether a line of the page that is not part of the quote lies between two lines of
    it, within the columns it spans."""
    inside = {(w.page, w.start) for w in words}
    for page in dict.fromkeys(w.page for w in words):
        mine = [w for w in words if w.page == page]
        left, right = min(w.x0 for w in mine), max(w.x1 for w in mine)
        for a, b in zip(mine, mine[1:], strict=False):
            if _same_line(a, b):
                continue
            for other in page_words.get(page, ()):
                if (other.page, other.start) in inside or other.x1 <= left or other.x0 >= right:
                    continue
                middle = (other.y0 + other.y1) / 2
                if a.y1 < middle < b.y0 and not _same_line(other, a) and not _same_line(other, b):
                    return "other text stands between its lines on the page"
    return ""


def _merge_lines(words: Sequence[WordBox]) -> list[QuoteBox]:
    boxes: list[QuoteBox] = []
    line: list[WordBox] = []
    for word in words:
        if line and (not _same_line(line[-1], word) or _far_apart(line[-1], word)):
            boxes.append(_union(line))
            line = []
        line.append(word)
    if line:
        boxes.append(_union(line))
    return boxes


def _far_apart(a: WordBox, b: WordBox) -> bool:
    return b.x0 - a.x1 > MAX_GAP_LINES * max(a.y1 - a.y0, b.y1 - b.y0)


def _union(words: Sequence[WordBox]) -> QuoteBox:
    return QuoteBox(
        words[0].page,
        min(w.x0 for w in words),
        min(w.y0 for w in words),
        max(w.x1 for w in words),
        max(w.y1 for w in words),
    )
