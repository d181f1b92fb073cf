"""A hostile repository (issue 13): no escape from the project, no hang, no internal error.

Each case that could hang runs `skillkit` in a subprocess under a CPU limit and a wall-clock
timeout, so that a regression fails instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest

from tests.robustness.limits import run_limited

CPU_SECONDS = 30
WALL_SECONDS = 120

GOOD = (
    "---\nname: good\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n"
    "---\n\n# Good\n\nBody.\n"
)


def skillkit(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `skillkit ARGS` in `cwd`, bounded; a hang fails the test with a timeout."""
    return run_limited(
        [sys.executable, "-m", "skillkit", *args],
        cpu_seconds=CPU_SECONDS,
        wall_seconds=WALL_SECONDS,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        errors="surrogateescape",
    )


def good_skill(root: Path, folder: str = "good", text: str = GOOD) -> Path:
    (root / folder).mkdir(parents=True, exist_ok=True)
    path = root / folder / "SKILL.md"
    path.write_text(text.replace("name: good", f"name: {folder}"))
    return path


# --- item 10: every file is read bounded, non-blocking, regular files only -------------------


def test_a_gitignore_that_is_a_fifo_is_skipped_with_a_finding(tmp_path: Path) -> None:
    good_skill(tmp_path)
    os.mkfifo(tmp_path / ".gitignore")
    done = skillkit(tmp_path, "lint", "--no-cache", "--format", "concise", ".")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        ".gitignore:1:1: SK005 cannot read file: it is a named pipe (FIFO); it is skipped\n"
    )


def test_a_gitignore_linked_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    good_skill(tmp_path)
    (tmp_path / ".gitignore").symlink_to("/dev/zero")
    done = skillkit(tmp_path, "lint", "--no-cache", "--format", "concise", ".")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ".gitignore:1:1: SK005 cannot read file: it is a device; it is skipped\n"


def test_a_config_that_is_a_fifo_is_a_config_error(tmp_path: Path) -> None:
    good_skill(tmp_path)
    os.mkfifo(tmp_path / "skillkit.toml")
    done = skillkit(tmp_path, "lint", "--no-cache", ".")
    assert done.returncode == 2
    assert done.stderr == (
        "skillkit: error: skillkit.toml: cannot read config: "
        "cannot read file: it is a named pipe (FIFO)\n"
    )


def test_a_config_linked_to_dev_zero_is_a_config_error(tmp_path: Path) -> None:
    good_skill(tmp_path)
    (tmp_path / "cfg.toml").symlink_to("/dev/zero")
    done = skillkit(tmp_path, "lint", "--no-cache", "--config", "cfg.toml", ".")
    assert done.returncode == 2
    assert done.stderr.endswith("cannot read config: cannot read file: it is a device\n")


def _render_project(root: Path, template: str = "t.md.j2") -> None:
    (root / "templates").mkdir()
    (root / "skillkit.toml").write_text(
        f'[render]\n[[render.outputs]]\ntemplate = "{template}"\npath = "x.txt"\nkind = "text"\n'
    )
    (root / "templates" / "t.md.j2").write_text("hello\n")
    (root / "skills").mkdir()


def test_a_render_output_that_is_a_fifo_is_a_finding(tmp_path: Path) -> None:
    _render_project(tmp_path)
    os.mkfifo(tmp_path / "skills" / "x.txt")
    done = skillkit(tmp_path, "render", "--format", "concise")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "skillkit.toml:4:1: SK705 outputs[1]: output path 'x.txt' holds something skillkit does "
        "not replace: cannot read file: it is a named pipe (FIFO)"
    )
    assert lines[1].startswith("Nothing written: 1 error in the rendered outputs.")
    assert sorted(os.listdir(tmp_path / "skills")) == ["x.txt"]  # nothing written


def test_a_manifest_that_is_a_fifo_is_replaced(tmp_path: Path) -> None:
    _render_project(tmp_path)
    manifest = tmp_path / "skills" / ".skillkit-manifest.json"
    os.mkfifo(manifest)
    done = skillkit(tmp_path, "render")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "skills" / "x.txt").read_text() == "hello\n"
    assert json.loads(manifest.read_text())["outputs"]["x.txt"]["template"] == "t.md.j2"


def test_a_template_that_is_a_fifo_is_a_finding(tmp_path: Path) -> None:
    _render_project(tmp_path, "fifo.j2")
    os.mkfifo(tmp_path / "templates" / "fifo.j2")
    done = skillkit(tmp_path, "render", "--check", "--format", "concise")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == (
        "skillkit.toml:4:1: SK706 outputs[1]: template `fifo.j2`: template not found: fifo.j2 "
        "(cannot read file: it is a named pipe (FIFO))"
    )


# --- item 1: render never leaves the project through a symlinked folder -----------------------


def test_an_output_root_symlinked_outside_writes_nothing(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    _render_project(project)
    (project / "skills").rmdir()
    (project / "skills").symlink_to("../outside")
    done = skillkit(project, "render", "--format", "concise")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "skillkit.toml:4:1: SK705 outputs[1]: the output root `skills` leads outside the project "
        "through a symlink; nothing is written there"
    )
    assert os.listdir(outside) == []


def test_a_templates_folder_symlinked_outside_reads_nothing(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (outside / "secret").write_text("the secret\n")
    _render_project(project, "secret")
    for name in os.listdir(project / "templates"):
        (project / "templates" / name).unlink()
    (project / "templates").rmdir()
    (project / "templates").symlink_to(outside)
    done = skillkit(project, "render", "--check", "--diff", "--format", "concise")
    assert done.returncode == 1
    assert "the secret" not in done.stdout
    assert done.stdout.splitlines()[0] == (
        "skillkit.toml:4:1: SK706 outputs[1]: template `secret`: template not found: secret "
        "(the templates folder `templates` leads outside the project through a symlink)"
    )


# --- item 11: a bad .gitignore or exclude line ------------------------------------------------


def test_gitignore_lines_git_skips_are_skipped_with_a_finding_each(tmp_path: Path) -> None:
    good_skill(tmp_path)
    good_skill(tmp_path, "ignored")
    (tmp_path / ".gitignore").write_text("!\na\\\n\\\n[z-a]\nignored/\n")
    done = skillkit(tmp_path, "lint", "--no-cache", "--format", "concise", ".")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        ".gitignore:1:1: SK005 pattern `!` is skipped: not a valid pattern (git skips it too)",
        ".gitignore:2:1: SK005 pattern `a\\` is skipped: not a valid pattern (git skips it too)",
        ".gitignore:3:1: SK005 pattern `\\` is skipped: not a valid pattern (git skips it too)",
        ".gitignore:4:1: SK005 pattern `[z-a]` is skipped: bad character range z-a",
    ]  # and `ignored/` still applies: that skill is not linted (else SK112 would not matter)
    listed = skillkit(tmp_path, "lint", "--no-cache", "--format", "json", ".")
    assert {finding["path"] for finding in json.loads(listed.stdout)} == {".gitignore"}


def test_a_bad_exclude_glob_is_a_config_error(tmp_path: Path) -> None:
    good_skill(tmp_path)
    (tmp_path / "skillkit.toml").write_text('exclude = ["vendor/", "[z-a]"]\n')
    done = skillkit(tmp_path, "lint", "--no-cache", ".")
    assert (done.returncode, done.stderr) == (
        2,
        "skillkit: error: skillkit.toml:1: `exclude[1]` is not a gitignore "
        "pattern: bad character range z-a\n",
    )


# --- item 3: a guardrail pattern cannot hang lint ----------------------------------------------


def test_a_catastrophic_guardrail_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    body = "```sh\necho " + "a" * 20_000 + "!\n```\n"
    good_skill(tmp_path, "good", GOOD + "\n" + body)
    (tmp_path / "skillkit.toml").write_text('[[guardrails]]\npattern = "(a+)+$"\nmessage = "no"\n')
    done = skillkit(tmp_path, "lint", "--no-cache", "--format", "concise", "--select", "SK307")
    assert done.returncode == 0, done.stderr  # (Python's re takes ages on this line)


def test_a_pattern_re2_cannot_run_is_refused_at_load(tmp_path: Path) -> None:
    good_skill(tmp_path)
    (tmp_path / "skillkit.toml").write_text(
        '[[guardrails]]\npattern = "(a)\\\\1"\nmessage = "no"\n'
    )
    done = skillkit(tmp_path, "lint", "--no-cache", ".")
    assert done.returncode == 2
    assert done.stderr == (
        "skillkit: error: skillkit.toml:2: `guardrails[0].pattern` is not a "
        "regular expression: invalid escape sequence: \\1 (skillkit matches patterns with RE2, "
        "in linear time: it has no backreferences or lookaround)\n"
    )


# --- item 9: a tagged scalar PyYAML cannot construct ------------------------------------------


def test_unconstructible_tagged_scalars_are_one_finding_each(tmp_path: Path) -> None:
    text = GOOD.replace(
        "---\n\n", 'metadata:\n  a: !!bool maybe\n  b: !!int ""\n  c: !!float ""\n---\n\n'
    )
    good_skill(tmp_path, "tagged", text)
    # (A description of its own: two skills that both tidy CSV files compete, SK603.)
    other = "Fills PDF forms. Use when the user has a PDF form to complete."
    good_skill(
        tmp_path,
        "other",
        GOOD.replace("Formats CSV files. Use when the user asks to tidy a CSV.", other),
    )
    done = skillkit(tmp_path, "lint", "--no-cache", "--format", "concise", ".")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        "tagged/SKILL.md:5:6: SK103 `!!bool maybe` is not a valid bool: a YAML loader fails on it",
        'tagged/SKILL.md:6:6: SK103 `!!int ""` is not a valid int: a YAML loader fails on it',
        'tagged/SKILL.md:7:6: SK103 `!!float ""` is not a valid float: a YAML loader fails on it',
    ]


# --- item 2: no terminal or line injection, valid XML and JSON ---------------------------------

HOSTILE_KEYS = (
    '"\\e]0;pwned\\a\\e[2J": 1\n'  # a window title, then clear the screen
    '"k\\nforged/SKILL.md:1:1: SK999 forged": 2\n'  # a second finding line
    '"\\u202etxt.exe": 3\n'  # right-to-left override
)


def _hostile(root: Path) -> None:
    good_skill(root, "x", GOOD.replace("---\n\n", HOSTILE_KEYS + "---\n\n"))


def test_concise_escapes_control_characters(tmp_path: Path) -> None:
    _hostile(tmp_path)
    done = skillkit(tmp_path, "lint", "--no-cache", "--format", "concise", "--select", "SK107", ".")
    accepted = "(accepted: allowed-tools, compatibility, description, license, metadata, name)"
    assert done.stdout.splitlines() == [
        f"x/SKILL.md:4:1: SK107 unknown field `\\e]0;pwned\\x07\\e[2J` for target spec {accepted}",
        "x/SKILL.md:5:1: SK107 unknown field `k\\nforged/SKILL.md:1:1: SK999 forged` for "
        f"target spec {accepted}",
        f"x/SKILL.md:6:1: SK107 unknown field `\\u202etxt.exe` for target spec {accepted}",
    ]


@pytest.mark.parametrize("format", ["full", "concise", "github", "junit", "json", "sarif"])
def test_no_format_prints_a_control_character(tmp_path: Path, format: str) -> None:
    _hostile(tmp_path)
    done = skillkit(tmp_path, "lint", "--no-cache", "--format", format, ".")
    assert done.returncode == 1, done.stderr
    shown = done.stdout.replace("\n", "")
    assert not [char for char in shown if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F]
    if format not in ("json", "sarif"):  # (JSON keeps the text exactly, controls escaped)
        assert "\u202e" not in shown
    if format == "junit":
        xml.dom.minidom.parseString(done.stdout)
    if format in ("json", "sarif"):
        json.loads(done.stdout)


def test_the_source_line_is_escaped_and_the_caret_follows(tmp_path: Path) -> None:
    body = "Run \x1b[31m`vrctl bogus`\x1b[0m now.\n"
    good_skill(tmp_path, "x", GOOD + "\n" + body)
    done = skillkit(tmp_path, "lint", "--no-cache", "--select", "SK401", ".")
    assert done.stdout.splitlines()[:3] == [
        "x/SKILL.md:10:17: SK401 unknown subcommand `vrctl bogus`; `vrctl` takes host, service "
        "[error]",
        " 10 | Run \\e[31m`vrctl bogus`\\e[0m now.",
        "    |                  ^^^^^",
    ]


# --- item 12: internal errors that must be clean ----------------------------------------------


@pytest.mark.parametrize("format", ["sarif", "json", "junit", "concise", "full", "github"])
def test_a_folder_name_that_is_not_utf8(tmp_path: Path, format: str) -> None:
    folder = tmp_path / os.fsdecode(b"bad\xff")
    folder.mkdir()
    (folder / "SKILL.md").write_text(GOOD)
    done = skillkit(tmp_path, "lint", "--no-cache", "--format", format, ".")
    assert done.returncode == 1, done.stderr  # SK112: the name differs from the folder's
    # (JSON writes the backslash of the escape as `\\`)
    shown = "bad\\\\xff" if format in ("json", "sarif") else "bad\\xff"
    assert shown in done.stdout
    out = tmp_path / f"report.{format}"
    written = skillkit(tmp_path, "lint", "--no-cache", "--format", format, "--output", out.name)
    assert written.returncode == 1, written.stderr
    assert shown in out.read_bytes().decode("utf-8")
    if format == "sarif":
        uris = {
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for result in json.loads(out.read_text())["runs"][0]["results"]
        }
        assert uris == {"bad%FF/SKILL.md"}


def test_a_huge_max_file_bytes_is_a_config_error(tmp_path: Path) -> None:
    good_skill(tmp_path)
    (tmp_path / "skillkit.toml").write_text("max-file-bytes = 99999999999999999999\n")
    done = skillkit(tmp_path, "lint", "--no-cache", ".")
    assert (done.returncode, done.stderr) == (
        2,
        "skillkit: error: skillkit.toml:1: `max-file-bytes` must be at most 1,000,000,000\n",
    )


def _plan(root: Path, path: str) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "t.j2").write_text("hello\n")
    (root / "skillkit.toml").write_text(
        f'[render]\n[[render.outputs]]\ntemplate = "t.j2"\npath = {path}\nkind = "text"\n'
    )


def test_an_output_path_that_is_not_text_is_refused(tmp_path: Path) -> None:
    _plan(tmp_path, '"{{ \\"a\\\\udcff.txt\\" }}"')  # Jinja makes the lone surrogate
    for _run in range(2):  # (it wrote the file, then crashed on the manifest, every run)
        done = skillkit(tmp_path, "render", "--format", "concise")
        assert (done.returncode, done.stderr) == (1, "")
        assert done.stdout.splitlines()[0] == (
            "skillkit.toml:1:1: SK705 outputs[1]: output path 'a\\udcff.txt' has a control "
            "character or is not text"
        )
    assert not (tmp_path / "skills").exists()


def test_an_output_named_like_the_manifest_is_refused(tmp_path: Path) -> None:
    _plan(tmp_path, '".skillkit-manifest.json"')
    done = skillkit(tmp_path, "render", "--format", "concise")
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0] == (
        "skillkit.toml:4:1: SK705 outputs[1]: output path '.skillkit-manifest.json' is the name "
        "of the render manifest"
    )
    assert not (tmp_path / "skills").exists()


def test_show_escapes_control_characters(tmp_path: Path) -> None:
    _hostile(tmp_path)
    done = skillkit(tmp_path, "show", "x/SKILL.md")
    assert done.returncode == 0, done.stderr
    assert "     5  k\\nforged/SKILL.md:1:1: SK999 forged: 2  (int)\n" in done.stdout
    shown = done.stdout.replace("\n", "")
    assert not [char for char in shown if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F]


def test_a_catastrophic_gitignore_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    # With Python's backtracking `re`, 30 characters took 3.5 s and 40 did not finish in 25.
    good_skill(tmp_path, "a" * 200 + "c")
    (tmp_path / ".gitignore").write_text("*a*a*a*a*a*a*a*a*a*a*b\n")
    (tmp_path / "skillkit.toml").write_text('exclude = ["*a*a*a*a*a*a*a*a*a*a*b"]\n')
    done = skillkit(tmp_path, "lint", "--no-cache", "--format", "concise", ".")
    assert done.returncode == 1, done.stderr
    assert "SK111 `name` is 201 characters long" in done.stdout  # the skill was linted


def test_a_diff_escapes_control_characters_and_keeps_line_ends(tmp_path: Path) -> None:
    _render_project(tmp_path)
    (tmp_path / "skills" / "x.txt").write_bytes(b"\x1b]0;pwned\x07\x1b[2J\r\nhello\n")
    done = skillkit(tmp_path, "render", "--check", "--diff")
    assert done.returncode == 1, done.stderr
    assert "-\\e]0;pwned\\x07\\e[2J\n" in done.stdout  # (text mode reads its CRLF as \n)
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout


def test_a_diff_line_keeps_its_line_end() -> None:
    from skillkit.text import printable_line

    assert [printable_line(line) for line in ("a\r\n", "\x1b[2J\n", "a\rb\n", "x")] == [
        "a\r\n",
        "\\e[2J\n",
        "a\\rb\n",
        "x",
    ]
