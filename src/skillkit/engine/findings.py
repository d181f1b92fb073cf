"""A rule's finding as the diagnostic that is reported."""

from __future__ import annotations

from skillkit.diagnostics import Diagnostic, Finding
from skillkit.model import Skill, Span
from skillkit.registry import Rule
from skillkit.rules.files import INTERNAL_ERROR
from skillkit.settings import Settings


def diagnostic_from_finding(
    path: str, rule: Rule, finding: Finding, settings: Settings, skill: Skill | None = None
) -> Diagnostic:
    """What a rule's finding is reported as: the rule's code and name, the severity that the
    settings give the rule (else the finding's own, else the rule's), and the text of its line
    when the skill is at hand."""
    return Diagnostic(
        path=path,
        span=finding.span,
        code=rule.code,
        name=rule.name,
        severity=settings.severity.get(rule.code, finding.severity or rule.severity),
        message=finding.message,
        fix=finding.fix,
        related=finding.related,
        source_line=skill.line_text(finding.span.line) if skill is not None else "",
    )


def internal_error(path: str, rule: Rule, error: BaseException) -> Diagnostic:
    """A rule that raised: a bug in skillkit, reported as one finding (SK000) so that the user
    still gets every other finding."""
    return Diagnostic(
        path=path,
        span=Span.at(1),
        code=INTERNAL_ERROR.code,
        name=INTERNAL_ERROR.name,
        severity=INTERNAL_ERROR.severity,
        message=f"rule {rule.code} ({rule.name}) failed: {type(error).__name__}: {error}; "
        "please report this",
    )
