"""Windows the reader reads, and spans read back from its scores."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.reader import BUNDLED_READER
from assistant.reader_windows import CLS_ID, SEP_ID, WindowTokenizer, best_spans, pad

TOKENIZER = BUNDLED_READER / "tokenizer.json"


@pytest.fixture
def tokenizer() -> WindowTokenizer:
    return WindowTokenizer(TOKENIZER, max_length=96, stride=16, max_question=16)


def _windows(tokenizer: WindowTokenizer, question: str, text: str):
    ids, offsets = tokenizer.passage_tokens([text])[0]
    return tokenizer.windows(tokenizer.question_ids(question), ids, offsets)


class TestWindows:
    def test_a_short_passage_is_one_window_of_question_then_passage(self, tokenizer):
        (window,) = _windows(tokenizer, "Who signed?", "Judge Ann Ortiz signed the order.")
        assert window.ids[0] == CLS_ID and window.ids[-1] == SEP_ID
        assert list(window.type_ids[: window.context_start]) == [0] * window.context_start
        assert set(window.type_ids[window.context_start :]) == {1}

    def test_a_long_passage_is_read_in_overlapping_windows_that_cover_every_word(self, tokenizer):
        text = " ".join(f"word{i}" for i in range(300))
        windows = _windows(tokenizer, "Which word?", text)
        assert len(windows) > 2
        assert all(w.length <= 96 for w in windows)
        covered = np.concatenate([w.offsets for w in windows])
        assert covered[:, 0].min() == 0 and covered[:, 1].max() == len(text)
        for before, after in zip(windows, windows[1:], strict=False):
            assert after.offsets[0, 0] < before.offsets[-1, 1]  # neighbours overlap

    def test_a_long_question_is_cut_so_the_passage_still_fits(self, tokenizer):
        (window,) = _windows(tokenizer, "why " * 100, "The motion is denied.")
        assert window.context_start == 1 + 16 + 1

    def test_character_spans_map_to_the_tokens_that_cover_them(self, tokenizer):
        text = "The court awarded $16,449,071 to Ericsson."
        (window,) = _windows(tokenizer, "How much?", text)
        start = text.index("$16,449,071")
        first, last = window.token_span(start, start + len("$16,449,071"))
        chars = window.offsets[first - window.context_start : last - window.context_start + 1]
        assert text[chars[0, 0] : chars[-1, 1]] == "$16,449,071"

    def test_a_span_outside_the_window_has_no_tokens(self, tokenizer):
        text = " ".join(f"word{i}" for i in range(300))
        first_window = _windows(tokenizer, "Which word?", text)[0]
        late = text.index("word299")
        assert first_window.token_span(late, late + 7) is None

    def test_padding_rounds_the_batch_width_up_and_masks_the_padding(self, tokenizer):
        windows = _windows(tokenizer, "Who?", "Ann Ortiz.") + _windows(
            tokenizer, "Who signed the order?", "Judge Ann Ortiz signed the order on May 1."
        )
        batch = pad(windows, multiple=32)
        assert batch["input_ids"].shape == (2, 32)
        assert batch["attention_mask"][0].sum() == windows[0].length


class TestBestSpans:
    def test_the_best_spans_do_not_overlap_and_stay_short(self, tokenizer):
        text = "Judge Ann Ortiz signed the order on May 1 in Fresno."
        (window,) = _windows(tokenizer, "Who signed?", text)
        starts = np.full(window.length, -10.0)
        ends = np.full(window.length, -10.0)
        at = window.context_start
        starts[at + 1], ends[at + 2] = 5.0, 5.0  # "Ann Ortiz"
        starts[at + 2], ends[at + 3] = 4.0, 4.0  # "Ortiz signed": overlaps it, left out
        starts[at + 7], ends[at + 8] = 3.0, 3.0  # "May 1"
        spans = best_spans(window, starts, ends, max_answer_tokens=4, limit=3)
        texts = [text[s.char_start : s.char_end] for s in spans]
        assert texts[:2] == ["Ann Ortiz", "May 1"]
        assert all(
            not (a.char_start < b.char_end and b.char_start < a.char_end)
            for i, a in enumerate(spans)
            for b in spans[i + 1 :]
        )

    def test_a_span_never_starts_in_the_question(self, tokenizer):
        (window,) = _windows(tokenizer, "Who signed the order?", "Ann Ortiz did.")
        starts = np.zeros(window.length)
        starts[1] = 50.0  # a question token
        ends = np.zeros(window.length)
        spans = best_spans(window, starts, ends)
        assert all(s.char_end <= len("Ann Ortiz did.") for s in spans)

    def test_the_boundaries_of_one_answer_pool_their_belief(self, tokenizer):
        # "Ann Ortiz" and "Judge Ann Ortiz" are one answer, each a little less likely than
        # "May 1" alone; together they are the better one.
        text = "Judge Ann Ortiz signed the order on May 1 in Fresno."
        (window,) = _windows(tokenizer, "Who signed?", text)
        starts = np.full(window.length, -30.0)
        ends = np.full(window.length, -30.0)
        at = window.context_start
        starts[at], starts[at + 1], ends[at + 2] = 0.0, 0.0, 0.0  # "(Judge) Ann Ortiz"
        starts[at + 7], ends[at + 8] = 0.25, 0.25  # "May 1": e^0.5 against e^0 twice
        spans = best_spans(window, starts, ends, max_answer_tokens=4)
        best = text[spans[0].char_start : spans[0].char_end]
        assert best in {"Ann Ortiz", "Judge Ann Ortiz"}
        assert spans[0].score == pytest.approx(np.log(2.0), abs=1e-6)
        assert spans[1].score == pytest.approx(0.5, abs=1e-6)
