"""`skillkit show` lists each command with its tool, subcommand, arguments and flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillkit.cli import main
from tests.helpers import write_skill

TEXT = (
    "---\nname: demo\ndescription: Runs demo. Use when asked.\n---\n\n# Demo\n\n"
    "Use `vrctl service add`.\n\n"
    "```sh\n"
    "vrctl service add web --cmd mise --arg exec --arg -- --arg uvicorn \\\n"
    "  --cwd /home/viberun/app --env PORT=8080\n"
    "rg -n TODO\n"
    "```\n"
)


def test_show_text_lists_tool_subcommand_and_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_skill(tmp_path, TEXT)
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    commands = out[out.index("Commands:") :]
    assert commands.splitlines()[1:7] == [
        "     8  [inline] vrctl service add",
        "        tool: vrctl; subcommand: service add; mention",
        "    11  [block] vrctl service add web --cmd mise --arg exec --arg -- --arg uvicorn "
        "--cwd /home/viberun/app --env PORT=8080",
        "        tool: vrctl; subcommand: service add; arguments: web; flags: --cmd mise, "
        "--arg exec, --arg --, --arg uvicorn, --cwd /home/viberun/app, --env PORT=8080; "
        "runs: mise exec -- uvicorn",
        "    13  [block] rg -n TODO",
        "        tool: rg",
    ]


def test_show_json_keeps_its_fields_and_adds_the_grammar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_skill(tmp_path, TEXT)
    assert main(["show", str(path), "--format", "json"]) == 0
    commands = json.loads(capsys.readouterr().out)["commands"]
    assert commands[1] == {
        "line": 11,
        "column": 1,
        "source": "block",
        "tool": "vrctl",
        "argv": [
            "vrctl",
            "service",
            "add",
            "web",
            "--cmd",
            "mise",
            "--arg",
            "exec",
            "--arg",
            "--",
            "--arg",
            "uvicorn",
            "--cwd",
            "/home/viberun/app",
            "--env",
            "PORT=8080",
        ],
        "placeholders": [],
        "subcommand": "service add",
        "mention": False,
        "flags": [
            {"flag": "--cmd", "value": "mise"},
            {"flag": "--arg", "value": "exec"},
            {"flag": "--arg", "value": "--"},
            {"flag": "--arg", "value": "uvicorn"},
            {"flag": "--cwd", "value": "/home/viberun/app"},
            {"flag": "--env", "value": "PORT=8080"},
        ],
        "arguments": ["web"],
        "program": ["mise", "exec", "--", "uvicorn"],
        "problems": [],
    }
    assert commands[2] == {
        "line": 13,
        "column": 1,
        "source": "block",
        "tool": "rg",
        "argv": ["rg", "-n", "TODO"],
        "placeholders": [],
    }
