"""`--format github`: GitHub Actions workflow commands, one annotation a finding.

`::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message`, with `%`, CR and LF
escaped in the message and, in the properties, `:` and `,` as well (else a path with a comma
would end the property early).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.text import printable

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    # CR and LF as the workflow command wants them (a line break inside the annotation); every
    # other control character escaped, as every format does.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    properties = [("file", diagnostic.path), ("line", str(span.line))]
    properties.append(("col", str(span.column)))
    properties.append(("endLine", str(max(span.end_line, span.line))))
    properties.append(("endColumn", str(span.end_column)))
    properties.append(("title", diagnostic.code))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = f"{diagnostic.message} ({diagnostic.name})"
    return f"::{_COMMANDS[diagnostic.severity]} {rendered}::{escape_data(message)}"


def write_github(
    diagnostics: Sequence[Diagnostic], files: Sequence[str], stream: TextIO, colour: bool
) -> None:
    for diagnostic in diagnostics:
        stream.write(annotation(diagnostic) + "\n")
