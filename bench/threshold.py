"""What the reader's refusal threshold trades: wrong answers against answerable questions
refused, per question set, from one evaluation run made with the threshold at 0.

    CASEFILE_READER_THRESHOLD=0 python -m bench.sets --out artifacts/eval-t0
    python -m bench.threshold artifacts/eval-t0

Each answer records the reader's confidence, and the answer given barely depends on the
threshold (only whether it is given), so every threshold can be scored from one run. (A
court document's statement of a role or ruling answers first when the reader believes its
window answers, a separate threshold; `bench.sets` at the chosen threshold gives the exact
figures.) SQuAD 2.0's own choice (training/scoring.py) refused nearly every case question:
its unanswerable questions were written to fool a reader and its F1 rewards refusing.

    python -m bench.threshold artifacts/eval-t0 --write assistant/reader_model

chooses the threshold a reporter is best served by over the sets together, and stores it in
the model's reader.json: the one that maximises, averaged over the sets (each set counts
the same, whatever its size), the answers holding the fact minus WRONG_COST times the wrong
answers, per question. One number for every case, never one per set.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7)
# A wrong answer printed costs a reporter more than a question left open ("the documents
# don't say" is a usable answer; a wrong name beside a real quote is not).
WRONG_COST = 2.0


def scores(rows: list[dict], threshold: float) -> dict[str, float]:
    """Wrong answers (of all questions), answers holding the fact and answerable questions
    refused (of the answerable), were answers below `threshold` withheld."""
    wrong = holds = refused = answerable = 0
    for row in rows:
        metrics = row["metrics"]
        confidence = metrics.get("confidence")
        given = not metrics["refused"] and (confidence is None or confidence >= threshold)
        if row["answerable"]:
            answerable += 1
            refused += not given
            holds += bool(given and metrics.get("contains"))
        if given and metrics.get("wrong"):
            wrong += 1
    return {
        "wrong": wrong / max(1, len(rows)),
        "holds": holds / max(1, answerable),
        "refused": refused / max(1, answerable),
    }


def utility(rows: list[dict], threshold: float) -> float:
    """Per question: answers holding the fact, less WRONG_COST per wrong answer."""
    s = scores(rows, threshold)
    answerable = sum(1 for row in rows if row["answerable"])
    holds = s["holds"] * answerable
    return (holds - WRONG_COST * s["wrong"] * len(rows)) / max(1, len(rows))


def choose(sets: dict[str, list[dict]]) -> tuple[float, float]:
    """The threshold (in steps of 0.01) of best utility averaged over the sets, and that
    utility; the lowest such threshold when several tie."""
    best = (float("-inf"), 0.0)
    for step in range(0, 100):
        threshold = step / 100
        mean = sum(utility(rows, threshold) for rows in sets.values()) / max(1, len(sets))
        if mean > best[0] + 1e-9:
            best = (mean, threshold)
    return best[1], best[0]


def write(model: Path, threshold: float, value: float, sets: list[str]) -> None:
    path = model / "reader.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["threshold"] = threshold
    config.setdefault("calibration", {})["case_sets"] = {
        "rule": "the threshold that maximises, averaged over the question sets, the answers "
        f"holding the fact less {WRONG_COST:g} per wrong answer (bench/threshold.py)",
        "sets": sets,
        "threshold": threshold,
        "utility": round(value, 4),
    }
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="the --out folder of a bench.sets run")
    parser.add_argument(
        "--write", type=Path, metavar="MODEL", help="store the threshold in MODEL/reader.json"
    )
    args = parser.parse_args()
    sets = {
        path.parent.name: [json.loads(line) for line in path.read_text().splitlines() if line]
        for path in sorted(args.folder.glob("*/answers.jsonl"))
    }
    head = "| threshold | " + " | ".join(sets) + " |"
    print("wrong / holds the fact / answerable refused, % per set\n")
    print(head)
    print("|---" * (len(sets) + 1) + "|")
    for threshold in GRID:
        cells = []
        for rows in sets.values():
            s = scores(rows, threshold)
            wrong, holds, refused = (round(100 * s[key]) for key in ("wrong", "holds", "refused"))
            cells.append(f"{wrong} / {holds} / {refused}")
        print(f"| {threshold:.2f} | " + " | ".join(cells) + " |")
    threshold, value = choose(sets)
    print(
        f"\nbest over the sets together (holding the fact - {WRONG_COST:g} x wrong, per "
        f"question, averaged over the sets): threshold {threshold:.2f}, utility {value:.3f}"
    )
    if args.write:
        write(args.write, threshold, value, list(sets))
        print(f"stored in {args.write / 'reader.json'}")


if __name__ == "__main__":
    main()
