"""The lint cache: each file's diagnostics and project-rule facts, reused while nothing they
depend on has changed.

An entry is valid for one file under one set of settings and one build of skillkit; it records
what the result depended on: the file (stat, and a content hash to fall back on) and whatever
the rules looked at through their context's file system view (`skillkit.context.Files`: folders
listed, paths probed, sibling files read, links followed). Nothing else: a file in the skill
folder that no rule looked at is no dependency. A warm run costs a few stats per file; a file
whose stat changed is hashed, and re-linted only if its bytes changed.

Files live in `.skillkit_cache/<version>/lint-<settings hash>` (one per settings in force), each a
header, a checksum and a `marshal` payload of plain tuples (marshal, unlike pickle, builds no
objects of arbitrary classes). A file that is corrupt, from another build or another Python, or
malformed in any way is ignored and rewritten, never trusted. Writes are atomic (a temporary file
renamed over the old one).
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import sys
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillkit import __version__
from skillkit.context import LISTED, PROBED, Dependency, Files, Stamp
from skillkit.context import stamp as context_stamp
from skillkit.diagnostics import Diagnostic
from skillkit.engine.cache_codec import decode_diagnostic, encode_diagnostic
from skillkit.engine.cache_project import project_findings
from skillkit.engine.check import Facts, FileResult, shared_strings
from skillkit.engine.discover import CACHE_FOLDER, Listing, list_folder
from skillkit.hashing import DIGEST_SIZE, digest
from skillkit.reading import read_file_bytes
from skillkit.settings import Settings

if TYPE_CHECKING:
    from skillkit.engine.runner import ProjectCheck, Relint
    from skillkit.parse import Source

MAGIC = b"skillkit-lint-cache\n"
FORMAT = 2
# A cache file larger than this was not written by skillkit (2,800 skills make a few MB).
CACHE_FILE_MAX_BYTES = 256 * 1024 * 1024
# A file or folder changed this close to the run's start may change again within the same mtime
# tick without its stat changing ("racy" in git's terms): its stat is not trusted next time.
RACY_NS = 2_000_000_000
MAX_TEMPLATE_FILES = 1_000
FACTS_SHARDS = 16

# What a result depended on: (path, how, stamp) triples (see skillkit.context).
Dependencies = tuple[Dependency, ...]
# More dependencies than this (a rule that weighed every file of a large folder) are not cached.
MAX_DEPENDENCIES = 1_024


@dataclasses.dataclass(frozen=True, slots=True)
class Signature:
    """What a file's result depended on: the file as it was read, and what its rules looked at."""

    mtime_ns: int
    size: int
    content: bytes  # digest of the bytes that were linted
    dependencies: Dependencies | None  # None: too many to track; the result is not cached


class DependencySigner:
    """What the cache records of a file as it is linted (see `skillkit.engine.runner.Signer`): the
    file's own stat and content digest, and what its rules looked at through their context.
    Holds nothing: sent to worker processes as it is."""

    def signature(self, source: Source, files: Files, result: FileResult) -> Signature:
        assert source.status is not None  # (a source that was read)
        dependencies = files.dependencies()
        if dependencies is not None and len(dependencies) > MAX_DEPENDENCIES:
            dependencies = None
        return Signature(
            source.status.st_mtime_ns, source.status.st_size, digest(source.data), dependencies
        )


def _templates_state(settings: Settings) -> tuple[tuple[str, int, int], ...] | str | None:
    """Each file of the render plan's templates folder with its size and mtime: SK601 reads
    the render line map of the plan's outputs (which partial wrote which line), so a result
    depends on the templates too. None when there is no plan; too many files to track give a
    key of this run alone (nothing cached under it is used again)."""
    if not settings.render:
        return None
    folder = settings.root / str(settings.render.get("templates", "templates"))
    try:
        if not folder.resolve().is_relative_to(settings.root.resolve()):
            return None  # rendering refuses it (SK706): there is no line map to depend on
    except (OSError, RuntimeError):
        return None
    found: list[tuple[str, int, int]] = []
    for parent, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            try:
                stat = os.stat(os.path.join(parent, name))
            except OSError:
                continue
            found.append((os.path.join(parent, name), stat.st_size, stat.st_mtime_ns))
        if len(found) > MAX_TEMPLATE_FILES:
            return f"untracked {os.getpid()} {time.time_ns()}"
    return tuple(found)


def settings_key(settings: Settings) -> str:
    """The key of the cache files of these settings: the settings' own key (the config's path,
    which the paths of `per-file-ignores` are relative to, is among them) and the state of the
    render plan's templates."""
    text = repr((settings.key, _templates_state(settings)))
    return digest(text.encode("utf-8", "surrogatepass")).hex()


def build_key() -> str:
    """skillkit's version, plus the size and mtime of each of its modules, so that a changed rule
    in a development checkout invalidates the cache as a new release would."""
    package = os.path.dirname(os.path.abspath(__file__))
    parts: list[str] = [__version__, sys.version.split()[0], str(marshal.version)]
    for folder, folders, files in os.walk(package):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                parts.append(f"{folder[len(package) :]}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest("\n".join(parts).encode("utf-8", "surrogateescape")).hex()


def facts_digest(facts: Any) -> bytes:
    """A digest of project-rule facts (their repr: plain data has a stable one, where marshal's
    bytes depend on reference counts)."""
    return digest(repr(facts).encode("utf-8", "surrogatepass"))


def _valid_facts(facts: Any) -> bool:
    return type(facts) is tuple and all(
        type(item) is tuple and len(item) == 2 and type(item[0]) is str for item in facts
    )


def _marshalable(value: Any) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True


# An entry: (mtime_ns, size, stat trusted, content digest, dependencies, diagnostics, facts digest
# or None); the facts themselves live in the `facts-` file of the same settings.
Entry = tuple[int, int, bool, bytes, Dependencies, tuple[Any, ...], tuple[Any, ...]]


def _racy(how: int, recorded: Stamp, started_ns: int) -> bool:
    """Whether a folder's or file's stamp is too recent to be trusted (see `RACY_NS`)."""
    if how == PROBED or isinstance(recorded, str):
        return False  # a kind (PROBED), a real path (RESOLVED): the answer itself, no mtime
    mtime = recorded if isinstance(recorded, int) else recorded[0]
    return mtime >= started_ns - RACY_NS


class _CacheFile:
    """One file of the cache (the entries for one settings hash, or the folder listings): loaded
    on first use, written back if changed."""

    def __init__(self, path: Path, build: str, *, load: bool = True) -> None:
        self.path = path
        self.build = build
        self.entries: dict[Any, Any] = {}
        self.dirty = not load  # a file made anew replaces what is on disk
        if load:
            self._load()

    def _load(self) -> None:
        try:
            data = read_file_bytes(self.path, CACHE_FILE_MAX_BYTES)
        except OSError:
            return  # none yet, or not a file we read: it is rewritten
        header = len(MAGIC) + DIGEST_SIZE
        if len(data) < header or not data.startswith(MAGIC):
            return
        payload = data[header:]
        if digest(payload) != data[len(MAGIC) : header]:
            return  # corrupt: truncated, edited, or half-written by something else
        try:
            version, build, entries = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return
        if version != FORMAT or build != self.build or type(entries) is not dict:
            return
        self.entries = entries

    def save(self) -> None:
        if not self.dirty:
            return
        payload = marshal.dumps((FORMAT, self.build, self.entries))
        folder = self.path.parent
        # A name of our own (not tempfile's, which costs more to import than this whole write):
        # the process id keeps two concurrent runs apart, O_EXCL refuses a leftover.
        temporary = folder / f".tmp-{self.path.name}-{os.getpid()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _mark_cache_root(folder.parent)
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(MAGIC + digest(payload) + payload)
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return  # a read-only checkout still lints; it only stays cold
        self.dirty = False


def _mark_cache_root(folder: Path) -> None:
    # Like ruff's: git ignores the folder, and backup tools skip it.
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Created by skillkit.\n*\n", encoding="utf-8")
        (folder / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by skillkit.\n",
            encoding="utf-8",
        )


class LintCache:
    """Results of earlier lint runs under `folder` (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started_ns = time.time_ns()
        self.build = build_key()
        self.hits = 0
        self.misses = 0
        self._files: dict[str, _CacheFile] = {}
        self._keys: dict[Settings, str] = {}  # each settings' `settings_key`, taken once a run
        self._listings: _CacheFile | None = None
        # Files whose result came from the cache with facts: shown path → (key, facts digest,
        # settings); the facts themselves are read only if project rules must run again.
        self._hit_facts: dict[str, tuple[str, bytes, Settings]] = {}
        # The facts digest of each file linted (and stored) in this run, by shown path.
        self._stored_digests: dict[str, bytes] = {}
        # The mtime of each folder discovery listed in this run (each stat taken once).
        self.folder_mtimes: dict[str, int] = {}
        # The stamp of each other dependency checked in this run (see `lookup`).
        self._stamps: dict[tuple[str, int], Stamp | None] = {}

    def list_folder(self, folder: str) -> Listing:
        """Discovery's listing of a folder (by real path): remembered while its mtime holds, so
        that a warm run stats folders instead of reading them."""
        mtime = os.stat(folder).st_mtime_ns
        self.folder_mtimes[folder] = mtime
        if not os.access(folder, os.R_OK | os.X_OK):
            return list_folder(folder)  # raises, as a fresh run's listing does (chmod 000)
        if self._listings is None:
            self._listings = _CacheFile(self.folder / __version__ / "listings", self.build)
        known = self._listings.entries.get(folder)
        if type(known) is tuple and len(known) == 2 and known[0] == mtime:
            listing = known[1]
            if type(listing) is tuple and all(
                type(entry) is tuple
                and len(entry) == 2
                and type(entry[0]) is str
                and type(entry[1]) is bool
                for entry in listing
            ):
                return listing
        listing = list_folder(folder)
        if mtime < self.started_ns - RACY_NS:
            self._listings.entries[folder] = (mtime, listing)
            self._listings.dirty = True
        return listing

    signer = DependencySigner()

    def _file(self, settings: Settings) -> _CacheFile:
        return self.named("lint", self._settings_key(settings))

    def named(self, kind: str, key: str, *, anew: bool = False) -> _CacheFile:
        """The cache file `kind` for a settings hash; `anew`: empty, replacing the one on disk
        (which is then not even read)."""
        name = f"{kind}-{key[:32]}"
        cache_file = None if anew else self._files.get(name)
        if cache_file is None:
            cache_file = _CacheFile(self.folder / __version__ / name, self.build, load=not anew)
            self._files[name] = cache_file
        return cache_file

    def _facts_file(self, key: str, path: str) -> _CacheFile:
        # Facts are the bulk of the cache: spread over shards by path, so that linting one file
        # reads and rewrites one shard, not every skill's sections.
        shard = zlib.crc32(path.encode("utf-8", "surrogateescape")) % FACTS_SHARDS
        return self.named(f"facts{shard:02d}", key)

    def _settings_key(self, settings: Settings) -> str:
        key = self._keys.get(settings)
        if key is None:
            key = self._keys[settings] = settings_key(settings)
        return key

    def lookup(self, path: Path, shown: str, settings: Settings) -> FileResult | None:
        """The cached result for the file, if everything it depended on is unchanged."""
        cache_file = self._file(settings)
        key = os.path.abspath(path)
        entry = cache_file.entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        try:
            mtime_ns, size, trusted, content, dependencies, diagnostics, facts = entry
            if facts is not None and type(facts) is not bytes:
                raise TypeError("facts digest")
            stat = os.stat(key)
            if not os.access(key, os.R_OK):  # (chmod keeps the mtime; a fresh run cannot read)
                raise LookupError(key)
            seen = self.folder_mtimes
            stamps = self._stamps
            for dependency_path, how, recorded in dependencies:
                if type(dependency_path) is not str:
                    raise TypeError("dependency")
                if how == LISTED:
                    current: Stamp | None = seen.get(dependency_path)
                    if current is None:
                        current = os.stat(dependency_path).st_mtime_ns
                else:
                    # Many skills probe the same paths (`.claude-plugin` in each ancestor):
                    # each is stated once a run.
                    current = stamps.get((dependency_path, how))
                    if current is None:
                        current = stamps[(dependency_path, how)] = context_stamp(
                            dependency_path, how
                        )
                if current != recorded:
                    raise LookupError(dependency_path)
            if not (trusted and stat.st_mtime_ns == mtime_ns and stat.st_size == size):
                # (over the recorded size, it cannot be the same bytes: refused unread)
                if digest(read_file_bytes(key, size)) != content:
                    raise LookupError(key)
                # Same bytes: remember the new stat, trusted once it is old enough.
                cache_file.entries[key] = (
                    stat.st_mtime_ns,
                    stat.st_size,
                    stat.st_mtime_ns < self.started_ns - RACY_NS,
                    content,
                    dependencies,
                    diagnostics,
                    facts,
                )
                cache_file.dirty = True
            # The facts stay in their own file until project rules need them (see `project`).
            result = FileResult(
                shown, tuple(decode_diagnostic(shown, value) for value in diagnostics)
            )
            if facts is not None:
                self._hit_facts[shown] = (key, facts, settings)
        except (OSError, LookupError, TypeError, ValueError):
            # Changed, gone, or a malformed entry: lint the file again and replace it.
            self.misses += 1
            return None
        self.hits += 1
        return result

    def store(self, path: Path, settings: Settings, result: FileResult, signature: Any) -> None:
        if not isinstance(signature, Signature) or signature.dependencies is None:
            return
        if any(
            _racy(how, recorded, self.started_ns) for _path, how, recorded in signature.dependencies
        ):
            return  # a folder or file that just changed may change again unseen: not cached now
        facts = tuple((code, value) for code, value in result.facts)
        if not _marshalable(facts):
            return  # facts must be plain data (tuples, strings, numbers...) to be cached
        key = os.path.abspath(path)
        facts_file = self._facts_file(self._settings_key(settings), key)
        facts_hash = facts_digest(facts) if facts else None
        if facts_hash is not None:
            # With their digest, checked on reading instead of hashing the facts again.
            facts_file.entries[key] = (facts_hash, shared_strings(facts))
            facts_file.dirty = True
            self._stored_digests[result.path] = facts_hash
        elif key in facts_file.entries:
            del facts_file.entries[key]
            facts_file.dirty = True
        cache_file = self._file(settings)
        cache_file.entries[key] = (
            signature.mtime_ns,
            signature.size,
            signature.mtime_ns < self.started_ns - RACY_NS,
            signature.content,
            signature.dependencies,
            tuple(encode_diagnostic(d) for d in result.diagnostics),
            facts_hash,
        )
        cache_file.dirty = True

    def project(
        self,
        results: Sequence[FileResult],
        settings: Settings,
        compute: ProjectCheck,
        relint: Relint,
    ) -> list[Diagnostic]:
        """The findings of the project rules over `results` (those of the cache come without
        their facts), as `compute` would give them over every file's facts: the last run's
        where no file's facts changed, else checked again (see skillkit.engine.cache_project); facts
        the cache lost are got by `relint`."""
        digests: list[bytes | None] = []
        for result in results:
            if result.facts:
                known = self._stored_digests.get(result.path)
                digests.append(known if known is not None else facts_digest(result.facts))
            else:
                hit = self._hit_facts.get(result.path)
                digests.append(hit[1] if hit is not None else None)
        if not any(digests):
            return compute(results)

        def facts_of(index: int) -> Facts:
            result = results[index]
            if result.facts:
                return result.facts
            facts = self.cached_facts(result.path)
            if facts is not None:
                return facts
            fresh = relint(index)  # the facts file lost them: lint once more
            digests[index] = (
                (self._stored_digests.get(fresh.path) or facts_digest(fresh.facts))
                if fresh.facts
                else None
            )
            return fresh.facts

        return project_findings(
            self, self._settings_key(settings), results, digests, facts_of, compute
        )

    def cached_facts(self, shown: str) -> Facts | None:
        """The project-rule facts of a file whose result `lookup` gave (read from the facts
        file only now): () if it had none; None if the facts file lost them (lint the file
        again)."""
        hit = self._hit_facts.get(shown)
        if hit is None:
            return ()
        path, expected, file_settings = hit
        facts_file = self._facts_file(self._settings_key(file_settings), path)
        entry = facts_file.entries.get(path)
        if (
            type(entry) is tuple
            and len(entry) == 2
            and entry[0] == expected
            and _valid_facts(entry[1])
        ):
            facts: Facts = entry[1]
            return facts
        return None

    def save(self) -> None:
        for cache_file in self._files.values():
            cache_file.save()
        if self._listings is not None:
            self._listings.save()


def default_cache_folder(settings: Settings) -> Path:
    """`.skillkit_cache` in the project root: the folder of the config in force, else the
    working folder (like ruff's)."""
    return settings.root / CACHE_FOLDER
