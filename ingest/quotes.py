"""Every direct quotation in a document, and who said it.

Quotations are found between curly or straight quotation marks; one that runs over several
paragraphs as news copy sets it (an opening mark at each paragraph, a closing one only at
the end) is kept as one, and one split by its attribution ("...," X said. "...") has one
speaker. One- and two-word quotations (scare quotes, terms) and redaction blanks are kept
with the rest but are not anybody's statement (`is_statement`): the desk's listings leave them
out.

The speaker comes from the dependency parse of the sentence around the quotation (spaCy,
see ingest/nlp.py): the subject of the verb of saying that governs the quotation or that
the quotation's words hang on ("“…,” she said"; "X told the court that “…”"; "X called it
a “…”"), or the object of "according to". A court's quotation belongs to the authority
cited right after it (a case, "Id.", a code section), read from the citation's form. A
role or a pronoun as subject stands for the person last named outside quotation marks; an
apposition to a named subject ("X, the company's general counsel, said") is their role. A
paragraph that is only a quotation continues the quotation before it. When nothing says
who spoke, the speaker is left empty: it is never guessed.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from casefile.kernel.errors import ModelUnavailable
from casefile.kernel.records import Quote
from ingest.citations import (
    ANY_CASE,
    CASE,
    CITE,
    REPORTER,
    SHORT_CITE,
    VOLUME,
    without_signal,
)
from ingest.nlp import Sentence, parse
from ingest.people import (
    Name,
    canonical,
    is_organisation,
    is_person,
    known_names,
    names,
    people_named,
    person_before,
)

log = logging.getLogger(__name__)

SPEECH = (
    r"(?:said|says|told|tells|added|adds|explained|explains|noted|notes|wrote|writes|stated|"
    r"states|argued|argues|claimed|claims|insisted|insists|continued|continues|warned|warns|"
    r"asked|asks|replied|replies|recalled|recalls|testified|testifies|declared|declares|"
    r"acknowledged|admitted|suggested|remarked|observed|maintained|contended|countered|"
    r"responded|conceded|emphasized|stressed|concluded|contends|alleges|alleged|asserts|"
    r"asserted|provides|provided|held|holds|reasoned)"
)
# Verbs of saying and writing, as lemmas: the parse finds their subjects.
SPEAKING = frozenset(
    "say tell add explain note write state argue claim insist continue warn ask reply recall "
    "testify declare acknowledge admit suggest remark observe maintain contend counter "
    "respond concede emphasize emphasise stress conclude allege assert provide hold reason "
    "announce comment confirm describe explain find rule opine caution predict promise "
    "urge report post tweet".split()
)
# Verbs a sentence uses to put a short quoted phrase in someone's mouth.
CHARACTERISING = frozenset(
    "call dismiss slam blast label deny characterize characterise deem brand term agree "
    "expect decry praise criticize criticise".split()
)
PRONOUNS = frozenset({"he", "she", "they", "we"})
# Words that make an attribution a description of a person: "the founder of X", "the expert".
PERSON_NOUNS = re.compile(
    r"\b(?:founder|lawyer|attorney|counsel|expert|prosecutor|analyst|professor|spokes\w+|"
    r"publicist|partner|executive|officer|president|director|chair\w*|source|official|"
    r"judge|justice|witness|producer|actor|actress|manager|consultant|insider|friend|rep)s?\b",
    re.I,
)
# "Legal teams for both X and Y", "lawyers for Z": a group speaks, not the people named.
GROUP = re.compile(
    r"^(?:the\s+)?(?:\w+\s+){0,2}(?:teams?|lawyers|attorneys|counsel|representatives|"
    r"spokespeople|sources|officials|experts|prosecutors|parties)\s+(?:for|of|representing)\b",
    re.I,
)
_CLOSE = '”"'
_ADVERBS = re.compile(
    r"\s+(?:also|later|further|then|again|previously|separately|next|now|first|similarly|"
    r"additionally|finally)$",
    re.I,
)
# "Finally, she alleged that …": the words that open a clause are not the speaker.
_OPENERS = re.compile(
    r"^(?:finally|next|first|second|third|moreover|additionally|further|furthermore|also|"
    r"however|here|thus|again|instead|similarly|in\s+addition|on\s+appeal|on\s+remand|"
    r"in\s+short),?\s+",
    re.I,
)
# A court's quotation is the words of the authority cited right after it: a case
# ("Richardson v. Axion Logistics, L.L.C., 780 F.3d 304"), its short form ("Twombly, 550 U.S.
# at 570"), the one cited last ("Id."), or a code ("TEX. INS. CODE § 4001.003").
# The record cited after a quotation: a filing, exhibit or contract by its short name and a
# pin ("Toshiba Royalty Letter, Decl. of …", "Opp. to MSJ at 13", "1999 Agreement ¶ XVI.A");
# not a transcript ("Tr."), which records many speakers.
_RECORD_WORD = r"(?:[A-Z0-9][\w.’'&-]*|to|of|for|re|in|on|and)"
_RECORD_NAME = (
    rf"(?<!\d\s)(?:[A-Z]|\d{{4}}\s+[A-Z])[\w.’'&-]*(?:\s+{_RECORD_WORD}){{0,6}}?(?<!Tr\.)"
)
_RECORD = (
    rf"(?P<record>{_RECORD_NAME})"
    r"(?:\s+\(“[^”\n]{1,40}”\))?(?=,?\s+(?:at\s+\d|¶|§|Ex\.|ECF|Dkt\.|(?:[A-Z][\w’'-]*\s+){0,2}Decl\.))"
)
# A case cited again by its name alone: "Gant", "San Diego Gas & Elec.".
_SHORT_NAME = r"[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|&|of)){0,4}"
_CITED_AFTER = re.compile(
    r"^[\s.,;:]*(?:\((?:internal|citation|quotation|emphasis|alteration|footnote)[^)]*\)[\s.,]*)*"
    rf"(?:(?P<id>Id\.)|(?P<case>{CASE}),\s+{CITE}"
    rf"|(?P<short>{_SHORT_NAME}),\s+{REPORTER}"
    r"|(?:in\s+violation\s+of\s+)?"  # “carrying a dangerous weapon” in violation of D.C. Code §
    r"(?P<code>(?:[A-Z][A-Za-z.&]*\s+){1,5}(?:§|amend\.\s*[IVXLC]+|art\.\s*[IVXLC]+))"
    rf"|{_RECORD}|(?P<volume>{VOLUME})\s+at\s+\*?\d)"
)
# “…” inside a parenthetical that follows a citation: "Cruz v. Andrews, 364 S.W.3d 817, 823
# (Tex. 2012) (“…”)", "… (2015) (declining to overrule the holding that “…”)", "id. at 1724
# (Scalia, J., concurring) (“…”)".
_CITED_BEFORE = re.compile(
    rf"(?:(?:(?P<case>{CASE})|(?P<short>[A-Z][\w.'’&-]*[a-z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){{0,2}}))"
    rf",\s+{CITE}|(?P<id>\b[Ii]d\.)\s+at\s+\*?\d+)(?:[-–]\d+)?"
    r"(?:,\s*(?:at\s+)?\*?\d+(?:[-–]\d+)?)*"
    r"(?:\s*\([^()]*\))*\s*\(\s*(?:[^()“”\"]{0,200}?)?$"
    # the record ("Toshiba MSJ at 11-12 (“…”)") or a reference work ("Black’s Law Dictionary
    # (11th ed. 2019) (“…”)") before the parenthetical
    rf"|(?:(?P<record>{_RECORD_NAME})\s+(?:at\s+\d+(?:[-–]\d+)?|¶\s*\d+)(?:,\s*ECF\s+[\d-]+)?"
    r"|(?P<work>[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*){0,4})\s+\((?:\d+\w*\s+ed\.\s+)?\d{4}\))"
    r"\s*\(\s*(?:[^()“”\"]{0,200}?)?$"
)


def quotes_in(doc_id: str, text: str) -> list[Quote]:
    """Every quotation of `text` with its speaker."""
    known = known_names(text)
    quotations = [q for q in find_quotations(text) if not _is_title(text[q[0] : q[1]])]
    # A court's quotation cited to its authority needs no parse: only the others are parsed.
    cited = {q: _cited(text, *q) for q in quotations}
    try:
        sentences = parse(text, _windows(text, [q for q in quotations if not cited[q]]))
    except ModelUnavailable as exc:  # cited authorities and continuations still stand
        log.warning("quotations' speakers not read from the parse: %s", exc)
        sentences = []
    found: list[Quote] = []
    for index, (start, end) in enumerate(quotations):
        speaker, role, inferred, said_at = _attribution(text, quotations, index, known, sentences)
        repeated = _quoted_before(text[start:end], found)
        if not speaker and repeated is not None:
            # A pull quote repeats words quoted earlier: they are the earlier speaker's.
            speaker, role, said_at, inferred = (
                repeated.speaker,
                repeated.role,
                repeated.said_at,
                True,
            )
        previous = found[-1] if found else None
        if not speaker and previous and previous.speaker and _continues(text, quotations, index):
            # A split quote ("…,” she said. “…”) or a paragraph that is only a quotation
            # carries on the quotation before it.
            speaker, role, said_at = previous.speaker, previous.role, previous.said_at
            inferred = True
        found.append(Quote(doc_id, start, end, text[start:end], speaker, role, inferred, said_at))
    return _full_names(found, text, known)


def is_statement(quoted: str) -> bool:
    """Three words or more: a scare quote (“fishing expedition”), a quoted term or a
    redaction blank (“_____”) is nobody's statement."""
    return len(re.findall(r"[A-Za-z0-9]+", quoted)) >= 3


def _quoted_before(quoted: str, earlier: list[Quote]) -> Quote | None:
    words = " ".join(re.findall(r"[\w’']+", quoted.lower()))
    if len(words.split()) < 6:
        return None
    for quote in earlier:
        if quote.speaker and words in " ".join(re.findall(r"[\w’']+", quote.text.lower())):
            return quote
    return None


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Spans of the quotations of `text`, marks included; a quotation running over
    paragraphs is one span, from its first opening mark to its closing one."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        spans.extend(_in_paragraph(text, para.start(), para.end()))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _runs_on(text, merged[-1], start):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _in_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    position = start
    while position < end:
        curly = text.find("“", position, end)
        straight = _straight_open(text, position, end)
        opening = min((i for i in (curly, straight) if i >= 0), default=-1)
        if opening < 0:
            break
        closer = "”" if text[opening] == "“" else '"'
        closing = text.find(closer, opening + 1, end)
        if closing < 0:
            spans.append((opening, end))  # open to the end of the paragraph: it runs on
            break
        spans.append((opening, closing + 1))
        position = closing + 1
    return spans


def _straight_open(text: str, start: int, end: int) -> int:
    """A straight quotation mark that opens a quote: at a word's start, not an inch mark."""
    match = re.search(r'(?:^|(?<=[\s(\[—-]))"(?=\S)', text[start:end])
    return start + match.start() if match else -1


def _runs_on(text: str, previous: tuple[int, int], start: int) -> bool:
    """A quotation left open at its paragraph's end goes on in the next paragraph when that
    one opens with a quotation mark."""
    prev_start, prev_end = previous
    if text[prev_end - 1] in _CLOSE and prev_end - 1 > prev_start:
        return False
    between = text[prev_end:start]
    return "\n" in between and not between.strip()


def _is_title(quoted: str) -> bool:
    """“It Ends With Us”: a title in quotation marks, not something said."""
    words = re.findall(r"[A-Za-z’']+", quoted)
    small = {"a", "an", "the", "of", "with", "and", "in", "on", "for", "to", "at", "by", "us"}
    return 0 < len(words) <= 8 and all(w[0].isupper() or w.lower() in small for w in words)


def _continues(text: str, quotations: list[tuple[int, int]], index: int) -> bool:
    """Whether quotation `index` carries on the one before: in the same sentence run, or as
    a paragraph that is nothing but a quotation."""
    if index == 0:
        return False
    previous_end = quotations[index - 1][1]
    start, end = quotations[index]
    between = text[previous_end:start]
    if "\n" not in between:
        # "“…,” she said. “…”": a short attribution between, not a citation's parentheses
        # ("(“…”). The PLRs, however, “…”").
        return len(between) < 120 and "(" not in between and ")" not in between
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    whole_paragraph = not text[line_start:start].strip() and len(text[end:line_end].strip()) < 3
    return whole_paragraph and between.count("\n") <= 2


WINDOW = 600  # characters of context parsed on each side of a quotation


def _windows(text: str, quotations: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of text to parse: each quotation's sentence and its neighbours within
    its paragraphs (a long quotation's opening and closing words only), merged where they
    meet."""
    spans: list[tuple[int, int]] = []
    for start, end in quotations:
        first = max(text.rfind("\n", 0, start) + 1, start - WINDOW)
        last = text.find("\n", end)
        last = min(len(text) if last < 0 else last, end + WINDOW)
        if end - start > 2 * WINDOW:
            spans += [(first, start + WINDOW), (end - WINDOW, last)]
        else:
            spans.append((first, last))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _attribution(
    text: str,
    quotations: list[tuple[int, int]],
    index: int,
    known: frozenset[str],
    sentences: list[Sentence],
) -> tuple[str, str, bool, tuple[int, int] | None]:
    start, end = quotations[index]
    cited = _cited(text, start, end)
    if cited:
        return cited, "", False, None
    said = _said_by(sentences, start, end, short=end - start < 80)
    if said is None:
        return "", "", False, None
    (who_start, who_end), apposition = said
    named = _named_in_apposition(text, who_start, who_end, apposition, known)
    if named is not None:  # "Baldoni’s lawyer, Bryan Freedman, slammed …"
        return named
    speaker, role, inferred, said_at = _resolve(
        text, quotations, text[who_start:who_end], who_start, start, known
    )
    if speaker and not role and apposition and PERSON_NOUNS.search(text[slice(*apposition)]):
        role = _tidy_role(text[slice(*apposition)])
    return speaker, role, inferred, said_at


def _named_in_apposition(
    text: str,
    who_start: int,
    who_end: int,
    apposition: tuple[int, int] | None,
    known: frozenset[str],
) -> tuple[str, str, bool, tuple[int, int] | None] | None:
    """A role as subject with a person's name beside it ("Baldoni’s lawyer, Bryan Freedman,
    said"): the person speaks, in that role."""
    who = text[who_start:who_end]
    if apposition is None or not PERSON_NOUNS.search(who):
        return None
    start, end = apposition
    people = [n for n in names(text[start:end], known) if is_person(n.text)]
    if not people:
        return None
    first = people[0]
    return first.text, _tidy_role(who), False, (start + first.start, start + first.end)


# -- the parse: who says a quotation ----------------------------------------------------------

# Parts of a subject that are not its name: "X, a former prosecutor, who …, said".
_NOT_THE_NAME = frozenset({"appos", "relcl", "acl", "advcl", "parataxis"})


def _said_by(
    sentences: list[Sentence], start: int, end: int, short: bool
) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """Who says the quotation `start:end`, from the parse: the span of the words naming
    them and the span of an apposition to them (their role), if any. The speaker is the
    subject of the nearest verb of saying above the quotation in the parse ("X told the
    court that “…”", "“…,” X said"; for a short quotation also "X called it “…”"), or of one
    set beside the quotation's own verb ("“…,” she added"), or the object of "according to"."""
    verbs = SPEAKING | CHARACTERISING if short else SPEAKING
    best: tuple[int, tuple[tuple[int, int], tuple[int, int] | None]] | None = None
    for sentence, holds_quote in _near(sentences, start, end):
        if best is not None and not holds_quote:
            break  # the sentence after is read only when the quotation's own names nobody
        inside = {i for i, w in enumerate(sentence) if start <= w.start and w.end <= end}
        for i, word in enumerate(sentence):
            if i in inside:
                continue
            if word.lemma in verbs and word.pos in ("VERB", "AUX"):
                above = not inside or any(_governs(sentence, i, j) for j in inside)
                beside = word.dep == "parataxis" and word.head in inside
                who = _subject(sentence, i, start, end) if above or beside else None
            elif word.lemma == "accord" and word.dep == "prep":
                who = _object_of_according(sentence, i)
            else:
                continue
            if who is None or start <= who[0][0] < end:
                continue
            distance = min(abs(word.start - end), abs(word.start - start))
            if best is None or distance < best[0]:
                best = (distance, who)
    return best[1] if best else None


def _near(sentences: list[Sentence], start: int, end: int) -> list[tuple[Sentence, bool]]:
    """The sentences that share words with the quotation (True), and the one right after it
    when that is a bare attribution ("said Ms. Lee.") cut off by the sentence splitter."""
    near = [(s, True) for s in sentences if s[0].start < end and s[-1].end > start]
    after = next((s for s in sentences if s[0].start >= end), None)
    if after is not None and after[0].start - end <= 3 and len(after) <= 16:
        near.append((after, False))
    return near


def _governs(sentence: Sentence, ancestor: int, word: int) -> bool:
    """Whether word `ancestor` is above word `word` in the parse."""
    seen = 0
    while sentence[word].head != word and seen < len(sentence):
        word = sentence[word].head
        if word == ancestor:
            return True
        seen += 1
    return False


def _subject(
    sentence: Sentence, verb: int, start: int, end: int
) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """The subject of verb `verb` (or, for "… and added", of the verb it is joined to). When
    the parse gives it none and it follows the quotation closely ("“…,” Lively’s lawyers,
    Mike Gottlieb and Esra Hudson, told Digital"), the words between the two."""
    word = verb
    for _ in range(3):
        for i, other in enumerate(sentence):
            if other.head == word and i != word and other.dep == "nsubj":
                if other.lemma in ("who", "that", "which") and sentence[word].dep == "relcl":
                    return _phrase(sentence, sentence[word].head)  # "Alton, who testified"
                return _phrase(sentence, i)
        if sentence[word].dep != "conj":
            break
        word = sentence[word].head
    between = [
        i for i, w in enumerate(sentence) if end <= w.start and w.end <= sentence[verb].start
    ]
    named = [i for i in between if sentence[i].pos not in ("PUNCT", "CCONJ")]
    if named and len(between) <= 12 and not any(sentence[i].pos == "VERB" for i in between):
        first = sentence[named[0]]
        last = sentence[named[-1]]
        return (first.start, last.end), None
    return None


def _object_of_according(
    sentence: Sentence, index: int
) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """ "according to X": X."""
    for i, word in enumerate(sentence):
        if word.head == index and word.lemma == "to":
            for j, obj in enumerate(sentence):
                if obj.head == i and j != i and obj.dep == "pobj":
                    return _phrase(sentence, j)
    return None


def _phrase(sentence: Sentence, head: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The span of word `head` with the words that depend on it, less appositions, relative
    clauses and the like; and the span of its apposition, if it has one."""
    kept = [head]
    apposition: tuple[int, int] | None = None
    stack = [head]
    while stack:
        parent = stack.pop()
        for i, word in enumerate(sentence):
            if word.head != parent or i == parent:
                continue
            if word.dep in _NOT_THE_NAME:
                if word.dep == "appos" and parent == head:
                    span = _subtree(sentence, i)
                    apposition = (sentence[span[0]].start, sentence[span[1]].end)
                continue
            kept.append(i)
            stack.append(i)
    first, last = min(kept), max(kept)
    return (sentence[first].start, sentence[last].end), apposition


def _subtree(sentence: Sentence, head: int) -> tuple[int, int]:
    below = [i for i in range(len(sentence)) if i == head or _governs(sentence, head, i)]
    return min(below), max(below)


def _cited(text: str, start: int, end: int) -> str:
    """The authority a court cites for the quotation `start:end`, or ""."""
    return _cited_authority(text, start, end) or _cited_after_sentence(text, end)


def _cited_authority(text: str, start: int, end: int) -> str:
    """The case or code a court's quotation is cited to, if a citation follows it (or it
    stands in a citing parenthetical); "" otherwise."""
    # The cite may wrap a line of a PDF's text ("Santiago v.\nWarminster Twp., 629 F.3d"), or
    # stand on its own line under a block quotation; not past a blank line.
    blank = text.find("\n\n", end, end + 300)
    found = _CITED_AFTER.match(text[end : end + 300 if blank < 0 else blank])
    if found is None:
        # Within the paragraph as printed: a cite may wrap a line ("No.\nCV16…").
        window_start = max(start - 400, text.rfind("\n\n", 0, start) + 1)
        before = _CITED_BEFORE.search(text[window_start:start])
        if before is None:
            return ""
        if before.group("record") or before.group("work"):
            return _case_name(before.group("record") or before.group("work"))
        if before.group("id"):
            return _last_authority(
                text[max(0, window_start + before.start() - 2000) : window_start + before.start()]
            )
        return _case_name(before.group("case") or before.group("short"))
    if found.group("id"):  # "Id.": the authority cited last before the quotation
        return _last_authority(text[max(0, start - 2000) : start])
    if found.group("volume"):  # "463 U.S. at 1050": the case cited in full at that volume
        return _case_at(found.group("volume"), text[:start])
    if found.group("case"):
        return _case_name(found.group("case"))
    if found.group("short"):
        return found.group("short")
    if found.group("record"):
        return found.group("record").strip()
    return found.group("code").strip()


# The last cite before an "Id.": a case in full or short ("Gant, 129 S. Ct. at 1714"), or the
# record ("Tr. at 14", "J.A. 12", "Decl. ¶ 3"), which makes the "Id." the record's.
_RECORD_CITE = re.compile(r"\b(?:Tr\.|J\.A\.|Decl\.|Ex\.|Br\.|Dkt\.|ECF)\s")


def _last_authority(before: str) -> str:
    cites = [(m.start(), m.end(), _case_name(m.group("case"))) for m in ANY_CASE.finditer(before)]
    in_full = [(start, end) for start, end, _ in cites]
    cites += [
        (m.start(), m.end(), m.group("short"))
        for m in SHORT_CITE.finditer(before)
        if m.group("short") not in ("Id.", "See")
        and not any(start <= m.start() < end for start, end in in_full)
    ]
    cites += [(m.start(), m.end(), "") for m in _RECORD_CITE.finditer(before)]
    return max(cites, key=lambda cite: cite[1])[2] if cites else ""


def _case_at(volume: str, before: str) -> str:
    """The case last cited in full in `volume` ("463 U.S.") before."""
    cases = [m for m in ANY_CASE.finditer(before[-20_000:]) if volume in m.group(0)]
    return _case_name(cases[-1].group("case")) if cases else ""


# The end of a sentence: a stop before a capital or a figure, not an ellipsis (". . .") or an
# initial ("U.S."); an ellipsis of four dots ends one (". . . .” The canon …").
_SENTENCE_END = re.compile(
    r"(?:(?<!\.\s)(?<![A-Z])[.!?]|(?<=\.\s\.\s\.\s)\.)[”\"’]?\s+(?=[A-Z0-9])"
)


def _cited_after_sentence(text: str, end: int) -> str:
    """The authority cited right after the sentence that holds the quotation ending at
    `end`: a court cites once for every quotation of its sentence ("… “x” … “y” inside the
    car. Michigan v. Long, 463 U.S. 1032")."""
    stop = text.find("\n\n", end, end + 1500)
    stop = end + 1500 if stop < 0 else stop
    # From the quotation's last words: one that ends its sentence (“… played.” Moreover, …)
    # has its cite right after it, read already, if any.
    sentence_end = _SENTENCE_END.search(text, max(0, end - 2), stop)
    if sentence_end is None or sentence_end.start() < end:
        return ""
    # From after the stop and its closing mark: "… situation.” Arizona v. Johnson, 129 S. Ct."
    found = _CITED_AFTER.match(text[sentence_end.end() : sentence_end.end() + 300])
    if found is None or found.group("id") or found.group("record"):
        return ""  # "Id." here may point past the quotation; a record needs its pin beside it
    if found.group("case"):
        return _case_name(found.group("case"))
    if found.group("volume"):
        return _case_at(found.group("volume"), text[:end])
    return (found.group("short") or found.group("code") or "").strip()


def _case_name(case: str) -> str:
    """ "See, e.g., Richardson v. Axion Logistics, L.L.C." -> "Richardson v. Axion Logistics,
    L.L.C."."""
    return " ".join(without_signal(case).split())


def _resolve(
    text: str,
    quotations: list[tuple[int, int]],
    who: str,
    offset: int,
    quote_start: int,
    known: frozenset[str],
) -> tuple[str, str, bool, tuple[int, int] | None]:
    """A speaker from the words of an attribution: a name (with its role), a group, an
    organisation, or a role or pronoun standing for the person last named."""
    who = _ADVERBS.sub("", _OPENERS.sub("", who.strip(" ,")))
    who = re.sub(r"\s+(?:has|have|had|is|was|also|has\s+also)$", "", who)  # "This Court has held"
    who = re.sub(r",\s+(?:however|therefore|thus|too)$", "", who)
    span = (offset, offset + len(who))
    if who.lower() in ("it", "this", "that", "there", "which", "who", "first", "second", "third"):
        return "", "", False, None  # "It provides": what "it" is, the clause does not say
    if re.match(r"^(?:a|an)\s", who, re.I) and PERSON_NOUNS.search(who) and not names(who, known):
        return who, "", False, span  # "a legal expert told Digital": someone unnamed
    # The head noun is the last: "the West Coast Trial Lawyers founder" is one person.
    nouns = list(PERSON_NOUNS.finditer(who)) if re.match(r"^the\s", who, re.I) else []
    role_noun = nouns[-1].group(0) if nouns else ""
    if role_noun.endswith("s") and not role_noun.endswith("ss"):
        role_noun = ""  # "the officers observed": several people, none of them named
    if who.lower() in PRONOUNS or role_noun:
        last = _last_person(text, quotations, quote_start, known)
        if last is None:
            return "", "", False, None
        role = "" if who.lower() in PRONOUNS else _tidy_role(who)
        return last.text, role, True, span
    if GROUP.match(who):
        return _tidy_role(who), "", False, span
    found = names(who, known)
    people = [
        n
        for n in found
        if (is_person(n.text) or len(n.text.split()) == 1)
        and not is_organisation(n.text)
        and not who[n.end : n.end + 2].startswith(("’s", "'s", "’ ", "' "))
    ]
    if people:
        before = who[: people[0].start].strip(" ,")
        after = who[people[-1].end :].strip(" ,")
        role = (
            before if PERSON_NOUNS.search(before) else (after if PERSON_NOUNS.search(after) else "")
        )
        return " and ".join(p.text for p in people), _tidy_role(role), False, span
    if found:  # an organisation speaks: "the company said", "Kronus Communications said"
        return found[0].text, "", False, span
    if 1 <= len(who.split()) <= 6 and not who[:1].islower():
        return who, "", False, span  # "The letter", "Legal experts"
    return "", "", False, None


def _last_person(
    text: str, quotations: list[tuple[int, int]], before: int, known: frozenset[str]
) -> Name | None:
    """The person last named before `before`, outside quotation marks."""
    return person_before(text, before, known, people_named(text, known), quotations)


def _tidy_role(role: str) -> str:
    role = re.sub(r"^(?:the|a|an)\s+", "", role.strip(" ,.;"), flags=re.I)
    role = re.sub(rf"\s+(?:{SPEECH})\b.*$", "", role)
    return role if len(role.split()) <= 10 else ""


def _full_names(quotes: list[Quote], text: str, known: frozenset[str]) -> list[Quote]:
    """Speakers named by surname alone ("Uthe explained") carry the full name the document
    gives them ("Adrienne Uthe")."""
    full = people_named(text, known)
    out = []
    for quote in quotes:
        if quote.speaker and " and " not in quote.speaker:
            speaker = canonical(quote.speaker, full)
            if speaker != quote.speaker:
                quote = dataclasses.replace(quote, speaker=speaker)
        out.append(quote)
    return out
