"""Errors that end a command with exit code 2 and a one-line message, never a traceback."""

from __future__ import annotations

import os


class UsageError(Exception):
    """A problem with what the user asked for (exit 2, no traceback)."""


class ConfigError(UsageError):
    """A config file that cannot be used: where (file and line) and why."""

    def __init__(self, path: object, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        shown = shown_path(path)
        where = f"{shown}:{line}" if line else f"{shown}"
        super().__init__(f"{where}: {message}")


def shown_path(path: object) -> str:
    """A path as the user is shown it: relative to the working folder when it is inside it
    (`skillkit.toml:3`, as lint shows files), else as it is."""
    text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
    try:
        if os.path.isabs(text):
            relative = os.path.relpath(text)
            if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
                return relative
    except ValueError:  # another drive (Windows), or the working folder is gone
        pass
    return text


def require_path(text: str) -> None:
    """A path named on the command line must exist (a broken symlink does: linting it is a
    finding); else the command is a usage error, as a typo should be."""
    if not os.path.lexists(text):
        raise UsageError(f"{text}: no such file or folder")


def check_output_file(text: str, option: str = "--output") -> None:
    """`--output FILE` must name a file in a folder that exists: checked before any work, so that
    a typo costs no lint run, and said in one line."""
    if os.path.isdir(text):
        raise UsageError(f"{option} {text}: is a folder; name a file to write")
    folder = os.path.dirname(text) or "."
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {text}: no such folder {folder}")


def write_output_file(text: str, content: str, option: str = "--output") -> None:
    """Write `--output FILE`; a file that cannot be written is a usage error, not a traceback."""
    check_output_file(text, option)
    try:
        with open(text, "w", encoding="utf-8") as stream:
            stream.write(content)
    except OSError as error:
        raise UsageError(f"{option} {text}: cannot write: {error.strerror or error}") from None
