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
