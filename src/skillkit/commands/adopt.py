"""`skillkit adopt SKILLS`: turn an existing skills folder into templates, partials and a render
plan that render it back byte for byte."""

from __future__ import annotations

import argparse
from pathlib import Path

from skillkit.errors import UsageError
from skillkit.render.adopt import AdoptError, adopt
from skillkit.targets import TARGET_NAMES
from skillkit.text import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="SKILLS", help="the folder of skills to adopt")
    parser.add_argument(
        "--root",
        default=".",
        metavar="DIR",
        help="the project: its nearest config (from here up) gets the render plan, else a new "
        "skillkit.toml here (default: .)",
    )
    parser.add_argument(
        "--templates",
        default="templates",
        metavar="DIR",
        help="the templates folder, relative to the project (default: templates)",
    )
    parser.add_argument(
        "--target",
        choices=TARGET_NAMES,
        default=None,
        help="the outputs' target (default: the config's, else spec)",
    )


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def run(args: argparse.Namespace) -> int:
    try:
        report = adopt(
            Path(args.folder), Path(args.root), templates=args.templates, target=args.target
        )
    except AdoptError as error:
        raise UsageError(str(error)) from None
    adoption = report.adoption
    lines: list[str] = []
    for skill in adoption.skills:
        lines.append(f"wrote {_shown(report.config.parent / args.templates / skill.template)}")
    for partial in adoption.partials:
        lines.append(
            f"wrote {_shown(report.config.parent / args.templates / partial.name)} "
            f"(section `{partial.title}`, shared by {plural(len(partial.skills), 'skill')})"
        )
    folder = Path(args.folder)
    for skill in adoption.skills:
        if skill.kept_front_matter:
            lines.append(
                f"note: {_shown(folder / skill.output)}: front matter kept in the template "
                f"as text: {skill.kept_front_matter}"
            )
    for output, why in adoption.skipped:
        lines.append(f"skipped {_shown(folder / output)}: {why}")
    verb = "created" if report.created_config else "added the render plan to"
    lines.append(f"{verb} {_shown(report.config)} ({plural(len(adoption.skills), 'output')})")
    for index, skill in enumerate(adoption.skills, start=1):
        if skill.ignore:
            lines.append(
                f"  outputs[{index}] ({skill.output}) ignores {', '.join(skill.ignore)}: "
                "its findings today; `skillkit lint` still reports them"
            )
    if report.manifest is not None:
        lines.append(f"wrote {_shown(report.manifest)}")
    lines.append(
        f"Adopted {plural(len(adoption.skills), 'skill')}: "
        f"{plural(len(adoption.skills), 'template')}, "
        f"{plural(len(adoption.partials), 'partial')}. `skillkit render --check` passes; next, "
        "merge the variants by hand."
    )
    print("\n".join(lines))
    return 0
