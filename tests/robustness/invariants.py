"""What must hold for any input at all: shared by the robustness tests."""

from __future__ import annotations

from collections.abc import Iterable

from skillkit.diagnostics import Diagnostic
from skillkit.engine.check import check_skill
from skillkit.model import Skill
from skillkit.settings import Settings
from skillkit.targets import TARGET_NAMES

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
        result = check_skill(skill, settings)
        assert_lines_inside(skill, result.diagnostics)
