"""Which files a lint run reads: `SKILL.md` files under the given paths.

Hidden folders are searched (`.claude/skills`, `.agents/skills`, `.curated` hold real skills);
`.git`, `node_modules`, virtual environments and what the repository's `.gitignore` files ignore
are not. Symlinked folders are not followed (a loop cannot trap the walk); a path given on the
command line is always read, and one that does not exist becomes a finding, not an exception.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillkit.diagnostics import Diagnostic
from skillkit.engine.selection import active_rules
from skillkit.lazy import lazy_module
from skillkit.model import Span
from skillkit.reading import UnreadableFile, read_file_bytes
from skillkit.registry import all_rules
from skillkit.rules.files import IGNORE_FILE_UNUSABLE, file_unreadable
from skillkit.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    import pathspec
else:  # loaded when a .gitignore or an exclude needs it: a named file never does
    pathspec = lazy_module("pathspec")

SKILL_FILE = "SKILL.md"
CACHE_FOLDER = ".skillkit_cache"  # the lint cache's folder, in the project root
# Folders that never hold a skill's content, and are too large or too busy to watch: neither
# discovered nor taken as a skill's dependencies by the lint cache.
UNWATCHED_FOLDERS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", CACHE_FOLDER})
# Folders discovery does not search for skills (nor does the watch wake for): those, virtual
# environments and tools' caches.
SKIPPED_FOLDERS = UNWATCHED_FOLDERS | {
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
}


VIRTUALENV_MARKER = "pyvenv.cfg"
IGNORE_FILE = ".gitignore"

# A folder's entries that discovery looks at: (name, is a folder). Folders, SKILL.md, and the
# files that change how a folder is walked; nothing else.
Listing = tuple[tuple[str, bool], ...]
Lister = Callable[[str], Listing]
_MARKERS = frozenset({SKILL_FILE, VIRTUALENV_MARKER, IGNORE_FILE})
IGNORE_FILE_MAX_BYTES = 1_000_000  # (a real .gitignore is a few kB)
# pathspec matches with RE2 (google-re2), in time linear in the path: with Python's `re`, a
# hostile `.gitignore` line such as `*a*a*a*a*a*a*a*a*a*a*b` takes seconds to minutes on one
# folder name of 30-40 characters.
MATCHER = "re2"


def list_folder(folder: str) -> Listing:
    """The entries of `folder` that discovery needs (raises OSError if it cannot be listed)."""
    entries: list[tuple[str, bool]] = []
    with os.scandir(folder) as listing:
        for entry in listing:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir or entry.name in _MARKERS:
                entries.append((entry.name, is_dir))
    return tuple(entries)


@dataclass(frozen=True)
class Missing:
    """A path that cannot be linted (SK001), or an ignore file's line that cannot be used
    (SK005), and why."""

    path: Path
    reason: str
    code: str = file_unreadable.code
    line: int = 1


def _repository_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def compile_ignore_lines(
    lines: Sequence[str],
) -> tuple[pathspec.GitIgnoreSpec, list[tuple[int, str, str]]]:
    """The spec of gitignore lines, and the (line number, pattern, reason) of each line that
    cannot be compiled (`!`, `a\\`, `[z-a]`: git ignores such a line, and so do we)."""
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines, backend=MATCHER), []
    except (ValueError, re.error):
        pass  # rare: find the bad lines one by one
    patterns: list[Any] = []
    bad: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, start=1):
        try:
            patterns.extend(pathspec.GitIgnoreSpec.from_lines([line]).patterns)
        except ValueError:
            bad.append((number, line, "not a valid pattern (git skips it too)"))
        except re.error as error:  # (its position is in pathspec's regex, not in the line)
            bad.append((number, line, error.msg))
    return pathspec.GitIgnoreSpec(patterns, backend=MATCHER), bad


def _shown(path: str) -> Path:
    """A path for a finding: relative to the working folder when it is under it."""
    relative = os.path.relpath(path)
    return Path(path if relative.startswith("..") else relative)


def _ignore_spec(folder: str, problems: list[Missing]) -> pathspec.GitIgnoreSpec | None:
    path = os.path.join(folder, IGNORE_FILE)
    try:
        data = read_file_bytes(path, IGNORE_FILE_MAX_BYTES)
    except UnreadableFile as refused:
        problems.append(
            Missing(
                _shown(path), f"{refused.reason}; it is skipped", code=IGNORE_FILE_UNUSABLE.code
            )
        )
        return None
    except OSError:
        return None  # gone since the listing, or unreadable as it is for git
    lines = data.decode("utf-8", "replace").splitlines()
    if not lines:
        return None
    spec, bad = compile_ignore_lines(lines)
    for number, pattern, reason in bad:
        problems.append(
            Missing(
                _shown(path),
                f"pattern `{pattern}` is skipped: {reason}",
                code=IGNORE_FILE_UNUSABLE.code,
                line=number,
            )
        )
    return spec


class _Ignores:
    """The .gitignore files that apply to a folder: its own and those of its parents up to the
    repository root."""

    def __init__(self) -> None:
        self._cache: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self.problems: list[Missing] = []  # ignore files (or lines) that cannot be used

    def spec(self, folder: str) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._cache:
            self._cache[folder] = _ignore_spec(folder, self.problems)
        return self._cache[folder]

    def ignored(self, path: str, is_dir: bool, chain: Sequence[str]) -> bool:
        for base in chain:
            spec = self.spec(base)
            if spec is None:
                continue
            # (paths here are real paths under `base`: slicing is relpath without its cost)
            if path.startswith(base) and path[len(base) : len(base) + 1] == os.sep:
                relative = path[len(base) + 1 :].replace(os.sep, "/")
            else:
                relative = os.path.relpath(path, base).replace(os.sep, "/")
            if is_dir:
                relative += "/"
            if spec.match_file(relative):
                return True
        return False


def _chain(folder: Path, root: Path | None) -> list[str]:
    if root is None:
        return [str(folder)]
    chain: list[str] = []
    current = folder
    while True:
        chain.append(str(current))
        if current == root or current.parent == current:
            break
        current = current.parent
    return chain[::-1]


class _Exclude:
    """The `exclude` globs of the config, matched relative to the config's folder."""

    def __init__(self, patterns: Sequence[str], root: Path | None) -> None:
        self.spec = pathspec.GitIgnoreSpec.from_lines(patterns, backend=MATCHER)
        self.root = str(root.resolve()) if root is not None else None

    def excluded(self, shown: str, is_dir: bool) -> bool:
        relative = shown
        if self.root is not None:
            candidate = os.path.relpath(os.path.abspath(shown), self.root)
            if not candidate.startswith(".."):
                relative = candidate
        relative = relative.replace(os.sep, "/")
        return self.spec.match_file(relative + ("/" if is_dir else ""))


def discover(
    paths: Sequence[Path | str],
    *,
    respect_gitignore: bool = True,
    exclude: Sequence[str] = (),
    exclude_root: Path | None = None,
    lister: Lister = list_folder,
) -> tuple[list[Path], list[Missing]]:
    """The skill files under `paths`, sorted and without duplicates, and the paths that failed.

    `exclude` globs are relative to `exclude_root` (the config's folder) and apply to files named
    on the command line too, so that a pre-commit hook, which names files, skips them as well.
    `lister` lists a folder by its real path (the lint cache passes one that remembers)."""
    found: dict[str, Path] = {}
    missing: list[Missing] = []
    ignores = _Ignores()
    exclude_spec = _Exclude(exclude, exclude_root) if exclude else None
    for given in paths:
        path = Path(given)
        try:
            if path.is_file() or (path.exists() and not path.is_dir()):
                if exclude_spec is None or not exclude_spec.excluded(str(path), False):
                    found.setdefault(str(path), path)
                continue
            if path.is_dir():
                root = _repository_root(path.resolve()) if respect_gitignore else None
                chain = _chain(path.resolve(), root) if respect_gitignore else []
                if chain and ignores.ignored(str(path.resolve()), True, chain[:-1]):
                    # A folder the user names is linted even if a .gitignore above it ignores
                    # it (as a file named is); only .gitignore files inside it then apply.
                    chain = chain[-1:]
                walk = _walk(path, ignores, chain, respect_gitignore, exclude_spec, lister)
                for file in walk:
                    found.setdefault(str(file), file)
                continue
            if path.is_symlink():
                missing.append(Missing(path, "broken symbolic link or symlink loop"))
            else:
                missing.append(Missing(path, "no such file or folder"))
        except OSError as error:
            missing.append(Missing(path, error.strerror or str(error)))
    missing.extend(ignores.problems)
    return sorted(found.values(), key=lambda p: str(p)), missing


def _walk(
    top: Path,
    ignores: _Ignores,
    chain: list[str],
    respect_gitignore: bool,
    exclude: _Exclude | None,
    lister: Lister,
) -> Iterator[Path]:
    # Hot: a corpus of thousands of skills has tens of thousands of sibling files. The lister
    # drops every entry but folders and markers, and a folder's own listing answers "is it a
    # virtualenv / has it a .gitignore" without another stat.
    # (shown path, real path, .gitignore chain, is the folder given by the user)
    stack: list[tuple[str, str, list[str], bool]] = [(str(top), str(top.resolve()), chain, True)]
    while stack:
        shown, real, folder_chain, given = stack.pop()
        try:
            entries = lister(real)
        except OSError as error:
            # A folder that cannot be listed may hold skills: say so rather than skip it.
            reason = error.strerror or type(error).__name__
            ignores.problems.append(Missing(Path(shown), f"cannot list folder: {reason}"))
            continue
        if not given and (VIRTUALENV_MARKER, False) in entries:
            continue
        if respect_gitignore and (IGNORE_FILE, False) in entries and real not in folder_chain:
            folder_chain = [*folder_chain, real]
        # os.path.join, without its cost per call
        real_prefix = real if real.endswith(os.sep) else real + os.sep
        shown_prefix = shown if shown.endswith(os.sep) else shown + os.sep
        folders: list[tuple[str, str]] = []
        for name, is_dir in entries:
            if is_dir:
                if name in SKIPPED_FOLDERS:
                    continue
            elif name != SKILL_FILE:
                continue
            real_child = real_prefix + name
            if respect_gitignore and ignores.ignored(real_child, is_dir, folder_chain):
                continue
            shown_child = shown_prefix + name
            if exclude is not None and exclude.excluded(shown_child, is_dir):
                continue
            if name == SKILL_FILE:
                yield Path(shown_child)  # a folder of that name: reading it fails, and is reported
            else:
                folders.append((shown_child, real_child))
        folders.sort(reverse=True)
        for shown_child, real_child in folders:
            stack.append((shown_child, real_child, folder_chain, False))


def discover_skills(
    paths: Sequence[Path | str],
    settings: Settings,
    *,
    respect_gitignore: bool = True,
    lister: Lister = list_folder,
) -> tuple[list[Path], list[Missing]]:
    """The skill files under `paths`, with the `exclude` globs of `settings` taken relative to
    its config's folder (shared by lint and watch, so both skip the same files)."""
    return discover(
        paths,
        respect_gitignore=respect_gitignore,
        exclude=settings.exclude,
        exclude_root=settings.config_path.parent if settings.config_path else None,
        lister=lister,
    )


def unreadable_diagnostics(
    missing: Iterable[Missing], settings: Settings = DEFAULT_SETTINGS
) -> list[Diagnostic]:
    """SK001 for each path that discovery could not read, SK005 for each ignore file (or line)
    it could not use, when that rule is on (shared by lint and watch)."""
    rules = all_rules()
    active = {rule.code for rule in active_rules(settings)}
    found: list[Diagnostic] = []
    for gone in missing:
        if gone.code == file_unreadable.code:
            message = file_unreadable.message("not-listed", why=gone.reason)
        elif gone.code in active:
            message = gone.reason
        else:
            continue
        rule = rules[gone.code]
        found.append(
            Diagnostic(
                path=str(gone.path),
                span=Span.at(gone.line),
                code=rule.code,
                name=rule.name,
                severity=settings.severity.get(rule.code, rule.severity),
                message=message,
            )
        )
    return found
