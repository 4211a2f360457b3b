"""Text helpers every stage shares: sentence spans, word tokens, normalising, stemming.

Sentence boundaries are character spans, so every sentence is a verbatim slice of its text.
"""

from __future__ import annotations

import functools
import re

# Words that end in a full stop without ending a sentence; compared lower-cased. Besides
# titles and months, the abbreviations of legal citation (courts, reporters, states):
# "(N.D. Cal. 2020)", "268 N.C. App. 1", "F. Supp. 3d", "5th Cir. 2019".
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr inc co corp ltd llc llp no nos v vs etc al gen gov sen rep
    hon esq capt col lt sgt jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e cf
    p pp para art sec ch fig vol ed eds u.s u.k n.j n.y d.c l.a a.m p.m approx dept est
    cir app supp ct super dist div ann stat rev civ crim proc evid fed mun sup jud admin
    cert reh'g aff'd rel ex seq ins mfg bros assn ass'n nat'l int'l dep't comm'n univ
    ala ariz ark cal colo conn del fla ga haw ill ind kan ky la md mass mich minn miss mo
    mont neb nev okla ore pa tenn tex vt va wash wis wyo""".split()
)
# The longest stretch read as one sentence. Real sentences of court writing and news copy
# stay well under it (99.9% of ../shared/eval's under 1,150 characters); a line of thousands
# of words without a full stop (a table flattened, a damaged or hostile file) is read in
# pieces, so every pattern run over a sentence costs at most what this length costs.
MAX_SENTENCE_CHARS = 1_500
# The most lines read as one run of short lines: a signature block or a caption is a few;
# a column of a table is hundreds.
MAX_RUN_LINES = 12

_CANDIDATE_END = re.compile(r"[.!?…]+[”’\"')\]]*(?=\s+|$)")
_NEXT_START = re.compile(r"\s+[“‘\"'(\[]*[A-Z0-9]")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences in `text[start:end]`; a line break always ends a sentence."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + line.start()
        spans.extend(_split_line(text, line_start, start + line.end()))
    return spans


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    sentence_start = start
    for match in _CANDIDATE_END.finditer(text, start, end):
        stop = match.end()
        if not _ends_sentence(text, match.start(), stop, end):
            continue
        spans.append((sentence_start, stop))
        sentence_start = stop
    spans.append((sentence_start, end))
    return [
        piece
        for span in spans
        if (trimmed := _trim(text, *span))
        for piece in _bounded(text, *trimmed)
    ]


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence in pieces of at most MAX_SENTENCE_CHARS, cut after a semicolon, else a
    comma, else a space in the second half of each piece."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        half = start + MAX_SENTENCE_CHARS // 2
        cut = max(text.rfind("; ", half, limit), text.rfind(", ", half, limit))
        cut = cut + 1 if cut >= 0 else text.rfind(" ", half, limit)
        cut = cut if cut > start else limit
        if trimmed := _trim(text, start, cut):
            pieces.append(trimmed)
        start = cut
    if trimmed := _trim(text, start, end):
        pieces.append(trimmed)
    return pieces


def _ends_sentence(text: str, mark: int, stop: int, line_end: int) -> bool:
    if stop >= line_end:
        return True
    if not _NEXT_START.match(text, stop, line_end):
        return False
    if text[mark] != ".":
        return True
    word = _WORD_BEFORE.search(text, max(0, mark - 20), mark + 1)
    if word is None:
        return True
    token = word.group(1).lower()
    if token in ABBREVIATIONS or "." in token:
        return False  # "N.D.", "S.Ct.", "F.3d" and the like are abbreviations too
    # A single capital letter is an initial ("Lewis J. Liman"), not a sentence.
    return not (len(token) == 1 and token.isalpha())


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


# -- words ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,'’][a-z0-9]+)*")
STOPWORDS = frozenset(
    """a an and are as at be been but by did do does for from had has have he her his how i in
    is it its of on or she that the their them they this to was were what when where which who
    whom why will with would you your""".split()
)


def word_tokens(text: str) -> list[str]:
    """Lower-cased word tokens; numbers keep their separators ("400,000"), possessives lose
    their "'s" ("lively's" -> "lively")."""
    tokens = _TOKEN.findall(text.lower().replace("’", "'"))
    return [t[:-2] if t.endswith("'s") else t for t in tokens]


def content_words(text: str) -> list[str]:
    """`word_tokens` without stop words."""
    return [t for t in word_tokens(text) if t not in STOPWORDS]


def normalise(text: str) -> str:
    """Lower-case text with straight quotes and single spaces, for containment checks."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).lower()


@functools.cache
def stem(token: str) -> str:
    """The English Snowball stem: "filming" -> "film", "lawyers" -> "lawyer"."""
    result = _stemmer().stemWord(token)
    if len(result) < 3 and token.endswith("ed"):
        result = _stemmer().stemWord(token[:-1])  # Snowball turns "sued" into "su", not "sue"
    return result


@functools.cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def short_line_runs(
    text: str, start: int = 0, end: int | None = None, max_chars: int = 60
) -> list[tuple[int, int]]:
    """Spans of two or more consecutive short lines in `text[start:end]`: the signature
    blocks, captions and letterheads that set one statement over several lines
    ("SUSAN ILLSTON" / "United States District Judge"). A run longer than MAX_RUN_LINES is
    given as overlapping windows of that many lines, so a block of up to half of it lies
    whole in one of them."""
    end = len(text) if end is None else end
    runs: list[tuple[int, int]] = []
    current: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        span = (start + line.start(), start + line.end())
        if len(line.group(0).strip()) <= max_chars:
            current.append(span)
            continue
        runs.extend(_run_windows(current))
        current = []
    runs.extend(_run_windows(current))
    return runs


def _run_windows(lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if len(lines) < 2:
        return []
    step = MAX_RUN_LINES // 2
    last = max(len(lines) - MAX_RUN_LINES, 0)
    starts = [*range(0, last, step), last]
    return [(lines[i][0], lines[min(i + MAX_RUN_LINES, len(lines)) - 1][1]) for i in starts]
