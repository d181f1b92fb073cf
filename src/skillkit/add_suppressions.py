"""`lint --add-suppressions` (and the editor's "suppress" action): a suppression comment
written for each finding, where it keeps the document the same document."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from markdown_it import MarkdownIt

from skillkit.diagnostics import Diagnostic
from skillkit.engine.check import check_skill
from skillkit.engine.per_file import file_context
from skillkit.engine.suppress import (
    comment_text,
    front_matter_lines,
    parse_directives,
    text_spans_by_line,
)
from skillkit.model import Skill, Value
from skillkit.parse import parse_text
from skillkit.registry import all_rules
from skillkit.settings import Settings

_YAML_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[^\s#:][^:]*:(?:\s|$)")
# An HTML comment that is one of ours, alone on its line (an `html_block` token).
_OUR_COMMENT = re.compile(r"^\s*<!--\s*skillkit\s*:[^\n]*-->\s*$")


def suppression_text(
    skill: Skill, diagnostics: Sequence[Diagnostic], settings: Settings | None = None
) -> tuple[str, int]:
    """The skill's text (after the BOM) with a suppression for each finding, and how many
    suppression comments that adds or extends.

    The document stays the same document: its Markdown blocks (as markdown-it-py parses them,
    our comments apart) and its front-matter values are checked unchanged. A comment line inside
    a table, list, block quote, paragraph or code block would end or split it, so a line in one
    gets `disable` above the whole top-level block and `enable` below it; the first line of a
    block gets `disable-next-line` above it; a front-matter key line gets a YAML
    `# skillkit: ignore` line above it; anything else `disable-file` after the front matter.
    With `settings`, the result is linted: a finding that no line form suppresses (SK101 on the
    first line, say) gets `disable-file` instead. When even that would change the document,
    the text is left as it is (0 added).
    """
    # Not the findings about the file itself (unreadable, too large), nor those of the engine
    # (suppressions, discovery, an internal error): no line of the file is theirs to suppress.
    rules = all_rules()
    wanted = [d for d in diagnostics if rules[d.code].checks_content]
    forced: set[str] = set()
    for _ in range(3):
        text, added = _with_suppressions(skill, wanted, forced)
        if not added:
            return skill.text, 0
        after = _reparse(skill, text)
        if not _same_document(skill, after):
            if forced >= {d.code for d in wanted}:
                return skill.text, 0
            forced |= {d.code for d in wanted}  # the file-wide form only, then
            continue
        if settings is None:
            return text, added
        context = file_context(after, settings)
        left = {d.code for d in check_skill(after, context).diagnostics}
        missed = {d.code for d in wanted if d.code in left} - forced
        if not missed:
            return text, added
        forced |= missed
    return text, added


def _reparse(skill: Skill, text: str) -> Skill:
    return parse_text(text, skill.path)


@functools.cache
def _block_parser() -> Any:
    """markdown-it-py (CommonMark and tables), blocks only: an inline token keeps its text as
    `content`, which is all a comparison of structure needs (and the inline parse costs ten
    times the block parse)."""
    return MarkdownIt("commonmark").enable("table").disable("inline")


def _markdown_blocks(skill: Skill) -> list[tuple[str, ...]]:
    """The body's block tokens (our own comment lines left out), without line numbers."""
    body = "\n".join(skill.lines[skill.body_start_line - 1 :])
    tokens = _block_parser().parse(body)
    return [
        (token.type, token.tag, str(token.nesting), token.markup, token.info, token.content)
        for token in tokens
        if not (token.type == "html_block" and _OUR_COMMENT.match(token.content))
    ]


def _top_level_blocks(skill: Skill) -> list[tuple[int, int]]:
    """The (first, last) file lines of the body's top-level blocks, in order."""
    offset = skill.body_start_line
    body = "\n".join(skill.lines[offset - 1 :])
    tokens = _block_parser().parse(body)
    return [
        (token.map[0] + offset, token.map[1] - 1 + offset)
        for token in tokens
        if token.level == 0 and token.nesting >= 0 and token.map
    ]


def _front_matter_values(skill: Skill) -> tuple[object, ...]:
    def flat(value: Value) -> object:
        return (
            value.kind,
            value.text,
            tuple(flat(item) for item in value.items),
            tuple((entry.key, flat(entry.value)) for entry in value.fields),
        )

    fm = skill.front_matter
    return (fm.root_kind, tuple((entry.key, flat(entry.value)) for entry in fm.fields))


def _same_document(before: Skill, after: Skill) -> bool:
    return _front_matter_values(before) == _front_matter_values(after) and _markdown_blocks(
        before
    ) == _markdown_blocks(after)


def _key_lines(skill: Skill) -> set[int]:
    """The front-matter lines that start a mapping key outside any multi-line text."""

    def walk(value: Value) -> Iterator[int]:
        for entry in value.fields:
            yield entry.key_span.line
            yield from walk(entry.value)
        for item in value.items:
            yield from walk(item)

    keys: set[int] = set()
    for entry in skill.front_matter.fields:
        keys.add(entry.key_span.line)
        keys.update(walk(entry.value))
    inside = {
        number
        for span in text_spans_by_line(skill).values()
        for text in span
        for number in range(text.line + 1, text.end_line + 1)
    }
    return keys - inside


def _with_suppressions(
    skill: Skill, diagnostics: Sequence[Diagnostic], file_wide: set[str]
) -> tuple[str, int]:
    """The text with the suppressions placed (codes in `file_wide` get `disable-file`)."""
    fm_lines = front_matter_lines(skill) if skill.front_matter.closed else range(0)
    key_lines = _key_lines(skill) if fm_lines else set()
    parsed = parse_directives(skill)
    existing = {
        directive.first_line: directive
        for directive in parsed.directives
        if directive.kind in ("disable-next-line", "ignore") and directive.alone
    }
    before: dict[int, dict[str, list[str]]] = {}  # line → (kind, indent) key → codes
    file_codes: list[str] = []
    blocks = _top_level_blocks(skill) if skill.body_start_line <= len(skill.lines) else []
    starts = [first for first, _ in blocks]
    unclosed = {block.span.line for block in skill.code_blocks if not block.closed}
    last_line = len(skill.lines)

    def add(line: int, kind: str, indent: str, code: str) -> None:
        codes = before.setdefault(line, {}).setdefault(f"{kind}\0{indent}", [])
        if code not in codes:
            codes.append(code)

    def indent_of(line: int) -> str:
        text = skill.line_text(line)
        indent = text[: len(text) - len(text.lstrip())]
        return indent if len(indent.expandtabs(4)) < 4 else ""  # (4 would make it code)

    for diagnostic in diagnostics:
        code, line = diagnostic.code, diagnostic.span.line
        if code in file_wide:
            if code not in file_codes:
                file_codes.append(code)
            continue
        text = skill.line_text(line)
        if line in fm_lines and line in key_lines and _YAML_KEY_LINE.match(text):
            add(line, "ignore", text[: len(text) - len(text.lstrip())], code)
        elif skill.body_start_line <= line <= last_line:
            index = bisect.bisect_right(starts, line) - 1
            first, last = blocks[index] if index >= 0 else (0, 0)
            if not first <= line <= last or line == first:
                add(line, "disable-next-line", indent_of(line), code)
            else:  # inside a block: around the whole block
                add(first, "disable", indent_of(first), code)
                if first not in unclosed:  # (`enable` would be code in an unclosed fence)
                    add(last + 1, "enable", indent_of(first), code)
        elif code not in file_codes:
            file_codes.append(code)

    rows = skill.text.split("\n")
    cr = "\r" if skill.crlf else ""
    added = 0
    replaced: dict[int, str] = {}
    inserts: dict[int, list[str]] = {}
    for line, groups in sorted(before.items()):
        for key, codes in groups.items():
            kind, indent = key.split("\0")
            directive = existing.get(line)
            if kind in ("disable-next-line", "ignore") and directive and directive.kind == kind:
                merged = [*directive.codes, *(c for c in codes if c not in directive.codes)]
                old = skill.line_text(directive.span.line)
                replaced[directive.span.line] = old[: directive.span.column - 1] + comment_text(
                    kind, merged
                )
            else:
                inserts.setdefault(line, []).append(indent + comment_text(kind, sorted(codes)))
            added += 1
    if file_codes:
        inserts.setdefault(skill.body_start_line, []).insert(
            0, comment_text("disable-file", file_codes)
        )
        added += 1
    out: list[str] = []
    for index, row in enumerate(rows):
        number = index + 1
        for text in inserts.get(number, []):
            out.append(text + cr)
        out.append(replaced[number] + cr if number in replaced else row)
    tail = inserts.get(len(rows) + 1, [])  # only when the file ends without a line end
    if tail:
        out[-1] += cr
        out.extend(text + cr for text in tail)
        out[-1] = out[-1].removesuffix(cr)
    text = "\n".join(out)
    return text, added
