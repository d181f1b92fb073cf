"""The grammar engine on its own: programs a command runs, mentions, open grammars."""

from __future__ import annotations

from skillkit.model import Token
from skillkit.shell import commands_of_text
from skillkit.tools import GRAMMARS, MISE, NPX, UV, VRCTL, match, matched_programs, programs


def _argv(text: str) -> tuple[Token, ...]:
    return commands_of_text(text)[0].argv


def test_programs_follow_vrctl_mise_and_uv() -> None:
    argv = _argv(
        "vrctl service add web --cmd mise --arg exec --arg -C --arg /app --arg -- "
        "--arg uv --arg run --arg uvicorn --arg m:app --arg --reload --cwd /app"
    )
    assert [[t.text for t in p] for p in programs(argv)] == [
        [t.text for t in argv],
        ["mise", "exec", "-C", "/app", "--", "uv", "run", "uvicorn", "m:app", "--reload"],
        ["uv", "run", "uvicorn", "m:app", "--reload"],
        ["uvicorn", "m:app", "--reload"],
    ]


def test_prefix_commands_are_followed() -> None:
    argv = _argv("sudo -u root env A=1 nohup systemctl restart nginx")
    assert [p[0].text for p in programs(argv)] == ["sudo", "env", "nohup", "systemctl"]


def test_a_mention_only_names_a_path() -> None:
    assert VRCTL.names_command(["vrctl", "service", "add"])
    assert VRCTL.names_command(["vrctl"])
    assert not VRCTL.names_command(["vrctl", "service", "add", "web"])
    invocation = match(VRCTL, _argv("vrctl service add"), mention=True)
    assert invocation.problems == () and invocation.mention


def test_matched_programs_match_each_program_once_as_match_would() -> None:
    argv = _argv(
        "sudo vrctl service add web --cmd mise --arg exec --arg -C --arg /app --arg -- "
        "--arg node --arg server.js"
    )
    chain = list(matched_programs(argv))
    assert [p for p, _ in chain] == list(programs(argv))
    assert [(i.tool, i.spec.path if i.spec else None) if i else None for _, i in chain] == [
        None,  # sudo: a prefix command, no grammar
        ("vrctl", ("service", "add")),
        ("mise", ("exec",)),
        None,  # node: no grammar
    ]
    for program, invocation in chain:
        if invocation is not None:
            assert invocation == match(GRAMMARS[invocation.tool], program)


def test_matched_programs_match_an_inline_mention_as_one() -> None:
    ((_, mention),) = list(matched_programs(_argv("vrctl service add"), inline=True))
    assert mention is not None and mention.mention and mention.problems == ()
    ((_, written),) = list(matched_programs(_argv("vrctl service add")))
    assert written is not None and not written.mention
    assert [p.kind for p in written.problems] == ["missing-argument", "missing-flag"]


def test_names_command_takes_every_prefix_of_a_path_and_nothing_else() -> None:
    for spec in VRCTL.commands:
        for length in range(len(spec.path) + 1):
            assert VRCTL.names_command(["vrctl", *spec.path[:length]])
    assert not VRCTL.names_command(["vrctl", "service", "rm"])
    assert not VRCTL.names_command(["vrctl", "add"])


def test_open_grammars_accept_what_they_do_not_describe() -> None:
    assert match(MISE, _argv("mise install")).problems == ()
    assert match(MISE, _argv("mise")).problems == ()
    assert match(UV, _argv("uv pip install x")).problems == ()
    assert match(NPX, _argv("npx --registry=https://r.example tsx a.ts")).problems == ()


def test_uv_run_splits_its_options_from_the_program() -> None:
    invocation = match(UV, _argv("uv run --with httpx -- python -m http.server"))
    assert [u.flag.name for u in invocation.flags] == ["-w"]
    assert [t.text for t in invocation.command] == ["python", "-m", "http.server"]


def test_every_grammar_is_registered_by_its_name() -> None:
    assert {name: grammar.name for name, grammar in GRAMMARS.items()} == {
        "vrctl": "vrctl",
        "mise": "mise",
        "uv": "uv",
        "npx": "npx",
    }


def test_a_telltale_flag_at_the_end_may_be_the_programs_own() -> None:
    assert match(NPX, _argv("npx create-next-app@latest --yes")).problems == ()
    assert [p.kind for p in match(NPX, _argv("npx tsx -y watch a.ts")).problems] == [
        "flag-after-command"
    ]
    assert match(UV, _argv("uv run pytest -q tests")).problems == ()
