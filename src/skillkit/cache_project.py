"""The project rules' findings through the cache, re-checked only where facts changed.

A project rule's facts are split into parts (`Rule.partition`: SK601's part is one section
title; a rule without a partition is one part): its findings over every skill are the union of
its findings over each part. The cache keeps, per settings hash:

- `project-`: the last run's digest (its paths and their facts digests) and its findings by
  part: a run where nothing changed reads this file alone;
- `index-`: that run's paths in order, each one's facts digest, the parts it had, the
  suppression ranges of those with any, and the token of each `parts` shard as last written;
- `partsNN-`: shards by part, each part's members (path, part) in run order, and the shard's
  token (the index and a shard of another run never agree on it). Equal parts are one object
  in memory, so that marshal writes them once (the same section is in many skills).

A run where some files' facts changed (or files came or went) re-checks only the parts those
files had or have: the other members of each come from its shard, the changed files' from their
new facts, and every other part keeps its findings. Anything that does not agree (an index of
another run than the findings, a shard with another token, a part whose members are not the
unchanged files the index says had it, paths in another order, anything malformed) means the
whole check runs again from every file's facts, as does a rule that raises (so that its SK000
is the one a full run gives).
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from skillkit.cache import decode_diagnostic, digest, encode_diagnostic
from skillkit.diagnostics import Diagnostic

if TYPE_CHECKING:
    from skillkit.cache import LintCache
    from skillkit.lint import FileResult
    from skillkit.registry import Rule
    from skillkit.settings import Settings

PARTS_SHARDS = 32

PartId = tuple[str, str]  # (rule code, part key)
Member = tuple[str, Any]  # (path, its part)
Ranges = tuple[tuple[str, int, int], ...]  # suppression ranges (code, first line, last line)
Facts = tuple[tuple[str, Any], ...]


class _Stale(Exception):
    """The cached state does not describe the last run exactly: check everything again."""


def run_digest(key: str, results: Sequence[FileResult], digests: Sequence[bytes | None]) -> bytes:
    pairs = [(result.path, facts) for result, facts in zip(results, digests, strict=True)]
    return digest(repr((key, pairs)).encode("utf-8", "surrogatepass"))


def _shard(part: PartId) -> int:
    return zlib.crc32(f"{part[0]}\0{part[1]}".encode("utf-8", "surrogatepass")) % PARTS_SHARDS


def split_facts(facts: Facts, rules: Mapping[str, Rule]) -> tuple[dict[PartId, Any], Ranges]:
    """One file's parts by id, and its suppression ranges."""
    from skillkit.lint import project_parts
    from skillkit.suppress import SUPPRESSIONS_FACT

    parts: dict[PartId, Any] = {}
    ranges: Ranges = ()
    for code, value in facts:
        if code == SUPPRESSIONS_FACT:
            ranges = tuple(value)
            continue
        rule = rules.get(code)
        if rule is None:
            continue  # as in a full run: facts of a rule not in force are not checked
        for part_key, part in project_parts(rule, value):
            if (code, part_key) in parts:
                raise _Stale(f"{code} gave the part {part_key!r} twice")
            parts[(code, part_key)] = part
    return parts, ranges


def _check(
    part: PartId,
    members: Sequence[Member],
    rules: Mapping[str, Rule],
    settings: Settings,
    suppressions: Mapping[str, Ranges],
) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """One part's findings, less those suppressed, encoded for the cache."""
    from skillkit.lint import check_project_part
    from skillkit.suppress import Suppressions

    found = check_project_part(rules[part[0]], members, settings)
    by_path: dict[str, Suppressions] = {}  # one index per file, not one per finding
    for path in {d.path for d in found}:
        by_path[path] = Suppressions(suppressions.get(path, ()))
    return tuple(
        (d.path, encode_diagnostic(d))
        for d in found
        if not by_path[d.path].covers(d.code, d.span.line)
    )


class _Shared:
    """One object for equal values (marshal writes an object it meets again as a reference)."""

    def __init__(self) -> None:
        self._known: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        try:
            return self._known.setdefault(value, value)
        except TypeError:  # unhashable (a list among the facts): kept as it is
            return value


def _valid_parts(value: Any) -> tuple[PartId, ...]:
    if type(value) is not tuple or not all(
        type(part) is tuple and len(part) == 2 and type(part[0]) is str and type(part[1]) is str
        for part in value
    ):
        raise _Stale("malformed parts")
    return value


def _valid_ranges(value: Any) -> bool:
    return type(value) is tuple and all(
        type(item) is tuple
        and len(item) == 3
        and type(item[0]) is str
        and type(item[1]) is int
        and type(item[2]) is int
        for item in value
    )


def _load_findings(entries: Mapping[Any, Any]) -> tuple[bytes, dict[PartId, Any]] | None:
    run, findings = entries.get("run"), entries.get("findings")
    if type(run) is not bytes or type(findings) is not dict:
        return None
    return run, findings


def _decode(findings: Mapping[PartId, Any]) -> list[Diagnostic]:
    """Raises (TypeError, ValueError) on anything malformed."""
    diagnostics: list[Diagnostic] = []
    for found in findings.values():
        for path, value in found:
            if type(path) is not str:
                raise TypeError("path")
            diagnostics.append(decode_diagnostic(path, value))
    return diagnostics


class _Index:
    """The `index-` file of the last run, validated."""

    def __init__(self, entries: Mapping[Any, Any], run: bytes) -> None:
        if entries.get("run") != run:
            raise _Stale("the index is of another run than the findings")
        paths, digests, parts, suppressions, tokens = (
            entries.get(name) for name in ("paths", "digests", "parts", "suppressions", "tokens")
        )
        if not (
            type(paths) is tuple
            and type(digests) is tuple
            and type(parts) is tuple
            and type(suppressions) is dict
            and type(tokens) is tuple
            and len(paths) == len(digests) == len(parts)
            and len(tokens) == PARTS_SHARDS
        ):
            raise _Stale("malformed index")
        for path, facts, held in zip(paths, digests, parts, strict=True):
            # Each file's parts are checked where used (those of changed and deleted files).
            if type(path) is not str or not (facts is None or type(facts) is bytes):
                raise _Stale("malformed index")
            if type(held) is not tuple:
                raise _Stale("malformed index")
        if not all(type(path) is str and _valid_ranges(v) for path, v in suppressions.items()):
            raise _Stale("malformed index")
        self.paths: tuple[str, ...] = paths
        self.digests: tuple[bytes | None, ...] = digests
        self.parts: tuple[tuple[PartId, ...], ...] = parts
        self.suppressions: dict[str, Ranges] = suppressions
        self.tokens: tuple[Any, ...] = tokens
        self.position = {path: index for index, path in enumerate(paths)}
        if len(self.position) != len(paths):
            raise _Stale("a path twice")


class _Run:
    """One run's check of the project rules through the cache."""

    def __init__(
        self,
        cache: LintCache,
        key: str,
        results: Sequence[FileResult],
        digests: list[bytes | None],
        facts_of: Callable[[int], Facts],
        settings: Settings,
    ) -> None:
        from skillkit.lint import project_rules

        self.cache = cache
        self.key = key
        self.results = results
        self.digests = digests
        self.facts_of = facts_of
        self.settings = settings
        self.rules = project_rules(settings)

    def _token(self, shard: int) -> bytes:
        return digest(f"{self.key}:{shard}:{os.getpid()}:{self.cache.started_ns}".encode())

    def _shard_file(self, shard: int, index: _Index) -> dict[PartId, Any]:
        entries = self.cache.named(f"parts{shard:02d}", self.key).entries
        parts = entries.get("parts")
        if entries.get("token") != index.tokens[shard] or type(parts) is not dict:
            raise _Stale("a parts shard of another run")
        return parts

    def incremental(self, index: _Index, findings: dict[PartId, Any]) -> list[Diagnostic]:
        results, digests = self.results, self.digests
        position = {result.path: number for number, result in enumerate(results)}
        if len(position) != len(results):
            raise _Stale("a path twice")
        common = [path for path in index.paths if path in position]
        if common != [result.path for result in results if result.path in index.position]:
            raise _Stale("the paths come in another order")
        changed = [
            number
            for number, result in enumerate(results)
            if (old := index.position.get(result.path)) is None
            or index.digests[old] != digests[number]
        ]
        gone = [path for path in index.paths if path not in position]
        affected: set[PartId] = set()
        for path in gone:
            affected.update(_valid_parts(index.parts[index.position[path]]))
        new_parts: dict[int, dict[PartId, Any]] = {}
        suppressions = dict(index.suppressions)
        for path in gone:
            suppressions.pop(path, None)
        for number in changed:
            path = results[number].path
            if (old := index.position.get(path)) is not None:
                affected.update(_valid_parts(index.parts[old]))
            facts = self.facts_of(number) if digests[number] is not None else ()
            parts, ranges = split_facts(facts, self.rules)
            new_parts[number] = parts
            affected.update(parts)
            if ranges:
                suppressions[path] = ranges
            else:
                suppressions.pop(path, None)
        replaced = {results[number].path for number in changed} | set(gone)
        # Each unchanged file of an affected part must be in the part's shard, once (the index
        # says which parts each file had; the shard's token that it is of the index's run).
        expected: dict[PartId, int] = dict.fromkeys(affected, 0)
        for number, result in enumerate(results):
            if number not in new_parts:
                for part in index.parts[index.position[result.path]]:
                    if part in expected:
                        expected[part] += 1
        shards: dict[int, dict[PartId, Any]] = {}
        members_of: dict[PartId, list[tuple[int, Member]]] = {}
        # The parts of the changed and deleted files, before and now: a part where they are the
        # same (an edit elsewhere in the skill) keeps its findings, and its shard is not written.
        before: dict[PartId, dict[str, Any]] = {part: {} for part in affected}
        now: dict[PartId, dict[str, Any]] = {part: {} for part in affected}
        for part in affected:
            shard = _shard(part)
            if shard not in shards:
                shards[shard] = dict(self._shard_file(shard, index))
            stored = shards[shard].get(part, ())
            if type(stored) is not tuple:
                raise _Stale("malformed part")
            members: list[tuple[int, Member]] = []
            seen: set[str] = set()
            for member in stored:
                if type(member) is not tuple or len(member) != 2 or type(member[0]) is not str:
                    raise _Stale("malformed member")
                path = member[0]
                if path in replaced:
                    before[part][path] = member[1]
                    continue
                at = position.get(path)
                if at is None or path in seen:
                    raise _Stale("a member of another run")
                seen.add(path)
                members.append((at, member))
            if len(members) != expected[part]:
                raise _Stale("a part lost members")
            members_of[part] = members
        for number, parts in new_parts.items():
            for part, value in parts.items():
                members_of[part].append((number, (results[number].path, value)))
                now[part][results[number].path] = value
        # A file whose suppression comments changed may hide other findings in each of its parts.
        unsuppressed = {
            path for path in replaced if suppressions.get(path) != index.suppressions.get(path)
        }
        findings = dict(findings)
        written: set[int] = set()
        for part in sorted(affected):
            if before[part] == now[part] and not unsuppressed.intersection(now[part]):
                continue
            written.add(_shard(part))
            ordered = tuple(member for _, member in sorted(members_of[part], key=_first))
            if ordered and part[0] in self.rules:
                shards[_shard(part)][part] = ordered
                found = _check(part, ordered, self.rules, self.settings, suppressions)
                if found:
                    findings[part] = found
                else:
                    findings.pop(part, None)
            else:
                shards[_shard(part)].pop(part, None)
                findings.pop(part, None)
        tokens = list(index.tokens)
        for shard in written:
            parts = shards[shard]
            tokens[shard] = self._token(shard)
            shard_file = self.cache.named(f"parts{shard:02d}", self.key)
            shard_file.entries = {"token": tokens[shard], "parts": parts}
            shard_file.dirty = True
        held = tuple(
            tuple(new_parts[number])
            if number in new_parts
            else index.parts[index.position[result.path]]
            for number, result in enumerate(results)
        )
        return self._save(findings, held, suppressions, tuple(tokens))

    def full(self) -> list[Diagnostic]:
        results, digests = self.results, self.digests
        members_of: dict[PartId, list[Member]] = {}
        held: list[tuple[PartId, ...]] = []
        suppressions: dict[str, Ranges] = {}
        shared = _Shared()
        for number, result in enumerate(results):
            facts = self.facts_of(number) if digests[number] is not None else ()
            parts, ranges = split_facts(facts, self.rules)
            mine: list[PartId] = []
            for part, value in parts.items():
                part = shared(part)
                mine.append(part)
                members_of.setdefault(part, []).append((result.path, shared(value)))
            held.append(tuple(mine))
            if ranges:
                suppressions[result.path] = ranges
        findings: dict[PartId, Any] = {}
        for part, members in members_of.items():
            found = _check(part, members, self.rules, self.settings, suppressions)
            if found:
                findings[part] = found
        tokens = tuple(self._token(shard) for shard in range(PARTS_SHARDS))
        by_shard: list[dict[PartId, Any]] = [{} for _ in range(PARTS_SHARDS)]
        for part, members in members_of.items():
            by_shard[_shard(part)][part] = tuple(members)
        for shard, parts in enumerate(by_shard):
            self.cache.named(f"parts{shard:02d}", self.key, anew=True).entries = {
                "token": tokens[shard],
                "parts": parts,
            }
        return self._save(findings, tuple(held), suppressions, tokens)

    def _save(
        self,
        findings: dict[PartId, Any],
        held: tuple[tuple[PartId, ...], ...],
        suppressions: dict[str, Ranges],
        tokens: tuple[bytes, ...],
    ) -> list[Diagnostic]:
        # The digests as they are now: a file linted again for lost facts may have new ones.
        run = run_digest(self.key, self.results, self.digests)
        self.cache.named("project", self.key, anew=True).entries = {
            "run": run,
            "findings": findings,
        }
        self.cache.named("index", self.key, anew=True).entries = {
            "run": run,
            "paths": tuple(result.path for result in self.results),
            "digests": tuple(self.digests),
            "parts": held,
            "suppressions": suppressions,
            "tokens": tokens,
        }
        return _decode(findings)

    def forget(self) -> None:
        self.cache.named("project", self.key, anew=True)
        self.cache.named("index", self.key, anew=True)


def _first(item: tuple[int, Member]) -> int:
    return item[0]


def project_findings(
    cache: LintCache,
    key: str,
    results: Sequence[FileResult],
    digests: list[bytes | None],
    facts_of: Callable[[int], Facts],
    settings: Settings,
    compute: Callable[[Sequence[FileResult]], list[Diagnostic]],
) -> list[Diagnostic]:
    """The project rules' findings over `results` (see the module docstring); `compute` is the
    full check over results that carry their facts, the reference and the last resort."""
    loaded = _load_findings(cache.named("project", key).entries)
    if loaded is not None:
        last_run, findings = loaded
        if last_run == run_digest(key, results, digests):
            try:
                return _decode(findings)
            except (TypeError, ValueError):
                loaded = None
    index: _Index | None = None
    if loaded is not None:
        with contextlib.suppress(_Stale, TypeError, ValueError):
            index = _Index(cache.named("index", key).entries, loaded[0])
    if index is not None and len(results) * 2 < len(index.paths):
        # A run over a few of the last run's skills (a pre-commit hook names the changed files):
        # checked directly, and the state is left to the larger run, which would otherwise find
        # most of its skills gone and its parts to re-check (and every shard read and written).
        return compute(_with_facts(results, digests, facts_of))
    run = _Run(cache, key, results, digests, facts_of, settings)
    try:
        if loaded is not None and index is not None:
            try:
                return run.incremental(index, loaded[1])
            except (_Stale, TypeError, ValueError):
                pass
        return run.full()
    except Exception:
        # A rule raised (or a part would not split): the full check reports it as a full run
        # does, and nothing is kept for the next run.
        run.forget()
        return compute(_with_facts(results, digests, facts_of))


def _with_facts(
    results: Sequence[FileResult], digests: Sequence[bytes | None], facts_of: Callable[[int], Facts]
) -> list[FileResult]:
    """The results with their facts (the cache keeps them apart), for the full check."""
    from skillkit.lint import FileResult

    return [
        FileResult(result.path, result.diagnostics, facts_of(number))
        if digests[number] is not None
        else result
        for number, result in enumerate(results)
    ]
