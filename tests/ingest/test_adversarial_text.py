"""Documents are untrusted: no reading of their text may cost more than in proportion to its
length. Every reading that runs patterns over a whole document is fed long hostile lines
(thousands of capitals, commas, honorifics, citations, quotation marks, no sentence end) at
two lengths, and its CPU time must grow about as the text does: a pattern that backtracks
over the whole line grows with its square (64 times for 8 times the text).

The bound is a ratio of CPU times of the same function, not a limit in seconds. Each reading
is measured in a process of its own, so that one that backtracks without end fails the test
(named) instead of hanging it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.injection import instruction_spans
from casefile.kernel.errors import EmptyDocument
from casefile.kernel.records import ParsedDocument
from casefile.kernel.text import MAX_SENTENCE_CHARS, short_line_runs, split_sentences
from ingest.chunking import chunk_document
from ingest.citations import cited_parties, spans
from ingest.legal import stated
from ingest.loaders import parse_document
from ingest.quotes import find_quotations

# Units repeated into one line without a sentence end, each the shape of some pattern's
# worst case: runs of capitals and names, lists, titles, citations, open quotations.
HOSTILE = {
    "capitals": "ABCDEF GHIJ ",
    "names": "Smith Jones ",
    "commas": "Smith, ",
    "honorifics": "Mr. Hon. Judge ",
    "citations": "Smith v. Jones, 12 F.3d 4, 5 (9th Cir. 2001); ",
    "open quotations": "“a ",
    "parentheses": "(a ",
    "figures": "12, $1,000 § 3 ",
    "roles": "Counsel for Plaintiff United States District Judge ",
    # A contract's shouted boilerplate: "... EITHER PARTY OR ITS OFFICERS, DIRECTORS, OR ..."
    "shouted lists": "OFFICERS, DIRECTORS OR EMPLOYEES, ",
    "short lines": "Smith\n",
    "spaces": " " * 7,
}
SHORT, LONG = 6_000, 48_000  # characters; linear costs grow 8 times, quadratic ones 64
MOST_GROWTH = 24
HUNG_S = 300  # a reading still running after this long is taken to backtrack without end


def _read_file(name: str, data: str) -> ParsedDocument | None:
    try:
        return parse_document(Path(name), data.encode())
    except EmptyDocument:  # a line of capitals is a heading, dropped: nothing left is a fine end
        return None


def _chunks(text: str) -> object:
    parsed = _read_file("hostile.txt", text)
    return chunk_document(parsed, "d", 700, 100) if parsed else None


READINGS: dict[str, Callable[[str], object]] = {
    "sentences": split_sentences,
    "short line runs": short_line_runs,
    "stated roles and rulings": stated,
    "citations": spans,
    "cited parties": cited_parties,
    "quotations": find_quotations,
    "instructions to a model": instruction_spans,
    "text file": lambda text: _read_file("hostile.txt", text),
    "HTML file": lambda text: _read_file("hostile.html", f"<p>{text}</p>"),
    "chunks": _chunks,
}


def _cpu_seconds(read: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        read(text)
        best = min(best, time.process_time() - started)
    return max(best, 1e-3)  # below the clock's grain, a ratio means nothing


def _hostile(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def growth(reading: str) -> dict[str, float]:
    """How much the CPU time of `reading` grows from SHORT to LONG hostile text, per unit."""
    if reading == "desk":
        from ingest.desk import read_desk

        read: Callable[[str], object] = lambda text: read_desk("d", text, None)  # noqa: E731
    else:
        read = READINGS[reading]
    return {
        name: _cpu_seconds(read, _hostile(unit, LONG)) / _cpu_seconds(read, _hostile(unit, SHORT))
        for name, unit in HOSTILE.items()
    }


def _growth_in_a_process(reading: str) -> dict[str, float]:
    probe = f"import json; from {__name__} import growth; print(json.dumps(growth({reading!r})))"
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=HUNG_S
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{reading}: still reading hostile text after {HUNG_S} s")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("reading", READINGS)
def test_reading_hostile_lines_costs_in_proportion_to_their_length(reading):
    grew = _growth_in_a_process(reading)
    worst = max(grew, key=grew.__getitem__)
    assert grew[worst] < MOST_GROWTH, f"{reading} on {worst}: {grew[worst]:.0f}x for 8x the text"


@pytest.mark.integration
def test_the_desk_reads_hostile_lines_in_proportion_to_their_length():
    grew = _growth_in_a_process("desk")
    worst = max(grew, key=grew.__getitem__)
    assert grew[worst] < MOST_GROWTH, f"the desk on {worst}: {grew[worst]:.0f}x for 8x the text"


def test_a_line_without_a_sentence_end_is_read_in_bounded_pieces():
    text = _hostile("Smith, ", 20_000)
    pieces = split_sentences(text)
    assert len(pieces) > 10
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in pieces)
    assert all(text[s:e].endswith(",") for s, e in pieces[:-1])  # cut after a comma
    assert "".join(text[s:e] for s, e in pieces).replace(" ", "") == text.replace(" ", "")


def test_a_long_column_of_short_lines_is_read_as_overlapping_windows():
    lines = [f"Line {n}" for n in range(100)]
    text = "\n".join(lines)
    runs = short_line_runs(text)
    assert len(runs) > 1
    # A four-line block anywhere in the column lies whole in one window.
    for first in range(0, 96):
        block_start = text.index(lines[first])
        block_end = text.index(lines[first + 3]) + len(lines[first + 3])
        assert any(s <= block_start and block_end <= e for s, e in runs), lines[first]
