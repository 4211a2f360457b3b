"""The desk's worker process: the same desk as a reading in this process, and a document
whose reading hangs or kills its worker is left out, named with the reason, without stopping
the next one."""

from __future__ import annotations

import shutil
import sys
import time

import pytest

from casefile.kernel.records import ParsedDocument
from ingest.desk import DESK, from_json, read_desk
from ingest.desk_worker import DeskWorker, PendingDesk, submit_desk
from ingest.pipeline import ingest_paths
from tests.conftest import SEED

pytestmark = pytest.mark.integration

# Workers that read a request and then never answer, or die.
SILENT = (sys.executable, "-c", "import sys, time; sys.stdin.readline(); time.sleep(600)")
DYING = (sys.executable, "-c", "import sys; sys.stdin.readline(); sys.exit(3)")


def _document() -> ParsedDocument:
    return ParsedDocument(SEED.read_text(encoding="utf-8"), "text", "The article")


def test_the_worker_reads_the_same_desk_as_this_process():
    parsed = _document()
    desk = submit_desk("d1", parsed).result()
    assert desk == read_desk("d1", parsed.text, parsed.date)
    assert desk is not None and desk.quotes and desk.mentions


def test_a_desk_over_its_budget_is_left_out_and_its_worker_ended():
    worker = DeskWorker(SILENT)
    pending = worker.submit("d1", _document(), budget_s=0.5)
    process = worker._process
    assert pending.result() is None
    assert "time budget" in pending.problem
    assert process is not None and process.poll() is not None  # not left running
    assert not worker.running


def test_a_worker_that_dies_is_named_and_replaced_for_the_next_document():
    worker = DeskWorker(DYING)
    first = worker.submit("d1", _document())
    assert first.result() is None
    assert "stopped" in first.problem
    worker.command = DeskWorker.COMMAND  # the next document gets a working process
    second = worker.submit("d2", _document())
    assert second.result() is not None
    worker.close()


def test_an_ingest_whose_desk_fails_stores_the_document_and_says_so(
    tmp_path, store, settings, monkeypatch
):
    def silent_worker(doc_id, parsed, budget_s):
        return DeskWorker(SILENT).submit(doc_id, parsed, 0.5)

    monkeypatch.setattr("ingest.pipeline.submit_desk", silent_worker)
    path = tmp_path / "article.txt"
    shutil.copy(SEED, path)
    report = ingest_paths([path], store, settings.ingest)
    [outcome] = report.outcomes
    assert outcome.status == "added" and outcome.chunks > 0
    assert "quotes, people and timeline left out" in outcome.reason
    assert "time budget" in outcome.reason
    assert store.chunk_count() == outcome.chunks  # searchable all the same
    kept = from_json(store.extra(outcome.doc_id, DESK))
    assert not kept.read and not kept.quotes  # kept as unread: not tried again


def test_a_desk_whose_worker_dies_is_not_kept_so_it_is_read_again_later(
    tmp_path, store, settings, monkeypatch
):
    def dying_worker(doc_id, parsed, budget_s):
        return DeskWorker(DYING).submit(doc_id, parsed, budget_s)

    monkeypatch.setattr("ingest.pipeline.submit_desk", dying_worker)
    path = tmp_path / "article.txt"
    shutil.copy(SEED, path)
    [outcome] = ingest_paths([path], store, settings.ingest).outcomes
    assert outcome.status == "added" and "stopped" in outcome.reason
    assert store.extra(outcome.doc_id, DESK) is None
    monkeypatch.undo()
    from assistant.desk import CaseDesk

    assert CaseDesk(store).quotes()  # read now, in a working worker


def test_the_worker_never_imports_from_the_folder_it_is_started_in(tmp_path, monkeypatch):
    (tmp_path / "queue.py").write_text(
        f"open({str(tmp_path / 'ran')!r}, 'w').write('the folder's code ran')\n"
    )
    monkeypatch.chdir(tmp_path)
    worker = DeskWorker()
    assert worker.submit("d1", _document()).result() is not None
    worker.close()
    assert not (tmp_path / "ran").exists()


def test_result_can_be_asked_twice():
    pending: PendingDesk = submit_desk("d1", _document())
    assert pending.result() is pending.result()


def test_only_the_pools_workers_go_back_to_it():
    import ingest.desk_worker as desk_worker

    pooled = submit_desk("d1", _document())
    pooled.result()
    assert pooled.worker in desk_worker._IDLE
    alone = DeskWorker(SILENT)
    alone.submit("d1", _document(), budget_s=0.1).result()
    assert alone not in desk_worker._IDLE


def test_an_idle_worker_is_ended_and_the_next_document_starts_another(monkeypatch):
    import ingest.desk_worker as desk_worker

    monkeypatch.setattr(desk_worker, "IDLE_S", 0.5)
    monkeypatch.setattr(desk_worker, "_IDLE", [])  # a pool of its own, watched at 0.5 s
    first = submit_desk("d1", _document())
    assert first.result() is not None
    deadline = time.monotonic() + 30
    while first.worker.running and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not first.worker.running  # its process (and model) gone
    assert first.worker not in desk_worker._IDLE
    second = submit_desk("d2", _document())
    assert second.worker is not first.worker and second.result() is not None


def test_a_document_that_fails_to_store_gives_its_desk_up_and_the_next_is_read(
    tmp_path, store, settings, monkeypatch
):
    path = tmp_path / "article.txt"
    shutil.copy(SEED, path)
    real_write = store.write_document

    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "write_document", failing)
    [failed] = ingest_paths([path], store, settings.ingest).outcomes
    assert failed.status == "failed"
    monkeypatch.setattr(store, "write_document", real_write)
    [added] = ingest_paths([path], store, settings.ingest).outcomes
    assert added.status == "added" and not added.reason  # its desk read by a worker again
    assert from_json(store.extra(added.doc_id, DESK)).quotes
