"""OCR of page images with Tesseract (Debian's `tesseract-ocr`, through pytesseract).

Chosen by measurement (README: "OCR"): on the scanned court page of court_dev, Tesseract
5.3 with page segmentation mode 4 at the scan's own resolution misread 0.2% of characters
in about 2 s a page; RapidOCR's ONNX models 0.8-2% (and whole lines of gibberish at some
resolutions) in 6-12 s and 600-800 MB. Tesseract's own threads fight over two cores (ten
times slower), so it runs with one thread.
"""

from __future__ import annotations

import functools
import os
import shutil
from typing import TYPE_CHECKING

from casefile.kernel.errors import OcrUnavailable
from ingest.layout import Box, Line

if TYPE_CHECKING:
    from PIL.Image import Image

# Pages are rendered at the resolution they were scanned at, within these bounds.
MIN_DPI = 100
MAX_DPI = 300
# Words read with less confidence than this (0-100) are left out: specks, seals, rules.
MIN_CONFIDENCE = 30


@functools.cache
def tesseract_command() -> str:
    """The tesseract executable, or OcrUnavailable saying how to install it."""
    found = shutil.which("tesseract")
    if found is None:
        raise OcrUnavailable(
            "this page has no text layer and OCR needs Tesseract: "
            "apt-get install tesseract-ocr (or turn OCR off: CASEFILE_INGEST_OCR=false)"
        )
    return found


def ocr_lines(image: Image, dpi: int) -> list[Line]:
    """The lines Tesseract reads in `image` (a page rendered at `dpi`), with word boxes in
    the page's points, origin top left, so they go through the same layout as text PDFs."""
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = tesseract_command()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    data = pytesseract.image_to_data(
        # psm 4 (one column of text of varying sizes) keeps a caption's rows whole, where
        # psm 3 dropped its ")" column; measured on court_dev's scan and synthetic pages.
        image,
        lang="eng",
        config=f"--psm 4 --dpi {dpi}",
        output_type=pytesseract.Output.DICT,
    )
    scale = 72.0 / dpi
    grouped: dict[tuple[int, int, int], list[tuple[str, Box]]] = {}
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word or float(data["conf"][i]) < MIN_CONFIDENCE:
            continue
        left, top = data["left"][i] * scale, data["top"][i] * scale
        box = Box(left, top, left + data["width"][i] * scale, top + data["height"][i] * scale)
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        grouped.setdefault(key, []).append((word, box))
    lines = []
    for words in grouped.values():
        text = ""
        chars: list[Box | None] = []
        for word, box in words:
            if text:
                text += " "
                chars.append(None)
            text += word
            chars.extend([box] * len(word))  # one box per character: the word's
        box = Box(
            min(b.x0 for _, b in words),
            min(b.top for _, b in words),
            max(b.x1 for _, b in words),
            max(b.bottom for _, b in words),
        )
        lines.append(Line(text, box, tuple(chars)))
    return lines
