"""A throw-away project for render tests: a pyproject.toml with a plan and a templates/ folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from skillkit.cli import main

# A plan with one template rendered twice (a matrix of two flavours), for the tests of a
# template's findings in the render engine and in the editor.
TWO_OUTPUTS_PLAN = """\
[tool.skillkit.render]
[[tool.skillkit.render.outputs]]
template = "demo.md.j2"
path = "demo-{{ flavour }}/SKILL.md"
matrix = { flavour = ["a", "b"] }

[tool.skillkit.render.outputs.front-matter]
name = "demo-{{ flavour }}"
description = "Formats CSV files. Use when the user asks for CSV."
"""


def make_project(root: Path, plan: str, templates: Mapping[str, str]) -> Path:
    (root / "pyproject.toml").write_text(plan, encoding="utf-8")
    for name, text in templates.items():
        path = root / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def render_cli(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["render", "--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root with its bytes and modification time: 'untouched' means equal."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }
