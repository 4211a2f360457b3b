"""Each clean-up step of paginated text, on hand-made lines (points, origin top left)."""

from casefile.kernel.records import page_at
from ingest.layout import Box, Line, Page, lay_out, split_footnotes, split_furniture

W, H = 612.0, 792.0


def line(text: str, x: float, top: float, right: float | None = None, size: float = 10) -> Line:
    """A line of `text` at (x, top); characters share the width evenly."""
    right = right if right is not None else x + 6 * len(text)
    step = (right - x) / max(len(text), 1)
    chars = tuple(
        None if ch == " " else Box(x + i * step, top, x + (i + 1) * step, top + size)
        for i, ch in enumerate(text)
    )
    return Line(text, Box(x, top, right, top + size), chars)


def body(texts: list[str], *, top: float = 120, pitch: float = 24, x: float = 100) -> list[Line]:
    """Justified body lines (full width) down a page; "\\t" at the start indents a line."""
    lines = []
    for i, text in enumerate(texts):
        indent = text.startswith("\t")
        lines.append(line(text.lstrip("\t"), x + (36 if indent else 0), top + i * pitch, right=540))
    return lines


def pages_of(*bodies: list[Line], extra=lambda n: []) -> list[Page]:
    return [Page(n, W, H, [*extra(n), *lines]) for n, lines in enumerate(bodies, start=1)]


def stamp(n: int) -> Line:
    return line(f"Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page {n} of 2", 100, 20, 500)


def test_ecf_stamps_page_numbers_and_running_footers_are_removed():
    pages = pages_of(
        body(["The motion is fully briefed."]),
        body(["The motion is denied."]),
        extra=lambda n: [stamp(n), line(f"-{n}- ORDER 8:16-cv-1261-DOC", 250, 760, 360)],
    )
    laid = lay_out(pages)
    assert laid.text == "The motion is fully briefed.\n\nThe motion is denied."
    removed = {text for _, text in laid.furniture}
    assert "Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page 1 of 2" in removed
    assert "-2- ORDER 8:16-cv-1261-DOC" in removed


def test_pleading_paper_line_numbers_are_removed_but_numbers_in_the_text_stay():
    numbers = [line(str(n), 50, 120 + (n - 1) * 24, 60) for n in range(1, 29)]
    page = Page(1, W, H, [*numbers, *body(["The parties settled for 28 dollars in 2019."])])
    kept, removed = split_furniture([page])
    assert [ln.text for ln in kept[0]] == ["The parties settled for 28 dollars in 2019."]
    assert len(removed) == 28


def test_a_page_number_set_apart_below_the_header_zone_is_removed_but_a_heading_stays():
    # A slip opinion with wide margins: "7" at 17% of the page, a gap, then the text, which
    # runs on from the page before ("… no other" / "weapons” …").
    first = body(["The officer found no other"], top=600)
    second = [line("7", 303, 138, 309), *body(["weapons in the car.", "II"], top=164, pitch=14)]
    second += body(["The Fourth Amendment applies."], top=220)
    laid = lay_out(pages_of(first, second))
    assert "no other weapons in the car." in laid.text and " 7" not in laid.text
    assert "II" in laid.text.split()  # a roman numeral set apart is a heading as often


def test_lines_of_a_paragraph_are_joined_and_an_indent_starts_a_new_one():
    laid = lay_out(
        pages_of(
            body(
                [
                    "\tThe court has jurisdiction to hear appeals from decisions of a bankruptcy",
                    "court pursuant to 28 U.S.C. § 158.",
                    "\tThe motion is denied.",
                ]
            )
        )
    )
    assert laid.text == (
        "The court has jurisdiction to hear appeals from decisions of a bankruptcy court "
        "pursuant to 28 U.S.C. § 158.\nThe motion is denied."
    )


def test_a_word_broken_at_a_line_end_is_rejoined_and_a_real_compound_keeps_its_hyphen():
    laid = lay_out(
        pages_of(
            body(
                [
                    "\tThe company moved its offices from Okla-",
                    "homa to a 10,000-square-",
                    "foot building in Texas last spring.",
                ]
            )
        )
    )
    assert "from Oklahoma to a 10,000-square-foot building" in laid.text


def test_a_sentence_runs_on_across_a_page_break():
    laid = lay_out(
        pages_of(
            body(["\tThe court has considered the parties' submissions and the record as a"]),
            body(["whole, and the motion to dismiss is granted."]),
            extra=lambda n: [stamp(n)],
        )
    )
    sentence = (
        "The court has considered the parties' submissions and the record as a whole, "
        "and the motion to dismiss is granted."
    )
    assert laid.text == sentence
    start = laid.text.index("whole")
    assert page_at(laid.pages, 0) == 1 and page_at(laid.pages, start) == 2


def test_a_footnote_never_cuts_a_sentence_that_crosses_the_page():
    first = body(["\tPlaintiffs filed their letter brief,1 and the court read it with the"])
    note = line("1 The letter is dated July 14, 2005.", 100, 700, 400, size=8)
    laid = lay_out(pages_of([*first, note], body(["greatest care before ruling."])))
    assert laid.text == (
        "Plaintiffs filed their letter brief,1 and the court read it with the greatest care "
        "before ruling.\n1 The letter is dated July 14, 2005."
    )
    note_at = laid.text.index("1 The letter")
    assert page_at(laid.pages, note_at) == 1  # the footnote keeps its own page


def test_footnotes_are_found_only_below_the_body_with_a_marker_it_uses():
    lines = [*body(["\tThe court so held.*"]), line("* Not for publication.", 100, 700, 300)]
    main, notes = split_footnotes(lines, H)
    assert [n.text for n in notes] == ["* Not for publication."]
    numbered = body(["\tThe three claims are these:", "1 breach of contract;"], top=500)
    main, notes = split_footnotes(numbered, H)
    assert notes == []  # "1 breach" is a numbered item: the body has no marker "1"


def test_every_word_box_points_at_its_word_in_the_text():
    laid = lay_out(pages_of(body(["\tThe motion to quash is DENIED."])))
    words = [laid.text[w.start : w.end] for w in laid.words]
    assert words == ["The", "motion", "to", "quash", "is", "DENIED."]
    assert all(0 <= w.x0 < w.x1 <= 1 and 0 <= w.y0 < w.y1 <= 1 for w in laid.words)


def _long_filing() -> list[Page]:
    """Seven stamped pages; a sentence with a footnote runs on from page 3 to page 4, over
    an empty page 5 to page 6."""
    bodies = [
        body(["\tThe motion is fully briefed."]),
        body(["\tThe parties agree on the facts."]),
        [
            *body(["\tPlaintiffs filed their letter brief,1 and the court read it with the"]),
            line("1 The letter is dated July 14, 2005.", 100, 700, 400, size=8),
        ],
        body(["greatest care before ruling. The court then heard argument from the"]),
        [],
        body(["defendants on the record."]),
        body(["\tThe motion is denied."]),
    ]
    return pages_of(*bodies, extra=lambda n: [stamp(n)])


def test_a_long_document_laid_out_a_window_at_a_time_reads_as_laid_out_whole():
    whole = lay_out(_long_filing(), window=100)
    for window in (1, 2, 3, 4):
        laid = lay_out(_long_filing(), window=window)
        assert (laid.text, laid.pages, laid.words) == (whole.text, whole.pages, whole.words)
    assert "read it with the greatest care before ruling." in whole.text
    assert "heard argument from the defendants on the record." in whole.text
    assert whole.text.index("1 The letter") > whole.text.index("before ruling.")


def test_pages_are_let_go_once_their_window_is_laid_out():
    import weakref

    read_so_far: list[weakref.ref[Page]] = []
    most = 0

    def read():
        nonlocal most
        for n in range(1, 41):
            page = Page(n, W, H, [stamp(n), *body([f"\tParagraph {n} of the order."])])
            read_so_far.append(weakref.ref(page))
            most = max(most, sum(1 for ref in read_so_far if ref() is not None))
            yield page

    laid = lay_out(read(), window=4)
    assert "Paragraph 40 of the order." in laid.text
    assert most <= 2 * 4  # a window being read and, at most, the one before it
