"""What a rule may know besides the skill: its context.

The engine makes one `ProjectContext` for each settings in force (the target profile, the
settings, and a memo of what is derived from the settings alone, such as SK601's render plan
patterns), and from it a `Context` for each file it checks, which adds two things of that file:

- `files`: the file system as rules see it. Rules never call `os` or `pathlib` on their own: each
  question (does this path exist, what does this folder hold, what does this file say) goes
  through `files`, which answers it once per file and records what the answer depended on. The
  lint cache takes a file's dependencies from that record (see `Files.dependencies`), so that a
  result is used again only while everything the rules looked at is unchanged, without the cache
  knowing any rule's internals.
- `analysis`: data derived from the skill that several rules read (the programs its commands
  run, their grammar problems), computed on first use and shared by the rules of that file.

Project rules get the `ProjectContext` alone: they check facts, never files.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from skillkit.analysis import Analysis
from skillkit.memo import Memo
from skillkit.reading import read_regular_file

if TYPE_CHECKING:
    from skillkit.model import FrontMatter, Problem, Skill
    from skillkit.outputs.plan import Plan
    from skillkit.render.engine import Output
    from skillkit.rules.base import RuleOption
    from skillkit.settings import Settings
    from skillkit.targets import Target

T = TypeVar("T")

# The parser's reader of YAML with positions (`skillkit.parse.frontmatter.parse_front_matter`):
# a file's lines → its front matter, the body's first line, and the problems.
FrontMatterParser = Callable[[Sequence[str]], tuple["FrontMatter", int, list["Problem"]]]


# Each output of a plan rendered in memory (`skillkit.render.rendered_outputs`).
RenderedOutputs = Callable[["Plan", "Settings"], Iterable["Output"]]


@dataclass(frozen=True)
class RenderView:
    """What rules may learn of the project's render plan (SK601: which output a skill is, which
    partial wrote a line of it). The engine gives it: the renderer lints its outputs with the
    rules, so a rule cannot import the renderer itself."""

    plan: Callable[[Settings], Plan]  # the settings' plan (raises PlanError for a broken one)
    # How the entry point renders a plan's outputs, for the project rules (None for file rules,
    # which never render): given by it, because Jinja is heavy to import and the command line
    # loads it only when a project rule asks.
    outputs: RenderedOutputs | None


@dataclass(frozen=True)
class ProjectContext:
    """What a rule may know besides the skill: the target profile and the settings in force."""

    target: Target
    settings: Settings
    render: RenderView | None = field(default=None, repr=False, compare=False)
    # What rules derive from the settings (and the render view), by the function that derives
    # it: built once for the many files checked under the same settings (see `derived`). The
    # engine's context is kept with the settings (one a settings object); another one, built
    # elsewhere (a test) has a memo of its own, so a value that depends on the render view is
    # never shared between contexts with different views.
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)

    def option(self, option: RuleOption) -> Any:
        """The value of one of the rule's declared options: the settings' own, else its default."""
        return self.settings.options.get(option.name, option.default)

    def derived(self, derive: Callable[[ProjectContext], T]) -> T:
        """`derive(context)`, a function of the settings (and of the render view), computed
        once for these settings."""
        return self.memo.get(derive, derive, self)

    def for_skill(self, skill: Skill, parse_front_matter: FrontMatterParser) -> Context:
        """The context of one skill's rules: this one's, with a file system view and an
        analysis of its own, and the parser's YAML reader (`parse_front_matter`)."""
        return Context(
            self.target,
            self.settings,
            self.render,
            self.memo,
            files=Files(),
            analysis=Analysis(skill),
            parse_front_matter=parse_front_matter,
        )


@dataclass(frozen=True)
class Context(ProjectContext):
    """A file rule's context: the project's, and the file system and analysis of one skill."""

    files: Files = field(kw_only=True)
    analysis: Analysis = field(kw_only=True)
    # For a rule that reads a YAML file of the skill (SK150: `agents/openai.yaml`), with the
    # positions the front matter has. Given by the parse step, which has loaded YAML already:
    # the rules' modules never import the parser, so a warm cached run loads no YAML.
    parse_front_matter: FrontMatterParser = field(kw_only=True)


# --- The file system as rules see it ------------------------------------------------------------

# What a path is, following symlinks (a dangling link is MISSING).
MISSING, FILE, FOLDER, OTHER = 0, 1, 2, 3

# How each recorded dependency is checked again (`stamp`): what the answer depended on.
LISTED = 0  # a folder's entries: its st_mtime_ns, stated before it was listed
PROBED = 1  # what a path is: its kind (MISSING, FILE, FOLDER, OTHER)
STATED = 2  # a file's bytes or size: (st_mtime_ns, st_size), stated before it was read
RESOLVED = 3  # where a path leads, every symlink on the way followed: the real path itself

Stamp = int | tuple[int, int] | str
# (path, how, stamp): `path` is absolute, `how` one of LISTED, PROBED, STATED, RESOLVED.
Dependency = tuple[str, int, Stamp]


def _kind(mode: int) -> int:
    if stat.S_ISREG(mode):
        return FILE
    if stat.S_ISDIR(mode):
        return FOLDER
    return OTHER


def kind_of(path: str) -> int:
    """What `path` is now (following symlinks): MISSING, FILE, FOLDER or OTHER."""
    try:
        return _kind(os.stat(path).st_mode)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return MISSING


def stamp(path: str, how: int) -> Stamp | None:
    """The stamp of a dependency as it is now (None for a folder or file that is gone): the
    recorded stamp still matches it exactly when the answer it gave still holds."""
    if how == PROBED:
        return kind_of(path)
    if how == RESOLVED:
        return os.path.realpath(path)
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    if how == LISTED:
        return status.st_mtime_ns if stat.S_ISDIR(status.st_mode) else None
    return (status.st_mtime_ns, status.st_size)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a folder (`Files.scan`): symlinks are not followed; `size` is that of a
    regular file, else 0."""

    name: str
    path: str
    kind: int  # FILE, FOLDER or OTHER (a symlink is OTHER)
    size: int


class Files:
    """The file system as one file's rules see it: each answer computed once, and recorded with
    what it depended on (see the module docstring).

    The record is conservative: an answer the cache cannot check again (a folder that could not
    be listed, a file that could not be read) makes the file's result uncacheable."""

    __slots__ = ("_kinds", "_listed", "_names", "_real", "_stated", "cacheable")

    def __init__(self) -> None:
        self._kinds: dict[str, int] = {}  # path → kind, for each path probed
        self._names: dict[str, frozenset[str] | None] = {}  # folder → its names, as `names` gave
        self._listed: dict[str, int] = {}  # folder → st_mtime_ns before it was listed
        self._stated: dict[str, tuple[int, int]] = {}  # file → (st_mtime_ns, st_size)
        self._real: dict[str, str] = {}  # path → its real path
        self.cacheable = True

    def kind(self, path: str) -> int:
        """What `path` is (following symlinks): MISSING, FILE, FOLDER or OTHER."""
        known = self._kinds.get(path)
        if known is None:
            known = self._kinds[path] = kind_of(path)
        return known

    def exists(self, path: str) -> bool:
        return self.kind(path) != MISSING

    def is_file(self, path: str) -> bool:
        return self.kind(path) == FILE

    def is_dir(self, path: str) -> bool:
        return self.kind(path) == FOLDER

    def names(self, folder: str) -> frozenset[str] | None:
        """The names in `folder`, exactly as the file system spells them; None when it is not a
        folder."""
        if folder in self._names:
            return self._names[folder]
        names: frozenset[str] | None = None
        try:
            # Stated before the listing: a change after it shows as a new mtime next time.
            status = os.stat(folder)
        except (OSError, ValueError):
            self._kinds[folder] = MISSING
        else:
            if stat.S_ISDIR(status.st_mode):
                self._listed[folder] = status.st_mtime_ns
                try:
                    names = frozenset(os.listdir(folder))
                except OSError:
                    names = frozenset()
                    self.cacheable = False  # (a chmod does not change the mtime)
            else:
                self._kinds[folder] = _kind(status.st_mode)
        self._names[folder] = names
        return names

    def scan(self, folder: str) -> list[Entry]:
        """The entries of `folder` (symlinks not followed), with the size of each regular file;
        [] when it cannot be listed."""
        entries: list[Entry] = []
        try:
            status = os.stat(folder)
            with os.scandir(folder) as listing:
                for found in listing:
                    if found.is_dir(follow_symlinks=False):
                        entries.append(Entry(found.name, found.path, FOLDER, 0))
                    elif found.is_file(follow_symlinks=False):
                        info = found.stat(follow_symlinks=False)
                        self._stated[found.path] = (info.st_mtime_ns, info.st_size)
                        entries.append(Entry(found.name, found.path, FILE, info.st_size))
                    else:
                        entries.append(Entry(found.name, found.path, OTHER, 0))
        except (OSError, ValueError):
            if self.kind(folder) == FOLDER:
                self.cacheable = False
            return []
        self._listed[folder] = status.st_mtime_ns
        return entries

    def read(self, path: str, max_bytes: int) -> bytes:
        """The bytes of the regular file `path` (see `skillkit.reading.read_regular_file`, whose
        errors it raises)."""
        try:
            data, status = read_regular_file(path, max_bytes)
        except FileNotFoundError:
            self._kinds[path] = MISSING
            raise
        except OSError:  # (UnreadableFile too) refused or unreadable: rare, and not recorded
            self.cacheable = False
            raise
        self._stated[path] = (status.st_mtime_ns, status.st_size)
        return data

    def real_path(self, path: str) -> str:
        """`path` with every symlink on the way resolved (a link anywhere above it too, which
        no folder's mtime would show when it is pointed elsewhere)."""
        known = self._real.get(path)
        if known is None:
            known = self._real[path] = os.path.realpath(path)
        return known

    def dependencies(self) -> tuple[Dependency, ...] | None:
        """What every answer depended on, with absolute paths; None when an answer cannot be
        checked again (the result is then not cached)."""
        if not self.cacheable:
            return None
        absolute = os.path.abspath
        found: list[Dependency] = [
            (absolute(folder), LISTED, mtime) for folder, mtime in self._listed.items()
        ]
        found.extend((absolute(path), PROBED, kind) for path, kind in self._kinds.items())
        found.extend((absolute(path), STATED, stated) for path, stated in self._stated.items())
        found.extend((absolute(path), RESOLVED, real) for path, real in self._real.items())
        return tuple(found)
