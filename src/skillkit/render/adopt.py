"""`skillkit adopt SKILLS`: turn an existing skills folder into templates that render it back.

One template a skill; every section that is byte-identical in two or more skills becomes a
partial that each template includes; the front matter becomes data in the plan when the YAML
that render writes from it is the file's own front matter, byte for byte (else it stays, as
text, in the template); and the manifest records the outputs, so that `render --check` passes at
once. What the skills' lint already finds is written into each entry's `ignore` (a baseline that
lives with the plan, not in the outputs), so a repository with findings can adopt render today.

Nothing is guessed: after writing the templates, the plan is rendered in memory and every output
compared with its file; a skill that would not come back byte for byte is left out and reported
(its template removed), and when none would, nothing is written at all.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
import yaml

from skillkit.atomic import write_atomic
from skillkit.config.files import CONFIG_FILE, find_config, load_config
from skillkit.engine.discover import discover
from skillkit.model import Section
from skillkit.outputs import plan_for
from skillkit.outputs.plan import TEMPLATE_SUFFIX, PlanError, PlanSource, build_plan
from skillkit.parse import parse_text
from skillkit.render.engine import UNCHANGED, outputs_reached, render_plan
from skillkit.render.frontmatter import adapt, front_matter_block
from skillkit.settings import Settings
from skillkit.targets import get_target

PARTIALS = "partials"

# The starts of Jinja's tags; in a template, `{` before one of these is written as an expression.
_TAG_START = re.compile(r"\{(?=[{%#])")


class AdoptError(Exception):
    """The project cannot adopt render as asked (exit 2, nothing written)."""


def escape_jinja(text: str) -> str:
    """Text that a Jinja template renders to itself: each `{` that would open a tag (`{{`, `{%`,
    `{#`) becomes the expression `{{ '{' }}`; the rest is literal already."""
    return _TAG_START.sub("{{ '{' }}", text)


@dataclass(frozen=True)
class Partial:
    name: str  # relative to the templates folder: partials/<slug>.md.j2
    title: str
    text: str
    skills: tuple[str, ...]  # the output paths that include it


@dataclass
class SkillTemplate:
    output: str  # the skill file, relative to the output root (POSIX)
    template: str  # relative to the templates folder
    text: str = ""
    front_matter: dict[str, Any] | None = None  # data for the plan; None: in the template
    kept_front_matter: str = ""  # why the front matter stayed in the template
    ignore: tuple[str, ...] = ()


@dataclass
class Adoption:
    """What `adopt` would write: templates, partials and the plan's outputs."""

    skills: list[SkillTemplate] = field(default_factory=list)
    partials: list[Partial] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (output, why)

    def files(self) -> dict[str, str]:
        """Template name → text, partials included."""
        out = {skill.template: skill.text for skill in self.skills}
        out.update({partial.name: partial.text for partial in self.partials})
        return out

    def outputs(self) -> list[dict[str, Any]]:
        """The `outputs` array of the plan."""
        entries: list[dict[str, Any]] = []
        for skill in self.skills:
            entry: dict[str, Any] = {"template": skill.template, "path": skill.output}
            if skill.ignore:
                entry["ignore"] = list(skill.ignore)
            if skill.front_matter is not None:
                entry["front-matter"] = skill.front_matter
            entries.append(entry)
        return entries


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug or "section"


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _section_text(lines: Sequence[str], section: Section) -> str:
    """The section's lines without its trailing blank lines: those separate it from what
    follows, and a section last in one file and in the middle of another is still the same."""
    chunk = list(lines[section.start_line - 1 : section.end_line])
    while chunk and chunk[-1] in ("\n", ""):
        chunk.pop()
    return "".join(chunk)


def _toml_ready(value: Any) -> bool:
    """Whether the value survives the trip into the plan's TOML and back unchanged (TOML has no
    null, and render reads a string holding a Jinja tag as a template)."""
    if isinstance(value, str):
        return _TAG_START.search(value) is None
    if isinstance(value, bool | int | float):
        return True
    if isinstance(value, list):
        return all(_toml_ready(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _toml_ready(item) for key, item in value.items())
    return False


def _front_matter_as_data(
    text: str, body_start: int, lines: Sequence[str], target: str
) -> tuple[dict[str, Any] | None, str, str]:
    """(data, the rest of the file after the front matter and its blank line, why not) — data
    None when the front matter must stay in the template as text."""
    head = "".join(lines[: body_start - 1])
    try:
        data = yaml.safe_load(head.removeprefix("---\n").removesuffix("---\n"))
    except yaml.YAMLError:
        return None, "", "its YAML does not parse"
    if not isinstance(data, dict) or not data:
        return None, "", "it is not a mapping of fields"
    if not _toml_ready(data):
        return None, "", "a value has no TOML form (null, a date, or text holding `{{`/`{%`)"
    adapted = adapt(data, get_target(target))
    written = front_matter_block(adapted.fields) + "\n"
    if adapted.dropped:
        fields = ", ".join(f"`{key}`" for key in adapted.dropped)
        return None, "", f"target {target} does not accept {fields}, which render would drop"
    if adapted.mapped:
        fields = ", ".join(f"`{key}`" for key in adapted.mapped)
        return None, "", f"render would rewrite {fields} for target {target}"
    if not text.startswith(written):
        return None, "", "render would write its YAML differently (quoting, order or layout)"
    return dict(data), text[len(written) :], ""


def _outermost_shared(
    sections: Sequence[Section], lines: Sequence[str], body_start: int, shared: set[str]
) -> list[tuple[Section, str, str]]:
    """(section, its text, its title) for each outermost section whose text is shared."""
    found: list[tuple[Section, str, str]] = []
    for section in sections:
        key = _section_text(lines, section)
        if section.start_line >= body_start and key in shared:
            found.append((section, key, section.title))
        else:
            found += _outermost_shared(section.children, lines, body_start, shared)
    return found


def plan_adoption(
    skill_files: Sequence[tuple[str, Path]], target: str, template_names: Sequence[str] = ()
) -> Adoption:
    """The templates and plan entries for skill files, given as (output path relative to the
    output root, file). `template_names` are names already taken in the templates folder."""
    adoption = Adoption()
    parsed: list[tuple[SkillTemplate, str, list[str], int, tuple[Section, ...]]] = []
    taken = set(template_names)
    for output, path in skill_files:
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            adoption.skipped.append((output, f"cannot be read as UTF-8 ({error})"))
            continue
        if "\r" in text:
            adoption.skipped.append((output, "has CR line ends, which a template renders as LF"))
            continue
        if text.startswith("\ufeff"):
            adoption.skipped.append((output, "starts with a byte-order mark"))
            continue
        folder = output.rsplit("/", 1)[0] if "/" in output else "skill"
        template = f"{folder}{TEMPLATE_SUFFIX}"
        if template in taken or template.split("/", 1)[0] == PARTIALS:
            adoption.skipped.append((output, f"its template name {template} is taken"))
            continue
        taken.add(template)
        skill = parse_text(text, path)
        lines = _lines(text)
        entry = SkillTemplate(output, template)
        body_start = 1
        if skill.front_matter.present and skill.front_matter.closed:
            body_start = skill.body_start_line
            data, _rest, why = _front_matter_as_data(text, body_start, lines, target)
            if data is not None:
                entry.front_matter = data
                body_start += 1  # the blank line render writes after the front matter
            else:
                entry.kept_front_matter = why
                body_start = 1
        parsed.append((entry, text, lines, body_start, skill.sections))

    # Which section texts occur in two or more skills (each skill counted once).
    owners: dict[str, set[str]] = {}
    for entry, _text, lines, body_start, sections in parsed:
        for top in sections:
            for section in top.walk():
                if section.start_line >= body_start:
                    key = _section_text(lines, section)
                    owners.setdefault(key, set()).add(entry.output)
    shared = {key for key, who in owners.items() if len(who) > 1}

    partial_of: dict[str, Partial] = {}
    used_names = set(taken)

    def partial_for(key: str, title: str) -> Partial:
        if key not in partial_of:
            base = f"{PARTIALS}/{_slug(title)}"
            name, number = f"{base}{TEMPLATE_SUFFIX}", 2
            while name in used_names:
                name, number = f"{base}-{number}{TEMPLATE_SUFFIX}", number + 1
            used_names.add(name)
            partial_of[key] = Partial(name, title, escape_jinja(key), tuple(sorted(owners[key])))
        return partial_of[key]

    for entry, _text, lines, body_start, sections in parsed:
        # The outermost shared sections, each replaced by an include of its partial.
        replaced = [
            (section.start_line, section.start_line - 1 + len(_lines(key)), partial_for(key, title))
            for section, key, title in _outermost_shared(sections, lines, body_start, shared)
        ]
        pieces: list[str] = []
        line = body_start
        for first, last, partial in replaced:
            pieces.append(escape_jinja("".join(lines[line - 1 : first - 1])))
            pieces.append(f'{{% include "{partial.name}" %}}\n')
            line = last + 1
        pieces.append(escape_jinja("".join(lines[line - 1 :])))
        entry.text = "".join(pieces)
        adoption.skills.append(entry)
    adoption.partials = sorted(partial_of.values(), key=lambda partial: partial.name)
    return adoption


def render_table(adoption: Adoption, templates: str, output_root: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if templates != "templates":
        table["templates"] = templates
    if output_root != "skills":
        table["output-root"] = output_root
    table["outputs"] = adoption.outputs()
    return table


def config_text(table: Mapping[str, Any], config_name: str) -> str:
    if config_name == "pyproject.toml":
        return tomli_w.dumps({"tool": {"skillkit": {"render": dict(table)}}})
    return tomli_w.dumps({"render": dict(table)})


@dataclass
class AdoptReport:
    config: Path
    created_config: bool
    adoption: Adoption
    written: list[Path] = field(default_factory=list)  # templates and partials
    manifest: Path | None = None
    checked: int = 0  # outputs `render --check` found up to date afterwards


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _remove(paths: Sequence[Path], templates: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
    for folder in sorted({p.parent for p in paths}, key=lambda p: len(p.parts), reverse=True):
        while folder != templates.parent and templates in (folder, *folder.parents):
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def adopt(
    skills_folder: Path,
    project: Path,
    *,
    templates: str = "templates",
    target: str | None = None,
) -> AdoptReport:
    """Adopt the skills under `skills_folder` into the render plan of the project at `project`
    (its nearest config from there up, else a new `skillkit.toml` there)."""
    if not skills_folder.is_dir():
        raise AdoptError(f"{skills_folder} is not a folder")
    config = find_config(project)
    created = config is None
    if config is None:
        config = project.resolve() / CONFIG_FILE
        settings = Settings()
        before = ""
    else:
        settings = load_config(config).settings
        before = config.read_text(encoding="utf-8")
        if settings.render:
            raise AdoptError(
                f"{config} already has a render plan; adopt writes a new one (remove it first, "
                "or add outputs by hand)"
            )
    root = config.parent
    try:
        output_root = skills_folder.resolve().relative_to(root).as_posix()
    except ValueError:
        raise AdoptError(
            f"{skills_folder} is outside the project folder {root} (where {config.name} is)"
        ) from None
    if output_root == ".":
        raise AdoptError("the skills folder must be a folder inside the project, not its root")
    plan_target = target or settings.target
    templates_folder = root / templates
    files, _missing = discover([skills_folder])
    skill_files = [
        (file.resolve().relative_to(skills_folder.resolve()).as_posix(), file)
        for file in files
        if not file.is_symlink()
    ]
    if not skill_files:
        raise AdoptError(f"no SKILL.md under {skills_folder}")
    existing = (
        [p.relative_to(templates_folder).as_posix() for p in templates_folder.rglob("*")]
        if templates_folder.is_dir()
        else []
    )
    table_name = "[render]" if config.name == CONFIG_FILE else "[tool.skillkit.render]"
    source = PlanSource(config, table_name)
    skipped: list[tuple[str, str]] = []
    while True:
        adoption = plan_adoption(skill_files, plan_target, existing)
        adoption.skipped[:0] = skipped
        if not adoption.skills:
            reasons = "; ".join(f"{output}: {why}" for output, why in adoption.skipped)
            raise AdoptError(f"no skill under {skills_folder} can be adopted ({reasons})")
        written: list[Path] = []
        try:
            for name, text in adoption.files().items():
                _write_new(templates_folder / name, text)
                written.append(templates_folder / name)
        except OSError as error:
            _remove(written, templates_folder)
            raise AdoptError(f"cannot write {error.filename}: {error.strerror}") from None
        table = render_table(adoption, templates, output_root)
        if target is not None and target != settings.target:
            table["target"] = target
        try:
            plan = build_plan(table, root, settings.target, source)
        except PlanError as error:  # pragma: no cover - the table is built right above
            _remove(written, templates_folder)
            raise AdoptError(str(error)) from None
        # Render in memory and compare: only what comes back byte for byte is adopted.
        result = render_plan(plan, settings, check=True, allow_errors=True)
        failed = {o.relative for o in result.outputs if o.text is None or o.state != UNCHANGED}
        if not failed:
            break
        _remove(written, templates_folder)
        skipped += [(output, "would not render back byte for byte") for output in sorted(failed)]
        skill_files = [(output, path) for output, path in skill_files if output not in failed]
    # The baseline: what the outputs' lint finds today, ignored by render in each entry.
    codes: dict[str, set[str]] = {}
    display_to_output = {o.display: o.relative for o in result.outputs}
    for diagnostic in result.diagnostics:
        for display in outputs_reached(diagnostic):
            output = display_to_output.get(display)
            if output is not None:
                codes.setdefault(output, set()).add(diagnostic.code)
    for skill in adoption.skills:
        skill.ignore = tuple(sorted(codes.get(skill.output, ())))
    table = render_table(adoption, templates, output_root)
    if target is not None and target != settings.target:
        table["target"] = target
    addition = config_text(table, config.name)
    separator = "" if not before else "\n" if before.endswith("\n") else "\n\n"
    after = before + separator + addition
    try:
        tomllib.loads(after)
    except tomllib.TOMLDecodeError as error:
        _remove(written, templates_folder)
        raise AdoptError(
            f"cannot add the render plan to {config}: {error}; nothing was written"
        ) from None
    write_atomic(config, after)
    settings = load_config(config).settings
    plan = plan_for(root, settings)
    render_plan(plan, settings)  # every output is unchanged: this writes the manifest
    check = render_plan(plan, settings, check=True)
    report = AdoptReport(config, created, adoption, written, plan.manifest_path)
    report.checked = len(check.outputs) if check.ok else 0
    return report
