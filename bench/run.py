"""Casefile against the textbook LangChain pipeline, side by side on this machine.

    python -m bench.run            # 1k, 10k and 50k chunks; the reference at 1k and 10k
    python -m bench.run --quick    # 1k chunks only, a smaller quality check: a few minutes

Every measurement runs in its own process, so peak memory is that measurement's alone and
no model or index is shared between them. The table is printed and written, with the raw
figures, to artifacts/bench/.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from bench.corpus import ROOT, build_corpus, questions  # noqa: E402

OUT = ROOT / "artifacts" / "bench"
CASE = "bench"


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the measurements, each run in a child process ---------------------------------------


def measure_casefile(corpus: Path, home: Path, n_questions: int, local: bool) -> dict[str, Any]:
    from assistant import CaseAssistant
    from casefile.kernel.settings import Settings
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    settings = Settings(home=home)
    store = open_case(settings, CASE)
    store.embeddings.embed_query("warm up")  # model load is cold start, timed separately
    started = time.perf_counter()
    first = ingest_paths([corpus], store, settings.ingest)
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    again = ingest_paths([corpus], store, settings.ingest)
    reingest_s = time.perf_counter() - started
    assert again.count("unchanged") == len(again.outcomes), "re-ingest changed something"

    assistant = CaseAssistant(store, settings)
    started = time.perf_counter()
    assistant.reading.reader.warm_up()  # the span reader's ONNX session, loaded once
    reader_load_s = time.perf_counter() - started
    asked = questions(n_questions + 1)
    started = time.perf_counter()
    assistant.retriever.retrieve(asked[0])  # builds the keyword index once
    first_query_s = time.perf_counter() - started
    retrieve, extractive = [], []
    for question in asked[1:]:
        started = time.perf_counter()
        assistant.retriever.retrieve(question)
        retrieve.append(time.perf_counter() - started)
    for question in asked[1:]:
        started = time.perf_counter()
        assistant.ask(question, model="extractive")
        extractive.append(time.perf_counter() - started)
    result = {
        "chunks": first.chunks_written,
        "chunks_embedded": first.chunks_embedded,
        "ingest_s": ingest_s,
        "reingest_s": reingest_s,
        "first_query_s": first_query_s,
        "reader_load_s": reader_load_s,
        "retrieve": _percentiles(retrieve),
        "extractive": _percentiles(extractive),
    }
    if local:
        assistant.ask(asked[1], model="local")  # loads the model
        first_token, total = [], []
        for question in asked[1:]:  # only questions the model is asked to answer count
            started = time.perf_counter()
            seen = None
            for event in assistant.stream(question, model="local"):
                if seen is None and isinstance(event, str):
                    seen = time.perf_counter() - started
            if seen is not None:
                first_token.append(seen)
                total.append(time.perf_counter() - started)
            if len(total) == 5:
                break
        if total:
            result["local_first_token"] = _percentiles(first_token)
            result["local_total"] = _percentiles(total)
    result["peak_mb"] = _peak_mb()
    return result


def measure_reference(corpus: Path, home: Path, n_questions: int) -> dict[str, Any]:
    """RecursiveCharacterTextSplitter(1000, 200) + HuggingFaceEmbeddings + Chroma.from_documents."""
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from vectorstore.embeddings import bundled_model_path

    embeddings = HuggingFaceEmbeddings(
        model_name=str(bundled_model_path()), model_kwargs={"device": "cpu"}
    )
    embeddings.embed_query("warm up")
    started = time.perf_counter()
    docs = [
        Document(page_content=path.read_text(encoding="utf-8"), metadata={"source": str(path)})
        for path in sorted(corpus.glob("*.txt"))
    ]
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(
        docs
    )
    db = Chroma.from_documents(
        splits,
        embeddings,
        persist_directory=str(home / "reference-chroma"),
        client_settings=ChromaSettings(anonymized_telemetry=False),
    )
    ingest_s = time.perf_counter() - started
    latencies = []
    for question in questions(n_questions + 1)[1:]:
        started = time.perf_counter()
        db.similarity_search(question, k=5)
        latencies.append(time.perf_counter() - started)
    return {
        "chunks": len(splits),
        "ingest_s": ingest_s,
        "retrieve": _percentiles(latencies),
        "peak_mb": _peak_mb(),
    }


def measure_pdfs(home: Path, rounds: int) -> dict[str, Any]:
    """Ingest of the text PDFs of ../shared/eval end to end (read, lay out, chunk, embed,
    store) in fresh cases, best of `rounds`; and OCR of the scanned ones."""
    from bench.corpus import pdf_files
    from casefile.kernel.settings import Settings
    from ingest.loaders import LoadOptions, parse_document
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    text_pdfs, scanned = pdf_files()
    pages = sum(_page_count(path) for path in text_pdfs)
    settings = Settings(home=home)
    without_desk = settings.ingest.model_copy(update={"desk": False})
    best = {True: float("inf"), False: float("inf")}
    # With and without the desk in turns, so both meet the machine in the same state.
    for round_, desk in itertools.product(range(rounds), (True, False)):
        store = open_case(settings, f"pdf-{round_}-{int(desk)}")
        store.embeddings.embed_query("warm up")
        started = time.perf_counter()
        report = ingest_paths(text_pdfs, store, settings.ingest if desk else without_desk)
        best[desk] = min(best[desk], time.perf_counter() - started)
        assert report.count("added") == len(text_pdfs), report.failed
    started = time.perf_counter()
    parsed_pdfs = [parse_document(path, path.read_bytes()) for path in text_pdfs]
    read_s = time.perf_counter() - started
    desk_s = _desk_seconds(parsed_pdfs, rounds)
    ocr_pages, ocr_s = 0, 0.0
    for path in scanned:
        started = time.perf_counter()
        parsed = parse_document(path, path.read_bytes(), LoadOptions(ocr=True))
        ocr_s += time.perf_counter() - started
        ocr_pages += len(parsed.ocr_pages)
    return {
        "files": len(text_pdfs),
        "pages": pages,
        "ingest_s": best[True],
        "ingest_without_desk_s": best[False],
        "read_s": read_s,
        "desk_s": desk_s,
        "ocr_pages": ocr_pages,
        "ocr_s": ocr_s,
        "peak_mb": _peak_mb(),
    }


def _desk_seconds(parsed: list[Any], rounds: int) -> float:
    """The reporter's desk alone (quotations, people, roles, dates) on already-read documents,
    best of `rounds`, its models loaded beforehand as a running ingest has them."""
    from ingest.desk import read_desk
    from ingest.nlp import pipeline

    pipeline()
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for document in parsed:
            read_desk("bench", document.text, None)
        best = min(best, time.perf_counter() - started)
    return best


def measure_pdf_reference(home: Path, rounds: int) -> dict[str, Any]:
    """The textbook pipeline on the same PDFs: pypdf page by page (what LangChain's
    PyPDFLoader does), RecursiveCharacterTextSplitter(1000, 200), HuggingFaceEmbeddings,
    Chroma.from_documents."""
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from pypdf import PdfReader

    from bench.corpus import pdf_files
    from vectorstore.embeddings import bundled_model_path

    text_pdfs, _ = pdf_files()
    embeddings = HuggingFaceEmbeddings(
        model_name=str(bundled_model_path()), model_kwargs={"device": "cpu"}
    )
    embeddings.embed_query("warm up")
    best, pages = float("inf"), 0
    for round_ in range(rounds):
        started = time.perf_counter()
        docs = [
            Document(page_content=page.extract_text() or "", metadata={"source": str(p), "page": i})
            for p in text_pdfs
            for i, page in enumerate(PdfReader(p).pages)
        ]
        pages = len(docs)
        splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(
            docs
        )
        Chroma.from_documents(
            splits,
            embeddings,
            persist_directory=str(home / f"reference-pdf-{round_}"),
            client_settings=ChromaSettings(anonymized_telemetry=False),
        )
        best = min(best, time.perf_counter() - started)
    return {"pages": pages, "ingest_s": best, "peak_mb": _peak_mb()}


def _page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        return len(pdf)
    finally:
        pdf.close()


def measure_server(home: Path, port: int, n_questions: int) -> dict[str, Any]:
    """Retrieval through a `chroma run` server holding the same case."""
    from assistant import CaseAssistant
    from casefile.kernel.settings import ChromaSettings, Settings

    settings = Settings(home=home, chroma=ChromaSettings(host="127.0.0.1", port=port))
    assistant = CaseAssistant.open(settings, CASE)
    asked = questions(n_questions + 1)
    started = time.perf_counter()
    assistant.retriever.retrieve(asked[0])
    first_query_s = time.perf_counter() - started
    latencies = []
    for question in asked[1:]:
        started = time.perf_counter()
        assistant.retriever.retrieve(question)
        latencies.append(time.perf_counter() - started)
    return {"first_query_s": first_query_s, "retrieve": _percentiles(latencies)}


def measure_quality(home: Path, backend: str, policyqa_limit: int | None) -> dict[str, Any]:
    """hit@5 of retrieval alone on the demo set and on PolicyQA dev, with one embedder backend."""
    from assistant.retrieval import HybridRetriever
    from bench.corpus import POLICYQA
    from casefile.evaluation.metrics import retrieval_metrics
    from casefile.evaluation.questions import load_questions
    from casefile.evaluation.runner import CaseTexts, resolve_evidence
    from casefile.evaluation.squad import convert_squad
    from casefile.kernel.settings import EmbeddingSettings, Settings
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    settings = Settings(home=home, embedding=EmbeddingSettings(backend=backend))
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    sets = [("demo set", seeds, ROOT / "examples" / "seed_questions.jsonl", None)]
    if POLICYQA.exists():
        converted = convert_squad(POLICYQA, home / "policyqa")
        sets.append(("PolicyQA dev", [converted.documents], converted.questions, policyqa_limit))
    result = {}
    for name, documents, question_file, limit in sets:
        store = open_case(settings, name.split()[0].lower())
        ingest_paths(documents, store, settings.ingest)
        retriever = HybridRetriever(store=store, k=5)
        texts = CaseTexts(store)
        hits = []
        for question in load_questions(question_file).questions[:limit]:
            gold, _ = resolve_evidence(store, question, texts)
            if not gold:
                continue
            passages = retriever.retrieve(
                question.question, docs=[question.doc] if question.doc else None
            )
            spans = [(p.doc_id, p.start, p.end) for p in passages]
            hits.append(retrieval_metrics(spans, gold)["hit"])
        result[name] = {"questions": len(hits), "hit_at_5": sum(hits) / len(hits)}
    return result


# -- orchestration ------------------------------------------------------------------------


def _child(kind: str, *args: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    command = [sys.executable, "-m", "bench.run", "--child", kind, *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _timed_command(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=True, cwd=ROOT)
    return time.perf_counter() - started


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _with_server(home: Path, n_questions: int) -> dict[str, Any]:
    import httpx

    executable = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    server = subprocess.Popen(
        [
            executable,
            "run",
            "--path",
            str(home / "chroma"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code
                    == 200
                ):
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        return _child("server", str(home), str(port), str(n_questions))
    finally:
        server.terminate()
        server.wait(timeout=20)


def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = args.sizes or ([1000] if args.quick else [1000, 10_000, 50_000])
    reference_sizes = [s for s in sizes if s <= (1000 if args.quick else 10_000)]
    n_questions = 30 if args.quick else 100
    work = Path(args.work or tempfile.mkdtemp(prefix="casefile-bench-"))
    results: dict[str, Any] = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "command": " ".join(["python -m bench.run", *(["--quick"] if args.quick else [])]),
        "sizes": {},
    }
    # The ONNX export is made once per installation (it loads torch), not per measurement.
    _child("export", str(work / "models"))
    for size in sizes:
        corpus = build_corpus(work / f"corpus-{size}", size)
        home = work / f"home-{size}"
        shutil.rmtree(home, ignore_errors=True)
        # The ONNX export is made once per installation, not per run: share it between homes.
        home.mkdir(parents=True)
        (home / "models").symlink_to(work / "models")
        print(f"[{size} chunks] Casefile ingest and queries…", file=sys.stderr, flush=True)
        entry: dict[str, Any] = {"mb": corpus.chars / 1e6, "source": corpus.source}
        entry["casefile"] = _child(
            "casefile", str(corpus.folder), str(home), str(n_questions), str(size == sizes[0])
        )
        if size == sizes[0]:
            env = {**os.environ, "CASEFILE_HOME": str(home), "CASEFILE_CASE": CASE}
            cli = [sys.executable, "-m", "casefile.cli"]
            entry["cold_ask_s"] = _timed_command([*cli, "ask", questions(1)[0]], env)
            entry["help_s"] = _timed_command([*cli, "--help"], env)
            print(f"[{size} chunks] Chroma server…", file=sys.stderr, flush=True)
            entry["server"] = _with_server(home, n_questions)
        if size in reference_sizes:
            print(f"[{size} chunks] LangChain reference…", file=sys.stderr, flush=True)
            entry["reference"] = _child(
                "reference", str(corpus.folder), str(home), str(n_questions)
            )
        results["sizes"][str(size)] = entry
    from bench.corpus import COURT_PDFS, PDFS

    if PDFS.exists() or COURT_PDFS.exists():
        print("PDF ingest, Casefile and the reference…", file=sys.stderr, flush=True)
        pdf_home = work / "home-pdf"
        shutil.rmtree(pdf_home, ignore_errors=True)
        pdf_home.mkdir(parents=True)
        (pdf_home / "models").symlink_to(work / "models")
        rounds = "2" if args.quick else "3"
        results["pdf"] = {
            "casefile": _child("pdf", str(pdf_home), rounds),
            "reference": _child("pdf-reference", str(pdf_home), rounds),
        }
    print("retrieval quality, full precision vs int8…", file=sys.stderr, flush=True)
    limit = "400" if args.quick else "0"
    results["quality"] = {
        backend: _child("quality", str(work / f"quality-{backend}"), backend, limit)
        for backend in ("torch", "onnx-int8")
    }
    return results


def table(results: dict[str, Any]) -> str:
    """One Markdown table: Casefile, the reference, and their ratio where both ran."""
    rows = [["measure", "chunks", "Casefile", "LangChain reference", "ratio"]]
    for size, entry in results["sizes"].items():
        c, r = entry["casefile"], entry.get("reference")
        mb = entry["mb"]
        cps = c["chunks"] / c["ingest_s"]
        ref_cps = r["chunks"] / r["ingest_s"] if r else None
        rows.append(
            [
                "ingest, chunks/s",
                f"{c['chunks']:,}" + (f" (ref {r['chunks']:,})" if r else ""),
                f"{cps:.0f}",
                f"{ref_cps:.0f}" if r else "–",
                f"{cps / ref_cps:.1f}×" if r else "–",
            ]
        )
        rows.append(
            [
                "ingest, MB of text/s",
                size,
                f"{mb / c['ingest_s']:.3f}",
                f"{mb / r['ingest_s']:.3f}" if r else "–",
                f"{r['ingest_s'] / c['ingest_s']:.1f}×" if r else "–",
            ]
        )
        rows.append(
            [
                "re-ingest unchanged, s",
                size,
                f"{c['reingest_s']:.2f} ({c['ingest_s'] / c['reingest_s']:.0f}× faster than first)",
                "–",
                "–",
            ]
        )
        rows.append(
            [
                "retrieval p50 / p95, ms",
                size,
                f"{c['retrieve']['p50_ms']:.1f} / {c['retrieve']['p95_ms']:.1f}",
                f"{r['retrieve']['p50_ms']:.1f} / {r['retrieve']['p95_ms']:.1f}" if r else "–",
                f"{c['retrieve']['p50_ms'] / r['retrieve']['p50_ms']:.1f}×" if r else "–",
            ]
        )
        rows.append(
            [
                "extractive answer (reader: 20 candidates) p50 / p95, ms",
                size,
                f"{c['extractive']['p50_ms']:.0f} / {c['extractive']['p95_ms']:.0f}",
                "–",
                "–",
            ]
        )
        rows.append(
            ["first query (builds keyword index), s", size, f"{c['first_query_s']:.2f}", "–", "–"]
        )
        rows.append(["span reader load, s", size, f"{c['reader_load_s']:.2f}", "–", "–"])
        rows.append(
            [
                "peak memory, MB",
                size,
                f"{c['peak_mb']:.0f}",
                f"{r['peak_mb']:.0f}" if r else "–",
                f"{c['peak_mb'] / r['peak_mb']:.2f}×" if r else "–",
            ]
        )
        if "local_total" in c:
            rows.append(
                [
                    "local model: first token / total p50, ms",
                    size,
                    f"{c['local_first_token']['p50_ms']:.0f} / {c['local_total']['p50_ms']:.0f}",
                    "–",
                    "–",
                ]
            )
        if "cold_ask_s" in entry:
            rows.append(
                [
                    "cold `casefile ask` (process to answer), s",
                    size,
                    f"{entry['cold_ask_s']:.2f}",
                    "–",
                    "–",
                ]
            )
            rows.append(["`casefile --help`, s", size, f"{entry['help_s']:.2f}", "–", "–"])
            s = entry["server"]["retrieve"]
            rows.append(
                [
                    "retrieval via Chroma server p50 / p95, ms",
                    size,
                    f"{s['p50_ms']:.1f} / {s['p95_ms']:.1f} "
                    f"(embedded {c['retrieve']['p50_ms']:.1f})",
                    "–",
                    "–",
                ]
            )
    if "pdf" in results:
        c, r = results["pdf"]["casefile"], results["pdf"]["reference"]
        rate, ref_rate = c["pages"] / c["ingest_s"], r["pages"] / r["ingest_s"]
        rows.append(
            [
                "PDF ingest end to end, pages/s",
                f"{c['pages']} pages, {c['files']} files",
                f"{rate:.1f} (reading alone {c['pages'] / c['read_s']:.0f})",
                f"{ref_rate:.1f}",
                f"{rate / ref_rate:.1f}×",
            ]
        )
        if "ingest_without_desk_s" in c:
            without = c["ingest_without_desk_s"]
            rows.append(
                [
                    "the desk (quotations, people, roles, dates): ingest with / without it, s",
                    f"{c['pages']} pages",
                    f"{c['ingest_s']:.2f} / {without:.2f} (+{c['ingest_s'] / without - 1:.0%}; "
                    f"the desk alone {c['desk_s']:.2f})",
                    "–",
                    "–",
                ]
            )
        if c["ocr_pages"]:
            rows.append(
                [
                    "OCR of scanned pages, s/page",
                    f"{c['ocr_pages']} pages",
                    f"{c['ocr_s'] / c['ocr_pages']:.1f}",
                    "– (refused)",
                    "–",
                ]
            )
    for backend, sets in results["quality"].items():
        for name, q in sets.items():
            rows.append(
                [
                    f"hit@5, {name}, embedder {backend}",
                    f"{q['questions']} questions",
                    f"{q['hit_at_5'] * 100:.1f}%",
                    "–",
                    "–",
                ]
            )
    lines = ["| " + " | ".join(map(str, rows[0])) + " |", "|---" * len(rows[0]) + "|"]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in rows[1:]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1k chunks only: a few minutes")
    parser.add_argument("--work", help="working folder (default: a new temporary one)")
    parser.add_argument(
        "--sizes", type=lambda v: [int(x) for x in v.split(",")], help="e.g. 1000,10000"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "casefile":
            out = measure_casefile(Path(rest[0]), Path(rest[1]), int(rest[2]), rest[3] == "True")
        elif kind == "pdf":
            out = measure_pdfs(Path(rest[0]), int(rest[1]))
        elif kind == "pdf-reference":
            out = measure_pdf_reference(Path(rest[0]), int(rest[1]))
        elif kind == "reference":
            out = measure_reference(Path(rest[0]), Path(rest[1]), int(rest[2]))
        elif kind == "export":
            from casefile.kernel.settings import Settings
            from vectorstore.embeddings import make_embeddings

            settings = Settings()
            make_embeddings(settings.embedding, Path(rest[0]).parent).embed_query("export")
            out = {}
        elif kind == "server":
            out = measure_server(Path(rest[0]), int(rest[1]), int(rest[2]))
        else:
            out = measure_quality(Path(rest[0]), rest[1], int(rest[2]) or None)
        print(json.dumps(out))
        return
    started = time.perf_counter()
    results = run(args)
    results["wall_s"] = time.perf_counter() - started
    markdown = table(results)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "latest.json").write_text(json.dumps(results, indent=2))
    (OUT / "latest.md").write_text(f"{results['machine']}; `{results['command']}`\n\n{markdown}\n")
    print(markdown)
    print(
        f"\n{results['machine']}; {results['wall_s'] / 60:.1f} min; figures in {OUT}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
