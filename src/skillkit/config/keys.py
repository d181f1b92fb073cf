"""The top-level config keys, declared once: what each may be (a `Spec`) and the `Settings`
field it sets. The validator (`config.validation`) and the JSON Schema (`config.schema`) are
both read off this declaration."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillkit.config.specs import GUARDRAIL, MAX_FILE_BYTES_LIMIT, SEVERITIES, Spec
from skillkit.diagnostics import Severity
from skillkit.engine.discover import compile_ignore_lines
from skillkit.registry import OPTIONS, all_rules, render_only, resolve_code, unknown_rule_hint
from skillkit.settings import DEFAULT_SETTINGS, Settings
from skillkit.targets import TARGET_NAMES, get_target


def selector_problem(text: str, _key: str) -> str | None:
    """Why `text` names no lint rule (a code, a prefix, a name or ALL), or None."""
    if resolve_code(text):
        return render_only(text)
    return f"unknown rule code or prefix `{text}`{unknown_rule_hint(text)}"


def gitignore_problem(text: str, key: str) -> str | None:
    """Why `text` is not a gitignore-style pattern, or None."""
    for _number, _pattern, reason in compile_ignore_lines([text])[1]:
        return f"`{key}` is not a gitignore pattern: {reason}"
    return None


SELECTOR = Spec("string", string_kind="selector", check=selector_problem)


def _selector_list(help: str) -> Spec:
    return Spec("array", help, items=SELECTOR, default=[])


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
    """A top-level key: its spec, the Settings field it sets (`convert` makes the field's value
    from the config's), and how `skillkit config` shows the value in force (`shown` makes the
    config's form back from the field's, given all the settings)."""

    spec: Spec
    setting: str
    convert: Callable[[Any, Path], Any] = lambda value, _root: value
    shown: Callable[[Any, Settings], Any] = lambda value, _settings: value

    def value_in(self, settings: Settings) -> Any:
        """The value in force in `settings`, shaped as the config file writes it."""
        return self.shown(getattr(settings, self.setting), settings)


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


# The converters back, from a Settings field to the config's form (for `skillkit config`).


def _listed(value: Any, _settings: Settings) -> list[Any]:
    return list(value)


def _shown_select(value: Any, _settings: Settings) -> list[str] | None:
    return list(value) if value is not None else None


def _shown_per_file(value: Any, _settings: Settings) -> dict[str, list[str]]:
    return {glob: list(codes) for glob, codes in value}


def _shown_severity(value: Any, _settings: Settings) -> dict[str, str]:
    return {code: severity.label for code, severity in sorted(value.items())}


def _shown_options(value: Any, _settings: Settings) -> dict[str, Any]:
    return {name: value.get(name, OPTIONS[name].default) for name in sorted(OPTIONS)}


def _shown_shared_sections(value: Any, settings: Settings) -> list[str]:
    return list(value if value is not None else get_target(settings.target).shared_sections)


def _shown_guardrails(value: Any, _settings: Settings) -> list[dict[str, Any]]:
    return [dict(item) for item in value]


def _shown_table(value: Any, _settings: Settings) -> dict[str, Any]:
    return dict(value)


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
            _selector_list("Only these rules (codes, prefixes, names or ALL)."),
            "select",
            _codes,
            _shown_select,
        ),
        "extend-select": Key(
            _selector_list("These rules in addition to the selected ones."),
            "extend_select",
            _codes,
            _listed,
        ),
        "ignore": Key(_selector_list("Not these rules."), "ignore", _codes, _listed),
        "per-file-ignores": Key(
            Spec(
                "table",
                "Rules to ignore in the files a glob (relative to the config's folder) matches.",
                values=Spec("array", items=SELECTOR),
                key_kind="glob",
                default={},
            ),
            "per_file_ignores",
            _per_file,
            _shown_per_file,
        ),
        "severity": Key(
            Spec(
                "table",
                "Severity overrides: rule code or prefix → error, warning or info.",
                values=Spec("string", choices=SEVERITIES),
                key_kind="selector",
                key_check=selector_problem,
                default={},
            ),
            "severity",
            _severity,
            _shown_severity,
        ),
        "options": Key(
            _options_spec(), "options", lambda value, _root: dict(value), _shown_options
        ),
        "exclude": Key(
            Spec(
                "array",
                "Paths that discovery skips (gitignore-style globs, relative to the config).",
                items=Spec("string", string_kind="gitignore", check=gitignore_problem),
                default=[],
            ),
            "exclude",
            _codes,
            _listed,
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
            _listed,
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
            _shown_shared_sections,
        ),
        "guardrails": Key(
            Spec("array", "The team's own forbidden commands.", items=GUARDRAIL, default=[]),
            "custom_guardrails",
            _guardrails,
            _shown_guardrails,
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
            _shown_table,
        ),
    }


def root_spec(declared: Mapping[str, Key]) -> Spec:
    """The whole skillkit table: a record of the top-level keys."""
    return Spec("table", fields={name: key.spec for name, key in declared.items()})
