"""The people and organisations a document names, and the roles it gives them.

Names are runs of capitalised words ("Blake Lively", "Reavis Page Jump LLP"); a later
"Lively" or "Ms. Lively" is the same person as the full name it ends. Roles come from the
ways news copy and court documents state them — a title before a name ("former federal
prosecutor Neama Rahmani", "Judge Lewis Liman"), an apposition ("Ethan Krasnoo, partner at
Reavis Page Jump LLP,"), "X's lawyer, NAME" — and from the court-record statements of
`ingest.legal` (the panel, counsel for a side, the judge who signed). No rule names a case.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from casefile.kernel.records import RoleMention
from casefile.kernel.text import split_sentences
from ingest import citations
from ingest.docket import caption_parties
from ingest.layout import english_words
from ingest.legal import Statement
from ingest.nlp import Entity, stop_words

# Capitalised words that start sentences, name months or courts' furniture, not people.
NOT_NAMES = frozenset(
    """The A An In On At For But And Or If It Its This That These Those He She They We You I
    His Her Their Our Your However Since While When Where What Who Which Why How Because
    Although After Before During Here There Yes No Not According Both Also Then Under Unless
    Until Though As So Thus Therefore Accordingly Moreover Further Finally Meanwhile Now
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Digital Getty Images Click Watch
    Honor Neither Nor Either
    Plaintiff Plaintiffs Defendant Defendants Appellant Appellants Appellee Appellees Court
    Petitioner Respondent Section Rule Id See Cf Page No Nos Chapter Article Exhibit""".split()
)
# Words a work's title capitalises that a person's or organisation's name never holds.
TITLE_WORDS = frozenset("With Us Me You Is Are Was Were To From By Into Over Under It".split())
TITLES = frozenset(
    "Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Judge Justice Hon. Honorable Sen. Rep. Gov.".split()
)
ORG_WORDS = re.compile(
    r"\b(?:Inc|LLC|LLP|PLLC|Corp|Corporation|Company|Co|Ltd|Group|Partners|Lawyers|Law|"
    r"Department|Bureau|Office|Agency|Commission|Board|Court|University|College|School|Bank|"
    r"Communications|Studios|Media|News|Association|Foundation|Institute|Union|Council|"
    r"Committee|Services|Holdings|Capital|Fund|Trust|Hospital|Church|Police|Sheriff|"
    r"Government|State|City|County|Republic|Party|AG|GmbH|plc|Limited)\b\.?"
)
_RUN = re.compile(
    r"\b(?:(?:St|Ste|Mt|Ft)\.(?=\s+[A-Z])|[A-Z][a-zA-Z’'\-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zA-Z’'\-]+\.?|[A-Z]\.|of|de|van|von|la|da|"
    r"del|&))*(?:\s+(?:Jr|Sr|III|II|IV)\.?)?"
)
# "former federal prosecutor Neama Rahmani", "PR expert Adrienne Uthe", "film producer X"
_TITLE_BEFORE = re.compile(
    r"(?<![\w’'])(?P<role>(?:(?:former|chief|senior|lead|top|veteran|longtime|[A-Z]{2,4})\s+)?"
    r"(?:[a-z]+\s+){0,2}(?:prosecutor|attorney|lawyer|counsel|expert|analyst|professor|"
    r"spokesperson|spokesman|spokeswoman|publicist|producer|director|actor|actress|judge|"
    r"founder|partner|executive|officer|president|chairman|investigator|detective|witness|"
    r"reporter|agent|manager|consultant|strategist|economist|doctor|psychologist))\s+$"
)
# "Ethan Krasnoo, partner at Reavis Page Jump LLP," / "X, a former prosecutor,"
_APPOSITION = re.compile(
    r"^,\s+(?P<role>(?:a|an|the)?\s*(?:[a-z-]+\s+){0,3}(?:partner|founder|professor|expert|"
    r"spokesperson|spokesman|spokeswoman|attorney|lawyer|counsel|prosecutor|analyst|director|"
    r"president|executive|officer|chair\w*|member|head|judge|reporter|publicist|producer)"
    r"(?:\s+(?:at|of|for|with)\s+[^,;.]{2,60})?)\s*,"
)
# "Baldoni's lawyer, Bryan Freedman," / "Lively's lawyers, Mike Gottlieb and Esra Hudson,"
_LAWYER_OF = re.compile(
    r"(?P<client>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)(?:’s|'s|’|')\s+(?:legal\s+team|"
    r"(?:lead\s+|defen[cs]e\s+|trial\s+)?(?:lawyers?|attorneys?|counsel))\s*,\s+(?P<who>"
    r"[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+)*(?:\s*,?\s+and\s+[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+)*)?)\s*,"
)
# "Justin Baldoni sued Blake Lively", "the plaintiffs, X and Y, sued"
_SUED = re.compile(
    r"(?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)\s+(?:sued|is suing|filed suit against)\s+"
    r"(?P<other>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*(?:\s+and\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)?)"
)
_KINDS_OF_ROLE = [
    (re.compile(r"judge|justice|magistrate", re.I), "judge"),
    (re.compile(r"lawyer|attorney|counsel|prosecutor", re.I), "lawyer"),
    (re.compile(r"spokes|publicist", re.I), "spokesperson"),
    (re.compile(r"expert|analyst|professor|economist|consultant|strategist", re.I), "expert"),
    (re.compile(r"witness|testif", re.I), "witness"),
]


@dataclass(frozen=True)
class Name:
    """A name as a document writes it, and where."""

    text: str
    start: int
    end: int


def known_names(text: str) -> frozenset[str]:
    """Words a document capitalises in mid-sentence: names, as opposed to words capitalised
    only because a sentence starts with them ("Legal experts explained ...")."""
    found = set()
    for match in re.finditer(r"(?<=[a-z,;:’'”\"][ \t])([A-Z][a-zA-Z’'\-]+)", text):
        found.add(match.group(1).removesuffix("’s").removesuffix("'s"))
    return frozenset(found)


def names(text: str, known: frozenset[str] | None = None) -> list[Name]:
    """The names in `text`: runs of capitalised words, without a leading title or a
    sentence-initial function word, and not all in capitals (headings). With `known` (see
    `known_names`), a lone word opening a sentence counts only if the document uses it as
    a name elsewhere."""
    found = []
    for match in _RUN.finditer(text):
        words = match.group(0).split()
        start = match.start()
        before = text[max(0, match.start() - 3) : match.start()]
        opens = match.start() == 0 or re.search(r"(?:^|[.!?“\"]\s*|\n)$", before)
        bare = words[0].removesuffix("’s").removesuffix("'s")
        if known is not None and opens and len(words) == 1 and bare not in known:
            continue
        while words and (words[0].strip(".") in NOT_NAMES or words[0] in TITLES):
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
            while start < len(text) and text[start] == " ":
                start += 1
        while words and words[-1] in ("of", "de", "van", "von", "la", "da", "del", "&"):
            words = words[:-1]
        if words and words[0] in ("of", "de", "van", "von", "la", "da", "del", "&"):
            continue  # "[Court] of Appeal": what is left of a title is not a name
        if not words or any(w in TITLE_WORDS for w in words[1:]):
            continue  # "It Ends With Us": the title of a work, not a name
        value = " ".join(words).removesuffix("’s").removesuffix("'s").rstrip("’',")
        if value.isupper() and len(value) > 4:
            continue  # a heading, not a name
        if len(value) < 2 or not any(c.islower() for c in value):
            continue
        found.append(Name(value, start, start + len(value)))
    return found


def is_organisation(name: str) -> bool:
    return bool(ORG_WORDS.search(name))


# "Texas Insurance Code", "Fair Labor Standards Act": a law is named, not a person.
LAW_WORDS = re.compile(
    r"\b(?:Code|Act|Statutes?|Constitution|Amendment|Rules?|Regulations?|Treaty|Ordinance)\b"
    r"|\bLaw$"  # "California Unfair Competition Law", not "Duke Law School"
)


def is_law(name: str) -> bool:
    return bool(LAW_WORDS.search(name))


def is_person(name: str) -> bool:
    """Two to four capitalised words, not an organisation: "Blake Lively", "Lewis J. Liman"."""
    words = name.split()
    return 2 <= len(words) <= 5 and not is_organisation(name) and not is_law(name)


def role_kind(words: str) -> str:
    """The plain kind of a role as written: "former federal prosecutor" -> "lawyer",
    "PR expert" -> "expert"; other roles ("film producer") as written."""
    for pattern, kind in _KINDS_OF_ROLE:
        if pattern.search(words):
            return kind
    return words.strip().lower()


def roles_in(
    doc_id: str, text: str, sentences: list[tuple[int, int]], stated_facts: Sequence[Statement]
) -> list[RoleMention]:
    """Every role `text` states, sentence by sentence (offsets into `text`), and those its
    `stated_facts` (legal.stated's, read over the same sentences) state."""
    found: list[RoleMention] = []
    for start, end in sentences:
        sentence = text[start:end]
        for name in names(sentence):
            before = _TITLE_BEFORE.search(sentence[: name.start])
            if before and is_person(name.text):
                words = re.sub(
                    r"^(?:(?:and|or|of|the|a|an|with|by|for|to)\s+)+", "", before.group("role")
                )
                found.append(
                    RoleMention(
                        doc_id,
                        start + before.start("role"),
                        start + name.end,
                        name.text,
                        role_kind(words),
                        words.strip(),
                    )
                )
            after = _APPOSITION.match(sentence[name.end :])
            if after and is_person(name.text):
                words = after.group("role").strip()
                found.append(
                    RoleMention(
                        doc_id,
                        start + name.start,
                        start + name.end + after.end("role"),
                        name.text,
                        role_kind(words),
                        words,
                    )
                )
        for match in _LAWYER_OF.finditer(sentence):
            for who in re.split(r"\s*,?\s+and\s+|\s*,\s*", match.group("who")):
                if who:
                    found.append(
                        RoleMention(
                            doc_id,
                            start + match.start(),
                            start + match.end("who"),
                            who,
                            "lawyer",
                            f"for {match.group('client')}",
                        )
                    )
        for match in _SUED.finditer(sentence):
            for who in [match.group("who"), *re.split(r"\s+and\s+", match.group("other"))]:
                if is_person(who) or is_organisation(who):
                    found.append(
                        RoleMention(
                            doc_id, start + match.start(), start + match.end(), who, "party", ""
                        )
                    )
    for statement in stated_facts:
        if statement.role in ("disposition", "dated"):
            continue
        role = {
            "panel": "judge",
            "author": "judge",
            "signer": "signer",
            "dissent": "judge",
        }.get(statement.role, statement.role)
        detail = {
            "counsel": f"for {statement.side}" if statement.side else "",
            "dissent": "dissenting",
        }.get(statement.role, "")
        for who in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", statement.value):
            who = who.strip(" ,.")
            if (
                who
                and who[0].isupper()
                and len(who) > 2
                and not re.fullmatch(r"[A-Z]\.?(?:\s?[A-Z]\.)*J?J?\.?", who)
            ):
                found.append(
                    RoleMention(
                        doc_id,
                        statement.reach[0],
                        statement.reach[1],
                        who,
                        "lawyer" if role == "counsel" else role,
                        detail,
                    )
                )
    return found


@dataclass(frozen=True)
class Mentions:
    """Whom a document names: how often (short forms counted with the full name they stand
    for), the short forms used, where each is first named, and whether each is a person or
    an organisation."""

    counts: Counter[str]
    aliases: dict[str, str]
    first: dict[str, tuple[int, int]]
    kinds: dict[str, str]


_NAMED = frozenset({"PERSON", "ORG"})
# What an entity span may carry that is not the name: "the", a title, a possessive.
_LEADING = re.compile(
    r"^(?:(?:the|The|THE)\s+|(?:Mr|Mrs|Ms|Dr|Hon|Judge|Justice|Professor|Prof|Officer|Detective|"
    r"Sergeant|Sgt|Agent|Deputy|Senator|Sen|Rep|Governor|Gov|Chief|Magistrate|District|"
    r"Circuit)\.?\s+)+"
)


def mention_counts(text: str) -> Mentions:
    """The people and organisations `text` names, found by the trained pipeline's named
    entities (PERSON, ORG) rather than by capitals: a heading, a form label or a signature
    line's "Via Electronic Mail" is not a name. "Lively" and "Ms. Lively" count with
    "Blake Lively"; photo credits in parentheses are left out."""
    plain = re.sub(r"\([^()\n]{0,80}\)", lambda m: " " * len(m.group(0)), text)
    cited = citations.spans(plain)
    found = _without_terms(_apart(_named(text, plain, cited), text), text)
    full = longest_first(n for n, *_ in found if len(n.split()) > 1)
    # A short name the document defines: "Bank of America, N.A. (“BofA”)".
    defined = {
        match.group("alias"): canonical(name, full)
        for name, _, end, _ in found
        if (match := _DEFINED.match(text, end, end + 80))
    }
    book = FullNames(longest_first([*full, *defined.values()]))

    def whole_name(name: str) -> str:
        return defined.get(name) or canonical(name, book)

    outside = Counter(whole_name(n) for n, start, _, _ in found if not _within(start, cited))
    kept = _of_this_case(outside, text, plain)
    mentions = Mentions(Counter(), {}, {}, {})
    votes: dict[str, Counter[str]] = {}
    in_full: dict[str, Counter[str]] = {}  # the votes of the name written whole
    for name, start, end, kind in found:
        whole = whole_name(name)
        if whole not in kept:
            continue
        mentions.counts[whole] += 1
        mentions.first.setdefault(whole, (start, end))
        votes.setdefault(whole, Counter())[kind] += 1
        if whole != name:
            mentions.aliases[name] = whole
        elif " " in name:
            in_full.setdefault(whole, Counter())[kind] += 1
    # The recogniser reads a full name ("Lars Gustav Brismark stated") better than a surname
    # alone, which a court writes mostly in citations of the record ("Brismark Decl. ¶ 76"):
    # where the name is written whole, those readings decide.
    votes |= in_full
    for name, kinds in votes.items():
        if is_law(name):
            mentions.kinds[name] = "law"
        elif is_organisation(name):  # "Dammann & Co., Inc", whatever the recogniser voted
            mentions.kinds[name] = "organisation"
        else:
            mentions.kinds[name] = kinds.most_common(1)[0][0]
    for name in _only_after_the(found, whole_name, text):
        if mentions.kinds.get(name) == "person":  # "the FDA" is an agency all the same
            del mentions.counts[name], mentions.first[name], mentions.kinds[name]
            for alias in [a for a, whole in mentions.aliases.items() if whole == name]:
                del mentions.aliases[alias]
    return mentions


def _apart(found: list[tuple[str, int, int, str]], text: str) -> list[tuple[str, int, int, str]]:
    """`found` less the names that run into another with nothing but a space between ("the
    Treasury Bill rate" read as "Treasury" and "Bill"): prose puts a word or a mark between
    two names, so the recogniser cut one phrase in two, and neither piece names anyone."""
    ordered = sorted(found, key=lambda f: f[1])
    joined: set[int] = set()
    for at in range(len(ordered) - 1):
        if text[ordered[at][2] : ordered[at + 1][1]] == " ":
            joined.update((at, at + 1))
    return [f for at, f in enumerate(ordered) if at not in joined]


_DETERMINER = re.compile(r"\b(?:the|a|an|any|such|each|every|no|all)[ \t]+$", re.IGNORECASE)
_QUANTIFIER = re.compile(r"\b(?:any|such|each|every)[ \t]+$", re.IGNORECASE)


def _without_terms(
    found: list[tuple[str, int, int, str]], text: str
) -> list[tuple[str, int, int, str]]:
    """`found` less the terms a policy or contract defines and uses as nouns: a name written
    only ever after a determiner, at least once after "any", "such", "each" or "every" ("the
    Insured Entity", "any Insured Entity"), is a class of parties, not whom it names (nobody
    writes "any Federal Trade Commission"). A name that opens with such a term loses it ("the
    Insured Entity, Independent Physicians Associates …")."""
    seen: dict[str, list[str]] = {}
    for name, start, _, _ in found:
        seen.setdefault(name, []).append(text[max(0, start - 8) : start])
    terms = {
        name
        for name, befores in seen.items()
        if all(_DETERMINER.search(b) for b in befores)
        and any(_QUANTIFIER.search(b) for b in befores)
    }
    if not terms:
        return found
    kept = []
    for name, start, end, kind in found:
        if name in terms:
            continue
        head, comma, rest = name.partition(", ")
        if comma and head in terms and rest[:1].isupper():
            name, start = rest, start + len(head) + len(comma)
        kept.append((name, start, end, kind))
    return kept


def _only_after_the(
    found: list[tuple[str, int, int, str]], whole_name: Callable[[str], str], text: str
) -> set[str]:
    """One-word names a document writes more than once and only ever after "the" ("the
    Underwriter will pay", "the Hartpence case"): a role or an attribute, not whom it names."""
    after_the: dict[str, list[bool]] = {}
    for name, start, _, _ in found:
        whole = whole_name(name)
        if " " not in whole:
            after_the.setdefault(whole, []).append(
                text[max(0, start - 4) : start].lower() == "the "
            )
    return {name for name, flags in after_the.items() if len(flags) > 1 and all(flags)}


def _named(text: str, plain: str, cited: list[tuple[int, int]]) -> list[tuple[str, int, int, str]]:
    """Each name the recogniser finds that passes for one: (name, start, end, kind)."""
    from ingest.nlp import entities

    terms = _defined_terms(text)
    lowercase_words = set(re.findall(r"(?<= )[a-z]+(?=[ ,.;:])", text))
    found = []
    common = set(_LOWER_WORD.findall(text))
    recognised = entities(plain, _NAMED, _may_name(plain, cited, common))
    verbs = _infinitives(plain, recognised)
    for entity in recognised:
        if entity.start in verbs:
            continue
        name = clean_name(entity.words)
        if name is None or (entity.label == "ORG" and _alone_on_its_line(plain, entity)):
            continue
        if _abbreviation(plain, entity) or _contents_line(entity.words) or not is_name(name):
            continue
        if name in terms or _in_heading(plain, entity):
            continue
        if _alone_on_its_line(plain, entity, any_label=True) and _common_words(name):
            continue  # a heading: "Factual Background", "Conclusion"
        if " " not in name and name.lower() in lowercase_words:
            continue  # "Claim", "Insured", "License": a word the document also writes plainly
        start = entity.start + max(0, entity.words.find(name.split()[0]))
        found.append((name, start, start + len(name), _kind(name, entity, plain, start)))
    return found


def _kind(name: str, entity: Entity, text: str, start: int) -> str:
    """Person or organisation: what the name says it is ("& Co.", "Bank"), then a personal
    title before it ("Dr. Janusz Ordover", "Judge King", which the recogniser may read as an
    organisation's) when the name is all the recogniser read (not "Dr. Reddy’s
    Laboratories Ltd.", a company whose name a possessive cut), then the recogniser's
    reading."""
    if is_organisation(name):
        return "organisation"
    whole = entity.words.rstrip(" .,").endswith(name)
    if whole and _TITLED.search(text, max(0, start - 12), start):
        return "person"
    return "organisation" if entity.label == "ORG" else "person"


def _infinitives(text: str, recognised: Sequence[Entity]) -> set[int]:
    """The starts of those recognised names that are the verb of an infinitive: docket text
    capitalises its verbs ("MOTION to Dismiss Plaintiffs' Second Amended Complaint",
    "APPLICATION … to Appear Pro Hac Vice"), which the recogniser takes for names; the tagger
    tells them from a name after "to" ("a letter to Bill Smith", "according to Roh")."""
    from ingest.nlp import parse

    after_to = [e.start for e in recognised if _AFTER_TO.search(text, max(0, e.start - 4), e.start)]
    windows: list[tuple[int, int]] = []
    for start in after_to:
        window = (max(0, start - 120), min(len(text), start + 60))
        if windows and window[0] <= windows[-1][1]:
            windows[-1] = (windows[-1][0], window[1])
        else:
            windows.append(window)
    verbs = {w.start for sentence in parse(text, windows) for w in sentence if w.pos == "VERB"}
    return {start for start in after_to if start in verbs}


_AFTER_TO = re.compile(r"(?<![\w])[Tt]o\s+$")


def _of_this_case(outside: Counter[str], text: str, plain: str) -> set[str]:
    """The names (counted outside citations) that are people of this case. A name met only
    inside citations is not; nor is a cited case's party the document names by a single
    word ("Brulotte", "Gant") or only once or twice (Apple, named 91 times, is an actor),
    unless the caption names it."""
    cited_parties = {_name_key(party) for party in citations.cited_parties(plain)}
    own_parties = " ".join(caption_parties(text.split("\n")[:60]) or ()).lower()
    return {
        name
        for name, count in outside.items()
        if not (
            _cited_party(name, cited_parties, own_parties)
            and (" " not in _COURT.sub("", name) or count < ACTOR_MENTIONS)
        )
    }


# "the Alloway Court": the court that decided a case, named by the case.
_COURT = re.compile(r"\s+[Cc]ourts?$")


# A capitalised word inside a sentence (after a lowercase word or a comma), or two together.
_CANDIDATE = re.compile(r"[a-z,;:)’'”][ \t]+[A-Z]|\b[A-Z][\w.’'-]*[ \t]+[A-Z]")
_WORD_AT = re.compile(r"[\w’'-]+")
# A word written in lower case as a word of a sentence: not a piece of an e-mail address or
# a web address ("john.smith@firm.com" does not make "Smith" a common word).
_LOWER_WORD = re.compile(r"(?<![\w.@/])[a-z][a-z’'-]+(?=[,.;:!?)]?(?:\s|$))")


BLOCK = 2_000  # the longest run of sentences read as one piece
# Words read either side of each capitalised word of a sentence that may hold a name. The
# small model's recogniser decides at each word from about four words either side (its token
# encoder's reach) and the name it is building: ten found the same names on six sets as whole
# sentences did, for 10-20% less of its time (BENCHMARKS.md); six lost real ones.
CONTEXT_WORDS = 10
_WORD = re.compile(r"\S+")


def _may_name(text: str, cited: list[tuple[int, int]], common: set[str]) -> list[tuple[int, int]]:
    """The stretches of `text` the recogniser reads: in sentences that may hold a name (a
    capitalised word inside them that the document never writes in lower case: "the Court",
    "Plaintiff's Motion", "Balance Sheet" are words it also writes plainly), outside
    citations, the words around each of their capitalised words (`_around_names`). The rest
    ("The motion is denied.", "See Smith v. Jones, 12 F.3d 4.") names nobody the desk would
    list."""
    regions: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        if not any(
            (word := _WORD_AT.match(text, found.end() - 1, end))
            and word.group(0).lower() not in common
            for found in _CANDIDATE.finditer(text, start, end)
        ):
            continue
        at = bisect.bisect_right(cited, (start, float("inf"))) - 1
        if at >= 0 and cited[at][0] <= start and end <= cited[at][1]:
            continue  # wholly inside a citation
        if _foreign(text, start, end):
            continue
        for first, last in _around_names(text, start, end, common):
            if regions and first - regions[-1][1] <= 2 and last - regions[-1][0] < BLOCK:
                regions[-1] = (regions[-1][0], last)
            else:
                regions.append((first, last))
    return regions


def _foreign(text: str, start: int, end: int) -> bool:
    """Whether the sentence `text[start:end]` is in another language (a 10-K's exhibit in
    Malay or Spanish), where the English recogniser takes every capitalised word for a name
    ("Syarikat dan Majikan"). Told by its plain words: eight or more, fewer than one in ten
    of them English's small words ("the", "of", "a" …), then most of them in no English
    dictionary (so a table's row of English terms is still read). Court writing and news
    seldom reach the dictionary: their sentences are a third or more small words."""
    words = _PLAIN_WORD.findall(text, start, end)
    if len(words) < 8:
        return False
    if sum(word in stop_words() for word in words) * 10 >= len(words):
        return False
    dictionary = english_words()  # loaded on first use
    return sum(word in dictionary for word in words) * 2 < len(words)


# A word in lower case, not part of an address, a file name or a hyphenated compound.
_PLAIN_WORD = re.compile(r"(?<![\w@./’'-])[a-z]+(?![\w@./’'-])")


def _around_names(text: str, start: int, end: int, common: set[str]) -> list[tuple[int, int]]:
    """The stretches of the sentence `text[start:end]` within CONTEXT_WORDS words of a
    capitalised word (its first word only when the document never writes it in lower case:
    not "The", "However"). A name's small words ("of", "and") are never that far from a
    capitalised one, so no stretch cuts a name."""
    words = [found.span() for found in _WORD.finditer(text, start, end)]
    spans: list[tuple[int, int]] = []  # word indices
    for at, (first, last) in enumerate(words):
        word = _WORD_AT.search(text, first, last)
        if word is None or not word.group(0)[0].isupper():
            continue
        if at == 0 and word.group(0).lower() in common:
            continue
        low, high = max(0, at - CONTEXT_WORDS), min(len(words) - 1, at + CONTEXT_WORDS)
        if spans and low <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], high)
        else:
            spans.append((low, high))
    return [(words[low][0], words[high][1]) for low, high in spans]


_DEFINED = re.compile(
    r"(?:,?\s(?:N\.A\.|Inc\.|LLC|L\.L\.C\.|Corp\.|Co\.|Ltd\.|LLP))?"
    r"[\s.,]{0,3}\((?:the\s+|hereinafter,?\s+|collectively,?\s+)?[“\"]"
    r"(?P<alias>[A-Z][\w.&’'-]*(?:\s[\w.&’'-]+){0,3})[”\"]\)"
)


# A filing, not a person or an organisation: "Request for Judicial Notice", "Toshiba Royalty
# Letter", "Docket Text: REPLY …".
_FILING_WORDS = re.compile(
    r"\b(?:Letter|Agreement|Amendment|Exhibit|Docket|Declaration|Opposition|Stipulation|Report|"
    r"Complaint|Motion|Order|Notice|Request|Reply|Brief|Memorandum|Transcript|Judgment|Text|"
    r"Minutes|Petition|Subpoena|Objection|Counterclaim|Guide|Directive|Application|Response|"
    r"Waiver|MSJ|MTD|Patent|Package|Option|Offer|Product|Expense|Action|Claim|Note)s?\b"
)
# Titles and offices that name nobody in particular on their own.
_OFFICE_WORDS = frozenset(
    """judge judges magistrate clerk attorney attorneys assistant circuit counsel officer deputy
    u.s. u.s us chief district general special agent public defender federal justice justices
    court state states united acting senior of the for and trial appellate""".split()
)


def is_name(name: str) -> bool:
    """Whether a cleaned name can be a person's or an organisation's: not a filing, a law,
    an office alone or a heading of common words."""
    words = name.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]\.|[IVX]+\.", words[0]) and _common_words(words[1]):
        return False  # "B. Settlement Fund": a numbered heading
    if any(word in _TITLE_SMALL_WORDS for word in words[1:]):
        return False  # "Demand For Jury Trial", "Prayer For Relief": a heading's words
    return not _not_a_name(name)


# Small words a heading capitalises and a name never does ("Bank of America").
_TITLE_SMALL_WORDS = frozenset("For Of The And To In On At By With From Through".split())


def _not_a_name(name: str) -> bool:
    """A filing, a law, or an office alone ("Magistrate", "Assistant U.S. Attorney")."""
    if _FILING_WORDS.search(name) or is_law(name):
        return True
    return all(word.lower().strip(",.") in _OFFICE_WORDS for word in name.split())


def _common_words(name: str) -> bool:
    """Every word of `name` an English word of the dictionary, none an initial: "Factual
    Background", not "Roger N. Heller"."""
    from ingest.layout import english_words

    words = name.split()
    dictionary = english_words()
    return all(len(w) > 2 and w.lower().strip(".,") in dictionary for w in words)


# A term the document defines in quotation marks: (the “Insured Entity”), (“Seller”).
_TERM = re.compile(
    r"\((?:the\s+|collectively,?\s+|hereinafter,?\s+|each\s+a\s+|together,?\s+)?[“\"]"
    r"(?P<term>[A-Z][^”\"\n()]{1,40})[”\"]\)"
)


def _defined_terms(text: str) -> set[str]:
    """The terms `text` defines in quotation marks, unless a name stands right before the
    definition (then it is that name's short form: "Bank of America, N.A. (“BofA”)")."""
    terms = set()
    for match in _TERM.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()].rstrip(" ,")
        last = before.split()[-1] if before.split() else ""
        the = match.group(0)[1:].lower().startswith(("the", "collectively", "each"))
        if not the and (last[:1].isupper() or last in ("Inc.", "N.A.", "LLC", "Co.", "Corp.")):
            continue  # "… Bank of America, N.A. (“BofA”)": a party's short name
        terms.add(match.group("term").strip())
    return terms


ACTOR_MENTIONS = 3  # a cited case's party named this often in the text is part of the story


def _cited_party(name: str, cited_parties: set[str], own_parties: str) -> bool:
    """A party of a case the document cites ("Brulotte", "Gant"), named without its
    citation in the text; not one of the document's own parties."""
    lowered = _COURT.sub("", name).lower().rstrip(".")
    if lowered in own_parties:
        return False
    return _name_key(lowered) in cited_parties


def _within(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `position` lies in one of `spans` (sorted, not overlapping)."""
    at = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= position < spans[at][1]


def _contents_line(words: str) -> bool:
    """A table of contents' entry or a section sign: "Background § III", "Order....11"."""
    return "§" in words or ".." in words


# A heading as filings set it: capitalised words and the small words between them only.
_HEADING_WORD = re.compile(r"[A-Z0-9IVX][\w.’'&-]*|of|the|and|to|for|a|an|in|on|by|with|or|v\.")


_LEADER = re.compile(r"\.{4}")  # a table of contents' dots before a page number


def _in_heading(text: str, entity: Entity) -> bool:
    """A name inside a heading line ("C. Common Questions Will Predominate ....14"), unless
    it says it is an organisation ("Bank of America, N.A.")."""
    if is_organisation(entity.words):
        return False
    before = text.rfind("\n", max(0, entity.start - 200), entity.start)
    end = entity.start + len(entity.words)
    after = text.find("\n", end, end + 200)
    if _LEADER.search(text, end, after if after >= 0 else end + 200):
        return True  # an entry of the table of contents (its dots may run past 200 characters)
    if before < 0 or after < 0:
        return False
    line = text[before + 1 : after]
    words = line.split()
    if len(words) < 3 or len(words) < len(entity.words.split()) + 2:
        return False  # a name on a line of its own is a signature, not a heading
    return all(_HEADING_WORD.fullmatch(w.strip(",.:;")) for w in words)


def _abbreviation(text: str, entity: Entity) -> bool:
    """Citation writing, not a name however the recogniser tagged it: a short word cut with
    a period ("Civ.", "Decl.", "Heller Decl.", "Toshiba Mot.", "Privacy Litig."), unless it
    is a company's suffix or an initial ("Apple Inc.", "John S."); or a case's name
    ("Hanlon v. Chrysler Corp"), whose parties are listed on their own."""
    words = entity.words.split()
    if not words:
        return False
    in_re = re.search(r"\bIn\s+[Rr]e\s+$", text[max(0, entity.start - 8) : entity.start])
    if " v. " in f" {entity.words} " or re.match(r"In\s+re\s", entity.words, re.I) or in_re:
        return True
    end = entity.start + len(entity.words.rstrip())
    last = words[-1]
    cut = text[end : end + 1] == "." and 1 < len(last) <= 5 and not ORG_WORDS.fullmatch(last)
    return cut and last[0].isupper() and last[1:].islower()


def _alone_on_its_line(text: str, entity: Entity, any_label: bool = False) -> bool:
    """An organisation that is a line by itself and says nothing of being one ("Primary
    Telephone", "Via Electronic Mail"): a form's label or a heading, as filings print them,
    more often than a name. A firm or a court on its own line keeps its "LLP" or "Court"."""
    # Looked for within a short reach: a long line is not a label (and stays linear).
    end = entity.start + len(entity.words.rstrip())
    before = text.rfind("\n", max(0, entity.start - 120), entity.start)
    after = text.find("\n", end, end + 120)
    if (before < 0 and entity.start > 120) or (after < 0 and end + 120 < len(text)):
        return False
    line = text[before + 1 : after if after >= 0 else len(text)]
    alone = line.strip(" \t.,:;") == entity.words.strip(" \t\n.,:;")
    return alone and (any_label or not is_organisation(entity.words))


def clean_name(words: str) -> str | None:
    """An entity's words as a name ("the Smith Group's" -> "Smith Group"), or None when what
    is left is not one: no lowercase letter (a heading in capitals), a single letter, digits
    or a line break inside."""
    name = " ".join(w for w in words.split() if "@" not in w)  # an e-mail run into a name
    name = name.replace("[", "").replace("]", "")  # a court's alteration: "[Supreme] Court"
    name = re.split(r"’s\b|'s\b|\.\.", name)[0]  # "King’s Dismissal Order": King's
    name = re.sub(r"(?<=[a-z])\d{1,3}$", "", name)  # "Roger N. Heller1": a footnote mark
    name = _LEADING.sub("", name).strip(" ,.;:&’'\"“”")
    # "GRANTS Toshiba": a word in capitals run into the name from a heading or a ruling;
    # "Plaintiff Tessera", "See Spring Motors": a party's label or a citation signal.
    while len(name.split()) > 1 and (
        (
            name.split()[0].isupper()
            and not name.split()[1].isupper()
            and _common_words(name.split()[0])  # "TCL Communication" keeps its acronym
        )
        or name.split()[0].strip(".") in NOT_NAMES
    ):
        name = name.split(" ", 1)[1]
    if name in NOT_NAMES:
        return None
    if len(name) < 2 or not any(c.islower() for c in name) or any(c.isdigit() for c in name):
        return None
    if "\n" in words.strip() or not name[0].isupper():
        return None
    return name


@functools.lru_cache(maxsize=2)
def people_named(text: str, known: frozenset[str]) -> tuple[str, ...]:
    """The full names of the people `text` names, longest first. Kept for the document last
    read: every pronoun of its quotations and timeline resolves against the same list."""
    found = {n.text for n in names(text, known) if is_person(n.text)}
    return tuple(longest_first(found))


def person_before(
    text: str,
    before: int,
    known: frozenset[str],
    full: Sequence[str],
    skip: list[tuple[int, int]] | tuple[()] = (),
    among: frozenset[str] | None = None,
) -> Name | None:
    """The person last named before `before`, within the few paragraphs before it, outside
    the `skip` spans (quotations) and parentheses (photo credits), by the full name the
    document gives them (`full`, see `people_named`); only one of `among` when given."""
    window_start = max(0, before - 1500)
    for name in reversed(names(text[window_start:before], known)):
        position = window_start + name.start
        if any(start < position < end for start, end in skip) or _in_parentheses(text, position):
            continue
        if is_organisation(name.text):
            continue
        whole = canonical(name.text, full)
        titled = " " not in whole and _TITLED.search(text, max(0, position - 12), position)
        if among is None:
            if is_person(whole):
                return Name(whole, position, position + len(name.text))
        elif _cited_as_record(text, position + len(name.text)):
            continue  # "(Parkvall Decl. ¶ 184.)", "Brismark’s deposition": not who acts next
        elif whole in among and (" " in whole or titled):
            return Name(whole, position, position + len(name.text))
        elif titled:
            return None  # passing over "Dr. Kakaes" to someone named earlier names the wrong one
    return None


def _cited_as_record(text: str, end: int) -> bool:
    """A name that owns something or names a record: "X’s deposition", "X Decl.", "X Dep."."""
    return bool(re.match(r"(?:’s|'s|\s+(?:Decl|Dep|Depo|Tr|Rep|Report)\b)", text[end : end + 8]))


_TITLED = re.compile(r"\b(?:Dr|Mr|Ms|Mrs|Judge|Justice|Professor|Prof|Officer)\.?\s+$")


def _in_parentheses(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("(", line_start, position) > text.count(")", line_start, position)


class FullNames:
    """Full names, indexed by the words `canonical` compares: a short name is held against
    the few full names that share its key, its first and last words or its surname, not
    against every one (a 5,000-document case names tens of thousands)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        self.members = frozenset(self.names)
        self._by_key: dict[tuple[str, ...], list[int]] = {}
        self._by_ends: dict[tuple[str, str, int], list[int]] = {}
        self._organisations_by_first: dict[tuple[str, ...], list[int]] = {}
        self._people_by_last: dict[str, list[int]] = {}
        self._by_ending: dict[tuple[str, ...], list[int]] = {}
        for at, name in enumerate(self.names):
            key = _name_key(name)
            self._by_key.setdefault(key, []).append(at)
            for cut in range(1, len(key) - 1):  # endings of two words or more
                self._by_ending.setdefault(key[cut:], []).append(at)
            words = _undotted_words(name)
            if len(words) >= 3:
                self._by_ends.setdefault((words[0], words[-1], len(words)), []).append(at)
            if is_organisation(name):
                self._organisations_by_first.setdefault(key[:1], []).append(at)
            elif name.split():
                self._people_by_last.setdefault(name.split()[-1], []).append(at)

    def with_key(self, key: tuple[str, ...]) -> list[str]:
        return [self.names[at] for at in self._by_key.get(key, ())]

    def like(self, name: str) -> list[str]:
        """Those with `name`'s key, or its first and last words and as many words, in order."""
        words = _undotted_words(name)
        found = set(self._by_key.get(_name_key(name), ()))
        if len(words) >= 3:
            found.update(self._by_ends.get((words[0], words[-1], len(words)), ()))
        return [self.names[at] for at in sorted(found)]

    def organisations_first_named(self, key: tuple[str, ...]) -> list[str]:
        return [self.names[at] for at in self._organisations_by_first.get(key, ())]

    def people_surnamed(self, last: str) -> list[str]:
        return [self.names[at] for at in self._people_by_last.get(last, ())]

    def ending_with(self, key: tuple[str, ...]) -> list[str]:
        """Longer names whose key ends with `key`: "U.S. Park Police" for "Park Police"."""
        return [self.names[at] for at in self._by_ending.get(key, ())]


def longest_first(names: Iterable[str]) -> list[str]:
    """Distinct names, longest first, and in a fixed order among equally long ones (which
    `canonical` picks among): the same text gives the same people in every process."""
    return sorted(set(names), key=lambda name: (-len(name), name))


@functools.lru_cache(maxsize=8)
def _indexed(names: tuple[str, ...]) -> FullNames:
    return FullNames(names)


def canonical(name: str, full_names: Sequence[str] | FullNames) -> str:
    """The full name a short one stands for: "Lively" -> "Blake Lively" when the document
    (or the case) names exactly one such person; "Shawn Nelson" -> "Shawn J. Nelson" and
    "Bank of America" -> "Bank of America, N.A." (the same name less an initial or a legal
    form); else the name itself. Give `FullNames` when asking for many names."""
    book = full_names if isinstance(full_names, FullNames) else _indexed(tuple(full_names))
    key = _name_key(name)
    same = [
        f
        for f in book.like(name)
        if f != name
        and (_name_key(f) == key or _middle_spelled_out(name, f))
        and (len(f.split()) > len(name.split()) or len(f.rstrip(".,")) > len(name.rstrip(".,")))
    ]
    if same:
        return max(same, key=len)
    if national := _national_form(key, book):
        return national
    # The same name set two ways ("IronShore …", "Ironshore …"): one form stands for both.
    twins = [f for f in book.with_key(key) if len(f.split()) == len(name.split())]
    if twins and len(name.split()) > 1:
        return max([*twins, name], key=lambda f: (len(f.rstrip(".,")), f == f.rstrip(".,"), f))
    if " " not in name:  # "IronShore", "Travelers": the first word of one organisation's name
        firsts = book.organisations_first_named(key) if len(key) <= 1 else []
        if len({_name_key(f) for f in firsts}) == 1:
            return max(firsts, key=len)
    if len(name.split()) > 1 and name in book.members:
        return name
    last = name.split()[-1]
    # A surname alone stands for a person; "Bank" alone is no bank in particular.
    matches = [f for f in book.people_surnamed(last) if f != name]
    if len({_name_key(m) for m in matches}) == 1:
        return max(matches, key=len)  # "Lusnak": "Donald M. Lusnak" and "Donald Lusnak" alike
    return name


_NATIONAL = frozenset({("us",), ("united", "states"), ("usa",)})


def _national_form(key: tuple[str, ...], book: FullNames) -> str | None:
    """ "Park Police" written after "U.S. Park Police": a national body's name less its
    country, when the country's form is the only longer name it ends (not with "New Jersey
    Bankruptcy Court" beside "United States Bankruptcy Court")."""
    if len(key) < 2:
        return None
    longer = book.ending_with(key)
    if len({_name_key(f) for f in longer}) == 1 and _name_key(longer[0])[: -len(key)] in _NATIONAL:
        return max(longer, key=len)
    return None


_LEGAL_FORMS = frozenset(
    "na inc llc llp lp corp co ltd plc pc pllc jr sr ii iii iv corporation company incorporated "
    "limited".split()
)


def _middle_spelled_out(short: str, full: str) -> bool:
    """ "Margaret B. Tappan" and "Margaret Brinkley Tappan": the same first and last names,
    each middle initial the first letter of the middle name it stands for."""
    a, b = _undotted_words(short), _undotted_words(full)
    if len(a) != len(b) or len(a) < 3 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    middles = list(zip(a[1:-1], b[1:-1], strict=True))
    return all(x == y or (len(x) == 1 and y.startswith(x)) for x, y in middles) and a != b


# A long filing names thousands of people and bodies, each compared with every other
# (`canonical`): their keys are worked out once.
@functools.lru_cache(maxsize=1 << 16)
def _undotted_words(name: str) -> tuple[str, ...]:
    return tuple(name.replace(".", "").split())


@functools.lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> tuple[str, ...]:
    """A name without case, punctuation, initials or a legal form: what makes two forms of
    it the same."""
    words = re.findall(r"[a-z0-9’'&-]+", name.lower().replace(".", ""))
    return tuple(w for w in words if len(w) > 1 and w not in _LEGAL_FORMS)
