"""Builders of small test documents in every supported format."""

from __future__ import annotations

import io
from pathlib import Path

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
