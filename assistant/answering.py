"""CaseAssistant: retrieve, answer, verify, cite — the one entry point for asking a case."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from assistant.desk import CaseDesk
from assistant.evidence import adds_information
from assistant.models import SHARED_CHAT_MODELS, ChatModels, ModelSpec
from assistant.prompting import (
    NOT_ANSWERED,
    build_messages,
    is_model_refusal,
    previous_documents,
    standalone_question,
)
from assistant.questions import Question
from assistant.reader import shared_reader
from assistant.reading import Finding, Located, PassageReader
from assistant.retrieval import HybridRetriever
from assistant.routes import Span, desk_answer
from assistant.sentence_vectors import SentenceEmbeddingCache
from assistant.verification import CheckedSentence, CitationVerifier, Support
from casefile.kernel.errors import DocumentNotFound, EmptyQuestion, ModelUnavailable
from casefile.kernel.index import CaseIndex
from casefile.kernel.records import (
    Answer,
    AnswerSentence,
    Citation,
    PageSpan,
    Passage,
    ShortAnswer,
    page_range,
    pages_in,
)
from casefile.kernel.settings import Settings

log = logging.getLogger(__name__)


class CaseAssistant:
    """Answers questions about one case with verified, cited sentences.

    >>> assistant = CaseAssistant.open(Settings(), case="default")
    >>> answer = assistant.ask("Who is the judge?", model="extractive")
    >>> print(answer.answer, answer.citations[0].quote)
    """

    def __init__(
        self,
        store: CaseIndex,
        settings: Settings,
        *,
        chat_models: ChatModels | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        # Passages of single chunks (merged only where they overlap, never past two chunks):
        # the reader reads many of them, and its best few are what an answer lists.
        self.retriever = HybridRetriever(
            store=store,
            k=settings.retrieval.k,
            candidates=max(settings.retrieval.candidates, settings.reader.candidates + 4),
            chunks_per_passage=1.0,
            max_passage_chars=2 * settings.ingest.chunk_size,
        )
        self.sentences = SentenceEmbeddingCache(store.embeddings)
        self.reading = PassageReader(
            shared_reader(
                settings.reader.model, settings.reader.threads, settings.reader.threshold
            ),
            store.document_text,
            max_sentences=settings.reader.max_sentences,
        )
        self.verifier = CitationVerifier(self.sentences)
        self.desk = CaseDesk(store, settings.ingest.desk_budget_s)
        # The process's one registry by default, so every case loads a local model once.
        self.chat_models = chat_models if chat_models is not None else SHARED_CHAT_MODELS

    @classmethod
    def open(cls, settings: Settings, case: str | None = None) -> CaseAssistant:
        """The assistant of an existing case; models load on first use."""
        from vectorstore.cases import open_case

        return cls(open_case(settings, case, create=False), settings)

    def warm_up(self, desk: bool = True) -> None:
        """Load what a first question needs (the reader, the keyword index, the documents'
        title terms, the embedder, the case's vector index, and with `desk` the case's desk),
        so that it costs what later ones do; the web app calls it at start, `casefile ask`
        beside its question (the vector index last: Chroma's read of it is the longest)."""
        self.reading.reader.warm_up()
        self.store.keyword_search("warm up", k=1)
        self.retriever.named_documents("warm up")
        self.store.dense_search(self.store.embeddings.embed_query("warm up"), 1)
        if desk:
            self.desk.people()

    def ask(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        **options: Any,
    ) -> Answer:
        """Answer `question`; earlier turns in `history` resolve follow-ups ("her lawyers").

        `options` are those of `stream`: model, k, docs, date_from, date_to.
        """
        final = None
        for event in self.stream(question, history, **options):
            if isinstance(event, Answer):
                final = event
        assert final is not None  # stream always ends with an Answer
        return final

    def stream(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        *,
        model: str | None = None,
        k: int | None = None,
        docs: list[str] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the model's text as it is generated, then the verified `Answer`."""
        options = {"model": model, "k": k, "docs": docs, "date_from": date_from, "date_to": date_to}
        for attempt in range(3):
            started = False
            try:
                for event in self._stream(question, history, **options):
                    started = True
                    yield event
                return
            except DocumentNotFound as exc:
                # A document removed (by another session) while this question was answered:
                # answer again; retrieval no longer sees it.
                if started or attempt == 2:
                    raise
                log.info("answering again: %s", exc)

    def _stream(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        *,
        model: str | None = None,
        k: int | None = None,
        docs: list[str] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> Iterator[str | Answer]:
        question = question.strip()
        if not question:
            raise EmptyQuestion("the question is empty: type a question about the case")
        spec = ModelSpec.parse(model or self.settings.model)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        standalone = standalone_question(question, history)
        asked = Question.parse(standalone)
        shown = k or self.settings.retrieval.k

        def finish(answer: Answer) -> Answer:
            timings["total"] = time.perf_counter() - started
            return dataclasses.replace(answer, standalone_question=standalone, timings=timings)

        if not docs and date_from is None and date_to is None:
            # What someone said, who someone is, who the lawyers are, what happened when:
            # answered from the case's quotes, people and timeline.
            spans = desk_answer(standalone, self.desk, self.sentences)
            if spans:
                # The passages retrieval finds stay listed after the desk's own spans.
                nearest = self.retriever.retrieve(standalone, k=k)
                timings["retrieve"] = time.perf_counter() - started
                yield finish(self._desk_answer(question, spans, nearest, str(spec), k))
                return
        candidates = self.retriever.retrieve(
            standalone,
            k=max(self.settings.reader.candidates, shown),
            docs=docs,
            date_from=date_from,
            date_to=date_to,
            prefer=previous_documents(history),
            asked=asked,
        )
        timings["retrieve"] = time.perf_counter() - started
        read_started = time.perf_counter()
        finding = self.reading.run(asked, candidates)
        timings["read"] = time.perf_counter() - read_started
        passages = _shown(finding, shown)

        if not finding.answered:
            yield finish(self._refusal(question, passages, str(spec), finding))
            return
        if not spec.generative:
            yield finish(self._extractive_answer(question, passages, finding, str(spec)))
            return

        generated: list[str] = []
        generate_started = time.perf_counter()
        try:
            chat = self.chat_models.get(spec, self.settings.llm)
            focus = {
                passages.index(s.passage): (s.start, s.end)
                for s in reversed(finding.sentences)
                if s.passage in passages
            }
            for chunk in chat.stream(build_messages(standalone, passages, focus)):
                text = chunk.content if isinstance(chunk.content, str) else ""
                if text:
                    generated.append(text)
                    yield text
        except Exception as exc:  # any backend failure ends in the extractive answer
            log.warning(
                "model %s failed: %s", spec, exc, exc_info=not isinstance(exc, ModelUnavailable)
            )
            timings["generate"] = time.perf_counter() - generate_started
            notice = (
                f"The model {spec} could not answer ({_short(exc)}); "
                "showing the passages that answer instead."
            )
            yield finish(self._extractive_answer(question, passages, finding, str(spec), notice))
            return
        timings["generate"] = time.perf_counter() - generate_started

        verify_started = time.perf_counter()
        answer = self._verified_answer(question, "".join(generated), passages, finding, str(spec))
        timings["verify"] = time.perf_counter() - verify_started
        yield finish(answer)

    # -- building answers --------------------------------------------------------------

    def _verified_answer(
        self,
        question: str,
        generated: str,
        passages: list[Passage],
        finding: Finding,
        model: str,
    ) -> Answer:
        """The model's sentences that the passages support, led by the reader's short answer
        (cited by the reader's own sentence); unsupported sentences are removed and listed."""
        checked = self.verifier.verify(generated, passages)
        claims = [
            c
            if adds_information(c.text, question) or not c.supported
            else CheckedSentence(
                c.text, c.cited, None, "restates the question without answering it"
            )
            for c in checked
            if not is_model_refusal(c.text)
        ]
        supported = [c for c in claims if c.supported]
        unsupported = [c for c in claims if not c.supported]
        if not supported:
            if claims:
                notice = (
                    "None of the model's sentences could be verified against the documents; "
                    "showing the passages that answer instead."
                )
            else:
                notice = (
                    "The model found no answer; these passages from the documents may answer it."
                )
            return self._extractive_answer(
                question, passages, finding, model, notice, removed=unsupported
            )
        # The reader's sentence comes first, so its citation carries the short answer even
        # when the model said the fact otherwise or not at all.
        lead = _as_checked(finding.sentences[0], passages)
        citations, sentences = _cite(([lead] if lead else []) + supported, passages, self.store)
        short = _short_answer(finding, citations)
        if lead is not None:
            sentences = sentences[1:]  # the reader's sentence is the short answer's citation
        return Answer(
            question=question,
            answer=_render(sentences, short),
            answerable=True,
            sentences=tuple(sentences),
            citations=tuple(citations),
            passages=tuple(passages),
            unsupported=tuple(_removed(c) for c in unsupported),
            model=model,
            short=short,
            confidence=finding.confidence,
        )

    def _extractive_answer(
        self,
        question: str,
        passages: list[Passage],
        finding: Finding,
        model: str,
        notice: str = "",
        removed: Sequence[CheckedSentence] = (),
    ) -> Answer:
        chosen = [c for s in finding.sentences if (c := _as_checked(s, passages)) is not None]
        citations, sentences = _cite(chosen, passages, self.store)
        short = _short_answer(finding, citations)
        return Answer(
            question=question,
            answer=_render(sentences, short),
            short=short,
            answerable=True,
            sentences=tuple(sentences),
            citations=tuple(citations),
            passages=tuple(passages),
            unsupported=tuple(_removed(c) for c in removed),
            model=model,
            notice=notice,
            confidence=finding.confidence,
        )

    def _desk_answer(
        self, question: str, spans: list[Span], nearest: list[Passage], model: str, k: int | None
    ) -> Answer:
        """An answer from the desk: each span quoted whole and cited."""
        passages = [self.desk.passage(s.doc_id, s.start, s.end) for s in spans]
        chosen = [
            CheckedSentence(p.text, (), Support(i, p.start, p.end)) for i, p in enumerate(passages)
        ]
        citations, sentences = _cite(chosen, passages, self.store)
        first = next((s.short for s in spans if s.short), None)
        short = _cited_short(first, citations) if first else None
        return Answer(
            question=question,
            answer=_render(sentences, short),
            answerable=True,
            sentences=tuple(sentences),
            citations=tuple(citations),
            passages=tuple(passages + nearest)[
                : max(k or self.settings.retrieval.k, len(passages))
            ],
            unsupported=(),
            model=model,
            short=short,
        )

    def _refusal(
        self, question: str, passages: list[Passage], model: str, finding: Finding
    ) -> Answer:
        notice = ""
        nearest = finding.nearest
        offered = None
        if nearest is not None:
            offered = self._sentence_passage(nearest)
            where = offered.title or offered.name
            page = f", page {offered.page}" if offered.page else ""
            notice = (
                f"Not an answer, but the nearest the documents come ({where}{page}): "
                f"“{_clip(nearest.text)}”"
            )
        return Answer(
            question=question,
            answer=NOT_ANSWERED,
            answerable=False,
            sentences=(),
            citations=(),
            passages=tuple(passages),
            unsupported=(),
            model=model,
            notice=notice,
            confidence=finding.confidence,
            nearest=offered,
        )

    def _sentence_passage(self, located: Located) -> Passage:
        """A sentence the reader located, as a passage on its own page."""
        passage = located.passage
        try:
            first, last = page_range(
                self.store.page_spans(passage.doc_id), located.start, located.end
            )
        except DocumentNotFound:  # removed since it was read: keep the candidate's page
            first, last = passage.page, passage.end_page
        return dataclasses.replace(
            passage,
            start=located.start,
            end=located.end,
            text=located.text,
            page=first,
            end_page=last if last != first else None,
        )


def _cite(
    checked: list[CheckedSentence], passages: list[Passage], store: CaseIndex
) -> tuple[list[Citation], list[AnswerSentence]]:
    """Number the supporting spans in order of use and attach them to their sentences."""
    citations: list[Citation] = []
    numbers: dict[tuple[str, int, int], int] = {}
    texts: dict[str, str] = {}
    layouts: dict[str, tuple[tuple[PageSpan, ...], set[int]]] = {}
    sentences = []
    for sentence in checked:
        support = sentence.support
        assert support is not None
        passage = passages[support.passage]
        key = (passage.doc_id, support.start, support.end)
        if key not in numbers:
            if passage.doc_id not in texts:
                texts[passage.doc_id] = store.document_text(passage.doc_id)
                record = store.record(passage.doc_id)
                layouts[passage.doc_id] = (
                    store.page_spans(passage.doc_id),
                    set(record.ocr_pages) if record else set(),
                )
            spans, ocr_pages = layouts[passage.doc_id]
            # The pages the quoted words are on, which may differ from the passage's first.
            first, last = page_range(spans, support.start, support.end)
            numbers[key] = len(citations) + 1
            citations.append(
                Citation(
                    n=numbers[key],
                    doc_id=passage.doc_id,
                    source=passage.source,
                    title=passage.title,
                    page=first,
                    start=support.start,
                    end=support.end,
                    # From the stored document itself, so the quote is verbatim by construction.
                    quote=texts[passage.doc_id][support.start : support.end],
                    date=passage.date,
                    end_page=last if last != first else None,
                    ocr=bool(ocr_pages & pages_in(spans, support.start, support.end)),
                )
            )
        sentences.append(AnswerSentence(sentence.text, (numbers[key],), True, sentence.reason))
    return citations, sentences


def _shown(finding: Finding, k: int) -> list[Passage]:
    """The passages an answer lists: the reader's best `k`, the quoted ones among them."""
    quoted = [s.passage for s in finding.sentences]
    rest = [p for p in finding.ranked if p not in quoted]
    return list(dict.fromkeys(quoted + rest))[: max(k, len(quoted))]


def _as_checked(sentence: Located, passages: list[Passage]) -> CheckedSentence | None:
    """A quoted sentence as a supported sentence of the answer (None: its passage is not
    among those shown)."""
    if sentence.passage not in passages:
        return None
    support = Support(passages.index(sentence.passage), sentence.start, sentence.end)
    return CheckedSentence(sentence.text, (), support)


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _short_answer(finding: Finding, citations: list[Citation]) -> ShortAnswer | None:
    """The reader's best span, cited by the citation that quotes it."""
    if finding.short is None:
        return None
    return _cited_short((finding.short.start, finding.short.end), citations)


def _cited_short(span: tuple[int, int], citations: list[Citation]) -> ShortAnswer | None:
    """A span of a document (offsets) as a short answer, cited by the citation quoting it;
    None when no citation does."""
    start, end = span
    cited = next((c for c in citations if c.start <= start and end <= c.end), None)
    if cited is None:
        return None
    return ShortAnswer(cited.quote[start - cited.start : end - cited.start], cited.n, start, end)


def _render(sentences: list[AnswerSentence], short: ShortAnswer | None = None) -> str:
    parts = [f"{short.text} [{short.citation}]." if short else ""]
    for sentence in sentences:
        text = sentence.text.rstrip()
        markers = "".join(f"[{n}]" for n in sentence.citations)
        if text and text[-1] in ".!?":
            parts.append(f"{text[:-1]} {markers}{text[-1]}")
        else:
            parts.append(f"{text} {markers}")
    return " ".join(part for part in parts if part)


def _removed(sentence: CheckedSentence) -> AnswerSentence:
    return AnswerSentence(
        sentence.text, tuple(i + 1 for i in sentence.cited), False, sentence.reason
    )


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
