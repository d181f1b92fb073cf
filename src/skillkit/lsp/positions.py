"""Between the model's positions and the protocol's.

The model counts 1-based lines and 1-based columns of characters (code points), with an
exclusive end column, in the text after a byte-order mark. LSP counts 0-based lines and 0-based
characters in the negotiated encoding: UTF-16 code units by default (a character outside the
Basic Multilingual Plane, an emoji say, is two), or UTF-8 bytes or UTF-32 code points.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units `text` is in the encoding."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@functools.lru_cache(maxsize=256)
def _wide(line_text: str, encoding: str) -> tuple[list[int], list[int]]:
    """The indexes of the characters that take more than one code unit, and the extra units
    up to and including each: built once a line, so that converting each of many positions on
    a long line is a binary search, not a walk along the line."""
    indexes: list[int] = []
    extra: list[int] = []
    total = 0
    for index, char in enumerate(line_text):
        width = units(char, encoding) - 1
        if width:
            total += width
            indexes.append(index)
            extra.append(total)
    return indexes, extra


def _units_before(line_text: str, index: int, encoding: str) -> int:
    """Code units of `line_text[:index]`."""
    if encoding == UTF32 or line_text.isascii():
        return index
    indexes, extra = _wide(line_text, encoding)
    before = bisect.bisect_left(indexes, index)
    return index + (extra[before - 1] if before else 0)


def column_to_character(line_text: str, column: int, encoding: str = UTF16) -> int:
    """A 1-based model column on this line → a 0-based LSP character (clamped to the line)."""
    index = min(max(column - 1, 0), len(line_text))
    return _units_before(line_text, index, encoding)


def character_to_column(line_text: str, character: int, encoding: str = UTF16) -> int:
    """A 0-based LSP character → a 1-based model column (clamped to the line; a position inside
    a character, between the two halves of a surrogate pair say, rounds down)."""
    if encoding == UTF32 or line_text.isascii():
        return min(max(character, 0), len(line_text)) + 1
    # The longest prefix that fits in `character` units (a binary search: units grow with it).
    low, high = 0, len(line_text)
    while low < high:
        middle = (low + high + 1) // 2
        if _units_before(line_text, middle, encoding) <= character:
            low = middle
        else:
            high = middle - 1
    return low + 1


def to_lsp(
    lines: Sequence[str], line: int, column: int, encoding: str = UTF16, bom: bool = False
) -> tuple[int, int]:
    """A model (line, column) → an LSP (line, character). Past the last line is the end of the
    text. With a byte-order mark, which the model drops, the first line is one character on."""
    if not lines:
        return 0, 0
    if line > len(lines):
        return len(lines) - 1, units(lines[-1], encoding) + (1 if bom and len(lines) == 1 else 0)
    line = max(line, 1)
    character = column_to_character(lines[line - 1], column, encoding)
    if bom and line == 1:
        character += 1
    return line - 1, character


def from_lsp(
    lines: Sequence[str], line: int, character: int, encoding: str = UTF16, bom: bool = False
) -> tuple[int, int]:
    """An LSP (line, character) → a model (line, column)."""
    if line >= len(lines):
        return len(lines) + 1, 1
    if bom and line == 0:
        character = max(character - 1, 0)
    return line + 1, character_to_column(lines[line], character, encoding)
