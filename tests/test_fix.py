"""Fixes through the command line: --fix, --unsafe-fixes, --diff; exact bytes for LF, CRLF and
BOM files; no overlaps; a second --fix changes nothing; atomic writes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from skillkit.cli import main
from skillkit.context import Context
from skillkit.diagnostics import Edit, Fix
from skillkit.engine.check import FileResult
from skillkit.fix import _Lines, apply_edits, choose_fixes
from skillkit.model import Skill, Span
from tests.helpers import write_skill

GOOD_DESCRIPTION = "description: Formats CSV files. Use when the user asks to tidy a CSV."


def fix(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", "--isolated", "--format", "concise", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_fix_quotes_and_renames_then_changes_nothing(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SK106 (quote `no`) and SK112 (name ← folder) edit the same span: one per pass.
    path = write_skill(in_tmp, f"---\nname: no\n{GOOD_DESCRIPTION}\n---\n\n# Demo\n", "tidy")
    code, out, err = fix(capsys, "--fix", ".")
    assert (code, out, err) == (0, "", "Fixed 2 findings.\n")
    assert path.read_text() == f"---\nname: tidy\n{GOOD_DESCRIPTION}\n---\n\n# Demo\n"
    before = path.read_bytes()
    assert fix(capsys, "--fix", ".") == (0, "", "")
    assert path.read_bytes() == before


def test_fix_keeps_crlf_and_bom(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = f"\ufeff---\r\nname: yes\r\n{GOOD_DESCRIPTION}\r\n---\r\n\r\n# Demo\r\n\r\nSteps."
    path = write_skill(in_tmp, text.encode("utf-8"), "yes")
    code, _out, err = fix(capsys, "--fix", ".")
    assert code == 0 and err == "Fixed 2 findings.\n"
    assert (
        path.read_bytes()
        == (
            f'\ufeff---\r\nname: "yes"\r\n{GOOD_DESCRIPTION}\r\n---\r\n\r\n# Demo\r\n\r\nSteps.\r\n'
        ).encode()
    )
    assert fix(capsys, "--fix", ".") == (0, "", "")


def test_fix_spans_count_characters_not_bytes(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f"\ufeff---\nname: demo\n{GOOD_DESCRIPTION}\nmetadata:\n  größe: on\n---\n"
    path = write_skill(in_tmp, text.encode(), "demo")
    assert fix(capsys, "--fix", "--select", "SK106", ".") == (0, "", "Fixed 1 finding.\n")
    assert (
        path.read_bytes()
        == (f'\ufeff---\nname: demo\n{GOOD_DESCRIPTION}\nmetadata:\n  größe: "on"\n---\n').encode()
    )


def test_diff_shows_without_writing(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_skill(in_tmp, f"---\nname: no\n{GOOD_DESCRIPTION}\n---\n\nSteps.", "no")
    before = path.read_bytes()
    code, out, err = fix(capsys, "--diff", ".")
    assert code == 1
    assert out == (
        '--- a/no/SKILL.md\n+++ b/no/SKILL.md\n@@ -1,6 +1,6 @@\n ---\n-name: no\n+name: "no"\n'
        f" {GOOD_DESCRIPTION}\n ---\n \n-Steps.\n\\ No newline at end of file\n+Steps.\n"
    )
    assert err == "Would fix 2 findings in 1 file.\n"
    assert path.read_bytes() == before
    fix(capsys, "--fix", ".")
    assert fix(capsys, "--diff", ".") == (0, "", "")


@pytest.fixture
def lint_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times each skill (by its path) was linted: `check_skill` counted."""
    import skillkit.engine.check
    import skillkit.engine.per_file
    import skillkit.fix

    calls: dict[str, int] = {}
    real = skillkit.engine.check.check_skill

    def counting(skill: Skill, context: Context, path: str | None = None) -> FileResult:
        calls[str(skill.path)] = calls.get(str(skill.path), 0) + 1
        return real(skill, context, path)

    # Counted wherever it is called from: the lint and the fix loop each import it.
    monkeypatch.setattr(skillkit.engine.check, "check_skill", counting)
    monkeypatch.setattr(skillkit.engine.per_file, "check_skill", counting)
    monkeypatch.setattr(skillkit.fix, "check_skill", counting)
    return calls


def _tidy_and_clean(root: Path) -> tuple[Path, Path]:
    """A skill with one safe fix (its name) and one with none."""
    fixed = write_skill(root, f"---\nname: other\n{GOOD_DESCRIPTION}\n---\n\n# Demo\n", "tidy")
    # (Another description: two skills with one description compete, SK603.)
    other = "description: Fills PDF forms. Use when the user has a PDF form to complete."
    clean = write_skill(root, f"---\nname: clean\n{other}\n---\n\n# Demo\n", "clean")
    return fixed, clean


@pytest.mark.parametrize("cache", [(), ("--no-cache",)])
def test_fix_lints_each_file_once(
    in_tmp: Path,
    capsys: pytest.CaptureFixture[str],
    lint_calls: dict[str, int],
    cache: tuple[str, ...],
) -> None:
    """The fix loop's lints are the report: no lint before it to find the files, none after it.
    A file with one fix takes two passes (fix, then nothing left); a clean file one."""
    fixed, clean = _tidy_and_clean(in_tmp)
    assert fix(capsys, *cache, "--fix", ".") == (0, "", "Fixed 1 finding.\n")
    assert lint_calls == {str(fixed.relative_to(in_tmp)): 2, str(clean.relative_to(in_tmp)): 1}


@pytest.mark.parametrize("cache", [(), ("--no-cache",)])
def test_diff_lints_each_file_once(
    in_tmp: Path,
    capsys: pytest.CaptureFixture[str],
    lint_calls: dict[str, int],
    cache: tuple[str, ...],
) -> None:
    """--diff's fix passes are its only lints: no lint before them to find the files. A file with
    one fix takes two passes (fix, then nothing left); a clean file one."""
    fixed, clean = _tidy_and_clean(in_tmp)
    before = fixed.read_bytes()
    assert fix(capsys, *cache, "--diff", ".") == (
        1,
        "--- a/tidy/SKILL.md\n+++ b/tidy/SKILL.md\n@@ -1,5 +1,5 @@\n ---\n-name: other\n"
        f"+name: tidy\n {GOOD_DESCRIPTION}\n ---\n \n",
        "Would fix 1 finding in 1 file.\n",
    )
    assert lint_calls == {str(fixed.relative_to(in_tmp)): 2, str(clean.relative_to(in_tmp)): 1}
    assert fixed.read_bytes() == before


def test_fix_leaves_no_temporary_files_and_keeps_the_mode(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_skill(in_tmp, f"---\nname: no\n{GOOD_DESCRIPTION}\n---\n", "no")
    path.chmod(0o640)
    fix(capsys, "--fix", ".")
    assert sorted(p.name for p in path.parent.iterdir()) == ["SKILL.md"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_overlapping_edits_are_skipped() -> None:
    lines = _Lines("abcdef\nghi\n")
    first = Fix("a", (Edit(Span(1, 2, 1, 4), "X"),))
    overlapping = Fix("b", (Edit(Span(1, 3, 1, 5), "Y"),))
    same_point = Fix("c", (Edit(Span(1, 2, 1, 2), "Z"),))
    touching = Fix("d", (Edit(Span(1, 4, 2, 1), ""),))
    edits, count = choose_fixes([first, overlapping, same_point, touching], lines)
    assert count == 2
    assert apply_edits("abcdef\nghi\n", [e for f in (first, touching) for e in f.edits]) == (
        "aXghi\n"
    )
    assert sorted(edits) == [(1, 3, "X"), (3, 7, "")]


def test_edit_spans_on_crlf_text_keep_line_ends() -> None:
    text = "one\r\ntwo\r\n"
    # End of line 1's content is column 4 (before the \r); a new line in a replacement is CRLF.
    assert apply_edits(text, [Edit(Span(1, 4, 1, 4), "\nmore")]) == "one\r\nmore\r\ntwo\r\n"
    # A span to (line + 1, 1) takes the whole line with its CRLF.
    assert apply_edits(text, [Edit(Span(1, 1, 2, 1), "")]) == "two\r\n"
    # Past the last line: the end of the text.
    assert apply_edits(text, [Edit(Span(3, 1, 3, 1), "three")]) == "one\r\ntwo\r\nthree"
