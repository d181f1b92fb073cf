"""Formatters: one per output format, all fed the same diagnostics. None re-parses a file.

Each lives in its own module, and the CLI imports only the one asked for
(`skillkit.commands.lint.formatter`): SARIF's rule help and JUnit's XML cost start-up time that
a plain lint does not pay."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from skillkit.diagnostics import Diagnostic

# (diagnostics, files linted, stream, colour) -> None
Formatter = Callable[[Sequence[Diagnostic], Sequence[str], TextIO, bool], None]


FORMATS = ("full", "concise", "json", "sarif", "github", "junit")
