"""Linting many files on every core: the per-file work, run serially or in a worker pool.

A pool costs about 20 ms to fork and feed (measured: 2 files take 3 ms in this process, 24 ms
through a 2-worker pool), and a file costs about 1 ms of CPU to lint on an idle machine, so two
workers break even near 40 files; on a machine that other work keeps busy the second core is not
free and the break-even moves up, hence `PARALLEL_THRESHOLD` = 128 files to lint (cache hits do
not count). Results come back in the order of the jobs, so the output never depends on
scheduling.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from skillkit.engine.cache import Dependencies, Signature, digest, folder_state
from skillkit.reading import read_regular_file

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from skillkit.engine.check import FileResult
    from skillkit.model import Skill
    from skillkit.settings import Settings

PARALLEL_THRESHOLD = 128

Job = tuple[Path, "Settings"]
Outcome = tuple["FileResult", Signature | None]


def lint_one(path: Path, settings: Settings, sign: bool) -> Outcome:
    """Lint one file; with `sign`, also say what the result depended on (for the cache)."""
    from skillkit.engine.check import check_skill
    from skillkit.engine.runner import lint_file
    from skillkit.parse import parse_bytes

    if not sign:
        return lint_file(path, settings), None
    limit = settings.max_file_bytes
    try:
        # The status is taken (on the opened file) before reading: a change after it shows as a
        # different stat next time.
        folders = folder_state(os.path.dirname(os.path.abspath(path)))
        data, status = read_regular_file(path, limit)
    except OSError:
        # The engine's own path reports what is wrong; such a file is not cached.
        return lint_file(path, settings), None
    skill = parse_bytes(data, path)
    if folders is not None:
        folders = _with_outside_folders(folders, skill)
    result = check_skill(skill, settings, str(path))
    return result, Signature(status.st_mtime_ns, status.st_size, digest(data), folders)


def _with_outside_folders(folders: Dependencies, skill: Skill) -> Dependencies | None:
    """`folders` plus the folders outside the skill's that its links lead through, stated
    before the rules look (None, not cached, if one of them cannot be stated: a link into a
    folder that does not exist yet would not show its creation)."""
    from skillkit.rules.references import outside_folders

    outside = outside_folders(skill)
    if not outside:
        return folders
    try:
        return folders + tuple((folder, os.stat(folder).st_mtime_ns) for folder in outside)
    except (OSError, ValueError):
        return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Linting builds millions of small objects and almost no reference cycles (311 cyclic
    objects in 280 corpus files, measured), so the cyclic collector's passes over the growing
    heap are pure cost there: 15% of a serial lint of the 2,800-skill benchmark. It is paused
    over a batch of files, and the batch's few cycles are collected once after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.collect(1)  # the batch's objects only: older ones were collected before
            gc.enable()


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# The settings of a pool's jobs, sent to each worker once (jobs carry an index into them).
_SETTINGS: list[Settings] = []
_SIGN = False


def _init_worker(settings: list[Settings], sign: bool) -> None:
    global _SETTINGS, _SIGN
    _SETTINGS, _SIGN = settings, sign
    # Forked while the parent had the collector paused: the parent's objects (modules, rules)
    # live as long as the worker, so they are left out of its collections (and their pages stay
    # shared), and the collector runs again, each chunk pausing it and collecting its own cycles.
    gc.freeze()
    gc.enable()


def _run_chunk(chunk: list[tuple[str, int]]) -> list[Outcome]:
    with collector_paused():
        return [lint_one(Path(path), _SETTINGS[index], _SIGN) for path, index in chunk]


def _context() -> BaseContext:
    import multiprocessing

    # fork: workers start with every module of the parent already imported and cost a few ms;
    # elsewhere the platform's default.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def lint_files(jobs: Sequence[Job], *, sign: bool, workers: int | None = None) -> list[Outcome]:
    """Each job's outcome, in the order of `jobs`. `workers` None: every core when there are at
    least `PARALLEL_THRESHOLD` jobs, else this process; a number: that many processes."""
    if workers is None:
        count = worker_count() if len(jobs) >= PARALLEL_THRESHOLD else 1
    else:
        count = min(max(workers, 1), len(jobs))
    if count < 2:
        with collector_paused():
            return [lint_one(path, settings, sign) for path, settings in jobs]
    # Import in the parent what every worker needs, so that forked workers share it.
    from skillkit.parse import parse_bytes  # noqa: F401
    from skillkit.registry import all_rules

    all_rules()
    distinct: dict[int, int] = {}
    settings_list: list[Settings] = []
    indexed: list[tuple[str, int]] = []
    for path, settings in jobs:
        index = distinct.get(id(settings))
        if index is None:
            index = distinct[id(settings)] = len(settings_list)
            settings_list.append(settings)
        indexed.append((str(path), index))
    # Several chunks a worker, so that one slow chunk does not leave a core idle at the end.
    size = max(1, min(64, len(indexed) // (count * 4)))
    chunks = [indexed[start : start + size] for start in range(0, len(indexed), size)]
    from skillkit.engine.cache import shared_strings
    from skillkit.engine.check import FileResult

    # The parent only gathers the results (long-lived, no cycles): no collections meanwhile.
    with collector_paused(), _context().Pool(count, _init_worker, (settings_list, sign)) as pool:
        outcomes: list[Outcome] = []
        for chunk_outcomes in pool.imap(_run_chunk, chunks):
            for result, signature in chunk_outcomes:
                if result.facts:  # each copy of a shared section unpickled apart: keep one
                    result = FileResult(
                        result.path, result.diagnostics, shared_strings(result.facts)
                    )
                outcomes.append((result, signature))
    return outcomes
