"""Formatters: one per output format, all fed the same diagnostics. None re-parses a file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from skillkit.diagnostics import Diagnostic

# (diagnostics, files linted, stream, colour) -> None
Formatter = Callable[[Sequence[Diagnostic], Sequence[str], TextIO, bool], None]


def get_formatter(name: str) -> Formatter:
    """The formatter for a format name; imported on demand so that a lint imports only one."""
    if name == "full":
        from skillkit.report.text import write_full

        return write_full
    if name == "concise":
        from skillkit.report.text import write_concise

        return write_concise
    if name == "json":
        from skillkit.report.json_format import write_json

        return write_json
    if name == "sarif":
        from skillkit.report.sarif import write_sarif

        return write_sarif
    if name == "github":
        from skillkit.report.github import write_github

        return write_github
    if name == "junit":
        from skillkit.report.junit import write_junit

        return write_junit
    raise KeyError(name)


FORMATS = ("full", "concise", "json", "sarif", "github", "junit")
