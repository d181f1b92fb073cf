"""`skillkit prompt`: the start-up block, checked against the reference validator's `to-prompt`
on the real corpus, and the token estimates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from skills_ref.errors import SkillError  # type: ignore[import-untyped]
from skills_ref.prompt import to_prompt  # type: ignore[import-untyped]

from skillkit.cli import main
from skillkit.rules.body import estimate_tokens
from tests.helpers import CORPUS, REPO_SKILL_FILES, corpus_cases, needs_shared, write_skill


def corpus_skill_folders() -> list[Path]:
    return sorted(path.parent for path in CORPUS.rglob("SKILL.md"))


def reference_prompt(folders: list[Path]) -> str | None:
    try:
        return str(to_prompt(folders))
    except SkillError:
        return None


@needs_shared
def test_corpus_is_there() -> None:
    assert len(corpus_skill_folders()) == 28


@pytest.mark.parametrize(
    "folder",
    [
        *corpus_cases(corpus_skill_folders(), lambda p: p.name),
        *(pytest.param(path.parent, id=path.parent.name) for path in REPO_SKILL_FILES),
    ],
)
def test_each_corpus_skill_matches_the_reference(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = reference_prompt([folder])
    code = main(["prompt", str(folder)])
    out = capsys.readouterr().out
    if expected is None:
        # The reference cannot read this skill's front matter; we must not invent an entry
        # that differs from what it would say about the others.
        pytest.skip("the reference validator rejects this skill")
    assert code == 0
    assert out == expected + "\n"


@needs_shared
def test_whole_corpus_in_one_block_matches_the_reference(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folders = [f for f in corpus_skill_folders() if reference_prompt([f]) is not None]
    assert len(folders) >= 25
    expected = to_prompt(folders)
    assert main(["prompt", *map(str, folders)]) == 0
    assert capsys.readouterr().out == expected + "\n"


def test_a_skill_file_and_its_folder_give_the_same_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_skill(
        tmp_path,
        "---\nname: demo\ndescription: Tests <things> & stuff. Use when testing.\n---\n# Demo\n",
    )
    main(["prompt", str(path)])
    by_file = capsys.readouterr().out
    main(["prompt", str(path.parent)])
    assert capsys.readouterr().out == by_file
    assert "Tests &lt;things&gt; &amp; stuff. Use when testing." in by_file
    assert by_file == to_prompt([path.parent]) + "\n"


def test_token_table_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "# Demo\n\n" + "word " * 100 + "\n"
    path = write_skill(
        tmp_path, f"---\nname: demo\ndescription: Does it. Use when asked.\n---\n{body}"
    )
    assert main(["prompt", str(path)]) == 0
    captured = capsys.readouterr()
    entry = captured.out.removeprefix("<available_skills>\n").removesuffix(
        "\n</available_skills>\n"
    )
    metadata = estimate_tokens(entry)
    body_tokens = estimate_tokens(body.removesuffix("\n"))
    assert body_tokens == 127  # 507 characters / 4, rounded up
    lines = captured.err.splitlines()
    assert lines[1] == "skill  metadata    body  (estimated tokens)  listing  share"
    # The listing entry: `- demo: Does it. Use when asked.` (4 + 4 + 24 characters) of the
    # 8,000 of Claude Code's default budget.
    assert lines[2].split() == ["demo", str(metadata), str(body_tokens), "32", "0%"]
    assert lines[3].split()[:3] == ["total", str(metadata), str(body_tokens)]
    assert lines[4] == (
        "listing: 32 characters in Claude Code's skill listing, 0% of its default budget of "
        "8,000 (1% of a 200k-token context; past it descriptions are shortened: SK602)"
    )


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_skill(
        tmp_path, "---\nname: demo\ndescription: Does it. Use when asked.\n---\nBody\n"
    )
    assert main(["prompt", "--format", "json", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["prompt"] == to_prompt([path.parent])
    assert document["skills"] == [
        {
            "name": "demo",
            "description": "Does it. Use when asked.",
            "location": str(path.resolve()),
            "metadata_tokens": estimate_tokens(
                document["prompt"]
                .removeprefix("<available_skills>\n")
                .removesuffix("\n</available_skills>")
            ),
            "body_tokens": 1,
            "listing_chars": 32,
        }
    ]
    assert document["problems"] == []


def test_a_skill_without_description_is_left_out_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_skill(
        tmp_path, "---\nname: good\ndescription: Fine. Use when asked.\n---\n", "good"
    )
    bad = write_skill(tmp_path, "---\nname: bad\n---\n", "bad")
    assert main(["prompt", str(good), str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == to_prompt([good.parent]) + "\n"
    assert f"{bad}:1: `description` is missing; clients skip this skill" in captured.err


def test_no_skills_gives_the_empty_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["prompt", str(tmp_path)]) == 0
    assert capsys.readouterr().out == to_prompt([]) + "\n"


def test_missing_path_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prompt", str(tmp_path / "nope")]) == 2
    assert (
        capsys.readouterr().err == f"skillkit: error: {tmp_path / 'nope'}: no such file or folder\n"
    )


def test_command_line_end_to_end(tmp_path: Path) -> None:
    path = write_skill(
        tmp_path, "---\nname: demo\ndescription: Does it. Use when asked.\n---\nBody\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "skillkit", "prompt", str(path.parent)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout == to_prompt([path.parent]) + "\n"
    assert "demo" in done.stderr


def test_estimate_tokens() -> None:
    assert [estimate_tokens("x" * n) for n in (0, 1, 4, 5, 8)] == [0, 1, 1, 2, 2]
