"""Target profiles: what each consumer of skills accepts. Rules ask the profile; no rule names a
client. Facts from `../shared/docs/skill-format.md`, checked against each client's own docs:
Claude Code's skills docs (code.claude.com/docs/en/skills, frontmatter reference), its hooks
reference (code.claude.com/docs/en/hooks) and tools reference (code.claude.com/docs/en/
tools-reference); Anthropic's Agent Skills docs (platform.claude.com/docs/en/agents-and-tools/
agent-skills/overview); Codex's skill loader (openai/codex, codex-rs/core/src/skills/loader.rs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

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


# Claude Code's hook events (the keys of `hooks`, as in settings: code.claude.com/docs/en/hooks).
CLAUDE_CODE_HOOK_EVENTS = frozenset(
    {
        "PreToolUse",
        "PostToolUse",
        "PostToolUseFailure",
        "PostToolBatch",
        "PermissionRequest",
        "PermissionDenied",
        "Notification",
        "UserPromptSubmit",
        "UserPromptExpansion",
        "Stop",
        "StopFailure",
        "SubagentStart",
        "SubagentStop",
        "PreCompact",
        "PostCompact",
        "Elicitation",
        "ElicitationResult",
        "TeammateIdle",
        "TaskCreated",
        "TaskCompleted",
        "Setup",
        "InstructionsLoaded",
        "CwdChanged",
        "FileChanged",
        "ConfigChange",
        "WorktreeCreate",
        "WorktreeRemove",
        "SessionStart",
        "SessionEnd",
        "PreModelSwitch",
        "PostModelSwitch",
        "MessageDisplay",
        "DirectoryAdded",
    }
)
# Claude Code's built-in tools (code.claude.com/docs/en/tools-reference), and names of earlier
# releases that permission rules still carry in the wild (`Task` before `Agent`, `MultiEdit`,
# `LS`, ...): an allowed-tools entry naming one of these is not a typo.
CLAUDE_CODE_TOOLS = frozenset(
    {
        "Agent",
        "Artifact",
        "AskUserQuestion",
        "Bash",
        "CronCreate",
        "CronDelete",
        "CronList",
        "Edit",
        "EnterPlanMode",
        "EnterWorktree",
        "ExitPlanMode",
        "ExitWorktree",
        "Glob",
        "Grep",
        "ListMcpResourcesTool",
        "LSP",
        "Monitor",
        "NotebookEdit",
        "PowerShell",
        "PushNotification",
        "Read",
        "ReadMcpResourceTool",
        "ScheduleWakeup",
        "SendMessage",
        "Skill",
        "TaskCreate",
        "TaskGet",
        "TaskList",
        "TaskOutput",
        "TaskStop",
        "TaskUpdate",
        "TeamCreate",
        "TeamDelete",
        "TodoWrite",
        "ToolSearch",
        "WebFetch",
        "WebSearch",
        # Tools of releases after the tools reference was read: their own tool descriptions in
        # Claude Code 2.1.168 (PushNotification, ScheduleWakeup), and the dynamic workflows'
        # tool (code.claude.com/docs/en/workflows).
        "Workflow",
        "Write",
        # Earlier names, still seen in skills and accepted in permission rules.
        "Task",
        "MultiEdit",
        "LS",
        "NotebookRead",
        "TodoRead",
        "BashOutput",
        "KillShell",
        "KillBash",
        "SlashCommand",
    }
)
# `model`: an alias or a Claude model id (`claude-...`) (code.claude.com/docs/en/skills).
CLAUDE_CODE_MODEL_ALIASES = frozenset(
    {"sonnet", "opus", "haiku", "inherit", "default", "best", "opusplan", "sonnet[1m]", "opus[1m]"}
)
CLAUDE_CODE_EFFORTS = ("low", "medium", "high", "xhigh", "max")
CLAUDE_CODE_SHELLS = ("bash", "powershell")
# Keys that authors write for a Claude Code field under another spelling: the field they meant.
CLAUDE_CODE_ALIASES = {
    "tools": "allowed-tools",
    "allowed_tools": "allowed-tools",
    "allowedtools": "allowed-tools",
    "allowed-tool": "allowed-tools",
    "disallowed_tools": "disallowed-tools",
    "disallowedtools": "disallowed-tools",
    "user_invocable": "user-invocable",
    "user-invokable": "user-invocable",
    "user_invokable": "user-invocable",
    "userinvocable": "user-invocable",
    "disable_model_invocation": "disable-model-invocation",
    "disablemodelinvocation": "disable-model-invocation",
    "argument_hint": "argument-hint",
    "argumenthint": "argument-hint",
    "args": "arguments",
    "when-to-use": "when_to_use",
    "whentouse": "when_to_use",
}


@dataclass(frozen=True)
class Target:
    name: str
    title: str
    fields: frozenset[str]
    required: frozenset[str]
    # Only the characters and the length of `name` are checked (Claude Code's slash command:
    # "lowercase letters, numbers, and hyphens only (max 64 characters)").
    name_chars_only: bool = False
    # `name` must equal the skill's folder (the spec); Claude Code defaults it to the folder.
    name_matches_folder: bool = True
    # The client refuses a name of other characters than a-z, 0-9 and `-` (the spec). Codex
    # loads any name of 1-64 characters: for it a name the spec refuses is a warning.
    name_charset_enforced: bool = True
    # The client reads `allowed-tools` (Codex has no such field and ignores it, in any form).
    reads_allowed_tools: bool = True
    # The keys of `metadata` the client reads (None: any); the others it ignores, whatever
    # their values.
    metadata_keys: frozenset[str] | None = None
    # Words that `name` must not contain (Anthropic's API: `anthropic`, `claude`).
    reserved_name_words: tuple[str, ...] = ()
    # The most characters `description` may have (the spec's 1024); None: no limit of its own
    # (Claude Code cuts the listing entry instead, see `listing_entry_limit`).
    description_limit: int | None = 1024
    # `description` must not hold XML tags (Anthropic's API).
    description_no_xml: bool = False
    # The skill folder is uploaded (as a zip), within a size limit (rule option
    # `max-upload-bytes`).
    uploaded: bool = False
    allowed_tools_list: bool = False
    short_description_limit: int | None = None
    # How bad an unknown front-matter key is: "error" where the client rejects the skill,
    # "warning" where it ignores the key. A near-miss of a known field (`tools` for
    # `allowed-tools`) stays an error: the field the author meant has no effect.
    unknown_key_severity: str = "error"
    # Claude Code's aliases of its own fields (`tools` → `allowed-tools`).
    field_aliases: Mapping[str, str] = field(default_factory=dict)
    # The client reads `when_to_use` with the description, and leaves skills with
    # `disable-model-invocation: true` out of what the model sees.
    reads_when_to_use: bool = False
    # The client lists skills for the model within a character budget (Claude Code).
    listing_entry_limit: int | None = None
    # Field values (Claude Code's frontmatter reference): booleans, closed choices, strings,
    # strings or lists of strings, the hook events of `hooks`, the tool names of
    # `allowed-tools`, and the model aliases of `model`.
    boolean_fields: frozenset[str] = frozenset()
    field_choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    string_fields: frozenset[str] = frozenset()
    string_or_list_fields: frozenset[str] = frozenset()
    hook_events: frozenset[str] = frozenset()
    known_tools: frozenset[str] = frozenset()
    model_aliases: frozenset[str] = frozenset()
    # The client reads a sidecar `agents/openai.yaml` (Codex).
    reads_openai_yaml: bool = False
    # Where a skill lives tells that this client reads it (folder markers on its path, and
    # files in a folder above it): used when neither the config nor a flag names a target.
    inferred_from_folders: tuple[str, ...] = ()
    inferred_from_files: tuple[str, ...] = ()
    # Sections a skill must have when it runs vrctl (title → why).
    required_sections_with_vrctl: tuple[str, ...] = ()
    discovery: tuple[str, ...] = ()
    # The sections SK601 compares when the config names none (see `shared-sections`): "*" is
    # any title that two skills carry word for word.
    shared_sections: tuple[str, ...] = ("*",)


TARGETS: dict[str, Target] = {
    "spec": Target(
        name="spec",
        title="the open Agent Skills specification",
        fields=SPEC_FIELDS,
        required=frozenset({"name", "description"}),
        discovery=(".agents/skills",),
    ),
    "claude-code": Target(
        name="claude-code",
        title="Claude Code",
        fields=CLAUDE_CODE_FIELDS,
        required=frozenset(),
        name_chars_only=True,
        name_matches_folder=False,
        description_limit=None,
        allowed_tools_list=True,
        unknown_key_severity="warning",
        field_aliases=CLAUDE_CODE_ALIASES,
        reads_when_to_use=True,
        boolean_fields=frozenset({"disable-model-invocation", "user-invocable"}),
        field_choices={
            "context": ("fork",),
            "effort": CLAUDE_CODE_EFFORTS,
            "shell": CLAUDE_CODE_SHELLS,
        },
        string_fields=frozenset({"when_to_use", "argument-hint", "agent", "model"}),
        string_or_list_fields=frozenset(
            {"paths", "arguments", "allowed-tools", "disallowed-tools"}
        ),
        hook_events=CLAUDE_CODE_HOOK_EVENTS,
        known_tools=CLAUDE_CODE_TOOLS,
        model_aliases=CLAUDE_CODE_MODEL_ALIASES,
        # Each skill's entry (description and when_to_use) is cut at 1,536 characters
        # (code.claude.com/docs/en/skills; setting `skillListingMaxDescChars`).
        listing_entry_limit=1536,
        discovery=(".claude/skills", "~/.claude/skills"),
        inferred_from_folders=(".claude/skills",),
        inferred_from_files=(".claude-plugin/plugin.json", ".claude-plugin/marketplace.json"),
    ),
    "claude-api": Target(
        name="claude-api",
        title="the Claude API (Skills) and claude.ai upload",
        fields=SPEC_FIELDS,
        required=frozenset({"name", "description"}),
        reserved_name_words=("anthropic", "claude"),
        description_no_xml=True,
        uploaded=True,
    ),
    "codex": Target(
        name="codex",
        title="OpenAI Codex",
        fields=SPEC_FIELDS,
        required=frozenset({"name", "description"}),
        # Older Codex releases stop at 500 characters; newer ones at 1024. Lint for both.
        short_description_limit=500,
        # Codex reads name, description and metadata and ignores every other key. Its loader
        # (codex-rs/core/src/skills/loader.rs) checks only that name and description are
        # there and short enough: not the name's characters, nor that it equals the folder.
        unknown_key_severity="warning",
        name_matches_folder=False,
        name_charset_enforced=False,
        reads_allowed_tools=False,
        metadata_keys=frozenset({"short-description", "shortDescription", "short_description"}),
        reads_openai_yaml=True,
        discovery=(".agents/skills", "~/.agents/skills", "/etc/codex/skills"),
        inferred_from_folders=(".codex/skills",),
    ),
    "viberun": Target(
        name="viberun",
        title="viberun app containers (one file for every client at once)",
        fields=SPEC_FIELDS,
        required=frozenset({"name", "description"}),
        short_description_limit=500,
        # The viberun skills' own policies (vrctl owns the supervisor, uv owns Python
        # environments, TypeScript only, and destructive commands only with a snapshot or the
        # user's consent) and competing descriptions (SK603), tuned on the viberun skills, are
        # rules off by default that declare this target among those that turn them on
        # (`Rule.enabled_by`).
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


def targets_where(test: Callable[[Target], bool]) -> tuple[str, ...]:
    """The names of the targets whose profile passes `test`: a rule's `targets`, from the
    profiles rather than from a list of client names."""
    return tuple(name for name, target in TARGETS.items() if test(target))
