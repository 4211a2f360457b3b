"""Placing a quote on its page from hand-made word boxes: highlighted only where its words
stand as one run of text, else not placed, with the reason."""

from assistant.placement import NOT_PLACED, place_quote
from casefile.kernel.records import QuoteBox, WordBox

# Two lines of a page, 0.02 high, 0.05 apart; words 0.08 wide with 0.01 between them.
TEXT = "alpha beta gamma delta epsilon zeta"


def word(index: int, *, page: int = 1, line: int = 0, column: int = 0) -> WordBox:
    start = sum(len(w) + 1 for w in TEXT.split()[:index])
    end = start + len(TEXT.split()[index])
    x0 = 0.1 + column * 0.09
    y0 = 0.2 + line * 0.05
    return WordBox(page, start, end, x0, y0, x0 + 0.08, y0 + 0.02)


# alpha beta gamma | delta epsilon zeta, as printed on two lines
PRINTED = [word(i, line=i // 3, column=i % 3) for i in range(6)]


def place(words, start=0, end=None, page_words=None):
    page_words = page_words or {1: PRINTED}
    return place_quote(TEXT, start, len(TEXT) if end is None else end, words, page_words)


def test_a_quote_on_two_lines_gets_one_box_per_line():
    placement = place(PRINTED)
    assert placement.placed and placement.notice == ""
    assert placement.boxes == (
        QuoteBox(1, 0.1, 0.2, 0.1 + 2 * 0.09 + 0.08, 0.22),
        QuoteBox(1, 0.1, 0.25, 0.1 + 2 * 0.09 + 0.08, 0.27),
    )


def test_part_of_a_line_gets_the_box_of_its_words_only():
    placement = place(PRINTED[1:3], start=6, end=16)  # "beta gamma"
    assert placement.boxes == (QuoteBox(1, 0.19, 0.2, 0.1 + 2 * 0.09 + 0.08, 0.22),)


def test_a_word_without_a_box_is_not_placed_and_named():
    words = [w for w in PRINTED if w.start != TEXT.index("gamma")]
    placement = place(words)
    assert not placement.placed and placement.boxes == ()
    assert placement.notice.startswith(NOT_PLACED) and "'gamma'" in placement.notice


def test_no_positions_at_all_is_not_placed():
    assert not place([]).placed


def test_words_out_of_order_on_a_line_are_not_placed():
    swapped = [word(0, column=1), word(1, column=0)]
    placement = place(swapped, end=10, page_words={1: swapped})
    assert not placement.placed and "out of reading order" in placement.notice


def test_words_running_back_up_the_page_are_not_placed():
    # the extractor put the lower line first
    moved = [word(0, line=1), word(1, line=0)]
    placement = place(moved, end=10, page_words={1: moved})
    assert not placement.placed and "up the page" in placement.notice


def test_a_line_of_other_text_between_the_quotes_lines_is_not_placed():
    first, second = word(0, line=0), word(1, line=2)
    other = WordBox(1, 200, 205, 0.1, 0.25, 0.18, 0.27)  # line 1: not in the quote
    placement = place([first, second], end=10, page_words={1: [first, other, second]})
    assert not placement.placed and "between its lines" in placement.notice


def test_columns_read_across_are_not_placed():
    # the end of a line of the left column, then the start of the right column's line
    left = [
        WordBox(1, 100 + i, 101 + i, 0.1 + 0.09 * i, 0.2, 0.18 + 0.09 * i, 0.22) for i in range(3)
    ]
    end_of_left = word(0, column=3)  # 0.37-0.45
    right = WordBox(1, 6, 10, 0.55, 0.2, 0.63, 0.22)
    page = {1: [*left, end_of_left, right]}
    placement = place([end_of_left, right], end=10, page_words=page)
    assert not placement.placed and "far apart" in placement.notice


def test_a_short_last_line_of_a_column_is_no_margin_mark():
    short = word(0, line=1)  # "alpha" at the column's left edge, where lines begin
    right = WordBox(1, 6, 10, 0.55, 0.25, 0.63, 0.27)
    page = {1: [word(2, line=0), short, right]}
    placement = place([short, right], end=10, page_words=page)
    assert not placement.placed


def test_a_paragraph_mark_in_the_margin_may_stand_apart_from_its_text():
    mark = WordBox(1, 0, 5, 0.06, 0.2, 0.08, 0.22)  # "¶ 13" hung in the margin
    text = WordBox(1, 6, 10, 0.18, 0.2, 0.26, 0.22)
    body = [
        WordBox(1, 11 + i, 12 + i, 0.12, 0.25 + 0.05 * i, 0.2, 0.27 + 0.05 * i) for i in range(4)
    ]
    placement = place([mark, text], end=10, page_words={1: [mark, text, *body]})
    assert placement.placed
    assert [b.x0 for b in placement.boxes] == [0.06, 0.18]  # two boxes, not the gap between


def test_a_quote_running_on_to_the_next_page_is_placed_on_both():
    last = word(0, page=1, line=9)
    first = word(1, page=2, line=0)
    placement = place([last, first], end=10, page_words={1: [last], 2: [first]})
    assert placement.placed and placement.pages == (1, 2)
    assert len(placement.on_page(2)) == 1


def test_a_quote_running_back_to_an_earlier_page_is_not_placed():
    placement = place([word(0, page=2), word(1, page=1)], end=10, page_words={1: [], 2: []})
    assert not placement.placed and "earlier page" in placement.notice


def test_a_superscript_after_a_word_does_not_break_the_line():
    base = word(0)
    note = WordBox(1, 5, 6, 0.185, 0.195, 0.19, 0.208)  # a raised footnote marker
    after = WordBox(1, 7, 11, 0.2, 0.2, 0.28, 0.22)
    placement = place([base, note, after], end=11, page_words={1: [base, note, after]})
    assert placement.placed
