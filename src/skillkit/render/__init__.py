"""Render skill files and scripts from Jinja templates, and keep them in sync (`skillkit render`).

    import skillkit
    result = skillkit.render(".", check=True)   # or skillkit.render.render(...)
    result.exit_code, result.diagnostics, [o.display for o in result.out_of_date]

The parts: `environment` (the sandboxed Jinja environment and the line map), `helpers` (vrctl
commands built from the grammar), `frontmatter` (data → YAML per target), `engine` (render,
check, write) and `adopt` (templates made from hand-written skills). What the plan outputs (the
plan, the output files, the manifest) is read without Jinja in `skillkit.outputs`, which lint
uses: importing this package loads Jinja.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

from skillkit.outputs import plan_for, settings_for
from skillkit.outputs.plan import Plan, PlanError, build_plan
from skillkit.render.engine import Output, RenderResult, render_plan, rendered_outputs
from skillkit.settings import Settings

__all__ = [
    "Output",
    "Plan",
    "PlanError",
    "RenderResult",
    "build_plan",
    "plan_for",
    "render",
    "render_plan",
    "rendered_outputs",
    "settings_for",
]


def render(
    root: Path | str = ".",
    *,
    settings: Settings | None = None,
    check: bool = False,
    force: bool = False,
    delete: bool = False,
) -> RenderResult:
    """Render every output of the project at `root`. With `check`, write nothing and report what
    is missing, stale or edited by hand. Raises `PlanError` (or `ConfigError`) for a plan or a
    config that is itself wrong; every other problem is a finding in the result."""
    return render_plan(plan_for(root, settings), settings, check=check, force=force, delete=delete)


class _CallableModule(types.ModuleType):
    """`skillkit.render` is both this package and the library function: importing the package
    replaces the lazy attribute on `skillkit`, so the package answers the call itself."""

    def __call__(self, *args: Any, **kwargs: Any) -> RenderResult:
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
