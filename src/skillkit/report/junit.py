"""`--format junit`: JUnit XML, one test suite a file and one failing test case a finding (a clean
file is one passing test case), as CI servers that show test reports read it."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from typing import TextIO

from skillkit.diagnostics import Diagnostic
from skillkit.text import printable


def write_junit(
    diagnostics: Sequence[Diagnostic], files: Sequence[str], stream: TextIO, colour: bool
) -> None:
    # Every text is made printable: XML 1.0 cannot hold most control characters at all.
    by_file: dict[str, list[Diagnostic]] = {printable(path): [] for path in files}
    for diagnostic in diagnostics:
        by_file.setdefault(printable(diagnostic.path), []).append(diagnostic)
    root = ElementTree.Element(
        "testsuites",
        name="skillkit",
        tests=str(sum(max(len(found), 1) for found in by_file.values())),
        failures=str(len(diagnostics)),
        errors="0",
    )
    for path, found in by_file.items():
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=path,
            tests=str(max(len(found), 1)),
            failures=str(len(found)),
            errors="0",
            skipped="0",
        )
        if not found:
            ElementTree.SubElement(suite, "testcase", name="skillkit", classname=path)
            continue
        for diagnostic in found:
            span = diagnostic.span
            message = printable(diagnostic.message)
            case = ElementTree.SubElement(
                suite,
                "testcase",
                name=f"{diagnostic.code} {diagnostic.name} (line {span.line})",
                classname=path,
                file=path,
                line=str(span.line),
            )
            failure = ElementTree.SubElement(
                case,
                "failure",
                message=message,
                type=f"{diagnostic.code} {diagnostic.severity.label}",
            )
            failure.text = f"{path}:{span.line}:{span.column}: {diagnostic.code} {message}"
    ElementTree.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ElementTree.tostring(root, encoding="unicode"))
    stream.write("\n")
