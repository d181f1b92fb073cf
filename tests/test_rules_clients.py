"""Each client's own fields, as that client reads them: Claude Code's field values, the Claude
API's name and description limits, Codex's leniency, and the target inferred from where a skill
lives."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from skillkit.cli import main
from skillkit.diagnostics import Edit, Severity
from skillkit.fix import apply_edits
from skillkit.model import Span
from tests.helpers import lint_text, write_skill

D = "description: Formats CSV files. Use when the user asks to tidy a CSV.\n"
HEAD = "---\nname: demo\n" + D
BODY = "---\n\n# Demo\n\nSteps.\n"

Found = tuple[str, str, int, int, str]


def found(
    tmp_path: Path,
    text: str,
    *,
    target: str = "claude-code",
    folder: str = "demo",
    files: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> list[Found]:
    diagnostics = lint_text(
        tmp_path,
        text,
        folder=folder,
        target=target,
        select=("SK0", "SK1"),
        files=files,
        settings=settings,
    )
    return [(d.code, d.severity.label, d.span.line, d.span.column, d.message) for d in diagnostics]


# SK107: how bad an unknown key is, per client


def test_an_unknown_key_is_an_error_for_the_spec(tmp_path: Path) -> None:
    assert found(tmp_path, HEAD + "version: 1\n" + BODY, target="spec") == [
        (
            "SK107",
            "error",
            4,
            1,
            "unknown field `version` for target spec (accepted: allowed-tools, compatibility, "
            "description, license, metadata, name)",
        )
    ]


def test_codex_ignores_unknown_keys_a_warning(tmp_path: Path) -> None:
    assert found(tmp_path, HEAD + "version: 1\n" + BODY, target="codex") == [
        (
            "SK107",
            "warning",
            4,
            1,
            "unknown field `version` for target codex: OpenAI Codex ignores it",
        )
    ]


def test_claude_code_harmless_unknown_key_is_a_warning(tmp_path: Path) -> None:
    assert found(tmp_path, HEAD + "version: 1\n" + BODY) == [
        (
            "SK107",
            "warning",
            4,
            1,
            "unknown field `version` for target claude-code: Claude Code ignores it",
        )
    ]


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("tools", "allowed-tools"),
        ("allowed_tools", "allowed-tools"),
        ("user_invocable", "user-invocable"),
        ("user-invokable", "user-invocable"),
        ("disable_model_invocation", "disable-model-invocation"),
        ("argument_hint", "argument-hint"),
        ("when-to-use", "when_to_use"),
        ("hook", "hooks"),
    ],
)
def test_claude_code_near_miss_stays_an_error(tmp_path: Path, key: str, meant: str) -> None:
    assert found(tmp_path, HEAD + f"{key}: x\n" + BODY) == [
        (
            "SK107",
            "error",
            4,
            1,
            f"unknown field `{key}` for target claude-code; did you mean `{meant}`? (as written, "
            "Claude Code ignores it)",
        )
    ]


# SK133: allowed-tools as a list, or not a string at all


def test_a_list_of_tools_is_a_warning_with_a_fix_that_joins_it(tmp_path: Path) -> None:
    text = HEAD + "allowed-tools:\n  - Read\n  - Bash(git diff *)\n" + BODY
    [diagnostic] = lint_text(tmp_path, text, select=("SK133",))
    assert (diagnostic.severity, diagnostic.span.line) == (Severity.WARNING, 5)
    assert diagnostic.fix is not None
    assert diagnostic.fix.edits == (Edit(Span(4, 14, 7, 1), ": Read Bash(git diff *)\n"),)
    fixed = apply_edits(text, diagnostic.fix.edits)
    assert fixed == HEAD + "allowed-tools: Read Bash(git diff *)\n" + BODY
    assert lint_text(tmp_path, fixed, select=("SK133",)) == []


def test_a_flow_list_of_tools_is_joined_in_place(tmp_path: Path) -> None:
    text = HEAD + "allowed-tools: [Read, Grep]\n" + BODY
    [diagnostic] = lint_text(tmp_path, text, target="viberun", select=("SK133",))
    assert diagnostic.fix is not None
    assert apply_edits(text, diagnostic.fix.edits) == HEAD + "allowed-tools: Read Grep\n" + BODY


@pytest.mark.parametrize("value", ["42", "true", "1.5"])
def test_a_scalar_that_is_no_string_is_an_error(tmp_path: Path, value: str) -> None:
    kind = {"42": "number", "true": "boolean", "1.5": "number"}[value]
    assert found(tmp_path, HEAD + f"allowed-tools: {value}\n" + BODY, target="spec") == [
        (
            "SK133",
            "error",
            4,
            16,
            f"`allowed-tools: {value}` is a {kind}, not tool names; write the tools as a "
            "space-separated string such as `Read Bash(git diff *)`",
        )
    ]


# SK121, SK122 on Claude Code: when_to_use counts; skills the model never sees are skipped


def test_when_to_use_says_when(tmp_path: Path) -> None:
    text = "---\nname: demo\ndescription: Formats comma-separated value files.\n"
    with_when = text + "when_to_use: The user asks to tidy a CSV file.\n" + BODY
    assert found(tmp_path, with_when) == []
    # Without it the description alone says nothing of when.
    assert [f[0] for f in found(tmp_path, text + BODY)] == ["SK121", "SK122"]


def test_when_to_use_counts_for_the_length(tmp_path: Path) -> None:
    text = "---\nname: demo\ndescription: CSV tidier.\nwhen_to_use: Use when a CSV file is messy.\n"
    assert found(tmp_path, text + BODY) == []
    assert [
        f[0] for f in found(tmp_path, "---\nname: demo\ndescription: CSV tidier.\n" + BODY)
    ] == [
        "SK121",
        "SK122",
    ]


def test_a_skill_the_model_never_sees_has_no_description_findings(tmp_path: Path) -> None:
    text = "---\nname: demo\ndescription: CSV tidier.\ndisable-model-invocation: true\n" + BODY
    assert found(tmp_path, text) == []
    assert [f[0] for f in found(tmp_path, text, target="spec")] == ["SK121", "SK122", "SK107"]


# SK140-SK146: Claude Code's field values


@pytest.mark.parametrize(
    ("value", "word"),
    [("yes", "true"), ("on", "true"), ('"True"', "true"), ("'yes'", "true")],
)
def test_a_flag_that_is_a_string_gets_a_fix(tmp_path: Path, value: str, word: str) -> None:
    text = HEAD + f"disable-model-invocation: {value}\n" + BODY
    diagnostics = lint_text(tmp_path, text, target="claude-code", select=("SK140",))
    [diagnostic] = diagnostics
    assert diagnostic.span.line == 4 and diagnostic.severity is Severity.ERROR
    assert f"not the boolean {word}; write `{word}` unquoted" in diagnostic.message
    assert diagnostic.fix is not None
    fixed = apply_edits(text, diagnostic.fix.edits)
    assert fixed == HEAD + f"disable-model-invocation: {word}\n" + BODY
    assert lint_text(tmp_path, fixed, target="claude-code", select=("SK140",)) == []


def test_a_flag_that_is_no_boolean_at_all(tmp_path: Path) -> None:
    assert found(tmp_path, HEAD + "user-invocable: maybe\n" + BODY) == [
        ("SK140", "error", 4, 17, "`user-invocable` must be `true` or `false`, not `maybe`")
    ]


@pytest.mark.parametrize("value", ['"true"', "'true'", '"false"', "off", "no", "'False'"])
def test_a_flag_claude_code_reads_as_meant_passes(tmp_path: Path, value: str) -> None:
    # Claude Code's parseBooleanFrontmatter: `value === true || value === 'true'`. The string
    # "true" is true, and a value meant as false is read as false.
    text = HEAD + f"disable-model-invocation: {value}\nuser-invocable: {value}\n" + BODY
    assert lint_text(tmp_path, text, target="claude-code", select=("SK140",)) == []


def test_a_quoted_true_hides_the_skill_from_the_model_as_the_boolean_does(tmp_path: Path) -> None:
    text = HEAD + 'disable-model-invocation: "true"\nuser-invocable: "false"\n' + BODY
    assert [d.code for d in lint_text(tmp_path, text, target="claude-code")] == ["SK141"]


def test_plain_booleans_pass(tmp_path: Path) -> None:
    text = HEAD + "disable-model-invocation: false\nuser-invocable: True\n" + BODY
    assert found(tmp_path, text) == []


def test_unreachable_skill(tmp_path: Path) -> None:
    text = HEAD + "disable-model-invocation: true\nuser-invocable: false\n" + BODY
    assert found(tmp_path, text) == [
        (
            "SK141",
            "warning",
            5,
            1,
            "with `disable-model-invocation: true` and `user-invocable: false` neither the model "
            "nor the user can invoke this skill; drop one of the two",
        )
    ]
    # Either alone is fine.
    assert found(tmp_path, HEAD + "user-invocable: false\n" + BODY) == []


@pytest.mark.parametrize(
    ("line", "severity", "message"),
    [
        # Any `context` but `fork` leaves the skill inline, as no `context` does: a warning
        # (a real skill writes `context: inline` and means it).
        (
            "context: forked",
            "warning",
            "`context` has an effect only as `fork`; with `forked` the skill runs inline, as "
            "without the field",
        ),
        (
            "context: inline",
            "warning",
            "`context` has an effect only as `fork`; with `inline` the skill runs inline, as "
            "without the field",
        ),
        (
            "effort: extreme",
            "error",
            "`effort` accepts one of `low`, `medium`, `high`, `xhigh`, `max`; not `extreme`",
        ),
        ("shell: zsh", "error", "`shell` accepts one of `bash`, `powershell`; not `zsh`"),
        (
            "paths: {a: b}",
            "error",
            "`paths` must be a string or a list of strings, not a mapping",
        ),
        ('agent: ""', "error", "`agent` is empty; name a subagent or drop the field"),
    ],
)
def test_field_values(tmp_path: Path, line: str, severity: str, message: str) -> None:
    codes = found(tmp_path, HEAD + line + "\n" + BODY)
    assert [(c[0], c[1], c[2], c[4]) for c in codes] == [("SK142", severity, 4, message)]


@pytest.mark.parametrize(
    "line",
    [
        "context: fork",
        "effort: xhigh",
        "shell: powershell",
        "paths: src/**/*.py, tests/**",
        "paths:\n  - src/**\n  - docs/**",
        "arguments: issue branch",
        "argument-hint: '[issue-number]'",
        "when_to_use: The user asks to tidy a CSV.",
        "context: fork\nagent: my-plugin:reviewer",
    ],
)
def test_valid_field_values(tmp_path: Path, line: str) -> None:
    assert found(tmp_path, HEAD + line + "\n" + BODY) == []


def test_an_unquoted_argument_hint_list_is_quoted_by_the_fix(tmp_path: Path) -> None:
    text = HEAD + "argument-hint: [issue-number]\n" + BODY
    [diagnostic] = lint_text(tmp_path, text, target="claude-code", select=("SK142",))
    assert (
        diagnostic.message
        == "`argument-hint: [issue-number]` is a YAML list, not a string; quote it"
    )
    # Claude Code reads it leniently; other readers get a list: a warning.
    assert diagnostic.severity is Severity.WARNING
    assert found(tmp_path, HEAD + "when_to_use: {a: b}\n" + BODY) == [
        ("SK142", "warning", 4, 14, "`when_to_use` must be a string, not a mapping")
    ]
    assert diagnostic.fix is not None
    assert (
        apply_edits(text, diagnostic.fix.edits) == HEAD + 'argument-hint: "[issue-number]"\n' + BODY
    )


def test_agent_without_fork(tmp_path: Path) -> None:
    assert found(tmp_path, HEAD + "agent: Explore\n" + BODY) == [
        (
            "SK143",
            "warning",
            4,
            1,
            "`agent: Explore` has no effect without `context: fork`; add it, or drop `agent`",
        )
    ]
    assert found(tmp_path, HEAD + "context: fork\n" + BODY) == []


@pytest.mark.parametrize(
    "model", ["sonnet", "opus", "haiku", "inherit", "claude-opus-4-6", "claude-sonnet-4-5-20250929"]
)
def test_known_models(tmp_path: Path, model: str) -> None:
    assert found(tmp_path, HEAD + f"model: {model}\n" + BODY) == []


def test_unknown_model_is_a_warning(tmp_path: Path) -> None:
    assert found(tmp_path, HEAD + "model: gpt-4o\n" + BODY) == [
        (
            "SK144",
            "warning",
            4,
            8,
            "`model: gpt-4o` is not a Claude model alias (`sonnet`, `opus`, `haiku`, `inherit`) "
            "or a Claude model id (`claude-...`)",
        )
    ]


HOOK = "    - matcher: Bash\n      hooks:\n        - type: command\n          command: ./check.sh\n"


def test_valid_hooks(tmp_path: Path) -> None:
    assert (
        found(tmp_path, HEAD + "hooks:\n  PreToolUse:\n" + HOOK + "  Stop:\n" + HOOK + BODY) == []
    )


@pytest.mark.parametrize(
    ("hooks", "line", "message"),
    [
        (
            "hooks: ./check.sh\n",
            4,
            "`hooks` must be a mapping of hook events to lists, not `./check.sh`",
        ),
        (
            "hooks:\n  pretooluse:\n" + HOOK,
            5,
            "`pretooluse` is not a Claude Code hook event; did you mean `PreToolUse`?",
        ),
        ("hooks:\n  BeforeTool:\n" + HOOK, 5, "`BeforeTool` is not a Claude Code hook event"),
        (
            "hooks:\n  Stop: ./done.sh\n",
            5,
            "`hooks.Stop` must be a list of matcher groups, not `./done.sh`",
        ),
        (
            "hooks:\n  Stop:\n    - type: command\n      command: ./done.sh\n",
            6,
            "each entry of `hooks.Stop` is a matcher group with a `hooks` list (`- matcher: Bash` "
            "/ `hooks: [{type: command, command: ...}]`)",
        ),
    ],
)
def test_invalid_hooks(tmp_path: Path, hooks: str, line: int, message: str) -> None:
    codes = found(tmp_path, HEAD + hooks + BODY)
    assert [(c[0], c[1], c[2], c[4]) for c in codes] == [("SK145", "error", line, message)]


def test_tools(tmp_path: Path) -> None:
    ok = (
        "allowed-tools: Read, Grep Bash(git diff *) mcp__github__get_issue WebFetch(domain:x.com)\n"
    )
    assert found(tmp_path, HEAD + ok + BODY) == []
    assert found(
        tmp_path, HEAD + "allowed-tools: [read, Bsh]\ndisallowed-tools: Writ\n" + BODY
    ) == [
        (
            "SK146",
            "warning",
            4,
            17,
            "`allowed-tools` names `read`, which is not a Claude Code tool; tool names are "
            "case-sensitive: `Read`",
        ),
        (
            "SK146",
            "warning",
            4,
            23,
            "`allowed-tools` names `Bsh`, which is not a Claude Code tool; did you mean `Bash`?",
        ),
        (
            "SK146",
            "warning",
            5,
            19,
            "`disallowed-tools` names `Writ`, which is not a Claude Code tool; did you mean "
            "`Write`?",
        ),
    ]


def test_tools_of_recent_releases_are_known(tmp_path: Path) -> None:
    text = HEAD + "allowed-tools: Bash, Workflow, PushNotification, ScheduleWakeup\n" + BODY
    assert found(tmp_path, text) == []


def test_claude_code_fields_are_not_checked_for_other_targets(tmp_path: Path) -> None:
    text = HEAD + "context: forked\n" + BODY
    assert [f[0] for f in found(tmp_path, text, target="codex")] == ["SK107"]


# The Claude API: reserved words, XML tags, the upload size


def test_reserved_words_in_the_name(tmp_path: Path) -> None:
    text = "---\nname: claude-csv\n" + D + BODY
    assert found(tmp_path, text, target="claude-api", folder="claude-csv") == [
        (
            "SK113",
            "error",
            2,
            7,
            "`name` contains the reserved word `claude`, which the Claude API (Skills) and "
            "claude.ai upload rejects",
        )
    ]
    assert found(tmp_path, text, target="spec", folder="claude-csv") == []


def test_xml_tags_in_the_description(tmp_path: Path) -> None:
    text = "---\nname: demo\ndescription: Tidies CSV files. Use when <csv> is messy.\n" + BODY
    assert [(f[0], f[4]) for f in found(tmp_path, text, target="claude-api")] == [
        (
            "SK123",
            "`description` contains the XML tag `<csv>`, which the Claude API (Skills) and "
            "claude.ai upload rejects; reword it without angle brackets",
        )
    ]
    # A comparison is not a tag.
    text = "---\nname: demo\ndescription: Tidies CSV files when rows < 10 or > 5. Use when asked.\n"
    assert found(tmp_path, text + BODY, target="claude-api") == []


def test_the_upload_size(tmp_path: Path) -> None:
    options = {"options": {"max-upload-bytes": 1000}}
    big = {"assets/data.bin": "x" * 2000}
    assert [
        (f[0], f[1])
        for f in found(tmp_path, HEAD + BODY, target="claude-api", files=big, settings=options)
    ] == [("SK004", "error")]
    assert found(tmp_path / "small", HEAD + BODY, target="claude-api", settings=options) == []
    assert found(tmp_path / "other", HEAD + BODY, target="spec", files=big, settings=options) == []


# Where a skill lives tells which client reads it


def _tree(root: Path) -> None:
    text = HEAD.replace("name: demo", "name: x") + "version: 1\n" + BODY
    (root / "plug" / ".claude-plugin").mkdir(parents=True)
    (root / "plug" / ".claude-plugin" / "plugin.json").write_text('{"name": "plug"}\n')
    write_skill(root / "plug" / "skills", text, folder="x")
    write_skill(root / "app" / ".claude" / "skills", text, folder="x")
    write_skill(root / "plain", text, folder="x")


def test_the_target_is_inferred_from_where_the_skill_lives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path)
    assert main(["lint", str(tmp_path), "--format", "json", "--select", "SK107"]) == 1
    out = json.loads(capsys.readouterr().out)
    by_path = {Path(d["path"]).relative_to(tmp_path).as_posix(): d["severity"] for d in out}
    assert by_path == {
        "app/.claude/skills/x/SKILL.md": "warning",
        "plain/x/SKILL.md": "error",
        "plug/skills/x/SKILL.md": "warning",
    }
    # A flag wins over the place.
    assert (
        main(["lint", str(tmp_path), "--format", "json", "--select", "SK107", "--target", "spec"])
        == 1
    )
    out = json.loads(capsys.readouterr().out)
    assert {d["severity"] for d in out} == {"error"}


def test_a_config_target_wins_over_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path)
    (tmp_path / "skillkit.toml").write_text('target = "spec"\n')
    assert main(["lint", str(tmp_path), "--format", "json", "--select", "SK107"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert {d["severity"] for d in out} == {"error"}


def test_config_says_which_target_each_file_is_checked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path)
    assert main(["config", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    plugin = tmp_path / "plug" / ".claude-plugin" / "plugin.json"
    assert out.splitlines()[-4:] == [
        "# skill files and the target each is checked for (3):",
        f"#   {tmp_path}/app/.claude/skills/x/SKILL.md: claude-code (inferred: the skill is "
        "under `.claude/skills`)",
        f"#   {tmp_path}/plain/x/SKILL.md: spec (default)",
        f"#   {tmp_path}/plug/skills/x/SKILL.md: claude-code (inferred: `{plugin}`)",
    ]
    assert (
        main(["config", str(tmp_path / "plug" / "skills" / "x" / "SKILL.md"), "--format", "json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["settings"]["target"] == {"value": "claude-code", "source": f"inferred: `{plugin}`"}


# Claude Code sets no 1024-character limit; it cuts the listing entry at 1,536


def test_claude_code_takes_a_long_description_and_cuts_the_listing(tmp_path: Path) -> None:
    long = "Use when the user asks to tidy a CSV. " * 30  # 1,139 characters when stripped
    text = "---\nname: demo\ndescription: " + long.strip() + "\n" + BODY
    assert found(tmp_path, text) == []
    assert [f[0] for f in found(tmp_path, text, target="spec")] == ["SK120"]
    text = text.replace(BODY, "when_to_use: " + long.strip() + "\n" + BODY)
    assert found(tmp_path, text) == [
        (
            "SK124",
            "warning",
            3,
            14,
            "the description and `when_to_use` come to 2,279 characters; Claude Code cuts each "
            "skill's listing entry at 1,536, so the model never sees the rest",
        )
    ]
    hidden = text.replace(BODY, "disable-model-invocation: true\n" + BODY)
    assert found(tmp_path, hidden) == []


# SK150: Codex's agents/openai.yaml sidecar


def sidecar_findings(
    tmp_path: Path, sidecar: str, files: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    all_files = {"agents/openai.yaml": sidecar, **(files or {})}
    diagnostics = lint_text(
        tmp_path, HEAD + BODY, target="codex", select=("SK150",), files=all_files
    )
    assert all(d.span == Span.at(1) for d in diagnostics)
    return [(d.severity.label, d.message) for d in diagnostics]


def test_a_valid_sidecar(tmp_path: Path) -> None:
    sidecar = (
        'interface:\n  display_name: "CSV Tools"\n  short_description: "Tidy and check CSV files '
        'quickly"\n  icon_small: "./assets/small.svg"\n  icon_large: assets/large.png\n'
        '  brand_color: "#3B82F6"\n  default_prompt: "Use $demo to tidy data.csv"\n'
        "  homepage: https://example.com\npolicy:\n  allow_implicit_invocation: false\n"
        "dependencies:\n  tools:\n    - type: mcp\n      value: github\n"
    )
    icons = {"assets/small.svg": "<svg/>", "assets/large.png": "png"}
    assert sidecar_findings(tmp_path, sidecar, icons) == []


def test_sidecar_values_codex_drops(tmp_path: Path) -> None:
    sidecar = (
        'interface:\n  display_name: ""\n  short_description: "Tidy"\n'
        '  icon_small: "./assets/x.png"\n  icon_large: "../logo.svg"\n  brand_color: blue\n'
        '  defualt_prompt: "x"\n  default_prompt: "' + "p" * 1025 + '"\n'
    )
    assert sidecar_findings(tmp_path, sidecar) == [
        ("warning", "agents/openai.yaml:2: `interface.display_name` is empty; Codex ignores it"),
        (
            "info",
            "agents/openai.yaml:3: `interface.short_description` is 4 characters long; Codex's "
            "guidance for the picker is 25-64",
        ),
        (
            "warning",
            "agents/openai.yaml:4: `interface.icon_small: ./assets/x.png` names a file that does "
            "not exist in the skill folder",
        ),
        (
            "warning",
            "agents/openai.yaml:5: `interface.icon_large: ../logo.svg` leaves the skill folder "
            "(`..`); Codex ignores it",
        ),
        (
            "warning",
            "agents/openai.yaml:6: `interface.brand_color: blue` is not a `#RRGGBB` colour; Codex "
            "ignores it",
        ),
        (
            "warning",
            "agents/openai.yaml:7: unknown key `interface.defualt_prompt`; did you mean "
            "`default_prompt`?",
        ),
        (
            "warning",
            "agents/openai.yaml:8: `interface.default_prompt` is 1,025 characters long; Codex "
            "ignores one over 1,024",
        ),
    ]


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        (
            "policy:\n  allow_implicit_invocation: 'false'\n",
            "agents/openai.yaml:2: `policy.allow_implicit_invocation` must be `true` or `false`, "
            'not the string "false"; Codex ignores the whole file',
        ),
        (
            "interface:\n  display_name: [a]\n",
            "agents/openai.yaml:2: `interface.display_name` must be a string, not a list; Codex "
            "ignores the whole file",
        ),
        (
            "interface: [\n",
            "agents/openai.yaml:2: cannot be read (YAML syntax error: did not find expected node "
            "content); Codex ignores the whole file",
        ),
    ],
)
def test_a_sidecar_codex_cannot_read(tmp_path: Path, sidecar: str, message: str) -> None:
    assert sidecar_findings(tmp_path, sidecar) == [("warning", message)]


def test_the_sidecar_is_read_only_for_codex(tmp_path: Path) -> None:
    files = {"agents/openai.yaml": "interface:\n  brand_color: blue\n"}
    assert lint_text(tmp_path, HEAD + BODY, target="spec", files=files) == []
