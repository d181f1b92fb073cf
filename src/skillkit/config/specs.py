"""How a config value is declared (`Spec`: its type, its choices, the check that refines a
string), and the declaration of one custom guardrail, which SK307 checks the entries of
Settings made in code with as well. The top-level keys are declared in `config.keys`.

No rule and no registry is imported here: the guardrail rule imports this module."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from skillkit.diagnostics import Severity
from skillkit.user_regex import UserRegexError, compile_user_regex

SEVERITIES = tuple(severity.label for severity in sorted(Severity, reverse=True))  # error first
# The largest `max-file-bytes`: 1 GB is far past any skill, and within what a read can ask for.
MAX_FILE_BYTES_LIMIT = 1_000_000_000

# Where a value is, relative to the skillkit table: keys and array indexes.
KeyPath = tuple[str | int, ...]
# What is wrong with a string of the config, or None: given the string and the key it is at, as
# the user writes it (`guardrails[0].pattern`).
StringCheck = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Spec:
    """What one config value may be.

    `kind` is the TOML/JSON type. A table either has known `fields` (a record) or any keys
    (`values` says what each value is, `key_kind` what each key must be: a rule selector, a
    glob, or anything). `check` refines a string (a rule selector, a regular expression, a
    gitignore pattern), `key_check` each key of a table with free keys; `string_kind` and
    `key_kind` say what they are for the JSON Schema.
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
    nonblank: bool = False  # a string with something in it besides white space
    check: StringCheck | None = None
    key_check: StringCheck | None = None
    one_of: tuple[str, ...] = ()  # a record must have exactly one of these fields
    required: tuple[str, ...] = ()
    free: bool = False  # a table whose content another module validates (render)
    default: Any = None


def regex_problem(text: str, key: str) -> str | None:
    """Why `text` is not a regular expression that skillkit runs (see `user_regex`), or None."""
    try:
        compile_user_regex(text)
    except UserRegexError as error:
        return f"`{key}` is not a regular expression: {error}"
    return None


# One custom guardrail: the config validates each entry of `guardrails` with it, and SK307
# each entry it is given (Settings made in code skip the config).
GUARDRAIL = Spec(
    "table",
    "A forbidden command: `prefix` (the command's words start with these) or `pattern` (a "
    "regular expression over the command line), the `message` a finding shows, its `severity`.",
    fields={
        "prefix": Spec(
            "string", "The command's words start with these words (`rm -rf`).", nonblank=True
        ),
        "pattern": Spec(
            "string",
            "A regular expression searched in the command line.",
            string_kind="regex",
            check=regex_problem,
        ),
        "message": Spec(
            "string", "What the finding says (why the command is forbidden).", nonblank=True
        ),
        "severity": Spec("string", "The finding's severity.", choices=SEVERITIES),
    },
    one_of=("prefix", "pattern"),
    required=("message",),
)
