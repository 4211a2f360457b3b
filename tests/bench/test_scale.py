"""The scale bench's corpus: about the asked size, real text, no document repeated, reused
when asked again."""

from bench.scale import CHARS_PER_CHUNK, build_corpus


def test_the_corpus_has_about_the_asked_size_and_no_repeated_document(tmp_path):
    files = build_corpus(tmp_path / "corpus", 120)
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert sum(len(t) for t in texts) >= 120 * CHARS_PER_CHUNK
    assert len(set(texts)) == len(texts)
    assert all(len(t.split()) > 50 for t in texts)  # prose, not filler


def test_the_corpus_is_made_once(tmp_path):
    first = build_corpus(tmp_path / "corpus", 60)
    stamps = [f.stat().st_mtime_ns for f in first]
    again = build_corpus(tmp_path / "corpus", 60)
    assert again == first and [f.stat().st_mtime_ns for f in again] == stamps
