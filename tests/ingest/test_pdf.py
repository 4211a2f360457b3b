"""PDFs as courts file them: pleading paper, ECF stamps, scans; read with pypdfium2 and OCR."""

import shutil

import pytest

from casefile.kernel.errors import EmptyDocument
from casefile.kernel.records import page_at
from casefile.kernel.settings import IngestSettings
from ingest.chunking import chunk_document
from ingest.loaders import LoadOptions, parse_document
from ingest.pipeline import ingest_paths
from tests.documents import write_pleading_pdf, write_scanned_pdf

FILING = [
    [
        "\tDefendant moves to quash a subpoena issued to a court reporter in Okla-",
        "homa for the deposition transcript of a former manager of its 10,000-square-",
        "foot warehouse.",
        "\tThe Court has considered the papers submitted by both sides and the",
    ],
    [
        "record as a whole, and the motion to quash is DENIED.",
        "\tIT IS SO ORDERED.",
    ],
    [
        "\tThe parties shall meet and confer about the schedule within fourteen days.",
    ],
]
SCAN = [
    "UNITED STATES DISTRICT COURT",
    "The employer filed a motion for summary judgment.",
    "We reverse the decision and remand the case.",
    "Judge Hensley delivered the opinion of the Board.",
]
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="OCR needs Debian's tesseract-ocr (make install)"
)


@pytest.fixture
def filing(tmp_path):
    return write_pleading_pdf(tmp_path / "order.pdf", FILING)


def test_a_pleading_paper_filing_reads_as_its_paragraphs(filing):
    doc = parse_document(filing, filing.read_bytes())
    assert "Case 1:12-cv-05708-ER" not in doc.text and "ORDER 8:16-cv" not in doc.text
    assert not any(line.strip().isdigit() for line in doc.text.splitlines())
    assert "court reporter in Oklahoma for the deposition" in doc.text
    assert "its 10,000-square-foot warehouse." in doc.text
    sentence = (
        "The Court has considered the papers submitted by both sides and the record as a "
        "whole, and the motion to quash is DENIED."
    )
    assert sentence in doc.text


def test_the_page_of_every_word_is_the_pdf_page_it_is_printed_on(filing):
    doc = parse_document(filing, filing.read_bytes())
    assert page_at(doc.pages, doc.text.index("Oklahoma")) == 1
    assert page_at(doc.pages, doc.text.index("record as a whole")) == 2
    assert page_at(doc.pages, doc.text.index("meet and confer")) == 3
    assert doc.page_count == 3


def test_chunks_are_exact_slices_and_a_sentence_across_pages_knows_both(filing):
    doc = parse_document(filing, filing.read_bytes())
    chunks = chunk_document(doc, "d1", 200, 40)
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)
    crossing = [c for c in chunks if "record as a whole" in c.text]
    assert crossing and (crossing[0].page, crossing[0].end_page) == (1, 2)


def test_docket_details_come_from_the_stamp_and_date_the_document(filing):
    doc = parse_document(filing, filing.read_bytes())
    assert doc.docket.case_number == "1:12-cv-05708-ER"
    assert doc.docket.docket_entry == "11"
    assert doc.date == doc.docket.filed == "2013-09-27"


def test_a_scanned_pdf_without_ocr_fails_with_its_reason(tmp_path):
    scan = write_scanned_pdf(tmp_path / "scan.pdf", [SCAN])
    with pytest.raises(EmptyDocument, match="no extractable text \\(scanned\\?\\).*OCR is off"):
        parse_document(scan, scan.read_bytes(), LoadOptions(ocr=False))


@pytest.mark.integration
@needs_tesseract
def test_a_wholly_scanned_pdf_is_read_by_ocr_and_marked(tmp_path):
    scan = write_scanned_pdf(tmp_path / "scan.pdf", [SCAN])
    pages: list[tuple[int, str]] = []
    doc = parse_document(
        scan, scan.read_bytes(), LoadOptions(on_page=lambda n, total, what: pages.append((n, what)))
    )
    assert doc.ocr_pages == (1,) and pages == [(1, "OCR")]
    for words in ("motion for summary judgment", "reverse the decision", "Judge Hensley"):
        assert words in doc.text
    assert all(w.page == 1 for w in doc.words) and len(doc.words) > 20


@pytest.mark.integration
@needs_tesseract
def test_an_image_only_page_inside_a_text_pdf_is_ocrd_and_cited_as_ocr(
    tmp_path, settings, word_embeddings
):
    from assistant import CaseAssistant
    from vectorstore.store import CaseStore, make_client

    store = CaseStore(make_client(settings), "mixed", word_embeddings)
    mixed = write_scanned_pdf(
        tmp_path / "mixed.pdf",
        ["The hearing was held on March 3, 2021 before the Board.", SCAN],
    )
    report = ingest_paths([mixed], store, IngestSettings())
    assert report.count("added") == 1
    [record] = store.records()
    assert record.ocr_pages == (2,)
    answer = CaseAssistant(store, settings).ask("Who delivered the opinion of the Board?")
    cited = [c for c in answer.citations if "Hensley" in c.quote]
    assert cited and cited[0].page == 2 and cited[0].ocr
    assert all(not c.ocr for c in answer.citations if c.page == 1)


def test_a_pdf_where_ocr_finds_no_text_fails_clearly(tmp_path):
    blank = write_scanned_pdf(tmp_path / "blank.pdf", [[]])
    if shutil.which("tesseract") is None:
        pytest.skip("needs tesseract")
    with pytest.raises(EmptyDocument, match="OCR found none"):
        parse_document(blank, blank.read_bytes())


def test_a_scanned_page_under_a_text_banner_is_read_by_ocr_too(tmp_path):
    """The court's ECF line is the page's only text layer; the opinion is in the picture."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from tests.documents import page_image

    path = tmp_path / "bannered.pdf"
    pdf = canvas.Canvas(str(path), pagesize=letter)
    width, height = letter
    pdf.drawImage(ImageReader(page_image(SCAN)), 0, 0, width=width, height=height)
    pdf.drawString(72, height - 30, "Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page 1 of 1")
    pdf.showPage()
    pdf.save()
    if shutil.which("tesseract") is None:
        with pytest.raises(EmptyDocument, match="scanned"):
            parse_document(path, path.read_bytes(), LoadOptions(ocr=False))
        return
    doc = parse_document(path, path.read_bytes())
    assert doc.ocr_pages == (1,)
    assert "Judge Hensley delivered the opinion" in doc.text
