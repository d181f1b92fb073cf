"""Inline Markdown: code spans and links, found on the body lines outside code blocks.

Computed only when a rule asks (see `Skill.inline_code` and `Skill.links`).
"""

from __future__ import annotations

import re

from skillkit.model import InlineCode, Link, Skill, Span

_BACKTICKS = re.compile(r"`+")
# [text](target "title") and ![alt](target); the target may be wrapped in <...>.
_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
)
_REFERENCE = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:\s*(<[^>\n]*>|\S+)")


def _prose_lines(skill: Skill, needle: str) -> list[tuple[int, str]]:
    """The body lines outside code blocks and comments that contain `needle` (every rule here
    needs a backtick or a bracket, and most lines have none: they are dropped first)."""
    lines = skill.lines
    code_lines = skill.code_lines
    comments = skill.comments
    out: list[tuple[int, str]] = []
    for index in range(skill.body_start_line - 1, len(lines)):
        line = lines[index]
        if needle not in line:
            continue
        number = index + 1
        if number in code_lines:
            continue
        if comments and any(c.span.line <= number <= c.span.end_line for c in comments):
            continue
        out.append((number, line))
    return out


def _code_spans(line: str) -> list[tuple[int, int, int, int]]:
    """(open start, content start, content end, close end) of each code span on one line."""
    # Each backtick run once; an opening run pairs with the next run of the same width.
    runs = [found.span() for found in _BACKTICKS.finditer(line)]
    spans: list[tuple[int, int, int, int]] = []
    index, count = 0, len(runs)
    while index < count:
        start, end = runs[index]
        index += 1
        if start > 0 and line[start - 1] == "\\":
            continue
        width = end - start
        for later in range(index, count):
            close_start, close_end = runs[later]
            if close_end - close_start == width:
                spans.append((start, end, close_start, close_end))
                index = later + 1
                break
        # no closing run of the same width: the backticks are literal
    return spans


def find_inline_code(skill: Skill) -> tuple[InlineCode, ...]:
    found: list[InlineCode] = []
    for number, line in _prose_lines(skill, "`"):
        for _, start, end, _ in _code_spans(line):
            content = line[start:end]
            # CommonMark strips one space on each side when both are there.
            if len(content) > 2 and content[0] == " " and content[-1] == " " and content.strip():
                content, start, end = content[1:-1], start + 1, end - 1
            found.append(InlineCode(content, Span(number, start + 1, number, end + 1)))
    return tuple(found)


def find_links(skill: Skill) -> tuple[Link, ...]:
    found: list[Link] = []
    for number, line in _prose_lines(skill, "]"):
        if "](" in line:
            code = _code_spans(line)
            for match in _LINK.finditer(line):
                if any(a <= match.start() < d for a, _, _, d in code):
                    continue
                target = match.group(3)
                start = match.start(3)
                if target.startswith("<") and target.endswith(">"):
                    target, start = target[1:-1], start + 1
                found.append(
                    Link(
                        text=match.group(2),
                        target=target,
                        span=Span(number, start + 1, number, start + 1 + len(target)),
                        image=match.group(1) == "!",
                    )
                )
        elif "]:" in line:
            reference = _REFERENCE.match(line)
            if reference:
                target = reference.group(2).strip("<>")
                start = line.index(target, reference.start(2))
                found.append(
                    Link(
                        reference.group(1),
                        target,
                        Span(number, start + 1, number, start + 1 + len(target)),
                    )
                )
    return tuple(found)
