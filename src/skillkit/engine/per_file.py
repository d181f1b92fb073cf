"""One file through the flow: read (the one bounded reader) → parse → check; and a list of such
files linted in this process."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from skillkit.context import Context
from skillkit.engine.check import check_skill, project_context
from skillkit.engine.runner import Job, Outcome, Signer
from skillkit.model import Skill
from skillkit.parse import parse_source, read_source
from skillkit.parse.frontmatter import parse_front_matter
from skillkit.settings import Settings

# A pool costs about 20 ms to fork and feed (measured: 2 files take 3 ms in this process, 24 ms
# through a 2-worker pool), and a file costs about 1 ms of CPU to lint on an idle machine, so two
# workers break even near 40 files; on a machine that other work keeps busy the second core is
# not free and the break-even moves up: below this many files to lint (cache hits do not count),
# they are linted in this process.
PARALLEL_THRESHOLD = 128


def lint_file(path: Path, settings: Settings, signer: Signer | None = None) -> Outcome:
    """Read, parse and check one file; with `signer`, also what the result depended on (a file
    that cannot be read is not signed: it is reported, never cached)."""
    source = read_source(path, settings.max_file_bytes)
    skill = parse_source(source)
    # The rules look at the file system through their context, which records what they saw.
    context = file_context(skill, settings)
    result = check_skill(skill, context, str(path))
    if signer is None or source.problem is not None:
        return result, None
    return result, signer.signature(source, context.files, result)


def file_context(skill: Skill, settings: Settings) -> Context:
    """The context of a parsed skill's rules under `settings`: the one way every caller of
    `check_skill` makes it, with the parser's YAML reader, which the rules are given rather than
    import."""
    return project_context(settings).for_skill(skill, parse_front_matter)


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


def lint_serially(jobs: Sequence[Job], signer: Signer | None) -> list[Outcome]:
    """Each job's outcome, linted in this process, in order."""
    with collector_paused():
        return [lint_file(path, settings, signer) for path, settings in jobs]
