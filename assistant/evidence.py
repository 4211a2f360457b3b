"""Lexical evidence shared by the verifier, retrieval and the desk's routes.

What a sentence commits to — numbers, dates, names, quoted words — is "checkable": a
passage supports the sentence only if it contains every one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casefile.kernel.text import content_words, normalise, stem

QUESTION_WORDS = frozenset(
    "who whom whose what when where which why how much many did does do is are was were "
    "can could should would tell me please name".split()
)
# A few legal-news paraphrases (as stems), so "Who represents X?" finds "X's lawyers".
SYNONYMS: dict[str, frozenset[str]] = {
    group_word: group
    for group in (
        frozenset({"lawyer", "attorney", "counsel", "repres"}),
        frozenset({"sue", "lawsuit", "suit", "complaint"}),
        frozenset({"judg", "court", "justic"}),
        frozenset({"money", "dollar", "million", "billion", "amount", "damag"}),
    )
    for group_word in group
}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_QUOTED = re.compile(r"[“\"]([^”\"]{3,200})[”\"]")
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z’'\-]+(?:\s+[A-Z][a-zA-Z’'\-]+)*")
_NOT_NAMES = frozenset(
    """The A An In On At For But And Or If It Its This That These Those He She They We You I
    His Her Their Our Your Mr Ms Mrs Dr However Since While When Where What Who Which Why How
    Because Although After Before During Here There Yes No Not According Both Also Then Under
    Legal Judge Court Federal Lawyers Lawyer Attorney Ms. Mr. Chief Executive Officer Financial
    President Vice Director Chairman Chairwoman Secretary Treasurer Counsel Senior Managing
    Partner Founder Plaintiff Plaintiffs Defendant Defendants Appellant Appellants Appellee
    Appellees Petitioner Petitioners Respondent Respondents Moving""".split()
)


def content_terms(text: str) -> set[str]:
    """Stemmed content words of `text`, without stop words and question words."""
    return {stem(t) for t in content_words(text) if t not in QUESTION_WORDS}


def adds_information(sentence: str, question: str) -> bool:
    """Whether `sentence` says something the question did not already say."""
    return bool(
        content_terms(sentence) - content_terms(question)
        or numbers_in(sentence) - numbers_in(question)
    )


# Agent and action nouns of a verb: "found" / "founder", "prosecut" / "prosecutor".
_DERIVED = ("er", "or", "ion", "ment", "ant", "ent")


def covers(terms: set[str], passage_terms: set[str]) -> set[str]:
    """The `terms` found in `passage_terms`, directly, through a synonym, or as a noun made
    from the same verb ("found" / "founder")."""
    found = set()
    for term in terms:
        if (
            term in passage_terms
            or SYNONYMS.get(term, frozenset()) & passage_terms
            or (len(term) >= 4 and any(term + end in passage_terms for end in _DERIVED))
        ):
            found.add(term)
    return found


def names_in(text: str) -> set[str]:
    """Capitalised words that name someone or something ("Lewis Liman", "Hoboken")."""
    names: set[str] = set()
    for match in _CAPITALISED.finditer(text):
        words = [w.strip("’'") for w in match.group(0).split()]
        words = [w.removesuffix("’s").removesuffix("'s") for w in words]
        for word in words:
            if word and word not in _NOT_NAMES and not word.isupper() and len(word) > 1:
                names.add(word)
    return names


def numbers_in(text: str) -> set[str]:
    return {m.group(0).rstrip(",.").replace(",", "") for m in _NUMBER.finditer(text)}


def quotes_in(text: str) -> set[str]:
    return {normalise(m.group(1)).strip(" .,") for m in _QUOTED.finditer(text)}


@dataclass(frozen=True)
class Checkables:
    """What a sentence commits to that its evidence must contain word for word."""

    numbers: frozenset[str]
    names: frozenset[str]
    quotes: frozenset[str]

    @classmethod
    def of(cls, sentence: str) -> Checkables:
        body = sentence
        # The first word is capitalised by grammar, not because it is a name.
        first = re.match(r"\s*([A-Z][a-z]+)\b", body)
        names = names_in(body)
        if first and first.group(1) in names and body[first.end() :].lstrip()[:1].islower():
            names.discard(first.group(1))
        return cls(frozenset(numbers_in(body)), frozenset(names), frozenset(quotes_in(body)))

    def missing_from(self, evidence: str) -> list[str]:
        """The checkables that `evidence` does not contain."""
        flat = normalise(evidence)
        digits = {n for n in numbers_in(evidence)}
        missing = [n for n in sorted(self.numbers) if n not in digits]
        missing += [n for n in sorted(self.names) if normalise(n) not in flat]
        missing += [f"“{q}”" for q in sorted(self.quotes) if q not in flat]
        return missing
