"""A deterministic benchmark corpus of real text, grown to a target number of chunks.

The text is PolicyQA's privacy-policy passages and the SEC filings in `../shared/eval`
when that folder is present, else the demo case in `seeds/`. Paragraphs are drawn with a
seeded generator, their sentences reordered and each paragraph numbered, so every
document is different text: Casefile's "never embed the same chunk twice" cache must not
make the benchmark look faster than real documents would.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
POLICYQA = SHARED / "policyqa_dev" / "dev.json"
PDFS = SHARED / "pdfs"
COURT_PDFS = SHARED / "court_dev" / "corpus"
COURT_DEV2 = SHARED / "court_dev2" / "corpus"

CHARS_PER_CHUNK = 580  # Casefile's 700-character chunks advance about this much
DOCUMENT_CHARS = 24_000  # about a 10-page filing


@dataclass(frozen=True)
class Corpus:
    folder: Path
    files: list[Path]
    chars: int
    source: str


def source_paragraphs() -> tuple[list[str], str]:
    """Real paragraphs to build from, and where they came from."""
    paragraphs: list[str] = []
    sources = []
    if POLICYQA.exists():
        data = json.loads(POLICYQA.read_text(encoding="utf-8"))["data"]
        paragraphs += [p["context"] for article in data for p in article["paragraphs"]]
        sources.append("PolicyQA dev passages")
    if PDFS.is_dir():
        from pypdf import PdfReader

        for pdf in sorted(PDFS.glob("*.pdf")):
            for page in PdfReader(pdf).pages:
                text = page.extract_text() or ""
                paragraphs += [p for p in re.split(r"\n\s*\n", text) if len(p) > 200]
        sources.append("SEC filings in ../shared/eval/pdfs")
    if not paragraphs:
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            paragraphs += [
                line for line in seed.read_text(encoding="utf-8").splitlines() if len(line) > 80
            ]
        sources.append("the demo case in seeds/ (../shared absent)")
    return [" ".join(p.split()) for p in paragraphs], ", ".join(sources)


def build_corpus(folder: Path, chunks: int, seed: int = 7) -> Corpus:
    """Write text files totalling about `chunks` Casefile chunks into `folder` (reused if there)."""
    marker = folder / ".complete"
    paragraphs, source = source_paragraphs()
    if marker.exists():
        files = sorted(folder.glob("*.txt"))
        return Corpus(folder, files, int(marker.read_text()), source)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    target = chunks * CHARS_PER_CHUNK
    written = 0
    files: list[Path] = []
    while written < target:
        number = len(files) + 1
        parts = [f"Exhibit {number}: benchmark document {number}."]
        size = len(parts[0])
        while size < min(DOCUMENT_CHARS, target - written):
            sentences = re.split(r"(?<=[.!?])\s+", rng.choice(paragraphs))
            rng.shuffle(sentences)
            paragraph = f"{number}.{len(parts)}. " + " ".join(sentences)
            parts.append(paragraph)
            size += len(paragraph) + 2
        path = folder / f"doc-{number:05d}.txt"
        path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
        files.append(path)
        written += size
    marker.write_text(str(written))
    return Corpus(folder, files, written, source)


def questions(limit: int, seed: int = 11) -> list[str]:
    """Questions to time queries with: PolicyQA's when present, else the demo set's."""
    if POLICYQA.exists():
        data = json.loads(POLICYQA.read_text(encoding="utf-8"))["data"]
        pool = [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]
    else:
        lines = (
            (ROOT / "examples" / "seed_questions.jsonl").read_text(encoding="utf-8").splitlines()
        )
        pool = [json.loads(line)["question"] for line in lines]
    rng = random.Random(seed)
    return [rng.choice(pool) for _ in range(limit)]


def pdf_files() -> tuple[list[Path], list[Path]]:
    """(text PDFs, scanned PDFs) of ../shared/eval: the SEC filings and the court records.
    A PDF is scanned when its first page has no text layer."""
    import pypdfium2 as pdfium

    text, scanned = [], []
    for path in sorted([*PDFS.glob("*.pdf"), *COURT_PDFS.glob("*.pdf")]):
        pdf = pdfium.PdfDocument(path.read_bytes())
        try:
            layer = pdf[0].get_textpage().get_text_range().strip()
        finally:
            pdf.close()
        (text if layer else scanned).append(path)
    return text, scanned


def ingested_alone(document: Path, home: Path, case: str) -> tuple[Any, str]:
    """`document` ingested on its own into a fresh case under `home`: the case's store and
    the document's id. Raises with the reason when it could not be read."""
    from casefile.kernel.settings import Settings
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    settings = Settings(home=home)
    store = open_case(settings, case)
    report = ingest_paths([document], store, settings.ingest)
    if report.failed:
        raise RuntimeError(f"{document.name}: {report.failed[0].reason}")
    return store, report.outcomes[0].doc_id
