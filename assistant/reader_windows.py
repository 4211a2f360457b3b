"""Question + passage windows for the span reader, and spans read back from its scores.

Shared by the reader at answer time (`assistant/reader.py`) and by its training
(`training/`): a model is only as good as the agreement between how it was fed in
training and how it is fed in use, so both build their windows here.

A window is `[CLS] question [SEP] passage tokens [SEP]`; a passage longer than one window
is read in overlapping windows (`stride` tokens shared between neighbours). Every passage
token keeps its character offsets, so a span of tokens maps back to verbatim text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CLS_ID = 101
SEP_ID = 102


@dataclass(frozen=True)
class Window:
    """One model input: token ids, and where each passage token lies in the passage."""

    ids: np.ndarray  # int64 [length]
    type_ids: np.ndarray  # int64 [length]: 0 for the question, 1 for the passage
    context_start: int  # index of the window's first passage token in `ids`
    offsets: np.ndarray  # int64 [n, 2]: character span in the passage of each passage token

    @property
    def length(self) -> int:
        return len(self.ids)

    def token_span(self, char_start: int, char_end: int) -> tuple[int, int] | None:
        """The (first, last) positions in `ids` of the tokens covering [char_start, char_end),
        or None when the span is not wholly inside this window."""
        if not len(self.offsets):
            return None
        if char_start < self.offsets[0, 0] or char_end > self.offsets[-1, 1]:
            return None
        first = int(np.searchsorted(self.offsets[:, 1], char_start, side="right"))
        last = int(np.searchsorted(self.offsets[:, 0], char_end, side="left")) - 1
        if first > last:
            return None
        return self.context_start + first, self.context_start + last


class WindowTokenizer:
    """Cuts (question, passage) pairs into windows of at most `max_length` tokens."""

    def __init__(
        self,
        tokenizer_file: Path | str,
        *,
        max_length: int = 384,
        stride: int = 128,
        max_question: int = 64,
    ) -> None:
        from tokenizers import Tokenizer

        if max_length < max_question + 32:
            raise ValueError(
                f"max_length must leave room for a passage after a {max_question}-token "
                f"question. Currently, max_length is {max_length}"
            )
        if not 0 <= stride < max_length - max_question - 3:
            raise ValueError(f"stride must be smaller than a window. Currently, it is {stride}")
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.max_length = max_length
        self.stride = stride
        self.max_question = max_question

    def question_ids(self, question: str) -> list[int]:
        ids = self.tokenizer.encode(question, add_special_tokens=False).ids
        return ids[: self.max_question]

    def passage_tokens(self, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(ids, character offsets) of each passage, tokenised in one batch."""
        encoded = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        return [
            (
                np.asarray(e.ids, dtype=np.int64),
                np.asarray(e.offsets, dtype=np.int64).reshape(-1, 2),
            )
            for e in encoded
        ]

    def windows(
        self, question_ids: list[int], ids: np.ndarray, offsets: np.ndarray
    ) -> list[Window]:
        """The overlapping windows of one tokenised passage."""
        head = [CLS_ID, *question_ids, SEP_ID]
        room = self.max_length - len(head) - 1
        step = room - self.stride
        windows = []
        start = 0
        while True:
            end = min(start + room, len(ids))
            body = ids[start:end]
            window_ids = np.concatenate(
                [np.asarray(head, dtype=np.int64), body, np.asarray([SEP_ID], dtype=np.int64)]
            )
            type_ids = np.concatenate(
                [np.zeros(len(head), dtype=np.int64), np.ones(len(body) + 1, dtype=np.int64)]
            )
            windows.append(Window(window_ids, type_ids, len(head), offsets[start:end]))
            if end >= len(ids):
                return windows
            start += step


def pad(windows: list[Window], multiple: int = 1) -> dict[str, np.ndarray]:
    """The model's inputs for a batch of windows, padded to the longest (rounded up to a
    `multiple`: fewer distinct shapes, which CPU kernels set up once each)."""
    width = -(-max(w.length for w in windows) // multiple) * multiple
    ids = np.zeros((len(windows), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for row, window in enumerate(windows):
        ids[row, : window.length] = window.ids
        types[row, : window.length] = window.type_ids
        mask[row, : window.length] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


@dataclass(frozen=True)
class WindowSpan:
    """The best spans of one window: passage character offsets and their logits."""

    char_start: int
    char_end: int
    score: float  # log-sum-exp of start + end logits over the spans overlapping it


def best_spans(
    window: Window,
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    *,
    max_answer_tokens: int = 30,
    top_n: int = 20,
    limit: int = 3,
) -> list[WindowSpan]:
    """The `limit` best non-overlapping spans of the passage part of one window, each scored
    with the mass of every span overlapping it (log-sum-exp of their start + end scores):
    "the Honorable Ruth Abrams", "Ruth Abrams" and "Abrams" are one answer, and the reader's
    belief in it should not be split between its boundaries."""
    n = len(window.offsets)
    if n == 0:
        return []
    first = window.context_start
    starts = start_logits[first : first + n]
    ends = end_logits[first : first + n]
    top_starts = np.argsort(-starts)[:top_n]
    top_ends = np.argsort(-ends)[:top_n]
    pairs = [
        (float(starts[s] + ends[e]), int(s), int(e))
        for s in top_starts
        for e in top_ends
        if s <= e < s + max_answer_tokens
    ]
    pairs.sort(reverse=True)
    if not pairs:
        return []
    top = pairs[0][0]
    chosen: list[tuple[int, int]] = []
    mass: list[float] = []  # per chosen span, relative to the best pair's exp(score)
    for score, s, e in pairs:
        overlapped = next((i for i, (cs, ce) in enumerate(chosen) if s <= ce and e >= cs), None)
        if overlapped is not None:
            mass[overlapped] += math.exp(score - top)
        elif len(chosen) < limit:
            chosen.append((s, e))
            mass.append(math.exp(score - top))
    spans = [
        WindowSpan(int(window.offsets[s, 0]), int(window.offsets[e, 1]), top + math.log(m))
        for (s, e), m in zip(chosen, mass, strict=True)
    ]
    return sorted(spans, key=lambda span: span.score, reverse=True)
