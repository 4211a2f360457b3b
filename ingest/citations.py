"""How court writing cites its authorities: case names, reporter and database cites, short
forms. Shared by the quotations (whose words a quotation is) and the people (a party of a
cited case is not a person of this one).

Every pattern is bounded: no nested open-ended repetition, so a long text costs linear time.
"""

from __future__ import annotations

import re

# A case name: capitalised words (and the small words of names: "City of Santa Ana") before
# "v.", so that a clause ("he contends that Arizona v. Gant") is not taken for one; or "In re"
# and the matter's name ("In re Hyundai & Kia Fuel Econ. Litig.").
# A capitalised word, or an abbreviation with its period ("Co.", "Econ.", "U.S."): a longer
# word with a period after it ends a sentence ("… Corporation. Under Brulotte v. …").
NAME_TOKEN = r"(?:(?:[A-Z][\w’'&-]{0,5}\.)+|[A-Z][\w’'&-]*(?![\w.]))"
NAME_WORD = rf"(?:{NAME_TOKEN}|of|the|and|&|ex|rel\.|for|de|la|on|in|e\.g\.)"
CASE = (
    rf"(?:{NAME_TOKEN}(?:,?\s+{NAME_WORD}){{0,8}}?\s+v\.\s+[^;()“”\"\n]{{1,100}}?"
    rf"|In\s+[Rr]e\s+{NAME_TOKEN}(?:,?\s+{NAME_WORD}){{0,8}}?)"
)
# A reporter's volume and series ("550 U.S.", "147 Cal. App. 3d", "F. Supp. 2d") before a page
# or a pin ("at 570", "at *4").
VOLUME = r"\d+\s+[A-Z][\w.]*(?:\s+(?:[A-Z][\w.]*|\d(?:d|th|st|nd|rd)\b)){0,3}"
REPORTER = rf"{VOLUME}\s+(?:at\s+)?\*?\d+"
# A reporter cite, or an unreported decision's database cite ("No. CV 17-7435, 2018 WL 4945643").
CITE = rf"(?:No\.\s[^,;\n]{{1,40}},\s+)?(?:{REPORTER}|\d{{4}}\s+WL\s+\d+)"
ANY_CASE = re.compile(rf"(?P<case>{CASE}),\s+{CITE}")
# "Gant, 129 S. Ct. at 1714", "Comcast Corp., 569 U.S. at 34": a case cited again by its name.
SHORT_CITE = re.compile(rf"(?P<short>[A-Z][\w.'’&-]+(?:\s+[A-Z][\w.'’&-]+)?),\s+{REPORTER}")


def spans(text: str) -> list[tuple[int, int]]:
    """Where `text` cites a case, in full or short, name included: sorted, not overlapping."""
    found = sorted(
        [m.span() for m in ANY_CASE.finditer(text)] + [m.span() for m in SHORT_CITE.finditer(text)]
    )
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# Words a sentence may open with before a case's name ("Under Brulotte v. Thys Co., …").
_OPENING = re.compile(
    r"^(?:(?:under|in|as|by|from|following|per|after|before|unlike|like|citing|quoting|and|"
    r"with|compare|to|but)\s+)+"
)


def cited_parties(text: str) -> set[str]:
    """The parties of the cases `text` cites, lowercase, each in full and by its first word
    ("brulotte v. thys co." gives "brulotte", "thys co.", "thys")."""
    found: set[str] = set()
    for match in ANY_CASE.finditer(text):
        case = re.sub(r"^In\s+re\s+", "", without_signal(match.group("case")), flags=re.I)
        for party in re.split(r"\s+v\.\s+", case):
            party = _OPENING.sub("", party.strip(" ,").lower())
            if party and not party.startswith(("united states", "state of", "people")):
                found.add(party)
                found.add(party.split()[0].strip(","))
    for match in SHORT_CITE.finditer(text):  # "Sony, 996 F. Supp. 2d at 966"
        short = without_signal(match.group("short")).strip(" ,").lower()
        if short and short not in ("id.", "id"):
            found.add(short)
    return found


def without_signal(case: str) -> str:
    """ "See, e.g., Richardson v. Axion Logistics" -> "Richardson v. Axion Logistics"."""
    return re.sub(
        r"^(?:(?:see|cf\.|accord|but|also|e\.g\.,?|quoting)\s+)+", "", case.strip(), flags=re.I
    )
