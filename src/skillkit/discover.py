"""Which files a lint run reads: `SKILL.md` files under the given paths.

Hidden folders are searched (`.claude/skills`, `.agents/skills`, `.curated` hold real skills);
`.git`, `node_modules`, virtual environments and what the repository's `.gitignore` files ignore
are not. Symlinked folders are not followed (a loop cannot trap the walk); a path given on the
command line is always read, and one that does not exist becomes a finding, not an exception.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

SKILL_FILE = "SKILL.md"
SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".skillkit_cache",
    }
)


@dataclass(frozen=True)
class Missing:
    """A path given by the user that cannot be linted, and why."""

    path: Path
    reason: str


def _is_virtualenv(folder: str) -> bool:
    return os.path.exists(os.path.join(folder, "pyvenv.cfg"))


def _repository_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _ignore_spec(folder: str) -> pathspec.GitIgnoreSpec | None:
    path = os.path.join(folder, ".gitignore")
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


class _Ignores:
    """The .gitignore files that apply to a folder: its own and those of its parents up to the
    repository root."""

    def __init__(self) -> None:
        self._cache: dict[str, pathspec.GitIgnoreSpec | None] = {}

    def spec(self, folder: str) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._cache:
            self._cache[folder] = _ignore_spec(folder)
        return self._cache[folder]

    def ignored(self, path: str, is_dir: bool, chain: Sequence[str]) -> bool:
        for base in chain:
            spec = self.spec(base)
            if spec is None:
                continue
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
        self.spec = pathspec.GitIgnoreSpec.from_lines(patterns)
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
) -> tuple[list[Path], list[Missing]]:
    """The skill files under `paths`, sorted and without duplicates, and the paths that failed.

    `exclude` globs are relative to `exclude_root` (the config's folder) and apply to files named
    on the command line too, so that a pre-commit hook, which names files, skips them as well."""
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
                for file in _walk(path, ignores, chain, respect_gitignore, exclude_spec):
                    found.setdefault(str(file), file)
                continue
            if path.is_symlink():
                missing.append(Missing(path, "broken symbolic link or symlink loop"))
            else:
                missing.append(Missing(path, "no such file or folder"))
        except OSError as error:
            missing.append(Missing(path, error.strerror or str(error)))
    return sorted(found.values(), key=lambda p: str(p)), missing


def _walk(
    top: Path,
    ignores: _Ignores,
    chain: list[str],
    respect_gitignore: bool,
    exclude: _Exclude | None,
) -> Iterator[Path]:
    # (shown path, real path, .gitignore chain)
    stack: list[tuple[str, str, list[str]]] = [(str(top), str(top.resolve()), chain)]
    while stack:
        shown, real, folder_chain = stack.pop()
        try:
            entries = list(os.scandir(shown))
        except OSError:
            continue
        if respect_gitignore and os.path.exists(os.path.join(real, ".gitignore")):
            folder_chain = [*folder_chain, real] if real not in folder_chain else folder_chain
        folders: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            real_child = os.path.join(real, name)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if respect_gitignore and ignores.ignored(real_child, is_dir, folder_chain):
                continue
            if exclude is not None and exclude.excluded(entry.path, is_dir):
                continue
            if is_dir and name == SKILL_FILE:
                yield Path(entry.path)  # reading it fails, and that is reported
                continue
            if is_dir:
                if name in SKIPPED_FOLDERS or _is_virtualenv(entry.path):
                    continue
                folders.append((entry.path, real_child))
            elif name == SKILL_FILE:
                yield Path(entry.path)
        for folder in sorted(folders, reverse=True):
            stack.append((folder[0], folder[1], folder_chain))
