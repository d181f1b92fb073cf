"""The runs of a skill (skillkit.analysis): what the SK3xx and SK4xx rules read, per skill."""

from __future__ import annotations

from pathlib import Path

from skillkit.analysis import Analysis
from skillkit.parse import parse_bytes

SKILL = (
    "---\nname: demo\ndescription: Runs the demo. Use when asked.\n---\n\n# Demo\n\n"
    "Never run `pip install flask` here.\n\n"
    "```sh\n"
    "vrctl service rm web\n"
    "git status\n"
    "sudo vrctl service logs web -n all\n"
    "```\n"
)


def test_runs_in_command_order_with_their_tools() -> None:
    analysis = Analysis(parse_bytes(SKILL.encode(), Path("demo/SKILL.md")))
    assert [(run.tool, run.via, run.negated, run.command.line) for run in analysis.runs] == [
        ("pip", (), True, 8),
        ("vrctl", (), False, 11),
        ("git", (), False, 12),
        ("sudo", (), False, 13),
        ("vrctl", ("sudo",), False, 13),
    ]
    assert analysis.runs is analysis.runs  # computed once per skill


def test_policy_runs_leave_out_what_a_sentence_forbids() -> None:
    analysis = Analysis(parse_bytes(SKILL.encode(), Path("demo/SKILL.md")))
    assert [run.tool for run in analysis.policy_runs] == ["vrctl", "git", "sudo", "vrctl"]


def test_grammar_problems_in_the_order_of_the_runs() -> None:
    analysis = Analysis(parse_bytes(SKILL.encode(), Path("demo/SKILL.md")))
    assert [(run.command.line, problem.kind) for run, problem in analysis.grammar_problems] == [
        (11, "unknown-subcommand"),
        (13, "not-a-number"),
    ]
