"""The metric functions of `casefile eval`, each defined in the README.

Spans are `(doc_id, start, end)` character ranges of a document's stored text. A metric
that does not apply to a question (no gold evidence, no gold answer) is `None`, and
averages leave it out rather than count it as zero.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from statistics import mean

Span = tuple[str, int, int]

# -- retrieval ---------------------------------------------------------------------------


def _overlap(a: Span, b: Span) -> int:
    if a[0] != b[0]:
        return 0
    return max(0, min(a[2], b[2]) - max(a[1], b[1]))


def _merged(spans: Iterable[Span]) -> list[Span]:
    """Spans with overlaps merged, so no character is counted twice."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and merged[-1][0] == span[0] and span[1] <= merged[-1][2]:
            last = merged[-1]
            merged[-1] = (last[0], last[1], max(last[2], span[2]))
        else:
            merged.append(span)
    return merged


def _length(spans: Iterable[Span]) -> int:
    return sum(end - start for _, start, end in spans)


def covers_gold(passage: Span, gold: Sequence[Span]) -> bool:
    """A passage hits when it covers at least half of some gold span."""
    return any(_overlap(passage, g) * 2 >= g[2] - g[1] for g in gold if g[2] > g[1])


def retrieval_metrics(retrieved: Sequence[Span], gold: Sequence[Span]) -> dict[str, float | None]:
    """hit@k, reciprocal rank, and character recall / precision of the retrieved spans."""
    if not gold:
        return {"hit": None, "rr": None, "span_recall": None, "span_precision": None}
    rank = next((i + 1 for i, p in enumerate(retrieved) if covers_gold(p, gold)), None)
    gold_merged = _merged(gold)
    got_merged = _merged(retrieved)
    shared = sum(_overlap(g, p) for g in gold_merged for p in got_merged)
    got_chars = _length(got_merged)
    return {
        "hit": 1.0 if rank else 0.0,
        "rr": 1.0 / rank if rank else 0.0,
        "span_recall": shared / _length(gold_merged),
        "span_precision": shared / got_chars if got_chars else 0.0,
    }


# -- answers (SQuAD's normalisation) -----------------------------------------------------

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation) | set("“”‘’–—…")


def normalize_answer(text: str) -> str:
    """Lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, golds: Sequence[str]) -> float | None:
    if not golds:
        return None
    return float(any(normalize_answer(prediction) == normalize_answer(g) for g in golds))


def token_f1(prediction: str, golds: Sequence[str]) -> float | None:
    """Best token-overlap F1 of the prediction against any gold answer."""
    if not golds:
        return None
    predicted = normalize_answer(prediction).split()
    best = 0.0
    for gold in golds:
        expected = normalize_answer(gold).split()
        if not predicted or not expected:
            best = max(best, float(predicted == expected))
            continue
        same = sum((Counter(predicted) & Counter(expected)).values())
        if same:
            precision, recall = same / len(predicted), same / len(expected)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def contains_answer(prediction: str, golds: Sequence[str]) -> float | None:
    """Whether some gold answer appears, normalised, inside the prediction.

    Casefile answers in whole quoted sentences, so exact match is near zero by design; this
    says whether the answer contains what was asked for.
    """
    if not golds:
        return None
    said = f" {normalize_answer(prediction)} "
    return float(any(f" {normalize_answer(g)} " in said for g in golds if normalize_answer(g)))


# -- refusals and summaries --------------------------------------------------------------


def refusal_metrics(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | None]:
    """Precision and recall of refusing, from (refused, should_refuse) pairs."""
    pairs = list(pairs)
    refused = [should for did, should in pairs if did]
    should = [did for did, must in pairs if must]
    return {
        "refusal_precision": sum(refused) / len(refused) if refused else None,
        "refusal_recall": sum(should) / len(should) if should else None,
        "answerable_refused": (
            sum(1 for did, must in pairs if did and not must) / n
            if (n := sum(1 for _, must in pairs if not must))
            else None
        ),
    }


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def average(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return mean(present) if present else None


def auc(scored: Iterable[tuple[float, bool]]) -> float | None:
    """Area under the ROC curve of a score that should be higher for positives: the chance
    that a random positive outscores a random negative (ties half); None without both."""
    pairs = list(scored)
    positives = [s for s, p in pairs if p]
    negatives = sorted(s for s, p in pairs if not p)
    if not positives or not negatives:
        return None
    from bisect import bisect_left, bisect_right

    wins = sum(
        bisect_left(negatives, s) + (bisect_right(negatives, s) - bisect_left(negatives, s)) / 2
        for s in positives
    )
    return wins / (len(positives) * len(negatives))
