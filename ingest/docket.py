"""What a court filing says about itself: the ECF header stamped on its pages, the court
and the case name in its caption (its heading is read by `headings`, its date by
`document_dates`), and the case a PACER docket report is of.

The patterns are those of US court documents in general (CM/ECF headers of district and
appellate courts, captions with "v." between the parties, clerks' FILED stamps); none is
tied to a court, a party or a case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from casefile.kernel.records import Docket
from ingest.document_dates import iso_date
from ingest.headings import document_kind, heading_of
from ingest.party_names import (
    PARTY_ROLE,
    SMALL_WORDS,
    is_role,
    mostly_capitalised,
    proper_case,
    short_name,
    shouted,
    spellings,
    title_case,
)

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

_COURT_WORDS = re.compile(r"\b(court|board|tribunal|commission)\b", re.IGNORECASE)
_COURT_CONTINUES = re.compile(
    r"^(?:for|of|in)\b|^(?:(?:northern|southern|eastern|western|central|middle)\s+)?district of\b",
    re.IGNORECASE,
)
# Lines of a caption that name the court or its seat, never a party.
_COURT_LINE = re.compile(r"\b(?:court|tribunal|division|circuit)\b", re.IGNORECASE)
_VERSUS = re.compile(r"(?:^|\s)(v\.|vs\.|versus)(?:\s|$)", re.IGNORECASE)
# Where the first party's name ends: the next party, "et al.", a capacity, an apposition
# ("An Arizona corporation"), a trade name ("d/b/a"), a citation (", 403 US 15") or a
# source (" - Supreme Court 1971").
_FIRST_PARTY_ENDS = re.compile(
    r";|,?\s+et\s*al\b|,\s+(?:in\s+(?:his|her|their|its)|individually|as\s+|on\s+behalf\b)"
    r"|,?\s+and\s+(?=[A-Z])|,?\s+and$"
    r"|,\s+(?=[A-Z]{3,}\b)(?!(?:LLC|INC|LLP|LTD|CORP|CO|PLLC|PC|PA|NA)\b)"
    r"|(?i:,\s+an?\s)|(?i:,?\s+[adf]/[bk]/a\b)|,\s+(?=\d)|\s[–—-]\s"
)
# Lines that a caption's parties never are: a judge's, a lawyer's, the court's.
_NOT_A_PARTY = re.compile(r"\b(?:honorable|hon\.|judge|presiding|bar\s+no)\b|@", re.IGNORECASE)
_NUMBER_LINE = re.compile(r"\bNos?\b\.?\s*:?\s*(?:[A-Z]{1,5}\s)?[\w:.()-]{0,12}\d", re.I)
_LEGAL_FORM_START = re.compile(r"^(?:inc|corp|llc|l\.l\.c|ltd|co|n\.a|l\.p|llp)\b\.?,?", re.I)
# Field labels of a form's header ("Case No. … Date January 15, 2019 Title A v. B").
_FORM_FIELD = re.compile(r"(?<=\S)\s+(?=(?:Date|Title)\s[A-Z0-9])")
_ABBREVIATIONS = frozenset("co corp inc ltd jr sr st bros assn".split())


@dataclass(frozen=True)
class Caption:
    """The parts of a first page that name the document: its court, its parties, its kind."""

    court: str = ""
    case_name: str = ""
    kind: str = ""

    def title(self) -> str:
        """ "Gray v. Hudson — Final Pretrial Conference Order", or the case name alone; ""
        without a case name (a kind alone, "Order", names no document)."""
        if not self.case_name:
            return ""
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


def read_caption(paragraphs: Sequence[str], running_heads: Sequence[str] = ()) -> Caption:
    """The court, the short case name and the document's kind from the first page's
    paragraphs (in reading order, furniture already removed); `running_heads`, the first
    page's furniture, give the kind when the page itself names none (court minutes)."""
    cells = _caption_cells(paragraphs)
    spelled = spellings(cells[:60])
    kind = document_kind(cells) or document_kind(_caption_cells(running_heads))
    return Caption(court=_court(cells), case_name=_case_name(cells, spelled), kind=kind)


def caption_parties(paragraphs: Sequence[str]) -> tuple[str, str] | None:
    """The two parties of a caption's first "A v. B", in full as printed ("DONALD M. LUSNAK",
    "BANK OF AMERICA, N.A."); None without one."""
    cells = _caption_cells(paragraphs)
    for index in range(min(len(cells), 45)):
        parties = _parties_at(cells, index)
        if parties:
            return parties
    return None


def title_from_file_name(path: Path) -> str:
    """A readable title from a file's name, for a filing whose caption cannot be read:
    "allcare_ipa_v_ironshore_2020_complaint.pdf" -> "Allcare Ipa v. Ironshore 2020 Complaint"."""
    words = [word for word in re.split(r"[\s_]+", path.stem) if word]
    return " ".join(
        "v." if word.lower() in ("v", "vs") else word[:1].upper() + word[1:] for word in words
    )


_REPORT_CAPTION = re.compile(
    r"^(?P<case>\d{1,2}:\d{2}-[a-z]{2,4}-\d{3,6}(?:-[A-Z]{1,5})*)\s+(?P<name>\S.*)$"
)
_REPORT_FIELD = re.compile(r"^Date (?:filed|terminated|of last filing):", re.IGNORECASE)
_LAST_FILING = re.compile(r"^Date of last filing:\s*(?P<date>\S+)", re.IGNORECASE)


def read_docket_report(blocks: Sequence[str]) -> tuple[str, str]:
    """(title, date) of a CM/ECF docket report saved from PACER, or ("", "") for any other
    page: "TCL Communication Technology Holdings v. Ericsson — Docket Report", dated the day
    it was run (its transaction receipt), else by its "Date of last filing"."""
    head = next((m for block in blocks[:20] if (m := _REPORT_CAPTION.match(block))), None)
    if head is None or not any(_REPORT_FIELD.match(block) for block in blocks[:40]):
        return "", ""
    pieces = _VERSUS.split(head.group("name"), maxsplit=1)
    if len(pieces) != 3 or not (_party(pieces[0]) and _party(pieces[2])):
        return "", ""
    case_name = f"{_cited(_party(pieces[0]), {})} v. {_cited(_party(pieces[2]), {})}"
    date = ""
    for index, block in enumerate(blocks):
        if block.strip().lower() == "transaction receipt" and index + 1 < len(blocks):
            date = iso_date(blocks[index + 1].split()[0]) or ""
    last = next((m for block in blocks[:40] if (m := _LAST_FILING.match(block))), None)
    if not date and last:
        date = iso_date(last.group("date")) or ""
    return f"{case_name} — Docket Report", date


def _caption_cells(paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs split at the ":" or ")" rules that divide a caption's columns and at the
    fields of a form's header, without the rules themselves ("______", ":" alone)."""
    cells = []
    for paragraph in paragraphs:
        if _lists_contents(paragraph):
            break  # the caption came before; the cases a table of authorities lists are not it
        for cell in re.split(r"(?<!\s)\s+[:)]\s+|(?<!\s)\s+[:)]$|^[:)]\s+", paragraph):
            for field in _FORM_FIELD.split(cell):
                field = re.sub(r"_{3,}|^\W+$", "", field).strip()
                if field:
                    cells.append(field)
    return cells


def _lists_contents(paragraph: str) -> bool:
    """A table of contents' or of authorities' heading, or one of its dot-leader lines
    ("V. CONCLUSION ........ 42")."""
    line = paragraph.strip()
    if line.upper().startswith(("TABLE OF CONTENTS", "TABLE OF AUTHORITIES")):
        return True
    return ("....." in line or ". . . . ." in line) and line[-1:].isdigit()


def _court(paragraphs: Sequence[str]) -> str:
    for index, paragraph in enumerate(paragraphs[:25]):
        words = paragraph.split()
        if not (2 <= len(words) <= 14) or not _COURT_WORDS.search(paragraph):
            continue
        if not (paragraph.isupper() or paragraph.istitle() or mostly_capitalised(words)):
            continue
        name = title_case(re.sub(r"^\s*in the\s+", "", paragraph, flags=re.IGNORECASE))
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        if following and _COURT_CONTINUES.match(following) and len(following.split()) <= 10:
            following = title_case(following)
            if following.lower().split()[0] in ("for", "of", "in"):
                following = following[0].lower() + following[1:]
            elif not re.search(r"\b(?:for|of|in)(?: the)?$", name, flags=re.IGNORECASE):
                following = f"for the {following}"
            name = f"{name} {following}"
        return name.strip(" ,.")
    return ""


def _case_name(cells: Sequence[str], spelled: dict[str, str]) -> str:
    """ "Alvarado v. FedEx", "United States v. Roh", "In re Vizio, Inc. Consumer Privacy
    Litigation": the caption's first "A v. B" or "In re" line, each party by its short name."""
    for index in range(min(len(cells), 45)):
        matter = _in_re(cells, index, spelled)
        if matter:
            return matter
        parties = _parties_at(cells, index)
        if parties:
            return f"{_cited(parties[0], spelled)} v. {_cited(parties[1], spelled)}"
    return ""


def _cited(party: str, spelled: dict[str, str]) -> str:
    return proper_case(short_name(party), spelled)


def _in_re(cells: Sequence[str], index: int, spelled: dict[str, str]) -> str:
    """ "In re X" from an "IN RE: X" caption line (with the capital lines that continue it)."""
    cell = cells[index]
    match = re.match(r"in\s+(?:re|the\s+matter\s+of)\b:?\s*", cell, flags=re.IGNORECASE)
    if not match or index > 30:
        return ""
    rest = cell[match.end() :]
    if not shouted(cell) and (
        len(cell.split()) > 10
        or re.search(r"\d", rest)
        or any(w[:1].islower() and w.lower() not in SMALL_WORDS for w in rest.split())
    ):
        return ""  # a sentence or a citation that begins "In re", not a caption
    lines = [rest]
    for following in cells[index + 1 : index + 3]:
        if not _wraps(lines[-1], following):
            break
        lines.append(following)
    name = proper_case(" ".join(lines).strip(" ,.;"), spelled)
    name = re.sub(r"\b(Inc\.|Corp\.|Ltd\.|LLC),(?=\s)", r"\1", name)
    return f"In re {name}" if name else ""


def _parties_at(cells: Sequence[str], index: int) -> tuple[str, str] | None:
    """The two parties around a "v." in cell `index`: on its own line ("v."), ending the
    first party's lines ("Plaintiffs, v.") or between both ("A, Plaintiff, v. B")."""
    pieces = _VERSUS.split(cells[index], maxsplit=1)
    if len(pieces) != 3:
        return None
    before, after = pieces[0].strip(), pieces[2].strip()
    if before and is_role(before):
        before = ""
    first = _lines_above(cells, index, before) if before else _party_before(cells, index)
    second = after or _party_after(cells, index)
    if _party(first) and _party(second):
        return _party(first), _party(second)
    return None


def _party_before(cells: Sequence[str], index: int) -> str:
    """The first party's caption lines above a "v.", past its role and the case number."""
    j = index - 1
    while (
        j >= 0
        and index - j <= 4
        and (is_role(cells[j]) or _is_number(cells[j]) or heading_of(cells[j]))
    ):
        j -= 1
    if j < 0 or index - j > 4 or not _party(cells[j]):
        return ""
    return _lines_above(cells, j, cells[j])


def _lines_above(cells: Sequence[str], index: int, last_line: str) -> str:
    """A party's name ending with `last_line` (in cell `index`), with the caption lines
    above it that it continues (a long name in capitals takes several)."""
    lines = [last_line]
    while len(lines) < 3 and index > 0 and _wraps(cells[index - 1], lines[0]):
        index -= 1
        lines.insert(0, cells[index])
    return " ".join(lines)


def _party_after(cells: Sequence[str], index: int) -> str:
    """The second party's caption lines below a "v.", past a case number beside it."""
    j = index + 1
    while j < len(cells) and j - index <= 3 and _is_number(cells[j]):
        j += 1
    if j >= len(cells) or not _party(cells[j]):
        return ""
    lines = [cells[j]]
    while len(lines) < 3 and j + 1 < len(cells) and _wraps(lines[-1], cells[j + 1]):
        j += 1
        lines.append(cells[j])
    return " ".join(lines)


def _wraps(upper: str, lower: str) -> bool:
    """Whether caption line `lower` continues the name on `upper`: both in capitals and
    `upper` unfinished (no closing comma or stop), or `lower` starting with a legal form
    ("INC., d/b/a …")."""
    for line in (upper, lower):
        if is_role(line) or _is_number(line) or heading_of(line) or _VERSUS.search(line):
            return False
        if _COURT_LINE.search(line) or _COURT_CONTINUES.match(line):
            return False
    if _LEGAL_FORM_START.match(lower):
        return True
    unfinished = not upper.rstrip().endswith((",", ".", ";", ":", ")"))
    return unfinished and shouted(upper) and shouted(lower.split(",")[0])


def _is_number(text: str) -> bool:
    return bool(_NUMBER_LINE.search(text)) and len(text.split()) <= 8


def _party(text: str) -> str:
    """The first party's name as the caption gives it, without roles, "et al.", the other
    parties and a form's "Title" label; "" for a line that is no party's."""
    name = text.strip()
    label = re.match(r"(?:Case )?(?:Title|Caption):?\s+", name)
    if label and shouted(name[label.end() :]):
        name = name[label.end() :]
    words = name.split()
    while words and re.search(r"\d", words[0]) and re.search(r"[-:]", words[0]):
        words.pop(0)  # the case number printed beside the party ("SACR-14-00167 JOSEPH ROH")
    name = PARTY_ROLE.sub("", " ".join(words)).strip(" ,;—–-")
    name = _FIRST_PARTY_ENDS.split(name, maxsplit=1)[0].strip(" ,;")
    name = re.sub(r"[^\w.’']+$", "", name)  # rules and brackets of the caption, OCR specks
    last = name.split()[-1] if name else ""
    if (
        last.endswith(".")
        and last.rstrip(".").lower() not in _ABBREVIATIONS
        and not re.fullmatch(r"(?:[A-Za-z]\.)+", last)
    ):
        name = name.rstrip(".")
    if not name or len(name.split()) > 10 or not re.search(r"[A-Za-z]{2}", name):
        return ""
    if _NOT_A_PARTY.search(name) or _COURT_LINE.search(name) or _COURT_CONTINUES.match(name):
        return ""
    if heading_of(name):
        return ""
    if re.search(r"\bNos?\.\s*\S*\d", name) or sum(c.isdigit() for c in name) > len(name) / 4:
        return ""  # a case number beside the parties, not a party
    return name
