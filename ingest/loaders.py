"""Turn a file's bytes into a ParsedDocument: one loader per format, chosen by suffix."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from casefile.kernel.errors import EmptyDocument, UnreadableFile, UnsupportedFile
from casefile.kernel.records import Docket, ParsedDocument
from ingest.cleaning import clean_news_text
from ingest.pdf import PageProgress

log = logging.getLogger(__name__)

TITLE_CHARS = 120


@dataclass(frozen=True)
class LoadOptions:
    """How documents are read: news cleaning for text and HTML, OCR and progress for PDFs."""

    drop_uppercase_lines: bool = True
    ocr: bool = True
    on_page: PageProgress | None = None


Loader = Callable[[Path, bytes, LoadOptions], ParsedDocument]


def supported_suffixes() -> frozenset[str]:
    return frozenset(_LOADERS)


def parse_document(path: Path, data: bytes, options: LoadOptions = LoadOptions()) -> ParsedDocument:
    """Parse `data`, the bytes of `path`, with the loader for its suffix."""
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise UnsupportedFile(path, f"unsupported file type {path.suffix or '(none)'!r}")
    if not data.strip():
        raise EmptyDocument(path, "empty file")
    parsed = loader(path, data, options)
    if not parsed.text.strip():
        raise EmptyDocument(path, "no text left after cleaning")
    return parsed


def load_text(path: Path, data: bytes, options: LoadOptions) -> ParsedDocument:
    from ingest.legal import is_court_record

    raw = decode_text(path, data)
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    kind = "markdown" if path.suffix.lower() in {".md", ".markdown"} else "text"
    if is_court_record(lines):
        # A court record in plain text keeps its capital lines (the caption, "IT IS SO
        # ORDERED.", the judge's name under the signature) and is titled by its caption.
        from ingest import docket
        from ingest.document_dates import document_date

        text = clean_news_text(raw, drop_uppercase_lines=False)
        caption = docket.read_caption(lines[:40])
        stamped = docket.read_stamps(lines)
        filed = document_date(lines[:40], "\n".join(lines), stamped.filed)
        return ParsedDocument(
            text=text,
            kind=kind,
            title=caption.title() or docket.title_from_file_name(path),
            date=filed or None,
            docket=replace(stamped, court=caption.court, filed=filed),
        )
    text = clean_news_text(raw, drop_uppercase_lines=options.drop_uppercase_lines)
    return ParsedDocument(text=text, kind=kind, title=title_from_text(text, path))


def load_html(path: Path, data: bytes, options: LoadOptions) -> ParsedDocument:
    from ingest import docket
    from ingest.html import html_blocks
    from ingest.html import load_html as read_html

    _reject_binary(path, data)
    parsed = read_html(path, data, options.drop_uppercase_lines)
    if parsed.docket == Docket():
        # A docket report saved from PACER is a table, not a court record's text: its
        # page title is the site's ("CM/ECF - …"); its caption line names the case.
        title, date = docket.read_docket_report(html_blocks(path, data))
        if title:
            parsed = replace(parsed, title=title, date=date or parsed.date)
    return parsed if parsed.title else replace(parsed, title=title_from_text(parsed.text, path))


def load_pdf(path: Path, data: bytes, options: LoadOptions) -> ParsedDocument:
    from ingest.pdf import PdfOptions
    from ingest.pdf import load_pdf as read_pdf

    return read_pdf(path, data, PdfOptions(ocr=options.ocr, on_page=options.on_page))


def load_docx(path: Path, data: bytes, options: LoadOptions) -> ParsedDocument:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML and key errors for damaged files
        raise UnreadableFile(path, f"corrupt or unreadable DOCX ({type(exc).__name__})") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows)
        else:
            lines.append(block.text.rstrip())
    text = "\n".join(lines).strip()
    title = (document.core_properties.title or "").strip() or title_from_text(text, path)
    return ParsedDocument(text=text, kind="docx", title=title)


def decode_text(path: Path, data: bytes) -> str:
    """Decode text bytes: UTF-8 first, else the encoding that charset detection finds."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    _reject_binary(path, data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile(path, "unknown text encoding: not UTF-8, and no other encoding fits")
    log.info("%s: decoded as %s", path, best.encoding)
    return str(best)


def title_from_text(text: str, path: Path) -> str:
    """The first line of `text`, shortened at a word, or the file name when there is none."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            if len(line) <= TITLE_CHARS:
                return line
            return line[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return path.stem


def _reject_binary(path: Path, data: bytes) -> None:
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) * 0.05:
        raise UnreadableFile(path, "binary content, not text")


_LOADERS: dict[str, Loader] = {
    ".txt": load_text,
    ".md": load_text,
    ".markdown": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
}
