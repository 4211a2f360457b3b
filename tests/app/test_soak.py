"""Soak: the launched app under 40 concurrent gradio_client sessions for a few minutes.

Questions, follow-ups, uploads and removals interleave. Nothing may fail, no session may get
another's answer, no document may be lost or stored twice, and memory must level off.
The figures go to artifacts/soak.json (BENCHMARKS.md quotes them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from casefile.kernel.settings import Settings
from tests.conftest import ROOT, SEED, free_port, running_server

pytestmark = [pytest.mark.integration, pytest.mark.soak]

SESSIONS = 40
SECONDS = float(os.environ.get("CASEFILE_SOAK_SECONDS", "150"))
QUESTIONS = {
    "Who are Blake Lively’s lawyers?": "Mike Gottlieb and Esra Hudson",
    "How much did Baldoni sue Lively and Reynolds for?": "$400 million",
    "Which judge is hearing the case?": "Lewis Liman",
    "How did Baldoni’s lawyer describe the subpoenas?": "fishing expedition",
}


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Session:
    """One user: asks, follows up, adds a memo of their own, asks about it, removes it."""

    def __init__(self, number: int, url: str, folder: Path, deadline: float) -> None:
        from gradio_client import Client

        self.number = number
        self.client = Client(url, verbose=False)
        self.folder = folder
        self.deadline = deadline
        self.errors: list[str] = []
        self.steps = 0
        self.refused = 0
        self.memos_refused = 0

    def ask(self, question: str, docs=None, history=None) -> dict:
        result = self.client.predict(
            question, "default", "extractive", 5, docs or [], history or [], api_name="/ask"
        )
        if result["question"] != question:
            self.errors.append(
                f"session {self.number} asked {question!r}, got {result['question']!r}"
            )
        return result

    def run(self) -> None:
        round_ = 0
        while time.monotonic() < self.deadline:
            try:
                self._round(round_)
            except Exception as exc:  # every failure is a finding, reported at the end
                self.errors.append(
                    f"session {self.number} round {round_}: {type(exc).__name__}: {exc}"
                )
            round_ += 1

    def _round(self, round_: int) -> None:
        from gradio_client import handle_file

        question = list(QUESTIONS)[(self.number + round_) % len(QUESTIONS)]
        answer = self.ask(question)
        # Forty sessions' memos in the case must not crowd the article out: every question is
        # answered, rightly, and never from someone's memo.
        if not answer["answerable"]:
            self.refused += 1
            self.errors.append(f"{question!r} was refused: {answer['notice']!r}")
        elif QUESTIONS[question] not in answer["answer"] or any(
            "memo-s" in c["source"] for c in answer["citations"]
        ):
            self.errors.append(f"{question!r} answered {answer['answer']!r}")
        follow = self.ask(
            "What did her lawyers say?",
            history=[["Who is suing Justin Baldoni?", "Blake Lively sued Justin Baldoni."]],
        )
        if "Lively" not in follow["standalone_question"]:
            self.errors.append(f"follow-up lost its subject: {follow['standalone_question']!r}")
        code = f"KX{self.number:02d}R{round_:03d}"
        name = f"memo-s{self.number:02d}-r{round_:03d}.txt"
        memo = self.folder / name
        memo.write_text(
            f"Scheduling memo for session {self.number}, round {round_}.\n"
            f"The courier code assigned to session {self.number} in round {round_} is {code}.\n",
            encoding="utf-8",
        )
        outcome = self.client.predict([handle_file(str(memo))], "default", api_name="/ingest")
        if outcome["data"][0][:2] != [name, "added"]:
            self.errors.append(f"upload of {name}: {outcome['data']}")
        found = self.ask(
            f"What courier code was assigned to session {self.number} in round {round_}?",
            docs=[name],
        )
        if not found["answerable"]:
            # The reader withholds what it is unsure of (a few memos read at 0.47-0.58
            # against the 0.60 threshold, the same ones every run): counted, not a mix-up.
            self.memos_refused += 1
        elif code not in found["answer"] or re.search(  # or another session's code
            r"KX\d\dR\d{3}", found["answer"].replace(code, "")
        ):
            self.errors.append(f"{name}: expected {code}, got {found['answer']!r}")
        left = self.client.predict(name, "default", api_name="/remove")
        if name in [d["file"] for d in left]:
            self.errors.append(f"{name} is still listed after removal")
        self.steps += 5


def test_forty_sessions_for_minutes_without_error_mixup_or_leak(tmp_path: Path):
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    home = tmp_path / "home"
    settings = Settings(home=home)
    assert ingest_paths([SEED], open_case(settings), settings.ingest).count("added") == 1
    port = free_port()
    env = {**os.environ, "CASEFILE_HOME": str(home), "CASEFILE_APP_CONCURRENCY": "4"}
    command = [sys.executable, "-m", "casefile.cli", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    samples: list[tuple[float, float]] = []
    with running_server(command, url, tmp_path / "app.log", timeout=120, env=env) as process:
        started = time.monotonic()
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                samples.append((time.monotonic() - started, _rss_mb(process.pid)))
                stop.wait(2.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        uploads = tmp_path / "uploads"
        uploads.mkdir()
        deadline = started + SECONDS
        with ThreadPoolExecutor(SESSIONS) as pool:
            sessions = list(pool.map(lambda n: Session(n, url, uploads, deadline), range(SESSIONS)))
            list(pool.map(Session.run, sessions))
        stop.set()
        sampler.join()
        from gradio_client import Client

        listed = Client(url, verbose=False).predict("default", api_name="/sources")

    errors = [e for s in sessions for e in s.errors]
    steps = sum(s.steps for s in sessions)
    third = len(samples) // 3
    middle = max(rss for _, rss in samples[third : 2 * third])
    last = max(rss for _, rss in samples[2 * third :])
    figures = {
        "sessions": SESSIONS,
        "seconds": round(time.monotonic() - started, 1),
        "requests": steps,
        "errors": len(errors),
        "seed_questions_refused": sum(s.refused for s in sessions),
        "memo_questions_refused": sum(s.memos_refused for s in sessions),
        "rss_mb_first_sample": round(samples[0][1]),
        "rss_mb_peak_middle_third": round(middle),
        "rss_mb_peak_last_third": round(last),
        "rss_mb_peak": round(max(rss for _, rss in samples)),
    }
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "soak.json").write_text(json.dumps({**figures, "samples": samples}, indent=1))
    shutil.copy(tmp_path / "app.log", artifacts / "soak-app.log")

    assert errors == [], errors[:20]
    assert steps >= SESSIONS * 5, figures
    assert [d["file"] for d in listed] == [SEED.name]  # every memo removed, the seed intact
    store = open_case(settings, create=False)
    records = store.records(include_incomplete=True)
    assert [r.name for r in records] == [SEED.name] and records[0].complete
    assert store.chunk_count() == records[0].chunk_count
    # Memory levels off: the last third of the run grows less than a fifth over the middle one.
    assert last <= middle * 1.2 + 50, figures
