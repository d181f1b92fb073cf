"""`skillkit render`: templates → skill files, `--check` for drift, `--list` for the plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from skillkit.cli import UsageError, use_colour
from skillkit.config.files import load_config
from skillkit.errors import require_path
from skillkit.render import PlanError, plan_for, settings_for
from skillkit.render.engine import (
    EDITED,
    MISSING,
    STALE,
    UNMANAGED,
    changed_sources,
    format_listing,
    plan_listing,
    render_plan,
)
from skillkit.report import Formatter
from skillkit.report.text import write_concise, write_full
from skillkit.text import plural

FORMATTERS: dict[str, Formatter] = {"full": write_full, "concise": write_concise}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        default=".",
        metavar="DIR",
        help="where to look for the config (skillkit.toml or pyproject.toml), from there up; "
        "templates and outputs are relative to its folder (default: .)",
    )
    parser.add_argument(
        "--config",
        default=None,
        metavar="FILE",
        help="use this skillkit.toml or pyproject.toml instead of looking for one",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when any output is missing, stale or edited by hand",
    )
    mode.add_argument("--list", action="store_true", help="print the plan and exit")
    parser.add_argument(
        "--diff",
        action="store_true",
        help="write nothing; print a unified diff of each change (--check with the diffs)",
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite outputs that were edited by hand"
    )
    parser.add_argument(
        "--delete",
        action="store_true",
        help="remove outputs that no plan entry produces any more",
    )
    parser.add_argument(
        "--allow-errors",
        action="store_true",
        help="compare and write the outputs even when they have error findings (reported; exit 1)",
    )
    parser.add_argument(
        "--format", choices=tuple(FORMATTERS), default="full", help="format of findings"
    )
    parser.add_argument(
        "--watch", action="store_true", help="render again on every template change, until Ctrl-C"
    )


def run(args: argparse.Namespace) -> int:
    if getattr(args, "watch", False):
        # Lazy: watchfiles is for --watch alone, not for every render.
        from skillkit.watch import render_watch_command

        once = argparse.Namespace(**{**vars(args), "watch": False})
        return render_watch_command(args, lambda: run(once))
    require_path(args.root)
    if not Path(args.root).is_dir():
        raise UsageError(f"--root {args.root}: not a folder")
    # A ConfigError is a UsageError: exit 2 with the file and line.
    settings = load_config(Path(args.config)).settings if args.config else settings_for(args.root)
    try:
        plan = plan_for(args.root, settings)
    except PlanError as error:
        raise UsageError(str(error)) from None
    if not plan.variants:
        raise UsageError(
            "no outputs to render: add [[tool.skillkit.render.outputs]] to pyproject.toml "
            "(or [[render.outputs]] to skillkit.toml), or run `skillkit adopt skills/`; see the "
            "README's Rendering section"
        )
    if args.list:
        if args.diff:
            raise UsageError("--diff and --list cannot be combined")
        sys.stdout.write(format_listing(plan_listing(plan)))
        return 0
    # Like `lint --diff`: a preview writes nothing (it used to write, and show no diff).
    args.check = args.check or args.diff

    try:
        result = render_plan(
            plan,
            settings,
            check=args.check,
            force=args.force,
            delete=args.delete,
            allow_errors=args.allow_errors,
        )
    except OSError as error:
        # Rendering and checking are done by now; only a write can fail (a read-only folder).
        where = f" {error.filename}" if error.filename else ""
        raise UsageError(f"cannot write{where}: {error.strerror or error}") from None
    out = sys.stdout
    if result.diagnostics:
        rendered = [output.display for output in result.outputs]
        write = FORMATTERS[args.format]
        write(result.diagnostics, rendered, out, use_colour(out))
    if result.errors and not args.allow_errors:
        out.write(
            f"Nothing {'compared' if args.check else 'written'}: "
            f"{plural(result.errors, 'error')} in the rendered outputs. Fix them, list their "
            "codes in the output's `ignore` in the plan, or add --allow-errors.\n"
        )
        return result.exit_code

    why = {
        MISSING: "is missing",
        EDITED: "was edited by hand since it was rendered",
        UNMANAGED: "exists, not yet managed (it differs from what the plan renders): review "
        "the diff, then run `skillkit render --force`",
    }
    for output in result.outputs:
        if args.check and output.state == STALE:
            sources = " and ".join(changed_sources(output, plan))
            out.write(
                f"{output.display} is stale (what {sources} renders changed since it was "
                "rendered)\n"
            )
            if args.diff:
                out.write(output.diff())
        elif args.check and output.state in why:
            out.write(f"{output.display} {why[output.state]}\n")
            if args.diff:
                out.write(output.diff())
        elif output.action == "wrote":
            out.write(f"wrote {output.display}\n")
        elif output.action == "refused" and output.state == UNMANAGED:
            out.write(
                f"{output.display} exists, not yet managed (it differs from what the plan "
                "renders); not overwritten. Review the diff (`skillkit render --check --diff`), "
                "then run `skillkit render --force`.\n"
            )
        elif output.action == "refused":
            sources = " or ".join(changed_sources(output, plan))
            out.write(
                f"{output.display} was edited by hand since it was rendered; not overwritten. "
                f"Move the change into {sources}, or run `skillkit render --force` to "
                "overwrite it.\n"
            )
        if output.dropped and output.action == "wrote":
            out.write(
                f"  note: {output.display}: front-matter field"
                f"{'s' if len(output.dropped) > 1 else ''} {', '.join(output.dropped)} "
                f"not written (target {output.variant.target} does not accept "
                f"{'them' if len(output.dropped) > 1 else 'it'})\n"
            )
    for orphan in result.orphans:
        if orphan.deleted:
            out.write(f"deleted {orphan.display} (no plan entry produces it any more)\n")
        elif orphan.edited and args.delete and not args.check:
            out.write(
                f"{orphan.display}: no plan entry produces it any more, and it was edited by "
                "hand; not deleted (run `skillkit render --delete --force` to delete it)\n"
            )
        else:
            out.write(
                f"{orphan.display}: no plan entry produces it any more "
                "(run `skillkit render --delete` to remove it)\n"
            )
    if args.check:
        if result.manifest_stale and not result.out_of_date and not result.orphans:
            out.write(f"{result.plan.manifest_path.name} does not match the outputs\n")
        if result.ok:
            count = len(result.outputs)
            out.write(
                "1 output is up to date.\n"
                if count == 1
                else f"All {count} outputs are up to date.\n"
            )
            return result.exit_code
        if result.errors:
            out.write(f"{plural(result.errors, 'error')} in the rendered outputs.\n")
        if result.out_of_date or result.manifest_stale or not result.orphans:
            forced = any(output.state in (EDITED, UNMANAGED) for output in result.outputs)
            edited = any(output.state == EDITED for output in result.outputs)
            hint = "`skillkit render --force`" if forced else "`skillkit render`"
            out.write(
                f"{len(result.out_of_date)} of {len(result.outputs)} outputs out of date. "
                f"Run {hint} to update them"
                + (" (a hand edit belongs in the template)" if edited else "")
                + (", or add --diff to see the changes" if not args.diff else "")
                + ".\n"
            )
        if result.orphans:
            count = len(result.orphans)
            out.write(
                f"{plural(count, 'output')} that no plan entry produces any more. Run "
                f"`skillkit render --delete` to remove {'it' if count == 1 else 'them'}.\n"
            )
        return result.exit_code
    written = sum(1 for output in result.outputs if output.action == "wrote")
    unchanged = sum(
        1 for output in result.outputs if output.action == "" and output.state == "unchanged"
    )
    rendered_outputs = plural(len(result.outputs), "output")
    out.write(f"Rendered {rendered_outputs}: {written} written, {unchanged} unchanged")
    if result.refused:
        out.write(f", {len(result.refused)} refused")
    out.write(".\n")
    return result.exit_code
