"""`--format json`: a list of findings, one object each."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from skillkit.diagnostics import Diagnostic
from skillkit.text import without_surrogates


def diagnostic_to_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    span = diagnostic.span
    out: dict[str, Any] = {
        "path": diagnostic.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.label,
        "message": diagnostic.message,
    }
    if diagnostic.fix is not None:
        out["fix"] = {
            "description": diagnostic.fix.description,
            "safe": diagnostic.fix.safe,
            "edits": [
                {
                    "line": edit.span.line,
                    "column": edit.span.column,
                    "end_line": edit.span.end_line,
                    "end_column": edit.span.end_column,
                    "replacement": edit.replacement,
                }
                for edit in diagnostic.fix.edits
            ],
        }
    if diagnostic.related:
        out["related"] = [
            {
                "message": related.message,
                "path": related.path or diagnostic.path,
                "line": related.span.line,
                "column": related.span.column,
            }
            for related in diagnostic.related
        ]
    return out


def write_json(
    diagnostics: Sequence[Diagnostic], files: Sequence[str], stream: TextIO, colour: bool
) -> None:
    # (JSON escapes control characters itself; a name that is not UTF-8 needs escaping first)
    found = without_surrogates([diagnostic_to_dict(d) for d in diagnostics])
    json.dump(found, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
