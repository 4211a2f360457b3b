"""The reader's scores on SQuAD dev, and the calibration of its no-answer threshold.

- SQuAD v1.1 dev (10,570 questions): each question read against its paragraph; EM and F1.
- SQuAD v2.0 dev (11,873, half unanswerable), two ways:
  * closed: each question against its own paragraph, as SQuAD 2.0 is scored;
  * open: against its paragraph and the 19 other paragraphs of its article that share most
    words with it (every other question, for time), as the assistant reads a question
    against 20 retrieved passages, where every wrong passage is one more chance to answer
    wrongly.
  A threshold is chosen on the articles of one half (even positions) to maximise F1 (a
  refusal scores 1 on an unanswerable question, 0 on an answerable one) and reported on the
  other half, which it never saw. The AUC says how well the best span's score separates
  answerable from unanswerable. (SQuAD 2.0's unanswerable questions were written to fool a
  reader, half of them, and its F1 rewards refusing: on the case sets the threshold it
  chooses refused nearly every question. The assistant's threshold is chosen on the case
  sets instead: `python -m bench.threshold --write`.)
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.reader import ExtractiveReader
from casefile.evaluation.metrics import auc, exact_match, token_f1
from training.data import SQUAD2_DEV, SQUAD_DEV, content_words, load_json_xz

log = logging.getLogger(__name__)
OPEN_PASSAGES = 20


@dataclass(frozen=True)
class Scored:
    """One question's reading: the best span's text and score, and the gold answers."""

    half: int  # 0 or 1: which half of the articles the question is in
    answers: tuple[str, ...]  # empty: unanswerable
    text: str
    score: float  # the best span's
    relevance: float  # the best window's P(it answers)

    def by_relevance(self) -> Scored:
        """The same reading, judged by P(a window answers) instead of the span's score."""
        return replace(self, score=self.relevance)


def score(
    data: Path,
    model: Path,
    limit: int = 0,
    *,
    open_limit: int = 0,
    write: bool = False,
) -> dict:
    """`limit`: questions per set (0: all); `open_limit`: at most this many in the open
    setting, which costs twenty readings a question (0: as `limit`)."""
    reader = ExtractiveReader(model, threshold=0.0)
    reader.warm_up()
    results: dict = {}
    started = time.perf_counter()
    v1 = _read(reader, load_json_xz(data / SQUAD_DEV), limit, open_book=False)
    results["squad_v1_dev"] = {
        "questions": len(v1),
        "exact_match": round(100 * _mean(exact_match(s.text, s.answers) for s in v1), 2),
        "f1": round(100 * _mean(token_f1(s.text, s.answers) for s in v1), 2),
        "ms_per_question": round(1000 * (time.perf_counter() - started) / max(1, len(v1)), 1),
    }
    log.info("SQuAD v1.1 dev: %s", results["squad_v1_dev"])
    v2_data = load_json_xz(data / SQUAD2_DEV)
    for setting, open_book in (("closed", False), ("open", True)):
        most = (open_limit or limit) if open_book else limit
        scored = _read(reader, v2_data, most, open_book=open_book)
        threshold = _best_threshold([s for s in scored if s.half == 0])
        careful = _best_threshold([s for s in scored if s.half == 0], wrong_penalty=1.0)
        relevant = _best_threshold([s.by_relevance() for s in scored if s.half == 0])
        held_out = [s for s in scored if s.half == 1]
        results[f"squad_v2_dev_{setting}"] = {
            "questions": len(scored),
            "threshold": round(threshold, 4),
            "f1_held_out_half": round(100 * _f1_at(held_out, threshold), 2),
            "wrong_held_out_half": round(100 * _wrong_at(held_out, threshold), 2),
            "cautious_threshold": round(careful, 4),
            "cautious_f1_held_out_half": round(100 * _f1_at(held_out, careful), 2),
            "cautious_wrong_held_out_half": round(100 * _wrong_at(held_out, careful), 2),
            "relevance_threshold": round(relevant, 4),
            "relevance_f1_held_out_half": round(
                100 * _f1_at([s.by_relevance() for s in held_out], relevant), 2
            ),
            "relevance_auc": round(auc((s.relevance, bool(s.answers)) for s in scored) or 0.0, 4),
            "f1_all": round(100 * _f1_at(scored, threshold), 2),
            "has_answer_f1": round(100 * _f1_at([s for s in scored if s.answers], threshold), 2),
            "no_answer_accuracy": round(
                100 * _f1_at([s for s in scored if not s.answers], threshold), 2
            ),
            "auc": round(auc((s.score, bool(s.answers)) for s in scored) or 0.0, 4),
        }
        log.info("SQuAD v2.0 dev, %s: %s", setting, results[f"squad_v2_dev_{setting}"])
    if write:
        path = model / "reader.json"
        config = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        config.setdefault("calibration", {})["squad"] = {
            "note": "SQuAD dev scores of this file; the thresholds it would choose on SQuAD "
            "v2.0 (even-position articles, F1 best; 'cautious': a wrong answer counting -1) "
            "are reported, not used: the threshold used is chosen on the case sets "
            "(bench/threshold.py)",
            "scores": results,
        }
        path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return results


def _read(reader: ExtractiveReader, data: dict, limit: int, *, open_book: bool) -> list[Scored]:
    scored: list[Scored] = []
    counted = 0
    for position, article in enumerate(data["data"]):
        contexts = [p["context"] for p in article["paragraphs"]]
        words = [content_words(c) for c in contexts]
        for index, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph["qas"]:
                counted += 1
                if open_book and counted % 2:
                    continue
                texts = [paragraph["context"]]
                if open_book:
                    asked = content_words(qa["question"])
                    others = sorted(
                        (j for j in range(len(contexts)) if j != index),
                        key=lambda j: (-len(asked & words[j]), j),
                    )
                    texts += [contexts[j] for j in others[: OPEN_PASSAGES - 1]]
                reading = reader.read(qa["question"], texts, top_k=1)
                best = reading.best
                answers = tuple(a["text"] for a in qa["answers"])
                if qa.get("is_impossible"):
                    answers = ()
                scored.append(
                    Scored(
                        position % 2,
                        answers,
                        best.text if best else "",
                        best.score if best else 0.0,
                        max(reading.relevance, default=0.0),
                    )
                )
                if limit and len(scored) >= limit:
                    return scored
    return scored


def _f1_at(scored: list[Scored], threshold: float) -> float:
    """SQuAD 2.0's F1 when spans scoring below `threshold` are withheld."""
    total = 0.0
    for s in scored:
        answered = s.score >= threshold
        if not s.answers:
            total += 0.0 if answered else 1.0
        elif answered:
            total += token_f1(s.text, s.answers) or 0.0
    return total / max(1, len(scored))


def _best_threshold(scored: list[Scored], wrong_penalty: float = 0.0) -> float:
    """The threshold of best F1, found in one sweep from refusing everything down; with a
    `wrong_penalty`, an answer without a word of the gold answer also costs that much (a
    wrong answer worse than none)."""
    ordered = sorted(scored, key=lambda s: -s.score)
    total = best = float(sum(1 for s in scored if not s.answers))
    threshold = ordered[0].score + 1e-6 if ordered else 1.0
    for i, s in enumerate(ordered):
        if s.answers:
            f1 = token_f1(s.text, s.answers) or 0.0
            total += f1 - (wrong_penalty if f1 == 0.0 else 0.0)
        else:
            total -= 1.0 + wrong_penalty
        next_score = ordered[i + 1].score if i + 1 < len(ordered) else -1.0
        if total > best and next_score < s.score:
            best, threshold = total, s.score
    return threshold


def _wrong_at(scored: list[Scored], threshold: float) -> float:
    """The share of questions answered wrongly: an unanswerable one answered, or an answer
    without a word of the gold answer."""
    wrong = sum(
        1
        for s in scored
        if s.score >= threshold and (not s.answers or not token_f1(s.text, s.answers))
    )
    return wrong / max(1, len(scored))


def _mean(values) -> float:  # type: ignore[no-untyped-def]
    present = [v for v in values if v is not None]
    return sum(present) / max(1, len(present))
