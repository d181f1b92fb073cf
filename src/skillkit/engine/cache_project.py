"""The project rules' findings through the cache: the last run's, while no file's facts changed.

The cache keeps, per settings hash, one `project-` file: the last run's digest (its paths and
each one's facts digest) and its findings. A run with the same digest reads that file alone (a
warm run reads no facts at all). Any other run checks the project rules again over every file's
facts (those of cached files are read back from the facts files; 2,800 skills load in about
30 ms and SK601 checks them in tens of milliseconds, so re-checking only the parts that changed
did not pay for its machinery) and keeps its findings for the next run. A file or state that
does not agree (malformed, of another run) is simply not used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from skillkit.diagnostics import Diagnostic
from skillkit.engine.cache_codec import decode_diagnostic, encode_diagnostic
from skillkit.engine.check import Facts, FileResult
from skillkit.hashing import digest

if TYPE_CHECKING:
    from skillkit.engine.cache import LintCache
    from skillkit.engine.runner import ProjectCheck


def run_digest(key: str, results: Sequence[FileResult], digests: Sequence[bytes | None]) -> bytes:
    pairs = [(result.path, facts) for result, facts in zip(results, digests, strict=True)]
    return digest(repr((key, pairs)).encode("utf-8", "surrogatepass"))


def _decode(findings: Any) -> list[Diagnostic] | None:
    """The stored findings, or None when they are not what this module wrote."""
    if type(findings) is not tuple:
        return None
    try:
        diagnostics: list[Diagnostic] = []
        for item in findings:
            if type(item) is not tuple or len(item) != 2 or type(item[0]) is not str:
                return None
            diagnostics.append(decode_diagnostic(item[0], item[1]))
    except (TypeError, ValueError):
        return None
    return diagnostics


def project_findings(
    cache: LintCache,
    key: str,
    results: Sequence[FileResult],
    digests: list[bytes | None],
    facts_of: Callable[[int], Facts],
    compute: ProjectCheck,
) -> list[Diagnostic]:
    """The project rules' findings over `results` (see the module docstring); `compute` is the
    check over results that carry their facts."""
    stored = cache.named("project", key).entries
    run = run_digest(key, results, digests)
    if stored.get("run") == run:
        found = _decode(stored.get("findings"))
        if found is not None:
            return found
    with_facts = _with_facts(results, digests, facts_of)
    # The digests as they are now: a file linted again for lost facts may have new ones.
    run = run_digest(key, results, digests)
    found = compute(with_facts)
    cache.named("project", key, anew=True).entries = {
        "run": run,
        "findings": tuple((d.path, encode_diagnostic(d)) for d in found),
    }
    return found


def _with_facts(
    results: Sequence[FileResult], digests: Sequence[bytes | None], facts_of: Callable[[int], Facts]
) -> list[FileResult]:
    """The results with their facts (the cache keeps them apart), for the check."""
    return [
        FileResult(result.path, result.diagnostics, facts_of(number))
        if digests[number] is not None
        else result
        for number, result in enumerate(results)
    ]
