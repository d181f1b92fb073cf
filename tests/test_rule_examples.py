"""Every registered rule's own examples: the failing one fails with that rule, the passing one
does not. The declaration drives the test, so a new rule is tested the moment it exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.registry import Rule, all_rules
from tests.helpers import lint_example

RULES = sorted(all_rules().values(), key=lambda rule: rule.code)


def _target(rule: Rule) -> str:
    return sorted(rule.targets)[0] if rule.targets else "spec"


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_bad_example_fails_with_the_rule(rule: Rule, tmp_path: Path) -> None:
    found = lint_example(tmp_path, rule.bad, _target(rule), (rule.code,))
    assert [d.code for d in found if d.code == rule.code], f"{rule.code} did not fire"


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_good_example_passes_the_rule(rule: Rule, tmp_path: Path) -> None:
    found = lint_example(tmp_path, rule.good, _target(rule), (rule.code,))
    assert [d for d in found if d.code == rule.code] == []


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_declaration_is_complete(rule: Rule) -> None:
    assert rule.code[:2] == "SK" and len(rule.code) == 5 and rule.code[2:].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name
    assert rule.summary.strip() and rule.rationale.strip()
