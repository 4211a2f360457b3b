"""What a question asks for: the kind of fact, the role of the person asked about, whose
fact it is — and the short span of a sentence that answers it.

Read from the question's grammar ("Who ...", "How much did X ...", "X's lawyer",
"What did the court decide ..."), never from the names or phrases of any question set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.evidence import _DATE, names_in, stem
from ingest.legal import Role, Statement, statements

AnswerKind = Literal["person", "number", "date", "place", "quote", "disposition"]

_KINDS: list[tuple[re.Pattern[str], AnswerKind]] = [
    (
        re.compile(
            r"^\s*(?:[^,?]{1,40},\s*)?(?:who|whom|whose)\b|\bwhich\s+(?:\w+\s+){0,3}(?:lawyers?|attorneys?"
            r"|judges?|justices?|persons?|people|counsel|law firm|firm|company|executive|officer)\b"
            r"|\bname\s+of\b",
            re.I,
        ),
        "person",
    ),
    (
        re.compile(r"\bhow\s+(?:much|many|old|long|big|large)\b|\bwhat\s+(?:amount|sum)\b", re.I),
        "number",
    ),
    (
        re.compile(
            r"^\s*(?:[^,?]{1,40},\s*)?when\b|\bwhat\s+(?:date|year|day|month|time)\b"
            r"|\bon\s+what\s+date\b",
            re.I,
        ),
        "date",
    ),
    (re.compile(r"^\s*(?:[^,?]{1,40},\s*)?where\b", re.I), "place"),
    (
        re.compile(
            r"\b(?:what|how)\s+(?:did|does|do|has|have|had)\b[^?]*\b(?:decide|rule|hold|dispose)\b"
            r"|\b(?:outcome|disposition|result|ruling|holding|verdict)\s+(?:of|in|on)\b"
            r"|\bwhat\s+happened\s+to\s+the\s+(?:appeal|motion|case|petition|complaint)\b"
            # "Did the court grant the motion?": asked yes or no, answered by the ruling.
            r"|^\s*(?:did|has|have|was|were|will)\b[^?]*\b(?:grant|den(?:y|ied)|dismiss|affirm"
            r"|revers|vacat|remand|quash|sustain|overrul)\w*",
            re.I,
        ),
        "disposition",
    ),
    # "What did X say / call / describe ...": reported speech, which news copy puts in quotes.
    (
        re.compile(
            r"\b(what|how) (did|does|do|has|have)\b.*\b(say|call|describe|characteri[sz]e|react|"
            r"respond|comment|claim|tell|label)\b",
            re.I,
        ),
        "quote",
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
    match = re.search(r"\bwhich\s+((?:[\w-]+\s+){0,4}[\w-]+)", text, re.I)
    if not match:
        return text
    words = []
    for word in match.group(1).split():
        if words and _VERBISH.match(word):
            verb = word
            return " ".join(words) + (f" {verb}" if re.match(r"sign|represent|wr", verb) else "")
        words.append(word)
    return " ".join(words)


# Whom counsel act for, as questions and court documents name the sides.
_SIDES = re.compile(
    r"\b(appellants?|appellees?|plaintiffs?|defendants?|petitioners?|respondents?|employers?"
    r"|employees?|claimants?|government|prosecution|state)\b",
    re.I,
)
_AUXILIARY = r"(?:is|are|was|were|did|does|do|has|have|had|will|would|could|can)"
# "How much did the City of El Paso offer ...", "When did Baldoni file ...": the subject.
_SUBJECT = re.compile(
    rf"^\s*(?i:(?:how\s+(?:much|many|long)(?:\s+\w+){{0,2}}|when|what\s+\w+|on\s+what\s+date)"
    rf"\s+{_AUXILIARY}\s+)(?P<subject>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’.-]*)*)"
)
# "Who is Ryan Reynolds' lawyer?", "the government's position": whose role or thing it is.
_POSSESSOR = re.compile(
    r"\b(?P<owner>(?:[A-Z][\w.-]*\s+){0,3}[\w.-]+)(?:’s|'s|s’|s')\s+(?P<thing>\w+)"
)
_MONTHS_AND_DAYS = frozenset(
    """January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday""".split()
)


_YES_NO = re.compile(
    r"^\s*(?:do|does|did|is|are|was|were|will|would|can|could|has|have|had|should|may|must)\b",
    re.I,
)


def asks_name(question: Question) -> bool:
    """ "Which judge ...?", "Who represented ...?": a name answers; "Who is Neama Rahmani?"
    asks who someone is, which a description answers."""
    identity = re.match(
        r"^\s*(?i:who\s+(?:is|was|are|were))\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s*\??\s*$",
        question.text,
    )
    return question.kind == "person" and identity is None and not _RECIPIENTS.search(question.text)


# "Who do you share my data with?", "Who gets my data?": the recipients may be named, or be
# a kind of recipient ("advertising partners"), which answers as well as a name.
_RECIPIENTS = re.compile(
    r"\bwho(?:m)?\b[^?]*?\b(?:shar|sell|sold|disclos|giv|gave|gets?\b|receiv|sen[dt]|provid|transfer)",
    re.I,
)


def is_yes_no(text: str) -> bool:
    """ "Do you share my data?": asked yes or no, answered by what the documents say of it."""
    return bool(_YES_NO.match(text))


@dataclass(frozen=True)
class Question:
    """A question as the answerer reads it."""

    text: str
    kind: AnswerKind | None
    roles: tuple[Role, ...]  # most wanted first
    subject: frozenset[str]  # the proper-name words of whoever does what is asked about
    possessor: str  # "X" of "X's lawyer", lower-case; "" when there is none
    possessed: str  # "lawyer" of "X's lawyer"

    @classmethod
    def parse(cls, text: str) -> Question:
        kind = next((k for pattern, k in _KINDS if pattern.search(text)), None)
        roles: tuple[Role, ...] = ()
        if kind == "date" and re.search(
            r"\b(?:dated|filed|decided|entered|signed|argued)\b", text, re.I
        ):
            roles = ("dated",)  # "When was the order dated?": the document says it
        if kind == "number" and _HOW_MUCH_OF.search(text) and not asks_money(text):
            kind = None  # "how much skill is involved": a degree, not a figure
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
        subject = _SUBJECT.search(text)
        subject_words = (
            frozenset(w for w in names_in(subject.group("subject")) if w not in _MONTHS_AND_DAYS)
            if subject
            else frozenset()
        )
        owner = _POSSESSOR.search(text)
        possessor = possessed = ""
        # Only "Who is X's lawyer?" asks for X's lawyer; in "Whose records did X's lawyers
        # subpoena?" the lawyers are not what is asked about.
        asks_for_it = re.match(r"\s*(?:who|which\s+\w+)\s+(?:is|are|was|were)\b", text, re.I)
        if owner and kind == "person" and asks_for_it:
            words = owner.group("owner").split()
            possessor = words[-1].lower()
            possessed = owner.group("thing").lower()
        return cls(text, kind, roles, subject_words, possessor, possessed)


def leading_name(sentence: str) -> frozenset[str]:
    """The words of the first name in a sentence ("Justin Baldoni"): usually who does what
    it says."""
    for match in re.finditer(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*", sentence):
        words = frozenset(names_in(match.group(0))) - _MONTHS_AND_DAYS
        if words:
            return words
    return frozenset()


def about_another_party(question: Question, sentence: str) -> bool:
    """Whether `sentence` states the fact asked about of someone else: the question's
    subject is in it, but something else comes first ("How much is Lively seeking?" and
    "Baldoni sued Lively for $400 million")."""
    if question.subject and question.kind in ("number", "date"):
        names = names_in(sentence)
        if question.subject & names:
            first = leading_name(sentence)
            return bool(first) and not first & question.subject
    if question.possessor and question.possessed and _is_role_noun(question.possessed):
        words = re.findall(r"[\w’'-]+", sentence.lower())
        thing = stem(question.possessed)
        near_thing = [i for i, w in enumerate(words) if _same_role(stem(_bare(w)), thing)]
        owners = [i for i, w in enumerate(words) if _bare(w) == question.possessor]
        if near_thing:
            return not any(abs(i - j) <= 4 for i in near_thing for j in owners)
    return False


_ROLE_SYNONYMS = [
    frozenset({"lawyer", "attorney", "counsel", "repres", "representative"}),
    frozenset({"spokesperson", "spokesman", "spokeswoman", "publicist"}),
]


def _is_role_noun(word: str) -> bool:
    """Someone who acts for the possessor: "X's lawyer", "X's spokesperson"."""
    return any(stem(word) in group for group in _ROLE_SYNONYMS)


def _same_role(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _ROLE_SYNONYMS)


def _bare(word: str) -> str:
    return re.sub(r"(?:’s|'s|s’|s')$", "", word)


def fill(question: Question, sentence: str) -> Statement | None:
    """The statement in `sentence` that fills the role (or gives the ruling) asked for: the
    most wanted role first; counsel only for the side the question names."""
    if question.kind == "disposition":
        found = [s for s in statements(sentence) if s.role == "disposition"]
        found.sort(key=lambda s: not s.covers(sentence))
    elif question.roles:
        sides = {_side(m) for m in _SIDES.findall(question.text)}
        stated = statements(sentence)
        # "Judge Conner dissented": a dissenting judge did not write the court's opinion.
        dissenters = {s.value for s in stated if s.role == "dissent"}
        found = [
            s
            for s in stated
            if s.role in question.roles
            and not (s.role == "counsel" and sides and s.side and not sides & _sides_of(s.side))
            and not ("author" in question.roles and s.role == "judge" and s.value in dissenters)
        ]
        found.sort(key=lambda s: question.roles.index(s.role))
    else:
        return None
    return found[0] if found else None


def role_match(question: Question, sentence: str) -> tuple[int, int] | None:
    """The span of the names (or disposition) in `sentence` that fills the role asked for."""
    found = fill(question, sentence)
    return (found.start, found.end) if found else None


def _side(word: str) -> str:
    return word.lower().rstrip("s")


def _sides_of(text: str) -> set[str]:
    return {_side(m) for m in _SIDES.findall(text)} or {text.lower()}


_DATE_WITH_DAY = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{1,2}(?:,\s*\d{4})?"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d\d\b"
)
_MONEY = re.compile(
    r"(?:\$|US\$|€|£)\s?\d{1,3}(?:,\d{3})*(?:\.\d+)?(?:\s+(?:million|billion|thousand))?"
    r"|\b\d[\d,]*(?:\.\d+)?\s+(?:million|billion|thousand)?\s*(?:dollars|cents)\b"
    r"|\b\d+(?:\.\d+)?%"
)
_COUNT = re.compile(
    r"\b(?:\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|dozens?|hundreds?|thousands?)\b(?:\s+[a-z]+){0,2}"
)


def short_span(question: Question, sentence: str) -> tuple[int, int] | None:
    """The few words of `sentence` that answer `question` (a name, a date, an amount, a
    disposition), as offsets into it; None when no such span stands out."""
    span = role_match(question, sentence)
    if span:
        return span
    if question.kind == "number":
        found = list(_MONEY.finditer(sentence)) if asks_amount(question) else []
        # "¶ 12" numbers a paragraph and "August 23, 2023" is a date: neither is a count.
        plain = re.sub(r"¶\s*\d+", lambda m: " " * len(m.group(0)), sentence)
        plain = _DATE_WITH_DAY.sub(lambda m: " " * len(m.group(0)), plain)
        found = found or list(_COUNT.finditer(plain))
        found = [m for m in found if not _in_question(m.group(0), question.text)]
        return found[0].span() if found else None
    if question.kind == "date":
        found = [m for m in _DATE.finditer(sentence) if not _in_question(m.group(0), question.text)]
        if not found:
            return None
        start, end = found[0].span()
        # "May 25, 2023": take the whole date the match starts.
        tail = re.match(r"[\s\d,]*\d{4}\b|\s*\d{1,2}(?:,\s*\d{4})?", sentence[end:])
        return start, end + (tail.end() if tail else 0)
    if question.kind in ("person", "place"):
        return _name_beside_focus(question, sentence)
    return None


# "how much net income": the noun may follow a word or two that qualify it.
_HOW_MUCH_OF = re.compile(r"\bhow\s+much\s+(?P<noun>[a-z]+)(?P<more>(?:\s+[a-z]+){0,2})", re.I)
_MONEY_NOUNS = re.compile(
    r"(?:money|cash|revenue|revenues|income|profit|profits|damages|debt|funding|funds|fees?|"
    r"costs?|compensation|salary|pay|payment|settlement|fine|fines|penalty|penalties|bail|rent|"
    r"stock|shares|capital|sales|spending|tax|taxes)$",
    re.I,
)
_AUXILIARIES = re.compile(rf"{_AUXILIARY}$", re.I)


def asks_money(text: str) -> bool:
    """ "How much did X sue for?", "How much revenue ...": money, not a degree."""
    match = _HOW_MUCH_OF.search(text)
    if match is None:
        return bool(re.search(r"\bhow\s+much\b|\bamount\b|\bsum\b", text, re.I))
    noun = match.group("noun")
    if _AUXILIARIES.match(noun):
        return True
    words = [noun, *match.group("more").split()]
    for word in words:
        if _MONEY_NOUNS.match(word):
            return True
        if _AUXILIARIES.match(word):
            return False
    return False


def asks_amount(question: Question) -> bool:
    """ "How much ...?" of money: an amount (or a share) answers, not any number."""
    return question.kind == "number" and asks_money(question.text)


def has_amount(sentence: str) -> bool:
    return bool(_MONEY.search(sentence))


def _name_beside_focus(question: Question, sentence: str) -> tuple[int, int] | None:
    """A name not in the question, within three words of a word the question asks about
    ("lawyer, Bryan Freedman"; "partner at Reavis Page Jump LLP")."""
    asked = names_in(question.text)
    # "Judge Lewis Liman" in the question: "judge" belongs to that name, not the answer.
    titled = re.sub(
        r"\b(?:judge|justice|mr|ms|mrs|dr|president|senator)\.?\s+(?=[A-Z])",
        " ",
        question.text,
        flags=re.I,
    )
    # "Whose phone records ...?": the name belongs beside the records, not anyone else.
    whose = re.match(r"\s*whose\s+((?:[a-z]+\s+){0,2}[a-z]+)", question.text, re.I)
    about = whose.group(1) if whose else titled
    own = {n.lower() for n in asked}
    focus = {stem(t) for t in re.findall(r"[a-z]{3,}", about.lower()) if t not in own}
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[\w’'.-]+", sentence)]
    near = [i for i, (_, _, w) in enumerate(words) if stem(_bare(w.lower()).strip(".")) in focus]
    for match in re.finditer(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’.-]*)*", sentence):
        names = set(names_in(match.group(0)))
        if not names or names & asked or match.start() == 0:
            continue
        before = sentence[: match.start()].rstrip(" ")
        if " " not in match.group(0).strip(".") and (not before or before[-1] in "(“\"'[\n"):
            continue  # one capital word opening a clause or a line ("(Address of ...)")
        index = next((i for i, (s, e, _) in enumerate(words) if s <= match.start() < e), None)
        if index is not None and any(abs(index - j) <= 3 for j in near):
            trim = 1 if match.group(0).endswith(".") else 0
            return match.start(), match.end() - trim
    return None


def _in_question(span: str, question: str) -> bool:
    return span.strip().lower() in question.lower()
