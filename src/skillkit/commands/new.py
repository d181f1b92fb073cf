"""`skillkit new NAME`: start a skill in the right shape for its target, lint-clean."""

from __future__ import annotations

import argparse
from pathlib import Path

from skillkit.config.files import find_config, load_config
from skillkit.errors import UsageError
from skillkit.scaffold import ScaffoldError, create_skill, create_template
from skillkit.settings import Settings
from skillkit.targets import TARGET_NAMES, get_target


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the skill's name (a-z, 0-9, -)")
    parser.add_argument(
        "--target",
        choices=TARGET_NAMES,
        default=None,
        help="the consumer the skill is for (default: the config's, else spec)",
    )
    parser.add_argument(
        "--dir",
        default=".",
        metavar="PATH",
        help="the folder to create NAME/SKILL.md in; with --template, the project folder "
        "whose config holds the render plan (default: .)",
    )
    parser.add_argument(
        "--template",
        nargs="?",
        const="",
        default=None,
        metavar="FILE",
        help="create a template (FILE in the plan's templates folder, default NAME.md.j2) and "
        "its render-plan entry instead of a SKILL.md",
    )


def run(args: argparse.Namespace) -> int:
    settings = _settings(Path(args.dir))
    if args.template is not None:
        try:
            template, config = create_template(
                Path(args.dir),
                args.name,
                args.target,
                settings.required_sections,
                args.template or None,
            )
        except ScaffoldError as error:
            raise UsageError(str(error)) from None
        print(
            f"created {_shown(template)} and its entry in {_shown(config)}; fill in the "
            "prompts, then `skillkit render`"
        )
        return 0
    target = get_target(args.target or settings.target)
    try:
        path = create_skill(Path(args.dir), args.name, target, settings.required_sections)
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    print(
        f"created {path} (target {target.name}); fill in the prompts, then `skillkit lint {path}`"
    )
    return 0


def _settings(folder: Path) -> Settings:
    """The settings of the nearest config (its target and required sections shape the skill)."""
    found = find_config(folder if folder.is_dir() else Path.cwd())
    return load_config(found).settings if found is not None else Settings()


def _shown(path: Path) -> str:
    """The path relative to the working folder when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
