"""Template helpers in the forms real skills write commands in, and only commands that work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skillkit.render.helpers import VRCTL_HELPERS as vrctl
from skillkit.render.helpers import HelperError
from tests.helpers import lint_text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"name": "web", "cmd": "uv", "env": {"PATH": "$HOME/.local/bin:$PATH"}},
            "env PATH holds `$HOME`: vrctl stores env values literally, so the program would get "
            "it as written, not its value; write the value itself",
        ),
        (
            {"name": "web", "cmd": "uv", "env": ["CONF=${XDG_CONFIG_HOME}/app"]},
            "env CONF holds `${XDG_CONFIG_HOME}`: vrctl stores env values literally, so the "
            "program would get it as written, not its value; write the value itself",
        ),
        (
            {"name": "web", "cmd": "uv", "cwd": None},
            "cwd=none leaves out --cwd, so the process would run in the service folder "
            "(~/.local/services/web); give the folder it runs in (default /home/viberun/app)",
        ),
    ],
)
def test_service_add_refuses_what_vrctl_would_not_do(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(HelperError) as caught:
        vrctl.service_add(**kwargs)
    assert str(caught.value) == message


def test_a_price_with_a_dollar_is_still_a_value() -> None:
    assert vrctl.service_add("web", "uv", env={"PRICE": "5$"}).endswith("--env 'PRICE=5$'")


RUN = "vrctl service add web --cmd node --arg server.ts --cwd /home/viberun/app --env "
FRONT = "---\nname: demo\ndescription: Runs the web app. Use when the user asks to run it.\n---\n"


@pytest.mark.parametrize(
    ("env", "found"),
    [
        ("'PATH=$HOME/bin:$PATH'", [(9, 80, "SK418", "`$HOME`")]),
        ('"PATH=\\$HOME/bin"', [(9, 80, "SK418", "`$HOME`")]),
        ("PATH=\\$HOME/bin", [(9, 80, "SK418", "`$HOME`")]),
        ("'X=${NAME}'", [(9, 80, "SK418", "`${NAME}`")]),
        # The shell expands these before vrctl stores them: they work.
        ("PATH=$HOME/bin:$PATH", []),
        ('"PATH=$HOME/bin"', []),
        ("'PRICE=5$'", []),
    ],
)
def test_lint_flags_an_env_variable_that_reaches_vrctl_unexpanded(
    tmp_path: Path, env: str, found: list[tuple[int, int, str, str]]
) -> None:
    text = f"{FRONT}\n# Demo\n\n```sh\n{RUN}{env}\n```\n"
    diagnostics = lint_text(tmp_path, text, select=("SK418",))
    assert [
        (d.span.line, d.span.column, d.code, d.message.split("gets ")[1].split(" as")[0])
        for d in diagnostics
    ] == found


def test_service_add_layouts_as_real_skills_write_them() -> None:
    assert vrctl.service_add(
        "<app>", "<executable>", ["<arg>", "..."], env={"PORT": "8080"}, layout="one-line"
    ) == (
        "vrctl service add <app> --cmd <executable> --arg <arg> ... --cwd /home/viberun/app "
        "--env PORT=8080"
    )
    assert vrctl.service_add(
        "worker", "php", ["/home/viberun/app/w.php"], mise=True, layout="grouped"
    ) == (
        "vrctl service add worker \\\n"
        "  --cmd mise \\\n"
        "  --arg exec \\\n"
        "  --arg -C --arg /home/viberun/app \\\n"
        "  --arg -- \\\n"
        "  --arg php --arg /home/viberun/app/w.php \\\n"
        "  --cwd /home/viberun/app"
    )
    assert vrctl.service_add("api", "npm", ["run", "start"], layout="grouped") == (
        "vrctl service add api \\\n  --cmd npm \\\n  --arg run --arg start \\\n"
        "  --cwd /home/viberun/app"
    )
    with pytest.raises(HelperError, match="layout must be one of lines, one-line, grouped"):
        vrctl.service_add("api", "npm", layout="wide")


def test_the_host_branch_attach_and_urls_helpers() -> None:
    assert [
        vrctl.host_branch_list(),
        vrctl.host_branch_create("feature-x", attach=True, allow_existing=True),
        vrctl.host_branch_delete("feature-x"),
        vrctl.host_branch_apply(),
        vrctl.host_branch_apply("feature-x", attach=True),
        vrctl.host_attach("<app>", shell=True),
        vrctl.host_urls("private"),
    ] == [
        "vrctl host branch list",
        "vrctl host branch create feature-x --attach --allow-existing",
        "vrctl host branch delete feature-x",
        "vrctl host branch apply",
        "vrctl host branch apply feature-x --attach",
        "vrctl host attach <app> --shell",
        "vrctl host urls private",
    ]
    with pytest.raises(HelperError) as caught:
        vrctl.host_urls("open")
    assert str(caught.value) == (
        "`vrctl host urls open` is not a valid vrctl command: `open` is not one of public, "
        "private, disable, enable"
    )


def test_mise_exec_and_a_crontab_line() -> None:
    from skillkit.render.helpers import CRON_HELPERS as cron
    from skillkit.render.helpers import MISE_HELPERS as mise

    assert mise.exec("uv", ["run", "job.py"], tools=["python@3.12"]) == (
        "mise exec -C /home/viberun/app python@3.12 -- uv run job.py"
    )
    assert mise.exec("<cmd>", dir=None) == "mise exec -- <cmd>"
    assert cron.line(
        "*/5 * * * *", mise.exec("./scripts/job.sh"), log="/home/viberun/.local/logs/cron.log"
    ) == (
        "*/5 * * * * mise exec -C /home/viberun/app -- ./scripts/job.sh >> "
        "/home/viberun/.local/logs/cron.log 2>&1"
    )
    assert cron.line("@daily", ["./job.sh", "a b"]) == "@daily ./job.sh 'a b'"
    calls: list[tuple[Callable[[], str], str]] = [
        (lambda: cron.line("* * *", "x"), "schedule '* * *' is not five crontab fields"),
        (lambda: cron.line("@daily", "x", log="x.log"), "log 'x.log' is not an absolute path"),
        (
            lambda: cron.line("@daily", "vrctl service rm x"),
            "`vrctl service rm x` is not a valid vrctl command: unknown subcommand",
        ),
        (lambda: mise.exec("a b"), "cmd 'a b' must be one executable"),
    ]
    for call, message in calls:
        with pytest.raises(HelperError) as caught:
            call()
        assert str(caught.value).startswith(message)


def test_a_multi_line_helper_call_inside_backticks_is_refused_at_its_template_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.render_helpers import make_project, render_cli

    plan = (
        '[tool.skillkit.render]\n[[tool.skillkit.render.outputs]]\ntemplate = "demo.md.j2"\n'
        'path = "demo/SKILL.md"\n[tool.skillkit.render.outputs.front-matter]\nname = "demo"\n'
        'description = "Runs the web app. Use when the user asks to run it."\n'
    )
    call = 'vrctl.service_add("web", "uv", ["run", "app"]'
    make_project(tmp_path, plan, {"demo.md.j2": f"# demo\n\nRun `{{{{ {call}) }}}}` now.\n"})
    assert render_cli(tmp_path, capsys, "--format", "concise") == (
        1,
        "templates/demo.md.j2:3:1: SK703 impossible command: a command continued with ` \\` "
        'inside backticks; an inline span needs one line (call the helper with layout="one-line")'
        " (in skills/demo/SKILL.md:8)\n"
        "Nothing written: 1 error in the rendered outputs. Fix them, list their codes in the "
        "output's `ignore` in the plan, or add --allow-errors.\n",
    )
    make_project(
        tmp_path, plan, {"demo.md.j2": f'# demo\n\nRun `{{{{ {call}, layout="one-line") }}}}`.\n'}
    )
    assert render_cli(tmp_path, capsys)[0] == 0
    assert (
        (tmp_path / "skills/demo/SKILL.md")
        .read_text()
        .endswith(
            "Run `vrctl service add web --cmd uv --arg run --arg app --cwd /home/viberun/app`.\n"
        )
    )
