"""Who appears in a court record, and as what, read from where filings print it: the
counsel block over the caption ("Michael W. Sobol (State Bar No. …) … Attorneys for
Plaintiff"), a transcript's appearances ("For the Defendant: GREG NICOLAYSEN"), the judge's
line ("THE HONORABLE JAMES V. SELNA, JUDGE PRESIDING") and the caption's parties ("DONALD M.
LUSNAK, … Plaintiff, v. BANK OF AMERICA, N.A., … Defendant.").

These blocks are set in capitals and in lines of their own, where the entity recogniser reads
little; their shape says what they are. Names set in capitals are given in title case.
Only the opening and the closing of a document are read (where captions and signatures are).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from casefile.kernel.records import RoleMention
from ingest.docket import caption_parties
from ingest.party_names import proper_case, shouted
from ingest.people import is_organisation

EDGE = 6_000  # characters read at each end of a document
BLOCK_LINES = 20  # the most lines a counsel block runs to
ROLE_REACH = 120  # how far after a party's name its role may be printed
# "Attorneys for Plaintiff and the Proposed Class", "Counsel for Defendants": ends a block.
_COUNSEL_FOR = re.compile(r"^\s*(?:Attorneys?|Counsel)\s+for\s+(?P<client>[^\n]{2,120}?)\s*$", re.I)
# "For the Plaintiff:", "FOR THE DEFENDANT:": opens a transcript's block of appearances.
_APPEARING_FOR = re.compile(
    r"^\s*(?:On\s+behalf\s+of|For)\s+(?P<client>the\s+[^\n:]{2,60}?):\s*$", re.I
)
_JUDGE = re.compile(
    r"\b(?:THE[ \t]+)?(?:HONORABLE|Honorable|HON\.|Hon\.)[ \t]+"
    r"(?P<name>[A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){1,4})"
)
_FIRM = re.compile(
    r"\b(?:LLP|L\.L\.P\.|LLC|P\.C\.|PLLC|P\.A\.|LAW\s+OFFICES?|LAW\s+GROUP|Law\s+Offices?)\b"
)
_LAWYER_WORDS = re.compile(r"\b(?:Attorney|Counsel|Defender|Prosecutor|Solicitor)\b", re.I)
# What a counsel line carries beside the name: "(State Bar No. 194857)", "(admitted pro hac
# vice)", an e-mail address.
_BESIDE_NAME = re.compile(r"\([^()\n]{0,60}\)|\S+@\S+|\bEsq\.?")
_NAME_WORD = re.compile(r"(?:[A-Z][a-zA-Z’'-]+|[A-Z]\.|Mc[A-Z][a-z]+|(?:Jr|Sr|II|III|IV)\.?)")
_NOT_A_NAME = re.compile(
    r"\b(?:Street|St\.|Avenue|Ave\.|Road|Suite|Floor|Boulevard|Blvd\.|Drive|Lane|Plaza|"
    r"Telephone|Facsimile|Fax|Courthouse|Court|California|District|Division|United|States|"
    r"Attorney|Counsel|Office|Chief|Deputy|Section|Department|Proceedings|Transcript)\b",
    re.I,
)
_PARTY_ROLE = re.compile(
    r"\b(?P<role>Plaintiffs?|Defendants?|Appellants?|Appellees?|Petitioners?|Respondents?)\b",
    re.I,
)


def appearances(doc_id: str, text: str) -> list[RoleMention]:
    """The judge, the lawyers (people and firms) and the parties a court record's caption,
    counsel blocks and appearances name, each where it is printed."""
    found: list[RoleMention] = []
    edges = [(0, text[:EDGE])]
    if len(text) > EDGE:
        edges.append((len(text) - EDGE, text[-EDGE:]))
    for offset, part in edges:
        found += _judges(doc_id, part, offset)
        found += _counsel(doc_id, part, offset)
    parties = list(_parties(doc_id, text[:EDGE]))
    found = [_for_party(role, parties) for role in found] + parties
    first: dict[tuple[str, str, str], RoleMention] = {}
    for role in found:  # a block printed again in the signature: its first place is enough
        first.setdefault((role.name, role.role, role.detail), role)
    return list(first.values())


def _for_party(role: RoleMention, parties: list[RoleMention]) -> RoleMention:
    """ "lawyer for Plaintiff and the Proposed Class" -> "lawyer for Donald M. Lusnak" when the
    caption names the plaintiff."""
    said = _PARTY_ROLE.search(role.detail)
    if role.role != "lawyer" or said is None:
        return role
    kind = said.group("role").rstrip("s").lower()
    named = [party.name for party in parties if party.detail == kind]
    return dataclasses.replace(role, detail=f"for {named[0]}") if len(named) == 1 else role


def _lines(text: str, offset: int) -> list[tuple[int, str]]:
    return [(offset + m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", text)]


def _judges(doc_id: str, text: str, offset: int) -> Iterator[RoleMention]:
    for match in _JUDGE.finditer(text):
        name = re.split(
            r",|\s+(?:JUDGE|Judge|UNITED|United|DISTRICT|District)\b", match.group("name")
        )[0]
        if len(name.split()) >= 2:
            start = offset + match.start("name")
            yield RoleMention(doc_id, start, start + len(name), person_case(name), "judge")


def _counsel(doc_id: str, text: str, offset: int) -> Iterator[RoleMention]:
    lines = _lines(text, offset)
    for index, (_, line) in enumerate(lines):
        below = _APPEARING_FOR.match(line)
        above = _COUNSEL_FOR.match(line)
        if below:
            block = _block(lines, index + 1, 1)
            client = below.group("client")
        elif above:
            block = _block(lines, index - 1, -1)
            client = above.group("client")
        else:
            continue
        yield from _lawyers(doc_id, block, proper_case(client.strip(" ,.;")))


def _block(lines: list[tuple[int, str]], first: int, step: int) -> list[tuple[int, str]]:
    """The lines of a counsel block from `first` on (down or up), to the next header or
    court line, at most BLOCK_LINES."""
    block = []
    index = first
    while 0 <= index < len(lines) and len(block) < BLOCK_LINES:
        line = lines[index][1]
        if _APPEARING_FOR.match(line) or _COUNSEL_FOR.match(line) or re.search(r"\bCOURT\b", line):
            break
        if _PARTY_ROLE.search(line):
            break  # the caption's parties ("Appellee", "Plaintiff,"): counsel are listed apart
        block.append(lines[index])
        index += step
    return block[::step]


def _lawyers(doc_id: str, block: list[tuple[int, str]], client: str) -> Iterator[RoleMention]:
    """The people and firms of a counsel block, each a lawyer for `client`."""
    joined: list[tuple[int, str]] = []
    for start, line in block:  # a firm's name wrapped over two lines ("HEIMANN &\nBERNSTEIN")
        if joined and joined[-1][1].rstrip().endswith("&"):
            joined[-1] = (joined[-1][0], f"{joined[-1][1].rstrip()} {line.strip()}")
        else:
            joined.append((start, line))
    for start, line in joined:
        firm = _FIRM.search(line)
        if firm:
            name = line[: firm.end()].strip(" ,")
            yield RoleMention(
                doc_id, start, start + len(name), proper_case(name), "lawyer", f"for {client}"
            )
            continue
        name = _person_name(line)
        if name:
            at = line.find(name)
            yield RoleMention(
                doc_id,
                start + at,
                start + at + len(name),
                person_case(name),
                "lawyer",
                f"for {client}",
            )


def _person_name(line: str) -> str | None:
    """The name on a line that is a person's (beside a bar number, an e-mail or a role after
    a comma), or None: an address, a telephone line or a role alone is not."""
    bare = _BESIDE_NAME.sub(" ", line)
    name = bare.split(",")[0].strip()
    words = name.split()
    if not 2 <= len(words) <= 5 or _NOT_A_NAME.search(name) or re.search(r"\d", bare):
        return None
    if is_organisation(name):
        return None  # "TRAVELERS INDEMNITY COMPANY": a party's name, not counsel's
    if not all(_NAME_WORD.fullmatch(word) for word in words):
        return None
    return name if name in line else None


def person_case(name: str) -> str:
    """A person's name set in capitals as printed in prose: "JAMES V. SELNA" -> "James V.
    Selna", "RICHARD D. McCUNE" -> "Richard D. McCune"; a name in mixed case as it is."""
    if not shouted(name):
        return name
    words = []
    for word in name.split():
        if re.fullmatch(r"[A-Z]\.?|(?:II|III|IV)\.?", word):
            words.append(word)
        elif re.fullmatch(r"MC[A-Z]{3,}", word.upper()) and word[:2].upper() == "MC":
            words.append("Mc" + word[2:].capitalize())
        else:
            words.append(re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), word))
    return " ".join(words)


def _parties(doc_id: str, opening: str) -> Iterator[RoleMention]:
    """The caption's parties with the role printed right after each ("Plaintiff,",
    "Defendant–Appellee."), before the next party; a party without one is just a party."""
    parties = caption_parties(opening.split("\n")[:60])
    if parties is None:
        return
    spans = []
    for name in parties:
        at = opening.upper().find(name.upper())
        spans.append((at, at + len(name), name))
    for index, (start, end, name) in enumerate(spans):
        if start < 0:
            continue
        later = [s for s, _, _ in spans[index + 1 :] if s > end]
        stop = min([end + ROLE_REACH, *later])
        after = _PARTY_ROLE.search(opening, end, stop)
        role = after.group("role").rstrip("s").lower() if after else ""
        yield RoleMention(doc_id, start, end, proper_case(name), "party", role)
