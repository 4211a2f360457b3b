"""The BM25 keyword index: ranking, filters, and edge cases."""

import pytest

from vectorstore.keyword import KeywordIndex, tokenize

CHUNKS = {
    "a:0": "Judge Lewis Liman granted the order on Thursday.",
    "a:1": "The order was filed in federal court in Manhattan.",
    "b:0": "Baldoni sued Lively and Reynolds for $400 million.",
    "b:1": "The court scheduled the trial. The court adjourned. The court met.",
    "c:0": "A recipe for chocolate cake with no legal content at all.",
}


@pytest.fixture
def index() -> KeywordIndex:
    return KeywordIndex(list(CHUNKS), list(CHUNKS.values()))


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


def test_an_empty_index_finds_nothing():
    assert KeywordIndex([], []).search("court", k=3) == []


def test_tokenize_keeps_possessive_names_and_drops_stop_words():
    assert tokenize("Lively’s lawyers and the $400,000 claim") == [
        "live",
        "lawyer",
        "400,000",
        "claim",
    ]


def test_inflected_words_find_each_other():
    index = KeywordIndex(["d:1", "d:2"], ["Her lawyers subpoenaed phone records.", "Lunch."])
    assert [hit.chunk_id for hit in index.search("subpoenas", k=2)] == ["d:1"]
