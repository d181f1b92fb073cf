"""Writes (`lint --fix` and `render`) under failure: a full disk, a refused rename, a crash in the
middle of a batch, a kill -9, two runs at once. Every file ends either as it was or as it should
be, never truncated, and no temporary file is left behind. Each test injects the failure."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from skillkit.cli import main

DESCRIPTION = "description: Formats CSV files. Use when the user asks to tidy a CSV."
COUNT = 6


def before_text(n: int) -> bytes:
    return f"---\nname: other\n{DESCRIPTION}\n---\n\n# Skill {n}\n\nBody.\n".encode()


def after_text(n: int) -> bytes:
    # SK112's safe fix: the name becomes the folder's.
    return before_text(n).replace(b"name: other", f"name: skill-{n}".encode())


def make_tree(root: Path, count: int = COUNT) -> list[Path]:
    paths = []
    for n in range(count):
        path = root / f"skill-{n}" / "SKILL.md"
        path.parent.mkdir(parents=True)
        path.write_bytes(before_text(n))
        paths.append(path)
    return paths


def at_once(command: list[str], runs: int = 3) -> list[tuple[int, bytes, bytes]]:
    """`command` run that many times at the same moment: each run's exit code, output, errors."""
    started = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
        for _ in range(runs)
    ]
    done = [(run, *run.communicate(timeout=120)) for run in started]
    return [(run.returncode, out, err) for run, out, err in done]


def states(paths: list[Path]) -> list[str]:
    """'before', 'after' or 'CORRUPT' for each file."""
    out = []
    for n, path in enumerate(paths):
        data = path.read_bytes()
        out.append(
            "before" if data == before_text(n) else "after" if data == after_text(n) else "CORRUPT"
        )
    return out


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.name.endswith(".tmp"))


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def fix_cli(root: Path) -> tuple[int, str, str]:
    return run_cli("lint", "--isolated", "--no-cache", "--format", "concise", "--fix", str(root))


class _HalfWriter:
    """A file whose writes put half the bytes on disk, then fail as a full disk does."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def fail_on_call(
    monkeypatch: pytest.MonkeyPatch, name: str, failing: Callable[[int], bool], error: BaseException
) -> None:
    """Replace os.<name> so that the calls numbered by `failing` (0-based) raise `error`."""
    real = getattr(os, name)
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        number = calls[0]
        calls[0] += 1
        if failing(number):
            if name == "fdopen":  # the file opens; its writes fail half way
                return _HalfWriter(real(*args, **kwargs))
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, wrapper)


# --- lint --fix ---------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[tuple[Path, list[Path]]]:
    yield tmp_path, make_tree(tmp_path)


def test_fix_disk_full_on_every_write(
    tree: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, paths = tree
    fail_on_call(monkeypatch, "fdopen", lambda n: True, OSError())
    code, _out, err = fix_cli(root)
    assert code == 2
    assert states(paths) == ["before"] * COUNT
    assert leftovers(root) == []
    assert err.splitlines() == [
        f"skillkit: error: cannot write {path}: No space left on device; it was left as it was"
        for path in paths
    ]


def test_fix_disk_full_in_the_middle_of_a_batch(
    tree: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, paths = tree
    fail_on_call(monkeypatch, "fdopen", lambda n: n == 2, OSError())
    code, _out, err = fix_cli(root)
    assert code == 2
    assert states(paths) == ["after", "after", "before", "after", "after", "after"]
    assert leftovers(root) == []
    assert "Traceback" not in err
    assert err.splitlines()[0] == (
        f"skillkit: error: cannot write {paths[2]}: No space left on device; it was left as it was"
    )


def test_fix_rename_refused(tree: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch) -> None:
    root, paths = tree
    refused = PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    fail_on_call(monkeypatch, "replace", lambda n: n % 2 == 1, refused)
    code, _out, err = fix_cli(root)
    assert code == 2
    assert states(paths) == ["after", "before"] * (COUNT // 2)
    assert leftovers(root) == []
    assert f"cannot write {paths[1]}: Permission denied; it was left as it was" in err


def test_fix_crash_in_the_middle_of_a_batch(
    tree: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception that is not an OSError (a bug, ^C) stops the batch: files already written
    are whole, the rest untouched."""
    root, paths = tree
    fail_on_call(monkeypatch, "replace", lambda n: n == 3, KeyboardInterrupt())
    code, _out, _err = fix_cli(root)
    assert code == 130
    assert states(paths) == ["after"] * 3 + ["before"] * (COUNT - 3)
    assert leftovers(root) == []


def test_fix_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    [real] = make_tree(tmp_path / "store", 1)
    linked = tmp_path / "skill-0" / "SKILL.md"
    linked.parent.mkdir()
    linked.symlink_to(real)
    code, _out, _err = fix_cli(tmp_path / "skill-0")
    assert code == 0
    assert linked.is_symlink()
    assert real.read_bytes() == after_text(0)


SKILLKIT = [sys.executable, "-m", "skillkit"]


def test_fix_killed_in_the_middle(tmp_path: Path) -> None:
    """kill -9 once some files are fixed and others not: never a truncated file, and the next run
    finishes the job. (A kill -9 may leave a temporary file, which nothing can remove; it is not
    a SKILL.md, so no run reads it.)"""
    count = 300
    for attempt, wanted in enumerate((1, 40, 150)):
        root = tmp_path / str(attempt)
        paths = make_tree(root, count)
        process = subprocess.Popen(
            [*SKILLKIT, "lint", "--isolated", "--no-cache", "--fix", str(root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        # Fixes are written in path order: watch the file that is the `wanted`th to change.
        watched = sorted(paths, key=str)[wanted - 1]
        while process.poll() is None and time.monotonic() < deadline:
            if watched.read_bytes() != before_text(paths.index(watched)):
                break
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        found = states(paths)
        assert "CORRUPT" not in found
        assert found.count("after") >= wanted
        code, _out, _err = fix_cli(root)
        assert code == 0
        assert states(paths) == ["after"] * count


def test_two_fix_runs_at_once(tmp_path: Path) -> None:
    paths = make_tree(tmp_path, 80)
    for code, _out, err in at_once(
        [*SKILLKIT, "lint", "--isolated", "--no-cache", "--fix", str(tmp_path)]
    ):
        assert code == 0, err
        assert b"Traceback" not in err
    assert states(paths) == ["after"] * 80
    assert leftovers(tmp_path) == []


# --- render -------------------------------------------------------------------------------------

PLAN = """\
[tool.skillkit.render]
[[tool.skillkit.render.outputs]]
template = "skill.md.j2"
path = "skill-{{ n }}/SKILL.md"
matrix = { n = [%s] }
[tool.skillkit.render.outputs.front-matter]
name = "skill-{{ n }}"
description = "Skill {{ n }} formats CSV files. Use when the user asks to tidy a CSV."
"""
TEMPLATE = "# Skill {{ n }}\n\nVersion {{ version }}.\n"


def render_project(root: Path, version: int, count: int = COUNT) -> None:
    numbers = ", ".join(f'"{n}"' for n in range(count))
    (root / "pyproject.toml").write_text(
        PLAN.replace("%s", numbers) + f"\n[tool.skillkit.render.variables]\nversion = {version}\n"
    )
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "skill.md.j2").write_text(TEMPLATE)


def render_cli(root: Path) -> tuple[int, str, str]:
    return run_cli("render", "--root", str(root))


def outputs(root: Path, count: int = COUNT) -> list[bytes]:
    return [(root / "skills" / f"skill-{n}" / "SKILL.md").read_bytes() for n in range(count)]


@pytest.fixture
def rendered(tmp_path: Path) -> tuple[Path, list[bytes], list[bytes], bytes]:
    """A project rendered at version 1, then changed to version 2: (root, v1, v2, manifest v1)."""
    render_project(tmp_path, 2)
    assert render_cli(tmp_path)[0] == 0
    version_2 = outputs(tmp_path)
    render_project(tmp_path, 1)
    assert render_cli(tmp_path)[0] == 0
    version_1 = outputs(tmp_path)
    manifest = (tmp_path / "skills" / ".skillkit-manifest.json").read_bytes()
    render_project(tmp_path, 2)
    return tmp_path, version_1, version_2, manifest


def render_states(root: Path, v1: list[bytes], v2: list[bytes]) -> list[str]:
    return [
        "v1" if data == a else "v2" if data == b else "CORRUPT"
        for data, a, b in zip(outputs(root), v1, v2, strict=True)
    ]


@pytest.mark.parametrize(
    ("call", "failing", "error"),
    [
        ("fdopen", lambda n: n == 2, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))),
        ("replace", lambda n: n == 2, PermissionError(errno.EACCES, "Permission denied")),
        ("replace", lambda n: n == 4, RuntimeError("a bug in the middle of the batch")),
    ],
    ids=["disk-full", "rename-refused", "crash"],
)
def test_render_failure_in_the_middle_of_a_batch(
    rendered: tuple[Path, list[bytes], list[bytes], bytes],
    monkeypatch: pytest.MonkeyPatch,
    call: str,
    failing: Callable[[int], bool],
    error: BaseException,
) -> None:
    root, v1, v2, manifest = rendered
    with monkeypatch.context() as patch:
        fail_on_call(patch, call, failing, error)
        code, _out, err = render_cli(root)
    assert code == 2
    assert "Traceback" not in err
    if isinstance(error, OSError):
        path = root / "skills" / "skill-2" / "SKILL.md"
        assert err == f"skillkit: error: cannot write {path}: {os.strerror(error.errno or 0)}\n"
    found = render_states(root, v1, v2)
    assert "CORRUPT" not in found
    assert found.count("v2") == (4 if isinstance(error, RuntimeError) else 2)
    # The manifest is written last: it still records the outputs of the last full run.
    assert (root / "skills" / ".skillkit-manifest.json").read_bytes() == manifest
    assert leftovers(root) == []
    # The next run completes the job: outputs already new are not taken for hand edits.
    code, _out, err = render_cli(root)
    assert code == 0, err
    assert render_states(root, v1, v2) == ["v2"] * COUNT
    recorded = json.loads((root / "skills" / ".skillkit-manifest.json").read_text())
    assert len(recorded["outputs"]) == COUNT


def test_render_manifest_write_refused(
    rendered: tuple[Path, list[bytes], list[bytes], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, v1, v2, manifest = rendered
    with monkeypatch.context() as patch:
        fail_on_call(patch, "replace", lambda n: n == COUNT, OSError(errno.EROFS, "Read-only"))
        code, _out, err = render_cli(root)
    assert code == 2
    manifest_path = root / "skills" / ".skillkit-manifest.json"
    assert err == f"skillkit: error: cannot write {manifest_path}: Read-only\n"
    assert render_states(root, v1, v2) == ["v2"] * COUNT
    assert (root / "skills" / ".skillkit-manifest.json").read_bytes() == manifest
    assert render_cli(root)[0] == 0


def test_two_render_runs_at_once(tmp_path: Path) -> None:
    count = 40
    render_project(tmp_path, 3, count)
    for code, _out, err in at_once([*SKILLKIT, "render", "--root", str(tmp_path)]):
        assert code == 0, err
    expected = outputs(tmp_path, count)
    assert all(b"Version 3." in data for data in expected)
    manifest = (tmp_path / "skills" / ".skillkit-manifest.json").read_bytes()
    assert len(json.loads(manifest)["outputs"]) == count
    assert leftovers(tmp_path) == []
    # What one run alone writes.
    assert render_cli(tmp_path)[0] == 0
    assert outputs(tmp_path, count) == expected
    assert (tmp_path / "skills" / ".skillkit-manifest.json").read_bytes() == manifest


# --- skillkit new --template: the config it extends ---------------------------------------------

PYPROJECT = '[project]\nname = "demo"\n\n[tool.skillkit.render]\noutput-root = "out"\n'


def test_new_template_never_truncates_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(PYPROJECT)
    monkeypatch.chdir(tmp_path)
    with monkeypatch.context() as patch:
        fail_on_call(patch, "fdopen", lambda n: n == 1, OSError(errno.ENOSPC, "full"))
        code, _out, err = run_cli("new", "csv-tools", "--template")
    assert code == 2
    assert "Traceback" not in err
    assert config.read_text() == PYPROJECT
    assert leftovers(tmp_path) == []


# --- the lint cache: damaged, or shared by runs at once ----------------------------------------


def lint_report(root: Path, *extra: str) -> tuple[int, str]:
    code, out, err = run_cli("lint", "--isolated", "--format", "concise", *extra, str(root))
    assert "Traceback" not in err
    return code, out


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    make_tree(tmp_path / "tree", 5)
    cache = tmp_path / "cache"
    expected = lint_report(tmp_path / "tree", "--no-cache")
    assert lint_report(tmp_path / "tree", "--cache-dir", str(cache)) == expected
    files = [p for p in cache.rglob("*") if p.is_file() and p.name not in (".gitignore",)]
    assert files
    damages: list[Callable[[bytes], bytes]] = [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: b"",
        lambda data: os.urandom(len(data)),
    ]
    for damage in damages:
        for path in files:
            path.write_bytes(damage(path.read_bytes()) if path.stat().st_size else b"")
        assert lint_report(tmp_path / "tree", "--cache-dir", str(cache)) == expected


def test_lint_runs_at_once_share_the_cache(tmp_path: Path) -> None:
    make_tree(tmp_path / "tree", 60)
    cache = tmp_path / "cache"
    command = [*SKILLKIT, "lint", "--isolated", "--format", "concise", "--cache-dir", str(cache)]
    expected = subprocess.run(
        [*command[:-2], "--no-cache", str(tmp_path / "tree")], capture_output=True, timeout=120
    )
    for _ in range(2):  # a cold cache, then a warm one
        for code, out, err in at_once([*command, str(tmp_path / "tree")]):
            assert (code, out, err) == (expected.returncode, expected.stdout, b"")
    assert [p.name for p in cache.rglob(".tmp-*")] == []
