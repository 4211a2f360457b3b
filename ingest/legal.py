"""How court documents state who decided, who argued and what was decided.

Opinions, orders and filings put these facts in a few fixed forms — "Before A, B, and C,
Circuit Judges.", "HUDSON, Justice.", "Judge X delivered the opinion", a signature block
"NAME / United States District Judge", "X, with whom Y was on the brief, for appellant",
"the judgment is AFFIRMED", "the motion to quash is DENIED". These patterns are learnt
from that structure, not from any case: they name no court, party or lawyer.

Each finder returns `Statement`s: the role, and the span of the words that fill it (the
names, or the disposition), as offsets into the text given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from casefile.kernel.text import short_line_runs, split_sentences

Role = Literal[
    "panel", "author", "judge", "counsel", "dissent", "disposition", "party", "signer", "dated"
]

# A name's words stay on one line; lower-case particles join them ("Ana de la Cruz").
_NAME = r"[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|(?:de|van|von|la|del|da|di)\b)){0,4}"
_NAMES = rf"{_NAME}(?:(?:,[ \t]*|[ \t]+and[ \t]+|,[ \t]*and[ \t]+){_NAME}){{0,8}}"
_JUDGE_TITLE = (
    r"(?:Chief\s+|Senior\s+|Associate\s+|Presiding\s+|Circuit\s+|District\s+|Magistrate\s+"
    r"|Bankruptcy\s+|Appellate\s+|Administrative\s+(?:Law\s+)?)*(?:Judges?|Justices?)"
)

PATTERNS: list[tuple[Role, re.Pattern[str]]] = [
    # "Before Barksdale, Stewart, and Dennis, Circuit Judges." / "Before: A, B and C, JJ."
    (
        "panel",
        re.compile(
            rf"\bBefore:?\s+(?P<who>[A-Z][^\n]{{2,200}}?),?\s+(?:{_JUDGE_TITLE}|JJ\.|C\.\s?JJ?\.)"
            r"\s*[.:]?\s*$",
        ),
    ),
    # "Judge David F. Hensley delivered the opinion", "MR. JUSTICE HARLAN delivered the opinion"
    (
        "author",
        re.compile(
            rf"(?:(?:Mr\.|MR\.)\s+)?(?:{_JUDGE_TITLE}|JUSTICE|JUDGE)\s+(?P<who>{_NAME})\s+"
            r"(?:delivered|wrote|authored|announced)\s+the\s+opinion",
        ),
    ),
    # "Opinion by Judge X", "Opinion of the Court by X"
    (
        "author",
        re.compile(
            rf"\bOpinion\s+(?:of\s+the\s+Court\s+)?by\s+(?:{_JUDGE_TITLE}\s+)?(?P<who>{_NAME})"
        ),
    ),
    # "HUDSON, Justice.", "MARTINOTTI, DISTRICT JUDGE", "SMITH, Circuit Judge:"
    (
        "author",
        re.compile(
            r"^\s*(?P<who>[A-Z][A-Za-z'’.-]+(?:\s+[A-Z][A-Za-z'’.-]+){0,3}),\s+"
            r"(?:(?:Chief|Senior|Associate|Circuit|District|CHIEF|SENIOR|ASSOCIATE|CIRCUIT|DISTRICT)\s+)?"
            r"(?:Justice|Judge|JUSTICE|JUDGE|J\.)\s*[.:]?\s*$"
        ),
    ),
    # An opinion that opens with its author: "BROWN, Circuit Judge: Samuel Vinton, convicted ..."
    (
        "author",
        re.compile(
            r"^\s*(?P<who>[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,3}),\s+"
            r"(?:(?:Chief|Senior|Associate|Circuit|District)\s+)?(?:Judge|Justice)\s*:"
        ),
    ),
    # A signature block: "SUSAN ILLSTON United States District Judge", "Hon. Vince Chhabria"
    (
        "judge",
        re.compile(
            # (the name on one line: "IT IS SO ORDERED." above it is not part of it)
            r"(?P<who>[A-Z][A-Za-z'’.]*(?:[ \t]+[A-Z][A-Za-z'’.]*){1,4})\s+"
            r"(?:United\s+States|U\.\s?S\.)\s+(?:District|Magistrate|Bankruptcy|Circuit)\s+Judge",
            re.IGNORECASE,
        ),
    ),
    ("judge", re.compile(rf"\b(?:Hon\.|Honorable)\s+(?P<who>{_NAME})")),
    # When a document says it was dated, filed or decided: "Dated: March 3, 2024"
    (
        "dated",
        re.compile(
            r"^\s*(?:Dated|Filed|Date\s+Filed|Decided|Entered|Signed|Argued|Submitted)\s*:?\s*"
            r"(?P<who>(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}"
            r"|\d{1,2}/\d{1,2}/\d{2,4}))",
        ),
    ),
    # An electronic signature: "By: /s/ Richard A. Galanti", "/s/ Jane Doe"
    ("signer", re.compile(rf"/s/\s*(?P<who>{_NAME})")),
    ("judge", re.compile(rf"\b(?:{_JUDGE_TITLE})\s+(?P<who>{_NAME})")),
    # "Judge Timothy W. Conner dissented", "X, J., dissenting"
    (
        "dissent",
        re.compile(
            rf"(?:{_JUDGE_TITLE}\s+)?(?P<who>{_NAME}),?\s+(?:J\.,\s+)?dissent(?:ed|s|ing)\b"
        ),
    ),
    # Counsel: "Victor M. Mercogliano, Washington, D. C., for appellees.",
    # "Melville B. Nimmer argued the cause for appellant", "counsel for the government, X,"
    (
        "counsel",
        re.compile(
            # The place after a name ("of Minneapolis", "Washington, D. C.") is one to four
            # words set apart by spaces: a word is never split, whatever its capitals.
            rf"(?P<who>{_NAMES})(?:,\s*(?:of\s+)?[A-Z][\w.]*(?:\s[A-Z][\w.]*){{0,3}}\s?)*,?\s+"
            r"(?:argued\s+the\s+cause\s+|(?:was|were)\s+on\s+the\s+brief\s+)?"
            r"for\s+(?:the\s+)?(?P<side>appellants?|appellees?|"
            r"plaintiffs?|defendants?|petitioners?|respondents?|movants?|intervenors?|"
            r"(?:employers?|employees?|claimants?)[\w-]*"
            r"|the\s+(?:State|government|United States))\b",
        ),
    ),
    # "Roger K. Gannam, with whom Mathew D. Staver was on the brief, for appellant."
    (
        "counsel",
        re.compile(
            rf"(?P<who>{_NAME}),\s+with\s+whom\s+[^;]{{2,160}}?\s+(?:was|were)\s+on\s+(?:the\s+)?"
            r"briefs?,\s+(?:argued\s+the\s+cause\s+)?for\s+(?:the\s+)?(?P<side>appellants?|appellees?"
            r"|plaintiffs?|defendants?|petitioners?|respondents?|the\s+(?:State|government))\b",
        ),
    ),
    (
        "counsel",
        re.compile(
            rf"\b(?:counsel|attorneys?|lawyers?)\s+for\s+(?:the\s+)?(?P<side>[\w\s-]{{2,40}}?),\s+"
            rf"(?P<who>{_NAME}),",
            re.IGNORECASE,
        ),
    ),
    # As news copy names them: "X's lawyers, A and B, told ...", "his attorney, A, said".
    (
        "counsel",
        re.compile(
            rf"(?:’s|'s|\b(?:his|her|their|its))\s+(?:lead\s+|defen[cs]e\s+|trial\s+)?"
            rf"(?:lawyers?|attorneys?|counsel),\s+(?P<who>{_NAMES}),"
        ),
    ),
]

# "AFFIRMED.", "REVERSED AND REMANDED", "MODIFIED AND AFFIRMED."
_CAPS_DISPOSITION = re.compile(
    r"\b(?P<what>(?:(?:AFFIRMED|REVERSED|VACATED|REMANDED|DISMISSED|MODIFIED|DENIED|GRANTED)"
    r"(?:\s+IN\s+PART)?(?:,?\s+(?:AND\s+)?)?){1,3})\b"
)
# "the motion to quash is DENIED", "the judgment is hereby affirmed", "Appeal dismissed"
_PASSIVE_DISPOSITION = re.compile(
    r"\b(?:is|are|be|was|were|shall\s+be|stands?)\s+(?:hereby\s+|therefore\s+|accordingly\s+)?"
    r"(?P<what>(?:granted|denied|dismissed|affirmed|reversed|vacated|remanded|sustained|"
    r"overruled|quashed|modified)(?:\s+in\s+part)?(?:(?:,|\s+and)\s+(?:granted|denied|dismissed|"
    r"affirmed|reversed|vacated|remanded)(?:\s+in\s+part)?)*)\b",
    re.IGNORECASE,
)
# "we affirm", "we reverse the trial court's decision and remand the case", "we modify and affirm"
_VERB = r"(?:affirm|reverse|vacate|remand|dismiss|modify|grant|deny)"
_ACTIVE_DISPOSITION = re.compile(
    r"\b(?:we|the\s+court|this\s+court|the\s+board)\s+(?:therefore\s+|accordingly\s+|hereby\s+)?"
    rf"(?P<what>{_VERB}\w*(?:\s+[\w’'-]+){{0,8}}?(?:\s+and\s+{_VERB}\w*(?:\s+[\w’'-]+){{0,5}}?)?)"
    r"(?=\s+(?:for|because|since|as|on|with|pursuant|to\s+the\s+extent)\b|[.;,]|$)",
    re.IGNORECASE,
)
# A line that is nothing but the ruling: "Reversed and Remanded", "Affirmed.", "Appeal dismissed."
_STANDALONE_DISPOSITION = re.compile(
    r"^\s*(?P<what>(?:(?:appeal|petition|motion)\s+)?(?:(?:affirmed|reversed|vacated|remanded|"
    r"dismissed|modified|denied|granted)(?:\s+in\s+part)?(?:,?\s+and\s+|,\s+)?){1,3})\.?\s*$",
    re.IGNORECASE,
)
_ELLIPTIC_DISPOSITION = re.compile(
    r"\b(?P<what>(?:appeal|petition|complaint|motion|case|action)\s+(?:is\s+)?"
    r"(?:dismissed|denied|granted|affirmed))\b",
    re.IGNORECASE,
)


# What the first blocks of a court opinion hold, whatever its source: the parties around a
# "v.", the court, counsel "for appellant", the panel "Before ...", the opinion's author, dates.
CAPTION_SIGNS = (
    re.compile(r"^.{3,200}\s(?:v\.|vs\.|versus)\s.{3,200}$", re.IGNORECASE),
    re.compile(r"^(?:[\w.,'’&-]+\s){0,8}(?:court|tribunal)\b.{0,80}$", re.IGNORECASE),
    re.compile(
        r"\bfor (?:the )?(?:appellants?|appellees?|plaintiffs?|defendants?|petitioners?"
        r"|respondents?|movants?|the (?:state|government|united states))\b",
        re.IGNORECASE,
    ),
    re.compile(r"^before\b.{0,200}\b(?:judges?|justices?|jj|c\.\s?j)\b", re.IGNORECASE),
    re.compile(r"\bdelivered the opinion\b|\bper curiam\b", re.IGNORECASE),
    re.compile(r"^(?:argued|decided|submitted|filed|dated)\b.{0,40}\d{2,4}", re.IGNORECASE),
    re.compile(r"^(?:it\s+is\s+)?so\s+ordered\b", re.IGNORECASE),
    re.compile(
        r"\b(?:united\s+states|u\.\s?s\.)\s+(?:district|magistrate|bankruptcy|circuit)\s+judge\b",
        re.I,
    ),
    re.compile(
        r"^(?:memorandum\s+)?(?:opinion|order)(?:\s+(?:and|on|granting|denying)\b.*)?$", re.I
    ),
)


def is_court_record(lines: list[str]) -> bool:
    """Whether a document reads like a court record: at least three signs among its first
    and last lines (parties around a "v.", the court, counsel, the panel, dates, the
    heading "ORDER", "SO ORDERED", a judge's signature)."""
    head = lines[:40] + lines[-15:]  # the caption opens it; the signature closes it
    return sum(any(sign.search(line) for line in head) for sign in CAPTION_SIGNS) >= 3


@dataclass(frozen=True)
class Statement:
    """One fact of a court document: a role and the words that fill it."""

    role: Role
    start: int
    end: int
    value: str
    side: str = ""  # for counsel: whom they act for, as written ("appellees", "the government")
    reach: tuple[int, int] = (0, 0)  # the whole statement: "SUSAN ILLSTON ... District Judge"

    def covers(self, sentence: str) -> bool:
        """Whether the statement is most of `sentence` (a ruling set on a line of its own)."""
        return self.end - self.start >= 0.6 * len(sentence.strip(" .\n"))


def statements(text: str) -> list[Statement]:
    """Every role statement and disposition in `text` (a sentence or a paragraph)."""
    found: list[Statement] = []
    for role, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span("who")
            value = text[start:end].strip(" ,;")
            side = match.groupdict().get("side") or ""
            if role == "counsel" and re.fullmatch(r"(?i:counsel|attorneys?|lawyers?)", value):
                continue  # "Counsel for the defendant, X,": the name follows
            if value and (role == "dated" or not _mostly_lower(value)):
                found.append(
                    Statement(role, start, start + len(value), value, side.lower(), match.span())
                )
    found.extend(dispositions(text))
    return found


def stated(text: str) -> list[Statement]:
    """Every statement of a longer text (a passage, a document), offsets into it: read
    sentence by sentence, and over runs of short lines, where a signature block sets one
    statement over several lines ("SUSAN ILLSTON" / "United States District Judge")."""
    found: dict[tuple[int, int, str], Statement] = {}
    for start, end in split_sentences(text) + short_line_runs(text):
        for s in statements(text[start:end]):
            moved = Statement(
                s.role,
                start + s.start,
                start + s.end,
                s.value,
                s.side,
                (start + s.reach[0], start + s.reach[1]) if s.reach != (0, 0) else (start, end),
            )
            found.setdefault((moved.start, moved.end, moved.role), moved)
    return sorted(found.values(), key=lambda s: (s.start, s.end))


def dispositions(text: str) -> list[Statement]:
    """How the court disposed of what was before it, as the text says it."""
    found = []
    for pattern in (
        _STANDALONE_DISPOSITION,
        _CAPS_DISPOSITION,
        _PASSIVE_DISPOSITION,
        _ACTIVE_DISPOSITION,
        _ELLIPTIC_DISPOSITION,
    ):
        for match in pattern.finditer(text):
            start, end = match.span("what")
            value = text[start:end].rstrip(" ,")
            if len(value) >= 5:
                found.append(Statement("disposition", start, start + len(value), value))
    return found


def _mostly_lower(value: str) -> bool:
    words = [w for w in value.split() if w[:1].isalpha()]
    return not words or sum(w[0].islower() for w in words) > len(words) / 2
