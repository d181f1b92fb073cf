"""The project rules: cross-file rules over the facts that every file's check collected, for a
whole run, or for the one file open in the editor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from skillkit.context import RenderedOutputs
from skillkit.diagnostics import Diagnostic
from skillkit.engine.check import FileResult, project_context
from skillkit.engine.findings import diagnostic_from_finding, internal_error
from skillkit.engine.selection import project_rules
from skillkit.registry import ProjectRule
from skillkit.settings import Settings

# The key of the one part of a project rule without a partition.
WHOLE_PART = ""


def project_parts(rule: ProjectRule, facts: Any) -> Iterable[tuple[str, Any]]:
    """One file's facts for a project rule as independent parts, by key (`Rule.partition`: the
    rule's findings over every file are the union of its findings over each part)."""
    return ((WHOLE_PART, facts),) if rule.partition is None else rule.partition(facts)


def check_project_part(
    rule: ProjectRule,
    collected: Sequence[tuple[str, Any]],
    settings: Settings,
    outputs: RenderedOutputs,
) -> list[Diagnostic]:
    """One cross-file rule's findings over `collected` (every skill's facts, or one part of
    them); a rule that raises raises here. `outputs`: how the entry point renders a plan's
    outputs (see `project_context`)."""
    context = project_context(settings, outputs)
    return [
        diagnostic_from_finding(path, rule, finding, settings)
        for path, finding in rule.check_project(collected, context)
    ]


def run_project_rules(
    results: Sequence[FileResult], settings: Settings, outputs: RenderedOutputs
) -> list[Diagnostic]:
    """The cross-file rules, over the facts every file contributed."""
    rules = project_rules(settings)
    by_rule: dict[str, list[tuple[str, Any]]] = {}
    for result in results:
        for code, facts in result.facts:
            by_rule.setdefault(code, []).append((result.path, facts))
    diagnostics: list[Diagnostic] = []
    for code, collected in sorted(by_rule.items()):
        rule = rules.get(code)
        if rule is None:
            continue
        try:
            diagnostics.extend(check_project_part(rule, collected, settings, outputs))
        except Exception as error:
            diagnostics.append(internal_error(collected[0][0], rule, error))
    return diagnostics


def project_diagnostics(
    file_results: Sequence[FileResult], base: Settings, outputs: RenderedOutputs
) -> list[Diagnostic]:
    """The project rules' findings, less those the file's suppression comments cover."""
    if not any(file_result.facts for file_result in file_results):
        return []
    suppressions = {r.path: r.suppressions for r in file_results if r.suppressions}
    return [
        d
        for d in run_project_rules(file_results, base, outputs)
        if not (d.path in suppressions and suppressions[d.path].covers(d.code, d.span.line))
    ]


def file_project_diagnostics(
    file_results: Sequence[FileResult], base: Settings, shown: str, outputs: RenderedOutputs
) -> list[Diagnostic]:
    """The project rules' findings in the file `shown` alone (the editor's view), over every
    file's facts, less those its suppression comments cover: the same as those of
    `project_diagnostics` in that file. A rule with a partition checks only the parts that file
    has (its findings there come from no other part), not every part of the project."""
    mine = next((r for r in file_results if r.path == shown), None)
    if mine is None or not mine.facts:
        return []
    rules = project_rules(base)
    found: list[Diagnostic] = []
    for code, own_facts in mine.facts:
        rule = rules.get(code)
        if rule is None:
            continue
        collected = [(r.path, f) for r in file_results for c, f in r.facts if c == code]
        try:
            keys = {key for key, _part in project_parts(rule, own_facts)}
            by_key: dict[str, list[tuple[str, Any]]] = {}
            for path, facts in collected:
                for key, part in project_parts(rule, facts):
                    if key in keys:
                        by_key.setdefault(key, []).append((path, part))
            for key in sorted(by_key):
                found.extend(check_project_part(rule, by_key[key], base, outputs))
        except Exception as error:
            found.append(internal_error(shown, rule, error))
    suppressions = mine.suppressions
    kept = [
        d
        for d in found
        if d.path == shown and not (suppressions and suppressions.covers(d.code, d.span.line))
    ]
    kept.sort(key=lambda d: d.sort_key)  # parts come by key (a section title), not by line
    return kept
