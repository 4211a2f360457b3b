"""Citation alignment and verification: is each sentence of an answer backed by its source?

A sentence is supported by a passage when a window of one to three consecutive sentences
of that passage (a) contains every number, name and quoted phrase of the sentence and
(b) is close to it in meaning: most of its content words appear there, or its embedding
is near. A sentence that cites the wrong source is re-pointed to one that supports it;
a sentence without a citation is given the source that supports it; anything else is
unsupported and leaves the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.evidence import Checkables, content_terms, covers
from assistant.injection import is_instruction
from assistant.sentence_vectors import SentenceEmbeddingCache
from casefile.kernel.records import Passage
from casefile.kernel.text import split_sentences

_MARKER = re.compile(r"\s*\[(?:sources?\s*)?(\d+(?:\s*(?:,|and|-)\s*\d+)*)\]", re.IGNORECASE)
_MARKERS_AFTER_STOP = re.compile(
    r"([.!?][”\"']?)((?:\s*\[(?:sources?\s*)?\d+(?:\s*(?:,|and|-)\s*\d+)*\])+)", re.IGNORECASE
)


@dataclass(frozen=True)
class Support:
    """Where a sentence is backed: passage index and the quoted span (document offsets)."""

    passage: int
    start: int
    end: int


@dataclass(frozen=True)
class CheckedSentence:
    text: str  # without citation markers
    cited: tuple[int, ...]  # passage indices the model cited (0-based)
    support: Support | None
    reason: str = ""

    @property
    def supported(self) -> bool:
        return self.support is not None


def split_cited_sentences(answer: str) -> list[tuple[str, tuple[int, ...]]]:
    """Sentences of a generated answer, each with the source numbers (1-based) it cites."""
    # "... million. [1]" -> "... million [1]." so the marker stays with its sentence.
    text = _MARKERS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", answer.strip())
    sentences = []
    for start, end in split_sentences(text):
        raw = text[start:end]
        numbers: list[int] = []
        for match in _MARKER.finditer(raw):
            numbers.extend(_expand(match.group(1)))
        clean = _MARKER.sub("", raw).strip()
        clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
        if re.search(r"[A-Za-z0-9]", clean):
            sentences.append((clean, tuple(dict.fromkeys(numbers))))
    return sentences


def _expand(group: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,|and)\s*", group):
        if "-" in part:
            low, high = (int(x) for x in part.split("-", 1))
            numbers.extend(range(low, high + 1) if 0 < high - low < 10 else [low, high])
        elif part.strip().isdigit():
            numbers.append(int(part))
    return numbers


class CitationVerifier:
    """Decides, sentence by sentence, which passage (if any) supports a generated answer."""

    def __init__(
        self,
        cache: SentenceEmbeddingCache,
        *,
        min_similarity: float = 0.72,
        min_overlap: float = 0.6,
    ) -> None:
        self.cache = cache
        self.min_similarity = min_similarity
        self.min_overlap = min_overlap

    def verify(self, answer: str, passages: list[Passage]) -> list[CheckedSentence]:
        """Every sentence of `answer` with its support, or the reason it has none."""
        checked = []
        for sentence, numbers in split_cited_sentences(answer):
            cited = tuple(n - 1 for n in numbers if 0 < n <= len(passages))
            checked.append(self.check_sentence(sentence, cited, passages))
        return checked

    def check_sentence(
        self, sentence: str, cited: tuple[int, ...], passages: list[Passage]
    ) -> CheckedSentence:
        if is_instruction(sentence):
            return CheckedSentence(
                sentence, cited, None, "repeats an instruction found in a document"
            )
        reasons = []
        for index in cited:
            support, reason = self.support_in(sentence, passages[index], index)
            if support:
                return CheckedSentence(sentence, cited, support)
            reasons.append(f"[{index + 1}]: {reason}")
        others = [i for i in range(len(passages)) if i not in cited]
        for index in others:
            support, _ = self.support_in(sentence, passages[index], index)
            if support:
                how = (
                    f"cited [{', '.join(str(i + 1) for i in cited)}], supported by [{index + 1}]"
                    if cited
                    else f"no citation given; supported by [{index + 1}]"
                )
                return CheckedSentence(sentence, cited, support, how)
        if not cited:
            reasons.append("no citation given and no source supports it")
        return CheckedSentence(sentence, cited, None, "; ".join(reasons))

    def support_in(self, sentence: str, passage: Passage, index: int) -> tuple[Support | None, str]:
        """The smallest window of `passage` that supports `sentence`, or why there is none."""
        windows = _windows(passage)
        if not windows:
            return None, "the source has no usable text"
        checkables = Checkables.of(sentence)
        terms = content_terms(sentence)
        texts = [passage.text[s - passage.start : e - passage.start] for s, e in windows]
        similarity = self.cache.embed(texts) @ self.cache.query(sentence)
        best: tuple[float, str] = (-1.0, "not close in meaning to the source")
        for (start, end), text, sim in sorted(
            zip(windows, texts, similarity, strict=True), key=lambda w: w[0][1] - w[0][0]
        ):
            missing = checkables.missing_from(text)
            overlap = len(covers(terms, content_terms(text))) / len(terms) if terms else 1.0
            close = overlap >= self.min_overlap or sim >= self.min_similarity
            if not missing and close:
                return Support(index, start, end), ""
            if overlap + float(sim) > best[0]:
                reason = (
                    f"the source does not contain {', '.join(missing)}"
                    if missing
                    else "not close in meaning to the source"
                )
                best = (overlap + float(sim), reason)
        return None, best[1]


def _windows(passage: Passage, widest: int = 3) -> list[tuple[int, int]]:
    """Spans (document offsets) of 1..`widest` consecutive sentences of a passage."""
    # Runs of sentences within one paragraph (a line of the stored text: cleaning may have
    # dropped lines between paragraphs) and between instruction-like sentences.
    runs: list[list[tuple[int, int]]] = [[]]
    previous_end = 0
    for s, e in split_sentences(passage.text):
        if is_instruction(passage.text[s:e]) or "\n" in passage.text[previous_end:s]:
            runs.append([])
        if not is_instruction(passage.text[s:e]):
            runs[-1].append((passage.start + s, passage.start + e))
        previous_end = e
    return [
        (run[i][0], run[i + width - 1][1])
        for run in runs
        for width in range(1, widest + 1)
        for i in range(len(run) - width + 1)
    ]
