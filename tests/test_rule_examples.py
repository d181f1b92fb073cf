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
from skillkit.model import Skill
from skillkit.registry import RULES, Example, FileRule, RenderRule, Rule, all_rules
from skillkit.rules.files import INTERNAL_ERROR
from tests.helpers import lint_example, lint_text, render_example

ALL_RULES = sorted(all_rules().values(), key=lambda rule: rule.code)
EXAMPLED = [rule for rule in ALL_RULES if rule.bad is not None and rule.good is not None]


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
