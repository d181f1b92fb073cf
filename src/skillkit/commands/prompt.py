"""`skillkit prompt PATH ...`: the skills block an agent gets at start-up, and each skill's cost."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from skillkit.cli import EXIT_FINDINGS, EXIT_OK
from skillkit.errors import require_path
from skillkit.parse import read_skill
from skillkit.prompt import (
    PromptEntry,
    PromptProblem,
    SkillCost,
    available_skills_block,
    cost_of,
    entry_of,
    skill_files,
)
from skillkit.rules.listing import LISTING_BUDGET
from skillkit.text import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="SKILL.md files, skill folders, or folders to search (default: .)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: the block on standard output and the token table on standard error; "
        "json: both as one JSON document",
    )


def run(args: argparse.Namespace) -> int:
    for text in args.paths:
        require_path(text)
    files, problems = skill_files(args.paths)
    costs: list[SkillCost] = []
    for file in files:
        skill = read_skill(file)
        entry = entry_of(skill)
        if isinstance(entry, PromptProblem):
            problems.append(entry)
        else:
            costs.append(cost_of(skill, entry))
    entries: list[PromptEntry] = [cost.entry for cost in costs]
    block = available_skills_block(entries)
    if args.format == "json":
        document = {
            "prompt": block,
            "skills": [
                {
                    "name": cost.entry.name,
                    "description": cost.entry.description,
                    "location": cost.entry.location,
                    "metadata_tokens": cost.metadata_tokens,
                    "body_tokens": cost.body_tokens,
                    "listing_chars": cost.listing_chars,
                }
                for cost in costs
            ],
            "problems": [{"path": p.path, "line": p.line, "message": p.message} for p in problems],
        }
        json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(block)
        _write_costs(costs, sys.stderr)
        for problem in problems:
            print(f"{problem.path}:{problem.line}: {problem.message}", file=sys.stderr)
    return EXIT_FINDINGS if problems else EXIT_OK


def _write_costs(costs: list[SkillCost], out: TextIO) -> None:
    if not costs:
        return
    width = max(len("skill"), *(len(cost.entry.name) for cost in costs))
    out.write(
        f"\n{'skill':<{width}}  {'metadata':>8}  {'body':>6}  (estimated tokens)  "
        f"{'listing':>7}  {'share':>5}\n"
    )
    for cost in costs:
        share = f"{cost.listing_chars / LISTING_BUDGET:.0%}"
        out.write(
            f"{cost.entry.name:<{width}}  {cost.metadata_tokens:>8}  {cost.body_tokens:>6}  "
            f"{'':18}  {cost.listing_chars:>7}  {share:>5}\n"
        )
    metadata = sum(cost.metadata_tokens for cost in costs)
    body = sum(cost.body_tokens for cost in costs)
    listing = sum(cost.listing_chars for cost in costs)
    out.write(
        f"{'total':<{width}}  {metadata:>8}  {body:>6}  "
        f"({plural(len(costs), 'skill')}: {metadata} tokens in every "
        "session, each body when its skill is loaded)\n"
    )
    out.write(
        f"listing: {listing:,} characters in Claude Code's skill listing, "
        f"{listing / LISTING_BUDGET:.0%} of its default budget of {LISTING_BUDGET:,} "
        "(1% of a 200k-token context; past it descriptions are shortened: SK602)\n"
    )
