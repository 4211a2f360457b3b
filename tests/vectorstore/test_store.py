import pytest

from casefile.kernel.errors import CaseNotFound, DocumentNotFound
from casefile.kernel.settings import IngestSettings
from ingest.pipeline import ingest_paths
from tests.conftest import SEED
from vectorstore.store import CaseStore, list_cases, make_client


def test_cases_are_separate_collections(settings, fake_embeddings, tmp_path):
    client = make_client(settings)
    smith = CaseStore(client, "smith", fake_embeddings)
    jones = CaseStore(client, "jones-v-doe", fake_embeddings)
    ingest_paths([SEED], smith, IngestSettings())
    assert list_cases(client) == ["jones-v-doe", "smith"]
    assert len(smith.records()) == 1
    assert jones.records() == [] and jones.chunk_count() == 0


def test_opening_a_missing_case_without_create_names_it(settings, fake_embeddings):
    with pytest.raises(CaseNotFound, match="no case named 'nope'"):
        CaseStore(make_client(settings), "nope", fake_embeddings, create=False)


def test_invalid_case_names_are_refused(settings, fake_embeddings):
    with pytest.raises(ValueError, match="case name 'Bad Name!' is not valid"):
        CaseStore(make_client(settings), "Bad Name!", fake_embeddings)


def test_documents_are_found_by_id_prefix_name_or_source(store, tmp_path):
    ingest_paths([SEED], store, IngestSettings())
    record = store.records()[0]
    assert store.find(record.doc_id) == record
    assert store.find(record.doc_id[:8]) == record
    assert store.find(SEED.name) == record
    assert store.find(str(SEED.resolve())) == record
    with pytest.raises(DocumentNotFound, match="no document named 'missing.pdf'"):
        store.find("missing.pdf")


def test_data_survives_reopening_the_embedded_store(settings, fake_embeddings):
    ingest_paths([SEED], CaseStore(make_client(settings), "c", fake_embeddings), IngestSettings())
    reopened = CaseStore(make_client(settings), "c", fake_embeddings, create=False)
    assert len(reopened.records()) == 1
    assert reopened.chunk_count() == reopened.records()[0].chunk_count


def test_keyword_index_finds_exact_names_and_numbers(store):
    ingest_paths([SEED], store, IngestSettings())
    hits = store.keyword_index().search("$400 million", k=2)
    assert "$400 million" in store.chunks_by_id([hits[0].chunk_id])[0][0].page_content


def test_the_keyword_index_is_kept_beside_the_case_not_rebuilt(settings, fake_embeddings):
    folder = settings.case_dir("kept")
    writer = CaseStore(make_client(settings), "kept", fake_embeddings, folder=folder)
    ingest_paths([SEED], writer, IngestSettings())
    reader = CaseStore(make_client(settings), "kept", fake_embeddings, folder=folder)
    index = reader._keyword_index()  # opened, not levelled with Chroma
    assert index.doc_ids() == {r.doc_id for r in reader.records()}
    assert len(index) == reader.chunk_count()


def test_a_rewrite_that_fails_leaves_no_old_chunks_in_the_keyword_index(store, monkeypatch):
    from ingest.chunking import chunk_document
    from ingest.loaders import parse_document

    ingest_paths([SEED], store, IngestSettings())
    [record] = store.records()
    assert store.keyword_search("Freedman", k=3)
    chunks = chunk_document(parse_document(SEED, SEED.read_bytes()), record.doc_id, 500, 80)

    def broken(*args, **kwargs):
        raise RuntimeError("embedder gone")

    monkeypatch.setattr(store, "_add_chunk_batch", broken)
    with pytest.raises(RuntimeError):  # a new chunker's rewrite of the same file dies
        store.write_document(record, store.document_text(record.doc_id), chunks, chunker="v2")
    assert not store.record(record.doc_id).complete
    assert store._keyword_index().search("Freedman", k=3) == []


def test_large_cases_are_read_a_page_at_a_time(store, monkeypatch):
    # One query for every chunk of a 50,000-chunk case overflows SQLite's variable limit.
    ingest_paths([SEED], store, IngestSettings())
    everything = store.chunks()
    monkeypatch.setattr("vectorstore.store.READ_PAGE", 3)
    assert [d.id for d in store.chunks()] == [d.id for d in everything]
    store._keyword = None  # a store that must level a new, empty index with Chroma
    assert len(store.keyword_index()) == len(everything) == store.chunk_count()


def test_documents_added_by_another_process_reach_the_keyword_index(
    settings, fake_embeddings, monkeypatch, tmp_path
):
    client = make_client(settings)
    app = CaseStore(client, "shared", fake_embeddings)
    cli = CaseStore(client, "shared", fake_embeddings)  # another process, as far as `app` knows
    ingest_paths([SEED], app, IngestSettings())
    assert app.keyword_search("Freedman", k=1)
    other = tmp_path / "order.txt"
    other.write_text("The court orders the xylophone records produced by Friday.\n" * 3)
    ingest_paths([other], cli, IngestSettings())
    monkeypatch.setattr("vectorstore.store.KEYWORD_RECHECK_S", 0.0)
    assert app.keyword_search("xylophone", k=1)
    cli.delete_document(cli.find("order.txt").doc_id)  # and a removal by the other is seen too
    assert app.keyword_search("xylophone", k=1) == []


def test_a_chunk_removed_while_it_is_searched_is_left_out_not_an_error(store, monkeypatch):
    """Chroma can find a vector and then not find its record, when another writer removes
    the document in between (the soak test's 40 sessions hit it)."""
    found = {
        "ids": [["kept", "gone"]],
        "documents": [["The motion is denied.", None]],
        "metadatas": [[{"doc_id": "d1"}, None]],
        "distances": [[0.1, 0.2]],
    }
    monkeypatch.setattr(store._chunks, "query", lambda **kwargs: found)
    results = store.dense_search([0.0] * 8, 5)
    assert [(doc.id, doc.page_content) for doc, _ in results] == [("kept", "The motion is denied.")]


def _nothing_listed(store, monkeypatch):
    """Make any listing of the case's whole registry fail the test."""

    def listed(**kwargs):
        raise AssertionError("the case's registry was listed")

    monkeypatch.setattr(store, "_listed_records", listed)


def test_a_question_in_another_process_reads_the_register_not_the_whole_registry(
    settings, fake_embeddings, monkeypatch, tmp_path
):
    client, folder = make_client(settings), settings.case_dir("big")
    cli = CaseStore(client, "big", fake_embeddings, folder=folder)
    ingest_paths([SEED], cli, IngestSettings())  # which keeps the register, as of its end
    listed = cli.records()
    app = CaseStore(client, "big", fake_embeddings, folder=folder)  # another process
    with monkeypatch.context() as patch:
        _nothing_listed(app, patch)
        assert app.records() == listed
        monkeypatch.setattr("vectorstore.store.KEYWORD_RECHECK_S", 0.0)
        assert app.keyword_search("Freedman", k=1)
        assert app.keyword_search("Freedman", k=1)
    other = tmp_path / "order.txt"
    other.write_text("The court orders the xylophone records produced by Friday.\n" * 3)
    ingest_paths([other], cli, IngestSettings())
    assert {r.name for r in app.records()} == {SEED.name, "order.txt"}  # a write is seen
    assert app.keyword_search("xylophone", k=1)
    cli.delete_document(cli.find("order.txt").doc_id)
    assert [r.name for r in app.records()] == [SEED.name]  # and so is a removal
    assert app.keyword_search("xylophone", k=1) == []


def test_a_register_made_before_a_write_is_not_trusted(settings, fake_embeddings, tmp_path):
    client = make_client(settings)
    store = CaseStore(client, "c", fake_embeddings)
    ingest_paths([SEED], store, IngestSettings())
    store.records()
    other = tmp_path / "memo.txt"
    other.write_text("A memo about the budget.\n")
    ingest_paths([other], CaseStore(client, "c", fake_embeddings), IngestSettings())
    assert len(store.records()) == 2
    assert len(CaseStore(client, "c", fake_embeddings).records()) == 2


def test_searching_named_documents_ranks_all_their_chunks(store, tmp_path, monkeypatch):
    notes = tmp_path / "notes.txt"
    notes.write_text("\n\n".join(f"Paragraph {i} of the notes on witness {i}." for i in range(40)))
    ingest_paths([SEED, notes], store, IngestSettings(chunk_size=120, chunk_overlap=0))
    named = store.find("notes.txt")
    wanted = store.chunks(named.doc_id)[7]
    query = store.embeddings.embed_query(wanted.page_content)
    exact = store.dense_search(query, 5, {named.doc_id})
    assert {doc.metadata["doc_id"] for doc, _ in exact} == {named.doc_id}
    assert exact[0][0].id == wanted.id and exact[0][1] == pytest.approx(1.0, abs=1e-5)
    assert [s for _, s in exact] == sorted((s for _, s in exact), reverse=True)
    monkeypatch.setattr("vectorstore.store.EXACT_SEARCH_CHUNKS", 0)  # Chroma's filtered search
    assert [doc.id for doc, _ in store.dense_search(query, 5, {named.doc_id})] == [
        doc.id for doc, _ in exact
    ]


def test_a_damaged_register_is_listed_again(settings, fake_embeddings):
    folder = settings.case_dir("c")
    store = CaseStore(make_client(settings), "c", fake_embeddings, folder=folder)
    ingest_paths([SEED], store, IngestSettings())
    (folder / "register.json").write_text('{"version": "')  # a disk that filled mid-write
    reopened = CaseStore(make_client(settings), "c", fake_embeddings, folder=folder)
    assert [r.name for r in reopened.records()] == [SEED.name]
    CaseStore(make_client(settings), "c", fake_embeddings, folder=folder).delete_case()
    assert not (folder / "register.json").exists()


def test_page_spans_of_many_documents_leave_out_those_removed(store, tmp_path):
    from tests.documents import write_pdf

    paths = [write_pdf(tmp_path / f"f{n}.pdf", [f"Page one of {n}.", "Page two."]) for n in (1, 2)]
    ingest_paths(paths, store, IngestSettings())
    kept, removed = store.records()
    store.delete_document(removed.doc_id)

    spans = store.page_spans_of([kept.doc_id, removed.doc_id])

    assert list(spans) == [kept.doc_id]
    assert [span.number for span in spans[kept.doc_id]] == [1, 2]
    assert spans[kept.doc_id] == store.page_spans(kept.doc_id)


def test_a_text_stored_as_the_record_s_document_is_still_read_and_replaced(store):
    # Cases ingested before the text moved beside the record kept it as Chroma's document.
    ingest_paths([SEED], store, IngestSettings())
    [record] = store.records()
    text = store.document_text(record.doc_id)
    store._extras.delete(where={"doc_id": record.doc_id})  # as such a case holds it
    store._docs.update(ids=[record.doc_id], embeddings=[[0.0]], documents=["the old text"])
    assert store.document_text(record.doc_id) == "the old text"

    store.write_document(record, text, [], chunker="v2")  # re-ingested
    assert store.document_text(record.doc_id) == text
    assert store._docs.get(ids=[record.doc_id], include=["documents"])["documents"] == [""]


def test_a_removed_document_s_text_is_gone(store):
    ingest_paths([SEED], store, IngestSettings())
    [record] = store.records()
    store.delete_document(record.doc_id)
    with pytest.raises(DocumentNotFound, match=record.doc_id):
        store.document_text(record.doc_id)
