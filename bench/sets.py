"""Answer quality on every question set at once: the check to run after any change.

    python -m bench.sets                       # every set present, the default model
    python -m bench.sets --sets demo,court_dev
    python -m bench.sets --model local --out artifacts/eval

Each set is ingested into its own case under `--home` (kept between runs, so only changed
files are read again) and scored with `casefile eval`; the per-set table goes to the screen
and to OUT/sets.md. A set whose documents are missing (../shared/eval absent) is skipped.
Rules must help across the sets together: a change that gains on one and loses on another
is not an improvement.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import COURT_PDFS, PDFS, POLICYQA, ROOT, SHARED


@dataclass(frozen=True)
class QuestionSet:
    name: str
    documents: list[Path]  # what to ingest (empty: the questions bring their own, --squad)
    questions: Path
    case: str = ""  # the case to ask in, when another set's (default: the set's own)

    def present(self) -> bool:
        return self.questions.exists() and all(p.exists() for p in self.documents)


SETS = [
    QuestionSet("demo", [ROOT / "seeds"], ROOT / "examples" / "seed_questions.jsonl"),
    QuestionSet("fresh", [ROOT / "seeds"], ROOT / "examples" / "seed_questions_fresh.jsonl"),
    QuestionSet("court_dev", [COURT_PDFS], SHARED / "court_dev" / "questions.jsonl"),
    QuestionSet(
        "court_dev2", [SHARED / "court_dev2" / "corpus"], SHARED / "court_dev2" / "questions.jsonl"
    ),
    QuestionSet(
        "court_dev2_followups",
        [SHARED / "court_dev2" / "corpus"],
        ROOT / "bench" / "questions" / "court_dev2_followups.jsonl",
        case="court_dev2",
    ),
    QuestionSet(
        "finance_dev",
        [SHARED / "finance_dev" / "corpus"],
        SHARED / "finance_dev" / "questions.jsonl",
    ),
    QuestionSet("sec", [PDFS], ROOT / "bench" / "questions" / "sec_filings.jsonl"),
    QuestionSet("policyqa", [], POLICYQA),
]
COLUMNS = [
    ("hit_at_k", "hit@5"),
    ("contains_answer", "contains answer"),
    ("wrong_answers", "wrong"),
    ("short_answer_rate", "short given"),
    ("short_precision", "short right"),
    ("cited_page", "cited page"),
    ("answerable_refused", "answerable refused"),
    ("refusal_recall", "refusal recall"),
    ("answer_auc", "AUC"),
    ("citation_precision", "citation precision"),
]


def run_set(question_set: QuestionSet, home: Path, out: Path, model: str, limit: int) -> dict:
    """Ingest the set's documents into its case and evaluate; the model's summary."""
    env = {**os.environ, "CASEFILE_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    cli = [sys.executable, "-m", "casefile.cli"]
    case = (question_set.case or question_set.name).replace("_", "-")
    target = out / question_set.name
    shutil.rmtree(target, ignore_errors=True)  # eval resumes what it finds: start afresh
    if question_set.documents:
        subprocess.run(
            [*cli, "ingest", *map(str, question_set.documents), "--case", case],
            env=env,
            check=False,  # a file that fails is reported by ingest; the set is still scored
            capture_output=True,
        )
        command = [*cli, "eval", str(question_set.questions), "--case", case]
    else:
        command = [*cli, "eval", "--squad", str(question_set.questions), "--limit", str(limit)]
    subprocess.run(
        [*command, "--out", str(target), "-m", model], env=env, check=True, capture_output=True
    )
    summary = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    return summary["models"][model]


SCORER = SHARED / "score_case.py"
# The shared scorer's figures (what the project is judged by), per set.
SCORER_COLUMNS = [
    ("hit@5", "hit@5"),
    ("answer_has_gold", "answer holds the fact"),
    ("wrong_answers", "wrong"),
    ("short_given", "short given"),
    ("short_precision", "short right"),
    ("cited_gold_page", "cited gold page"),
    ("refusal_correct", "refused right or answered"),
]


def shared_score(question_set: QuestionSet, out: Path, model: str) -> dict | None:
    """`../shared/eval/score_case.py` on the set's answers, when the scorer is present."""
    answers = out / question_set.name / "answers.jsonl"
    if not SCORER.exists() or not answers.exists() or not question_set.documents:
        return None
    found = subprocess.run(
        [sys.executable, str(SCORER), str(question_set.questions), str(answers), "5"],
        check=True,
        capture_output=True,
        text=True,
    )
    rows = [json.loads(line) for line in found.stdout.splitlines() if line.strip()]
    return next((r for r in rows if r.get("model") == model), None)


def scorer_table(scores: dict[str, dict]) -> str:
    head = "| set | " + " | ".join(label for _, label in SCORER_COLUMNS) + " |"
    rows = [head, "|" + "---|" * (len(SCORER_COLUMNS) + 1)]
    for name, score in scores.items():
        cells = []
        for key, _ in SCORER_COLUMNS:
            value = score.get(key)
            cells.append(f"{100 * value:.1f}" if isinstance(value, float) else str(value))
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def table(results: dict[str, dict]) -> str:
    head = "| set | questions | " + " | ".join(label for _, label in COLUMNS) + " |"
    rows = [head, "|" + "---|" * (len(COLUMNS) + 2)]
    for name, metrics in results.items():
        cells = [
            "–" if metrics.get(key) is None else f"{100 * metrics[key]:.1f}" for key, _ in COLUMNS
        ]
        rows.append(f"| {name} | {metrics.get('questions', '')} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", help="comma-separated names (default: every set present)")
    parser.add_argument("--model", default="extractive")
    parser.add_argument("--home", type=Path, default=ROOT / ".casefile-sets")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "eval")
    parser.add_argument("--policyqa", type=int, default=400, help="PolicyQA: first N questions")
    args = parser.parse_args()
    wanted = set(args.sets.split(",")) if args.sets else None
    results: dict[str, dict] = {}
    scores: dict[str, dict] = {}
    for question_set in SETS:
        if wanted is not None and question_set.name not in wanted:
            continue
        if not question_set.present():
            print(f"{question_set.name}: skipped (not found: ../shared/eval?)", file=sys.stderr)
            continue
        print(f"{question_set.name} ...", file=sys.stderr, flush=True)
        results[question_set.name] = run_set(
            question_set, args.home, args.out, args.model, args.policyqa
        )
        scored = shared_score(question_set, args.out, args.model)
        if scored is not None:
            scores[question_set.name] = scored
    markdown = table(results)
    if scores:
        markdown += "\n\nScored by ../shared/eval/score_case.py:\n\n" + scorer_table(scores)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "sets.md").write_text(markdown + "\n", encoding="utf-8")
    print(markdown)


if __name__ == "__main__":
    main()
