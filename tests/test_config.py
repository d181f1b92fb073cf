"""Configuration through the command line: discovery, validation errors (file, line, hint),
flags over files, `skillkit config` and `skillkit config-schema`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from skillkit.cli import main
from tests.helpers import write_skill

SHORT = "---\nname: demo\ndescription: CSV helper.\n---\n\n# Demo\n"


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(["lint", "--format", "concise", *argv])
    out = capsys.readouterr().out
    return code, out.splitlines()


def test_no_config_uses_defaults(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, SHORT)
    code, lines = lint(capsys, ".")
    assert code == 0
    assert [line.split(": ")[1].split()[0] for line in lines] == ["SK121", "SK122"]


def test_skillkit_toml_ignores_and_overrides_severity(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, SHORT)
    (in_tmp / "skillkit.toml").write_text('ignore = ["SK122"]\n[severity]\nSK121 = "error"\n')
    code, lines = lint(capsys, ".")
    assert code == 1
    assert lines == [
        "demo/SKILL.md:3:14: SK121 `description` is 11 characters long; say what the skill "
        "does and when to use it in at least 40"
    ]


def test_rule_option_from_config(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, SHORT)
    (in_tmp / "skillkit.toml").write_text(
        'select = ["SK121"]\n[options]\nmin-description-length = 5\n'
    )
    assert lint(capsys, ".") == (0, [])


def test_pyproject_tool_table(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, SHORT)
    (in_tmp / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.skillkit]\nextend-select = []\nignore = ["SK12"]\n'
    )
    assert lint(capsys, ".") == (0, [])


def test_pyproject_without_table_is_skipped(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "skillkit.toml").write_text('ignore = ["SK121"]\n')
    sub = in_tmp / "sub"
    write_skill(sub, SHORT)
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    _code, lines = lint(capsys, "sub")
    assert [line.split(": ")[1].split()[0] for line in lines] == ["SK122"]


def test_skillkit_toml_wins_over_pyproject(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, SHORT)
    (in_tmp / "skillkit.toml").write_text('ignore = ["SK121"]\n')
    (in_tmp / "pyproject.toml").write_text('[tool.skillkit]\nignore = ["SK122"]\n')
    _code, lines = lint(capsys, ".")
    assert [line.split(": ")[1].split()[0] for line in lines] == ["SK122"]


def test_nearest_config_per_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each file gets the config nearest to it: one run, two folders, two settings."""
    write_skill(in_tmp / "a", SHORT)
    write_skill(in_tmp / "b", SHORT)
    (in_tmp / "skillkit.toml").write_text('ignore = ["SK121"]\n')
    (in_tmp / "b" / "skillkit.toml").write_text('ignore = ["SK122"]\n')
    _code, lines = lint(capsys, ".")
    assert [(line.split(":")[0], line.split(": ")[1].split()[0]) for line in lines] == [
        ("a/demo/SKILL.md", "SK122"),
        ("b/demo/SKILL.md", "SK121"),
    ]


def test_flags_override_config(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, SHORT)
    (in_tmp / "skillkit.toml").write_text('target = "codex"\nignore = ["SK121", "SK122"]\n')
    assert lint(capsys, ".") == (0, [])
    # --select starts the selection afresh (the config's ignore no longer applies) ...
    _code, lines = lint(capsys, "--select", "SK121", ".")
    assert [line.split(": ")[1].split()[0] for line in lines] == ["SK121"]
    # ... --target replaces the config's target.
    main(["config", "--format", "json", "--target", "spec"])
    shown = json.loads(capsys.readouterr().out)
    assert shown["settings"]["target"] == {"value": "spec", "source": "--target"}


def test_config_flag_and_isolated(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, SHORT)
    (in_tmp / "skillkit.toml").write_text('ignore = ["SK121", "SK122"]\n')
    (in_tmp / "other.toml").write_text('ignore = ["SK122"]\n')
    assert lint(capsys, ".") == (0, [])
    _code, lines = lint(capsys, "--isolated", ".")
    assert len(lines) == 2
    _code, lines = lint(capsys, "--config", "other.toml", ".")
    assert [line.split(": ")[1].split()[0] for line in lines] == ["SK121"]
    assert main(["lint", "--config", "missing.toml", "."]) == 2
    assert "missing.toml: config file not found" in capsys.readouterr().err
    (in_tmp / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert main(["lint", "--config", "pyproject.toml", "."]) == 2
    assert "pyproject.toml: no [tool.skillkit] table" in capsys.readouterr().err


def test_per_file_ignores_and_exclude(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp / "legacy", SHORT)
    write_skill(in_tmp / "vendor", SHORT)
    write_skill(in_tmp / "new", SHORT)
    (in_tmp / "skillkit.toml").write_text(
        'exclude = ["vendor/"]\n[per-file-ignores]\n"legacy/*/SKILL.md" = ["SK12"]\n'
    )
    _code, lines = lint(capsys, ".")
    assert {line.split(":")[0] for line in lines} == {"new/demo/SKILL.md"}
    # A file named on the command line (as pre-commit names them) is excluded too.
    assert lint(capsys, "vendor/demo/SKILL.md") == (0, [])
    # From a subfolder, the patterns stay relative to the config's folder.
    os.chdir(in_tmp / "legacy")
    assert lint(capsys, ".") == (0, [])


BAD_CONFIGS = [
    ('selct = ["SK1"]\n', 1, "unknown key `selct`; did you mean `select`?"),
    ('ignore = [\n  "SK121",\n  "SK999",\n]\n', 3, "unknown rule code or prefix `SK999`"),
    ('target = "vibrun"\n', 1, "`target` cannot be `vibrun`; did you mean `viberun`?"),
    ('max-file-bytes = "big"\n', 1, "`max-file-bytes` must be an integer, not a string"),
    ('[severity]\nSK121 = "eror"\n', 2, "`severity.SK121` cannot be `eror`; did you mean `error`?"),
    ('[severity]\nSK9999 = "error"\n', 2, "unknown rule code or prefix `SK9999`"),
    (
        "[options]\nmin-description-lenght = 3\n",
        2,
        "unknown key `min-description-lenght` in `options`; did you mean `min-description-length`?",
    ),
    (
        '[options]\nmin-description-length = "3"\n',
        2,
        "`options.min-description-length` must be an integer, not a string",
    ),
    (
        '[[guardrails]]\nprefix = "a"\nmessage = "x"\n\n[[guardrails]]\nmessage = "y"\n',
        5,
        "`guardrails[1]` needs exactly one of `prefix` or `pattern`",
    ),
    (
        'guardrails = [\n  {prefix = "a", message = "x"},\n  {pattern = "(", message = "y"},\n]\n',
        3,
        "`guardrails[1].pattern` is not a regular expression",
    ),
    ("render = 3\n", 1, "`render` must be a table, not an integer"),
    ('select = "SK1"\n', 1, "`select` must be an array of strings, not a string"),
    ('[per-file-ignores]\n"a/*" = ["SK1", "bogus"]\n', 2, "unknown rule code or prefix `bogus`"),
    ("select = [\n", None, "invalid TOML"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_CONFIGS)
def test_invalid_config_exits_2_with_file_line_and_hint(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], text: str, line: int | None, message: str
) -> None:
    write_skill(in_tmp, SHORT)
    (in_tmp / "skillkit.toml").write_text(text)
    assert main(["lint", "."]) == 2
    err = capsys.readouterr().err
    where = f"skillkit.toml:{line}: " if line else "skillkit.toml"
    assert where in err and message in err, err
    assert "Traceback" not in err


def test_invalid_pyproject_reports_the_line_in_pyproject(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, SHORT)
    (in_tmp / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.skillkit]\ntarget = "codex"\nbogus = 1\n'
    )
    assert main(["lint", "."]) == 2
    err = capsys.readouterr().err
    assert err.startswith("skillkit: error: pyproject.toml:6: unknown key `bogus`")


def test_config_command_shows_sources(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "skillkit.toml").write_text(
        '# team settings\ntarget = "viberun"\n\n[options]\nmin-description-length = 60\n'
    )
    assert main(["config"]) == 0
    out = capsys.readouterr().out.splitlines()
    # Relative to the working folder, as the README shows it.
    assert out[1] == "# config: skillkit.toml"
    assert 'target = "viberun"'.ljust(40) + " # skillkit.toml:2" in out
    assert any(line.startswith("max-file-bytes = 1000000") and "# default" in line for line in out)
    assert main(["config", "--format", "json", "--isolated"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["config"] is None
    assert shown["settings"]["target"] == {"value": "spec", "source": "default"}
    assert "SK101" in shown["rules"]


def test_config_schema_is_valid_and_matches_the_validator(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config-schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft7Validator.check_schema(schema)
    good = {
        "target": "viberun",
        "select": ["SK1", "SK301"],
        "ignore": ["description-no-trigger"],
        "per-file-ignores": {"legacy/*": ["SK122"]},
        "severity": {"SK121": "error"},
        "options": {"min-description-length": 60},
        "guardrails": [{"prefix": "rm -rf", "message": "no", "severity": "error"}],
        "render": {"anything": {"goes": True}},
        "max-file-bytes": 5000,
    }
    jsonschema.validate(good, schema)
    for bad in (
        {"selct": ["SK1"]},
        {"target": "vibrun"},
        {"severity": {"SK121": "eror"}},
        {"options": {"min-description-length": "3"}},
        {"guardrails": [{"message": "no prefix nor pattern"}]},
        {"render": 3},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_readme_config_example_loads(tmp_path: Path) -> None:
    """The configuration example in the README is a valid config."""
    from skillkit.config.files import load_config

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```toml\n# skillkit.toml") + len("```toml\n")
    example = readme[start : readme.index("```", start)]
    (tmp_path / "skillkit.toml").write_text(example)
    settings = load_config(tmp_path / "skillkit.toml").settings
    assert settings.target == "viberun"
    assert settings.options == {"min-description-length": 60}


def test_a_non_skill_file_under_templates_is_left_out(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pre-commit hook names files under templates/; without a render plan they are some
    other tool's templates, not skills."""
    page = in_tmp / "app" / "templates" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html></html>\n")
    assert main(["lint", "--isolated", "app/templates/index.html"]) == 0
    assert capsys.readouterr().out == "All clean: 0 files checked.\n"


def test_shared_sections_are_checked_and_shown_with_the_targets_default(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, SHORT)
    (in_tmp / "skillkit.toml").write_text('shared-sections = "Guardrails"\n')
    assert main(["lint", "."]) == 2
    assert "skillkit.toml:1: `shared-sections` must be an array" in capsys.readouterr().err
    (in_tmp / "skillkit.toml").write_text("shared-sections = [3]\n")
    assert main(["lint", "."]) == 2
    assert "skillkit.toml:1: `shared-sections[0]` must be a string, not an integer" in (
        capsys.readouterr().err
    )
    (in_tmp / "skillkit.toml").write_text('target = "viberun"\n')
    assert main(["config", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["settings"]["shared-sections"] == {
        "value": [
            "Version freshness",
            "Language/tooling preferences",
            "Guardrails",
            "Snapshot guidance",
        ],
        "source": "default",
    }
    (in_tmp / "skillkit.toml").write_text('shared-sections = ["Setup", "*"]\n')
    assert main(["config", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)["settings"]["shared-sections"]
    assert shown == {"value": ["Setup", "*"], "source": f"{in_tmp / 'skillkit.toml'}:1"}
