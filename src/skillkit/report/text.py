"""The human formats: `full` (source line and caret, a summary) and `concise` (one line each)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TextIO

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.text import plural, printable

_COLOURS = {
    Severity.ERROR: "\033[1;31m",
    Severity.WARNING: "\033[1;33m",
    Severity.INFO: "\033[1;36m",
}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _location(diagnostic: Diagnostic) -> str:
    return f"{printable(diagnostic.path)}:{diagnostic.span.line}:{diagnostic.span.column}"


def write_concise(
    diagnostics: Sequence[Diagnostic], files: Sequence[str], stream: TextIO, colour: bool
) -> None:
    for diagnostic in diagnostics:
        message = printable(diagnostic.message)
        stream.write(f"{_location(diagnostic)}: {diagnostic.code} {message}\n")


def _width(text: str) -> int:
    """Terminal columns of `text`: East Asian wide characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in ("W", "F")
        else 1
        for char in text
    )


# The most characters of a source line shown under a finding: a long line is clipped around
# the span (one minified line with thousands of findings printed whole would make gigabytes).
SHOWN_CHARACTERS = 120
_CONTEXT_BEFORE = 30  # characters kept before the span when the line is clipped
_ELLIPSIS = "…"


def _caret(diagnostic: Diagnostic) -> tuple[str, str]:
    """The source line (clipped around the span when long, tabs expanded, control characters
    escaped) and a caret line under the span, in terminal columns."""
    line = diagnostic.source_line
    span = diagnostic.span
    start = max(span.column - 1, 0)
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    end = max(min(end, len(line)), start + 1)
    prefix = suffix = ""
    if len(line) > SHOWN_CHARACTERS:
        first = max(0, min(start - _CONTEXT_BEFORE, len(line) - SHOWN_CHARACTERS))
        last = first + SHOWN_CHARACTERS
        prefix = _ELLIPSIS if first else ""
        suffix = _ELLIPSIS if last < len(line) else ""
        line = line[first:last]
        start, end = start - first, max(min(end - first, len(line)), start - first + 1)
    # Expand tabs on the whole line's prefixes, so that tab stops count from the line's start;
    # escapes widen the prefixes as they widen the line.
    before = _width(prefix + printable(line[:start]).expandtabs(4))
    through = _width(prefix + printable(line[:end]).expandtabs(4))
    shown = prefix + printable(line).expandtabs(4) + suffix
    return shown, " " * before + "^" * max(through - before, 1)


def summary(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> str:
    counts = {severity: 0 for severity in Severity}
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    checked = f"{plural(len(files), 'file')} checked"
    if not diagnostics:
        return f"All clean: {checked}."
    parts = [
        plural(counts[severity], severity.label)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[severity]
    ]
    fixable = sum(1 for d in diagnostics if d.fix is not None and d.fix.safe)
    text = f"Found {', '.join(parts)} in {checked}."
    if fixable:
        text += f" {fixable} fixable with `--fix`."
    return text


def write_full(
    diagnostics: Sequence[Diagnostic], files: Sequence[str], stream: TextIO, colour: bool
) -> None:
    for diagnostic in diagnostics:
        severity = diagnostic.severity
        if colour:
            head = (
                f"{_BOLD}{_location(diagnostic)}{_RESET}: {_COLOURS[severity]}{diagnostic.code}"
                f"{_RESET} {printable(diagnostic.message)} {_DIM}[{severity.label}]{_RESET}\n"
            )
        else:
            head = (
                f"{_location(diagnostic)}: {diagnostic.code} {printable(diagnostic.message)} "
                f"[{severity.label}]\n"
            )
        stream.write(head)
        if diagnostic.source_line or diagnostic.span.column > 1:
            gutter = str(diagnostic.span.line)
            source, caret = _caret(diagnostic)
            pad = " " * len(gutter)
            bar = f"{_DIM}|{_RESET}" if colour else "|"
            caret_text = f"{_COLOURS[severity]}{caret}{_RESET}" if colour else caret
            stream.write(f" {gutter} {bar} {source}\n {pad} {bar} {caret_text}\n")
        for related in diagnostic.related:
            where = printable(related.path or diagnostic.path)
            note = printable(related.message)
            stream.write(f"  = note: {note} ({where}:{related.span.line})\n")
        if diagnostic.fix is not None:
            kind = "fix" if diagnostic.fix.safe else "unsafe fix"
            stream.write(f"  = {kind}: {printable(diagnostic.fix.description)}\n")
        stream.write("\n")
    text = summary(diagnostics, files)
    stream.write((f"{_BOLD}{text}{_RESET}" if colour else text) + "\n")
