"""The lint cache never reports what a fresh run would not (issue 13, item 13): each case lints
with the cache, changes what the findings depend on without touching the skill file, and
compares the cached run with a `--no-cache` one."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from skillkit.engine.library import lint_paths
from skillkit.settings import Settings
from tests.helpers import triples

SKILL = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n"
    "---\n\nSee [the guide](refs/guide.md).\n"
)


def _age(*paths: Path) -> None:
    """Set mtimes a minute back: entries are then trusted by their stat (as after a while)."""
    past = time.time() - 60
    for path in paths:
        os.utime(path, (past, past), follow_symlinks=False)


def _both(root: Path, cache: Path) -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]:
    cached = lint_paths([root], Settings(), cache_dir=cache)
    fresh = lint_paths([root], Settings())
    return triples(cached.diagnostics), triples(fresh.diagnostics)


def _project(tmp_path: Path) -> tuple[Path, Path, Path]:
    project, shared = tmp_path / "project", tmp_path / "shared"
    (project / "demo").mkdir(parents=True)
    shared.mkdir()
    (shared / "guide.md").write_text("guide\n")
    (project / "demo" / "SKILL.md").write_text(SKILL)
    return project, shared, tmp_path / "cache"


def test_a_symlinked_folder_whose_files_are_deleted(tmp_path: Path) -> None:
    project, shared, cache = _project(tmp_path)
    (project / "demo" / "refs").symlink_to(shared)
    _age(shared / "guide.md", shared, project / "demo" / "SKILL.md", project / "demo", project)
    assert _both(project, cache) == ([], [])  # the cache is filled
    (shared / "guide.md").unlink()
    cached, fresh = _both(project, cache)
    assert fresh == [("SK501", 6, "link target `refs/guide.md` does not exist in the skill folder")]
    assert cached == fresh


def test_a_symlinked_file_whose_target_is_deleted(tmp_path: Path) -> None:
    project, shared, cache = _project(tmp_path)
    (project / "demo" / "refs").mkdir()
    (project / "demo" / "refs" / "guide.md").symlink_to(shared / "guide.md")
    _age(shared / "guide.md", shared, project / "demo" / "refs", project / "demo", project)
    assert _both(project, cache) == ([], [])
    (shared / "guide.md").unlink()
    cached, fresh = _both(project, cache)
    assert fresh == [("SK501", 6, "link target `refs/guide.md` does not exist in the skill folder")]
    assert cached == fresh


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """What `chmod 000` does to a user other than root (these tests may run as root, whom it
    does not stop): opening, listing and `access` fail on `denied`."""
    real_open, real_scandir, real_access = os.open, os.scandir, os.access

    def refuse(path: object) -> None:
        if os.path.abspath(str(path)) == str(denied):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

    def fake_open(path: str, flags: int, *args: int) -> int:
        refuse(path)
        return real_open(path, flags, *args)

    def fake_scandir(path: str) -> os._ScandirIterator[str]:
        refuse(path)
        return real_scandir(path)

    def fake_access(path: str, mode: int) -> bool:
        return os.path.abspath(path) != str(denied) and real_access(path, mode)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    monkeypatch.setattr(os, "access", fake_access)


def test_a_skill_file_made_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, _shared, cache = _project(tmp_path)
    (project / "demo" / "SKILL.md").write_text(SKILL.replace("refs/guide.md", "https://x.org"))
    _age(project / "demo" / "SKILL.md", project / "demo", project)
    assert _both(project, cache) == ([], [])
    _deny(monkeypatch, project / "demo" / "SKILL.md")
    cached, fresh = _both(project, cache)
    assert fresh == [("SK001", 1, "cannot read file: Permission denied")]
    assert cached == fresh


def test_a_skill_folder_made_unlistable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, _shared, cache = _project(tmp_path)
    (project / "demo" / "SKILL.md").write_text(SKILL.replace("refs/guide.md", "https://x.org"))
    _age(project / "demo" / "SKILL.md", project / "demo", project)
    assert _both(project, cache) == ([], [])
    _deny(monkeypatch, project / "demo")
    cached, fresh = _both(project, cache)
    # Not a silent skip: the folder may hold skills.
    assert fresh == [("SK001", 1, "cannot lint: cannot list folder: Permission denied")]
    assert cached == fresh


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file of mode 000")
def test_chmod_000_for_real(tmp_path: Path) -> None:
    project, _shared, cache = _project(tmp_path)
    skill = project / "demo" / "SKILL.md"
    skill.write_text(SKILL.replace("refs/guide.md", "https://x.org"))
    _age(skill, project / "demo", project)
    assert _both(project, cache) == ([], [])
    skill.chmod(0)
    try:
        cached, fresh = _both(project, cache)
    finally:
        skill.chmod(0o644)
    assert fresh == [("SK001", 1, "cannot read file: Permission denied")]
    assert cached == fresh
