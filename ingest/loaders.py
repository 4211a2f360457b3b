"""Turn a file's bytes into a ParsedDocument: one loader per format, chosen by suffix."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from casefile.kernel.errors import EmptyDocument, UnreadableFile, UnsupportedFile
from casefile.kernel.records import PageSpan, ParsedDocument
from ingest.cleaning import clean_news_text

log = logging.getLogger(__name__)

TITLE_CHARS = 120
PAGE_SEPARATOR = "\n\n"

Loader = Callable[[Path, bytes, bool], ParsedDocument]


def supported_suffixes() -> frozenset[str]:
    return frozenset(_LOADERS)


def parse_document(path: Path, data: bytes, *, drop_uppercase_lines: bool = True) -> ParsedDocument:
    """Parse `data`, the bytes of `path`, with the loader for its suffix."""
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise UnsupportedFile(path, f"unsupported file type {path.suffix or '(none)'!r}")
    if not data.strip():
        raise EmptyDocument(path, "empty file")
    parsed = loader(path, data, drop_uppercase_lines)
    if not parsed.text.strip():
        raise EmptyDocument(path, "no text left after cleaning")
    return parsed


def load_text(path: Path, data: bytes, drop_uppercase_lines: bool) -> ParsedDocument:
    text = clean_news_text(decode_text(path, data), drop_uppercase_lines=drop_uppercase_lines)
    kind = "markdown" if path.suffix.lower() in {".md", ".markdown"} else "text"
    return ParsedDocument(text=text, kind=kind, title=title_from_text(text, path))


def load_html(path: Path, data: bytes, drop_uppercase_lines: bool) -> ParsedDocument:
    import trafilatura

    _reject_binary(path, data)
    extracted = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
    )
    body = getattr(extracted, "text", None) or _html_body_text(path, data)
    text = clean_news_text(body, drop_uppercase_lines=drop_uppercase_lines)
    title = (getattr(extracted, "title", None) or "").strip() or title_from_text(text, path)
    date = getattr(extracted, "date", None) or None
    return ParsedDocument(text=text, kind="html", title=title, date=date)


def load_pdf(path: Path, data: bytes, drop_uppercase_lines: bool) -> ParsedDocument:
    from pypdf import PdfReader

    if not data.lstrip().startswith(b"%PDF"):
        raise UnreadableFile(path, "not a PDF (the file does not start with %PDF)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(path, "encrypted PDF: it needs a password")
        page_texts = [_tidy_page(page.extract_text() or "") for page in reader.pages]
        info = reader.metadata
    except UnreadableFile:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise UnreadableFile(
            path, f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})"
        ) from exc
    if not any(page_texts):
        raise EmptyDocument(path, "no extractable text (scanned?)")
    text, pages = _join_pages(page_texts)
    title = (info.title if info and info.title else "") or title_from_text(text, path)
    date = _iso_date(info.creation_date) if info else None
    return ParsedDocument(text=text, kind="pdf", title=str(title).strip(), date=date, pages=pages)


def load_docx(path: Path, data: bytes, drop_uppercase_lines: bool) -> ParsedDocument:
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


def _html_body_text(path: Path, data: bytes) -> str:
    """Visible text of the page body, for pages too small for main-content extraction."""
    import lxml.html

    try:
        root = lxml.html.fromstring(data)
    except Exception as exc:  # lxml raises parser errors of several kinds
        raise UnreadableFile(path, f"unreadable HTML ({type(exc).__name__})") from exc
    for element in root.xpath(
        "//script|//style|//noscript|//nav|//header|//footer|//aside|//form|//template"
    ):
        element.drop_tree()
    body = root.find("body")
    node = body if body is not None else root
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in node.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _tidy_page(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()).strip()


def _join_pages(page_texts: list[str]) -> tuple[str, tuple[PageSpan, ...]]:
    parts: list[str] = []
    pages: list[PageSpan] = []
    offset = 0
    for number, page_text in enumerate(page_texts, start=1):
        if parts:
            parts.append(PAGE_SEPARATOR)
            offset += len(PAGE_SEPARATOR)
        pages.append(PageSpan(number, offset, offset + len(page_text)))
        parts.append(page_text)
        offset += len(page_text)
    return "".join(parts), tuple(pages)


def _iso_date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


_LOADERS: dict[str, Loader] = {
    ".txt": load_text,
    ".md": load_text,
    ".markdown": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
}
