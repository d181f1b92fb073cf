"""The one runner of a lint: discover → read → parse → check → suppress → project rules, for
many files at once (the only part of the engine that knows about many files).

Rules are pure functions of one model (and, for project rules, of facts collected from every
model); nothing here knows a rule by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.diagnostics import Diagnostic, Severity
from skillkit.engine.check import FileResult, check_skill
from skillkit.engine.discover import discover_skills, list_folder, unreadable_diagnostics
from skillkit.engine.project import project_diagnostics
from skillkit.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from skillkit.engine.cache import LintCache

SettingsFor = Callable[[Path], Settings]


def lint_file(path: Path, settings: Settings) -> FileResult:
    from skillkit.parse import read_skill  # not at the top: a warm cached run parses nothing

    return check_skill(read_skill(path, settings.max_file_bytes), settings, str(path))


def _lint_files(
    jobs: list[tuple[Path, Settings]], cache: LintCache | None, workers: int | None
) -> list[FileResult]:
    """Each file's result, in order: from the cache where valid, else linted (in a pool when
    there are many)."""
    from skillkit.engine.pool import lint_files

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
    results of unchanged files come from the cache (see skillkit.engine.cache); `workers` None lints
    large runs on every core, 1 in this process. `each_file` replaces the per-file lint
    (`lint --fix` and `--diff` fix each file as they lint it): it runs on every file in turn,
    in path order, and no cached result of a file is used or stored."""
    base = settings or DEFAULT_SETTINGS
    pick: SettingsFor = settings_for or (lambda _path: base)
    cache = None
    if cache_dir is not None:
        from skillkit.engine.cache import LintCache

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
        result.diagnostics.extend(project_diagnostics(file_results, base))
    else:

        def relint(index: int) -> FileResult:
            from skillkit.engine.pool import lint_one

            path, settings = jobs[index]
            file_result, signature = lint_one(path, settings, sign=True)
            cache.store(path, settings, file_result, signature)
            return file_result

        result.diagnostics.extend(
            cache.project(file_results, base, lambda done: project_diagnostics(done, base), relint)
        )
        cache.save()
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result
