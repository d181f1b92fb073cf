"""`skillkit lint` on hostile files: exit 0, 1 or 2, a report, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillkit.cli import main
from tests.robustness.test_properties import mutated_corpus, skill_shaped

FORMATS = ["full", "concise", "json"]


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=60)
@given(
    st.one_of(mutated_corpus(), st.binary(), skill_shaped.map(str.encode)),
    st.sampled_from(FORMATS),
)
def test_lint_exits_cleanly_on_any_file(data: bytes, format_name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo" / "SKILL.md"
        path.parent.mkdir()
        path.write_bytes(data)
        code, out, err = run_main(
            ["lint", "--format", format_name, "--select", "ALL", "--target", "viberun", folder]
        )
    assert code in (0, 1), (code, err)
    assert "Traceback" not in out + err
    assert "internal error" not in err
    if format_name == "json":
        json.loads(out)


def hostile_tree(root: Path) -> dict[str, str]:
    """A tree with one good skill and one of each kind of bad file; folder → expected code."""
    good = (
        "---\nname: good\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n"
        "---\n\n# Good\n\nBody.\n"
    )
    expected: dict[str, str] = {}

    def skill(name: str, data: bytes, code: str) -> Path:
        folder = root / name
        folder.mkdir()
        path = folder / "SKILL.md"
        path.write_bytes(data)
        expected[name] = code
        return path

    (root / "good").mkdir()
    (root / "good" / "SKILL.md").write_text(good)
    # A plain skill with one finding of its own: proof that the run went on past the others.
    skill("flawed", good.replace("name: good", "name: Bad_Name").encode(), "SK111")
    skill("latin1", b"---\nname: x\ndescription: caf\xe9\n---\n", "SK002")
    skill("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "SK002")
    skill("empty", b"", "SK101")
    skill("huge", b"x" * 1_000_001, "SK003")
    (root / "folder" / "SKILL.md").mkdir(parents=True)
    expected["folder"] = "SK001"
    (root / "loop").mkdir()
    (root / "loop" / "SKILL.md").symlink_to("SKILL.md")
    expected["loop"] = "SK001"
    (root / "fifo").mkdir()
    os.mkfifo(root / "fifo" / "SKILL.md")
    expected["fifo"] = "SK001"
    (root / "dangling").mkdir()
    (root / "dangling" / "SKILL.md").symlink_to(root / "nowhere")
    expected["dangling"] = "SK001"
    return expected


@pytest.mark.parametrize("format_name", FORMATS)
def test_subprocess_on_a_hostile_tree(tmp_path: Path, format_name: str) -> None:
    expected = hostile_tree(tmp_path)
    completed = subprocess.run(
        # `good` and `flawed` are one description under two names: they compete (SK603),
        # which is true but not what this test is about.
        [
            sys.executable,
            "-m",
            "skillkit",
            "lint",
            "--ignore",
            "SK603",
            "--format",
            format_name,
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr
    assert completed.stderr == ""
    if format_name != "json":
        return
    by_folder: dict[str, list[str]] = {}
    for finding in json.loads(completed.stdout):
        by_folder.setdefault(Path(finding["path"]).parent.name, []).append(finding["code"])
    assert by_folder.pop("good", []) == []
    # Each bad file gets its one finding (an empty file has no front matter: SK101 alone).
    assert by_folder == {folder: [code] for folder, code in expected.items()}


def test_subprocess_usage_error_is_exit_2(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "skillkit", "lint", "--select", "NOPE", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
