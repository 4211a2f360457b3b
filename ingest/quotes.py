"""Every direct quotation in a document, and who said it.

Quotations are found between curly or straight quotation marks; one that runs over several
paragraphs as news copy sets it (an opening mark at each paragraph, a closing one only at
the end) is kept as one, and one split by its attribution ("...," X said. "...") has one
speaker. The speaker comes from the attribution as news copy writes it: "X said", "said X",
"X told Digital", "according to X", "X, partner at Y, said", a role ("the West Coast Trial
Lawyers founder added") or a pronoun ("she added"). A role or a pronoun stands for the
person last named outside quotation marks. A short phrase in quotation marks ("fishing
expedition") belongs to the subject of its sentence when the sentence says who used it. A
paragraph that is only a quotation continues the quotation before it. When nothing says who
spoke, the speaker is left empty: it is never guessed.
"""

from __future__ import annotations

import dataclasses
import re

from casefile.kernel.records import Quote
from ingest.people import Name, canonical, is_organisation, is_person, known_names, names

SPEECH = (
    r"(?:said|says|told|tells|added|adds|explained|explains|noted|notes|wrote|writes|stated|"
    r"states|argued|argues|claimed|claims|insisted|insists|continued|continues|warned|warns|"
    r"asked|asks|replied|replies|recalled|recalls|testified|testifies|declared|declares|"
    r"acknowledged|admitted|suggested|remarked|observed|maintained|contended|countered|"
    r"responded|conceded|emphasized|stressed|concluded|contends|alleges|alleged|asserts|"
    r"asserted|provides|provided|held|holds|reasoned)"
)
# Verbs a sentence uses to put a short quoted phrase in someone's mouth.
CHARACTERISE = re.compile(
    rf"\b(?:{SPEECH}|call(?:ed|s)?|describ(?:ed|es)|dismiss(?:ed|es)|slam(?:med|s)?|blast(?:ed|s)?|"
    r"label(?:l?ed|s)?|den(?:ied|ies)|characteri[sz](?:ed|es)|deem(?:ed|s)|branded|termed|"
    r"agreed|expects?|expected)\b",
    re.I,
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
_CASE = r"(?:[A-Z][^;()“”\"\n]{0,100}?\s+v\.\s+[^;()“”\"\n]{1,100}?)"
_REPORTER = r"\d+\s+[A-Z][\w.]*(?:\s?\d?[a-z]{1,2})?(?:\s+[A-Z][\w.]*)?\s+(?:at\s+)?\d+"
_CITED_AFTER = re.compile(
    r"^[\s.,;:]*(?:\((?:internal|citation|quotation|emphasis|alteration|footnote)[^)]*\)[\s.,]*)*"
    rf"(?:(?P<id>Id\.)|(?P<case>{_CASE}),\s+{_REPORTER}"
    rf"|(?P<short>[A-Z][\w.'’&-]+(?:\s+[A-Z][\w.'’&-]+)?),\s+{_REPORTER}"
    r"|(?P<code>(?:[A-Z][A-Za-z.&]*\s+){1,5}§))"
)
# “…” inside the parenthetical that follows a case: "Cruz v. Andrews, 364 S.W.3d 817, 823
# (Tex. 2012) (“…”)".
_CITED_BEFORE = re.compile(
    rf"(?P<case>{_CASE}),\s+{_REPORTER}(?:,\s*\d+)?(?:\s*\([^()]*\))?\s*\(\s*(?:quoting\s+)?$"
)
_ANY_CASE = re.compile(rf"(?P<case>{_CASE}),\s+{_REPORTER}")


def quotes_in(doc_id: str, text: str) -> list[Quote]:
    """Every quotation of `text` with its speaker."""
    known = known_names(text)
    quotations = [q for q in find_quotations(text) if not _is_title(text[q[0] : q[1]])]
    found: list[Quote] = []
    for index, (start, end) in enumerate(quotations):
        speaker, role, inferred, said_at = _attribution(text, quotations, index, known)
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
        return len(between) < 120
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    whole_paragraph = not text[line_start:start].strip() and len(text[end:line_end].strip()) < 3
    return whole_paragraph and between.count("\n") <= 2


# After the closing mark: ,” said X.  /  ,” X said.  /  ,” X, partner at Y, told Digital.
_AFTER = re.compile(
    rf"^[,.!?]?\s*(?:(?:{SPEECH})\s+(?P<who_after>[^.;“\"\n]{{2,100}}?)(?=[.;\n]|$)|"
    rf"(?P<who>[^.;“\"\n]{{2,120}}?)\s+(?:{SPEECH}|has\s+said|had\s+said)\b)"
)
# Later in the sentence: “may go all the way to trial” if ..., a legal expert told Digital.
_LATER = re.compile(
    rf",\s+(?P<who>[^,.;“\"\n]{{2,80}}?)\s+(?:{SPEECH})\b[^.;“\"\n]{{0,60}}[.!?]?\s*$"
)
# Before the opening mark: X said: “…” / according to X, “…” / X told the court that “…”
_BEFORE = re.compile(
    rf"(?:(?i:according\s+to)\s+(?P<according>[^,.;]{{2,80}})|(?P<who>[A-Z][^.;“\"\n]{{1,120}}?)\s+"
    rf"(?:{SPEECH})(?:\s+that\b[^;“\"\n]{{1,220}}?|\s+[^,.;:“\"]{{1,40}}?)?)\s*[,:]?\s*(?:that\s+)?$"
)


def _attribution(
    text: str, quotations: list[tuple[int, int]], index: int, known: frozenset[str]
) -> tuple[str, str, bool, tuple[int, int] | None]:
    start, end = quotations[index]
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    para_start = text.rfind("\n", 0, start) + 1
    next_start = quotations[index + 1][0] if index + 1 < len(quotations) else para_end
    after = text[end : min(next_start, para_end)]
    # “…,” X said: the attribution follows a quotation that closes its clause.
    closes_clause = text[end - 2 : end - 1] in (",", ".", "!", "?") or after.startswith(",")
    cited = _cited_authority(text, start, end, para_start, para_end)
    if cited:
        return cited, "", False, None
    match = _AFTER.match(after) if closes_clause else None
    if match:
        group = "who_after" if match.group("who_after") else "who"
        return _resolve(
            text, quotations, match.group(group), end + match.start(group), start, known
        )
    previous_end = quotations[index - 1][1] if index else para_start
    sentence_break = text.rfind(". ", para_start, start)
    before_start = max(previous_end, para_start, sentence_break + 2 if sentence_break >= 0 else 0)
    before = text[before_start:start]
    match = _BEFORE.search(before)
    if match:
        group = "according" if match.group("according") else "who"
        return _resolve(
            text, quotations, match.group(group), before_start + match.start(group), start, known
        )
    sentence_end = re.search(r"[.!?](?:\s|$)", after)
    rest = after[: sentence_end.end()] if sentence_end else after
    match = _LATER.search(rest)
    if match:
        return _resolve(
            text, quotations, match.group("who"), end + match.start("who"), start, known
        )
    if end - start < 80:  # a short phrase: the subject of its sentence used it
        return _phrase_speaker(text, quotations, start, known)
    return "", "", False, None


def _cited_authority(text: str, start: int, end: int, para_start: int, para_end: int) -> str:
    """The case or code a court's quotation is cited to, if a citation follows it (or it
    stands in a citing parenthetical); "" otherwise."""
    found = _CITED_AFTER.match(text[end : min(para_end, end + 300)])
    if found is None:
        before = _CITED_BEFORE.search(text[max(para_start, start - 300) : start])
        return _case_name(before.group("case")) if before else ""
    if found.group("id"):  # "Id.": the authority cited last before the quotation
        cases = list(_ANY_CASE.finditer(text[max(0, start - 2000) : start]))
        return _case_name(cases[-1].group("case")) if cases else ""
    if found.group("case"):
        return _case_name(found.group("case"))
    if found.group("short"):
        return found.group("short")
    return found.group("code").strip()


def _case_name(case: str) -> str:
    """ "See, e.g., Richardson v. Axion Logistics, L.L.C." -> "Richardson v. Axion Logistics,
    L.L.C."."""
    return re.sub(
        r"^(?:(?:see|cf\.|accord|but|also|e\.g\.,?|quoting)\s+)+", "", case.strip(), flags=re.I
    )


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
    if who.lower() in PRONOUNS or re.match(r"^the\s", who, re.I) and PERSON_NOUNS.search(who):
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


def _phrase_speaker(
    text: str, quotations: list[tuple[int, int]], start: int, known: frozenset[str]
) -> tuple[str, str, bool, tuple[int, int] | None]:
    """ "Baldoni's lawyer, Bryan Freedman, slammed the move as a “fishing expedition.”":
    the first person the sentence names before the phrase (not as an owner), when the
    sentence uses a verb of saying or calling."""
    sentence_start = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1) + 1
    head = text[sentence_start:start]
    verb = CHARACTERISE.search(head)
    if not verb:
        return "", "", False, None
    subject = head[: verb.start()]
    for name in names(subject, known):
        if subject[name.end : name.end + 2].startswith(("’s", "'s")):
            continue  # "Baldoni's lawyer": Baldoni owns the lawyer, the lawyer speaks
        if _inside(sentence_start + name.start, quotations) or is_organisation(name.text):
            continue
        role = subject[: name.start].strip(" ,")
        role = role if PERSON_NOUNS.search(role) else ""
        return (
            name.text,
            _tidy_role(role),
            False,
            (sentence_start + name.start, sentence_start + name.end),
        )
    words = subject.strip(" ,")
    clause = re.search(r"\b(?:that|which|who|has|have|had|is|are|was|were|will|would|if)\b", words)
    if 1 <= len(words.split()) <= 6 and words[:1].isupper() and not clause:
        return words, "", False, (sentence_start, sentence_start + len(words))  # "Legal experts"
    return "", "", False, None


def _last_person(
    text: str, quotations: list[tuple[int, int]], before: int, known: frozenset[str]
) -> Name | None:
    """The person last named before `before`, outside quotation marks and parentheses
    (photo credits), within the few paragraphs before it."""
    window_start = max(0, before - 1500)
    window = text[window_start:before]
    full = [n.text for n in names(text, known) if is_person(n.text)]
    for name in reversed(names(window, known)):
        position = window_start + name.start
        if _inside(position, quotations) or _in_parentheses(text, position):
            continue
        if is_organisation(name.text):
            continue
        whole = canonical(name.text, full)
        if is_person(whole):
            return Name(whole, position, position + len(name.text))
    return None


def _inside(position: int, quotations: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in quotations)


def _in_parentheses(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("(", line_start, position) > text.count(")", line_start, position)


def _tidy_role(role: str) -> str:
    role = re.sub(r"^(?:the|a|an)\s+", "", role.strip(" ,.;"), flags=re.I)
    role = re.sub(rf"\s+(?:{SPEECH})\b.*$", "", role)
    return role if len(role.split()) <= 10 else ""


def _full_names(quotes: list[Quote], text: str, known: frozenset[str]) -> list[Quote]:
    """Speakers named by surname alone ("Uthe explained") carry the full name the document
    gives them ("Adrienne Uthe")."""
    full = sorted({n.text for n in names(text, known) if is_person(n.text)}, key=len, reverse=True)
    out = []
    for quote in quotes:
        if quote.speaker and " and " not in quote.speaker:
            speaker = canonical(quote.speaker, full)
            if speaker != quote.speaker:
                quote = dataclasses.replace(quote, speaker=speaker)
        out.append(quote)
    return out
