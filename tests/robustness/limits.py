"""A subprocess under CPU and memory limits, for the bounded-cost tests.

`RLIMIT_CPU` counts CPU seconds, so a loaded machine does not make a case flaky; `RLIMIT_AS`
turns a blow-up into a MemoryError; the wall-clock timeout is a backstop against a process that
waits on something. Each test says what a breach of them means for its case.
"""

from __future__ import annotations

import resource
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

MEMORY_LIMIT_BYTES = 2 * 1024**3


def run_limited(
    argv: Sequence[str],
    *,
    cpu_seconds: int,
    wall_seconds: int,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    errors: str | None = None,
) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))

    return subprocess.run(
        list(argv),
        cwd=cwd,
        capture_output=True,
        text=True,
        errors=errors,
        timeout=wall_seconds,
        preexec_fn=limit,
        stdin=subprocess.DEVNULL,
        env=None if env is None else dict(env),
    )
