"""The import structure of `src/skillkit`: no import cycle, and no import inside a function except
the deliberate lazy ones at the two entry points, each with a comment saying why.

An import cycle hidden behind function-level imports is still a cycle: it only moves the failure
from import time to the first call. So both are checked from the source (with `ast`, nothing is
imported): the module-level imports must form no cycle, and a function-level import is allowed only
at an entry point, and must say why in a comment on its line or the line above:
- the CLI (`cli.py`, `__main__.py`, `commands/`), where it keeps `skillkit lint FILE` from loading
  what another command, or another kind of run, needs;
- the package's own `__init__.py`, whose `__getattr__` loads the library's names on first use
  (PEP 562): `import skillkit` runs before every start of the CLI, which lives inside it.
A heavy dependency needed deep inside (Jinja for SK601's render line map) is a part the entry
point gives, not an import inside a function there; a heavy library outside skillkit that only
some runs need (pathspec) is bound at module level by `skillkit.lazy.lazy_module`, which loads it
on first use.
"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "skillkit"

# The entry points, where a lazy import is a deliberate choice (with a comment saying why): the
# command line, and the package root's lazy library names.
ENTRY_FILES = frozenset({"cli.py", "__main__.py", "__init__.py"})
ENTRY_FOLDERS = ("commands/",)


@dataclass(frozen=True)
class FunctionImport:
    """An import statement inside a function or method."""

    file: str  # relative to the package folder, with forward slashes
    line: int
    text: str
    commented: bool  # a comment on one of its lines, or on the line above


@dataclass
class PackageImports:
    """What the source of a package imports: module → the package's modules it imports at module
    level (outside `if TYPE_CHECKING:`), and every import inside a function."""

    graph: dict[str, set[str]]
    function_imports: list[FunctionImport]


def module_files(package_folder: Path) -> dict[str, Path]:
    """Dotted module name → its file (a package is named by its `__init__.py`)."""
    modules: dict[str, Path] = {}
    for path in sorted(package_folder.rglob("*.py")):
        parts = [package_folder.name, *path.relative_to(package_folder).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_names(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The dotted names an import statement brings in: for `from X import a`, `X.a` (which may be
    a module or a name inside X; the caller keeps the longest prefix that is a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, *([node.module] if node.module else [])])
    else:
        source = node.module or ""
    return [f"{source}.{alias.name}" for alias in node.names]


def owning_module(name: str, modules: Mapping[str, Path]) -> str | None:
    """The longest prefix of `name` that is one of the package's modules."""
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in modules else None


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def comment_lines(source: str) -> set[int]:
    """Lines that carry a comment that says something (not only a `noqa` or `type:` pragma)."""
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        text = token.string.lstrip("#").strip()
        if text and not text.startswith(("noqa", "type:", "pragma")):
            lines.add(token.start[0])
    return lines


def scan_package(package_folder: Path) -> PackageImports:
    modules = module_files(package_folder)
    result = PackageImports({module: set() for module in modules}, [])
    for module, path in modules.items():
        ModuleScan(module, path, package_folder, modules, result).run()
    return result


@dataclass
class ModuleScan:
    """One module's imports, added to the package's: module-level ones to the graph, the others
    to the function-level list."""

    module: str
    path: Path
    package_folder: Path
    modules: Mapping[str, Path]
    result: PackageImports
    comments: set[int] = field(default_factory=set)

    def run(self) -> None:
        source = self.path.read_text(encoding="utf-8")
        self.comments = comment_lines(source)
        self.visit(ast.parse(source, filename=str(self.path)), in_function=False)

    def visit(self, node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function = True
        elif isinstance(node, ast.If) and is_type_checking(node.test):
            # Imports only for the type checker never run: no cycle, no cost. Their `else:`
            # branch does run.
            for statement in node.orelse:
                self.visit(statement, in_function)
            return
        elif isinstance(node, ast.Import | ast.ImportFrom):
            self.record(node, in_function)
            return
        for child in ast.iter_child_nodes(node):
            self.visit(child, in_function)

    def record(self, node: ast.Import | ast.ImportFrom, in_function: bool) -> None:
        if in_function:
            end = node.end_lineno or node.lineno
            commented = any(line in self.comments for line in range(node.lineno - 1, end + 1))
            file = self.path.relative_to(self.package_folder).as_posix()
            self.result.function_imports.append(
                FunctionImport(file, node.lineno, ast.unparse(node), commented)
            )
            return
        is_package = self.path.name == "__init__.py"
        for name in imported_names(self.module, is_package, node):
            target = owning_module(name, self.modules)
            if target is not None and target != self.module:
                self.result.graph[self.module].add(target)


def import_cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative so
    that a deep chain of imports cannot overflow the stack), each sorted, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            successor = next(successors, None)
            if successor is not None:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return sorted(cycles)


def is_entry_point(file: str) -> bool:
    return file in ENTRY_FILES or file.startswith(ENTRY_FOLDERS)


def offending_imports(imports: PackageImports) -> dict[str, list[FunctionImport]]:
    """File → its function-level imports that are not allowed: all of them outside an entry
    point, the uncommented ones at it."""
    offending: dict[str, list[FunctionImport]] = {}
    for site in imports.function_imports:
        if is_entry_point(site.file) and site.commented:
            continue
        offending.setdefault(site.file, []).append(site)
    return offending


def described(offending: Mapping[str, list[FunctionImport]]) -> list[str]:
    """Each file's offending imports, said for the test's failure message."""
    said: list[str] = []
    for file, sites in sorted(offending.items()):
        where = "at an entry point without a comment saying why" if is_entry_point(file) else ""
        said.append(
            f"{file}: {len(sites)} imports {where or 'in a function'}:\n"
            + "\n".join(f"    line {site.line}: {site.text}" for site in sites)
        )
    return said


@pytest.fixture(scope="module")
def package_imports() -> PackageImports:
    return scan_package(SRC / PACKAGE)


def test_no_import_cycle(package_imports: PackageImports) -> None:
    cycles = import_cycles(package_imports.graph)
    assert not cycles, "modules that import each other at module level:\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles
    )


def test_no_function_level_import_outside_the_entry_points(
    package_imports: PackageImports,
) -> None:
    offending = described(offending_imports(package_imports))
    assert not offending, (
        "import at module level (restructure if that makes a cycle; a heavy dependency needed "
        "deep inside is a part the entry point gives); at an entry point, a deliberate lazy "
        "import needs a comment saying why, on its line or the line above:\n" + "\n".join(offending)
    )


def test_only_libraries_outside_skillkit_load_lazily_at_module_level() -> None:
    """`skillkit.lazy.lazy_module` defers a heavy third-party library; a skillkit module named
    there would be an import the cycle check cannot see."""
    named: list[str] = []
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "lazy_module"
            ):
                argument = node.args[0] if node.args else None
                name = argument.value if isinstance(argument, ast.Constant) else None
                if not isinstance(name, str) or name.split(".")[0] == PACKAGE:
                    named.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)}")
    assert named == []


def _python(script: str) -> subprocess.CompletedProcess[str]:
    """`script` run by a fresh interpreter (its imports start from nothing)."""
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )


def test_a_lazy_module_runs_when_first_used() -> None:
    script = (
        "import sys\n"
        "from skillkit.lazy import lazy_module\n"
        "assert 'colorsys' not in sys.modules\n"
        "module = lazy_module('colorsys')\n"
        "print(type(module).__name__, module.rgb_to_hsv(1.0, 0.0, 0.0), type(module).__name__)\n"
        "try:\n"
        "    lazy_module('no_such_module_here')\n"
        "except ModuleNotFoundError as error:\n"
        "    print(error)\n"
    )
    result = _python(script)
    assert result.stdout.splitlines() == [
        "_LazyModule (0.0, 1.0, 1.0) module",
        "No module named 'no_such_module_here'",
    ], result.stderr


def test_the_top_level_help_imports_no_command_module() -> None:
    """Command modules import their dependencies at module level (Jinja, pygls, ...), which the
    CLI keeps lazy by importing only the command named: with none named, none at all."""
    script = (
        "import sys\n"
        "from skillkit.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('LOADED', sorted(m for m in sys.modules\n"
        "      if m.startswith(('skillkit.commands.', 'jinja2', 'pygls', 'yaml'))))\n"
    )
    assert _python(script).stdout.splitlines()[-1] == "LOADED []"


# The checker itself, on small packages written for the purpose: each must catch what it is for.


def write_package(root: Path, files: Mapping[str, str]) -> Path:
    package = root / "pkg"
    for name, source in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return package


def test_a_module_level_cycle_is_found(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import thing\n",
            "b.py": "from . import c\n",
            "c.py": "import pkg.a\n",
            "d.py": "from pkg import a\n",
        },
    )
    assert import_cycles(scan_package(package).graph) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_a_package_importing_its_submodule_counts(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {"__init__.py": "from pkg.sub import name\n", "sub.py": "from pkg import other\n"},
    )
    assert import_cycles(scan_package(package).graph) == [["pkg", "pkg.sub"]]


def test_type_checking_and_function_imports_make_no_cycle(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import b\n",
            "b.py": "def f() -> None:\n    from pkg import a\n",
        },
    )
    imports = scan_package(package)
    assert import_cycles(imports.graph) == []
    assert [(site.file, site.line) for site in imports.function_imports] == [("b.py", 2)]


def test_function_imports_are_allowed_only_at_an_entry_point_with_a_comment(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "__init__.py": "def __getattr__(name):\n    # on first use\n    import json\n",
            "sub/__init__.py": "def f() -> None:\n    import json  # not an entry point\n",
            "engine.py": "class C:\n    def m(self) -> None:\n        import json  # why\n",
            "cli.py": "def main() -> None:\n    import json  # noqa: PLC0415\n",
            "commands/__init__.py": "",
            "commands/lint.py": (
                "def run() -> None:\n"
                "    # jinja2 is heavy: only `render` pays for it\n"
                "    import json\n"
                "    import os  # os: needed by nothing else\n"
                "    from pkg import (\n"
                "        engine,  # the engine, once a command runs\n"
                "    )\n"
                "    import sys\n"
            ),
        },
    )
    offending = offending_imports(scan_package(package))
    assert {file: [site.line for site in sites] for file, sites in offending.items()} == {
        "engine.py": [3],
        "cli.py": [2],
        "commands/lint.py": [8],
        "sub/__init__.py": [2],
    }
    assert [said.split(":")[0] for said in described(offending)] == [
        "cli.py",
        "commands/lint.py",
        "engine.py",
        "sub/__init__.py",
    ]
