"""Helpers the rule families share (not a rule family: it registers nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.diagnostics import Finding
from skillkit.model import ProblemKind, Skill


def parse_problems(skill: Skill, *kinds: ProblemKind) -> Iterator[Finding]:
    """A finding for each problem the parser recorded of one of `kinds`, with its own message."""
    for problem in skill.problems:
        if problem.kind in kinds:
            yield Finding(problem.span, problem.message)


# How far around an inline span its sentence is looked for: a sentence is not longer than this,
# and reading the whole line for each span is quadratic on a long line of them.
SENTENCE_WINDOW = 1_000
# A code span in a line of prose, to take it out of the words around it.
CODE_SPAN = re.compile(r"(`+).*?\1")

# The front matter of the rules' examples: a CSV tool's skill, and a web app's.
CSV_EXAMPLE_FRONT = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n---\n"
)
_EXAMPLE_FRONT = (
    "---\nname: demo\ndescription: Runs the demo web app. Use when the user asks to run it.\n---\n"
)


def example_skill(body: str) -> str:
    """A skill for a rule's example: a web app's front matter, a title, then `body`."""
    return _EXAMPLE_FRONT + "\n# Demo\n\n" + body
