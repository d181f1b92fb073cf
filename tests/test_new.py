"""`skillkit new`: a new skill in the right shape, lint-clean under every target."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from skillkit.cli import main
from skillkit.engine.library import lint_paths
from skillkit.parse import read_skill
from skillkit.settings import Settings
from skillkit.targets import TARGET_NAMES


@pytest.mark.parametrize("made_for", TARGET_NAMES)
def test_new_skill_is_lint_clean_under_every_target(
    made_for: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "csv-tools", "--target", made_for, "--dir", str(tmp_path)]) == 0
    path = tmp_path / "csv-tools" / "SKILL.md"
    assert capsys.readouterr().out == (
        f"created {path} (target {made_for}); fill in the prompts, then `skillkit lint {path}`\n"
    )
    for target in TARGET_NAMES:
        # Every rule, the off-by-default ones too: a new skill starts with no findings at all.
        for select in (None, ("ALL",)):
            result = lint_paths([path], Settings(target=target, select=select))
            assert [(d.code, d.span.line, d.message) for d in result.diagnostics] == [], (
                target,
                select,
            )


# What `skillkit new csv-tools` writes, in the skill and in the template.
TEMPLATE_BODY = (
    "# csv-tools\n"
    "\n"
    "Purpose: say in a sentence or two what this skill helps an agent do.\n"
    "\n"
    "## When to use\n"
    "List the requests and situations this skill is for, and those it is not.\n"
    "\n"
    "## Workflow\n"
    "1) The first step an agent takes.\n"
    "2) The next step, and how to check it worked.\n"
)
DESCRIPTION = (
    "Say in one sentence what this skill helps an agent do. Use when the user asks for the task "
    "it covers."
)


def test_viberun_skill_has_guardrails_with_a_bullet(tmp_path: Path) -> None:
    assert main(["new", "deploy-app", "--target", "viberun", "--dir", str(tmp_path)]) == 0
    skill = read_skill(tmp_path / "deploy-app" / "SKILL.md")
    titles = [section.title for section in skill.all_sections()]
    assert titles == ["deploy-app", "When to use", "Workflow", "Guardrails"]
    guardrails = skill.all_sections()[-1]
    assert skill.line_text(guardrails.span.line + 1).startswith("- Ask the user before")
    front = skill.front_matter
    assert front.keys() == ("name", "description", "metadata")
    assert front.get("name") is not None


def test_spec_skill_exact_text(tmp_path: Path) -> None:
    assert main(["new", "csv-tools", "--dir", str(tmp_path)]) == 0
    assert (tmp_path / "csv-tools" / "SKILL.md").read_text(encoding="utf-8") == (
        f"---\nname: csv-tools\ndescription: {DESCRIPTION}\nmetadata:\n"
        f"  short-description: Csv tools\n---\n\n{TEMPLATE_BODY}"
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "CSV_Tools",
            "`name` may contain only a-z, 0-9 and `-`; found `C`, `S`, `T`, `V`, `_`; "
            "use lowercase",
        ),
        ("-csv", "`name` must not start or end with `-`"),
        ("csv--tools", "`name` must not contain `--`"),
        ("x" * 65, "`name` is 65 characters long; at most 64"),
    ],
)
def test_bad_name_is_refused_with_the_reason(
    name: str, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "--dir", str(tmp_path), "--", name]) == 2
    assert capsys.readouterr().err == (
        f"skillkit: error: cannot create a skill named `{name}`: {reason}\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_existing_skill_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "csv-tools" / "SKILL.md"
    path.parent.mkdir()
    path.write_text("mine\n", encoding="utf-8")
    assert main(["new", "csv-tools", "--dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"skillkit: error: {path} already exists; not overwriting it\n"
    )
    assert path.read_text(encoding="utf-8") == "mine\n"


def test_existing_folder_without_skill_is_filled(tmp_path: Path) -> None:
    (tmp_path / "csv-tools" / "scripts").mkdir(parents=True)
    assert main(["new", "csv-tools", "--dir", str(tmp_path)]) == 0
    assert (tmp_path / "csv-tools" / "SKILL.md").is_file()
    assert (tmp_path / "csv-tools" / "scripts").is_dir()


def test_command_line_end_to_end(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "skillkit", "new", "web-app", "--target", "viberun"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    linted = subprocess.run(
        [sys.executable, "-m", "skillkit", "lint", "--target", "viberun", "web-app"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout


# ---------------------------------------------------------------------------------------------
# --template: a template and its render-plan entry


def _in(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skillkit", *argv],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_template_in_a_project_without_config_then_render_and_lint(tmp_path: Path) -> None:
    made = _in(tmp_path, "new", "csv-tools", "--template")
    assert made.returncode == 0, made.stderr
    assert made.stdout == (
        "created templates/csv-tools.md.j2 and its entry in skillkit.toml; fill in the prompts, "
        "then `skillkit render`\n"
    )
    assert (tmp_path / "templates" / "csv-tools.md.j2").read_text(encoding="utf-8") == (
        TEMPLATE_BODY
    )
    assert (tmp_path / "skillkit.toml").read_text(encoding="utf-8") == (
        "[[render.outputs]]\n"
        'template = "csv-tools.md.j2"\n'
        'path = "csv-tools/SKILL.md"\n'
        "\n"
        "[render.outputs.front-matter]\n"
        'name = "csv-tools"\n'
        f'description = "{DESCRIPTION}"\n'
        'metadata = { short-description = "Csv tools" }\n'
    )
    made = _in(tmp_path, "new", "deploy-app", "--template", "--target", "viberun")
    assert made.returncode == 0, made.stderr
    config = (tmp_path / "skillkit.toml").read_text(encoding="utf-8")
    assert config.endswith(
        'metadata = { short-description = "Csv tools" }\n'
        "\n"
        "[[render.outputs]]\n"
        'template = "deploy-app.md.j2"\n'
        'path = "deploy-app/SKILL.md"\n'
        'target = "viberun"\n'
        "\n"
        "[render.outputs.front-matter]\n"
        'name = "deploy-app"\n'
        f'description = "{DESCRIPTION}"\n'
        'metadata = { short-description = "Deploy app" }\n'
    )
    assert "## Guardrails\n- Ask the user" in (
        tmp_path / "templates" / "deploy-app.md.j2"
    ).read_text(encoding="utf-8")
    rendered = _in(tmp_path, "render")
    assert rendered.returncode == 0, rendered.stdout
    assert (tmp_path / "skills" / "csv-tools" / "SKILL.md").read_text(encoding="utf-8") == (
        f"---\nname: csv-tools\ndescription: {DESCRIPTION}\nmetadata:\n"
        f"  short-description: Csv tools\n---\n\n{TEMPLATE_BODY}"
    )
    for target in TARGET_NAMES:
        # Both skills still hold the scaffold's placeholder description, so that they compete
        # (SK603) is true until their authors write them; each skill itself is clean.
        result = lint_paths([tmp_path / "skills"], Settings(target=target, ignore=("SK603",)))
        assert [(d.path, d.code, d.message) for d in result.diagnostics] == [], target
        assert len(result.files) == 2


PYPROJECT = """\
[project]
name = "demo"

[tool.skillkit]
target = "viberun"

[tool.skillkit.render]
output-root = "out"

[[tool.skillkit.render.outputs]]
template = "first.md.j2"
path = "first/SKILL.md"

[tool.skillkit.render.outputs.front-matter]
name = "first"
description = "The first skill of the project. Use when a test needs one."
metadata = { short-description = "First" }
"""


def test_template_entry_goes_into_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "first.md.j2").write_text(
        "# first\n\n## Guardrails\n- Be careful.\n", encoding="utf-8"
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    made = _in(tmp_path, "new", "csv-tools", "--template", "--dir", "sub")
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    # The plan's target is viberun already: the entry does not repeat it.
    assert text == PYPROJECT + (
        "\n"
        "[[tool.skillkit.render.outputs]]\n"
        'template = "csv-tools.md.j2"\n'
        'path = "csv-tools/SKILL.md"\n'
        "\n"
        "[tool.skillkit.render.outputs.front-matter]\n"
        'name = "csv-tools"\n'
        f'description = "{DESCRIPTION}"\n'
        'metadata = { short-description = "Csv tools" }\n'
    )
    assert "## Guardrails\n" in (tmp_path / "templates" / "csv-tools.md.j2").read_text(
        encoding="utf-8"
    )
    rendered = _in(tmp_path, "render")
    assert rendered.returncode == 0, rendered.stdout
    linted = _in(tmp_path, "lint", "--target", "viberun", "out")
    assert linted.returncode == 0, linted.stdout


@pytest.mark.parametrize(
    ("setup", "argv", "message"),
    [
        (
            {"templates/csv-tools.md.j2": "mine\n"},
            ["csv-tools", "--template"],
            "templates/csv-tools.md.j2 already exists; not overwriting it",
        ),
        (
            {
                "skillkit.toml": (
                    '[[render.outputs]]\ntemplate = "old.md.j2"\npath = "csv-tools/SKILL.md"\n'
                )
            },
            ["csv-tools", "--template"],
            "the render plan in {root}/skillkit.toml already has an output for `csv-tools` "
            "(old.md.j2 → csv-tools/SKILL.md)",
        ),
        (
            {"skillkit.toml": "render = { outputs = [] }\n"},
            ["csv-tools", "--template"],
            "cannot add the plan entry to {root}/skillkit.toml:",
        ),
        ({}, ["Csv", "--template"], "cannot create a skill named `Csv`:"),
        ({}, ["csv-tools", "--template", "a/b.j2"], "`a/b.j2`: give a file name, without folders"),
    ],
)
def test_template_refusals_write_nothing(
    setup: dict[str, str], argv: list[str], message: str, tmp_path: Path
) -> None:
    for name, text in setup.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    made = _in(tmp_path, "new", *argv)
    assert made.returncode == 2
    assert made.stdout == ""
    expected = message.format(root=tmp_path.resolve())
    assert made.stderr.startswith(f"skillkit: error: {expected}"), made.stderr
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
