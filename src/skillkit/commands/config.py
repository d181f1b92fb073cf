"""`skillkit config [PATH]`: the settings in force for a path, and where each one came from."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from skillkit.commands.lint import add_config_arguments, resolver_from_args
from skillkit.engine.discover import discover
from skillkit.engine.selection import active_rules
from skillkit.errors import require_path, shown_path
from skillkit.registry import OPTIONS
from skillkit.targets import TARGET_NAMES, get_target


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", nargs="?", default=".", metavar="PATH", help="a skill file or folder (default: .)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--target", choices=TARGET_NAMES, default=None)
    add_config_arguments(parser)


def _values(settings: Any) -> dict[str, Any]:
    """The settings in force, keyed and shaped as the config file writes them."""
    return {
        "target": settings.target,
        "select": list(settings.select) if settings.select is not None else None,
        "extend-select": list(settings.extend_select),
        "ignore": list(settings.ignore),
        "per-file-ignores": {glob: list(codes) for glob, codes in settings.per_file_ignores},
        "severity": {code: severity.label for code, severity in sorted(settings.severity.items())},
        "options": {
            name: settings.options.get(name, OPTIONS[name].default) for name in sorted(OPTIONS)
        },
        "exclude": list(settings.exclude),
        "required-sections": list(settings.required_sections),
        "shared-sections": list(
            settings.shared_sections
            if settings.shared_sections is not None
            else get_target(settings.target).shared_sections
        ),
        "guardrails": [dict(item) for item in settings.custom_guardrails],
        "max-file-bytes": settings.max_file_bytes,
        "render": dict(settings.render),
    }


def run(args: argparse.Namespace) -> int:
    require_path(args.path)
    resolver = resolver_from_args(args)
    path = Path(args.path)
    loaded = resolver.config_for(path)
    settings = resolver.settings_for(path)
    origins = resolver.origins_for(path)
    values = _values(settings)
    rules = [rule.code for rule in active_rules(settings)]
    files = _targets_of_files(resolver, path, settings)
    if args.format == "json":
        json.dump(
            {
                "path": str(path),
                "config": str(loaded.path) if loaded else None,
                "settings": {
                    name: {"value": value, "source": origins.get(name, "default")}
                    for name, value in values.items()
                },
                "rules": rules,
                "files": [
                    {"path": str(file), "target": target, "source": source}
                    for file, target, source in files
                ],
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0

    print(f"# settings in force for {path}")
    print(f"# config: {shown_path(loaded.path) if loaded else 'none (defaults)'}")
    width = 40
    for name, value in values.items():
        shown = "(the default rules and the target's policies)" if value is None else None
        text = f"{name} = {shown or json.dumps(value, ensure_ascii=False)}"
        print(f"{text:<{width}} # {_shown_origin(origins.get(name, 'default'))}")
    print(f"# rules in force ({len(rules)}): {', '.join(rules)}")
    if files:
        print(f"# skill files and the target each is checked for ({len(files)}):")
        for file, target, source in files:
            print(f"#   {file}: {target} ({_shown_origin(source)})")
    return 0


def _targets_of_files(resolver: Any, path: Any, settings: Any) -> list[tuple[Any, str, str]]:
    """Each skill file under `path` with the target it is checked for and where that came
    from: the config, a flag, or where the file lives (a Claude Code plugin, `.claude/skills`)."""
    if not path.exists():
        return []
    files, _missing = discover([path], exclude=settings.exclude, exclude_root=settings.root)
    out = []
    for file in files:
        origin = resolver.origins_for(file).get("target", "default")
        out.append((file, resolver.settings_for(file).target, origin))
    return out


def _shown_origin(origin: str) -> str:
    """`FILE:LINE` with the file relative to the working folder when inside it (as the README
    shows `skillkit.toml:3`); a flag or `default` as it is."""
    file, colon, line = origin.rpartition(":")
    if not colon or not line.isdigit():
        return origin
    return f"{shown_path(file)}:{line}"
