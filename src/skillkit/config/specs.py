"""What each config key may be, declared once: a tree of `Spec`s, and for each top-level key
the `Settings` field it sets. The validator (`config.validation`) and the JSON Schema
(`config.schema`) are both read off this declaration."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillkit.diagnostics import Severity
from skillkit.registry import OPTIONS, all_rules, resolve_code
from skillkit.settings import DEFAULT_SETTINGS
from skillkit.targets import TARGET_NAMES

SEVERITIES = ("error", "warning", "info")
# The largest `max-file-bytes`: 1 GB is far past any skill, and within what a read can ask for.
MAX_FILE_BYTES_LIMIT = 1_000_000_000

# Where a value is, relative to the skillkit table: keys and array indexes.
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Spec:
    """What one config value may be.

    `kind` is the TOML/JSON type. A table either has known `fields` (a record) or any keys
    (`values` says what each value is, `key_kind` what each key must be: a rule selector, a
    glob, or anything). `string_kind` refines a string (a rule selector, a regular expression,
    a gitignore pattern).
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


GUARDRAIL = Spec(
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
    all_rules()  # (the options are declared as the rule families register)
    fields: dict[str, Spec] = {}
    for name in sorted(OPTIONS):
        option = OPTIONS[name]
        kind = {int: "integer", float: "number", bool: "boolean", str: "string"}.get(
            option.type, "array" if option.type in (list, tuple) else "string"
        )
        items = Spec("string") if kind == "array" else None
        fields[name] = Spec(kind, option.help, items=items, default=option.default)
    return Spec("table", "Options of individual rules.", fields=fields, default={})


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
                choices=TARGET_NAMES,
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
            Spec("array", "The team's own forbidden commands.", items=GUARDRAIL, default=[]),
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


def root_spec(declared: Mapping[str, Key]) -> Spec:
    """The whole skillkit table: a record of the top-level keys."""
    return Spec("table", fields={name: key.spec for name, key in declared.items()})
