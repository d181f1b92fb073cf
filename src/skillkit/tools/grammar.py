"""Declarative command-line grammars and the one engine that checks argv against them.

A grammar is data (the tool's subcommands, positionals and flags); the same data checks the
commands a skill gives (`skillkit lint`) and builds the commands a template renders
(`skillkit render`). Tokens are the model's shell words, so every problem has a position.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from skillkit.model import Span, Token


@dataclass(frozen=True)
class Flag:
    names: tuple[str, ...]  # every spelling: ("-n",), ("--cmd",)
    metavar: str | None = None  # None: a switch that takes no value
    repeat: bool = False
    required: bool = False
    # The value is the next word taken verbatim, even when it starts with `-` (vrctl's --arg).
    verbatim: bool = False
    kind: str = "any"  # "any", "int", "path", "env": what a value must look like

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def takes_value(self) -> bool:
        return self.metavar is not None


@dataclass(frozen=True)
class Positional:
    name: str
    optional: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommandSpec:
    path: tuple[str, ...]  # the subcommand words: ("service", "add")
    positionals: tuple[Positional, ...] = ()
    flags: tuple[Flag, ...] = ()
    summary: str = ""

    def flag(self, word: str) -> Flag | None:
        for flag in self.flags:
            if word in flag.names:
                return flag
        return None

    def usage(self, tool: str) -> str:
        parts = [tool, *self.path]
        for positional in self.positionals:
            shown = "|".join(positional.choices) if positional.choices else f"<{positional.name}>"
            parts.append(f"[{shown}]" if positional.optional else shown)
        for flag in self.flags:
            text = flag.name + (f" <{flag.metavar}>" if flag.metavar else "")
            if not flag.required:
                text = f"[{text}]"
            if flag.repeat:
                text += "..."
            parts.append(text)
        return " ".join(parts)


@dataclass(frozen=True)
class ToolGrammar:
    name: str
    commands: tuple[CommandSpec, ...]

    def command(self, *path: str) -> CommandSpec:
        for spec in self.commands:
            if spec.path == path:
                return spec
        raise KeyError(" ".join(path))

    def children(self, prefix: tuple[str, ...]) -> list[str]:
        """The words that may follow `prefix` in a command path."""
        depth = len(prefix)
        return sorted(
            {
                spec.path[depth]
                for spec in self.commands
                if spec.path[:depth] == prefix and len(spec.path) > depth
            }
        )


@dataclass(frozen=True)
class GrammarProblem:
    """What is wrong, where; `kind` names the problem for rules that pick some kinds."""

    kind: str  # unknown-subcommand, missing-subcommand, unknown-flag, missing-value,
    # repeated-flag, missing-flag, too-many-arguments, missing-argument, bad-choice
    message: str
    span: Span


@dataclass(frozen=True)
class FlagUse:
    flag: Flag
    word: Token  # the flag as written
    value: Token | None  # its value, when it takes one


@dataclass(frozen=True)
class Invocation:
    """A command matched against its grammar."""

    tool: str
    spec: CommandSpec | None  # None when the subcommand is unknown
    words: tuple[Token, ...]  # every word, the tool's included
    positionals: tuple[Token, ...] = ()
    flags: tuple[FlagUse, ...] = ()
    problems: tuple[GrammarProblem, ...] = ()

    def values(self, flag_name: str) -> list[Token]:
        return [use.value for use in self.flags if use.flag.name == flag_name and use.value]

    def uses(self, flag_name: str) -> list[FlagUse]:
        return [use for use in self.flags if use.flag.name == flag_name]


def _is_ellipsis(token: Token) -> bool:
    return token.placeholder and token.text in ("...", "…", "[...]")


def _suggest(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f"; did you mean `{close[0]}`?" if close else ""


def match(grammar: ToolGrammar, argv: Sequence[Token], *, mention: bool = False) -> Invocation:
    """Match argv (argv[0] is the tool) against the grammar.

    `mention` is for an inline span that only names a command (`vrctl service add`): the path is
    checked, missing arguments are not. Placeholders fill positionals and values; an ellipsis
    (`...`) stands for more of whatever may repeat. A flag is always checked by its name, so a
    placeholder never hides a wrong one.
    """
    words = tuple(argv)
    problems: list[GrammarProblem] = []
    path: tuple[str, ...] = ()
    index = 1
    spec: CommandSpec | None = None
    while True:
        exact = [s for s in grammar.commands if s.path == path]
        options = grammar.children(path)
        if exact and (not options or index >= len(words) or words[index].text not in options):
            spec = exact[0]
            break
        if index >= len(words):
            if not mention:
                last = words[-1].span
                problems.append(
                    GrammarProblem(
                        "missing-subcommand",
                        f"`{' '.join((grammar.name, *path))}` needs a subcommand: "
                        f"{', '.join(options)}",
                        last,
                    )
                )
            return Invocation(grammar.name, None, words, problems=tuple(problems))
        word = words[index]
        if word.text not in options:
            if word.placeholder or word.has_placeholder:
                return Invocation(grammar.name, None, words)  # `vrctl service <verb>`
            problems.append(
                GrammarProblem(
                    "unknown-subcommand",
                    f"unknown subcommand `{' '.join((grammar.name, *path, word.text))}`; "
                    f"`{' '.join((grammar.name, *path))}` takes {', '.join(options)}"
                    + _suggest(word.text, options),
                    word.span,
                )
            )
            return Invocation(grammar.name, None, words, problems=tuple(problems))
        path = (*path, word.text)
        index += 1

    positionals: list[Token] = []
    flags: list[FlagUse] = []
    saw_ellipsis = False
    while index < len(words):
        word = words[index]
        index += 1
        if _is_ellipsis(word):
            saw_ellipsis = True
            continue
        text = word.text
        if text.startswith("-") and len(text) > 1 and not word.quoted and not word.placeholder:
            name, has_inline, inline_value = text.partition("=")
            flag = spec.flag(name if has_inline else text)
            if flag is None:
                known = [n for f in spec.flags for n in f.names]
                problems.append(
                    GrammarProblem(
                        "unknown-flag",
                        f"unknown flag `{text}` for `{grammar.name} {' '.join(spec.path)}`"
                        + (_suggest(text, known) if known else " (it takes no flags)"),
                        word.span,
                    )
                )
                continue
            value: Token | None = None
            if flag.takes_value:
                if has_inline:
                    value = Token(inline_value, inline_value, word.span)
                elif index < len(words) and (
                    flag.verbatim
                    or not words[index].text.startswith("-")
                    or words[index].placeholder
                    or words[index].quoted
                ):
                    value = words[index]
                    index += 1
                else:
                    problems.append(
                        GrammarProblem(
                            "missing-value",
                            f"flag `{flag.name}` needs a value <{flag.metavar}>",
                            word.span,
                        )
                    )
            flags.append(FlagUse(flag, word, value))
            continue
        positionals.append(word)

    required = [p for p in spec.positionals if not p.optional]
    if len(positionals) > len(spec.positionals):
        extra = positionals[len(spec.positionals)]
        problems.append(
            GrammarProblem(
                "too-many-arguments",
                f"`{grammar.name} {' '.join(spec.path)}` takes "
                + (
                    f"{len(spec.positionals)} argument{'s' if len(spec.positionals) != 1 else ''}"
                    if spec.positionals
                    else "no arguments"
                )
                + f"; unexpected `{extra.text}` (usage: {spec.usage(grammar.name)})",
                extra.span,
            )
        )
    for positional, word in zip(spec.positionals, positionals, strict=False):
        if positional.choices and not word.placeholder and word.text not in positional.choices:
            problems.append(
                GrammarProblem(
                    "bad-choice",
                    f"`{word.text}` is not one of {', '.join(positional.choices)}"
                    + _suggest(word.text, positional.choices),
                    word.span,
                )
            )
    if not mention and not saw_ellipsis:
        last = words[-1].span
        if len(positionals) < len(required):
            missing = required[len(positionals)]
            problems.append(
                GrammarProblem(
                    "missing-argument",
                    f"`{grammar.name} {' '.join(spec.path)}` needs <{missing.name}> "
                    f"(usage: {spec.usage(grammar.name)})",
                    last,
                )
            )
        for flag in spec.flags:
            if flag.required and not any(use.flag is flag for use in flags):
                problems.append(
                    GrammarProblem(
                        "missing-flag",
                        f"`{grammar.name} {' '.join(spec.path)}` needs `{flag.name} "
                        f"<{flag.metavar}>`",
                        last,
                    )
                )
    for flag in spec.flags:
        uses = [use for use in flags if use.flag is flag]
        if len(uses) > 1 and not flag.repeat:
            problems.append(
                GrammarProblem(
                    "repeated-flag",
                    f"`{flag.name}` is given {len(uses)} times; only the last one counts",
                    uses[-1].word.span,
                )
            )
    return Invocation(grammar.name, spec, words, tuple(positionals), tuple(flags), tuple(problems))
