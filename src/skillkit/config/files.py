"""Config files: finding the one that applies to a folder (`skillkit.toml`, or the
`[tool.skillkit]` table of a `pyproject.toml`), and reading and validating one into `Settings`,
with the line each key was set on."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from skillkit.config.specs import Key, KeyPath, keys, root_spec
from skillkit.config.toml_positions import KeyLines
from skillkit.config.validation import InvalidValue, check_value
from skillkit.errors import ConfigError
from skillkit.reading import read_file_bytes
from skillkit.settings import DEFAULT_SETTINGS, Settings

CONFIG_FILE = "skillkit.toml"
PYPROJECT = "pyproject.toml"
CONFIG_MAX_BYTES = 1_000_000  # (a config is a few kB; a larger one is refused unread)


@dataclass(frozen=True)
class LoadedConfig:
    """One config file, validated: its settings and where each key was set."""

    path: Path
    settings: Settings
    origins: Mapping[str, str]  # config key → "FILE:LINE"


def _read_config_bytes(path: Path) -> bytes:
    return read_file_bytes(path, CONFIG_MAX_BYTES)


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    if not path.exists():
        raise ConfigError(path, None, "config file not found")
    try:
        text = _read_config_bytes(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, None, f"cannot read config: {error}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(match.group(1)) if match else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(path, line, f"invalid TOML: {reason}") from None


def _table_of(path: Path, data: dict[str, Any]) -> tuple[dict[str, Any] | None, KeyPath]:
    if path.name == PYPROJECT:
        tool = data.get("tool")
        table = tool.get("skillkit") if isinstance(tool, dict) else None
        return (table if isinstance(table, dict) else None), ("tool", "skillkit")
    return data, ()


def _has_skillkit_table(path: Path) -> bool:
    try:
        data = _read_config_bytes(path)
    except OSError:
        # Not a file we read (a FIFO, too large): load it, so that the reason is shown.
        return path.exists()
    try:
        loaded = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        # A broken pyproject.toml that may hold our table: load it, so the error is shown.
        return b"[tool.skillkit" in data
    return _table_of(path, loaded)[0] is not None


def load_config(path: Path) -> LoadedConfig:
    """Read and validate one config file (`skillkit.toml` or a `pyproject.toml`)."""
    text, data = _read_toml(path)
    table, prefix = _table_of(path, data)
    if table is None:
        raise ConfigError(path, None, "no [tool.skillkit] table in this pyproject.toml")
    declared = keys()
    root = _check_root(path, text, table, prefix, declared)
    values: dict[str, Any] = {"config_path": path}
    origins: dict[str, str] = {}
    locator = KeyLines(text)
    for name, value in table.items():
        key = declared[name]
        values[key.setting] = key.convert(value, root)
        origins[name] = f"{path}:{locator.line_of((*prefix, name)) or 1}"
    return LoadedConfig(path, replace(DEFAULT_SETTINGS, **values), origins)


def _check_root(
    path: Path, text: str, table: dict[str, Any], prefix: KeyPath, declared: Mapping[str, Key]
) -> Path:
    try:
        check_value(root_spec(declared), table, ())
    except InvalidValue as error:
        line = KeyLines(text).line_of((*prefix, *error.path))
        raise ConfigError(path, line, error.message) from None
    return path.parent


def config_in(folder: Path | str) -> Path | None:
    """The config file in this folder itself, if any."""
    # Strings, not Path objects: asked for every skill folder of a run.
    own = os.path.join(folder, CONFIG_FILE)
    # (a skillkit.toml that is not a regular file, a FIFO, is found: loading it says why not)
    if os.path.exists(own) and not os.path.isdir(own):
        return Path(own)
    pyproject = os.path.join(folder, PYPROJECT)
    if os.path.isfile(pyproject) and _has_skillkit_table(Path(pyproject)):
        return Path(pyproject)
    return None


def find_config(folder: Path) -> Path | None:
    """The nearest `skillkit.toml`, or `pyproject.toml` with `[tool.skillkit]`, from `folder` up."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        found = config_in(candidate)
        if found is not None:
            return found
    return None
