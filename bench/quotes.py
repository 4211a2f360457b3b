"""Quote attribution of the reporter's desk, scored against quotations checked by hand.

    python -m bench.quotes                      # every set whose document is present
    python -m bench.quotes --sets st_pierre     # only the named sets
    python -m bench.quotes --quiet              # the table only, no error listing

Sets (gold lists in bench/quotes/, rules in bench/quotes/README.md): `demo_article`, the demo
news article in seeds/; `st_pierre`, a Fifth Circuit opinion in ../shared/eval/court_dev;
`tessera`, a district court's summary-judgment order, and `vinton`, a D.C. Circuit opinion,
both in ../shared/eval/court_dev2.
A set whose document is missing is skipped. Each document is ingested on its own into a
case under a temporary CASEFILE_HOME, and the desk's quotations (`CaseDesk.quotes()`) are
read back.

Gold quotations of one or two words (scare quotes, quoted terms) are left out of the score:
the desk does not list them, by design (`ingest.quotes.is_statement`); the count left out is
in the JSON as `short_not_listed`. A gold quotation is found by a system quotation whose
text contains the gold snippet. Both are compared without case, spacing or quote styles.
The system quotation must also overlap the gold span, so a short snippet ("Agent") is not
found inside some other quotation. If the stored text has changed and the gold offsets no
longer hold, the system quotation that starts nearest the gold offset is used instead, with
a warning. Each system quotation answers one gold quotation at most. A speaker is right
when, compared word by word without case, "Mr./Ms./Mrs." or a leading article, it contains
one of the gold's acceptable names or is contained in one. An empty system speaker is unresolved.

- detection recall: gold quotations found / gold quotations
- attribution precision: found quotations the system names a speaker for, share named right.
  A gold `null` with a named system speaker counts as wrong.
- attribution recall: gold quotations with a speaker, share found and named right
- extra: system quotations matching no gold quotation. "inside" means the extra lies within
  a gold quotation's span (a quotation split in pieces); "outside" means it does not.

Prints a Markdown table and every error. Written to artifacts/bench/quotes.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from bench.corpus import COURT_DEV2, COURT_PDFS, ROOT, ingested_alone  # noqa: E402
from ingest.quotes import is_statement  # noqa: E402

GOLD = ROOT / "bench" / "quotes"
OUT = ROOT / "artifacts" / "bench"
SETS = {
    "demo_article": ROOT / "seeds" / "000_dce03cdb09bb98a3.txt",
    "st_pierre": COURT_PDFS / "st_pierre_v_standard_insurance_ca5_2022_unpublished_opinion.pdf",
    "tessera": COURT_DEV2
    / "tessera_v_toshiba_ndcal_2019_order_summary_judgment_and_motion_to_strike.pdf",
    "vinton": COURT_DEV2 / "united_states_v_vinton_cadc_2010_opinion.pdf",
}
SHOWN_WORDS = 12  # quotations are shown (and written) by their first words only
HONORIFICS = frozenset({"mr", "ms", "mrs", "dr"})
ARTICLES = frozenset({"the", "a", "an"})


@dataclass(frozen=True)
class GoldQuote:
    snippet: str
    start: int
    end: int
    speaker: list[str] | None
    note: str = ""


@dataclass(frozen=True)
class SystemQuote:
    text: str
    speaker: str
    start: int
    end: int
    inferred: bool


@dataclass(frozen=True)
class Verdict:
    """One gold quotation against the system quotation matched to it (None: missed)."""

    gold: GoldQuote
    found: SystemQuote | None

    @property
    def named(self) -> bool:
        return self.found is not None and bool(self.found.speaker.strip())

    @property
    def right(self) -> bool:
        speaker = self.found.speaker if self.found else ""
        return bool(speaker.strip()) and same_speaker(speaker, self.gold.speaker)

    @property
    def kind(self) -> str:
        """ "right", "missed", "unresolved", "wrong", "named a null" or "left empty"."""
        if self.found is None:
            return "missed"
        if self.gold.speaker is None:
            return "named a null" if self.named else "left empty"
        if not self.named:
            return "unresolved"
        return "right" if self.right else "wrong"


# -- gold and system quotations ---------------------------------------------------------------


def load_gold(path: Path) -> list[GoldQuote]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [GoldQuote(**row) for row in rows]


def system_quotes(document: Path, home: Path) -> tuple[list[SystemQuote], str]:
    """The desk's quotations of `document`, ingested alone into a fresh case under `home`,
    and the document's text as stored (the offsets' reference)."""
    from assistant.desk import CaseDesk

    store, doc_id = ingested_alone(document, home, "quotes")
    quotes = [
        SystemQuote(
            row.quote.text,
            row.quote.speaker or "",
            row.quote.start,
            row.quote.end,
            row.quote.inferred,
        )
        for row in CaseDesk(store).quotes()
    ]
    return quotes, store.document_text(doc_id)


# -- matching ---------------------------------------------------------------------------------


def normal_text(text: str) -> str:
    """Without case, spacing, quote styles or the quotation's own marks."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().strip("\"'").strip().lower()


def snippet_of(quote: GoldQuote) -> str:
    return normal_text(quote.snippet).rstrip(" .,;:")


def offsets_hold(quote: GoldQuote, text: str) -> bool:
    """Whether the stored text still holds the gold snippet at the gold span."""
    return snippet_of(quote) in normal_text(text[quote.start : quote.end])


def match_quotes(gold: list[GoldQuote], found: list[SystemQuote], text: str) -> list[Verdict]:
    """Each gold quotation with the system quotation holding its snippet: one overlapping the
    gold span while the offsets hold, else (stored text changed) the one starting nearest."""
    used: set[int] = set()
    verdicts = []
    for quote in gold:
        anchored = offsets_hold(quote, text)
        candidates = [
            i
            for i, s in enumerate(found)
            if i not in used
            and snippet_of(quote) in normal_text(s.text)
            and (not anchored or (s.start < quote.end and quote.start < s.end))
        ]
        best = min(candidates, key=lambda i: _distance(found[i], quote.start), default=None)
        if best is not None:
            used.add(best)
        verdicts.append(Verdict(quote, found[best] if best is not None else None))
    return verdicts


def _distance(found: SystemQuote, offset: int) -> int:
    return 0 if found.start <= offset < found.end else abs(found.start - offset)


def name_words(name: str) -> list[str]:
    """ "Ms. Lively's lawyers" -> ["lively's", "lawyers"]."""
    words = re.findall(r"[\w']+", name.replace("’", "'").lower())
    words = [w for w in words if w not in HONORIFICS]
    while words and words[0] in ARTICLES:
        words = words[1:]
    return words


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return n > 0 and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def same_speaker(system: str, acceptable: list[str] | None) -> bool:
    """Whether `system` names one of the `acceptable` speakers (never right for a null)."""
    said = name_words(system)
    return any(
        _contains(said, gold) or _contains(gold, said) for gold in map(name_words, acceptable or [])
    )


def extras(verdicts: list[Verdict], found: list[SystemQuote]) -> list[dict[str, Any]]:
    """System quotations no gold quotation matched, each marked inside or outside gold spans."""
    matched = {id(v.found) for v in verdicts if v.found is not None}
    spans = [(v.gold.start, v.gold.end) for v in verdicts]
    return [
        {
            "text": shown(s.text),
            "speaker": s.speaker,
            "start": s.start,
            "where": "inside" if any(a <= s.start < b for a, b in spans) else "outside",
        }
        for s in found
        if id(s) not in matched
    ]


def shown(text: str) -> str:
    words = normal_text(text).split()
    return " ".join(words[:SHOWN_WORDS]) + (" …" if len(words) > SHOWN_WORDS else "")


# -- scores -----------------------------------------------------------------------------------


def counts(verdicts: list[Verdict], extra: int) -> dict[str, int]:
    return {
        "gold": len(verdicts),
        "found": sum(v.found is not None for v in verdicts),
        "named": sum(v.named for v in verdicts),
        "named_right": sum(v.right for v in verdicts),
        "gold_with_speaker": sum(v.gold.speaker is not None for v in verdicts),
        "gold_null": sum(v.gold.speaker is None for v in verdicts),
        "null_left_empty": sum(v.kind == "left empty" for v in verdicts),
        "extra": extra,
    }


def rates(c: dict[str, int]) -> dict[str, float | None]:
    def share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    return {
        "detection_recall": share(c["found"], c["gold"]),
        "attribution_precision": share(c["named_right"], c["named"]),
        "attribution_recall": share(c["named_right"], c["gold_with_speaker"]),
    }


def score_set(name: str, document: Path, home: Path) -> dict[str, Any]:
    gold = load_gold(GOLD / f"{name}.jsonl")
    found, text = system_quotes(document, home / name)
    stale = [q for q in gold if not offsets_hold(q, text)]
    if stale:
        print(
            f"{name}: {len(stale)} gold offsets no longer hold; nearest match used", file=sys.stderr
        )
    # One- and two-word quotations are not listed by design (ingest.quotes.is_statement).
    listed = [
        q for q in gold if is_statement(text[q.start : q.end] if q not in stale else q.snippet)
    ]
    verdicts = match_quotes(listed, found, text)
    extra = extras(verdicts, found)
    tally = counts(verdicts, len(extra))
    return {
        "document": document.name,
        "stale_offsets": len(stale),
        "short_not_listed": len(gold) - len(listed),
        "counts": tally,
        "rates": rates(tally),
        "errors": [error_row(v) for v in verdicts if v.kind not in ("right", "left empty")],
        "extras": extra,
    }


def error_row(verdict: Verdict) -> dict[str, Any]:
    found = verdict.found
    return {
        "kind": verdict.kind,
        "snippet": verdict.gold.snippet,
        "start": verdict.gold.start,
        "gold": verdict.gold.speaker,
        "system": found.speaker if found else None,
        "inferred": found.inferred if found else None,
        "system_text": shown(found.text) if found else None,
        "note": verdict.gold.note,
    }


def overall(results: dict[str, Any]) -> dict[str, Any]:
    keys = next(iter(results.values()))["counts"].keys()
    tally = {k: sum(r["counts"][k] for r in results.values()) for k in keys}
    return {"counts": tally, "rates": rates(tally)}


# -- output -----------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def table(results: dict[str, Any]) -> str:
    lines = [
        "| set | gold | detection recall | attribution precision | attribution recall "
        "| nulls left empty | extra detections |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = {**results["sets"], "overall": results["overall"]} if results["sets"] else {}
    for name, r in rows.items():
        c, p = r["counts"], r["rates"]
        lines.append(
            f"| {name} | {c['gold']} | {percent(p['detection_recall'])} ({c['found']}/{c['gold']}) "
            f"| {percent(p['attribution_precision'])} ({c['named_right']}/{c['named']}) "
            f"| {percent(p['attribution_recall'])} ({c['named_right']}/{c['gold_with_speaker']}) "
            f"| {c['null_left_empty']}/{c['gold_null']} | {c['extra']} |"
        )
    return "\n".join(lines)


def error_lines(name: str, result: dict[str, Any]) -> list[str]:
    lines = [f"\n### {name}: errors ({len(result['errors'])})"]
    for e in result["errors"]:
        gold = " | ".join(e["gold"]) if e["gold"] else "null"
        system = "—" if e["system"] is None else (e["system"] or "(empty)")
        lines.append(f"- [{e['kind']}] @{e['start']} “{e['snippet']}”")
        lines.append(
            f"  gold: {gold}  /  system: {system}" + (" (inferred)" if e["inferred"] else "")
        )
        if e["note"]:
            lines.append(f"  note: {e['note']}")
    lines.append(f"\n### {name}: extra detections ({len(result['extras'])})")
    for x in result["extras"]:
        lines.append(f"- [{x['where']}] @{x['start']} “{x['text']}” — {x['speaker'] or '(empty)'}")
    return lines


def report(results: dict[str, Any]) -> str:
    lines = [table(results)]
    for name, result in results["sets"].items():
        lines += error_lines(name, result)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", help=f"comma-separated names (default: {','.join(SETS)})")
    parser.add_argument("--work", help="CASEFILE_HOME to ingest into (default: a temporary one)")
    parser.add_argument("--quiet", action="store_true", help="print the table only")
    args = parser.parse_args()
    wanted = args.sets.split(",") if args.sets else list(SETS)
    unknown = [name for name in wanted if name not in SETS]
    if unknown:
        parser.error(f"unknown set(s): {', '.join(unknown)}; known: {', '.join(SETS)}")
    home = Path(args.work or tempfile.mkdtemp(prefix="casefile-quotes-"))
    results: dict[str, Any] = {"sets": {}}
    for name in wanted:
        if not SETS[name].exists():
            print(f"{name}: skipped, {SETS[name]} is missing", file=sys.stderr)
            continue
        results["sets"][name] = score_set(name, SETS[name], home)
    if results["sets"]:
        results["overall"] = overall(results["sets"])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "quotes.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    (OUT / "quotes.md").write_text(report(results))
    print(table(results) if args.quiet else report(results))


if __name__ == "__main__":
    main()
