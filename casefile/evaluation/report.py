"""From scored answers to `summary.json`, `report.md`, `report.html` and their plots."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from casefile.evaluation.metrics import auc, average, percentile, refusal_metrics

STAGES = ("retrieve", "read", "generate", "verify", "total")

# (key in the summary, label in the report, shown as a percentage)
METRICS: list[tuple[str, str, bool]] = [
    ("hit_at_k", "hit@k", True),
    ("mrr", "MRR", False),
    ("span_recall", "span recall (chars)", True),
    ("span_precision", "span precision (chars)", True),
    ("exact_match", "exact match", True),
    ("f1", "token F1", True),
    ("contains_answer", "contains gold answer", True),
    ("cited_page", "cited page is the gold page", True),
    ("citation_recall", "citation recall", True),
    ("citation_precision", "citation precision", True),
    ("removed_share", "sentences removed as unsupported", True),
    ("refusal_precision", "refusal precision", True),
    ("refusal_recall", "refusal recall", True),
    ("answerable_refused", "answerable questions refused", True),
    ("wrong_answers", "wrong answers (of all questions)", True),
    ("short_answer_rate", "short answer given (of answered)", True),
    ("short_precision", "short answers holding a gold answer", True),
    ("answer_auc", "AUC of confidence, answerable vs not", False),
]
PLOTTED = [
    "hit_at_k", "mrr", "f1", "contains_answer", "citation_recall", "citation_precision",
    "refusal_precision", "refusal_recall",
]  # fmt: skip


def summarize(rows: Sequence[dict[str, Any]], models: Sequence[str]) -> dict[str, Any]:
    """Metrics per model over the rows of answers.jsonl (in `models` order)."""
    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_model[row["model"]].append(row)
    order = list(models) + sorted(set(by_model) - set(models))
    return {model: _model_summary(by_model[model]) for model in order if by_model[model]}


def _model_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    m = [row["metrics"] for row in rows]
    sentences = sum(x["sentences"] for x in m)
    removed = sum(x["removed_sentences"] for x in m)
    citations = sum(x["citations"] for x in m)
    latency = {}
    for stage in STAGES:
        values = [row["timings"][stage] for row in rows if stage in row.get("timings", {})]
        latency[stage] = {
            "n": len(values),
            "p50_ms": _ms(percentile(values, 50)),
            "p95_ms": _ms(percentile(values, 95)),
        }
    return {
        "questions": len(rows),
        "answered": sum(not x["refused"] for x in m),
        "refused": sum(x["refused"] for x in m),
        "with_gold_evidence": sum(x["hit"] is not None for x in m),
        "hit_at_k": average(x["hit"] for x in m),
        "mrr": average(x["rr"] for x in m),
        "span_recall": average(x["span_recall"] for x in m),
        "span_precision": average(x["span_precision"] for x in m),
        "exact_match": average(x["em"] for x in m),
        "f1": average(x["f1"] for x in m),
        "contains_answer": average(x["contains"] for x in m),
        "cited_page": average(x.get("cited_page") for x in m),
        "citation_recall": sum(x["supported_sentences"] for x in m) / sentences
        if sentences
        else None,
        "citation_precision": (
            sum(x["supporting_citations"] for x in m) / citations if citations else None
        ),
        "removed_share": removed / (sentences + removed) if sentences + removed else None,
        **refusal_metrics(
            (x["refused"], not row["answerable"]) for x, row in zip(m, rows, strict=True)
        ),
        **_wrong_and_short(m, rows),
        "latency": latency,
    }


def _wrong_and_short(m: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures a reporter cares about most: how often an answer is wrong, and how often
    a short answer leads and is right."""
    wrong = [x.get("wrong") for x in m if x.get("wrong") is not None]
    answered = [x for x in m if not x["refused"]]
    shorts = [x.get("short_correct") for x in answered if x.get("short_given")]
    judged = [s for s in shorts if s is not None]
    scored = [
        (x["confidence"], row["answerable"])
        for x, row in zip(m, rows, strict=True)
        if x.get("confidence") is not None
    ]
    return {
        "wrong": sum(wrong),
        "wrong_answers": sum(wrong) / len(m) if m and wrong else (0.0 if m else None),
        "short_answer_rate": len(shorts) / len(answered) if answered else None,
        "short_precision": sum(judged) / len(judged) if judged else None,
        "answer_auc": auc(scored),
    }


def _ms(seconds: float | None) -> float | None:
    return round(seconds * 1000, 1) if seconds is not None else None


def write_reports(
    out: Path,
    summary: dict[str, Any],
    rows: Sequence[dict[str, Any]],
    *,
    source: str,
    problems: Sequence[str],
) -> None:
    """summary.json, report.md and report.html (with PNG plots) in `out`."""
    (out / "summary.json").write_text(
        json.dumps(
            {"questions_file": source, "models": summary, "problems": list(problems)}, indent=2
        ),
        encoding="utf-8",
    )
    plots = _plots(out, summary, rows)
    (out / "report.md").write_text(_markdown(summary, source, problems, plots), encoding="utf-8")
    (out / "report.html").write_text(_html(summary, source, problems, plots), encoding="utf-8")


def _cell(value: Any, percent: bool) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}%" if percent else f"{value:.3f}"


def metric_rows(summary: dict[str, Any]) -> list[list[str]]:
    """The report's table: one row per metric, one column per model."""
    models = list(summary)
    rows = [["questions", *(str(summary[m]["questions"]) for m in models)]]
    rows.append(
        [
            "answered / refused",
            *(f"{summary[m]['answered']} / {summary[m]['refused']}" for m in models),
        ]
    )
    rows += [[label, *(_cell(summary[m][key], pct) for m in models)] for key, label, pct in METRICS]
    for stage in STAGES:
        rows.append(
            [
                f"latency {stage} p50 / p95 (ms)",
                *(_latency(summary[m]["latency"][stage]) for m in models),
            ]
        )
    return rows


def _latency(stage: dict[str, Any]) -> str:
    if not stage["n"]:
        return "–"
    return f"{stage['p50_ms']:.0f} / {stage['p95_ms']:.0f}"


def _markdown(
    summary: dict[str, Any], source: str, problems: Sequence[str], plots: list[str]
) -> str:
    models = list(summary)
    lines = [f"# Evaluation of `{source}`", "", "| metric | " + " | ".join(models) + " |"]
    lines.append("|---" * (len(models) + 1) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in metric_rows(summary)]
    lines.append("")
    lines += [f"![{name}]({name})" for name in plots]
    if problems:
        lines += ["", f"## Problems ({len(problems)})", ""]
        lines += [f"- {p}" for p in problems]
    return "\n".join(lines) + "\n"


def _html(summary: dict[str, Any], source: str, problems: Sequence[str], plots: list[str]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(m)}</th>" for m in summary)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>"
        for row in metric_rows(summary)
    )
    images = "".join(f'<img src="{e(name)}" alt="{e(name)}">' for name in plots)
    issues = "".join(f"<li>{e(p)}</li>" for p in problems)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Casefile evaluation</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
        "td:first-child{text-align:left}"
        "img{max-width:48%;margin:1em 1% 0 0}</style></head><body>"
        f"<h1>Evaluation of <code>{e(source)}</code></h1>"
        f"<table><tr><th>metric</th>{head}</tr>{body}</table>{images}"
        + (f"<h2>Problems ({len(problems)})</h2><ul>{issues}</ul>" if problems else "")
        + "</body></html>\n"
    )


def _plots(out: Path, summary: dict[str, Any], rows: Sequence[dict[str, Any]]) -> list[str]:
    """metrics.png (quality bars per model) and latency.png (answer latency distribution)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    models = list(summary)
    labels = {key: label for key, label, _ in METRICS}
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / max(len(models), 1)
    x = np.arange(len(PLOTTED))
    for i, model in enumerate(models):
        values = [summary[model][key] or 0.0 for key in PLOTTED]
        ax.bar(x + i * width, values, width, label=model)
    ax.set_xticks(
        x + width * (len(models) - 1) / 2, [labels[k] for k in PLOTTED], rotation=30, ha="right"
    )
    ax.set_ylim(0, 1)
    ax.set_title("Quality per model")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "metrics.png", dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 4))
    totals = [[row["timings"]["total"] * 1000 for row in rows if row["model"] == m] for m in models]
    ax.boxplot(totals, tick_labels=models, showfliers=True)
    ax.set_yscale("log")
    ax.set_ylabel("ms per answer (log scale)")
    ax.set_title("Answer latency, question to verified answer")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=100)
    plt.close(fig)
    return ["metrics.png", "latency.png"]
