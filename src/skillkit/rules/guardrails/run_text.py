"""A run as a finding shows it: its words (shortened), where it starts, and the shell line it
is on as written (`\\` continuations joined)."""

from __future__ import annotations

from skillkit.analysis import Run
from skillkit.model import Skill, Span


def shown_run(run: Run) -> str:
    text = " ".join(run.words)
    return text if len(text) <= 60 else text[:57] + "..."


def run_start(run: Run) -> Span:
    return run.argv[0].span


def logical_lines(skill: Skill, run: Run) -> tuple[int, int]:
    """The first and last line of the shell line a run is on, `\\` continuations included."""
    start, end = run.command.span.line, run.command.span.end_line
    while start - 1 in skill.code_lines and skill.line_text(start - 1).rstrip().endswith("\\"):
        start -= 1
    while end + 1 in skill.code_lines and skill.line_text(end).rstrip().endswith("\\"):
        end += 1
    return start, end


def command_line(skill: Skill, run: Run) -> str:
    """The command line a run is on, as written: the whole line of a block (pipes and `&&`
    included, `\\` continuations joined), or the run's own words for an inline span."""
    if run.command.source == "inline":
        return " ".join(token.raw for token in run.argv)
    start, end = logical_lines(skill, run)
    lines = [skill.line_text(n) for n in range(start, end + 1)]
    return " ".join(line.rstrip().removesuffix("\\").strip() for line in lines)
