"""The immutable model of one skill file, produced by `skillkit.parse` and read by the rules.

Lines and columns are 1-based and count characters of the decoded text (after a BOM is dropped);
an end column points one past the last character, so a one-character span has end_column =
column + 1. Everything here is frozen: rules read the model, they never change it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

ScalarValue = str | bool | int | float | None


def _slot_setters(cls: type, *names: str) -> tuple[Any, ...]:
    """The setters of a slots class's fields. A frozen dataclass's generated __init__ sets each
    field through object.__setattr__ (its own __setattr__ refuses); calling the slot's setter
    directly does the same at half the cost, which matters for the few classes that the parser
    makes in bulk. Their __init__ is written out and pinned to the generated one's signature
    by tests/test_model.py."""
    return tuple(cls.__dict__[name].__set__ for name in names)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        # The generated __init__, written out to be faster (see _slot_setters).
        _span_line(self, line)
        _span_column(self, column)
        _span_end_line(self, end_line)
        _span_end_column(self, end_column)

    @staticmethod
    def at(line: int, column: int = 1, width: int = 1) -> Span:
        return Span(line, column, line, column + max(width, 0))

    @staticmethod
    def whole_line(line: int, text: str) -> Span:
        return Span(line, 1, line, len(text) + 1)


_span_line, _span_column, _span_end_line, _span_end_column = _slot_setters(
    Span, "line", "column", "end_line", "end_column"
)

ValueKind = Literal["str", "bool", "int", "float", "null", "seq", "map", "other"]


def kind_name(kind: str) -> str:
    """A YAML value kind as messages name it ("seq" → "list")."""
    return {
        "str": "string",
        "seq": "list",
        "map": "mapping",
        "int": "number",
        "float": "number",
        "bool": "boolean",
        "null": "null",
    }.get(kind, kind)


def shown_value(value: Value) -> str:
    """A YAML value as messages show it: `` `text` ``, the string "text" (quoted), a list."""
    if value.kind in ("seq", "map"):
        return f"a {kind_name(value.kind)}"
    if value.style in ("'", '"'):
        return f'the string "{value.text}"'
    return f"`{value.text}`"


@dataclass(frozen=True, slots=True)
class Value:
    """A YAML value with its position. Scalars carry `scalar`; sequences `items`; maps `fields`.

    `kind` is what a YAML 1.1 loader (PyYAML, most validators) would make of it, so that
    `name: no` is kind "bool" while its `text` is still "no". `style` is the YAML scalar style:
    "" plain, "'" or '"' quoted, "|" literal or ">" folded block.
    """

    kind: ValueKind
    text: str
    span: Span
    style: str = ""
    scalar: ScalarValue = None
    items: tuple[Value, ...] = ()
    fields: tuple[Field, ...] = ()

    @property
    def is_string(self) -> bool:
        return self.kind == "str"

    def get(self, key: str) -> Field | None:
        """The last field with this key (YAML loaders keep the last duplicate)."""
        for found in reversed(self.fields):
            if found.key == key:
                return found
        return None


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    key_span: Span
    value: Value


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The YAML block between the two `---` lines.

    `present` is false when the file does not start with `---`; `closed` is false when no line
    that is exactly `---` ends it. `fields` keeps every top-level key in order, duplicates too.
    `root_kind` is what the YAML document is ("map" for a proper front matter).
    """

    present: bool
    closed: bool
    span: Span
    fields: tuple[Field, ...] = ()
    root_kind: ValueKind | Literal["empty", "invalid"] = "empty"
    root_span: Span | None = None

    def get(self, key: str) -> Field | None:
        for found in reversed(self.fields):
            if found.key == key:
                return found
        return None

    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.key for f in self.fields))


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and everything up to the next heading of the same or a higher level.

    `span` is the heading line; `start_line`/`end_line` cover the whole section, children included.
    The implicit top section of a document (before any heading) is not a Section.
    """

    title: str
    level: int
    span: Span
    start_line: int
    end_line: int
    children: tuple[Section, ...] = ()

    def __init__(
        self,
        title: str,
        level: int,
        span: Span,
        start_line: int,
        end_line: int,
        children: tuple[Section, ...] = (),
    ) -> None:
        _section_title(self, title)
        _section_level(self, level)
        _section_span(self, span)
        _section_start_line(self, start_line)
        _section_end_line(self, end_line)
        _section_children(self, children)

    def walk(self) -> tuple[Section, ...]:
        out: list[Section] = [self]
        for child in self.children:
            out.extend(child.walk())
        return tuple(out)


(
    _section_title,
    _section_level,
    _section_span,
    _section_start_line,
    _section_end_line,
    _section_children,
) = _slot_setters(Section, "title", "level", "span", "start_line", "end_line", "children")


def _start_line(section: Section) -> int:
    return section.start_line


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced code block. `info` is the whole info string, `language` its first word."""

    info: str
    language: str
    text: str
    span: Span  # the opening fence through the closing fence
    content_line: int  # the line of the first content line
    indent: int  # columns the content is indented by (a fence inside a list item)
    closed: bool = True


@dataclass(frozen=True, slots=True)
class InlineCode:
    text: str
    span: Span  # the content, without the backticks

    def __init__(self, text: str, span: Span) -> None:
        _inline_code_text(self, text)
        _inline_code_span(self, span)


_inline_code_text, _inline_code_span = _slot_setters(InlineCode, "text", "span")


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    target: str
    span: Span  # the target
    image: bool = False


@dataclass(frozen=True, slots=True)
class Comment:
    """An HTML comment in the body (`<!-- ... -->`), where suppressions live."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Token:
    """One shell word. `text` is the word after quote removal; `raw` as written.

    `placeholder` marks a word that stands for a value the reader fills in (`<name>`, `...`);
    `has_placeholder` marks a word that contains one (`<entry>.ts`, `/workspace/<app>`).
    """

    text: str
    raw: str
    span: Span
    quoted: bool = False
    placeholder: bool = False
    has_placeholder: bool = False

    def __init__(
        self,
        text: str,
        raw: str,
        span: Span,
        quoted: bool = False,
        placeholder: bool = False,
        has_placeholder: bool = False,
    ) -> None:
        _token_text(self, text)
        _token_raw(self, raw)
        _token_span(self, span)
        _token_quoted(self, quoted)
        _token_placeholder(self, placeholder)
        _token_has_placeholder(self, has_placeholder)


_token_text, _token_raw, _token_span, _token_quoted, _token_placeholder, _token_has_placeholder = (
    _slot_setters(Token, "text", "raw", "span", "quoted", "placeholder", "has_placeholder")
)


CommandSource = Literal["block", "inline", "crontab"]


@dataclass(frozen=True, slots=True)
class Command:
    """One simple command: its words after leading `VAR=value` assignments and prompts."""

    argv: tuple[Token, ...]
    span: Span
    source: CommandSource
    assignments: tuple[Token, ...] = ()
    block_line: int = 0  # the opening fence of the code block it came from (0 for inline)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.argv)

    @property
    def tool(self) -> str:
        return self.argv[0].text.rsplit("/", 1)[-1] if self.argv else ""

    @property
    def line(self) -> int:
        return self.span.line


class ProblemKind(StrEnum):
    """Problems found while parsing; each is reported by the rule of the same concern."""

    UNREADABLE = "unreadable"
    NOT_UTF8 = "not-utf8"
    TOO_LARGE = "too-large"
    FRONT_MATTER_MISSING = "front-matter-missing"
    FRONT_MATTER_UNCLOSED = "front-matter-unclosed"
    YAML_SYNTAX = "yaml-syntax"
    # YAML cannot read the front matter, but reads it as a mapping once each top-level one-line
    # value holding a YAML indicator or `: ` is double-quoted: Claude Code's second try.
    YAML_SYNTAX_QUOTABLE = "yaml-syntax-quotable"
    YAML_NOT_MAPPING = "yaml-not-mapping"
    YAML_TOO_COMPLEX = "yaml-too-complex"
    YAML_UNSUPPORTED = "yaml-unsupported"
    UNCLOSED_FENCE = "unclosed-fence"


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    message: str
    span: Span


@dataclass(frozen=True)
class Skill:
    """One parsed SKILL.md. `lines` are the decoded lines without their line ends.

    Inline code spans, links and commands are computed on first use (rules that never look at
    them cost nothing) by the parser's subclass, `skillkit.parse.ParsedSkill`, which is what
    every skill is; the model stays immutable, the cache is only a memo.
    """

    path: Path
    text: str
    lines: tuple[str, ...]
    front_matter: FrontMatter
    body_start_line: int  # first line after the closing `---` (1 when there is no front matter)
    sections: tuple[Section, ...]
    code_blocks: tuple[CodeBlock, ...]
    comments: tuple[Comment, ...] = ()
    problems: tuple[Problem, ...] = ()
    has_bom: bool = False
    crlf: bool = False
    ends_with_newline: bool = True
    code_lines: frozenset[int] = field(default_factory=frozenset)  # lines inside code blocks

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def body_lines(self) -> tuple[str, ...]:
        return self.lines[self.body_start_line - 1 :]

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def all_sections(self) -> tuple[Section, ...]:
        """Every section, depth first. Walked once and remembered (like the cached properties):
        several rules ask for it."""
        known: tuple[Section, ...] | None = self.__dict__.get("_all_sections")
        if known is None:
            out: list[Section] = []
            for top in self.sections:
                out.extend(top.walk())
            known = self.__dict__["_all_sections"] = tuple(out)
        return known

    def section_at(self, line: int) -> Section | None:
        """The innermost section containing the line."""
        found = self.sections_at(line)
        return found[-1] if found else None

    def sections_at(self, line: int) -> tuple[Section, ...]:
        """Every section containing the line, outermost first."""
        # Siblings are in file order and do not overlap: a binary search on each level keeps
        # this cheap on a file of 100,000 headings, where rules ask it for many lines.
        out: list[Section] = []
        level = self.sections
        while level:
            index = bisect.bisect_right(level, line, key=_start_line) - 1
            if index < 0 or not level[index].start_line <= line <= level[index].end_line:
                break
            out.append(level[index])
            level = level[index].children
        return tuple(out)

    # Inline code spans, links and commands: computed by the parser on first use, in
    # `skillkit.parse.ParsedSkill` (the model cannot import the parsers, which import it).
    @property
    def inline_code(self) -> tuple[InlineCode, ...]:
        raise NotImplementedError("a Skill comes from skillkit.parse")

    @property
    def links(self) -> tuple[Link, ...]:
        raise NotImplementedError("a Skill comes from skillkit.parse")

    @property
    def commands(self) -> tuple[Command, ...]:
        """Commands from shell-like code blocks, crontab lines, and inline spans that start with
        a known tool, in the order they appear."""
        raise NotImplementedError("a Skill comes from skillkit.parse")
