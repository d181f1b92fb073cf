"""SK0xx and SK1xx: exact findings (code, line, column, message) of the file and front-matter
rules, with every parsing pitfall of `../shared/docs/skill-format.md`.

Each case runs all SK0/SK1 rules at once, so a case also proves that one mistake gives one
finding, not a cascade.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.diagnostics import Edit
from skillkit.engine.library import lint_paths
from skillkit.model import Span
from skillkit.parse import parse_text
from skillkit.settings import Settings
from tests.helpers import lint_text, write_skill

Found = tuple[str, int, int, str]
D = "description: Formats CSV files. Use when the user asks to tidy a CSV.\n"
BODY = "---\n\nBody.\n"


def found(
    tmp_path: Path, text: str | bytes, *, folder: str = "demo", target: str = "spec"
) -> list[Found]:
    diagnostics = lint_text(tmp_path, text, folder=folder, target=target, select=("SK0", "SK1"))
    return [(d.code, d.span.line, d.span.column, d.message) for d in diagnostics]


OK = "---\nname: demo\n" + D + BODY

# (id, text, expected findings); the folder is `demo`, the target `spec`.
CASES: list[tuple[str, str | bytes, list[Found]]] = [
    ("clean", OK, []),
    # Pitfall: a byte-order mark and CRLF line ends are accepted, columns count without the BOM.
    ("bom", b"\xef\xbb\xbf" + OK.encode(), []),
    ("crlf", OK.replace("\n", "\r\n").encode(), []),
    (
        "bom-crlf-positions",
        b"\xef\xbb\xbf" + ("---\nname: other\n" + D + BODY).replace("\n", "\r\n").encode(),
        [("SK112", 2, 7, "`name` is `other` but the folder is `demo`; they must be equal")],
    ),
    # Pitfall: `---` inside a value does not end the front matter (the reference validator
    # cuts the description there).
    (
        "dashes-in-value",
        "---\nname: demo\ndescription: Formats CSV --- then tidies it. Use when asked.\n" + BODY,
        [],
    ),
    # An indented `---` inside a block scalar is content, not a delimiter.
    (
        "dashes-in-block",
        "---\nname: demo\ndescription: |\n  Formats CSV files for you.\n  ---\n  Use when asked.\n"
        + BODY,
        [],
    ),
    # SK001-SK003 are in test_file_rules_* below (they need files that are not text).
    (
        "not-utf8",
        b"---\nname: demo\ndescription: caf\xe9\n---\n",
        [("SK002", 3, 17, "not UTF-8: byte 0xe9 at offset 31 (invalid continuation byte)")],
    ),
    (
        "nul-bytes",
        b"---\nname: demo\x00\n---\n",
        [("SK002", 1, 1, "binary file (contains NUL bytes), not a text skill")],
    ),
    # SK101
    (
        "no-front-matter",
        "# Demo\n\nFormats CSV files.\n",
        [
            (
                "SK101",
                1,
                1,
                "no front matter: the file must start with a line that is exactly `---`",
            )
        ],
    ),
    (
        "empty-file",
        "",
        [
            (
                "SK101",
                1,
                1,
                "no front matter: the file must start with a line that is exactly `---`",
            )
        ],
    ),
    (
        "indented-opening",
        " ---\nname: demo\n" + D + BODY,
        [
            (
                "SK101",
                1,
                1,
                "no front matter: the file must start with a line that is exactly `---`",
            )
        ],
    ),
    # SK102: the rest of the file is read as YAML, which fails on the Markdown; one finding.
    (
        "unclosed",
        "---\nname: demo\n" + D + "\n# Demo\n\nBody.\n",
        [
            (
                "SK102",
                1,
                1,
                "front matter is never closed: no line that is exactly `---` follows the first",
            )
        ],
    ),
    (
        "closing-with-trailing-space-is-not-closing",
        "---\nname: demo\n" + D + "--- \n",
        [
            (
                "SK102",
                1,
                1,
                "front matter is never closed: no line that is exactly `---` follows the first",
            ),
        ],
    ),
    # SK103. Pitfall: the unquoted `: ` (the most common YAML error in the wild) gets a hint.
    (
        "unquoted-colon",
        "---\nname: demo\ndescription: Use when: the user has a CSV\n" + BODY,
        [
            (
                "SK103",
                3,
                22,
                "YAML syntax error: mapping values are not allowed in this context (an unquoted "
                'value contains `: `; quote the whole value (description: "Use when: ...") or '
                "use a block scalar (`|`))",
            )
        ],
    ),
    (
        "quoted-colon",
        '---\nname: demo\ndescription: "Use when: the user has a CSV file to tidy"\n' + BODY,
        [],
    ),
    (
        "tab-indent",
        "---\nname: demo\n\tdescription: x\n" + BODY,
        [
            (
                "SK103",
                3,
                1,
                "YAML syntax error: found a tab character that violates indentation (YAML does "
                "not allow tabs for indentation)",
            )
        ],
    ),
    # SK104
    (
        "list-root",
        "---\n- name: demo\n- description: x\n" + BODY,
        [("SK104", 2, 1, "front matter must be a mapping of fields, not a list")],
    ),
    (
        "string-root",
        "---\njust some text\n" + BODY,
        [("SK104", 2, 1, "front matter must be a mapping of fields, not a string")],
    ),
    # SK105. Pitfall: PyYAML keeps the last duplicate silently.
    (
        "duplicate-key",
        "---\nname: demo\n" + D + "name: demo\n" + BODY,
        [
            (
                "SK105",
                4,
                1,
                "duplicate key `name` (first given on line 2); YAML loaders keep only this last "
                "value",
            )
        ],
    ),
    (
        "duplicate-nested-key",
        "---\nname: demo\n" + D + "metadata:\n  owner: a\n  owner: b\n" + BODY,
        [
            (
                "SK105",
                6,
                3,
                "duplicate key `metadata.owner` (first given on line 5); YAML loaders keep only "
                "this last value",
            )
        ],
    ),
    # SK106. Pitfall: `name: no` is the boolean false to YAML 1.1.
    (
        "name-no",
        "---\nname: no\n" + D + BODY,
        [
            (
                "SK106",
                2,
                7,
                '`name: no` is read by YAML 1.1 loaders as the boolean false, not the string "no"; '
                "quote it",
            )
        ],
    ),
    (
        "name-number",
        "---\nname: 123\n" + D + BODY,
        [
            (
                "SK106",
                2,
                7,
                '`name: 123` is read by YAML 1.1 loaders as a number, not the string "123"; '
                "quote it",
            )
        ],
    ),
    (
        "description-date",
        "---\nname: demo\ndescription: 2024-01-01\n" + BODY,
        [
            (
                "SK106",
                3,
                14,
                "`description: 2024-01-01` is read by YAML 1.1 loaders as a date or other "
                'non-string value, not the string "2024-01-01"; quote it',
            )
        ],
    ),
    (
        "metadata-version-float",
        "---\nname: demo\n" + D + "metadata:\n  version: 1.0\n" + BODY,
        [
            (
                "SK106",
                5,
                12,
                "`metadata.version: 1.0` is read by YAML 1.1 loaders as a number, not the string "
                '"1.0"; quote it',
            )
        ],
    ),
    (
        "metadata-version-quoted",
        "---\nname: demo\n" + D + 'metadata:\n  version: "1.0"\n' + BODY,
        [],
    ),
    # SK107
    (
        "unknown-field",
        "---\nname: demo\n" + D + "version: 1.0\n" + BODY,
        [
            (
                "SK107",
                4,
                1,
                "unknown field `version` for target spec (accepted: allowed-tools, compatibility, "
                "description, license, metadata, name)",
            )
        ],
    ),
    (
        "misspelt-field",
        "---\nname: demo\ndescripton: Formats CSV files.\n" + BODY,
        [
            ("SK110", 1, 1, "required field `description` is missing (target spec)"),
            (
                "SK107",
                3,
                1,
                "unknown field `descripton` for target spec; did you mean `description`?",
            ),
        ],
    ),
    # SK108. Pitfall: tags are never constructed, aliases never expanded beyond a budget. One
    # finding for a tagged value (not also "read as another type").
    (
        "python-tag",
        "---\nname: demo\ndescription: !!python/object:os.system echo\n" + BODY,
        [
            (
                "SK108",
                3,
                14,
                "YAML tag `!!python/object:os.system` is not supported; it is kept as text and "
                "never constructed",
            )
        ],
    ),
    (
        "custom-tag",
        "---\nname: !custom demo\n" + D + BODY,
        [
            (
                "SK108",
                2,
                7,
                "YAML tag `!custom` is not supported; it is kept as text and never constructed",
            )
        ],
    ),
    (
        "alias-bomb",
        "---\nname: demo\n"
        + D
        + "metadata:\n"
        + "  a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"  {name}: &{name} [{', '.join(['*' + prev] * 10)}]\n"
            for prev, name in zip("abcd", "bcde", strict=True)
        )
        + BODY,
        [
            (
                "SK108",
                2,
                1,
                "front matter expands to more than 10000 YAML nodes (aliases of aliases?); it "
                "was not read",
            )
        ],
    ),
    ("small-alias", "---\nname: &n demo\n" + D + "metadata:\n  id: *n\n" + BODY, []),
    # SK110
    (
        "empty-front-matter",
        "---\n" + BODY,
        [
            ("SK110", 1, 1, "required field `description` is missing (target spec)"),
            ("SK110", 1, 1, "required field `name` is missing (target spec)"),
        ],
    ),
    # SK111
    (
        "name-uppercase",
        "---\nname: CSV_Tools\n" + D + BODY,
        [
            (
                "SK111",
                2,
                7,
                "`name` may contain only a-z, 0-9 and `-`; found `C`, `S`, `T`, `V`, `_`; use "
                "lowercase",
            )
        ],
    ),
    # The spec's letters are ASCII: skillkit rejects a Unicode letter that the reference
    # validator accepts after NFKC (a listed disagreement).
    (
        "name-unicode",
        "---\nname: démo\n" + D + BODY,
        [("SK111", 2, 7, "`name` may contain only a-z, 0-9 and `-`; found `é`")],
    ),
    (
        "name-too-long",
        "---\nname: " + "a" * 65 + "\n" + D + BODY,
        [("SK111", 2, 7, "`name` is 65 characters long; at most 64")],
    ),
    (
        "name-leading-hyphen",
        "---\nname: -demo\n" + D + BODY,
        [("SK111", 2, 7, "`name` must not start or end with `-`")],
    ),
    (
        "name-double-hyphen",
        "---\nname: de--mo\n" + D + BODY,
        [("SK111", 2, 7, "`name` must not contain `--`")],
    ),
    ("name-empty", "---\nname:\n" + D + BODY, [("SK111", 2, 1, "`name` is empty")]),
    (
        "name-list",
        "---\nname: [demo]\n" + D + BODY,
        [("SK111", 2, 7, "`name` must be a string, not a list")],
    ),
    # SK112 (the folder is `demo`)
    (
        "name-not-folder",
        "---\nname: csv\n" + D + BODY,
        [("SK112", 2, 7, "`name` is `csv` but the folder is `demo`; they must be equal")],
    ),
    # SK120. Pitfall: a block scalar's trailing newline does not count.
    (
        "description-empty",
        "---\nname: demo\ndescription:\n" + BODY,
        [("SK120", 3, 1, "`description` is empty")],
    ),
    (
        "description-empty-quoted",
        "---\nname: demo\ndescription: ''\n" + BODY,
        [("SK120", 3, 14, "`description` is empty")],
    ),
    (
        "description-mapping",
        "---\nname: demo\ndescription:\n  what: x\n" + BODY,
        [("SK120", 4, 3, "`description` must be a string, not a mapping")],
    ),
    (
        "description-1025",
        "---\nname: demo\ndescription: Use when asked. " + "x" * 1009 + "\n" + BODY,
        [("SK120", 3, 14, "`description` is 1,025 characters long; at most 1,024")],
    ),
    (
        "description-1024",
        "---\nname: demo\ndescription: Use when asked. " + "x" * 1008 + "\n" + BODY,
        [],
    ),
    (
        "block-description-1024-plus-newline",
        "---\nname: demo\ndescription: |\n  Use when asked. " + "x" * 1008 + "\n" + BODY,
        [],
    ),
    (
        "block-description-1025",
        "---\nname: demo\ndescription: |\n  Use when asked. " + "x" * 1009 + "\n" + BODY,
        [("SK120", 3, 14, "`description` is 1,025 characters long; at most 1,024")],
    ),
    # SK121
    (
        "description-short",
        "---\nname: demo\ndescription: Use when tidying a CSV.\n" + BODY,
        [
            (
                "SK121",
                3,
                14,
                "`description` is 23 characters long; say what the skill does and when to use it "
                "in at least 40",
            )
        ],
    ),
    (
        # Wide characters count as two: a whole description in Chinese is not "too short".
        "description-chinese",
        "---\nname: demo\ndescription: 当用户要求修改系统设置时使用、包括通用设置、"
        "安全设置、功能开关和邮件配置。\n" + BODY,
        [],
    ),
    (
        "description-chinese-short",
        "---\nname: demo\ndescription: 整理CSV文件的工具。\n" + BODY,
        [
            (
                "SK121",
                3,
                14,
                "`description` is 11 characters long (19 with each wide character counted as "
                "two); say what the skill does and when to use it in at least 40",
            )
        ],
    ),
    # SK122
    (
        "description-no-trigger",
        "---\nname: demo\ndescription: Formats and validates comma-separated value files.\n" + BODY,
        [
            (
                "SK122",
                3,
                14,
                '`description` says what the skill does but not when to use it (add "Use when '
                '...")',
            )
        ],
    ),
    # SK130
    (
        "compatibility-empty",
        "---\nname: demo\n" + D + "compatibility: ''\n" + BODY,
        [("SK130", 4, 16, "`compatibility` is empty")],
    ),
    (
        "compatibility-null",
        "---\nname: demo\n" + D + "compatibility:\n" + BODY,
        [("SK130", 4, 1, "`compatibility` is empty")],
    ),
    (
        "compatibility-501",
        "---\nname: demo\n" + D + "compatibility: " + "x" * 501 + "\n" + BODY,
        [("SK130", 4, 16, "`compatibility` is 501 characters long; at most 500")],
    ),
    (
        "compatibility-500",
        "---\nname: demo\n" + D + "compatibility: " + "x" * 500 + "\n" + BODY,
        [],
    ),
    (
        "compatibility-list",
        "---\nname: demo\n" + D + "compatibility: [python]\n" + BODY,
        [("SK130", 4, 16, "`compatibility` must be a string, not a list")],
    ),
    # SK131
    (
        "metadata-list",
        "---\nname: demo\n" + D + "metadata: [a, b]\n" + BODY,
        [("SK131", 4, 11, "`metadata` must be a mapping of strings, not a list")],
    ),
    (
        "metadata-nested",
        "---\nname: demo\n" + D + "metadata:\n  tags: [a, b]\n  owner:\n    team: x\n" + BODY,
        [
            ("SK131", 5, 9, "`metadata.tags` must be a string, not a list"),
            ("SK131", 7, 5, "`metadata.owner` must be a string, not a mapping"),
        ],
    ),
    # SK132
    (
        "license-list",
        "---\nname: demo\n" + D + "license: [MIT]\n" + BODY,
        [("SK132", 4, 10, "`license` must be a string, not a list")],
    ),
    (
        "license-file",
        "---\nname: demo\n" + D + "license: Complete terms in LICENSE.txt\n" + BODY,
        [],
    ),
    # SK133
    (
        "allowed-tools-list",
        "---\nname: demo\n" + D + "allowed-tools: [Read, Bash]\n" + BODY,
        [
            (
                "SK133",
                4,
                16,
                "`allowed-tools` is a list; target spec expects one space-separated string (the "
                "reference validator and Claude Code accept both)",
            )
        ],
    ),
    (
        "allowed-tools-mapping",
        "---\nname: demo\n" + D + "allowed-tools: {Read: yes}\n" + BODY,
        [("SK133", 4, 16, "`allowed-tools` must be a string, not a mapping")],
    ),
    (
        "allowed-tools-string",
        "---\nname: demo\n" + D + "allowed-tools: Bash(git:*) Read\n" + BODY,
        [],
    ),
    # SK134: an empty short description is wrong for every target; the length limit is per
    # target (see the per-target tests).
    (
        "short-description-spec",
        "---\nname: demo\n" + D + "metadata:\n  short-description: ''\n" + BODY,
        [("SK134", 5, 22, "`metadata.short-description` is empty")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_front_matter_findings(tmp_path: Path, text: str | bytes, expected: list[Found]) -> None:
    assert found(tmp_path, text) == expected


def test_dashes_in_a_value_stay_in_the_value() -> None:
    skill = parse_text("---\nname: demo\ndescription: a --- b\n---\n")
    item = skill.front_matter.get("description")
    assert item is not None and item.value.scalar == "a --- b"
    assert skill.body_start_line == 5


def test_a_quoted_yes_is_a_string_name(tmp_path: Path) -> None:
    assert found(tmp_path, "---\nname: 'yes'\n" + D + BODY, folder="yes") == []


# Per target


def test_claude_code_takes_its_fields_and_a_list_of_tools(tmp_path: Path) -> None:
    text = "---\nname: csv-tools\n" + D + "model: sonnet\nallowed-tools: [Read, Bash]\n" + BODY
    assert found(tmp_path, text, target="claude-code") == []
    assert [f[0] for f in found(tmp_path, text, target="spec")] == ["SK112", "SK107", "SK133"]


def test_claude_code_checks_the_slash_command_name(tmp_path: Path) -> None:
    # The name is the /slash-command: lowercase letters, digits, hyphens, at most 64.
    text = "---\nname: My_Skill!\n" + D + BODY
    assert found(tmp_path, text, target="claude-code") == [
        (
            "SK111",
            2,
            7,
            "`name` may contain only a-z, 0-9 and `-`; found `!`, `M`, `S`, `_`; use lowercase",
        )
    ]
    # Only the characters and the length: Claude Code's docs say nothing of hyphen placement,
    # nor that the name equals the folder.
    assert found(tmp_path, "---\nname: my--skill\n" + D + BODY, target="claude-code") == []
    assert found(tmp_path, "---\nname: " + "a" * 65 + "\n" + D + BODY, target="claude-code") == [
        ("SK111", 2, 7, "`name` is 65 characters long; at most 64")
    ]


def test_claude_code_still_checks_list_entries(tmp_path: Path) -> None:
    text = "---\nname: demo\n" + D + "allowed-tools: [Read, [Bash]]\n" + BODY
    assert found(tmp_path, text, target="claude-code") == [
        ("SK133", 4, 23, "each `allowed-tools` entry must be a string")
    ]


def test_claude_code_requires_no_field(tmp_path: Path) -> None:
    assert found(tmp_path, "---\n" + BODY, target="claude-code") == []


def test_codex_limits_the_short_description(tmp_path: Path) -> None:
    text = "---\nname: demo\n" + D + "metadata:\n  short-description: " + "x" * 501 + "\n" + BODY
    assert found(tmp_path, text, target="codex") == [
        (
            "SK134",
            5,
            22,
            "`metadata.short-description` is 501 characters long; at most 500 for target codex",
        )
    ]
    assert found(tmp_path, text, target="spec") == []


def test_codex_loads_what_its_loader_checks_and_ignores_the_rest(tmp_path: Path) -> None:
    # codex-rs/core/src/skills/loader.rs: a name and a description, short enough; nothing of
    # the name's characters or folder, `metadata.short-description` alone, no `allowed-tools`.
    text = (
        "---\nname: Rust Error Handling\n"
        + D
        + "metadata:\n  openclaw: {always: false}\nallowed-tools:\n  - Bash\n"
        + BODY
    )

    def lint(target: str) -> list[tuple[str, str, int]]:
        diagnostics = lint_text(
            tmp_path, text, folder="errors", target=target, select=("SK0", "SK1")
        )
        return [(d.code, d.severity.label, d.span.line) for d in diagnostics]

    assert lint("codex") == [("SK111", "warning", 2)]
    assert lint("spec") == [
        ("SK111", "error", 2),
        ("SK131", "error", 5),
        ("SK133", "warning", 7),
    ]
    renamed = text.replace("Rust Error Handling", "doc-i18n")
    assert found(tmp_path, renamed, folder="i18n", target="codex") == []
    assert [f[0] for f in found(tmp_path, renamed, folder="i18n", target="spec")] == [
        "SK112",
        "SK131",
        "SK133",
    ]
    # What Codex does read is still checked.
    listed = "---\nname: demo\n" + D + "metadata:\n  short-description: [a, b]\n" + BODY
    assert found(tmp_path, listed, target="codex") == [
        ("SK131", 5, 22, "`metadata.short-description` must be a string, not a list")
    ]


def test_viberun_does_not_require_a_short_description(tmp_path: Path) -> None:
    # No client requires it (Codex shows it when present); viberun's own skills omit it.
    assert found(tmp_path, OK, target="viberun") == []
    text = "---\nname: demo\n" + D + "metadata:\n  owner: me\n" + BODY
    assert found(tmp_path, text, target="viberun") == []


# SK103 and Claude Code's second try: when its YAML parser rejects the front matter, it
# double-quotes each top-level one-line value that holds a YAML indicator or `: ` and parses
# again (`quoteProblematicValues`, src/utils/frontmatterParser.ts). Other clients reject it.
QUOTABLE = (
    "---\nname: demo\n"
    "description: Use whenever the user wants marketing work: writing or improving copy.\n"
    'argument-hint: [--quick] [--path "C:\\dir"]\n' + BODY
)
YAML_COLON_ERROR = (
    "YAML syntax error: mapping values are not allowed in this context (an unquoted value "
    'contains `: `; quote the whole value (description: "Use when: ...") or use a block scalar '
    "(`|`))"
)


def _sk103(tmp_path: Path, text: str | bytes, target: str) -> list[tuple[Found, str]]:
    diagnostics = lint_text(tmp_path, text, target=target, select=("SK0", "SK1"))
    return [
        ((d.code, d.span.line, d.span.column, d.message), d.severity.label) for d in diagnostics
    ]


def test_claude_code_reads_front_matter_once_its_values_are_quoted(tmp_path: Path) -> None:
    # A warning where the original problem is: Claude Code loads the skill, other clients do not.
    message = (
        YAML_COLON_ERROR + "; Claude Code reads this front matter only after quoting the values "
        "it cannot parse, and other clients reject it: quote the value"
    )
    assert _sk103(tmp_path, QUOTABLE, "claude-code") == [(("SK103", 3, 56, message), "warning")]


@pytest.mark.parametrize("target", ["spec", "codex"])
def test_other_clients_reject_front_matter_claude_code_reads_after_quoting(
    tmp_path: Path, target: str
) -> None:
    assert _sk103(tmp_path, QUOTABLE, target) == [(("SK103", 3, 56, YAML_COLON_ERROR), "error")]


@pytest.mark.parametrize(
    "text",
    [
        # An indented continuation line: the retry rewrites top-level lines only.
        "---\nname: demo\ndescription: Tidies CSV files.\n  Examples: `tidy data.csv`\n" + BODY,
        # A CRLF file: the retry's pattern (`.+$` in JavaScript) never matches a line ending in
        # \r, so nothing is quoted.
        QUOTABLE.replace("\n", "\r\n").encode(),
    ],
    ids=["continuation-line", "crlf"],
)
def test_front_matter_the_claude_code_retry_cannot_read_stays_an_error(
    tmp_path: Path, text: str | bytes
) -> None:
    line, column = (4, 11) if isinstance(text, str) else (3, 56)
    assert _sk103(tmp_path, text, "claude-code") == [
        (("SK103", line, column, YAML_COLON_ERROR), "error")
    ]


# Fixes


def test_the_quote_fix_of_a_yaml_surprise(tmp_path: Path) -> None:
    path = write_skill(tmp_path, "---\nname: no\n" + D + BODY, folder="no")
    [diagnostic] = lint_paths([path.parent], Settings(select=("SK106",))).diagnostics
    assert diagnostic.fix is not None
    assert diagnostic.fix.edits == (Edit(Span(2, 7, 2, 9), '"no"'),)


def test_the_folder_name_fix(tmp_path: Path) -> None:
    path = write_skill(tmp_path, "---\nname: csv\n" + D + BODY, folder="csv-tools")
    [diagnostic] = lint_paths([path.parent], Settings(select=("SK112",))).diagnostics
    assert diagnostic.fix is not None
    assert diagnostic.fix.edits == (Edit(Span(2, 7, 2, 10), "csv-tools"),)


def test_no_folder_name_fix_when_the_folder_is_not_a_valid_name(tmp_path: Path) -> None:
    path = write_skill(tmp_path, "---\nname: csv\n" + D + BODY, folder="CSV Tools")
    [diagnostic] = lint_paths([path.parent], Settings(select=("SK112",))).diagnostics
    assert diagnostic.message == "`name` is `csv` but the folder is `CSV Tools`; they must be equal"
    assert diagnostic.fix is None


# SK001 and SK003: files that cannot be read, or are too large to parse


def test_file_rules_unreadable(tmp_path: Path) -> None:
    (tmp_path / "demo" / "SKILL.md").mkdir(parents=True)
    diagnostics = lint_paths([tmp_path / "demo"], Settings(select=("SK0", "SK1"))).diagnostics
    assert [(d.code, d.span.line, d.span.column, d.message) for d in diagnostics] == [
        ("SK001", 1, 1, "cannot read file: Is a directory")
    ]
    missing = lint_paths([tmp_path / "gone"], Settings()).diagnostics
    assert [(d.code, d.message) for d in missing] == [
        ("SK001", "cannot lint: no such file or folder")
    ]


def test_file_rules_too_large(tmp_path: Path) -> None:
    path = write_skill(tmp_path, OK + "x" * 200 + "\n")
    settings = Settings(select=("SK0", "SK1", "SK2"), max_file_bytes=100)
    diagnostics = lint_paths([path.parent], settings).diagnostics
    size = path.stat().st_size
    assert [(d.code, d.span.line, d.span.column, d.message) for d in diagnostics] == [
        (
            "SK003",
            1,
            1,
            f"file is {size:,} bytes, over the limit of 100 (option `max-file-bytes`); it was "
            "not parsed",
        )
    ]
    assert found(tmp_path, OK) == []  # the default limit (1 MB) passes a real skill


# SK122 calibration (see also tests/test_corpus.py)

NO_TRIGGER = '`description` says what the skill does but not when to use it (add "Use when ...")'


@pytest.mark.parametrize(
    "description",
    [
        "Help run a long-lived background process under vrctl.",  # the seed
        "Helps you run a long-lived background process under vrctl.",
        "Toolkit for testing local web applications, while capturing screenshots.",
        # Mostly Latin letters, a few CJK words: still read as English.
        "Formats CSV files (表格) for exports from spreadsheets.",
        # An English sentence with a Spanish name: more English function words, read as English.
        "Formats price lists for the Casa de la Moneda shop and exports them to PDF.",
    ],
)
def test_what_without_when_gets_sk122(tmp_path: Path, description: str) -> None:
    text = f"---\nname: demo\ndescription: {description}\n" + BODY
    assert found(tmp_path, text) == [("SK122", 3, 14, NO_TRIGGER)]


@pytest.mark.parametrize(
    "description",
    [
        "Formats CSV files. Use when the user asks to tidy a CSV.",
        "Formats CSV files; use this for exports from spreadsheets.",
        "Useful for tidying CSV files exported from spreadsheets.",
        "Formats CSV files whenever a spreadsheet export looks wrong.",
        "Checks a CSV file before it is imported into the database.",
        "Formats CSV files if the user pastes a table that will not load.",
        "Formats CSV files. This skill should be used when a table will not load.",
        "Use in long spreadsheet sessions to keep exports tidy.",
        # Written in Chinese and Japanese: "when asked to write ...", "call it when ...".
        "当被要求整理、校验或转换任何形式的CSV文件或从电子表格导出的表格时使用此技能。",
        "表計算ソフトから書き出したCSVファイルを整えたい時、列の型を確かめたい時に呼ぶ。",
    ],
)
def test_a_description_that_says_when_passes_sk122(tmp_path: Path, description: str) -> None:
    text = f"---\nname: demo\ndescription: {description}\n" + BODY
    assert found(tmp_path, text) == []


def test_a_short_english_description_without_function_words_gets_sk122(tmp_path: Path) -> None:
    text = "---\nname: demo\ndescription: CSV helper.\n" + BODY
    assert found(tmp_path, text) == [
        (
            "SK121",
            3,
            14,
            "`description` is 11 characters long; say what the skill does and when to use it in "
            "at least 40",
        ),
        ("SK122", 3, 14, NO_TRIGGER),
    ]


@pytest.mark.parametrize(
    "description",
    [
        # Each says when in its own language; the rule reads English only and leaves them alone.
        "Formatea archivos CSV. Úsalo cuando el usuario pida limpiar una tabla exportada.",
        "Formatiert CSV-Dateien, wenn der Nutzer eine Tabelle aus Excel bereinigen will.",
        "Met en forme les fichiers CSV lorsque l'utilisateur demande de nettoyer un tableau.",
        "Formata arquivos CSV quando o usuário pede para limpar uma tabela exportada.",
        "Bir CSV tablosu bozuk olduğunda veya temizlenmesi istendiğinde kullan.",
    ],
)
def test_a_description_in_another_latin_script_language_passes_sk122(
    tmp_path: Path, description: str
) -> None:
    text = f"---\nname: demo\ndescription: {description}\n" + BODY
    assert found(tmp_path, text) == []
