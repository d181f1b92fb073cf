"""SK6xx: across the skills of one run. A section copied between skills (same title, nearly the
same text) that has since drifted is reported with the lines that differ, so that it can move
into one shared partial (`skillkit render`) and stop drifting.

"Nearly the same" is measured with difflib over the section's own text (its children excluded,
blank lines ignored): at least half of the lines are shared (line ratio >= 0.5) and the text is
at least 75% alike (character ratio >= 0.75). Copies adapted line by line ("Overview",
"Examples" sections that only share a title) fall below the first bar.

Outputs that `skillkit render` makes from one template (the variants of a matrix) differ by
design and already share one source: copies between them are not drift. The rule knows them
from the render plan in the settings (`Settings.render`), not from the files.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from skillkit.diagnostics import Finding, Related, Severity
from skillkit.model import Skill, Span
from skillkit.registry import Context, Example, Rule, register
from skillkit.rules.guardrails import normalize_title
from skillkit.settings import Settings

MIN_LINE_RATIO = 0.5
MIN_TEXT_RATIO = 0.75
SHOWN_LINES = 4

# One section's facts: (normalized title, title, line, column, end column, own text). The own
# text is its non-blank lines, right-stripped, joined by "\n": one string per section rather than
# one per line, because every skill's facts travel from the pool's workers and are interned in
# the parent (see `skillkit.cache.shared_strings`), and that cost goes by the number of strings.
SectionFacts = tuple[str, str, int, int, int, str]
# A skill's facts: (the template it is rendered from, or "", its sections).
SkillFacts = tuple[str, tuple[SectionFacts, ...]]


# The plan's output root, the templates of its literal output paths by path, and the patterns
# of its paths that hold Jinja (one per plan entry: the variants of a matrix share theirs).
_OutputPatterns = tuple[Path | None, dict[str, str], tuple[tuple[re.Pattern[str], str], ...]]
# The patterns, built once per render table: a run lints thousands of skills under the same
# plan (and `skillkit render` each output under settings of its own target), and building the
# plan per skill cost outputs x outputs. The value keeps the table alive, so an id is never
# reused while its entry exists.
_PATTERNS: dict[tuple[int, Path], tuple[Any, _OutputPatterns]] = {}


def _output_patterns(settings: Settings) -> _OutputPatterns:
    key = (id(settings.render), settings.root)
    cached = _PATTERNS.get(key)
    if cached is not None and cached[0] is settings.render:
        return cached[1]
    from skillkit.render.plan import build_plan

    try:
        plan = build_plan(settings.render, settings.root, settings.target)
        literal: dict[str, str] = {}
        templated: dict[str, str] = {}
        for variant in plan.variants:
            # An output path may hold Jinja (`background-service-{{ language }}/SKILL.md`).
            parts = re.split(r"\{\{.*?\}\}", variant.path)
            if len(parts) == 1:
                literal.setdefault(variant.path, variant.template)
            else:
                templated.setdefault(
                    "[^/]+".join(re.escape(part) for part in parts), variant.template
                )
        patterns: _OutputPatterns = (
            plan.output_root.resolve(),
            literal,
            tuple((re.compile(source), template) for source, template in templated.items()),
        )
    except Exception:  # a broken plan is for `skillkit render` to report, not this rule
        patterns = (None, {}, ())
    if len(_PATTERNS) > 32:  # long-lived processes (watch, lsp) reload settings
        _PATTERNS.clear()
    _PATTERNS[key] = (settings.render, patterns)
    return patterns


def rendered_from(skill: Skill, context: Context) -> str:
    """The template of the render plan that outputs this skill, or "" (hand-written)."""
    if not context.settings.render:
        return ""
    output_root, literal, patterns = _output_patterns(context.settings)
    if output_root is None:
        return ""
    try:
        relative = skill.path.resolve().relative_to(output_root).as_posix()
    except ValueError:
        return ""
    if relative in literal:
        return literal[relative]
    for pattern, template in patterns:
        if pattern.fullmatch(relative):
            return template
    return ""


def collect_sections(skill: Skill, context: Context) -> SkillFacts:
    return rendered_from(skill, context), _sections(skill)


def _sections(skill: Skill) -> tuple[SectionFacts, ...]:
    found: list[SectionFacts] = []
    for section in skill.all_sections():
        end = section.children[0].start_line - 1 if section.children else section.end_line
        # The non-blank lines, right-stripped (a line is blank exactly when its rstrip is
        # empty): map and filter keep this loop over every line of every skill in C.
        text = "\n".join(filter(None, map(str.rstrip, skill.lines[section.start_line : end])))
        if text:
            span = section.span
            found.append(
                (
                    normalize_title(section.title),
                    section.title,
                    span.line,
                    span.column,
                    span.end_column,
                    text,
                )
            )
    return tuple(found)


def split_by_title(facts: SkillFacts) -> Iterator[tuple[str, SkillFacts]]:
    """A skill's facts, one part per normalized title: `check_drift` compares only copies of one
    title, so a changed skill needs re-checking only under its titles (see `Rule.partition`)."""
    template, sections = facts
    by_title: dict[str, list[SectionFacts]] = {}
    for section in sections:
        by_title.setdefault(section[0], []).append(section)
    for title, found in by_title.items():
        yield title, (template, tuple(found))


def is_drifted(first: Sequence[str], second: Sequence[str]) -> bool:
    """True when two copies are nearly the same but not equal."""
    if list(first) == list(second):
        return False
    by_line = difflib.SequenceMatcher(None, list(first), list(second), autojunk=False)
    if by_line.ratio() < MIN_LINE_RATIO:
        return False
    by_text = difflib.SequenceMatcher(None, "\n".join(first), "\n".join(second), autojunk=False)
    return by_text.ratio() >= MIN_TEXT_RATIO


def differing_lines(original: Sequence[str], copy: Sequence[str]) -> list[str]:
    """`-line` for a line only the original has, `+line` for one only the copy has."""
    return [
        line
        for line in difflib.unified_diff(list(original), list(copy), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("---", "+++"))
    ]


def _shown(lines: list[str]) -> str:
    def one(line: str) -> str:
        text = line[1:].strip()
        text = text[:60] + "..." if len(text) > 60 else text
        return f'{"removed" if line[0] == "-" else "added"} "{text}"'

    parts = [one(line) for line in lines[:SHOWN_LINES]]
    more = len(lines) - SHOWN_LINES
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def check_drift(
    collected: Sequence[tuple[str, Any]], context: Context
) -> Iterator[tuple[str, Finding]]:
    copies: dict[str, list[tuple[str, str, SectionFacts]]] = {}
    for path, (template, sections) in collected:
        for facts in sections:
            copies.setdefault(facts[0], []).append((path, template, facts))
    for key in sorted(copies):
        found = copies[key]
        if len({path for path, _, _ in found}) < 2:
            continue
        groups: dict[str, list[tuple[str, str, SectionFacts]]] = {}
        for copy in sorted(found, key=lambda item: (item[0], item[2][2])):
            groups.setdefault(copy[2][5], []).append(copy)
        if len(groups) < 2:
            continue
        # The copy most skills share is the original; on a tie, the one in the first path.
        ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0][0]))
        original_text, holders = ordered[0]
        original_lines = original_text.split("\n")
        for text, others in ordered[1:]:
            lines = text.split("\n")
            if not is_drifted(original_lines, lines):
                continue
            changed = differing_lines(original_lines, lines)
            for path, template, facts in others:
                # Variants of one template are not copies of each other.
                sources = [
                    h for h in holders if h[0] != path and not (template and h[1] == template)
                ]
                if not sources:
                    continue
                original_path, _, original = sources[0]
                _, title, line, column, end_column, _ = facts
                yield (
                    path,
                    Finding(
                        Span(line, column, line, end_column),
                        f"section `{title}` has drifted from its copy in {original_path}:"
                        f"{original[2]} ({_shown(changed)}); "
                        "move it into a shared partial so that the copies stay the same",
                        related=(
                            Related(
                                "the copy it drifted from",
                                Span(original[2], original[3], original[2], original[4]),
                                path=original_path,
                            ),
                        ),
                    ),
                )


_SHARED = "- Take a snapshot before risky changes.\n- Ask the user before removing a service.\n"


def _demo(name: str, guidance: str) -> str:
    return (
        f"---\nname: {name}\ndescription: Runs the {name} app. Use when the user asks.\n---\n\n"
        f"# {name}\n\n## Snapshot guidance\n{guidance}"
    )


register(
    Rule(
        code="SK601",
        name="section-drift",
        severity=Severity.INFO,
        summary="A section copied between skills has drifted (same title, nearly the same text).",
        rationale="Skills of one project repeat sections (the viberun skills all carry "
        '"Snapshot guidance" and "Language/tooling preferences"). When one copy is edited '
        "and the others are not, agents get different orders from different skills. The "
        "finding lists the lines that differ; a shared partial in the templates keeps one "
        'copy. Sections that only share a common title ("Overview") are not drift.',
        bad=Example(
            _demo("demo", _SHARED),
            files={
                "other/SKILL.md": _demo(
                    "other", _SHARED + "- Report the snapshot ref to the user.\n"
                )
            },
        ),
        good=Example(
            _demo("demo", _SHARED),
            files={"other/SKILL.md": _demo("other", _SHARED)},
        ),
        collect=collect_sections,
        check_project=check_drift,
        partition=split_by_title,
    )
)
