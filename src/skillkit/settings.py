"""The settings in force for a lint or render run, as the config module resolves them.

Only data: discovery and validation of config files live in `skillkit.config`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillkit.diagnostics import Severity
from skillkit.reading import DEFAULT_MAX_BYTES


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

    @property
    def root(self) -> Path:
        """The folder paths in the config are relative to."""
        return self.config_path.parent if self.config_path else Path.cwd()


DEFAULT_SETTINGS = Settings()
