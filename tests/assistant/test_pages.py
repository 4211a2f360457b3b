"""The page view: a cited quote highlighted where it stands on the page of a PDF of the case
(text layer and scan), the page shown without a highlight when the quote cannot be placed,
lazy cached renders, and nothing shown that is not a document of the case."""

import io
import shutil

import pytest

from assistant.pages import NO_POSITIONS, PageView, with_boxes
from assistant.placement import NOT_PLACED
from casefile.kernel.errors import DocumentNotFound, PageUnavailable
from casefile.kernel.records import Citation
from casefile.kernel.settings import IngestSettings, PagesSettings
from ingest.pipeline import ingest_paths
from tests.documents import (
    BOARD_SCAN,
    ORDER_PAGES,
    write_known_pdf,
    write_known_scan,
    write_two_column_pdf,
)

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="OCR needs Debian's tesseract-ocr (make install)"
)


@pytest.fixture
def case(settings, fake_embeddings):
    from vectorstore.cases import open_case

    return open_case(settings, "pages", embeddings=fake_embeddings)


@pytest.fixture
def view(case, settings):
    return PageView(case, settings.pages, cache=settings.case_dir("pages") / "page-cache")


def add(case, *paths):
    report = ingest_paths(list(paths), case, IngestSettings())
    assert report.count("added") == len(paths), report.outcomes
    return {r.name: r for r in case.records()}


def span_of(case, record, quote):
    text = case.document_text(record.doc_id)
    start = text.index(quote)
    return start, start + len(quote)


def overlap(a, b):
    """The area two boxes (x0, y0, x1, y1) share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def area(box):
    return (box[2] - box[0]) * (box[3] - box[1])


def assert_highlight_covers(boxes, truth, quote, page):
    """Every true box of the quote's words is mostly inside the highlight, and the highlight
    lies on those words' boxes (it covers no other words of the page)."""
    drawn = [t for t in truth if t[0] == page]
    words = quote.split()
    found = [
        i
        for i in range(len(drawn) - len(words) + 1)
        if [t[1] for t in drawn[i : i + len(words)]] == words
    ]
    assert found, "the quote's words are not in the fixture"
    mine = drawn[found[0] : found[0] + len(words)]
    marks = [(b.x0, b.y0, b.x1, b.y1) for b in boxes if b.page == page]
    for _, word, *box in mine:
        covered = sum(overlap(box, m) for m in marks) / area(box)
        assert covered > 0.6, f"{word!r}: only {covered:.0%} of it is highlighted"
    lines = [tuple(t[2:]) for t in mine]
    for mark in marks:
        inside = sum(overlap(mark, line) for line in lines) / area(mark)
        assert inside > 0.6, f"a highlight box lies off the quote's words: {mark}"


def test_a_quote_in_a_text_pdf_is_highlighted_over_its_words(case, view, tmp_path):
    truth = write_known_pdf(tmp_path / "order.pdf", ORDER_PAGES)
    record = add(case, tmp_path / "order.pdf")["order.pdf"]
    quote = "held on March 3, 2021 before Judge Alma Reyes, who granted the motion"
    placement = view.place(record.doc_id, *span_of(case, record, quote))
    assert placement.placed and len(placement.boxes) == 2  # two lines
    assert {b.page for b in placement.boxes} == {3}
    assert_highlight_covers(placement.boxes, truth, quote, 3)


@pytest.mark.integration
@needs_tesseract
def test_a_quote_in_a_scanned_pdf_is_highlighted_over_the_words_ocr_read(case, view, tmp_path):
    truth = write_known_scan(tmp_path / "scan.pdf", BOARD_SCAN)
    record = add(case, tmp_path / "scan.pdf")["scan.pdf"]
    assert record.ocr_pages == (1,)
    quote = "Judge Hensley delivered the opinion"
    placement = view.place(record.doc_id, *span_of(case, record, quote))
    assert placement.placed and len(placement.boxes) == 1
    assert_highlight_covers(placement.boxes, truth, quote, 1)


def test_the_shown_page_is_marked_yellow_under_the_quote_and_white_elsewhere(case, view, tmp_path):
    from PIL import Image

    write_known_pdf(tmp_path / "order.pdf", ORDER_PAGES)
    record = add(case, tmp_path / "order.pdf")["order.pdf"]
    shown = view.show(record.doc_id, span=span_of(case, record, "March 3, 2021"), width=800)
    assert (shown.page, shown.pages, shown.notice) == (3, 3, "")
    image = Image.open(io.BytesIO(shown.png)).convert("RGB")
    assert image.size == (shown.width, shown.height) and shown.width == 800
    [box] = shown.boxes

    def yellow(x0, y0, x1, y1):
        region = image.crop(
            (int(x0 * 800), int(y0 * shown.height), int(x1 * 800), int(y1 * shown.height))
        )
        pixels = list(region.get_flattened_data())
        return sum(r > 200 and g > 170 and b < 130 for r, g, b in pixels) / len(pixels)

    assert yellow(box.x0, box.y0, box.x1, box.y1) > 0.5  # the paper under the ink
    assert yellow(box.x0, box.y1 + 0.05, box.x1, box.y1 + 0.1) == 0  # nothing below it


def test_a_quote_the_extractor_read_across_columns_is_not_placed_and_the_page_says_so(
    case, view, tmp_path
):
    write_two_column_pdf(
        tmp_path / "columns.pdf",
        ["The court held a hearing on the", "motion and granted it in part", "after argument."],
        ["Meanwhile the jury was sent", "home for the weekend by the", "clerk that day."],
    )
    record = add(case, tmp_path / "columns.pdf")["columns.pdf"]
    text = case.document_text(record.doc_id)
    assert "on the Meanwhile the jury" in text  # the text layer reads across the columns
    span = span_of(case, record, "a hearing on the Meanwhile the jury")
    shown = view.show(record.doc_id, span=span)
    assert shown.boxes == () and not shown.placement.placed
    assert shown.notice.startswith(NOT_PLACED)
    assert shown.page == 1 and shown.png.startswith(b"\x89PNG")
    # a quote from one column is placed
    assert view.place(record.doc_id, *span_of(case, record, "The court held a hearing")).placed


def test_a_pdf_ingested_without_positions_says_so_instead_of_guessing(case, view, tmp_path):
    write_known_pdf(tmp_path / "order.pdf", ORDER_PAGES)
    record = add(case, tmp_path / "order.pdf")["order.pdf"]
    case._extras.delete(ids=[f"{record.doc_id}:positions"])  # as before positions were kept
    shown = view.show(record.doc_id, span=span_of(case, record, "March 3, 2021"))
    assert shown.page == 3 and shown.boxes == ()
    assert NO_POSITIONS in shown.notice


def test_a_page_away_from_the_quote_says_where_the_quote_is(case, view, tmp_path):
    write_known_pdf(tmp_path / "order.pdf", ORDER_PAGES)
    record = add(case, tmp_path / "order.pdf")["order.pdf"]
    shown = view.show(record.doc_id, 2, span=span_of(case, record, "March 3, 2021"))
    assert shown.page == 2 and shown.boxes == ()
    assert shown.notice == "The quote is on page 3, not this one."


@pytest.mark.parametrize("asked", ["0123456789abcdef", "../../etc/passwd", "/etc/passwd"])
def test_a_document_that_is_not_in_the_case_is_refused(case, view, tmp_path, asked):
    write_known_pdf(tmp_path / "order.pdf", ORDER_PAGES)
    add(case, tmp_path / "order.pdf")
    with pytest.raises(DocumentNotFound, match="no document"):
        view.show(asked, 1)
    with pytest.raises(DocumentNotFound):
        case.find(asked)


def test_a_document_of_another_case_is_refused(settings, fake_embeddings, view, tmp_path):
    from vectorstore.cases import open_case

    other = open_case(settings, "other", embeddings=fake_embeddings)
    write_known_pdf(tmp_path / "order.pdf", ORDER_PAGES)
    record = add(other, tmp_path / "order.pdf")["order.pdf"]
    with pytest.raises(DocumentNotFound, match="case 'pages'"):
        view.show(record.doc_id, 1)


def test_a_text_document_has_no_page_and_a_missing_page_is_named(case, view, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("The clerk moved the hearing to May 2, 2025.", encoding="utf-8")
    write_known_pdf(tmp_path / "order.pdf", ORDER_PAGES)
    records = add(case, note, tmp_path / "order.pdf")
    with pytest.raises(PageUnavailable, match="not a PDF"):
        view.show(records["note.txt"].doc_id, 1)
    with pytest.raises(PageUnavailable, match="has 3 page"):
        view.show(records["order.pdf"].doc_id, 4)


def test_a_pdf_whose_file_is_not_kept_here_asks_to_ingest_it_again(case, view, tmp_path):
    write_known_pdf(tmp_path / "order.pdf", ORDER_PAGES)
    record = add(case, tmp_path / "order.pdf")["order.pdf"]
    case.original(record.doc_id).unlink()
    with pytest.raises(PageUnavailable, match="ingest it again"):
        view.show(record.doc_id, 1)


def test_only_the_asked_page_is_rendered_and_a_second_look_comes_from_the_cache(
    case, view, tmp_path, monkeypatch
):
    import ingest.pdf

    write_known_pdf(tmp_path / "long.pdf", [[f"Paragraph {n} of the filing."] for n in range(40)])
    record = add(case, tmp_path / "long.pdf")["long.pdf"]
    rendered = []
    real = ingest.pdf.render_page
    monkeypatch.setattr(ingest.pdf, "render_page", lambda *a: rendered.append(a[1]) or real(*a))
    span = span_of(case, record, "Paragraph 30 of")
    first = view.show(record.doc_id, span=span)
    again = view.show(record.doc_id, span=span)
    assert rendered == [31] and again.png == first.png and first.page == 31
    view.show(record.doc_id, span=span, width=600)  # another size is another render
    view.show(record.doc_id, 31)  # and so is the page without the highlight
    assert rendered == [31, 31, 31]


def test_the_cache_stays_within_its_size(case, settings, tmp_path):
    write_known_pdf(tmp_path / "long.pdf", [[f"Paragraph {n}."] for n in range(12)])
    record = add(case, tmp_path / "long.pdf")["long.pdf"]
    cache = tmp_path / "cache"
    small = PageView(case, PagesSettings(width=400, cache_mb=0.004), cache=cache)
    for page in range(1, 13):
        small.show(record.doc_id, page)
    kept = list(cache.glob("*/*.png"))
    assert 0 < len(kept) < 12
    assert sum(p.stat().st_size for p in kept) <= 0.004 * 1024 * 1024
    assert cache / record.doc_id / "p12-w400-plain.png" in kept  # the latest stays


def test_ask_json_gives_each_pdf_citation_its_boxes(case, view, tmp_path):
    write_known_pdf(tmp_path / "order.pdf", ORDER_PAGES)
    record = add(case, tmp_path / "order.pdf")["order.pdf"]
    start, end = span_of(case, record, "March 3, 2021 before Judge Alma Reyes,")
    text = case.document_text(record.doc_id)
    cited = Citation(1, record.doc_id, record.source, record.title, 3, start, end, text[start:end])
    payload = with_boxes({"citations": [{"n": 1}]}, view, [cited])
    [item] = payload["citations"]
    assert item["boxes_notice"] == ""
    [box] = item["boxes"]
    assert box["page"] == 3 and 0 < box["x0"] < box["x1"] < 1 and 0 < box["y0"] < box["y1"] < 1


def test_the_page_width_is_a_setting_within_bounds(monkeypatch):
    from casefile.kernel.settings import Settings

    monkeypatch.setenv("CASEFILE_PAGES_WIDTH", "900")
    monkeypatch.setenv("CASEFILE_PAGES_CACHE_MB", "50")
    assert (Settings().pages.width, Settings().pages.cache_mb) == (900, 50)
    with pytest.raises(ValueError, match="width must be between 200 and 4000"):
        PagesSettings(width=50)
