"""Helpers the tests share: write a skill into a temporary folder and lint it."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from skillkit.diagnostics import Diagnostic
from skillkit.lint import lint_paths
from skillkit.registry import Example
from skillkit.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


def write_skill(
    root: Path, text: str | bytes, folder: str = "demo", files: Mapping[str, str] | None = None
) -> Path:
    """Write SKILL.md (and sibling files) into root/folder; return the SKILL.md path."""
    skill_dir = root / folder
    skill_dir.mkdir(parents=True, exist_ok=True)
    for name, content in (files or {}).items():
        target = skill_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    path = skill_dir / "SKILL.md"
    if not path.exists() or path.is_file():
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return path


def lint_text(
    root: Path,
    text: str | bytes,
    *,
    folder: str = "demo",
    files: Mapping[str, str] | None = None,
    target: str = "spec",
    select: tuple[str, ...] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> list[Diagnostic]:
    path = write_skill(root, text, folder, files)
    in_force = Settings(target=target, select=select, **(settings or {}))
    return lint_paths([path.parent], in_force).diagnostics


def lint_example(
    root: Path, example: Example, target: str, select: tuple[str, ...]
) -> list[Diagnostic]:
    return lint_text(
        root,
        example.text,
        folder=example.folder,
        files=example.files,
        target=example.target or target,
        select=select,
        settings=example.settings,
    )


def render_example(root: Path, example: Example) -> list[Diagnostic]:
    """Write a render rule's example project into root and render it (writing nothing)."""
    from skillkit.render import render

    for name, content in example.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return render(root, check=True).diagnostics


def triples(diagnostics: list[Diagnostic]) -> list[tuple[str, int, str]]:
    """(code, line, message) of each finding: what most tests pin."""
    return [(d.code, d.span.line, d.message) for d in diagnostics]


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run the test inside its own temporary folder (as the CLI sees it), then go back."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)
