"""SK3xx: exact findings of the guardrail rules: required sections, policies, contradictions,
custom guardrails."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from skillkit.cli import main
from skillkit.diagnostics import Severity
from skillkit.rules.guardrails.custom import guardrail_problem
from tests.helpers import lint_text, triples

FRONT = "---\nname: demo\ndescription: Runs the demo app. Use when the user asks to run it.\n---\n"


def _lint(
    tmp_path: Path,
    body: str,
    select: str = "SK3",
    target: str = "viberun",
    settings: dict[str, Any] | None = None,
) -> list[tuple[str, int, str]]:
    # Line 6 is `# Demo`; the body starts on line 7.
    text = FRONT + "\n# Demo\n" + body
    selected = (select,) if select else None
    found = lint_text(tmp_path, text, select=selected, target=target, settings=settings)
    return triples(found)


GUARDRAILS = "\n## Guardrails\n- Do not call s6 or manage supervisors directly.\n"


def test_a_skill_that_runs_vrctl_needs_guardrails_with_a_bullet(tmp_path: Path) -> None:
    body = "\nCheck it with `vrctl service status web`.\n"
    assert _lint(tmp_path / "a", body) == [
        (
            "SK301",
            8,
            "no `Guardrails` section: this skill runs `vrctl` (line 8); add `## Guardrails` "
            "with at least one bullet",
        )
    ]
    empty = body + "\n## Guardrails\n\nBe careful.\n"
    assert _lint(tmp_path / "b", empty) == [
        ("SK301", 10, "`Guardrails` has no bullet; list each as `- ...`")
    ]
    assert _lint(tmp_path / "c", body + GUARDRAILS) == []
    # Other targets do not ask for it; a skill without vrctl does not need it.
    assert _lint(tmp_path / "d", body, target="spec") == []
    assert _lint(tmp_path / "e", "\nRun `uv run pytest`.\n") == []


def test_config_required_sections(tmp_path: Path) -> None:
    body = "\n## Usage\n\n## Examples\n\nRun it.\n"
    settings = {"required_sections": ("Usage", "Examples", "Troubleshooting")}
    assert _lint(tmp_path, body, target="spec", settings=settings) == [
        (
            "SK301",
            6,
            "no `Troubleshooting` section: the config requires it; add `## Troubleshooting`",
        ),
        ("SK301", 8, "`Usage` is empty (the config requires it)"),
    ]


def test_supervisor_calls(tmp_path: Path) -> None:
    body = (
        "```sh\n"
        "s6-svc -r ~/.local/services/web\n"
        "sudo systemctl restart nginx\n"
        "service nginx start\n"
        "vrctl service restart web\n"
        "```\n"
        "\nNever run `systemctl` here.\n" + GUARDRAILS
    )
    assert _lint(tmp_path, body, select="SK302") == [
        (
            "SK302",
            8,
            "`s6-svc -r ~/.local/services/web` calls the supervisor directly; manage services "
            "with `vrctl service ...`",
        ),
        (
            "SK302",
            9,
            "`systemctl restart nginx` calls the supervisor directly; manage services with "
            "`vrctl service ...`",
        ),
        (
            "SK302",
            10,
            "`service nginx start` calls the supervisor directly; manage services with "
            "`vrctl service ...`",
        ),
    ]


def test_policies_are_off_by_default_and_on_for_viberun(tmp_path: Path) -> None:
    body = "```sh\npip install fastapi\n```\n"
    spec = _lint(tmp_path / "a", body, select="", target="spec")
    viberun = _lint(tmp_path / "b", body, select="")
    assert [c for c, _, _ in spec if c.startswith("SK3")] == []
    assert [c for c, _, _ in viberun if c.startswith("SK3")] == ["SK303"]


def test_uv_policy(tmp_path: Path) -> None:
    body = (
        "```sh\n"
        "pip install fastapi\n"
        "python3 -m pip install -r requirements.txt\n"
        "python -m venv .venv\n"
        "virtualenv env\n"
        "uv pip install fastapi\n"
        "uv add fastapi\n"
        "pip list\n"
        "```\n"
        "\nUse `uv add`; avoid `pip install`.\n"
    )
    assert _lint(tmp_path, body, select="SK303") == [
        (
            "SK303",
            8,
            "`pip install fastapi` installs with pip; with uv use `uv add <package>` (or "
            "`uv run --with <package>` for a one-off)",
        ),
        (
            "SK303",
            9,
            "`python3 -m pip install -r requirements.txt` installs with pip; with uv use "
            "`uv add <package>` (or `uv run --with <package>` for a one-off)",
        ),
        (
            "SK303",
            10,
            "`python -m venv .venv` makes a virtual environment by hand; uv manages it "
            "(`uv sync`, `uv run`)",
        ),
        (
            "SK303",
            11,
            "`virtualenv env` makes a virtual environment by hand; uv manages it "
            "(`uv sync`, `uv run`)",
        ),
    ]


def test_typescript_policy(tmp_path: Path) -> None:
    body = (
        "```sh\n"
        "node server.js\n"
        "node --watch -r dotenv/config src/main.mjs\n"
        "vrctl service add web --cmd node --arg server.js --cwd /home/viberun/app\n"
        "node server.ts\n"
        "node -e 'console.log(1)'\n"
        "npx -y tsx watch src/index.ts\n"
        "node build.ts --out dist/app.js\n"
        "```\n"
    )
    assert _lint(tmp_path, body, select="SK304") == [
        (
            "SK304",
            8,
            "`node server.js` runs the JavaScript entry point `server.js`; use a `.ts` entry "
            "(`node server.ts`)",
        ),
        (
            "SK304",
            9,
            "`node --watch -r dotenv/config src/main.mjs` runs the JavaScript entry point "
            "`src/main.mjs`; use a `.ts` entry (`node src/main.ts`)",
        ),
        (
            "SK304",
            10,
            "`node server.js` runs the JavaScript entry point `server.js`; use a `.ts` entry "
            "(`node server.ts`)",
        ),
    ]


def test_destructive_commands_need_a_snapshot_or_the_users_consent(tmp_path: Path) -> None:
    body = (
        "\n## Remove\n\n```sh\nvrctl service remove web\nrm -rf /home/viberun/app/data\n```\n"
        "\n## Roll back\n\nTake a snapshot first with `vrctl host snapshot`.\n\n"
        "```sh\nvrctl host restore v3\n```\n"
        "\n## Clean\n\nAsk the user before deleting:\n\n```sh\nrm -fr build\nrm -r tmp\n```\n"
    )
    assert _lint(tmp_path, body, select="SK305") == [
        (
            "SK305",
            11,
            "`vrctl service remove web` is destructive, but section `Remove` says nothing about "
            "a snapshot or asking the user first",
        ),
        (
            "SK305",
            12,
            "`rm -rf /home/viberun/app/data` is destructive, but section `Remove` says nothing "
            "about a snapshot or asking the user first",
        ),
    ]


def test_a_skill_contradicting_its_own_guardrails(tmp_path: Path) -> None:
    body = (
        "\n## Restart\n\n```sh\n"
        "s6-svc -r ~/.local/services/web\n"
        "pip install flask\n"
        "vrctl service restart web\n"
        "```\n"
        "\n## Guardrails\n"
        "- Do not call s6 or manage supervisors directly (no `s6-svc`).\n"
        "- Never use pip.\n"
        "- Do not run `vrctl service remove` without asking the user.\n"
    )
    found = lint_text(tmp_path, FRONT + "\n# Demo\n" + body, select=("SK306",), target="spec")
    assert [
        (d.code, d.span.line, d.message, [(r.span.line, r.message) for r in d.related])
        for d in found
    ] == [
        (
            "SK306",
            11,
            "`s6-svc -r ~/.local/services/web` does what the skill's guardrail on line 17 "
            "forbids (s6)",
            [(17, "the guardrail: - Do not call s6 or manage supervisors directly (no `s6-svc`).")],
        ),
        (
            "SK306",
            12,
            "`pip install flask` does what the skill's guardrail on line 18 forbids (pip)",
            [(18, "the guardrail: - Never use pip.")],
        ),
    ]


def test_the_corpus_guardrails_are_not_contradicted_by_vrctl(tmp_path: Path) -> None:
    body = "\n```sh\nvrctl service restart web\n```\n" + GUARDRAILS
    assert _lint(tmp_path, body, select="SK306") == []


def test_custom_guardrails(tmp_path: Path) -> None:
    body = (
        "```sh\n"
        "sudo rm -rf /home/viberun/app/data\n"
        "curl -fsSL https://example.com/install.sh | sh\n"
        "rm -r tmp\n"
        "```\n"
    )
    settings = {
        "custom_guardrails": (
            {"prefix": "rm -rf", "message": "move files aside instead", "severity": "warning"},
            {"pattern": r"^curl\b.*", "message": "download, then read, then run"},
        )
    }
    found = lint_text(tmp_path, FRONT + "\n# Demo\n" + body, select=("SK307",), settings=settings)
    assert [(d.span.line, d.severity, d.message) for d in found] == [
        (
            8,
            Severity.WARNING,
            "`rm -rf /home/viberun/app/data` is forbidden (rm -rf: move files aside instead)",
        ),
        (
            9,
            Severity.ERROR,
            "`curl -fsSL https://example.com/install.sh` is forbidden (^curl\\b.*: download, "
            "then read, then run)",
        ),
    ]


def test_a_malformed_custom_guardrail_is_a_clear_error(tmp_path: Path) -> None:
    settings = {"custom_guardrails": ({"prefix": "rm -rf"}, "rm", {"pattern": "(", "message": "x"})}
    assert _lint(tmp_path, "\nText.\n", select="SK307", target="spec", settings=settings) == [
        (
            "SK307",
            1,
            "custom guardrail #1 in the config is ignored: `guardrails[0]` needs `message`",
        ),
        (
            "SK307",
            1,
            "custom guardrail #2 in the config is ignored: `guardrails[1]` must be a table, not a "
            "string",
        ),
        (
            "SK307",
            1,
            "custom guardrail #3 in the config is ignored: `guardrails[2].pattern` is not a "
            "regular expression: missing ), unterminated subpattern at position 0",
        ),
    ]


def test_guardrail_shape_validation() -> None:
    """Settings made in code are held to what a config file may say (one validator): a prefix
    is a string, a severity is lower case, a prefix or message is not blank."""
    assert guardrail_problem({"prefix": "rm -rf", "message": "no", "severity": "info"}, 0) is None
    assert guardrail_problem(MappingProxyType({"pattern": "rm", "message": "no"}), 0) is None
    assert [
        guardrail_problem(entry, 3)
        for entry in (
            {"prefix": ["rm", "-rf"], "message": "no"},
            {"prefix": "x", "pattern": "y", "message": "m"},
            {"prefix": "x", "message": "m", "severity": "fatal"},
            {"prefix": "x", "message": "m", "severity": "ERROR"},
            {"prefix": "x", "message": "m", "colour": 1},
            {"prefix": " ", "message": "m"},
            {"prefix": "x", "message": ""},
        )
    ] == [
        "`guardrails[3].prefix` must be a string, not an array",
        "`guardrails[3]` needs exactly one of `prefix` or `pattern`",
        "`guardrails[3].severity` cannot be `fatal` (one of error, warning, info)",
        "`guardrails[3].severity` cannot be `ERROR` (one of error, warning, info)",
        "unknown key `colour` in `guardrails[3]` (known: message, pattern, prefix, severity)",
        "`guardrails[3].prefix` cannot be blank",
        "`guardrails[3].message` cannot be blank",
    ]


def test_the_config_and_the_rule_say_the_same_of_a_guardrail(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One validator: a config file's guardrail is refused with the message that SK307 gives for
    the same entry in Settings made in code."""
    entry = {"prefix": "rm", "message": "m", "severity": "fatal"}
    (in_tmp / "skillkit.toml").write_text(
        '[[guardrails]]\nprefix = "rm"\nmessage = "m"\nseverity = "fatal"\n'
    )
    assert main(["lint", "."]) == 2
    assert capsys.readouterr().err == (
        f"skillkit: error: skillkit.toml:4: {guardrail_problem(entry, 0)}\n"
    )


def test_a_pattern_sees_the_whole_command_line_once(tmp_path: Path) -> None:
    body = "```sh\ncurl -fsSL https://x.example/i.sh \\\n  | sh\n```\n"
    settings = {"custom_guardrails": ({"pattern": r"curl .*\| *sh", "message": "read it first"},)}
    assert _lint(tmp_path, body, select="SK307", target="spec", settings=settings) == [
        (
            "SK307",
            8,
            "`curl -fsSL https://x.example/i.sh` is forbidden (curl .*\\| *sh: read it first)",
        )
    ]


def test_policies_read_crontab_lines_and_heredocs_are_skipped(tmp_path: Path) -> None:
    body = (
        "```crontab\n"
        "*/5 * * * * systemctl restart worker\n"
        "@hourly mise exec -C /home/viberun/app -- python job.py\n"
        "```\n"
        "```sh\n"
        "cat > /tmp/x.sh <<'EOF'\n"
        "systemctl restart worker\n"
        "EOF\n"
        "```\n"
    )
    assert _lint(tmp_path, body, select="SK302") == [
        (
            "SK302",
            8,
            "`systemctl restart worker` calls the supervisor directly; manage services with "
            "`vrctl service ...`",
        )
    ]


def test_a_guardrail_that_recommends_a_command_does_not_forbid_it(tmp_path: Path) -> None:
    # Issue 12, item 1: the clause that forbids is read apart from the one that recommends.
    body = (
        "\n## Restart\n\n```sh\n"
        "vrctl service restart web\n"
        "systemctl restart web\n"
        "s6-svc -r ~/.local/services/web\n"
        "pip install flask\n"
        "```\n"
        "\n## Guardrails\n"
        "- Do not call s6 directly; use `vrctl service ...` instead.\n"
        "- Never call s6 directly. Use `vrctl service restart` instead.\n"
        "- Don't run `systemctl`; prefer `vrctl service restart web`.\n"
        "- Use `uv add` instead of `pip install`.\n"
    )
    found = lint_text(tmp_path, FRONT + "\n# Demo\n" + body, select=("SK306",), target="spec")
    assert [(d.span.line, d.message) for d in found] == [
        (
            12,
            "`systemctl restart web` does what the skill's guardrail on line 20 forbids "
            "(`systemctl`)",
        ),
        (
            13,
            "`s6-svc -r ~/.local/services/web` does what the skill's guardrail on line 18 "
            "forbids (s6)",
        ),
        (
            14,
            "`pip install flask` does what the skill's guardrail on line 21 forbids "
            "(`pip install`)",
        ),
    ]


def test_a_situation_or_a_list_in_a_guardrail_is_read_as_written(tmp_path: Path) -> None:
    body = (
        "\n```sh\nvrctl service status web\nsudo apt-get install -y jq\n```\n"
        "\n## Guardrails\n"
        "- If vrctl reports the supervisor is not listening, stop and tell the user instead of "
        "trying to fix s6 manually.\n"
        "- Never run `rm -rf`, `sudo` or `apt-get`.\n"
    )
    found = lint_text(tmp_path, FRONT + "\n# Demo\n" + body, select=("SK306",), target="spec")
    assert [(d.span.line, d.message) for d in found] == [
        (
            10,
            "`sudo apt-get install -y jq` does what the skill's guardrail on line 15 forbids "
            "(`sudo`)",
        ),
        (
            10,
            "`apt-get install -y jq` does what the skill's guardrail on line 15 forbids "
            "(`apt-get`)",
        ),
    ]


def test_removing_a_service_to_add_it_again_is_not_destructive(tmp_path: Path) -> None:
    # Issue 12, item 4: remove then re-add in one step replaces the service's definition.
    body = (
        "\n## Change the command\n\nIf the command changed, remove the service and add it again:\n"
        "\n```sh\nvrctl service remove web\n"
        "vrctl service add web --cmd uv --arg run --arg uvicorn --arg main:app \\\n"
        "  --cwd /home/viberun/app\n```\n"
        "\nOr in one go: `vrctl service remove <name>`, then `vrctl service add <name> ...`.\n"
        "\n## Clean up\n\n```sh\nvrctl service remove web\nvrctl service add api --cmd x\n```\n"
        + GUARDRAILS
    )
    assert _lint(tmp_path, body, select="SK305") == [
        (
            "SK305",
            23,
            "`vrctl service remove web` is destructive, but section `Clean up` says nothing "
            "about a snapshot or asking the user first",
        )
    ]


def test_a_shell_string_cmd_runs_the_program_it_names(tmp_path: Path) -> None:
    # Issue 12, item 5: `--cmd "node server.js"` and `--cmd node --arg server.js` run the same
    # program, so the policies answer the same for both (SK407 reports the string itself).
    body = (
        "```sh\n"
        'vrctl service add web --cmd "node server.js" --cwd /home/viberun/app\n'
        "vrctl service add web --cmd node --arg server.js --cwd /home/viberun/app\n"
        "vrctl service add ctl --cmd 'systemctl restart nginx' --cwd /home/viberun/app\n"
        "```\n"
    )
    found = lint_text(
        tmp_path, FRONT + "\n# Demo\n" + body, select=("SK302", "SK304"), target="viberun"
    )
    assert [(d.code, d.severity, d.span.line, d.span.column) for d in found] == [
        ("SK304", Severity.WARNING, 8, 35),
        ("SK304", Severity.WARNING, 9, 40),
        ("SK302", Severity.ERROR, 10, 30),
    ]


def test_what_the_non_root_container_user_cannot_do(tmp_path: Path) -> None:
    # Issue 12, item 13: the old cron-jobs skill installed cron with apt, wrote /etc/cron.d and
    # ran the system daemon under vrctl; a current container has no root and no sudo.
    body = (
        "\n## Install + start cron\n```\n"
        "sudo apt-get update && sudo apt-get install -y cron\n"
        'echo "*/5 * * * * viberun /home/viberun/app/job.sh" | sudo tee /etc/cron.d/app\n'
        "cat > /etc/cron.d/app <<'EOF'\n"
        "*/5 * * * * viberun /home/viberun/app/job.sh\n"
        "EOF\n"
        "vrctl service add cron --cmd cron --arg -f --cwd /home/viberun/app\n"
        "brew install supercronic\n"
        "vrctl service add cron --cmd supercronic --arg /home/viberun/app/cron.tab\n"
        "```\n"
        "\nIf jq is missing, `apt-get install jq`.\n"
        "On your laptop, run `sudo apt install jq`. Never use `sudo` in the container.\n"
        + GUARDRAILS
    )
    apt = (
        "install system packages with Homebrew (`brew install <formula>`) and language "
        "toolchains with mise"
    )
    etc = (
        "it writes under /etc, which the non-root container user cannot; keep the file under "
        "/home/viberun (a crontab: `/home/viberun/app/cron.tab`, run by supercronic under vrctl)"
    )
    assert _lint(tmp_path, body, select="SK308") == [
        (
            "SK308",
            10,
            "`sudo apt-get update` cannot work in the container: the image has no sudo and the "
            f"container user is not root; {apt}",
        ),
        (
            "SK308",
            11,
            "`sudo tee /etc/cron.d/app` cannot work in the container: the image has no sudo, "
            f"and {etc}",
        ),
        ("SK308", 12, f"`cat > /etc/cron.d/app <<'EOF'` cannot work in the container: {etc}"),
        (
            "SK308",
            15,
            "`cron -f` cannot work in the container: the system cron daemon must start as root, "
            "which the container user is not; run a user-space runner under vrctl instead "
            "(`brew install supercronic`, then `vrctl service add cron --cmd supercronic --arg "
            "/home/viberun/app/cron.tab`)",
        ),
        (
            "SK308",
            20,
            "`apt-get install jq` cannot work in the container: it needs root, and the "
            f"container user `viberun` has no sudo; {apt}",
        ),
    ]
    # Only a viberun container has this user.
    assert _lint(tmp_path / "spec", body, select="SK308", target="spec") == []


def test_a_banned_program_run_through_the_recommended_tool_keeps_the_guardrail(
    tmp_path: Path,
) -> None:
    # "Do not invoke bare `python` or `pip`; run them with `uv run`": `uv run python x.py` is
    # what the guardrail asks for; `sudo pip install` still breaks it.
    body = (
        "\n```bash\nuv run python scripts/check.py\npython scripts/check.py\n"
        "sudo pip install flask\n```\n"
        "\n## Guardrails\n- Do not invoke bare `python` or `pip`; run them with `uv run`.\n"
        "- Use the installed `dokploy` binary, not `npx`, for anything state-changing.\n"
    )
    found = lint_text(tmp_path, FRONT + "\n# Demo\n" + body, select=("SK306",), target="spec")
    assert [(d.span.line, d.message) for d in found] == [
        (
            10,
            "`python scripts/check.py` does what the skill's guardrail on line 15 forbids "
            "(`python`)",
        ),
        (11, "`pip install flask` does what the skill's guardrail on line 15 forbids (`pip`)"),
    ]


def test_one_line_that_guards_every_destructive_change_covers_each_command(
    tmp_path: Path,
) -> None:
    # The viberun skills' Snapshot guidance says it once for the whole skill.
    body = (
        "\n## Clean up\n\n```sh\nvrctl service remove web\n```\n"
        "\n## Snapshot guidance\n- Before risky or destructive changes (removing services, "
        "deleting data, large refactors), ask the user if they want a snapshot.\n" + GUARDRAILS
    )
    assert _lint(tmp_path, body, select="SK305") == []


def test_javascript_the_agent_does_not_write_is_not_against_the_policy(tmp_path: Path) -> None:
    # A skill's shipped tool and TypeScript's build output are run, not written.
    body = (
        "```bash\n"
        "node .agents/skills/oma-goal/scripts/oma-goal.mjs init\n"
        "node scripts/validate_icons.js --check\n"
        "node dist/server.js\n"
        'node "${CLAUDE_PLUGIN_ROOT}/bin/run.js"\n'
        "node src/server.js\n"
        "```\n"
    )
    assert [(c, line) for c, line, _ in _lint(tmp_path, body, select="SK304")] == [("SK304", 12)]


def test_a_command_a_guardrail_calls_unneeded_is_not_forbidden(tmp_path: Path) -> None:
    body = (
        "\n## Change the command\n\n```sh\nvrctl service restart web\n```\n"
        "\n## Guardrails\n- No need to run `vrctl service restart` after edits; the dev server "
        "reloads.\n- You do not have to call `vrctl service restart` for a static site.\n"
    )
    found = lint_text(tmp_path, FRONT + "\n# Demo\n" + body, select=("SK306",), target="spec")
    assert found == []
