"""The Jinja environment templates run in, and rendering with a line map.

Sandboxed (no `__class__`, `__globals__` or other private attributes), strict about undefined
names, trailing newlines kept, blocks trimmed (`trim_blocks`, `lstrip_blocks`: a `{% if %}` line
leaves no blank line behind), and templates loaded only from the templates folder.

The line map: Jinja compiles a template to a Python generator that yields the output piece by
piece, and records which template line each line of that code came from (`debug_info`).
Rendering piece by piece and reading, at each piece, the line the innermost template generator
is suspended at gives the template file and line of every output line; a literal piece (one of
the code's constants) advances the template line with each line break it holds.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.environment import Environment
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from skillkit.reading import UnreadableFile, read_regular_file
from skillkit.render.helpers import (
    APP_DIR,
    CRON_HELPERS,
    MISE_HELPERS,
    VRCTL_HELPERS,
    HelperError,
    shell_quote,
)
from skillkit.rules import render as render_rules
from skillkit.rules.base import RenderRule


@dataclass(frozen=True)
class Origin:
    """Where an output line came from: a template (its name under the templates folder) and
    line. `template` None: not from a template file (front matter written from the plan)."""

    template: str | None
    line: int


class TemplateFailure(Exception):
    """A template could not be rendered; the engine reports it as a finding."""

    def __init__(self, rule: RenderRule, message: str, template: str | None, line: int) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.template = template
        self.line = line

    @property
    def code(self) -> str:
        return self.rule.code


# A template over this is not a template (real ones are a few kB); it is refused unread.
TEMPLATE_MAX_BYTES = 1_000_000


def inside(folder: Path | str, root: Path | str) -> bool:
    """Whether `folder`, symlinks resolved, is `root` or under it (symlinks resolved too)."""
    real_root = os.path.realpath(root)
    return os.path.commonpath([os.path.realpath(folder), real_root]) == real_root


class TemplateLoader(FileSystemLoader):
    """Loads templates from the templates folder only: not through a symlinked templates folder
    that leads outside the project (`root`), nor a symlink inside it that leads out of it
    (FileSystemLoader itself refuses only `..` in the name), and only regular files, read
    through the bounded reader (a FIFO would block the render forever)."""

    def __init__(self, folder: Path, root: Path | None = None) -> None:
        super().__init__(str(folder))
        self.folder = folder
        self.root = root

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses `..`
        if self.root is not None and not inside(self.folder, self.root):
            raise TemplateNotFound(
                f"{template} (the templates folder `{self.folder.name}` leads outside the "
                "project through a symlink)"
            )
        filename = os.path.join(self.folder, *pieces)
        if not inside(filename, self.folder):
            raise TemplateNotFound(f"{template} (it leads outside the templates folder)")
        try:
            data, status = read_regular_file(filename, TEMPLATE_MAX_BYTES)
        except UnreadableFile as refused:
            raise TemplateNotFound(f"{template} ({refused})") from None
        except OSError:
            raise TemplateNotFound(template) from None
        mtime = status.st_mtime_ns

        def uptodate() -> bool:
            try:
                return os.stat(filename).st_mtime_ns == mtime
            except OSError:
                return False

        return data.decode("utf-8"), os.path.normpath(filename), uptodate


# The CPU time one render (one output, or one string of the plan) may take, and the default
# size of what it makes (`max-file-bytes` of the settings when the engine makes the
# environment). CPU time of the rendering thread, read with `time.thread_time`: it works in any
# thread (the language server renders outside the main thread, where no signal can be used),
# and a loaded machine does not make a render fail.
RENDER_SECONDS = 5.0
DEFAULT_MAX_BYTES = 1_000_000
# How often a loop checks the clock (every this many items).
_CHECK_EVERY = 256
_LOOP_FILTER = "skillkit_counted_loop"
_SIZE_FILTER = "skillkit_sized"


class RenderLimit(Exception):
    """A render went over its time or size bound (reported as SK706)."""


class _Budget:
    def __init__(self, seconds: float, max_bytes: int, spent: bool = False) -> None:
        self.deadline = time.thread_time() + (0 if spent else seconds)
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.spent = spent  # another render of this run already went over the time bound
        self.over = False

    def check_time(self) -> None:
        if time.thread_time() <= self.deadline:
            return
        self.over = True
        if self.spent:
            raise RenderLimit(
                f"another output of this run took more than {self.seconds:g} s of CPU time, "
                "so this one was not rendered"
            )
        raise RenderLimit(
            f"the render took more than {self.seconds:g} s of CPU time; it was stopped"
        )

    def check_size(self, value: Any) -> Any:
        if isinstance(value, str | bytes | list | tuple | dict) and len(value) > self.max_bytes:
            raise RenderLimit(
                f"the render made a value of {len(value):,} characters or items, over the "
                f"limit of {self.max_bytes:,} (option `max-file-bytes`)"
            )
        return value

    def check_output(self, size: int) -> None:
        if size > self.max_bytes:
            raise RenderLimit(
                f"the output is over {self.max_bytes:,} characters, the limit "
                "(option `max-file-bytes`); it was not written"
            )


class _Bounding(NodeTransformer):
    """Rewrites a parsed template so that every `{% for %}` counts its items against the time
    bound and every `~` concatenation checks its size (neither calls anything the sandbox sees:
    two nested loops over `range(100000)` would otherwise run for hours)."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, _LOOP_FILTER, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(node, _SIZE_FILTER, [], [], None, None, lineno=node.lineno)


# A repeat count or exponent is checked before the operation: `"x" * 10**12` would allocate
# before any check after it could run.
_MAX_POWER_BITS = 4_096


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, with every render bounded in CPU time and in size: loops, calls, filters,
    operators and the output itself check the budget of the render in progress (one a
    thread)."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, *args: Any, max_bytes: int = DEFAULT_MAX_BYTES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.render_seconds = RENDER_SECONDS
        self.overrun = False
        self._local = threading.local()
        self.filters = {name: self._bounded_filter(f) for name, f in self.filters.items()}
        self.filters[_LOOP_FILTER] = self._counted_loop
        self.filters[_SIZE_FILTER] = self._sized

    @contextlib.contextmanager
    def budget(self) -> Iterator[_Budget]:
        """The budget of one render, for the calls made in this thread meanwhile."""
        outer = getattr(self._local, "budget", None)
        # Once a render of this run went over the time bound, the others are not tried: a
        # template that loops for ever is most likely used by every output of a matrix, and the
        # run (or the editor waiting on the language server) should not wait once per output.
        budget = _Budget(self.render_seconds, self.max_bytes, self.overrun)
        self._local.budget = budget
        try:
            yield budget
        finally:
            self._local.budget = outer
            self.overrun = self.overrun or budget.over

    def _current(self) -> _Budget:
        budget: _Budget | None = getattr(self._local, "budget", None)
        if budget is None:  # a render outside `budget()` (a test, say): a fresh one
            budget = self._local.budget = _Budget(self.render_seconds, self.max_bytes)
        return budget

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        bounded = _Bounding().visit(tree)
        assert isinstance(bounded, nodes.Template)
        return bounded

    def _counted_loop(self, iterable: Any) -> Iterator[Any]:
        budget = self._current()
        budget.check_time()
        for count, item in enumerate(iterable):
            if count % _CHECK_EVERY == 0:
                budget.check_time()
            yield item

    def _sized(self, value: Any) -> Any:
        return self._current().check_size(value)

    def _bounded_filter(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            budget = self._current()
            budget.check_time()
            _check_widths(budget, args[1:], kwargs)  # (the first is the value filtered)
            return budget.check_size(function(*args, **kwargs))

        return bounded

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = __self._current()
        budget.check_time()
        if isinstance(getattr(__obj, "__self__", None), str):  # "x".ljust(10**9) and the like
            _check_widths(budget, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        return budget.check_size(result)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget = self._current()
        budget.check_time()
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | bytes | list | tuple)
                    and isinstance(count, int)
                    and len(sequence) * count > budget.max_bytes
                ):
                    raise RenderLimit(
                        f"`*` would make {len(sequence) * count:,} characters or items, over "
                        f"the limit of {budget.max_bytes:,} (option `max-file-bytes`)"
                    )
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and abs(left) > 1
            and right * max(abs(left).bit_length(), 1) > _MAX_POWER_BITS
        ):
            raise RenderLimit(f"`**` would make a number of more than {_MAX_POWER_BITS} bits")
        return budget.check_size(super().call_binop(context, operator, left, right))


def _check_widths(budget: _Budget, args: Any, kwargs: Any) -> None:
    """Refuse a width or count argument over the size limit (`center(10**9)`), which would
    allocate that much before anything could check the result."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and value > budget.max_bytes:
            raise RenderLimit(
                f"an argument of {value:,} is over the limit of {budget.max_bytes:,} "
                "(option `max-file-bytes`)"
            )


def make_environment(
    templates: Path, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> BoundedEnvironment:
    """The environment of a plan whose templates are in `templates`, inside the project `root`
    (None: not checked); each render in it makes at most `max_bytes`."""
    env = BoundedEnvironment(
        max_bytes=max_bytes,
        loader=TemplateLoader(templates, root),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        auto_reload=False,
    )
    env.filters["shell_quote"] = shell_quote
    env.globals["vrctl"] = VRCTL_HELPERS
    env.globals["mise"] = MISE_HELPERS
    env.globals["cron"] = CRON_HELPERS
    env.globals["app_dir"] = APP_DIR
    return env


def _template_line(debug_info: str, code_line: int) -> int:
    """The template line of a line of compiled code (Jinja's own rule: the last mapping at or
    before it)."""
    found = 1
    for pair in debug_info.split("&") if debug_info else ():
        template_line, _, mapped = pair.partition("=")
        if int(mapped) <= code_line:
            found = int(template_line)
        else:
            break
    return found


def _is_template_frame(frame: FrameType, env: Environment) -> bool:
    scope = frame.f_globals
    return scope.get("environment") is env and isinstance(scope.get("debug_info"), str)


def _innermost(generator: Iterator[str]) -> FrameType | None:
    """The frame of the template generator that produced the last piece: follow `yield from`
    (blocks, extends) and the `gen` loop variable Jinja uses for `{% include %}`."""
    frame: FrameType | None = getattr(generator, "gi_frame", None)
    while frame is not None:
        inner = getattr(generator, "gi_yieldfrom", None)
        if inner is None:
            candidate = frame.f_locals.get("gen")
            if getattr(candidate, "gi_frame", None) is not None:
                inner = candidate
        inner_frame = getattr(inner, "gi_frame", None)
        if inner is None or inner_frame is None:
            return frame
        generator, frame = inner, inner_frame
    return None


def locate(traceback: TracebackType | None, env: Environment) -> tuple[str | None, int]:
    """The template and line of the innermost template frame in a traceback."""
    found: tuple[str | None, int] = (None, 1)
    while traceback is not None:
        frame = traceback.tb_frame
        if _is_template_frame(frame, env):
            name = frame.f_globals.get("name")
            found = (
                name if isinstance(name, str) else None,
                _template_line(frame.f_globals["debug_info"], traceback.tb_lineno),
            )
        traceback = traceback.tb_next
    return found


@dataclass(frozen=True)
class Rendered:
    text: str
    origins: tuple[Origin | None, ...]  # one an output line


def _missing(error: TemplateNotFound) -> str:
    # Jinja's message lists the absolute search path; the name (and why) is what helps.
    return str(error.message) if "(" in str(error.message) else str(error.name)


def _failure(error: Exception, env: Environment, fallback: str | None) -> TemplateFailure:
    template, line = locate(error.__traceback__, env)
    template = template or fallback
    if isinstance(error, TemplateSyntaxError):
        return TemplateFailure(
            render_rules.TEMPLATE_SYNTAX_ERROR,
            f"template syntax error: {error.message}",
            error.name or fallback,
            error.lineno,
        )
    if isinstance(error, UndefinedError):
        return TemplateFailure(
            render_rules.UNDEFINED_NAME, f"undefined: {error.message}", template, line
        )
    if isinstance(error, HelperError):
        return TemplateFailure(
            render_rules.IMPOSSIBLE_COMMAND, f"impossible command: {error}", template, line
        )
    if isinstance(error, RenderLimit):
        return TemplateFailure(render_rules.TEMPLATE_ERROR, f"refused: {error}", template, line)
    if isinstance(error, SecurityError):
        return TemplateFailure(
            render_rules.TEMPLATE_ERROR, f"refused by the sandbox: {error}", template, line
        )
    if isinstance(error, TemplateNotFound):
        return TemplateFailure(
            render_rules.TEMPLATE_ERROR, f"template not found: {_missing(error)}", template, line
        )
    return TemplateFailure(
        render_rules.TEMPLATE_ERROR,
        f"template failed: {type(error).__name__}: {error}",
        template,
        line,
    )


def load(env: SandboxedEnvironment, name: str) -> Template:
    try:
        return env.get_template(name)
    except TemplateNotFound as error:
        raise TemplateFailure(
            render_rules.TEMPLATE_ERROR, f"template not found: {_missing(error)}", None, 1
        ) from None
    except Exception as error:
        raise _failure(error, env, name) from None


class _SourceIndex:
    """Finds where a literal piece sits in its template's source.

    Jinja marks the template line of expressions but not of every literal piece (the text after
    a `{% endif %}` keeps the line of the last marked node), so a literal's line is found by
    searching its text in the source, from the marked line on (or from just after the previous
    piece of the same template, when that is further on the same run of text).
    """

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.sources: dict[str, tuple[str, list[int]]] = {}
        self.cursor: dict[str, int] = {}

    def _source(self, name: str) -> tuple[str, list[int]] | None:
        if name not in self.sources:
            loader = self.env.loader
            if loader is None:
                return None
            try:
                text = loader.get_source(self.env, name)[0].replace("\r\n", "\n")
            except Exception:
                return None
            starts = [0]
            starts.extend(index + 1 for index, char in enumerate(text) if char == "\n")
            self.sources[name] = (text, starts)
        return self.sources[name]

    def line_of(self, name: str, marked: int, piece: str, literal: bool) -> int:
        found = self._source(name)
        if found is None:
            return marked
        text, starts = found
        line_start = starts[min(max(marked, 1), len(starts)) - 1]
        if not literal:
            self.cursor[name] = line_start
            return marked
        # The whole piece, or else its first line (Jinja folds constant expressions such as
        # `{{ 'a' ~ 'b' }}` into the text around them, so the whole piece may not be in the source).
        first_line = piece[: piece.find("\n") + 1] if "\n" in piece else ""
        for needle in (piece, first_line):
            if not needle:
                continue
            for start in (max(self.cursor.get(name, 0), line_start), line_start):
                position = text.find(needle, start)
                if position >= 0:
                    self.cursor[name] = position + len(needle)
                    return text.count("\n", 0, position) + 1
        return marked


def render_with_origins(
    env: SandboxedEnvironment, template: Template, variables: Mapping[str, Any]
) -> Rendered:
    """Render, and say which template line produced each output line."""
    pieces: list[str] = []
    origins: list[Origin | None] = [None]
    settled = [False]  # whether the line's origin came from a piece that wrote text on it
    index = _SourceIndex(env)
    size = 0
    try:
        with _budget(env) as budget:
            generator = template.root_render_func(template.new_context(dict(variables)))
            for piece in generator:
                _place(piece, generator, index, origins, settled)
                pieces.append(piece)
                size += len(piece)
                try:
                    budget.check_output(size)
                except RenderLimit as error:  # at the line being written
                    here = origins[-1] or Origin(template.name, 1)
                    raise TemplateFailure(
                        render_rules.TEMPLATE_ERROR,
                        f"refused: {error}",
                        here.template or template.name,
                        here.line,
                    ) from None
                budget.check_time()
    except TemplateFailure:
        raise
    except Exception as error:
        raise _failure(error, env, template.name) from None
    text = "".join(pieces)
    if text.endswith("\n"):
        origins.pop()  # the empty "line" after the final line break
    return Rendered(text, tuple(origins))


def _budget(env: SandboxedEnvironment) -> contextlib.AbstractContextManager[_Budget]:
    if isinstance(env, BoundedEnvironment):
        return env.budget()
    return contextlib.nullcontext(_Budget(RENDER_SECONDS, DEFAULT_MAX_BYTES))


def _place(
    piece: str,
    generator: Iterator[str],
    index: _SourceIndex,
    origins: list[Origin | None],
    settled: list[bool],
) -> None:
    """Note the origin of each output line that this piece writes on."""
    frame = _innermost(generator)
    name: str | None = None
    line = 1
    literal = False
    if frame is not None:
        raw_name = frame.f_globals.get("name")
        name = raw_name if isinstance(raw_name, str) else None
        line = _template_line(frame.f_globals.get("debug_info", ""), frame.f_lineno)
        literal = piece in frame.f_code.co_consts
        if name is not None and piece:
            line = index.line_of(name, line, piece, literal)
    for offset, part in enumerate(piece.split("\n")):
        here = Origin(name, line + offset if literal else line)
        if offset:
            origins.append(here)
            settled.append(False)
        if part and not settled[-1]:
            origins[-1] = here
            settled[-1] = True
        elif origins[-1] is None:
            origins[-1] = here


def render_string(env: SandboxedEnvironment, source: str, variables: Mapping[str, Any]) -> str:
    """A string of the plan (an output path, a front-matter value); plain text passes as is."""
    if "{" not in source:
        return source
    try:
        with _budget(env) as budget:
            text = env.from_string(source).render(dict(variables))
            budget.check_output(len(text))
            return text
    except Exception as error:
        failure = _failure(error, env, None)
        raise TemplateFailure(failure.rule, failure.message, None, 1) from None
