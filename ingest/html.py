"""HTML pages: news articles through trafilatura's main-text extraction; court opinions
(published as HTML by courts, case-law collections and search engines) with every block
kept, since their caption, counsel and panel lines are what journalists ask about and
main-text extraction drops them as boilerplate.
"""

from __future__ import annotations

import re
from pathlib import Path

from casefile.kernel.errors import UnreadableFile
from casefile.kernel.records import Docket, ParsedDocument
from ingest import docket as dockets
from ingest.cleaning import clean_news_text
from ingest.legal import CAPTION_SIGNS, is_court_record

# Elements whose text flows inside a block; every other element with text is a block.
INLINE = frozenset(
    """a abbr b bdi bdo cite code data dfn em font i kbd mark nobr q s samp small span strong
    sub sup time u var wbr footnotemark page-number""".split()
)
# Whole pages sit inside a <form> on some sites: its controls go, its text stays.
DROPPED = frozenset(
    "script style noscript nav header footer aside template svg button input select "
    "textarea iframe object head".split()
)
DECIDED = re.compile(r"^(?:decided|filed|dated)\b:?\s*(?P<date>.{6,40}?\d{4})", re.IGNORECASE)


def load_html(path: Path, data: bytes, drop_uppercase_lines: bool = True) -> ParsedDocument:
    """A page's text: a court opinion whole, anything else by main-content extraction."""
    blocks = html_blocks(path, data)
    if is_court_record(blocks):
        return _opinion(blocks)
    import trafilatura

    extracted = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
    )
    body = getattr(extracted, "text", None) or "\n".join(blocks)
    text = clean_news_text(body, drop_uppercase_lines=drop_uppercase_lines)
    title = (getattr(extracted, "title", None) or "").strip()
    date = getattr(extracted, "date", None) or None
    return ParsedDocument(text=text, kind="html", title=title, date=date)


def html_blocks(path: Path, data: bytes) -> list[str]:
    """The visible text of a page as blocks (paragraphs, headings, cells, caption lines), in
    order, scripts, styles, navigation and forms left out."""
    import lxml.etree
    import lxml.html

    from ingest.loaders import decode_text

    # Decoded first (UTF-8, else what charset detection finds): lxml alone takes pages
    # without a charset declaration for Latin-1.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_text(path, data))
    try:
        root = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableFile(path, f"unreadable HTML ({type(exc).__name__})") from exc
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(current)).strip()
        if text:
            blocks.append(text)
        current.clear()

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        tag = _local_name(element)
        if tag in DROPPED or not isinstance(tag, str):
            if element.tail:
                current.append(element.tail)
            return
        block = tag not in INLINE
        if tag == "br" or block:
            flush()
        if element.text:
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(element.tail)

    walk(root)
    flush()
    return [block for block in blocks if block.strip(" |")]


def _local_name(element) -> str | None:  # type: ignore[no-untyped-def]
    tag = element.tag
    if not isinstance(tag, str):
        return None  # comments and processing instructions
    return tag.rsplit("}", 1)[-1].lower()


def _opinion(blocks: list[str]) -> ParsedDocument:
    # The site's own menus come before the caption; the opinion starts with it.
    first = next(
        (i for i, block in enumerate(blocks) if any(s.search(block) for s in CAPTION_SIGNS)), 0
    )
    blocks = blocks[first:]
    caption = dockets.read_caption(blocks)
    date = ""
    for block in blocks[:40]:
        match = DECIDED.match(block)
        if match:
            date = dockets.iso_date(match.group("date").strip(" .")) or ""
            if date:
                break
    number = next(
        (
            m.group(1)
            for block in blocks[:20]
            if (m := re.match(r"^(?:Nos?\.|Docket No\.)\s*([\w.:-]+?)\.?$", block))
        ),
        "",
    )
    text = "\n".join(blocks)
    return ParsedDocument(
        text=text,
        kind="html",
        title=caption.case_name or caption.title(),
        date=date or None,
        docket=Docket(court=caption.court, case_number=number, filed=date),
    )
