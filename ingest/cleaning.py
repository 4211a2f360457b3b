"""Remove page furniture from news copy by dropping whole lines, never by rewording one."""

from __future__ import annotations

import re

# A markdown image reference on a line of its own; its caption is the next line and stays.
_IMAGE_LINE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
# Calls to action that news sites put between paragraphs.
_FURNITURE = re.compile(
    r"^\s*(click here|like what you(?:'|’)re reading|sign up|subscribe|download the|get the app"
    r"|follow us|read more|watch:|listen:|advertisement|share this|related:)",
    re.IGNORECASE,
)


def clean_news_text(text: str, *, drop_uppercase_lines: bool = True) -> str:
    """`text` without image lines, calls to action and (optionally) all-capital link lines.

    Lines are kept or dropped whole, so every kept line reads exactly as published.
    """
    kept = [line for line in text.splitlines() if not is_furniture(line, drop_uppercase_lines)]
    return "\n".join(line.rstrip() for line in kept).strip("\n")


def is_furniture(line: str, drop_uppercase_lines: bool = True) -> bool:
    """Whether `line` is page furniture rather than reporting."""
    if _IMAGE_LINE.match(line):
        return True
    if not _is_shouted(line):
        return False
    return drop_uppercase_lines or bool(_FURNITURE.match(line))


def _is_shouted(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.9
