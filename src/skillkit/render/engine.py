"""`skillkit render`: render every output in memory, check it, then write (or, with `check`,
compare).

Order matters for safety: every output is rendered, parsed and linted before any file is
touched, and when any of them has an error nothing is written at all. Writes are atomic and stay
inside the output root; an output edited by hand since it was rendered is left alone unless
`force`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment

from skillkit.atomic import write_atomic
from skillkit.diagnostics import Diagnostic, Related, Severity
from skillkit.engine.check import check_skill
from skillkit.engine.per_file import file_context
from skillkit.model import Span
from skillkit.outputs.files import (
    UnreadableOutput,
    UnsafePath,
    checksum,
    manifest_text,
    output_path,
    read_bytes,
    read_manifest,
)
from skillkit.outputs.plan import Plan, Variant
from skillkit.parse import parse_text
from skillkit.reading import read_file_bytes
from skillkit.render.environment import (
    Origin,
    TemplateFailure,
    inside,
    load,
    make_environment,
    render_string,
    render_with_origins,
)
from skillkit.render.frontmatter import adapt, front_matter_block
from skillkit.rules import render as render_rules
from skillkit.rules.base import RenderRule
from skillkit.settings import Settings
from skillkit.shell import commands_of_text
from skillkit.targets import get_target
from skillkit.text import printable, printable_line
from skillkit.tools import GRAMMARS, match

# What an output's file is, compared with what the plan renders. UNMANAGED: a file that differs
# and that the manifest does not record (never rendered here, or written before adopting render).
UNCHANGED, MISSING, STALE, EDITED, UNMANAGED = (
    "unchanged",
    "missing",
    "stale",
    "edited",
    "unmanaged",
)


@dataclass
class Output:
    variant: Variant
    relative: str  # the rendered output path, relative to the output root (POSIX)
    path: Path  # the file
    display: str  # the file, relative to the project root, for messages
    text: str | None = None  # None: rendering failed
    origins: tuple[Origin | None, ...] = ()
    dropped: tuple[str, ...] = ()  # front-matter fields the target does not accept
    state: str = ""  # UNCHANGED, MISSING, STALE or EDITED (set by compare)
    current: bytes | None = None
    action: str = ""  # "wrote", "refused", "" (nothing to do, or check mode)

    @property
    def data(self) -> bytes:
        return (self.text or "").encode("utf-8")

    def diff(self) -> str:
        old = (self.current or b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = (self.text or "").splitlines(keepends=True)
        lines = difflib.unified_diff(
            old,
            new,
            fromfile="/dev/null" if self.current is None else f"a/{self.display}",
            tofile=f"b/{self.display}",
        )
        # (each line through printable_line: control characters escaped, line ends kept)
        return "".join(
            printable_line(line)
            if line.endswith("\n")
            else printable_line(line) + "\n\\ No newline at end of file\n"
            for line in lines
        )


@dataclass
class Orphan:
    """An output the manifest records but no plan entry produces any more."""

    relative: str
    path: Path
    display: str
    edited: bool
    deleted: bool = False


@dataclass
class RenderResult:
    plan: Plan
    check: bool
    outputs: list[Output] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    manifest_stale: bool = False  # the manifest differs from what this render records
    wrote_manifest: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def out_of_date(self) -> list[Output]:
        return [output for output in self.outputs if output.state not in ("", UNCHANGED)]

    @property
    def refused(self) -> list[Output]:
        return [output for output in self.outputs if output.action == "refused"]

    @property
    def ok(self) -> bool:
        if self.errors:
            return False
        if self.check:
            return not self.out_of_date and not self.orphans and not self.manifest_stale
        return not self.refused and not any(o.edited and not o.deleted for o in self.orphans)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _diagnostic(
    rule: RenderRule,
    display: str,
    span: Span,
    message: str,
    related: tuple[Related, ...] = (),
    source_line: str = "",
) -> Diagnostic:
    """A render problem (SK7xx): its name and severity are declared in skillkit.rules.render."""
    return Diagnostic(
        path=display,
        span=span,
        code=rule.code,
        name=rule.name,
        severity=rule.severity,
        message=message,
        related=related,
        source_line=source_line,
    )


_UNDEFINED_NAME = re.compile(r"'([A-Za-z_][A-Za-z0-9_]*)' (?:is undefined|$)|attribute '([^']+)'")


def _undefined_span(failure: TemplateFailure, source_line: str) -> Span:
    """The span of the undefined name on its template line (SK702), else the line's start."""
    if failure.rule is not render_rules.UNDEFINED_NAME:
        return Span.at(failure.line)
    found = _UNDEFINED_NAME.search(failure.message)
    name = (found.group(1) or found.group(2)) if found else None
    if name:
        at = re.search(rf"(?<![\w'\"]){re.escape(name)}(?![\w'\"])", source_line)
        if at:
            return Span.at(failure.line, at.start() + 1, len(name))
    return Span.at(failure.line)


REACHED = "rendered into this output"


def outputs_reached(diagnostic: Diagnostic) -> list[str]:
    """The outputs (as displayed) a render finding was found in: its own path for a finding
    with no source line, else those its notes name."""
    reached = [r.path for r in diagnostic.related if r.path is not None and r.message == REACHED]
    return reached or [diagnostic.path]


class _Overlay(BaseLoader):
    """The render's loader, except that one template's source is the given text."""

    def __init__(self, inner: BaseLoader, name: str, text: str) -> None:
        self.inner = inner
        self.name = name
        self.text = text

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template == self.name:
            inner = self.inner.get_source(environment, template)  # the same safety checks
            return self.text, inner[1], lambda: False
        return self.inner.get_source(environment, template)


class _Run:
    def __init__(
        self, plan: Plan, settings: Settings, edited: tuple[str, str] | None = None
    ) -> None:
        self.plan = plan
        self.settings = settings
        self.env = make_environment(plan.templates, plan.root, settings.max_file_bytes)
        # (asked once a run: the output root, symlinks resolved, is inside the project)
        self.output_root_inside = inside(plan.output_root, plan.root)
        # (template name, text): a template whose source is this text, not its file
        self.edited = edited
        if edited is not None and self.env.loader is not None:
            self.env.loader = _Overlay(self.env.loader, *edited)
        self._outputs: list[Output] = []
        # The settings each target's outputs are linted with, made once a target: what the
        # rules derive from the settings is then derived once, not once an output.
        self._target_settings: dict[str, Settings] = {}
        self.plan_display = (
            f"{_relative(plan.source.path, plan.root)}" if plan.source.path else "render plan"
        )

    def template_display(self, name: str | None) -> str:
        if name is None:
            return self.plan_display
        return _relative(self.plan.templates / name, self.plan.root)

    def template_line(self, name: str | None, line: int) -> str:
        if name is None:
            return ""
        if self.edited is not None and name == self.edited[0]:
            source = self.edited[1]
        else:
            try:
                # (through the loader: the same folder checks and the bounded read)
                source = self.env.loader.get_source(self.env, name)[0] if self.env.loader else ""
            except Exception:
                return ""
        lines = source.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def _plan_line(self, variant: Variant) -> int:
        """The line of the plan entry (its `path = ...`), for findings about the entry itself."""
        if self.plan.source.path is None:
            return 1
        try:
            text = read_file_bytes(self.plan.source.path).decode("utf-8", "replace")
        except OSError:
            return 1
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip().startswith("path") and variant.path in line:
                return number
        return 1

    def plan_failure(self, variant: Variant, rule: RenderRule, message: str) -> Diagnostic:
        line = Span.at(self._plan_line(variant))
        return _diagnostic(rule, self.plan_display, line, f"{variant.describe()}: {message}")

    def _render_value(self, value: Any, variables: Mapping[str, Any]) -> Any:
        if isinstance(value, str):
            return render_string(self.env, value, variables)
        if isinstance(value, list):
            return [self._render_value(item, variables) for item in value]
        if isinstance(value, dict):
            return {key: self._render_value(item, variables) for key, item in value.items()}
        return value

    def resolve(self, variant: Variant) -> Output | Diagnostic:
        try:
            relative = render_string(self.env, variant.path, variant.variables)
        except TemplateFailure as failure:
            return self.plan_failure(variant, failure.rule, f"path: {failure.message}")
        if not self.output_root_inside:
            return self.plan_failure(
                variant,
                render_rules.OUTPUT_PATH_UNSAFE,
                render_rules.OUTPUT_PATH_UNSAFE.message(
                    "root-outside", root=self.plan.output_root.name
                ),
            )
        try:
            path = output_path(self.plan.output_root, relative)
        except UnsafePath as error:
            return self.plan_failure(variant, render_rules.OUTPUT_PATH_UNSAFE, str(error))
        output = Output(variant, relative, path, _relative(path, self.plan.root))
        self._outputs.append(output)
        return output

    def render(self, output: Output) -> list[Diagnostic]:
        failed = self.render_text(output)
        return failed if failed else self.check_output(output)

    def render_text(self, output: Output) -> list[Diagnostic]:
        """Render the output into `output.text` and `output.origins`, unchecked; the findings
        of a template or plan that fails (then `output.text` stays None)."""
        variant = output.variant
        head = ""
        variables = dict(variant.variables)
        if variant.front_matter is not None:
            try:
                data = self._render_value(dict(variant.front_matter), variant.variables)
            except TemplateFailure as failure:
                return [
                    self.plan_failure(variant, failure.rule, f"front-matter: {failure.message}")
                ]
            adapted = adapt(data, get_target(variant.target))
            output.dropped = adapted.dropped
            head = front_matter_block(adapted.fields) + "\n"
            variables["front_matter"] = data  # as written in the plan, for `# {{ ... }}`
        related = (Related(f"while rendering {output.display}", Span.at(1), output.display),)
        try:
            template = load(self.env, variant.template)
            rendered = render_with_origins(self.env, template, variables)
        except TemplateFailure as failure:
            if failure.template is None:
                return [
                    self.plan_failure(
                        variant, failure.rule, f"template `{variant.template}`: {failure.message}"
                    )
                ]
            source_line = self.template_line(failure.template, failure.line)
            return [
                _diagnostic(
                    failure.rule,
                    self.template_display(failure.template),
                    _undefined_span(failure, source_line),
                    failure.message,
                    related,
                    source_line,
                )
            ]
        size = len((head + rendered.text).encode("utf-8", "surrogatepass"))
        if size > self.settings.max_file_bytes:  # (the render counted characters)
            return [
                self.plan_failure(
                    variant,
                    render_rules.TEMPLATE_ERROR,
                    render_rules.TEMPLATE_ERROR.message(
                        "too-large", size=size, limit=self.settings.max_file_bytes
                    ),
                )
            ]
        head_origins = tuple(Origin(None, 0) for _ in range(head.count("\n")))
        output.text = head + rendered.text
        output.origins = head_origins + rendered.origins
        return []

    def _with_origin(self, output: Output, diagnostic: Diagnostic) -> Diagnostic:
        line = diagnostic.span.line
        origin = output.origins[line - 1] if 0 < line <= len(output.origins) else None
        if origin is None:
            return diagnostic
        if origin.template is None:
            note = Related(
                f"front matter written from {output.variant.describe()}.front-matter of the plan",
                Span.at(self._plan_line(output.variant)),
                self.plan_display,
            )
        else:
            note = Related(
                f"rendered from {output.variant.template}"
                if origin.template == output.variant.template
                else f"rendered from the partial {origin.template}",
                Span.at(origin.line),
                self.template_display(origin.template),
            )
        return replace(diagnostic, related=(*diagnostic.related, note))

    def _field_line(self, variant: Variant, output_line: str) -> int:
        """The plan line of the front-matter field an output's front-matter line was written
        from (its top-level key), else the entry's `path =` line."""
        entry = self._plan_line(variant)
        if self.plan.source.path is None:
            return entry
        key_match = re.match(r"([^\s:#][^:]*):", output_line)
        if key_match is None:
            return entry
        key = key_match.group(1).strip().strip("'\"")
        try:
            plan_lines = self.plan.source.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return entry
        # From the entry's `path` line to the next entry: the field's own line, written as
        # `key = ...`, `key.sub = ...`, `"key" = ...` or as a `[....front-matter.key]` table.
        field_line = re.compile(
            rf"""^\s*(?:["']?{re.escape(key)}["']?\s*[=.]|\[[^\[\]]*front-matter\.["']?"""
            rf"""{re.escape(key)}["']?\])"""
        )
        for number in range(entry, len(plan_lines)):
            text = plan_lines[number]
            if text.lstrip().startswith("[[") and number + 1 > entry:
                break
            if field_line.match(text):
                return number + 1
        return entry

    def at_sources(self, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
        """Each finding of rendered text at the place it is written: the template (or partial)
        line, or the plan's front-matter field, once, naming the outputs it reaches. Without a
        fix: a fix edits the output, and the change belongs in the source."""
        outputs = {output.display: output for output in self._outputs}
        groups: dict[tuple[str, str, str, int], tuple[Diagnostic, list[tuple[str, int]]]] = {}
        for diagnostic in diagnostics:
            origin = next(
                (
                    r
                    for r in diagnostic.related
                    if r.message.startswith(("rendered from", "front matter written from"))
                ),
                None,
            )
            if origin is None or origin.path is None:
                key = (diagnostic.code, diagnostic.message, diagnostic.path, diagnostic.span.line)
                reached = [
                    (r.path, r.span.line)
                    for r in diagnostic.related
                    if r.path is not None and r.message.startswith("while rendering")
                ]
                if key in groups:
                    groups[key][1].extend(reached)
                else:
                    groups[key] = (replace(diagnostic, fix=None), reached)
                continue
            if origin.message.startswith("front matter"):
                output = outputs.get(diagnostic.path)
                line = (
                    self._field_line(output.variant, diagnostic.source_line)
                    if output is not None
                    else origin.span.line
                )
                source_line = self._plan_text_line(line)
            else:
                line = origin.span.line
                source_line = self._display_line(origin.path, line)
            span = (
                Span(line, diagnostic.span.column, line, diagnostic.span.end_column)
                if source_line == diagnostic.source_line
                and diagnostic.span.end_line == diagnostic.span.line
                else Span.at(line)
            )
            related = tuple(
                Related(r.message, r.span, r.path if r.path is not None else diagnostic.path)
                for r in diagnostic.related
                if r is not origin
            )
            placed = replace(
                diagnostic,
                path=origin.path,
                span=span,
                fix=None,
                related=related,
                source_line=source_line,
            )
            key = (diagnostic.code, diagnostic.message, origin.path, line)
            if key in groups:
                groups[key][1].append((diagnostic.path, diagnostic.span.line))
            else:
                groups[key] = (placed, [(diagnostic.path, diagnostic.span.line)])
        out: list[Diagnostic] = []
        for (_code, _message, _path, _line), (placed, reached) in groups.items():
            if placed.path in {display for display, _ in reached} or not reached:
                out.append(placed)  # a finding in an output that has no source line
                continue
            if any(r.message.startswith("while rendering") for r in placed.related):
                # A template failure: the same in each output that includes the template.
                notes = tuple(
                    Related(f"while rendering {display}", Span.at(1), display)
                    for display, _ in reached
                )
                kept = tuple(r for r in placed.related if not r.message.startswith("while"))
                out.append(replace(placed, related=(*kept, *notes)))
                continue
            where = ", ".join(f"{display}:{line}" for display, line in reached[:3])
            if len(reached) > 3:
                where += f" and {len(reached) - 3} more"
            notes = tuple(Related(REACHED, Span.at(line), display) for display, line in reached)
            out.append(
                replace(
                    placed,
                    message=f"{placed.message} (in {where})",
                    related=(*placed.related, *notes),
                )
            )
        return sorted(out, key=lambda d: d.sort_key)

    def _plan_text_line(self, line: int) -> str:
        if self.plan.source.path is None:
            return ""
        try:
            lines = self.plan.source.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return ""
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def _display_line(self, display: str, line: int) -> str:
        try:
            relative = (
                (self.plan.root / display).resolve().relative_to(self.plan.templates.resolve())
            )
        except (ValueError, OSError):
            return ""
        return self.template_line(relative.as_posix(), line)

    def check_output(self, output: Output) -> list[Diagnostic]:
        """Parse and lint a rendered skill with its target; check a script's commands."""
        text = output.text or ""
        found: list[Diagnostic] = []
        if output.variant.kind == "skill":
            target = output.variant.target
            settings = self._target_settings.get(target)
            if settings is None:
                settings = self._target_settings[target] = replace(self.settings, target=target)
            skill = parse_text(text, output.path)
            context = file_context(skill, settings)
            found = list(check_skill(skill, context, output.display).diagnostics)
            found += self._continued_inline_spans(skill, output.display)
        elif output.variant.kind == "script":
            found = self.check_script(output)
        ignore = output.variant.ignore
        return [self._with_origin(output, d) for d in found if d.code not in ignore]

    def _continued_inline_spans(self, skill: Any, display: str) -> list[Diagnostic]:
        """A ` \\` line continuation inside an inline span (a multi-line helper call between
        backticks): Markdown joins the lines with the backslash left in, so the command the
        reader copies is broken."""
        found: list[Diagnostic] = []
        for number, line in enumerate(skill.lines, start=1):
            if number in skill.code_lines or not line.rstrip().endswith("\\"):
                continue
            if line.count("`") % 2 == 1:
                found.append(
                    _diagnostic(
                        render_rules.IMPOSSIBLE_COMMAND,
                        display,
                        Span.at(number, line.rfind("`") + 1),
                        render_rules.IMPOSSIBLE_COMMAND.message("continued-in-backticks"),
                        (),
                        line,
                    )
                )
        return found

    def check_script(self, output: Output) -> list[Diagnostic]:
        lines = (output.text or "").split("\n")
        found: list[Diagnostic] = []
        for command in commands_of_text(output.text or ""):
            grammar = GRAMMARS.get(command.tool)
            if grammar is None:
                continue
            for problem in match(grammar, command.argv).problems:
                line = problem.span.line
                source_line = lines[line - 1] if 0 < line <= len(lines) else ""
                found.append(
                    _diagnostic(
                        render_rules.INVALID_RENDERED_COMMAND,
                        output.display,
                        problem.span,
                        problem.message,
                        (),
                        source_line,
                    )
                )
        return found


@dataclass(frozen=True)
class OutputFindings:
    """What the render finds in one output of the plan."""

    display: str  # the output file, relative to the project root
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class TemplateTextFindings:
    """What the render finds when one template has a given text (see `findings_with_text`)."""

    display: str  # the template, relative to the project root, as the findings name it
    outputs: tuple[OutputFindings, ...]  # every output the plan resolves, in plan order


def findings_with_text(
    plan: Plan, settings: Settings, template: str, text: str
) -> TemplateTextFindings:
    """Render and lint every output of the plan in memory, as `render_plan` does, with `text`
    as the source of `template` (its name in the templates folder) in place of its file: what
    an editor shows before the template is saved. Nothing is read from the outputs or written;
    a plan entry whose output path does not resolve is left out (its finding is about the
    plan, not a template)."""
    run = _Run(plan, settings, edited=(template, text))
    outputs: list[OutputFindings] = []
    for variant in plan.variants:
        output = run.resolve(variant)
        if isinstance(output, Diagnostic):
            continue
        outputs.append(OutputFindings(output.display, tuple(run.render(output))))
    return TemplateTextFindings(run.template_display(template), tuple(outputs))


def rendered_outputs(plan: Plan, settings: Settings) -> list[Output]:
    """Every output of the plan rendered in memory, with the template line of each output line
    (the render line map), unchecked and unwritten; outputs that fail to render are left out.
    What the cross-skill rule SK601 asks to know which lines came from one partial."""
    run = _Run(plan, settings)
    outputs: list[Output] = []
    for variant in plan.variants:
        resolved = run.resolve(variant)
        if isinstance(resolved, Output) and not run.render_text(resolved):
            outputs.append(resolved)
    return outputs


def changed_sources(output: Output, plan: Plan) -> list[str]:
    """Where the lines that differ between the file and what the plan renders are written: the
    templates and partials (`templates/partials/x.md.j2`) or the plan's front matter, in order."""
    old = (output.current or b"").decode("utf-8", "replace").splitlines()
    new = (output.text or "").splitlines()
    found: dict[str, None] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for index in range(j1, max(j2, j1 + 1)):
            origin = output.origins[index] if 0 <= index < len(output.origins) else None
            if origin is None:
                continue
            if origin.template is None:
                shown = _relative(plan.source.path, plan.root) if plan.source.path else "the plan"
                found[f"{shown} ({output.variant.describe()}.front-matter)"] = None
            else:
                found[_relative(plan.templates / origin.template, plan.root)] = None
    if not found:
        found[_relative(plan.templates / output.variant.template, plan.root)] = None
    return list(found)


def _compare(output: Output, recorded: tuple[str, str] | None) -> None:
    output.current = read_bytes(output.path)
    if output.current is None:
        output.state = MISSING
    elif output.current == output.data:
        output.state = UNCHANGED
    elif recorded is None:
        output.state = UNMANAGED  # a file skillkit never wrote: review it before replacing it
    elif checksum(output.current) != recorded[0]:
        output.state = EDITED  # not what skillkit last wrote
    else:
        output.state = STALE


def _prune_empty_folders(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def render_plan(
    plan: Plan,
    settings: Settings | None = None,
    *,
    check: bool = False,
    force: bool = False,
    delete: bool = False,
    allow_errors: bool = False,
) -> RenderResult:
    """Render every output of the plan; write them (or, with `check`, only compare).

    With errors in the rendered outputs nothing is compared or written, unless `allow_errors`:
    then every output that rendered is compared (and written) as usual, findings and all."""
    run = _Run(plan, settings or Settings())
    result = RenderResult(plan, check)
    seen: dict[str, Output] = {}
    for variant in plan.variants:
        resolved = run.resolve(variant)
        if isinstance(resolved, Diagnostic):
            result.diagnostics.append(resolved)
            continue
        if resolved.relative in seen:
            first = seen[resolved.relative].variant
            result.diagnostics.append(
                run.plan_failure(
                    variant,
                    render_rules.OUTPUT_PATH_CONFLICT,
                    render_rules.OUTPUT_PATH_CONFLICT.message(
                        "conflict", path=resolved.display, first=first.describe()
                    ),
                )
            )
            continue
        seen[resolved.relative] = resolved
        result.outputs.append(resolved)
        result.diagnostics.extend(run.render(resolved))
    result.diagnostics = run.at_sources(result.diagnostics)
    if result.errors and not allow_errors:
        return result  # nothing is compared or written when anything failed

    manifest = read_manifest(plan.manifest_path)
    unreadable = 0  # outputs whose path holds what skillkit does not read (a FIFO, a device)
    for output in result.outputs:
        if output.text is None:  # it did not render (only with allow_errors)
            continue
        try:
            _compare(output, manifest.get(output.relative))
        except UnreadableOutput as refused:
            message = render_rules.OUTPUT_PATH_UNSAFE.message(
                "unreadable", path=output.relative, why=refused
            )
            result.diagnostics.append(
                run.plan_failure(output.variant, render_rules.OUTPUT_PATH_UNSAFE, message)
            )
            unreadable += 1
    if unreadable:
        result.diagnostics.sort(key=lambda d: d.sort_key)
        return result  # nothing is written when any output cannot be (allow_errors or not)

    entries: dict[str, tuple[str, str]] = {}
    adopted: set[str] = set()  # identical files the manifest does not record yet
    for output in result.outputs:
        recorded = manifest.get(output.relative)
        if output.text is None:  # it did not render (only with allow_errors): leave it be
            if recorded is not None:
                entries[output.relative] = recorded
            continue
        entries[output.relative] = (checksum(output.data), output.variant.template)
        if output.state == UNCHANGED and recorded is None:
            adopted.add(output.relative)
        if check or output.state == UNCHANGED:
            continue
        if output.state in (EDITED, UNMANAGED) and not force:
            output.action = "refused"
            if recorded is not None:
                entries[output.relative] = recorded
            else:
                del entries[output.relative]
            continue
        write_atomic(output.path, output.data, executable=output.variant.kind == "script")
        output.action = "wrote"

    produced = {output.relative for output in result.outputs}
    for relative, recorded in sorted(manifest.items()):
        if relative in produced:
            continue
        try:
            path = output_path(plan.output_root, relative)
        except UnsafePath:
            continue  # a damaged entry: it names nothing skillkit would write
        try:
            current = read_bytes(path)
            edited = current is not None and checksum(current) != recorded[0]
        except UnreadableOutput:
            current, edited = None, True  # not what skillkit wrote: kept unless --force
        orphan = Orphan(relative, path, _relative(path, plan.root), edited=edited)
        result.orphans.append(orphan)
        if check or not delete or (orphan.edited and not force):
            entries[relative] = recorded
            continue
        if current is not None or os.path.lexists(path):
            path.unlink()
            _prune_empty_folders(path.parent, plan.output_root)
        orphan.deleted = True

    new_manifest = manifest_text(entries).encode("utf-8")
    try:
        current_manifest = read_bytes(plan.manifest_path)
    except UnreadableOutput:
        current_manifest = None  # not a manifest: replaced by one
    if check:
        # An identical file the manifest does not record yet is adopted by the next render
        # without a word: that is not drift.
        recorded_entries = {k: v for k, v in entries.items() if k not in adopted}
        expected = manifest_text(recorded_entries).encode("utf-8")
        if current_manifest != expected and (recorded_entries or current_manifest is not None):
            result.manifest_stale = True
    elif current_manifest != new_manifest and (entries or current_manifest is not None):
        write_atomic(plan.manifest_path, new_manifest)
        result.wrote_manifest = True
    return result


def plan_listing(plan: Plan) -> list[dict[str, Any]]:
    """The plan as data: each output with its template, target and variables (`--list`)."""
    run = _Run(plan, Settings())
    rows: list[dict[str, Any]] = []
    for variant in plan.variants:
        resolved = run.resolve(variant)
        rows.append(
            {
                "output": resolved.message
                if isinstance(resolved, Diagnostic)
                else resolved.display,
                "template": run.template_display(variant.template),
                "target": variant.target,
                "kind": variant.kind,
                "variables": {k: v for k, v in variant.variables.items() if k != "target"},
            }
        )
    return rows


def format_listing(rows: Sequence[Mapping[str, Any]]) -> str:
    """The plan as text: the variables every output shares once, then each output with what
    sets it apart (its own variables)."""

    def shown(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    def listed(variables: Mapping[str, Any]) -> str:
        return ", ".join(f"{printable(key)}={shown(value)}" for key, value in variables.items())

    shared: dict[str, Any] = {}
    if len(rows) > 1:
        first = rows[0]["variables"]
        shared = {
            key: value
            for key, value in first.items()
            if all(key in row["variables"] and row["variables"][key] == value for row in rows)
        }
    lines = [f"every output: {printable(listed(shared))}\n"] if shared else []
    for row in rows:
        own = {k: v for k, v in row["variables"].items() if k not in shared}
        output, template = printable(row["output"]), printable(row["template"])
        lines.append(
            f"{output}\n    template: {template}\n    target: {row['target']}"
            f" ({row['kind']})\n    variables: {printable(listed(own)) or '(none of its own)'}\n"
        )
    return "".join(lines)
