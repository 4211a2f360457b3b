"""Retrieval quality, Casefile against the textbook LangChain pipeline, on every question set.

    python -m bench.retrieval                 # every set present; PolicyQA: all questions
    python -m bench.retrieval --policyqa 400  # PolicyQA: the first 400 only

Sets: the demo case (seeds/ + examples/seed_questions.jsonl), and from ../shared/eval when
present: court_dev (nine court records and their questions), the SEC filings (with
bench/questions/sec_filings.jsonl), court_dev2 (ten long court records), finance_dev (four
10-Ks) and PolicyQA dev (each question restricted to its policy).

Both systems get the same files. Casefile's passages are those its answer lists: the span
reader's best k of the 20 candidates it read (so the figures include the reader's
re-ranking). The reference reads them as the textbook does (text as is,
PDFs page by page with pypdf, HTML's visible text), splits with
RecursiveCharacterTextSplitter(1000, 200), embeds with HuggingFaceEmbeddings on the same
bundled model and searches Chroma for the top k. A retrieved passage "finds" a gold
evidence quote when, compared without case, spacing or quote styles, it holds at least half
of the quote in one piece; the same test is applied to both systems. Written to
artifacts/bench/retrieval.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from bench.corpus import COURT_PDFS, PDFS, POLICYQA, ROOT, SHARED  # noqa: E402

OUT = ROOT / "artifacts" / "bench"
COURT_QUESTIONS = COURT_PDFS.parent / "questions.jsonl"
SEC_QUESTIONS = ROOT / "bench" / "questions" / "sec_filings.jsonl"


@dataclass
class QuestionSet:
    name: str
    files: list[Path]
    questions: Path
    limit: int | None = None


@dataclass
class Asked:
    """One question as both systems see it: its text, gold quotes, and its document filter."""

    question: str
    gold: list[str]
    doc: Path | None


def question_sets(policyqa_limit: int | None, work: Path) -> list[QuestionSet]:
    sets = [
        QuestionSet(
            "demo",
            sorted((ROOT / "seeds").glob("*.txt")),
            ROOT / "examples" / "seed_questions.jsonl",
        )
    ]
    if COURT_QUESTIONS.exists():
        sets.append(QuestionSet("court_dev", sorted(COURT_PDFS.iterdir()), COURT_QUESTIONS))
    if PDFS.exists() and SEC_QUESTIONS.exists():
        sets.append(QuestionSet("sec", sorted(PDFS.glob("*.pdf")), SEC_QUESTIONS))
    for name in ("court_dev2", "finance_dev"):  # long records and 10-Ks, evidence by quote
        folder = SHARED / name
        if (folder / "questions.jsonl").exists():
            files = sorted((folder / "corpus").iterdir())
            sets.append(QuestionSet(name, files, folder / "questions.jsonl"))
    if POLICYQA.exists():
        from casefile.evaluation.squad import convert_squad

        converted = convert_squad(POLICYQA, work / "policyqa")
        files = sorted(converted.documents.glob("*.txt"))
        sets.append(QuestionSet("policyqa", files, converted.questions, policyqa_limit))
    return sets


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def finds(passage: str, quote: str) -> bool:
    """Whether `passage` holds at least half of `quote` in one piece."""
    p, q = _normal(passage), _normal(quote)
    if not q:
        return False
    if q in p:
        return True
    match = SequenceMatcher(None, p, q, autojunk=False).find_longest_match(0, len(p), 0, len(q))
    return match.size * 2 >= len(q)


def rank_of(passages: list[str], gold: list[str]) -> int | None:
    return next(
        (i + 1 for i, text in enumerate(passages) if any(finds(text, g) for g in gold)), None
    )


def asked(qs: QuestionSet) -> list[Asked]:
    from casefile.evaluation.questions import load_questions

    loaded = load_questions(qs.questions).questions[: qs.limit]
    by_name = {path.name: path for path in qs.files}
    out = []
    for q in loaded:
        gold = []
        for item in q.evidence:
            if isinstance(item, str):
                gold.append(item)
            elif item.get("quote"):
                gold.append(item["quote"])
            elif "start" in item:
                text = by_name[item["doc"]].read_text(encoding="utf-8")
                gold.append(text[item["start"] : item["end"]])
        if q.answerable and gold:
            out.append(Asked(q.question, gold, by_name.get(q.doc) if q.doc else None))
    return out


def run_casefile(
    qs: QuestionSet, questions: list[Asked], home: Path, k: int, options: dict[str, float]
) -> list[int | None]:
    from assistant import CaseAssistant
    from casefile.kernel.settings import Settings
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    settings = Settings(home=home)
    store = open_case(settings, qs.name.replace("_", "-"))
    ingest_paths(qs.files, store, settings.ingest)
    assistant = CaseAssistant(store, settings)
    for option, value in options.items():
        setattr(assistant.retriever, option, value)
    ranks = []
    for q in questions:
        # The passages an answer lists: the reader's best k of the candidates it read.
        answer = assistant.ask(q.question, k=k, docs=[q.doc.name] if q.doc else None)
        ranks.append(rank_of([p.text for p in answer.passages[:k]], q.gold))
    return ranks


def _reference_text(path: Path) -> list[str]:
    """The file as the textbook pipeline loads it: one text per PDF page, else the whole."""
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        return [page.extract_text() or "" for page in PdfReader(path).pages]
    if path.suffix.lower() in (".html", ".htm"):
        import lxml.html

        return [lxml.html.fromstring(path.read_bytes()).text_content()]
    return [path.read_text(encoding="utf-8", errors="replace")]


def run_reference(
    qs: QuestionSet, questions: list[Asked], k: int, embeddings: Any
) -> list[int | None]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = [
        Document(page_content=text, metadata={"source": path.name})
        for path in qs.files
        for text in _reference_text(path)
    ]
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(
        docs
    )
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    db = Chroma.from_documents(splits, embeddings, client=client, collection_name=f"ref-{qs.name}")
    ranks = []
    for q in questions:
        found = db.similarity_search(
            q.question, k=k, filter={"source": q.doc.name} if q.doc else None
        )
        ranks.append(rank_of([d.page_content for d in found], q.gold))
    client.delete_collection(f"ref-{qs.name}")
    return ranks


def scores(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "hit_at_1": sum(r == 1 for r in ranks) / n,
        "hit_at_5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
    }


def table(results: dict[str, Any]) -> str:
    lines = [
        "| set | questions | Casefile hit@1 / hit@5 / MRR | reference hit@1 / hit@5 / MRR "
        "| hit@5 gain |",
        "|---|---|---|---|---|",
    ]
    for name, r in results["sets"].items():
        c, ref = r["casefile"], r["reference"]
        lines.append(
            f"| {name} | {r['questions']} | {c['hit_at_1']:.1%} / {c['hit_at_5']:.1%} / "
            f"{c['mrr']:.3f} | {ref['hit_at_1']:.1%} / {ref['hit_at_5']:.1%} / {ref['mrr']:.3f} "
            f"| {100 * (c['hit_at_5'] - ref['hit_at_5']):+.1f} points |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--policyqa", type=int, default=None, help="PolicyQA: first N questions")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--sets", help="comma-separated names (default: all present)")
    parser.add_argument("--no-reference", action="store_true", help="Casefile only")
    parser.add_argument("--work", help="working folder (default: a new temporary one)")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        help="a HybridRetriever setting to try, e.g. mmr_lambda=0.6 (repeatable)",
    )
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="casefile-retrieval-"))
    embeddings = None
    if not args.no_reference:
        from langchain_huggingface import HuggingFaceEmbeddings

        from vectorstore.embeddings import bundled_model_path

        embeddings = HuggingFaceEmbeddings(
            model_name=str(bundled_model_path()), model_kwargs={"device": "cpu"}
        )
    results: dict[str, Any] = {"k": args.k, "sets": {}}
    wanted = set(args.sets.split(",")) if args.sets else None
    for qs in question_sets(args.policyqa, work):
        if wanted and qs.name not in wanted:
            continue
        questions = asked(qs)
        started = time.perf_counter()
        entry: dict[str, Any] = {"questions": len(questions)}
        options = {key: float(value) for key, value in (o.split("=") for o in args.option)}
        entry["casefile"] = scores(run_casefile(qs, questions, work / "home", args.k, options))
        if embeddings is not None:
            entry["reference"] = scores(run_reference(qs, questions, args.k, embeddings))
        else:
            entry["reference"] = {"hit_at_1": 0.0, "hit_at_5": 0.0, "mrr": 0.0}
        entry["seconds"] = time.perf_counter() - started
        results["sets"][qs.name] = entry
        print(f"{qs.name}: {json.dumps(entry)}", file=sys.stderr, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "retrieval.json").write_text(json.dumps(results, indent=2))
    (OUT / "retrieval.md").write_text(table(results) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
