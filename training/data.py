"""Training windows for the span reader, from SQuAD v1.1 and CUAD.

Three kinds of example, as the reader meets them in a case:
- a question with the passage that answers it (SQuAD v1.1 train; CUAD's short-answer clauses:
  a contract's parties, dates, governing law, terms, cut into windows);
- a question with a passage on the same subject that does not answer it: the paragraph of the
  same article that shares most words with the question and does not hold the answer (a
  retriever's typical near miss), its own paragraph with the answer's sentences taken out
  (everything around the fact but the fact), the question turned to someone the paragraph
  never names (another party's fact is not an answer), and CUAD windows of a contract that
  lacks the clause asked about;
- the windows of a long passage that do not hold its answer (answer: none).

Everything is derived from the seed, so the same files and settings give the same examples.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.reader_windows import Window, WindowTokenizer
from casefile.kernel.text import split_sentences

SQUAD_TRAIN = "train-v1.1.json.xz"
SQUAD_DEV = "dev-v1.1.json.xz"
SQUAD2_DEV = "dev-v2.0.json.xz"
CUAD = "CUAD_v1_rebuilt.json.xz"

# CUAD's clause categories whose answers are short facts, asked as a reader asks them.
# (CUAD's own questions are instructions to a lawyer: "Highlight the parts (if any) ...")
CUAD_QUESTIONS = {
    "Document Name": "What is the name of the contract?",
    "Parties": "Who are the parties to the contract?",
    "Agreement Date": "What is the date of the contract?",
    "Effective Date": "When does the contract take effect?",
    "Expiration Date": "When does the initial term of the contract expire?",
    "Renewal Term": "What is the renewal term after the initial term expires?",
    "Notice Period To Terminate Renewal": "How much notice is required to terminate renewal?",
    "Governing Law": "Which state's law governs the contract?",
    "Warranty Duration": "How long is the warranty?",
}
_STOP = frozenset(
    """a an the of in on at to for by with from and or is are was were be been did do
    does what which who whom whose when where why how that this these those it its as into
    than""".split()
)


@dataclass(frozen=True)
class Example:
    """A question, a passage, and where in it the answer lies (None: it is not there)."""

    question: str
    context: str
    answer: tuple[int, int] | None
    source: str  # squad, squad-negative, squad-removed, squad-swapped, cuad, cuad-negative


@dataclass(frozen=True)
class Feature:
    """One training window with its target positions (0, 0: no answer in this window)."""

    window: Window
    start: int
    end: int
    source: str

    @property
    def answerable(self) -> bool:
        return self.start > 0


def load_json_xz(path: Path) -> dict:
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


def squad_examples(
    data: dict,
    rng: random.Random,
    negative_rate: float,
    removed_rate: float = 0.0,
    swapped_rate: float = 0.0,
) -> Iterator[Example]:
    """SQuAD v1.1's answered questions; for a share of them (`negative_rate`) the same
    question asked of the closest other paragraph of its article that does not hold the
    answer; for another share (`removed_rate`) asked of its own paragraph with the sentences
    holding the answer taken out: on the subject, near the answer, but silent on it (as
    SQuAD 2.0's unanswerable questions are, and as a retrieved passage next to the one that
    answers is); and for another (`swapped_rate`) asked of its own paragraph about someone
    else: a name of the question replaced by another name of the article that the paragraph
    never mentions ("How much did Baldoni sue for?" asked of a passage on what Lively seeks)."""
    for article in data["data"]:
        paragraphs = article["paragraphs"]
        words = [content_words(p["context"]) for p in paragraphs]
        named = sorted({n for p in paragraphs for n in names_in(p["context"])})
        for i, paragraph in enumerate(paragraphs):
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answer = qa["answers"][0]
                start = answer["answer_start"]
                end = start + len(answer["text"])
                if context[start:end] != answer["text"]:
                    continue
                yield Example(qa["question"], context, (start, end), "squad")
                if removed_rate and rng.random() < removed_rate:
                    rest = without_answer(context, start, end, answer["text"])
                    if rest:
                        yield Example(qa["question"], rest, None, "squad-removed")
                if swapped_rate and rng.random() < swapped_rate:
                    other = about_someone_else(qa["question"], context, named, rng)
                    if other:
                        yield Example(other, context, None, "squad-swapped")
                if rng.random() >= negative_rate:
                    continue
                texts = {a["text"].lower() for a in qa["answers"]}
                asked = content_words(qa["question"])
                others = [
                    (len(asked & words[j]), j)
                    for j, other in enumerate(paragraphs)
                    if j != i and not any(t in other["context"].lower() for t in texts)
                ]
                if others:
                    _, j = max(others)
                    yield Example(qa["question"], paragraphs[j]["context"], None, "squad-negative")


# A run of capitalised words ("Notre Dame", "Kanye West"), possibly joined by "of"/"de".
_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’-]+){0,3}")
_NOT_NAMES = frozenset(
    """The A An In On At For But And Or If It Its This That These Those He She They We What
    Which Who When Where Why How During After Before Since While Although However""".split()
)


def names_in(text: str) -> list[str]:
    """The capitalised runs of `text` that are not merely the first word of a sentence."""
    found = []
    for match in _NAME.finditer(text):
        before = text[: match.start()].rstrip()
        opens = not before or before[-1] in '.!?"“(:'
        name = match.group(0)
        if opens and " " not in name:
            continue
        if name.split()[0] in _NOT_NAMES:
            continue
        found.append(name)
    return found


def about_someone_else(
    question: str, context: str, named: list[str], rng: random.Random
) -> str | None:
    """`question` with one of its names that `context` mentions replaced by a name of the
    article that `context` never mentions (one of as many words, where there is one)."""
    mine = [n for n in names_in(question) if n in context]
    if not mine:
        return None
    target = rng.choice(mine)
    pool = [n for n in named if n not in context and n not in question and n != target]
    same = [n for n in pool if len(n.split()) == len(target.split())]
    if not (same or pool):
        return None
    return question.replace(target, rng.choice(same or pool), 1)


def without_answer(context: str, start: int, end: int, answer: str) -> str | None:
    """`context` without the sentences that overlap [start, end), or None when what is left
    still holds the answer's words or is too short to read as a passage."""
    sentences = split_sentences(context)
    kept = [context[s:e] for s, e in sentences if e <= start or s >= end]
    if len(kept) < 2 or len(kept) == len(sentences):
        return None
    rest = " ".join(kept)
    if answer.lower() in rest.lower():
        return None
    return rest


def cuad_examples(
    data: dict,
    tokenizer: WindowTokenizer,
    rng: random.Random,
    *,
    max_answer_words: int = 30,
    negatives_per_question: int = 1,
) -> Iterator[Example]:
    """CUAD contracts cut into passages a window long: the passage around each short answer,
    and for clauses a contract lacks (or windows away from its answers) the passage that
    shares most words with the question."""
    span = tokenizer.max_length - tokenizer.max_question - 3
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            contract = paragraph["context"]
            ids, offsets = tokenizer.passage_tokens([contract])[0]
            if not len(ids):
                continue
            pieces = []  # (char start, char end) of consecutive passages of `span` tokens
            for first in range(0, len(ids), span // 2):
                last = min(first + span, len(ids)) - 1
                pieces.append((int(offsets[first, 0]), int(offsets[last, 1])))
                if last == len(ids) - 1:
                    break
            piece_words = [content_words(contract[a:b]) for a, b in pieces]
            for qa in paragraph["qas"]:
                category = qa["id"].rsplit("__", 1)[-1]
                question = CUAD_QUESTIONS.get(category)
                if question is None:
                    continue
                answers = [
                    (a["answer_start"], a["answer_start"] + len(a["text"]))
                    for a in qa["answers"]
                    if len(a["text"].split()) <= max_answer_words
                ]
                if qa["answers"] and not answers:
                    continue  # only long answers: neither a target nor a safe negative
                used = set()
                for start, end in answers[:2]:
                    # A passage a window long around the answer, placed at random around it.
                    inside = [k for k, (a, b) in enumerate(pieces) if a <= start and end <= b]
                    if not inside:
                        continue
                    k = rng.choice(inside)
                    used.add(k)
                    a, b = pieces[k]
                    yield Example(question, contract[a:b], (start - a, end - a), "cuad")
                every = [
                    (a["answer_start"], a["answer_start"] + len(a["text"])) for a in qa["answers"]
                ]
                asked = content_words(question + " " + category)
                free = [
                    k
                    for k, (a, b) in enumerate(pieces)
                    if k not in used and not any(s < b and e > a for s, e in every)
                ]
                free.sort(key=lambda k: (-len(asked & piece_words[k]), k))
                for k in free[:negatives_per_question]:
                    a, b = pieces[k]
                    yield Example(question, contract[a:b], None, "cuad-negative")


def features(example: Example, tokenizer: WindowTokenizer) -> list[Feature]:
    """The windows of one example with their targets."""
    question = tokenizer.question_ids(example.question)
    ids, offsets = tokenizer.passage_tokens([example.context])[0]
    found = []
    for window in tokenizer.windows(question, ids, offsets):
        span = window.token_span(*example.answer) if example.answer else None
        start, end = span if span else (0, 0)
        found.append(Feature(window, start, end, example.source))
    return found


def batches(features: list[Feature], batch_size: int, rng: np.random.Generator) -> list[list[int]]:
    """Batches of feature indices, shuffled, each of windows of similar length (less padding
    to compute): shuffle, sort within runs of 50 batches by length, shuffle the batches."""
    order = rng.permutation(len(features))
    run = batch_size * 50
    grouped: list[list[int]] = []
    for first in range(0, len(order), run):
        block = sorted(order[first : first + run], key=lambda i: features[i].window.length)
        grouped += [
            [int(i) for i in block[k : k + batch_size]] for k in range(0, len(block), batch_size)
        ]
    return [grouped[i] for i in rng.permutation(len(grouped))]
