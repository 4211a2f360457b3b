"""Word positions kept at ingest, compactly, and the PDF file kept beside the case."""

import pytest

from casefile.kernel.records import WordBox, WordBoxes
from casefile.kernel.settings import IngestSettings
from ingest.loaders import parse_document
from ingest.pipeline import ingest_paths
from ingest.positions import POSITIONS, Positions, positions_json
from tests.documents import write_known_pdf

WORDS = [
    WordBox(1, 0, 5, 0.1, 0.2, 0.18, 0.22),
    WordBox(1, 6, 11, 0.19, 0.2, 0.27, 0.22),
    WordBox(2, 12, 20, 0.1, 0.1, 0.3, 0.12),
    WordBox(3, 70000, 70004, 0.5, 0.9, 0.55, 0.92),  # far into a long document
]


def test_positions_come_back_as_stored_within_a_sixty_thousandth_of_the_page():
    positions = Positions.from_json(positions_json(WORDS))
    assert positions.pages == (1, 2, 3)
    back = [w for page in positions.pages for w in positions.on_page(page)]
    assert [(w.page, w.start, w.end) for w in back] == [(w.page, w.start, w.end) for w in WORDS]
    for got, kept in zip(back, WORDS, strict=True):
        assert got.x0 == pytest.approx(kept.x0, abs=1e-4)
        assert got.y1 == pytest.approx(kept.y1, abs=1e-4)


def test_word_boxes_held_as_columns_read_back_as_the_words_they_were():
    boxes = WordBoxes.of(WORDS)
    assert len(boxes) == len(WORDS) and list(boxes) == WORDS
    assert boxes[-1] == WORDS[-1] and list(boxes[1:3]) == WORDS[1:3]
    assert boxes == WordBoxes.of(WORDS) and boxes != WordBoxes.of(WORDS[:2])
    assert positions_json(boxes) == positions_json(WORDS)
    assert not WordBoxes() and positions_json(WordBoxes()) == positions_json([])


def test_only_the_pages_a_span_reaches_are_decoded():
    positions = Positions.from_json(positions_json(WORDS))
    found = positions.overlapping(8, 14)  # the end of "word 2" and the start of page 2
    assert [(w.page, w.start) for w in found] == [(1, 6), (2, 12)]
    assert set(positions._decoded) == {1, 2}


def test_positions_of_another_format_version_are_refused():
    with pytest.raises(ValueError, match="version"):
        Positions.from_json('{"v": 99, "pages": []}')


def test_a_dense_page_keeps_its_positions_in_about_twenty_bytes_a_word():
    words = [
        WordBox(1, i * 7, i * 7 + 6, (i % 12) / 12, (i // 12) / 40, (i % 12 + 0.9) / 12, 0.5)
        for i in range(400)
    ]
    assert len(positions_json(words)) / len(words) < 20


def test_a_pdf_page_shown_cropped_gives_boxes_on_the_page_as_shown(tmp_path):
    import pypdfium2 as pdfium

    path = tmp_path / "filing.pdf"
    truth = write_known_pdf(path, [["The motion is denied in its entirety."]])
    pdf = pdfium.PdfDocument(path)
    pdf[0].set_cropbox(36, 36, 576, 756)  # half an inch off every side
    pdf.save(tmp_path / "cropped.pdf")
    pdf.close()
    cropped = tmp_path / "cropped.pdf"
    doc = parse_document(cropped, cropped.read_bytes())
    motion = next(w for w in doc.words if doc.text[w.start : w.end] == "motion")
    _, _, x0, _, _, _ = next(t for t in truth if t[1] == "motion")
    # 612 points wide, shown from 36 to 576: 540 wide
    assert motion.x0 == pytest.approx((x0 * 612 - 36) / 540, abs=0.005)


def test_a_rotated_text_page_keeps_its_text_but_no_word_positions(tmp_path):
    import pypdfium2 as pdfium

    path = tmp_path / "filing.pdf"
    write_known_pdf(path, [["The motion is denied."], ["The hearing is vacated."]])
    pdf = pdfium.PdfDocument(path)
    pdf[1].set_rotation(90)
    pdf.save(tmp_path / "turned.pdf")
    pdf.close()
    turned = tmp_path / "turned.pdf"
    doc = parse_document(turned, turned.read_bytes())
    assert "The hearing is vacated." in doc.text
    assert {w.page for w in doc.words} == {1}


def test_ingest_keeps_the_positions_and_the_file_and_remove_deletes_the_file(
    tmp_path, settings, fake_embeddings
):
    from vectorstore.cases import open_case

    path = tmp_path / "order.pdf"
    write_known_pdf(path, [["The motion is denied."], ["So ordered."]])
    store = open_case(settings, "filings", embeddings=fake_embeddings)
    ingest_paths([path], store, IngestSettings())
    [record] = store.records()
    kept = store.original(record.doc_id)
    assert kept is not None and kept.read_bytes() == path.read_bytes()
    assert kept.parent == settings.case_dir("filings") / "originals"
    positions = Positions.from_json(store.extra(record.doc_id, POSITIONS))
    assert positions.pages == (1, 2)
    store.delete_document(record.doc_id)
    assert not kept.exists() and store.original(record.doc_id) is None


def test_a_text_file_keeps_no_file_and_no_positions(tmp_path, settings, fake_embeddings):
    from vectorstore.cases import open_case

    note = tmp_path / "note.txt"
    note.write_text("The hearing was moved to May 2, 2025, the clerk wrote.", encoding="utf-8")
    store = open_case(settings, "notes", embeddings=fake_embeddings)
    ingest_paths([note], store, IngestSettings())
    [record] = store.records()
    assert store.original(record.doc_id) is None
    assert store.extra(record.doc_id, POSITIONS) is None
    assert not (settings.case_dir("notes") / "originals").exists()


def test_a_document_id_that_is_a_path_never_names_a_file(settings, fake_embeddings):
    from vectorstore.cases import open_case

    store = open_case(settings, "filings", embeddings=fake_embeddings)
    assert store.original("../../etc/passwd") is None


def test_another_machine_sharing_the_store_keeps_the_file_when_it_ingests_it(
    tmp_path, settings, fake_embeddings
):
    from vectorstore.store import CaseStore, make_client

    client = make_client(settings)
    path = tmp_path / "order.pdf"
    write_known_pdf(path, [["The motion is denied."]])
    here = CaseStore(client, "shared", fake_embeddings, folder=tmp_path / "here")
    there = CaseStore(client, "shared", fake_embeddings, folder=tmp_path / "there")
    ingest_paths([path], here, IngestSettings())
    [record] = there.records()
    assert there.original(record.doc_id) is None  # its chunks are shared, its file is not
    report = ingest_paths([path], there, IngestSettings())
    assert report.count("unchanged") == 1
    assert there.original(record.doc_id).read_bytes() == path.read_bytes()
