"""SK2xx: exact findings (code, line, column, message) of the body rules."""

from __future__ import annotations

from pathlib import Path

from skillkit.diagnostics import Diagnostic, Edit
from skillkit.engine.library import lint_paths
from skillkit.model import Span
from skillkit.rules.body import estimate_tokens
from skillkit.settings import Settings
from tests.helpers import lint_text, write_skill

FRONT = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n---\n"
)


def found(
    tmp_path: Path, text: str | bytes, code: str, **options: object
) -> list[tuple[str, int, int, str]]:
    if options:
        path = write_skill(tmp_path, text)
        settings = Settings(select=(code,), options=options)
        diagnostics: list[Diagnostic] = lint_paths([path.parent], settings).diagnostics
    else:
        diagnostics = lint_text(tmp_path, text, select=(code,))
    return [(d.code, d.span.line, d.span.column, d.message) for d in diagnostics]


# SK201 body-empty


def test_front_matter_alone_has_an_empty_body(tmp_path: Path) -> None:
    assert found(tmp_path, FRONT, "SK201") == [
        (
            "SK201",
            4,
            1,
            "the skill has no body after the front matter; add the instructions an agent follows",
        )
    ]


def test_blank_lines_and_spaces_are_still_an_empty_body(tmp_path: Path) -> None:
    assert [f[:2] for f in found(tmp_path, FRONT + "\n   \n\t\n", "SK201")] == [("SK201", 4)]


def test_one_line_of_text_is_a_body(tmp_path: Path) -> None:
    assert found(tmp_path, FRONT + "Tidy the CSV.\n", "SK201") == []


def test_no_body_rule_without_a_closed_front_matter(tmp_path: Path) -> None:
    # SK101/SK102 report those files; "no body" would be a second finding about the same cause.
    assert found(tmp_path, "---\nname: demo\n", "SK201") == []
    assert found(tmp_path, "", "SK201") == []


# SK202 body-too-long


def test_the_token_estimate_is_characters_over_four_rounded_up() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd") == 1
    assert estimate_tokens("abcde") == 2
    assert estimate_tokens("x" * 20_000) == 5_000
    # Characters, not words: one long "word" full of path and flags counts by its length.
    assert estimate_tokens("scripts/fill_form.py --dry-run") == 8


def test_501_body_lines_are_too_many(tmp_path: Path) -> None:
    body = "".join(f"line {n}\n" for n in range(1, 502))  # 501 lines
    # The body starts on line 5; its 501st line is file line 505.
    assert found(tmp_path, FRONT + body, "SK202") == [
        (
            "SK202",
            505,
            1,
            "the body is 501 lines (at most 500); move detail into files under `references/`",
        )
    ]


def test_500_body_lines_are_fine(tmp_path: Path) -> None:
    body = "".join(f"line {n}\n" for n in range(1, 501))
    assert found(tmp_path, FRONT + body, "SK202") == []


def test_over_5000_estimated_tokens_is_too_long(tmp_path: Path) -> None:
    # Ten lines of 2,000 characters: 20,009 characters with the line ends, 5,003 tokens. The
    # running count passes 20,000 characters on the tenth line (file line 14).
    body = "".join("x" * 2_000 + "\n" for _ in range(10))
    assert found(tmp_path, FRONT + body, "SK202") == [
        (
            "SK202",
            14,
            1,
            "the body is about 5,003 tokens (at most 5,000); move detail into files under "
            "`references/`",
        )
    ]


def test_exactly_5000_estimated_tokens_is_fine(tmp_path: Path) -> None:
    body = "x" * 19_999 + "\n"  # 19,999 characters: 5,000 tokens rounded up
    assert found(tmp_path, FRONT + body, "SK202") == []


def test_both_limits_in_one_finding_at_the_first_crossing(tmp_path: Path) -> None:
    body = "x" * 20_004 + "\n" + "".join("y\n" for _ in range(600))
    assert found(tmp_path, FRONT + body, "SK202") == [
        (
            "SK202",
            5,
            1,
            "the body is 601 lines (at most 500) and about 5,301 tokens (at most 5,000); move "
            "detail into files under `references/`",
        )
    ]


def test_the_limits_are_options(tmp_path: Path) -> None:
    body = "".join(f"line {n}\n" for n in range(1, 12))
    assert found(tmp_path, FRONT + body, "SK202", **{"max-body-lines": 10}) == [
        (
            "SK202",
            15,
            1,
            "the body is 11 lines (at most 10); move detail into files under `references/`",
        )
    ]
    assert [f[:2] for f in found(tmp_path, FRONT + body, "SK202", **{"max-body-tokens": 10})] == [
        ("SK202", 10)
    ]


# SK203 code-fence-unclosed


def test_an_unclosed_fence_points_at_its_opening(tmp_path: Path) -> None:
    text = FRONT + "\n# Demo\n\n  ~~~~bash\ncsvfix a.csv\n\n## Notes\n"
    assert found(tmp_path, text, "SK203") == [
        (
            "SK203",
            8,
            3,
            "code fence ~~~~ opened here is never closed; the rest of the file is read as code",
        )
    ]


def test_a_shorter_or_other_fence_does_not_close_it(tmp_path: Path) -> None:
    text = FRONT + "\n````md\n```sh\nx\n```\n"
    assert [f[:3] for f in found(tmp_path, text, "SK203")] == [("SK203", 6, 1)]


def test_closed_fences_pass(tmp_path: Path) -> None:
    text = FRONT + "\n````md\n```sh\nx\n```\n````\n\n~~~\ny\n~~~~~\n"
    assert found(tmp_path, text, "SK203") == []


# SK204 missing-final-newline


def test_a_missing_final_newline_has_a_fix_that_adds_it(tmp_path: Path) -> None:
    path = write_skill(tmp_path, FRONT + "\nTidy the CSV.")
    [diagnostic] = lint_paths([path.parent], Settings(select=("SK204",))).diagnostics
    assert (diagnostic.code, diagnostic.span, diagnostic.message) == (
        "SK204",
        Span(6, 14, 6, 14),
        "the file does not end with a line break",
    )
    assert diagnostic.fix is not None and diagnostic.fix.safe
    assert diagnostic.fix.edits == (Edit(Span(6, 14, 6, 14), "\n"),)


def test_a_crlf_file_gets_a_crlf_line_break(tmp_path: Path) -> None:
    text = FRONT.replace("\n", "\r\n") + "\r\nTidy."
    path = write_skill(tmp_path, text.encode())
    [diagnostic] = lint_paths([path.parent], Settings(select=("SK204",))).diagnostics
    assert diagnostic.fix is not None
    assert diagnostic.fix.edits == (Edit(Span(6, 6, 6, 6), "\r\n"),)


def test_files_ending_in_a_line_break_pass(tmp_path: Path) -> None:
    assert found(tmp_path, FRONT + "\nTidy.\n", "SK204") == []
    assert found(tmp_path, (FRONT + "\nTidy.\n").replace("\n", "\r\n").encode(), "SK204") == []
    assert found(tmp_path, b"", "SK204") == []


def test_a_last_line_ending_in_a_lone_cr_gets_only_the_lf(tmp_path: Path) -> None:
    path = write_skill(tmp_path, (FRONT + "\nTidy.\r").encode())
    [diagnostic] = lint_paths([path.parent], Settings(select=("SK204",))).diagnostics
    assert diagnostic.span == Span(6, 6, 6, 6)
    assert diagnostic.fix is not None
    # After the `\r` (column 7 of "Tidy.\r"), so the file ends in "\r\n", not "\n\r".
    assert diagnostic.fix.edits == (Edit(Span(6, 7, 6, 7), "\n"),)
