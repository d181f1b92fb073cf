"""Errors that end a command with exit code 2 and a one-line message, never a traceback."""

from __future__ import annotations


class UsageError(Exception):
    """A problem with what the user asked for (exit 2, no traceback)."""


class ConfigError(UsageError):
    """A config file that cannot be used: where (file and line) and why."""

    def __init__(self, path: object, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")
