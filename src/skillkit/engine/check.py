"""The rules of one file over its parsed model: pure (no I/O of its own), the step every lint of
a file goes through, in the CLI, the watch, the editor and the fixer alike."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from skillkit.context import Context, ProjectContext, RenderedOutputs, RenderView
from skillkit.diagnostics import Diagnostic
from skillkit.engine.findings import diagnostic_from_finding, internal_error
from skillkit.engine.selection import active_rules, per_file_ignored_codes
from skillkit.engine.suppress import (
    SUPPRESSIONS_FACT,
    Suppressions,
    apply_suppressions,
    suppressions_of,
)
from skillkit.model import ProblemKind, Skill
from skillkit.outputs.plan import Plan, build_plan
from skillkit.registry import FileRule, ProjectRule
from skillkit.settings import Settings
from skillkit.targets import get_target

# A file with one of these problems has no model worth checking: only the file rules run.
FATAL_PROBLEMS = frozenset({ProblemKind.UNREADABLE, ProblemKind.NOT_UTF8, ProblemKind.TOO_LARGE})


# What a file's check collected for the project rules: (rule code, facts) pairs.
Facts = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class FileResult:
    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: Facts = ()

    @property
    def suppressions(self) -> Suppressions | None:
        """The file's suppression comments, for the findings of project rules (kept among the
        facts, so that they are cached and sent back from workers like the facts)."""
        for code, value in self.facts:
            if code == SUPPRESSIONS_FACT:
                return Suppressions(tuple((str(c), int(a), int(b)) for c, a, b in value))
        return None


def shared_strings(value: Any) -> Any:
    """`value` with its strings interned, tuples rebuilt: the sections that SK601 compares are
    the same text in many skills, and one copy of each is enough (marshal keeps interned strings
    shared in the file too)."""
    if type(value) is str:
        return sys.intern(value)
    if type(value) is tuple:
        # Leaves inline, a call only for a nested tuple: the parent does this for every file a
        # worker linted, while the workers keep both cores busy.
        intern = sys.intern
        return tuple(
            [
                intern(item)
                if type(item) is str
                else shared_strings(item)
                if type(item) is tuple
                else item
                for item in value
            ]
        )
    return value


def _render_plan(settings: Settings) -> Plan:
    return build_plan(settings.render, settings.root, settings.target)


def project_context(settings: Settings, outputs: RenderedOutputs | None = None) -> ProjectContext:
    """The context of the rules under these settings: made once for them (and kept with them),
    so that what rules derive from the settings is too. `outputs`: how the entry point renders
    a plan's outputs, which the project rules ask for (SK601's line map) and file rules never do.
    """
    return settings.derived(
        ("project context", outputs),
        lambda settings: ProjectContext(
            get_target(settings.target), settings, RenderView(_render_plan, outputs)
        ),
    )


def check_skill(skill: Skill, context: Context, path: str | None = None) -> FileResult:
    """Run the per-file rules on one parsed skill, and collect the facts for project rules.
    `context`: the skill's own (`engine.per_file.file_context(skill, settings)`), which holds the
    settings in force and records what the rules looked at (the lint cache reads that record);
    `path`: the path shown in the diagnostics (default: the skill's)."""
    settings = context.settings
    shown = path if path is not None else str(skill.path)
    active = active_rules(settings)
    ignored = per_file_ignored_codes(skill.path, settings, context.files)
    fatal = any(problem.kind in FATAL_PROBLEMS for problem in skill.problems)
    diagnostics: list[Diagnostic] = []
    facts: list[tuple[str, Any]] = []
    for rule in active:
        if (ignored and rule.code in ignored) or (fatal and rule.checks_content):
            continue
        try:
            if isinstance(rule, FileRule):
                # A plain loop: most rules find nothing, and a generator expression per rule and
                # file cost more than the loop.
                for finding in rule.check(skill, context):
                    diagnostics.append(
                        diagnostic_from_finding(shown, rule, finding, settings, skill)
                    )
            elif isinstance(rule, ProjectRule):
                facts.append((rule.code, rule.collect(skill, context)))
        except Exception as error:
            diagnostics.append(internal_error(shown, rule, error))
    kept = apply_suppressions(skill, diagnostics, settings, ignored, shown)
    kept.sort(key=lambda d: d.sort_key)
    if facts:
        facts.append((SUPPRESSIONS_FACT, suppressions_of(skill).ranges))
    return FileResult(shown, tuple(kept), tuple(facts))
