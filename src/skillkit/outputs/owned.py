"""Files that `skillkit render` owns: an output its manifest records. `lint --fix`, `--diff`
and `--add-suppressions` leave such a file alone (render would call the change a hand edit, and
the next render would undo it) and say which template line the change belongs in instead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.outputs import plan_for
from skillkit.outputs.files import read_manifest
from skillkit.outputs.plan import PlanError
from skillkit.settings import Settings

if TYPE_CHECKING:
    from skillkit.outputs.plan import Plan
    from skillkit.render.engine import RenderResult


@dataclass(frozen=True)
class Owner:
    plan: Plan
    relative: str  # the output, relative to the output root


class Owners:
    """Which plan owns a file; each plan read, and rendered in memory, at most once a run."""

    def __init__(self) -> None:
        self._plans: dict[Path, Plan | None] = {}
        self._manifests: dict[Path, dict[str, tuple[str, str]]] = {}
        self._renders: dict[Path, RenderResult] = {}

    def _plan(self, settings: Settings) -> Plan | None:
        key = settings.config_path or settings.root
        if key not in self._plans:
            try:
                self._plans[key] = plan_for(settings.root, settings) if settings.render else None
            except PlanError:
                self._plans[key] = None
        return self._plans[key]

    def owner(self, path: Path, settings: Settings) -> Owner | None:
        plan = self._plan(settings)
        if plan is None:
            return None
        try:
            relative = path.resolve().relative_to(plan.output_root.resolve()).as_posix()
        except (ValueError, OSError):
            return None
        manifest = self._manifests.get(plan.manifest_path)
        if manifest is None:
            manifest = self._manifests[plan.manifest_path] = read_manifest(plan.manifest_path)
        return Owner(plan, relative) if relative in manifest else None

    def source_of(
        self,
        owner: Owner,
        settings: Settings,
        line: int,
        render: Callable[[Plan, Settings], RenderResult],
    ) -> str:
        """Where the output's line is written: `templates/x.md.j2:LINE`, the plan's front-matter
        (`pyproject.toml`), or the template when the line cannot be traced. `render` renders the
        plan in memory (the caller's choice of when to load the engine, and Jinja with it)."""
        plan = owner.plan
        result = self._renders.get(plan.manifest_path)
        if result is None:
            result = self._renders[plan.manifest_path] = render(plan, settings)
        for output in result.outputs:
            if output.relative != owner.relative:
                continue
            template = _shown(plan.templates / output.variant.template, plan.root)
            origin = output.origins[line - 1] if 0 < line <= len(output.origins) else None
            if origin is None:
                return template
            if origin.template is None:
                where = plan.source.path
                shown = _shown(where, plan.root) if where is not None else "the render plan"
                return f"{shown} ({output.variant.describe()}.front-matter)"
            return f"{_shown(plan.templates / origin.template, plan.root)}:{origin.line}"
        return "its template"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
