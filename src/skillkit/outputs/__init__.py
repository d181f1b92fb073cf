"""What a project's render plan outputs, read without rendering: lint and the editor need it,
and Jinja (which only rendering needs) is not loaded for it.

The parts: `plan` (the `[render]` table → variants and their output paths), `files` (safe
output paths, atomic writes, the manifest of what was rendered) and `owned` (the files a render
owns, which fixes leave alone). `skillkit.render` renders.
"""

from __future__ import annotations

from pathlib import Path

from skillkit.config.files import find_config, load_config
from skillkit.outputs.plan import Plan, PlanSource, build_plan
from skillkit.settings import Settings

__all__ = ["plan_for", "settings_for"]


def settings_for(root: Path | str = ".") -> Settings:
    """The settings of the nearest config from `root` up (defaults when there is none)."""
    found = find_config(Path(root))
    return load_config(found).settings if found is not None else Settings()


def plan_for(root: Path | str = ".", settings: Settings | None = None) -> Plan:
    """The render plan of a project: the `[render]` table of its config (`settings.render`).

    Without `settings`, the nearest config from `root` up is loaded; paths in the plan are
    relative to the folder of that config."""
    if settings is None:
        settings = settings_for(root)
    if settings.config_path is None:
        return build_plan(settings.render, Path(root), settings.target)
    table = "[render]" if settings.config_path.name == "skillkit.toml" else "[tool.skillkit.render]"
    source = PlanSource(settings.config_path, table)
    return build_plan(settings.render, settings.root, settings.target, source)
