"""Findings for a render template as the editor has it: every output of the plan is rendered in
memory with the editor's text in place of the file, linted as `skillkit render` lints it, and
each finding is placed on the template line it came from (the render's origin note), once
however many outputs share it. Fixes are not offered: their edits are on the output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from skillkit.diagnostics import Diagnostic, Related, Severity
from skillkit.errors import UsageError
from skillkit.model import Span
from skillkit.outputs import plan_for, settings_for
from skillkit.outputs.plan import PlanError
from skillkit.render.engine import findings_with_text

TEMPLATE_SUFFIX = ".j2"


@dataclass(frozen=True)
class TemplateFindings:
    diagnostics: tuple[Diagnostic, ...]
    outputs: int  # how many outputs were rendered


def _template_problem(path: Path, error: Exception) -> Diagnostic:
    return Diagnostic(
        path=str(path),
        span=Span.at(1),
        code="render",
        name="render-plan",
        severity=Severity.ERROR,
        message=f"cannot render: {error}",
    )


def template_findings(path: Path, text: str) -> TemplateFindings | None:
    """The findings on template `path` (with `text` as its source), or None when the file is
    not a template of any render plan."""
    try:
        settings = settings_for(path.parent)
        plan = plan_for(settings.root if settings.config_path else path.parent, settings)
    except (PlanError, UsageError) as error:
        return TemplateFindings((_template_problem(path, error),), 0)
    templates = plan.templates.resolve()
    resolved = path.resolve()
    if templates not in resolved.parents:
        return None
    name = resolved.relative_to(templates).as_posix()
    rendered = findings_with_text(plan, settings, name, text)
    display = rendered.display
    lines = text.split("\n")
    # (code, line, message) → (diagnostic, the outputs it appears in)
    found: dict[tuple[str, int, str], tuple[Diagnostic, list[str]]] = {}
    for output in rendered.outputs:
        for diagnostic in output.diagnostics:
            line = _line_in_template(diagnostic, display)
            if line is None:
                continue
            key = (diagnostic.code, line, diagnostic.message)
            if key not in found:
                text_line = lines[line - 1] if 0 < line <= len(lines) else ""
                placed = Diagnostic(
                    path=str(path),
                    span=Span(line, 1, line, max(len(text_line), 0) + 1),
                    code=diagnostic.code,
                    name=diagnostic.name,
                    severity=diagnostic.severity,
                    message=diagnostic.message,
                    related=tuple(
                        r
                        for r in diagnostic.related
                        if r.path != display and not r.message.startswith("while rendering")
                    ),
                    source_line=text_line,
                )
                found[key] = (placed, [])
            found[key][1].append(output.display)
    out: list[Diagnostic] = []
    for placed, outputs in found.values():
        where = outputs[0] if len(outputs) == 1 else f"{len(outputs)} outputs"
        note = Related(f"in {where}", Span.at(1), outputs[0])
        out.append(
            Diagnostic(
                path=placed.path,
                span=placed.span,
                code=placed.code,
                name=placed.name,
                severity=placed.severity,
                message=f"{placed.message} (in {where})",
                related=(*placed.related, note),
                source_line=placed.source_line,
            )
        )
    out.sort(key=lambda d: d.sort_key)
    return TemplateFindings(tuple(out), len(rendered.outputs))


def _line_in_template(diagnostic: Diagnostic, display: str) -> int | None:
    """The line of this template a render finding belongs to: its own place (a template error)
    or the origin note the render adds (a finding in the rendered output)."""
    if diagnostic.path == display:
        return diagnostic.span.line
    for related in diagnostic.related:
        if related.path == display and related.message.startswith("rendered from"):
            return related.span.line
    return None
