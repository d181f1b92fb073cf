"""Template helpers in the forms real skills write commands in, and only commands that work."""

from __future__ import annotations

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
