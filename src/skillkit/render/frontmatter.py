"""Front matter given as data (a table in the plan) → YAML text for one target.

Stable order (the spec's fields first, then the rest as written), quoting decided by PyYAML's
own resolver (so `yes`, `1.0` or `a: b` come out quoted and read back as the same string), no
line wrapping. Fields the target does not accept are mapped where a faithful mapping exists and
dropped otherwise: a Claude Code field never reaches a spec or Codex output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from skillkit.targets import Target

# The order fields are written in; fields not listed keep the order they were given in, after.
FIELD_ORDER = (
    "name",
    "description",
    "when_to_use",
    "license",
    "compatibility",
    "allowed-tools",
    "metadata",
)


@dataclass(frozen=True)
class Adapted:
    fields: dict[str, Any]
    dropped: tuple[str, ...]  # fields the target does not accept, left out
    mapped: tuple[str, ...]  # fields folded into an accepted one


def adapt(data: Mapping[str, Any], target: Target) -> Adapted:
    """The fields this target accepts, with the faithful mappings applied."""
    fields: dict[str, Any] = {}
    dropped: list[str] = []
    mapped: list[str] = []
    for key, value in data.items():
        if key in target.fields:
            fields[key] = value
        elif key == "when_to_use" and isinstance(value, str) and "description" in target.fields:
            # Claude Code shows `when_to_use` after the description; elsewhere the description
            # is the only place a client reads when to use a skill.
            mapped.append(key)
        else:
            dropped.append(key)
    if "when_to_use" in mapped:
        when = str(data["when_to_use"]).strip()
        description = str(fields.get("description", "")).rstrip()
        fields["description"] = f"{description} {when}".strip()
    tools = fields.get("allowed-tools")
    if isinstance(tools, list) and not target.allowed_tools_list:
        # The spec's form is one space-separated string.
        fields["allowed-tools"] = " ".join(str(tool) for tool in tools)
        mapped.append("allowed-tools")
    return Adapted(fields, tuple(dropped), tuple(mapped))


def _ordered(fields: Mapping[str, Any]) -> dict[str, Any]:
    first = [key for key in FIELD_ORDER if key in fields]
    rest = [key for key in fields if key not in FIELD_ORDER]
    return {key: fields[key] for key in (*first, *rest)}


class _Dumper(yaml.SafeDumper):
    """Block style, no aliases: what a reader of a SKILL.md expects."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # A multi-line value reads best, and round-trips exactly, as a literal block.
    style = "|" if "\n" in text.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def to_yaml(fields: Mapping[str, Any]) -> str:
    """The YAML text of the fields (without the `---` lines), ending in a newline."""
    if not fields:
        return ""
    return yaml.dump(
        _ordered(fields),
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1 << 30,
    )


def front_matter_block(fields: Mapping[str, Any]) -> str:
    return f"---\n{to_yaml(fields)}---\n"
