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


# Each rule's messages are declared with it: the text a rule module gives what a rule yields
# comes from `RULE.message("key", ...)`, never an f-string at the `yield`. What a rule yields: a
# finding (`Finding(span, message)`), its fix (`Fix(description, edits)`) and the places it
# points to (`Related(message, span)`); the text argument of each, by position and by keyword.
_TEXT_ARGUMENTS = {"Finding": (1, "message"), "Fix": (0, "description"), "Related": (0, "message")}
_Function = ast.FunctionDef | ast.AsyncFunctionDef


def _own_nodes(function: _Function) -> list[ast.AST]:
    """The nodes of a function's body, not those of the functions (or lambdas) nested in it."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _is_declared(leaf: ast.expr) -> bool:
    """A rule's declared message (`RULE.message("key", ...)`), or a problem's own `.message`
    passed on (the parser's or a tool grammar's wording)."""
    if isinstance(leaf, ast.Call):
        return isinstance(leaf.func, ast.Attribute) and leaf.func.attr == "message"
    return isinstance(leaf, ast.Attribute) and leaf.attr == "message"


def _is_wording(leaf: ast.expr) -> bool:
    """Text written inline: a string (or the literal parts of an f-string) with words in it."""
    if isinstance(leaf, ast.JoinedStr):
        return any(_is_wording(part) for part in leaf.values)
    return isinstance(leaf, ast.Constant) and isinstance(leaf.value, str) and " " in leaf.value


class _MessageChecker:
    """Finds the text of a rule module's findings that is not one of a rule's declared messages,
    and the wording written inline into a declared message's fields. It follows a name, a
    parameter (to what each call in the module passes) and a call of the module's own function
    (to what it returns) to the values they may hold."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.functions: dict[str, _Function] = {}
        self.scope: dict[int, _Function] = {}  # each node's innermost function
        self.calls: dict[str, list[ast.Call]] = {}  # the calls of each name
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(node.name, node)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                self.calls.setdefault(node.func.id, []).append(node)
        for function in self.functions.values():
            for node in _own_nodes(function):
                self.scope[id(node)] = function
        self._following: set[int] = set()

    def problems(self) -> list[tuple[int, str]]:
        """(line, what) for each finding, fix or related place whose text is not declared, and
        each declared message's field given inline wording."""
        found = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id in _TEXT_ARGUMENTS:
                text = _argument(node, *_TEXT_ARGUMENTS[node.func.id])
                if text is not None and not all(map(_is_declared, self.leaves(text))):
                    found.append((node.lineno, node.func.id))
            elif _is_declared(node):
                for keyword in node.keywords:
                    if any(map(_is_wording, self.leaves(keyword.value))):
                        found.append((node.lineno, f"field {keyword.arg}"))
        return sorted(found)

    def leaves(self, node: ast.expr) -> list[ast.expr]:
        """The expressions `node` may stand for, followed through names, parameters, the
        module's functions, conditional expressions and concatenations."""
        if id(node) in self._following:
            return []  # (a recursion: judged where it started)
        self._following.add(id(node))
        try:
            return self._leaves(node)
        finally:
            self._following.discard(id(node))

    def _leaves(self, node: ast.expr) -> list[ast.expr]:
        if isinstance(node, ast.IfExp):
            return self.leaves(node.body) + self.leaves(node.orelse)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            return self.leaves(node.left) + self.leaves(node.right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            function = self.functions.get(node.func.id)
            returned = [
                n.value
                for n in (_own_nodes(function) if function is not None else [])
                if isinstance(n, ast.Return)
                and n.value is not None
                and not (isinstance(n.value, ast.Constant) and n.value.value is None)
            ]
            return [leaf for value in returned for leaf in self.leaves(value)] or [node]
        if isinstance(node, ast.Name) and id(node) in self.scope:
            values = self._bound(self.scope[id(node)], node)
            itself = any(value is node for value in values)  # (`+=`, a loop variable)
            leaves: list[ast.expr] = [node] if itself else []
            leaves += [leaf for value in values if value is not node for leaf in self.leaves(value)]
            return leaves or [node]
        return [node]

    def _bound(self, function: _Function, name: ast.Name) -> list[ast.expr]:
        """What `name` is given in `function`: as a parameter, by each call of the function in
        the module; by assignment. A name built up piece by piece (`+=`) or taken from
        elsewhere (a loop) stands for itself too."""
        positional = [p.arg for p in (*function.args.posonlyargs, *function.args.args)]
        if name.id in positional or name.id in [p.arg for p in function.args.kwonlyargs]:
            position = positional.index(name.id) if name.id in positional else len(positional)
            given = [
                _argument(call, position, name.id) for call in self.calls.get(function.name, [])
            ]
            return [value for value in given if value is not None]
        values: list[ast.expr] = []
        for node in _own_nodes(function):
            if isinstance(node, ast.Assign) and any(_binds(t, name.id) for t in node.targets):
                unpacked = not all(isinstance(t, ast.Name) for t in node.targets)
                values.append(name if unpacked else node.value)  # (`a, b = ...`: not followed)
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and _binds(node.target, name.id):
                if node.value is not None:
                    values.append(node.value)
            elif isinstance(node, ast.AugAssign) and _binds(node.target, name.id):
                values += [name, node.value]
            elif isinstance(node, (ast.For, ast.comprehension)) and _binds(node.target, name.id):
                values.append(name)
        return values


def _binds(target: ast.expr, name: str) -> bool:
    """Whether an assignment's (or a loop's) target binds `name`."""
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))


def _inline_messages(source: str) -> list[tuple[int, str]]:
    return _MessageChecker(ast.parse(source)).problems()


def test_a_rule_gives_only_its_declared_messages() -> None:
    inline = [
        f"{path.relative_to(SRC)}:{line}: {what}"
        for path in sorted((SRC / "rules").rglob("*.py"))
        for line, what in _inline_messages(path.read_text(encoding="utf-8"))
    ]
    assert inline == []


def test_the_checker_sees_a_message_built_inline() -> None:
    source = """
def check(skill, context):
    yield Finding(span, f"`{name}` is wrong")
    yield Finding(span, "a literal")
    yield Finding(span, RULE.message("wrong", name=name, path=f"metadata.{key}"))
    yield Finding(span, message=problem.message + "; more")
    yield Finding(span, problem.message)
    message = RULE.message("a") if skill else RULE.message("b")
    yield Finding(span, message, fix=Fix("add it", ()))
    text = RULE.message("a")
    text += RULE.message("b")
    yield Finding(span, text, related=(Related(RULE.message("first"), span),))
    yield _made(span, RULE.message("a", why=_why(skill)))
    yield _made(span, "inline")
    yield Finding(span, _why(skill))
    yield Finding(span, RULE.message("a", why=f"{name} is wrong"))

def _made(span, message):
    return Finding(span, message)

def _why(skill):
    if skill:
        return RULE.message("why")
    return None
"""
    assert _inline_messages(source) == [
        (3, "Finding"),
        (4, "Finding"),
        (6, "Finding"),
        (9, "Fix"),
        (12, "Finding"),
        (16, "field why"),
        (19, "Finding"),
    ]
