"""What a question asks about, read once from its grammar ("Who ...", "Which judge ...",
"What did the court decide ...", "Did ..."), never from the names or phrases of any
question set: retrieval uses it to add the documents' own statements of the roles and
rulings asked about to the reader's candidates, and the reading step to answer a yes-or-no
question with the ruling its sentence states. Which words answer is the reader's call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.legal import Role

AnswerKind = Literal["person", "date", "disposition"]
Expected = Literal["name", "date", "figure"]
_FIGURE = re.compile(r"\bhow\s+(?:much|many)\b|\bwhat\s+(?:amount|sum|percentage|share)\b", re.I)
_SHAPES = {
    "name": re.compile(r"\b[A-Z]"),
    "date": re.compile(
        r"\b(?:1[6-9]|20)\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug"
        r"|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b(?:yesterday|today|monday|tuesday|wednesday|thursday"
        r"|friday|saturday|sunday)\b",
        re.I,
    ),
    "figure": re.compile(
        r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
        r"|forty|fifty|hundred|thousand|million|billion|dozen|half)\b",
        re.I,
    ),
}


def fits(words: str, expected: Expected | None) -> bool:
    """Whether `words` have the shape an answer to the question must have (a figure for
    "how much", a date for "when", a name for "who")."""
    return expected is None or bool(_SHAPES[expected].search(words))


_KINDS: list[tuple[re.Pattern[str], AnswerKind]] = [
    (
        re.compile(
            r"^\s*(?:[^,?]{1,40},\s*)?(?:who|whom|whose)\b|\bwhich\s+(?:[\w.]+\s+){0,3}(?:lawyers?|attorneys?"
            r"|judges?|justices?|persons?|people|counsel|law firm|firm|company|executive|officer)\b"
            r"|\bname\s+of\b",
            re.I,
        ),
        "person",
    ),
    (
        re.compile(
            r"^\s*(?:[^,?]{1,40},\s*)?when\b|\bwhat\s+(?:date|year|day|month|time)\b"
            r"|\bon\s+what\s+date\b",
            re.I,
        ),
        "date",
    ),
    (
        re.compile(
            r"\b(?:what|how)\s+(?:did|does|do|has|have|had)\b[^?]*\b(?:decide|rule|hold|dispose)\b"
            r"|\b(?:outcome|disposition|result|ruling|holding|verdict)\s+(?:of|in|on)\b"
            r"|\bwhat\s+happened\s+to\s+the\s+(?:appeal|motion|case|petition|complaint)\b"
            # "What did the Third Circuit do with the judgment?", "What did Judge X do with ..."
            r"|\bwhat\s+did\s+(?:the\s+)?(?:[\w.]+\s+){0,3}(?:court|judge|circuit|panel|board"
            r"|justices?|magistrate|tribunal)\b(?:\s+[\w.'’]+){0,3}\s+do\s+(?:with|about)\b"
            # "Did the court grant the motion?": asked yes or no, answered by the ruling.
            r"|^\s*(?:did|has|have|was|were|will)\b[^?]*\b(?:grant|den(?:y|ied)|dismiss|affirm"
            r"|revers|vacat|remand|quash|sustain|overrul)\w*",
            re.I,
        ),
        "disposition",
    ),
]
# The roles a "who" question asks about, the one it names first.
_ROLE_WORDS: list[tuple[re.Pattern[str], tuple[Role, ...]]] = [
    (
        re.compile(r"\b(?:lawyers?|attorneys?|counsel|represent\w*|argued\s+for)\b", re.I),
        ("counsel",),
    ),
    (re.compile(r"\bdissent\w*\b", re.I), ("dissent",)),
    (re.compile(r"\bpanel\b|\b(?:judges|justices)\b", re.I), ("panel", "author", "judge")),
    (
        re.compile(
            r"\b(?:wrote|write|written|author\w*|delivered)\b.*\b(?:opinion|decision|order|ruling"
            r"|judgment|dissent|concurrence)\b",
            re.I,
        ),
        ("author", "judge"),
    ),
    (re.compile(r"\bsign(?:ed|s|ing)?\b|\bsignator", re.I), ("signer", "judge", "author")),
    (
        re.compile(r"\b(?:judge|justice|magistrate|presid(?:ed|es|ing)|overs(?:ee|aw)\w*)\b", re.I),
        ("judge", "author", "panel"),
    ),
]
_JUDGE_WORD = re.compile(r"\b(?:who|judges?|justices?)\b", re.I)
_VERBISH = re.compile(r"^(?:\w+ed|is|are|was|were|did|does|do|has|have|had|sat|wrote|said)$", re.I)


def _wh_head(text: str) -> str:
    """The part of a question that says who is asked about: for "which X ..." the words of X
    (up to its verb), else the whole question ("Which president appointed Judge L?" asks
    about a president, not a judge)."""
    match = re.search(r"\bwhich\s+((?:[\w.-]+\s+){0,4}[\w.-]+)", text, re.I)
    if not match:
        return text
    words = []
    for word in match.group(1).split():
        if words and _VERBISH.match(word):
            verb = word
            return " ".join(words) + (f" {verb}" if re.match(r"sign|represent|wr", verb) else "")
        words.append(word)
    return " ".join(words)


_YES_NO = re.compile(
    r"^\s*(?:do|does|did|is|are|was|were|will|would|can|could|has|have|had|should|may|must)\b",
    re.I,
)


def is_yes_no(text: str) -> bool:
    """ "Do you share my data?": asked yes or no, answered by what the documents say of it."""
    return bool(_YES_NO.match(text))


@dataclass(frozen=True)
class Question:
    """A question as the answer path reads it: parsed once, passed to every step."""

    text: str
    kind: AnswerKind | None
    roles: tuple[Role, ...]  # the roles a "who" question asks about, most wanted first

    @property
    def yes_no(self) -> bool:
        """ "Did the court grant ...?", "Do you share my data?": asked yes or no."""
        return is_yes_no(self.text)

    @property
    def ruling(self) -> bool:
        """ "What did the court decide?", "Did the court grant the motion?": a disposition."""
        return self.kind == "disposition"

    @property
    def expects(self) -> Expected | None:
        """The shape of the words that can answer: a figure for "how much/many", a date for
        "when", a name for "who" and "which judge/firm"; None when any words may."""
        if self.kind == "person":
            return "name"
        if self.kind == "date":
            return "date"
        if _FIGURE.search(self.text):
            return "figure"
        return None

    @classmethod
    def parse(cls, text: str) -> Question:
        kind = next((k for pattern, k in _KINDS if pattern.search(text)), None)
        roles: tuple[Role, ...] = ()
        if kind == "date" and re.search(
            r"\b(?:dated|filed|decided|entered|signed|argued)\b", text, re.I
        ):
            roles = ("dated",)  # "When was the order dated?": the document says it
        if kind == "person" and not re.match(r"\s*whose\b", text, re.I):
            asked_about = _wh_head(text)
            for pattern, wanted in _ROLE_WORDS:
                # "wrote ... the opinion" is read in the whole question: its object follows.
                target = (
                    text
                    if wanted[0] == "author" and _JUDGE_WORD.search(asked_about)
                    else asked_about
                )
                if pattern.search(target):
                    roles = wanted
                    break
        return cls(text, kind, roles)
