"""Helpers the rule families share (not a rule family: it registers nothing)."""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.diagnostics import Finding
from skillkit.model import ProblemKind, Skill


def parse_problems(skill: Skill, *kinds: ProblemKind) -> Iterator[Finding]:
    """A finding for each problem the parser recorded of one of `kinds`, with its own message."""
    for problem in skill.problems:
        if problem.kind in kinds:
            yield Finding(problem.span, problem.message)


_EXAMPLE_FRONT = (
    "---\nname: demo\ndescription: Runs the demo web app. Use when the user asks to run it.\n---\n"
)


def example_skill(body: str) -> str:
    """A skill for a rule's example: a web app's front matter, a title, then `body`."""
    return _EXAMPLE_FRONT + "\n# Demo\n\n" + body
