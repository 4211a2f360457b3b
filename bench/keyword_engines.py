"""Candidate persisted full-text engines for the keyword half of hybrid retrieval, measured
against the in-memory BM25 index Casefile used before (`bench.keyword_baseline`).

    python -m bench.keyword_engines --sizes 10000,100000,500000 --out artifacts/keyword_engines

Engines: `baseline` (that in-memory index, rebuilt in every process), `tantivy`,
`fts5` (SQLite FTS5 from the standard library) and `bm25s` (memory-mapped). Every engine
indexes the same terms: the text each engine sees is `" ".join(tokenize(chunk))`, split back
on spaces only (tantivy's `whitespace` tokenizer, FTS5's `ascii` tokenizer with `.,'` as token
characters, bm25s fed lists of strings), so "400,000", "u.s" and "o'neil" stay one term
everywhere, exactly as `tokenize` makes them for the baseline.

The corpus is SQuAD v1.1 (train + dev) paragraphs and CUAD contracts cut into ~700-character
chunks at sentence boundaries (about 60k real chunks), then synthetic documents of 30-300 chunks
whose chunks are sentences sampled (seeded) from three real documents, up to the largest size.
Smaller sizes are prefixes of it. Questions are SQuAD train questions whose paragraph lies in
the smallest prefix. Each engine is built in one fresh process and queried in another (so the
"open + first query" figure is a cold process; the page cache is warm).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import json
import lzma
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "qa"
SOURCES = ("train-v1.1.json.xz", "dev-v1.1.json.xz", "CUAD_v1_rebuilt.json.xz")
ENGINES = ("baseline", "tantivy", "fts5", "bm25s")
CORPUS_VERSION = 2
TARGET_CHARS = 700
MAX_CHARS = 900
TOP_K = 24
EXTRA_CHUNKS = 300
FILTER_DOCS = 5

Row = tuple[str, str, str]  # chunk id, doc id, space-joined tokens


# -- corpus ---------------------------------------------------------------------------------


def doc_hex(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()[:16]


def sentences_of(text: str) -> list[str]:
    """Sentences of `text`, any longer than MAX_CHARS cut at spaces."""
    from casefile.kernel.text import split_sentences

    out: list[str] = []
    for start, end in split_sentences(text):
        sentence = " ".join(text[start:end].split())
        while len(sentence) > MAX_CHARS:
            cut = sentence.rfind(" ", TARGET_CHARS // 2, TARGET_CHARS)
            cut = cut if cut > 0 else TARGET_CHARS
            out.append(sentence[:cut])
            sentence = sentence[cut:].strip()
        if sentence:
            out.append(sentence)
    return out


def pack(sentences: list[str]) -> list[str]:
    """Sentences packed into chunks of about TARGET_CHARS (never over MAX_CHARS)."""
    chunks: list[str] = []
    current = ""
    for sentence in sentences:
        joined = f"{current} {sentence}" if current else sentence
        if (
            current
            and len(joined) > TARGET_CHARS + 100
            and (len(current) >= TARGET_CHARS // 2 or len(joined) > MAX_CHARS)
        ):
            chunks.append(current)
            current = sentence
        else:
            current = joined
    if current:
        chunks.append(current)
    return chunks


@dataclass
class Source:
    name: str
    contexts: list[str]
    questions: list[str]


def load_sources(data: Path) -> list[Source]:
    sources: dict[str, Source] = {}
    for file in SOURCES:
        with lzma.open(data / file, "rt", encoding="utf-8") as handle:
            articles = json.load(handle)["data"]
        for article in articles:
            name = f"{file}/{article['title']}"
            source = sources.setdefault(name, Source(name, [], []))
            for paragraph in article["paragraphs"]:
                if file.startswith("train"):
                    source.questions += [qa["question"] for qa in paragraph["qas"]]
                source.contexts.append(paragraph["context"])
    return list(sources.values())


@dataclass
class Corpus:
    """The chunks on disk under `folder`: ids.txt, texts.jsonl, tokens.txt (line-aligned)."""

    folder: Path

    @property
    def size(self) -> int:
        meta = self.folder / "meta.json"
        if not meta.exists():
            return 0
        info = json.loads(meta.read_text())
        return int(info["size"]) if info.get("version") == CORPUS_VERSION else 0

    def ids(self, n: int) -> Iterator[str]:
        with open(self.folder / "ids.txt", encoding="utf-8") as handle:
            for _, line in zip(range(n), handle, strict=False):
                yield line.rstrip("\n")

    def texts(self, n: int) -> Iterator[str]:
        with open(self.folder / "texts.jsonl", encoding="utf-8") as handle:
            for _, line in zip(range(n), handle, strict=False):
                yield json.loads(line)

    def rows(self, n: int) -> Iterator[Row]:
        with open(self.folder / "tokens.txt", encoding="utf-8") as handle:
            for chunk_id, line in zip(self.ids(n), handle, strict=False):
                yield chunk_id, chunk_id.split(":", 1)[0], line.rstrip("\n")

    def extra_rows(self) -> list[Row]:
        rows = json.loads((self.folder / "extra.json").read_text())
        return [(r[0], r[1], r[2]) for r in rows]

    def questions(self) -> list[dict[str, Any]]:
        return json.loads((self.folder / "questions.json").read_text())


def synthetic_doc(rng: random.Random, pool: list[list[str]], chunks: int) -> list[str]:
    """`chunks` chunks of sentences sampled from three real documents."""
    picks = [pool[rng.randrange(len(pool))] for _ in range(3)]
    out = []
    for _ in range(chunks):
        sentences: list[str] = []
        length = 0
        while length < TARGET_CHARS - 60:
            sentence = rng.choice(rng.choice(picks))
            sentences.append(sentence)
            length += len(sentence) + 1
        out.append(" ".join(sentences)[:MAX_CHARS])
    return out


def make_corpus(
    data: Path, folder: Path, size: int, smallest: int, questions: int, seed: int
) -> Corpus:
    """Chunks up to `size`, cached; questions whose document lies in the first `smallest`."""
    from vectorstore.keyword import tokenize

    corpus = Corpus(folder)
    if corpus.size >= size:
        return corpus
    started = time.perf_counter()
    rng = random.Random(seed)
    sources = load_sources(data)
    rng.shuffle(sources)
    docs: list[tuple[str, list[str]]] = []  # doc id, chunks
    pool: list[list[str]] = []
    candidates: list[tuple[str, str]] = []  # question, doc id
    rows = 0
    for source in sources:
        doc_id = doc_hex(source.name)
        sentences = [s for context in source.contexts for s in sentences_of(context)]
        chunks = pack(sentences)
        if rows + len(chunks) <= smallest:
            candidates += [(q, doc_id) for q in source.questions]
        docs.append((doc_id, chunks))
        pool.append(sentences)
        rows += len(chunks)
    serial = 0
    while rows < size:
        count = rng.randint(30, 300)
        docs.append((doc_hex(f"synthetic-{serial}"), synthetic_doc(rng, pool, count)))
        serial += 1
        rows += count
    extra = synthetic_doc(random.Random(seed + 1), pool, EXTRA_CHUNKS)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    with (
        open(folder / "ids.txt", "w", encoding="utf-8") as ids,
        open(folder / "texts.jsonl", "w", encoding="utf-8") as texts,
        open(folder / "tokens.txt", "w", encoding="utf-8") as tokens,
    ):
        for doc_id, chunks in docs:
            for n, chunk in enumerate(chunks):
                if written == size:
                    break
                ids.write(f"{doc_id}:{n}\n")
                texts.write(json.dumps(chunk) + "\n")
                tokens.write(" ".join(tokenize(chunk)) + "\n")
                written += 1
    extra_id = doc_hex("extra-document")
    (folder / "extra.json").write_text(
        json.dumps(
            [[f"{extra_id}:{n}", extra_id, " ".join(tokenize(c))] for n, c in enumerate(extra)]
        )
    )
    chosen = random.Random(seed + 2).sample(candidates, min(questions, len(candidates)))
    (folder / "questions.json").write_text(
        json.dumps([{"question": q, "doc_id": d} for q, d in chosen], indent=1)
    )
    (folder / "meta.json").write_text(
        json.dumps(
            {
                "version": CORPUS_VERSION,
                "size": size,
                "seed": seed,
                "real_chunks": sum(len(c) for _, c in docs[: len(sources)]),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )
    return corpus


def plan_for(corpus: Corpus, n: int, seed: int) -> dict[str, Any]:
    """The questions, each with its ~5-document filter, and the document to remove, at size n."""
    doc_ids = sorted({c.split(":", 1)[0] for c in corpus.ids(n)})
    rng = random.Random(seed + n)
    questions = corpus.questions()
    for q in questions:
        q["filter"] = [q["doc_id"], *rng.sample(doc_ids, FILTER_DOCS - 1)]
    middle = next(c for i, c in enumerate(corpus.ids(n)) if i == n // 2)
    probe = next(t for i, t in enumerate(corpus.texts(n)) if i == n // 2)
    return {
        "questions": questions,
        "remove": middle.split(":", 1)[0],
        "probe": probe,
        "docs": len(doc_ids),
    }


# -- engines --------------------------------------------------------------------------------


class Engine(Protocol):
    n: int
    module: str  # the engine's Python module, imported inside the cold-open timing
    incremental: bool

    def build(self, index: Path) -> None: ...
    def open(self, index: Path) -> None: ...
    def search(self, question: str, k: int, docs: list[str] | None) -> list[tuple[str, float]]: ...
    def add(self, rows: list[Row]) -> None: ...
    def delete(self, doc_id: str) -> None: ...
    def count(self) -> int: ...


def terms_of(question: str) -> list[str]:
    from vectorstore.keyword import tokenize

    return tokenize(question)


class Baseline:
    """Today's KeywordIndex: nothing persisted, rebuilt from the texts in every process."""

    module = "vectorstore.keyword"
    incremental = False

    def __init__(self, corpus: Corpus, n: int) -> None:
        self.corpus, self.n = corpus, n

    def build(self, index: Path) -> None:
        self.open(index)

    def open(self, index: Path) -> None:
        from bench.keyword_baseline import KeywordIndex

        ids = list(self.corpus.ids(self.n))
        self.index = KeywordIndex(ids, list(self.corpus.texts(self.n)))

    def search(self, question: str, k: int, docs: list[str] | None) -> list[tuple[str, float]]:
        hits = self.index.search(question, k, set(docs) if docs is not None else None)
        return [(h.chunk_id, h.score) for h in hits]

    def add(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def delete(self, doc_id: str) -> None:
        raise NotImplementedError

    def count(self) -> int:
        return len(self.index)


class Tantivy:
    module = "tantivy"
    incremental = True

    def __init__(self, corpus: Corpus, n: int) -> None:
        self.corpus, self.n = corpus, n

    @staticmethod
    def schema() -> Any:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("chunk_id", stored=True, tokenizer_name="raw", index_option="basic")
        builder.add_text_field("doc_id", tokenizer_name="raw", index_option="basic")
        builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
        return builder.build()

    def build(self, index: Path) -> None:
        import tantivy

        index.mkdir(parents=True)
        writer = tantivy.Index(self.schema(), path=str(index)).writer(
            heap_size=256_000_000, num_threads=2
        )
        for chunk_id, doc_id, text in self.corpus.rows(self.n):
            writer.add_document(tantivy.Document(chunk_id=chunk_id, doc_id=doc_id, text=text))
        writer.commit()
        writer.wait_merging_threads()

    def open(self, index: Path) -> None:
        import tantivy

        self.index = tantivy.Index.open(str(index))
        self.searcher = self.index.searcher()

    def search(self, question: str, k: int, docs: list[str] | None) -> list[tuple[str, float]]:
        from tantivy import Occur, Query

        terms = terms_of(question)
        if not terms:
            return []
        schema = self.index.schema
        query = Query.boolean_query(
            [(Occur.Should, Query.term_query(schema, "text", t)) for t in terms]
        )
        if docs is not None:  # a filter that adds nothing to the score
            only = Query.const_score_query(Query.term_set_query(schema, "doc_id", docs), 0.0)
            query = Query.boolean_query([(Occur.Must, query), (Occur.Must, only)])
        hits = self.searcher.search(query, k, count=False).hits
        return [(self.searcher.doc(address)["chunk_id"][0], score) for score, address in hits]

    def add(self, rows: list[Row]) -> None:
        import tantivy

        writer = self.index.writer(heap_size=50_000_000, num_threads=1)
        for chunk_id, doc_id, text in rows:
            writer.add_document(tantivy.Document(chunk_id=chunk_id, doc_id=doc_id, text=text))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def delete(self, doc_id: str) -> None:
        writer = self.index.writer(heap_size=50_000_000, num_threads=1)
        writer.delete_documents_by_term("doc_id", doc_id)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def count(self) -> int:
        return int(self.searcher.num_docs)


class Fts5:
    """A regular FTS5 table (SQLite 3.40 has no contentless_delete) keyed by rowid, plus a
    `chunks` table (rowid, chunk_id, doc_id) with an index on doc_id; WAL journal."""

    module = "sqlite3"
    incremental = True
    TOKENIZE = "ascii tokenchars '.,'''"

    def __init__(self, corpus: Corpus, n: int) -> None:
        self.corpus, self.n = corpus, n

    @staticmethod
    def connect(index: Path) -> Any:
        import sqlite3

        db = sqlite3.connect(index / "keyword.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def build(self, index: Path) -> None:
        index.mkdir(parents=True)
        db = self.connect(index)
        db.execute("CREATE TABLE chunks(id INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE, doc_id TEXT)")
        db.execute("CREATE INDEX chunks_doc ON chunks(doc_id)")
        db.execute(f'CREATE VIRTUAL TABLE fts USING fts5(text, tokenize="{self.TOKENIZE}")')
        db.execute("BEGIN")
        batch: list[Row] = []
        for row in self.corpus.rows(self.n):
            batch.append(row)
            if len(batch) == 10_000:
                self._insert(db, batch)
                batch = []
        self._insert(db, batch)
        db.execute("COMMIT")
        db.execute("INSERT INTO fts(fts) VALUES('optimize')")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()

    @staticmethod
    def _insert(db: Any, rows: list[Row]) -> None:
        start = db.execute("SELECT coalesce(max(id), 0) FROM chunks").fetchone()[0] + 1
        db.executemany(
            "INSERT INTO chunks VALUES(?, ?, ?)",
            [(start + i, c, d) for i, (c, d, _) in enumerate(rows)],
        )
        db.executemany(
            "INSERT INTO fts(rowid, text) VALUES(?, ?)",
            [(start + i, t) for i, (_, _, t) in enumerate(rows)],
        )

    def open(self, index: Path) -> None:
        self.db = self.connect(index)

    def search(self, question: str, k: int, docs: list[str] | None) -> list[tuple[str, float]]:
        terms = terms_of(question)
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        if docs is None:
            sql = (
                "SELECT c.chunk_id, -bm25(fts) AS s FROM fts JOIN chunks c ON c.id = fts.rowid"
                " WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?"
            )
            return self.db.execute(sql, (match, k)).fetchall()
        marks = ",".join("?" * len(docs))
        sql = (  # filtering on the joined table beats `fts.rowid IN (subquery)` 10x here
            "SELECT c.chunk_id, -bm25(fts) AS s FROM fts JOIN chunks c ON c.id = fts.rowid"
            f" WHERE fts MATCH ? AND c.doc_id IN ({marks}) ORDER BY bm25(fts) LIMIT ?"
        )
        return self.db.execute(sql, (match, *docs, k)).fetchall()

    def add(self, rows: list[Row]) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self._insert(self.db, rows)
        self.db.execute("COMMIT")

    def delete(self, doc_id: str) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute(
            "DELETE FROM fts WHERE rowid IN (SELECT id FROM chunks WHERE doc_id = ?)", (doc_id,)
        )
        self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self.db.execute("COMMIT")

    def count(self) -> int:
        chunks = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        texts = self.db.execute("SELECT count(*) FROM fts").fetchone()[0]
        return int(chunks) if chunks == texts else -1


class Bm25s:
    """bm25s (k1 1.5, b 0.75, Lucene idf, as the baseline) saved with np.save and loaded with
    mmap; chunk ids and doc codes beside it. No add or remove: both are a full rebuild, saved
    over the same folder (as bm25s's own `save` does)."""

    module = "bm25s"
    incremental = False

    def __init__(self, corpus: Corpus, n: int) -> None:
        self.corpus, self.n = corpus, n
        self.removed: set[str] = set()
        self.added: list[Row] = []

    def _rows(self) -> Iterator[Row]:
        for row in self.corpus.rows(self.n):
            if row[1] not in self.removed:
                yield row
        yield from self.added

    def build(self, index: Path) -> None:
        import bm25s
        import numpy as np

        ids: list[str] = []
        tokens: list[list[str]] = []
        for chunk_id, _, text in self._rows():
            ids.append(chunk_id)
            tokens.append(text.split())
        retriever = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
        retriever.index(tokens, show_progress=False)
        del tokens
        index.mkdir(parents=True, exist_ok=True)
        retriever.save(str(index), show_progress=False)
        docs = sorted({c.split(":", 1)[0] for c in ids})
        code = {d: i for i, d in enumerate(docs)}
        np.save(index / "chunk_ids.npy", np.array(ids, dtype="S32"))
        np.save(
            index / "doc_codes.npy",
            np.array([code[c.split(":", 1)[0]] for c in ids], dtype=np.int32),
        )
        (index / "docs.json").write_text(json.dumps(docs))

    def open(self, index: Path) -> None:
        import bm25s
        import numpy as np

        self.path = index
        self.retriever = bm25s.BM25.load(str(index), mmap=True, show_progress=False)
        self.chunk_ids = np.load(index / "chunk_ids.npy", mmap_mode="r")
        self.doc_codes = np.load(index / "doc_codes.npy", mmap_mode="r")
        self.doc_code = {d: i for i, d in enumerate(json.loads((index / "docs.json").read_text()))}

    def search(self, question: str, k: int, docs: list[str] | None) -> list[tuple[str, float]]:
        import numpy as np

        terms = [t for t in terms_of(question) if t in self.retriever.vocab_dict]
        if not terms:
            return []
        mask = None
        if docs is not None:
            codes = [self.doc_code[d] for d in docs if d in self.doc_code]
            mask = np.isin(self.doc_codes, codes).astype(np.float32)
        found, scores = self.retriever.retrieve(
            [terms], k=min(k, len(self.chunk_ids)), show_progress=False, weight_mask=mask
        )
        return [
            (self.chunk_ids[i].decode(), float(s))
            for i, s in zip(found[0], scores[0], strict=True)
            if s > 0
        ]

    def _rebuild(self) -> None:
        self.retriever = self.chunk_ids = self.doc_codes = None  # drop the maps before rewriting
        gc.collect()
        self.build(self.path)
        self.open(self.path)

    def add(self, rows: list[Row]) -> None:
        self.added += rows
        self._rebuild()

    def delete(self, doc_id: str) -> None:
        self.removed.add(doc_id)
        self._rebuild()

    def count(self) -> int:
        consistent = self.retriever.scores["num_docs"] == len(self.chunk_ids) == len(self.doc_codes)
        return len(self.chunk_ids) if consistent else -1


def engine_for(name: str, corpus: Corpus, n: int) -> Engine:
    kinds: dict[str, type] = {
        "baseline": Baseline,
        "tantivy": Tantivy,
        "fts5": Fts5,
        "bm25s": Bm25s,
    }
    return kinds[name](corpus, n)


# -- the measuring child processes ----------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak RSS. getrusage's ru_maxrss is not used: on Linux a child started by
    fork + exec inherits the parent's resident size as its starting maximum."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_build(engine: Engine, index: Path) -> dict[str, Any]:
    started = time.perf_counter()
    engine.build(index)
    return {"build_s": time.perf_counter() - started, "build_rss_mb": peak_rss_mb()}


def timed_searches(
    engine: Engine, questions: list[dict[str, Any]], filtered: bool
) -> tuple[list[float], list[list[str]]]:
    latencies, results = [], []
    for q in questions:
        started = time.perf_counter()
        hits = engine.search(q["question"], TOP_K, q["filter"] if filtered else None)
        latencies.append((time.perf_counter() - started) * 1000)
        results.append([chunk_id for chunk_id, _ in hits])
    return latencies, results


def child_query(engine: Engine, index: Path, plan: dict[str, Any], work: Path) -> dict[str, Any]:
    questions = plan["questions"]
    terms_of("warm the stemmer")  # the shared tokenizer's first call is not the engine's cost
    started = time.perf_counter()
    importlib.import_module(engine.module)
    imported = time.perf_counter()
    engine.open(index)
    opened = time.perf_counter()
    engine.search(questions[0]["question"], TOP_K, None)
    out: dict[str, Any] = {
        "import_ms": (imported - started) * 1000,
        "open_ms": (opened - imported) * 1000,
        "open_first_ms": (time.perf_counter() - started) * 1000,
    }
    out["latency_ms"], out["results"] = timed_searches(engine, questions, filtered=False)
    out["filtered_latency_ms"], out["filtered_results"] = timed_searches(
        engine, questions, filtered=True
    )
    out["query_rss_mb"] = peak_rss_mb()
    out["count_ok"] = engine.count() == len(list(Corpus(work).ids(engine.n)))
    if isinstance(engine, Baseline):
        out["build_s"], out["build_rss_mb"] = out["open_ms"] / 1000, out["query_rss_mb"]
        return out
    extra = Corpus(work).extra_rows()
    before = engine.count()
    started = time.perf_counter()
    engine.add(extra)
    out["add_s"] = time.perf_counter() - started
    out["added_ok"] = engine.count() == before + len(extra) and bool(
        engine.search(extra[0][2], TOP_K, [extra[0][1]])
    )
    found_before = bool(engine.search(plan["probe"], TOP_K, [plan["remove"]]))
    started = time.perf_counter()
    engine.delete(plan["remove"])
    out["delete_s"] = time.perf_counter() - started
    out["removed_ok"] = (
        found_before
        and engine.count() < before + len(extra)
        and not engine.search(plan["probe"], TOP_K, [plan["remove"]])
    )
    return out


def child_kill_loop(engine: Engine, index: Path, work: Path) -> None:
    """Add a 300-chunk document and commit, again and again, until killed."""
    extra = Corpus(work).extra_rows()
    engine.open(index)
    for serial in range(1_000_000):
        doc_id = f"{os.getpid():08x}{serial:08x}"  # unique across the trials
        engine.add([(f"{doc_id}:{i}", doc_id, text) for i, (_, _, text) in enumerate(extra)])


def child_count(engine: Engine, index: Path) -> dict[str, Any]:
    try:
        engine.open(index)
        return {"count": engine.count(), "error": None}
    except Exception as error:  # what a reader after the crash would meet
        return {"count": None, "error": f"{type(error).__name__}: {error}"[:300]}


def run_child(spec: dict[str, Any]) -> dict[str, Any]:
    corpus = Corpus(Path(spec["work"]) / "corpus")
    engine = engine_for(spec["engine"], corpus, spec["size"])
    index = Path(spec["index"])
    mode = spec["mode"]
    if mode == "build":
        return child_build(engine, index)
    if mode == "query":
        plan = json.loads(Path(spec["plan"]).read_text())
        return child_query(engine, index, plan, corpus.folder)
    if mode == "kill_loop":
        child_kill_loop(engine, index, corpus.folder)
        return {}
    return child_count(engine, index)


def spawn(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one child (a fresh Python process) and read its JSON answer."""
    answer = Path(spec["work"]) / "answer.json"
    answer.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "bench.keyword_engines",
        "--child",
        json.dumps(spec),
        "--child-out",
        str(answer),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, timeout=timeout, capture_output=True, text=True
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr[-2000:]}
    result = json.loads(answer.read_text())
    result["process_s"] = time.perf_counter() - started
    return result


# -- the parent: measure, compare, report ---------------------------------------------------


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(values, q)) if values else float("nan")


def overlap(ours: list[list[str]], reference: list[list[str]], k: int) -> float:
    scores = [
        len(set(a[:k]) & set(b[:k])) / len(b[:k]) for a, b in zip(ours, reference, strict=True) if b
    ]
    return sum(scores) / len(scores) if scores else float("nan")


def measure(engine: str, n: int, work: Path, plan: Path, timeout: float) -> dict[str, Any]:
    index = work / "indexes" / f"{engine}-{n}"
    shutil.rmtree(index, ignore_errors=True)
    spec = {"engine": engine, "size": n, "work": str(work), "index": str(index), "plan": str(plan)}
    result: dict[str, Any] = {}
    if engine != "baseline":
        result = spawn({**spec, "mode": "build"}, timeout)
        if "error" in result:
            return result
        result["disk_mb"] = folder_mb(index)
    queried = spawn({**spec, "mode": "query"}, timeout)
    result.update(queried)
    return result


def kill_test(engine: str, work: Path, trials: int, seed: int) -> list[dict[str, Any]]:
    """Build a 2,000-chunk index, then kill -9 a process adding and committing documents."""
    index = work / "indexes" / f"kill-{engine}"
    shutil.rmtree(index, ignore_errors=True)
    spec = {"engine": engine, "size": 2000, "work": str(work), "index": str(index)}
    spawn({**spec, "mode": "build"}, 600)
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outcomes = []
    for _ in range(trials):
        loop = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.keyword_engines",
                "--child",
                json.dumps({**spec, "mode": "kill_loop"}),
                "--child-out",
                os.devnull,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(1.5, 4.0))
        os.kill(loop.pid, signal.SIGKILL)
        loop.wait()
        after = spawn({**spec, "mode": "count"}, 600)
        count = after.get("count")
        after["consistent"] = isinstance(count, int) and count >= 2000 and (count - 2000) % 300 == 0
        outcomes.append(after)
    return outcomes


def summarise(raw: dict[str, Any], reference: dict[str, Any] | None) -> dict[str, Any]:
    if "error" in raw:
        return {"error": raw["error"]}
    summary = {
        key: raw[key]
        for key in (
            "build_s",
            "build_rss_mb",
            "disk_mb",
            "open_first_ms",
            "import_ms",
            "open_ms",
            "query_rss_mb",
            "add_s",
            "delete_s",
            "added_ok",
            "removed_ok",
            "count_ok",
        )
        if key in raw
    }
    for key, values in (("query", raw["latency_ms"]), ("filtered", raw["filtered_latency_ms"])):
        summary[f"{key}_p50_ms"] = percentile(values[1:] if key == "query" else values, 50)
        summary[f"{key}_p95_ms"] = percentile(values[1:] if key == "query" else values, 95)
    if reference is not None:
        summary["agree_top24"] = overlap(raw["results"], reference["results"], TOP_K)
        summary["agree_top5"] = overlap(raw["results"], reference["results"], 5)
        summary["agree_filtered_top24"] = overlap(
            raw["filtered_results"], reference["filtered_results"], TOP_K
        )
    return summary


def fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


NOTES = """Build: texts already tokenized (the shared `tokenize`, done once for all engines) to
a persisted index; the baseline's build is `KeywordIndex(ids, texts)`, tokenizing included,
and it is repeated in every process, so it is also its "open". Open + 1st query: a fresh process,
engine import + open + one query (tokenizer warmed first; page cache warm). p50/p95: 200 SQuAD
questions, top-24, tokenization of the question included; the filtered run restricts each to 5
documents. Add: one 300-chunk document, commit and reader reload; delete: one document by doc
id. Agreement: share of the baseline's top-24 (top-5) chunk ids the engine also returns.
RSS: peak resident set (VmHWM) of the building / querying process.
"""


def markdown(results: dict[str, Any]) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in results["versions"].items())
    preamble = [f"Versions: {versions}.", "", NOTES]
    head = (
        "| chunks | engine | build s | disk MB | build RSS MB | open+1st query ms | "
        "p50 / p95 ms | filtered p50 / p95 ms | query RSS MB | add 300 ms | delete doc ms | "
        "top-24 agree | top-5 agree | filtered top-24 agree |"
    )
    lines = [*preamble, head, "|" + " --- |" * 14]
    for n, engines in results["sizes"].items():
        for name, r in engines.items():
            if "error" in r:
                lines.append(f"| {n} | {name} | failed: {r['error'][:80]} |" + " |" * 12)
                continue
            incremental = "" if name in ("tantivy", "fts5") else " (rebuild)"
            add, delete = (
                "-" if name == "baseline" else f"{fmt(r.get(key, 0) * 1000)}{incremental}"
                for key in ("add_s", "delete_s")
            )
            lines.append(
                f"| {int(n):,} | {name} | {fmt(r['build_s'])} | {fmt(r.get('disk_mb'))} "
                f"| {fmt(r['build_rss_mb'], 0)} | {fmt(r['open_first_ms'], 0)} "
                f"| {fmt(r['query_p50_ms'], 2)} / {fmt(r['query_p95_ms'], 2)} "
                f"| {fmt(r['filtered_p50_ms'], 2)} / {fmt(r['filtered_p95_ms'], 2)} "
                f"| {fmt(r['query_rss_mb'], 0)} | {add} | {delete} "
                f"| {fmt(r.get('agree_top24'), 3)} | {fmt(r.get('agree_top5'), 3)} "
                f"| {fmt(r.get('agree_filtered_top24'), 3)} |"
            )
    kills = results.get("kill_test", {})
    if kills:
        lines += [
            "",
            "| engine | kill -9 trials | opened after kill | consistent state |",
            "| --- | --- | --- | --- |",
        ]
        for name, trials in kills.items():
            opened = sum(t.get("error") is None and "count" in t for t in trials)
            consistent = sum(bool(t.get("consistent")) for t in trials)
            lines.append(f"| {name} | {len(trials)} | {opened} | {consistent} |")
    return "\n".join(lines) + "\n"


def versions() -> dict[str, str]:
    import sqlite3
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version}
    for package in ("tantivy", "bm25s", "numpy"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,500000")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "keyword_engines")
    parser.add_argument("--work", type=Path, default=Path("/work/kw"))
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--kill-trials", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per child process")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = run_child(json.loads(args.child))
        Path(args.child_out).write_text(json.dumps(result))
        return 0
    missing = [f for f in SOURCES if not (args.data / f).exists()]
    if missing:
        print(
            f"keyword_engines: the QA data is missing ({', '.join(missing)} in {args.data});"
            " point --data at the folder holding it.",
            file=sys.stderr,
        )
        return 2
    sizes = sorted(int(s) for s in args.sizes.split(","))
    engines = [e for e in ENGINES if e in args.engines.split(",")]
    work: Path = args.work
    print(f"corpus: up to {sizes[-1]:,} chunks in {work / 'corpus'}", flush=True)
    corpus = make_corpus(args.data, work / "corpus", sizes[-1], sizes[0], args.questions, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "versions": versions(),
        "corpus": json.loads((corpus.folder / "meta.json").read_text()),
        "sizes": {},
        "kill_test": {},
    }
    for n in sizes:
        plan = plan_for(corpus, n, args.seed)
        plan_path = work / f"plan-{n}.json"
        plan_path.write_text(json.dumps(plan))
        raws = {}
        for engine in engines:
            print(f"{n:,} chunks: {engine} ...", flush=True)
            raws[engine] = measure(engine, n, work, plan_path, args.timeout)
            (work / f"raw-{engine}-{n}.json").write_text(json.dumps(raws[engine]))
        reference = raws.get("baseline")
        reference = reference if reference and "error" not in reference else None
        results["sizes"][str(n)] = {e: summarise(r, reference) for e, r in raws.items()}
        results["sizes"][str(n)]["_docs"] = plan["docs"]
        write_results(args.out, results)
    for engine in engines:
        if engine != "baseline" and args.kill_trials:
            print(f"kill test: {engine} ...", flush=True)
            results["kill_test"][engine] = kill_test(engine, work, args.kill_trials, args.seed)
    write_results(args.out, results)
    print((args.out / "results.md").read_text())
    return 0


def write_results(out: Path, results: dict[str, Any]) -> None:
    (out / "results.json").write_text(json.dumps(results, indent=1))
    shown = {
        **results,
        "sizes": {
            n: {e: r for e, r in engines.items() if not e.startswith("_")}
            for n, engines in results["sizes"].items()
        },
    }
    (out / "results.md").write_text(markdown(shown))


if __name__ == "__main__":
    sys.exit(main())
