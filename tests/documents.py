"""Builders of small test documents in every supported format."""

from __future__ import annotations

import io
from pathlib import Path

from casefile.kernel.records import DocumentRecord

HTML_ARTICLE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Judge orders phone records | Example News</title>
<meta property="og:title" content="Judge orders phone records in Lively case">
<meta property="article:published_time" content="2025-02-14T10:00:00Z">
<script>window.tracker = function() { document.title = "tracked"; };</script>
<style>p { color: red; }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/ent">Entertainment</a>
<a href="/subscribe">Subscribe now</a></nav>
<header><div class="logo">Example News</div></header>
<article>
<h1>Judge orders phone records in Lively case</h1>
<p>Judge Lewis Liman ordered both parties to produce phone records on Friday, according to a
filing in the Southern District of New York.</p>
<p>The order covers communications between the publicists and the studio from 2024.</p>
<p>CLICK HERE TO SIGN UP FOR THE ENTERTAINMENT NEWSLETTER</p>
<p>Lawyers for both sides declined to comment on the ruling when reached on Friday evening.</p>
</article>
<aside>Most read: celebrity chef opens restaurant</aside>
<footer>Copyright 2025 Example News. All rights reserved. Privacy policy.</footer>
</body></html>
"""


def write_pdf(path: Path, pages: list[str | None], title: str | None = None) -> Path:
    """A PDF with one page per entry: text lines, or None for a page with a drawing only."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    if title:
        pdf.setTitle(title)
    for text in pages:
        if text is None:
            pdf.rect(100, 100, 300, 400, fill=1)  # ink without a text layer, like a scan
        else:
            y = 720
            for line in text.splitlines():
                pdf.drawString(72, y, line)
                y -= 16
        pdf.showPage()
    pdf.save()
    return path


def write_encrypted_pdf(path: Path, source: Path, password: str = "secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_docx(path: Path, paragraphs: list[str], title: str | None = None) -> Path:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Hearing"
    table.rows[0].cells[1].text = "March 9, 2026"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


ECF = "Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page {page} of {pages}"


def write_pleading_pdf(path: Path, pages: list[list[str]], *, stamp: str = ECF) -> Path:
    """A court filing on pleading paper: an ECF stamp atop every page, line numbers 1-28 down
    the left margin, a running footer, and the body `pages` (lines as typeset, so a line may
    end in a hyphen or a sentence may run on to the next page)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    width, height = letter
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(100, height - 24, stamp.format(page=number, pages=len(pages)))
        pdf.setFont("Times-Roman", 12)
        for n in range(1, 29):
            pdf.drawRightString(60, height - 72 - (n - 1) * 24, str(n))
        for index, line in enumerate(lines):
            x = 136 if line.startswith("\t") else 100
            pdf.drawString(x, height - 72 - index * 24, line.lstrip("\t"))
        pdf.setFont("Times-Roman", 9)
        pdf.drawCentredString(width / 2, 40, f"-{number}- ORDER 8:16-cv-1261-DOC")
        pdf.showPage()
    pdf.save()
    return path


def page_image(lines: list[str], dpi: int = 200):  # type: ignore[no-untyped-def]
    """A Letter page of `lines` as a scanner would give it: grey, slightly rotated, specks."""
    import random

    import reportlab
    from PIL import Image, ImageDraw, ImageFont

    font_file = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    font = ImageFont.truetype(str(font_file), size=int(12 * dpi / 72))
    image = Image.new("L", (int(8.5 * dpi), int(11 * dpi)), 250)
    draw = ImageDraw.Draw(image)
    y = int(1.2 * dpi)
    for line in lines:
        draw.text((int(1.1 * dpi), y), line, fill=20, font=font)
        y += int(0.3 * dpi)
    rng = random.Random(7)
    for _ in range(400):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        draw.point((x, y), fill=rng.randrange(120, 200))
    return image.rotate(0.4, fillcolor=250, resample=Image.Resampling.BICUBIC)


def write_scanned_pdf(path: Path, pages: list[list[str] | str]) -> Path:
    """A PDF whose pages are images (no text layer) of the given lines; a string entry is a
    page with a normal text layer, so a filing can mix scanned and text pages."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    width, height = letter
    for page in pages:
        if isinstance(page, str):
            y = height - 72
            for line in page.splitlines():
                pdf.drawString(72, y, line)
                y -= 16
        else:
            pdf.drawImage(ImageReader(page_image(page)), 0, 0, width=width, height=height)
        pdf.showPage()
    pdf.save()
    return path


# -- PDFs whose every word's place on the page is known, for the page view -------------------

# (page, word, x0, y0, x1, y1): a word as drawn, its box in fractions of the page, origin top
# left, from the font's metrics (text PDFs) or the drawn glyphs (scans).
TrueWord = tuple[int, str, float, float, float, float]


def write_known_pdf(
    path: Path, pages: list[list[str]], *, size: float = 12, pitch: float = 22
) -> list[TrueWord]:
    """A text PDF of `pages` (lines in Helvetica from 1.8 inches down the page), and the box of
    every word as reportlab places it: x from the widths of the text before it, y from the
    font's ascent and descent."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
    from reportlab.pdfgen import canvas

    width, height = letter
    ascent, descent = getAscentDescent("Helvetica", size)
    pdf = canvas.Canvas(str(path), pagesize=letter)
    truth: list[TrueWord] = []
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("Helvetica", size)
        for index, line in enumerate(lines):
            baseline = height - 130 - index * pitch
            pdf.drawString(72, baseline, line)
            x = 72.0
            for word in line.split(" "):
                w = stringWidth(word, "Helvetica", size)
                truth.append(
                    (
                        number,
                        word,
                        x / width,
                        (height - baseline - ascent) / height,
                        (x + w) / width,
                        (height - baseline - descent) / height,
                    )
                )
                x += w + stringWidth(" ", "Helvetica", size)
        pdf.showPage()
    pdf.save()
    return truth


def write_known_scan(path: Path, lines: list[str], dpi: int = 200) -> list[TrueWord]:
    """A one-page PDF that is only an image of `lines` (no text layer), as a flatbed scan at
    `dpi` gives it (grey paper, specks), and the box of every word's ink on the image."""
    import random

    import reportlab
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = ImageFont.truetype(
        str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), size=int(12 * dpi / 72)
    )
    image = Image.new("L", (int(8.5 * dpi), int(11 * dpi)), 248)
    draw = ImageDraw.Draw(image)
    truth: list[TrueWord] = []
    for index, line in enumerate(lines):
        y = int(1.2 * dpi) + index * int(0.3 * dpi)
        x = float(int(1.1 * dpi))
        for word in line.split(" "):
            left, top, right, bottom = draw.textbbox((x, y), word, font=font)
            draw.text((x, y), word, fill=20, font=font)
            truth.append(
                (
                    1,
                    word,
                    left / image.width,
                    top / image.height,
                    right / image.width,
                    bottom / image.height,
                )
            )
            x += font.getlength(word + " ")
    rng = random.Random(11)
    for _ in range(300):
        draw.point((rng.randrange(image.width), rng.randrange(image.height)), fill=160)
    width, height = letter
    pdf = canvas.Canvas(str(path), pagesize=letter)
    pdf.drawImage(ImageReader(image), 0, 0, width=width, height=height)
    pdf.showPage()
    pdf.save()
    return truth


def write_two_column_pdf(path: Path, left: list[str], right: list[str]) -> Path:
    """One page of two columns set line by line side by side, which a PDF's text layer reads
    across: the left line, then the right one."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    for index, (a, b) in enumerate(zip(left, right, strict=True)):
        pdf.drawString(72, 640 - index * 16, a)
        pdf.drawString(324, 640 - index * 16, b)
    pdf.showPage()
    pdf.save()
    return path


# A three-page order whose answer stands on its last page, and a scanned opinion page: the
# page view's fixtures (the quotes' words' boxes come from write_known_pdf / write_known_scan).
ORDER_PAGES = [
    ["ORDER ON THE MOTION TO DISMISS", "The plaintiff filed a complaint in the district court."],
    ["The defendant answered the complaint within the time allowed."],
    [
        "The hearing on the motion was held on March 3, 2021 before Judge Alma Reyes,",
        "who granted the motion in part and denied it in part.",
    ],
]
BOARD_SCAN = [
    "WORKERS COMPENSATION APPEALS BOARD",
    "The employer filed a motion for summary judgment.",
    "We reverse the decision and remand the case.",
    "Judge Hensley delivered the opinion of the Board.",
]


def record(doc_id: str, *, pages: int = 0, ocr: tuple[int, ...] = (), court: str = "", title="T"):
    """A stored document's record as the registry lists it (`doc_id` ends in a digit)."""
    return DocumentRecord(
        doc_id=doc_id,
        source=f"/srv/casefile/default/uploads/{doc_id}.pdf",
        title=title,
        kind="pdf",
        date=None,
        page_count=pages,
        chunk_count=3,
        size_bytes=10,
        ingested_at=f"2026-11-2{doc_id[-1]}T10:15:00+00:00",
        court=court,
        ocr_pages=ocr,
    )
