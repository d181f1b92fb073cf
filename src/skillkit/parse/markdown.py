"""Markdown block structure: headings, the section tree, fenced code blocks and HTML comments.

This is a line scanner, not a full CommonMark parser: rules need the block structure of every file
and a full markdown-it-py parse costs more than the reference validator's whole run. The scanner
follows CommonMark where skills live (ATX and setext headings, backtick and tilde fences of any
length, list items and the fences and headings inside them, indented code, HTML blocks and
comments); `tests/test_markdown.py` checks it against markdown-it-py on the real corpus and on
generated documents, and lists the few deliberate differences (block quotes are not looked into).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from skillkit.model import CodeBlock, Comment, Problem, ProblemKind, Section, Span

# The opening of an ATX heading; the rest of the line is read by `_atx_title` (one regex for the
# whole line, with a lazy title before optional closing hashes, backtracks quadratically on a
# line of spaces).
_ATX_OPEN = re.compile(r"(#{1,6})(?:[ \t]|$)")
_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_LIST_MARKER = re.compile(r"^(?:[-+*]|(\d{1,9})[.)])(?=[ \t]|$)")
_THEMATIC = re.compile(r"^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_STARTS = frozenset("-+*0123456789")  # the first characters _LIST_MARKER can match
_CONTAINER_STARTS = frozenset(" \t") | _LIST_STARTS  # a line that starts so may be in a list
# Text that starts no block although its first character may: emphasis (`**Note**`, not a list
# marker or a thematic break) or a code span (`` `x` ``, not a fence).
_TEXT = r"(?:[^ \t#`~<\-+*_=>0-9]|\*+[^ \t*]|`(?!``))"
_STARTS_TEXT = re.compile(_TEXT)
# A list item whose marker is followed by one space and such text.
# (The match ends where the content starts.)
_SIMPLE_ITEM = re.compile(rf"(?:[-+*]|(\d{{1,9}})[.)]) (?={_TEXT})")
# The same marker, read at an offset into a line (`pattern.match(line, offset)`).
_LIST_MARKER_AT = re.compile(r"(?:[-+*]|(\d{1,9})[.)])(?=[ \t]|$)")
_BLANKS = re.compile(r"[ \t]*")
# The first characters of a line that can do more than start or continue a paragraph: indent,
# headings, fences, HTML and comments, list items, thematic breaks, setext underlines, quotes.
_BLOCK_STARTS = frozenset(" \t#`~<-+*_=>") | _LIST_STARTS

# CommonMark's HTML blocks (spec 0.31.2, section 4.6): (start, end, can interrupt a paragraph).
# An end pattern of None means the block runs to the next blank line. Comments (kind 2) are read
# separately, because suppressions live in them.
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details"
    "|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5"
    "|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup"
    "|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_ATTRIBUTE = (
    r"(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*"
    r"(?:\s*=\s*(?:[^\"'=<>`\x00-\x20]+|'[^']*'|\"[^\"]*\"))?)"
)
_HTML_BLOCKS: tuple[tuple[re.Pattern[str], re.Pattern[str] | None, bool], ...] = (
    (
        re.compile(r"^<(?:script|pre|style|textarea)(?=\s|>|$)", re.IGNORECASE),
        re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE),
        True,
    ),
    (re.compile(r"^<\?"), re.compile(r"\?>"), True),
    (re.compile(r"^<![A-Za-z]"), re.compile(r">"), True),
    (re.compile(r"^<!\[CDATA\["), re.compile(r"\]\]>"), True),
    (re.compile(rf"^</?(?:{_BLOCK_TAGS})(?=\s|/?>|$)", re.IGNORECASE), None, True),
    (
        re.compile(
            rf"^(?:<[A-Za-z][A-Za-z0-9-]*{_ATTRIBUTE}*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"
        ),
        None,
        False,
    ),
)


@dataclass(frozen=True)
class BlockStructure:
    sections: tuple[Section, ...]
    code_blocks: tuple[CodeBlock, ...]
    comments: tuple[Comment, ...]
    code_lines: frozenset[int]
    problems: tuple[Problem, ...]


def _columns(prefix: str) -> int:
    """The width of leading whitespace, with tab stops every 4 columns as CommonMark has them."""
    return len(prefix.expandtabs(4))


def _blank_columns(line: str, start: int, end: int, column: int) -> int:
    """The columns that the blanks line[start:end] span when they begin at `column` (tab stops
    every 4); counting stops past 4, the most that matters for a list item's content column."""
    width = column
    for index in range(start, min(end, start + 5)):
        width += 4 - width % 4 if line[index] == "\t" else 1
    return width - column if end - start <= 5 else max(width - column, 5)


class _ThematicSuffix:
    """Whether line[offset:] is a thematic break of `-` or `*` (three or more, with blanks
    between), in constant time after one pass over the line per character (the regex on each
    suffix is quadratic on a line of nested `- - - ...` markers)."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.clean_from: dict[str, int] = {}

    def at(self, offset: int) -> bool:
        char = self.line[offset]
        if char not in self.clean_from:
            # Past this index the line holds only `char` and blanks.
            self.clean_from[char] = len(self.line.rstrip(char + " \t"))
        return offset >= self.clean_from[char] and self.line.count(char, offset) >= 3


def _outer_column(items: list[int], indent: int) -> int:
    """The content column of the innermost open list item that a line at `indent` is inside."""
    return next((column for column in reversed(items) if column <= indent), 0)


def _split_indent(line: str) -> tuple[int, str]:
    if not line or line[0] not in " \t":
        return 0, line  # most lines: no indent, nothing to measure
    rest = line.lstrip(" \t")
    width = len(line) - len(rest)
    if line.find("\t", 0, width) < 0:
        return width, rest  # spaces only: one column each
    return _columns(line[:width]), rest


def _html_block_end(rest: str, paragraph_open: bool) -> tuple[re.Pattern[str] | None] | None:
    """The end pattern of the HTML block that `rest` opens (in a 1-tuple), or None."""
    if rest[:1] != "<":
        return None  # every HTML block starts with `<`
    for start, end, interrupts in _HTML_BLOCKS:
        if (interrupts or not paragraph_open) and start.match(rest):
            return (end,)
    return None


def _atx_title(rest: str) -> str:
    """The title of an ATX heading from what follows its opening hashes: without the optional
    closing sequence (hashes preceded by a space or tab, or alone: `# #`) and the spaces around."""
    rest = rest.strip(" \t")
    without_hashes = rest.rstrip("#")
    if not without_hashes:
        return ""
    if without_hashes != rest and without_hashes[-1] in " \t":
        rest = without_hashes.rstrip(" \t")
    return rest.strip()


def _opens_block(rest: str) -> bool:
    """Whether a line that is less indented than its list item starts a block of its own (and so
    ends the item) rather than continuing the item's paragraph lazily."""
    first = rest[:1]  # each pattern is tried only on a line that starts as it must
    return bool(
        (first in ("`", "~") and _FENCE.match(rest))
        or (first == "#" and _ATX_OPEN.match(rest))
        or (first in ("-", "*", "_") and _THEMATIC.match(rest))
        or (first != "" and first in _LIST_STARTS and _LIST_MARKER.match(rest))
        or rest.startswith((">", "<!--"))
        or _html_block_end(rest, True)
    )


@dataclass(slots=True)
class _BlockState:
    """What the block rules share while they scan a file (markdown-it-py's `StateBlock`): the
    lines, the open containers and paragraph, and what has been found so far."""

    lines: Sequence[str]
    items: list[int] = field(default_factory=list)  # each open list item's content column
    # The first line of the open paragraph (0: none): a setext underline makes it a heading, and
    # a line that could start a block may continue it instead.
    paragraph_start: int = 0
    empty_item: int = -1  # the line of a list item with nothing after its marker
    headings: list[tuple[str, int, Span]] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    code_lines: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


# A block rule tries its construct at a line: (state, line number, the line, the rest of it after
# its indent and list markers, the column that rest starts at, the content column of the
# innermost open list item). It returns the number of the line after the construct, or 0 when the
# construct is not there.
_BlockRule = Callable[[_BlockState, int, str, str, int, int], int]


def scan_blocks(lines: Sequence[str], first_line: int) -> BlockStructure:
    """Scan lines[first_line - 1:] (1-based `first_line`) for the block structure.

    Containers: list items are followed (a fence or a heading inside an item counts, and the end
    of an item ends a fence in it); block quotes are not looked into, their text is quoted.
    A line that may hold more than paragraph text goes through the list items it is in or opens
    (`_list_items`), then through the block rules (`_BLOCK_RULES`, as in markdown-it-py) until
    one finds its construct there.
    """
    state = _BlockState(lines)
    items = state.items
    last = len(lines)
    number = first_line
    while number <= last:
        line = lines[number - 1]
        first = line[:1]
        if first not in _BLOCK_STARTS or (first in "*`" and _STARTS_TEXT.match(line)):
            # Blank lines, and text that can only start or continue a paragraph (every rule
            # needs one of _BLOCK_STARTS first): most lines of a file, read here directly.
            if not first:  # (`_blank_line`, inlined: many lines are blank)
                state.paragraph_start = 0
                if state.empty_item == number - 1 and items:
                    items.pop()
            elif not state.paragraph_start:
                items.clear()  # text at column 1 ends every list item, unless it is lazy
                state.paragraph_start = number
            number += 1
            continue
        if items or first in _CONTAINER_STARTS:
            inside = _list_items(state, number, line)
            if inside is None:
                number += 1  # the line was all list markers, or more of an item's paragraph
                continue
            rest, indent, container = inside
            if indent - container >= 4:
                number = _indented_code(state, number)  # (only the indent decides it)
                continue
        else:
            rest, indent, container = line, 0, 0  # at column 1, in no list item
        for rule in _RULES_BY_START.get(rest[0], _RULES_FOR_TEXT):
            after = rule(state, number, line, rest, indent, container)
            if after:
                number = after
                break
    return BlockStructure(
        sections=_build_tree(state.headings, last),
        code_blocks=tuple(state.code_blocks),
        comments=tuple(state.comments),
        code_lines=frozenset(state.code_lines),
        problems=tuple(state.problems),
    )


def _blank_line(state: _BlockState, number: int) -> None:
    """A blank line ends the open paragraph, and a list item that has had nothing yet."""
    state.paragraph_start = 0
    if state.empty_item == number - 1 and state.items:
        state.items.pop()  # an item may start with one blank line only if content follows


def _list_items(state: _BlockState, number: int, line: str) -> tuple[str, int, int] | None:
    """The list-item rule: close the items a line is less indented than, and open the items it
    starts. Returns what follows (the rest of the line, its column, the content column of its
    innermost item), or None when nothing does: the line is blank, or more of an item's
    paragraph."""
    if line[0] in " \t":
        rest = line.lstrip(" \t")
        if not rest:
            _blank_line(state, number)
            return None
        start = len(line) - len(rest)
        indent = start if line.find("\t", 0, start) < 0 else _columns(line[:start])
    else:
        rest, start, indent = line, 0, 0
    simple = _SIMPLE_ITEM.match(rest) if rest[0] in _LIST_STARTS else None
    items = state.items
    if items and indent < items[-1]:
        # Less indented than its item: more of the item's paragraph (a lazy continuation
        # line), or else outside the items it is less indented than.
        if state.paragraph_start and (
            (indent >= 4 and indent - _outer_column(items, indent) >= 4)
            or not (simple or _opens_block(rest))
        ):
            return None
        while items and indent < items[-1]:
            items.pop()
        state.paragraph_start = 0
    container = items[-1] if items else 0
    if (
        simple
        and indent - container <= 3
        and not (state.paragraph_start and simple.group(1) not in (None, "1"))
    ):
        # The commonest item, `- text`: its content is a paragraph (what `_open_items` would
        # find, in one step).
        items.append(indent + simple.end())
        state.paragraph_start = number
        return None
    if indent - container <= 3 and rest[0] in _LIST_STARTS:
        return _open_items(state, number, line, start, rest, indent, container)
    return rest, indent, container


def _open_items(
    state: _BlockState, number: int, line: str, start: int, rest: str, indent: int, container: int
) -> tuple[str, int, int] | None:
    """Open the list items whose markers start the line at `start` (`- 1. # Title` opens two);
    returns what follows them, as `_list_items` does. Markers are read at an offset into the
    line, not by slicing it for each one: a line of 10,000 nested markers stays linear."""
    items = state.items
    offset = start
    thematic: _ThematicSuffix | None = None
    while (
        indent - container <= 3
        and line[offset] in _LIST_STARTS
        and not (state.paragraph_start and _SETEXT.match(rest))
    ):
        marker = _LIST_MARKER_AT.match(line, offset)
        if not marker:
            break
        marker_end = marker.end()
        blanks = _BLANKS.match(line, marker_end)
        content_at = blanks.end() if blanks else marker_end
        has_content = content_at < len(line)
        char = line[offset]
        # A thematic break holds only its character and blanks: `- item` is none.
        if char in "-*" and (not has_content or line[content_at] == char):
            if thematic is None:
                thematic = _ThematicSuffix(line)
            if thematic.at(offset):
                break
        if state.paragraph_start and (not has_content or (marker.group(1) or "1") != "1"):
            break  # this item cannot interrupt a paragraph: the line continues it
        marker_width = marker_end - offset
        gap = content_at - marker_end  # the columns of the blanks, if they are spaces
        if gap and line.find("\t", marker_end, content_at) >= 0:
            gap = _blank_columns(line, marker_end, content_at, indent + marker_width)
        width = marker_width + (gap if 1 <= gap <= 4 and has_content else 1)
        items.append(indent + width)
        container = items[-1]
        state.paragraph_start = 0
        indent, offset = container, content_at
        if not has_content:
            state.empty_item = number
            break
    if offset == start:
        return rest, indent, container
    rest = line[offset:]
    return (rest, indent, container) if rest else None


def _indented_code(state: _BlockState, number: int) -> int:
    """A line indented 4 columns past its container: indented code, or more of the open
    paragraph; neither holds structure."""
    if not state.paragraph_start:
        state.code_lines.add(number)  # code: no inline code spans or links in it
    return number + 1


def _fenced_code(
    state: _BlockState, number: int, line: str, rest: str, indent: int, container: int
) -> int:
    fence = _FENCE.match(rest)
    if not fence or (fence.group(1)[0] == "`" and "`" in fence.group(2)):
        return 0
    state.paragraph_start = 0
    return _read_fence(state, number, indent, container, fence)


def _html_comment(
    state: _BlockState, number: int, line: str, rest: str, indent: int, container: int
) -> int:
    if not rest.startswith("<!--"):
        return 0
    state.paragraph_start = 0
    return _read_comment(state, number)


def _html_block(
    state: _BlockState, number: int, line: str, rest: str, indent: int, container: int
) -> int:
    html = _html_block_end(rest, bool(state.paragraph_start))
    if not html:
        return 0
    state.paragraph_start = 0
    return _skip_html(state.lines, number, html[0], container)


def _atx_heading(
    state: _BlockState, number: int, line: str, rest: str, indent: int, container: int
) -> int:
    atx = _ATX_OPEN.match(rest)
    if not atx:
        return 0
    title = _atx_title(rest[atx.end(1) :])
    state.headings.append((title, len(atx.group(1)), Span(number, 1, number, len(line) + 1)))
    state.paragraph_start = 0
    return number + 1


def _setext_heading(
    state: _BlockState, number: int, line: str, rest: str, indent: int, container: int
) -> int:
    """An underline (`===` or `---`) that makes the open paragraph a heading."""
    start = state.paragraph_start
    if not start or not _SETEXT.match(rest):
        return 0
    title = " ".join(state.lines[n - 1].strip() for n in range(start, number))
    level = 1 if rest[0] == "=" else 2
    state.headings.append((title, level, Span(start, 1, number, len(line) + 1)))
    state.paragraph_start = 0
    return number + 1


def _block_quote(
    state: _BlockState, number: int, line: str, rest: str, indent: int, container: int
) -> int:
    """A block quote line: not looked into (its text is quoted), but it ends a paragraph."""
    state.paragraph_start = 0
    return number + 1


def _thematic_break(
    state: _BlockState, number: int, line: str, rest: str, indent: int, container: int
) -> int:
    if not _THEMATIC.match(rest):
        return 0
    state.paragraph_start = 0
    return number + 1


def _paragraph(
    state: _BlockState, number: int, line: str, rest: str, indent: int, container: int
) -> int:
    """Text: it starts a paragraph or continues the open one (the last rule: always there)."""
    if not state.paragraph_start:
        state.paragraph_start = number
    return number + 1


# The block rules in the order they are tried, each with the first characters (of the line after
# its indent and list markers) it needs; "" for a rule that may apply to any line. (Indented code
# is not among them: the indent alone decides it, see `scan_blocks`.)
_BLOCK_RULES: tuple[tuple[_BlockRule, str], ...] = (
    (_fenced_code, "`~"),
    (_html_comment, "<"),
    (_html_block, "<"),
    (_atx_heading, "#"),
    (_setext_heading, "=-"),
    (_block_quote, ">"),
    (_thematic_break, "-*_"),
    (_paragraph, ""),
)
# For each first character, the rules worth trying on a line that starts with it: a line tries
# one to four rules, not all eight.
_RULES_FOR_TEXT = tuple(rule for rule, starts in _BLOCK_RULES if not starts)
_RULES_BY_START: dict[str, tuple[_BlockRule, ...]] = {
    char: tuple(rule for rule, starts in _BLOCK_RULES if not starts or char in starts)
    for _, starts in _BLOCK_RULES
    for char in starts
}


def _skip_html(
    lines: Sequence[str], opening: int, end: re.Pattern[str] | None, container: int
) -> int:
    """The line after an HTML block that opens on `opening` (CommonMark kinds 1 and 3-7)."""
    number = opening
    while number <= len(lines):
        line = lines[number - 1]
        indent, rest = _split_indent(line)
        if end is None:
            if not rest or (number > opening and indent < container):
                return number
        elif end.search(line):
            return number + 1
        number += 1
    return number


def _read_fence(
    state: _BlockState, opening: int, indent: int, container: int, fence: re.Match[str]
) -> int:
    """Read a fenced block whose opening fence is at column `indent` + 1 inside a list item whose
    content starts at column `container` + 1 (0: no list item); return the line after it."""
    lines = state.lines
    marker = fence.group(1)
    info = fence.group(2).strip()
    char, length = marker[0], len(marker)
    last = len(lines)
    number = opening + 1
    closed = False
    cut = False  # the list item ended before a closing fence came
    while number <= last:
        line = lines[number - 1]
        first = line[:1]
        if first and first != char and first != " " and first != "\t":
            # Text at column 1 (most code lines): content, unless it ends the list item.
            if container:
                cut = True
                break
            number += 1
            continue
        line_indent, rest = _split_indent(line)
        if rest and line_indent < container:
            cut = True
            break
        if (
            rest
            and rest[0] == char
            and line_indent - container <= 3
            and len(rest.rstrip(" \t")) >= length
            and set(rest.rstrip(" \t")) == {char}
        ):
            closed = True
            break
        number += 1
    content = lines[opening : number - 1]
    if indent:
        content = [_dedent(line, indent) for line in content]
    state.code_lines.update(range(opening + 1, number))
    end_line = number if closed else number - 1
    end_text = lines[end_line - 1] if end_line >= 1 and lines else ""
    span = Span(opening, indent + 1, end_line, len(end_text) + 1)
    state.code_blocks.append(
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
    if closed:
        return number + 1
    where = Span(opening, indent + 1, opening, indent + 1 + length)
    # The marker is shown bare: quoted in backticks, a backtick fence reads as five backticks.
    if cut:
        state.problems.append(
            Problem(
                ProblemKind.UNCLOSED_FENCE,
                f"code fence {marker} opened here is not closed inside its list item, which "
                f"ends on line {number} (indent the code and the closing fence like the item)",
                where,
            )
        )
        return number
    state.problems.append(
        Problem(
            ProblemKind.UNCLOSED_FENCE,
            f"code fence {marker} opened here is never closed; "
            "the rest of the file is read as code",
            where,
        )
    )
    return len(lines) + 1


def _dedent(line: str, indent: int) -> str:
    """Remove up to `indent` leading spaces, as CommonMark does for content of an indented fence."""
    removed = 0
    while removed < indent and removed < len(line) and line[removed] == " ":
        removed += 1
    return line[removed:]


def _read_comment(state: _BlockState, opening: int) -> int:
    lines = state.lines
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
            state.comments.append(
                Comment("\n".join(parts).strip(), Span(opening, start_column, number, end_column))
            )
            return number + 1
        parts.append(segment)
        number += 1
    # An unclosed comment runs to the end of the file, as in HTML.
    state.comments.append(
        Comment("\n".join(parts).strip(), Span(opening, start_column, len(lines), 1))
    )
    return len(lines) + 1


def _build_tree(headings: list[tuple[str, int, Span]], last_line: int) -> tuple[Section, ...]:
    roots: list[Section] = []
    # The open sections, outermost first: (title, level, heading span, the children so far).
    stack: list[tuple[str, int, Span, list[Section]]] = []
    for title, level, span in headings:
        end_line = span.line - 1
        while stack and stack[-1][1] >= level:
            done_title, done_level, done_span, children = stack.pop()
            section = Section(
                done_title, done_level, done_span, done_span.line, end_line, tuple(children)
            )
            (stack[-1][3] if stack else roots).append(section)
        stack.append((title, level, span, []))
    while stack:
        done_title, done_level, done_span, children = stack.pop()
        section = Section(
            done_title, done_level, done_span, done_span.line, last_line, tuple(children)
        )
        (stack[-1][3] if stack else roots).append(section)
    return tuple(roots)
