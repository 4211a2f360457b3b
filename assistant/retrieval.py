"""Hybrid retrieval: dense (Chroma) and keyword (BM25) results fused by reciprocal rank."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from assistant.evidence import content_terms
from assistant.questions import Question
from casefile.kernel.files import write_atomically
from casefile.kernel.index import CaseIndex
from casefile.kernel.records import DocumentRecord, Passage, doc_id_of, page_range, pages_in
from casefile.kernel.text import split_sentences
from ingest.desk import DESK, current
from ingest.legal import stated

log = logging.getLogger(__name__)

RRF_K = 60
# Passages of stated roles and rulings that may take the place of the last ones found.
STATED_PASSAGES = 2
# How much a document the conversation is about weighs, as a share of being named outright.
PREFERRED = 0.5


class HybridRetriever(BaseRetriever):
    """A LangChain retriever over one case; overlapping chunks come back merged.

    Dense (Chroma) and keyword (BM25) rankings are fused by reciprocal rank; chunks of the
    documents a question names (by their title: the case name, the parties, the filing) are
    boosted; the passages are then chosen for relevance and for covering different ground
    (maximal marginal relevance), so one document's similar passages do not crowd out the
    answer.

    >>> retriever = HybridRetriever(store=open_case(settings), k=5)
    >>> passages = retriever.retrieve("Who is the judge?", docs=["order.pdf"])
    >>> documents = retriever.invoke("Who is the judge?")  # the same, as LangChain Documents
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: CaseIndex
    k: int = 5
    candidates: int = 24  # chunks taken from each of the dense and keyword lists
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    focus_boost: float = 1.0  # how much a document named by the question weighs extra
    mmr_lambda: float = 0.75  # 1.0: relevance only; lower: more diverse passages
    chunks_per_passage: float = 3.0  # chunks chosen per passage asked for, before merging
    max_passage_chars: int = 3000  # merged passages grow no longer than this
    _titles: TitleIndex | None = PrivateAttr(default=None)
    _statements: StatedFacts | None = PrivateAttr(default=None)

    def model_post_init(self, context: Any) -> None:
        if self.k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {self.k}")
        if not 0.0 <= self.mmr_lambda <= 1.0:
            raise ValueError(f"mmr_lambda must be in [0, 1]. Currently, it is {self.mmr_lambda}")
        self._titles = TitleIndex(self.store)
        self._statements = StatedFacts(self.store)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [Document(page_content=p.text, metadata=asdict(p)) for p in self.retrieve(query)]

    def retrieve(
        self,
        query: str,
        *,
        k: int | None = None,
        docs: list[str] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        prefer: Sequence[str] = (),
        asked: Question | None = None,
    ) -> list[Passage]:
        """The `k` best passages for `query`, optionally only from `docs` and a date range;
        `prefer` are documents to favour as if the question named them (a follow-up's);
        `asked` is the question already parsed."""
        k = self.k if k is None else k
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        allowed = self.allowed_doc_ids(docs, date_from, date_to)
        if allowed is not None and not allowed:
            return []
        query_vector = np.asarray(self.store.embeddings.embed_query(query))
        dense = self.store.dense_search(query_vector.tolist(), self.candidates, allowed)
        keyword = self.store.keyword_search(query, self.candidates, allowed)
        focus = self._titles.focus(query, allowed) if self._titles else {}
        for doc_id in prefer:
            if allowed is None or doc_id in allowed:
                focus[doc_id] = max(focus.get(doc_id, 0.0), PREFERRED)
        if focus and (allowed is None or len(allowed) > len(focus)):
            # The named documents' own best chunks, which the case-wide lists may lack.
            named = set(focus)
            dense += self.store.dense_search(query_vector.tolist(), self.candidates, named)
            keyword += self.store.keyword_search(query, self.candidates, named)
            dense = _best_first(dense)
            keyword = sorted(dict(keyword).items(), key=lambda hit: -hit[1])

        fused = reciprocal_rank_fusion(
            [
                ([doc.id for doc, _ in dense], self.dense_weight),
                ([chunk_id for chunk_id, _ in keyword], self.keyword_weight),
            ]
        )
        for chunk_id in fused:
            fused[chunk_id] *= 1.0 + self.focus_boost * focus.get(doc_id_of(chunk_id), 0.0)
        pool = sorted(fused, key=fused.__getitem__, reverse=True)[: 4 * k]

        chunks = {doc.id: doc for doc, _ in dense}
        vectors = {doc.id: np.asarray(v) for doc, v in self.store.chunks_by_id(pool)}
        for doc, _ in self.store.chunks_by_id([i for i in pool if i not in chunks]):
            chunks[doc.id] = doc
        pool = [i for i in pool if i in chunks and i in vectors]
        similarity = {i: float(vectors[i] @ query_vector) for i in pool}
        chosen = maximal_marginal_relevance(
            pool,
            {i: fused[i] for i in pool},
            vectors,
            round(self.chunks_per_passage * k),
            self.mmr_lambda,
        )
        hits = [(chunks[i], fused[i], similarity[i]) for i in chosen]
        merged = merge_overlapping(hits, self.max_passage_chars)
        passages = sorted(merged, key=lambda p: p.score, reverse=True)[:k]
        asked = asked or Question.parse(query)
        if asked.roles or asked.ruling:
            named = list(focus) or list(dict.fromkeys(p.doc_id for p in passages))[:2]
            stated = [
                p
                for p in self._statements.passages(
                    asked, named, passages[-1].score if passages else 0
                )
                if not any(
                    q.doc_id == p.doc_id and q.start <= p.start and p.end <= q.end for q in passages
                )
            ][:STATED_PASSAGES]
            if stated:
                passages = passages[: max(0, k - len(stated))] + stated
        return passages

    def named_documents(self, query: str, docs: list[str] | None = None) -> list[str]:
        """The documents `query` names by title, court or case number, if any."""
        if self._titles is None:
            return []
        allowed = self.allowed_doc_ids(docs, None, None)
        return list(self._titles.focus(query, allowed))

    def allowed_doc_ids(
        self, docs: list[str] | None, date_from: date | None, date_to: date | None
    ) -> set[str] | None:
        """Documents a question may draw on, or None for all of the case."""
        if not docs and date_from is None and date_to is None:
            return None
        records = [self.store.find(name) for name in docs] if docs else self.store.records()
        allowed = set()
        for record in records:
            if date_from or date_to:
                day = _parse_day(record.date)
                if day is None or (date_from and day < date_from) or (date_to and day > date_to):
                    continue
            allowed.add(record.doc_id)
        return allowed


def reciprocal_rank_fusion(
    rankings: Sequence[tuple[Sequence[str], float]], k: int = RRF_K
) -> dict[str, float]:
    """Each item's weighted sum of 1 / (k + rank) over the rankings it appears in."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank + 1)
    return fused


def maximal_marginal_relevance(
    candidates: Sequence[str],
    relevance: dict[str, float],
    vectors: dict[str, np.ndarray],
    k: int,
    lam: float,
) -> list[str]:
    """Up to `k` candidates, each chosen for relevance (scaled to 0..1) minus its cosine to
    the closest one already chosen: `lam` 1.0 is relevance order, lower is more diverse."""
    if not candidates:
        return []
    top = max(relevance[c] for c in candidates) or 1.0
    chosen: list[str] = []
    left = list(candidates)
    while left and len(chosen) < k:

        def gain(item: str) -> float:
            closest = max((float(vectors[item] @ vectors[c]) for c in chosen), default=0.0)
            return lam * relevance[item] / top - (1 - lam) * closest

        best = max(left, key=gain)
        chosen.append(best)
        left.remove(best)
    return chosen


class StatedFacts:
    """Where a document states a role or its ruling ("Before A, B, and C, Circuit Judges.",
    "the motion is DENIED"): passages a question about a judge, counsel or the outcome needs
    and that similarity alone may miss. Kept per document, a bounded number of them."""

    MAX_DOCUMENTS = 64

    def __init__(self, store: CaseIndex) -> None:
        self.store = store
        self._found: OrderedDict[str, list[tuple[int, int, str]]] = OrderedDict()

    def passages(self, asked: Question, doc_ids: list[str], score: float) -> list[Passage]:
        """Passages (the statement's sentence, with the one before and after in its
        paragraph) of `doc_ids` that state what `asked` wants: most specific first, a
        ruling from the end of a document first."""
        wanted = {"disposition"} if asked.ruling else set(asked.roles)
        order = {"panel": 0, "dissent": 0, "counsel": 0, "disposition": 0, "author": 1, "judge": 2}
        found = []
        for doc_id in doc_ids:
            for start, end, role in self._statements(doc_id):
                if role in wanted:
                    last_first = -start if role == "disposition" else start
                    found.append((order.get(role, 3), last_first, doc_id, start, end))
        found.sort()
        passages, seen = [], set()
        for _, _, doc_id, start, end in found:
            if (doc_id, start) in seen:
                continue
            seen.add((doc_id, start))
            passages.append(self._passage(doc_id, start, end, score))
        return passages

    def _statements(self, doc_id: str) -> list[tuple[int, int, str]]:
        if doc_id in self._found:
            self._found.move_to_end(doc_id)
            return self._found[doc_id]
        # Read at ingest with the desk; a desk made by older rules means reading them now.
        desk = current(self.store.extra(doc_id, DESK))
        if desk is not None and desk.read:
            found = list(desk.stated)
        else:  # a desk not read (over its budget) or made by older rules
            found = [(s.start, s.end, s.role) for s in stated(self.store.document_text(doc_id))]
        self._found[doc_id] = found
        while len(self._found) > self.MAX_DOCUMENTS:
            self._found.popitem(last=False)
        return found

    def _passage(self, doc_id: str, start: int, end: int, score: float) -> Passage:
        text = self.store.document_text(doc_id)
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        sentences = split_sentences(text, line_start, line_end)
        index = next((i for i, (s, e) in enumerate(sentences) if s <= start < e), 0)
        window = sentences[max(0, index - 1) : index + 2] or [(start, end)]
        p_start, p_end = window[0][0], window[-1][1]
        record = self.store.record(doc_id)
        pages = self.store.page_spans(doc_id)
        first, last = page_range(pages, p_start, p_end)
        return Passage(
            doc_id=doc_id,
            source=record.source if record else "",
            title=record.title if record else "",
            page=first,
            start=p_start,
            end=p_end,
            text=text[p_start:p_end],
            score=score * 0.99,
            date=record.date if record else None,
            end_page=last if last != first else None,
            ocr=bool(record and set(record.ocr_pages) & pages_in(pages, p_start, p_end)),
        )


class TitleIndex:
    """Which documents a question names: the words of a document's title, court and case
    number that the question uses, weighed by how few documents share them. A case's own
    name, shared by all its filings, singles none out.

    Each document's terms are kept in the case's folder (`title-terms.json`, with a digest
    of the words they came from), so a new process works out only those of documents added
    or retitled since: 5,346 titles cost 0.26 s to work out, 0.01-0.05 s to read back."""

    RECHECK_S = 2.0
    FILE = "title-terms.json"
    FORMAT = 2  # raised whenever `_title_terms` changes what it makes of the same words

    def __init__(self, store: CaseIndex) -> None:
        self.store = store
        folder = getattr(store, "folder", None)
        self._file = Path(folder) / self.FILE if folder else None
        self._terms: dict[str, set[str]] = {}
        self._idf: dict[str, float] = {}
        self._checked = -1e9
        self._listed: tuple[str, ...] | None = None
        self._lock = threading.Lock()  # a warm-up and a question may refresh at once

    def focus(self, query: str, allowed: set[str] | None = None) -> dict[str, float]:
        """doc_id -> 0..1 for the documents the query names more than the others."""
        self.refresh()
        terms = {t for t in _title_terms(query) if t in self._idf}
        if not terms or len(self._terms) < 2:
            return {}
        total = sum(self._idf[t] for t in terms)
        weights = {
            doc_id: sum(self._idf[t] for t in terms & doc_terms) / total
            for doc_id, doc_terms in self._terms.items()
            if allowed is None or doc_id in allowed
        }
        best = max(weights.values(), default=0.0)
        if best < 0.5:
            return {}
        return {d: w for d, w in weights.items() if w >= 0.5 and w > 0.0 and w >= best - 0.25}

    def refresh(self) -> None:
        """Work out the terms of documents added or retitled since the last look."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked < self.RECHECK_S:
                return
            records = self.store.records()
            listed = tuple(r.doc_id for r in records)
            if listed != self._listed:  # else their terms are already worked out
                terms = self._worked_out(records)
                n = len(terms)
                counts: dict[str, int] = {}
                for doc_terms in terms.values():
                    for term in doc_terms:
                        counts[term] = counts.get(term, 0) + 1
                # Terms in every document name the case, not a document: they single none out.
                self._terms, self._listed = terms, listed
                self._idf = {t: math.log(n / c) for t, c in counts.items() if c < n}
            self._checked = now

    def _worked_out(self, records: Sequence[DocumentRecord]) -> dict[str, set[str]]:
        """Each record's terms: kept ones whose words are unchanged, the others made (and the
        file written again)."""
        kept = self._kept()
        terms: dict[str, set[str]] = {}
        rows: dict[str, tuple[str, list[str]]] = {}
        for r in records:
            words = " ".join((r.title, r.court, r.case_number, _stem_name(r.name)))
            digest = hashlib.blake2b(words.encode("utf-8"), digest_size=8).hexdigest()
            held = kept.get(r.doc_id)
            made = held[1] if held and held[0] == digest else sorted(_title_terms(words))
            terms[r.doc_id] = set(made)
            rows[r.doc_id] = (digest, made)
        if self._file is not None and rows != kept:
            try:
                data = json.dumps({"format": self.FORMAT, "documents": rows}).encode("utf-8")
                write_atomically(self._file, data)
            except OSError as exc:  # a read-only folder costs the next process the work
                log.info("title terms not kept in %s: %s", self._file, exc)
        return terms

    def _kept(self) -> dict[str, tuple[str, list[str]]]:
        if self._file is None:
            return {}
        try:
            kept = json.loads(self._file.read_text(encoding="utf-8"))
            if kept.get("format") != self.FORMAT:
                return {}
            return {d: (digest, list(made)) for d, (digest, made) in kept["documents"].items()}
        except FileNotFoundError:
            return {}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("%s unreadable (%s): made again", self._file, exc)
            return {}


def _title_terms(text: str) -> set[str]:
    """Content terms of a title or question, with short forms kept whole: "8-K" and "8K"
    are one term, not "8" and "k" (which would match any other form's number)."""
    joined = re.sub(r"\b(\w{1,3})-(\w{1,2})\b", r"\1\2", text)
    return {t for t in content_terms(joined) if len(t) > 1}


def _stem_name(file_name: str) -> str:
    """A file name as words: "st_pierre_v_standard-ins.pdf" -> "st pierre v standard ins"."""
    return re.sub(r"[_\-.]+", " ", file_name.rsplit(".", 1)[0])


def _best_first(hits: list[tuple[Document, float]]) -> list[tuple[Document, float]]:
    best: dict[str, tuple[Document, float]] = {}
    for doc, score in hits:
        if doc.id not in best or score > best[doc.id][1]:
            best[doc.id] = (doc, score)
    return sorted(best.values(), key=lambda hit: -hit[1])


def merge_overlapping(
    hits: list[tuple[Document, float, float]], max_chars: int = 1500
) -> list[Passage]:
    """Join chunks of one document whose spans overlap into one passage (best scores kept),
    up to `max_chars`: past it, the rest of a chunk becomes a passage of its own, so no
    one passage grows to take the place of several."""
    ordered = sorted(hits, key=lambda h: (h[0].metadata["doc_id"], h[0].metadata["start"]))
    passages: list[Passage] = []
    for doc, score, similarity in ordered:
        meta = doc.metadata
        last = passages[-1] if passages else None
        overlaps = last is not None and last.doc_id == meta["doc_id"] and meta["start"] < last.end
        if overlaps and last is not None and max(last.end, meta["end"]) - last.start > max_chars:
            rest = doc.page_content[last.end - meta["start"] :]
            skip = len(rest) - len(rest.lstrip())
            if rest.strip():
                start = last.end + skip
                passages.append(_passage(meta, start, meta["end"], rest[skip:], score, similarity))
            continue
        if overlaps and last is not None:
            grows = meta["end"] > last.end
            tail = doc.page_content[last.end - meta["start"] :] if grows else ""
            end_page = (meta.get("end_page") or meta.get("page")) if grows else last.end_page
            passages[-1] = Passage(
                doc_id=last.doc_id,
                source=last.source,
                title=last.title,
                page=last.page,
                start=last.start,
                end=max(last.end, meta["end"]),
                text=last.text + tail,
                score=max(last.score, score),
                date=last.date,
                similarity=max(last.similarity, similarity),
                end_page=end_page if end_page != last.page else last.end_page,
                ocr=last.ocr or bool(meta.get("ocr")),
            )
            continue
        passages.append(
            _passage(meta, meta["start"], meta["end"], doc.page_content, score, similarity)
        )
    return passages


def _passage(
    meta: dict[str, Any], start: int, end: int, text: str, score: float, similarity: float
) -> Passage:
    return Passage(
        doc_id=meta["doc_id"],
        source=meta.get("source", ""),
        title=meta.get("title", ""),
        page=meta.get("page"),
        start=start,
        end=end,
        text=text,
        score=score,
        date=meta.get("date"),
        similarity=similarity,
        end_page=meta.get("end_page"),
        ocr=bool(meta.get("ocr")),
    )


def _parse_day(value: str | None) -> date | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
        return date.fromisoformat(value[:10])
    return None
