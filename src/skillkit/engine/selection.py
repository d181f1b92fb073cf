"""Which rules run under given settings, for which files, and with what context."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.registry import ProjectRule, RenderRule, Rule, all_rules, resolve_code
from skillkit.settings import Settings

if TYPE_CHECKING:
    from skillkit.context import ProjectContext


def _expand(selectors: Iterable[str]) -> set[str]:
    codes: set[str] = set()
    for selector in selectors:
        codes.update(resolve_code(selector))
    return codes


@dataclass
class Prepared:
    """What the engine works out once for a Settings object: the rules that run, in code order,
    and the rules' context (made by `skillkit.engine.check.project_context`, which may import
    the renderer: this module may not, as the config's validation imports discovery)."""

    settings: Settings
    rule_count: int
    active: tuple[Rule, ...]
    context: ProjectContext | None = None


# Per Settings object (a run has one, or one per config): computing the active rules per file
# cost more than some rules. Keyed by id, holding the object so that the id is not reused.
_PREPARED: dict[int, Prepared] = {}


def prepared(settings: Settings) -> Prepared:
    """What is worked out once for these settings (see `Prepared`)."""
    known = _PREPARED.get(id(settings))
    rules = all_rules()
    if known is not None and known.settings is settings and known.rule_count == len(rules):
        return known
    if len(_PREPARED) > 64:
        _PREPARED.clear()
    known = _PREPARED[id(settings)] = Prepared(settings, len(rules), _active_rules(settings, rules))
    return known


def active_rules(settings: Settings) -> tuple[Rule, ...]:
    """The rules that run under these settings, in code order."""
    return prepared(settings).active


def _active_rules(settings: Settings, rules: dict[str, Rule]) -> tuple[Rule, ...]:
    if settings.select is None:
        chosen = {
            code
            for code, rule in rules.items()
            if rule.default or settings.target in rule.enabled_by
        }
    else:
        chosen = _expand(settings.select)
    chosen |= _expand(settings.extend_select)
    chosen -= _expand(settings.ignore)
    chosen &= rules.keys()
    return tuple(
        rules[code]
        for code in sorted(chosen)
        if not isinstance(rules[code], RenderRule) and rules[code].applies_to(settings.target)
    )


def project_rules(settings: Settings) -> dict[str, ProjectRule]:
    """The cross-file rules that run under these settings, by code."""
    return {rule.code: rule for rule in active_rules(settings) if isinstance(rule, ProjectRule)}


def per_file_ignored_codes(path: Path, settings: Settings) -> set[str]:
    """The rule codes that `per-file-ignores` turns off for the skill at `path`: those of every
    glob that matches its path relative to the settings' root, or as given."""
    if not settings.per_file_ignores:
        return set()
    try:
        relative = path.resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        relative = path.as_posix()
    codes: set[str] = set()
    for pattern, selectors in settings.per_file_ignores:
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path.as_posix(), pattern):
            codes |= _expand(selectors)
    return codes
