"""What several rules derive from one skill, computed once a file (`Analysis`, which the engine
gives each file's rules in their context): every program the skill runs, matched against its
tool's grammar, which the SK3xx and SK4xx rules read.

A command as written may run other programs: `vrctl service add x --cmd mise --arg exec --arg --
--arg uvicorn` runs `mise exec -- uvicorn`, which runs `uvicorn`. Each of these is a `Run`, so
that a rule about `mise exec` or `node x.js` sees it wherever it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from skillkit.model import Command, Skill, Token
from skillkit.rules._common import CODE_SPAN, SENTENCE_WINDOW
from skillkit.tools import (
    GRAMMARS,
    PREFIX_COMMANDS,
    GrammarProblem,
    Invocation,
    matched_programs,
    tool_name,
)

# Words that, before an inline command in the same sentence, make it a thing not to do.
# (The lookahead names the alternatives' first letters, under the same IGNORECASE: the same
# matches, found twice as fast.)
_NEGATION = re.compile(
    r"\b(?=[adfinpw])(?:do not|don't|does not|doesn't|never|avoid|instead of|not|no|nor|without|"
    r"forbid\w*|disallow\w*|prohibit\w*)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;:](?:\s|$)")


@dataclass(frozen=True)
class Run:
    """One program that a command of the skill runs (the command itself, or one it wraps)."""

    command: Command  # the command as written
    argv: tuple[Token, ...]
    invocation: Invocation | None  # None when skillkit has no grammar for the tool
    via: tuple[str, ...]  # the tools it runs through, outermost first (() for the command itself)
    mention: bool  # an inline span that only names a command path (`vrctl service add`)
    negated: bool  # an inline span in a sentence that says not to run it
    outer: Invocation | None = None  # the invocation of the tool that runs this one
    # The program's name (`tool_name` of argv[0]): a plain attribute, set once, because every
    # policy reads it for every run (250,000 times on the scaled corpus).
    tool: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tool", tool_name(self.argv[0]) if self.argv else "")

    # Remembered in the instance's __dict__ (as cached_property does, without its lock, which
    # costs more than the value).
    @property
    def words(self) -> tuple[str, ...]:
        known: tuple[str, ...] | None = self.__dict__.get("_words")
        if known is None:
            known = self.__dict__["_words"] = tuple(token.text for token in self.argv)
        return known


# Words that, right after an inline command, say it does not exist or does not work
# ("`vrctl service logs -f` does not exist").
_DOES_NOT_WORK = re.compile(
    r"^[`\s]*(?:(?:does not|doesn't|do not|don't|will not|won't)\s+(?:exist|work)|"
    r"(?:is|are)\s+(?:all\s+)?(?:not\s+(?:valid|supported|a\b)|invalid|"
    r"an?\s+(?:usage\s+)?errors?|errors|gone|removed)|isn't|aren't)",
    re.IGNORECASE,
)


def is_negated(skill: Skill, command: Command) -> bool:
    """An inline command whose sentence says not to run it (`never run \\`x\\``), or that it does
    not exist or work (`\\`x\\` does not exist`): a thing to avoid, not a command to check."""
    if command.source != "inline":
        return False
    line = skill.line_text(command.line)
    end = max(command.span.column - 2, 0)
    # Only the text just before the span: a sentence is not longer than this, and reading the
    # whole line for each span is quadratic on a long line of them.
    before = line[max(0, end - SENTENCE_WINDOW) : end]
    sentence = _SENTENCE_END.split(before)[-1]
    if _NEGATION.search(sentence):
        return True
    after = line[command.span.end_column - 1 : command.span.end_column + 80]
    return bool(_DOES_NOT_WORK.match(after))


_WORD = re.compile(r"[^\W\d_]{2,}")


def in_sentence(skill: Skill, command: Command, known: dict[int, bool] | None = None) -> bool:
    """An inline command with words of prose on its line ("Use `uv run --with` for one-off
    commands"): it names a command, and may leave out what a run needs. A span alone on its
    line (or alone in a list item) is a command to run as written. `known` remembers each line's
    answer (a line may hold thousands of spans)."""
    if command.source != "inline":
        return False
    line = command.line
    if known is None:
        return bool(_WORD.search(CODE_SPAN.sub(" ", skill.line_text(line))))
    if line not in known:
        known[line] = bool(_WORD.search(CODE_SPAN.sub(" ", skill.line_text(line))))
    return known[line]


def _runs_of(skill: Skill, command: Command, prose_lines: dict[int, bool]) -> list[Run]:
    negated = is_negated(skill, command)
    argv = command.argv
    if argv and (name := tool_name(argv[0])) not in GRAMMARS and name not in PREFIX_COMMANDS:
        # Most commands (`git ...`, `python x.py`): a tool that runs no other, with no grammar.
        return [Run(command, argv, None, (), False, negated)]
    found: list[Run] = []
    via: list[str] = []
    outer: Invocation | None = None
    inline = command.source == "inline"
    sentence = inline and in_sentence(skill, command, prose_lines)
    for argv, invocation in matched_programs(command.argv, inline=inline, in_sentence=sentence):
        mention = invocation.mention if invocation is not None else False
        found.append(Run(command, argv, invocation, tuple(via), mention, negated, outer))
        via.append(tool_name(argv[0]))
        outer = invocation
    return found


class Analysis:
    """What several rules derive from one skill, each part computed on first use and then
    shared by the rules of that file (see `skillkit.context.Context.analysis`)."""

    __slots__ = ("_grammar_problems", "_policy_runs", "_runs", "skill")

    def __init__(self, skill: Skill) -> None:
        self.skill = skill
        self._runs: tuple[Run, ...] | None = None
        self._policy_runs: tuple[Run, ...] | None = None
        self._grammar_problems: tuple[tuple[Run, GrammarProblem], ...] | None = None

    @property
    def runs(self) -> tuple[Run, ...]:
        """Every program the skill's commands run, in the order of the commands."""
        if self._runs is None:
            skill = self.skill
            prose_lines: dict[int, bool] = {}  # for `in_sentence`, once a line
            self._runs = tuple(
                run for command in skill.commands for run in _runs_of(skill, command, prose_lines)
            )
        return self._runs

    @property
    def policy_runs(self) -> tuple[Run, ...]:
        """The runs that policies judge: all but inline commands their sentence says not to
        run."""
        if self._policy_runs is None:
            self._policy_runs = tuple(run for run in self.runs if not run.negated)
        return self._policy_runs

    @property
    def grammar_problems(self) -> tuple[tuple[Run, GrammarProblem], ...]:
        """Every grammar problem of the skill's runs, in the order of the runs. Most runs have
        none: the SK4xx rules, which each pick some kinds, scan this short list rather than
        every run."""
        if self._grammar_problems is None:
            self._grammar_problems = tuple(
                (run, problem)
                for run in self.runs
                if run.invocation is not None and not run.negated  # (what it says not to run)
                for problem in run.invocation.problems
            )
        return self._grammar_problems

    @property
    def vrctl_run(self) -> Run | None:
        """The first run of `vrctl` in the skill (mentions count: they tell the agent to use
        it)."""
        return next((run for run in self.runs if run.tool == "vrctl"), None)
