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
from typing import TYPE_CHECKING, Any

from skillkit.config.files import find_config, load_config
from skillkit.render.plan import Plan, PlanError, PlanSource, build_plan
from skillkit.settings import Settings

if TYPE_CHECKING:
    from skillkit.render.engine import Output, RenderResult, render_plan, rendered_outputs

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


def __getattr__(name: str) -> Any:
    # The engine (and Jinja with it) loads on first use: the lint rules that only read the plan
    # (SK601 asks which template an output comes from) must not pay for Jinja.
    if name in ("Output", "RenderResult", "render_plan", "rendered_outputs"):
        from skillkit.render import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    # As in `__getattr__`: the package stays light, for lint's readers of the plan.
    from skillkit.render.engine import render_plan

    return render_plan(plan_for(root, settings), settings, check=check, force=force, delete=delete)


class _CallableModule(types.ModuleType):
    """`skillkit.render` is both this package and the library function: importing the package
    replaces the lazy attribute on `skillkit`, so the package answers the call itself."""

    def __call__(self, *args: Any, **kwargs: Any) -> RenderResult:
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
