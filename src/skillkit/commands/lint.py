"""`skillkit lint [PATH ...]`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from skillkit.report import FORMATS
from skillkit.targets import TARGET_NAMES


def _codes(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="SKILL.md files or folders to search (default: .)",
    )
    parser.add_argument("--format", choices=FORMATS, default="full", help="output format")
    parser.add_argument(
        "--target",
        choices=TARGET_NAMES,
        default=None,
        help="the consumer whose fields and limits apply (default: spec)",
    )
    parser.add_argument(
        "--select",
        type=_codes,
        default=None,
        metavar="CODES",
        help="only these rules (codes, prefixes or names, comma-separated)",
    )
    parser.add_argument(
        "--extend-select",
        type=_codes,
        default=(),
        metavar="CODES",
        help="these rules in addition to the defaults",
    )
    parser.add_argument(
        "--ignore", type=_codes, default=(), metavar="CODES", help="not these rules"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument(
        "--output",
        "-o",
        default=None,
        metavar="FILE",
        help="write the report to FILE instead of standard output",
    )
    parser.add_argument(
        "--no-gitignore", action="store_true", help="also lint paths that .gitignore files ignore"
    )
    parser.add_argument(
        "--watch", action="store_true", help="lint again on every change, until Ctrl-C"
    )


def run(args: argparse.Namespace) -> int:
    from skillkit.cli import EXIT_FINDINGS, EXIT_OK, UsageError, use_colour
    from skillkit.diagnostics import Severity
    from skillkit.lint import lint_paths
    from skillkit.registry import resolve_code
    from skillkit.report import get_formatter
    from skillkit.settings import Settings

    for selector in (*(args.select or ()), *args.extend_select, *args.ignore):
        if not resolve_code(selector):
            raise UsageError(f"unknown rule or prefix `{selector}` (see `skillkit rules`)")
    settings = Settings()
    if args.target:
        settings = replace(settings, target=args.target)
    if args.select is not None:
        settings = replace(settings, select=args.select)
    settings = replace(
        settings,
        extend_select=settings.extend_select + tuple(args.extend_select),
        ignore=settings.ignore + tuple(args.ignore),
    )
    if args.watch:
        from skillkit.watch import lint_watch_command

        return lint_watch_command(args, settings)
    result = lint_paths(args.paths, settings, respect_gitignore=not args.no_gitignore)
    formatter = get_formatter(args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as stream:
            formatter(result.diagnostics, result.files, stream, False)
    else:
        formatter(result.diagnostics, result.files, sys.stdout, use_colour(sys.stdout))
    failing = Severity.WARNING if args.strict else Severity.ERROR
    return EXIT_FINDINGS if any(d.severity >= failing for d in result.diagnostics) else EXIT_OK
