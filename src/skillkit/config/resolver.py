"""The settings for each linted file: the nearest config file (or `--config`, or none with
`--isolated`), the flags on top of it, and the target that where the skill lives implies when
neither names one."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from skillkit.config.files import LoadedConfig, config_in, load_config
from skillkit.errors import ConfigError
from skillkit.settings import DEFAULT_SETTINGS, Settings
from skillkit.targets import TARGETS


@dataclass(frozen=True)
class Overrides:
    """What the command line says; it wins over any config file."""

    target: str | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def apply(self, settings: Settings) -> Settings:
        if self.target is not None:
            settings = replace(settings, target=self.target)
        if self.select is not None:
            # As in ruff: a selection on the command line starts afresh.
            settings = replace(settings, select=self.select, extend_select=(), ignore=())
        return replace(
            settings,
            extend_select=settings.extend_select + self.extend_select,
            ignore=settings.ignore + self.ignore,
            per_file_ignores=settings.per_file_ignores + self.per_file_ignores,
        )

    def origins(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.target is not None:
            out["target"] = "--target"
        if self.select is not None:
            out.update({"select": "--select", "extend-select": "--select", "ignore": "--select"})
        if self.extend_select:
            out["extend-select"] = "--extend-select"
        if self.ignore:
            out["ignore"] = "--ignore"
        return out


@dataclass
class Resolver:
    """Settings for each linted file: the nearest config (cached per folder) plus the flags."""

    overrides: Overrides = field(default_factory=Overrides)
    config: Path | None = None  # --config: one file for every path
    isolated: bool = False
    # Linting thousands of skills asks this for each file: the nearest config of every folder
    # walked is remembered, so each folder costs its own two stats at most, and each config's
    # settings are made once (one Settings object per config: the cache hashes it once).
    _by_folder: dict[str, Path | None] = field(default_factory=dict)  # absolute folder → config
    _loaded: dict[Path, LoadedConfig] = field(default_factory=dict)
    _applied: dict[tuple[Path | None, str | None], Settings] = field(default_factory=dict)
    _inferred: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # folder → why

    def config_for(self, path: Path) -> LoadedConfig | None:
        if self.isolated:
            return None
        if self.config is not None:
            return self._load(self.config)
        # A discovered SKILL.md is a file: no stat needed to know its folder.
        if path.name != "SKILL.md" and path.is_dir():
            folder = os.path.abspath(path)
        else:
            folder = os.path.dirname(os.path.abspath(path))
        found = self._nearest(folder)
        return self._load(found) if found is not None else None

    def _nearest(self, folder: str) -> Path | None:
        walked: list[str] = []
        current = folder
        while current not in self._by_folder:
            walked.append(current)
            found = config_in(current)
            if found is not None:
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        else:
            found = self._by_folder[current]
        for each in walked:
            self._by_folder[each] = found
        return found

    def _load(self, path: Path) -> LoadedConfig:
        if path not in self._loaded:
            if not path.exists() or path.is_dir():
                raise ConfigError(path, None, "config file not found")
            self._loaded[path] = load_config(path)
        return self._loaded[path]

    def settings_for(self, path: Path) -> Settings:
        loaded = self.config_for(path)
        key = loaded.path if loaded else None
        inferred = self._inferred_for(path, loaded)
        target = inferred[0] if inferred else None
        settings = self._applied.get((key, target))
        if settings is None:
            settings = self.overrides.apply(loaded.settings if loaded else DEFAULT_SETTINGS)
            if target is not None:
                settings = replace(settings, target=target)
            self._applied[(key, target)] = settings
        return settings

    def origins_for(self, path: Path) -> dict[str, str]:
        loaded = self.config_for(path)
        out = dict(loaded.origins) if loaded else {}
        out.update(self.overrides.origins())
        inferred = self._inferred_for(path, loaded)
        if inferred is not None:
            out["target"] = f"inferred: {inferred[1]}"
        return out

    def _inferred_for(self, path: Path, loaded: LoadedConfig | None) -> tuple[str, str] | None:
        """The target that where the skill lives implies, and why, when neither a flag nor the
        config names one."""
        if self.overrides.target is not None or (loaded is not None and "target" in loaded.origins):
            return None
        if path.name != "SKILL.md" and path.is_dir():
            folder = os.path.abspath(path)
        else:
            folder = os.path.dirname(os.path.abspath(path))
        return self._infer(folder)

    def _infer(self, folder: str) -> tuple[str, str] | None:
        if folder in self._inferred:
            return self._inferred[folder]
        found: tuple[str, str] | None = None
        posix = folder.replace(os.sep, "/") + "/"
        for target in TARGETS.values():
            marker = next((m for m in target.inferred_from_folders if f"/{m}/" in posix), None)
            if marker is not None:
                found = (target.name, f"the skill is under `{marker}`")
                break
            marker = next(
                (m for m in target.inferred_from_files if os.path.isfile(os.path.join(folder, m))),
                None,
            )
            if marker is not None:
                found = (target.name, f"`{os.path.join(folder, marker)}`")
                break
        if found is None:
            parent = os.path.dirname(folder)
            if parent != folder:
                above = self._infer(parent)
                # A folder marker on the parent's path is on this path too; a file above is
                # above this folder as well.
                found = above
        self._inferred[folder] = found
        return found
