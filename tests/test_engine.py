"""The engine's one runner and its parts: the flow is the same for lint, --watch and the editor;
the cache and the pool are given to the runner, never imported by it; settings have one key."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from skillkit.context import ProjectContext, RenderView
from skillkit.diagnostics import Severity
from skillkit.engine.check import FileResult, project_context
from skillkit.engine.library import lint_paths
from skillkit.engine.per_file import lint_serially
from skillkit.engine.runner import Job, Outcome, Signer, each_file_in_turn, run
from skillkit.engine.selection import active_rules
from skillkit.model import ProblemKind
from skillkit.parse import parse_text, read_source
from skillkit.parse.frontmatter import parse_front_matter
from skillkit.render.engine import rendered_outputs
from skillkit.settings import Settings
from skillkit.watch import IncrementalLinter
from tests.helpers import write_skill

GOOD = (
    "---\nname: {name}\ndescription: Deploys the {name} app to staging. Use when asked to.\n---\n"
)
SHARED_SETUP = (
    "---\nname: {name}\ndescription: Deploys the {name} app to staging. Use when the user asks "
    "to deploy.\n---\n\n# {name}\n\n{comment}## Setup\n\nRun `make setup` first, then {tail}.\n"
)


def _imported(args: Sequence[str], cwd: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "skillkit", "lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}


def test_a_plain_lint_of_one_file_loads_neither_the_cache_nor_the_pool(tmp_path: Path) -> None:
    write_skill(tmp_path, GOOD.format(name="alpha"), "alpha")
    imported = _imported(["--no-cache", "alpha/SKILL.md"], tmp_path)
    assert "skillkit.engine.runner" in imported  # the measure works
    assert imported & {"skillkit.engine.cache", "skillkit.engine.pool", "multiprocessing"} == set()
    assert {name for name in imported if name.startswith("pathspec")} == set()  # (no .gitignore)


def test_a_warm_cached_run_parses_nothing(tmp_path: Path) -> None:
    skill = write_skill(tmp_path, GOOD.format(name="alpha"), "alpha")
    old = 1_000_000_000  # old enough for the cache to trust the stats
    for path in (skill, skill.parent, tmp_path):
        os.utime(path, (old, old))
    _imported(["."], tmp_path)  # cold: fills the cache
    warm = _imported(["."], tmp_path)
    assert "skillkit.engine.cache" in warm
    assert warm & {"skillkit.parse", "yaml", "skillkit.engine.pool"} == set()


def test_settings_have_one_key_and_hash_by_it() -> None:
    one = Settings(severity={"SK121": Severity.ERROR}, ignore=("SK122",))
    two = Settings(severity={"SK121": Severity.ERROR}, ignore=("SK122",))
    assert one.key == two.key and one == two and hash(one) == hash(two)
    assert {one: "found"}[two] == "found"
    assert one.key != Settings().key
    assert Settings(target="codex").key != Settings().key
    assert one.key is one.key  # computed once


def test_what_is_derived_from_settings_is_kept_with_them() -> None:
    settings = Settings(select=("SK1",))
    calls: list[Settings] = []

    def derive(given: Settings) -> int:
        calls.append(given)
        return len(calls)

    assert settings.derived("n", derive) == settings.derived("n", derive) == 1
    copy = replace(settings, ignore=("SK101",))
    assert copy.derived("n", derive) == 2  # a copy derives afresh
    assert settings == replace(settings)  # the memo is no part of the settings
    assert active_rules(settings) is active_rules(settings)
    assert "SK101" not in {rule.code for rule in active_rules(copy)}


def test_settings_pickle_without_what_was_derived_from_them() -> None:
    # A spawned worker process (the pool's on macOS and Windows) gets its settings pickled: the
    # rules and the context derived from them do not pickle, and are derived there again.
    settings = Settings(select=("ALL",))
    rules = active_rules(settings)
    project_context(settings)
    copy = pickle.loads(pickle.dumps(settings))
    assert copy == settings and copy.key == settings.key
    assert active_rules(copy) == rules and active_rules(copy) is not rules


def test_what_a_context_derives_is_kept_with_it_and_never_shared_with_another_view() -> None:
    settings = Settings(select=("SK1",))
    engine = project_context(settings)
    assert project_context(settings) is engine  # one a settings object
    calls: list[RenderView | None] = []

    def derive(context: ProjectContext) -> RenderView | None:
        calls.append(context.render)
        return context.render

    skill = parse_text(GOOD.format(name="demo"), Path("demo/SKILL.md"))
    view = engine.render
    assert view is not None and view.outputs is None  # (file rules never render)
    file_context = engine.for_skill(skill, parse_front_matter)
    assert engine.derived(derive) is file_context.derived(derive) is view
    # Built outside the engine (a test, a tool), without its render view: derives on its own.
    apart = ProjectContext(engine.target, settings)
    assert apart.derived(derive) is None
    assert calls == [view, None]


def test_a_failed_read_becomes_the_problem_of_the_source(tmp_path: Path) -> None:
    missing = read_source(tmp_path / "SKILL.md")
    assert missing.problem is not None and missing.problem.kind is ProblemKind.UNREADABLE
    assert missing.problem.message == "cannot read file: No such file or directory"
    large = tmp_path / "large.md"
    large.write_bytes(b"x" * 101)
    too_large = read_source(large, max_bytes=100)
    assert too_large.problem is not None and too_large.problem.kind is ProblemKind.TOO_LARGE
    assert too_large.problem.message == (
        "file is 101 bytes, over the limit of 100 (option `max-file-bytes`); it was not parsed"
    )
    read = read_source(large)
    assert (read.data, read.problem) == (b"x" * 101, None)
    assert read.status is not None and read.status.st_size == 101


def test_the_runner_lints_through_the_part_it_is_given(tmp_path: Path) -> None:
    for name in ("beta", "alpha"):
        write_skill(tmp_path, GOOD.format(name=name), name)
    seen: list[tuple[list[str], Signer | None]] = []

    def recording(jobs: Sequence[Job], signer: Signer | None) -> list[Outcome]:
        seen.append(([path.parent.name for path, _settings in jobs], signer))
        return lint_serially(jobs, signer)

    result = run([tmp_path], Settings(), recording, render_outputs=rendered_outputs)
    assert seen == [(["alpha", "beta"], None)]  # once, in path order, unsigned without a cache
    assert result == lint_paths([tmp_path], Settings())


def test_each_file_in_turn_replaces_the_per_file_lint(tmp_path: Path) -> None:
    for name in ("beta", "alpha"):
        write_skill(tmp_path, GOOD.format(name=name), name)
    order: list[str] = []

    def step(path: Path, settings: Settings) -> FileResult:
        order.append(path.parent.name)
        return FileResult(str(path), ())

    result = run([tmp_path], Settings(), each_file_in_turn(step), render_outputs=rendered_outputs)
    assert order == ["alpha", "beta"]
    assert result.diagnostics == []


@pytest.mark.parametrize("suppressed", [False, True])
def test_watch_and_lint_agree_on_suppressed_project_findings(
    tmp_path: Path, suppressed: bool
) -> None:
    # A project rule's finding in a file whose comment suppresses it: lint drops it, and the
    # watch, through the same runner, does too (it used to report it).
    comment = "<!-- skillkit: disable-next-line SK601 -->\n" if suppressed else ""
    write_skill(
        tmp_path, SHARED_SETUP.format(name="alpha", comment="", tail="check the logs"), "alpha"
    )
    write_skill(
        tmp_path,
        SHARED_SETUP.format(name="beta", comment=comment, tail="check the log files"),
        "beta",
    )
    settings = Settings(shared_sections=("Setup",))
    linted = lint_paths([tmp_path], settings).diagnostics
    assert [d.code for d in linted] == ([] if suppressed else ["SK601"])
    assert IncrementalLinter(settings).run([tmp_path]).diagnostics == linted
