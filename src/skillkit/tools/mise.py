"""`mise exec` (alias `x`), as skills use it to run a mise-installed tool with its toolchain:
`mise exec [FLAGS] [TOOL@VERSION]... -- COMMAND...` (mise.jdx.dev/cli/exec; `../shared/docs/
vrctl.md`, "mise wrapping"). The command must follow `--`: without it mise reads the program as a
tool to load. `-C/--cd` is a global flag, valid right after `exec`.

Only `exec` is described; mise's other subcommands (`install`, `use`, `run`, `ls-remote`, ...)
are accepted unchecked, and so are global flags not listed here (they vary by release).
"""

from __future__ import annotations

from skillkit.tools.grammar import CommandSpec, Flag, Positional, ToolGrammar

# Flags that take a value must be known, or their value would be read as a tool or a program.
_EXEC_FLAGS = (
    Flag(("-C", "--cd"), "dir"),
    Flag(("-c", "--command"), "command", replaces_command=True),
    Flag(("-j", "--jobs"), "jobs", kind="int"),
    Flag(("-E", "--env"), "env", repeat=True),
    Flag(("--allow-env",), "var", repeat=True),
    Flag(("--allow-net",), "host", repeat=True),
    Flag(("--allow-read",), "path", repeat=True),
    Flag(("--allow-write",), "path", repeat=True),
    Flag(("--deny-env",), "var", repeat=True),
    Flag(("--deny-net",), "host", repeat=True),
    Flag(("--deny-read",), "path", repeat=True),
    Flag(("--deny-write",), "path", repeat=True),
    Flag(("--output",), "format"),
    Flag(("--fresh-env",)),
    Flag(("--no-prepare",)),
    Flag(("--raw",)),
    Flag(("-q", "--quiet")),
    Flag(("-v", "--verbose"), repeat=True),
    Flag(("-y", "--yes")),
    Flag(("--silent",)),
)


def _exec(word: str) -> CommandSpec:
    return CommandSpec(
        (word,),
        (Positional("TOOL@VERSION", optional=True, repeat=True),),
        _EXEC_FLAGS,
        "run a program with mise's tools and environment",
        open_flags=True,
        command="command",
        command_after="--",
        command_required=True,
    )


# The subcommands that run a program given as their arguments (`exec`, its alias `x`) or a task.
RUNNERS = ("exec", "x", "run")

MISE = ToolGrammar("mise", (_exec("exec"), _exec("x")), closed=False)
