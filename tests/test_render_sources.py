"""Findings of rendered text where the change belongs: the template or partial line, or the
plan's front-matter field; once, naming the outputs; never fixed in an output."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.cli import main
from tests.render_helpers import TWO_OUTPUTS_PLAN, make_project, render_cli, snapshot

PLAN = TWO_OUTPUTS_PLAN + 'metadata = { short-description = "Demo" }\n'

TEMPLATE = "# demo\n\n{% include 'partials/run.md.j2' %}\nDone.\n"
PARTIAL = "## Run\n```sh\nvrctl service rm web\n```\n"
MESSAGE = (
    "SK401 unknown subcommand `vrctl service rm`; `vrctl service` takes add, list, logs, "
    "remove, restart, start, status, stop; did you mean `remove`?"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, PLAN, {"demo.md.j2": TEMPLATE, "partials/run.md.j2": PARTIAL})


def test_a_mistake_in_a_partial_is_one_finding_at_its_line_naming_every_output(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = render_cli(project, capsys, "--format", "concise")
    assert (code, out) == (
        1,
        f"templates/partials/run.md.j2:3:15: {MESSAGE} "
        "(in skills/demo-a/SKILL.md:12, skills/demo-b/SKILL.md:12)\n"
        "Nothing written: 1 error in the rendered outputs. Fix them, list their codes in the "
        "output's `ignore` in the plan, or add --allow-errors.\n",
    )


@pytest.mark.parametrize("named", ["templates", "templates/partials/run.md.j2"])
def test_lint_of_the_templates_folder_or_a_partial_lints_what_it_renders(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, named: str
) -> None:
    monkeypatch.chdir(project)
    assert main(["lint", "--format", "github", named]) == 1
    assert capsys.readouterr().out == (
        "::error file=templates/partials/run.md.j2,line=3,col=15,endLine=3,endColumn=17,"
        f"title=SK401::{MESSAGE.removeprefix('SK401 ')} "
        "(in skills/demo-a/SKILL.md:12, skills/demo-b/SKILL.md:12) (unknown-subcommand)\n"
    )
    assert main(["lint", named]) == 1
    assert capsys.readouterr().out.endswith("Found 1 error in 2 files checked.\n")


def test_a_front_matter_finding_is_at_the_fields_line_in_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = PLAN.replace('name = "demo-{{ flavour }}"', 'name = "Demo"')
    make_project(tmp_path, plan, {"demo.md.j2": "# demo\n"})
    code, out = render_cli(tmp_path, capsys, "--format", "concise")
    assert (code, out.splitlines()[0]) == (
        1,
        "pyproject.toml:8:1: SK111 `name` may contain only a-z, 0-9 and `-`; found `D`; use "
        "lowercase (in skills/demo-a/SKILL.md:2, skills/demo-b/SKILL.md:2)",
    )


def test_a_hand_edit_on_a_partials_line_names_the_partial_and_stale_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partial = "## Run\nStart it.\n"
    make_project(tmp_path, PLAN, {"demo.md.j2": TEMPLATE, "partials/run.md.j2": partial})
    assert render_cli(tmp_path, capsys)[0] == 0
    output = tmp_path / "skills/demo-a/SKILL.md"
    output.write_text(output.read_text().replace("Start it.", "Start it now."))
    (tmp_path / "templates/partials/run.md.j2").write_text("## Run\nStart it first.\n")
    code, out = render_cli(tmp_path, capsys, "--check")
    assert code == 1
    assert out.splitlines()[:2] == [
        "skills/demo-a/SKILL.md was edited by hand since it was rendered",
        "skills/demo-b/SKILL.md is stale (what templates/partials/run.md.j2 renders changed "
        "since it was rendered)",
    ]
    code, out = render_cli(tmp_path, capsys)
    assert out.splitlines()[0] == (
        "skills/demo-a/SKILL.md was edited by hand since it was rendered; not overwritten. Move "
        "the change into templates/partials/run.md.j2, or run `skillkit render --force` to "
        "overwrite it."
    )


def test_lint_fix_leaves_a_rendered_output_alone_and_names_the_template_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The partial has no final line break, so neither has the output (SK204, fixable).
    make_project(
        tmp_path,
        PLAN,
        {
            "demo.md.j2": "# demo\n\n{% include 'partials/end.md.j2' %}",
            "partials/end.md.j2": "End.",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert main(["render"]) == 0
    capsys.readouterr()
    before = snapshot(tmp_path / "skills")
    assert main(["lint", "--fix", "skills"]) == 0
    err = capsys.readouterr().err
    assert err == (
        "skills/demo-a/SKILL.md:10: SK204 not fixed: the file is rendered; fix "
        "templates/partials/end.md.j2:1 instead\n"
        "skills/demo-b/SKILL.md:10: SK204 not fixed: the file is rendered; fix "
        "templates/partials/end.md.j2:1 instead\n"
    )
    assert snapshot(tmp_path / "skills") == before
    assert main(["lint", "--diff", "skills"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["lint", "--add-suppressions", "skills"]) == 0
    assert snapshot(tmp_path / "skills") == before
    assert main(["render", "--check"]) == 0
