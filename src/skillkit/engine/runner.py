"""The one runner of a lint, used alike by `skillkit lint`, `--watch` and the language server:
discover → read → parse → check → suppress → project rules, over many files at once (the only
part of the engine that knows about many files).

How the files are linted (in this process, in a worker pool, or by `lint --fix`'s own step) and
whether results are cached are parts given to the runner (`LintJobs`, `ResultCache`), as ruff's
CLI wraps a cache-free linter: the runner imports neither the pool nor the cache, nor the
parser (a warm cached run parses nothing), and knows no rule by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from skillkit.context import RenderedOutputs
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.engine.check import Facts, FileResult
from skillkit.engine.discover import Listing, discover_skills, list_folder, unreadable_diagnostics
from skillkit.engine.project import project_diagnostics
from skillkit.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from skillkit.context import Files
    from skillkit.parse import Source

SettingsFor = Callable[[Path], Settings]
# A file to lint, under its settings.
Job = tuple[Path, Settings]
# A file's result, and what it depended on as its cache's signer said (None: not signed, not to
# be cached).
Outcome = tuple[FileResult, Any]
# The project rules' findings over results that carry their facts.
ProjectCheck = Callable[[Sequence[FileResult]], list[Diagnostic]]
# A file linted again, by its index among a run's results (the cache lost its facts).
Relint = Callable[[int], FileResult]


class Signer(Protocol):
    """A cache's part in linting a file: what the result depends on, taken as it is linted (in
    a worker process too, so it holds no state of a run)."""

    def signature(self, source: Source, files: Files, result: FileResult) -> Any:
        """What the result of a file that was read depended on (`files`: what its rules looked
        at, see skillkit.context)."""
        ...


# How a list of jobs is linted: each job's outcome, in the order of the jobs; signed by the
# signer when there is one (see skillkit.engine.per_file and skillkit.engine.pool).
LintJobs = Callable[[Sequence[Job], Signer | None], list[Outcome]]


class ResultCache(Protocol):
    """Results kept from earlier runs (skillkit.engine.cache on disk, the watch's in memory)."""

    hits: int  # files whose results came from the cache in this run

    @property
    def signer(self) -> Signer: ...

    def list_folder(self, folder: str) -> Listing:
        """Discovery's listing of a folder (the disk cache remembers them)."""
        ...

    def lookup(self, path: Path, shown: str, settings: Settings) -> FileResult | None:
        """The kept result of a file while what it depended on is unchanged (its facts may be
        left out: see `cached_facts`)."""
        ...

    def store(self, path: Path, settings: Settings, result: FileResult, signature: Any) -> None: ...

    def cached_facts(self, shown: str) -> Facts | None:
        """The facts of a result that `lookup` gave: () if it had none, None if they are lost
        (the file is linted again)."""
        ...

    def project(
        self,
        results: Sequence[FileResult],
        settings: Settings,
        compute: ProjectCheck,
        relint: Relint,
    ) -> list[Diagnostic]:
        """The project rules' findings over `results`, as `compute` gives them over results
        with their facts; `relint` lints the result of that index again."""
        ...

    def save(self) -> None: ...


def each_file_in_turn(lint_file: Callable[[Path, Settings], FileResult]) -> LintJobs:
    """The jobs linted by `lint_file` in turn, in their order, unsigned (`lint --fix` and
    `--diff` fix each file as they lint it)."""

    def lint_jobs(jobs: Sequence[Job], _signer: Signer | None) -> list[Outcome]:
        return [(lint_file(path, settings), None) for path, settings in jobs]

    return lint_jobs


def lint_jobs(
    jobs: Sequence[Job], lint_many: LintJobs, cache: ResultCache | None
) -> list[FileResult]:
    """Each job's result, in order: from the cache where valid, else linted by `lint_many` (and
    stored)."""
    if cache is None:
        return [result for result, _signature in lint_many(jobs, None)]
    results: list[FileResult | None] = []
    stale: list[int] = []
    for index, (path, settings) in enumerate(jobs):
        cached = cache.lookup(path, str(path), settings)
        results.append(cached)
        if cached is None:
            stale.append(index)
    outcomes = lint_many([jobs[index] for index in stale], cache.signer) if stale else []
    for index, (result, signature) in zip(stale, outcomes, strict=True):
        results[index] = result
        cache.store(jobs[index][0], jobs[index][1], result, signature)
    return [result for result in results if result is not None]


def _relint(job: Job, lint_many: LintJobs, cache: ResultCache) -> FileResult:
    """A file linted again (its facts were lost from the cache), and its result stored."""
    ((result, signature),) = lint_many([job], cache.signer)
    cache.store(job[0], job[1], result, signature)
    return result


def results_with_facts(
    jobs: Sequence[Job], lint_many: LintJobs, cache: ResultCache | None
) -> list[FileResult]:
    """Each job's result with its project-rule facts (a cached result comes without them: they
    are read back from the cache, or the file is linted again when the cache lost them)."""
    results = lint_jobs(jobs, lint_many, cache)
    if cache is None:
        return results
    complete: list[FileResult] = []
    for job, result in zip(jobs, results, strict=True):
        facts = result.facts or cache.cached_facts(result.path)
        if facts is None:
            facts = _relint(job, lint_many, cache).facts
        complete.append(replace(result, facts=facts))
    cache.save()
    return complete


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


def run(
    paths: Sequence[Path | str],
    settings: Settings | None,
    lint_many: LintJobs,
    *,
    settings_for: SettingsFor | None = None,
    render_outputs: RenderedOutputs,
    respect_gitignore: bool = True,
    cache: ResultCache | None = None,
) -> LintResult:
    """Lint every skill under `paths`: each file under `settings_for(path)` (else `settings`, or
    the defaults), linted by `lint_many` where `cache` has no valid result; then the project
    rules over every file's facts, under `settings`. `render_outputs` renders a plan's outputs
    in memory when a project rule asks (the render engine, a part given as the cache is)."""
    base = settings or DEFAULT_SETTINGS
    pick: SettingsFor = settings_for or (lambda _path: base)
    files, missing = discover_skills(
        paths,
        base,
        respect_gitignore=respect_gitignore,
        lister=cache.list_folder if cache is not None else list_folder,
    )
    result = LintResult()
    result.diagnostics.extend(unreadable_diagnostics(missing, base))
    jobs = [(path, pick(path)) for path in files]
    file_results = lint_jobs(jobs, lint_many, cache)
    for file_result in file_results:
        result.files.append(file_result.path)
        result.diagnostics.extend(file_result.diagnostics)
    if cache is None:
        result.diagnostics.extend(project_diagnostics(file_results, base, render_outputs))
    else:
        result.cache_hits = cache.hits
        result.diagnostics.extend(
            cache.project(
                file_results,
                base,
                lambda complete: project_diagnostics(complete, base, render_outputs),
                lambda index: _relint(jobs[index], lint_many, cache),
            )
        )
        cache.save()
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result
