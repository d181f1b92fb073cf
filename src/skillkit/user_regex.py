"""Regular expressions that come from a user's config, matched in linear time.

A config is untrusted input (a pull request can change it), and Python's `re` backtracks: a
guardrail `pattern = "(a+)+$"` would hang lint on one long command line. User patterns are
compiled with RE2 (`google-re2`), whose matching time is linear in the text. RE2 has no
backreferences or lookaround; a pattern using them is refused when the config is loaded.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import lru_cache
from types import ModuleType
from typing import Protocol


def _lazy_module(name: str) -> ModuleType:
    """The module `name`, loaded on its first attribute access (the standard library's
    `LazyLoader`): declared at module level, paid for only when used."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# RE2 loads when the first user pattern is compiled: only a config with patterns pays for it.
re2 = _lazy_module("re2")


class UserRegex(Protocol):
    def search(self, text: str) -> object | None: ...


class UserRegexError(ValueError):
    """A pattern RE2 cannot compile; `str()` says why."""


@lru_cache(maxsize=256)
def compile_user_regex(pattern: str) -> UserRegex:
    """The compiled pattern; raises `UserRegexError` for one RE2 refuses."""
    options = re2.Options()
    options.log_errors = False  # the reason goes into our message, not to stderr
    try:
        compiled: UserRegex = re2.compile(pattern, options=options)
    except re2.error as error:
        try:
            re.compile(pattern)  # (only compiled, never matched) for Python's clearer message
        except re.error as python_error:
            raise UserRegexError(str(python_error)) from None
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise UserRegexError(
            f"{reason} (skillkit matches patterns with RE2, in linear time: it has no "
            "backreferences or lookaround)"
        ) from None
    return compiled
