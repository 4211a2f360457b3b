"""A case of about N chunks of real text, ingested once (resumably), then the figures a
newsroom at that size would feel, each in a process of its own:

    python -m bench.scale --chunks 500000          # make bench-scale
    python -m bench.scale --chunks 10000 --home /tmp/scale

- ingest: whole-process wall time, chunks/s, peak RSS; interrupted and run again, it goes on
  where it stopped (unchanged files cost a hash) with a progress bar and an ETA;
- cold `casefile ask`: a new process from start to answer;
- retrieval p50 / p95 and the extractive answer p50 / p95 over questions, first one apart;
- removing one document (and adding it back);
- peak RSS of the asking process.

The corpus: CUAD's contracts, SQuAD's Wikipedia paragraphs, PolicyQA's passages and the SEC
and court PDFs of ../shared, cut into documents of about 60,000 characters; past the real
text, documents are made of real sentences drawn (seeded) from several sources, so that no
chunk repeats. Figures go to `<out>/scale-<chunks>.json`; BENCHMARKS.md keeps the table.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.corpus import ROOT, SHARED, questions, source_paragraphs

QA = ROOT.parent / "shared" / "data" / "qa"
CASE = "scale"
DOCUMENT_CHARS = 60_000
CHARS_PER_CHUNK = 580  # Casefile's 700-character chunks advance about this much


def real_texts() -> Iterator[tuple[str, str]]:
    """(name, text) of the real documents the corpus starts from."""
    cuad = QA / "CUAD_v1_rebuilt.json.xz"
    if cuad.exists():
        for number, article in enumerate(_read_xz(cuad)):
            for paragraph in article["paragraphs"][:1]:
                yield f"contract-{number:04d}", paragraph["context"]
    squad = QA / "train-v1.1.json.xz"
    if squad.exists():
        for number, article in enumerate(_read_xz(squad)):
            text = "\n\n".join(p["context"] for p in article["paragraphs"])
            yield f"article-{number:04d}", text
    paragraphs, _ = source_paragraphs()  # PolicyQA passages and the SEC filings
    for start in range(0, len(paragraphs), 40):
        yield f"filing-{start // 40:04d}", "\n\n".join(paragraphs[start : start + 40])
    for pdf in sorted(SHARED.glob("court_dev*/corpus/*.pdf")):
        from pypdf import PdfReader

        yield (
            f"court-{pdf.stem[:40]}",
            "\n\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages),
        )


def _read_xz(path: Path) -> list[dict[str, Any]]:
    with lzma.open(path) as data:
        return list(json.loads(data.read())["data"])


def build_corpus(folder: Path, chunks: int, seed: int = 20261130) -> list[Path]:
    """Text files totalling about `chunks` chunks in `folder`, made once and reused."""
    marker = folder / f".complete-{chunks}"
    if marker.exists():
        return sorted(folder.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    target = chunks * CHARS_PER_CHUNK
    written, files, sentences = 0, [], []
    for name, text in real_texts():
        for part, start in enumerate(range(0, len(text), DOCUMENT_CHARS)):
            if written >= target:
                break
            piece = text[start : start + DOCUMENT_CHARS]
            files.append(_write(folder / f"{name}-{part}.txt", piece))
            written += len(piece)
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", text) if 40 < len(s) < 600]
    rng = random.Random(seed)
    number = 0
    while written < target and sentences:
        number += 1
        parts, size = [], 0
        while size < DOCUMENT_CHARS:
            paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 8)))
            parts.append(paragraph)
            size += len(paragraph) + 2
        files.append(_write(folder / f"mixed-{number:06d}.txt", "\n\n".join(parts)))
        written += size
    marker.write_text(str(written))
    return files


def _write(path: Path, text: str) -> Path:
    if not path.exists():
        path.write_text(text + "\n", encoding="utf-8")
    return path


def ingest(home: Path, corpus: Path) -> dict[str, Any]:
    """Ingest the corpus with a progress bar and an ETA; only what is not yet stored."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from casefile.kernel.settings import Settings
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    settings = Settings(home=home)
    store = open_case(settings, CASE)
    files = sorted(corpus.glob("*.txt"))
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("ingest", total=len(files))
        report = ingest_paths(
            files, store, settings.ingest, on_file=lambda _: progress.advance(task)
        )
    seconds = time.perf_counter() - started
    return {
        "files": len(files),
        "added": report.count("added"),
        "failed": report.failed,
        "chunks_written": report.chunks_written,
        "ingest_s": seconds,
        "chunks_per_s": report.chunks_written / seconds if report.chunks_written else None,
        "case_chunks": store.chunk_count(),
        "peak_mb": _peak_mb(),
    }


def ask(home: Path, n_questions: int) -> dict[str, Any]:
    """Retrieval and answers over `n_questions`, and one document removed and added back."""
    from assistant import CaseAssistant
    from casefile.kernel.settings import Settings
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    settings = Settings(home=home)
    store = open_case(settings, CASE, create=False)
    assistant = CaseAssistant(store, settings)
    asked = questions(n_questions + 1)
    started = time.perf_counter()
    assistant.ask(asked[0], model="extractive")
    first_s = time.perf_counter() - started
    retrieve, answer = [], []
    for question in asked[1:]:
        started = time.perf_counter()
        assistant.retriever.retrieve(question)
        retrieve.append(time.perf_counter() - started)
    for question in asked[1 : 1 + n_questions // 2]:
        started = time.perf_counter()
        assistant.ask(question, model="extractive")
        answer.append(time.perf_counter() - started)
    record = store.records()[len(store.records()) // 2]
    started = time.perf_counter()
    store.delete_document(record.doc_id)
    remove_s = time.perf_counter() - started
    ingest_paths([Path(record.source)], store, settings.ingest)
    return {
        "first_question_s": first_s,
        "retrieve": _percentiles(retrieve),
        "answer": _percentiles(answer),
        "remove_one_s": remove_s,
        "peak_mb": _peak_mb(),
    }


def cold_ask(home: Path) -> dict[str, Any]:
    """`casefile ask` in a new process, start to answer."""
    env = {**os.environ, "CASEFILE_HOME": str(home), "CASEFILE_CASE": CASE, "HF_HUB_OFFLINE": "1"}
    question = questions(1, seed=3)[0]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "casefile.cli", "ask", question],
        env=env,
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"cold_ask_s": seconds, "peak_mb": child}


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}
    at = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": at(0.5) * 1000, "p95_ms": at(0.95) * 1000, "n": len(ordered)}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(step: str, *args: str) -> dict[str, Any]:
    """Run one step in a process of its own; its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--step", step, *args],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=500_000)
    parser.add_argument("--home", type=Path, help="default: artifacts/scale/home-<chunks>")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "scale")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    home = args.home or args.out / f"home-{args.chunks}"
    if args.step:
        step = {
            "ingest": lambda: ingest(home, home / "corpus"),
            "ask": lambda: ask(home, args.questions),
            "cold": lambda: cold_ask(home),
        }[args.step]
        print(json.dumps(step()))
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    files = build_corpus(home / "corpus", args.chunks)
    print(f"corpus: {len(files)} files in {home / 'corpus'}", file=sys.stderr)
    common = ["--chunks", str(args.chunks), "--home", str(home)]
    result = {"chunks_target": args.chunks, "ingest": _child("ingest", *common)}
    result["cold"] = _child("cold", *common)
    result["ask"] = _child("ask", *common, "--questions", str(args.questions))
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"scale-{args.chunks}.json"
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
