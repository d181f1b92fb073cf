"""What an agent is told about the available skills at start-up, and what each one costs.

The block is the `<available_skills>` XML that the official reference validator's `to-prompt`
emits (skills-ref `prompt.py`), byte for byte, so that an author sees exactly what a client
following the reference gives the model. The cost is the token estimate of each skill's entry in
that block (paid in every session) and of its body (paid when the skill is loaded).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from skillkit.engine.discover import discover
from skillkit.model import Skill, Value
from skillkit.rules.body import estimate_tokens
from skillkit.rules.frontmatter import description_text, model_sees
from skillkit.rules.listing import entry_chars
from skillkit.targets import TARGETS


@dataclass(frozen=True)
class PromptEntry:
    name: str
    description: str
    location: str  # the absolute path of SKILL.md, as the reference prints it

    def xml_lines(self) -> list[str]:
        return [
            "<skill>",
            "<name>",
            html.escape(self.name),
            "</name>",
            "<description>",
            html.escape(self.description),
            "</description>",
            "<location>",
            self.location,
            "</location>",
            "</skill>",
        ]

    @property
    def xml(self) -> str:
        return "\n".join(self.xml_lines())


@dataclass(frozen=True)
class SkillCost:
    entry: PromptEntry
    metadata_tokens: int  # the entry in the start-up block: every session pays it
    body_tokens: int  # the Markdown after the front matter: paid when the skill is loaded
    # Characters of the skill's entry in Claude Code's skill listing (name, description and
    # `when_to_use`, cut at 1,536), 0 when the model never sees it; see SK602.
    listing_chars: int = 0


@dataclass(frozen=True)
class PromptProblem:
    """A skill that a client would not list, and why (it has no usable name or description)."""

    path: str
    line: int
    message: str


def _field_text(value: Value) -> str | None:
    """The field as a string-typed YAML loader (the reference's strictyaml) reads it."""
    if value.kind == "str":
        return description_text(value)
    if value.kind in ("seq", "map", "other"):
        return None
    return value.text


def entry_of(skill: Skill) -> PromptEntry | PromptProblem:
    """The skill's entry in the block, or why it has none."""
    location = str(skill.path.parent.resolve() / skill.path.name)
    front = skill.front_matter
    if not front.present or not front.closed or front.root_kind != "map":
        return PromptProblem(str(skill.path), 1, "no usable front matter; clients skip this skill")
    found: dict[str, str] = {}
    for key in ("name", "description"):
        item = front.get(key)
        if item is None:
            return PromptProblem(str(skill.path), 1, f"`{key}` is missing; clients skip this skill")
        text = _field_text(item.value)
        if text is None or not text.strip():
            return PromptProblem(
                str(skill.path),
                item.key_span.line,
                f"`{key}` is not a non-empty string; clients skip this skill",
            )
        found[key] = text.strip()
    return PromptEntry(found["name"], found["description"], location)


def cost_of(skill: Skill, entry: PromptEntry) -> SkillCost:
    # Measured as the body-length rule (SK202) measures it, so the two numbers agree.
    return SkillCost(
        entry,
        estimate_tokens(entry.xml),
        estimate_tokens("\n".join(skill.body_lines)),
        listing_chars_of(skill, entry),
    )


def listing_chars_of(skill: Skill, entry: PromptEntry) -> int:
    """The characters the skill takes in the listing of a client that lists skills within a
    budget (Claude Code), as SK602 counts them."""
    listing = next((t for t in TARGETS.values() if t.listing_entry_limit is not None), None)
    if listing is None or listing.listing_entry_limit is None:
        return 0
    seen = model_sees(skill, listing)
    if seen is None:
        return 0
    text = " ".join(seen[1].split())[: listing.listing_entry_limit]
    return entry_chars(entry.name, text)


def available_skills_block(entries: Sequence[PromptEntry]) -> str:
    """The `<available_skills>` block, as skills-ref's `to_prompt` builds it (no final newline)."""
    if not entries:
        return "<available_skills>\n</available_skills>"
    lines = ["<available_skills>"]
    for entry in entries:
        lines.extend(entry.xml_lines())
    lines.append("</available_skills>")
    return "\n".join(lines)


def skill_files(paths: Sequence[Path | str]) -> tuple[list[Path], list[PromptProblem]]:
    """The SKILL.md files under `paths` (a file, a skill folder, or any folder searched)."""
    # In the order given (as `to-prompt` keeps its arguments' order), each file once.
    files: dict[str, Path] = {}
    problems: list[PromptProblem] = []
    for given in paths:
        found, missing = discover([given])
        for file in found:
            files.setdefault(str(file.resolve()), file)
        problems.extend(PromptProblem(str(gone.path), 1, gone.reason) for gone in missing)
    return list(files.values()), problems
