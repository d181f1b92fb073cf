"""Render on a repository that already has skills: the first render, files it never wrote,
findings the outputs have today, and outputs no plan entry produces."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.render_helpers import make_project, render_cli, snapshot

PLAN = """\
[tool.skillkit.render]
[[tool.skillkit.render.outputs]]
template = "demo.md.j2"
path = "demo/SKILL.md"
{extra}
[tool.skillkit.render.outputs.front-matter]
name = "demo"
description = "{description}"
"""

GOOD = "Formats CSV files. Use when the user asks for CSV."
RENDERED = f"---\nname: demo\ndescription: {GOOD}\n---\n\n# demo\n"


def _project(
    root: Path, extra: str = "", description: str = GOOD, template: str = "# demo\n"
) -> Path:
    return make_project(
        root, PLAN.format(extra=extra, description=description), {"demo.md.j2": template}
    )


def _existing(root: Path, text: str) -> Path:
    path = root / "skills/demo/SKILL.md"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    return path


def test_identical_outputs_without_a_manifest_are_adopted_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path)
    _existing(tmp_path, RENDERED)
    assert render_cli(tmp_path, capsys, "--check") == (0, "1 output is up to date.\n")
    assert render_cli(tmp_path, capsys) == (0, "Rendered 1 output: 0 written, 1 unchanged.\n")
    assert (tmp_path / "skills/.skillkit-manifest.json").is_file()
    assert render_cli(tmp_path, capsys, "--check") == (0, "1 output is up to date.\n")


def test_a_differing_file_never_rendered_is_not_yet_managed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path)
    path = _existing(tmp_path, "mine\n")
    assert render_cli(tmp_path, capsys, "--check") == (
        1,
        "skills/demo/SKILL.md exists, not yet managed (it differs from what the plan renders): "
        "review the diff, then run `skillkit render --force`\n"
        "1 of 1 outputs out of date. Run `skillkit render --force` to update them, or add --diff "
        "to see the changes.\n",
    )
    before = snapshot(tmp_path)
    assert render_cli(tmp_path, capsys) == (
        1,
        "skills/demo/SKILL.md exists, not yet managed (it differs from what the plan renders); "
        "not overwritten. Review the diff (`skillkit render --check --diff`), then run "
        "`skillkit render --force`.\n"
        "Rendered 1 output: 0 written, 0 unchanged, 1 refused.\n",
    )
    assert snapshot(tmp_path) == before
    assert render_cli(tmp_path, capsys, "--force") == (
        0,
        "wrote skills/demo/SKILL.md\nRendered 1 output: 1 written, 0 unchanged.\n",
    )
    assert path.read_text() == RENDERED


def test_check_with_an_orphan_output_says_delete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path)
    render_cli(tmp_path, capsys)
    plan = tmp_path / "pyproject.toml"
    plan.write_text(plan.read_text().replace("demo", "x").replace('"x.md.j2"', '"demo.md.j2"'))
    render_cli(tmp_path, capsys)  # x rendered; demo stays, recorded, now an orphan
    assert render_cli(tmp_path, capsys, "--check") == (
        1,
        "skills/demo/SKILL.md: no plan entry produces it any more (run `skillkit render "
        "--delete` to remove it)\n"
        "1 output that no plan entry produces any more. Run `skillkit render --delete` to "
        "remove it.\n",
    )


def test_an_entrys_ignore_keeps_todays_findings_out_of_render(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, 'ignore = ["description-no-trigger", "SK121"]\n', "Formats.")
    assert render_cli(tmp_path, capsys) == (
        0,
        "wrote skills/demo/SKILL.md\nRendered 1 output: 1 written, 0 unchanged.\n",
    )


@pytest.mark.parametrize(
    ("ignore", "message"),
    [
        ('"SK122"', "outputs[1].ignore must be an array of rule codes"),
        ('["SK999"]', "outputs[1].ignore: `SK999` names no rule"),
        (
            '["SK702"]',
            "outputs[1].ignore: `SK702` names a template problem (SK7xx), which cannot be ignored",
        ),
    ],
)
def test_a_wrong_ignore_is_a_plan_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ignore: str, message: str
) -> None:
    _project(tmp_path, f"ignore = {ignore}\n")
    assert render_cli(tmp_path, capsys) == (
        2,
        f"skillkit: error: pyproject.toml [tool.skillkit.render] {message}\n",
    )


def test_allow_errors_writes_the_outputs_and_reports_their_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, template="# demo\n\n```sh\nvrctl service rm x\n```\n")
    code, out = render_cli(tmp_path, capsys, "--format", "concise")
    assert code == 1
    assert out.endswith(
        "Nothing written: 1 error in the rendered outputs. Fix them, list their codes in the "
        "output's `ignore` in the plan, or add --allow-errors.\n"
    )
    assert not (tmp_path / "skills").exists()
    code, out = render_cli(tmp_path, capsys, "--format", "concise", "--allow-errors")
    assert code == 1
    assert out == (
        "templates/demo.md.j2:4:15: SK401 unknown subcommand `vrctl service rm`; `vrctl service` "
        "takes add, list, logs, remove, restart, start, status, stop; did you mean `remove`? "
        "(in skills/demo/SKILL.md:9)\n"
        "wrote skills/demo/SKILL.md\n"
        "Rendered 1 output: 1 written, 0 unchanged.\n"
    )
    assert (tmp_path / "skills/demo/SKILL.md").read_text() == (
        RENDERED + "\n```sh\nvrctl service rm x\n```\n"
    )
    code, out = render_cli(tmp_path, capsys, "--check", "--format", "concise", "--allow-errors")
    assert code == 1
    assert out.endswith(
        "1 error in the rendered outputs.\n0 of 1 outputs out of date. Run "
        "`skillkit render` to update them, or add --diff to see the changes.\n"
    )


@pytest.mark.parametrize(
    ("call", "line"),
    [
        ('{{ vrctl.service_add(app, "uv", ["run", "x"]) }}', "app"),
        ('{{ vrctl.service_add("web", "uv", ["run", port]) }}', "port"),
        ('{{ vrctl.service_add("web", "uv", env={"PORT": port}) }}', "port"),
        ("{{ vrctl.service_logs(name) }}", "name"),
        ("{{ where | shell_quote }}", "where"),
    ],
)
def test_an_undefined_variable_in_a_helper_call_is_sk702_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], call: str, line: str
) -> None:
    _project(tmp_path, template=f"# demo\n\n```sh\n{call}\n```\n")
    code, out = render_cli(tmp_path, capsys, "--format", "concise")
    column = call.index(line) + 1
    assert (code, out.splitlines()[0]) == (
        1,
        f"templates/demo.md.j2:4:{column}: SK702 undefined: '{line}' is undefined",
    )


def test_diff_without_check_previews_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path)
    assert render_cli(tmp_path, capsys, "--diff") == (
        1,
        "skills/demo/SKILL.md is missing\n"
        "--- /dev/null\n"
        "+++ b/skills/demo/SKILL.md\n"
        "@@ -0,0 +1,6 @@\n"
        + "".join(f"+{line}\n" for line in RENDERED.splitlines())
        + "1 of 1 outputs out of date. Run `skillkit render` to update them.\n",
    )
    assert not (tmp_path / "skills").exists()
    assert render_cli(tmp_path, capsys, "--diff", "--list") == (
        2,
        "skillkit: error: --diff and --list cannot be combined\n",
    )
