"""The shared wording helper: the count, then the word in the plural unless the count is 1."""

from __future__ import annotations

import pytest

from skillkit.text import plural


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 files"), (1, "1 file"), (2, "2 files"), (1000, "1000 files")]
)
def test_plural_adds_an_s_unless_one(count: int, expected: str) -> None:
    assert plural(count, "file") == expected


def test_plural_takes_an_irregular_plural() -> None:
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"
    assert plural(0, "entry", "entries") == "0 entries"
