"""The reporter's desk of a case: every quotation with its speaker, a dated timeline, and the
people and organisations with their roles — each row a verbatim span of a document.

    desk = CaseDesk(open_case(settings))
    for row in desk.quotes(who="Freedman"):
        print(row.quote.speaker, row.quote.text, row.citation)

What ingest kept beside each document (`ingest.desk`) is read once and merged across the
case: "Lively", "Ms. Lively" and "Blake Lively" are one person. A document ingested before
the desk existed has its desk made on first use, and kept.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from casefile.kernel.errors import DocumentNotFound
from casefile.kernel.index import CaseIndex
from casefile.kernel.records import (
    Desk,
    DocumentRecord,
    Event,
    PageSpan,
    ParsedDocument,
    Passage,
    Quote,
    RoleMention,
    file_name,
    page_range,
)
from ingest.desk import DESK, current, from_json, to_json
from ingest.desk_worker import BASE_BUDGET_S, submit_desk
from ingest.people import (
    FullNames,
    canonical,
    is_law,
    is_organisation,
    longest_first,
    role_kind,
)
from ingest.quotes import is_statement

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    """Where a row's words stand: the document, its page and the character span."""

    doc_id: str
    title: str
    source: str
    date: str | None
    page: int | None
    start: int
    end: int

    @property
    def label(self) -> str:
        """ "Title, 2025-02-14, page 3, chars 120-180"."""
        parts = [self.title, self.date or "", f"page {self.page}" if self.page else ""]
        return ", ".join(p for p in [*parts, f"chars {self.start}-{self.end}"] if p)

    @property
    def short(self) -> str:
        """ "order.pdf, p. 3, 120-180": for a table's narrow column."""
        name = file_name(self.source) or self.title[:40]
        page = f", p. {self.page}" if self.page else ""
        return f"{name}{page}, {self.start}-{self.end}"


@dataclass(frozen=True)
class QuoteRow:
    quote: Quote
    source: Source
    date: str | None  # the document's date


@dataclass(frozen=True)
class EventRow:
    """A dated event; `also` are the other places that state it in the same words (another
    filing quoting the same docket entry, the same sentence in two articles)."""

    event: Event
    source: Source
    also: tuple[Source, ...] = ()

    @property
    def sources(self) -> tuple[Source, ...]:
        return (self.source, *self.also)


@dataclass
class Person:
    """A person or organisation of the case, with every role the documents state."""

    name: str
    kind: str  # "person", "organisation" or "law"
    variants: set[str] = field(default_factory=set)
    roles: list[tuple[RoleMention, Source]] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)  # doc title -> count
    first: Source | None = None  # where the case first names them

    @property
    def total(self) -> int:
        return sum(self.mentions.values())

    def role_summary(self) -> str:
        """ "lawyer for Baldoni; former federal prosecutor" — each role once."""
        seen: list[str] = []
        for role, _ in self.roles:
            words = describe(role)
            if words and words.lower() not in {s.lower() for s in seen}:
                seen.append(words)
        # "lawyer" says less than "lawyer for Baldoni": keep only the fuller one.
        return "; ".join(s for s in seen if not any(o != s and o.startswith(s + " ") for o in seen))


class CaseDesk:
    """Quotes, timeline and people of one case, from what ingest kept per document."""

    RECHECK_S = 2.0

    def __init__(self, store: CaseIndex, budget_s: float = BASE_BUDGET_S) -> None:
        self.store = store
        self.budget_s = budget_s  # for a document's desk made here (CASEFILE_INGEST_DESK_BUDGET_S)
        self._desks: dict[str, Desk] = {}
        self._records: dict[str, DocumentRecord] = {}
        self._pages: dict[str, tuple[PageSpan, ...]] = {}
        self._checked = -1e9
        self._lock = threading.Lock()
        self._stale: set[str] = set()  # desks made by older rules, to be made again
        self._remaking: threading.Thread | None = None
        self._names: tuple[dict[str, Desk], dict[str, str]] | None = None  # (desks, index)
        self._people: tuple[dict[str, Desk], list[Person]] | None = None  # (desks, rows)

    # -- the rows ----------------------------------------------------------------------

    def quotes(self, who: str | None = None, phrases: bool = False) -> list[QuoteRow]:
        """Every quotation of the case, in document order; only `who`'s when given. One- and
        two-word quotations (a scare quote, a term, a redaction blank) are nobody's statement
        and are not listed; `phrases` keeps them, for a question about how someone put it
        ("How did X describe the subpoenas?" "a “fishing expedition”")."""
        self._refresh()
        desks = self._desks  # one set throughout: a desk made again may replace it meanwhile
        names = self._name_index(desks)
        listed = []
        for doc_id, desk in desks.items():
            for quote in desk.quotes:
                if not phrases and not is_statement(quote.text):
                    continue
                speaker = names.get(quote.speaker, quote.speaker)
                if who and not _matches(who, speaker):
                    continue
                if speaker != quote.speaker:
                    quote = dataclasses.replace(quote, speaker=speaker)
                listed.append((doc_id, quote))
        self._load_pages(doc_id for doc_id, _ in listed)
        return [
            QuoteRow(
                quote, self._source(doc_id, quote.start, quote.end), self._records[doc_id].date
            )
            for doc_id, quote in listed
        ]

    def timeline(
        self, who: str | None = None, since: date | None = None, until: date | None = None
    ) -> list[EventRow]:
        """Every dated event, earliest first (events whose date could not be resolved last);
        only those naming `who` (or about them: "In 1988, he …"), or within [since, until],
        when given."""
        self._refresh()
        listed = [
            (doc_id, event)
            for doc_id, desk in self._desks.items()
            for event in desk.events
            if not who or _mentions(event.text, who) or _matches(who, event.subject)
            if not (since or until) or _within(event.date, since, until)
        ]
        self._load_pages(doc_id for doc_id, _ in listed)
        rows = [
            EventRow(event, self._source(doc_id, event.start, event.end))
            for doc_id, event in listed
        ]
        rows.sort(key=lambda r: (r.event.date == "", r.event.date, r.source.title, r.event.start))
        return _merged(rows)

    def people(self) -> list[Person]:
        """The people and organisations of the case, most mentioned first, with their roles
        and where each is stated."""
        self._refresh()
        desks = self._desks
        if self._people is not None and self._people[0] is desks:
            return list(self._people[1])
        names = self._name_index(desks)
        people: dict[str, Person] = {}

        kinds = {name: kind for desk in desks.values() for name, kind in desk.kinds}

        def person(name: str) -> Person:
            key = names.get(name, name)
            if key not in people:
                kind = kinds.get(key) or (
                    "law" if is_law(key) else "organisation" if is_organisation(key) else "person"
                )
                people[key] = Person(key, kind)
            people[key].variants.add(name)
            return people[key]

        self._load_pages(doc_id for doc_id, desk in desks.items() if desk.first or desk.roles)
        for doc_id, desk in desks.items():
            title = self._records[doc_id].title
            for alias, name in desk.aliases:
                person(name).variants.add(alias)
            for name, count in desk.mentions:
                entry = person(name)
                entry.mentions[title] = entry.mentions.get(title, 0) + count
            for name, start, end in desk.first:
                entry = person(name)
                if entry.first is None:
                    entry.first = self._source(doc_id, start, end)
            for role in desk.roles:
                person(role.name).roles.append((role, self._source(doc_id, role.start, role.end)))
        ranked = [p for p in people.values() if p.roles or p.total > 1]
        ranked.sort(key=lambda p: (not p.roles, -p.total, p.name))
        self._people = (desks, ranked)  # made again only when the desks change
        return list(ranked)

    def holders(self, described: str) -> list[Person]:
        """The people a possessive description names: "Baldoni's lawyer" -> those the
        documents state are lawyers for Baldoni. Empty when `described` is not of that form."""
        owned = _POSSESSIVE.match(described.strip())
        if not owned:
            return []
        owner, role = owned.group("owner"), role_kind(owned.group("role").rstrip("s"))
        found = []
        for person in self.people():
            for mention, _ in person.roles:
                words = describe(mention)
                client = words.partition(" for ")[2]
                # "Blake Lively's lawyers" and "a lawyer for Lively" name the same client.
                if (mention.role == role or words.startswith(role)) and (
                    _matches(owner, client) or _matches(client, owner)
                ):
                    found.append(person)
                    break
        return found

    def person(self, who: str) -> Person | None:
        """The person or organisation `who` names ("Freedman", "Ms. Lively")."""
        matches = [p for p in self.people() if any(_matches(who, v) for v in p.variants | {p.name})]
        return max(matches, key=lambda p: (len(p.roles), p.total)) if matches else None

    def passage(self, doc_id: str, start: int, end: int) -> Passage:
        """A span of a document as a passage an answer can cite."""
        self._refresh()
        where = self._source(doc_id, start, end)
        pages = self._pages[doc_id]
        _, last = page_range(pages, start, end)
        record = self._records[doc_id]
        return Passage(
            doc_id=doc_id,
            source=record.source,
            title=record.title,
            page=where.page,
            start=start,
            end=end,
            text=self.store.document_text(doc_id)[start:end],
            score=1.0,
            date=record.date,
            end_page=last if last != where.page else None,
        )

    # -- loading -----------------------------------------------------------------------

    def _refresh(self) -> None:
        # One thread refreshes at a time, and the others wait for it: a question asked while
        # the case's desks are first read must not see an empty desk (and go unanswered).
        with self._lock:
            now = time.monotonic()
            if now - self._checked < self.RECHECK_S:
                return
            self._checked = now
            self._reload()

    def _reload(self) -> None:
        records = {r.doc_id: r for r in self.store.records()}
        if set(records) == set(self._records):
            return
        stored = self.store.extras(DESK)
        desks = {}
        for doc_id, record in records.items():
            if doc_id in self._desks:
                desks[doc_id] = self._desks[doc_id]
            elif (kept := current(stored.get(doc_id))) is not None:
                desks[doc_id] = kept
            elif (older := _older(stored.get(doc_id))) is not None:
                # Made by older rules: used as it is until it is made again, behind the
                # questions (a rules change must not cost a 5,000-document case's first desk
                # question the half hour of making them all).
                desks[doc_id] = older
                self._stale.add(doc_id)
            elif (made := self._make(doc_id, record)) is not None:
                desks[doc_id] = made  # ingested before the desk existed: made now, once
        records = {doc_id: r for doc_id, r in records.items() if doc_id in desks}
        self._records, self._desks = records, desks
        self._pages = {}
        if self._stale and (self._remaking is None or not self._remaking.is_alive()):
            self._remaking = threading.Thread(
                target=self._remake_stale, name="casefile-desk-remake", daemon=True
            )
            self._remaking.start()

    def _make(self, doc_id: str, record: DocumentRecord) -> Desk | None:
        """A document's desk read now, in the worker, within the same time budget as at
        ingest (one over it is kept as unread, so that it is not tried again); None when the
        document was removed meanwhile."""
        try:
            text = self.store.document_text(doc_id)
        except DocumentNotFound:
            return None
        parsed = ParsedDocument(text, record.kind, record.title, record.date)
        desk = submit_desk(doc_id, parsed, self.budget_s).kept()
        if desk is not None:
            self.store.write_extra(doc_id, DESK, to_json(desk))
        return desk or Desk()  # failed: empty now, tried again by the next process

    def _remake_stale(self) -> None:
        """Make again, one by one, the desks older rules made; each replaces its old one."""
        while True:
            with self._lock:
                if not self._stale:
                    return
                doc_id = self._stale.pop()
                record = self._records.get(doc_id)
            if record is None:
                continue  # removed since
            try:
                desk = self._make(doc_id, record)
            except Exception:  # noqa: BLE001 - the old desk stays; the next process tries again
                log.exception("the desk of %s was not made again", doc_id)
                continue
            with self._lock:
                if desk is not None and doc_id in self._desks:
                    self._desks = {**self._desks, doc_id: desk}

    def _load_pages(self, doc_ids: Iterable[str]) -> None:
        """Read the page spans of the documents about to be cited, in a few reads, not one
        a document."""
        missing = [doc_id for doc_id in doc_ids if doc_id not in self._pages]
        if missing:
            found = self.store.page_spans_of(missing)
            # One removed since its desk was read has no pages to give.
            self._pages.update({doc_id: found.get(doc_id, ()) for doc_id in missing})

    def _source(self, doc_id: str, start: int, end: int) -> Source:
        self._load_pages([doc_id])
        record = self._records[doc_id]
        page, _ = page_range(self._pages[doc_id], start, end)
        return Source(doc_id, record.title, record.source, record.date, page, start, end)

    def _name_index(self, desks: dict[str, Desk]) -> dict[str, str]:
        """Every name as written in `desks` -> the full name it stands for across the case
        (worked out once per set of desks: 4 s for the 50,000 names of 5,000 documents)."""
        if self._names is not None and self._names[0] is desks:
            return self._names[1]
        written = {name for desk in desks.values() for name, _ in desk.mentions}
        written |= {r.name for desk in desks.values() for r in desk.roles}
        written |= {q.speaker for desk in desks.values() for q in desk.quotes if q.speaker}
        full = FullNames(longest_first(n for n in written if len(n.split()) > 1))
        names = {name: canonical(name, full) for name in written}
        self._names = (desks, names)
        return names


def _older(data: str | None) -> Desk | None:
    """A stored desk that older rules made, if it can still be read."""
    if data is None:
        return None
    try:
        return from_json(data)
    except (ValueError, TypeError, KeyError) as exc:
        log.info("a stored desk is unreadable (%s): made again", exc)
        return None


_POSSESSIVE = re.compile(
    r"^(?:the\s+)?(?P<owner>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)(?:’s|'s|’|')\s+(?P<role>[a-z][\w\s-]*)$"
)


def _merged(rows: list[EventRow]) -> list[EventRow]:
    """One row per event: rows of the same date whose sentences say the same words (case,
    spacing and quote marks aside), or where one sentence quotes the other whole ("As the
    docket shows, “On March 3, 2021, …”"), become the first such row, the others listed
    as its sources."""
    merged: list[EventRow] = []
    seen: dict[str, list[tuple[str, int]]] = {}  # date -> (words, index in merged)
    for row in rows:
        words = _same_words(row.event.text)
        date = row.event.date or row.event.date_text
        match = next(
            (
                index
                for other, index in seen.get(date, [])
                if other == words
                or (min(len(other), len(words)) >= 40 and (other in words or words in other))
            ),
            None,
        )
        if match is None:
            seen.setdefault(date, []).append((words, len(merged)))
            merged.append(row)
        elif row.source not in merged[match].sources:
            first = merged[match]
            merged[match] = dataclasses.replace(first, also=(*first.also, row.source))
    return merged


def _same_words(text: str) -> str:
    return " ".join(re.sub(r"[“”\"‘’']", "", text).lower().split())


def describe(role: RoleMention) -> str:
    """A role in words: "lawyer for Baldoni", "former federal prosecutor", "judge"."""
    detail = role.detail.strip()
    owner = re.match(r"^([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)(?:’s|'s)\s+(.+)$", detail)
    if owner:  # "Baldoni's lawyer" -> "lawyer for Baldoni"
        return f"{owner.group(2)} for {owner.group(1)}"
    if detail.startswith("for "):
        return f"{role.role} {detail}"
    return detail or role.role


def _matches(who: str, name: str) -> bool:
    """Whether `who` ("Freedman", "bryan freedman", "Ms. Lively") names `name`."""
    wanted = [w for w in re.findall(r"[\w’'-]+", who.lower()) if w not in ("mr", "ms", "mrs", "dr")]
    have = set(re.findall(r"[\w’'-]+", name.lower()))
    return bool(wanted) and all(w in have for w in wanted)


def _mentions(text: str, who: str) -> bool:
    words = [w for w in re.findall(r"[\w’'-]+", who) if w.lower() not in ("mr", "ms", "mrs", "dr")]
    return bool(words) and all(re.search(rf"\b{re.escape(w)}\b", text, re.I) for w in words[-1:])


def date_range(iso: str) -> tuple[date, date]:
    """The first and last day an ISO date of any precision covers ("2025-01": Jan 1-31)."""
    import calendar

    year = int(iso[:4])
    if len(iso) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(iso[5:7])
    if len(iso) == 7:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date.fromisoformat(iso[:10])
    return day, day


def _within(iso: str, since: date | None, until: date | None) -> bool:
    if not iso:
        return False
    first, last = date_range(iso)
    return not (since and last < since) and not (until and first > until)
