"""`skillkit lint [PATH ...]`."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from skillkit.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, use_colour
from skillkit.config.resolver import Overrides, Resolver
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.engine.check import FileResult
from skillkit.engine.discover import SKILL_FILE, SKIPPED_FOLDERS
from skillkit.engine.runner import Job, LintResult, Outcome, ResultCache, Signer, each_file_in_turn
from skillkit.engine.runner import run as run_engine
from skillkit.errors import UsageError, check_output_file, require_path, write_output_file
from skillkit.registry import render_only, resolve_code, unknown_rule_hint
from skillkit.report import FORMATS, Formatter
from skillkit.settings import Settings
from skillkit.targets import TARGET_NAMES
from skillkit.text import plural

if TYPE_CHECKING:
    from skillkit.outputs.plan import Plan
    from skillkit.render.engine import Output


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
        "--statistics", action="store_true", help="print how many findings each rule made"
    )
    parser.add_argument("--fix", action="store_true", help="apply the safe fixes")
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff: apply the unsafe fixes too",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff instead of writing them (exit 1 if any)",
    )
    parser.add_argument(
        "--add-suppressions",
        action="store_true",
        help="write a suppression comment for every current finding (to adopt skillkit)",
    )
    parser.add_argument(
        "--watch", action="store_true", help="lint again on every change, until Ctrl-C"
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
    for selector in (
        *(getattr(args, "select", None) or ()),
        *getattr(args, "extend_select", ()),
        *getattr(args, "ignore", ()),
    ):
        if not resolve_code(selector):
            raise UsageError(f"unknown rule or prefix `{selector}`{unknown_rule_hint(selector)}")
        problem = render_only(selector)
        if problem is not None:
            raise UsageError(problem)
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
    if args.add_suppressions and (args.fix or args.diff):
        raise UsageError("--add-suppressions cannot be combined with --fix or --diff")
    _check_arguments(args)
    resolver = resolver_from_args(args)
    base = resolver.settings_for(Path(args.paths[0]))
    if args.watch:
        # Lazy: watchfiles is for --watch alone.
        from skillkit.watch import lint_watch_command

        return lint_watch_command(args, lambda: resolver_from_args(args).settings_for)
    if args.diff:
        # Lazy: the fixer, atomic writes and the render plan's ownership are for these modes.
        from skillkit.commands.lint_changes import Differ

        differ = Differ(args.unsafe_fixes)
        _lint(args, resolver, base, each_file=differ)
        differ.rendered.report()
        if not differ.changed:
            return EXIT_OK
        print(
            f"Would fix {plural(differ.fixed, 'finding')} in {plural(differ.changed, 'file')}.",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    unwritten = 0
    if args.fix:
        # Lazy: the fixer, atomic writes and the render plan's ownership are for these modes.
        from skillkit.commands.lint_changes import Fixer

        fixer = Fixer(args.unsafe_fixes)
        result = _lint(args, resolver, base, each_file=fixer)
        fixer.rendered.report()
        unwritten = fixer.unwritten
        if fixer.fixed:
            print(f"Fixed {plural(fixer.fixed, 'finding')}.", file=sys.stderr)
    else:
        result = _lint(args, resolver, base)
    if args.add_suppressions:
        # Lazy: the fixer, atomic writes and the render plan's ownership are for these modes.
        from skillkit.commands.lint_changes import add_suppressions

        added = add_suppressions(result, resolver)
        print(f"Added {plural(added, 'suppression')}.", file=sys.stderr)
        return EXIT_OK
    _report(args, result)
    if unwritten:
        return EXIT_ERROR
    failing = Severity.WARNING if args.strict else Severity.ERROR
    return EXIT_FINDINGS if any(d.severity >= failing for d in result.diagnostics) else EXIT_OK


def _check_arguments(args: argparse.Namespace) -> None:
    """What makes a lint run a usage error (exit 2, one line) before any work is done."""
    for text in args.paths:
        require_path(text)
        path = Path(text)
        if path.name.lower() == SKILL_FILE.lower() and path.name != SKILL_FILE:
            raise UsageError(
                f"{text}: not a skill file: clients look for `{SKILL_FILE}` and skip "
                f"`{path.name}` on a case-sensitive file system; rename it"
            )
    if args.output:
        check_output_file(args.output)
    if args.select is not None and not args.select:
        raise UsageError("--select is empty: name rules (codes, prefixes or names), or ALL")
    if args.statistics and args.format not in ("full", "concise", "json"):
        raise UsageError(
            f"--statistics prints text or JSON (with --format json); not --format {args.format}"
        )


def _templates(paths: Sequence[str], resolver: Resolver) -> tuple[list[str], list[Path]]:
    """Split the paths into those to lint and the template sources among them (files under the
    templates folder of a render plan, as the pre-commit hook names them, and that folder or
    one inside it). Another file in a folder named `templates` (a web framework's, say, where no
    render plan applies) is not a skill: it is left out rather than reported as one."""
    kept: list[str] = []
    templates: list[Path] = []
    for text in paths:
        path = Path(text)
        is_folder = path.is_dir()
        if path.name == SKILL_FILE or not (path.is_file() or is_folder):
            kept.append(text)
            continue
        # A folder's settings are those of a file in it.
        settings = resolver.settings_for(path / SKILL_FILE if is_folder else path)
        folder = settings.render.get("templates", "templates") if settings.render else None
        if isinstance(folder, str) and path.resolve().is_relative_to(
            (settings.root / folder).resolve()
        ):
            templates.append(path)
        elif is_folder:
            kept.append(text)
        elif "templates" not in path.resolve().parent.parts:
            raise UsageError(
                f"{text}: not a skill file: skillkit lints files named `{SKILL_FILE}` "
                "(and templates of a render plan)"
            )
    return kept, templates


def _lint_rendered(template: Path, resolver: Resolver) -> tuple[list[Diagnostic], list[str]]:
    """A template is linted as what it renders: every output of its plan, in memory. Returns
    the findings and the outputs checked."""
    # Lazy: the render engine (and Jinja) only when a template is linted.
    from skillkit.render import PlanError, plan_for, render_plan

    settings = resolver.settings_for(template / SKILL_FILE if template.is_dir() else template)
    try:
        result = render_plan(plan_for(settings.root, settings), settings, check=True)
    except PlanError as error:
        raise UsageError(str(error)) from None
    return list(result.diagnostics), [output.display for output in result.outputs]


def _lint(
    args: argparse.Namespace,
    resolver: Resolver,
    base: Settings,
    each_file: Callable[[Path, Settings], FileResult] | None = None,
) -> LintResult:
    paths, templates = _templates(args.paths, resolver)
    rendered: list[Diagnostic] = []
    outputs: list[str] = []
    if templates:
        # One render covers every template of a plan: the first template of each config is enough.
        plans = {
            resolver.settings_for(t / SKILL_FILE if t.is_dir() else t).config_path: t
            for t in reversed(templates)
        }
        for template in plans.values():
            found, checked = _lint_rendered(template, resolver)
            rendered.extend(found)
            outputs.extend(checked)
        if not paths:
            result = LintResult()
            result.diagnostics = sorted(rendered, key=lambda d: d.sort_key)
            result.files = outputs
            return result

    cache: ResultCache | None = None
    if each_file is None and not args.no_cache:
        # Lazy, as the pool in _lint_jobs: `lint --no-cache FILE` loads no cache code.
        from skillkit.engine.cache import LintCache, default_cache_folder

        cache = LintCache(Path(args.cache_dir) if args.cache_dir else default_cache_folder(base))
    result = run_engine(
        paths,
        base,
        _lint_jobs if each_file is None else each_file_in_turn(each_file),
        settings_for=resolver.settings_for,
        render_outputs=_rendered_outputs,
        respect_gitignore=not args.no_gitignore,
        cache=cache,
    )
    if rendered:
        result.diagnostics = sorted([*result.diagnostics, *rendered], key=lambda d: d.sort_key)
    _warn_folders_without_skills(paths, result.files)
    result.files = [*result.files, *(o for o in outputs if o not in result.files)]
    return result


def _rendered_outputs(plan: Plan, settings: Settings) -> Iterable[Output]:
    """The outputs of a render plan, rendered in memory (a project rule asks: SK601's line map)."""
    # Lazy: the render engine (and Jinja) only for a project whose rules ask what it renders.
    from skillkit.render.engine import rendered_outputs

    return rendered_outputs(plan, settings)


def _lint_jobs(jobs: Sequence[Job], signer: Signer | None) -> list[Outcome]:
    """The files to lint, in this process, or on every core when there are many."""
    if not jobs:
        return []  # a warm cached run: nothing to parse, so the parser is not even loaded
    # Lazy: the parser (and YAML) only for a run with files to lint.
    from skillkit.engine.per_file import PARALLEL_THRESHOLD, lint_serially

    if len(jobs) < PARALLEL_THRESHOLD:
        return lint_serially(jobs, signer)
    # Lazy: multiprocessing costs tens of milliseconds to load, paid by a large run alone.
    from skillkit.engine.pool import lint_on_cores

    return lint_on_cores(jobs, signer)


def _warn_folders_without_skills(paths: Sequence[str], files: Sequence[str]) -> None:
    """A folder named on the command line that holds no SKILL.md is said on stderr (a warning,
    as ruff says "No Python files found"), with any `skill.md` in another case in it: clients skip
    those on a case-sensitive file system, and "All clean" alone would hide that nothing was
    linted."""
    folders = [text for text in paths if os.path.isdir(text)]
    if not folders or (files and len(folders) == 1):
        return
    # Several folders (rare): which of them the files came from.
    real_files = [os.path.realpath(file) for file in files]
    for folder in folders:
        real = os.path.join(os.path.realpath(folder), "")
        if any(file.startswith(real) for file in real_files):
            continue
        message = f"skillkit: warning: {folder}: no SKILL.md found"
        misnamed = _misnamed_skill_file(folder)
        if misnamed is not None:
            message += (
                f"; {misnamed} is not named exactly `SKILL.md`: clients skip it on a "
                "case-sensitive file system; rename it"
            )
        print(message, file=sys.stderr)


def _misnamed_skill_file(folder: str) -> str | None:
    """The first file under `folder` named `skill.md` in another case than SKILL.md, if any."""
    for top, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if name not in SKIPPED_FOLDERS)
        for name in sorted(names):
            if name.lower() == SKILL_FILE.lower() and name != SKILL_FILE:
                return os.path.join(top, name)
    return None


def _report(args: argparse.Namespace, result: LintResult) -> None:
    def write(stream: TextIO, colour: bool) -> None:
        if args.statistics:
            # Lazy: --statistics alone needs it (and json with it).
            from skillkit.report.statistics import write_statistics

            write_statistics(result.diagnostics, stream, as_json=args.format == "json")
            return
        formatter(args.format)(result.diagnostics, result.files, stream, colour)

    if args.output:
        buffer = io.StringIO()
        write(buffer, False)
        write_output_file(args.output, buffer.getvalue())
    else:
        # One write: thousands of small ones cost a system call each on an unbuffered stream.
        buffer = io.StringIO()
        write(buffer, use_colour(sys.stdout))
        sys.stdout.write(buffer.getvalue())


def formatter(name: str) -> Formatter:
    """The writer of a format (one of `FORMATS`). Each import is lazy: a run loads the module
    of its own format only (SARIF's rule help and JUnit's XML cost start-up time)."""
    if name == "full":
        from skillkit.report.text import write_full  # lazy: the format asked for only

        return write_full
    if name == "concise":
        from skillkit.report.text import write_concise  # lazy: the format asked for only

        return write_concise
    if name == "json":
        from skillkit.report.json_format import write_json  # lazy: the format asked for only

        return write_json
    if name == "sarif":
        from skillkit.report.sarif import write_sarif  # lazy: the format asked for only

        return write_sarif
    if name == "github":
        from skillkit.report.github import write_github  # lazy: the format asked for only

        return write_github
    if name == "junit":
        from skillkit.report.junit import write_junit  # lazy: the format asked for only

        return write_junit
    raise KeyError(name)
