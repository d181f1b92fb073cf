"""Suppression comments in skills, and the findings about the comments themselves.

In the body (HTML comments, invisible when the Markdown is rendered):
  <!-- skillkit: disable-next-line SK122, SK121 -->   the next line
  <!-- skillkit: disable SK401 --> ... <!-- skillkit: enable SK401 -->   a range (to the end
                                                        of the file when never enabled again)
  <!-- skillkit: disable-file SK107 -->                 the whole file
In the front matter (a YAML comment):
  name: no  # skillkit: ignore SK106                    this line
  # skillkit: ignore SK107                              (alone on its line) the next line

A code may be written as its rule name. A suppression that suppresses nothing is SK901 (as
ruff's RUF100), with a fix that removes it; a malformed one, or one naming no rule, is SK902.
`skillkit.add_suppressions` writes suppressions for given findings (`lint --add-suppressions`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from skillkit.diagnostics import Diagnostic, Edit, Finding, Fix
from skillkit.engine.findings import diagnostic_from_finding
from skillkit.engine.selection import active_rules
from skillkit.model import Skill, Span, Value
from skillkit.registry import (
    CODES_BY_NAME,
    ProjectRule,
    RenderRule,
    all_rules,
    unknown_rule_hint,
)
from skillkit.rules.suppressions import INVALID_SUPPRESSION, UNUSED_SUPPRESSION
from skillkit.settings import Settings

# The key of a file's suppression ranges among its project-rule facts (see check.FileResult).
SUPPRESSIONS_FACT = "suppressions"
UNUSED = UNUSED_SUPPRESSION.code
INVALID = INVALID_SUPPRESSION.code
SELF_CODES = frozenset({UNUSED, INVALID})

_HTML = re.compile(
    r"^skillkit\s*:\s*(?P<kind>disable-next-line|disable-file|disable|enable)\b(?P<codes>.*)$",
    re.DOTALL,
)
_YAML = re.compile(r"(?:^|\s)#\s*skillkit\s*:\s*ignore\b(?P<codes>.*)$")
_LOOKS_LIKE = re.compile(r"^skillkit\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Closing:
    """The `enable` comment that ends a range: removing the `disable` removes it too."""

    span: Span
    codes: tuple[str, ...]  # every code it names
    alone: bool


@dataclass(frozen=True)
class Directive:
    """One suppression comment: which codes, over which lines, and how to rewrite it."""

    kind: str  # disable-next-line | disable | enable | disable-file | ignore
    codes: tuple[str, ...]  # resolved rule codes, in the order written
    span: Span  # the comment (for `ignore`: from `#` to the end of the line)
    first_line: int = 0  # the lines it covers (set once ranges are matched)
    last_line: int = 0
    alone: bool = True  # nothing else on its line(s): removing it removes the lines
    closing: Closing | None = None  # the `enable` that ends a `disable` range


@dataclass(frozen=True)
class Suppressions:
    """The lines each code is suppressed on in one file (picklable: kept for project rules)."""

    ranges: tuple[tuple[str, int, int], ...] = ()  # (code, first line, last line)

    @functools.cached_property
    def _index(self) -> LineIndex:
        return LineIndex(self.ranges)

    def covers(self, code: str, line: int) -> bool:
        return self._index.covers(code, line)


class LineIndex:
    """The lines each code is suppressed on, as merged intervals: `covers` costs a binary
    search, so matching findings with suppressions is not findings x suppressions."""

    def __init__(self, ranges: Iterable[tuple[str, int, int]]) -> None:
        by_code: dict[str, list[tuple[int, int]]] = {}
        for code, first, last in ranges:
            by_code.setdefault(code, []).append((first, last))
        self._starts: dict[str, list[int]] = {}
        self._ends: dict[str, list[int]] = {}
        for code, intervals in by_code.items():
            starts: list[int] = []
            ends: list[int] = []
            for first, last in sorted(intervals):
                if starts and first <= ends[-1] + 1:
                    ends[-1] = max(ends[-1], last)
                else:
                    starts.append(first)
                    ends.append(last)
            self._starts[code], self._ends[code] = starts, ends

    def covers(self, code: str, line: int) -> bool:
        starts = self._starts.get(code)
        if not starts:
            return False
        index = bisect.bisect_right(starts, line) - 1
        return index >= 0 and line <= self._ends[code][index]


@dataclass
class _Parsed:
    directives: list[Directive] = field(default_factory=list)
    invalid: list[Finding] = field(default_factory=list)


def _resolve(word: str) -> str | None:
    rules = all_rules()
    upper = word.upper()
    if upper in rules:
        return upper
    return CODES_BY_NAME.get(word.lower())


def _is_render(code: str) -> bool:
    return isinstance(all_rules()[code], RenderRule)


def _codes(text: str, span: Span, parsed: _Parsed) -> tuple[str, ...] | None:
    words = [word for word in re.split(r"[\s,]+", text.strip()) if word]
    if not words:
        parsed.invalid.append(Finding(span, INVALID_SUPPRESSION.message("no-code")))
        return None
    codes: list[str] = []
    for word in words:
        code = _resolve(word)
        if code is None:
            hint = unknown_rule_hint(word)
            parsed.invalid.append(
                Finding(span, INVALID_SUPPRESSION.message("unknown-code", word=word, hint=hint))
            )
        elif _is_render(code):
            parsed.invalid.append(
                Finding(
                    span,
                    INVALID_SUPPRESSION.message("render-code", word=word),
                )
            )
        elif code not in codes:
            codes.append(code)
    return tuple(codes) if codes else None


def parse_directives(skill: Skill) -> _Parsed:
    parsed = _Parsed()
    last = len(skill.lines)
    open_ranges: dict[str, tuple[Directive, int]] = {}
    ranges: list[Directive] = []
    for comment in skill.comments:
        text = comment.text
        match = _HTML.match(text)
        if not match:
            if _LOOKS_LIKE.match(text):
                parsed.invalid.append(
                    Finding(
                        comment.span,
                        INVALID_SUPPRESSION.message("unknown-directive"),
                    )
                )
            continue
        codes = _codes(match.group("codes"), comment.span, parsed)
        if codes is None:
            continue
        span = comment.span
        before = skill.line_text(span.line)[: span.column - 1]
        after = skill.line_text(span.end_line)[span.end_column - 1 :]
        alone = not before.strip() and not after.strip()
        kind = match.group("kind")
        if kind == "disable-next-line":
            parsed.directives.append(
                Directive(kind, codes, span, span.end_line + 1, span.end_line + 1, alone)
            )
        elif kind == "disable-file":
            parsed.directives.append(Directive(kind, codes, span, 1, max(last, 1), alone))
        elif kind == "disable":
            directive = Directive(kind, codes, span, alone=alone)
            for code in codes:
                open_ranges[code] = (directive, span.end_line + 1)
            ranges.append(directive)
        else:  # enable
            for code in codes:
                if code not in open_ranges:
                    parsed.invalid.append(
                        Finding(span, INVALID_SUPPRESSION.message("lone-enable", code=code))
                    )
                    continue
                directive, start = open_ranges.pop(code)
                closing = Closing(span, codes, alone)
                parsed.directives.append(
                    Directive(
                        "disable",
                        (code,),
                        directive.span,
                        start,
                        span.line,
                        directive.alone,
                        closing,
                    )
                )
    for code, (directive, start) in open_ranges.items():
        parsed.directives.append(
            Directive("disable", (code,), directive.span, start, last, directive.alone)
        )
    _parse_yaml(skill, parsed)
    return parsed


def front_matter_lines(skill: Skill) -> range:
    fm = skill.front_matter
    if not fm.present:
        return range(0)
    return range(2, fm.span.end_line if fm.closed else len(skill.lines) + 1)


def _scalar_spans(values: Iterable[Value]) -> Iterator[Span]:
    for value in values:
        if value.kind in ("seq", "map"):
            yield from _scalar_spans(value.items)
            for entry in value.fields:
                yield entry.key_span
            yield from _scalar_spans(entry.value for entry in value.fields)
        else:
            yield value.span


def text_spans_by_line(skill: Skill) -> dict[int, list[Span]]:
    """The spans of the front matter's keys and scalar values, under each line they cover: a
    `#` inside one (a line of a `|` block, of a quoted string) is text, not a comment."""
    fm = skill.front_matter
    by_line: dict[int, list[Span]] = {}
    keys = (entry.key_span for entry in fm.fields)
    for span in (*keys, *_scalar_spans(entry.value for entry in fm.fields)):
        for number in range(span.line, span.end_line + 1):
            by_line.setdefault(number, []).append(span)
    return by_line


def _comment_start(line: str, number: int, text_spans: Sequence[Span]) -> int | None:
    """The 0-based index of the `#` that starts the line's YAML comment, if it has one."""
    for index, character in enumerate(line):
        if character != "#" or (index and not line[index - 1].isspace()):
            continue
        position = (number, index + 1)
        if not any((s.line, s.column) <= position < (s.end_line, s.end_column) for s in text_spans):
            return index
    return None


def _parse_yaml(skill: Skill, parsed: _Parsed) -> None:
    text_spans: dict[int, list[Span]] | None = None
    for number in front_matter_lines(skill):
        line = skill.line_text(number)
        if "skillkit" not in line:
            continue
        match = _YAML.search(line)
        if not match:
            continue
        if text_spans is None:
            text_spans = text_spans_by_line(skill)
        comment = _comment_start(line, number, text_spans.get(number, ()))
        if comment is None:
            continue
        match = _YAML.search(line, max(comment - 1, 0))  # (from the blank before the `#`)
        if not match:
            continue
        hash_column = line.index("#", match.start()) + 1
        span = Span(number, hash_column, number, len(line) + 1)
        codes = _codes(match.group("codes"), span, parsed)
        if codes is None:
            continue
        alone = not line[: hash_column - 1].strip()
        target = number + 1 if alone else number
        parsed.directives.append(Directive("ignore", codes, span, target, target, alone))


def suppressions_of(skill: Skill) -> Suppressions:
    return Suppressions(
        tuple(
            (code, directive.first_line, directive.last_line)
            for directive in parse_directives(skill).directives
            for code in directive.codes
        )
    )


def comment_text(kind: str, codes: Sequence[str]) -> str:
    if kind == "ignore":
        return f"# skillkit: ignore {', '.join(codes)}"
    return f"<!-- skillkit: {kind} {', '.join(codes)} -->"


def _removal(skill: Skill, directive: Directive, kept: Sequence[str]) -> Edit:
    """The edit that drops the unused codes of a directive (or the whole directive)."""
    return _comment_removal(skill, directive.span, directive.kind, directive.alone, kept)


def _closing_removals(
    skill: Skill, group: Sequence[tuple[int, Directive]], unused: Sequence[str]
) -> list[Edit]:
    """The edits that drop the removed codes from the `enable` comments of a `disable`: an
    `enable` left without its `disable` would be a new finding (SK902)."""
    dropped: dict[Closing, list[str]] = {}
    for _, directive in group:
        if directive.closing is not None:
            dropped.setdefault(directive.closing, [])
            dropped[directive.closing].extend(c for c in directive.codes if c in unused)
    edits: list[Edit] = []
    for closing, codes in dropped.items():
        if codes:
            kept = [code for code in closing.codes if code not in codes]
            edits.append(_comment_removal(skill, closing.span, "enable", closing.alone, kept))
    return edits


def _comment_removal(skill: Skill, span: Span, kind: str, alone: bool, kept: Sequence[str]) -> Edit:
    """The edit that rewrites a comment with the codes kept, or removes it when none are."""
    if kept:
        return Edit(span, comment_text(kind, kept))
    if alone:
        if span.end_line == len(skill.lines) and skill.ends_with_newline:
            # The file's last line: the blank lines before it go too, or the file would end in
            # a blank line that was only there to set the comment apart.
            start = span.line
            while start > 1 and not skill.line_text(start - 1).strip():
                start -= 1
            if start > 1:
                return Edit(Span(start, 1, span.end_line + 1, 1), "")
        if span.end_line < len(skill.lines) or skill.ends_with_newline:
            return Edit(Span(span.line, 1, span.end_line + 1, 1), "")
        if span.line > 1:  # the last line, with no line end: take the previous line end
            previous = skill.line_text(span.line - 1)
            return Edit(Span(span.line - 1, len(previous) + 1, span.end_line, span.end_column), "")
        return Edit(Span(span.line, 1, span.end_line, span.end_column), "")
    line = skill.line_text(span.line)
    start = span.column
    while start > 1 and line[start - 2] in " \t":
        start -= 1
    return Edit(Span(span.line, start, span.end_line, span.end_column), "")


def apply_suppressions(
    skill: Skill,
    diagnostics: Iterable[Diagnostic],
    settings: Settings,
    ignored: set[str],
    path: str | None = None,
) -> list[Diagnostic]:
    """Drop the findings that a suppression covers; add SK901 for suppressions that covered
    nothing and SK902 for malformed ones (when those rules are on and not in `ignored`, the
    codes `per-file-ignores` turns off for this file)."""
    found = list(diagnostics)
    parsed = parse_directives(skill)
    if not parsed.directives and not parsed.invalid:
        return found
    shown = path if path is not None else str(skill.path)
    enabled = {rule.code for rule in active_rules(settings)} - ignored
    kept, used = _drop_suppressed(found, parsed.directives)
    own: list[Diagnostic] = []
    if UNUSED in enabled:
        own.extend(
            diagnostic_from_finding(shown, UNUSED_SUPPRESSION, finding, settings, skill)
            for finding in _unused_findings(skill, parsed.directives, used, enabled)
        )
    if INVALID in enabled:
        own.extend(
            diagnostic_from_finding(shown, INVALID_SUPPRESSION, finding, settings, skill)
            for finding in parsed.invalid
        )
    # SK901/SK902 can be suppressed too (by a directive that then counts as used).
    index = _index(parsed.directives)
    kept.extend(d for d in own if not index.covers(d.code, d.span.line))
    return kept


def _index(directives: Sequence[Directive]) -> LineIndex:
    return LineIndex(
        (code, directive.first_line, directive.last_line)
        for directive in directives
        for code in directive.codes
    )


def _drop_suppressed(
    found: Sequence[Diagnostic], directives: Sequence[Directive]
) -> tuple[list[Diagnostic], set[tuple[int, str]]]:
    """The findings no directive covers, and which (directive index, code) pairs were used
    (covered at least one finding). Binary searches both ways: never findings x directives."""
    index = _index(directives)
    kept = [d for d in found if not index.covers(d.code, d.span.line)]
    lines_by_code: dict[str, list[int]] = {}
    for diagnostic in found:
        lines_by_code.setdefault(diagnostic.code, []).append(diagnostic.span.line)
    for code_lines in lines_by_code.values():
        code_lines.sort()
    used: set[tuple[int, str]] = set()
    for number, directive in enumerate(directives):
        for code in directive.codes:
            found_lines = lines_by_code.get(code, [])
            at = bisect.bisect_left(found_lines, directive.first_line)
            if at < len(found_lines) and found_lines[at] <= directive.last_line:
                used.add((number, code))
    return kept, used


def _by_comment(directives: Sequence[Directive]) -> dict[Span, list[tuple[int, Directive]]]:
    """The directives (with their indexes) grouped by comment: a range split by `enable` into
    one directive per code still shares one comment, and gets one SK901."""
    groups: dict[Span, list[tuple[int, Directive]]] = {}
    for index, directive in enumerate(directives):
        groups.setdefault(directive.span, []).append((index, directive))
    return groups


def _judged_here(code: str) -> bool:
    """Whether a file's own findings say if a suppression of `code` is used: not for the
    project rules (judged after them) nor for SK901/SK902 (about suppressions themselves)."""
    return code not in SELF_CODES and not isinstance(all_rules()[code], ProjectRule)


def _unused_reason(code: str, directive: Directive, enabled: set[str]) -> str:
    if code not in enabled:
        return UNUSED_SUPPRESSION.message("not-enabled", code=code)
    return UNUSED_SUPPRESSION.message("nothing-found", code=code, where=_where(directive))


def _unused_findings(
    skill: Skill,
    directives: Sequence[Directive],
    used: set[tuple[int, str]],
    enabled: set[str],
) -> Iterable[Finding]:
    """One SK901 finding for each comment with codes that suppressed nothing."""
    for span, group in _by_comment(directives).items():
        finding = _unused_finding(skill, span, group, used, enabled)
        if finding is not None:
            yield finding


def _unused_finding(
    skill: Skill,
    span: Span,
    group: Sequence[tuple[int, Directive]],
    used: set[tuple[int, str]],
    enabled: set[str],
) -> Finding | None:
    """The SK901 finding for one comment (its directives are `group`), with the fix that drops
    its unused codes; None when every code it names was used."""
    unused: list[str] = []
    reasons: list[str] = []
    for index, directive in group:
        for code in directive.codes:
            if _judged_here(code) and (index, code) not in used:
                unused.append(code)
                reasons.append(_unused_reason(code, directive, enabled))
    if not unused:
        return None
    written = [code for _, directive in group for code in directive.codes]
    remaining = [code for code in dict.fromkeys(written) if code not in unused]
    fix = Fix(
        UNUSED_SUPPRESSION.message("fix-codes", codes=", ".join(unused))
        if remaining
        else UNUSED_SUPPRESSION.message("fix-comment"),
        (_removal(skill, group[0][1], remaining), *_closing_removals(skill, group, unused)),
    )
    return Finding(span, UNUSED_SUPPRESSION.message("unused", reasons="; ".join(reasons)), fix=fix)


def _where(directive: Directive) -> str:
    if directive.kind == "disable-file":
        return UNUSED_SUPPRESSION.message("in-file")
    if directive.first_line == directive.last_line:
        return UNUSED_SUPPRESSION.message("on-line", line=directive.first_line)
    return UNUSED_SUPPRESSION.message(
        "on-lines", first=directive.first_line, last=directive.last_line
    )
