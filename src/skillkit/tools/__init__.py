"""Grammars of the command-line tools that skills call, and the engine that checks them."""

from skillkit.tools.grammar import (
    CommandSpec,
    Flag,
    FlagUse,
    GrammarProblem,
    Invocation,
    Positional,
    ToolGrammar,
    match,
)
from skillkit.tools.vrctl import VRCTL

GRAMMARS: dict[str, ToolGrammar] = {"vrctl": VRCTL}

__all__ = [
    "GRAMMARS",
    "VRCTL",
    "CommandSpec",
    "Flag",
    "FlagUse",
    "GrammarProblem",
    "Invocation",
    "Positional",
    "ToolGrammar",
    "match",
]
