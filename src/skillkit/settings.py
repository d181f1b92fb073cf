"""The settings in force for a lint or render run, as the config module resolves them.

Only data: discovery and validation of config files live in `skillkit.config`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from skillkit.diagnostics import Severity
from skillkit.hashing import digest
from skillkit.memo import Memo
from skillkit.reading import DEFAULT_MAX_BYTES

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    target: str = "spec"
    select: tuple[str, ...] | None = None  # None: the default rules (and the target's policies)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, selectors)
    severity: Mapping[str, Severity] = field(default_factory=dict)  # code → severity
    options: Mapping[str, Any] = field(default_factory=dict)  # rule option name → value
    exclude: tuple[str, ...] = ()  # globs of paths that discovery skips
    # Guardrails (see skillkit.rules.guardrails): sections every skill must have, and the
    # team's own forbidden commands, each a mapping with `pattern`/`prefix`, `message`, `severity`.
    required_sections: tuple[str, ...] = ()
    # Section titles that skills share on purpose, which SK601 compares ("*": any title two
    # skills carry word for word); None: the target's (`Target.shared_sections`).
    shared_sections: tuple[str, ...] | None = None
    custom_guardrails: tuple[Mapping[str, Any], ...] = ()
    max_file_bytes: int = DEFAULT_MAX_BYTES
    # The `[render]` table as written; skillkit.render validates and reads it.
    render: Mapping[str, Any] = field(default_factory=dict)
    config_path: Path | None = None  # where these came from (None: defaults)
    # What the engine derives from these settings alone (the rules they select), computed once
    # per settings object and kept with it: no module-global memo keyed by `id`. Not a setting:
    # left out of comparison, hashing, repr and `key`, and empty again in a `replace`d copy.
    _derived: Memo = field(default_factory=Memo, init=False, repr=False, compare=False)

    @property
    def root(self) -> Path:
        """The folder paths in the config are relative to."""
        return self.config_path.parent if self.config_path else Path.cwd()

    @cached_property
    def key(self) -> str:
        """The one key of these settings: a digest of every setting, the same in every run and
        process (it names the lint cache's files), computed once."""
        text = repr(_canonical(self))
        return digest(text.encode("utf-8", "surrogatepass")).hex()

    def __hash__(self) -> int:
        # Settings hold mappings (severity, options): hashed by their key, compared field by field.
        return hash(self.key)

    def derived(self, name: Hashable, derive: Callable[[Settings], T]) -> T:
        """`derive(self)`, computed once for these settings and kept under `name`."""
        return self._derived.get(name, derive, self)


def _canonical(value: Any) -> Any:
    """A plain, ordered form of a settings value whose repr is stable across runs."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__qualname__,
            tuple(
                (f.name, _canonical(getattr(value, f.name)))
                for f in dataclasses.fields(value)
                if f.compare
            ),
        )
    if isinstance(value, Enum):
        return (type(value).__qualname__, _canonical(value.value))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted(((repr(k), _canonical(v)) for k, v in value.items()))))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(_canonical(v)) for v in value)))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, Path):
        return ("path", str(value))
    if value is None or isinstance(value, (str, int, float, bool, bytes)):
        return value
    # Unknown objects: their repr (one with an address in it never matches, which is safe).
    return ("other", type(value).__qualname__, repr(value))


DEFAULT_SETTINGS = Settings()
