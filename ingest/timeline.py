"""The dated events of a document: every sentence that puts something at a date.

Dates written out ("May 25, 2023", "11 February 2022", "08/23/05", "in January 2024",
"In 2019,") are taken as written; relative ones ("Thursday", "in January", "last year",
"yesterday") are resolved against the document's own date, when it has one, and marked as
inferred; without a document date they stay unresolved, still listed and marked. Years in
a citation's parentheses ("268 N.C. App. 1 (2019)") date another case, not an event of
this one, and dates with a pin cite after them ("TT Feb. 28, 2017, p. 103") date the record
cited: both are left out. Parsing is dateparser's.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

from casefile.kernel.records import Event
from casefile.kernel.text import split_sentences
from ingest.people import known_names, people_named, person_before

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
# Written out: a day, a month and a year in the usual orders, or a month and a year.
ABSOLUTE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b"
    r"|\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b"
    rf"|\b(?i:in|since|by|until|during|from|of)\s+{_MONTH}\s+\d{{4}}\b"
    r"|\b(?i:in|since|by|until|during)\s+(?:19|20)\d\d\b"
    r"|^(?:In\s+)?(?:19|20)\d\d,",
)
# Resolved against the document's date.
RELATIVE = re.compile(
    r"\b(?:on\s+|last\s+|this\s+|next\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    rf"|\b(?i:in|since|by|until|during|early|late|last|this|next)\s+{_MONTH}(?!\s+\d)"
    r"|\b(?:last|this|next)\s+(?:year|month|week)\b|\b(?:yesterday|today|tomorrow)\b"
    r"|\bearlier\s+this\s+(?:year|month|week)\b",
)
_CITATION_YEAR = re.compile(r"\((?:[^()]{0,40}\s)?(?:19|20)\d\d\)")
# A date followed by a pin cite is the date of a transcript, deposition or filing cited for
# the record ("TT Feb. 28, 2017, p. 103:11-15", "Depo., Dec. 18, 2015, pp. 65-66", "Decl.
# filed May 2, 2019, ¶ 4"): where a fact is written down, not when it happened.
_PIN_CITE = re.compile(r"\s*,?\s*(?:at\s+)?(?:pp?\.\s*\d|¶|ECF\s+No|Dkt\.)")


# A sentence that names whom it is about by a pronoun, or not at all: "In 1988, he was
# awarded a Ph.D.", "Born May 14, 1984." (after an opening phrase of time, if any).
_OPENING = re.compile(
    r"\s*(?:(?:In|On|By|From|Since|After|Before|During|Until|Through|Around)\s+[^,.;]{1,40},\s*)?"
    r"(?P<first>[A-Za-z]+)\b"
)
_ABOUT_SOMEONE = frozenset("he she his her born died married graduated".split())


def events_in(
    doc_id: str, text: str, document_date: str | None, people: frozenset[str] = frozenset()
) -> list[Event]:
    """Every dated sentence of `text`, a row per date it gives, in the order of the text;
    an event about someone it does not name is given the one of `people` (the document's
    people, by full name) last named before it."""
    base = _base(document_date)
    events: list[Event] = []
    subject = _Subjects(text, people)
    for start, end in split_sentences(text):
        sentence = text[start:end]
        citations = [m.span() for m in _CITATION_YEAR.finditer(sentence)]
        seen: set[str] = set()
        for pattern, inferred in ((ABSOLUTE, False), (RELATIVE, True)):
            for match in pattern.finditer(sentence):
                if any(s <= match.start() < e for s, e in citations):
                    continue
                if _PIN_CITE.match(sentence, match.end(), match.end() + 24):
                    continue
                written = _bare(match.group(0))
                when = resolve(written, base) if inferred else resolve(written, None)
                if inferred and base is None:
                    when = ""  # "Thursday" of a document whose date is not known
                key = when or written.lower()
                if key in seen:
                    continue
                seen.add(key)
                if when or inferred:
                    events.append(
                        Event(doc_id, start, end, sentence, when, written, inferred, subject(start))
                    )
    return events


class _Subjects:
    """Whom a sentence starting at a given place is about, when it names them by a pronoun
    or not at all: the person last named before it ("" otherwise). The document's names
    are read once, on the first such sentence."""

    def __init__(self, text: str, among: frozenset[str]) -> None:
        self.text = text
        self.among = among
        self.people: tuple[frozenset[str], tuple[str, ...]] | None = None

    def __call__(self, start: int) -> str:
        opening = _OPENING.match(self.text, start, start + 80)
        if not self.among or opening is None:
            return ""
        if opening.group("first").lower() not in _ABOUT_SOMEONE:
            return ""
        if self.people is None:
            known = known_names(self.text)
            self.people = (known, people_named(self.text, known))
        named = person_before(self.text, start, *self.people, among=self.among)
        return named.text if named else ""


def _bare(written: str) -> str:
    written = re.sub(
        r"^(?:in|since|by|until|during|from|of|on)\s+", "", written.strip(), flags=re.I
    )
    return written.rstrip(",")


def _base(document_date: str | None) -> datetime | None:
    if document_date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", document_date[:10]):
        return datetime.fromisoformat(document_date[:10])
    return None


@functools.lru_cache(maxsize=4096)
def resolve(written: str, base: datetime | None) -> str:
    """ISO date of `written` as precise as it is ("2025", "2025-01", "2025-01-16"), relative
    words against `base`; "" when it cannot be resolved."""
    import dateparser
    from dateparser.date import DateDataParser

    if re.fullmatch(r"(?:19|20)\d\d", written):
        return written
    settings = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "MDY", "RETURN_TIME_AS_PERIOD": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(written)
    if data is None or data.date_obj is None:
        parsed = dateparser.parse(written, languages=["en"], settings=settings)
        return parsed.date().isoformat() if parsed else ""
    day: date = data.date_obj.date()
    if data.period == "year":
        return f"{day.year:04d}"
    if data.period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()
