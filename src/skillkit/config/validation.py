"""Validation of config values against their declaration (`config.specs`): the first value
that does not fit raises `InvalidValue`, with where it is and a message that names the key (and
a did-you-mean for a misspelt key, choice or rule code)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from skillkit.config.specs import KeyPath, Spec
from skillkit.engine.discover import compile_ignore_lines
from skillkit.registry import render_only, resolve_code, unknown_rule_hint
from skillkit.user_regex import UserRegexError, compile_user_regex


class InvalidValue(Exception):
    """A value that does not fit its declaration, at `path` (relative to the skillkit table)."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


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
    if resolve_code(text):
        problem = render_only(text)
        if problem is not None:
            raise InvalidValue(path, problem)
        return
    raise InvalidValue(path, f"unknown rule code or prefix `{text}`{unknown_rule_hint(text)}")


def check_value(spec: Spec, given: Any, path: KeyPath) -> None:
    """Raise `InvalidValue` (with the path and a message that names it) unless `given` fits
    `spec`; `path` is where `given` is, for the messages."""
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
        raise InvalidValue(
            path,
            f"`{_dotted(path)}` must be {_kind_phrase(spec)}, not {_type_name(value)}",
        )
    if spec.kind == "string":
        if spec.choices is not None and value not in spec.choices:
            choices = ", ".join(spec.choices)
            hint = _did_you_mean(value, spec.choices) or f" (one of {choices})"
            raise InvalidValue(path, f"`{_dotted(path)}` cannot be `{value}`{hint}")
        if spec.string_kind == "selector":
            _check_selector(value, path)
        elif spec.string_kind == "regex":
            try:
                compile_user_regex(value)
            except UserRegexError as error:
                message = f"`{_dotted(path)}` is not a regular expression: {error}"
                raise InvalidValue(path, message) from None
        elif spec.string_kind == "gitignore":
            for _number, _pattern, reason in compile_ignore_lines([value])[1]:
                raise InvalidValue(path, f"`{_dotted(path)}` is not a gitignore pattern: {reason}")
    elif spec.kind == "integer" and spec.minimum is not None and value < spec.minimum:
        raise InvalidValue(path, f"`{_dotted(path)}` must be at least {spec.minimum}")
    elif spec.kind == "integer" and spec.maximum is not None and value > spec.maximum:
        raise InvalidValue(path, f"`{_dotted(path)}` must be at most {spec.maximum:,}")
    elif spec.kind == "array" and spec.items is not None:
        for index, item in enumerate(value):
            check_value(spec.items, item, (*path, index))
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
                raise InvalidValue((*path, key), f"unknown key `{key}`{where}{hint}")
            check_value(spec.fields[key], item, (*path, key))
        present = [name for name in spec.one_of if name in value]
        if spec.one_of and len(present) != 1:
            names = " or ".join(f"`{name}`" for name in spec.one_of)
            raise InvalidValue(path, f"`{_dotted(path)}` needs exactly one of {names}")
        for name in spec.required:
            if name not in value:
                raise InvalidValue(path, f"`{_dotted(path)}` needs `{name}`")
        return
    for key, item in value.items():
        if spec.key_kind == "selector":
            _check_selector(key, (*path, key))
        if spec.values is not None:
            check_value(spec.values, item, (*path, key))


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
