"""Fixes: apply the edits that findings carry, without overlaps, until nothing changes.

An `Edit` replaces a `Span` of the file's decoded text after its BOM: 1-based lines and columns,
the end column exclusive, columns counting characters of a line without its line end (so a span
to `(line + 1, 1)` takes the line end with it). A CRLF file keeps CRLF: a replacement's `\\n`
becomes `\\r\\n`; a BOM is written back as it was.

Each pass lints the file, takes every fix allowed (safe ones; unsafe ones too when asked) whose
edits overlap no edit already taken, applies them, and lints again: a fix skipped for an overlap
gets its turn on the next pass. A pass after which a fixed rule has no fewer findings, or the
file more findings in all, is rolled back (then each rule's fixes are tried alone): a fix never
makes a file worse. Passes stop when nothing is left to apply, at the latest after `MAX_PASSES`.
Files are written atomically (a temporary file in the same folder, then `os.replace`), so a
crash never leaves half a skill.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from skillkit.diagnostics import Diagnostic, Edit, Fix
from skillkit.engine.check import FileResult, check_skill
from skillkit.engine.per_file import file_context
from skillkit.intervals import Disjoint
from skillkit.model import Skill, Span
from skillkit.parse import parse_text, read_skill
from skillkit.settings import Settings
from skillkit.text import printable_line

MAX_PASSES = 10
BOM = "\ufeff"


class _Lines:
    """Offsets of (line, column) positions in a text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.rows = text.split("\n")
        self.starts: list[int] = []
        offset = 0
        for row in self.rows:
            self.starts.append(offset)
            offset += len(row) + 1

    def offset(self, line: int, column: int) -> int:
        if line < 1:
            return 0
        if line > len(self.rows):
            return len(self.text)
        row = self.rows[line - 1]
        # A `\r` is a line end only before a `\n`: a last row's lone `\r` can be edited after.
        content = len(row) - 1 if row.endswith("\r") and line < len(self.rows) else len(row)
        return self.starts[line - 1] + min(max(column, 1) - 1, content)

    def interval(self, span: Span) -> tuple[int, int]:
        start = self.offset(span.line, span.column)
        end = self.offset(span.end_line, span.end_column)
        return start, max(start, end)


def _native(replacement: str, crlf: bool) -> str:
    if not crlf:
        return replacement
    return replacement.replace("\r\n", "\n").replace("\n", "\r\n")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Two insertions (or an insertion and a replacement) at the same point have no order: skip.
    return a[0] == b[0] or (a[0] < b[1] and b[0] < a[1])


def choose_fixes(fixes: Iterable[Fix], lines: _Lines) -> tuple[list[tuple[int, int, str]], int]:
    """The edits (start, end, replacement) of the fixes that overlap no fix taken before them,
    and how many fixes that is."""
    taken: list[tuple[int, int, str]] = []
    chosen: Disjoint[int] = Disjoint()
    count = 0
    for fix in fixes:
        intervals = [(lines.interval(edit.span), edit.replacement) for edit in fix.edits]
        if any(chosen.clashes(start, end) for (start, end), _ in intervals) or any(
            _overlaps(a, b) for i, (a, _) in enumerate(intervals) for b, _ in intervals[i + 1 :]
        ):
            continue
        for (start, end), text in intervals:
            chosen.add(start, end)
            taken.append((start, end, text))
        count += 1
    return taken, count


def apply_edits(text: str, edits: Sequence[Edit], crlf: bool | None = None) -> str:
    """Apply non-overlapping edits to a decoded text (after its BOM)."""
    lines = _Lines(text)
    crlf = "\r\n" in text if crlf is None else crlf
    chosen = choose_fixes([Fix("", tuple(edits))], lines)[0] if edits else []
    return _splice(text, chosen, crlf)


def _splice(text: str, edits: list[tuple[int, int, str]], crlf: bool) -> str:
    out = text
    for start, end, replacement in sorted(edits, key=lambda edit: edit[0], reverse=True):
        out = out[:start] + _native(replacement, crlf) + out[end:]
    return out


def applicable(diagnostic: Diagnostic, unsafe: bool) -> bool:
    return diagnostic.fix is not None and (diagnostic.fix.safe or unsafe)


@dataclass(frozen=True)
class FileFix:
    path: Path
    before: str  # decoded, BOM included
    after: str
    fixed: int  # fixes applied, over every pass
    # The lint of `before` and of `after`, which the passes make anyway: `lint --fix` and
    # `lint --diff` report the one that is on disk in the end instead of linting the file again.
    before_findings: FileResult
    after_findings: FileResult

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        shown = str(self.path)
        lines = difflib.unified_diff(
            _pieces(self.before),
            _pieces(self.after),
            fromfile=f"a/{shown}",
            tofile=f"b/{shown}",
        )
        # As git: a last line without a line end is marked, so the diff still applies.
        # (each line through printable_line: control characters escaped, line ends kept)
        return "".join(
            printable_line(line)
            if line.endswith("\n")
            else printable_line(line) + "\n\\ No newline at end of file\n"
            for line in lines
        )


def _pieces(text: str) -> list[str]:
    """Lines with their line ends (split on `\n` only, as the model does)."""
    return [piece for piece in re.split(r"(?<=\n)", text.removeprefix(BOM)) if piece]


def _check(skill: Skill, settings: Settings, shown: str | None) -> FileResult:
    return check_skill(skill, file_context(skill, settings), shown)


def _reparse(skill: Skill, text: str) -> Skill:
    return parse_text((BOM if skill.has_bom else "") + text, skill.path)


def fix_skill(skill: Skill, settings: Settings, unsafe: bool = False) -> tuple[Skill, int]:
    """Lint and fix one parsed skill until no allowed fix is left; return it and the count."""
    fixed_skill, fixed, _before, _after = _fix_passes(skill, settings, unsafe, None)
    return fixed_skill, fixed


def _fix_passes(
    skill: Skill, settings: Settings, unsafe: bool, shown: str | None
) -> tuple[Skill, int, FileResult, FileResult]:
    """The fixed skill, the fixes applied, and the lint of the skill before and after them.

    A pass is kept only when it makes the file better (`_better`); otherwise the fixes of each
    rule are tried on their own, and a rule whose fixes make it worse is not fixed in this file
    at all: its findings stay, and the file never gets worse, never churns without end."""
    fixed = 0
    first = result = _check(skill, settings, shown)
    refused: set[str] = set()  # rules whose fixes made this file worse
    for _ in range(MAX_PASSES):
        fixes = [
            (d.code, d.fix)
            for d in result.diagnostics
            if d.fix is not None and applicable(d, unsafe) and d.code not in refused
        ]
        if not fixes:
            break
        attempt = _attempt(skill, result, fixes, settings, shown)
        if attempt is not None:
            skill, result, count = attempt
            fixed += count
            continue
        progressed = False
        for code in dict.fromkeys(code for code, _ in fixes):
            attempt = _attempt(skill, result, [f for f in fixes if f[0] == code], settings, shown)
            if attempt is None:
                refused.add(code)
                continue
            skill, result, count = attempt
            fixed += count
            progressed = True
        if not progressed:
            break
    return skill, fixed, first, result


def _attempt(
    skill: Skill,
    result: FileResult,
    fixes: Sequence[tuple[str, Fix]],
    settings: Settings,
    shown: str | None,
) -> tuple[Skill, FileResult, int] | None:
    """Apply the fixes that do not overlap; the new skill, its lint and the count, or None
    when that does not make the file better."""
    lines = _Lines(skill.text)
    edits, count = choose_fixes([fix for _, fix in fixes], lines)
    text = _splice(skill.text, edits, skill.crlf)
    if text == skill.text:
        return None
    fixed_skill = _reparse(skill, text)
    after = _check(fixed_skill, settings, shown)
    if not _better(result, after, {code for code, _ in fixes}):
        return None
    return fixed_skill, after, count


def _better(before: FileResult, after: FileResult, fixed_codes: set[str]) -> bool:
    """Whether a fix pass made the file better: each fixed rule has fewer findings (a fix that
    leaves its finding in place is no fix), and there are no more findings in all. (A fix may
    show a finding that the fixed one hid: quoting `name: no` lets it be compared with the
    folder's name.)"""
    counts_before = Counter(d.code for d in before.diagnostics)
    counts_after = Counter(d.code for d in after.diagnostics)
    if any(counts_after[code] >= counts_before[code] for code in fixed_codes):
        return False
    return counts_after.total() <= counts_before.total()


def fix_file(path: Path, settings: Settings, unsafe: bool = False) -> FileFix:
    skill = read_skill(path, settings.max_file_bytes)
    before = (BOM if skill.has_bom else "") + skill.text
    if not skill.text:
        result = _check(skill, settings, str(path))
        return FileFix(path, before, before, 0, result, result)
    fixed_skill, fixed, before_findings, after_findings = _fix_passes(
        skill, settings, unsafe, str(path)
    )
    after = (BOM if fixed_skill.has_bom else "") + fixed_skill.text
    return FileFix(path, before, after, fixed, before_findings, after_findings)
