"""Watch modes: `skillkit lint --watch` and `skillkit render --watch` re-run on every change.

Linting is incremental: each file's result is kept in memory under its path and the hash of its
bytes (and of its settings), so a change re-parses and re-checks only the skills whose text
changed, or whose folder changed (a reference may now resolve); the cross-file rules then run
again over the facts of every skill, so their findings follow any edit. The commands import this
module (and with it watchfiles) only when a watch starts.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import watchfiles

from skillkit.cli import use_colour
from skillkit.commands.lint import formatter as formatter_named
from skillkit.diagnostics import Diagnostic
from skillkit.engine.check import Facts, FileResult
from skillkit.engine.discover import SKIPPED_FOLDERS, Listing, list_folder
from skillkit.engine.per_file import lint_serially
from skillkit.engine.runner import LintResult, ProjectCheck, Relint, run
from skillkit.errors import UsageError
from skillkit.hashing import digest
from skillkit.outputs import plan_for
from skillkit.outputs import settings_for as render_settings_for
from skillkit.reading import read_file_bytes
from skillkit.render.engine import rendered_outputs
from skillkit.settings import DEFAULT_SETTINGS, Settings
from skillkit.text import plural

if TYPE_CHECKING:
    from skillkit.context import Files
    from skillkit.engine.runner import SettingsFor
    from skillkit.parse import Source


CONFIG_FILES = frozenset({"skillkit.toml", "pyproject.toml"})
# Files whose change can change findings wherever they are.
TRIGGER_FILES = CONFIG_FILES | {"SKILL.md", ".gitignore"}


class StopEvent(Protocol):
    def is_set(self) -> bool: ...


class MemoryCache:
    """The watch's cache (a `skillkit.engine.runner.ResultCache`): each file's result kept in
    memory under its path, valid while the file's bytes and its settings are the same; a file
    whose folder changed is forgotten (a reference may now resolve). Each lookup reads the file
    (bounded) and hashes it: an edit within the same mtime tick still shows."""

    signer: ContentSigner

    def __init__(self) -> None:
        self.signer = ContentSigner()
        self.hits = 0
        self.relinted: list[str] = []  # the files the last run linted again, in order
        # shown path → ((content digest, settings key), result)
        self.results: dict[str, tuple[tuple[bytes, str], FileResult]] = {}

    def list_folder(self, folder: str) -> Listing:
        return list_folder(folder)

    def lookup(self, path: Path, shown: str, settings: Settings) -> FileResult | None:
        known = self.results.get(shown)
        try:
            data: bytes | None = read_file_bytes(path, settings.max_file_bytes)
        except OSError:
            data = None  # the lint reports why it cannot be read
        if known is not None and data is not None and known[0] == (digest(data), settings.key):
            self.hits += 1
            return known[1]
        self.relinted.append(shown)
        return None

    def store(self, path: Path, settings: Settings, result: FileResult, signature: Any) -> None:
        if isinstance(signature, bytes):
            self.results[result.path] = ((signature, settings.key), result)
        else:  # not read: kept for no next run
            self.results.pop(result.path, None)

    def cached_facts(self, shown: str) -> Facts | None:
        known = self.results.get(shown)
        return known[1].facts if known is not None else ()

    def project(
        self,
        results: Sequence[FileResult],
        settings: Settings,
        compute: ProjectCheck,
        relint: Relint,
    ) -> list[Diagnostic]:
        return compute(results)  # results in memory keep their facts

    def save(self) -> None:
        pass

    def keep_only(self, shown: Iterable[str]) -> None:
        """Forget the files that are gone (the last run did not find them)."""
        present = set(shown)
        for stale in set(self.results) - present:
            del self.results[stale]

    def forget(self, changed: Iterable[Path]) -> None:
        """Drop the results of skills in the folders of these changed paths."""
        folders = [str(Path(path).resolve().parent) for path in changed]
        for shown in list(self.results):
            folder = str(Path(shown).resolve().parent)
            if any(
                changed_folder == folder or changed_folder.startswith(folder + os.sep)
                for changed_folder in folders
            ):
                del self.results[shown]


class ContentSigner:
    """What the watch's cache keeps of a linted file: the digest of its bytes."""

    def signature(self, source: Source, files: Files, result: FileResult) -> bytes:
        return digest(source.data)


@dataclass
class IncrementalLinter:
    """Lints the same paths again and again, re-checking only what changed since last time:
    the one runner, with the watch's cache in memory around it."""

    settings: Settings = DEFAULT_SETTINGS
    settings_for: SettingsFor | None = None
    respect_gitignore: bool = True
    cache: MemoryCache = field(default_factory=MemoryCache)

    @property
    def relinted(self) -> list[str]:
        """The files the last run re-checked."""
        return self.cache.relinted

    def forget(self, changed: Iterable[Path]) -> None:
        """Drop the results of skills in the folders of these changed paths."""
        self.cache.forget(changed)

    def matters(self, changed: Path) -> bool:
        """Whether a changed path can change the findings: a skill file, a config or ignore
        file, a file in a skill's folder (a reference), or a folder (it may hold skills). Other
        files (a report written into the watched folder, say) do not wake the linter."""
        if changed.name in TRIGGER_FILES or changed.is_dir():
            return True
        resolved = changed.resolve()
        for shown in self.cache.results:
            folder = Path(shown).resolve().parent
            if folder in resolved.parents or folder == resolved or folder.is_relative_to(resolved):
                return True
        return False

    def run(self, paths: Sequence[Path | str]) -> LintResult:
        self.cache.relinted = []
        result = run(
            paths,
            self.settings,
            lint_serially,
            settings_for=self.settings_for,
            render_outputs=rendered_outputs,
            respect_gitignore=self.respect_gitignore,
            cache=self.cache,
        )
        self.cache.keep_only(result.files)
        return result


def watch_roots(paths: Sequence[Path | str]) -> list[Path]:
    """The folders to watch: each folder given, and the folder of each file given (an editor
    that saves by renaming replaces the file, and a watch on the file itself would lose it)."""
    roots: dict[str, Path] = {}
    for given in paths:
        path = Path(given)
        folder = path if path.is_dir() else path.parent
        if folder.is_dir():
            roots.setdefault(str(folder.resolve()), folder)
    return list(roots.values()) or [Path.cwd()]


def watch_changes(
    paths: Sequence[Path | str], stop_event: StopEvent | None = None
) -> Iterable[set[Path]]:
    """Batches of changed paths under `paths`, until Ctrl-C or `stop_event`; empty batches come
    every few hundred milliseconds, the first once the watch has started. Any file counts
    (a skill's reference may appear or go) except editors' swap files and the folders that
    discovery skips, the cache among them (a watch must not wake itself)."""
    # watchfiles logs its own "stopping" line on Ctrl-C; the command says what it needs to.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    ignored = (*watchfiles.DefaultFilter.ignore_dirs, *SKIPPED_FOLDERS)
    for changes in watchfiles.watch(
        *watch_roots(paths),
        watch_filter=watchfiles.DefaultFilter(ignore_dirs=tuple(dict.fromkeys(ignored))),
        stop_event=stop_event,
        raise_interrupt=False,
        debounce=800,
        step=100,
        rust_timeout=300,
        # The first (maybe empty) batch comes once the watch is in place: work done after it
        # cannot miss a change made meanwhile.
        yield_on_timeout=True,
    ):
        yield {Path(path) for _change, path in changes}


def _run_watch(
    paths: Sequence[Path | str],
    stop_event: StopEvent | None,
    stream: TextIO,
    start: Callable[[], None],
    on_change: Callable[[set[Path]], None],
) -> int:
    """`start` once the watch is in place, then `on_change` with every later batch, until the
    watch ends or Ctrl-C: either way a clean stop (exit 0). Ctrl-C may come inside watchfiles
    (which then ends the loop) or while a run is going (an exception)."""
    with contextlib.suppress(KeyboardInterrupt):
        started = False
        for batch in watch_changes(paths, stop_event):
            if started:
                on_change(batch)
            else:
                started = True
                start()
    stream.write(f"[{_stamp()}] stopped\n")
    stream.flush()
    return 0


def _stamp() -> str:
    return time.strftime("%H:%M:%S")


def watch_lint(
    paths: Sequence[Path | str],
    write_report: Callable[[LintResult, TextIO], None],
    load: Callable[[], SettingsFor] = lambda: lambda _path: DEFAULT_SETTINGS,
    *,
    respect_gitignore: bool = True,
    stop_event: StopEvent | None = None,
    out: TextIO | None = None,
    status: TextIO | None = None,
) -> int:
    """Lint `paths`, then again on every change, until Ctrl-C (exit 0). `load` gives the
    settings of each file; it is called again when a config file changes. The reports go to
    `out`, the `[12:00:00] ...` status lines to `status` (by default `out` too)."""
    report_stream = out or sys.stdout
    stream = status or report_stream
    settings_for = load()
    base = settings_for(Path(paths[0]) if paths else Path.cwd())
    linter = IncrementalLinter(base, settings_for, respect_gitignore)

    def reload() -> None:
        try:
            linter.settings_for = load()
        except Exception as error:  # a config half-written in the editor: keep the last one
            stream.write(f"[{_stamp()}] config not reloaded: {error}\n")
            return
        linter.settings = linter.settings_for(Path(paths[0]) if paths else Path.cwd())

    def lint_once(reason: str) -> None:
        result = linter.run(paths)
        stream.write(
            f"[{_stamp()}] {reason}: {plural(len(result.files), 'file')}, "
            f"{len(linter.relinted)} re-linted\n"
        )
        stream.flush()
        write_report(result, report_stream)
        report_stream.flush()
        stream.write(f"[{_stamp()}] watching for changes (Ctrl-C to stop)\n")
        stream.flush()

    def on_change(batch: set[Path]) -> None:
        changed = {path for path in batch if linter.matters(path)}
        if any(path.name in CONFIG_FILES for path in changed):
            reload()
        if changed:
            linter.forget(changed)
            lint_once(plural(len(changed), "change"))

    return _run_watch(paths, stop_event, stream, lambda: lint_once("lint"), on_change)


def lint_watch_command(args: argparse.Namespace, load: Callable[[], SettingsFor]) -> int:
    """`skillkit lint --watch`, with the lint command's parsed arguments; `load` reads the
    config afresh (it is called again when a config file changes)."""
    formatter = formatter_named(args.format)

    def write_report(result: LintResult, stream: TextIO) -> None:
        formatter(result.diagnostics, result.files, stream, use_colour(stream))

    return watch_lint(
        args.paths,
        write_report,
        load,
        respect_gitignore=not args.no_gitignore,
        # A machine-readable report stays parseable: the status lines go to stderr.
        status=None if args.format in ("full", "concise") else sys.stderr,
    )


def watch_command(
    run_once: Callable[[], int],
    paths: Sequence[Path | str],
    name: str,
    *,
    relevant: Callable[[Path], bool] = lambda _path: True,
    stop_event: StopEvent | None = None,
    out: TextIO | None = None,
) -> int:
    """Run a whole command (`render`) now and again on every relevant change under `paths`,
    until Ctrl-C. An error of one run (a template half-typed) is reported and the watch goes on."""
    stream = out or sys.stdout

    def once(reason: str) -> None:
        stream.write(f"[{_stamp()}] {name}: {reason}\n")
        stream.flush()
        try:
            code = run_once()
        except UsageError as error:
            stream.write(f"skillkit: error: {error}\n")
            code = 2
        stream.write(f"[{_stamp()}] {name} exited {code}; watching for changes (Ctrl-C to stop)\n")
        stream.flush()

    def on_change(batch: set[Path]) -> None:
        changed = {path for path in batch if relevant(path)}
        if changed:
            once(plural(len(changed), "change"))

    return _run_watch(paths, stop_event, stream, lambda: once("start"), on_change)


def render_watch_command(args: argparse.Namespace, run_once: Callable[[], int]) -> int:
    """`skillkit render --watch`: render again when a template or the config changes. The
    project folder is watched, but the outputs the render writes do not wake it."""
    settings = render_settings_for(args.root)
    root = settings.root if settings.config_path else Path(args.root)
    config = settings.config_path

    def relevant(path: Path) -> bool:
        resolved = path.resolve()
        if config is not None and resolved == config.resolve():
            return True
        if resolved.name in CONFIG_FILES and resolved.parent == root.resolve():
            return True
        try:
            plan = plan_for(args.root)
        except Exception:  # a config being edited: any change under the root may fix it
            return True
        templates = plan.templates.resolve()
        return resolved == templates or templates in resolved.parents

    return watch_command(run_once, [root], "render", relevant=relevant)


__all__ = [
    "IncrementalLinter",
    "lint_watch_command",
    "render_watch_command",
    "watch_changes",
    "watch_command",
    "watch_lint",
]
