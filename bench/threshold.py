"""What the reader's refusal threshold trades: wrong answers against answerable questions
refused, per question set, from one evaluation run made with the threshold at 0.

    CASEFILE_READER_THRESHOLD=0 python -m bench.sets --out artifacts/eval-t0
    python -m bench.threshold artifacts/eval-t0

Each answer records the reader's confidence, and the answer given does not depend on the
threshold (only whether it is given), so every threshold can be scored from one run. The
threshold the assistant uses is calibrated on SQuAD 2.0 (training/scoring.py); this table
says how that choice fares on the case sets, side by side.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="the --out folder of a bench.sets run")
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
            cells.append(f"{100 * s['wrong']:.0f} / {100 * s['holds']:.0f} / {100 * s['refused']:.0f}")
        print(f"| {threshold:.2f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
