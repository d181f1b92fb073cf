"""The command line: argument parsing and exit codes only; the work is in the library.

Each subcommand lives in `skillkit.commands.<name>` with `add_arguments(parser)` and
`run(args) -> int`; command modules import their heavy dependencies inside `run`, so that
`skillkit lint FILE` loads only what linting needs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from skillkit import __version__
from skillkit.errors import UsageError

# name → (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("skillkit.commands.lint", "check skills and report findings"),
    "show": ("skillkit.commands.show", "print the model skillkit parsed from a skill"),
    "rules": ("skillkit.commands.rules", "list every rule"),
    "rule": ("skillkit.commands.rule", "explain one rule, with its examples"),
    "config": (
        "skillkit.commands.config",
        "show the settings in force for a path, and their source",
    ),
    "config-schema": ("skillkit.commands.config_schema", "print the JSON Schema of the config"),
    "lsp": ("skillkit.commands.lsp", "run the language server (for editors)"),
    "new": ("skillkit.commands.new", "create a new skill in the right shape for a target"),
    "prompt": ("skillkit.commands.prompt", "print the skills block an agent sees, and its cost"),
    "adopt": (
        "skillkit.commands.adopt",
        "turn an existing skills folder into templates and a render plan",
    ),
    "render": ("skillkit.commands.render", "render skill files from templates, or check them"),
}

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, as the shell reports for `yes | head -1`

__all__ = [
    "COMMANDS",
    "EXIT_BROKEN_PIPE",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "UsageError",
    "main",
]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, the arguments of that one command alone (the others are listed
    but their modules not imported: `skillkit lint FILE` loads only what linting needs; "" names
    none, for the top-level help and errors, which need the commands' names only)."""
    parser = argparse.ArgumentParser(
        prog="skillkit",
        description="Lint, render and keep in sync agent skill files (SKILL.md).",
    )
    parser.add_argument("--version", action="version", version=f"skillkit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if only is not None and name != only:
            continue
        module = importlib.import_module(module_name)
        module.add_arguments(sub)
        sub.set_defaults(_module=module)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command the arguments name, if they name one (no global option takes a value)."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    # Each command module brings its dependencies at import (Jinja for render, pygls for lsp):
    # only the one named is imported, none when none is named.
    parser = build_parser(_command_named(sys.argv[1:] if argv is None else argv) or "")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    code: int | None = None
    try:
        code = int(args._module.run(args))
        # Flush here, not at exit: a reader that went away shows up while the code is known.
        # (The language server's transport closes stdout when the client says exit.)
        if not sys.stdout.closed:
            sys.stdout.flush()
        return code
    except UsageError as error:
        print(f"skillkit: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`skillkit lint | head`): stop quietly. The command's own code if
        # it had finished (a lint with findings must not turn into 0), else what a POSIX tool
        # killed by SIGPIPE reports; never EXIT_FINDINGS, which would claim findings.
        _discard_stdout()
        return EXIT_BROKEN_PIPE if code is None else code
    except Exception as error:
        if os.environ.get("SKILLKIT_DEBUG"):
            raise
        print(
            f"skillkit: internal error: {type(error).__name__}: {error}\n"
            "(set SKILLKIT_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _discard_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout has no file descriptor (captured, say)
        pass


def use_colour(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
