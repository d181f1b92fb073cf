"""Configuration: find the config that applies to a file, validate it, and turn it into Settings.

A config is `skillkit.toml`, or the `[tool.skillkit]` table of a `pyproject.toml`; the nearest one
walking up from a linted file applies to it (as ruff does). `--config PATH` names one for every
file and `--isolated` ignores them all. Flags on the command line override the file.

Every key is declared once, in `KEYS`: the same declaration validates a file (an unknown key, an
unknown rule code or a wrong type is an error with the file, the line and a did-you-mean) and
generates the JSON Schema that `skillkit config-schema` publishes for editors.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from skillkit.diagnostics import Severity
from skillkit.errors import ConfigError
from skillkit.settings import DEFAULT_SETTINGS, Settings

CONFIG_FILE = "skillkit.toml"
PYPROJECT = "pyproject.toml"
SEVERITIES = ("error", "warning", "info")
# The largest `max-file-bytes`: 1 GB is far past any skill, and within what a read can ask for.
MAX_FILE_BYTES_LIMIT = 1_000_000_000
CONFIG_MAX_BYTES = 1_000_000  # (a config is a few kB; a larger one is refused unread)

KeyPath = tuple[str | int, ...]


class _Invalid(Exception):
    """A value that does not fit its declaration, at `path` (relative to the skillkit table)."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


# ---------------------------------------------------------------------------------------------
# The declaration: what each value may be. One tree of `Spec`s drives validation and the schema.


@dataclass(frozen=True)
class Spec:
    """What one config value may be.

    `kind` is the TOML/JSON type. A table either has known `fields` (a record) or any keys
    (`values` says what each value is, `key_kind` what each key must be: a rule selector, a
    glob, or anything). `check` refines a string (a rule selector, a regular expression).
    """

    kind: str  # "string" | "integer" | "number" | "boolean" | "array" | "table"
    help: str = ""
    choices: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    items: Spec | None = None
    fields: Mapping[str, Spec] | None = None
    values: Spec | None = None
    key_kind: str = "any"  # for tables with free keys: "selector" | "glob" | "any"
    string_kind: str = "text"  # "text" | "selector" | "regex" | "gitignore"
    one_of: tuple[str, ...] = ()  # a record must have exactly one of these fields
    required: tuple[str, ...] = ()
    free: bool = False  # a table whose content another module validates (render)
    default: Any = None


def _selector_list(help: str) -> Spec:
    return Spec("array", help, items=Spec("string", string_kind="selector"), default=[])


_GUARDRAIL = Spec(
    "table",
    "A forbidden command: `prefix` (the command's words start with these) or `pattern` (a "
    "regular expression over the command line), the `message` a finding shows, its `severity`.",
    fields={
        "prefix": Spec("string", "The command's words start with these words (`rm -rf`)."),
        "pattern": Spec(
            "string", "A regular expression searched in the command line.", string_kind="regex"
        ),
        "message": Spec("string", "What the finding says (why the command is forbidden)."),
        "severity": Spec("string", "The finding's severity.", choices=SEVERITIES),
    },
    one_of=("prefix", "pattern"),
    required=("message",),
)


def _options_spec() -> Spec:
    """The rule options, declared on the rules themselves (`registry.OPTIONS`)."""
    from skillkit.registry import OPTIONS, all_rules

    all_rules()
    fields: dict[str, Spec] = {}
    for name in sorted(OPTIONS):
        option = OPTIONS[name]
        kind = {int: "integer", float: "number", bool: "boolean", str: "string"}.get(
            option.type, "array" if option.type in (list, tuple) else "string"
        )
        items = Spec("string") if kind == "array" else None
        fields[name] = Spec(kind, option.help, items=items, default=option.default)
    return Spec("table", "Options of individual rules.", fields=fields, default={})


def _target_names() -> tuple[str, ...]:
    from skillkit.targets import TARGET_NAMES

    return TARGET_NAMES


@dataclass(frozen=True)
class Key:
    """A top-level key: its spec and the Settings field it sets (with a converter)."""

    spec: Spec
    setting: str
    convert: Callable[[Any, Path], Any] = lambda value, _root: value


def _codes(value: Any, _root: Path) -> tuple[str, ...]:
    return tuple(value)


def _per_file(value: Any, _root: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((glob, tuple(codes)) for glob, codes in value.items())


def _severity(value: Any, _root: Path) -> dict[str, Severity]:
    from skillkit.registry import resolve_code

    out: dict[str, Severity] = {}
    for selector, label in value.items():
        for code in resolve_code(selector):
            out[code] = Severity.parse(label)
    return out


def _guardrails(value: Any, _root: Path) -> tuple[Mapping[str, Any], ...]:
    return tuple(dict(item) for item in value)


def keys() -> dict[str, Key]:
    """Every top-level config key, in the order `skillkit config` shows them."""
    return {
        "target": Key(
            Spec(
                "string",
                "The consumer whose fields and limits apply.",
                choices=_target_names(),
                default="spec",
            ),
            "target",
        ),
        "select": Key(
            _selector_list("Only these rules (codes, prefixes, names or ALL)."), "select", _codes
        ),
        "extend-select": Key(
            _selector_list("These rules in addition to the selected ones."),
            "extend_select",
            _codes,
        ),
        "ignore": Key(_selector_list("Not these rules."), "ignore", _codes),
        "per-file-ignores": Key(
            Spec(
                "table",
                "Rules to ignore in the files a glob (relative to the config's folder) matches.",
                values=Spec("array", items=Spec("string", string_kind="selector")),
                key_kind="glob",
                default={},
            ),
            "per_file_ignores",
            _per_file,
        ),
        "severity": Key(
            Spec(
                "table",
                "Severity overrides: rule code or prefix → error, warning or info.",
                values=Spec("string", choices=SEVERITIES),
                key_kind="selector",
                default={},
            ),
            "severity",
            _severity,
        ),
        "options": Key(_options_spec(), "options", lambda value, _root: dict(value)),
        "exclude": Key(
            Spec(
                "array",
                "Paths that discovery skips (gitignore-style globs, relative to the config).",
                items=Spec("string", string_kind="gitignore"),
                default=[],
            ),
            "exclude",
            _codes,
        ),
        "required-sections": Key(
            Spec(
                "array",
                "Section titles every skill must have.",
                items=Spec("string"),
                default=[],
            ),
            "required_sections",
            _codes,
        ),
        "shared-sections": Key(
            Spec(
                "array",
                "Section titles the skills share on purpose, compared by SK601 (`*`: any title "
                "two skills carry word for word). Default: the target's (viberun: its policy "
                "sections; other targets: `*`).",
                items=Spec("string"),
                default=None,
            ),
            "shared_sections",
            _codes,
        ),
        "guardrails": Key(
            Spec("array", "The team's own forbidden commands.", items=_GUARDRAIL, default=[]),
            "custom_guardrails",
            _guardrails,
        ),
        "max-file-bytes": Key(
            Spec(
                "integer",
                "Files larger than this are not parsed (SK003).",
                minimum=1,
                maximum=MAX_FILE_BYTES_LIMIT,
                default=DEFAULT_SETTINGS.max_file_bytes,
            ),
            "max_file_bytes",
        ),
        "render": Key(
            Spec("table", "The render plan (see `skillkit render`).", free=True, default={}),
            "render",
            lambda value, _root: dict(value),
        ),
    }


# ---------------------------------------------------------------------------------------------
# Validation


_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    list: "an array",
    dict: "a table",
}


def _type_name(value: Any) -> str:
    for python_type, name in _TYPE_NAMES.items():
        if type(value) is python_type:
            return name
    return type(value).__name__


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def _check_selector(text: str, path: KeyPath) -> None:
    from skillkit.registry import render_only, resolve_code, unknown_rule_hint

    if resolve_code(text):
        problem = render_only(text)
        if problem is not None:
            raise _Invalid(path, problem)
        return
    raise _Invalid(path, f"unknown rule code or prefix `{text}`{unknown_rule_hint(text)}")


def _check(spec: Spec, given: Any, path: KeyPath) -> None:
    value: Any = given  # (isinstance against a tuple of types would narrow it to object)
    expected: tuple[type, ...] = {
        "string": (str,),
        "integer": (int,),
        "number": (int, float),
        "boolean": (bool,),
        "array": (list,),
        "table": (dict,),
    }[spec.kind]
    if (isinstance(value, bool) and spec.kind != "boolean") or type(value) not in expected:
        raise _Invalid(
            path,
            f"`{_dotted(path)}` must be {_kind_phrase(spec)}, not {_type_name(value)}",
        )
    if spec.kind == "string":
        if spec.choices is not None and value not in spec.choices:
            choices = ", ".join(spec.choices)
            hint = _did_you_mean(value, spec.choices) or f" (one of {choices})"
            raise _Invalid(path, f"`{_dotted(path)}` cannot be `{value}`{hint}")
        if spec.string_kind == "selector":
            _check_selector(value, path)
        elif spec.string_kind == "regex":
            from skillkit.user_regex import UserRegexError, compile_user_regex

            try:
                compile_user_regex(value)
            except UserRegexError as error:
                message = f"`{_dotted(path)}` is not a regular expression: {error}"
                raise _Invalid(path, message) from None
        elif spec.string_kind == "gitignore":
            from skillkit.engine.discover import compile_ignore_lines

            for _number, _pattern, reason in compile_ignore_lines([value])[1]:
                raise _Invalid(path, f"`{_dotted(path)}` is not a gitignore pattern: {reason}")
    elif spec.kind == "integer" and spec.minimum is not None and value < spec.minimum:
        raise _Invalid(path, f"`{_dotted(path)}` must be at least {spec.minimum}")
    elif spec.kind == "integer" and spec.maximum is not None and value > spec.maximum:
        raise _Invalid(path, f"`{_dotted(path)}` must be at most {spec.maximum:,}")
    elif spec.kind == "array" and spec.items is not None:
        for index, item in enumerate(value):
            _check(spec.items, item, (*path, index))
    elif spec.kind == "table" and not spec.free:
        _check_table(spec, value, path)


def _check_table(spec: Spec, value: dict[str, Any], path: KeyPath) -> None:
    if spec.fields is not None:
        for key, item in value.items():
            if key not in spec.fields:
                where = f" in `{_dotted(path)}`" if path else ""
                known = sorted(spec.fields)
                hint = _did_you_mean(key, known) or (
                    f" (known: {', '.join(known)})" if known else ""
                )
                raise _Invalid((*path, key), f"unknown key `{key}`{where}{hint}")
            _check(spec.fields[key], item, (*path, key))
        present = [name for name in spec.one_of if name in value]
        if spec.one_of and len(present) != 1:
            names = " or ".join(f"`{name}`" for name in spec.one_of)
            raise _Invalid(path, f"`{_dotted(path)}` needs exactly one of {names}")
        for name in spec.required:
            if name not in value:
                raise _Invalid(path, f"`{_dotted(path)}` needs `{name}`")
        return
    for key, item in value.items():
        if spec.key_kind == "selector":
            _check_selector(key, (*path, key))
        if spec.values is not None:
            _check(spec.values, item, (*path, key))


def _kind_phrase(spec: Spec) -> str:
    if spec.kind == "array" and spec.items is not None:
        return f"an array of {_kind_phrase(spec.items).removeprefix('a ').removeprefix('an ')}s"
    return {
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "a boolean (true or false)",
        "array": "an array",
        "table": "a table",
    }[spec.kind]


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            bare = re.fullmatch(r"[A-Za-z0-9_-]+", part)
            out += ("." if out else "") + (part if bare else f'"{part}"')
    return out


# ---------------------------------------------------------------------------------------------
# Where keys are: tomllib gives no positions, so a small scanner over the (already valid) TOML
# text finds the line of each key, array item and table header.


class _Locator:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[KeyPath, int] = {}
        self._scan()

    def line_of(self, path: KeyPath) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    @property
    def _line(self) -> int:
        return self.text.count("\n", 0, self.pos) + 1

    def _peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def _record(self, path: KeyPath) -> None:
        self.lines.setdefault(path, self._line)

    def _skip_space(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def _string(self) -> str:
        quote = self._peek(3)
        if quote in ('"""', "'''"):
            end = self.text.find(quote, self.pos + 3)
            while quote == '"""' and end > 0 and self.text[end - 1] == "\\":
                end = self.text.find(quote, end + 1)
            end = len(self.text) if end < 0 else end + 3
            while self.text[end : end + 1] == quote[0]:  # up to two quotes may end the content
                end += 1
            raw = self.text[self.pos : end]
            self.pos = end
            return raw
        quote = self._peek()
        index = self.pos + 1
        while index < len(self.text) and self.text[index] != quote:
            index += 2 if quote == '"' and self.text[index] == "\\" else 1
        raw = self.text[self.pos : index + 1]
        self.pos = index + 1
        try:
            return str(tomllib.loads(f"k = {raw}")["k"])
        except tomllib.TOMLDecodeError:
            return raw[1:-1]

    def _key(self) -> KeyPath:
        parts: list[str | int] = []
        while True:
            self._skip_space(False)
            if self._peek() in ('"', "'"):
                parts.append(self._string())
            else:
                match = re.compile(r"[A-Za-z0-9_-]+").match(self.text, self.pos)
                if not match:
                    break
                parts.append(match.group())
                self.pos = match.end()
            self._skip_space(False)
            if self._peek() != ".":
                break
            self.pos += 1
        return tuple(parts)

    def _value(self, path: KeyPath) -> None:
        self._skip_space(False)
        char = self._peek()
        if char in ('"', "'"):
            self._string()
        elif char == "[":
            self.pos += 1
            index = 0
            while self.pos < len(self.text):
                self._skip_space(True)
                if self._peek() == "]":
                    self.pos += 1
                    return
                self._record((*path, index))
                self._value((*path, index))
                self._skip_space(True)
                if self._peek() == ",":
                    self.pos += 1
                    index += 1
        elif char == "{":
            self.pos += 1
            while self.pos < len(self.text):
                self._skip_space(True)
                if self._peek() == "}":
                    self.pos += 1
                    return
                if self._peek() == ",":
                    self.pos += 1
                    continue
                key = self._key()
                self._record_key((*path, *key))
                self._skip_space(False)
                self.pos += 1  # the `=`
                self._value((*path, *key))
        else:
            match = re.compile(r"[^,\]}\n#]*").match(self.text, self.pos)
            self.pos = match.end() if match else self.pos + 1

    def _record_key(self, path: KeyPath) -> None:
        for length in range(1, len(path) + 1):
            self._record(path[:length])

    def _scan(self) -> None:
        table: KeyPath = ()
        counts: dict[KeyPath, int] = {}
        while True:
            self._skip_space(True)
            if self.pos >= len(self.text):
                return
            if self._peek(2) == "[[":
                self.pos += 2
                name = self._key()
                index = counts.get(name, 0)
                counts[name] = index + 1
                table = (*name, index)
                self._record_key(table)
                self.pos = self.text.find("]]", self.pos) + 2
            elif self._peek() == "[":
                self.pos += 1
                table = self._key()
                self._record_key(table)
                self.pos = self.text.find("]", self.pos) + 1
            else:
                start = self.pos
                key = self._key()
                if not key or self._peek() != "=":
                    # Not a key we understand: skip the line rather than loop forever.
                    end = self.text.find("\n", start)
                    self.pos = len(self.text) if end < 0 else end + 1
                    continue
                self._record_key((*table, *key))
                self.pos += 1
                self._value((*table, *key))


# ---------------------------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class LoadedConfig:
    """One config file, validated: its settings and where each key was set."""

    path: Path
    settings: Settings
    origins: Mapping[str, str]  # config key → "FILE:LINE"


def _read_config_bytes(path: Path) -> bytes:
    from skillkit.reading import read_file_bytes

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
    locator = _Locator(text)
    for name, value in table.items():
        key = declared[name]
        values[key.setting] = key.convert(value, root)
        origins[name] = f"{path}:{locator.line_of((*prefix, name)) or 1}"
    return LoadedConfig(path, replace(DEFAULT_SETTINGS, **values), origins)


def _check_root(
    path: Path, text: str, table: dict[str, Any], prefix: KeyPath, declared: Mapping[str, Key]
) -> Path:
    root = Spec("table", fields={name: key.spec for name, key in declared.items()})
    try:
        _check(root, table, ())
    except _Invalid as error:
        line = _Locator(text).line_of((*prefix, *error.path))
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


# ---------------------------------------------------------------------------------------------
# Flags on top of files


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
        from skillkit.targets import TARGETS

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


# ---------------------------------------------------------------------------------------------
# The JSON Schema, from the same declaration


def _schema_of(spec: Spec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if spec.help:
        out["description"] = spec.help
    if spec.kind == "string":
        out["type"] = "string"
        if spec.choices is not None:
            out["enum"] = list(spec.choices)
        if spec.string_kind == "selector":
            out.update(_selector_schema())
        elif spec.string_kind == "regex":
            out["format"] = "regex"
    elif spec.kind in ("integer", "number", "boolean"):
        out["type"] = spec.kind
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
        if spec.maximum is not None:
            out["maximum"] = spec.maximum
    elif spec.kind == "array":
        out["type"] = "array"
        if spec.items is not None:
            out["items"] = _schema_of(spec.items)
    else:
        out["type"] = "object"
        if spec.fields is not None:
            out["properties"] = {name: _schema_of(item) for name, item in spec.fields.items()}
            out["additionalProperties"] = False
            if spec.required:
                out["required"] = list(spec.required)
            if spec.one_of:
                out["oneOf"] = [{"required": [name]} for name in spec.one_of]
        elif spec.values is not None:
            out["additionalProperties"] = _schema_of(spec.values)
            if spec.key_kind == "selector":
                out["propertyNames"] = {"type": "string", **_selector_schema()}
    if spec.default is not None and spec.kind != "table":
        out["default"] = spec.default
    return out


def _selector_schema() -> dict[str, Any]:
    from skillkit.registry import LINT, all_rules

    rules = {code: rule for code, rule in all_rules().items() if rule.phase == LINT}
    exact = ["ALL", *sorted(rules), *sorted(rule.name for rule in rules.values())]
    return {"anyOf": [{"enum": exact}, {"pattern": "^SK[0-9]{0,3}$"}]}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a `skillkit.toml` (and of `[tool.skillkit]`)."""
    root = Spec("table", fields={name: key.spec for name, key in keys().items()})
    schema = _schema_of(root)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "skillkit configuration",
        "description": "skillkit.toml, or the [tool.skillkit] table of pyproject.toml.",
        **schema,
    }
