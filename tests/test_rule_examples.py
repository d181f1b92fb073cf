"""Every registered rule's own examples: the failing one fails with that rule, the passing one
does not. The declaration drives the test, so a new rule is tested the moment it exists.

Lint rules lint their example skill; render rules (SK7xx) render their example project with the
real renderer, whose good example must render without any finding at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.diagnostics import Diagnostic
from skillkit.registry import RENDER, Example, Rule, all_rules
from tests.helpers import lint_example, render_example

RULES = sorted(all_rules().values(), key=lambda rule: rule.code)


def _target(rule: Rule) -> str:
    return sorted(rule.targets)[0] if rule.targets else "spec"


def _run(rule: Rule, example: Example, root: Path) -> list[Diagnostic]:
    if rule.phase == RENDER:
        return render_example(root, example)
    return lint_example(root, example, _target(rule), (rule.code,))


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_bad_example_fails_with_the_rule(rule: Rule, tmp_path: Path) -> None:
    found = _run(rule, rule.bad, tmp_path)
    assert [d.code for d in found if d.code == rule.code], f"{rule.code} did not fire"


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_good_example_passes_the_rule(rule: Rule, tmp_path: Path) -> None:
    found = _run(rule, rule.good, tmp_path)
    if rule.phase == RENDER:
        assert found == []  # a render example's good project renders cleanly
    assert [d for d in found if d.code == rule.code] == []


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_declaration_is_complete(rule: Rule) -> None:
    assert rule.code[:2] == "SK" and len(rule.code) == 5 and rule.code[2:].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name
    assert rule.summary.strip() and rule.rationale.strip()
