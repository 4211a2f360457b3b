"""Scraps of a page that never answer on their own: headings, captions, bare citations.

The reader picks words that match the question; a case's name matches its caption and every
citation of it best of all ("John A. SAVAGE, Appellant, v. Ernest F. GRAJEK …", "Gift
Surplus, 268 N.C. App. at 4."), and a heading matches by its few words. None of these states
anything, so the answer path passes over a span whose sentence is one. The patterns read the
shape of court and news writing, never a name; each runs over one sentence, with bounded
repetition only.
"""

from __future__ import annotations

import re

# "John A. SAVAGE, Appellant, v. Ernest F. GRAJEK ..., Appellees.": the parties of a caption.
_CAPTION = re.compile(
    r"\bv\.\s[^\n]{0,300}?\b(?:appellants?|appellees?|plaintiffs?|defendants?|petitioners?"
    r"|respondents?)\b",
    re.I,
)
# "See Gift Surplus, LLC v. State ex rel. Cooper, 268 N.C. App. 1 (2019).": a citation to a
# case, which cites another decision rather than stating anything of this one.
_CITATION = re.compile(
    r"^\s*(?:(?:see|cf\.|accord|but\s+see|e\.g\.,)\s+(?:also\s+)?)?[A-Z][^.;]{0,80}?\s+v\.\s+"
    r"[^;]{1,120}?,\s+(?:No\.\s|\d+\s+[A-Z][\w.]*\s+(?:\d+[a-z]{0,2}\s+)?\d+)",
    re.I,
)
# "Gift Surplus, 268 N.C. App. at 4.", "Id. at 12.": a short-form citation.
_SHORT_CITATION = re.compile(
    r"^\s*(?:see\s+)?(?:id\.|[A-Z][\w.'’&-]*(?:\s+[\w.'’&-]+){0,4},)\s*(?:\d+\s+[A-Z][\w.\s]{0,20}?)?"
    r"\s*at\s+\*?\d+",
    re.I,
)
_ENDED = re.compile(r"[.!?][”\"’')\]]*$")


def is_fragment(sentence: str) -> bool:
    """A heading, a caption, a bare citation or a scrap of a page: set in capitals or as a
    headline, a few words that do not end as a sentence does, a line of one or two words,
    the parties of a caption, or a citation to a case."""
    text = sentence.strip()
    letters = [c for c in text if c.isalpha()]
    shouted = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    words = text.split()
    unended = not _ENDED.search(text)
    short = len(words) < 3 or (len(words) < 6 and unended)
    # "Northwind Traders Reports Second Quarter Results": a headline, in title case.
    long_words = [w for w in words if len(w) > 3 and w[:1].isalpha()]
    # (A row of a table, "1.650% Notes Due May 2035 JNJ35", holds figures: it is data.)
    figures = sum(bool(re.search(r"\d", w)) for w in words)
    headline = (
        unended
        and len(long_words) >= 3
        and len(words) <= 16
        and figures <= 1
        and all(w[:1].isupper() for w in long_words)
    )
    cited = len(words) < 40 and bool(_CITATION.match(text) or _SHORT_CITATION.match(text))
    return shouted or short or headline or bool(_CAPTION.search(text)) or cited
