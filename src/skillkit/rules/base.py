"""What a rule is: the declaration types, one a kind of rule, and the helpers that declare them.

A rule is declared once, as an object that its family module keeps under a name (so the code
refers to a rule by that symbol, never by its code as a string); `skillkit.registry` lists the
families and registers their rules. The declaration drives docs/rules.md, `skillkit rule CODE`,
config validation and the example tests.

The kinds of rule:
  FileRule     checks one skill file (`check(skill, context)`); the engine runs it on each file.
  ProjectRule  collects facts from each skill, then checks the facts of every skill together.
  RenderRule   a problem of a template or of the render plan (SK7xx), which the renderer reports.
  EngineRule   a problem the engine finds around the rules (a path discovery cannot read, a
               suppression comment, a rule that crashed): no check function of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from skillkit.diagnostics import Finding, Severity

if TYPE_CHECKING:
    from skillkit.context import Context, ProjectContext
    from skillkit.model import Skill


class FixAvailability(Enum):
    """Whether a rule's findings come with a fix (`--fix`): the example tests hold a rule to it
    (its bad example's findings all have one, or none), and so do the robustness tests on every
    finding they see."""

    NEVER = "never"
    SOMETIMES = "sometimes"  # some findings have one (a value it can rewrite), others not
    ALWAYS = "always"


@dataclass(frozen=True)
class RuleOption:
    name: str
    default: Any
    type: type
    help: str


# A file rule sees one skill and its `Context` (skillkit.context: the file system and the
# analysis of that skill); a project rule the facts of every skill and the `ProjectContext`.
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


# What reports a rule: the lint engine, or the renderer (a problem of a template or of the render
# plan, found while rendering; no skill file has it). Shown by `skillkit rules --format json`.
LINT, RENDER = "lint", "render"
RENDER_FAMILY = "SK7"
RENDER_PLAN = "skillkit.toml"  # the file every render example holds


@dataclass(frozen=True, kw_only=True)
class Rule:
    """What every kind of rule declares: its identity and its documentation."""

    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    # The examples the docs show and the tests run: `bad` fails with the rule, `good` does not.
    # Only an engine rule that no input can trigger on purpose (an internal error) has none.
    bad: Example | None
    good: Example | None
    # For a rule that fixes only some findings, when `bad` gets no fix: an example that does.
    fixed: Example | None = None
    targets: frozenset[str] | None = None  # None: every target
    default: bool = True  # off-by-default rules run when selected or enabled by a target
    # The targets that turn on this off-by-default rule (their own policies: viberun's).
    enabled_by: frozenset[str] = frozenset()
    options: tuple[RuleOption, ...] = ()
    fix: FixAvailability = FixAvailability.NEVER
    # What the rule says, by key: `str.format` templates whose fields its check fills in
    # (`rule.message("key", name=...)`), so a rule's wording is read in one place.
    messages: Mapping[str, str] = field(default_factory=dict)

    phase: ClassVar[str] = LINT

    def __post_init__(self) -> None:
        if (self.phase == RENDER) != self.code.startswith(RENDER_FAMILY):
            raise ValueError(
                f"rule {self.code}: {RENDER_FAMILY}xx codes, and only they, are render rules"
            )
        if (self.bad is None or self.good is None) and not isinstance(self, EngineRule):
            raise ValueError(f"rule {self.code} needs a bad and a good example")
        if self.enabled_by and self.default:
            raise ValueError(f"rule {self.code} is on by default: no target need enable it")
        if self.fixed is not None and self.fix is not FixAvailability.SOMETIMES:
            raise ValueError(f"rule {self.code}: only a rule that sometimes fixes has `fixed`")

    def message(self, key: str, /, **values: object) -> str:
        """The rule's message `key` with its fields filled in from `values`."""
        return self.messages[key].format(**values)

    @property
    def fixable(self) -> bool:
        """Whether any finding of the rule can have a fix (as `skillkit rules` marks it)."""
        return self.fix is not FixAvailability.NEVER

    @property
    def family(self) -> str:
        return self.code[:3]

    @property
    def examples(self) -> tuple[tuple[str, Example], ...]:
        """The examples, titled as the docs show them: ("Fails", bad), ("Passes", good)."""
        pairs = (("Fails", self.bad), ("Passes", self.good))
        return tuple((title, example) for title, example in pairs if example is not None)

    def applies_to(self, target: str) -> bool:
        return self.targets is None or target in self.targets

    @property
    def checks_content(self) -> bool:
        """Whether the rule checks what a skill file says (and so has nothing to check in a file
        that could not be read or decoded, and its findings are about lines of the file)."""
        return False


@dataclass(frozen=True, kw_only=True)
class FileRule(Rule):
    check: FileCheck
    # A check of the file itself (can it be read, decoded, uploaded), not of its content: it
    # still runs on a file that could not be read or decoded, which no other rule checks.
    runs_on_unreadable: bool = False
    # The kinds of parse or grammar problem this rule reports (each kind has exactly one rule).
    claims: tuple[Enum, ...] = ()

    @property
    def checks_content(self) -> bool:
        return not self.runs_on_unreadable


@dataclass(frozen=True, kw_only=True)
class ProjectRule(Rule):
    collect: Collect
    check_project: ProjectCheck
    partition: Partition | None = None

    @property
    def checks_content(self) -> bool:
        return True


@dataclass(frozen=True, kw_only=True)
class EngineRule(Rule):
    """A problem the engine reports itself, declared here for its code, severity and docs."""


@dataclass(frozen=True, kw_only=True)
class RenderRule(Rule):
    phase: ClassVar[str] = RENDER

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.targets is not None or not self.default or self.options or self.fixable:
            raise ValueError(f"render rule {self.code} cannot have targets, options or a fix")
        if any(RENDER_PLAN not in e.files or e.text for _, e in self.examples):
            raise ValueError(f"render rule {self.code}: each example is files with {RENDER_PLAN}")


def _example(example: Example | str | bytes) -> Example:
    return example if isinstance(example, Example) else Example(example)


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
    enabled_by: Iterable[str] = (),
    options: tuple[RuleOption, ...] = (),
    fix: FixAvailability = FixAvailability.NEVER,
    fixed: Example | str | None = None,
    runs_on_unreadable: bool = False,
    messages: Mapping[str, str] | None = None,
    claims: tuple[Enum, ...] = (),
) -> Callable[[FileCheck], FileRule]:
    """Declare a per-file rule: decorate its check function, which the name then holds the rule
    of (`file_unreadable.code`, `file_unreadable.check`)."""

    def decorate(check: FileCheck) -> FileRule:
        return FileRule(
            code=code,
            name=name,
            severity=severity,
            summary=summary,
            rationale=rationale,
            bad=_example(bad),
            good=_example(good),
            check=check,
            targets=frozenset(targets) if targets is not None else None,
            default=default,
            enabled_by=frozenset(enabled_by),
            options=options,
            fix=fix,
            fixed=None if fixed is None else _example(fixed),
            runs_on_unreadable=runs_on_unreadable,
            messages=messages or {},
            claims=claims,
        )

    return decorate


def render_rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    rationale: str,
    bad: Example,
    good: Example,
    *,
    messages: Mapping[str, str] | None = None,
) -> RenderRule:
    """Declare a problem the renderer reports (SK7xx): no check function, and examples that are
    projects (`Example.files`) run through the real renderer by the tests."""
    return RenderRule(
        code=code,
        name=name,
        severity=severity,
        summary=summary,
        rationale=rationale,
        bad=bad,
        good=good,
        messages=messages or {},
    )


def engine_rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    rationale: str,
    bad: Example | str | bytes | None,
    good: Example | str | bytes | None,
    *,
    fix: FixAvailability = FixAvailability.NEVER,
    messages: Mapping[str, str] | None = None,
) -> EngineRule:
    """Declare a problem the engine reports itself (discovery, suppression comments, a rule that
    crashed): it has a code, a severity and docs like every rule, and no check."""
    return EngineRule(
        code=code,
        name=name,
        severity=severity,
        summary=summary,
        rationale=rationale,
        bad=None if bad is None else _example(bad),
        good=None if good is None else _example(good),
        fix=fix,
        messages=messages or {},
    )
