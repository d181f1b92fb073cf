"""Rules are referred to by symbol: a code written as a string literal appears only in the rule's
own declaration, and every code that the source mentions (in a message, a help text, a comment)
is a registered rule, so a typo or a removed rule cannot hide in a string."""

from __future__ import annotations

import ast
import importlib
import re
import string
from pathlib import Path

import skillkit
from skillkit.registry import (
    RULES,
    EngineRule,
    FileRule,
    ProjectRule,
    RenderRule,
    Rule,
    all_rules,
)

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


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(node: ast.expr, namespace: object) -> object:
    """The object a name or dotted name stands for in a module (None when it is not global)."""
    if isinstance(node, ast.Name):
        return vars(namespace).get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def _message_calls() -> list[tuple[str, Rule, str, set[str] | None]]:
    """Each `RULE.message("key", field=...)` in the source: where, the rule, the key and the
    fields given (None with `**values`)."""
    calls: list[tuple[str, Rule, str, set[str] | None]] = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if ".message(" not in text:
            continue  # (nor imported: `__main__` would run the CLI)
        module = importlib.import_module(_module_name(path))
        for node in ast.walk(ast.parse(text)):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "message"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            rule = _resolve(node.func.value, module)
            if not isinstance(rule, Rule):
                continue
            given = {k.arg for k in node.keywords if k.arg is not None}
            spread = any(k.arg is None for k in node.keywords)
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            calls.append((where, rule, node.args[0].value, None if spread else given))
    return calls


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_each_message_a_rule_gives_is_declared_with_the_fields_it_fills() -> None:
    calls = _message_calls()
    assert calls  # the checker finds the rules' messages
    wrong = [
        f"{where}: {rule.code} {key!r}"
        for where, rule, key, given in calls
        if key not in rule.messages or (given is not None and given != _fields(rule.messages[key]))
    ]
    assert wrong == []


def test_each_declared_message_is_used() -> None:
    used = {(rule.code, key) for _, rule, key, _ in _message_calls()}
    declared = {(rule.code, key) for rule in all_rules().values() for key in rule.messages}
    assert sorted(declared - used) == []
