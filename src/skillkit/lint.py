"""The lint engine: discover files, parse each once, run the selected rules, collect diagnostics.

The only module that knows about many files at once. Rules are pure functions of one model (and,
for project rules, of facts collected from every model); nothing here knows a rule by name.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import skillkit.render as render_package
from skillkit.context import Context, ProjectContext, RenderView
from skillkit.diagnostics import Diagnostic, Finding, Severity
from skillkit.discover import Lister, Missing, discover, list_folder
from skillkit.model import ProblemKind, Skill, Span
from skillkit.registry import (
    FileRule,
    ProjectRule,
    RenderRule,
    Rule,
    all_rules,
    resolve_code,
)
from skillkit.render.plan import Plan, build_plan
from skillkit.rules.files import INTERNAL_ERROR, file_unreadable
from skillkit.settings import DEFAULT_SETTINGS, Settings
from skillkit.targets import get_target

if TYPE_CHECKING:
    from skillkit.cache import LintCache
    from skillkit.render.engine import Output
    from skillkit.suppress import Suppressions

# A file with one of these problems has no model worth checking: only the file rules run.
FATAL_PROBLEMS = frozenset({ProblemKind.UNREADABLE, ProblemKind.NOT_UTF8, ProblemKind.TOO_LARGE})

SettingsFor = Callable[[Path], Settings]


def _expand(selectors: Iterable[str]) -> set[str]:
    codes: set[str] = set()
    for selector in selectors:
        codes.update(resolve_code(selector))
    return codes


def _render_plan(settings: Settings) -> Plan:
    return build_plan(settings.render, settings.root, settings.target)


def _rendered_outputs(plan: Plan, settings: Settings) -> Iterable[Output]:
    # (the render engine, and Jinja with it, loads here only: see skillkit.render)
    return render_package.rendered_outputs(plan, settings)


# What rules may learn of the render plan (SK601): the renderer lints with the rules, so the
# engine, not a rule, knows it.
RENDER_VIEW = RenderView(_render_plan, _rendered_outputs)


# The active rules and the project context of each Settings object (a run has one, or one per
# config): computing them per file cost more than some rules, and the context holds what rules
# derive from the settings. Keyed by id, holding the object so that the id is not reused.
_ACTIVE: dict[int, tuple[Settings, int, tuple[Rule, ...], ProjectContext]] = {}


def _prepared(settings: Settings) -> tuple[tuple[Rule, ...], ProjectContext]:
    known = _ACTIVE.get(id(settings))
    rules = all_rules()
    if known is not None and known[0] is settings and known[1] == len(rules):
        return known[2], known[3]
    active = _active_rules(settings, rules)
    context = ProjectContext(get_target(settings.target), settings, RENDER_VIEW)
    if len(_ACTIVE) > 64:
        _ACTIVE.clear()
    _ACTIVE[id(settings)] = (settings, len(rules), active, context)
    return active, context


def active_rules(settings: Settings) -> tuple[Rule, ...]:
    """The rules that run under these settings, in code order."""
    return _prepared(settings)[0]


def project_context(settings: Settings) -> ProjectContext:
    """The context of the rules under these settings (one for all the files of a run)."""
    return _prepared(settings)[1]


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


def diagnostic_from_finding(
    path: str, rule: Rule, finding: Finding, settings: Settings, skill: Skill | None = None
) -> Diagnostic:
    """What a rule's finding is reported as: the rule's code and name, the severity that the
    settings give the rule (else the finding's own, else the rule's), and the text of its line
    when the skill is at hand."""
    return Diagnostic(
        path=path,
        span=finding.span,
        code=rule.code,
        name=rule.name,
        severity=settings.severity.get(rule.code, finding.severity or rule.severity),
        message=finding.message,
        fix=finding.fix,
        related=finding.related,
        source_line=skill.line_text(finding.span.line) if skill is not None else "",
    )


def _crash(path: str, rule: Rule, error: BaseException) -> Diagnostic:
    # A rule that raises is a bug in skillkit; the user still gets every other finding.
    return Diagnostic(
        path=path,
        span=Span.at(1),
        code=INTERNAL_ERROR.code,
        name=INTERNAL_ERROR.name,
        severity=INTERNAL_ERROR.severity,
        message=f"rule {rule.code} ({rule.name}) failed: {type(error).__name__}: {error}; "
        "please report this",
    )


@dataclass(frozen=True)
class FileResult:
    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: tuple[tuple[str, Any], ...] = ()  # (rule code, facts) for project rules

    @property
    def suppressions(self) -> Suppressions | None:
        """The file's suppression comments, for the findings of project rules (kept among the
        facts, so that they are cached and sent back from workers like the facts)."""
        from skillkit.suppress import SUPPRESSIONS_FACT, Suppressions

        for code, value in self.facts:
            if code == SUPPRESSIONS_FACT:
                return Suppressions(tuple((str(c), int(a), int(b)) for c, a, b in value))
        return None


def check_skill(
    skill: Skill, settings: Settings, path: str | None = None, *, context: Context | None = None
) -> FileResult:
    """Run the per-file rules on one parsed skill, and collect the facts for project rules.
    `context`: the skill's context (`ProjectContext.for_skill`), given by a caller that reads
    what the rules looked at (the lint cache); else one is made."""
    shown = path if path is not None else str(skill.path)
    active, project = _prepared(settings)
    if context is None:
        context = project.for_skill(skill)
    ignored = per_file_ignored_codes(skill.path, settings)
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
            diagnostics.append(_crash(shown, rule, error))
    from skillkit.suppress import SUPPRESSIONS_FACT, apply_suppressions, suppressions_of

    kept = apply_suppressions(skill, diagnostics, settings, shown)
    kept.sort(key=lambda d: d.sort_key)
    if facts:
        facts.append((SUPPRESSIONS_FACT, suppressions_of(skill).ranges))
    return FileResult(shown, tuple(kept), tuple(facts))


def lint_file(path: Path, settings: Settings) -> FileResult:
    from skillkit.parse import read_skill  # not at the top: a warm cached run parses nothing

    return check_skill(read_skill(path, settings.max_file_bytes), settings, str(path))


def project_rules(settings: Settings) -> dict[str, ProjectRule]:
    """The cross-file rules that run under these settings, by code."""
    return {rule.code: rule for rule in active_rules(settings) if isinstance(rule, ProjectRule)}


# The key of the one part of a project rule without a partition.
WHOLE_PART = ""


def project_parts(rule: ProjectRule, facts: Any) -> Iterable[tuple[str, Any]]:
    """One file's facts for a project rule as independent parts, by key (`Rule.partition`: the
    rule's findings over every file are the union of its findings over each part)."""
    return ((WHOLE_PART, facts),) if rule.partition is None else rule.partition(facts)


def check_project_part(
    rule: ProjectRule, collected: Sequence[tuple[str, Any]], settings: Settings
) -> list[Diagnostic]:
    """One cross-file rule's findings over `collected` (every skill's facts, or one part of
    them); a rule that raises raises here."""
    context = project_context(settings)
    return [
        diagnostic_from_finding(path, rule, finding, settings)
        for path, finding in rule.check_project(collected, context)
    ]


def run_project_rules(results: Sequence[FileResult], settings: Settings) -> list[Diagnostic]:
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
            diagnostics.extend(check_project_part(rule, collected, settings))
        except Exception as error:
            diagnostics.append(_crash(collected[0][0], rule, error))
    return diagnostics


def _lint_files(
    jobs: list[tuple[Path, Settings]], cache: LintCache | None, workers: int | None
) -> list[FileResult]:
    """Each file's result, in order: from the cache where valid, else linted (in a pool when
    there are many)."""
    from skillkit.parallel import lint_files

    if cache is None:
        return [outcome[0] for outcome in lint_files(jobs, sign=False, workers=workers)]
    results: list[FileResult | None] = []
    stale: list[int] = []
    for index, (path, settings) in enumerate(jobs):
        cached = cache.lookup(path, str(path), settings)
        results.append(cached)
        if cached is None:
            stale.append(index)
    outcomes = lint_files([jobs[index] for index in stale], sign=True, workers=workers)
    for index, (file_result, signature) in zip(stale, outcomes, strict=True):
        results[index] = file_result
        cache.store(jobs[index][0], jobs[index][1], file_result, signature)
    return [file_result for file_result in results if file_result is not None]


def _project_diagnostics(file_results: Sequence[FileResult], base: Settings) -> list[Diagnostic]:
    """The project rules' findings, less those the file's suppression comments cover."""
    if not any(file_result.facts for file_result in file_results):
        return []
    suppressions = {r.path: r.suppressions for r in file_results if r.suppressions}
    return [
        d
        for d in run_project_rules(file_results, base)
        if not (d.path in suppressions and suppressions[d.path].covers(d.code, d.span.line))
    ]


def file_project_diagnostics(
    file_results: Sequence[FileResult], base: Settings, shown: str
) -> list[Diagnostic]:
    """The project rules' findings in the file `shown` alone (the editor's view), over every
    file's facts, less those its suppression comments cover: the same as those of
    `_project_diagnostics` in that file. A rule with a partition checks only the parts that file
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
                found.extend(check_project_part(rule, by_key[key], base))
        except Exception as error:
            found.append(_crash(shown, rule, error))
    suppressions = mine.suppressions
    kept = [
        d
        for d in found
        if d.path == shown and not (suppressions and suppressions.covers(d.code, d.span.line))
    ]
    kept.sort(key=lambda d: d.sort_key)  # parts come by key (a section title), not by line
    return kept


def discover_skills(
    paths: Sequence[Path | str],
    settings: Settings,
    *,
    respect_gitignore: bool = True,
    lister: Lister = list_folder,
) -> tuple[list[Path], list[Missing]]:
    """The skill files under `paths`, with the `exclude` globs of `settings` taken relative to
    its config's folder (shared by lint and watch, so both skip the same files)."""
    return discover(
        paths,
        respect_gitignore=respect_gitignore,
        exclude=settings.exclude,
        exclude_root=settings.config_path.parent if settings.config_path else None,
        lister=lister,
    )


def unreadable_diagnostics(
    missing: Iterable[Missing], settings: Settings = DEFAULT_SETTINGS
) -> list[Diagnostic]:
    """SK001 for each path that discovery could not read, SK005 for each ignore file (or line)
    it could not use, when that rule is on (shared by lint and watch)."""
    rules = all_rules()
    active = {rule.code for rule in active_rules(settings)}
    found: list[Diagnostic] = []
    for gone in missing:
        if gone.code == file_unreadable.code:
            message = f"cannot lint: {gone.reason}"
        elif gone.code in active:
            message = gone.reason
        else:
            continue
        rule = rules[gone.code]
        found.append(
            Diagnostic(
                path=str(gone.path),
                span=Span.at(gone.line),
                code=rule.code,
                name=rule.name,
                severity=settings.severity.get(rule.code, rule.severity),
                message=message,
            )
        )
    return found


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    cache_hits: int = 0  # files whose results came from the cache

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)


def lint_paths(
    paths: Sequence[Path | str],
    settings: Settings | None = None,
    *,
    settings_for: SettingsFor | None = None,
    respect_gitignore: bool = True,
    cache_dir: Path | None = None,
    workers: int | None = None,
    each_file: Callable[[Path, Settings], FileResult] | None = None,
) -> LintResult:
    """Lint every skill under `paths`. `settings_for` gives each file its own settings (the
    nearest config); otherwise `settings` (or the defaults) apply to all. With `cache_dir`,
    results of unchanged files come from the cache (see skillkit.cache); `workers` None lints
    large runs on every core, 1 in this process. `each_file` replaces the per-file lint
    (`lint --fix` and `--diff` fix each file as they lint it): it runs on every file in turn,
    in path order, and no cached result of a file is used or stored."""
    base = settings or DEFAULT_SETTINGS
    pick: SettingsFor = settings_for or (lambda _path: base)
    cache = None
    if cache_dir is not None:
        from skillkit.cache import LintCache

        cache = LintCache(cache_dir)
    files, missing = discover_skills(
        paths,
        base,
        respect_gitignore=respect_gitignore,
        lister=cache.list_folder if cache is not None else list_folder,
    )
    result = LintResult()
    result.diagnostics.extend(unreadable_diagnostics(missing, base))
    jobs = [(path, pick(path)) for path in files]
    if each_file is not None:
        file_results = [each_file(path, file_settings) for path, file_settings in jobs]
    else:
        file_results = _lint_files(jobs, cache, workers)
    result.cache_hits = cache.hits if cache is not None else 0
    for file_result in file_results:
        result.files.append(file_result.path)
        result.diagnostics.extend(file_result.diagnostics)
    if cache is None:
        result.diagnostics.extend(_project_diagnostics(file_results, base))
    else:

        def relint(index: int) -> FileResult:
            from skillkit.parallel import lint_one

            path, settings = jobs[index]
            file_result, signature = lint_one(path, settings, sign=True)
            cache.store(path, settings, file_result, signature)
            return file_result

        result.diagnostics.extend(
            cache.project(file_results, base, lambda done: _project_diagnostics(done, base), relint)
        )
        cache.save()
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result
