"""The page view: a page of a case's PDF as the court filed it, rendered from the file the
case keeps, with a quote highlighted where its words stand (from the word positions kept at
ingest: the text layer's character boxes, or the OCR engine's word boxes).

Only documents of the case are shown, found by doc_id in its registry; no path given by a
caller is ever opened. Pages are rendered one at a time, when asked for, and kept on disk
by (document, page, width, highlight), the least recently shown going first.

>>> view = PageView(store, settings.pages, cache=settings.case_dir(case) / "page-cache")
>>> shown = view.show(citation.doc_id, span=(citation.start, citation.end))
>>> Path("page.png").write_bytes(shown.png); shown.notice
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.placement import Placement, place_quote
from casefile.kernel.errors import DocumentNotFound, PageUnavailable
from casefile.kernel.files import write_atomically
from casefile.kernel.index import CaseIndex
from casefile.kernel.records import Citation, DocumentRecord, QuoteBox, page_at
from casefile.kernel.settings import MAX_PAGE_WIDTH, MIN_PAGE_WIDTH, PagesSettings
from ingest.positions import POSITIONS, Positions

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

NO_POSITIONS = "no word positions were kept for this document (ingest it again to keep them)"
HIGHLIGHT = (255, 224, 64)  # multiplied into the page: yellow paper, the ink stays dark
OUTLINE = (214, 120, 0)
POSITIONS_KEPT = 16  # documents whose decoded word positions stay in memory


@dataclass(frozen=True)
class ShownPage:
    """One page of a document as an image, and what it shows of a quote."""

    doc_id: str
    title: str
    name: str
    page: int
    pages: int
    png: bytes
    width: int
    height: int
    placement: Placement = field(default_factory=Placement)
    boxes: tuple[QuoteBox, ...] = ()  # the quote's boxes on this page (drawn)
    quoted: bool = False  # a quote was asked for

    @property
    def notice(self) -> str:
        """ "" when the quote is highlighted here (or none was asked for); else what to say."""
        if not self.quoted or self.boxes:
            return ""
        if self.placement.placed:
            where = ", ".join(str(p) for p in self.placement.pages)
            return f"The quote is on page {where}, not this one."
        return self.placement.notice


class PageView:
    """Pages of one case's PDFs, rendered lazily and cached; quotes placed on them."""

    def __init__(
        self,
        store: CaseIndex,
        settings: PagesSettings | None = None,
        *,
        cache: Path | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or PagesSettings()
        self.cache = cache
        self._positions: OrderedDict[str, Positions | None] = OrderedDict()
        self._lock = threading.Lock()

    def document(self, doc_id: str) -> DocumentRecord:
        """The complete document `doc_id` of the case, or DocumentNotFound."""
        record = self.store.record(doc_id)
        if record is None or not record.complete:
            raise DocumentNotFound(f"no document {doc_id!r} in case {self.store.case!r}")
        return record

    def place(self, doc_id: str, start: int, end: int) -> Placement:
        """Where `text[start:end]` of a document stands on its page(s)."""
        self.document(doc_id)
        if end <= start:
            raise ValueError(f"a quote must end after it starts. Currently, {start}-{end}")
        positions = self._positions_of(doc_id)
        if positions is None:
            return Placement(reason=NO_POSITIONS)
        words = positions.overlapping(start, end)
        page_words = {page: positions.on_page(page) for page in {w.page for w in words}}
        text = self.store.document_text(doc_id)
        return place_quote(text, start, end, words, page_words)

    def placements(self, citations: Iterable[Citation]) -> dict[int, Placement]:
        """The placement of each citation into a paginated document, by its number; none
        for a document removed since the answer was given."""
        placed = {}
        for c in citations:
            if c.page is None or c.end <= c.start:
                continue
            try:
                placed[c.n] = self.place(c.doc_id, c.start, c.end)
            except DocumentNotFound:
                continue
        return placed

    def show(
        self,
        doc_id: str,
        page: int | None = None,
        *,
        span: tuple[int, int] | None = None,
        width: int | None = None,
    ) -> ShownPage:
        """Page `page` of a PDF of the case (default: where `span` starts), as a PNG, with
        the words of `text[span]` highlighted where they stand on it."""
        record = self.document(doc_id)
        width = width or self.settings.width
        if not MIN_PAGE_WIDTH <= width <= MAX_PAGE_WIDTH:
            raise PageUnavailable(
                f"width must be between {MIN_PAGE_WIDTH} and {MAX_PAGE_WIDTH} pixels. "
                f"Currently, it is {width}"
            )
        if record.kind != "pdf":
            raise PageUnavailable(
                f"{record.name} is not a PDF (it is {record.kind}): it has no pages to show"
            )
        path = self.store.original(doc_id)
        if path is None:
            raise PageUnavailable(
                f"the file of {record.name} is not kept in case {self.store.case!r} on this "
                "machine (ingested before Casefile kept files, or on another machine): "
                "ingest it again here to see its pages"
            )
        placement = self.place(doc_id, *span) if span else Placement()
        if page is None:
            page = self._page_of(doc_id, placement, span)
        if not 1 <= page <= max(record.page_count, 1):
            raise PageUnavailable(
                f"{record.name} has {record.page_count} page(s): there is no page {page}"
            )
        boxes = placement.on_page(page) if placement.placed else ()
        png, size = self._render(doc_id, path, page, width, boxes)
        return ShownPage(
            doc_id=doc_id,
            title=record.title,
            name=record.name,
            page=page,
            pages=record.page_count,
            png=png,
            width=size[0],
            height=size[1],
            placement=placement,
            boxes=boxes,
            quoted=span is not None,
        )

    def _page_of(self, doc_id: str, placement: Placement, span: tuple[int, int] | None) -> int:
        if placement.placed:
            return placement.boxes[0].page
        if span:
            found = page_at(self.store.page_spans(doc_id), span[0])
            if found:
                return found
        return 1

    def _positions_of(self, doc_id: str) -> Positions | None:
        with self._lock:
            if doc_id in self._positions:
                self._positions.move_to_end(doc_id)
                return self._positions[doc_id]
        data = self.store.extra(doc_id, POSITIONS)
        positions = None
        if data:
            try:
                positions = Positions.from_json(data)
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("word positions of %s cannot be read: %s", doc_id, exc)
        with self._lock:
            self._positions[doc_id] = positions
            while len(self._positions) > POSITIONS_KEPT:
                self._positions.popitem(last=False)
        return positions

    # -- rendering -----------------------------------------------------------------------

    def _render(
        self, doc_id: str, path: Path, page: int, width: int, boxes: Sequence[QuoteBox]
    ) -> tuple[bytes, tuple[int, int]]:
        from PIL import Image

        cached = self._cache_file(doc_id, page, width, boxes)
        if cached is not None and cached.is_file():
            data = cached.read_bytes()
            os.utime(cached)  # recently shown: kept longest
            with Image.open(io.BytesIO(data)) as image:
                return data, image.size
        from ingest.pdf import render_page

        image, _ = render_page(path, page, width)
        if boxes:
            image = draw_highlight(image, boxes)
        # A page of print needs few colours: a 256-colour PNG is a third of the size of the
        # RGB one (90 kB against 340 kB for a court page 1400 pixels wide) and encodes in
        # half the time, with the text as sharp.
        palette = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        palette.save(buffer, "PNG")
        data = buffer.getvalue()
        if cached is not None:
            self._store(cached, data)
        return data, image.size

    def _cache_file(
        self, doc_id: str, page: int, width: int, boxes: Sequence[QuoteBox]
    ) -> Path | None:
        if self.cache is None or self.settings.cache_mb <= 0:
            return None
        marks = ";".join(f"{b.x0:.4f},{b.y0:.4f},{b.x1:.4f},{b.y1:.4f}" for b in boxes)
        key = hashlib.sha256(marks.encode()).hexdigest()[:12] if boxes else "plain"
        return self.cache / doc_id / f"p{page}-w{width}-{key}.png"

    def _store(self, target: Path, data: bytes) -> None:
        try:
            write_atomically(target, data)
            self._prune()
        except OSError as exc:  # a full or read-only disk costs a render next time, no more
            log.warning("could not cache the page image %s: %s", target, exc)

    def _prune(self) -> None:
        """Remove the least recently shown renders while the cache is over its size."""
        assert self.cache is not None
        limit = self.settings.cache_mb * 1024 * 1024
        files = []
        for path in self.cache.glob("*/*.png"):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue  # removed by another process meanwhile
            files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files, key=lambda f: f[0]):
            if total <= limit:
                break
            path.unlink(missing_ok=True)
            total -= size


def draw_highlight(image: Image, boxes: Sequence[QuoteBox]) -> Image:
    """`image` with each box marked as with a highlighter pen (the ink stays dark) and
    outlined, and a bar in the margin beside them, so the quote is found at a glance on a
    page shown small."""
    from PIL import Image as PILImage
    from PIL import ImageChops, ImageDraw

    width, height = image.size
    pad = max(2, round(width * 0.002))
    rects = [
        (b.x0 * width - pad, b.y0 * height - pad, b.x1 * width + pad, b.y1 * height + pad)
        for b in boxes
    ]
    pen = PILImage.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(pen)
    for rect in rects:
        draw.rectangle(rect, fill=HIGHLIGHT)
    marked = ImageChops.multiply(image.convert("RGB"), pen)
    draw = ImageDraw.Draw(marked)
    for rect in rects:
        draw.rectangle(rect, outline=OUTLINE, width=max(1, pad // 2))
    top, bottom = min(r[1] for r in rects), max(r[3] for r in rects)
    left = min(r[0] for r in rects)
    bar = max(3, round(width * 0.006))
    x = max(0, min(round(width * 0.012), round(left) - 4 * bar))
    draw.rectangle((x, top, x + bar, bottom), fill=OUTLINE)
    return marked


def boxes_json(placement: Placement | None) -> dict[str, Any]:
    """A citation's boxes for `ask --json` and the API: `boxes` (one per line of the quote,
    fractions of the page, origin top left) and `boxes_notice` when it could not be placed."""
    if placement is None:
        return {"boxes": [], "boxes_notice": ""}
    return {
        "boxes": [
            {
                "page": b.page,
                "x0": round(b.x0, 4),
                "y0": round(b.y0, 4),
                "x1": round(b.x1, 4),
                "y1": round(b.y1, 4),
            }
            for b in placement.boxes
        ],
        "boxes_notice": placement.notice,
    }


def with_boxes(
    answer_json: dict[str, Any], view: PageView, citations: Sequence[Citation]
) -> dict[str, Any]:
    """The `ask --json` object with each citation's boxes on its page."""
    placements = view.placements(citations)
    for item in answer_json.get("citations", []):
        item.update(boxes_json(placements.get(item["n"])))
    return answer_json
