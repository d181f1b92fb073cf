"""Command helpers for templates: `vrctl.service_add(...)` and friends, and `shell_quote`.

A helper builds argv from the same grammar that lint checks commands with
(`skillkit.tools.VRCTL`), quotes each word for POSIX sh, and matches the result against the
grammar before handing it to the template, so a rendered command is one lint accepts. A helper
asked for a command that cannot work raises `HelperError`; the render turns it into a finding at
the template line of the call.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from jinja2 import Undefined

from skillkit.model import Span, Token
from skillkit.shell import commands_of_text
from skillkit.tools import matched_programs
from skillkit.tools.grammar import SHELL_VARIABLE
from skillkit.tools.vrctl import APP_DIR

INDENT = "  "

# A documentation placeholder (`<name>`, or inside a word: `<entry>.ts`) is written as is: the
# reader fills it in.
_PLACEHOLDER = re.compile(r"^<[^<>\s]+>$")
_PLACEHOLDER_IN_WORD = re.compile(r"<[^<>\s]+>")
# vrctl uses the name as a directory under ~/.local/services; `/`, `..` or a leading `.` break
# or hide the service (vrctl.md).
_SERVICE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ENV_KEY = re.compile(r"^[A-Za-z0-9_]+$")
_MISE_TOOL = re.compile(r"^[A-Za-z0-9][^\s]*$")


class HelperError(Exception):
    """A helper was asked for a command that cannot work; the message says why."""


class _Default:
    def __repr__(self) -> str:
        return "APP_DIR"


_APP_DIR_DEFAULT: Any = _Default()


def _defined(value: object) -> None:
    """Raise Jinja's own undefined error for an undefined argument (or one inside a list or
    table), so that the render reports the name (SK702), not a wrong type."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if isinstance(value, Mapping):
        for key, item in value.items():
            _defined(key)
            _defined(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _defined(item)


_Helper = TypeVar("_Helper", bound=Callable[..., str])


def _arguments_defined(helper: _Helper) -> _Helper:
    @functools.wraps(helper)
    def checked(*args: Any, **kwargs: Any) -> str:
        for value in (*args, *kwargs.values()):
            _defined(value)
        return helper(*args, **kwargs)

    return checked  # type: ignore[return-value]


def is_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER.match(text))


@_arguments_defined
def shell_quote(value: object) -> str:
    """The `shell_quote` filter: one word for POSIX sh, whatever the value holds."""
    if value is None:
        raise HelperError("shell_quote was given none; give it a value")
    return shlex.quote(str(value))


def has_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER_IN_WORD.search(text))


def _word(text: str) -> str:
    if is_placeholder(text):
        return text
    if has_placeholder(text):
        rest = _PLACEHOLDER_IN_WORD.sub("x", text)
        if shlex.quote(rest) == rest:
            return text  # `<entry>.ts`: safe around its placeholder
    return shlex.quote(text)


def _text(value: object, what: str) -> str:
    if isinstance(value, bool) or value is None:
        raise HelperError(f"{what} must be a string, not {value!r}")
    if isinstance(value, (str, int, float)):
        return str(value)
    raise HelperError(f"{what} must be a string, not {type(value).__name__}")


def _no_newline(text: str, what: str) -> str:
    if "\n" in text or "\r" in text:
        raise HelperError(
            f"{what} {text!r} holds a line break; vrctl stores values one a line, so it would "
            "split in two"
        )
    return text


def _service_name(name: object) -> str:
    text = _text(name, "the service name")
    if not is_placeholder(text) and not _SERVICE_NAME.match(text):
        raise HelperError(
            f"service name {text!r} is not a safe name ([a-z0-9][a-z0-9_-]*): vrctl makes it a "
            "directory, where `/`, `..` or a leading `.` break or hide the service"
        )
    return text


def _cwd(cwd: object, service: str) -> str:
    if cwd is _APP_DIR_DEFAULT:
        return APP_DIR
    if cwd is None:
        # Without --cwd the process runs in the service folder, which lint warns about (SK410).
        raise HelperError(
            f"cwd=none leaves out --cwd, so the process would run in the service folder "
            f"(~/.local/services/{service}); give the folder it runs in (default {APP_DIR})"
        )
    text = _no_newline(_text(cwd, "cwd"), "cwd")
    if not is_placeholder(text) and not text.startswith("/"):
        raise HelperError(
            f"cwd {text!r} is not an absolute path; vrctl would resolve it from the service "
            f"directory (app code lives in {APP_DIR})"
        )
    return text


def _args(args: object, what: str = "args") -> list[str]:
    if args is None:
        return []
    if isinstance(args, (str, bytes)) or not isinstance(args, Iterable):
        raise HelperError(f"{what} must be a list of words, not {type(args).__name__} {args!r}")
    return [_no_newline(_text(arg, f"an item of {what}"), "argument") for arg in args]


def _env(env: object) -> list[str]:
    if env is None:
        return []
    if isinstance(env, Mapping):
        pairs = [
            (_text(key, "an env key"), _text(value, "an env value")) for key, value in env.items()
        ]
    elif isinstance(env, Iterable) and not isinstance(env, (str, bytes)):
        pairs = []
        for item in env:
            key, equals, value = _text(item, "an env item").partition("=")
            if not equals:
                raise HelperError(f"env item {item!r} needs the form KEY=VAL")
            pairs.append((key, value))
    else:
        raise HelperError(f"env must be a table or a list of KEY=VAL, not {env!r}")
    out = []
    for key, value in pairs:
        if not _ENV_KEY.match(key):
            raise HelperError(
                f"env key {key!r} is not valid: vrctl accepts only letters, digits and `_`"
            )
        if not value:
            raise HelperError(f"env {key} has an empty value; vrctl refuses `--env {key}=`")
        variable = SHELL_VARIABLE.search(value)
        if variable:
            raise HelperError(
                f"env {key} holds `{variable.group(0)}`: vrctl stores env values literally, so "
                "the program would get it as written, not its value; write the value itself"
            )
        out.append(f"{key}={_no_newline(value, f'env {key}')}")
    return out


def _mise_tools(mise: object) -> list[str] | None:
    """None: no wrapping; a list (maybe empty): wrap, pinning these tools."""
    if mise is False or mise is None:
        return None
    if mise is True:
        return []
    tools = [mise] if isinstance(mise, str) else _args(mise, "mise")
    for tool in tools:
        if not isinstance(tool, str) or not _MISE_TOOL.match(tool):
            raise HelperError(f"mise tool {tool!r} is not a TOOL@VERSION word")
    return [str(tool) for tool in tools]


def _check(groups: Sequence[Sequence[str]]) -> None:
    """Match the built words against their tool's grammar (and of every program it runs, as a
    `mise exec ... --` wraps one): the helpers and lint share one truth."""
    tokens: list[Token] = []
    column = 1
    for group in groups:
        for text in group:
            raw = _word(text)
            tokens.append(
                Token(
                    text,
                    raw,
                    Span.at(1, column, len(raw)),
                    quoted=raw != text,
                    placeholder=is_placeholder(text) or text == ELLIPSIS,
                    has_placeholder=has_placeholder(text),
                )
            )
            column += len(raw) + 1
    for argv, invocation in matched_programs(tokens):
        if invocation is not None and invocation.problems:
            built = " ".join(token.raw for token in tokens)
            raise HelperError(
                f"`{built}` is not a valid {argv[0].text} command: {invocation.problems[0].message}"
            )


LAYOUTS = ("lines", "one-line", "grouped")
ELLIPSIS = "..."  # an item of args: "more arguments", written bare (`--arg <arg> ...`)


def _layout(layout: object) -> str:
    if layout not in LAYOUTS:
        raise HelperError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    return str(layout)


def _format(groups: Sequence[Sequence[str]], layout: str = "lines") -> str:
    """The head on the first line, each later group on its own line after ` \\`; with
    `one-line`, every word on one line (what an inline span in backticks needs)."""
    _check(groups)
    lines = [" ".join(_word(word) for word in group) for group in groups]
    if layout == "one-line":
        return " ".join(lines)
    return f" \\\n{INDENT}".join(lines)


def _arg_groups(words: Sequence[str], together: bool) -> list[list[str]]:
    """`--arg WORD` for each word, a bare `...` after the word before it; one group a word, or
    (`together`) one group for all."""
    groups: list[list[str]] = []
    for word in words:
        if word == ELLIPSIS and groups:
            groups[-1].append(ELLIPSIS)
        else:
            groups.append(["--arg", word])
    if together and groups:
        return [[word for group in groups for word in group]]
    return groups


class VrctlHelpers:
    """The `vrctl` object templates see. Every method returns the command's text."""

    @_arguments_defined
    def service_add(
        self,
        name: object,
        cmd: object,
        args: object = (),
        cwd: object = _APP_DIR_DEFAULT,
        env: object = None,
        mise: object = False,
        no_start: bool = False,
        layout: object = "lines",
    ) -> str:
        """`vrctl service add`; with `mise`, the executable runs through
        `mise exec -C <cwd> [TOOL@VERSION]... --` so the service gets the project's toolchain.
        `layout`: "lines" (one flag a line), "grouped" (the program's words on one line; mise's
        `-C <dir>` on its own), "one-line" (for an inline span). An `args` item `...` is written
        bare, for "more arguments"."""
        service = _service_name(name)
        executable = _no_newline(_text(cmd, "cmd"), "cmd")
        if not executable or any(char.isspace() for char in executable):
            raise HelperError(
                f"cmd {executable!r} must be one executable without whitespace; pass its "
                "arguments in args (vrctl runs --cmd with exec, no shell)"
            )
        shape = _layout(layout)
        words = _args(args)
        directory = _cwd(cwd, service)
        env_pairs = _env(env)
        tools = _mise_tools(mise)
        groups: list[list[str]] = [["vrctl", "service", "add", service]]
        program = words
        if tools is None:
            groups.append(["--cmd", executable])
        else:
            groups += [["--cmd", "mise"], ["--arg", "exec"]]
            groups.append(["--arg", "-C", "--arg", directory])
            groups += [["--arg", tool] for tool in tools]
            groups.append(["--arg", "--"])
            program = [executable, *words]
        groups += _arg_groups(program, together=shape == "grouped")
        groups.append(["--cwd", directory])
        groups += [["--env", pair] for pair in env_pairs]
        if no_start:
            groups.append(["--no-start"])
        return _format(groups, shape)
        return _format(groups)

    def _simple(self, verb: str, name: object) -> str:
        return _format([["vrctl", "service", verb, _service_name(name)]])

    @_arguments_defined
    def service_start(self, name: object) -> str:
        return self._simple("start", name)

    @_arguments_defined
    def service_stop(self, name: object) -> str:
        return self._simple("stop", name)

    @_arguments_defined
    def service_restart(self, name: object) -> str:
        return self._simple("restart", name)

    @_arguments_defined
    def service_status(self, name: object) -> str:
        return self._simple("status", name)

    @_arguments_defined
    def service_remove(self, name: object) -> str:
        return self._simple("remove", name)

    @_arguments_defined
    def service_logs(self, name: object, lines: object = None) -> str:
        words = ["vrctl", "service", "logs", _service_name(name)]
        if lines is not None:
            whole = isinstance(lines, int) and not isinstance(lines, bool) and lines >= 1
            if not whole and not (isinstance(lines, str) and is_placeholder(lines)):
                raise HelperError(f"lines must be a whole number of at least 1, not {lines!r}")
            words += ["-n", str(lines)]
        return _format([words])

    @_arguments_defined
    def service_list(self) -> str:
        return _format([["vrctl", "service", "list"]])

    @_arguments_defined
    def host_snapshot(self) -> str:
        return _format([["vrctl", "host", "snapshot"]])

    @_arguments_defined
    def host_snapshots(self) -> str:
        return _format([["vrctl", "host", "snapshots"]])

    @_arguments_defined
    @_arguments_defined
    def host_branch_list(self) -> str:
        return _format([["vrctl", "host", "branch", "list"]])

    @_arguments_defined
    def host_branch_create(
        self, name: object, attach: bool = False, allow_existing: bool = False
    ) -> str:
        words = ["vrctl", "host", "branch", "create", _service_name(name)]
        words += ["--attach"] if attach else []
        words += ["--allow-existing"] if allow_existing else []
        return _format([words])

    @_arguments_defined
    def host_branch_delete(self, name: object, attach: bool = False) -> str:
        words = ["vrctl", "host", "branch", "delete", _service_name(name)]
        return _format([words + (["--attach"] if attach else [])])

    @_arguments_defined
    def host_branch_apply(self, name: object = None, attach: bool = False) -> str:
        words = ["vrctl", "host", "branch", "apply"]
        if name is not None:
            words.append(_service_name(name))
        return _format([words + (["--attach"] if attach else [])])

    @_arguments_defined
    def host_attach(self, app: object, shell: bool = False) -> str:
        words = ["vrctl", "host", "attach", _service_name(app)]
        return _format([words + (["--shell"] if shell else [])])

    @_arguments_defined
    def host_urls(self, mode: object) -> str:
        return _format([["vrctl", "host", "urls", _text(mode, "the urls mode")]])

    def host_restore(self, ref: object) -> str:
        text = _text(ref, "the snapshot ref")
        if not is_placeholder(text) and (text != "latest" and ("/" in text or ":" in text)):
            raise HelperError(
                f"snapshot ref {text!r}: the host accepts only `latest` or a tag without `/` or `:`"
            )
        return _format([["vrctl", "host", "restore", text]])


VRCTL_HELPERS = VrctlHelpers()


class MiseHelpers:
    """The `mise` object templates see: `mise.exec(...)`."""

    @_arguments_defined
    def exec(
        self,
        cmd: object,
        args: object = (),
        dir: object = _APP_DIR_DEFAULT,
        tools: object = (),
        layout: object = "one-line",
    ) -> str:
        """`mise exec -C DIR [TOOL@VERSION]... -- CMD ARGS...`, one line by default (a crontab
        line, an inline span); `dir=none` leaves out `-C`."""
        shape = _layout(layout)
        executable = _no_newline(_text(cmd, "cmd"), "cmd")
        if not executable or any(char.isspace() for char in executable):
            raise HelperError(f"cmd {executable!r} must be one executable without whitespace")
        words = ["mise", "exec"]
        if dir is not None:
            folder = APP_DIR if dir is _APP_DIR_DEFAULT else _no_newline(_text(dir, "dir"), "dir")
            if not is_placeholder(folder) and not folder.startswith("/"):
                raise HelperError(f"dir {folder!r} is not an absolute path")
            words += ["-C", folder]
        words += _mise_tools(tools if tools != () else False) or []
        groups = [words, ["--", executable, *_args(args)]]
        return _format(groups, "one-line" if shape == "grouped" else shape)


# A crontab schedule: five fields, or one of cron's @ macros.
_CRON_MACROS = frozenset(
    {"@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,\-]+$")


class CronHelpers:
    """The `cron` object templates see: `cron.line(schedule, command, log=...)`."""

    @_arguments_defined
    def line(self, schedule: object, command: object, log: object = None) -> str:
        """One crontab line: the schedule, the command (a string such as `mise.exec(...)`
        returns, or a list of words to quote), and with `log` its output appended to that file
        (`>> LOG 2>&1`). The command is checked with lint's grammars."""
        when = _no_newline(_text(schedule, "schedule"), "schedule").strip()
        fields = when.split()
        if not (
            (len(fields) == 1 and fields[0] in _CRON_MACROS)
            or (len(fields) == 5 and all(_CRON_FIELD.match(field) for field in fields))
        ):
            raise HelperError(
                f"schedule {when!r} is not five crontab fields or an @ macro (@daily, ...)"
            )
        if isinstance(command, str):
            text = _no_newline(command, "command")
        else:
            text = " ".join(_word(word) for word in _args(command, "command"))
        if not text.strip():
            raise HelperError("the cron command is empty")
        if "\\\n" in text or "\n" in text:
            raise HelperError('the cron command must be one line (use layout="one-line")')
        if log is not None:
            target = _no_newline(_text(log, "log"), "log")
            if not is_placeholder(target) and not target.startswith("/"):
                # A quoted `~` is not expanded, and a relative path is cron's $HOME.
                raise HelperError(f"log {target!r} is not an absolute path")
            text += f" >> {_word(target)} 2>&1"
        line = f"{' '.join(fields)} {text}"
        for found in commands_of_text(line):
            _check([[token.text for token in found.argv]])
        return line


MISE_HELPERS = MiseHelpers()
CRON_HELPERS = CronHelpers()
