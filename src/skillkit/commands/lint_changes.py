"""The modes of `skillkit lint` that change files or show changes: `--fix`, `--diff` and
`--add-suppressions`. A module of their own, imported only when one of them is asked for: a
plain lint loads neither the fixer nor atomic writes nor the render plan's ownership."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.add_suppressions import suppression_text
from skillkit.atomic import ChangedOnDisk, write_atomic
from skillkit.config.resolver import Resolver
from skillkit.diagnostics import Diagnostic
from skillkit.engine.check import FileResult
from skillkit.engine.runner import LintResult
from skillkit.fix import BOM, applicable, fix_file
from skillkit.outputs.owned import Owners
from skillkit.parse import read_skill
from skillkit.settings import Settings

if TYPE_CHECKING:  # the render engine loads only when used (Jinja)
    from skillkit.outputs.plan import Plan
    from skillkit.render.engine import RenderResult


def _render_in_memory(plan: Plan, settings: Settings) -> RenderResult:
    """The plan rendered in memory, to say which template line a rendered file's line is from."""
    # The engine (and Jinja) only when a fix lands in a rendered output: lint stays light.
    from skillkit.render.engine import render_plan

    return render_plan(plan, settings, check=True, allow_errors=True)


class RenderedOutputs:
    """The outputs of a render plan among the files to fix: never edited (render would call the
    change a hand edit, and the next render would undo it); each fix is reported at the
    template line it belongs in."""

    def __init__(self, unsafe: bool) -> None:
        self.unsafe = unsafe
        self.owners = Owners()
        self.notes: list[str] = []

    def owns(self, path: Path, settings: Settings, findings: FileResult) -> bool:
        owner = self.owners.owner(path, settings)
        if owner is None:
            return False
        for diagnostic in findings.diagnostics:
            if applicable(diagnostic, self.unsafe):
                where = self.owners.source_of(
                    owner, settings, diagnostic.span.line, _render_in_memory
                )
                self.notes.append(
                    f"{diagnostic.path}:{diagnostic.span.line}: {diagnostic.code} not fixed: "
                    f"the file is rendered; fix {where} instead"
                )
        return True

    def report(self) -> None:
        for note in self.notes:
            print(note, file=sys.stderr)


class Fixer:
    """`lint --fix`'s step for each file: fix it, write it, and give its findings as it is now
    on disk. The fix passes lint the file anyway, so it is linted once, not again after the
    fixes, and it is reported as it is now even when another run fixed it meanwhile. A failed
    write (a full disk, a read-only folder) leaves that file as it was (the write is atomic), is
    reported on one line, and the other files are still fixed."""

    def __init__(self, unsafe: bool) -> None:
        self.unsafe = unsafe
        self.fixed = 0  # findings fixed
        self.unwritten = 0  # files that could not be written
        self.rendered = RenderedOutputs(unsafe)

    def __call__(self, path: Path, settings: Settings) -> FileResult:
        outcome = fix_file(path, settings, self.unsafe)
        if not outcome.changed:
            return outcome.after_findings
        if self.rendered.owns(path, settings, outcome.before_findings):
            return outcome.before_findings
        try:
            write_atomic(path, outcome.after, expected=outcome.before.encode("utf-8"))
        except ChangedOnDisk:
            self.unwritten += 1
            print(
                f"skillkit: error: {path} changed while it was being fixed; "
                "it was left as it is now (run --fix again)",
                file=sys.stderr,
            )
            return outcome.before_findings
        except OSError as error:
            self.unwritten += 1
            print(
                f"skillkit: error: cannot write {path}: {error.strerror or error}; "
                "it was left as it was",
                file=sys.stderr,
            )
            return outcome.before_findings
        self.fixed += outcome.fixed
        return outcome.after_findings


class Differ:
    """`lint --diff`'s step for each file: print the diff that its fixes would make, write
    nothing, and give its findings as it is on disk. The fix passes lint the file anyway, so it
    is linted once, not once more beforehand only to find the files."""

    def __init__(self, unsafe: bool) -> None:
        self.unsafe = unsafe
        self.fixed = 0  # findings that would be fixed
        self.changed = 0  # files that would change
        self.rendered = RenderedOutputs(unsafe)

    def __call__(self, path: Path, settings: Settings) -> FileResult:
        outcome = fix_file(path, settings, self.unsafe)
        if outcome.changed and not self.rendered.owns(path, settings, outcome.before_findings):
            sys.stdout.write(outcome.diff())
            self.fixed += outcome.fixed
            self.changed += 1
        return outcome.before_findings


def add_suppressions(result: LintResult, resolver: Resolver) -> int:
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in result.diagnostics:
        by_file.setdefault(diagnostic.path, []).append(diagnostic)
    added = 0
    owners = Owners()
    for shown, found in sorted(by_file.items()):
        path = Path(shown)
        if not path.is_file():
            continue
        if owners.owner(path, resolver.settings_for(path)) is not None:
            # A comment in a rendered output is a hand edit; the plan entry's `ignore` is the
            # render's own baseline.
            print(
                f"{shown}: no suppressions added: the file is rendered; list the codes in its "
                "plan entry's `ignore`, or suppress them in the template",
                file=sys.stderr,
            )
            continue
        skill = read_skill(path, resolver.settings_for(path).max_file_bytes)
        if not skill.text:
            continue
        text, count = suppression_text(skill, found, resolver.settings_for(path))
        if count and text != skill.text:
            bom = BOM if skill.has_bom else ""
            try:
                write_atomic(path, bom + text, expected=(bom + skill.text).encode("utf-8"))
            except ChangedOnDisk:
                print(
                    f"skillkit: error: {path} changed while suppressions were being added; "
                    "it was left as it is now",
                    file=sys.stderr,
                )
                continue
            added += count
    return added
