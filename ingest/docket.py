"""What a court filing says about itself: the ECF header stamped on its pages, the court
and the case name in its caption, the document's own heading, the date it was filed.

The patterns are those of US court documents in general (CM/ECF headers of district and
appellate courts, captions with "v." between the parties, clerks' FILED stamps); none is
tied to a court, a party or a case.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from casefile.kernel.records import Docket

# District: "Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page 3 of 15"
DISTRICT_STAMP = re.compile(
    r"Case\s+(?P<case>\d{1,2}:\d{2}-[a-z]{2,4}-\d{3,6}(?:-[A-Z]{1,5})*)\s+"
    r"Document\s+(?P<entry>[\w-]+)\s+Filed\s+(?P<filed>\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:\s+Page\s+(?P<page>\d+)\s+of\s+(?P<pages>\d+))?",
    re.IGNORECASE,
)
# Appellate: "Case: 21-50498 Document: 00516242060 Page: 1 Date Filed: 03/16/2022" and
# "Case: 20-16276, 08/05/2020, ID: 11778722, DktEntry: 19, Page 1 of 15"
APPELLATE_STAMP = re.compile(r"Case:\s*(?P<case>\d{2}-\d{3,6})(?P<rest>.{0,120})", re.IGNORECASE)
_ENTRY = re.compile(r"(?:DktEntry|Document)\s*:\s*(?P<entry>[\w.-]+)", re.IGNORECASE)
_STAMP_DATE = re.compile(r"(?:Date Filed:\s*|,\s*)(?P<date>\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_TEXT = (
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{2,4})"
)
# "Filed 11 February 2022", "FILED Jul 31, 2019", "Date Filed: 03/16/2022", "filed March 16, 2022"
FILED = re.compile(rf"\bfiled:?\s*(?P<date>{_DATE_TEXT})", re.IGNORECASE)
# A signature date closes orders: "Dated: 8/23/05", "Dated: June 30, 2020"
DATED = re.compile(rf"\bDated:?\s*(?P<date>{_DATE_TEXT})", re.IGNORECASE)

_COURT_WORDS = re.compile(r"\b(court|board|tribunal|commission)\b", re.IGNORECASE)
_COURT_CONTINUES = re.compile(
    r"^(?:for|of|in)\b|^(?:(?:northern|southern|eastern|western|central|middle)\s+)?district of\b",
    re.IGNORECASE,
)
# A document's own heading names its kind: "ORDER DENYING MOTION TO QUASH", "OPINION".
DOCUMENT_KIND = re.compile(
    r"^(?:(?:MEMORANDUM|AMENDED|SECOND|FIRST|FINAL|PROPOSED|JOINT|STIPULATED|EMERGENCY|"
    r"UNPUBLISHED|PUBLISHED|PER CURIAM|SUMMARY|PARTIAL)\s+)*"
    r"(?:OPINION|ORDER|JUDGMENT|MOTION|MEMORANDUM|DECISION|BRIEF|COMPLAINT|PETITION|NOTICE|"
    r"STIPULATION|DECLARATION|AFFIDAVIT|REPORT AND RECOMMENDATION|VERDICT|SUBPOENA|ANSWER|"
    r"APPLICATION|REQUEST|RESPONSE|REPLY|OBJECTION|TRANSCRIPT|INDICTMENT|SENTENCING|"
    r"FINDINGS|MANDATE|CERTIFICATE|SUMMONS|WARRANT)\b",
)
_VERSUS = re.compile(r"^(?:v\.?|vs\.?|versus)$", re.IGNORECASE)
_PARTY_ROLE = re.compile(
    r"[,;]?\s*(?:et al\.?,?\s*)?(?:individually and on behalf of.*)?$|"
    r"\b(?:Plaintiffs?|Defendants?|Appellants?|Appellees?|Petitioners?|Respondents?|Movants?|"
    r"Intervenors?|Claimants?|Employers?|Employees?)\b.*$",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset(
    "a an and as at by for from in of on or the to v. vs. with ex rel. et al. al.,".split()
)


@dataclass(frozen=True)
class Caption:
    """The parts of a first page that name the document: its court, its parties, its kind."""

    court: str = ""
    case_name: str = ""
    kind: str = ""

    def title(self) -> str:
        """ "Case name — Kind", or whichever of the two is known."""
        return " — ".join(part for part in (self.case_name, self.kind) if part)


def read_stamps(lines: Sequence[str]) -> Docket:
    """Case number, docket entry and filed date from the ECF header of any page."""
    for line in lines:
        match = DISTRICT_STAMP.search(line)
        if match:
            return Docket(
                case_number=match.group("case"),
                docket_entry=match.group("entry"),
                filed=iso_date(match.group("filed")) or "",
            )
    for line in lines:
        match = APPELLATE_STAMP.search(line)
        if match and _ENTRY.search(match.group("rest")):
            entry = _ENTRY.search(match.group("rest"))
            date = _STAMP_DATE.search(match.group("rest"))
            return Docket(
                case_number=match.group("case"),
                docket_entry=entry.group("entry") if entry else "",
                filed=iso_date(date.group("date")) if date else "",
            )
    return Docket()


def read_caption(paragraphs: Sequence[str]) -> Caption:
    """The court, the case name and the document's kind from the first page's paragraphs
    (in reading order, furniture already removed)."""
    cells = _caption_cells(paragraphs)
    return Caption(court=_court(cells), case_name=_case_name(cells), kind=_kind(cells))


_REGISTRANT = re.compile(r"\(\s*exact\s+name\s+of\s+registrant", re.I)
_SEC_FORM = re.compile(
    r"^\s*FORM\s+(?P<form>\d{1,2}-[A-Z]{1,2}(?:/A)?|[A-Z]-\d{1,2}|DEF\s+14A|6-K)\b"
)


def filing_title(paragraphs: Sequence[str]) -> str:
    """ "Costco Wholesale Corporation — Form 8-K" from an SEC filing's cover page: the
    registrant is the line above "(Exact name of registrant as specified in its charter)"."""
    form = ""
    for index, paragraph in enumerate(paragraphs[:60]):
        found = _SEC_FORM.match(paragraph)
        if found and not form:
            form = found.group("form")
        marker = _REGISTRANT.search(paragraph)
        if marker:
            name = paragraph[: marker.start()].strip() or (
                paragraphs[index - 1].strip() if index else ""
            )
            if not name or len(name) > 120:
                return ""
            return " — ".join(p for p in (_title_case(name), f"Form {form}" if form else "") if p)
    return ""


def _caption_cells(paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs split at the ":" or ")" rules that divide a caption's columns, and without
    the rules themselves ("______", ":" alone)."""
    cells = []
    for paragraph in paragraphs:
        for cell in re.split(r"\s+[:)]\s+|\s+[:)]$|^[:)]\s+", paragraph):
            cell = re.sub(r"_{3,}|^\W+$", "", cell).strip()
            if cell:
                cells.append(cell)
    return cells


def filed_date(text: str) -> str:
    """The date a document says it was filed ("FILED Jul 31, 2019"), or its signature date."""
    for pattern in (FILED, DATED):
        match = pattern.search(text)
        if match:
            found = iso_date(match.group("date"))
            if found:
                return found
    return ""


def _court(paragraphs: Sequence[str]) -> str:
    for index, paragraph in enumerate(paragraphs[:25]):
        words = paragraph.split()
        if not (2 <= len(words) <= 14) or not _COURT_WORDS.search(paragraph):
            continue
        if not (paragraph.isupper() or paragraph.istitle() or _mostly_capitalised(words)):
            continue
        name = paragraph
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        if following and _COURT_CONTINUES.match(following) and len(following.split()) <= 10:
            joiner = " for the " if following.lower().split()[0] not in ("for", "of", "in") else " "
            name = f"{name}{joiner}{following}"
        name = re.sub(r"^\s*in the\s+", "", name, flags=re.IGNORECASE).strip(" ,.")
        return _title_case(name)
    return ""


def _mostly_capitalised(words: list[str]) -> bool:
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(significant) and sum(w[:1].isupper() for w in significant) >= 0.8 * len(significant)


def _case_name(paragraphs: Sequence[str]) -> str:
    """ "First party v. Second party" from the caption's parties around a "v."."""
    for index, paragraph in enumerate(paragraphs[:40]):
        pieces = re.split(r"(?:^|\s)(v\.|vs\.|versus)(?:\s|$)", paragraph, maxsplit=1, flags=re.I)
        if len(pieces) == 3 and pieces[0].strip() and pieces[2].strip():
            before, after = pieces[0], pieces[2]  # "A, Plaintiff, v. B, Defendant" on one line
        elif _VERSUS.match(paragraph.strip()) or (len(pieces) == 3 and not pieces[2].strip()):
            before = pieces[0] if len(pieces) == 3 else ""
            if not _party(before):  # "Plaintiffs, v.": the party is the paragraph before
                before = _previous_party(paragraphs, index)
            after = _next_party(paragraphs, index)
        else:
            continue
        first, second = _party(before), _party(after)
        if first and second:
            return f"{first} v. {second}"
    return ""


def _previous_party(paragraphs: Sequence[str], index: int) -> str:
    for paragraph in reversed(paragraphs[max(0, index - 3) : index]):
        if _party(paragraph):
            return paragraph
    return ""


def _next_party(paragraphs: Sequence[str], index: int) -> str:
    for paragraph in paragraphs[index + 1 : index + 4]:
        if _party(paragraph):
            return paragraph
    return ""


_FIRST_PARTY_ENDS = re.compile(
    r";|,?\s+et\s*al\b|,\s+(?:in\s+(?:his|her|their|its)|individually|as\s+)\b|,?\s+and\s+(?=[A-Z])"
    r"|,\s+(?=[A-Z]{3,}\b)(?!(?:LLC|INC|LLP|LTD|CORP|CO|PLLC|PC|PA|NA)\b)"
)


def _party(text: str) -> str:
    """The first party's name as the caption gives it, without roles, "et al." and the
    other parties."""
    name = _PARTY_ROLE.sub("", text.strip()).strip(" ,;.—–-")
    name = _FIRST_PARTY_ENDS.split(name, maxsplit=1)[0].strip(" ,;")
    name = re.sub(r"[\W_]+$", "", name)  # rules and brackets of the caption, OCR specks
    if not name or len(name.split()) > 10 or not re.search(r"[A-Za-z]{2}", name):
        return ""
    if re.search(r"\bNos?\.\s*\S*\d", name) or sum(c.isdigit() for c in name) > len(name) / 4:
        return ""  # a case number beside the parties, not a party
    if _shouted(name):
        return _title_case(name)
    # "Andrew COUTURE": case-law collections set surnames in capitals.
    return " ".join(
        _title_case(word) if len(word.strip(",.")) > 3 and word.isupper() else word
        for word in name.split()
    )


def _kind(paragraphs: Sequence[str]) -> str:
    """The document's heading ("ORDER DENYING MOTION TO QUASH SUBPOENA"), with the capital
    lines that continue it."""
    for index, paragraph in enumerate(paragraphs[:40]):
        text = paragraph.strip()
        if DOCUMENT_KIND.match(text) and (_shouted(text) or len(text.split()) <= 3):
            for following in paragraphs[index + 1 : index + 6]:
                if not _shouted(following) or _COURT_WORDS.search(following):
                    break
                text = f"{text} {following.strip()}"
            words = text.split()
            short = " ".join(words[:16]) + ("…" if len(words) > 16 else "")
            return _title_case(short)
    return ""


def _shouted(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _title_case(text: str) -> str:
    """ "UNITED STATES DISTRICT COURT FOR THE NORTHERN DISTRICT" -> "United States District
    Court for the Northern District"; text that is not mostly capitals is left as written."""
    if not _shouted(text):
        return text
    words = []
    for position, word in enumerate(text.lower().split()):
        if position and word in _SMALL_WORDS:
            words.append(word)
        elif re.fullmatch(r"(?:[a-z]\.){2,}[,]?|(?:llc|llp|pllc|ii|iii|iv)[,.]?", word):
            words.append(word.upper())
        elif re.fullmatch(r"ma?c[a-z]{3,}[,.]?", word) and word[:3] != "mac":
            words.append("Mc" + word[2:].capitalize())  # "McCRIMMON" -> "McCrimmon"
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


# The forms courts print most; anything else goes to dateparser (slower to load).
_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%B %d %Y")


@functools.cache
def iso_date(text: str) -> str | None:
    """A date as written in a US filing ("09/27/13", "Jul 31, 2019", "11 February 2022")
    as YYYY-MM-DD, or None when it is not a date."""
    from datetime import datetime

    cleaned = re.sub(r"\s+", " ", text.strip(" .,"))
    cleaned = re.sub(r"^Sept\b", "Sep", cleaned)
    for form in _FORMATS:
        try:
            return datetime.strptime(cleaned, form).date().isoformat()
        except ValueError:
            continue
    import dateparser

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={"DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": True},
    )
    return parsed.date().isoformat() if parsed else None
