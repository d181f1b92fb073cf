"""Linting many files on every core: the jobs shared out to a pool of worker processes.

Results come back in the order of the jobs, so the output never depends on scheduling. The
runner never imports this module: the CLI (for a run with many files to lint) and the library's
`lint_paths` give it to the runner as the way to lint the jobs.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Sequence
from multiprocessing.context import BaseContext
from pathlib import Path

from skillkit.engine.check import FileResult, shared_strings
from skillkit.engine.per_file import PARALLEL_THRESHOLD, collector_paused, lint_file, lint_serially
from skillkit.engine.runner import Job, Outcome, Signer
from skillkit.registry import all_rules
from skillkit.settings import Settings


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# The settings of a pool's jobs, sent to each worker once (jobs carry an index into them).
_SETTINGS: list[Settings] = []
_SIGNER: Signer | None = None


def _init_worker(settings: list[Settings], signer: Signer | None) -> None:
    global _SETTINGS, _SIGNER
    _SETTINGS, _SIGNER = settings, signer
    # Forked while the parent had the collector paused: the parent's objects (modules, rules)
    # live as long as the worker, so they are left out of its collections (and their pages stay
    # shared), and the collector runs again, each chunk pausing it and collecting its own cycles.
    gc.freeze()
    gc.enable()


def _run_chunk(chunk: list[tuple[str, int]]) -> list[Outcome]:
    with collector_paused():
        return [lint_file(Path(path), _SETTINGS[index], _SIGNER) for path, index in chunk]


def _context() -> BaseContext:
    # fork: workers start with every module of the parent already imported and cost a few ms;
    # elsewhere the platform's default.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def lint_on_cores(
    jobs: Sequence[Job], signer: Signer | None, workers: int | None = None
) -> list[Outcome]:
    """Each job's outcome, in the order of `jobs`. `workers` None: every core when there are at
    least `PARALLEL_THRESHOLD` jobs, else this process; a number: that many processes."""
    if workers is None:
        count = worker_count() if len(jobs) >= PARALLEL_THRESHOLD else 1
    else:
        count = min(max(workers, 1), len(jobs))
    if count < 2:
        return lint_serially(jobs, signer)
    all_rules()  # the rules imported in the parent: forked workers share them
    distinct: dict[Settings, int] = {}
    settings_list: list[Settings] = []
    indexed: list[tuple[str, int]] = []
    for path, settings in jobs:
        index = distinct.get(settings)
        if index is None:
            index = distinct[settings] = len(settings_list)
            settings_list.append(settings)
        indexed.append((str(path), index))
    # Several chunks a worker, so that one slow chunk does not leave a core idle at the end.
    size = max(1, min(64, len(indexed) // (count * 4)))
    chunks = [indexed[start : start + size] for start in range(0, len(indexed), size)]
    # The parent only gathers the results (long-lived, no cycles): no collections meanwhile.
    with collector_paused(), _context().Pool(count, _init_worker, (settings_list, signer)) as pool:
        outcomes: list[Outcome] = []
        for chunk_outcomes in pool.imap(_run_chunk, chunks):
            for result, signature in chunk_outcomes:
                if result.facts:  # each copy of a shared section unpickled apart: keep one
                    result = FileResult(
                        result.path, result.diagnostics, shared_strings(result.facts)
                    )
                outcomes.append((result, signature))
    return outcomes
