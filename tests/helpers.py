"""Helpers the tests share: write a skill into a temporary folder and lint it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest

from skillkit.diagnostics import Diagnostic
from skillkit.engine.check import FileResult, check_skill
from skillkit.engine.library import lint_paths
from skillkit.engine.per_file import file_context
from skillkit.model import Skill
from skillkit.registry import Example
from skillkit.settings import Settings

# `../shared` beside the checkout: real skills written by others (corpus), the seed skill and the
# SARIF schema. A fresh clone has none of it: the tests that read it are marked `needs_shared`
# (conftest.py skips them there, and fails them under CI=true, where it must be present).
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed"
SCHEMAS = SHARED / "schemas"
SHARED_PARTS = ("corpus", "seed", "schemas")

# This repository's own skills: real skills that every checkout has, for the oracle tests that
# also run on the corpus when it is there.
REPO_SKILL_FILES = sorted((Path(__file__).resolve().parents[1] / "skills").rglob("SKILL.md"))

needs_shared = pytest.mark.needs_shared
"""Mark a test (or a module, as `pytestmark`) that reads `../shared/corpus`, `seed` or `schemas`."""

T = TypeVar("T")


def missing_shared() -> list[str]:
    """The parts of `../shared` that are not there (none, on a developer's machine and in CI)."""
    return [part for part in SHARED_PARTS if not (SHARED / part).is_dir()]


def needs_shared_reason(missing: Sequence[str]) -> str:
    """The one skip reason of every test that reads `../shared`."""
    return f"needs ../shared/{missing[0]} beside the checkout"


def corpus_cases(values: Sequence[T], ids: Callable[[T], str]) -> list[Any]:
    """Parameters read from `../shared`, each marked `needs_shared`; with none (a fresh clone),
    one placeholder that skips with the reason, rather than pytest's "got empty parameter set"."""
    if not values:
        return [pytest.param(None, id="shared-absent", marks=needs_shared)]
    return [pytest.param(value, id=ids(value), marks=needs_shared) for value in values]


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


def check(skill: Skill, settings: Settings) -> FileResult:
    """The per-file rules' result on one parsed skill, in the engine's own context."""
    return check_skill(skill, file_context(skill, settings))


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
