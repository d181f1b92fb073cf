"""Render skill files and scripts from Jinja templates, and keep them in sync (`skillkit render`).

    import skillkit
    result = skillkit.render(".", check=True)   # or skillkit.render.render(...)
    result.exit_code, result.diagnostics, [o.display for o in result.out_of_date]

The parts: `plan` (the `[render]` table → variants), `environment` (the sandboxed Jinja
environment and the line map), `helpers` (vrctl commands built from the grammar), `frontmatter`
(data → YAML per target), `files` (safe paths, atomic writes, the manifest), `engine` (render,
check, write).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

from skillkit.render.engine import Output, RenderResult, render_plan
from skillkit.render.plan import Plan, PlanError, build_plan, load_plan
from skillkit.settings import Settings

__all__ = [
    "Output",
    "Plan",
    "PlanError",
    "RenderResult",
    "build_plan",
    "load_plan",
    "render",
    "render_plan",
]


def plan_for(root: Path | str = ".", settings: Settings | None = None) -> Plan:
    """The plan of a project: `settings.render` when the config loader gave one, otherwise the
    `[render]` table read from `root`'s own `skillkit.toml` or `pyproject.toml`."""
    folder = Path(root)
    if settings is not None and settings.render:
        return build_plan(settings.render, settings.root, settings.target)
    return load_plan(folder, settings.target if settings is not None else "spec")


def render(
    root: Path | str = ".",
    *,
    settings: Settings | None = None,
    check: bool = False,
    force: bool = False,
    delete: bool = False,
) -> RenderResult:
    """Render every output of the project at `root`. With `check`, write nothing and report what
    is missing, stale or edited by hand. Raises `PlanError` for a plan that is itself wrong."""
    return render_plan(plan_for(root, settings), settings, check=check, force=force, delete=delete)


class _CallableModule(types.ModuleType):
    """`skillkit.render` is both this package and the library function: importing the package
    replaces the lazy attribute on `skillkit`, so the package answers the call itself."""

    def __call__(self, *args: Any, **kwargs: Any) -> RenderResult:
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
