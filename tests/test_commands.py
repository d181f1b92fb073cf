"""SK4xx: exact findings of the command rules, on code blocks (with `\\` continuations and
heredocs), crontab lines, inline spans, mentions and placeholders."""

from __future__ import annotations

from pathlib import Path

from skillkit.diagnostics import Severity
from tests.helpers import lint_text, triples

FRONT = "---\nname: demo\ndescription: Runs the demo app. Use when the user asks to run it.\n---\n"


def _lint(tmp_path: Path, body: str, select: str = "SK4") -> list[tuple[str, int, str]]:
    # Line 6 is the first body line: FRONT is 4 lines, then a blank line and `# Demo`.
    return triples(lint_text(tmp_path, FRONT + "\n# Demo\n" + body, select=(select,)))


def _block(*lines: str) -> str:
    return "```sh\n" + "\n".join(lines) + "\n```\n"  # the first command is on line 8


APP = "/home/viberun/app"
CWD = f"--cwd {APP}"


def test_unknown_subcommands(tmp_path: Path) -> None:
    body = _block(
        "vrctl service rm web", "vrctl service ls", "vrctl host", "vrctl host urls publik"
    )
    assert _lint(tmp_path, body) == [
        (
            "SK401",
            8,
            "unknown subcommand `vrctl service rm`; `vrctl service` takes add, list, logs, "
            "remove, restart, start, status, stop; did you mean `remove`?",
        ),
        (
            "SK401",
            9,
            "unknown subcommand `vrctl service ls`; `vrctl service` takes add, list, logs, "
            "remove, restart, start, status, stop; did you mean `logs`?",
        ),
        (
            "SK401",
            10,
            "`vrctl host` needs a subcommand: attach, branch, restore, snapshot, snapshots, urls",
        ),
        (
            "SK403",
            11,
            "`publik` is not one of public, private, disable, enable; did you mean `public`?",
        ),
    ]


def test_unknown_flags_and_a_placeholder_never_hides_one(tmp_path: Path) -> None:
    body = _block("vrctl service logs web -f", "vrctl service logs <name> --follow <n>")
    assert _lint(tmp_path, body) == [
        ("SK402", 8, "unknown flag `-f` for `vrctl service logs`; did you mean `-n`?"),
        ("SK402", 9, "unknown flag `--follow` for `vrctl service logs`; it takes -n"),
        (
            "SK403",
            9,
            "`vrctl service logs` takes 1 argument; unexpected `<n>` "
            "(usage: vrctl service logs <name> [-n <lines>])",
        ),
    ]


def test_argument_counts(tmp_path: Path) -> None:
    body = _block("vrctl service status", "vrctl service stop web api", "vrctl service list x")
    assert _lint(tmp_path, body) == [
        ("SK403", 8, "`vrctl service status` needs <name> (usage: vrctl service status <name>)"),
        (
            "SK403",
            9,
            "`vrctl service stop` takes 1 argument; unexpected `api` "
            "(usage: vrctl service stop <name>)",
        ),
        (
            "SK403",
            10,
            "`vrctl service list` takes no arguments; unexpected `x` (usage: vrctl service list)",
        ),
    ]


def test_a_mention_is_not_checked_for_missing_arguments(tmp_path: Path) -> None:
    # An inline span inside a sentence names a command: what it leaves out is not a finding,
    # what it writes is (issue 12, item 11). A span alone in a list item is a command as written.
    body = (
        "\nRegister it with `vrctl service add`, then `vrctl service restart`; see `vrctl`.\n"
        "Never `vrctl service add web`.\n"
        "Use `vrctl service rm`.\n"
        "- `vrctl service add web`\n"
    )
    assert _lint(tmp_path, body) == [
        (
            "SK401",
            10,
            "unknown subcommand `vrctl service rm`; `vrctl service` takes add, list, logs, "
            "remove, restart, start, status, stop; did you mean `remove`?",
        ),
        (
            "SK410",
            11,
            "`vrctl service add web` has no `--cwd`: the process would run in the service folder "
            "(~/.local/services/web); add `--cwd /home/viberun/app`",
        ),
        ("SK405", 11, "`vrctl service add` needs `--cmd <executable>`"),
    ]


def test_a_flag_named_in_a_sentence_is_a_mention_quoted_as_written(tmp_path: Path) -> None:
    body = (
        "\nUse `uv run --with` for one-off commands, and `vrctl service logs -n` for the tail.\n"
        "Follow it with `vrctl service logs web --follow`.\n"
        "- `uv run --with`\n"
    )
    assert _lint(tmp_path, body) == [
        ("SK402", 9, "unknown flag `--follow` for `vrctl service logs`; it takes -n"),
        ("SK404", 10, "flag `--with` needs a value <requirement>"),
    ]


def test_flag_missing_value(tmp_path: Path) -> None:
    body = _block("vrctl service logs web -n", f"vrctl service add web --cmd --cwd {APP}")
    assert _lint(tmp_path, body) == [
        ("SK404", 8, "flag `-n` needs a value <lines>"),
        ("SK404", 9, "flag `--cmd` needs a value <executable>"),
    ]


def test_cmd_missing_repeated_and_shell_string(tmp_path: Path) -> None:
    body = _block(
        f"vrctl service add web {CWD}",
        f"vrctl service add web --cmd python --cmd uvicorn {CWD}",
        f'vrctl service add web --cmd "npm run dev" {CWD}',
        f"vrctl service add web --cmd '<executable>' {CWD}",
        # Quoted, a placeholder with a space stands for a shell string (vrctl.md's stale form
        # `--cmd "<command with spaces>"`); unquoted, or of one word, for one program.
        f'vrctl service add web --cmd "<start command>" {CWD}',
        f"vrctl service add web --cmd <start command> {CWD}",
    )
    assert _lint(tmp_path, body) == [
        ("SK405", 8, "`vrctl service add` needs `--cmd <executable>`"),
        ("SK406", 9, "`--cmd` is given 2 times; only the last one counts"),
        (
            "SK407",
            10,
            "`--cmd` takes one word; `npm run dev` has whitespace in it: vrctl runs one "
            "executable without a shell; give each argument its own `--arg` (a shell string is "
            "the form of older viberun releases)",
        ),
        (
            "SK407",
            12,
            "`--cmd` takes one word; `<start command>` has whitespace in it: vrctl runs one "
            "executable without a shell; give each argument its own `--arg` (a shell string is "
            "the form of older viberun releases)",
        ),
    ]


def test_env_values(tmp_path: Path) -> None:
    body = _block(
        "vrctl service add web \\",
        "  --cmd node --arg server.ts \\",
        f"  {CWD} \\",
        "  --env PORT \\",
        "  --env bad-key=1 \\",
        "  --env EMPTY= \\",
        "  --env URL=a=b --env <KEY>=<value> --env PATH=... --env 'HOME=$HOME'",
    )
    assert _lint(tmp_path, body) == [
        ("SK408", 11, "`--env PORT` is not KEY=VAL"),
        ("SK408", 12, "`--env bad-key=1`: the key `bad-key` may only use letters, digits and `_`"),
        ("SK408", 13, "`--env EMPTY=` has an empty value"),
        # Single-quoted, `$HOME` reaches vrctl, which stores it as written (vrctl.md).
        (
            "SK418",
            14,
            "`--env HOME=$HOME`: vrctl stores env values literally, so the program gets `$HOME` "
            "as written, not its value; write the value itself",
        ),
    ]


def test_cwd_relative_and_missing(tmp_path: Path) -> None:
    body = _block(
        "vrctl service add a --cmd x --cwd app",
        "vrctl service add b --cmd x --cwd ./app",
        "vrctl service add c --cmd x",
        "vrctl service add d --cmd x --cwd <dir>",
        "vrctl service add e --cmd x --cwd ~/app",
        'vrctl service add f --cmd x --cwd "$APP_DIR"',
        "vrctl service add g --cmd x ...",
    )
    assert _lint(tmp_path, body) == [
        (
            "SK409",
            8,
            "`--cwd app` is a relative path; give an absolute one (app code lives in "
            "/home/viberun/app)",
        ),
        (
            "SK409",
            9,
            "`--cwd ./app` is a relative path; give an absolute one (app code lives in "
            "/home/viberun/app)",
        ),
        (
            "SK410",
            10,
            "`vrctl service add c` has no `--cwd`: the process would run in the service folder "
            "(~/.local/services/c); add `--cwd /home/viberun/app`",
        ),
    ]


def test_cwd_missing_on_a_multi_line_command_points_at_its_first_line(tmp_path: Path) -> None:
    body = _block("vrctl service add web \\", "  --cmd python \\", "  --arg app.py")
    found = lint_text(tmp_path, FRONT + "\n# Demo\n" + body, select=("SK410",))
    assert [(d.code, d.span.line, d.span.column, d.span.end_column) for d in found] == [
        ("SK410", 8, 1, 22)
    ]


def test_service_names(tmp_path: Path) -> None:
    body = _block(
        f"vrctl service add .web --cmd x {CWD}",
        f"vrctl service add ../web --cmd x {CWD}",
        f"vrctl service add Web --cmd x {CWD}",
        f"vrctl service add web_2-a --cmd x {CWD}",
        f"vrctl service add <app>-worker --cmd x {CWD}",
        "vrctl service start .web",
    )
    message = (
        "is not a safe <name>: use lowercase letters, digits, `-` and `_`, starting with a "
        "letter or digit"
    )
    assert _lint(tmp_path, body) == [
        ("SK411", 8, f"`.web` {message}"),
        ("SK411", 9, f"`../web` {message}"),
        ("SK411", 10, f"`Web` {message}"),
    ]


def test_logs_lines_and_restore_refs(tmp_path: Path) -> None:
    body = _block(
        "vrctl service logs web -n all",
        "vrctl service logs web -n 200",
        "vrctl service logs web -n <lines>",
        "vrctl host restore repo:v3",
        "vrctl host restore apps/web",
        "vrctl host restore <repo>:<tag>",
        "vrctl host restore latest",
        "vrctl host restore <ref>",
    )
    ref = "is not a snapshot tag: the host accepts only `latest` or a tag without `/` or `:`"
    assert _lint(tmp_path, body) == [
        ("SK412", 8, "`-n all`: the value must be a whole number"),
        ("SK413", 11, f"`repo:v3` {ref}"),
        ("SK413", 12, f"`apps/web` {ref}"),
        ("SK413", 13, f"`<repo>:<tag>` {ref}"),
    ]


def test_mise_wrapper(tmp_path: Path) -> None:
    body = _block(
        "vrctl service add a --cmd mise --arg exec --arg -C --arg /home/viberun/app \\",
        f"  --arg -- --arg redis-server --arg --bind --arg 0.0.0.0 {CWD}",
        f"vrctl service add b --cmd mise --arg exec --arg -C --arg {APP} --arg redis-server {CWD}",
        f"vrctl service add c --cmd mise --arg redis-server {CWD}",
        f"vrctl service add d --cmd mise {CWD}",
        f"vrctl service add e --cmd mise --arg exec --arg -C --arg /srv --arg -- --arg x {CWD}",
        f"vrctl service add f --cmd mise --arg run --arg dev {CWD}",
        f"vrctl service add g --cmd mise --arg exec --arg -- --arg <exe> --arg <arg> {CWD}",
        f"vrctl service add h --cmd mise --arg exec --arg -C --arg {APP}/ --arg -- --arg x {CWD}",
    )
    assert _lint(tmp_path, body) == [
        (
            "SK414",
            10,
            "`--cmd mise --arg exec` needs `--arg --` before the program: without it mise reads "
            "`redis-server` as a tool to load",
        ),
        (
            "SK414",
            11,
            "`--cmd mise` runs mise itself: the first `--arg` must be `exec` (then `--arg -- "
            "--arg <program>`), not `redis-server`",
        ),
        (
            "SK414",
            12,
            "`--cmd mise` runs mise itself: the first `--arg` must be `exec` (then `--arg -- "
            "--arg <program>`)",
        ),
        (
            "SK415",
            13,
            "mise runs with the config of `/srv` (`-C`) but the service runs in "
            "`/home/viberun/app` (`--cwd`); make them the same",
        ),
    ]


def test_mise_exec_lines_crontab_included(tmp_path: Path) -> None:
    body = (
        "```crontab\n"
        "*/5 * * * * mise exec -C /home/viberun/app redis-cli ping >> /tmp/log 2>&1\n"
        "*/5 * * * * mise exec -C /home/viberun/app -- redis-cli ping >> /tmp/log 2>&1\n"
        "@daily mise x node@22 -- node job.ts\n"
        "```\n"
        "\nWrap it with `mise exec -C /home/viberun/app -- <cmd>`; avoid bare `mise exec`.\n"
        "Or `mise exec node@22`, `mise run <task>`, `mise exec --command 'node -v'`.\n"
    )
    assert _lint(tmp_path, body) == [
        (
            "SK414",
            8,
            "`mise exec` runs the program that follows `--`; without it `redis-cli` is read as "
            "<TOOL@VERSION> (`mise exec [-C <dir>] [TOOL@VERSION]... -- <program> [<arg>]...`)",
        ),
    ]
    # Line 14's spans are inside a sentence: mentions (`mise exec node@22` alone starts a shell
    # with node; nothing is missing that the sentence promised).


def test_uv_run_and_npx_flag_order(tmp_path: Path) -> None:
    body = (
        "- `uv run --reload uvicorn main:app`\n"
        "- `uv run uvicorn main:app --reload --host 0.0.0.0 --port 8080`\n"
        "- `uv run uvicorn --with httpx main:app`\n"
        "- `uv run --with httpx uvicorn main:app`, `uv run pytest -q`, `uv run -m http.server`\n"
        "- `npx tsx -y watch src/index.ts`\n"
        "- `npx -y tsx watch <entry>.ts`, `npx shadcn init -y`, `npx --registry=x pkg`\n"
        + _block(
            "vrctl service add web --cmd uv --arg run --arg --reload --arg uvicorn \\",
            f"  --arg main:app {CWD}",
        )
    )
    assert _lint(tmp_path, body) == [
        (
            "SK416",
            7,
            "`uv run` has no flag `--reload`; a flag of the program goes after it "
            "(`uv run <command> --reload`)",
        ),
        (
            "SK416",
            9,
            "`--with` is a flag of `uv run`, but after `uvicorn` it goes to `uvicorn`; put it "
            "before `uvicorn`",
        ),
        (
            "SK416",
            11,
            "`-y` is a flag of `npx`, but after `tsx` it goes to `tsx`; put it before `tsx`",
        ),
        (
            "SK416",
            14,
            "`uv run` has no flag `--reload`; a flag of the program goes after it "
            "(`uv run <command> --reload`)",
        ),
    ]


def test_heredoc_bodies_are_not_commands(tmp_path: Path) -> None:
    body = _block(
        "cat > /home/viberun/app/cron.tab <<'EOF'",
        "vrctl service rm web",
        "EOF",
        "vrctl service rm api",
    )
    assert [(code, line) for code, line, _ in _lint(tmp_path, body)] == [("SK401", 11)]


def test_stale_app_path_only_in_skills_that_run_vrctl(tmp_path: Path) -> None:
    body = (
        _block(
            "vrctl service add web --cmd python --arg app.py --cwd /workspace/web",
            "cd /workspaces/web && ls /home/workspace/x",
        )
        + "\nThe app lives in `/workspace/<app>`.\n"
    )
    message = (
        "uses `/workspace/<app>`, the app path of older viberun releases; app code now lives "
        "in /home/viberun/app"
    )
    assert _lint(tmp_path, body) == [
        ("SK417", 8, f"`/workspace/web` {message}"),
        ("SK417", 12, f"`/workspace/<app>` {message}"),
    ]
    other = tmp_path / "other"
    assert _lint(other, "\nThe data lives in `/workspace/data`.\n") == []


def test_placeholders_and_ellipses_are_not_findings(tmp_path: Path) -> None:
    body = (
        "Run `vrctl service add <app> --cmd <executable> --arg <arg> ... --cwd "
        "/home/viberun/app --env PORT=8080`.\n"
        + _block(
            "vrctl service add <name> \\",
            "  --cmd mise \\",
            "  --arg exec \\",
            "  --arg -C --arg /home/viberun/app \\",
            "  --arg -- \\",
            "  --arg <executable> \\",
            "  --arg <arg> \\",
            "  --cwd /home/viberun/app",
            "vrctl service logs <name> -n 200",
            "vrctl host restore <ref>",
        )
    )
    assert _lint(tmp_path, body) == []


def test_unsafe_fixes_split_a_shell_string_and_add_the_app_folder(tmp_path: Path) -> None:
    from skillkit.fix import fix_file
    from skillkit.settings import Settings
    from tests.helpers import write_skill

    text = (
        FRONT
        + "\n# Demo\n"
        + _block(
            'vrctl service add web --cmd "npm run dev" \\',
            "  --arg x",
            f"vrctl service add api --cmd \"sh -c 'a|b'\" {CWD}",
        )
        + "\n- `vrctl service add w --cmd x`\n"
    )
    path = write_skill(tmp_path, text)
    settings = Settings(select=("SK407", "SK410"))
    assert fix_file(path, settings).after == text  # both fixes are unsafe
    fixed = fix_file(path, settings, unsafe=True)
    assert fixed.fixed == 3
    assert (
        fixed.after
        == FRONT
        + "\n# Demo\n"
        + _block(
            "vrctl service add web --cmd npm --arg run --arg dev \\",
            f"  --arg x {CWD}",
            f"vrctl service add api --cmd \"sh -c 'a|b'\" {CWD}",
        )
        + f"\n- `vrctl service add w --cmd x {CWD}`\n"
    )


def test_no_cwd_is_reported_only_where_the_folder_matters(tmp_path: Path) -> None:
    # Issue 12, item 12: supercronic given its crontab by absolute path, and programs that
    # `mise exec -C <dir>` moves into <dir>, run the same wherever the service folder is.
    body = _block(
        "vrctl service add cron --cmd supercronic --arg /home/viberun/app/cron.tab",
        "vrctl service add redis --cmd mise --arg exec --arg -C --arg /home/viberun/app "
        "--arg -- --arg redis-server --arg --bind --arg 0.0.0.0",
        "vrctl service add web --cmd node --arg server.ts",
        "vrctl service add api --cmd npm --arg start",
        "vrctl service add job --cmd /home/viberun/app/bin/job --arg ./data",
    )
    assert [(code, line) for code, line, _ in _lint(tmp_path, body, select="SK410")] == [
        ("SK410", 10),
        ("SK410", 11),
        ("SK410", 12),
    ]


def test_stale_guidance_in_prose_is_a_warning_with_the_current_form(tmp_path: Path) -> None:
    # Issue 12, item 15: the snapshot guidance of older viberun skills, word for word.
    body = (
        "\n- If host snapshots are unavailable, ask the user to run `viberun <app> snapshot` "
        "from their machine.\n"
        "- If the user asks to roll back, run `vrctl host snapshots`, then "
        "`vrctl host restore <ref>`.\n"
        "  - Accept either a tag or full ref; if given a tag, pass it as-is and let the host "
        "resolve it.\n"
        "  - Restore will disconnect the session; tell the user to re-run `viberun <app>`.\n"
        "  - If restore is unavailable, ask the user to run `app <app>` then `restore <ref>`.\n"
        "\n```sh\nviberun myapp restore v3\n```\n"
    )
    old_cli = (
        "stale guidance (`viberun <app> snapshot|restore|url` on the user's machine): newer "
        "viberun releases take these inside the viberun shell, not as `viberun` arguments; "
        "today: `app <app>`, then `snapshot` (or `restore <ref>`, `url public`) inside the "
        "viberun shell"
    )
    found = lint_text(tmp_path, FRONT + "\n# Demo\n" + body, select=("SK419",))
    assert [(d.span.line, d.span.column, d.severity, d.message) for d in found] == [
        (8, 59, Severity.WARNING, old_cli),
        (
            10,
            12,
            Severity.WARNING,
            "stale guidance (accept a full snapshot ref and pass it as-is): the host accepts "
            "only `latest` or a tag without `/` or `:` (older releases took `repo:tag`); "
            "today: pass a tag from `vrctl host snapshots` (`v3`) or `latest`",
        ),
        (
            11,
            5,
            Severity.WARNING,
            "stale guidance (restore disconnects the session): `vrctl host restore` reconnects "
            "the session by itself (older releases disconnected it and the user had to "
            "reconnect); today: say the session reconnects by itself, then re-check the services",
        ),
        (15, 1, Severity.WARNING, old_cli),
    ]
    # A skill about something else is not read for viberun's facts.
    other = "\nRestoring the backup will disconnect the session; reconnect with `ssh`.\n"
    assert lint_text(tmp_path / "other", FRONT + "\n# Demo\n" + other, select=("SK419",)) == []


def test_a_command_the_skill_says_does_not_exist_is_not_checked(tmp_path: Path) -> None:
    # vrctl.md's own facts, as a skill repeats them to the agent: naming the wrong command to
    # warn against it is not giving it.
    body = (
        "\n- There is no follow mode: `vrctl service logs web -f` does not exist.\n"
        "- `vrctl service rm web` is an error; use `vrctl service remove web`.\n"
        "- Never use `vrctl service ls`.\n"
        "- Run `vrctl service logs web -f` to follow the log.\n"
    )
    assert _lint(tmp_path, body) == [
        ("SK402", 11, "unknown flag `-f` for `vrctl service logs`; did you mean `-n`?"),
    ]
