"""The desk read in a worker process, beside the ingest that embeds and stores the chunks.

Two reasons for a process of its own. The desk (the trained recogniser and parse, then the
patterns) is the costliest reading of a document after the embeddings; in a second process
it runs while the first reads the next pages and embeds, without sharing Python's lock. And a
document is untrusted input: a reading that runs past its time budget is stopped (the process
is ended, and a new one started for the next document), logged and left out, so one file can
never hang an ingest or a shared server.

A worker is `python -m ingest.desk_worker`, talking JSON lines over its standard input and
output (not `multiprocessing`, which would import the calling script again in the child).
Workers are kept for the next document, one document at a time each: an ingest reuses one;
two ingests at once (two uploads in the web app) use two.

>>> pending = submit_desk(doc_id, parsed, budget_s=60)  # returns at once
>>> ...                       # embed and store the chunks meanwhile
>>> desk = pending.result()   # None when over budget or failed: `pending.problem` says why
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from casefile.kernel.errors import ModelUnavailable
from casefile.kernel.records import Desk, ParsedDocument
from ingest.desk import from_json, read_desk, to_json

log = logging.getLogger(__name__)

OVER_BUDGET = "it ran past its time budget (CASEFILE_INGEST_DESK_BUDGET_S)"

# How long one document's desk may take: a fixed allowance (a new worker's start and model
# load) and a rate per character far above what the desk costs (about 0.02 s per 1,000
# characters on two cores, BENCHMARKS.md).
BASE_BUDGET_S = 60.0
BUDGET_S_PER_1K_CHARS = 0.5
# Never longer: a write waiting for its desk must not look abandoned to another process
# (vectorstore.store.STALE_WRITER_S, 15 minutes).
MAX_BUDGET_S = 600.0
# The folder that holds the `ingest` package: the worker imports from there, and never from
# the folder it is started in (which may be a case's untrusted documents).
PROJECT = Path(__file__).resolve().parent.parent


def budget_for(text: str, base_s: float = BASE_BUDGET_S) -> float:
    """Seconds the desk of `text` may take before it is stopped."""
    return min(base_s + BUDGET_S_PER_1K_CHARS * len(text) / 1000, max(base_s, MAX_BUDGET_S))


@dataclass
class PendingDesk:
    """A desk being read in a worker; `result()` waits for it within its budget."""

    worker: DeskWorker
    request: int
    name: str
    deadline: float
    problem: str = ""  # why there is no desk, once `result()` gave None
    over_budget: bool = False  # the reason was its time budget (not a failure to try again)
    pooled: bool = False  # the worker goes back to the pool once the desk is taken
    _done: bool = field(default=False, repr=False)
    _desk: Desk | None = field(default=None, repr=False)

    def result(self) -> Desk | None:
        """The desk, or None when its reading failed or ran past its budget (logged).
        Waits once, then frees the worker; later calls give the same answer."""
        if not self._done:
            try:
                self._desk, self.problem = self.worker.collect(self)
            finally:
                self._done = True
                if self.pooled:
                    _idle(self.worker)
            self.over_budget = self.problem == OVER_BUDGET
            if self.problem:
                log.warning("the desk of %s was not read: %s", self.name, self.problem)
        return self._desk

    def kept(self) -> Desk | None:
        """The desk to keep for the document: the one read; an unread one when it ran past
        its budget (so that nothing tries again); None when its reading failed otherwise
        (to be tried again later)."""
        desk = self.result()
        return Desk(read=False) if desk is None and self.over_budget else desk

    def cancel(self) -> None:
        """Give the desk up (its document was not stored): the worker is ended, not waited for."""
        if not self._done:
            self._done, self.problem = True, "cancelled"
            self.worker._stop()
            if self.pooled:
                _idle(self.worker)


class DeskWorker:
    """A process that reads desks one document at a time, ended when one runs too long."""

    # -P: the working folder is not put on the module path.
    COMMAND = (sys.executable, "-P", "-m", "ingest.desk_worker")

    def __init__(self, command: tuple[str, ...] = COMMAND) -> None:
        self.command = command
        self._process: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._requests = 0
        self.idle_since = 0.0  # when it last went back to the pool
        self.watched = False  # a timer will end it once idle for IDLE_S

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the process (and its model load) now, if it is not running."""
        if self.running:
            return
        self._stop()
        # The child imports Casefile from where this process does, and the rest from the
        # interpreter's own site packages; one core each for its numerical libraries, which
        # would otherwise spin on the embedder's.
        path = [str(PROJECT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(path),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        process = subprocess.Popen(
            list(self.command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=PROJECT,
            text=True,
            encoding="utf-8",
        )
        replies: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_read_replies, args=(process, replies), daemon=True).start()
        self._process, self._replies = process, replies

    def submit(
        self, doc_id: str, parsed: ParsedDocument, budget_s: float = BASE_BUDGET_S
    ) -> PendingDesk:
        """Start reading the desk of `parsed`; the worker is busy until its `result()`."""
        self.start()
        process = self._process
        if process is None or process.stdin is None:  # pragma: no cover - start() made it
            raise RuntimeError("the desk worker did not start")
        self._requests += 1
        message = {"request": self._requests, "doc_id": doc_id, "text": parsed.text}
        line = json.dumps({**message, "date": parsed.date}) + "\n"
        # Written beside: a long text fills the pipe until the worker reads it, which is
        # after its model has loaded; the budget below covers that wait too.
        threading.Thread(target=_send, args=(process, line), daemon=True).start()
        deadline = time.monotonic() + budget_for(parsed.text, budget_s)
        return PendingDesk(self, self._requests, parsed.title or doc_id, deadline)

    def collect(self, pending: PendingDesk) -> tuple[Desk | None, str]:
        """Wait for `pending` until its deadline: (the desk, "") or (None, why not)."""
        try:
            line = self._replies.get(timeout=max(0.0, pending.deadline - time.monotonic()))
        except queue.Empty:
            self._stop()
            return None, OVER_BUDGET
        if line is None:  # the worker died (killed, out of memory)
            self._stop()
            return None, "its worker stopped"
        try:
            reply = json.loads(line)
            if reply["request"] != pending.request:
                raise ValueError(f"request {reply['request']}, not {pending.request}")
            if reply["status"] != "ok":
                return None, str(reply["error"])
            return from_json(reply["desk"]), ""
        except (ValueError, KeyError, TypeError) as exc:  # a worker out of step: a new one
            self._stop()
            return None, f"its worker answered out of turn ({exc})"

    def close(self) -> None:
        if self._process is not None and self._process.stdin is not None:
            with contextlib.suppress(OSError):  # already gone
                self._process.stdin.close()
        self._stop(wait_s=2.0)

    def _stop(self, wait_s: float = 0.0) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait_s)
        if process.poll() is None:
            process.kill()
            process.wait(5.0)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def _send(process: subprocess.Popen[str], line: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # the worker was stopped meanwhile
        assert process.stdin is not None
        process.stdin.write(line)
        process.stdin.flush()


def _read_replies(process: subprocess.Popen[str], replies: queue.Queue[str | None]) -> None:
    assert process.stdout is not None
    with contextlib.suppress(OSError, ValueError):  # closed when the worker is stopped
        for line in process.stdout:
            replies.put(line)
    replies.put(None)


# A worker left idle this long is ended (it holds its model: about 300 MB); the next
# document starts a new one. An ingest keeps its worker busy from one file to the next.
IDLE_S = 120.0

_IDLE: list[DeskWorker] = []  # started and waiting for a document
_ALL: list[DeskWorker] = []
_GUARD = threading.Lock()


def _take() -> DeskWorker:
    with _GUARD:
        if _IDLE:
            return _IDLE.pop()
        worker = DeskWorker()
        if not _ALL:
            atexit.register(_close_all)
        _ALL.append(worker)
        return worker


def _idle(worker: DeskWorker) -> None:
    with _GUARD:
        _IDLE.append(worker)
        worker.idle_since = time.monotonic()
        if worker.watched:
            return
        worker.watched = True
    _watch(worker, IDLE_S)


def _watch(worker: DeskWorker, after_s: float) -> None:
    timer = threading.Timer(after_s, _retire, args=(worker,))
    timer.daemon = True
    timer.start()


def _retire(worker: DeskWorker) -> None:
    """End `worker` if it has been idle for IDLE_S; else look again when it could be."""
    with _GUARD:
        left = worker.idle_since + IDLE_S - time.monotonic()
        if worker not in _IDLE:  # busy: watched again when it is next idle
            worker.watched = False
            return
        if left > 0:
            _watch(worker, left)
            return
        _IDLE.remove(worker)
        _ALL.remove(worker)
    worker.close()


def _close_all() -> None:
    for worker in _ALL:
        worker.close()


def start_desk_worker() -> None:
    """Have a worker starting (its model loading) while the first document is read."""
    worker = _take()
    try:
        worker.start()
    finally:
        _idle(worker)


def submit_desk(
    doc_id: str, parsed: ParsedDocument, budget_s: float = BASE_BUDGET_S
) -> PendingDesk:
    """Start reading the desk of `parsed` in an idle worker (started if none is idle); call
    the answer's `result()` to take it, which frees the worker."""
    worker = _take()
    try:
        pending = worker.submit(doc_id, parsed, budget_s)
    except BaseException:
        _idle(worker)
        raise
    pending.pooled = True
    return pending


def _serve() -> None:
    """The worker: a request per line in, a reply per line out, until its input closes."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not break replies
    try:
        from ingest.nlp import pipeline

        pipeline()  # loaded (without PyTorch) before the first document arrives
    except ModelUnavailable as exc:
        log.warning("%s", exc)  # the desk is read without people (read_desk says so)
    for line in sys.stdin:
        message = json.loads(line)
        reply: dict[str, object] = {"request": message["request"]}
        try:
            desk = read_desk(message["doc_id"], message["text"], message["date"])
            reply |= {"status": "ok", "desk": to_json(desk)}
        except Exception as exc:  # noqa: BLE001 - any failure is reported, the worker goes on
            reply |= {"status": "error", "error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    _serve()
