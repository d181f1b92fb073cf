"""The rule registry: every rule family listed once, and each declared rule registered from it,
with what docs, `skillkit rule CODE`, config validation and the tests read from it.

Each rule is declared in its family module (see skillkit.rules.base for the kinds of rule).

Code families (the first digit after `SK`):
  SK0xx  the file itself (unreadable, not UTF-8, too large) and skillkit's internal error
  SK1xx  front matter (delimiters, YAML, fields and their limits per target)
  SK2xx  body and structure (length, fences, sections)
  SK3xx  guardrails and policies (required sections, forbidden commands, contradictions)
  SK4xx  commands (vrctl, mise, uv, npx grammar)
  SK5xx  references and files (links and paths that must exist)
  SK6xx  across skills (drifted copies of shared sections)
  SK7xx  render and templates (reported by `skillkit render`, not by lint: see `RenderRule`)
  SK9xx  skillkit itself (suppressions that suppress nothing)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from types import ModuleType

from skillkit.rules import (
    body,
    clients,
    commands,
    drift,
    files,
    frontmatter,
    guardrails,
    listing,
    references,
    render,
    suppressions,
)
from skillkit.rules.base import (
    LINT,
    RENDER,
    RENDER_PLAN,
    EngineRule,
    Example,
    FileRule,
    FixAvailability,
    ProjectRule,
    RenderRule,
    Rule,
    RuleOption,
)

__all__ = [
    "CODES_BY_NAME",
    "FAMILIES",
    "LINT",
    "OPTIONS",
    "RENDER",
    "RENDER_PLAN",
    "RULES",
    "EngineRule",
    "Example",
    "FileRule",
    "FixAvailability",
    "ProjectRule",
    "RenderRule",
    "Rule",
    "RuleOption",
    "all_rules",
    "declared_in",
    "register",
    "render_only",
    "resolve_code",
    "unknown_rule_hint",
]

# Every rule family, in code order of their rules' first digit.
FAMILIES: tuple[ModuleType, ...] = (
    files,
    frontmatter,
    clients,
    body,
    guardrails,
    commands,
    references,
    drift,
    listing,
    render,
    suppressions,
)

RULES: dict[str, Rule] = {}
OPTIONS: dict[str, RuleOption] = {}
CODES_BY_NAME: dict[str, str] = {}
"""Every registered rule's code by its name (`front-matter-missing` → `SK101`): selectors and
suppression comments may name a rule instead of giving its code."""


def register(rule: Rule) -> Rule:
    """Add a declared rule to the registry (its declaration checked itself when made)."""
    if rule.code in RULES:
        raise ValueError(f"rule code {rule.code} registered twice")
    if rule.name in CODES_BY_NAME:
        raise ValueError(f"rule name {rule.name} registered twice ({CODES_BY_NAME[rule.name]})")
    RULES[rule.code] = rule
    CODES_BY_NAME[rule.name] = rule.code
    for option in rule.options:
        OPTIONS[option.name] = option
    return rule


def declared_in(families: Iterable[ModuleType]) -> list[Rule]:
    """The rules the family modules declare: the rule objects their names hold, each once (a
    family may import a rule another declares)."""
    found: dict[int, Rule] = {}
    for family in families:
        for value in vars(family).values():
            if isinstance(value, Rule):
                found.setdefault(id(value), value)
    return sorted(found.values(), key=lambda rule: rule.code)


for _rule in declared_in(FAMILIES):
    register(_rule)


def all_rules() -> dict[str, Rule]:
    """Every registered rule, by code."""
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
    For a code that names no rule, the rules of its family: a code that merely looks like
    another (one digit apart from SK902) is no hint. For a name, the closest name; else where
    to look."""
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
    if not codes or any(not isinstance(RULES[code], RenderRule) for code in codes):
        return None
    named = codes[0] if len(codes) == 1 else f"{codes[0]}..{codes[-1]}"
    return (
        f"`{selector}` names {named}, which `skillkit render` reports, not lint: lint settings "
        "and suppressions do not apply to render problems"
    )
