"""Which rules run under given settings, for which files, and with what context."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.registry import ProjectRule, RenderRule, Rule, all_rules, resolve_code
from skillkit.settings import Settings

if TYPE_CHECKING:
    from skillkit.context import Files


def _expand(selectors: Iterable[str]) -> set[str]:
    codes: set[str] = set()
    for selector in selectors:
        codes.update(resolve_code(selector))
    return codes


def active_rules(settings: Settings) -> tuple[Rule, ...]:
    """The rules that run under these settings, in code order: computed once per settings
    object (a run has one, or one per config; computing it per file cost more than some rules)
    and kept with it. Keyed by the registry's size too: a test may register a rule meanwhile."""
    rules = all_rules()
    return settings.derived(("active rules", len(rules)), lambda s: _active_rules(s, rules))


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


def per_file_ignored_codes(path: Path, settings: Settings, files: Files) -> set[str]:
    """The rule codes that `per-file-ignores` turns off for the skill at `path`: those of every
    glob that matches its path relative to the settings' root, or as given. (The real paths
    come through the skill's file system view, which records them for the cache.)"""
    if not settings.per_file_ignores:
        return set()
    real = files.real_path
    try:
        relative = Path(real(str(path))).relative_to(real(str(settings.root))).as_posix()
    except ValueError:
        relative = path.as_posix()
    codes: set[str] = set()
    for pattern, selectors in settings.per_file_ignores:
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path.as_posix(), pattern):
            codes |= _expand(selectors)
    return codes
