"""Questions the reporter's desk answers: what someone said, who someone is or what they do,
who holds a role in the case, what happened on or in a date. The answer is still made of
verbatim, cited spans: the quotation, the sentence stating the role, the dated sentence.

A question is routed only when its wording is one of these forms and the desk has rows for
it; otherwise it goes to retrieval as any other question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.desk import CaseDesk, Person, date_range
from assistant.evidence import content_terms, covers, names_in
from assistant.sentence_vectors import SentenceEmbeddingCache
from casefile.kernel.text import split_sentences
from ingest.people import role_kind

MAX_ROWS = 5


@dataclass(frozen=True)
class Span:
    """A verbatim span of a document that answers, and the part of it that is the short
    answer (document offsets), if any."""

    doc_id: str
    start: int
    end: int
    short: tuple[int, int] | None = None


_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*"
_SAID = re.compile(
    r"^\s*(?i:(?:what|how)\s+(?:did|does|has|have))\s+(?P<who>.+?)\s+(?i:say|said|tell|told|call|"
    r"describe|characteri[sz]e|comment|write)\b"
)
_IDENTITY = re.compile(rf"^\s*(?i:who\s+(?:is|was))\s+(?P<who>{_NAME})\s*\??\s*$")
# "Which firm did X found?": the one role the question's words point to.
_AFFILIATION = re.compile(
    r"^\s*(?i:(?:which|what)\s+(?:law\s+)?(?:firm|company|organi[sz]ation|agency|office|employer"
    rf"|group|business|outlet)\s+(?:did|does|is|was))\s+(?P<who>{_NAME})"
    rf"|^\s*(?i:where\s+(?:does|did|is))\s+(?P<who2>{_NAME})\s+(?i:work|a\s+partner)\b"
)
# "What does X do?": who they are, as the documents describe them.
_OCCUPATION = re.compile(rf"^\s*(?i:what\s+(?:does|did))\s+(?P<who>{_NAME})\s+(?i:do)\b")
_ROLE_HOLDERS = re.compile(
    r"^\s*who\s+(?:is|are|was|were)\s+the\s+(?P<role>lawyers?|attorneys?|counsel|judges?|justices?|"
    r"parties|party|plaintiffs?|defendants?|experts?|witness(?:es)?|spokes\w+)\b",
    re.I,
)
# "Who are Lively's lawyers?", "Who is the attorney for Lively?", "Who represents Lively?":
# the people the documents say hold that role for someone.
_AGENT = r"lawyers?|attorneys?|counsel|spokes\w+|publicists?|agents?"
_HOLDERS_OF = re.compile(
    rf"^\s*(?i:who\s+(?:is|are|was|were))\s+(?P<who>{_NAME}['’]s?\s+(?i:{_AGENT}))\s*\??\s*$"
)
_HOLDERS_FOR = re.compile(
    rf"^\s*(?i:who\s+(?:is|are|was|were)\s+the\s+(?P<role>{_AGENT})\s+(?:for|of|representing))"
    rf"\s+(?P<who>{_NAME})\s*\??\s*$"
)
_REPRESENTS = re.compile(
    rf"^\s*(?i:who\s+(?:represents|represented|(?:is|was)\s+representing))\s+(?P<who>{_NAME})"
    r"\s*\??\s*$"
)
# The same asked as a follow-up: "Who are her lawyers? (about Blake Lively)".
_HOLDERS_OF_SUBJECT = re.compile(
    rf"^\s*who\s+(?:is|are|was|were)\s+(?:her|his|their)\s+(?P<role>{_AGENT})"
    r"\s*\??\s*\(about\s+(?P<who>[^,()]{1,80})\)\s*$",
    re.I,
)
_HAPPENED = re.compile(
    r"^\s*what\s+happened\s+(?:in|on|during|by|since)\s+(?P<when>[^?]+?)\s*\??\s*$", re.I
)
_ROLE_OF = {
    "lawyer": "lawyer", "attorney": "lawyer", "counsel": "lawyer", "judge": "judge",
    "justice": "judge", "party": "party", "parties": "party", "plaintiff": "party",
    "defendant": "party", "expert": "expert", "witness": "witness", "witnesse": "witness",
}  # fmt: skip


def desk_answer(question: str, desk: CaseDesk, vectors: SentenceEmbeddingCache) -> list[Span]:
    """The spans that answer `question` from the desk, best first; empty when the question
    is not one the desk answers, or the desk has nothing for it."""
    said = _SAID.match(question)
    if said and names_in(said.group("who")):
        return _quotes(question, said.group("who"), desk, vectors)
    identity = _IDENTITY.match(question) or _OCCUPATION.match(question)
    affiliation = _AFFILIATION.match(question)
    who = identity.group("who") if identity else None
    if affiliation:
        who = affiliation.group("who") or affiliation.group("who2")
    if who:
        person = desk.person(who)
        if person is not None and person.roles:
            return _roles_of(question, person, desk, vectors, ranked=affiliation is not None)
        return []
    owned = _HOLDERS_OF.match(question)
    if owned:
        return _holders_of(owned.group("who"), desk)
    held = _HOLDERS_FOR.match(question)
    if held:
        return _holders_of(f"{held.group('who')}’s {held.group('role')}", desk)
    represented = _REPRESENTS.match(question)
    if represented:
        return _holders_of(f"{represented.group('who')}’s lawyers", desk)
    subject = _HOLDERS_OF_SUBJECT.match(question)
    if subject:
        return _holders_of(f"{subject.group('who').strip()}’s {subject.group('role')}", desk)
    holders = _ROLE_HOLDERS.match(question)
    if holders and not names_in(question[holders.end() :]):
        return _holders(holders.group("role"), desk)
    happened = _HAPPENED.match(question)
    if happened:
        return _events(happened.group("when"), desk)
    return []


def _quotes(question: str, who: str, desk: CaseDesk, vectors: SentenceEmbeddingCache) -> list[Span]:
    holders = desk.holders(who)  # "Baldoni's lawyer": whoever the documents say that is
    rows = (
        [row for person in holders for row in desk.quotes(person.name, phrases=True)]
        if holders
        else desk.quotes(who, phrases=True)
    )
    if not rows:
        return []
    # Rank by what else the question asks ("... say Lively and Reynolds need to do").
    rest = question.replace(who, " ")
    texts = [r.quote.text for r in rows]
    order = _by_similarity(rest, texts, vectors)
    spans: list[Span] = []
    for i in order:
        doc_id, start, end = rows[i].source.doc_id, rows[i].source.start, rows[i].source.end
        text = desk.store.document_text(doc_id)
        inner = split_sentences(text, start, end)
        if len(inner) > 2:  # a long quotation: its sentence that answers
            pieces = [text[s:e] for s, e in inner]
            best = _by_similarity(rest, pieces, vectors)[0]
            start, end = inner[best]
        elif len(inner) <= 1:  # a phrase: with the sentence saying who said it
            start, end = _sentence_around(text, start, end)
        span = Span(doc_id, start, end)
        if span not in spans:  # a joint statement is one answer, not one per speaker
            spans.append(span)
        if len(spans) == 2:
            break
    return spans


def _roles_of(
    question: str, person: Person, desk: CaseDesk, vectors: SentenceEmbeddingCache, ranked: bool
) -> list[Span]:
    """The sentences stating `person`'s roles; for "which firm did X found?" the role the
    question's words point to first."""
    terms = content_terms(question) - {t for t in content_terms(person.name)}
    spans: list[Span] = []
    seen: set[tuple[str, int]] = set()
    mentions = list(person.roles)
    if ranked and terms:
        mentions.sort(
            key=lambda m: -len(covers(terms, content_terms(m[0].detail + " " + m[0].role)))
        )
    for role, where in mentions:
        text = desk.store.document_text(where.doc_id)
        start, end = _sentence_around(text, where.start, where.end)
        if (where.doc_id, start) in seen:
            continue
        seen.add((where.doc_id, start))
        short = _role_words(text, where.start, where.end, role.detail)
        spans.append(Span(where.doc_id, start, end, short))
    return spans[: 1 if ranked else 2]


def _holders(role_word: str, desk: CaseDesk) -> list[Span]:
    """ "Who are the lawyers?": each person holding the role, by the sentence stating it."""
    wanted = _ROLE_OF.get(role_word.lower().rstrip("s"), role_kind(role_word))
    spans: list[Span] = []
    seen: set[tuple[str, int]] = set()
    for person in desk.people():
        for role, where in person.roles:
            if role.role != wanted:
                continue
            text = desk.store.document_text(where.doc_id)
            start, end = _sentence_around(text, where.start, where.end)
            if (where.doc_id, start) not in seen:
                seen.add((where.doc_id, start))
                spans.append(Span(where.doc_id, start, end))
            break
    return spans[:MAX_ROWS]


def _holders_of(described: str, desk: CaseDesk) -> list[Span]:
    """ "Who are Lively's lawyers?": the sentence stating each holder's role for the owner,
    the holders' names as the short answer ("Mike Gottlieb and Esra Hudson")."""
    texts: dict[str, str] = {}
    named: dict[tuple[str, int, int], list[tuple[int, int]]] = {}  # sentence -> names in it
    for person in desk.holders(described):
        _, where = next(
            ((r, w) for r, w in person.roles if re.search(r"\bfor\b", r.detail)), person.roles[0]
        )
        if where.doc_id not in texts:
            texts[where.doc_id] = desk.store.document_text(where.doc_id)
        text = texts[where.doc_id]
        start, end = _sentence_around(text, where.start, where.end)
        names = named.setdefault((where.doc_id, start, end), [])
        at = text.find(person.name, where.start, where.end)
        if at >= 0:
            names.append((at, at + len(person.name)))
    spans = [
        Span(doc_id, start, end, _listed(texts[doc_id], names))
        for (doc_id, start, end), names in named.items()
    ]
    return spans[:MAX_ROWS]


_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)")


def _listed(text: str, names: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The names as one short answer when the sentence lists them together ("A, B and C"),
    else the first of them."""
    if not names:
        return None
    names = sorted(names)
    gaps = (text[a[1] : b[0]] for a, b in zip(names, names[1:], strict=False))
    together = all(_SEPARATOR.fullmatch(gap) for gap in gaps)
    return (names[0][0], names[-1][1]) if together else names[0]


def _events(when: str, desk: CaseDesk) -> list[Span]:
    """ "What happened in January?": the dated sentences whose date falls then, or whose
    date is written the same way."""
    from ingest.timeline import resolve

    wanted = resolve(when.strip(), None) if re.search(r"\d{4}", when) else ""
    rows = []
    for row in desk.timeline():
        event = row.event
        written = event.date_text.lower() == when.strip().lower()
        if (
            wanted
            and event.date
            and _overlaps(event.date, wanted)
            or written
            or not wanted
            and event.date
            and _month_named(when, event.date)
        ):
            rows.append(row)
    return [Span(r.source.doc_id, r.source.start, r.source.end) for r in rows[:MAX_ROWS]]


def _overlaps(a: str, b: str) -> bool:
    a_first, a_last = date_range(a)
    b_first, b_last = date_range(b)
    return a_first <= b_last and b_first <= a_last


def _month_named(when: str, iso: str) -> bool:
    months = "january february march april may june july august september october november december"
    words = when.lower().split()
    return len(iso) >= 7 and any(
        w in months.split() and months.split().index(w) + 1 == int(iso[5:7]) for w in words
    )


def _by_similarity(question: str, texts: list[str], vectors: SentenceEmbeddingCache) -> list[int]:
    if not texts:
        return []
    scores = vectors.embed(texts) @ vectors.query(question)
    return list(np.argsort(-scores))


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    spans = [
        (s, e) for s, e in split_sentences(text, line_start, line_end) if e > start and s < end
    ]
    if not spans:
        return start, end
    return spans[0][0], max(spans[-1][1], end)


def _role_words(text: str, start: int, end: int, detail: str) -> tuple[int, int] | None:
    if not detail or detail.startswith("for "):
        return None
    found = text.find(detail, start, end + len(detail))
    return (found, found + len(detail)) if found >= 0 else None
