"""New skills in the right shape for a target: `skillkit new`.

The text is built from the target profile and the settings (never from a rule by name): the
required fields, a description prompt long enough and with a "Use when" so that the description
rules pass, a `metadata.short-description` (which Codex shows when present), and every
required section as a heading with a one-line prompt of what to write. The result is lint-clean
from the start; the tests lint it under every target.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from skillkit.atomic import write_atomic
from skillkit.config.files import CONFIG_FILE, find_config, load_config
from skillkit.outputs import plan_for
from skillkit.outputs.plan import TEMPLATE_SUFFIX, PlanError, PlanSource, build_plan
from skillkit.reading import read_file_bytes
from skillkit.rules.frontmatter import name_problem
from skillkit.targets import Target, get_target

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


def front_matter_fields(name: str) -> dict[str, Any]:
    # The short description is in every new skill, not only where the target needs it: a
    # skill written for one client is often installed for others (viberun links one file into
    # every client's folder), and the spec accepts it everywhere.
    return {
        "name": name,
        "description": DESCRIPTION_PROMPT,
        "metadata": {"short-description": short_description(name)},
    }


def body_text(name: str, target: Target, required_sections: Sequence[str] = ()) -> str:
    """The Markdown of a new skill: its title, a purpose prompt, the sections with prompts."""
    parts = [
        f"# {name}\n",
        "Purpose: say in a sentence or two what this skill helps an agent do.\n",
    ]
    parts += [_section(title) for title in sections_for(target, required_sections)]
    return "\n".join(parts)


def skill_text(name: str, target: Target, required_sections: Sequence[str] = ()) -> str:
    """The text of a new SKILL.md for `target`."""
    fields = front_matter_fields(name)
    front = [
        f"name: {fields['name']}",
        f"description: {fields['description']}",
        "metadata:",
        f"  short-description: {fields['metadata']['short-description']}",
    ]
    return "---\n" + "\n".join(front) + "\n---\n\n" + body_text(name, target, required_sections)


def check_name(name: str, target: Target | None = None) -> None:
    problem = name_problem(name)
    if problem is None and target is not None:
        reserved = [word for word in target.reserved_name_words if word in name]
        if reserved:
            problem = f"`{reserved[0]}` is a reserved word for target {target.name}"
    if problem:
        raise ScaffoldError(f"cannot create a skill named `{name}`: {problem}")


def create_skill(
    parent: Path, name: str, target: Target, required_sections: Sequence[str] = ()
) -> Path:
    """Write `parent/name/SKILL.md`; never overwrite anything."""
    check_name(name, target)
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


# ---------------------------------------------------------------------------------------------
# A template and its render-plan entry (`skillkit new NAME --template`)


def _toml_string(text: str) -> str:
    # A TOML basic string: JSON's escapes are TOML's for the characters json.dumps escapes.
    return json.dumps(text, ensure_ascii=False)


def plan_entry(name: str, target: str | None, table: str, file_name: str | None = None) -> str:
    """The `[[<table>.outputs]]` entry that renders the template (`NAME.md.j2`) to
    `NAME/SKILL.md`, with the front matter as data (so that render adapts it to each target)."""
    fields = front_matter_fields(name)
    lines = [
        f"[[{table}.outputs]]",
        f"template = {_toml_string(file_name or name + TEMPLATE_SUFFIX)}",
        f'path = "{name}/SKILL.md"',
    ]
    if target is not None:
        lines.append(f"target = {_toml_string(target)}")
    lines += [
        "",
        f"[{table}.outputs.front-matter]",
        f"name = {_toml_string(fields['name'])}",
        f"description = {_toml_string(fields['description'])}",
        "metadata = { short-description = "
        f"{_toml_string(fields['metadata']['short-description'])} }}",
    ]
    return "\n".join(lines) + "\n"


def create_template(
    project: Path,
    name: str,
    target_name: str | None,
    required_sections: Sequence[str] = (),
    file_name: str | None = None,
) -> tuple[Path, Path]:
    """Write `templates/NAME.md.j2` and add its entry to the render plan of the project's config
    (creating `skillkit.toml` when the project has none). Nothing is overwritten, and the new
    config must still give a valid plan, else nothing is written. Returns (template, config)."""
    check_name(name)
    config = find_config(project)
    if config is None:
        config = project / CONFIG_FILE
        before = ""
    else:
        try:
            before = read_file_bytes(config).decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ScaffoldError(f"cannot read {config}: {error}") from None
    settings = load_config(config).settings if before else None
    try:
        plan = plan_for(project, settings)
    except PlanError as error:
        raise ScaffoldError(f"the render plan is not valid: {error}") from None
    file_name = file_name or f"{name}{TEMPLATE_SUFFIX}"
    if "/" in file_name.strip("/") or file_name in (".", "..") or "\\" in file_name:
        raise ScaffoldError(f"`{file_name}`: give a file name, without folders")
    template = plan.templates / file_name
    if template.exists() or template.is_symlink():
        raise ScaffoldError(f"{template} already exists; not overwriting it")
    output = f"{name}/SKILL.md"
    for variant in plan.variants:
        if variant.path == output or variant.template == template.name:
            raise ScaffoldError(
                f"the render plan in {config} already has an output for `{name}` "
                f"({variant.template} → {variant.path})"
            )
    table = "render" if config.name == CONFIG_FILE else "tool.skillkit.render"
    default = settings.render.get("target", settings.target) if settings else "spec"
    entry_target = target_name if target_name not in (None, default) else None
    separator = "" if not before else "\n" if before.endswith("\n") else "\n\n"
    after = before + separator + plan_entry(name, entry_target, table, file_name)
    # The new config must parse and give a plan with the new output (an `outputs = [...]` array
    # written inline, say, cannot take an appended entry).
    try:
        document = tomllib.loads(after)
        render_table = (
            document.get("render", {})
            if table == "render"
            else (document.get("tool", {}).get("skillkit", {}).get("render", {}))
        )
        build_plan(render_table, config.parent, "spec", PlanSource(config, f"[{table}]"))
    except (tomllib.TOMLDecodeError, PlanError) as error:
        raise ScaffoldError(
            f"cannot add the plan entry to {config}: {error}; add it by hand:\n\n"
            + plan_entry(name, entry_target, table, file_name)
        ) from None
    target = get_target(target_name or default)
    template.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(template, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ScaffoldError(f"{template} already exists; not overwriting it") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(body_text(name, target, required_sections))
    # Atomically: a crash or a full disk must not leave the project's config half written.
    write_atomic(config, after)
    return template, config
