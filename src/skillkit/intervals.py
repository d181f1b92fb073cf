"""Choosing edits that do not overlap, in log time a choice: `--fix` and the language server's
"apply every fix" take each fix whose edits clash with none taken before, and a file can carry
tens of thousands of fixes (one per unused suppression comment)."""

from __future__ import annotations

import bisect
from typing import Generic, TypeVar

# A position: an offset in a text, or a (line, column) pair.
P = TypeVar("P", int, tuple[int, int])


class Disjoint(Generic[P]):
    """Intervals [start, end) taken so far, no two of which clash: they overlap, or both start
    at one point (two insertions there, or an insertion and a replacement, have no order). No
    two taken intervals start at one point, so the one starting at or before a new interval and
    the next one are all that can clash with it."""

    def __init__(self) -> None:
        self._starts: list[P] = []
        self._ends: list[P] = []

    def clashes(self, start: P, end: P) -> bool:
        before = bisect.bisect_right(self._starts, start) - 1
        if before >= 0 and (self._starts[before] == start or start < self._ends[before]):
            return True
        after = before + 1
        return after < len(self._starts) and self._starts[after] < end

    def add(self, start: P, end: P) -> None:
        at = bisect.bisect_right(self._starts, start)
        self._starts.insert(at, start)
        self._ends.insert(at, end)
