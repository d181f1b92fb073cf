"""`skillkit rules`: every rule, one line each."""

from __future__ import annotations

import argparse
import json
import sys

from skillkit.docs import rules_markdown
from skillkit.registry import RenderRule, all_rules


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="markdown: the whole of docs/rules.md (regenerate it with this)",
    )


def run(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.format == "markdown":
        sys.stdout.write(rules_markdown())
        return 0
    if args.format == "json":
        json.dump(
            [
                {
                    "code": rule.code,
                    "name": rule.name,
                    "severity": rule.severity.label,
                    "default": rule.default,
                    "targets": sorted(rule.targets) if rule.targets else None,
                    "fixable": rule.fixable,
                    "summary": rule.summary,
                    "phase": rule.phase,
                }
                for _, rule in sorted(rules.items())
            ],
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0
    for code in sorted(rules):
        rule = rules[code]
        flags = " (fixable)" if rule.fixable else ""
        flags += "" if rule.default else " (off by default)"
        flags += " (render)" if isinstance(rule, RenderRule) else ""
        scope = f" [{', '.join(sorted(rule.targets))}]" if rule.targets else ""
        print(f"{code}  {rule.name:<32} {rule.severity.label:<8} {rule.summary}{scope}{flags}")
    return 0
