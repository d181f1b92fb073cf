"""The render plan: which outputs to render, from which template, with which variables.

The plan is the `[render]` table of the config (`skillkit.toml`, or `[tool.skillkit.render]` in
`pyproject.toml`), which `skillkit.config` finds and hands over as `Settings.render` (it leaves
the table's content to this module); `build_plan` validates the table and expands each matrix
into one variant a combination. Nothing here renders: paths and front-matter strings may still
hold Jinja, which the engine renders in the sandbox.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.registry import RENDER, all_rules, resolve_code
from skillkit.targets import TARGETS

DEFAULT_TEMPLATES = "templates"
DEFAULT_OUTPUT_ROOT = "skills"
MANIFEST_NAME = ".skillkit-manifest.json"
TEMPLATE_SUFFIX = ".md.j2"  # a skill's template: `templates/NAME.md.j2`

_PLAN_KEYS = frozenset({"templates", "output-root", "target", "variables", "outputs"})
_OUTPUT_KEYS = frozenset(
    {"template", "path", "target", "variables", "matrix", "front-matter", "kind", "ignore"}
)
KINDS = ("skill", "script", "text")


class PlanError(Exception):
    """The plan itself is wrong (a config error: exit 2, nothing rendered)."""


@dataclass(frozen=True)
class PlanSource:
    """Where the plan was read from, for messages (`pyproject.toml [tool.skillkit.render]`)."""

    path: Path | None
    table: str


@dataclass(frozen=True)
class Variant:
    """One output to render: a plan entry with one combination of its matrix."""

    index: int  # the entry's position in `outputs` (1-based), for messages
    template: str  # relative to the templates folder
    path: str  # relative to the output root; may hold Jinja (`{{ language }}`)
    target: str
    kind: str  # "skill", "script" or "text"
    variables: Mapping[str, Any]
    front_matter: Mapping[str, Any] | None  # data written as YAML; None: the template has it
    # Lint codes render does not report for this output (the entry's `ignore`): suppressions
    # that live with the plan, not in the output, so adopting render does not wait for a clean
    # repository. `skillkit lint` of the output still reports them.
    ignore: frozenset[str] = frozenset()

    def describe(self) -> str:
        return f"outputs[{self.index}]"


@dataclass(frozen=True)
class Plan:
    root: Path  # the project folder: templates and output root are relative to it
    templates: Path
    output_root: Path
    variants: tuple[Variant, ...]
    source: PlanSource = field(default_factory=lambda: PlanSource(None, ""))

    @property
    def manifest_path(self) -> Path:
        return self.output_root / MANIFEST_NAME


def _where(source: PlanSource, key: str) -> str:
    if source.path is None:
        return key
    return f"{source.path.name} {source.table} {key}"


def _table(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PlanError(f"{where} must be a table, not {type(value).__name__}")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PlanError(f"{where} must be a non-empty string")
    return value


def _relative_folder(root: Path, text: str, where: str) -> Path:
    # The plan names folders inside the project; one outside it is a typo or an attack.
    candidate = Path(text)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise PlanError(f"{where} must be a folder inside the project, not `{text}`")
    return root / candidate


def _target(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in TARGETS:
        raise PlanError(f"{where}: unknown target `{value}` (one of {', '.join(TARGETS)})")
    return value


def _kind(value: Any, path: str, where: str) -> str:
    if value is None:
        # SKILL.md files are skills; everything else is a script unless it says otherwise.
        name = path.rsplit("/", 1)[-1]
        return "skill" if name == "SKILL.md" else "script"
    if value not in KINDS:
        raise PlanError(f"{where}: kind must be one of {', '.join(KINDS)}, not `{value}`")
    return str(value)


def _ignored_codes(value: Any, where: str) -> frozenset[str]:
    """The lint codes an entry's `ignore` names (codes, prefixes or rule names)."""
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PlanError(f"{where}.ignore must be an array of rule codes")
    codes: set[str] = set()
    for selector in value:
        named = resolve_code(selector)
        if not named:
            raise PlanError(f"{where}.ignore: `{selector}` names no rule")
        if any(all_rules()[code].phase == RENDER for code in named):
            # A template that does not render has no output to write: not a finding to wave by.
            raise PlanError(
                f"{where}.ignore: `{selector}` names a template problem (SK7xx), which cannot "
                "be ignored"
            )
        codes.update(named)
    return frozenset(codes)


def _combinations(matrix: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """Every combination of the matrix's values, the first key varying slowest."""
    axes: list[list[tuple[str, Any]]] = []
    for key, values in matrix.items():
        if not isinstance(values, list) or not values:
            raise PlanError(f"{where}.matrix.{key} must be a non-empty array")
        axes.append([(key, value) for value in values])
    return [dict(combination) for combination in itertools.product(*axes)]


def build_plan(
    table: Mapping[str, Any],
    root: Path,
    default_target: str = "spec",
    source: PlanSource | None = None,
) -> Plan:
    """Validate a `[render]` table and expand it into variants."""
    source = source or PlanSource(None, "")
    unknown = sorted(set(table) - _PLAN_KEYS)
    if unknown:
        plan_where = _where(source, "").strip() or "the render plan"
        raise PlanError(
            f"{plan_where}: unknown key `{unknown[0]}` (known: {', '.join(sorted(_PLAN_KEYS))})"
        )
    templates = _relative_folder(
        root,
        _string(table.get("templates", DEFAULT_TEMPLATES), _where(source, "templates")),
        _where(source, "templates"),
    )
    output_root = _relative_folder(
        root,
        _string(table.get("output-root", DEFAULT_OUTPUT_ROOT), _where(source, "output-root")),
        _where(source, "output-root"),
    )
    plan_target = _target(table.get("target", default_target), _where(source, "target"))
    shared = _table(table.get("variables"), _where(source, "variables"))
    outputs = table.get("outputs", [])
    if not isinstance(outputs, list):
        raise PlanError(f"{_where(source, 'outputs')} must be an array of tables")
    variants: list[Variant] = []
    for index, entry in enumerate(outputs, start=1):
        where = _where(source, f"outputs[{index}]")
        entry = _table(entry, where)
        unknown = sorted(set(entry) - _OUTPUT_KEYS)
        if unknown:
            raise PlanError(
                f"{where}: unknown key `{unknown[0]}` (known: {', '.join(sorted(_OUTPUT_KEYS))})"
            )
        template = _string(entry.get("template"), f"{where}.template")
        path = _string(entry.get("path"), f"{where}.path")
        own = _table(entry.get("variables"), f"{where}.variables")
        front_matter = entry.get("front-matter")
        if front_matter is not None:
            front_matter = _table(front_matter, f"{where}.front-matter")
        matrix = _table(entry.get("matrix"), f"{where}.matrix")
        ignore = _ignored_codes(entry.get("ignore"), where)
        for combination in _combinations(matrix, where):
            target = _target(
                combination.get("target", entry.get("target", plan_target)), f"{where}.target"
            )
            variables = {**shared, **own, **combination, "target": target}
            variants.append(
                Variant(
                    index=index,
                    template=template,
                    path=path,
                    target=target,
                    kind=_kind(entry.get("kind"), path, where),
                    variables=variables,
                    front_matter=front_matter,
                    ignore=ignore,
                )
            )
    return Plan(root, templates, output_root, tuple(variants), source)
