"""`lint --add-suppressions` adds comments and changes nothing else: the Markdown blocks (as
markdown-it-py parses them, the added comments apart) and the front-matter values are the same,
every finding is suppressed, and no comment it adds is unused (issue 13, item 8)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from skillkit.add_suppressions import _front_matter_values
from skillkit.cli import main
from skillkit.parse import read_skill
from tests.helpers import CORPUS, REPO_SKILL_FILES, corpus_cases, write_skill

FRONT = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n---\n"
)
COMMENT = "<!-- skillkit:"


def structure(path: Path) -> tuple[object, list[tuple[str, str, int, str, str]]]:
    skill = read_skill(path)
    body = "\n".join(skill.lines[skill.body_start_line - 1 :])
    return _front_matter_values(skill), _tokens_without_comments(body)


def _tokens_without_comments(body: str) -> list[tuple[str, str, int, str, str]]:
    return [
        (token.type, token.tag, token.nesting, token.markup, token.content)
        for token in MarkdownIt("commonmark").enable("table").parse(body)
        if not (token.type == "html_block" and token.content.strip().startswith(COMMENT))
    ]


def add_and_check(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Add suppressions to the one SKILL.md under `folder`; check it; return its new text."""
    [path] = folder.rglob("SKILL.md")
    before = structure(path)
    run = ["lint", "--isolated", "--no-cache", "--select", "ALL"]
    assert main([*run, "--add-suppressions", str(folder)]) == 0
    capsys.readouterr()
    assert structure(path) == before
    text = path.read_text(encoding="utf-8")
    # Every finding suppressed, no suppression unused (SK901) or broken (SK902).
    assert main([*run, "--format", "concise", str(folder)]) == 0
    assert capsys.readouterr().out == ""
    # And a second run adds nothing.
    assert main([*run, "--add-suppressions", str(folder)]) == 0
    assert path.read_text(encoding="utf-8") == text
    capsys.readouterr()
    return text


CORPUS_SKILLS = sorted(CORPUS.rglob("SKILL.md")) if CORPUS.is_dir() else []


@pytest.mark.parametrize(
    "source",
    [
        *[pytest.param(path, id=f"repo/{path.parent.name}") for path in REPO_SKILL_FILES],
        *corpus_cases(CORPUS_SKILLS, lambda path: path.parent.relative_to(CORPUS).as_posix()),
    ],
)
def test_corpus_structure_is_unchanged(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / source.parent.name
    shutil.copytree(source.parent, folder, symlinks=True)
    add_and_check(folder, capsys)


BODY = "\n# Demo\n\n"
CASES = {
    "table": (
        "| Step | Where |\n| --- | --- |\n| one | [a](missing.md) |\n| two | here |\n\nAfter.\n",
        "<!-- skillkit: disable SK501 -->\n| Step | Where |\n| --- | --- |\n"
        "| one | [a](missing.md) |\n| two | here |\n<!-- skillkit: enable SK501 -->\n\nAfter.\n",
    ),
    "list": (
        "- one\n- two [a](missing.md)\n- three\n",
        "<!-- skillkit: disable SK501 -->\n- one\n- two [a](missing.md)\n- three\n"
        "<!-- skillkit: enable SK501 -->\n",
    ),
    "quote": (
        "> one\n> two [a](missing.md)\n\nAfter.\n",
        "<!-- skillkit: disable SK501 -->\n> one\n> two [a](missing.md)\n"
        "<!-- skillkit: enable SK501 -->\n\nAfter.\n",
    ),
    "paragraph": (
        "One line,\nthen [a](missing.md).\n",
        "<!-- skillkit: disable SK501 -->\nOne line,\nthen [a](missing.md).\n"
        "<!-- skillkit: enable SK501 -->\n",
    ),
    "first-line": (
        "See [a](missing.md),\nthen more.\n",
        "<!-- skillkit: disable-next-line SK501 -->\nSee [a](missing.md),\nthen more.\n",
    ),
    "nested-fence": (
        "1. Run:\n\n   ```sh\n   vrctl service rm web\n   ```\n2. Done.\n",
        "<!-- skillkit: disable SK401 -->\n1. Run:\n\n   ```sh\n   vrctl service rm web\n"
        "   ```\n2. Done.\n<!-- skillkit: enable SK401 -->\n",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_comments_go_around_whole_blocks(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body, expected = CASES[name]
    write_skill(tmp_path, FRONT + BODY + body)
    assert add_and_check(tmp_path, capsys) == FRONT + BODY + expected


def test_where_no_block_form_keeps_the_document_disable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An HTML block runs to the next blank line: an `enable` after `</div>` would be part of it.
    body = "<div>\n[a](missing.md)\n</div>\nText.\n"
    write_skill(tmp_path, FRONT + BODY + body)
    assert add_and_check(tmp_path, capsys) == (
        FRONT + "<!-- skillkit: disable-file SK501 -->\n" + BODY + body
    )


def test_no_front_matter_gets_disable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A line form cannot work: the finding is on line 1 whatever is above it.
    write_skill(tmp_path, "# Demo\n\nBody.\n")
    assert add_and_check(tmp_path, capsys) == (
        "<!-- skillkit: disable-file SK101 -->\n# Demo\n\nBody.\n"
    )


def test_front_matter_comment_goes_above_the_key_not_into_its_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "---\nname: demo\ndescription: |\n  Formats CSV files.\n  Use when: asked.\n---\n"
    write_skill(tmp_path, text + BODY)
    assert add_and_check(tmp_path, capsys) == (
        text.replace("description:", "# skillkit: ignore SK121\ndescription:") + BODY
    )


def test_a_finding_inside_yaml_text_gets_disable_file() -> None:
    """A finding on a line inside a `|` block (no rule gives one yet: made by hand) is never
    answered with a comment line there, which would be a line of the description."""
    from skillkit.add_suppressions import suppression_text
    from skillkit.diagnostics import Diagnostic, Severity
    from skillkit.model import Span
    from skillkit.parse import parse_text

    text = "---\nname: demo\ndescription: |\n  Formats CSV files.\n  key: value\n---\n"
    skill = parse_text(text + BODY)
    found = Diagnostic("SKILL.md", Span.at(5), "SK121", "x", Severity.ERROR, "m")
    assert suppression_text(skill, [found]) == (
        text + "<!-- skillkit: disable-file SK121 -->\n" + BODY,
        1,
    )
