"""`--fix` never loses a byte it should keep: it converges, deletes no content, reverts no save,
and never makes a file worse (issue 13, items 4-7)."""

from __future__ import annotations

from pathlib import Path

import pytest

import skillkit.commands.lint_changes
import skillkit.fix
from skillkit.cli import main
from skillkit.fix import FileFix, fix_file
from skillkit.parse import read_skill
from skillkit.settings import Settings
from tests.helpers import check, write_skill

FRONT = "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n"
GOOD = FRONT + "---\n\n# Demo\n\nBody.\n"


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", "--isolated", "--no-cache", "--format", "concise", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- Item 4: a last line ending in a lone CR ------------------------------------------------------


def test_fix_of_a_last_line_ending_in_a_lone_cr_converges(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_skill(in_tmp, (GOOD.removesuffix("\n") + "\r").encode())
    assert lint(capsys, "--fix", ".") == (0, "", "Fixed 1 finding.\n")
    # The `\n` goes after the `\r` (before it, every run added a blank line and a new `\r`).
    assert path.read_bytes() == (GOOD.removesuffix("\n") + "\r\n").encode()
    assert lint(capsys, "--fix", ".") == (0, "", "")
    assert path.read_bytes() == (GOOD.removesuffix("\n") + "\r\n").encode()


# --- Item 5: suppression look-alikes inside YAML text; anchors and tags kept -------------------

LITERAL = FRONT.replace(
    "description: Formats CSV files. Use when the user asks to tidy a CSV.\n",
    "description: |\n  Formats CSV files. Use when the user asks to tidy a CSV.\n"
    "  # skillkit: ignore SK107\n  Keeps the header.\n",
)
QUOTED = FRONT.replace(
    "description: Formats CSV files. Use when the user asks to tidy a CSV.\n",
    'description: "Formats CSV files. # skillkit: ignore SK107\n'
    '  # skillkit: ignore SK106\n  Use when the user asks to tidy a CSV."\n',
)


@pytest.mark.parametrize("front", [LITERAL, QUOTED], ids=["literal-block", "quoted"])
def test_a_suppression_inside_yaml_text_is_text(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], front: str
) -> None:
    path = write_skill(in_tmp, front + "---\n\n# Demo\n\nBody.\n")
    before = path.read_bytes()
    # Not a suppression: no SK901, and `--fix` deletes no line of the description.
    assert lint(capsys, "--select", "ALL", ".") == (0, "", "")
    assert lint(capsys, "--select", "ALL", "--fix", "--unsafe-fixes", ".") == (0, "", "")
    assert path.read_bytes() == before


def test_a_real_comment_after_a_quoted_string_is_still_a_suppression(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = QUOTED.replace('a CSV."\n', 'a CSV." # skillkit: ignore SK106\n') + "---\n\n# Demo\n"
    write_skill(in_tmp, text)
    assert lint(capsys, "--select", "SK901,SK106", ".") == (
        0,
        "demo/SKILL.md:5:42: SK901 unused suppression: SK106 (no SK106 finding on line 5)\n",
        "",
    )


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("name: &d yes\n", 'name: &d "yes"\n'),
        ("name: &d\n  yes\n", 'name: &d\n  "yes"\n'),
        ("name: &d # the name\n  yes\n", 'name: &d # the name\n  "yes"\n'),
    ],
)
def test_value_fixes_keep_the_anchor_and_tag(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], written: str, fixed: str
) -> None:
    # SK106 quotes the value only: `&d` stays, and the `*d` below still has its anchor.
    text = FRONT.replace("name: demo\n", written) + "metadata:\n  again: *d\n---\n"
    path = write_skill(in_tmp, text, "yes")
    assert lint(capsys, "--select", "SK106", "--fix", ".") == (0, "", "Fixed 1 finding.\n")
    assert path.read_text() == text.replace(written, fixed)


def test_name_fix_keeps_the_anchor(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = FRONT.replace("name: demo\n", "name: !!str &n other\n") + "metadata:\n  a: *n\n---\n"
    path = write_skill(in_tmp, text)
    assert lint(capsys, "--select", "SK112", "--fix", ".") == (0, "", "Fixed 1 finding.\n")
    assert path.read_text() == text.replace("!!str &n other", "!!str &n demo")


# --- Item 6: a save made while --fix works is not reverted ----------------------------------------


def test_a_save_during_fix_is_kept(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_skill(in_tmp, GOOD.removesuffix("\n"))
    saved = GOOD + "\nSaved by the editor.\n"

    def fix_then_save(path: Path, settings: Settings, unsafe: bool = False) -> FileFix:
        outcome = fix_file(path, settings, unsafe)
        path.write_text(saved)  # the user saves between the read and the rename
        return outcome

    # Where lint's --fix looks it up.
    monkeypatch.setattr(skillkit.commands.lint_changes, "fix_file", fix_then_save)
    code, _out, err = lint(capsys, "--fix", ".")
    assert (code, err) == (
        2,
        "skillkit: error: demo/SKILL.md changed while it was being fixed; "
        "it was left as it is now (run --fix again)\n",
    )
    assert path.read_text() == saved
    assert sorted(p.name for p in path.parent.iterdir()) == ["SKILL.md"]  # no temporary left


def test_a_save_during_add_suppressions_is_kept(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import skillkit.add_suppressions

    path = write_skill(in_tmp, GOOD.replace("Body.", "Body [x](missing.md)."))
    saved = GOOD + "\nSaved by the editor.\n"
    real = skillkit.add_suppressions.suppression_text

    def add_then_save(*args: object) -> tuple[str, int]:
        out = real(*args)  # type: ignore[arg-type]
        path.write_text(saved)
        return out

    # Where lint's --add-suppressions looks it up.
    monkeypatch.setattr(skillkit.commands.lint_changes, "suppression_text", add_then_save)
    code, _out, err = lint(capsys, "--add-suppressions", ".")
    assert code == 0
    assert err == (
        "skillkit: error: demo/SKILL.md changed while suppressions were being added; "
        "it was left as it is now\nAdded 0 suppressions.\n"
    )
    assert path.read_text() == saved


# --- Item 7: a fix never makes a file worse -------------------------------------------------------


def test_removing_an_unused_disable_removes_its_enable(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GOOD + "\n<!-- skillkit: disable SK204 -->\nText.\n<!-- skillkit: enable SK204 -->\n"
    path = write_skill(in_tmp, text)
    assert lint(capsys, "--select", "ALL", "--fix", ".") == (0, "", "Fixed 1 finding.\n")
    assert path.read_text() == GOOD + "\nText.\n"


def test_removing_one_code_of_a_disable_keeps_the_others_in_its_enable(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GOOD + (
        "\n<!-- skillkit: disable SK204, SK501 -->\n[x](missing.md)\n"
        "<!-- skillkit: enable SK204, SK501 -->\n"
    )
    path = write_skill(in_tmp, text)
    assert lint(capsys, "--select", "ALL", "--fix", ".") == (0, "", "Fixed 1 finding.\n")
    assert path.read_text() == GOOD + (
        "\n<!-- skillkit: disable SK501 -->\n[x](missing.md)\n<!-- skillkit: enable SK501 -->\n"
    )


def test_cmd_split_quotes_what_the_shell_would_change(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    block = '```sh\nvrctl service add web --cmd "python app.py #1"\n```\n'
    path = write_skill(in_tmp, GOOD + "\n" + block)
    assert lint(capsys, "--select", "SK407,SK410", "--fix", "--unsafe-fixes", ".") == (
        0,
        "",
        "Fixed 2 findings.\n",
    )
    assert path.read_text() == GOOD + (
        "\n```sh\nvrctl service add web --cmd python --arg app.py --arg '#1' "
        "--cwd /home/viberun/app\n```\n"
    )


def test_a_fix_that_leaves_its_finding_is_rolled_back(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The general guarantee, whatever the rule: a fix after which its rule still finds as much
    # (here SK410 appending `--cwd` as the value of a bare `--arg`, once a pass, for ever) is not
    # applied, and the passes end.
    block = "```sh\nvrctl service add web --cmd python --arg #1\n```\n"
    path = write_skill(in_tmp, GOOD + "\n" + block)
    before = path.read_bytes()
    passes: list[int] = []
    real = skillkit.fix._attempt

    def counted(*args: object) -> object:
        passes.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(skillkit.fix, "_attempt", counted)
    code, out, err = lint(capsys, "--select", "SK410", "--fix", "--unsafe-fixes", ".")
    assert (code, err) == (0, "")
    assert out.startswith("demo/SKILL.md:11:1: SK410 ")
    assert path.read_bytes() == before
    assert len(passes) == 2  # the pass, then the rule alone: refused, not tried again


def test_a_fix_that_adds_findings_is_rolled_back(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from skillkit.diagnostics import Edit, Fix
    from skillkit.engine.check import FileResult
    from skillkit.model import Span

    path = write_skill(in_tmp, GOOD.removesuffix("\n"))
    skill = read_skill(path)
    settings = Settings(select=("ALL",))
    before = check(skill, settings)
    # A "fix" of SK204 that also spoils the name and opens a fence: refused.
    edits = (Edit(Span(2, 7, 2, 11), "Bad_Name"), Edit(Span.at(7), "```\n"))
    worse = Fix("x", (*edits, Edit(Span.at(8, 6, 0), "\n")))
    assert skillkit.fix._attempt(skill, before, [("SK204", worse)], settings, None) is None
    good = Fix("x", (Edit(Span.at(8, 6, 0), "\n"),))
    attempt = skillkit.fix._attempt(skill, before, [("SK204", good)], settings, None)
    assert attempt is not None and attempt[0].text == GOOD and isinstance(attempt[1], FileResult)
