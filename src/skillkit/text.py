"""Wording shared by messages."""

from __future__ import annotations

import re
from typing import Any


def plural(count: int, word: str, plural: str | None = None) -> str:
    """The count and the word, in the plural unless the count is 1: "1 file", "3 files",
    "0 files"; `plural` for a word that does not just take an s."""
    return f"{count} {word if count == 1 else plural or word + 's'}"


# What a terminal or a line-based reader must not be given raw: C0 controls but the tab (an
# escape sequence, a CR that overwrites the line, a newline that forges a `PATH:LINE:COL:` line),
# DEL and the C1 controls (0x9b is a CSI on some terminals), the line and paragraph separators,
# the bidirectional overrides that reorder what is shown ("Trojan Source"), lone surrogates
# (the undecodable bytes of a file name: not text at all) and the two code points XML forbids.
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\x1b": "\\e"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every character a reader could be fooled by (see `_UNSAFE`) written as a
    visible escape (`\\e`, `\\n`, `\\x9b`, `\\u202e`, `\\xff` for an undecodable byte): what
    every report shows of text that came from a file, so that a file cannot drive the terminal,
    forge a finding line or make the XML invalid. Text without such characters is returned as
    it is."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(_escape, text)


def without_surrogates(value: Any) -> Any:
    """`value` (JSON data) with the lone surrogates of every string escaped as `printable`
    does: JSON text must be Unicode, and a file name that is not UTF-8 holds them."""
    if isinstance(value, str):
        return _SURROGATE.sub(_escape, value) if not value.isascii() else value
    if isinstance(value, list):
        return [without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_surrogates(key): without_surrogates(item) for key, item in value.items()}
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable_line(line: str) -> str:
    """`printable` for one line of a diff or listing, its line end (`\\n` or `\\r\\n`) kept as
    it is, so that a diff of a CRLF file still applies; any other control character in the
    line is escaped (a diff of a hostile file must not drive the terminal either)."""
    body = line.removesuffix("\n")
    end = line[len(body) :]
    if end and body.endswith("\r"):
        body, end = body[:-1], "\r" + end
    return printable(body) + end
