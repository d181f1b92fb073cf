"""Suppression comments through the command line: each form, SK901/SK902, their fix, and
`--add-suppressions`."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.cli import main
from tests.helpers import write_skill

FRONT = "---\nname: demo\ndescription: CSV helper.\n---\n"


def concise(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    main(["lint", "--format", "concise", "--isolated", *argv])
    return capsys.readouterr().out.splitlines()


def test_yaml_ignore_on_the_line_and_above_it(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(
        in_tmp,
        "---\nname: demo\n# skillkit: ignore SK122\n"
        "description: CSV helper.  # skillkit: ignore description-too-short\n---\n\n# Demo\n",
    )
    assert concise(capsys, ".") == []


def test_disable_next_line_and_range_and_file(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy one.\n"
        "---\n\n# Demo\n\nSee [a](a.md).\n<!-- skillkit: disable-next-line SK501 -->\n"
        "See [b](b.md).\n<!-- skillkit: disable SK501 -->\nSee [c](c.md).\n\nSee [d](d.md).\n"
        "<!-- skillkit: enable SK501 -->\nSee [e](e.md).\n"
    )
    write_skill(in_tmp, text)
    lines = concise(capsys, ".")
    assert [line.split(": ")[1].split()[0] + "@" + line.split(":")[1] for line in lines] == [
        "SK501@8",
        "SK501@16",
    ]
    write_skill(in_tmp, "<!-- skillkit: disable-file SK501 -->\n".join(text.split("\n\n# Demo")))
    # A disable-file comment anywhere covers every line.
    (in_tmp / "demo" / "SKILL.md").write_text(
        text.replace("# Demo\n", "# Demo\n<!-- skillkit: disable-file SK501 -->\n")
    )
    assert concise(capsys, ".") == []


def test_unused_suppressions_are_sk901(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(
        in_tmp,
        "---\nname: demo\ndescription: CSV helper.  # skillkit: ignore SK121, SK106\n---\n\n"
        "<!-- skillkit: disable-next-line SK122 -->\n# Demo\n",
    )
    assert concise(capsys, "--select", "SK121,SK122,SK901") == [
        "demo/SKILL.md:3:14: SK122 `description` says what the skill does but not when to use "
        'it (add "Use when ...")',
        "demo/SKILL.md:3:27: SK901 unused suppression: SK106 (not enabled)",
        "demo/SKILL.md:6:1: SK901 unused suppression: SK122 (no SK122 finding on line 7)",
    ]


def test_invalid_suppressions_are_sk902(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(
        in_tmp,
        FRONT + "\n<!-- skillkit: disable-next-line SK1211 -->\n<!-- skillkit: silence SK121 -->\n"
        "<!-- skillkit: disable-next-line -->\n<!-- skillkit: enable SK121 -->\n# Demo\n",
    )
    assert concise(capsys, "--select", "SK902") == [
        "demo/SKILL.md:6:1: SK902 suppression names `SK1211`, which is not a rule code; "
        "did you mean `SK121`?",
        "demo/SKILL.md:7:1: SK902 unknown suppression; write `skillkit: disable-next-line CODE`, "
        "`disable CODE`, `enable CODE` or `disable-file CODE`",
        "demo/SKILL.md:8:1: SK902 suppression names no rule code (write the codes it suppresses)",
        "demo/SKILL.md:9:1: SK902 `enable SK121` without an earlier `disable SK121`",
    ]


def test_fix_removes_unused_suppressions(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_skill(
        in_tmp,
        "---\nname: demo\ndescription: CSV helper.  # skillkit: ignore SK121, SK106\n"
        "# skillkit: ignore SK107\n---\n\n<!-- skillkit: disable-next-line SK122 -->\n# Demo\n",
    )
    assert main(["lint", "--isolated", "--select", "SK121,SK901", "--fix", "."]) == 0
    assert path.read_text() == (
        "---\nname: demo\ndescription: CSV helper.  # skillkit: ignore SK121\n---\n\n# Demo\n"
    )
    capsys.readouterr()
    assert main(["lint", "--isolated", "--select", "SK121,SK901", "--fix", "."]) == 0
    assert "Fixed" not in capsys.readouterr().err


def test_add_suppressions_then_clean_and_idempotent(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "---\nname: demo\ndescription: CSV helper.\nmetadata:\n  a: 1\n---\n\n# Demo\n\n"
        "- See [a](missing.md).\n\n```sh\nvrctl service add\n```\n"
    )
    path = write_skill(in_tmp, text)
    before = concise(capsys, ".")
    assert before, "the example must have findings"
    assert main(["lint", "--isolated", "--add-suppressions", "."]) == 0
    assert "Added" in capsys.readouterr().err
    written = path.read_text()
    assert written == (
        "---\nname: demo\n# skillkit: ignore SK121, SK122\ndescription: CSV helper.\n"
        "metadata:\n  # skillkit: ignore SK106\n  a: 1\n---\n\n# Demo\n\n"
        "<!-- skillkit: disable-next-line SK501 -->\n- See [a](missing.md).\n\n"
        "<!-- skillkit: disable SK403, SK405, SK410 -->\n```sh\nvrctl service add\n```\n"
        "<!-- skillkit: enable SK403, SK405, SK410 -->\n"
    )
    assert concise(capsys, ".") == []
    assert main(["lint", "--isolated", "--add-suppressions", "."]) == 0
    assert path.read_text() == written


def test_add_suppressions_around_a_code_block_and_in_crlf(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "---\r\nname: demo\r\ndescription: Formats CSV files. Use when the user asks.\r\n---\r\n"
        "\r\n# Demo\r\n\r\n  See [a](missing.md).\r\n"
    )
    path = write_skill(in_tmp, text.encode())
    assert main(["lint", "--isolated", "--add-suppressions", "."]) == 0
    assert path.read_bytes() == (
        b"---\r\nname: demo\r\ndescription: Formats CSV files. Use when the user asks.\r\n---\r\n"
        b"\r\n# Demo\r\n\r\n  <!-- skillkit: disable-next-line SK501 -->\r\n"
        b"  See [a](missing.md).\r\n"
    )
    assert concise(capsys, ".") == []


def test_suppression_text_wraps_code_blocks_and_merges() -> None:
    """A line inside a code block cannot hold a comment: the block gets disable/enable; a line
    that already has a disable-next-line above it gets the new code added to it."""
    from skillkit.add_suppressions import suppression_text
    from skillkit.diagnostics import Diagnostic, Severity
    from skillkit.model import Span
    from skillkit.parse import parse_text

    skill = parse_text(
        FRONT + "\n# Demo\n\n<!-- skillkit: disable-next-line SK121 -->\nText.\n\n"
        "  ```sh\n  vrctl service rm x\n  ```\n"
    )

    def finding(code: str, line: int) -> Diagnostic:
        return Diagnostic("SKILL.md", Span.at(line), code, "x", Severity.ERROR, "m")

    text, added = suppression_text(skill, [finding("SK401", 12), finding("SK122", 9)])
    assert added == 3
    assert text == FRONT + (
        "\n# Demo\n\n<!-- skillkit: disable-next-line SK121, SK122 -->\nText.\n\n"
        "  <!-- skillkit: disable SK401 -->\n  ```sh\n  vrctl service rm x\n  ```\n"
        "  <!-- skillkit: enable SK401 -->\n"
    )


def test_project_rule_findings_are_suppressed_with_and_without_cache(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def skill(name: str, extra: str) -> str:
        return (
            f"---\nname: {name}\ndescription: Runs the {name} app. Use when the user asks.\n---\n"
            f"\n# {name}\n\n## Snapshot guidance\n- Take a snapshot before risky changes.\n"
            f"- Ask the user before removing a service.\n{extra}"
        )

    write_skill(in_tmp, skill("one", ""), "one")
    write_skill(in_tmp, skill("three", ""), "three")
    # The copy in two has drifted: "after" where the others say "before".
    path = write_skill(in_tmp, skill("two", "").replace("before risky", "after risky"), "two")
    found = concise(capsys, "--select", "SK601,SK901", "--no-cache", ".")
    assert [line.split(": ")[1].split()[0] for line in found] == ["SK601"]
    file_name, line = found[0].split(":")[:2]
    assert int(line) == 8
    for name in ("one", "two"):
        file = in_tmp / name / "SKILL.md"
        text = file.read_text().replace(
            "## Snapshot", "<!-- skillkit: disable-next-line SK601 -->\n## Snapshot"
        )
        file.write_text(text)
    # The finding is gone, and the suppressions (project rules are judged later) are not
    # reported unused (SK901).
    assert concise(capsys, "--select", "SK601,SK901", "--no-cache", ".") == []
    assert concise(capsys, "--select", "SK601,SK901", ".") == []
    assert concise(capsys, "--select", "SK601,SK901", ".") == []
    assert path.exists() and file_name in ("one/SKILL.md", "two/SKILL.md")
