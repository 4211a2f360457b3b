"""Hundreds of damaged PDF, DOCX and HTML files through one ingest: each file is either
stored or named with its reason; the batch never stops and the case stays consistent."""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from casefile.kernel.settings import IngestSettings
from ingest.pipeline import ingest_paths
from tests.documents import HTML_ARTICLE, write_docx, write_pdf

pytestmark = pytest.mark.integration

FILES_PER_FORMAT = 100
PROSE = [
    "The motion to quash is denied. The deposition transcript shall be produced by March 3.",
    "Plaintiffs seek damages of $400,000 for breach of contract.",
    None,  # a page without text, as a scan has
    "SO ORDERED. Dated: 8/23/05. United States District Judge.",
]


def _originals(folder: Path) -> dict[str, bytes]:
    pdf = write_pdf(folder / "o.pdf", PROSE, title="Order")
    docx = write_docx(folder / "o.docx", [p for p in PROSE if p], title="Letter")
    return {".pdf": pdf.read_bytes(), ".docx": docx.read_bytes(), ".html": HTML_ARTICLE.encode()}


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One of the damages files suffer: flipped bytes, a cut, a repeated or missing stretch."""
    buffer = bytearray(data)
    kind = rng.randrange(6)
    if kind == 0:
        for _ in range(rng.randint(1, 40)):
            buffer[rng.randrange(len(buffer))] = rng.randrange(256)
    elif kind == 1:
        del buffer[rng.randrange(1, len(buffer)) :]
    elif kind == 2:
        start = rng.randrange(len(buffer))
        buffer[start:start] = buffer[start : start + rng.randint(1, 2000)] * rng.randint(1, 5)
    elif kind == 3:
        start = rng.randrange(len(buffer))
        del buffer[start : start + rng.randint(1, 500)]
    elif kind == 4:
        start = rng.randrange(len(buffer))
        buffer[start:start] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    else:
        buffer = bytearray(rng.randbytes(rng.randint(0, 3000)))
    return bytes(buffer)


def _mutate_docx_xml(data: bytes, rng: random.Random) -> bytes:
    """A DOCX that is a valid zip around damaged XML, which byte flips rarely reach."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml" or rng.random() < 0.1:
                content = _mutate(content, rng)
            target.writestr(item, content)
    return out.getvalue()


def test_damaged_files_are_ingested_or_named_with_their_reason(tmp_path, store):
    rng = random.Random(20261129)
    originals = _originals(tmp_path)
    folder = tmp_path / "damaged"
    folder.mkdir()
    for suffix, data in originals.items():
        for n in range(FILES_PER_FORMAT):
            damaged = (
                _mutate_docx_xml(data, rng) if suffix == ".docx" and n % 2 else _mutate(data, rng)
            )
            (folder / f"{suffix[1:]}-{n:03d}{suffix}").write_bytes(damaged)

    report = ingest_paths([folder], store, IngestSettings())

    assert len(report.outcomes) == 3 * FILES_PER_FORMAT
    for outcome in report.outcomes:
        assert outcome.status in ("added", "unchanged", "failed"), outcome
        if outcome.status == "failed":
            assert outcome.reason and not outcome.reason.startswith("unexpected error"), outcome
    # Every stored document is complete, and its chunks are all there, once.
    records = store.records(include_incomplete=True)
    assert all(r.complete for r in records)
    assert store.chunk_count() == sum(r.chunk_count for r in records)
    stored = {o.doc_id for o in report.outcomes if o.status in ("added", "unchanged")}
    assert stored == {r.doc_id for r in records}
    assert report.count("added") > 0 and report.count("failed") > 0
    _record(report)


def _record(report) -> None:  # type: ignore[no-untyped-def]
    """What happened to the damaged files, per format and reason (for BENCHMARKS.md)."""
    summary: dict[str, Counter[str]] = {}
    for outcome in report.outcomes:
        kind = Path(outcome.path).suffix
        reason = outcome.reason.split(":")[0].split("(")[0].strip() if outcome.reason else ""
        summary.setdefault(kind, Counter())[f"{outcome.status} {reason}".strip()] += 1
    out = Path(__file__).resolve().parents[2] / "artifacts" / "fuzz.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({k: dict(v) for k, v in summary.items()}, indent=1))
