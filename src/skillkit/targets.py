"""Target profiles: what each consumer of skills accepts. Rules ask the profile; no rule names a
client. Facts from `../shared/docs/skill-format.md`."""

from __future__ import annotations

from dataclasses import dataclass

SPEC_FIELDS = frozenset(
    {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}
)
CLAUDE_CODE_FIELDS = SPEC_FIELDS | {
    "when_to_use",
    "argument-hint",
    "arguments",
    "disable-model-invocation",
    "user-invocable",
    "disallowed-tools",
    "model",
    "effort",
    "context",
    "agent",
    "shell",
    "hooks",
    "paths",
}


@dataclass(frozen=True)
class Target:
    name: str
    title: str
    fields: frozenset[str]
    required: frozenset[str]
    # The spec's name rules (a-z0-9-, equal to the folder): off where `name` is a display label.
    name_is_identifier: bool = True
    allowed_tools_list: bool = False
    short_description_limit: int | None = None
    requires_short_description: bool = False
    # Rule codes that this target turns on although they are off by default (policies).
    enables: frozenset[str] = frozenset()
    # Sections a skill must have when it runs vrctl (title → why).
    required_sections_with_vrctl: tuple[str, ...] = ()
    discovery: tuple[str, ...] = ()
    # The sections SK601 compares when the config names none (see `shared-sections`): "*" is
    # any title that two skills carry word for word.
    shared_sections: tuple[str, ...] = ("*",)


TARGETS: dict[str, Target] = {
    "spec": Target(
        name="spec",
        title="the open Agent Skills specification (also claude.ai upload and the Skills API)",
        fields=SPEC_FIELDS,
        required=frozenset({"name", "description"}),
        discovery=(".agents/skills",),
    ),
    "claude-code": Target(
        name="claude-code",
        title="Claude Code",
        fields=CLAUDE_CODE_FIELDS,
        required=frozenset(),
        name_is_identifier=False,
        allowed_tools_list=True,
        discovery=(".claude/skills", "~/.claude/skills"),
    ),
    "codex": Target(
        name="codex",
        title="OpenAI Codex",
        fields=SPEC_FIELDS,
        required=frozenset({"name", "description"}),
        # Older Codex releases stop at 500 characters; newer ones at 1024. Lint for both.
        short_description_limit=500,
        discovery=(".agents/skills", "~/.agents/skills", "/etc/codex/skills"),
    ),
    "viberun": Target(
        name="viberun",
        title="viberun app containers (one file for every client at once)",
        fields=SPEC_FIELDS,
        required=frozenset({"name", "description"}),
        short_description_limit=500,
        requires_short_description=True,
        # The viberun skills' own policies: vrctl owns the supervisor, uv owns Python
        # environments, TypeScript only, and destructive commands only with a snapshot or the
        # user's consent.
        enables=frozenset({"SK302", "SK303", "SK304", "SK305"}),
        required_sections_with_vrctl=("Guardrails",),
        # The policy sections every viberun skill carries, copied on purpose; the others
        # (Workflow, templates, notes) are written for each skill.
        shared_sections=(
            "Version freshness",
            "Language/tooling preferences",
            "Guardrails",
            "Snapshot guidance",
        ),
        discovery=("~/.codex/skills", "~/.claude/skills", "~/.config/agents/skills"),
    ),
}

TARGET_NAMES = tuple(TARGETS)


def get_target(name: str) -> Target:
    return TARGETS[name]
