"""The rule registry: each rule declared once, with everything that docs, `skillkit rule CODE`,
config validation and the tests read from it.

Code families (the first digit after `SK`):
  SK0xx  the file itself (unreadable, not UTF-8, too large)
  SK1xx  front matter (delimiters, YAML, fields and their limits per target)
  SK2xx  body and structure (length, fences, sections)
  SK3xx  guardrails and policies (required sections, forbidden commands, contradictions)
  SK4xx  commands (vrctl, mise, uv, npx grammar)
  SK5xx  references and files (links and paths that must exist)
  SK6xx  across skills (drifted copies of shared sections)
  SK7xx  render and templates (reported by `skillkit render`, not by lint: see `render_rule`)
  SK9xx  skillkit itself (suppressions that suppress nothing)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from skillkit.diagnostics import Finding, Severity

if TYPE_CHECKING:
    from skillkit.context import Context, ProjectContext
    from skillkit.model import Skill


# A file rule sees one skill and its `Context` (skillkit.context); a project rule the facts of
# every skill and the `ProjectContext` alone.
FileCheck = Callable[["Skill", "Context"], Iterable[Finding]]
# A project rule first collects picklable facts from each skill (so that the cache and the worker
# pool never hold every model at once), then checks the facts of all skills together and yields
# (path, finding) pairs.
Collect = Callable[["Skill", "Context"], Any]
ProjectCheck = Callable[
    [Sequence[tuple[str, Any]], "ProjectContext"], Iterable[tuple[str, Finding]]
]
# Optional, for a project rule whose check is a union of independent checks: splits one skill's
# facts into (key, part) pairs such that check_project over every skill's facts yields exactly
# the findings of check_project over each key's parts, key by key (with each part's path). The
# cache then re-checks only the keys that a changed skill had or has.
Partition = Callable[[Any], Iterable[tuple[str, Any]]]


@dataclass(frozen=True)
class Example:
    """A whole SKILL.md (text, or bytes for encoding examples), placed in a folder named
    `folder`, with optional sibling files.

    The example of a render rule is a project instead: `files` alone, by path from the project
    root (a `skillkit.toml` with the `[render]` plan, and its `templates/...`); `text` is empty."""

    text: str | bytes = ""
    folder: str = "demo"
    files: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None  # the target to lint it with (default: the rule's first target)
    # Settings fields the example needs (a rule driven by the config: `custom_guardrails`).
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleOption:
    name: str
    default: Any
    type: type
    help: str


# What reports a rule: the lint engine (a check on skill files), or the renderer (a problem of a
# template or of the render plan, found while rendering; no skill file has it).
LINT, RENDER = "lint", "render"
PHASES = (LINT, RENDER)
RENDER_FAMILY = "SK7"
RENDER_PLAN = "skillkit.toml"  # the file every render example holds


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    bad: Example
    good: Example
    check: FileCheck | None = None
    collect: Collect | None = None
    check_project: ProjectCheck | None = None
    partition: Partition | None = None
    targets: frozenset[str] | None = None  # None: every target
    default: bool = True  # off-by-default rules run when selected or enabled by the target
    options: tuple[RuleOption, ...] = ()
    fixable: bool = False
    phase: str = LINT

    @property
    def family(self) -> str:
        return self.code[:3]

    def applies_to(self, target: str) -> bool:
        return self.targets is None or target in self.targets


RULES: dict[str, Rule] = {}
OPTIONS: dict[str, RuleOption] = {}
CODES_BY_NAME: dict[str, str] = {}
"""Every registered rule's code by its name (`front-matter-missing` → `SK101`): selectors and
suppression comments may name a rule instead of giving its code."""


def register(rule: Rule) -> Rule:
    if rule.code in RULES:
        raise ValueError(f"rule code {rule.code} registered twice")
    if rule.name in CODES_BY_NAME:
        raise ValueError(f"rule name {rule.name} registered twice ({CODES_BY_NAME[rule.name]})")
    if rule.phase not in PHASES:
        raise ValueError(f"rule {rule.code} has phase {rule.phase!r}, not one of {PHASES}")
    if (rule.phase == RENDER) != rule.code.startswith(RENDER_FAMILY):
        raise ValueError(
            f"rule {rule.code}: {RENDER_FAMILY}xx codes, and only they, are render rules"
        )
    if rule.phase == RENDER:
        if rule.check or rule.collect or rule.check_project:
            raise ValueError(f"render rule {rule.code} has a check: the renderer reports it")
        if rule.targets is not None or not rule.default or rule.options or rule.fixable:
            raise ValueError(f"render rule {rule.code} cannot have targets, options or a fix")
        if any(RENDER_PLAN not in e.files or e.text for e in (rule.bad, rule.good)):
            raise ValueError(f"render rule {rule.code}: each example is files with {RENDER_PLAN}")
    elif (rule.check is None) == (rule.check_project is None):
        raise ValueError(f"rule {rule.code} needs exactly one of check and check_project")
    elif rule.partition is not None and rule.check_project is None:
        raise ValueError(f"rule {rule.code} has a partition but no check_project")
    RULES[rule.code] = rule
    CODES_BY_NAME[rule.name] = rule.code
    for option in rule.options:
        OPTIONS[option.name] = option
    return rule


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    rationale: str,
    bad: Example | str | bytes,
    good: Example | str | bytes,
    *,
    targets: Iterable[str] | None = None,
    default: bool = True,
    options: tuple[RuleOption, ...] = (),
    fixable: bool = False,
) -> Callable[[FileCheck], FileCheck]:
    """Declare a per-file rule: decorate its check function."""

    def decorate(check: FileCheck) -> FileCheck:
        register(
            Rule(
                code=code,
                name=name,
                severity=severity,
                summary=summary,
                rationale=rationale,
                bad=bad if isinstance(bad, Example) else Example(bad),
                good=good if isinstance(good, Example) else Example(good),
                check=check,
                targets=frozenset(targets) if targets is not None else None,
                default=default,
                options=options,
                fixable=fixable,
            )
        )
        return check

    return decorate


def render_rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    rationale: str,
    bad: Example,
    good: Example,
) -> Rule:
    """Declare a problem the renderer reports (SK7xx): no check function, and examples that are
    projects (`Example.files`) run through the real renderer by the tests."""
    return register(Rule(code, name, severity, summary, rationale, bad, good, phase=RENDER))


def all_rules() -> dict[str, Rule]:
    """Every registered rule, by code (importing the rule families on first use)."""
    import skillkit.rules  # noqa: F401  (registers the families)

    return RULES


def resolve_code(text: str) -> list[str]:
    """The rule codes a selector names: a full code, a prefix (`SK1`, `SK10`), a rule name, or
    `ALL`. An empty list means it names nothing."""
    rules = all_rules()
    if text == "ALL":
        return sorted(rules)
    if text in CODES_BY_NAME:
        return [CODES_BY_NAME[text]]
    upper = text.upper()
    return sorted(code for code in rules if code.startswith(upper))


def unknown_rule_hint(text: str) -> str:
    """What to try instead of a selector that names no rule, as "; ..." to follow the message.
    For a code (`SK999`), the rules of its family: a code that merely looks like another
    (SK999 and SK902) is no hint. For a name, the closest name; else where to look."""
    import difflib
    import re

    rules = all_rules()
    code = text.upper()
    if re.fullmatch(r"SK\d{1,3}", code):
        family = sorted(c for c in rules if c.startswith(code[:3]))
        if family and len(code) == 5:
            return f"; the {code[:3]}xx rules are {', '.join(family)} (see `skillkit rules`)"
        if not family:
            return f"; there are no {code[:3]}xx rules (see `skillkit rules`)"
        return " (see `skillkit rules`)"
    if re.fullmatch(r"SK\d+", code):  # a digit too many or too few: SK1211 for SK121
        close = difflib.get_close_matches(code, list(rules), n=1, cutoff=0.8)
        return f"; did you mean `{close[0]}`?" if close else " (see `skillkit rules`)"
    close = difflib.get_close_matches(text, [rule.name for rule in rules.values()], n=1)
    return f"; did you mean `{close[0]}`?" if close else " (see `skillkit rules`)"


def render_only(selector: str) -> str | None:
    """Why a lint selector (select, ignore, per-file-ignores, severity) is wrong when it names
    only render rules: the lint engine never runs them, so it would silently do nothing."""
    codes = resolve_code(selector)
    if not codes or any(RULES[code].phase != RENDER for code in codes):
        return None
    named = codes[0] if len(codes) == 1 else f"{codes[0]}..{codes[-1]}"
    return (
        f"`{selector}` names {named}, which `skillkit render` reports, not lint: lint settings "
        "and suppressions do not apply to render problems"
    )
