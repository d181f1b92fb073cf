"""Markdown block structure: headings, the section tree, fenced code blocks and HTML comments.

This is a line scanner, not a full CommonMark parser: rules need the block structure of every file
and a full markdown-it-py parse costs more than the reference validator's whole run. The scanner
follows CommonMark where skills live (ATX and setext headings, backtick and tilde fences of any
length, fences indented inside list items, HTML comments); `tests/test_markdown.py` checks it
against markdown-it-py on the real corpus.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from skillkit.model import CodeBlock, Comment, Problem, ProblemKind, Section, Span

# The opening of an ATX heading; the rest of the line is read by `_atx_title` (one regex for the
# whole line, with a lazy title before optional closing hashes, backtracks quadratically on a
# line of spaces).
_ATX_OPEN = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST_OR_QUOTE = re.compile(r"^ {0,3}(?:[-+*]|\d{1,9}[.)]|>)(?:[ \t]|$)")
_THEMATIC = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")


@dataclass
class _OpenSection:
    title: str
    level: int
    span: Span
    start_line: int
    children: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class BlockStructure:
    sections: tuple[Section, ...]
    code_blocks: tuple[CodeBlock, ...]
    comments: tuple[Comment, ...]
    code_lines: frozenset[int]
    problems: tuple[Problem, ...]


def scan_blocks(lines: Sequence[str], first_line: int) -> BlockStructure:
    """Scan lines[first_line - 1:] (1-based `first_line`) for the block structure."""
    code_blocks: list[CodeBlock] = []
    comments: list[Comment] = []
    code_lines: set[int] = set()
    problems: list[Problem] = []
    headings: list[tuple[str, int, Span]] = []

    last = len(lines)
    number = first_line
    paragraph_open = False  # the previous line is paragraph text (a setext underline may follow)
    while number <= last:
        line = lines[number - 1]
        stripped = line.lstrip()
        if not stripped:
            paragraph_open = False
            number += 1
            continue
        if stripped[0] in "`~":
            fence = _FENCE.match(line)
            if fence and not (fence.group(2)[0] == "`" and "`" in fence.group(3)):
                number = _read_fence(lines, number, fence, code_blocks, code_lines, problems)
                paragraph_open = False
                continue
        if stripped.startswith("<!--"):
            number = _read_comment(lines, number, comments)
            paragraph_open = False
            continue
        if stripped[0] == "#":
            atx = _ATX_OPEN.match(line)
            if atx:
                title = _atx_title(line[atx.end(1) :])
                headings.append((title, len(atx.group(1)), Span.whole_line(number, line)))
                paragraph_open = False
                number += 1
                continue
        if paragraph_open and stripped[0] in "=-" and _SETEXT.match(line):
            previous = lines[number - 2]
            headings.append(
                (
                    previous.strip(),
                    1 if stripped[0] == "=" else 2,
                    Span(number - 1, 1, number, len(line) + 1),
                )
            )
            paragraph_open = False
            number += 1
            continue
        indent = len(line) - len(stripped)
        # Text that can be a setext heading's title: a paragraph line, not a list item, quote,
        # rule or indented code.
        paragraph_open = indent < 4 and not _LIST_OR_QUOTE.match(line) and not _THEMATIC.match(line)
        number += 1

    sections = _build_tree(headings, last)
    return BlockStructure(
        sections=sections,
        code_blocks=tuple(code_blocks),
        comments=tuple(comments),
        code_lines=frozenset(code_lines),
        problems=tuple(problems),
    )


def _atx_title(rest: str) -> str:
    """The title of an ATX heading from what follows its opening hashes: without the optional
    closing sequence (hashes preceded by a space or tab) and the spaces around it."""
    rest = rest.strip(" \t")
    without_hashes = rest.rstrip("#")
    if not without_hashes:
        return ""
    if without_hashes != rest and without_hashes[-1] in " \t":
        rest = without_hashes.rstrip(" \t")
    return rest.strip()


def _read_fence(
    lines: Sequence[str],
    opening: int,
    fence: re.Match[str],
    code_blocks: list[CodeBlock],
    code_lines: set[int],
    problems: list[Problem],
) -> int:
    indent = len(fence.group(1).expandtabs(4))
    marker = fence.group(2)
    info = fence.group(3).strip()
    char, length = marker[0], len(marker)
    content: list[str] = []
    number = opening + 1
    closed = False
    while number <= len(lines):
        line = lines[number - 1]
        stripped = line.strip()
        if stripped and stripped[0] == char and set(stripped) == {char} and len(stripped) >= length:
            closed = True
            break
        content.append(_dedent(line, indent))
        code_lines.add(number)
        number += 1
    end_line = number if closed else len(lines)
    end_text = lines[end_line - 1] if end_line >= 1 and lines else ""
    span = Span(opening, indent + 1, end_line, len(end_text) + 1)
    code_blocks.append(
        CodeBlock(
            info=info,
            language=info.split()[0].lower() if info else "",
            text="\n".join(content) + ("\n" if content else ""),
            span=span,
            content_line=opening + 1,
            indent=indent,
            closed=closed,
        )
    )
    if not closed:
        problems.append(
            Problem(
                ProblemKind.UNCLOSED_FENCE,
                f"code fence `{marker}` opened here is never closed; "
                "the rest of the file is read as code",
                Span(opening, indent + 1, opening, indent + 1 + length),
            )
        )
        return len(lines) + 1
    return number + 1


def _dedent(line: str, indent: int) -> str:
    """Remove up to `indent` leading spaces, as CommonMark does for content of an indented fence."""
    removed = 0
    while removed < indent and removed < len(line) and line[removed] == " ":
        removed += 1
    return line[removed:]


def _read_comment(lines: Sequence[str], opening: int, comments: list[Comment]) -> int:
    first = lines[opening - 1]
    start_column = first.index("<!--") + 1
    parts: list[str] = []
    number = opening
    while number <= len(lines):
        line = lines[number - 1]
        segment = line[start_column - 1 + 4 :] if number == opening else line
        end = segment.find("-->")
        if end >= 0:
            parts.append(segment[:end])
            end_column = (
                (start_column - 1 + 4 + end + 3 + 1) if number == opening else (end + 3 + 1)
            )
            comments.append(
                Comment("\n".join(parts).strip(), Span(opening, start_column, number, end_column))
            )
            return number + 1
        parts.append(segment)
        number += 1
    # An unclosed comment runs to the end of the file, as in HTML.
    comments.append(Comment("\n".join(parts).strip(), Span(opening, start_column, len(lines), 1)))
    return len(lines) + 1


def _build_tree(headings: list[tuple[str, int, Span]], last_line: int) -> tuple[Section, ...]:
    roots: list[Section] = []
    stack: list[_OpenSection] = []

    def close(until_level: int, end_line: int) -> None:
        while stack and stack[-1].level >= until_level:
            done = stack.pop()
            section = Section(
                title=done.title,
                level=done.level,
                span=done.span,
                start_line=done.start_line,
                end_line=end_line,
                children=tuple(done.children),
            )
            (stack[-1].children if stack else roots).append(section)

    for title, level, span in headings:
        close(level, span.line - 1)
        stack.append(_OpenSection(title, level, span, span.line))
    close(0, last_line)
    return tuple(roots)
