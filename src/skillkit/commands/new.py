"""`skillkit new NAME`: start a skill in the right shape for its target, lint-clean."""

from __future__ import annotations

import argparse

from skillkit.targets import TARGET_NAMES


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
        help="the folder to create NAME/SKILL.md in (default: .)",
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from skillkit.cli import UsageError
    from skillkit.scaffold import ScaffoldError, create_skill
    from skillkit.settings import Settings
    from skillkit.targets import get_target

    settings = Settings()
    target = get_target(args.target or settings.target)
    try:
        path = create_skill(Path(args.dir), args.name, target, settings.required_sections)
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    print(
        f"created {path} (target {target.name}); fill in the prompts, then `skillkit lint {path}`"
    )
    return 0
