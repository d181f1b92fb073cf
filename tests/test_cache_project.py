"""Project rules through the cache: a run where no skill's facts changed reuses the last run's
findings without reading any facts; any other run checks again over every skill's facts, and
must report exactly what a run without the cache does."""

from __future__ import annotations

import dataclasses
import marshal
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from skillkit import hashing
from skillkit.diagnostics import Finding, Severity
from skillkit.engine import cache as cache_module
from skillkit.engine import cache_project
from skillkit.engine.library import lint_paths
from skillkit.engine.runner import LintResult
from skillkit.registry import RULES, Context
from skillkit.rules.drift import SECTION_DRIFT
from skillkit.settings import Settings
from tests.helpers import write_skill

AN_HOUR = 3_600_000_000_000

SHARED = "- Take a snapshot before risky changes.\n- Ask the user before removing a service.\n"
EDITED = SHARED.replace("before risky", "after risky")  # drifted: another order


def _skill(name: str, guidance: str, before: str = "", title: str = "Snapshot guidance") -> str:
    return (
        f"---\nname: {name}\ndescription: Runs the {name} app. Use when the user asks.\n---\n\n"
        f"# {name}\n\n{before}## {title}\n{guidance}\n## Usage\nRun the {name} app.\n"
    )


def _age(root: Path) -> None:
    """Date each file and folder changed in the last minute an hour back: the cache trusts
    stats only when they are not that recent (the others keep their stat, and stay hits)."""
    recent = time.time_ns() - 60_000_000_000
    for folder, _folders, files in os.walk(root):
        for name in [*files, "."]:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            if stat.st_mtime_ns > recent:
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - AN_HOUR))


def _write(root: Path, name: str, text: str) -> Path:
    path = write_skill(root, text, folder=name)
    path.write_text(text, encoding="utf-8")
    _age(root)
    return path


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the project rules were checked over every skill's facts (a run whose
    facts are as in the last run takes the last run's findings instead)."""
    calls: list[int] = []
    original = cache_project._with_facts

    def counted(*args: Any) -> object:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(cache_project, "_with_facts", counted)
    return calls


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "skills"
    for name in ("alpha", "beta", "gamma", "delta"):
        write_skill(folder, _skill(name, SHARED), folder=name)
    _age(folder)
    return folder


def _drift(result: LintResult, root: Path) -> list[tuple[str, int, str]]:
    return [
        (str(Path(d.path).parent.relative_to(root)), d.span.line, d.message)
        for d in result.diagnostics
        if d.code == "SK601"
    ]


def _message(original: str, line: int, edited_there: bool = False) -> str:
    there, here = ("after", "before") if edited_there else ("before", "after")
    return (
        f"section `Snapshot guidance` has drifted from its copy in {original}:{line} "
        f'("…Take a snapshot {there} risky changes." there, "…Take a snapshot {here} risky '
        'changes." here); move it into a shared partial so that the copies stay the same'
    )


def _same_as_full(
    root: Path, cache: Path, settings: Settings | None = None, workers: int = 1
) -> LintResult:
    cached = lint_paths([root], settings, cache_dir=cache, workers=workers)
    reference = lint_paths([root], settings, workers=1)
    assert cached.diagnostics == reference.diagnostics
    assert cached.files == reference.files
    return cached


def test_drift_appears_moves_and_disappears_as_skills_change(
    root: Path, tmp_path: Path, full_checks: list[int]
) -> None:
    cache = tmp_path / "cache"
    path = {name: str(root / name / "SKILL.md") for name in ("alpha", "beta", "gamma", "delta")}
    assert _drift(_same_as_full(root, cache), root) == []
    assert full_checks == [1]  # the first run fills the cache

    # One copy drifts: a finding for it, against the first of the copies most skills share.
    _write(root, "delta", _skill("delta", EDITED))
    assert _drift(_same_as_full(root, cache), root) == [("delta", 8, _message(path["alpha"], 8))]
    checks = len(full_checks)
    warm = lint_paths([root], cache_dir=cache, workers=1)
    assert warm.cache_hits == 4
    assert len(full_checks) == checks  # nothing changed: the last run's findings, no facts read
    _write(root, "delta", _skill("delta", EDITED + "- And one more.\n"))
    assert _same_as_full(root, cache).cache_hits == 3  # the others' facts from the cache
    _write(root, "delta", _skill("delta", EDITED))
    assert len(_drift(_same_as_full(root, cache), root)) == 1
    # Two and two: on a tie the copy in the first path is the original.
    _write(root, "beta", _skill("beta", EDITED))
    assert _drift(_same_as_full(root, cache), root) == [
        ("beta", 8, _message(path["alpha"], 8)),
        ("delta", 8, _message(path["alpha"], 8)),
    ]
    # A third skill takes the new text: the finding moves to skills that did not change.
    _write(root, "gamma", _skill("gamma", EDITED))
    assert _drift(_same_as_full(root, cache), root) == [
        ("alpha", 8, _message(path["beta"], 8, edited_there=True))
    ]
    # A suppression comment in the file with the finding hides it; removing it shows it again.
    _write(root, "alpha", _skill("alpha", SHARED, "<!-- skillkit: disable-next-line SK601 -->\n"))
    assert _drift(_same_as_full(root, cache), root) == []
    _write(root, "alpha", _skill("alpha", SHARED))
    assert len(_drift(_same_as_full(root, cache), root)) == 1
    # One at the end of the file: the section is the same, yet its finding is now hidden.
    _write(root, "alpha", _skill("alpha", SHARED) + "<!-- skillkit: disable-file SK601 -->\n")
    assert _drift(_same_as_full(root, cache), root) == []
    _write(root, "alpha", _skill("alpha", SHARED))
    assert _drift(_same_as_full(root, cache), root) == [
        ("alpha", 8, _message(path["beta"], 8, edited_there=True))
    ]
    # The section is renamed: it is no copy any more.
    _write(root, "alpha", _skill("alpha", SHARED, title="Snapshots"))
    assert _drift(_same_as_full(root, cache), root) == []
    # A new skill with the old text drifts; deleting it (and its folder) removes the finding.
    _write(root, "epsilon", _skill("epsilon", SHARED))
    assert _drift(_same_as_full(root, cache), root) == [
        ("epsilon", 8, _message(path["beta"], 8, edited_there=True))
    ]
    shutil.rmtree(root / "epsilon")
    _age(root)
    assert _drift(_same_as_full(root, cache), root) == []
    # Two and two again, then the first holder of the original text is deleted: the other
    # text is now the one most skills share.
    _write(root, "alpha", _skill("alpha", SHARED))
    _write(root, "delta", _skill("delta", SHARED))
    assert _drift(_same_as_full(root, cache), root) == [
        ("beta", 8, _message(path["alpha"], 8)),
        ("gamma", 8, _message(path["alpha"], 8)),
    ]
    shutil.rmtree(root / "alpha")
    _age(root)
    assert _drift(_same_as_full(root, cache), root) == [
        ("delta", 8, _message(path["beta"], 8, edited_there=True))
    ]


def test_settings_changes_give_a_full_runs_findings(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _write(root, "delta", _skill("delta", EDITED))
    assert len(_drift(_same_as_full(root, cache), root)) == 1
    loud = _same_as_full(root, cache, Settings(severity={"SK601": Severity.ERROR}))
    assert [d.severity for d in loud.diagnostics if d.code == "SK601"] == [Severity.ERROR]
    assert _drift(_same_as_full(root, cache, Settings(ignore=("SK601",))), root) == []
    _write(root, "gamma", _skill("gamma", EDITED))
    assert len(_drift(_same_as_full(root, cache, Settings(ignore=("SK601",))), root)) == 0
    # Back to the defaults, whose state predates gamma's change: checked again.
    assert len(_drift(_same_as_full(root, cache), root)) == 2
    assert len(_drift(_same_as_full(root, cache, workers=2), root)) == 2


def test_a_skill_with_its_own_settings_keeps_its_facts_in_the_cache(
    root: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    own = Settings(target="claude-code")

    def settings_for(path: Path) -> Settings:
        return own if path.parent.name == "beta" else Settings()

    def run(cache_dir: Path | None) -> LintResult:
        return lint_paths([root], cache_dir=cache_dir, settings_for=settings_for, workers=1)

    _write(root, "delta", _skill("delta", EDITED))
    run(cache)
    for found in cache.rglob("project-*"):  # lost: every skill's facts are read back
        found.unlink()
    _write(root, "gamma", _skill("gamma", EDITED))
    assert run(cache).diagnostics == run(None).diagnostics


def _cache_files(cache: Path, prefix: str) -> Iterator[Path]:
    return (path for path in cache.rglob(f"{prefix}*") if path.is_file())


def _resign(path: Path, change: Callable[[dict[object, object]], dict[object, object]]) -> None:
    """Rewrite a cache file's entries, with a valid checksum (malformed, yet 'signed')."""
    data = path.read_bytes()
    header = len(cache_module.MAGIC) + hashing.DIGEST_SIZE
    version, build, entries = marshal.loads(data[header:])
    payload = marshal.dumps((version, build, change(entries)))
    path.write_bytes(cache_module.MAGIC + hashing.digest(payload) + payload)


@pytest.mark.parametrize(
    "change",
    [
        lambda entries: {**entries, "findings": (("a", (1, 2)),)},
        lambda entries: {**entries, "findings": ["not", "a", "tuple"]},
        lambda entries: {**entries, "findings": ((1, ()),)},
        lambda entries: {"findings": entries["findings"]},
    ],
    ids=["findings-malformed", "findings-not-a-tuple", "findings-path", "no-run"],
)
def test_a_project_state_that_does_not_agree_is_not_trusted(
    root: Path,
    tmp_path: Path,
    change: Callable[[dict[object, object]], dict[object, object]],
    full_checks: list[int],
) -> None:
    cache = tmp_path / "cache"
    _write(root, "delta", _skill("delta", EDITED))
    _same_as_full(root, cache)
    assert full_checks == [1]
    for path in _cache_files(cache, "project"):
        _resign(path, change)
    assert len(_drift(_same_as_full(root, cache), root)) == 1
    assert full_checks == [1, 1]  # checked over every skill again, not from the bad state
    assert len(_drift(_same_as_full(root, cache), root)) == 1
    assert full_checks == [1, 1]  # and the state it wrote is trusted again


def test_a_project_rule_that_raises_reports_as_in_a_full_run(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _same_as_full(root, cache)

    def broken(
        collected: Sequence[tuple[str, Any]], context: Context
    ) -> Iterator[tuple[str, Finding]]:
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setitem(RULES, "SK601", dataclasses.replace(SECTION_DRIFT, check_project=broken))
    _write(root, "delta", _skill("delta", EDITED))
    settings = Settings()  # a new object: the rules in force are looked up again
    cached = _same_as_full(root, cache, settings)
    crashes = [d for d in cached.diagnostics if d.code == "SK000"]
    assert [(d.path, d.message) for d in crashes] == [
        (
            str(root / "alpha" / "SKILL.md"),
            "rule SK601 (section-drift) failed: RuntimeError: boom; please report this",
        )
    ]


def test_a_run_over_part_of_the_skills_then_over_all(root: Path, tmp_path: Path) -> None:
    # A run over one folder (a pre-commit hook naming the changed files), then over all: the
    # others' results and facts come from the cache.
    cache = tmp_path / "cache"
    _write(root, "delta", _skill("delta", EDITED))
    _same_as_full(root, cache)
    _write(root, "alpha", _skill("alpha", EDITED))
    single = lint_paths([root / "alpha" / "SKILL.md"], cache_dir=cache, workers=1)
    assert single.diagnostics == lint_paths([root / "alpha" / "SKILL.md"], workers=1).diagnostics
    _same_as_full(root / "alpha", cache)
    _write(root, "gamma", _skill("gamma", EDITED))
    result = _same_as_full(root, cache)
    assert result.cache_hits == 3
    assert len(_drift(result, root)) == 1  # beta's copy: the others now share the edited one


def test_lost_facts_and_state_are_linted_again(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _write(root, "delta", _skill("delta", EDITED))
    _same_as_full(root, cache)
    for prefix in ("facts", "project"):
        for path in _cache_files(cache, prefix):
            path.write_bytes(b"lost")
    _write(root, "gamma", _skill("gamma", EDITED))
    assert len(_drift(_same_as_full(root, cache), root)) == 2
    _write(root, "gamma", _skill("gamma", SHARED))
    assert len(_drift(_same_as_full(root, cache), root)) == 1
