"""The BM25 keyword index: ranking, filters, edge cases, and what persists on disk."""

from pathlib import Path

import pytest

from vectorstore.keyword import FORMAT, KeywordIndex, tokenize

CHUNKS = {
    "a:0": "Judge Lewis Liman granted the order on Thursday.",
    "a:1": "The order was filed in federal court in Manhattan.",
    "b:0": "Baldoni sued Lively and Reynolds for $400 million.",
    "b:1": "The court scheduled the trial. The court adjourned. The court met.",
    "c:0": "A recipe for chocolate cake with no legal content at all.",
}


def _indexed(folder: Path | None, chunks: dict[str, str]) -> KeywordIndex:
    index = KeywordIndex(folder)
    by_doc: dict[str, list[tuple[str, str]]] = {}
    for chunk_id, text in chunks.items():
        by_doc.setdefault(chunk_id.split(":")[0], []).append((chunk_id, text))
    index.apply(by_doc, remove=())
    return index


@pytest.fixture(params=["on disk", "in memory"])
def index(request, tmp_path) -> KeywordIndex:
    return _indexed(tmp_path / "keyword" if request.param == "on disk" else None, CHUNKS)


def test_a_rare_name_outranks_common_words(index):
    hits = index.search("What did Liman decide about the court order?", k=5)
    assert hits[0].chunk_id == "a:0"
    assert "c:0" not in {h.chunk_id for h in hits}  # shares no term: not returned at all
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_numbers_with_separators_match_exactly(index):
    assert [h.chunk_id for h in index.search("$400 million", k=1)] == ["b:0"]


def test_k_limits_and_document_filter(index):
    assert len(index.search("court order", k=2)) == 2
    hits = index.search("court order", k=5, doc_ids={"b"})
    assert [h.chunk_id for h in hits] == ["b:1"]
    assert index.search("court order", k=5, doc_ids={"zzz"}) == []


def test_only_stop_words_or_unknown_terms_find_nothing(index):
    assert index.search("what is the", k=3) == []
    assert index.search("xylophone", k=3) == []
    with pytest.raises(ValueError, match="k must be greater than 0"):
        index.search("court", k=0)


def test_an_empty_index_finds_nothing(tmp_path):
    empty = KeywordIndex(tmp_path / "keyword")
    assert empty.search("court", k=3) == []
    assert empty.doc_ids() == set() and len(empty) == 0


def test_tokenize_keeps_possessive_names_and_drops_stop_words():
    assert tokenize("Lively’s lawyers and the $400,000 claim") == [
        "live",
        "lawyer",
        "400,000",
        "claim",
    ]


def test_inflected_words_find_each_other():
    index = _indexed(None, {"d:1": "Her lawyers subpoenaed phone records.", "d:2": "Lunch."})
    assert [hit.chunk_id for hit in index.search("subpoenas", k=2)] == ["d:1"]


def test_the_index_persists_and_another_process_sees_its_documents(tmp_path):
    folder = tmp_path / "keyword"
    _indexed(folder, CHUNKS)
    reopened = KeywordIndex(folder)  # as a new process opens it
    assert reopened.doc_ids() == {"a", "b", "c"}
    assert len(reopened) == len(CHUNKS)
    assert [h.chunk_id for h in reopened.search("Liman", k=1)] == ["a:0"]


def test_replacing_and_removing_a_document_leave_no_stale_chunks(index):
    index.replace("a", [("a:0", "The xylophone concert was cancelled.")])
    assert index.search("Liman", k=5) == []
    assert [h.chunk_id for h in index.search("xylophone", k=5)] == ["a:0"]
    index.remove(["a", "b"])
    assert index.doc_ids() == {"c"}
    assert index.search("xylophone court", k=5) == []
    assert len(index) == 1


def test_excluded_documents_are_never_returned(index):
    hits = index.search("court order", k=5, exclude={"b"})
    assert hits and all(not h.chunk_id.startswith("b:") for h in hits)


def test_an_index_of_another_format_is_made_again_empty(tmp_path):
    folder = tmp_path / "keyword"
    _indexed(folder, CHUNKS)
    (folder / "FORMAT").write_text("tantivy-0.1/tokenize-0\n")
    again = KeywordIndex(folder)
    assert again.doc_ids() == set()
    assert (folder / "FORMAT").read_text().strip() == FORMAT


def test_a_second_writer_waits_for_the_first(tmp_path):
    folder = tmp_path / "keyword"
    first, second = KeywordIndex(folder), KeywordIndex(folder)
    assert first.doc_ids() == set()  # listed, and kept until a commit
    with first._writer():
        import threading

        done = threading.Event()
        thread = threading.Thread(
            target=lambda: (second.replace("x", [("x:0", "Late filing.")]), done.set())
        )
        thread.start()
        assert not done.wait(0.3)  # the folder's lock is held by the first writer
    thread.join(10)
    assert done.is_set()
    second.refresh()
    assert second.doc_ids() == {"x"}
    first.refresh()
    assert first.doc_ids() == {"x"}  # another object's commit is seen
