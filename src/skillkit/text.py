"""Wording shared by messages."""

from __future__ import annotations


def plural(count: int, word: str, plural: str | None = None) -> str:
    """The count and the word, in the plural unless the count is 1: "1 file", "3 files",
    "0 files"; `plural` for a word that does not just take an s."""
    return f"{count} {word if count == 1 else plural or word + 's'}"
