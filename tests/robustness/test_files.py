"""Files that cannot be linted as skills: each gets one finding, and the run goes on."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import skillkit.engine.discover
from skillkit.engine.library import lint_paths
from skillkit.settings import Settings
from tests.helpers import triples

GOOD = (
    "---\nname: good\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n"
    "---\n\n# Good\n\nBody.\n"
)


def lint_with_good(root: Path) -> list[tuple[str, str, int, str]]:
    """Lint root (which holds bad/ and a good skill); (folder, code, line, message) each."""
    (root / "good").mkdir(exist_ok=True)
    (root / "good" / "SKILL.md").write_text(GOOD)
    result = lint_paths([root], Settings())
    assert str(root / "good" / "SKILL.md") in result.files  # the run went on
    return [
        (Path(d.path).parent.name, *triple)
        for d, triple in zip(result.diagnostics, triples(result.diagnostics), strict=True)
    ]


def bad_skill(root: Path, data: bytes) -> Path:
    (root / "bad").mkdir()
    path = root / "bad" / "SKILL.md"
    path.write_bytes(data)
    return path


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    bad_skill(tmp_path, "---\nname: x\ndescription: déjà \xe9vu\n---\n".encode("latin-1"))
    assert lint_with_good(tmp_path) == [
        ("bad", "SK002", 3, "not UTF-8: byte 0xe9 at offset 26 (invalid continuation byte)")
    ]


def test_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    # Two valid two-byte characters before the bad byte: column 3, offset 4.
    bad_skill(tmp_path, "éé".encode() + b"\xff\n")
    result = lint_paths([tmp_path], Settings())
    [finding] = result.diagnostics
    assert (finding.span.line, finding.span.column) == (1, 3)
    assert finding.message == "not UTF-8: byte 0xff at offset 4 (invalid start byte)"
    assert finding.source_line == "éé\ufffd"


def test_binary(tmp_path: Path) -> None:
    bad_skill(tmp_path, b"\x7fELF\x02\x01\x01\x00\x00\x00")
    assert lint_with_good(tmp_path) == [
        ("bad", "SK002", 1, "binary file (contains NUL bytes), not a text skill")
    ]


def test_empty(tmp_path: Path) -> None:
    bad_skill(tmp_path, b"")
    assert lint_with_good(tmp_path) == [
        (
            "bad",
            "SK101",
            1,
            "no front matter: the file must start with a line that is exactly `---`",
        )
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions")
def test_unreadable_by_permissions(tmp_path: Path) -> None:
    bad_skill(tmp_path, GOOD.encode()).chmod(0)
    assert lint_with_good(tmp_path) == [("bad", "SK001", 1, "cannot read file: Permission denied")]


def test_unreadable_permission_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as above for root (tests run as root in CI): the open itself is refused."""
    path = bad_skill(tmp_path, GOOD.encode())
    real_open = os.open

    def refusing_open(file: str | os.PathLike[str], flags: int, *args: int, **kw: int) -> int:
        if Path(file) == path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, flags, *args, **kw)

    monkeypatch.setattr(os, "open", refusing_open)
    assert lint_with_good(tmp_path) == [("bad", "SK001", 1, "cannot read file: Permission denied")]


def test_fifo_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    os.mkfifo(tmp_path / "bad" / "SKILL.md")  # nobody ever writes to it
    assert lint_with_good(tmp_path) == [
        ("bad", "SK001", 1, "cannot read file: it is a named pipe (FIFO)")
    ]


def test_skill_md_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "bad" / "SKILL.md").mkdir(parents=True)
    assert lint_with_good(tmp_path) == [("bad", "SK001", 1, "cannot read file: Is a directory")]


def test_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "SKILL.md").symlink_to("SKILL.md")
    assert lint_with_good(tmp_path) == [
        ("bad", "SK001", 1, "cannot read file: Too many levels of symbolic links")
    ]


def test_symlink_loop_given_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    loop = tmp_path / "bad" / "SKILL.md"
    loop.symlink_to("SKILL.md")
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "SKILL.md").write_text(GOOD)
    result = lint_paths([loop, tmp_path / "good"], Settings())
    assert triples(result.diagnostics) == [
        ("SK001", 1, "cannot lint: broken symbolic link or symlink loop")
    ]
    assert result.files == [str(tmp_path / "good" / "SKILL.md")]


def test_folder_symlink_loop_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "again").symlink_to(tmp_path)
    (tmp_path / "bad" / "self").symlink_to(".")
    assert lint_with_good(tmp_path) == []


def _vanish_after_discovery(monkeypatch: pytest.MonkeyPatch, remove: Callable[[], None]) -> None:
    real_discover = skillkit.engine.discover.discover

    def discover_then_vanish(*args: object, **kwargs: object) -> object:
        found = real_discover(*args, **kwargs)  # type: ignore[arg-type]
        remove()
        return found

    monkeypatch.setattr(skillkit.engine.discover, "discover", discover_then_vanish)


def test_file_that_vanishes_mid_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = bad_skill(tmp_path, GOOD.encode())
    _vanish_after_discovery(monkeypatch, path.unlink)
    assert lint_with_good(tmp_path) == [
        ("bad", "SK001", 1, "cannot read file: No such file or directory")
    ]


def test_folder_that_vanishes_mid_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = bad_skill(tmp_path, GOOD.encode())

    def remove_folder() -> None:
        path.unlink()
        path.parent.rmdir()

    _vanish_after_discovery(monkeypatch, remove_folder)
    assert lint_with_good(tmp_path) == [
        ("bad", "SK001", 1, "cannot read file: No such file or directory")
    ]


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "SKILL.md").write_text(GOOD)
    result = lint_paths([tmp_path / "nowhere", tmp_path], Settings())
    assert triples(result.diagnostics) == [("SK001", 1, "cannot lint: no such file or folder")]
    assert result.files == [str(tmp_path / "good" / "SKILL.md")]


def test_over_the_size_limit_option(tmp_path: Path) -> None:
    bad_skill(tmp_path, GOOD.encode() + b"x" * 200)
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "SKILL.md").write_text(GOOD)
    result = lint_paths([tmp_path], Settings(max_file_bytes=len(GOOD) + 100))
    assert triples(result.diagnostics) == [
        (
            "SK003",
            1,
            f"file is {len(GOOD) + 200:,} bytes, over the limit of {len(GOOD) + 100:,} "
            "(option `max-file-bytes`); it was not parsed",
        )
    ]
