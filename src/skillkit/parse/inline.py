"""Inline Markdown: code spans and links, found on the body lines outside code blocks.

Computed only when a rule asks (see `Skill.inline_code` and `Skill.links`).
"""

from __future__ import annotations

import bisect
import re

from skillkit.model import InlineCode, Link, Skill, Span

_BACKTICKS = re.compile(r"`+")
# A whole code span: an opening run of backticks (not preceded by a backtick or a backslash), its
# content, and the next run of exactly the same width. Possessive loops never backtrack; but an
# opening run without a closing one costs a scan of the rest of the line, so long lines (where
# many such runs would make it quadratic) go through the linear `_code_spans_by_run` instead.
_CODE_SPAN = re.compile(r"(`(?<![\\`]`)`*+)((?:[^`]++|(?!\1(?!`))`++)*+)\1(?!`)")
_REGEX_MAX_LINE = 1_000
# [text](target "title") and ![alt](target); the target may be wrapped in <...>.
_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\(\s*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
)
_REFERENCE = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:\s*(<[^>\n]*>|\S+)")


def _prose_lines(skill: Skill, needle: str) -> list[tuple[int, str]]:
    """The body lines outside code blocks and comments that contain `needle` (every rule here
    needs a backtick or a bracket, and most lines have none: they are dropped first)."""
    lines = skill.lines
    code_lines = skill.code_lines
    # The comments' line ranges, walked along with the lines: O(1) per line, not per comment.
    comments = sorted((c.span.line, c.span.end_line) for c in skill.comments)
    next_comment = 0
    out: list[tuple[int, str]] = []
    for index in range(skill.body_start_line - 1, len(lines)):
        line = lines[index]
        if needle not in line:
            continue
        number = index + 1
        if number in code_lines:
            continue
        if comments:
            while next_comment < len(comments) and comments[next_comment][1] < number:
                next_comment += 1
            if next_comment < len(comments) and comments[next_comment][0] <= number:
                continue
        out.append((number, line))
    return out


def _code_spans(line: str) -> list[tuple[int, int, int, int]]:
    """(open start, content start, content end, close end) of each code span on one line."""
    if len(line) <= _REGEX_MAX_LINE:
        return [(m.start(), m.start(2), m.end(2), m.end()) for m in _CODE_SPAN.finditer(line)]
    return _code_spans_by_run(line)


def _code_spans_by_run(line: str) -> list[tuple[int, int, int, int]]:
    """`_code_spans` in time linear in the line's length, however many runs it holds."""
    # Every backtick run once, and for each width the runs of that width in order: finding the
    # closing run is then a lookup, not a rescan of the rest of the line for every opening
    # (which is quadratic on a line of backtick runs of many widths).
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    by_width: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_width.setdefault(end - start, []).append(index)
    spans: list[tuple[int, int, int, int]] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        if start > 0 and line[start - 1] == "\\":
            index += 1
            continue
        same = by_width[end - start]
        later = bisect.bisect_right(same, index)
        if later == len(same):  # no closing run of the same width: the backticks are literal
            index += 1
            continue
        closing = same[later]
        spans.append((start, end, runs[closing][0], runs[closing][1]))
        index = closing + 1
    return spans


def find_inline_code(skill: Skill) -> tuple[InlineCode, ...]:
    found: list[InlineCode] = []
    append = found.append  # (hot: 50 code spans in a typical skill)
    for number, line in _prose_lines(skill, "`"):
        if len(line) > _REGEX_MAX_LINE:
            for _, start, end, _ in _code_spans_by_run(line):
                append(_inline_code(line[start:end], number, start))
            continue
        # [text before, opening run, content] for each span, then the rest of the line: the
        # positions follow from the lengths (no match object for each span).
        pieces = _CODE_SPAN.split(line)
        position = 0
        for index in range(0, len(pieces) - 1, 3):
            width = len(pieces[index + 1])
            content = pieces[index + 2]
            start = position + len(pieces[index]) + width
            position = start + len(content) + width
            append(_inline_code(content, number, start))
    return tuple(found)


def _inline_code(content: str, line: int, start: int) -> InlineCode:
    """The code span whose content, `content`, starts at index `start` of the line."""
    # CommonMark strips one space on each side when both are there.
    if content[:1] == " " and content[-1] == " " and len(content) > 2 and content.strip():
        content, start = content[1:-1], start + 1
    return InlineCode(content, Span(line, start + 1, line, start + 1 + len(content)))


def find_links(skill: Skill) -> tuple[Link, ...]:
    found: list[Link] = []
    for number, line in _prose_lines(skill, "]"):
        if "](" in line:
            code = _code_spans(line)
            # Code spans are in order and do not overlap: a binary search tells whether a link
            # starts inside one (a scan of all of them for each link is quadratic).
            code_starts = [span[0] for span in code]
            for match in _LINK.finditer(line):
                inside = bisect.bisect_right(code_starts, match.start()) - 1
                if inside >= 0 and match.start() < code[inside][3]:
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
