"""What must hold for any input at all: shared by the robustness tests."""

from __future__ import annotations

from collections.abc import Iterable

from skillkit.diagnostics import Diagnostic
from skillkit.model import Skill
from skillkit.registry import RULES, FixAvailability
from skillkit.settings import Settings
from skillkit.targets import TARGET_NAMES
from tests.helpers import check

# Every rule, under every target: the widest net for a crash.
ALL_RULES = tuple(Settings(target=target, select=("ALL",)) for target in TARGET_NAMES)


def assert_lines_inside(skill: Skill, diagnostics: Iterable[Diagnostic]) -> None:
    """Every finding points at a line of the file (an empty file has line 1)."""
    last = max(1, len(skill.lines))
    for diagnostic in diagnostics:
        span = diagnostic.span
        assert 1 <= span.line <= last, (diagnostic, last)
        assert span.line <= span.end_line <= last, (diagnostic, last)
        assert span.column >= 1, diagnostic
        assert diagnostic.code != "SK000", diagnostic  # a rule raised


def assert_fixes_as_declared(diagnostics: Iterable[Diagnostic]) -> None:
    """A rule declared always fixable gives each finding a fix; one declared never, none."""
    for diagnostic in diagnostics:
        declared = RULES[diagnostic.code].fix
        if declared is FixAvailability.ALWAYS:
            assert diagnostic.fix is not None, diagnostic
        elif declared is FixAvailability.NEVER:
            assert diagnostic.fix is None, diagnostic


def assert_model_inside(skill: Skill) -> None:
    """The parsed model's own positions are inside the file too (rules point at them)."""
    last = max(1, len(skill.lines))
    spans = [problem.span for problem in skill.problems]
    spans += [section.span for section in skill.all_sections()]
    spans += [block.span for block in skill.code_blocks]
    spans += [code.span for code in skill.inline_code]
    spans += [link.span for link in skill.links]
    spans += [token.span for command in skill.commands for token in command.argv]
    for span in spans:
        assert 1 <= span.line <= span.end_line <= last, (span, last)


def lint_everything(skill: Skill) -> None:
    """Parse-side and rule-side invariants under every target with every rule on."""
    assert_model_inside(skill)
    for settings in ALL_RULES:
        result = check(skill, settings)
        assert_lines_inside(skill, result.diagnostics)
        assert_fixes_as_declared(result.diagnostics)
