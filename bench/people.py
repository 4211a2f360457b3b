"""The desk's People rows, scored against people and roles listed by hand.

    python -m bench.people                  # every set whose document is present
    python -m bench.people --sets roh       # only the named sets
    python -m bench.people --quiet          # the table only

Sets (gold lists in bench/people/, rules in bench/people/README.md): `roh`, a change-of-plea
transcript, and `lusnak`, a motion for class certification, both in ../shared/eval/court_dev2.
A set whose document is missing is skipped. Each document is ingested on its own into a case
under a temporary CASEFILE_HOME and the desk's People rows (`CaseDesk.people()`) are read.

A row is right when its name, or one of the forms the desk merged into it, is one of the gold
entity's forms (its name or an alias), compared word by word without case, punctuation,
honorifics ("Mr.", "Judge", "Hon.") or a trailing footnote number; or when the shorter of the
two, of two words or more, is contained in the longer ("James Selna" in "James V. Selna").

- precision: rows that are a gold person or organisation / rows (the issue's "real people or
  organisations with the right name")
- recall: gold entities some row names / gold entities
- duplicates: rows beyond the first that name the same gold entity
- roles: gold judges, lawyers and parties whose row states that kind of role / those named
- opens: rows that cite a place in the document (a role or the first mention) / rows

Prints a Markdown table and, unless --quiet, the rows that are no gold entity, the gold
entities no row names and the roles missed. Written to artifacts/bench/people.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from bench.corpus import COURT_DEV2, ROOT, ingested_alone  # noqa: E402

GOLD = ROOT / "bench" / "people"
OUT = ROOT / "artifacts" / "bench"
SETS = {
    "roh": COURT_DEV2 / "united_states_v_roh_cacd_2019_change_of_plea_transcript.pdf",
    "lusnak": COURT_DEV2 / "lusnak_v_bank_of_america_cacd_2019_motion_for_class_certification.pdf",
}
HONORIFICS = frozenset(
    {"mr", "ms", "mrs", "dr", "judge", "hon", "honorable", "the", "justice", "magistrate"}
)
SCORED_ROLES = ("judge", "lawyer", "party")


@dataclass(frozen=True)
class GoldEntity:
    name: str
    aliases: list[str]
    kind: str
    role: str | None
    role_text: str | None
    first: int
    note: str = ""

    @property
    def forms(self) -> list[list[str]]:
        return [w for w in map(name_words, [self.name, *self.aliases]) if w]


@dataclass(frozen=True)
class Row:
    """A People row as the desk shows it."""

    name: str
    forms: list[str]
    roles: list[str]  # the kinds of role it states ("judge", "lawyer", …)
    role_words: str
    opens: bool


def name_words(name: str) -> list[str]:
    """ "Hon. James V. Selna1" -> ["james", "v", "selna"]."""
    words = re.findall(r"[a-z]+", name.lower().replace("’", "'").replace("'s", ""))
    while words and words[0] in HONORIFICS:
        words = words[1:]
    return words


def same_entity(form: list[str], gold: list[str]) -> bool:
    if not form or not gold:
        return False
    if form == gold:
        return True
    shorter, longer = sorted((form, gold), key=len)
    return len(shorter) >= 2 and all(word in longer for word in shorter)


def entity_of(row: Row, gold: list[GoldEntity]) -> GoldEntity | None:
    forms = [w for w in map(name_words, [row.name, *row.forms]) if w]
    for entity in gold:
        if any(same_entity(form, g) for form in forms for g in entity.forms):
            return entity
    return None


def system_rows(document: Path, home: Path) -> list[Row]:
    """The desk's People rows of `document`, ingested alone into a fresh case under `home`."""
    from assistant.desk import CaseDesk, describe

    store, _ = ingested_alone(document, home, "people")
    return [
        Row(
            person.name,
            sorted(person.variants),
            sorted({role.role for role, _ in person.roles}),
            person.role_summary() or "; ".join(describe(role) for role, _ in person.roles),
            bool(person.roles) or person.first is not None,
        )
        for person in CaseDesk(store).people()
    ]


def score_set(name: str, document: Path, home: Path) -> dict[str, Any]:
    gold = [
        GoldEntity(**json.loads(line))
        for line in (GOLD / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows = system_rows(document, home / name)
    matched = [(row, entity_of(row, gold)) for row in rows]
    named = {entity.name for _, entity in matched if entity is not None}
    first_rows: dict[str, Row] = {}
    for row, entity in matched:
        if entity is not None:
            first_rows.setdefault(entity.name, row)
    roled = [e for e in gold if e.role in SCORED_ROLES and e.name in named]
    right_roles = [
        e
        for e in roled
        if any(e.role in row.roles for row, m in matched if m is not None and m.name == e.name)
    ]
    counts = {
        "rows": len(rows),
        "rows_right": sum(entity is not None for _, entity in matched),
        "gold": len(gold),
        "gold_named": len(named),
        "duplicates": sum(entity is not None for _, entity in matched) - len(named),
        "roles_named": len(roled),
        "roles_right": len(right_roles),
        "opens": sum(row.opens for row in rows),
    }
    return {
        "document": document.name,
        "counts": counts,
        "not_gold": [row.name for row, entity in matched if entity is None],
        "missed": [e.name for e in gold if e.name not in named],
        "roles_missed": [
            f"{e.name} ({e.role}; row says: {first_rows[e.name].role_words or 'no role'})"
            for e in roled
            if e not in right_roles
        ],
    }


def share(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part}/{whole})" if whole else "–"


def table(results: dict[str, Any]) -> str:
    lines = [
        "| set | rows | precision | recall | duplicates | roles (judge, lawyer, party) | opens |",
        "|---|---|---|---|---|---|---|",
    ]
    totals: dict[str, int] = {}
    for name, result in results.items():
        c = result["counts"]
        for key, value in c.items():
            totals[key] = totals.get(key, 0) + value
        lines.append(_line(name, c))
    if len(results) > 1:
        lines.append(_line("overall", totals))
    return "\n".join(lines)


def _line(name: str, c: dict[str, int]) -> str:
    return (
        f"| {name} | {c['rows']} | {share(c['rows_right'], c['rows'])} | "
        f"{share(c['gold_named'], c['gold'])} | {c['duplicates']} | "
        f"{share(c['roles_right'], c['roles_named'])} | {share(c['opens'], c['rows'])} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", help="comma-separated set names (default: all present)")
    parser.add_argument("--quiet", action="store_true", help="print the table only")
    args = parser.parse_args()
    names = args.sets.split(",") if args.sets else list(SETS)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="casefile-people-") as home:
        for name in names:
            if not SETS[name].exists():
                print(f"{name}: {SETS[name]} is not present; skipped")
                continue
            results[name] = score_set(name, SETS[name], Path(home))
    if not results:
        print("no set present")
        return
    report = table(results)
    print(report)
    if not args.quiet:
        for name, result in results.items():
            print(f"\n### {name}")
            print("rows that are no gold entity:", "; ".join(result["not_gold"]) or "none")
            print("gold entities no row names:", "; ".join(result["missed"]) or "none")
            print("roles missed:", "; ".join(result["roles_missed"]) or "none")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "people.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    (OUT / "people.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
