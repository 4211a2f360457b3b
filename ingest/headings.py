"""A court document's own heading, which names its kind ("ORDER DENYING MOTION TO QUASH
SUBPOENA", "Memorandum of Findings of Fact and Conclusions of Law"), shortened for a title.
The kinds are the kinds of document courts and parties file, not any case's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.party_names import SMALL_WORDS, is_role, mostly_capitalised, shouted, title_case

_COURT_WORDS = re.compile(r"\b(court|board|tribunal|commission)\b", re.IGNORECASE)
# A document's own heading names its kind: "ORDER DENYING MOTION TO QUASH", "Opinion".
DOCUMENT_KIND = re.compile(
    r"(?:OPINION|ORDER|JUDGMENT|MOTION|MEMORANDUM|DECISION|BRIEF|COMPLAINT|PETITION|NOTICE|"
    r"STIPULATION|DECLARATION|AFFIDAVIT|REPORT AND RECOMMENDATION|VERDICT|SUBPOENA|ANSWER|"
    r"APPLICATION|REQUEST|RESPONSE|REPLY|OBJECTION|TRANSCRIPT|INDICTMENT|SENTENCING|"
    r"FINDINGS|MANDATE|CERTIFICATE|SUMMONS|WARRANT|MINUTES)\b",
    re.IGNORECASE,
)
# Words before the kind that say which version it is ("AMENDED MEMORANDUM OF FINDINGS").
_VERSION_WORDS = frozenset(
    """memorandum amended second first final proposed joint stipulated emergency unpublished
    published per curiam summary partial supplemental corrected civil criminal""".split()
)
# Clerks' and reporters' marks on a heading, not part of its title.
_MARKS = frozenset("redacted sealed certified (sealed) (redacted) [redacted] [sealed]".split())
KIND_CHARS = 72  # a heading longer than this is cut at a word: titles stay one line
HEADING_WORDS = 16  # a caption line longer than this is a sentence, not a heading
_ENUMERATION = re.compile(r"\((?:\d{1,2}|[ivx]{1,4})\)\s*")


def document_kind(cells: Sequence[str]) -> str:
    """The document's heading, shortened: "Order Denying Motion to Quash Subpoena",
    "Plaintiff’s Notice of Motion and Motion for Class Certification". The first heading of
    more than one word wins ("REPORTER'S TRANSCRIPT OF PROCEEDINGS" over a bare
    "CERTIFIED TRANSCRIPT"), else the first heading."""
    found = []
    for index, cell in enumerate(cells[:45]):
        heading = heading_of(cell)
        if not heading:
            continue
        if (
            index
            and cells[index - 1].lower().split()
            and all(word in _VERSION_WORDS for word in cells[index - 1].lower().split())
        ):
            heading = f"{cells[index - 1]} {heading}"  # "Amended" on the line above
        if shouted(heading):
            for following in cells[index + 1 : index + 6]:
                if not _continues_heading(following):
                    break
                heading = f"{heading} {following.strip()}"
        found.append(_short_kind(heading))
        if len(found[-1].split()) > 1:
            return found[-1]
    return found[0] if found else ""


def heading_of(text: str) -> str:
    """`text` without clerks' marks when it is a document's heading (a kind of document,
    after version words or the filer's possessive: "PLAINTIFFS’ MEMORANDUM …"), else ""."""
    text = re.sub(r"^\[[^\]]{0,40}\]\s*", "", text.strip())
    words = text.split()
    while words and words[0].lower() in _MARKS:
        words.pop(0)
    words = _run_in_heading(words)
    if not words or len(words) > HEADING_WORDS:
        return ""
    heading = " ".join(words)
    if not (shouted(heading) or len(words) <= 3 or mostly_capitalised(words)):
        return ""
    if heading.endswith(".") and not shouted(heading):
        return ""  # a sentence
    for start in range(min(len(words), 5)):
        if DOCUMENT_KIND.match(" ".join(words[start:])) and words[start][:1].isupper():
            before = words[:start]
            if all(w.lower() in _VERSION_WORDS for w in before) or (
                len(before) <= 3 and re.search(r"(?:['’][sS]|[sS]['’])$", before[-1])
            ):
                return heading
            return ""
    return ""


def _run_in_heading(words: list[str]) -> list[str]:
    """The words in capitals that open a paragraph when its first sentence follows them on
    the same line ("MOTION TO DISMISS Defendant moves …"); all of `words` otherwise."""
    run = 0
    while run < len(words) and (not any(c.isalpha() for c in words[run]) or shouted(words[run])):
        run += 1
    if 2 <= run < len(words) and words[run][:1].isupper() and not shouted(words[run]):
        return words[:run]
    return words


def _continues_heading(line: str) -> bool:
    text = line.strip()
    return (
        shouted(text)
        and not text.startswith("[")
        and len(text.split()) <= HEADING_WORDS
        and not _COURT_WORDS.search(text)
        and not is_role(text)
    )


def _short_kind(heading: str) -> str:
    """A heading as a title's second half: numbered lists cut after their first item,
    a subtitle after a dash dropped, title case, at most KIND_CHARS on a word boundary."""
    cut = False
    numbers = list(_ENUMERATION.finditer(heading))
    if len(numbers) > 1:
        heading, cut = heading[: numbers[1].start()], True
    heading = _ENUMERATION.sub("", heading)
    heading = re.split(r"\s[–—-]\s", heading, maxsplit=1)[0]
    heading = re.sub(r":(?=\s)", "", heading)
    heading = title_case(re.sub(r"\s+", " ", heading)).strip(" ,;:.")
    if len(heading) > KIND_CHARS:
        heading, cut = heading[:KIND_CHARS].rsplit(" ", 1)[0], True
    if cut:
        words = heading.rstrip(" ,;:").split()
        while len(words) > 1 and words[-1].lower().strip(",;:") in SMALL_WORDS:
            words.pop()
        heading = " ".join(words).rstrip(" ,;:") + "…"
    return heading
