"""Grammars of the command-line tools that skills call, and the engine that checks them.

`GRAMMARS` maps a tool's name (argv[0]) to its grammar; `match` checks one argv; `programs`
follows a command into the programs it runs (`vrctl service add --cmd mise --arg exec ...` runs
`mise exec ...`, which runs the program after `--`).
"""

from collections.abc import Iterator, Sequence

from skillkit.model import Token
from skillkit.shell import commands_of_text
from skillkit.tools.grammar import (
    CommandSpec,
    Flag,
    FlagUse,
    GrammarProblem,
    GrammarProblemKind,
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


def _split_shell_string(argv: tuple[Token, ...]) -> tuple[Token, ...]:
    """`--cmd "node server.js"` (the shell-string form of older viberun releases, an error of its
    own) read as the program it means, `node server.js`, so that a rule about that program
    answers the same for it as for `--cmd node --arg server.js`."""
    if not argv or argv[0].placeholder or not any(c.isspace() for c in argv[0].text):
        return argv
    first = argv[0]
    # The words' columns are exact when the string sits on one line after its opening quote.
    offset = 1 if first.raw[:1] in ("'", '"') else 0
    commands = commands_of_text(first.text, first.span.line, first.span.column + offset)
    if not commands:
        return argv
    return (*commands[0].argv, *argv[1:])


def matched_programs(
    argv: Sequence[Token], *, inline: bool = False, in_sentence: bool = False
) -> Iterator[tuple[tuple[Token, ...], Invocation | None]]:
    """The argv itself, then every program it runs, outermost first, each with its match (None
    for a tool without a grammar). Each is matched once: following a wrapper needs its match.

    `inline`: the argv is an inline span, matched as a mention when it only names a command
    path (`vrctl service add`). `in_sentence`: an inline span inside a sentence, a mention
    whatever it holds ("Use `uv run --with` for one-offs" names a flag, it does not run
    uv without its value). A mention has the same program as an invocation."""
    current = tuple(argv)
    for depth in range(8):  # wrappers nest a few levels at most; a bound keeps it total
        if not current:
            return
        name = tool_name(current[0])
        grammar = GRAMMARS.get(name)
        invocation = None
        if grammar is not None:
            mention = in_sentence or (
                depth == 0 and inline and grammar.names_command([t.text for t in current])
            )
            invocation = match(grammar, current, mention=mention)
        yield current, invocation
        if name in PREFIX_COMMANDS:
            current = _after_prefix(current)
        elif invocation is None:
            return
        else:
            current = _split_shell_string(invocation.program())


def programs(argv: Sequence[Token]) -> Iterator[tuple[Token, ...]]:
    """The argv itself, then every program it runs, outermost first."""
    for current, _ in matched_programs(argv):
        yield current


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
    "GrammarProblemKind",
    "Invocation",
    "Positional",
    "ToolGrammar",
    "check_value",
    "is_ellipsis",
    "match",
    "matched_programs",
    "programs",
    "tool_name",
]
