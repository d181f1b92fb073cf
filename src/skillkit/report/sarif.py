"""`--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it, with every rule's metadata
and help in `tool.driver.rules`."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from skillkit import __version__
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.docs import rule_markdown
from skillkit.model import Span
from skillkit.registry import LINT, all_rules
from skillkit.text import without_surrogates

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> dict[str, str]:
    # The path's own bytes, percent-encoded: a name that is not UTF-8 keeps its bytes.
    file = Path(path)
    encoded = quote(os.fsencode(file.as_posix()))
    if file.is_absolute():
        return {"uri": "file://" + encoded}
    return {"uri": encoded, "uriBaseId": "%SRCROOT%"}


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": max(span.line, 1),
        "startColumn": max(span.column, 1),
        "endLine": max(span.end_line, span.line, 1),
        "endColumn": max(span.end_column, 1),
    }


def _rules() -> tuple[list[dict[str, Any]], dict[str, int]]:
    rules = {code: rule for code, rule in all_rules().items() if rule.phase == LINT}
    out: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for code in sorted(rules):
        rule = rules[code]
        index[code] = len(out)
        out.append(
            {
                "id": code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.rationale},
                "help": {
                    "text": f"{rule.summary}\n\n{rule.rationale}",
                    "markdown": rule_markdown(rule, "##"),
                },
                "defaultConfiguration": {
                    "level": _LEVELS[rule.severity],
                    "enabled": rule.default,
                },
                "properties": {
                    "tags": [rule.family + "xx", *sorted(rule.targets or ())],
                    "fixable": rule.fixable,
                },
            }
        )
    return out, index


def _result(diagnostic: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    location = {"artifactLocation": _uri(diagnostic.path), "region": _region(diagnostic.span)}
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "level": _LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": location}],
    }
    if diagnostic.code in index:
        result["ruleIndex"] = index[diagnostic.code]
    if diagnostic.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "message": {"text": related.message},
                "physicalLocation": {
                    "artifactLocation": _uri(related.path or diagnostic.path),
                    "region": _region(related.span),
                },
            }
            for number, related in enumerate(diagnostic.related)
        ]
    if diagnostic.fix is not None:
        result["fixes"] = [
            {
                "description": {"text": diagnostic.fix.description},
                "artifactChanges": [
                    {
                        "artifactLocation": _uri(diagnostic.path),
                        "replacements": [
                            {
                                "deletedRegion": _region(edit.span),
                                "insertedContent": {"text": edit.replacement},
                            }
                            for edit in diagnostic.fix.edits
                        ],
                    }
                ],
            }
        ]
    return result


def write_sarif(
    diagnostics: Sequence[Diagnostic], files: Sequence[str], stream: TextIO, colour: bool
) -> None:
    rules, index = _rules()
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "skillkit",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://pypi.org/project/viberun-skillkit/",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(diagnostic, index) for diagnostic in diagnostics],
            }
        ],
    }
    json.dump(without_surrogates(log), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
