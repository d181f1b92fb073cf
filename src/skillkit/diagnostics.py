"""What rules find and what the engine reports: findings, diagnostics, fixes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from skillkit.model import Span


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @staticmethod
    def parse(text: str) -> Severity:
        return Severity[text.upper()]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text of `span` (in the original file) with `replacement`."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (the guardrail a command breaks, say)."""

    message: str
    span: Span
    path: str | None = None  # None: the same file


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule yields: where and what. The engine adds the rule's code, name and severity.

    `severity` is for a rule whose findings carry their own (a custom guardrail says how bad it
    is); the config's severity for the rule still wins over it.
    """

    span: Span
    message: str
    fix: Fix | None = None
    related: tuple[Related, ...] = ()
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    span: Span
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None
    related: tuple[Related, ...] = ()
    source_line: str = ""  # the text of `span.line`, so that reporters never read files

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)
