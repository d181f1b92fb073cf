"""SK5xx: exact findings (code, line, column, message) of the reference rules."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from skillkit.context import LISTED, Files
from skillkit.rules.references import code_path, exists_in, link_path
from tests.helpers import lint_text

FRONT = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n---\n"
)


def found(
    tmp_path: Path, body: str, code: str, files: Mapping[str, str] | None = None
) -> list[tuple[str, int, int, str]]:
    diagnostics = lint_text(tmp_path, FRONT + body, files=files, select=(code,))
    return [(d.code, d.span.line, d.span.column, d.message) for d in diagnostics]


FORMS = {"references/forms.md": "# Forms\n", "scripts/fill_form.py": "print('ok')\n"}

# SK501 link-target-missing


def test_a_link_to_a_missing_file(tmp_path: Path) -> None:
    assert found(tmp_path, "\nSee [the guide](references/guide.md).\n", "SK501") == [
        ("SK501", 6, 17, "link target `references/guide.md` does not exist in the skill folder")
    ]


def test_a_near_miss_gets_a_suggestion(tmp_path: Path) -> None:
    body = "\nSee [forms](references/form.md) and [the script](./Scripts/fill_form.py).\n"
    assert found(tmp_path, body, "SK501", FORMS) == [
        (
            "SK501",
            6,
            13,
            "link target `references/form.md` does not exist in the skill folder; did you mean "
            "`references/forms.md`?",
        ),
        # Names are compared exactly: `Scripts` is missing on Linux even when macOS finds it.
        (
            "SK501",
            6,
            50,
            "link target `./Scripts/fill_form.py` does not exist in the skill folder; did you "
            "mean `scripts/fill_form.py`?",
        ),
    ]


def test_a_missing_image_and_a_missing_reference_definition(tmp_path: Path) -> None:
    body = "\n![logo](assets/logo.png)\n\n[guide]: references/guide.md\n"
    assert found(tmp_path, body, "SK501") == [
        ("SK501", 6, 9, "image `assets/logo.png` does not exist in the skill folder"),
        ("SK501", 8, 10, "link target `references/guide.md` does not exist in the skill folder"),
    ]


def test_existing_targets_pass_with_fragments_queries_and_escapes(tmp_path: Path) -> None:
    files = {**FORMS, "references/my notes.md": "x\n"}
    body = (
        "\n[a](references/forms.md#fields) [b](./scripts/fill_form.py?raw=1) "
        "[c](references/my%20notes.md) [d](<references/my notes.md>) [e](references/)\n"
    )
    assert found(tmp_path, body, "SK501", files) == []


@pytest.mark.parametrize(
    "target",
    [
        "https://example.com/guide.md",
        "mailto:team@example.com",
        "#usage",
        "/etc/hosts.md",
        "~/notes.md",
        "{lang}/README.md",
        "references/*.md",
        "C:/guide.md",
    ],
)
def test_urls_anchors_absolute_paths_and_placeholders_are_not_checked(
    tmp_path: Path, target: str
) -> None:
    assert link_path(target) is None
    assert found(tmp_path, f"\n[x]({target})\n", "SK501") == []


def test_links_in_code_are_not_links(tmp_path: Path) -> None:
    body = "\n```md\n[x](missing.md)\n```\n\n`[y](missing.md)`\n"
    assert found(tmp_path, body, "SK501") == []


def _links_out(root: Path, folder: str, target: str = "spec") -> list[tuple[str, int, str]]:
    readme = (root / folder).parent.parent / "README.md"  # what `../../README.md` names
    readme.parent.mkdir(parents=True, exist_ok=True)
    readme.write_text("x\n")
    body = "\nSee [the readme](../../README.md) and [gone](../gone.md).\n"
    diagnostics = lint_text(root, FRONT + body, folder=folder, target=target, select=("SK501",))
    return [(d.severity.name, d.span.column, d.message) for d in diagnostics]


GONE = (46, "link target `../gone.md` does not exist in the skill folder")


def test_a_link_out_of_the_folder_breaks_where_the_skill_is_installed(tmp_path: Path) -> None:
    # Issue 12, item 16: a skill distributed as its own folder loses what lies outside it.
    assert _links_out(tmp_path / "a", "skills/demo") == [
        (
            "WARNING",
            18,
            "link target `../../README.md` is outside the skill folder: it resolves here, but "
            "a spec skill is installed as its own folder, without this file, so the link breaks "
            "once installed",
        ),
        ("ERROR", *GONE),
    ]
    viberun = _links_out(tmp_path / "b", "skills/demo", target="viberun")
    assert viberun[0][2].startswith(
        "link target `../../README.md` is outside the skill folder: it resolves here, but "
        "viberun installs it as its own folder,"
    )


def test_a_link_out_of_the_folder_works_in_place_and_inside_its_plugin(tmp_path: Path) -> None:
    # Read in place (`.claude/skills` of an application repository): the file is there.
    assert _links_out(tmp_path / "app", ".claude/skills/demo") == [("ERROR", *GONE)]
    # A plugin is installed whole: a link within it works, one out of it does not.
    plugin = tmp_path / "plugin"
    (plugin / ".claude-plugin").mkdir(parents=True)
    (plugin / ".claude-plugin" / "plugin.json").write_text('{"name": "p"}\n')
    assert _links_out(plugin, "skills/demo") == [("ERROR", *GONE)]
    outside = plugin / "skills" / "demo" / "SKILL.md"
    outside.write_text(FRONT + "\nSee [notes](../../../notes.md).\n")
    (tmp_path / "notes.md").write_text("x\n")
    diagnostics = lint_text(plugin, outside.read_text(), folder="skills/demo", select=("SK501",))
    assert [d.message for d in diagnostics] == [
        "link target `../../../notes.md` is outside the skill folder: it resolves here, but its "
        "plugin is installed by copying `plugin/`, without this file, so the link breaks once "
        "installed"
    ]


def test_bom_and_crlf_keep_columns(tmp_path: Path) -> None:
    text = "\ufeff" + (FRONT + "\nSee [g](gone.md).\n").replace("\n", "\r\n")
    diagnostics = lint_text(tmp_path, text.encode(), select=("SK501",))
    assert [(d.span.line, d.span.column, d.span.end_column) for d in diagnostics] == [(6, 9, 16)]


def test_a_file_added_between_runs_is_seen(tmp_path: Path) -> None:
    body = "\nSee [g](references/guide.md).\n"
    assert len(found(tmp_path, body, "SK501")) == 1
    (tmp_path / "demo" / "references").mkdir()
    (tmp_path / "demo" / "references" / "guide.md").write_text("x\n")
    assert found(tmp_path, body, "SK501") == []


def test_exists_in_compares_every_name_exactly(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run.py").write_text("")
    assert exists_in(Files(), tmp_path, "scripts/run.py")
    assert exists_in(Files(), tmp_path, "./scripts//run.py")
    assert not exists_in(Files(), tmp_path, "scripts/Run.py")
    assert not exists_in(Files(), tmp_path, "scripts/run.py/x")


def test_exists_in_with_listings_remembers_each_directory(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run.py").write_text("")
    files = Files()
    assert exists_in(files, tmp_path, "scripts/run.py")
    assert not exists_in(files, tmp_path, "scripts/Run.py")
    assert not exists_in(files, tmp_path, "assets/logo.png")
    dependencies = files.dependencies()
    assert dependencies is not None
    assert {path for path, how, _stamp in dependencies if how == LISTED} == {
        str(tmp_path),
        str(tmp_path / "scripts"),
    }


def test_one_path_named_many_times_is_reported_at_each_span(tmp_path: Path) -> None:
    body = "\nRun `scripts/fill.py`.\n\nThen run `scripts/fill.py` again.\n"
    message = "path `scripts/fill.py` does not exist in the skill folder"
    assert found(tmp_path, body, "SK502", {"scripts/other.py": ""}) == [
        ("SK502", 6, 6, message),
        ("SK502", 8, 11, message),
    ]


# SK502 path-missing


def test_a_backticked_script_that_is_missing(tmp_path: Path) -> None:
    body = "\nRun `scripts/fill_form.py` on the input.\n"
    assert found(tmp_path, body, "SK502", {"scripts/extract.py": ""}) == [
        ("SK502", 6, 6, "path `scripts/fill_form.py` does not exist in the skill folder")
    ]


def test_a_backticked_near_miss_gets_a_suggestion(tmp_path: Path) -> None:
    body = "\nRun `scripts/fill-form.py`, then read `./references/forms.md`.\n"
    assert found(tmp_path, body, "SK502", FORMS) == [
        (
            "SK502",
            6,
            6,
            "path `scripts/fill-form.py` does not exist in the skill folder; did you mean "
            "`scripts/fill_form.py`?",
        )
    ]


def test_a_folder_the_skill_has_is_checked_too(tmp_path: Path) -> None:
    files = {"templates/base.html": "<html></html>\n"}
    body = "\nStart from `templates/viewer.html`.\n"
    assert found(tmp_path, body, "SK502", files) == [
        ("SK502", 6, 13, "path `templates/viewer.html` does not exist in the skill folder")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "src/app.py",  # not a folder of the skill: relative to the user's project
        "scripts/",  # a folder: skills name them to describe the layout
        "references",
        "fill_form.py",  # no `/`: a bare file name is too often not a path
        "~/.config/app.toml",
        "/tmp/scripts/x.py",
        "../shared/notes.md",
        "<dir>/scripts/x.py",
        "{lang}/README.md",
        "scripts/*.py",
        "scripts/x.py --dry-run",
        "https://example.com/scripts/x.py",
        "assets/v1.0",  # not a file extension: no letter in it
        "$HOME/scripts/x.py",
    ],
)
def test_what_is_not_a_skill_path(tmp_path: Path, text: str) -> None:
    assert found(tmp_path, f"\nSee `{text}`.\n", "SK502") == []


def test_code_path_normalises_a_leading_dot_slash() -> None:
    assert code_path("./scripts/x.py") == "scripts/x.py"
    assert code_path("scripts/x.tar.gz") == "scripts/x.tar.gz"
    assert code_path("scripts/x") is None


def test_example_sentences_and_lead_ins_are_not_claims(tmp_path: Path) -> None:
    body = (
        "\n- **Example**: `scripts/rotate_pdf.py` for PDF rotation tasks\n"
        "- Put schemas in references, e.g. `references/finance.md`.\n"
        "\nExample: when building a `pdf-editor` skill, the analysis shows:\n"
        "\n1. Rotating needs the same code each time\n"
        "2. A `scripts/rotate_pdf.py` script would help\n"
    )
    assert found(tmp_path, body, "SK502") == []


def test_an_example_elsewhere_on_the_line_does_not_excuse_a_path(tmp_path: Path) -> None:
    body = "\nSee the examples below. Then run `scripts/fill_form.py` on the input.\n"
    assert found(tmp_path, body, "SK502", {"scripts/extract.py": ""}) == [
        ("SK502", 6, 35, "path `scripts/fill_form.py` does not exist in the skill folder")
    ]


def test_paths_in_code_blocks_are_not_inline_code(tmp_path: Path) -> None:
    assert found(tmp_path, "\n```sh\npython `scripts/x.py`\n```\n", "SK502") == []


def test_odd_targets_are_findings_not_crashes(tmp_path: Path) -> None:
    body = "\n[a](x%00y.md) [b](../%00/z.md) [c](" + "a" * 300 + ".md)\n"
    diagnostics = lint_text(tmp_path, FRONT + body, select=("ALL",))
    assert [d.code for d in diagnostics if d.code.startswith("SK5")] == ["SK501"] * 3
    assert [d for d in diagnostics if d.code == "SK000"] == []


def test_a_path_is_checked_only_where_the_skill_folder_makes_the_claim(tmp_path: Path) -> None:
    # Issue 12, item 7: real skills name files of the plugin or repository root, of a clone,
    # files they write, and layout advice; none of these is a claim about the skill's folder.
    body = (
        "\nRun `python ${CLAUDE_PLUGIN_ROOT}/scripts/lint.py` or `scripts/lint.py` from the "
        "repository root.\n"
        "\nClone the repo, then edit `src/components/App.tsx`.\n"
        "\nPut long patterns in `references/patterns.md` and save results to "
        "`output/report.json`.\n"
        "\nSee [`references/old.md`](references/old.md) for the API.\n"
        "\nThen read `references/guide.md`.\n"
    )
    assert found(tmp_path, body, "SK502", {"references/api.md": "# API\n"}) == [
        ("SK502", 14, 12, "path `references/guide.md` does not exist in the skill folder")
    ]
