"""Diagnostics as plain tuples (what `marshal` can hold, for the lint cache's files) and back,
with validation: anything malformed raises instead of making a diagnostic."""

from __future__ import annotations

from typing import Any

from skillkit.diagnostics import Diagnostic, Edit, Fix, Related, Severity
from skillkit.model import Span

SpanTuple = tuple[int, int, int, int]


def _span_out(span: Span) -> SpanTuple:
    return (span.line, span.column, span.end_line, span.end_column)


def _span_in(value: Any) -> Span:
    line, column, end_line, end_column = value
    if not (
        type(line) is int
        and type(column) is int
        and type(end_line) is int
        and type(end_column) is int
    ):
        raise TypeError("span")
    return Span(line, column, end_line, end_column)


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("text")
    return value


def encode_diagnostic(diagnostic: Diagnostic) -> tuple[Any, ...]:
    fix = diagnostic.fix
    return (
        _span_out(diagnostic.span),
        diagnostic.code,
        diagnostic.name,
        int(diagnostic.severity),
        diagnostic.message,
        None
        if fix is None
        else (
            fix.description,
            tuple((_span_out(edit.span), edit.replacement) for edit in fix.edits),
            fix.safe,
        ),
        tuple(
            (related.message, _span_out(related.span), related.path)
            for related in diagnostic.related
        ),
        diagnostic.source_line,
    )


def decode_diagnostic(path: str, value: Any) -> Diagnostic:
    """The diagnostic a tuple encodes; raises (TypeError, ValueError) on anything malformed."""
    span, code, name, severity, message, fix, related, source_line = value
    decoded_fix: Fix | None = None
    if fix is not None:
        description, edits, safe = fix
        if type(safe) is not bool:
            raise TypeError("fix")
        decoded_fix = Fix(
            _text(description),
            tuple(Edit(_span_in(edit_span), _text(text)) for edit_span, text in edits),
            safe,
        )
    decoded_related: list[Related] = []
    for related_message, related_span, related_path in related:
        if related_path is not None:
            _text(related_path)
        decoded_related.append(
            Related(_text(related_message), _span_in(related_span), related_path)
        )
    return Diagnostic(
        path=path,
        span=_span_in(span),
        code=_text(code),
        name=_text(name),
        severity=Severity(severity),
        message=_text(message),
        fix=decoded_fix,
        related=tuple(decoded_related),
        source_line=_text(source_line),
    )
