"""What a user gets wrong on the command line: exit 2 and one line on stderr that says what, never
a finding, a silent default, "All clean" or "internal error"; and the warnings that say nothing
was linted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from skillkit.cli import main
from tests.helpers import write_skill

GOOD = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV "
    "file.\n---\n\n# Demo\n\nSteps.\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["lint", "nope/"], "nope/: no such file or folder"),
        (["lint", "--no-cache", "demo", "nope"], "nope: no such file or folder"),
        (["render", "--root", "nope"], "nope: no such file or folder"),
        (["render", "--root", "notes.md"], "--root notes.md: not a folder"),
        (["render", "--config", "nope.toml"], "nope.toml: config file not found"),
        (["config", "nope"], "nope: no such file or folder"),
        (["prompt", "nope"], "nope: no such file or folder"),
        (
            ["lint", "notes.md"],
            "notes.md: not a skill file: skillkit lints files named `SKILL.md` (and templates "
            "of a render plan)",
        ),
        (
            ["lint", "lower/skill.md"],
            "lower/skill.md: not a skill file: clients look for `SKILL.md` and skip `skill.md` "
            "on a case-sensitive file system; rename it",
        ),
        (
            ["lint", "-o", "nodir/report.txt", "."],
            "--output nodir/report.txt: no such folder nodir",
        ),
        (["lint", "--output", "empty", "."], "--output empty: is a folder; name a file to write"),
        (["config-schema", "-o", "nodir/x.json"], "--output nodir/x.json: no such folder nodir"),
        (["config-schema", "-o", "empty"], "--output empty: is a folder; name a file to write"),
        (
            ["lint", "--select", "", "."],
            "--select is empty: name rules (codes, prefixes or names), or ALL",
        ),
        (
            ["lint", "--format", "sarif", "--statistics", "."],
            "--statistics prints text or JSON (with --format json); not --format sarif",
        ),
        (
            ["lint", "--format", "junit", "--statistics", "."],
            "--statistics prints text or JSON (with --format json); not --format junit",
        ),
        (
            ["rule", "SK999"],
            "no rule `SK999`; the SK9xx rules are SK901, SK902 (see `skillkit rules`)",
        ),
        (["rule", "SK899"], "no rule `SK899`; there are no SK8xx rules (see `skillkit rules`)"),
        (["rule", "name-invald"], "no rule `name-invald`; did you mean `name-invalid`?"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_a_usage_error_is_exit_2_and_one_line(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], argv: list[str], line: str
) -> None:
    write_skill(in_tmp, GOOD)
    (in_tmp / "notes.md").write_text("# Notes\n", encoding="utf-8")
    (in_tmp / "empty").mkdir()
    (in_tmp / "lower").mkdir()
    (in_tmp / "lower" / "skill.md").write_text(GOOD, encoding="utf-8")
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", f"skillkit: error: {line}\n")
    assert not (in_tmp / "empty").is_file() and list((in_tmp / "empty").iterdir()) == []


def test_a_broken_symlink_named_is_still_linted_as_a_finding(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It exists (as a link): what is wrong is the file, which is a finding, not a typo.
    (in_tmp / "demo").mkdir()
    (in_tmp / "demo" / "SKILL.md").symlink_to("gone.md")
    code, out, err = run(capsys, "lint", "--no-cache", "--format", "concise", "demo/SKILL.md")
    assert code == 1 and err == ""
    assert out.startswith("demo/SKILL.md:1:1: SK001 ")


def test_a_folder_without_skill_md_is_a_warning(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "empty").mkdir()
    code, out, err = run(capsys, "lint", "--no-cache", "empty")
    assert (code, out, err) == (
        0,
        "All clean: 0 files checked.\n",
        "skillkit: warning: empty: no SKILL.md found\n",
    )


def test_a_lowercase_skill_md_is_pointed_out(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp / "skills", GOOD)
    (in_tmp / "lower" / "csv").mkdir(parents=True)
    (in_tmp / "lower" / "csv" / "skill.md").write_text(GOOD, encoding="utf-8")
    code, out, err = run(capsys, "lint", "--no-cache", "skills", "lower")
    assert (code, out) == (0, "All clean: 1 file checked.\n")
    # Only the folder that holds no SKILL.md is named.
    assert err == (
        "skillkit: warning: lower: no SKILL.md found; lower/csv/skill.md is not named exactly "
        "`SKILL.md`: clients skip it on a case-sensitive file system; rename it\n"
    )


def test_a_folder_with_skills_gets_no_warning(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, GOOD)
    assert run(capsys, "lint", "--no-cache", ".") == (0, "All clean: 1 file checked.\n", "")
    assert run(capsys, "lint", "--no-cache", "demo", ".") == (
        0,
        "All clean: 1 file checked.\n",
        "",
    )


def test_an_unwritable_output_is_a_usage_error(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, GOOD)
    (in_tmp / "report.txt").mkdir()
    (in_tmp / "report.txt" / "x").mkdir()
    code, out, err = run(capsys, "lint", "--no-cache", "-o", "report.txt/x/", ".")
    assert (code, out) == (2, "")
    assert err == "skillkit: error: --output report.txt/x/: is a folder; name a file to write\n"


def test_prompt_defaults_to_the_current_folder(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, GOOD)
    code, out, _ = run(capsys, "prompt")
    assert code == 0
    assert out == run(capsys, "prompt", ".")[1]
    assert "<name>\ndemo\n</name>" in out


def test_config_errors_show_the_path_relative_to_the_working_folder(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "skillkit.toml").write_text('target = "spec"\n\nselct = ["SK1"]\n')
    write_skill(in_tmp, GOOD)
    code, out, err = run(capsys, "lint", "--no-cache", ".")
    assert (code, out) == (2, "")
    assert err == "skillkit: error: skillkit.toml:3: unknown key `selct`; did you mean `select`?\n"
    # From a sub-folder the config is above: shown as it is (absolute), not as ../../.
    os.chdir(in_tmp / "demo")
    code, _, err = run(capsys, "lint", "--no-cache", ".")
    assert code == 2
    assert err.startswith(f"skillkit: error: {in_tmp / 'skillkit.toml'}:3: unknown key")


def test_config_shows_origins_relative_to_the_working_folder(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "skillkit.toml").write_text('target = "spec"\nselect = ["SK1"]\n')
    code, out, _ = run(capsys, "config", ".")
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "# config: skillkit.toml"
    setting = 'select = ["SK1"]'
    assert lines[3] == f"{setting:<40} # skillkit.toml:2"


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_lsp_exits_0_after_shutdown_and_exit(tmp_path: Path) -> None:
    messages: list[dict[str, object]] = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None},
    ]
    done = subprocess.run(
        [sys.executable, "-m", "skillkit", "lsp"],
        input=b"".join(map(_frame, messages)),
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert b'"id": 2' in done.stdout or b'"id":2' in done.stdout


# --- small things a user notices --------------------------------------------------------------


def test_rules_marks_the_fixable_rules(capsys: pytest.CaptureFixture[str]) -> None:
    from skillkit.registry import all_rules

    code, out, _ = run(capsys, "rules")
    assert code == 0
    marked = {line.split()[0] for line in out.splitlines() if "(fixable)" in line}
    assert marked == {code for code, rule in all_rules().items() if rule.fixable}
    assert "SK407" in marked  # an unsafe fix is a fix too


def test_rules_json_is_in_code_order(capsys: pytest.CaptureFixture[str]) -> None:
    from skillkit.registry import all_rules

    code, out, _ = run(capsys, "rules", "--format", "json")
    codes = [rule["code"] for rule in json.loads(out)]
    assert code == 0 and codes == sorted(all_rules())


def test_statistics_marks_a_rule_with_an_unsafe_fix(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from skillkit.registry import all_rules

    example = all_rules()["SK407"].bad
    assert example is not None
    write_skill(in_tmp, example.text, example.folder)
    code, out, _ = run(capsys, "lint", "--no-cache", "--select", "SK407", "--statistics", ".")
    assert (code, out) == (1, "1\tSK407\t[*] cmd-shell-string\n")
    code, out, _ = run(
        capsys, "lint", "--no-cache", "--select", "SK407", "--statistics", "--format", "json", "."
    )
    assert json.loads(out) == [
        {"code": "SK407", "name": "cmd-shell-string", "count": 1, "fixable": True}
    ]


def test_the_unclosed_fence_message_shows_the_marker_bare(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, GOOD + "\n```bash\necho\n")
    code, out, _ = run(capsys, "lint", "--no-cache", "--format", "concise", ".")
    assert (code, out.splitlines()[0]) == (
        1,
        "demo/SKILL.md:10:1: SK203 code fence ``` opened here is never closed; the rest of the "
        "file is read as code",
    )


def test_fixing_a_suppression_on_the_last_line_leaves_no_blank_line(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_skill(in_tmp, GOOD + "\n<!-- skillkit: disable-next-line SK501 -->\n")
    code, out, err = run(capsys, "lint", "--no-cache", "--fix", ".")
    assert (code, out, err) == (0, "All clean: 1 file checked.\n", "Fixed 1 finding.\n")
    assert path.read_text(encoding="utf-8") == GOOD
    # In the middle of the file, only its own line goes.
    path.write_text(GOOD + "\n<!-- skillkit: disable-next-line SK501 -->\nMore.\n")
    assert run(capsys, "lint", "--no-cache", "--fix", ".")[0] == 0
    assert path.read_text(encoding="utf-8") == GOOD + "\nMore.\n"


@pytest.mark.parametrize(
    ("word", "hint"),
    [
        ("SK999", "; the SK9xx rules are SK901, SK902 (see `skillkit rules`)"),
        ("SK899", "; there are no SK8xx rules (see `skillkit rules`)"),
        ("SK1211", "; did you mean `SK121`?"),
        ("name-invald", "; did you mean `name-invalid`?"),
        ("zzz", " (see `skillkit rules`)"),
    ],
)
def test_an_unknown_rule_gets_the_same_hint_everywhere(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], word: str, hint: str
) -> None:
    # `rule`, `--select`, the config and a suppression comment: one hint, never a look-alike
    # code of another family (SK999 is not SK902).
    assert run(capsys, "rule", word)[2] == f"skillkit: error: no rule `{word}`{hint}\n"
    assert run(capsys, "lint", "--select", word, ".")[2] == (
        f"skillkit: error: unknown rule or prefix `{word}`{hint}\n"
    )
    (in_tmp / "skillkit.toml").write_text(f'ignore = ["{word}"]\n', encoding="utf-8")
    assert run(capsys, "lint", ".")[2] == (
        f"skillkit: error: skillkit.toml:1: unknown rule code or prefix `{word}`{hint}\n"
    )
    (in_tmp / "skillkit.toml").unlink()
    write_skill(in_tmp, GOOD + f"\n<!-- skillkit: disable-next-line {word} -->\nMore.\n")
    code, out, _ = run(capsys, "lint", "--no-cache", "--format", "concise", ".")
    assert (code, out) == (
        0,
        f"demo/SKILL.md:10:1: SK902 suppression names `{word}`, which is not a rule code{hint}\n",
    )
