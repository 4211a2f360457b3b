"""Ingestion into a real embedded Chroma, with fake embeddings to keep it quick."""

import shutil
from pathlib import Path

import pytest

from casefile.kernel.settings import IngestSettings
from ingest.pipeline import ingest_paths
from tests.conftest import SEED
from tests.documents import HTML_ARTICLE, write_docx, write_encrypted_pdf, write_pdf


@pytest.fixture
def case_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    (folder / "filings").mkdir(parents=True)
    shutil.copy(SEED, folder / "article.txt")
    (folder / "page.html").write_text(HTML_ARTICLE, encoding="utf-8")
    write_pdf(folder / "filings" / "order.pdf", ["The motion is granted.", "So ordered."])
    write_docx(folder / "filings" / "letter.docx", ["We write jointly about discovery."])
    return folder


def ingest(paths, store, **overrides):
    return ingest_paths(
        paths if isinstance(paths, list) else [paths], store, IngestSettings(**overrides)
    )


def stored_chunk_ids_by_doc(store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for chunk in store.chunks():
        counts[chunk.metadata["doc_id"]] = counts.get(chunk.metadata["doc_id"], 0) + 1
    return counts


def test_a_folder_is_walked_recursively_and_every_format_is_stored(case_folder, store):
    (case_folder / "notes.xyz").write_text("ignored")
    report = ingest(case_folder, store)
    assert report.count("added") == 4
    assert [o.path.name for o in report.outcomes if o.status == "skipped"] == ["notes.xyz"]
    assert sorted(r.kind for r in store.records()) == ["docx", "html", "pdf", "text"]
    assert store.chunk_count() == report.chunks_written


def test_every_stored_chunk_is_its_documents_text_between_its_offsets(case_folder, store):
    ingest(case_folder, store)
    for record in store.records():
        text = store.document_text(record.doc_id)
        chunks = store.chunks(record.doc_id)
        assert len(chunks) == record.chunk_count
        for chunk in chunks:
            meta = chunk.metadata
            assert text[meta["start"] : meta["end"]] == chunk.page_content
            assert meta["title"] == record.title
            if record.kind == "pdf":
                assert meta["page"] in (1, 2)


def test_reingesting_unchanged_files_adds_no_chunks(case_folder, store):
    first = ingest(case_folder, store)
    before = store.chunk_count()
    second = ingest(case_folder, store)
    assert second.count("unchanged") == first.count("added") == 4
    assert second.chunks_written == 0
    assert store.chunk_count() == before
    assert len(store.records()) == 4


def test_a_changed_file_replaces_its_old_chunks(tmp_path, store):
    path = tmp_path / "statement.txt"
    path.write_text("The first statement was short.", encoding="utf-8")
    old_id = ingest(path, store).outcomes[0].doc_id
    path.write_text("The corrected statement. It now has two sentences.", encoding="utf-8")
    report = ingest(path, store)
    assert report.outcomes[0].status == "updated"
    new_id = report.outcomes[0].doc_id
    assert [r.doc_id for r in store.records()] == [new_id]
    assert store.record(old_id) is None
    assert stored_chunk_ids_by_doc(store) == {new_id: 1}
    assert "corrected" in store.chunks()[0].page_content


def test_changing_chunk_settings_rechunks_unchanged_files(tmp_path, store):
    path = tmp_path / "article.txt"
    shutil.copy(SEED, path)
    ingest(path, store, chunk_size=700, chunk_overlap=100)
    coarse = store.chunk_count()
    report = ingest(path, store, chunk_size=300, chunk_overlap=50)
    assert report.outcomes[0].status == "updated"
    assert store.chunk_count() > coarse
    assert len(store.records()) == 1


def test_bad_files_fail_one_by_one_and_the_rest_is_ingested(case_folder, store):
    bad = case_folder / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "junk.pdf").write_bytes(bytes(range(256)) * 4)
    write_pdf(bad / "scan.pdf", [None])
    write_encrypted_pdf(bad / "sealed.pdf", write_pdf(case_folder / "plain.pdf", ["Sealed text."]))
    (bad / "big.txt").write_text("Long text. " * 200_000)
    report = ingest(case_folder, store, max_file_mb=1)
    reasons = {o.path.name: o.reason for o in report.failed}
    assert reasons == {
        "empty.txt": "empty file",
        "junk.pdf": "not a PDF (the file does not start with %PDF)",
        "scan.pdf": "no extractable text (scanned?)",
        "sealed.pdf": "encrypted PDF: it needs a password",
        "big.txt": "file is 2.1 MB, over the 1 MB limit (CASEFILE_INGEST_MAX_FILE_MB)",
    }
    assert report.count("added") == 5  # the four good files and plain.pdf


def test_an_interrupted_ingest_leaves_nothing_that_looks_complete(tmp_path, store, monkeypatch):
    path = tmp_path / "article.txt"
    shutil.copy(SEED, path)
    real_add = store._add_chunk_batch

    def crash(*args, **kwargs):
        real_add(*args, **kwargs)
        raise KeyboardInterrupt  # dies after the first batch reached Chroma

    monkeypatch.setattr("vectorstore.store.WRITE_BATCH", 4)
    monkeypatch.setattr(store, "_add_chunk_batch", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest(path, store)
    assert store.records() == []  # the half-written document is not listed
    monkeypatch.undo()

    report = ingest(path, store)
    assert report.repaired == [str(path.resolve())]
    assert report.outcomes[0].status == "added"
    record = store.records()[0]
    assert store.chunk_count() == record.chunk_count


def test_removing_a_document_removes_its_chunks_and_keyword_entries(case_folder, store):
    ingest(case_folder, store)
    assert store.keyword_index().search("Bryan Freedman fishing expedition", k=3)
    record = store.find("article.txt")
    store.delete_document(record.doc_id)
    assert record.doc_id not in stored_chunk_ids_by_doc(store)
    assert all(r.doc_id != record.doc_id for r in store.records())
    hits = store.keyword_index().search("Bryan Freedman fishing expedition", k=3)
    assert all(not h.chunk_id.startswith(record.doc_id) for h in hits)


class CountingEmbeddings:
    """Wraps an embedder and records every text it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        self.embedded.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_a_changed_document_re_embeds_only_its_changed_chunks(settings, fake_embeddings, tmp_path):
    from vectorstore.store import CaseStore, make_client

    counting = CountingEmbeddings(fake_embeddings)
    store = CaseStore(make_client(settings), "cache", counting)
    path = tmp_path / "article.txt"
    text = SEED.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = ingest(path, store)
    total = first.chunks_written
    assert first.chunks_embedded == len(counting.embedded) == total > 5

    counting.embedded.clear()
    last_line = text.rstrip().splitlines()[-1]
    path.write_text(
        text.replace(last_line, "Digital could not reach Baldoni's lawyer."), encoding="utf-8"
    )
    second = ingest(path, store)
    assert second.outcomes[0].status == "updated"
    assert 0 < second.chunks_embedded == len(counting.embedded) <= 2  # only the last chunk(s)
    assert all("could not reach" in t for t in counting.embedded)
    [record] = store.records()
    assert store.chunk_count() == record.chunk_count  # the old version is gone, nothing doubled
    # Reused vectors are the ones the text would get anyway.
    chunk = store.chunks(record.doc_id)[0]
    [(_, vector)] = store.chunks_by_id([chunk.id])
    assert vector == pytest.approx(fake_embeddings.embed_documents([chunk.page_content])[0])

    counting.embedded.clear()
    copy = tmp_path / "copy-with-title.txt"
    copy.write_text("A copy with a new first line.\n" + text, encoding="utf-8")
    ingest(copy, store)
    assert (
        len(counting.embedded) < total
    )  # chunks identical to the article's are not embedded again


class GatedEmbeddings(CountingEmbeddings):
    """Blocks inside embedding until released, to hold a write open at a known point."""

    def __init__(self, inner, gate_text: str):
        super().__init__(inner)
        import threading

        self.gate_text = gate_text
        self.entered = threading.Event()
        self.release = threading.Event()

    def embed_documents(self, texts):
        if any(self.gate_text in t for t in texts):
            self.entered.set()
            assert self.release.wait(30)
        return super().embed_documents(texts)


def test_an_ingest_never_deletes_a_document_another_session_is_writing(
    settings, fake_embeddings, tmp_path
):
    import threading

    from vectorstore.store import CaseStore, make_client

    gated = GatedEmbeddings(fake_embeddings, "slow upload")
    store = CaseStore(make_client(settings), "shared", gated)
    slow = tmp_path / "slow.txt"
    slow.write_text("This is the slow upload of a long filing.", encoding="utf-8")
    quick = tmp_path / "quick.txt"
    quick.write_text("A quick note from the clerk's office.", encoding="utf-8")

    writer = threading.Thread(target=lambda: ingest(slow, store))
    writer.start()
    assert gated.entered.wait(30)  # the slow document's record is written, its chunks are not
    other = ingest(quick, store)  # a second session's upload runs the clean-up meanwhile
    assert other.repaired == []
    gated.release.set()
    writer.join(30)

    assert sorted(r.name for r in store.records()) == ["quick.txt", "slow.txt"]
    assert store.chunk_count() == sum(r.chunk_count for r in store.records())


def test_a_record_left_by_a_dead_process_is_cleaned_up(settings, fake_embeddings, tmp_path):
    import socket

    from vectorstore.store import CaseStore, make_client

    store = CaseStore(make_client(settings), "dead", fake_embeddings)
    path = tmp_path / "article.txt"
    shutil.copy(SEED, path)
    ingest(path, store)
    record = store.records()[0]
    # As a killed process leaves it: incomplete, written by a pid that no longer runs.
    store._docs.update(
        ids=[record.doc_id],
        metadatas=[{"complete": False, "writer": f"{socket.gethostname()}:999999999:dead"}],
    )
    store._changed()  # as the writer does right after marking its record incomplete
    assert store.records() == []
    report = ingest(path, store)
    assert report.repaired == [str(path.resolve())]
    assert [r.doc_id for r in store.records()] == [record.doc_id]


def test_files_are_read_ahead_but_an_unchanged_one_is_never_parsed(tmp_path, store, monkeypatch):
    import ingest.pipeline as pipeline

    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(
            f"Memo {name}. " + SEED.read_text(encoding="utf-8"), encoding="utf-8"
        )
    (folder / "b.txt").write_bytes(b"\x00\x01\x02 binary")  # fails in its reading, ahead
    first = ingest(folder, store)
    assert [o.status for o in first.outcomes] == ["added", "failed", "added"]
    assert "binary" in first.outcomes[1].reason

    def parse_fails(path, *args, **kwargs):
        raise AssertionError(f"{path.name} parsed again")

    monkeypatch.setattr(pipeline, "parse_document", parse_fails)
    (folder / "b.txt").unlink()
    again = ingest(folder, store)
    assert [o.status for o in again.outcomes] == ["unchanged", "unchanged"]


def test_each_file_is_reported_once_its_record_and_desk_are_stored(case_folder, store):
    from ingest.desk import DESK

    reported = []

    def on_file(outcome):
        record = store.record(outcome.doc_id)
        reported.append((outcome.path.name, record.complete, store.extra(outcome.doc_id, DESK)))

    ingest_paths([case_folder], store, IngestSettings(), on_file=on_file)
    assert sorted(name for name, _, _ in reported) == [
        "article.txt",
        "letter.docx",
        "order.pdf",
        "page.html",
    ]
    assert all(complete and desk for _, complete, desk in reported)


def test_the_same_content_twice_in_one_batch_is_stored_once(tmp_path, store):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    shutil.copy(SEED, folder / "b.txt")
    report = ingest(folder, store)
    assert [o.status for o in report.outcomes] == ["added", "unchanged"]
    assert report.outcomes[1].reason == f"same content as {(folder / 'a.txt').resolve()}"
    assert len(store.records()) == 1
