"""Spot text in a document that is addressed to an AI model rather than to a reader.

Such sentences stay in the stored document (they may be evidence of something), but they
are blanked out of every prompt, never chosen as an extractive answer and never accepted
as support for a sentence.
"""

from __future__ import annotations

import re

from casefile.kernel.text import split_sentences

_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instruction|prompt|rule|context|above|previous|prior)"
    r"|\b(?:system prompt|developer message|jailbreak)\b"
    r"|\byou are (?:now |no longer )?(?:an? |the )?(?:ai|assistant|chatbot|language model|llm)\b"
    r"|\b(?:as an? (?:ai|language model))\b"
    r"|\b(?:assistant|ai|model|chatbot)s?\b.{0,30}\b(?:must|should|will) (?:now )?"
    r"(?:answer|reply|respond|say|output)"
    r"|\b(?:reply|respond|answer|say|output)\b.{0,20}\bonly with\b"
    r"|</?(?:system|assistant|user|instructions?)>|\[/?INST\]|<\|im_(?:start|end)\|>",
    re.IGNORECASE,
)
REDACTED = "[text addressed to an AI system removed]"


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text` that read as instructions to an AI model."""
    return [(s, e) for s, e in split_sentences(text) if _INSTRUCTION.search(text[s:e])]


def redact_instructions(text: str) -> str:
    """`text` with each instruction-like sentence replaced by a marker."""
    for start, end in reversed(instruction_spans(text)):
        text = text[:start] + REDACTED + text[end:]
    return text


def is_instruction(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(sentence))
