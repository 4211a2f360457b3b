"""Two `bench.sets` runs side by side, per set: what a change won and lost.

    python -m bench.compare artifacts/eval-rules artifacts/eval-reader

Each cell is "before → after". Wrong answers are counted in questions (a reporter's figure),
the rest are percentages; a set present in only one run shows "–" for the other.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

# (summary key, label, as a count of questions rather than a share)
COLUMNS = (
    ("contains_answer", "answer holds the fact", False),
    ("wrong", "wrong answers", True),
    ("short_answer_rate", "short answer given", False),
    ("short_precision", "short answer right", False),
    ("answerable_refused", "answerable refused", False),
    ("hit_at_k", "hit@5", False),
    ("cited_page", "gold page cited", False),
    ("answer_auc", "confidence AUC", False),
)


def load(run: Path) -> dict[str, dict]:
    """Per set, the first model's summary metrics of a `bench.sets` output folder."""
    found = {}
    for summary in sorted(run.glob("*/summary.json")):
        models = json.loads(summary.read_text(encoding="utf-8"))["models"]
        found[summary.parent.name] = next(iter(models.values()))
    return found


def _cell(metrics: dict | None, key: str, count: bool) -> str:
    value = None if metrics is None else metrics.get(key)
    if value is None:
        return "–"
    if count:
        return f"{value}/{metrics['questions']}"
    return f"{100 * value:.1f}"


def table(before: dict[str, dict], after: dict[str, dict]) -> str:
    names = [*before, *(n for n in after if n not in before)]
    head = "| set | questions | " + " | ".join(label for _, label, _ in COLUMNS) + " |"
    rows = [head, "|" + "---|" * (len(COLUMNS) + 2)]
    for name in names:
        old, new = before.get(name), after.get(name)
        questions = (new or old or {}).get("questions", "")
        cells = [
            f"{_cell(old, key, count)} → {_cell(new, key, count)}" for key, _, count in COLUMNS
        ]
        rows.append(f"| {name} | {questions} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path, help="a bench.sets --out folder")
    parser.add_argument("after", type=Path, help="another bench.sets --out folder")
    args = parser.parse_args()
    print(table(load(args.before), load(args.after)))


if __name__ == "__main__":
    main()
