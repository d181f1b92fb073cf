"""Render problems (SK7xx) declared in the registry: the renderer takes their name and severity
from there, lint never runs them, `skillkit rule(s)` explains them, and lint settings and
suppressions that name only them are refused instead of silently doing nothing."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

import skillkit
from skillkit.cli import main
from skillkit.diagnostics import Severity
from skillkit.engine.selection import active_rules
from skillkit.registry import RULES, Example, FileRule, RenderRule, Rule, all_rules
from skillkit.rules import render as render_rules
from skillkit.settings import Settings
from tests.helpers import write_skill

RENDER_CODES = ["SK701", "SK702", "SK703", "SK704", "SK705", "SK706", "SK707"]
SKILL = "---\nname: demo\ndescription: Greet the user. Use when the user asks to be greeted.\n---\n"


def test_the_render_codes_are_declared_as_render_rules() -> None:
    rules = all_rules()
    assert sorted(code for code, rule in rules.items() if isinstance(rule, RenderRule)) == (
        RENDER_CODES
    )
    assert [rules[code].name for code in RENDER_CODES] == [
        "template-syntax-error",
        "undefined-name",
        "impossible-command",
        "invalid-rendered-command",
        "output-path-unsafe",
        "template-error",
        "output-path-conflict",
    ]
    assert {rules[code].severity for code in RENDER_CODES} == {Severity.ERROR}


def test_lint_never_runs_a_render_rule() -> None:
    for settings in (Settings(), Settings(select=("ALL",)), Settings(extend_select=("SK",))):
        assert [rule.code for rule in active_rules(settings) if rule.code.startswith("SK7")] == []


def test_the_renderer_takes_name_and_severity_from_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = '[render]\n[[render.outputs]]\ntemplate = "t.md.j2"\npath = "demo/SKILL.md"\n'
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/t.md.j2").write_text(SKILL + "\nHello {{ user }}.\n")
    (tmp_path / "skillkit.toml").write_text(plan)
    (finding,) = skillkit.render(tmp_path, check=True).diagnostics
    assert (finding.code, finding.name, finding.severity, finding.span.line, finding.message) == (
        "SK702",
        "undefined-name",
        Severity.ERROR,
        6,
        "undefined: 'user' is undefined",
    )
    # The renderer refers to the rule by its symbol: a changed declaration is what it reports.
    changed = dataclasses.replace(
        render_rules.UNDEFINED_NAME, name="name-undefined", severity=Severity.WARNING
    )
    monkeypatch.setattr(render_rules, "UNDEFINED_NAME", changed)
    (finding,) = skillkit.render(tmp_path, check=True).diagnostics
    assert (finding.name, finding.severity) == ("name-undefined", Severity.WARNING)


def _render_rule(**changes: object) -> Rule:
    rule = dataclasses.replace(
        render_rules.UNDEFINED_NAME, code="SK799", name="test-only-render-rule"
    )
    return dataclasses.replace(rule, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fixable": True}, "render rule SK799 cannot have targets, options or a fix"),
        ({"targets": frozenset({"spec"})}, "render rule SK799 cannot have targets"),
        ({"bad": Example("# demo\n")}, "render rule SK799: each example is files with"),
        ({"code": "SK299"}, "rule SK299: SK7xx codes, and only they, are render rules"),
    ],
)
def test_a_malformed_render_rule_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        _render_rule(**changes)
    assert "SK799" not in RULES and "SK299" not in RULES


def test_a_render_rule_has_no_check() -> None:
    # A kind of its own: there is no check to give it (the renderer reports it).
    with pytest.raises(TypeError, match="check"):
        _render_rule(check=lambda skill, context: ())


def test_a_lint_rule_in_the_render_family_is_refused() -> None:
    lint_rule = RULES["SK111"]
    assert isinstance(lint_rule, FileRule)
    with pytest.raises(ValueError, match=re.escape("rule SK799: SK7xx codes, and only they")):
        dataclasses.replace(lint_rule, code="SK799", name="test-only-lint-rule")


def test_rule_explains_a_render_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "SK702"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "SK702 undefined-name\n\n"
        "A template (or the plan's `path` or front matter) uses a name no variable defines.\n\n"
        "Severity: error\nReported by: skillkit render (lint settings do not apply)\n\nWhy:\n"
    )
    assert (
        "Fails (skillkit render in a project with these files):\n  skillkit.toml:\n    [render]\n"
    ) in out
    assert '    variables = { user = "Ada" }\n  templates/demo.md.j2:\n' in out
    assert main(["rule", "undefined-name"]) == 0
    assert capsys.readouterr().out == out


def test_rules_lists_the_render_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("SK7")]
    assert [line.split()[:3] for line in lines] == [
        [code, RULES[code].name, "error"] for code in RENDER_CODES
    ]
    assert all(line.endswith(" (render)") for line in lines)
    assert main(["rules", "--format", "json"]) == 0
    phases = {rule["code"]: rule["phase"] for rule in json.loads(capsys.readouterr().out)}
    assert phases["SK702"] == "render" and phases["SK111"] == "lint"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            'ignore = ["SK702"]\n',
            1,
            "`SK702` names SK702, which `skillkit render` reports, not lint: lint settings and "
            "suppressions do not apply to render problems",
        ),
        ('select = ["SK1", "SK7"]\n', 1, "`SK7` names SK701..SK707, which `skillkit render`"),
        ('[severity]\nundefined-name = "warning"\n', 2, "`undefined-name` names SK702, which"),
        ('[per-file-ignores]\n"a/*" = ["SK70"]\n', 2, "`SK70` names SK701..SK707, which"),
    ],
)
def test_config_refuses_a_selector_naming_only_render_codes(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, message: str
) -> None:
    write_skill(in_tmp, SKILL)
    (in_tmp / "skillkit.toml").write_text(text)
    assert main(["lint", "."]) == 2
    err = capsys.readouterr().err
    assert f"skillkit.toml:{line}: {message}" in err, err


def test_config_accepts_selectors_that_also_name_lint_rules(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, SKILL + "\n# Demo\n")
    (in_tmp / "skillkit.toml").write_text('select = ["ALL"]\nignore = ["SK"]\n')
    assert main(["lint", "--format", "concise", "."]) == 0
    assert capsys.readouterr().err == ""


def test_lint_flags_refuse_a_render_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--isolated", "--select", "SK704", "."]) == 2
    assert capsys.readouterr().err.endswith(
        "`SK704` names SK704, which `skillkit render` reports, not lint: lint settings and "
        "suppressions do not apply to render problems\n"
    )


def test_a_suppression_of_a_render_code_is_invalid(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, SKILL + "\n<!-- skillkit: disable-next-line SK702 -->\n# Demo\n")
    assert main(["lint", "--isolated", "--format", "concise", "--select", "SK902", "."]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "demo/SKILL.md:6:1: SK902 suppression names `SK702`, which `skillkit render` reports, "
        "not lint: a comment in a skill file cannot suppress it",
    ]
