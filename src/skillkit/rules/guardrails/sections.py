"""Sections: titles compared as a reader would, the lines and bullets of a section, the
Guardrails sections; and SK301, a section that the target or the config requires."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from skillkit.context import Context
from skillkit.diagnostics import Finding, Severity
from skillkit.model import Section, Skill, Span
from skillkit.rules._common import example_skill
from skillkit.rules.base import Example, rule

_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")


@lru_cache(maxsize=4096)  # asked by several rules for every section of every skill
def normalize_title(title: str) -> str:
    return " ".join(title.strip().rstrip(":").split()).casefold()


def section_lines(skill: Skill, section: Section) -> list[tuple[int, str]]:
    return [
        (number, skill.line_text(number))
        for number in range(section.start_line + 1, section.end_line + 1)
    ]


def bullets(skill: Skill, section: Section) -> list[tuple[int, str]]:
    return [
        (number, text)
        for number, text in section_lines(skill, section)
        if number not in skill.code_lines and _BULLET.match(text)
    ]


def guardrail_sections(skill: Skill) -> list[Section]:
    # `"guardrail" in normalize_title(title)`, without normalizing: a word is kept whole by the
    # normalization (it only joins whitespace and drops trailing colons), and casefold maps each
    # character on its own.
    return [s for s in skill.all_sections() if "guardrail" in s.title.casefold()]


def section_text(skill: Skill, line: int) -> tuple[str, Section | None]:
    section = skill.section_at(line)
    if section is None:
        first = next((s.start_line for s in skill.sections), len(skill.lines) + 1)
        return "\n".join(skill.lines[skill.body_start_line - 1 : first - 1]), None
    return "\n".join(text for _, text in section_lines(skill, section)), section


def _first_heading(skill: Skill) -> Span:
    sections = skill.all_sections()
    return sections[0].span if sections else Span.at(1)


# --- SK301 ---------------------------------------------------------------------------------


@rule(
    "SK301",
    "required-section-missing",
    Severity.WARNING,
    "A section the target or the config requires is missing or empty.",
    "A profile names the sections a skill must have: for the viberun target, a skill that runs "
    "`vrctl` needs a `Guardrails` section with at least one bullet (what the agent must not "
    "do); the config's `required-sections` adds sections every skill must have, with some "
    "content.",
    bad=Example(
        example_skill("```sh\nvrctl service restart web\n```\n"), target="viberun", folder="demo"
    ),
    good=Example(
        example_skill(
            "```sh\nvrctl service restart web\n```\n\n## Guardrails\n- Do not call s6 directly.\n"
        ),
        target="viberun",
    ),
    messages={
        "missing": "no `{title}` section: {why}; add `## {title}`",
        "missing-bulleted": "no `{title}` section: {why}; add `## {title}` with at least one "
        "bullet",
        "no-bullet": "`{title}` has no bullet; list each as `- ...`",
        "empty": "`{title}` is empty ({why})",
        # Why the section is required (`why` above).
        "runs-vrctl": "this skill runs `vrctl` (line {line})",
        "config": "the config requires it",
    },
)
def required_section_missing(skill: Skill, context: Context) -> Iterator[Finding]:
    wanted: list[tuple[str, bool, str]] = []  # (title, needs a bullet, why)
    vrctl = context.analysis.vrctl_run if context.target.required_sections_with_vrctl else None
    if vrctl is not None:
        why = required_section_missing.message("runs-vrctl", line=vrctl.command.line)
        wanted += [(title, True, why) for title in context.target.required_sections_with_vrctl]
    if context.settings.required_sections:
        why = required_section_missing.message("config")
        wanted += [(title, False, why) for title in context.settings.required_sections]
    if not wanted:  # the default: no section is required of this skill
        return
    by_title: dict[str, Section] = {}
    for section in skill.all_sections():
        by_title.setdefault(normalize_title(section.title), section)
    done: set[str] = set()
    for title, needs_bullet, why in wanted:
        key = normalize_title(title)
        if key in done:
            continue
        done.add(key)
        present = by_title.get(key)
        if present is None:
            where = vrctl.command.argv[0].span if needs_bullet and vrctl else _first_heading(skill)
            message = (
                required_section_missing.message("missing-bulleted", title=title, why=why)
                if needs_bullet
                else required_section_missing.message("missing", title=title, why=why)
            )
            yield Finding(where, message)
        elif needs_bullet and not bullets(skill, present):
            message = required_section_missing.message("no-bullet", title=present.title)
            yield Finding(present.span, message)
        elif not any(text.strip() for _, text in section_lines(skill, present)):
            message = required_section_missing.message("empty", title=present.title, why=why)
            yield Finding(present.span, message)
