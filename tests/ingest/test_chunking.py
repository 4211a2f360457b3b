import pytest

from casefile.kernel.records import PageSpan, ParsedDocument
from casefile.kernel.text import split_sentences
from ingest.chunking import chunk_document
from ingest.loaders import parse_document
from tests.conftest import SEED


def seed_document() -> ParsedDocument:
    return parse_document(SEED, SEED.read_bytes())


@pytest.mark.parametrize(("size", "overlap"), [(200, 0), (400, 80), (700, 120), (1500, 300)])
def test_every_chunk_is_the_exact_text_between_its_offsets(size, overlap):
    doc = seed_document()
    chunks = chunk_document(doc, "d1", size, overlap)
    assert chunks
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text) <= size


def test_chunks_cover_every_sentence_and_split_none():
    doc = seed_document()
    chunks = chunk_document(doc, "d1", 500, 100)
    for start, end in split_sentences(doc.text):
        assert any(c.start <= start and end <= c.end for c in chunks), doc.text[start:end]


def test_chunks_start_and_end_on_sentence_boundaries():
    doc = seed_document()
    boundaries = {s for s, _ in split_sentences(doc.text)} | {
        e for _, e in split_sentences(doc.text)
    }
    for chunk in chunk_document(doc, "d1", 500, 100):
        assert chunk.start in boundaries and chunk.end in boundaries


def test_overlap_repeats_whole_sentences_only():
    doc = seed_document()
    chunks = chunk_document(doc, "d1", 500, 150)
    overlaps = [
        a.end - b.start for a, b in zip(chunks, chunks[1:], strict=False) if b.start < a.end
    ]
    assert overlaps, "some consecutive chunks should share a sentence"
    assert all(0 < o <= 150 for o in overlaps)
    assert chunk_document(doc, "d1", 500, 0)[1].start >= chunk_document(doc, "d1", 500, 0)[0].end


def test_a_sentence_longer_than_the_limit_is_cut_between_words():
    words = " ".join(f"word{i}" for i in range(200))
    doc = ParsedDocument(text=words + ".", kind="text", title="t")
    chunks = chunk_document(doc, "d1", 120, 0)
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk.text) <= 120
        assert chunk.text == doc.text[chunk.start : chunk.end]
        assert not chunk.text.startswith(" ") and not chunk.text.endswith(" ")
        assert chunk.text.split()[0].startswith("word")


def test_chunks_never_cross_pages_and_know_their_page():
    first, second = "First page sentence one. First page sentence two.", "Second page text here."
    text = f"{first}\n\n{second}"
    pages = (PageSpan(1, 0, len(first)), PageSpan(2, len(first) + 2, len(text)))
    doc = ParsedDocument(text=text, kind="pdf", title="t", pages=pages)
    chunks = chunk_document(doc, "d1", 500, 0)
    assert [(c.page, c.text) for c in chunks] == [
        (1, "First page sentence one. First page sentence two."),
        (2, "Second page text here."),
    ]


def test_chunk_ids_are_deterministic():
    doc = seed_document()
    first = [c.id for c in chunk_document(doc, "abc", 700, 120)]
    assert first == [c.id for c in chunk_document(doc, "abc", 700, 120)]
    assert first[0] == "abc:00000"


def test_bad_sizes_are_refused_with_the_value():
    doc = seed_document()
    with pytest.raises(ValueError, match="overlap must be in"):
        chunk_document(doc, "d", 100, 100)
