"""`skillkit lint [PATH ...]`."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.report import FORMATS
from skillkit.targets import TARGET_NAMES

if TYPE_CHECKING:
    from skillkit.config import Resolver


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
        "--no-cache",
        action="store_true",
        help="lint every file afresh, neither reading nor writing the cache",
    )
    parser.add_argument(
        "--cache-dir",
        default=None,
        metavar="DIR",
        help="where the cache lives (default: .skillkit_cache in the project root)",
    )
    add_config_arguments(parser)


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        default=None,
        metavar="PATH",
        help="use this skillkit.toml or pyproject.toml for every file (default: the nearest)",
    )
    parser.add_argument(
        "--isolated", action="store_true", help="ignore every config file; defaults and flags only"
    )


def resolver_from_args(args: argparse.Namespace) -> Resolver:
    """The settings per file: the nearest config (or --config, or none) plus the flags."""
    from skillkit.cli import UsageError
    from skillkit.config import Overrides, Resolver
    from skillkit.registry import resolve_code

    for selector in (
        *(getattr(args, "select", None) or ()),
        *getattr(args, "extend_select", ()),
        *getattr(args, "ignore", ()),
    ):
        if not resolve_code(selector):
            raise UsageError(f"unknown rule or prefix `{selector}` (see `skillkit rules`)")
    if args.config and args.isolated:
        raise UsageError("--config and --isolated contradict each other")
    overrides = Overrides(
        target=getattr(args, "target", None),
        select=getattr(args, "select", None),
        extend_select=tuple(getattr(args, "extend_select", ())),
        ignore=tuple(getattr(args, "ignore", ())),
    )
    return Resolver(
        overrides, config=Path(args.config) if args.config else None, isolated=args.isolated
    )


def run(args: argparse.Namespace) -> int:
    from skillkit.cli import EXIT_FINDINGS, EXIT_OK, use_colour
    from skillkit.diagnostics import Severity
    from skillkit.lint import lint_paths
    from skillkit.report import get_formatter

    resolver = resolver_from_args(args)
    base = resolver.settings_for(Path(args.paths[0]))
    cache_dir = None
    if not args.no_cache:
        from skillkit.cache import default_cache_folder

        cache_dir = Path(args.cache_dir) if args.cache_dir else default_cache_folder(base)
    result = lint_paths(
        args.paths,
        base,
        settings_for=resolver.settings_for,
        respect_gitignore=not args.no_gitignore,
        cache_dir=cache_dir,
    )
    formatter = get_formatter(args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as stream:
            formatter(result.diagnostics, result.files, stream, False)
    else:
        # One write: thousands of small ones cost a system call each on an unbuffered stream.
        buffer = io.StringIO()
        formatter(result.diagnostics, result.files, buffer, use_colour(sys.stdout))
        sys.stdout.write(buffer.getvalue())
    failing = Severity.WARNING if args.strict else Severity.ERROR
    return EXIT_FINDINGS if any(d.severity >= failing for d in result.diagnostics) else EXIT_OK
