"""`bench.compare`: two evaluation runs side by side, wrong answers as counts."""

from __future__ import annotations

import json

from bench.compare import load, table


def _run(folder, name, **metrics):
    (folder / name).mkdir(parents=True)
    summary = {"models": {"extractive": {"questions": 20, **metrics}}}
    (folder / name / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


def test_each_set_shows_before_and_after(tmp_path):
    _run(tmp_path / "rules", "court", contains_answer=0.5, wrong=6)
    _run(tmp_path / "reader", "court", contains_answer=0.75, wrong=2)
    _run(tmp_path / "reader", "news", contains_answer=1.0, wrong=0)
    rows = table(load(tmp_path / "rules"), load(tmp_path / "reader")).splitlines()
    court = next(r for r in rows if r.startswith("| court "))
    assert "50.0 → 75.0" in court
    assert "6/20 → 2/20" in court
    news = next(r for r in rows if r.startswith("| news "))
    assert "– → 100.0" in news
