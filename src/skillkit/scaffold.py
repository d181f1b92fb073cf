"""New skills in the right shape for a target: `skillkit new`.

The text is built from the target profile and the settings (never from a rule by name): the
required fields, a description prompt long enough and with a "Use when" so that the description
rules pass, a `metadata.short-description` (which viberun requires), and every
required section as a heading with a one-line prompt of what to write. The result is lint-clean
from the start; the tests lint it under every target.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from skillkit.rules.frontmatter import name_problem
from skillkit.targets import Target

# The prompts are visible text, not comments: an author who forgets one sees it in the skill.
DESCRIPTION_PROMPT = (
    "Say in one sentence what this skill helps an agent do. Use when the user asks for "
    "the task it covers."
)
SECTION_PROMPTS = {
    "when to use": "List the requests and situations this skill is for, and those it is not.",
    "workflow": "1) The first step an agent takes.\n2) The next step, and how to check it worked.",
    "guardrails": "- Ask the user before anything destructive or hard to undo (deleting data, "
    "removing services).",
}
DEFAULT_SECTIONS = ("When to use", "Workflow")


class ScaffoldError(Exception):
    """Why the skill was not created (a bad name, a folder that exists)."""


def short_description(name: str) -> str:
    return name.replace("-", " ").capitalize()


def sections_for(target: Target, required: Sequence[str] = ()) -> tuple[str, ...]:
    """The headings of a new skill: the defaults, then what the target and settings require."""
    titles: dict[str, str] = {}
    for title in (*DEFAULT_SECTIONS, *target.required_sections_with_vrctl, *required):
        titles.setdefault(title.strip().lower(), title.strip())
    return tuple(titles.values())


def _section(title: str) -> str:
    prompt = SECTION_PROMPTS.get(title.lower())
    if prompt is None:
        prompt = f"Write what an agent needs to know about {title.lower()}."
        if "guardrail" in title.lower():
            prompt = "- " + prompt
    return f"## {title}\n{prompt}\n"


def skill_text(name: str, target: Target, required_sections: Sequence[str] = ()) -> str:
    """The text of a new SKILL.md for `target`."""
    # The short description is in every new skill, not only where the target needs it: a
    # skill written for one client is often installed for others (viberun links one file into
    # every client's folder), and the spec accepts it everywhere.
    front = [
        f"name: {name}",
        f"description: {DESCRIPTION_PROMPT}",
        "metadata:",
        f"  short-description: {short_description(name)}",
    ]
    parts = [
        "---\n" + "\n".join(front) + "\n---\n",
        f"# {name}\n",
        "Purpose: say in a sentence or two what this skill helps an agent do.\n",
    ]
    parts += [_section(title) for title in sections_for(target, required_sections)]
    return "\n".join(parts)


def check_name(name: str) -> None:
    problem = name_problem(name)
    if problem:
        raise ScaffoldError(f"cannot create a skill named `{name}`: {problem}")


def create_skill(
    parent: Path, name: str, target: Target, required_sections: Sequence[str] = ()
) -> Path:
    """Write `parent/name/SKILL.md`; never overwrite anything."""
    check_name(name)
    folder = parent / name
    path = folder / "SKILL.md"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} already exists; not overwriting it")
    folder.mkdir(parents=True, exist_ok=True)
    text = skill_text(name, target, required_sections)
    # O_EXCL: a file that appeared since the check above is still not overwritten.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; not overwriting it") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path
