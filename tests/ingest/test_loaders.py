from pathlib import Path

import pytest

from casefile.kernel.errors import EmptyDocument, UnreadableFile, UnsupportedFile
from ingest.loaders import parse_document
from tests.documents import HTML_ARTICLE, write_docx, write_encrypted_pdf, write_pdf

CAPTION = [
    "Jane Q. Advocate (Bar No. 123456)",
    "ADVOCATE & PARTNERS LLP",
    "Attorneys for Defendant",
    "UNITED STATES DISTRICT COURT",
    "DISTRICT OF ARIZONA",
    "TOMAS ORTEGA,",
    "Plaintiff,",
    "v.",
    "GREENLEAF FARMS, LLC,",
    "Defendant.",
    "Case No. 2:20-cv-00456-ABC",
    "DEFENDANT’S MOTION TO DISMISS",
    "Defendant Greenleaf Farms moves to dismiss the complaint for failure to state a claim.",
    "The motion is set for hearing on May 3, 2021.",
    "Dated: April 1, 2021",
    "/s/ Jane Q. Advocate",
]
STAMP = "Case 2:20-cv-00456-ABC Document 12 Filed 04/05/21 Page 1 of 1"


def parse(path: Path):
    return parse_document(path, path.read_bytes())


class TestText:
    def test_markdown_title_comes_from_its_heading(self, tmp_path):
        path = tmp_path / "note.md"
        path.write_text("# Hearing notes\n\nThe hearing is set for March.\n", encoding="utf-8")
        doc = parse(path)
        assert doc.title == "Hearing notes"
        assert doc.kind == "markdown"
        assert "The hearing is set for March." in doc.text

    def test_non_utf8_text_is_decoded_by_detection(self, tmp_path):
        path = tmp_path / "letter.txt"
        text = (
            "Café owner René Müller wrote to the court about the façade and the señor’s claim.\n"
            * 3
        )
        path.write_bytes(text.encode("cp1252"))
        doc = parse(path)
        assert "René Müller" in doc.text and "façade" in doc.text

    def test_utf16_with_bom_is_read(self, tmp_path):
        path = tmp_path / "memo.txt"
        path.write_bytes("Memo about the subpoena.".encode("utf-16"))
        assert parse(path).text == "Memo about the subpoena."

    def test_empty_file_is_refused(self, tmp_path):
        path = tmp_path / "empty.txt"
        path.write_text("  \n")
        with pytest.raises(EmptyDocument, match="empty file"):
            parse(path)

    def test_binary_junk_named_txt_is_refused(self, tmp_path):
        path = tmp_path / "junk.txt"
        path.write_bytes(bytes(range(256)) * 8)
        with pytest.raises(UnreadableFile, match="binary content"):
            parse(path)

    def test_a_court_record_is_titled_by_its_caption_and_dated_by_its_stamp(self, tmp_path):
        path = tmp_path / "ortega.txt"
        path.write_text("\n".join([STAMP, *CAPTION]), encoding="utf-8")
        doc = parse(path)
        assert doc.title == "Ortega v. Greenleaf Farms — Defendant’s Motion to Dismiss"
        assert doc.date == "2021-04-05"
        assert doc.docket.case_number == "2:20-cv-00456-ABC"

    def test_a_court_record_without_a_readable_caption_is_titled_by_its_file_name(self, tmp_path):
        path = tmp_path / "ortega_v_greenleaf_hearing_notes.txt"
        lines = [
            "UNITED STATES DISTRICT COURT",
            "DISTRICT OF ARIZONA",
            *CAPTION[12:15],
            "IT IS SO ORDERED.",
            "Dated: April 1, 2021",
            "ANITA B. CRUZ",
            "United States District Judge",
        ]
        path.write_text("\n".join(lines), encoding="utf-8")
        doc = parse(path)
        assert doc.title == "Ortega v. Greenleaf Hearing Notes"
        assert doc.date == "2021-04-01"

    def test_unknown_suffix_is_unsupported(self, tmp_path):
        path = tmp_path / "image.png"
        path.write_bytes(b"\x89PNG")
        with pytest.raises(UnsupportedFile, match="unsupported file type '.png'"):
            parse(path)


class TestHtml:
    def test_main_text_only_with_title_and_date_from_metadata(self, tmp_path):
        path = tmp_path / "article.html"
        path.write_text(HTML_ARTICLE, encoding="utf-8")
        doc = parse(path)
        assert doc.kind == "html"
        assert doc.title == "Judge orders phone records in Lively case"
        assert doc.date == "2025-02-14"
        assert "Judge Lewis Liman ordered both parties to produce phone records" in doc.text
        assert "Lawyers for both sides declined to comment" in doc.text
        for boilerplate in (
            "window.tracker",
            "color: red",
            "Subscribe now",
            "Copyright 2025",
            "Most read",
            "CLICK HERE",
            "<p>",
        ):
            assert boilerplate not in doc.text

    def test_a_pacer_docket_report_is_titled_by_its_case(self, tmp_path):
        path = tmp_path / "docket.html"
        rows = "".join(
            f"<tr><td>{n}</td><td>Filed &amp; Entered:</td><td>03/{n:02d}/2019</td>"
            f"<td>Docket Text: NOTICE of appearance number {n} filed by Plaintiff.</td></tr>"
            for n in range(1, 8)
        )
        path.write_text(
            "<html><head><title>CM/ECF - District of Arizona-History/Documents Query</title>"
            "</head><body><div>Query</div><div>Reports</div>"
            "<h3>2:19-cv-04567-ABC Northwind Traders, Inc. v. Harold P. Finch et al</h3>"
            "<div>Anita B. Cruz, presiding</div><div>Date filed: 03/01/2019</div>"
            "<div>Date of last filing: 11/20/2020</div>"
            f"<table>{rows}</table></body></html>",
            encoding="utf-8",
        )
        doc = parse(path)
        assert doc.title == "Northwind Traders v. Finch — Docket Report"
        assert doc.date == "2020-11-20"

    def test_tiny_page_falls_back_to_its_visible_text(self, tmp_path):
        path = tmp_path / "tiny.htm"
        path.write_text("<html><body><script>evil()</script><p>Order granted.</p></body></html>")
        doc = parse(path)
        assert doc.text == "Order granted."


class TestPdf:
    def test_text_per_page_with_page_numbers(self, tmp_path):
        path = write_pdf(
            tmp_path / "filing.pdf",
            ["Plaintiff moves to compel.", "The court has reviewed the motion.", "So ordered."],
            title="Order on motion to compel",
        )
        doc = parse(path)
        assert doc.kind == "pdf"
        assert doc.title == "Order on motion to compel"
        assert doc.page_count == 3
        for number, expected in enumerate(["Plaintiff moves", "The court has", "So ordered."], 1):
            page = doc.pages[number - 1]
            assert page.number == number
            assert doc.text[page.start : page.end].startswith(expected)
            assert doc.page_at(page.start) == number

    def test_a_court_filing_is_titled_by_its_caption_not_its_metadata(self, tmp_path):
        page = "\n".join([*CAPTION, STAMP])
        path = write_pdf(tmp_path / "mtd.pdf", [page], title="Ortega MTD v3 final.ecl")
        doc = parse(path)
        assert doc.title == "Ortega v. Greenleaf Farms — Defendant’s Motion to Dismiss"
        assert doc.date == doc.docket.filed == "2021-04-05"

    def test_a_filing_without_a_caption_is_titled_by_its_file_name(self, tmp_path):
        page = "\n".join(["UNITED STATES DISTRICT COURT", *CAPTION[12:], STAMP])
        path = write_pdf(tmp_path / "ortega_v_greenleaf_exhibit_4.pdf", [page], title="a.ecl")
        assert parse(path).title == "Ortega v. Greenleaf Exhibit 4"

    def test_pdf_without_text_layer_is_reported_as_scanned(self, tmp_path):
        path = write_pdf(tmp_path / "scan.pdf", [None, None])
        with pytest.raises(EmptyDocument, match=r"no extractable text \(scanned\?\)"):
            parse(path)

    def test_encrypted_pdf_is_refused(self, tmp_path):
        plain = write_pdf(tmp_path / "plain.pdf", ["Sealed exhibit."])
        path = write_encrypted_pdf(tmp_path / "sealed.pdf", plain)
        with pytest.raises(UnreadableFile, match="encrypted PDF"):
            parse(path)

    def test_corrupt_pdf_is_refused(self, tmp_path):
        good = write_pdf(tmp_path / "good.pdf", ["Some text on a page."]).read_bytes()
        path = tmp_path / "broken.pdf"
        path.write_bytes(good[:200])
        with pytest.raises(UnreadableFile, match="corrupt or unreadable PDF"):
            parse(path)

    def test_binary_junk_named_pdf_is_refused(self, tmp_path):
        path = tmp_path / "junk.pdf"
        path.write_bytes(bytes(range(256)) * 4)
        with pytest.raises(UnreadableFile, match="not a PDF"):
            parse(path)


class TestDocx:
    def test_paragraphs_tables_and_title(self, tmp_path):
        path = write_docx(
            tmp_path / "letter.docx",
            ["Dear Judge Liman,", "We write jointly to report on the status of discovery."],
            title="Joint status letter",
        )
        doc = parse(path)
        assert doc.kind == "docx"
        assert doc.title == "Joint status letter"
        assert "We write jointly to report on the status of discovery." in doc.text
        assert "Hearing | March 9, 2026" in doc.text

    def test_corrupt_docx_is_refused(self, tmp_path):
        path = tmp_path / "broken.docx"
        path.write_bytes(b"PK\x03\x04 not really a zip")
        with pytest.raises(UnreadableFile, match="corrupt or unreadable DOCX"):
            parse(path)
