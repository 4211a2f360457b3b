"""The `extractive` model: answer with the retrieved sentences that best answer the question.

It also decides whether a question is answerable at all, for every model: a question
whose best sentence is too far from it, lacks the kind of fact asked for (a date for
"when", a number for "how much", a name for "who"), or shares none of its subject words
is refused rather than answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from langchain_core.embeddings import Embeddings

from assistant.evidence import (
    content_terms,
    covers,
    has_date,
    names_in,
    numbers_in,
    stem,
    term_pairs,
)
from assistant.injection import is_instruction
from assistant.questions import (
    AnswerKind,
    Question,
    about_another_party,
    asks_amount,
    asks_name,
    fill,
    has_amount,
    is_yes_no,
    leading_name,
    short_span,
)
from assistant.sentence_vectors import SentenceEmbeddingCache
from casefile.kernel.records import Passage
from casefile.kernel.text import short_line_runs, split_sentences
from ingest.legal import statements

# Statements of the role or ruling asked about are answers even somewhat below min_score:
# the document's structure vouches for them.
FILLED_SLACK = 0.25
YES_NO_SLACK = 0.15
# How far below the best sentence one that names the person asked for may be.
NAME_MARGIN = 0.15
_QUOTATION = re.compile(r"[“\"][^”\"]{3,}[”\"]")
_NUMBER_WORDS = re.compile(r"\b(million|billion|thousand|hundred|dozen|percent)\b", re.I)


# "John A. SAVAGE, Appellant, v. Ernest F. GRAJEK ..., Appellees.": the parties of a caption.
_CAPTION = re.compile(
    r"\bv\.\s.*\b(?:appellants?|appellees?|plaintiffs?|defendants?|petitioners?|respondents?)\b",
    re.I,
)
# "See Gift Surplus, LLC v. State ex rel. Cooper, 268 N.C. App. 1 (2019).": a citation to a
# case, which cites another decision rather than stating anything of this one.
_CITATION = re.compile(
    r"^\s*(?:(?:see|cf\.|accord|but\s+see|e\.g\.,)\s+(?:also\s+)?)?[A-Z][^.;]{0,80}?\s+v\.\s+"
    r"[^;]{1,120}?,\s+(?:No\.\s|\d+\s+[A-Z][\w.]*\s+(?:\d+[a-z]{0,2}\s+)?\d+)",
    re.I,
)


def is_fragment(sentence: str) -> bool:
    """A heading, a caption, a bare citation or a scrap of a page, which never answers on
    its own: set in capitals or as a headline, a few words that do not end as a sentence
    does, the parties of a caption, or a citation to another case."""
    letters = [c for c in sentence if c.isalpha()]
    shouted = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    words = sentence.split()
    unended = not re.search(r"[.!?][”\"’')\]]*$", sentence.strip())
    short = len(words) < 6 and unended
    # "Northwind Traders Reports Second Quarter Results": a headline, in title case.
    long_words = [w for w in words if len(w) > 3 and w[:1].isalpha()]
    # (A row of a table, "1.650% Notes Due May 2035 JNJ35", holds figures: it is data.)
    figures = sum(bool(re.search(r"\d", w)) for w in words)
    headline = (
        unended
        and len(long_words) >= 3
        and len(words) <= 16
        and figures <= 1
        and all(w[:1].isupper() for w in long_words)
    )
    cited = bool(_CITATION.match(sentence)) and len(sentence.split()) < 40
    return shouted or short or headline or bool(_CAPTION.search(sentence)) or cited


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence of a retrieved passage, scored as an answer to the question."""

    passage: Passage
    start: int  # offsets in the document's stored text
    end: int
    text: str
    score: float
    similarity: float
    overlap: float
    on_topic: bool
    short: tuple[int, int] | None = None  # document offsets of the words that answer


@dataclass(frozen=True)
class Assessment:
    answerable: bool
    reason: str
    sentences: list[ScoredSentence]


class ExtractiveAnswerer:
    """Scores the sentences of retrieved passages against a question."""

    def __init__(
        self,
        embeddings: Embeddings | SentenceEmbeddingCache,
        *,
        min_score: float = 0.45,
        max_sentences: int = 2,
        margin: float = 0.06,
    ) -> None:
        if not 0 < min_score < 1:
            raise ValueError(f"min_score must be between 0 and 1. Currently, it is {min_score}")
        if max_sentences <= 0:
            raise ValueError(
                f"max_sentences must be greater than 0. Currently, it is {max_sentences}"
            )
        self.cache = (
            embeddings
            if isinstance(embeddings, SentenceEmbeddingCache)
            else SentenceEmbeddingCache(embeddings)
        )
        self.min_score = min_score
        self.max_sentences = max_sentences
        self.margin = margin

    def score(self, question: str, passages: list[Passage]) -> list[ScoredSentence]:
        """Every usable sentence of `passages`, best answer first."""
        spans = [
            (passage, passage.start + s, passage.start + e, passage.text[s:e])
            for passage in passages
            for s, e in split_sentences(passage.text)
        ]
        # A signature block states one fact over several short lines ("SUSAN ILLSTON" /
        # "United States District Judge"): the lines of such a statement count as one.
        if Question.parse(question).roles:
            spans += [
                (passage, passage.start + s, passage.start + e, passage.text[s:e])
                for passage in passages
                for s, e in _statement_lines(passage.text)
            ]
        seen: set[tuple[str, int]] = set()
        usable = []
        for passage, start, end, text in spans:
            # Short sentences count only when they state a role or a ruling ("AFFIRMED.").
            short = len(text.split()) < 4 and not statements(text)
            if (passage.doc_id, start) in seen or short or is_instruction(text):
                continue
            seen.add((passage.doc_id, start))
            usable.append((passage, start, end, text))
        if not usable:
            return []
        texts = [u[3] for u in usable]
        question_names = names_in(question)
        # A name the question shares with only a sentence or two pins the topic down.
        mentions = {n: sum(n in names_in(t) for t in texts) for n in question_names}
        rare_names = {n for n, count in mentions.items() if 0 < count <= 2}
        rated = self.rate(question, texts, rare_names)
        scored = [
            ScoredSentence(passage, start, end, text, score, similarity, overlap, on_topic)
            for (passage, start, end, text), (score, similarity, overlap, on_topic) in zip(
                usable, rated, strict=True
            )
        ]
        return sorted(scored, key=lambda s: s.score, reverse=True)

    def rate(
        self, question: str, texts: list[str], rare_names: set[str] = frozenset()
    ) -> list[tuple[float, float, float, bool]]:
        """(score, similarity, overlap, on_topic) of each text as an answer to `question`."""
        if not texts:
            return []
        similarities = self.cache.embed(texts) @ self.cache.query(question)
        terms = content_terms(question)
        pairs = term_pairs(question)
        question_names = names_in(question)
        focus = terms - {stem(n.lower()) for n in question_names}
        asked = Question.parse(question)
        kind = asked.kind
        rated = []
        for text, similarity in zip(texts, similarities, strict=True):
            text_terms = content_terms(text)
            overlap = len(covers(terms, text_terms)) / len(terms) if terms else 0.0
            filled = fill(asked, text) if (asked.roles or kind == "disposition") else None
            on_topic = (
                not focus
                or bool(covers(focus, text_terms))
                or bool(rare_names & names_in(text))
                or filled is not None
            )
            if filled is not None:
                # A document's own statement of the role or ruling asked about: the role the
                # question names first, or a ruling on a line of its own, weighs most.
                first = filled.role == "disposition" or filled.role == asked.roles[0]
                adjustment = 0.35 if first else 0.2
                if filled.role == "disposition" and filled.covers(text):
                    adjustment += 0.2
            else:
                adjustment = _kind_adjustment(kind, question_names, focus, text)
                if is_fragment(text):
                    adjustment -= 0.4
            if pairs:
                adjustment += 0.15 * len(pairs & term_pairs(text)) / len(pairs)
            score = 0.6 * float(similarity) + 0.4 * overlap + adjustment
            rated.append((score, float(similarity), overlap, on_topic))
        return rated

    def assess(
        self,
        question: str,
        passages: list[Passage],
        named: set[str] | None = None,
        about: set[str] | None = None,
    ) -> Assessment:
        """Whether the passages answer `question`, and the sentences that do. `named` are
        the documents the question names (by case name, party or filing), if any: an answer
        then comes from them when they hold one. `about` are the documents that mention
        someone or something the question names, if any: an answer comes only from them."""
        scored = self.score(question, passages)
        if not scored:
            return Assessment(False, "no passage was retrieved", [])
        relevant = [s for s in scored if s.on_topic]
        if not relevant:
            return Assessment(False, "no passage mentions what the question asks about", [])
        asked = Question.parse(question)
        if named:
            # A question that names a filing is answered from that filing, or not at all.
            relevant = [s for s in relevant if s.passage.doc_id in named]
            if not relevant:
                return Assessment(False, "the document the question names does not say", [])
        if about is not None:
            relevant = [s for s in relevant if s.passage.doc_id in about]
            if not relevant:
                return Assessment(False, "the passages are from documents about others", [])
        # "How much is Lively seeking?" is not answered by what Baldoni sued Lively for.
        own = [s for s in relevant if not about_another_party(asked, s.text)]
        if not own:
            return Assessment(False, "the passages say this of someone else", [])
        if asked.kind == "date" and not asked.roles:
            # A date answers only when the sentence is about what was asked: "When is the
            # next hearing?" is not answered by the day a letter was filed.
            focus = content_terms(question) - {stem(n.lower()) for n in names_in(question)}
            if focus:
                own = [
                    s
                    for s in own
                    if len(covers(focus, content_terms(s.text))) >= 0.4 * len(focus)
                    # "On what date was Baldoni photographed ...": a sentence about him, dated.
                    or (asked.subject and leading_name(s.text) & asked.subject)
                ]
                if not own:
                    return Assessment(False, "no passage dates what was asked", [])
        if asked.roles or asked.kind == "disposition":
            # Who judged or argued, or how it was decided: only a statement of it answers.
            filled = [s for s in own if fill(asked, s.text) is not None]
            if not filled:
                wanted = "ruling" if asked.kind == "disposition" else " or ".join(asked.roles)
                return Assessment(False, f"no passage states the {wanted} asked about", [])
            own = filled
            if own[0].score < self.min_score - FILLED_SLACK:
                return Assessment(
                    False,
                    f"the closest statement scores {own[0].score:.2f}, "
                    f"below {self.min_score - FILLED_SLACK:.2f}",
                    [],
                )
        if asks_amount(asked):
            own = [s for s in own if has_amount(s.text)]
            if not own:
                return Assessment(False, "no passage gives the amount asked about", [])
        best = own[0]
        # A yes-or-no question is answered by the sentence that bears on it, even when
        # it is phrased far from the question ("Do you sell my data?" / "We never share...").
        floor = self.min_score - YES_NO_SLACK if is_yes_no(question) else self.min_score
        if best.score < floor and not (asked.roles or asked.kind == "disposition"):
            return Assessment(
                False, f"the closest sentence scores {best.score:.2f}, below {floor:.2f}", []
            )
        if asks_name(asked):
            # A name answers "who": the best sentence that names someone, if one is close.
            named_ones = [
                s for s in own if s.score >= best.score - NAME_MARGIN and short_span(asked, s.text)
            ]
            if not named_ones:
                return Assessment(False, "no passage names who is asked about", [])
            best = named_ones[0]
        chosen = [_with_short(asked, best)]
        if asked.kind == "disposition":
            # A ruling set on a line of its own ("AFFIRMED.", "Reversed and Remanded") is the
            # short answer; the best sentence stays, quoted whole.
            ruling = next(
                (
                    s
                    for s in own
                    if s.passage.doc_id == best.passage.doc_id
                    and s is not best
                    and (found := fill(asked, s.text)) is not None
                    and found.covers(s.text)
                ),
                None,
            )
            if ruling is not None:
                chosen = [replace(best, short=None), _with_short(asked, ruling)]
        for candidate in own[1:]:
            if len(chosen) == self.max_sentences or candidate.score < best.score - self.margin:
                break
            if candidate.text != best.text and (
                not is_fragment(candidate.text) or fill(asked, candidate.text) is not None
            ):
                chosen.append(candidate)
        return Assessment(True, "", chosen)


def _statement_lines(text: str) -> list[tuple[int, int]]:
    """The lines of `text` over which one role statement runs (two or more short lines)."""
    spans = []
    for run_start, run_end in short_line_runs(text):
        for found in statements(text[run_start:run_end]):
            if found.role == "disposition":
                continue
            reach_start, reach_end = found.reach
            start = text.rfind("\n", 0, run_start + reach_start) + 1
            end = text.find("\n", run_start + reach_end)
            end = run_end if end < 0 or end > run_end else end
            if "\n" in text[start:end]:
                spans.append((start, end))
    return sorted(set(spans))


def _with_short(asked: Question, sentence: ScoredSentence) -> ScoredSentence:
    span = short_span(asked, sentence.text)
    if span is None:
        return sentence
    return replace(sentence, short=(sentence.start + span[0], sentence.start + span[1]))


def _kind_adjustment(
    kind: AnswerKind | None, question_names: set[str], focus: set[str], sentence: str
) -> float:
    """Reward a sentence holding the kind of fact asked for; penalise one without it."""
    if kind is None or kind == "disposition":
        return 0.0
    if kind == "person":
        return _names_beside_focus(question_names, focus, sentence)
    if kind == "place":
        return 0.1 if names_in(sentence) - question_names else -0.1
    if kind == "number":
        found = bool(numbers_in(sentence) or _NUMBER_WORDS.search(sentence))
        return 0.15 if found else -0.2
    if kind == "quote":
        return 0.15 if _QUOTATION.search(sentence) else -0.1
    return 0.15 if has_date(sentence) else -0.2


def _names_beside_focus(question_names: set[str], focus: set[str], sentence: str) -> float:
    """For "who" questions: a new name right beside the asked-about role
    ("lawyer, Bryan Freedman")."""
    if not focus:
        return 0.0  # "Who is Neama Rahmani?": any sentence about them will do
    words = re.findall(r"[\w’'-]+", sentence)
    new_names = names_in(sentence) - question_names
    # "Lively’s lawyers" names whose lawyers they are, not who the lawyers are.
    name_at = [i for i, w in enumerate(words) if w in new_names]
    focus_at = [
        i for i, w in enumerate(words) if covers({stem(w.lower().removesuffix("’s"))}, focus)
    ]
    if any(abs(n - f) <= 3 for n in name_at for f in focus_at):
        return 0.2
    return -0.15
