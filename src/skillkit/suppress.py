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
`suppression_text` writes suppressions for given findings (`lint --add-suppressions`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from skillkit.diagnostics import Diagnostic, Edit, Finding, Fix
from skillkit.model import Skill, Span
from skillkit.settings import Settings

# The key of a file's suppression ranges among its project-rule facts (see lint.FileResult).
SUPPRESSIONS_FACT = "suppressions"
UNUSED = "SK901"
INVALID = "SK902"
_SELF = frozenset({UNUSED, INVALID})

_HTML = re.compile(
    r"^skillkit\s*:\s*(?P<kind>disable-next-line|disable-file|disable|enable)\b(?P<codes>.*)$",
    re.DOTALL,
)
_YAML = re.compile(r"(?:^|\s)#\s*skillkit\s*:\s*ignore\b(?P<codes>.*)$")
_LOOKS_LIKE = re.compile(r"^skillkit\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Directive:
    """One suppression comment: which codes, over which lines, and how to rewrite it."""

    kind: str  # disable-next-line | disable | enable | disable-file | ignore
    codes: tuple[str, ...]  # resolved rule codes, in the order written
    span: Span  # the comment (for `ignore`: from `#` to the end of the line)
    first_line: int = 0  # the lines it covers (set once ranges are matched)
    last_line: int = 0
    alone: bool = True  # nothing else on its line(s): removing it removes the lines


@dataclass(frozen=True)
class Suppressions:
    """The lines each code is suppressed on in one file (picklable: kept for project rules)."""

    ranges: tuple[tuple[str, int, int], ...] = ()  # (code, first line, last line)

    def covers(self, code: str, line: int) -> bool:
        return any(c == code and first <= line <= last for c, first, last in self.ranges)


@dataclass
class _Parsed:
    directives: list[Directive] = field(default_factory=list)
    invalid: list[Finding] = field(default_factory=list)


def _resolve(word: str) -> str | None:
    from skillkit.registry import CODES_BY_NAME, all_rules

    rules = all_rules()
    upper = word.upper()
    if upper in rules:
        return upper
    return CODES_BY_NAME.get(word.lower())


def _is_render(code: str) -> bool:
    from skillkit.registry import RENDER, all_rules

    return all_rules()[code].phase == RENDER


def _codes(text: str, span: Span, parsed: _Parsed) -> tuple[str, ...] | None:
    words = [word for word in re.split(r"[\s,]+", text.strip()) if word]
    if not words:
        parsed.invalid.append(
            Finding(span, "suppression names no rule code (write the codes it suppresses)")
        )
        return None
    codes: list[str] = []
    for word in words:
        code = _resolve(word)
        if code is None:
            from skillkit.registry import unknown_rule_hint

            hint = unknown_rule_hint(word)
            parsed.invalid.append(
                Finding(span, f"suppression names `{word}`, which is not a rule code{hint}")
            )
        elif _is_render(code):
            parsed.invalid.append(
                Finding(
                    span,
                    f"suppression names `{word}`, which `skillkit render` reports, not lint: "
                    "a comment in a skill file cannot suppress it",
                )
            )
        elif code not in codes:
            codes.append(code)
    return tuple(codes) if codes else None


def _parse(skill: Skill) -> _Parsed:
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
                        "unknown suppression; write `skillkit: disable-next-line CODE`, "
                        "`disable CODE`, `enable CODE` or `disable-file CODE`",
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
                        Finding(span, f"`enable {code}` without an earlier `disable {code}`")
                    )
                    continue
                directive, start = open_ranges.pop(code)
                parsed.directives.append(
                    Directive("disable", (code,), directive.span, start, span.line, directive.alone)
                )
    for code, (directive, start) in open_ranges.items():
        parsed.directives.append(
            Directive("disable", (code,), directive.span, start, last, directive.alone)
        )
    _parse_yaml(skill, parsed)
    return parsed


def _front_matter_lines(skill: Skill) -> range:
    fm = skill.front_matter
    if not fm.present:
        return range(0)
    return range(2, fm.span.end_line if fm.closed else len(skill.lines) + 1)


def _parse_yaml(skill: Skill, parsed: _Parsed) -> None:
    for number in _front_matter_lines(skill):
        line = skill.line_text(number)
        if "skillkit" not in line:
            continue
        match = _YAML.search(line)
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
            for directive in _parse(skill).directives
            for code in directive.codes
        )
    )


def _comment_text(kind: str, codes: Sequence[str]) -> str:
    if kind == "ignore":
        return f"# skillkit: ignore {', '.join(codes)}"
    return f"<!-- skillkit: {kind} {', '.join(codes)} -->"


def _removal(skill: Skill, directive: Directive, kept: Sequence[str]) -> Edit:
    """The edit that drops the unused codes of a directive (or the whole directive)."""
    span = directive.span
    if kept:
        kind = "disable" if directive.kind == "disable" else directive.kind
        return Edit(span, _comment_text(kind, kept))
    if directive.alone:
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
    skill: Skill, diagnostics: Iterable[Diagnostic], settings: Settings, path: str | None = None
) -> list[Diagnostic]:
    """Drop the findings that a suppression covers; add SK901 for suppressions that covered
    nothing and SK902 for malformed ones (when those rules are on)."""
    from skillkit.lint import active_rules, diagnostic_from_finding, per_file_ignored_codes
    from skillkit.registry import all_rules

    found = list(diagnostics)
    parsed = _parse(skill)
    if not parsed.directives and not parsed.invalid:
        return found
    shown = path if path is not None else str(skill.path)
    ignored = per_file_ignored_codes(skill.path, settings)
    enabled = {rule.code for rule in active_rules(settings)} - ignored
    kept, used = _drop_suppressed(found, parsed.directives)
    every = all_rules()
    own: list[Diagnostic] = []
    if UNUSED in enabled:
        own.extend(
            diagnostic_from_finding(shown, every[UNUSED], finding, settings, skill)
            for finding in _unused_findings(skill, parsed.directives, used, enabled)
        )
    if INVALID in enabled:
        own.extend(
            diagnostic_from_finding(shown, every[INVALID], finding, settings, skill)
            for finding in parsed.invalid
        )
    # SK901/SK902 can be suppressed too (by a directive that then counts as used).
    kept.extend(diagnostic for diagnostic in own if not _covering(parsed.directives, diagnostic))
    return kept


def _covering(directives: Sequence[Directive], diagnostic: Diagnostic) -> list[int]:
    """The indexes of the directives that suppress this finding."""
    line = diagnostic.span.line
    return [
        index
        for index, directive in enumerate(directives)
        if diagnostic.code in directive.codes
        and directive.first_line <= line <= directive.last_line
    ]


def _drop_suppressed(
    found: Sequence[Diagnostic], directives: Sequence[Directive]
) -> tuple[list[Diagnostic], set[tuple[int, str]]]:
    """The findings no directive covers, and which (directive index, code) pairs were used."""
    kept: list[Diagnostic] = []
    used: set[tuple[int, str]] = set()
    for diagnostic in found:
        covering = _covering(directives, diagnostic)
        if not covering:
            kept.append(diagnostic)
        used.update((index, diagnostic.code) for index in covering)
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
    from skillkit.registry import all_rules

    return code not in _SELF and all_rules()[code].check_project is None


def _unused_reason(code: str, directive: Directive, enabled: set[str]) -> str:
    if code not in enabled:
        return f"{code} (not enabled)"
    return f"{code} (no {code} finding {_where(directive)})"


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
        f"remove {', '.join(unused)} from the suppression"
        if remaining
        else "remove the unused suppression",
        (_removal(skill, group[0][1], remaining),),
    )
    return Finding(span, f"unused suppression: {'; '.join(reasons)}", fix=fix)


def _where(directive: Directive) -> str:
    if directive.kind == "disable-file":
        return "in this file"
    if directive.first_line == directive.last_line:
        return f"on line {directive.first_line}"
    return f"on lines {directive.first_line}-{directive.last_line}"


# ---------------------------------------------------------------------------------------------
# --add-suppressions


_YAML_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[^\s#:][^:]*:(?:\s|$)")


def suppression_text(skill: Skill, diagnostics: Sequence[Diagnostic]) -> tuple[str, int]:
    """The skill's text (after the BOM) with a suppression for each finding, and how many
    suppression comments that adds or extends.

    A body line gets `disable-next-line` above it (a line inside a code block cannot hold a
    comment, so the block gets `disable` above and `enable` below); a front-matter key line gets a
    YAML `# skillkit: ignore` line above it; anything else `disable-file` after the front matter.
    """
    fm_lines = _front_matter_lines(skill) if skill.front_matter.closed else range(0)
    parsed = _parse(skill)
    existing = {
        directive.first_line: directive
        for directive in parsed.directives
        if directive.kind in ("disable-next-line", "ignore") and directive.alone
    }
    before: dict[int, dict[str, list[str]]] = {}  # line → (kind, indent) key → codes
    file_codes: list[str] = []
    blocks = {
        number: block
        for block in skill.code_blocks
        for number in range(block.span.line, block.span.end_line + 1)
    }

    def add(line: int, kind: str, indent: str, code: str) -> None:
        codes = before.setdefault(line, {}).setdefault(f"{kind}\0{indent}", [])
        if code not in codes:
            codes.append(code)

    for diagnostic in diagnostics:
        code, line = diagnostic.code, diagnostic.span.line
        if code in _SELF or code.startswith("SK0"):
            continue
        text = skill.line_text(line)
        indent = text[: len(text) - len(text.lstrip())]
        if line in fm_lines and _YAML_KEY_LINE.match(text):
            add(line, "ignore", indent, code)
        elif line >= skill.body_start_line and line in blocks:
            block = blocks[line]
            opening = skill.line_text(block.span.line)
            fence_indent = opening[: len(opening) - len(opening.lstrip())]
            add(block.span.line, "disable", fence_indent, code)
            if block.closed:
                add(block.span.end_line + 1, "enable", fence_indent, code)
        elif skill.body_start_line <= line <= len(skill.lines):
            add(line, "disable-next-line", indent, code)
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
                replaced[directive.span.line] = old[: directive.span.column - 1] + _comment_text(
                    kind, merged
                )
            else:
                inserts.setdefault(line, []).append(indent + _comment_text(kind, sorted(codes)))
            added += 1
    if file_codes:
        inserts.setdefault(skill.body_start_line, []).insert(
            0, _comment_text("disable-file", file_codes)
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
