"""Rules are referred to by symbol: a code written as a string literal appears only in the rule's
own declaration, and every code that the source mentions (in a message, a help text, a comment)
is a registered rule, so a typo or a removed rule cannot hide in a string."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import skillkit
from skillkit.registry import RULES, EngineRule, FileRule, ProjectRule, RenderRule, all_rules

SRC = Path(skillkit.__file__).parent
CODE = re.compile(r"SK\d{3}")
MENTION = re.compile(r"\bSK\d{3}\b")
DECLARERS = {"rule", "render_rule", "engine_rule", "ProjectRule", "FileRule", "EngineRule"}


def _declaring_literals(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that give a declared rule its code."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.id if isinstance(node.func, ast.Name) else None
        if callee not in DECLARERS:
            continue
        if node.args:
            found.add(id(node.args[0]))
        found.update(id(keyword.value) for keyword in node.keywords if keyword.arg == "code")
    return found


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_a_code_literal_appears_only_in_its_rules_declaration() -> None:
    stray: list[str] = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        declaring = _declaring_literals(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE.fullmatch(node.value)
                and id(node) not in declaring
            ):
                stray.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.value!r}")
    assert stray == []


def test_every_code_the_source_mentions_is_a_registered_rule() -> None:
    unknown: list[str] = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for code in MENTION.findall(line):
                if code not in RULES:
                    unknown.append(f"{path.relative_to(SRC)}:{number}: {code}")
    assert unknown == []


def test_each_rule_is_of_one_kind() -> None:
    kinds = (FileRule, ProjectRule, RenderRule, EngineRule)
    for rule in all_rules().values():
        assert sum(isinstance(rule, kind) for kind in kinds) == 1, rule.code


def test_the_checker_sees_a_stray_code_literal() -> None:
    tree = ast.parse('rule("SK201", "x")\nif code == "SK201": pass\n')
    declaring = _declaring_literals(tree)
    literals = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value == "SK201"]
    assert [id(n) in declaring for n in literals] == [True, False]
