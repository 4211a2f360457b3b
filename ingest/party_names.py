"""How captions and reporters write parties' names: proper case for a name set in capitals,
and the short name a case is cited by ("EDWARD ALVARADO, et al." -> "Alvarado", "TOSHIBA
CORPORATION" -> "Toshiba", "UNITED STATES OF AMERICA" -> "United States").

The rules are those of case names in general (Bluebook rule 10 as newspapers apply it): a
person goes by the surname, a business without the form of its incorporation, a relator
after "ex rel." like any other party. The word lists are generic words of names (legal
forms, words that make a name an organisation's, surname particles); none names a party.
Whether a name of a person's shape ("Edward Alvarado", "Green Valley Growers") is a
person's, the English pipeline's entity recogniser decides (`ingest.nlp`).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable

from casefile.kernel.errors import ModelUnavailable

log = logging.getLogger(__name__)

SMALL_WORDS = frozenset(
    "a an and as at by for from in of on or the to v. vs. with ex rel. et al. al.,".split()
)
# Forms of incorporation, which reporters leave out of a case name ("Tessera, Inc." ->
# "Tessera"). "& Co." stays: "Dammann & Co." is the firm's name, not its form.
_LEGAL_FORMS = frozenset(
    """inc inc. incorporated corp corp. corporation llc l.l.c. ltd ltd. limited n.a. na l.p. lp
    llp l.l.p. pllc p.c. pc plc s.a. ag gmbh""".split()
)
# Words that make a name an organisation's, so that its last word is not a surname.
_ORGANISATION_WORDS = frozenset(
    """company co co. corp corporation bank bancorp insurance assurance group holdings services
    service association associates union society trust fund partners partnership systems
    technologies technology industries international department board commission committee
    council county city state states commonwealth people town township village district
    university college school hospital center centre church foundation institute agency
    authority office bureau government republic estate enterprises communications products
    cooperative studios entertainment pharmaceuticals laboratories labs motors airlines
    railroad railway media network club league federation national federal america american
    manufacturing solutions capital financial securities investments properties realty
    management energy resources logistics litigation""".split()
)
# Words between a given name and a surname that belong to the surname ("Vanessa St. Pierre").
_SURNAME_PARTICLES = frozenset("de del della der den di da du la le van von st. ste. mac".split())
_NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv esq esq. m.d.".split())
CAPTION_WORDS = 30  # a line with "v." and no more words than this is a caption, not prose
# A party's role after its name ("Plaintiffs,", "Defendants—Appellees.", "et al."), but not
# a filer's possessive ("DEFENDANT’S DUTY TO DEFEND", "Plaintiffs’ Memorandum").
PARTY_ROLE = re.compile(
    r"[,;]?\s*(?:et al\.?,?\s*)?(?:individually and on behalf of.*)?$|"
    r"\b(?:Plaintiffs?|Defendants?|Appellants?|Appellees?|Petitioners?|Respondents?|Movants?|"
    r"Intervenors?|Claimants?|Employers?|Employees?)\b(?![’'])(?!s[’']).*$",
    re.IGNORECASE,
)


def short_name(name: str) -> str:
    """The name a party goes by in a case name: a person's surname, an organisation's name
    without its legal form and a leading "The", "United States" for the United States of
    America, and both sides of "ex rel." shortened alike."""
    name = re.sub(r"^the\s+", "", name.strip(" ,;"), flags=re.IGNORECASE)
    name = re.sub(r"^united\s+states\s+of\s+america\b", "United States", name, flags=re.I)
    relation = re.search(r",?\s+ex\s+rel\.?\s+", name, flags=re.IGNORECASE)
    if relation:
        return (
            f"{short_name(name[: relation.start()])} ex rel. {short_name(name[relation.end() :])}"
        )
    words = name.split()
    incorporated = False
    while len(words) > 1 and words[-1].strip(",").lower() in _LEGAL_FORMS and words[-2] != "&":
        words.pop()
        incorporated = True
    words = [word.rstrip(",") if i == len(words) - 1 else word for i, word in enumerate(words)]
    if words and words[-1].lower() == "company" and len(words) > 1:
        words[-1] = "CO." if words[-1].isupper() else "Co."
    if incorporated or not _person_shaped(words):
        return " ".join(words)
    if _personal_marks(words) or _read_as_person(" ".join(words)):
        return _surname(words)
    return " ".join(words)


def _person_shaped(words: list[str]) -> bool:
    """Two to five capitalised words, none an organisation's, no "&", no digits."""
    if not 2 <= len(words) <= 5:
        return False
    for word in words:
        bare = word.strip(",").lower()
        if bare in _ORGANISATION_WORDS or any(c.isdigit() for c in word) or word == "&":
            return False
        if not word[:1].isupper() and bare not in _SURNAME_PARTICLES:
            return False
    return True


def _personal_marks(words: list[str]) -> bool:
    """A middle initial ("Donald M. Lusnak"), a suffix ("Jr."), or a particle before the
    surname ("Vanessa St. Clair"): marks of a person's name that no business name has."""
    bare = [word.strip(",").lower() for word in words]
    return (
        any(re.fullmatch(r"[a-z]\.", word) for word in bare[1:-1])
        or bare[-1] in _NAME_SUFFIXES
        or bare[-2] in _SURNAME_PARTICLES
    )


@functools.lru_cache(maxsize=256)
def _read_as_person(name: str) -> bool:
    """Whether the entity recogniser reads `name` (in title case) as a person's. Without
    the model the full name stays: longer, never wrong."""
    from ingest.nlp import entities

    try:
        found = entities(title_case(name), frozenset({"PERSON", "ORG"}))
    except ModelUnavailable as exc:
        log.warning("party %r keeps its full name: %s", name, exc)
        return False
    return any(entity.label == "PERSON" for entity in found)


def _surname(words: list[str]) -> str:
    while len(words) > 1 and words[-1].strip(",").lower() in _NAME_SUFFIXES:
        words = words[:-1]
    words = [word.rstrip(",") for word in words]
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _SURNAME_PARTICLES:
        start -= 1
    return " ".join(words[start:])


def spellings(paragraphs: Iterable[str]) -> dict[str, str]:
    """How the document's own sentences spell names that captions set in capitals: "FedEx",
    "McCrimmon", and acronyms among lower-case words ("TCL", "CVS"), by their lower-case
    form. Lines mostly in capitals (captions, headings) teach nothing."""
    found: dict[str, str] = {}
    for paragraph in paragraphs:
        letters = [c for c in paragraph if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) >= 0.5 * len(letters):
            continue
        if len(paragraph.split()) <= CAPTION_WORDS and re.search(
            r"\sv(?:s\.|\.|ersus)\s", paragraph
        ):
            continue  # a caption line: "Anna MARSH, Appellant, v. …" sets surnames in capitals
        words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[A-Za-z][\w’'&-]*", paragraph)]
        for index, word in enumerate(words):
            if word.lower() in SMALL_WORDS or not any(c.isupper() for c in word[1:]):
                continue
            if word.isupper():
                neighbours = words[max(0, index - 1) : index] + words[index + 1 : index + 2]
                if len(word) > 5 or any(n.isupper() and len(n) > 1 for n in neighbours):
                    continue  # a shouted phrase in a sentence ("IT IS SO ORDERED"), not an acronym
            found.setdefault(word.lower(), word)
    return found


def proper_case(name: str, spelled: dict[str, str] | None = None) -> str:
    """A name as a reporter prints it: capitals made title case (words the document spells
    its own way kept so), a name already in mixed case left as written except for the
    surnames in capitals that case-law collections print ("Andrew COUTURE")."""
    spelled = spelled or {}
    if shouted(name):
        return title_case(name, spelled)
    words = []
    for word in name.split():
        bare = word.strip(",.")
        if bare.lower() in spelled:
            words.append(word.replace(bare, spelled[bare.lower()]))
        elif len(bare) > 3 and bare.isupper():
            words.append(title_case(word, spelled))
        else:
            words.append(word)
    return " ".join(words)


def shouted(text: str) -> bool:
    """Whether text is set in capitals (80% of its letters or more)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def title_case(text: str, spelled: dict[str, str] | None = None) -> str:
    """ "UNITED STATES DISTRICT COURT FOR THE NORTHERN DISTRICT" -> "United States District
    Court for the Northern District"; text that is not mostly capitals is left as written."""
    if not shouted(text):
        return text
    spelled = spelled or {}
    words = []
    for position, word in enumerate(text.split()):
        lower, bare = word.lower(), word.lower().strip(",.;:()")
        if position and lower in SMALL_WORDS:
            words.append(lower)
        elif bare in spelled:
            words.append(word.replace(word.strip(",.;:()"), spelled[bare]))
        elif any(c.isdigit() for c in word):
            words.append(word)  # "3M", "10-K"
        elif re.fullmatch(r"(?:[a-z]\.){2,}[,]?|(?:llc|llp|pllc|ii|iii|iv)[,.]?", lower):
            words.append(word.upper())
        elif re.fullmatch(r"[b-df-hj-np-tv-xz]{2,5}[,;:]?", lower):
            words.append(word.upper())  # a word without vowels is an acronym: "TCL", "CVS"
        elif re.fullmatch(r"ma?c[a-z]{3,}[,.]?", lower) and lower[:3] != "mac":
            words.append("Mc" + lower[2:].capitalize())  # "McCRIMMON" -> "McCrimmon"
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in lower.split("-")))
    return " ".join(words)


def is_role(text: str) -> bool:
    """ "Plaintiffs,", "Defendants—Appellees.", "et al.": a party's role, not its name."""
    return not PARTY_ROLE.sub("", text.strip()).strip(" ,;.—–-/")


def mostly_capitalised(words: list[str]) -> bool:
    """Whether 80% of the words that are not small words ("of", "the") are capitalised."""
    significant = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(significant) and sum(w[:1].isupper() for w in significant) >= 0.8 * len(significant)
