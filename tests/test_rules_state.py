"""Rules keep no state between calls: no module-global memo of a file's or a settings' data (the
per-file `Analysis` and the per-settings `ProjectContext.derived` hold those), so that a
long-lived process (the LSP, `--watch`) never sees a stale answer and the rules are pure
functions of the skill and its context. A memo of a pure function of immutable values (a string
in, a string out) may stay: it cannot go stale.

Checked from the source with `ast`, so that a new memo is caught where it is written."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "skillkit"
CHECKED = sorted(
    [*(SRC / "rules").glob("*.py"), SRC / "analysis.py", SRC / "context.py", SRC / "targets.py"]
)

# Methods that change a dict, list or set in place.
MUTATORS = frozenset(
    {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault"}
    | {"add", "discard", "difference_update", "intersection_update", "sort", "reverse"}
)
MEMOS = frozenset({"lru_cache", "cache"})
# What a memoised function may take: values that cannot change under it; and the names that
# would make it read the file system or the clock, which can.
IMMUTABLE = frozenset({"str", "int", "bool", "frozenset[str]"})
OUTSIDE = frozenset({"os", "open", "Path", "time", "stat"})


def _memo_call(node: ast.expr) -> bool:
    """`lru_cache`, `functools.cache`, `lru_cache(maxsize=...)`."""
    if isinstance(node, ast.Call):
        node = node.func
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name in MEMOS


def state_problems(source: str) -> list[str]:
    """Each place where a module keeps state between calls."""
    tree = ast.parse(source)
    problems: list[str] = []
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    module_names = {
        target.id
        for statement in tree.body
        if isinstance(statement, (ast.Assign, ast.AnnAssign))
        for target in (
            statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        )
        if isinstance(target, ast.Name)
    }

    def check_memoised(function: ast.FunctionDef, line: int) -> None:
        for argument in function.args.args + function.args.kwonlyargs:
            shown = ast.unparse(argument.annotation) if argument.annotation else "?"
            if shown not in IMMUTABLE:
                problems.append(
                    f"line {line}: memo of {function.name}() over `{argument.arg}: {shown}`"
                )
        for name in ast.walk(function):
            if isinstance(name, ast.Name) and name.id in OUTSIDE:
                problems.append(f"line {line}: memo of {function.name}(), which reads `{name.id}`")
                break

    for node in ast.walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            problems.append(f"line {node.lineno}: `{type(node).__name__.lower()}` statement")
        if isinstance(node, ast.FunctionDef) and any(map(_memo_call, node.decorator_list)):
            check_memoised(node, node.lineno)
        if (  # _memo = lru_cache(maxsize=...)(function)
            isinstance(node, ast.Call)
            and _memo_call(node.func)
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in functions
        ):
            check_memoised(functions[node.args[0].id], node.lineno)
    for function in functions.values():
        for node in ast.walk(function):
            target: ast.expr | None = None
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                for changed in (
                    node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
                ):
                    if isinstance(changed, ast.Subscript):
                        target = changed.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS
            ):
                target = node.func.value
            if isinstance(target, ast.Name) and target.id in module_names:
                local = any(
                    isinstance(bound, ast.Name)
                    and bound.id == target.id
                    and isinstance(bound.ctx, ast.Store)
                    for bound in ast.walk(function)
                ) or target.id in {a.arg for a in function.args.args}
                if not local:
                    line = getattr(node, "lineno", 0)
                    problems.append(
                        f"line {line}: {function.name}() changes the module's `{target.id}`"
                    )
    return problems


@pytest.mark.parametrize("path", CHECKED, ids=lambda path: path.name)
def test_rules_keep_no_state_between_calls(path: Path) -> None:
    assert state_problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (
            "_last = None\ndef runs(skill):\n    global _last\n    _last = skill\n",
            "line 3: `global` statement",
        ),
        (
            "_MEMO = {}\ndef patterns(settings):\n    _MEMO[id(settings)] = 1\n",
            "line 3: patterns() changes the module's `_MEMO`",
        ),
        (
            "_SEEN = set()\ndef seen(path):\n    _SEEN.add(path)\n",
            "line 3: seen() changes the module's `_SEEN`",
        ),
        (
            "@lru_cache(maxsize=8)\ndef listing(directory: str, mtime: Skill) -> int: ...\n",
            "line 2: memo of listing() over `mtime: Skill`",
        ),
        (
            "def shown(a: str, b: Settings) -> str: ...\n_once = lru_cache(maxsize=8)(shown)\n",
            "line 2: memo of shown() over `b: Settings`",
        ),
        (
            "@lru_cache(maxsize=8)\ndef names(directory: str, mtime: int) -> list[str]:\n"
            "    return os.listdir(directory)\n",
            "line 2: memo of names(), which reads `os`",
        ),
    ],
)
def test_each_kind_of_state_is_found(source: str, problem: str) -> None:
    assert state_problems(source) == [problem]


def test_a_local_or_a_pure_memo_is_no_state() -> None:
    source = (
        "_WORDS = {'a': 1}\n"
        "def count(text):\n    found = {}\n    found['x'] = _WORDS['a']\n    return found\n"
        "@lru_cache(maxsize=8)\ndef title(text: str) -> str: ...\n"
    )
    assert state_problems(source) == []
