"""Every registered rule's own examples: the failing one fails with that rule, the passing one
does not. The declaration drives the test, so a new rule is tested the moment it exists.

Lint rules lint their example skill; render rules (SK7xx) render their example project with the
real renderer, whose good example must render without any finding at all. The one rule that no
input triggers on purpose (SK000, a rule that crashed) is tested with a rule made to crash."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillkit.context import Context
from skillkit.diagnostics import Diagnostic, Finding
from skillkit.fix import apply_edits
from skillkit.model import Skill
from skillkit.registry import (
    RULES,
    Example,
    FileRule,
    FixAvailability,
    RenderRule,
    Rule,
    all_rules,
)
from skillkit.rules.files import INTERNAL_ERROR
from tests.helpers import lint_example, lint_text, render_example

ALL_RULES = sorted(all_rules().values(), key=lambda rule: rule.code)
EXAMPLED = [rule for rule in ALL_RULES if rule.bad is not None and rule.good is not None]
FIXABLE = [rule for rule in EXAMPLED if rule.fixable]


def _target(rule: Rule) -> str:
    return sorted(rule.targets)[0] if rule.targets else "spec"


def _run(rule: Rule, example: Example, root: Path) -> list[Diagnostic]:
    if isinstance(rule, RenderRule):
        return render_example(root, example)
    return lint_example(root, example, _target(rule), (rule.code,))


@pytest.mark.parametrize("rule", EXAMPLED, ids=[rule.code for rule in EXAMPLED])
def test_bad_example_fails_with_the_rule(rule: Rule, tmp_path: Path) -> None:
    assert rule.bad is not None
    found = _run(rule, rule.bad, tmp_path)
    assert [d.code for d in found if d.code == rule.code], f"{rule.code} did not fire"


@pytest.mark.parametrize("rule", EXAMPLED, ids=[rule.code for rule in EXAMPLED])
def test_bad_example_has_the_declared_fixes(rule: Rule, tmp_path: Path) -> None:
    """A rule that always fixes gives a fix on every finding of its bad example; one that never
    does, on none; one that sometimes does, on at least one of its bad (or `fixed`) example."""
    assert rule.bad is not None
    found = [d for d in _run(rule, rule.bad, tmp_path / "bad") if d.code == rule.code]
    fixed = [d.fix is not None for d in found]
    if rule.fix is FixAvailability.ALWAYS:
        assert all(fixed), f"{rule.code} is declared always fixable"
    elif rule.fix is FixAvailability.NEVER:
        assert not any(fixed), f"{rule.code} is declared never fixable"
    else:
        if rule.fixed is not None:
            assert not any(fixed), f"{rule.code}: its bad example is fixed; drop `fixed`"
            found = [d for d in _run(rule, rule.fixed, tmp_path / "fixed") if d.code == rule.code]
        assert any(d.fix is not None for d in found), f"{rule.code}: no example gets a fix"


@pytest.mark.parametrize("rule", FIXABLE, ids=[rule.code for rule in FIXABLE])
def test_a_fix_leaves_a_file_without_the_finding(rule: Rule, tmp_path: Path) -> None:
    """A fix given on the example does away with the finding it came with."""
    example = rule.fixed or rule.bad
    assert example is not None and isinstance(example.text, str)
    found = [d for d in _run(rule, example, tmp_path / "before") if d.code == rule.code]
    fix = next(d.fix for d in found if d.fix is not None)
    after = dataclasses.replace(example, text=apply_edits(example.text, fix.edits))
    again = [d for d in _run(rule, after, tmp_path / "after") if d.code == rule.code]
    assert len(again) == len(found) - 1, (after.text, again)


@pytest.mark.parametrize("rule", EXAMPLED, ids=[rule.code for rule in EXAMPLED])
def test_good_example_passes_the_rule(rule: Rule, tmp_path: Path) -> None:
    assert rule.good is not None
    found = _run(rule, rule.good, tmp_path)
    if isinstance(rule, RenderRule):
        assert found == []  # a render example's good project renders cleanly
    assert [d for d in found if d.code == rule.code] == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=[rule.code for rule in ALL_RULES])
def test_rule_declaration_is_complete(rule: Rule) -> None:
    assert rule.code[:2] == "SK" and len(rule.code) == 5 and rule.code[2:].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name
    assert rule.summary.strip() and rule.rationale.strip()


def test_only_the_internal_error_has_no_examples() -> None:
    assert [rule for rule in ALL_RULES if rule not in EXAMPLED] == [INTERNAL_ERROR]


def test_a_rule_that_raises_is_reported_as_the_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(skill: Skill, context: Context) -> Iterator[Finding]:
        raise RuntimeError("boom")

    body_empty = RULES["SK201"]
    assert isinstance(body_empty, FileRule)
    monkeypatch.setitem(RULES, "SK201", dataclasses.replace(body_empty, check=crash))
    text = "---\nname: demo\ndescription: Formats CSV files. Use when asked.\n---\n\nBody.\n"
    found = lint_text(tmp_path, text, select=("SK201",))
    assert [(d.code, d.name, d.severity, d.span.line, d.message) for d in found] == [
        (
            "SK000",
            "internal-error",
            INTERNAL_ERROR.severity,
            1,
            "rule SK201 (body-empty) failed: RuntimeError: boom; please report this",
        )
    ]
