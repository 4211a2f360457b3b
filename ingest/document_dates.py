"""The date a document was filed, signed or decided, read from what it prints: clerks'
stamps, an opinion's "Decided" line, signature dates, SEC cover dates, a dateline. The
patterns are those of US filings in general; none is tied to a court or a case.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

_MONTH = (
    r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_TEXT = (
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{2,4})"
)
# A clerk's stamp or an opinion's filing line: "FILED Jul 31, 2019", "Filed 11 February
# 2022", "(Filed: February 5, 2010)", "Date Filed: 03/16/2022"; never "filed" inside a
# sentence ("motions filed July 23, 2018").
FILED = re.compile(
    rf"(?:^[ \t(]*(?:Date[ \t]+)?(?:Filed|filed)|\bFILED)\b:?\s{{0,3}}(?P<date>{_DATE_TEXT})",
    re.MULTILINE,
)
# An opinion's heading: "Argued December 10, 2009 Decided February 5, 2010"
DECIDED = re.compile(
    rf"\b(?:Decided|DECIDED|Argued and decided)(?:\s+and\s+Filed)?\b:?\s{{0,3}}"
    rf"(?P<date>{_DATE_TEXT})"
)
# A signature date closes orders and briefs: "Dated: 8/23/05", "DATED: June 30, 2020"
# (capitalised: "a letter dated July 14, 2005" in a sentence is another document's date).
DATED = re.compile(rf"\b(?:Dated|DATED)\b:?\s{{0,3}}(?P<date>{_DATE_TEXT})")
# A form's date field ("Case No. … Date January 15, 2019 Title …" on minutes), but not the
# "Date:" of a hearing that a notice of motion gives with its "Time:".
FORM_DATE = re.compile(
    rf"\b(?:Date|DATE)\b:?[ \t]+(?P<date>{_DATE_TEXT})(?![\s\S]{{0,20}}?\b(?:Time|TIME)\b)"
)
# SEC covers: "Date of Report (Date of earliest event reported): January 19, 2023" and
# "For the fiscal year ended December 31, 2022" / "For the quarterly period ended …"
REPORT_DATE = re.compile(rf"\bDate\s+of\s+report\b[^:]{{0,60}}:\s*(?P<date>{_DATE_TEXT})", re.I)
PERIOD_END = re.compile(
    rf"\b(?:fiscal\s+year|quarterly\s+period)\s+ended:?\s*(?P<date>{_DATE_TEXT})", re.I
)
_LONE_DATE = re.compile(_DATE_TEXT)
OPENING_CHARS = 3000  # how much of a document's start is read for its dates


def document_date(first_page: Sequence[str], text: str, stamp: str = "") -> str:
    """The date a document was filed, signed or decided (YYYY-MM-DD, "" when none), by the
    first of these rules that finds one:

    1. the ECF stamp's Filed date (`stamp`, from `read_stamps`);
    2. a clerk's FILED stamp or "(Filed: …)" line in the opening (the first page, the
       first OPENING_CHARS of text);
    3. an opinion's "Decided" date in the opening;
    4. an SEC cover's "Date of Report", or the end of the fiscal year or quarter it reports;
    5. the first signature date ("Dated: June 30, 2020") anywhere in the document;
    6. a form's "Date" field in the opening (minutes), not a hearing's "Date:"/"Time:";
    7. a date standing alone on the first page (a press release's or a transcript's).
    """
    if stamp:
        return stamp
    # The opening: the first page, and the start of the text (an appellate opinion's
    # "(Filed: …)" line can fall on its second page, after the caption and counsel).
    cover = "\n".join([*first_page[:60], text[:OPENING_CHARS]])
    for pattern, where in (
        (FILED, cover),
        (DECIDED, cover),
        (REPORT_DATE, cover),
        (PERIOD_END, cover),
        (DATED, text),
        (FORM_DATE, cover),
    ):
        for match in pattern.finditer(where):
            found = iso_date(match.group("date"))
            if found:
                return found
    for paragraph in first_page[:60]:
        if _LONE_DATE.fullmatch(paragraph.strip(" .,")):
            return iso_date(paragraph.strip(" .,")) or ""
    return ""


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
