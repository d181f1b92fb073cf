"""`skillkit.lint_paths`, the library's lint: the runner with the lint cache, the worker pool and
the render engine around it. (The CLI puts the same parts around the runner itself, loading each
only for a run that uses it.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from skillkit.engine.cache import LintCache
from skillkit.engine.check import FileResult
from skillkit.engine.pool import lint_on_cores
from skillkit.engine.runner import LintResult, SettingsFor, each_file_in_turn, run
from skillkit.render.engine import rendered_outputs
from skillkit.settings import Settings

__all__ = ["LintResult", "lint_paths"]


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
    results of unchanged files come from the cache (see skillkit.engine.cache); `workers` None
    lints large runs on every core, 1 in this process. `each_file` replaces the per-file lint
    (`lint --fix` and `--diff` fix each file as they lint it): it runs on every file in turn,
    in path order, and no cached result is used or stored."""
    if each_file is not None:
        lint_many = each_file_in_turn(each_file)
        cache = None
    else:
        lint_many = partial(lint_on_cores, workers=workers)
        cache = LintCache(cache_dir) if cache_dir is not None else None
    return run(
        paths,
        settings,
        lint_many,
        settings_for=settings_for,
        render_outputs=rendered_outputs,
        respect_gitignore=respect_gitignore,
        cache=cache,
    )
