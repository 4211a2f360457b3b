"""The reporter's desk of one document, made at ingest beside its chunks: its quotations
with their speakers, its dated events, the roles it states and whom it names how often.

Stored with the document (as JSON), so the Quotes, Timeline and People views of a case
open without reading any document again.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections import Counter
from dataclasses import asdict
from typing import Any

from casefile.kernel.errors import ModelUnavailable
from casefile.kernel.records import Desk, Event, Quote, RoleMention
from casefile.kernel.text import short_line_runs, split_sentences
from ingest.appearances import appearances
from ingest.legal import stated
from ingest.people import (
    Mentions,
    clean_name,
    is_name,
    is_organisation,
    mention_counts,
    role_kind,
    roles_in,
)
from ingest.quotes import quotes_in
from ingest.timeline import events_in

log = logging.getLogger(__name__)

DESK = "desk"  # the name the desk is stored under beside a document
# Raised whenever the extraction rules change: a desk made by older rules is made again
# from the stored text, behind the questions, once the case's desk is read.
# 23: the statements of roles and rulings, for retrieval; 24: names in sentences whose only
# capitalised words are common ones are not read (e-mail and web addresses do not count);
# 25: a docket's capitalised verb after "to" is no name; a table of contents or authorities
# is no caption (its "V. CONCLUSION" was a party); a one-word name only ever written after
# "the" ("the Underwriter will pay") is no person; 26: a policy's term used as a noun ("any
# Insured Entity") is no party, "the Alloway Court" (a cited case's court) and an "Advisory
# Committee Note" are no names, "Park Police" after "U.S. Park Police" is that body, two
# names with only a space between ("Treasury" "Bill") are neither; 27: a citation after a
# sentence that ends in a quotation (“… situation.” Arizona v. Johnson, …) speaks for every
# quotation of it, a quotation that ends its own sentence is not the next one's, a citation
# may wrap a line; 28: where a name is written whole, the recogniser's readings of it there
# decide whether it is a person's or an organisation's, not those of the surname alone ("Ryan
# Reynolds" was an organisation), and it reads the ten words around capitalised ones rather
# than whole sentences. Desks of older rules answer meanwhile.
DESK_VERSION = 28


def read_desk(doc_id: str, text: str, document_date: str | None) -> Desk:
    """Everything the desk keeps of one document's text."""
    # Sentences, and runs of short lines: a signature block states a role over two lines.
    units = split_sentences(text) + short_line_runs(text)
    statements = stated(text)
    quotes = quotes_in(doc_id, text)
    # The judge, counsel and parties as captions and counsel blocks print them.
    roles = appearances(doc_id, text) + roles_in(doc_id, text, units, statements)
    # A speaker's role, as the attribution gives it ("former federal prosecutor").
    for quote in quotes:
        if quote.speaker and quote.role and quote.said_at and " and " not in quote.speaker:
            start, end = quote.said_at
            roles.append(
                RoleMention(doc_id, start, end, quote.speaker, role_kind(quote.role), quote.role)
            )
    # A role's name as a name: "Judge King’s Dismissal Order" names King, "/s/ Roger N.
    # Heller1" carries a footnote mark.
    roles = list(
        dict.fromkeys(
            dataclasses.replace(role, name=name)
            for role in roles
            if (name := clean_name(role.name)) is not None and is_name(name)
        )
    )
    try:
        named = mention_counts(text)
    except ModelUnavailable as exc:  # the quotes, timeline and roles stand without it
        log.warning("people not listed for %s: %s", doc_id, exc)
        named = Mentions(Counter(), {}, {}, {})
    people = frozenset(name for name, kind in named.kinds.items() if kind == "person")
    # A firm or a party the caption and counsel blocks name, by what its name says it is.
    kinds = {r.name: "organisation" for r in roles if is_organisation(r.name)} | named.kinds
    return Desk(
        quotes=tuple(quotes),
        events=tuple(events_in(doc_id, text, document_date, people)),
        roles=tuple(roles),
        mentions=tuple(sorted(named.counts.items(), key=lambda item: (-item[1], item[0]))),
        aliases=tuple(sorted(named.aliases.items())),
        first=tuple((name, start, end) for name, (start, end) in sorted(named.first.items())),
        kinds=tuple(sorted(kinds.items())),
        stated=tuple((s.start, s.end, s.role) for s in statements),
    )


def to_json(desk: Desk) -> str:
    return json.dumps({"version": DESK_VERSION, **asdict(desk)}, ensure_ascii=False)


def current(data: str | None) -> Desk | None:
    """The stored desk `data`, or None when there is none or older rules made it."""
    if data is None:
        return None
    raw = json.loads(data)
    return _desk(raw) if raw.get("version") == DESK_VERSION else None


def from_json(data: str) -> Desk:
    return _desk(json.loads(data))


def _desk(raw: dict[str, Any]) -> Desk:
    return Desk(
        quotes=tuple(
            Quote(**{**q, "said_at": tuple(q["said_at"]) if q.get("said_at") else None})
            for q in raw.get("quotes", [])
        ),
        events=tuple(Event(**e) for e in raw.get("events", [])),
        roles=tuple(RoleMention(**r) for r in raw.get("roles", [])),
        mentions=tuple((name, count) for name, count in raw.get("mentions", [])),
        aliases=tuple((alias, name) for alias, name in raw.get("aliases", [])),
        first=tuple((name, start, end) for name, start, end in raw.get("first", [])),
        kinds=tuple((name, kind) for name, kind in raw.get("kinds", [])),
        stated=tuple((start, end, role) for start, end, role in raw.get("stated", [])),
        read=bool(raw.get("read", True)),
    )
