"""The benchmark corpus: deterministic, real text, and no paragraph repeated."""

from bench.corpus import CHARS_PER_CHUNK, build_corpus, questions


def test_the_corpus_is_the_same_every_time_and_never_repeats_a_paragraph(tmp_path):
    first = build_corpus(tmp_path / "a", 60)
    second = build_corpus(tmp_path / "b", 60)
    texts = [p.read_text() for p in first.files]
    assert texts == [p.read_text() for p in second.files]
    assert first.chars >= 60 * CHARS_PER_CHUNK
    paragraphs = [para for text in texts for para in text.split("\n\n")]
    assert len(paragraphs) == len(set(paragraphs))
    # built once: a second call on the same folder reuses it
    assert build_corpus(tmp_path / "a", 60).files == first.files


def test_questions_are_deterministic():
    assert questions(5) == questions(5) and len(questions(5)) == 5
