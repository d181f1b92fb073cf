"""Declarative command-line grammars and the one engine that checks argv against them.

A grammar is data (the tool's subcommands, positionals and flags, what kind of value each takes,
and which part of the command line is another program that the tool runs); the same data checks
the commands a skill gives (`skillkit lint`) and builds the commands a template renders
(`skillkit render`). Tokens are the model's shell words, so every problem has a position.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from skillkit.model import Span, Token
from skillkit.text import plural

# What a value must look like. "any": anything; "int": a whole number; "abs-path": an absolute
# path; "env": KEY=VAL with a key of [A-Za-z0-9_]+ and a non-empty value; "name": a name that is
# safe as a folder name; "ref": a snapshot tag (no `/` or `:`); "word": one word, no whitespace.
ValueKind = Literal["any", "int", "abs-path", "env", "name", "ref", "word"]
# The part a flag plays in the program a tool runs (vrctl's `--cmd <exe> --arg <arg>...`).
ProgramRole = Literal["", "executable", "argument"]

SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ENV_KEY = re.compile(r"^[A-Za-z0-9_]+$")
_PLACEHOLDER = re.compile(r"<[^<>\n]+>|\.\.\.|…")
_WHOLE_NUMBER = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class Flag:
    names: tuple[str, ...]  # every spelling: ("-n",), ("--cmd",)
    metavar: str | None = None  # None: a switch that takes no value
    repeat: bool = False
    required: bool = False
    # The value is the next word taken verbatim, even when it starts with `-` (vrctl's --arg).
    verbatim: bool = False
    kind: ValueKind = "any"
    program: ProgramRole = ""
    # Seen among the first flags of the program this tool runs, it was meant for this tool
    # (`npx tsx -y watch`): only flags that no such program plausibly takes are telltale.
    telltale: bool = False
    # Given, the tool needs no trailing command (`mise exec --command "..."`).
    replaces_command: bool = False

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
    kind: ValueKind = "any"
    repeat: bool = False


@dataclass(frozen=True)
class CommandSpec:
    path: tuple[str, ...]  # the subcommand words: ("service", "add")
    positionals: tuple[Positional, ...] = ()
    flags: tuple[Flag, ...] = ()
    summary: str = ""
    # The tool takes flags beyond these (npx takes every npm setting): an unknown one is fine.
    open_flags: bool = False
    # The metavar of another program this command runs at the end of its line (`uv run <tool>
    # ...`), or None. `command_after` is the word that must come before that program (`--` for
    # `mise exec`); None: the program starts at the first word that is not a flag.
    command: str | None = None
    command_after: str | None = None
    command_required: bool = False

    def flag(self, word: str) -> Flag | None:
        for flag in self.flags:
            if word in flag.names:
                return flag
        return None

    def usage(self, tool: str) -> str:
        parts = [tool, *self.path]
        for positional in self.positionals:
            shown = "|".join(positional.choices) if positional.choices else f"<{positional.name}>"
            if positional.optional:
                shown = f"[{shown}]"
            parts.append(shown + ("..." if positional.repeat else ""))
        for flag in self.flags:
            text = flag.name + (f" <{flag.metavar}>" if flag.metavar else "")
            if not flag.required:
                text = f"[{text}]"
            if flag.repeat:
                text += "..."
            parts.append(text)
        if self.command:
            shown = f"<{self.command}>..."
            if self.command_after:
                shown = f"{self.command_after} {shown}"
            parts.append(shown if self.command_required else f"[{shown}]")
        return " ".join(parts)


@dataclass(frozen=True)
class ToolGrammar:
    name: str
    commands: tuple[CommandSpec, ...]
    # False: the grammar knows only some subcommands (`mise exec`, not `mise install`), so an
    # unknown one is not a problem, just not checked.
    closed: bool = True

    def command(self, *path: str) -> CommandSpec:
        for spec in self.commands:
            if spec.path == path:
                return spec
        raise KeyError(" ".join(path))

    def children(self, prefix: tuple[str, ...]) -> list[str]:
        """The words that may follow `prefix` in a command path."""
        return list(self._step(prefix)[1])

    def _step(self, prefix: tuple[str, ...]) -> tuple[tuple[CommandSpec, ...], tuple[str, ...]]:
        """The specs whose path is `prefix`, and the words that may follow it: what matching
        asks at every word of every command, so remembered per prefix (the grammar is frozen)."""
        memo: dict[tuple[str, ...], tuple[tuple[CommandSpec, ...], tuple[str, ...]]]
        memo = self.__dict__.setdefault("_steps", {})
        known = memo.get(prefix)
        if known is None:
            depth = len(prefix)
            exact = tuple(spec for spec in self.commands if spec.path == prefix)
            following = sorted(
                {
                    spec.path[depth]
                    for spec in self.commands
                    if spec.path[:depth] == prefix and len(spec.path) > depth
                }
            )
            known = memo[prefix] = (exact, tuple(following))
        return known

    def names_command(self, words: Sequence[str]) -> bool:
        """True when the words (the tool's included) only name a command path (`vrctl service
        add`): a mention in prose, not an invocation."""
        # Every prefix of every command path, gathered once (the grammar is frozen): asked for
        # every inline command of every skill.
        prefixes: frozenset[tuple[str, ...]] | None = self.__dict__.get("_prefixes")
        if prefixes is None:
            prefixes = self.__dict__["_prefixes"] = frozenset(
                spec.path[:length] for spec in self.commands for length in range(len(spec.path) + 1)
            )
        rest = tuple(words[1:])
        return not rest or rest in prefixes


class GrammarProblemKind(StrEnum):
    """What a command does wrong against its tool's grammar. The SK4xx rules report these, each
    kind by the one rule that claims it (`skillkit.rules._common.claim`)."""

    UNKNOWN_SUBCOMMAND = "unknown-subcommand"
    MISSING_SUBCOMMAND = "missing-subcommand"
    UNKNOWN_FLAG = "unknown-flag"
    FLAG_BEFORE_COMMAND = "flag-before-command"
    FLAG_AFTER_COMMAND = "flag-after-command"
    MISSING_VALUE = "missing-value"
    REPEATED_FLAG = "repeated-flag"
    MISSING_FLAG = "missing-flag"
    TOO_MANY_ARGUMENTS = "too-many-arguments"
    MISSING_ARGUMENT = "missing-argument"
    BAD_CHOICE = "bad-choice"
    MISSING_SEPARATOR = "missing-separator"
    MISSING_COMMAND = "missing-command"
    # A value of the wrong kind (`check_value`).
    NOT_A_NUMBER = "not-a-number"
    RELATIVE_PATH = "relative-path"
    BAD_ENV = "bad-env"
    LITERAL_ENV = "literal-env"
    UNSAFE_NAME = "unsafe-name"
    BAD_REF = "bad-ref"
    WHITESPACE = "whitespace"


@dataclass(frozen=True)
class GrammarProblem:
    """What is wrong, where; `kind` names the problem for rules that pick some kinds."""

    kind: GrammarProblemKind
    message: str
    span: Span


Kind = GrammarProblemKind  # (short, for the many problems `match` builds)


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
    command: tuple[Token, ...] = ()  # the program this one runs (spec.command), if any
    separator: Token | None = None  # the `--` before it, when written
    elided: bool = False  # an ellipsis (`...`) stands for more words
    mention: bool = False

    def values(self, flag_name: str) -> list[Token]:
        return [use.value for use in self.flags if use.flag.name == flag_name and use.value]

    def uses(self, flag_name: str) -> list[FlagUse]:
        return [use for use in self.flags if use.flag.name == flag_name]

    def program(self) -> tuple[Token, ...]:
        """The argv of the program this command runs (`--cmd x --arg y` → `x y`; `uv run x y` →
        `x y`), or () when it runs none. Tokens keep their positions; a value passed through a
        flag is a plain word of the inner program (its outer quoting does not matter there)."""
        if self.command:
            return self.command
        executable = [u.value for u in self.flags if u.flag.program == "executable" and u.value]
        if not executable:
            return ()
        arguments = [u.value for u in self.flags if u.flag.program == "argument" and u.value]
        return tuple(
            dataclasses.replace(t, quoted=False) if t.quoted else t
            for t in [executable[-1], *arguments]
        )


def is_ellipsis(token: Token) -> bool:
    return token.placeholder and token.text in ("...", "…", "[...]")


def is_dynamic(token: Token) -> bool:
    """A word whose value the shell computes (`$VAR`, `$(cmd)`): its kind cannot be checked."""
    return "$" in token.text or "`" in token.text


def _suggest(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f"; did you mean `{close[0]}`?" if close else ""


# A shell variable reference, `$NAME` or `${NAME}`.
SHELL_VARIABLE = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


def literal_variable(raw: str) -> str | None:
    """The first `$NAME` (or `${NAME}`) that the shell passes on as written: inside single
    quotes, or escaped (`\\$HOME`). An unquoted or double-quoted one is expanded by the shell
    before the program sees it."""
    state = ""  # "", "'" or '"'
    index = 0
    while index < len(raw):
        char = raw[index]
        if state == "'":
            found = SHELL_VARIABLE.match(raw, index) if char == "$" else None
            if found:
                return found.group(0)
            if char == "'":
                state = ""
        elif char == "\\":
            found = SHELL_VARIABLE.match(raw, index + 1)
            if found:
                return found.group(0)
            index += 1
        elif char == "'" and state == "":
            state = "'"
        elif char == '"':
            state = "" if state == '"' else '"'
        index += 1
    return None


def _has_space(text: str) -> bool:
    return any(char.isspace() for char in text)


def check_value(kind: ValueKind, token: Token, shown: str) -> tuple[GrammarProblemKind, str] | None:
    """(problem kind, message) when the word is not a value of this kind, else None.

    `shown` names where the value goes (`--cwd`, `<name>`). A whole placeholder is a value of
    every kind; inside a word, each placeholder counts as one ordinary character, so that
    `<repo>:<tag>` is still a ref with a `:`.
    """
    if kind == "env" and "$" in token.raw:
        variable = literal_variable(token.raw)
        if variable is not None:
            return (
                Kind.LITERAL_ENV,
                f"`{shown} {token.text}`: vrctl stores env values literally, so the program "
                f"gets `{variable}` as written, not its value; write the value itself",
            )
    if kind == "word" and token.placeholder and token.quoted and _has_space(token.text):
        # `--cmd "<start command>"`: quoted, the placeholder stands for a shell string (the form
        # of older viberun releases), not for one program.
        return Kind.WHITESPACE, f"`{shown}` takes one word; `{token.text}` has whitespace in it"
    if kind == "any" or token.placeholder or is_dynamic(token):
        return None
    text = token.text
    filled = _PLACEHOLDER.sub("x", text) if token.has_placeholder else text
    if kind == "int":
        if not _WHOLE_NUMBER.match(filled):
            return Kind.NOT_A_NUMBER, f"`{shown} {text}`: the value must be a whole number"
    elif kind == "abs-path":
        starts_open = text.startswith(("<", "~", "/"))
        if not starts_open:
            return Kind.RELATIVE_PATH, f"`{shown} {text}` is a relative path; give an absolute one"
    elif kind == "env":
        key, equals, _ = text.partition("=")
        filled_value = filled.partition("=")[2]
        if not equals:
            return Kind.BAD_ENV, f"`{shown} {text}` is not KEY=VAL"
        if not ENV_KEY.match(_PLACEHOLDER.sub("x", key)):
            return (
                Kind.BAD_ENV,
                f"`{shown} {text}`: the key `{key}` may only use letters, digits and `_`",
            )
        if not filled_value:
            return Kind.BAD_ENV, f"`{shown} {text}` has an empty value"
    elif kind == "name":
        if not SAFE_NAME.match(filled):
            return (
                Kind.UNSAFE_NAME,
                f"`{text}` is not a safe {shown}: use lowercase letters, digits, `-` and `_`, "
                "starting with a letter or digit",
            )
    elif kind == "ref":
        if "/" in filled or ":" in filled:
            return (
                Kind.BAD_REF,
                f"`{text}` is not a snapshot tag: the host accepts only `latest` or a tag "
                "without `/` or `:`",
            )
    elif kind == "word" and _has_space(filled):
        return Kind.WHITESPACE, f"`{shown}` takes one word; `{text}` has whitespace in it"
    return None


def match(grammar: ToolGrammar, argv: Sequence[Token], *, mention: bool = False) -> Invocation:
    """Match argv (argv[0] is the tool) against the grammar.

    `mention` is for an inline span that only names a command (`vrctl service add`): the path is
    checked, missing arguments are not. Placeholders fill positionals and values; an ellipsis
    (`...`) stands for more of whatever may repeat. A flag is always checked by its name, so a
    placeholder never hides a wrong one.

    In three steps: the subcommand path (`_command_path`), the words after it
    (`_read_arguments`), then each check of `_CHECKS` in order on what was read.
    """
    words = tuple(argv)
    found = _command_path(grammar, words, mention)
    if isinstance(found, Invocation):
        return found
    spec, index = found
    reading = _read_arguments(grammar, spec, words, index, mention)
    for check in _CHECKS:
        check(reading)
    return Invocation(
        grammar.name,
        spec,
        words,
        tuple(reading.positionals),
        tuple(reading.flags),
        tuple(reading.problems),
        command=reading.command,
        separator=reading.separator,
        elided=reading.elided,
        mention=mention,
    )


def _command_path(
    grammar: ToolGrammar, words: tuple[Token, ...], mention: bool
) -> tuple[CommandSpec, int] | Invocation:
    """The spec that the words after the tool name lead to, and the index of the word after its
    path; or the finished Invocation when the path is unknown, missing or a placeholder."""
    path: tuple[str, ...] = ()
    index = 1
    while True:
        exact, options = grammar._step(path)
        if exact and (not options or index >= len(words) or words[index].text not in options):
            return exact[0], index
        if index >= len(words):
            if mention or not grammar.closed:
                return Invocation(grammar.name, None, words, mention=mention)
            problem = GrammarProblem(
                Kind.MISSING_SUBCOMMAND,
                f"`{' '.join((grammar.name, *path))}` needs a subcommand: {', '.join(options)}",
                words[-1].span,
            )
            return Invocation(grammar.name, None, words, problems=(problem,), mention=mention)
        word = words[index]
        if word.text not in options:
            if word.placeholder or word.has_placeholder or not grammar.closed:
                # `vrctl service <verb>`, or a subcommand this grammar does not describe.
                return Invocation(grammar.name, None, words, mention=mention)
            problem = GrammarProblem(
                Kind.UNKNOWN_SUBCOMMAND,
                f"unknown subcommand `{' '.join((grammar.name, *path, word.text))}`; "
                f"`{' '.join((grammar.name, *path))}` takes {', '.join(options)}"
                + _suggest(word.text, options),
                word.span,
            )
            return Invocation(grammar.name, None, words, problems=(problem,), mention=mention)
        path = (*path, word.text)
        index += 1


class _Reading:
    """The words of a command read against its spec, and the problems found so far. (A plain
    class: one is made for every command, and a dataclass with list defaults costs more.)"""

    __slots__ = (
        "called",
        "command",
        "elided",
        "flags",
        "max_positionals",
        "mention",
        "positionals",
        "problems",
        "separator",
        "spec",
        "tool",
        "words",
    )

    def __init__(
        self, tool: str, spec: CommandSpec, words: tuple[Token, ...], mention: bool
    ) -> None:
        self.tool = tool
        self.spec = spec
        self.called = " ".join((tool, *spec.path))  # the command as messages quote it
        self.words = words
        self.mention = mention
        self.positionals: list[Token] = []
        self.flags: list[FlagUse] = []
        self.command: tuple[Token, ...] = ()  # the program it runs, if any
        self.separator: Token | None = None  # the `--` before that program, when written
        self.elided = False  # an ellipsis stands for more words
        self.problems: list[GrammarProblem] = []
        # How many positionals the spec takes (None: the last one repeats).
        self.max_positionals = (
            None if any(p.repeat for p in spec.positionals) else len(spec.positionals)
        )


def _read_arguments(
    grammar: ToolGrammar, spec: CommandSpec, words: tuple[Token, ...], index: int, mention: bool
) -> _Reading:
    """Read the words from `index` on: flags (with their values), positionals, and the program
    the command runs, if any."""
    reading = _Reading(grammar.name, spec, words, mention)
    positionals, max_positionals = reading.positionals, reading.max_positionals
    while index < len(words):
        word = words[index]
        index += 1
        if is_ellipsis(word):
            reading.elided = True
            continue
        text = word.text
        if spec.command and text == "--" and not word.quoted:
            reading.separator = word
            reading.command = words[index:]
            break
        if text.startswith("-") and len(text) > 1 and not word.quoted and not word.placeholder:
            index = _read_flag(reading, word, index)
            continue
        if (
            spec.command
            and not spec.command_after
            and (max_positionals is not None and len(positionals) >= max_positionals)
        ):
            reading.command = words[index - 1 :]
            break
        positionals.append(word)
    return reading


def _read_flag(reading: _Reading, word: Token, index: int) -> int:
    """Read the flag `word` (and its value, from words[index] when it takes one and it is not
    inline); returns the index of the next word to read."""
    spec, called, words = reading.spec, reading.called, reading.words
    text = word.text
    name, has_inline, inline_value = text.partition("=")
    flag = spec.flag(name if has_inline else text)
    if flag is None:
        if spec.open_flags:
            return index
        known = [n for f in spec.flags for n in f.names]
        if spec.command and not spec.command_after:
            reading.problems.append(
                GrammarProblem(
                    Kind.FLAG_BEFORE_COMMAND,
                    f"`{called}` has no flag `{text}`; a flag of the program goes after "
                    f"it (`{called} <{spec.command}> {text}`)",
                    word.span,
                )
            )
            return index
        reading.problems.append(
            GrammarProblem(
                Kind.UNKNOWN_FLAG,
                f"unknown flag `{text}` for `{called}`"
                + (
                    (_suggest(text, known) or f"; it takes {', '.join(known)}")
                    if known
                    else " (it takes no flags)"
                ),
                word.span,
            )
        )
        return index
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
        elif not (reading.mention and index >= len(words)):
            # (A mention may end with the flag it names: "`uv run --with` adds one".)
            reading.problems.append(
                GrammarProblem(
                    Kind.MISSING_VALUE,
                    f"flag `{name if has_inline else text}` needs a value <{flag.metavar}>",
                    word.span,
                )
            )
    reading.flags.append(FlagUse(flag, word, value))
    return index


def _too_many_arguments(reading: _Reading) -> None:
    max_positionals, positionals = reading.max_positionals, reading.positionals
    if max_positionals is None or len(positionals) <= max_positionals:
        return
    spec = reading.spec
    extra = positionals[max_positionals]
    count = len(spec.positionals)
    reading.problems.append(
        GrammarProblem(
            Kind.TOO_MANY_ARGUMENTS,
            f"`{reading.called}` takes "
            + (plural(count, "argument") if count else "no arguments")
            + f"; unexpected `{extra.text}` (usage: {spec.usage(reading.tool)})",
            extra.span,
        )
    )


def _bad_values(reading: _Reading) -> None:
    """Positionals that are not one of their choices, and values of the wrong kind."""
    problems = reading.problems
    for positional, word in zip(reading.spec.positionals, reading.positionals, strict=False):
        if positional.choices and not word.placeholder and word.text not in positional.choices:
            problems.append(
                GrammarProblem(
                    Kind.BAD_CHOICE,
                    f"`{word.text}` is not one of {', '.join(positional.choices)}"
                    + _suggest(word.text, positional.choices),
                    word.span,
                )
            )
        bad = check_value(positional.kind, word, f"<{positional.name}>")
        if bad:
            problems.append(GrammarProblem(bad[0], bad[1], word.span))
    for use in reading.flags:
        if use.value is not None:
            bad = check_value(use.flag.kind, use.value, use.flag.name)
            if bad:
                problems.append(GrammarProblem(bad[0], bad[1], use.value.span))


def _flags_after_command(reading: _Reading) -> None:
    if reading.spec.command and reading.command:
        reading.problems.extend(_telltale_flags(reading.spec, reading.called, reading.command))


def _missing_parts(reading: _Reading) -> None:
    """What a command needs and lacks: an argument, a required flag, the separator before the
    program it runs, the program. (Not for a mention, nor when an ellipsis stands for more.)"""
    if reading.mention or reading.elided:
        return
    spec, called, positionals, problems = (
        reading.spec,
        reading.called,
        reading.positionals,
        reading.problems,
    )
    last = reading.words[-1].span
    required = [p for p in spec.positionals if not p.optional]
    if len(positionals) < len(required):
        missing = required[len(positionals)]
        problems.append(
            GrammarProblem(
                Kind.MISSING_ARGUMENT,
                f"`{called}` needs <{missing.name}> (usage: {spec.usage(reading.tool)})",
                last,
            )
        )
    for flag in spec.flags:
        if flag.required and all(use.flag is not flag for use in reading.flags):
            problems.append(
                GrammarProblem(
                    Kind.MISSING_FLAG, f"`{called}` needs `{flag.name} <{flag.metavar}>`", last
                )
            )
    replaced = any(use.flag.replaces_command for use in reading.flags)
    if spec.command_after and reading.separator is None and not replaced and positionals:
        # The first word that is not what the positional names (`node` after `node@22`).
        misread = next((w for w in positionals if "@" not in w.text), positionals[0])
        problems.append(
            GrammarProblem(
                Kind.MISSING_SEPARATOR,
                f"`{called}` runs the program that follows `{spec.command_after}`; "
                f"without it `{misread.text}` is read as <{spec.positionals[0].name}>"
                if spec.positionals
                else f"`{called}` runs the program that follows `{spec.command_after}`",
                misread.span,
            )
        )
    elif spec.command_required and not reading.command and not replaced:
        problems.append(
            GrammarProblem(
                Kind.MISSING_COMMAND,
                f"`{called}` needs the program to run (usage: {spec.usage(reading.tool)})",
                last,
            )
        )


def _repeated_flags(reading: _Reading) -> None:
    if len(reading.flags) < 2:
        return  # (most commands: nothing can repeat)
    # The uses of each flag of the spec (by identity), gathered once rather than per flag.
    uses_of: dict[int, list[FlagUse]] = {}
    for use in reading.flags:
        uses_of.setdefault(id(use.flag), []).append(use)
    for flag in reading.spec.flags:
        uses = uses_of.get(id(flag), ())
        if len(uses) > 1 and not flag.repeat:
            reading.problems.append(
                GrammarProblem(
                    Kind.REPEATED_FLAG,
                    f"`{flag.name}` is given {len(uses)} times; only the last one counts",
                    uses[-1].word.span,
                )
            )


# The checks on a command's words once read, in the order their problems are listed.
_CHECKS: tuple[Callable[[_Reading], None], ...] = (
    _too_many_arguments,
    _bad_values,
    _flags_after_command,
    _missing_parts,
    _repeated_flags,
)


def _telltale_flags(
    spec: CommandSpec, called: str, command: tuple[Token, ...]
) -> list[GrammarProblem]:
    """Flags of this tool between the program it runs and the program's first argument (`npx
    tsx -y watch x.ts`): put there, they reach the program instead of the tool. A flag at the
    very end (`npx create-app --yes`) may well be the program's own, and is left alone."""
    found: list[GrammarProblem] = []
    leading = 0
    while leading + 1 < len(command) and command[leading + 1].text.startswith("-"):
        leading += 1
    if leading + 1 >= len(command):
        return found  # nothing but flags after the program
    for word in command[1 : leading + 1]:
        if word.quoted or word.placeholder:
            break
        flag = spec.flag(word.text.partition("=")[0])
        if flag is not None and flag.telltale:
            found.append(
                GrammarProblem(
                    Kind.FLAG_AFTER_COMMAND,
                    f"`{word.text}` is a flag of `{called}`, but after `{command[0].text}` it "
                    f"goes to `{command[0].text}`; put it before `{command[0].text}`",
                    word.span,
                )
            )
    return found
