"""The command line end to end: `lint` formats and exit codes, colour, discovery, `show`,
`rules`, `rule`, and `python -m skillkit`; a few through a real subprocess and a real terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from skillkit.cli import main
from skillkit.engine.discover import discover
from tests.helpers import write_skill

GOOD = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV "
    "file.\n---\n\n# Demo\n\nSteps.\n"
)
# One error (SK111 on line 2) and one warning (SK121 on line 3).
BAD = "---\nname: Demo\ndescription: Tidies CSV. Use when asked.\n---\n\n# Demo\n\nSteps.\n"
WARNING_ONLY = (
    "---\nname: demo\ndescription: Tidies CSV. Use when asked.\n---\n\n# Demo\n\nSteps.\n"
)
ENV = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", "--isolated", "--no-cache", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def skillkit(
    *argv: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real entry point, as a user's shell would."""
    return subprocess.run(
        [sys.executable, "-m", "skillkit", *argv],
        cwd=cwd,
        env=env if env is not None else ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- formats -----------------------------------------------------------------------------------


def test_full_format(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, BAD)
    code, out, _ = lint(capsys, "demo")
    assert code == 1
    assert out == (
        "demo/SKILL.md:2:7: SK111 `name` may contain only a-z, 0-9 and `-`; found `D`; use "
        "lowercase [error]\n"
        " 2 | name: Demo\n"
        "   |       ^^^^\n"
        "\n"
        "demo/SKILL.md:3:14: SK121 `description` is 27 characters long; say what the skill "
        "does and when to use it in at least 40 [warning]\n"
        " 3 | description: Tidies CSV. Use when asked.\n"
        "   |              ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "\n"
        "Found 1 error, 1 warning in 1 file checked.\n"
    )


def test_full_format_when_clean(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, GOOD)
    assert lint(capsys, "demo") == (0, "All clean: 1 file checked.\n", "")


def test_concise_format_is_one_line_a_finding(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, BAD)
    code, out, _ = lint(capsys, "--format", "concise", "demo")
    assert code == 1
    assert out.splitlines() == [
        "demo/SKILL.md:2:7: SK111 `name` may contain only a-z, 0-9 and `-`; found `D`; use "
        "lowercase",
        "demo/SKILL.md:3:14: SK121 `description` is 27 characters long; say what the skill does "
        "and when to use it in at least 40",
    ]


def test_json_format(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, BAD)
    code, out, _ = lint(capsys, "--format", "json", "demo")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "demo/SKILL.md",
            "line": 2,
            "column": 7,
            "end_line": 2,
            "end_column": 11,
            "code": "SK111",
            "name": "name-invalid",
            "severity": "error",
            "message": "`name` may contain only a-z, 0-9 and `-`; found `D`; use lowercase",
        },
        {
            "path": "demo/SKILL.md",
            "line": 3,
            "column": 14,
            "end_line": 3,
            "end_column": 41,
            "code": "SK121",
            "name": "description-too-short",
            "severity": "warning",
            "message": "`description` is 27 characters long; say what the skill does and when "
            "to use it in at least 40",
        },
    ]


def test_json_of_a_clean_run_is_an_empty_list(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, GOOD)
    assert lint(capsys, "--format", "json", "demo") == (0, "[]\n", "")


def test_caret_under_a_tab_expanded_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, "---\nname: demo\ndescription: x\n---\n\n# Demo\n\nSee\t[a](missing.md).\n")
    _, out, _ = lint(capsys, "--select", "SK501", "demo")
    assert " 8 | See [a](missing.md).\n   |         ^^^^^^^^^^\n" in out


# --- exit codes --------------------------------------------------------------------------------


def test_warnings_alone_exit_0_and_1_with_strict(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, WARNING_ONLY)
    assert lint(capsys, "--format", "concise", "demo")[0] == 0
    assert lint(capsys, "--format", "concise", "--strict", "demo")[0] == 1


def test_unknown_rule_code_is_a_usage_error(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, GOOD)
    code, out, err = lint(capsys, "--select", "SK999", "demo")
    assert (code, out) == (2, "")
    assert err == (
        "skillkit: error: unknown rule or prefix `SK999`; the SK9xx rules are SK901, SK902 "
        "(see `skillkit rules`)\n"
    )
    assert lint(capsys, "--ignore", "nonsense-rule", "demo")[0] == 2


def test_select_by_prefix_and_name(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, BAD)
    assert lint(capsys, "--format", "concise", "--select", "SK12", "demo")[0] == 0
    code, out, _ = lint(capsys, "--format", "concise", "--select", "name-invalid", "demo")
    assert code == 1 and [line.split()[1] for line in out.splitlines()] == ["SK111"]


def test_a_missing_path_is_a_usage_error(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A typo on the command line, as `show nope` says: exit 2 and one line, before any work (the
    # library still reports a path that vanished as SK001: tests/robustness/test_files.py).
    write_skill(in_tmp, BAD)
    code, out, err = lint(capsys, "--format", "concise", "nowhere", "demo")
    assert (code, out, err) == (2, "", "skillkit: error: nowhere: no such file or folder\n")


def test_an_undecodable_file_is_one_finding(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, b"---\nname: demo\ndescription: caf\xe9\n---\n")
    write_skill(in_tmp, GOOD, folder="other")
    code, out, _ = lint(capsys, "--format", "concise", ".")
    assert code == 1
    assert out.splitlines() == [
        "demo/SKILL.md:3:17: SK002 not UTF-8: byte 0xe9 at offset 31 (invalid continuation byte)",
        "other/SKILL.md:2:7: SK112 `name` is `demo` but the folder is `other`; they must be equal",
    ]


# --- colour ------------------------------------------------------------------------------------


def _on_a_terminal(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run skillkit with its standard output on a pseudo-terminal; return what it wrote."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "skillkit", *argv],
            cwd=cwd,
            env=env,
            stdout=follower,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        os.close(follower)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
    finally:
        os.close(leader)
    return b"".join(chunks).decode("utf-8")


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path: Path) -> None:
    write_skill(tmp_path, BAD)
    argv = ["lint", "--isolated", "--no-cache", "demo"]
    coloured = _on_a_terminal(argv, tmp_path, ENV)
    assert "\x1b[1;31mSK111\x1b[0m" in coloured
    assert "\x1b[1;33mSK121\x1b[0m" in coloured
    plain = _on_a_terminal(argv, tmp_path, {**ENV, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "SK111" in plain
    piped = skillkit(*argv, cwd=tmp_path)
    assert "\x1b[" not in piped.stdout and "SK111" in piped.stdout


def test_concise_and_json_are_never_coloured(tmp_path: Path) -> None:
    write_skill(tmp_path, BAD)
    for output_format in ("concise", "json"):
        argv = ["lint", "--isolated", "--no-cache", "--format", output_format, "demo"]
        assert "\x1b[" not in _on_a_terminal(argv, tmp_path, ENV)


# --- through the real entry point --------------------------------------------------------------


def test_python_dash_m_skillkit(tmp_path: Path) -> None:
    write_skill(tmp_path, BAD)
    result = skillkit(
        "lint", "--isolated", "--no-cache", "--format", "concise", "demo", cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("demo/SKILL.md:2:7: SK111 ")
    assert result.stderr == ""
    version = skillkit("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("skillkit ")


def test_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "skillkit"
    write_skill(tmp_path, GOOD)
    result = subprocess.run(
        [str(script), "lint", "--isolated", "--no-cache", "demo"],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (0, "All clean: 1 file checked.\n")


def test_exit_codes_through_a_subprocess(tmp_path: Path) -> None:
    write_skill(tmp_path, WARNING_ONLY)
    base = ("lint", "--isolated", "--no-cache", "--format", "concise")
    assert skillkit(*base, "demo", cwd=tmp_path).returncode == 0
    assert skillkit(*base, "--strict", "demo", cwd=tmp_path).returncode == 1
    usage = skillkit(*base, "--select", "SK999", "demo", cwd=tmp_path)
    assert usage.returncode == 2 and "unknown rule or prefix `SK999`" in usage.stderr
    assert skillkit("lint", "--no-such-flag", cwd=tmp_path).returncode == 2
    assert skillkit(cwd=tmp_path).returncode == 2  # no command: help, and usage's exit code


def closed_pipe_run(*argv: str, cwd: Path, unbuffered: bool) -> tuple[int, str]:
    """Run skillkit with stdout a pipe whose reader has already gone (`skillkit ... | head`)."""
    env = {key: value for key, value in ENV.items() if key != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "skillkit", *argv],
            cwd=cwd,
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    return result.returncode, result.stderr


def test_a_broken_pipe_after_the_command_keeps_its_code(tmp_path: Path) -> None:
    # Buffered stdout and a short output: the pipe breaks on the flush after the command
    # returned, so its own code survives (0 for `rule`, 1 for a lint with findings). (One
    # rule's text: the list of every rule outgrew the pipe's buffer.)
    write_skill(tmp_path, BAD)
    assert closed_pipe_run("rule", "SK111", cwd=tmp_path, unbuffered=False) == (0, "")
    lint_args = ("lint", "--isolated", "--no-cache", "--format", "concise", "demo")
    assert closed_pipe_run(*lint_args, cwd=tmp_path, unbuffered=False) == (1, "")


def test_a_broken_pipe_mid_command_exits_141_quietly(tmp_path: Path) -> None:
    # Unbuffered, the first write fails while the command runs: its code is not known yet.
    write_skill(tmp_path, BAD)
    assert closed_pipe_run("rules", cwd=tmp_path, unbuffered=True) == (141, "")
    lint_args = ("lint", "--isolated", "--no-cache", "--format", "concise", "demo")
    assert closed_pipe_run(*lint_args, cwd=tmp_path, unbuffered=True) == (141, "")


# --- rules and rule ----------------------------------------------------------------------------


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from skillkit.registry import all_rules

    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(all_rules())
    (sk111,) = [line for line in lines if line.startswith("SK111 ")]
    assert sk111.split()[1:3] == ["name-invalid", "error"]


def test_rules_parses_nothing_so_imports_no_yaml(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from skillkit.cli import main\n"
        "main(['rules'])\n"
        "print('LOADED', [m for m in ('yaml', 'skillkit.parse') if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.stdout.splitlines()[-1] == "LOADED []"


def test_rules_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    rules = {rule["code"]: rule for rule in json.loads(capsys.readouterr().out)}
    assert rules["SK111"]["name"] == "name-invalid"
    assert rules["SK121"]["severity"] == "warning"


def test_rule_prints_rationale_and_both_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "SK111"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SK111 name-invalid\n\n")
    assert "Why:\n  The name is the skill's identifier" in out
    assert "Fails (csv-tools/SKILL.md):\n    ---\n    name: CSV_Tools\n" in out
    assert "Passes (csv-tools/SKILL.md):\n    ---\n    name: csv-tools\n" in out


def test_rule_by_name_and_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "name-invalid"]) == 0
    assert capsys.readouterr().out.startswith("SK111 name-invalid\n")
    assert main(["rule", "SK11"]) == 2  # a prefix names more than one rule
    assert main(["rule", "name-invalud"]) == 2
    assert capsys.readouterr().err.endswith(
        "no rule `name-invalud`; did you mean `name-invalid`?\n"
    )


# --- discovery ---------------------------------------------------------------------------------


def _tree(root: Path) -> None:
    for folder in (
        ".claude/skills/alpha", ".agents/skills/beta", ".curated/gamma", "src/lam",
        ".git/hooks/delta", "node_modules/pkg/eps", ".venv/eta", "env/zeta", "ignored/iota",
        "build/kappa", "build/mu",
    ):  # fmt: skip
        write_skill(root, GOOD.replace("name: demo", f"name: {folder.rsplit('/', 1)[-1]}"), folder)
    (root / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / ".gitignore").write_text("ignored/\n")
    (root / "build" / ".gitignore").write_text("kappa/\n")
    (root / "weird" / "SKILL.md").mkdir(parents=True)


def test_discovery_searches_hidden_folders_and_skips_the_rest(tmp_path: Path) -> None:
    _tree(tmp_path)
    files, missing = discover([tmp_path])
    assert [str(f.relative_to(tmp_path)) for f in files] == [
        ".agents/skills/beta/SKILL.md",
        ".claude/skills/alpha/SKILL.md",
        ".curated/gamma/SKILL.md",
        "build/mu/SKILL.md",
        "src/lam/SKILL.md",
        "weird/SKILL.md",
    ]
    assert missing == []


def test_discovery_without_gitignore(tmp_path: Path) -> None:
    _tree(tmp_path)
    files, _ = discover([tmp_path], respect_gitignore=False)
    names = [f.parent.name for f in files]
    assert "iota" in names and "kappa" in names
    assert not {"delta", "eps", "eta", "zeta"} & set(names)


def test_a_folder_named_explicitly_is_linted_even_if_ignored(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / ".git").mkdir(exist_ok=True)  # a repository: the root .gitignore applies
    files, _ = discover([tmp_path / "ignored" / "iota", tmp_path / "build"])
    assert [str(f.relative_to(tmp_path)) for f in files] == [
        "build/mu/SKILL.md",  # build/kappa stays ignored by build/.gitignore
        "ignored/iota/SKILL.md",
    ]


def test_a_folder_named_skill_md_is_one_finding(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "weird" / "SKILL.md").mkdir(parents=True)
    (in_tmp / "weird" / "SKILL.md" / "README").write_text("not a skill\n")
    code, out, _ = lint(capsys, "--format", "concise", ".")
    assert code == 1
    assert out.splitlines() == ["weird/SKILL.md:1:1: SK001 cannot read file: Is a directory"]


def test_lint_dot_finds_skills_in_hidden_folders(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(in_tmp)
    (in_tmp / "weird" / "SKILL.md").rmdir()
    assert lint(capsys, ".") == (0, "All clean: 5 files checked.\n", "")


# --- show --------------------------------------------------------------------------------------

SHOWN = (
    "---\nname: demo\ndescription: |\n  Formats CSV files.\n  Use when asked.\nversion: 1.0\n"
    "metadata:\n  short-description: Tidy CSV\n---\n\n# Demo\n\nIntro.\n\n## Steps\n\n1. Check:\n\n"
    "   ```bash\n   vrctl service status web \\\n     --json\n   ```\n\n"
    "Then `vrctl service logs <app>`.\n\n### Deep\n\nSee [ref](references/x.md).\n"
)


def test_show_text(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, SHOWN)
    assert main(["show", "demo"]) == 0
    assert capsys.readouterr().out == (
        "demo/SKILL.md\n"
        "\n"
        "Front matter (lines 1-9):\n"
        '     2  name: "demo"  (str)\n'
        '     3  description: "Formats CSV files.\\nUse when asked.\\n"  (str)\n'
        "     6  version: 1.0  (float)\n"
        '     7  metadata: {"short-description": "Tidy CSV"}  (map)\n'
        "\n"
        "Sections:\n"
        "    11  # Demo\n"
        "    15    ## Steps\n"
        "    26      ### Deep\n"
        "\n"
        "Commands:\n"
        "    20  [block] vrctl service status web --json\n"
        "        tool: vrctl; subcommand: service status; arguments: web; problems: unknown-flag\n"
        "    24  [inline] vrctl service logs <app>\n"
        "        tool: vrctl; subcommand: service logs; mention; arguments: <app>\n"
    )


def test_show_json(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, SHOWN)
    assert main(["show", "demo/SKILL.md", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["path"] == "demo/SKILL.md"
    assert data["front_matter"]["fields"][0] == {
        "key": "name",
        "line": 2,
        "column": 1,
        "value_line": 2,
        "value_column": 7,
        "kind": "str",
        "value": "demo",
    }
    assert [(f["key"], f["kind"], f["value"]) for f in data["front_matter"]["fields"]] == [
        ("name", "str", "demo"),
        ("description", "str", "Formats CSV files.\nUse when asked.\n"),
        ("version", "float", 1.0),
        ("metadata", "map", {"short-description": "Tidy CSV"}),
    ]
    assert data["body_start_line"] == 10
    assert data["sections"] == [
        {"title": "Demo", "level": 1, "line": 11, "end_line": 28},
        {"title": "Steps", "level": 2, "line": 15, "end_line": 28},
        {"title": "Deep", "level": 3, "line": 26, "end_line": 28},
    ]
    assert data["code_blocks"] == [
        {"language": "bash", "info": "bash", "line": 19, "end_line": 22, "closed": True}
    ]
    assert data["commands"] == [
        {
            "line": 20,
            "column": 4,
            "source": "block",
            "tool": "vrctl",
            "argv": ["vrctl", "service", "status", "web", "--json"],
            "placeholders": [],
            "subcommand": "service status",
            "mention": False,
            "flags": [],
            "arguments": ["web"],
            "program": [],
            "problems": ["unknown-flag"],
        },
        {
            "line": 24,
            "column": 7,
            "source": "inline",
            "tool": "vrctl",
            "argv": ["vrctl", "service", "logs", "<app>"],
            "placeholders": [3],
            "subcommand": "service logs",
            "mention": True,  # inside a sentence ("Then `vrctl service logs <app>`.")
            "flags": [],
            "arguments": ["<app>"],
            "program": [],
            "problems": [],
        },
    ]
    assert data["links"] == [{"target": "references/x.md", "line": 28}]
    assert data["problems"] == []


def test_show_problems_and_odd_values(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, "---\nname: demo\nlimit: .inf\n---\n\n```sh\nls\n")
    assert main(["show", "demo", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)  # strict JSON: no Infinity
    assert data["front_matter"]["fields"][1]["value"] == ".inf"
    assert data["problems"] == [
        {
            "kind": "unclosed-fence",
            "message": "code fence ``` opened here is never closed; the rest of the file is "
            "read as code",
            "line": 6,
            "column": 1,
        }
    ]
    assert main(["show", "demo"]) == 0
    assert capsys.readouterr().out.endswith(
        "\nProblems:\n     6  unclosed-fence: code fence ``` opened here is never closed; the "
        "rest of the file is read as code\n"
    )


def test_show_without_a_skill_is_a_usage_error(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "nowhere"]) == 2
    assert capsys.readouterr().err == "skillkit: error: nowhere: no such file\n"
    assert main(["show", "."]) == 2
    assert capsys.readouterr().err == "skillkit: error: .: no SKILL.md in this folder\n"


def test_show_through_a_subprocess(tmp_path: Path) -> None:
    write_skill(tmp_path, SHOWN)
    result = skillkit("show", "demo", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    assert [c["line"] for c in json.loads(result.stdout)["commands"]] == [20, 24]
