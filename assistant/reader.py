"""The trained span reader: which words of which passage answer a question, and whether any do.

A MiniLM encoder fine-tuned to mark an answer's first and last token and to say whether a
window holds an answer at all (`training/`, model card in `assistant/reader_model/`), run
as int8 ONNX. Each passage is read in windows of at most `max_length` tokens; every span is
scored as P(this window answers) x P(an answer starts and ends within these words | it
answers) — the probability of every span overlapping it pooled, so that "Ruth Abrams" and
"the Honorable Ruth Abrams" are one answer — and spans from different passages compare
fairly; a passage's best window says how well it answers (the reader re-ranks retrieval).
The threshold below which nothing counts as an answer is chosen on data
(`python -m bench.threshold --write`) and stored with the model (`reader.json`), never set
by hand per case.

>>> reader = ExtractiveReader()
>>> reading = reader.read("Who wrote the opinion?", ["JONES, J., delivered the opinion."])
>>> reading.best.text, reading.best.score
('JONES', 0.93)
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.reader_windows import Window, WindowTokenizer, best_spans, pad
from casefile.kernel.errors import ModelUnavailable

BUNDLED_READER = Path(__file__).resolve().parent / "reader_model"


@dataclass(frozen=True)
class ReadSpan:
    """A span of one of the texts read, as an answer."""

    passage: int  # index of the text it is in
    start: int  # character offsets in that text
    end: int
    text: str
    score: float  # P(window answers) x P(span | window answers), 0..1


@dataclass(frozen=True)
class Reading:
    """What the reader made of a question over some texts."""

    spans: tuple[ReadSpan, ...]  # best first, across all texts, not overlapping
    relevance: tuple[float, ...]  # per text: P(some window of it answers)
    threshold: float  # a best span below this is no answer (calibrated)
    # The spans asked about (`read(marked=...)`), each scored by its best window's P(answers).
    marked: tuple[ReadSpan, ...] = ()
    relevance_threshold: float = 0.5  # a window less likely to answer than this does not

    @property
    def best(self) -> ReadSpan | None:
        return self.spans[0] if self.spans else None

    @property
    def answered(self) -> bool:
        return bool(self.spans) and self.spans[0].score >= self.threshold


@dataclass(frozen=True)
class ReaderConfig:
    """The model's own settings, stored beside it in reader.json."""

    max_length: int = 384
    stride: int = 128
    max_question: int = 64
    max_answer_tokens: int = 30
    threshold: float = 0.5  # replaced by the calibrated value in reader.json
    relevance_threshold: float = 0.5  # the same, for P(a window answers) alone
    calibration: dict[str, Any] | None = None

    @classmethod
    def load(cls, folder: Path) -> ReaderConfig:
        path = folder / "reader.json"
        if not path.exists():
            return cls()
        stored = json.loads(path.read_text(encoding="utf-8"))
        fields = {k: v for k, v in stored.items() if k in cls.__dataclass_fields__}
        return cls(**fields)


class ExtractiveReader:
    """Reads passages for the span that answers a question (see the module's docstring)."""

    def __init__(
        self,
        model: Path | str | None = None,
        *,
        batch_size: int = 1,
        threads: int | None = None,
        threshold: float | None = None,
    ) -> None:
        # One window per call: on a CPU as fast as batches (measured: 20 windows of 200
        # tokens in 150 ms one by one, 190 ms as one batch), and int8 activations are
        # quantised per call, so a window's scores would otherwise depend on its neighbours.
        if batch_size <= 0:
            raise ValueError(f"batch_size must be greater than 0. Currently, it is {batch_size}")
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1. Currently, it is {threshold}")
        self.model = Path(model) if model else BUNDLED_READER
        self.batch_size = batch_size
        self.threads = threads
        self._threshold = threshold
        self._loaded: tuple[Any, WindowTokenizer, ReaderConfig] | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> tuple[Any, WindowTokenizer, ReaderConfig]:
        """(ONNX session, tokenizer, config), loaded once."""
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> tuple[Any, WindowTokenizer, ReaderConfig]:
        import onnxruntime

        path = self.model / "model.onnx"
        if not path.exists():
            raise ModelUnavailable(
                f"{path}: the reader model is missing (train and export it: "
                "python -m training.reader train, then export)"
            )
        config = ReaderConfig.load(self.model)
        tokenizer = WindowTokenizer(
            self.model / "tokenizer.json",
            max_length=config.max_length,
            stride=config.stride,
            max_question=config.max_question,
        )
        options = onnxruntime.SessionOptions()
        if self.threads:
            options.intra_op_num_threads = self.threads
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        return session, tokenizer, config

    @property
    def threshold(self) -> float:
        if self._threshold is not None:
            return self._threshold
        return self.warm_up()[2].threshold

    def read(
        self,
        question: str,
        texts: list[str],
        *,
        top_k: int = 5,
        marked: Sequence[Sequence[tuple[int, int]]] = (),
    ) -> Reading:
        """The `top_k` best spans of `texts` as answers to `question`; with `marked` (per
        text, character spans: a court document's statement of a role, say), also how likely
        the best window holding each is to answer, best first (a span no window holds whole
        scores 0). Which words answer is then the structure's call, whether it answers the
        reader's."""
        session, tokenizer, config = self.warm_up()
        threshold = self.threshold
        if not texts or not question.strip():
            return Reading((), tuple(0.0 for _ in texts), threshold, (), config.relevance_threshold)
        # Per marked span: (its best window's P(answers), P(it is that window's answer)).
        wanted = {
            (index, start, end): (0.0, 0.0)
            for index, spans in enumerate(marked)
            for start, end in spans
            if end > start
        }
        question_ids = tokenizer.question_ids(question)
        windows: list[tuple[int, Window]] = []
        for index, (ids, offsets) in enumerate(tokenizer.passage_tokens(texts)):
            if len(ids):
                windows += [(index, w) for w in tokenizer.windows(question_ids, ids, offsets)]
        relevance = [0.0] * len(texts)
        candidates: list[ReadSpan] = []
        for first in range(0, len(windows), self.batch_size):
            batch = windows[first : first + self.batch_size]
            starts, ends, answerable = session.run(None, pad([w for _, w in batch]))
            for row, (index, window) in enumerate(batch):
                p_window = _sigmoid(float(answerable[row]))
                relevance[index] = max(relevance[index], p_window)
                start_p = _context_log_softmax(starts[row], window)
                end_p = _context_log_softmax(ends[row], window)
                for key in [k for k in wanted if k[0] == index]:
                    tokens = window.token_span(key[1], key[2])
                    if tokens is not None:
                        own = math.exp(start_p[tokens[0]] + end_p[tokens[1]])
                        wanted[key] = max(wanted[key], (p_window, own))
                for span in best_spans(
                    window, start_p, end_p, max_answer_tokens=config.max_answer_tokens
                ):
                    text = texts[index][span.char_start : span.char_end]
                    candidates.append(
                        ReadSpan(
                            index,
                            span.char_start,
                            span.char_end,
                            text,
                            p_window * math.exp(span.score),
                        )
                    )
        candidates.sort(key=lambda s: s.score, reverse=True)
        chosen: list[ReadSpan] = []
        for span in candidates:
            if any(
                s.passage == span.passage and s.start < span.end and span.start < s.end
                for s in chosen
            ):
                continue  # the same words from an overlapping window
            chosen.append(span)
            if len(chosen) == top_k:
                break
        # Best window first; within a window, the statement the reader itself would pick
        # ("Priya Natarajan ... for appellee" over the appellant's counsel beside it).
        ranked_marks = sorted(wanted.items(), key=lambda item: item[1], reverse=True)
        scored_marks = [
            ReadSpan(index, start, end, texts[index][start:end], window)
            for (index, start, end), (window, _) in ranked_marks
        ]
        return Reading(
            tuple(chosen),
            tuple(relevance),
            threshold,
            tuple(scored_marks),
            config.relevance_threshold,
        )


_SHARED: dict[tuple[str, int | None, float | None], ExtractiveReader] = {}
_SHARED_LOCK = threading.Lock()


def shared_reader(
    model: Path | str | None = None, threads: int | None = None, threshold: float | None = None
) -> ExtractiveReader:
    """The process's one reader for these settings: every case shares its loaded model."""
    key = (str(Path(model).resolve()) if model else "", threads, threshold)
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = ExtractiveReader(model, threads=threads, threshold=threshold)
        return _SHARED[key]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _context_log_softmax(logits: np.ndarray, window: Window) -> np.ndarray:
    """Log-probabilities over the window's passage tokens (the rest at -inf), in place of
    the raw logits, so a span's score is log P(start) + log P(end) given an answer here."""
    first = window.context_start
    last = first + len(window.offsets)
    out = np.full(logits.shape, -np.inf, dtype=np.float64)
    part = logits[first:last].astype(np.float64)
    part = part - part.max()
    out[first:last] = part - math.log(float(np.exp(part).sum()))
    return out
