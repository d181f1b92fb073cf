"""Grammars of the command-line tools that skills call, and the engine that checks them.

`GRAMMARS` maps a tool's name (argv[0]) to its grammar; `match` checks one argv; `programs`
follows a command into the programs it runs (`vrctl service add --cmd mise --arg exec ...` runs
`mise exec ...`, which runs the program after `--`).
"""

from collections.abc import Iterator, Sequence

from skillkit.model import Token
from skillkit.tools.grammar import (
    CommandSpec,
    Flag,
    FlagUse,
    GrammarProblem,
    Invocation,
    Positional,
    ToolGrammar,
    check_value,
    is_ellipsis,
    match,
)
from skillkit.tools.mise import MISE
from skillkit.tools.npx import NPX
from skillkit.tools.uv import UV
from skillkit.tools.vrctl import VRCTL

GRAMMARS: dict[str, ToolGrammar] = {"vrctl": VRCTL, "mise": MISE, "uv": UV, "npx": NPX}

# Commands that run the rest of their line as another command (after their own options).
_PREFIX_OPTIONS_WITH_VALUE = {
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"}),
    "env": frozenset({"-u", "-C", "-S"}),
    "nice": frozenset({"-n"}),
}
PREFIX_COMMANDS = frozenset({"sudo", "env", "nohup", "exec", "time", "command", "nice"})


def tool_name(token: Token) -> str:
    return token.text.rsplit("/", 1)[-1]


def _after_prefix(argv: Sequence[Token]) -> tuple[Token, ...]:
    """The command a prefix command (`sudo`, `env`, `nohup`, ...) runs, or ()."""
    name = tool_name(argv[0])
    with_value = _PREFIX_OPTIONS_WITH_VALUE.get(name, frozenset())
    index = 1
    while index < len(argv):
        text = argv[index].text
        if text == "--":
            index += 1
            break
        if name == "env" and "=" in text and not text.startswith("-"):
            index += 1
            continue
        if not text.startswith("-"):
            break
        index += 2 if text in with_value else 1
    return tuple(argv[index:])


def programs(argv: Sequence[Token]) -> Iterator[tuple[Token, ...]]:
    """The argv itself, then every program it runs, outermost first."""
    current = tuple(argv)
    for _ in range(8):  # wrappers nest a few levels at most; a bound keeps it total
        if not current:
            return
        yield current
        name = tool_name(current[0])
        if name in PREFIX_COMMANDS:
            current = _after_prefix(current)
            continue
        grammar = GRAMMARS.get(name)
        if grammar is None:
            return
        current = match(grammar, current).program()


__all__ = [
    "GRAMMARS",
    "MISE",
    "NPX",
    "UV",
    "VRCTL",
    "CommandSpec",
    "Flag",
    "FlagUse",
    "GrammarProblem",
    "Invocation",
    "Positional",
    "ToolGrammar",
    "check_value",
    "is_ellipsis",
    "match",
    "programs",
    "tool_name",
]
