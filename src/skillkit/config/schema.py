"""The JSON Schema of a `skillkit.toml` (and of `[tool.skillkit]`), read off the same
declaration that validates a config (`config.specs`), for editors (`skillkit config-schema`)."""

from __future__ import annotations

from typing import Any

from skillkit.config.specs import Spec, keys, root_spec
from skillkit.registry import LINT, all_rules


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
    rules = {code: rule for code, rule in all_rules().items() if rule.phase == LINT}
    exact = ["ALL", *sorted(rules), *sorted(rule.name for rule in rules.values())]
    return {"anyOf": [{"enum": exact}, {"pattern": "^SK[0-9]{0,3}$"}]}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a `skillkit.toml` (and of `[tool.skillkit]`)."""
    schema = _schema_of(root_spec(keys()))
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "skillkit configuration",
        "description": "skillkit.toml, or the [tool.skillkit] table of pyproject.toml.",
        **schema,
    }
