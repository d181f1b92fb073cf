"""`skillkit lint --watch`: a watched folder edited by the test; the watcher runs in a subprocess
(the real command line, stopped with Ctrl-C) or a thread (stopped with an event), always bounded
by timeouts."""

from __future__ import annotations

import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from skillkit.diagnostics import Finding, Severity
from skillkit.engine.runner import LintResult
from skillkit.model import Span
from skillkit.registry import CODES_BY_NAME, RULES, Context, Example, ProjectRule, Rule, register
from skillkit.settings import Settings
from skillkit.watch import IncrementalLinter, watch_lint
from tests.helpers import write_skill

TIMEOUT = 30.0  # generous: a loaded machine is slow, and a pass is fast anyway
GOOD = (
    "---\nname: {name}\ndescription: Formats CSV files. Use when the user asks for CSV.\n---\n# T\n"
)
SHORT = "---\nname: {name}\ndescription: short\n---\n# T\n"


class Lines:
    """The lines a process or a thread writes, read with a timeout."""

    def __init__(self) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []

    def feed(self, stream: Any) -> None:
        for line in iter(stream.readline, ""):
            self.queue.put(line.rstrip("\n"))

    def until(self, predicate: Any, what: str) -> list[str]:
        """The lines up to and including the first that matches."""
        got: list[str] = []
        while True:
            try:
                line = self.queue.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no {what} in time; saw {self.seen}") from None
            self.seen.append(line)
            got.append(line)
            if predicate(line):
                return got

    def report(self) -> list[str]:
        """The next whole report: from a run header to the `watching` line."""
        lines = self.until(
            lambda line: line.endswith("watching for changes (Ctrl-C to stop)"), "report"
        )
        return [line.split("] ", 1)[1] if line.startswith("[") else line for line in lines][:-1]


class QueueStream(io.TextIOBase):
    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.buffer = ""

    def write(self, text: str) -> int:
        self.buffer += text
        while "\n" in self.buffer:
            line, self.buffer = self.buffer.split("\n", 1)
            self.lines.queue.put(line)
        return len(text)


def watching(folder: Path, *argv: str) -> tuple[subprocess.Popen[str], Lines]:
    """`skillkit *argv` started in `folder`, and the lines it prints as they come."""
    process = subprocess.Popen(
        [sys.executable, "-m", "skillkit", *argv],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    lines = Lines()
    threading.Thread(target=lines.feed, args=(process.stdout,), daemon=True).start()
    return process, lines


def save(path: Path, text: str) -> None:
    """Save as editors do, in one step (write a temporary file, then rename it over)."""
    temporary = path.with_name(path.name + ".part~")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def watched(tmp_path: Path) -> Path:
    for name in ("alpha", "beta"):
        write_skill(tmp_path, GOOD.format(name=name), name)
    return tmp_path


def test_lint_watch_command_line(watched: Path) -> None:
    process, lines = watching(watched, "lint", "--watch", "--format", "concise", ".")
    try:
        assert lines.report() == ["lint: 2 files, 2 re-linted"]
        save(watched / "alpha" / "SKILL.md", SHORT.format(name="alpha"))
        assert lines.report() == [
            "1 change: 2 files, 1 re-linted",
            "alpha/SKILL.md:3:14: SK121 `description` is 5 characters long; say what the skill "
            "does and when to use it in at least 40",
            "alpha/SKILL.md:3:14: SK122 `description` says what the skill does but not when to "
            'use it (add "Use when ...")',
        ]
        # A config file that appears is read: its settings apply to every skill.
        save(watched / "skillkit.toml", 'ignore = ["SK122"]\n')
        assert lines.report() == [
            "1 change: 2 files, 2 re-linted",
            "alpha/SKILL.md:3:14: SK121 `description` is 5 characters long; say what the skill "
            "does and when to use it in at least 40",
        ]
        # A file that is no skill's and no config (a report, say) does not wake the linter;
        # the next change does, and only the changed skill is read again.
        (watched / "report.txt").write_text("x\n", encoding="utf-8")
        save(watched / "alpha" / "SKILL.md", GOOD.format(name="alpha"))
        assert lines.report() == ["1 change: 2 files, 1 re-linted"]
        # A new skill is found; a removed one is gone (each moved in or out in one step).
        outside = watched.parent / "outside"
        write_skill(outside, SHORT.format(name="gamma"), "gamma")
        os.replace(outside / "gamma", watched / "gamma")
        report = lines.report()
        assert report[0].endswith(": 3 files, 1 re-linted"), report
        assert [line.split(" `", 1)[0] for line in report[1:]] == ["gamma/SKILL.md:3:14: SK121"]
        os.replace(watched / "gamma", outside / "gamma")
        report = lines.report()
        assert report[0].endswith(": 2 files, 0 re-linted"), report
        assert report[1:] == []
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == 0
        lines.until(lambda line: line.endswith("] stopped"), "stop line")
        assert process.stderr is not None
        assert process.stderr.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)


def test_lint_watch_in_a_thread_with_cross_file_rule(
    watched: Path, duplicate_name_rule: Rule
) -> None:
    lines = Lines()
    stop = threading.Event()
    out = QueueStream(lines)

    def write_report(result: LintResult, stream: Any) -> None:
        for d in result.diagnostics:
            stream.write(
                f"{Path(d.path).relative_to(watched)}:{d.span.line} {d.code} {d.message}\n"
            )

    codes: list[int] = []
    thread = threading.Thread(
        target=lambda: codes.append(
            watch_lint([watched], write_report, stop_event=stop, out=out)  # type: ignore[arg-type]
        ),
        daemon=True,
    )
    thread.start()
    try:
        assert lines.report() == ["lint: 2 files, 2 re-linted"]
        # beta now claims alpha's name: a cross-file finding appears on both.
        save(watched / "beta" / "SKILL.md", GOOD.format(name="alpha"))
        report = lines.report()
        assert report[0] == "1 change: 2 files, 1 re-linted"
        assert sorted(report[1:]) == [
            "alpha/SKILL.md:2 SK699 name `alpha` is used by 2 skills",
            "beta/SKILL.md:2 SK112 `name` is `alpha` but the folder is `beta`; they must be equal",
            "beta/SKILL.md:2 SK699 name `alpha` is used by 2 skills",
        ]
        # Fixing beta clears the cross-file finding on alpha too, with alpha not re-linted.
        save(watched / "beta" / "SKILL.md", GOOD.format(name="beta"))
        assert lines.report() == ["1 change: 2 files, 1 re-linted"]
    finally:
        stop.set()
        thread.join(timeout=TIMEOUT)
    assert not thread.is_alive()
    assert codes == [0]


def test_incremental_linter_relints_only_what_changed(watched: Path) -> None:
    linter = IncrementalLinter(Settings())
    assert linter.run([watched]).diagnostics == []
    assert sorted(Path(p).parent.name for p in linter.relinted) == ["alpha", "beta"]
    linter.run([watched])
    assert linter.relinted == []
    (watched / "beta" / "SKILL.md").write_text(SHORT.format(name="beta"), encoding="utf-8")
    result = linter.run([watched])
    assert [Path(p).parent.name for p in linter.relinted] == ["beta"]
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("SK121", 3), ("SK122", 3)]
    # A change in a skill's folder (a reference appearing) re-checks that skill.
    linter.forget([watched / "alpha" / "references" / "notes.md"])
    linter.run([watched])
    assert [Path(p).parent.name for p in linter.relinted] == ["alpha"]
    # Other settings are another key.
    linter.settings = Settings(target="viberun")
    linter.run([watched])
    assert len(linter.relinted) == 2


def test_matters(watched: Path) -> None:
    linter = IncrementalLinter(Settings())
    linter.run([watched])
    assert linter.matters(watched / "alpha" / "SKILL.md")
    assert linter.matters(watched / "alpha" / "references" / "x.md")
    assert linter.matters(watched / "skillkit.toml")
    assert linter.matters(watched)  # a folder
    assert not linter.matters(watched / "report.txt")


@pytest.fixture
def duplicate_name_rule() -> Iterator[Rule]:
    """A cross-file rule for this test only (registered, then removed)."""

    def collect(skill: Any, context: Context) -> tuple[str, int] | None:
        item = skill.front_matter.get("name")
        return (str(item.value.scalar), item.value.span.line) if item else None

    def check_project(
        collected: Sequence[tuple[str, Any]], context: Context
    ) -> Iterator[tuple[str, Finding]]:
        by_name: dict[str, list[tuple[str, int]]] = {}
        for path, facts in collected:
            if facts:
                by_name.setdefault(facts[0], []).append((path, facts[1]))
        for name, places in by_name.items():
            if len(places) > 1:
                for path, line in places:
                    yield (
                        path,
                        Finding(Span.at(line), f"name `{name}` is used by {len(places)} skills"),
                    )

    rule = register(
        ProjectRule(
            code="SK699",
            name="test-duplicate-name",
            severity=Severity.ERROR,
            summary="test only",
            rationale="test only",
            bad=Example(""),
            good=Example(""),
            collect=collect,
            check_project=check_project,
        )
    )
    try:
        yield rule
    finally:
        del RULES[rule.code]
        del CODES_BY_NAME[rule.name]


RENDER_PLAN = """\
[tool.skillkit.render]
[[tool.skillkit.render.outputs]]
template = "demo.md.j2"
path = "demo/SKILL.md"

[tool.skillkit.render.outputs.front-matter]
name = "demo"
description = "Formats CSV files. Use when the user asks for CSV."
"""


def test_render_watch_command_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(RENDER_PLAN, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "demo.md.j2"
    template.write_text("# demo\n\nVersion one.\n", encoding="utf-8")
    output = tmp_path / "skills" / "demo" / "SKILL.md"
    process, lines = watching(tmp_path, "render", "--watch", "--format", "concise")

    def run_report() -> list[str]:
        got = lines.until(lambda line: "render exited" in line, "render run")
        return [line.split("] ", 1)[1] if line.startswith("[") else line for line in got]

    try:
        assert run_report() == [
            "render: start",
            "wrote skills/demo/SKILL.md",
            "Rendered 1 output: 1 written, 0 unchanged.",
            "render exited 0; watching for changes (Ctrl-C to stop)",
        ]
        assert output.read_text(encoding="utf-8").endswith("# demo\n\nVersion one.\n")
        save(template, "# demo\n\nVersion two.\n")
        assert run_report() == [
            "render: 1 change",
            "wrote skills/demo/SKILL.md",
            "Rendered 1 output: 1 written, 0 unchanged.",
            "render exited 0; watching for changes (Ctrl-C to stop)",
        ]
        assert output.read_text(encoding="utf-8").endswith("# demo\n\nVersion two.\n")
        # The render's own writes, and files outside templates/, do not start a run: the next
        # run is the one the next template edit starts, and a broken template does not end it.
        (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
        save(template, "# demo\n\n{% if %}\n")
        broken = run_report()
        assert broken[0] == "render: 1 change"
        assert broken[-1].startswith("render exited ") and broken[-1] != (
            "render exited 0; watching for changes (Ctrl-C to stop)"
        )
        assert any(" SK7" in line for line in broken), broken
        assert output.read_text(encoding="utf-8").endswith("# demo\n\nVersion two.\n")
        save(template, "# demo\n\nVersion three.\n")
        assert run_report()[-1] == "render exited 0; watching for changes (Ctrl-C to stop)"
        assert output.read_text(encoding="utf-8").endswith("# demo\n\nVersion three.\n")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == 0
        lines.until(lambda line: line.endswith("] stopped"), "stop line")
        assert process.stderr is not None
        assert process.stderr.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)


def test_lint_start_up_imports_no_watch_or_editor_library(tmp_path: Path) -> None:
    """`skillkit lint` (its --watch flag included in the parser) loads neither watchfiles nor
    pygls, lsprotocol or jinja2 when it does not use them."""
    write_skill(tmp_path, GOOD.format(name="alpha"), "alpha")
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "skillkit", "lint", "--no-cache", "alpha"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert imported & {"watchfiles", "pygls", "lsprotocol", "jinja2"} == set()
    assert "skillkit.engine.runner" in imported  # the measure works


def test_lint_watch_json_keeps_stdout_json(watched: Path) -> None:
    # The status lines go to stderr: stdout is the JSON reports alone, one document per run.
    process = subprocess.Popen(
        [sys.executable, "-m", "skillkit", "lint", "--watch", "--format", "json", "."],
        cwd=watched,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    out, err = Lines(), Lines()
    threading.Thread(target=out.feed, args=(process.stdout,), daemon=True).start()
    threading.Thread(target=err.feed, args=(process.stderr,), daemon=True).start()
    try:
        assert err.report() == ["lint: 2 files, 2 re-linted"]
        assert out.until(lambda line: True, "a JSON report") == ["[]"]
        save(watched / "alpha" / "SKILL.md", SHORT.format(name="alpha"))
        assert err.report() == ["1 change: 2 files, 1 re-linted"]
        document = json.loads("\n".join(out.until(lambda line: line == "]", "a JSON report")))
        assert [item["code"] for item in document] == ["SK121", "SK122"]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == 0
        err.until(lambda line: line.endswith("] stopped"), "stop line")
        assert out.queue.empty()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)
