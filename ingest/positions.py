"""Where each word of a document stands on its page, kept at ingest beside the document so
that a quote can be shown on the page without reading (or OCR-ing) the file again.

Stored as JSON under the name `positions`, one entry per page:
`[page, first start, last end, words]`, where `words` is base64 of little-endian records
of (start minus the previous word's start: uint32, length: uint16, x0, y0, x1, y1: uint16
in 1/65535 of the page's width or height). About 19 bytes a word, 5-8 kB for a dense page;
a page is decoded only when a quote on it is shown.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Sequence
from functools import cached_property

import numpy as np

from casefile.kernel.records import WordBox, WordBoxes

POSITIONS = "positions"  # the name the word positions are stored under beside a document
VERSION = 1
_RECORD = struct.Struct("<IHHHHH")
_SCALE = 65535
# A page's words as `_RECORD` packs each, made at once.
_PACKED = np.dtype(
    [
        ("delta", "<u4"),
        ("length", "<u2"),
        ("x0", "<u2"),
        ("y0", "<u2"),
        ("x1", "<u2"),
        ("y1", "<u2"),
    ]
)


def positions_json(words: Sequence[WordBox]) -> str:
    """The word boxes of a document, packed page by page (a long filing has hundreds of
    thousands of words: packed as arrays a page at a time, never as one table of them all,
    which held ~100 MB for a moment on a 1,518-page filing)."""
    if not words:
        return json.dumps({"v": VERSION, "pages": []}, separators=(",", ":"))
    boxes = words if isinstance(words, WordBoxes) else WordBoxes.of(words)
    page, start, end, *corners = (np.asarray(column) for column in boxes.columns)
    order = np.lexsort((start, page))  # by page, then start; ties kept
    page = page[order]
    cuts = np.flatnonzero(np.diff(page)) + 1
    pages = []
    for first, last in zip([0, *cuts], [*cuts, len(order)], strict=True):
        rows = order[first:last]
        starts = start[rows].astype(np.int64)
        ends = end[rows].astype(np.int64)
        records = np.empty(len(rows), dtype=_PACKED)
        records["delta"] = np.diff(starts, prepend=0)  # from the page's start: 0
        records["length"] = np.minimum(ends - starts, 0xFFFF)
        for field, column in zip(("x0", "y0", "x1", "y1"), corners, strict=True):
            # Fractions of the page in 1/65535, clamped (a missing coordinate is 0), rounded
            # half to even as Python's round() does.
            values = np.nan_to_num(column[rows].astype(np.float64), nan=0.0)
            records[field] = np.rint(np.clip(values, 0.0, 1.0) * _SCALE)
        pages.append(
            [
                int(page[first]),
                int(starts[0]),
                int(ends.max()),
                base64.b64encode(records.tobytes()).decode(),
            ]
        )
    return json.dumps({"v": VERSION, "pages": pages}, separators=(",", ":"))


class Positions:
    """The stored word boxes of one document, decoded a page at a time."""

    def __init__(self, pages: Sequence[Sequence[object]]) -> None:
        self._packed = {int(p[0]): (int(p[1]), int(p[2]), str(p[3])) for p in pages}  # type: ignore[call-overload]
        self._decoded: dict[int, tuple[WordBox, ...]] = {}

    @classmethod
    def from_json(cls, data: str) -> Positions:
        raw = json.loads(data)
        if raw.get("v") != VERSION:
            raise ValueError(f"word positions of version {raw.get('v')!r}, not {VERSION}")
        return cls(raw["pages"])

    @cached_property
    def pages(self) -> tuple[int, ...]:
        """The pages that have word positions."""
        return tuple(sorted(self._packed))

    def on_page(self, page: int) -> tuple[WordBox, ...]:
        """Every word of `page` that made it into the text, in text order."""
        if page not in self._decoded:
            self._decoded[page] = self._decode(page)
        return self._decoded[page]

    def _decode(self, page: int) -> tuple[WordBox, ...]:
        if page not in self._packed:
            return ()
        _, _, packed = self._packed[page]
        words = []
        start = 0
        for delta, length, x0, y0, x1, y1 in _RECORD.iter_unpack(base64.b64decode(packed)):
            start += delta
            words.append(
                WordBox(
                    page,
                    start,
                    start + length,
                    x0 / _SCALE,
                    y0 / _SCALE,
                    x1 / _SCALE,
                    y1 / _SCALE,
                )
            )
        return tuple(words)

    def overlapping(self, start: int, end: int) -> list[WordBox]:
        """The words with some of their characters in `text[start:end]`, in text order; only
        the pages whose words reach into that stretch are decoded."""
        found = [
            word
            for page, (first, last, _) in sorted(self._packed.items())
            if first < end and start < last
            for word in self.on_page(page)
            if word.start < end and start < word.end
        ]
        return sorted(found, key=lambda w: w.start)
