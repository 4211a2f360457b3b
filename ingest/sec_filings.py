"""SEC filings' cover pages: the registrant and the form a citation names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.party_names import shouted, spellings, title_case

_REGISTRANT = re.compile(r"\(\s*exact\s+name\s+of\s+registrant", re.I)
_FILE_NUMBER = re.compile(r"^\s*Commission\s+file\s+(?:number|no\.)", re.I)
_SEC_FORM = re.compile(
    r"^\s*FORM\s+(?P<form>\d{1,2}-[A-Z]{1,2}(?:/A)?|[A-Z]-\d{1,2}|DEF\s+14A|6-K)\b"
)


def filing_title(paragraphs: Sequence[str]) -> str:
    """ "Costco Wholesale Corporation — Form 8-K" from an SEC filing's cover page: the
    registrant is the line above "(Exact name of registrant as specified in its charter)",
    or on covers without that note the first line in capitals after "Commission file
    number"; printed in proper case, acronyms the cover spells so kept ("CVS", "3M")."""
    form, name = "", ""
    for index, paragraph in enumerate(paragraphs[:60]):
        found = _SEC_FORM.match(paragraph)
        if found and not form:
            form = found.group("form")
        marker = _REGISTRANT.search(paragraph)
        if marker:
            name = paragraph[: marker.start()].strip() or (
                paragraphs[index - 1].strip() if index else ""
            )
            break
    if not name and form:
        name = _name_after_file_number(paragraphs[:60])
    if not name or len(name) > 120:
        return ""
    registrant = title_case(name, spellings(paragraphs[:60]))
    return " — ".join(p for p in (registrant, f"Form {form}" if form else "") if p)


def _name_after_file_number(paragraphs: Sequence[str]) -> str:
    for index, paragraph in enumerate(paragraphs):
        if _FILE_NUMBER.match(paragraph):
            for following in paragraphs[index + 1 : index + 3]:
                if shouted(following) and len(following.split()) <= 8:
                    return following.strip()
            return ""
    return ""
