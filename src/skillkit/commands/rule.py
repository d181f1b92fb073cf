"""`skillkit rule CODE`: a rule's rationale, options and examples."""

from __future__ import annotations

import argparse

from skillkit.docs import explain
from skillkit.errors import UsageError
from skillkit.registry import all_rules, resolve_code, unknown_rule_hint


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="a rule code (SK111) or name (name-invalid)")


def run(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.code not in rules:
        matches = resolve_code(args.code)
        if len(matches) != 1:
            raise UsageError(f"no rule `{args.code}`{unknown_rule_hint(args.code)}")
    print(explain(args.code), end="")
    return 0
