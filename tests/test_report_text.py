"""The `full` format's source line and caret: tabs expand from the line's start, and wide and
combining characters take the columns a terminal gives them."""

from __future__ import annotations

import io

import pytest

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.model import Span
from skillkit.report.text import write_concise, write_full


def caret(line: str, column: int, end_column: int, end_line: int = 1) -> list[str]:
    diagnostic = Diagnostic(
        "demo/SKILL.md",
        Span(1, column, end_line, end_column),
        "SK120",
        "description-invalid",
        Severity.ERROR,
        "m",
        source_line=line,
    )
    stream = io.StringIO()
    write_full([diagnostic], ["demo/SKILL.md"], stream, False)
    return stream.getvalue().split("\n")[1:3]


@pytest.mark.parametrize(
    ("line", "column", "end_column", "expected"),
    [
        ("name: Demo", 7, 11, ["name: Demo", "      ^^^^"]),
        ("ab\tc", 3, 5, ["ab  c", "  ^^^"]),  # the tab runs to column 4, not 4 columns
        ("\tSee", 2, 5, ["    See", "    ^^^"]),
        ("description: 日本語", 14, 17, ["description: 日本語", "             ^^^^^^"]),
        ("x: 日本 y", 7, 8, ["x: 日本 y", "        ^"]),
        ("x: e\u0301z", 6, 7, ["x: e\u0301z", "    ^"]),  # a combining accent takes no column
        ("short", 9, 12, ["short", "     ^"]),  # past the end: one caret after the text
    ],
)
def test_caret(line: str, column: int, end_column: int, expected: list[str]) -> None:
    assert [
        row.split("| ", 1)[1] if "| " in row else "" for row in caret(line, column, end_column)
    ] == [
        expected[0],
        expected[1],
    ]


def test_a_span_over_several_lines_is_marked_to_the_end_of_its_first() -> None:
    assert caret("description: |", 14, 1, end_line=3) == [
        " 1 | description: |",
        "   |              ^",
    ]


def test_no_source_for_an_empty_first_column() -> None:
    assert caret("", 1, 2) == ["", "Found 1 error in 1 file checked."]


def test_concise_never_shows_source() -> None:
    diagnostic = Diagnostic(
        "p", Span(3, 2, 3, 4), "SK111", "name-invalid", Severity.WARNING, "msg", source_line="x"
    )
    stream = io.StringIO()
    write_concise([diagnostic], ["p"], stream, True)
    assert stream.getvalue() == "p:3:2: SK111 msg\n"
