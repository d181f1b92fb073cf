"""Bytes → `Skill`, in three steps that each own one format: front matter, Markdown, shell.

A parse problem is recorded on the model (`Skill.problems`) and reported by the rule of its
concern; parsing never raises on any input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from skillkit.model import (
    Command,
    FrontMatter,
    InlineCode,
    Link,
    Problem,
    ProblemKind,
    Skill,
    Span,
)
from skillkit.parse.frontmatter import parse_front_matter
from skillkit.parse.inline import find_inline_code, find_links
from skillkit.parse.markdown import scan_blocks
from skillkit.reading import DEFAULT_MAX_BYTES, UnreadableFile, read_regular_file
from skillkit.shell import commands_of_skill

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ParsedSkill",
    "Source",
    "parse_bytes",
    "parse_skill",
    "parse_source",
    "parse_text",
    "read_skill",
    "read_source",
]


@dataclass(frozen=True)
class ParsedSkill(Skill):
    """A `Skill` as the parser makes it. Inline code spans, links and commands are computed on
    first use (rules that never look at them cost nothing); the model stays immutable, the cache
    is only a memo."""

    @cached_property
    def inline_code(self) -> tuple[InlineCode, ...]:
        return find_inline_code(self)

    @cached_property
    def links(self) -> tuple[Link, ...]:
        return find_links(self)

    @cached_property
    def commands(self) -> tuple[Command, ...]:
        """Commands from shell-like code blocks, crontab lines, and inline spans that start with
        a known tool, in the order they appear."""
        return commands_of_skill(self)


def _unparsed(path: Path, problem: Problem, lines: tuple[str, ...] = ()) -> Skill:
    return ParsedSkill(
        path=path,
        text="",
        lines=lines,
        front_matter=FrontMatter(present=False, closed=False, span=Span.at(1)),
        body_start_line=1,
        sections=(),
        code_blocks=(),
        problems=(problem,),
    )


def _split_lines(text: str) -> tuple[str, ...]:
    # Split on \n only (str.splitlines would also split on form feeds and U+2028, and then our
    # line numbers would differ from every editor's).
    raw_lines = text.split("\n")
    if text.endswith("\n") or not text:
        raw_lines.pop()
    if "\r" not in text:
        return tuple(raw_lines)  # no line can end with \r: nothing to strip line by line
    return tuple(line[:-1] if line.endswith("\r") else line for line in raw_lines)


def _position_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of a byte offset; the column counts characters, as everywhere in the
    model (the bytes before `offset` are valid UTF-8: it is the first bad one)."""
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return line, column


def parse_bytes(data: bytes, path: Path | str = "SKILL.md") -> Skill:
    path = path if isinstance(path, Path) else Path(path)
    if b"\x00" in data[:8192]:
        return _unparsed(
            path,
            Problem(
                ProblemKind.NOT_UTF8,
                "binary file (contains NUL bytes), not a text skill",
                Span.at(1),
            ),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position_of_offset(data, error.start)
        # The lines (bad bytes replaced) are kept so that a report can show the line.
        return _unparsed(
            path,
            Problem(
                ProblemKind.NOT_UTF8,
                f"not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} "
                f"({error.reason})",
                Span.at(line, column),
            ),
            _split_lines(data.decode("utf-8", "replace")),
        )
    return parse_text(text, path)


def parse_text(text: str, path: Path | str = "SKILL.md") -> Skill:
    path = path if isinstance(path, Path) else Path(path)  # (a Path is not built again)
    has_bom = text.startswith("\ufeff")
    if has_bom:
        text = text[1:]
    crlf = "\r\n" in text
    ends_with_newline = text.endswith("\n") or not text
    lines = _split_lines(text)
    front_matter, body_start, problems = parse_front_matter(lines, text if crlf else "")
    blocks = scan_blocks(lines, body_start)
    problems.extend(blocks.problems)
    return ParsedSkill(
        path=path,
        text=text,
        lines=lines,
        front_matter=front_matter,
        body_start_line=body_start,
        sections=blocks.sections,
        code_blocks=blocks.code_blocks,
        comments=blocks.comments,
        problems=tuple(problems),
        has_bom=has_bom,
        crlf=crlf,
        ends_with_newline=ends_with_newline,
        code_lines=blocks.code_lines,
    )


@dataclass(frozen=True, slots=True)
class Source:
    """A skill file as read: its bytes and status as opened, or the problem that kept it from
    being read (then `data` is empty and `status` None)."""

    path: Path
    data: bytes = b""
    status: os.stat_result | None = None
    problem: Problem | None = None


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read one skill file through the bounded reader; any failure to read becomes the problem
    of the returned source (the one place where a failed read is judged)."""
    try:
        data, status = read_regular_file(path, max_bytes)
    except UnreadableFile as refused:
        if not refused.too_large:
            return Source(path, problem=Problem(ProblemKind.UNREADABLE, refused.reason, Span.at(1)))
        message = (
            f"file is {refused.size:,} bytes, over the limit of {max_bytes:,} "
            "(option `max-file-bytes`); it was not parsed"
            if refused.size is not None
            else refused.reason
        )
        return Source(path, problem=Problem(ProblemKind.TOO_LARGE, message, Span.at(1)))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        problem = Problem(ProblemKind.UNREADABLE, f"cannot read file: {reason}", Span.at(1))
        return Source(path, problem=problem)
    return Source(path, data, status)


def parse_source(source: Source) -> Skill:
    """The model of a source: parsed, or (when it could not be read) a model with its problem."""
    if source.problem is not None:
        return _unparsed(source.path, source.problem)
    return parse_bytes(source.data, source.path)


def read_skill(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Skill:
    """Read and parse one file; any failure to read becomes a problem on the returned model."""
    return parse_source(read_source(path, max_bytes))


def parse_skill(source: Path | str, *, path: Path | str | None = None) -> Skill:
    """Parse a skill from a path (a `SKILL.md` or its folder) or from its text.

    A `str` that contains a line break, or that does not name an existing file, is taken as text.
    """
    if isinstance(source, Path) or ("\n" not in source and os.path.exists(source)):
        file = Path(source)
        if file.is_dir():
            file = file / "SKILL.md"
        return read_skill(file)
    return parse_text(source, path if path is not None else "SKILL.md")
