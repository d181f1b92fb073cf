"""SK302-SK305: the built-in policies that a target (`Target.enables`) or the config turns on:
no direct supervisor call, uv rather than pip, TypeScript entry points, and a destructive
command only where the skill says to take a snapshot or ask the user first."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from skillkit.analysis import Run
from skillkit.context import Context
from skillkit.diagnostics import Finding, Severity
from skillkit.model import Skill
from skillkit.rules._common import example_skill
from skillkit.rules.base import rule
from skillkit.rules.guardrails.classify import (
    DESTRUCTIVE_TOOLS,
    is_destructive,
    is_pip_install,
    is_supervisor_call,
    is_venv,
    js_entry,
)
from skillkit.rules.guardrails.run_text import run_start, shown_run
from skillkit.rules.guardrails.sections import section_text


@rule(
    "SK302",
    "supervisor-call",
    Severity.ERROR,
    "A command calls a process supervisor directly (`s6-*`, `systemctl`, `service x start`).",
    "In a viberun container vrctl owns the s6 layout under `~/.local/services`; a skill that "
    "tells the agent to call s6, systemd or `service` directly bypasses it (and systemd does "
    "not run there). Manage services with `vrctl service ...`.",
    bad=example_skill("```sh\ns6-svc -r ~/.local/services/web\n```\n"),
    good=example_skill("```sh\nvrctl service restart web\n```\n"),
    default=False,
    enabled_by=("viberun",),
    messages={
        "direct": "`{run}` calls the supervisor directly; manage services with `vrctl service ...`",
    },
)
def supervisor_call(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in context.analysis.policy_runs:
        if is_supervisor_call(run):
            yield Finding(run_start(run), supervisor_call.message("direct", run=shown_run(run)))


@rule(
    "SK303",
    "uv-policy",
    Severity.ERROR,
    "With the uv policy: a command uses `pip install`, `python -m venv` or `virtualenv`.",
    "A project that uses uv for environments and dependencies breaks when an agent installs "
    "with pip or makes its own virtual environment: the lock file and `uv run` no longer "
    "describe what runs. Use `uv add`, `uv sync` and `uv run` (`uv pip` is uv, and is fine).",
    bad=example_skill("```sh\npip install fastapi\n```\n"),
    good=example_skill("```sh\nuv add fastapi\n```\n"),
    default=False,
    enabled_by=("viberun",),
    messages={
        "pip": "`{run}` installs with pip; with uv use `uv add <package>` (or "
        "`uv run --with <package>` for a one-off)",
        "venv": "`{run}` makes a virtual environment by hand; uv manages it (`uv sync`, `uv run`)",
    },
)
def uv_policy(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in context.analysis.policy_runs:
        if is_pip_install(run):
            yield Finding(run_start(run), uv_policy.message("pip", run=shown_run(run)))
        elif is_venv(run):
            yield Finding(run_start(run), uv_policy.message("venv", run=shown_run(run)))


@rule(
    "SK304",
    "typescript-policy",
    Severity.WARNING,
    "With the TypeScript policy: a command runs a JavaScript entry point (`node server.js`).",
    "A team that writes TypeScript only wants `.ts` entry points: `node server.ts` (recent Node "
    "runs TypeScript natively) or `npx -y tsx server.ts`. A `.js` entry point means plain "
    "JavaScript the agent would write and maintain. Compiled output (`dist/`, `build/`) and "
    "scripts a repository or skill ships (`scripts/`, `.agents/skills/...`) are not app code "
    "and are not reported. A warning: the command works, it only goes against the policy. "
    "`--cmd node --arg server.js` and the shell string "
    '`--cmd "node server.js"` (SK407) are read as the same program.',
    bad=example_skill(
        "```sh\nvrctl service add web --cmd node --arg server.js --cwd /home/viberun/app\n```\n"
    ),
    good=example_skill(
        "```sh\nvrctl service add web --cmd node --arg server.ts --cwd /home/viberun/app\n```\n"
    ),
    default=False,
    enabled_by=("viberun",),
    messages={
        "js-entry": "`{run}` runs the JavaScript entry point `{entry}`; use a `.ts` entry "
        "(`{tool} {ts_entry}`)",
    },
)
def typescript_policy(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in context.analysis.policy_runs:
        entry = js_entry(run)
        if entry:
            token = next((t for t in run.argv if t.text == entry), run.argv[0])
            message = typescript_policy.message(
                "js-entry",
                run=shown_run(run),
                entry=entry,
                tool=run.tool,
                ts_entry=re.sub(r"[mc]?js$", "ts", entry),
            )
            yield Finding(token.span, message)


_SAFEGUARD = re.compile(
    r"\bsnapshots?\b|\bask(?:s|ing)?\b[^.\n]{0,40}\b(?:user|them|first|before|permission)\b"
    r"|\bconfirm(?:s|ation)?\b",
    re.IGNORECASE,
)


def _service_name(run: Run, verb: str) -> str | None:
    """The name of `vrctl service <verb> <name>`, or None when the run is not that."""
    words = run.words
    if run.tool == "vrctl" and len(words) > 3 and words[1:3] == ("service", verb):
        return words[3]
    return None


_STEP_LINES = 40  # a paragraph longer than this is no one step


def _step(skill: Skill, run: Run, block_ends: dict[int, int]) -> tuple[int, int]:
    """The lines of the step a command is given in: its code block (`block_ends`: the last
    line of each block by its first), or the paragraph (list item) of an inline span."""
    command = run.command
    if command.source != "inline" and command.block_line in block_ends:
        return command.block_line, block_ends[command.block_line]
    first = last = command.line
    while (
        first - 1 >= skill.body_start_line
        and command.line - first < _STEP_LINES
        and skill.line_text(first - 1).strip()
    ):
        first -= 1
    while (
        last + 1 <= len(skill.lines)
        and last - command.line < _STEP_LINES
        and skill.line_text(last + 1).strip()
    ):
        last += 1
    return first, last


def _re_added(
    skill: Skill, run: Run, adds: dict[str, list[tuple[int, int]]], block_ends: dict[int, int]
) -> bool:
    """`vrctl service remove X` followed in the same step by `vrctl service add X`: the service
    definition is replaced (how a changed command or environment takes effect), nothing lost.
    `adds`: where each name is added, in order; `block_ends`: see `_step`."""
    name = _service_name(run, "remove")
    if name is None or name not in adds:
        return False
    first, last = _step(skill, run, block_ends)
    start = (run.command.span.line, run.command.span.column)
    later = adds[name][bisect.bisect_right(adds[name], start) :]
    return bool(later) and later[0][0] <= last and later[0][0] >= first


def _adds_by_name(context: Context) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for run in context.analysis.policy_runs:
        name = _service_name(run, "add")
        if name is not None:
            found.setdefault(name, []).append((run.command.span.line, run.command.span.column))
    return found


# Words of a rule about every destructive change, not one command ("Ask the user before
# deleting:" leads into its own block and guards only that).
_DESTRUCTIVE_CHANGES = re.compile(r"\b(?:destructive|risky|irreversible)\b", re.IGNORECASE)


def _guarded_everywhere(skill: Skill) -> bool:
    """Whether one line of prose guards every destructive command of the skill: "Before risky
    or destructive changes (removing services, deleting data), ask the user if they want a
    snapshot." An agent reads the whole skill; such a rule covers each command."""
    code_lines = skill.code_lines
    return any(
        number not in code_lines and _SAFEGUARD.search(text) and _DESTRUCTIVE_CHANGES.search(text)
        for number, text in enumerate(skill.lines, 1)
        if number >= skill.body_start_line
    )


@rule(
    "SK305",
    "destructive-unguarded",
    Severity.WARNING,
    "A destructive command is not in a section that mentions a snapshot or asking the user.",
    "`vrctl service remove`, `vrctl host restore` and `rm -rf` lose work that cannot be got "
    "back. A skill should give them only where it also says to take a snapshot or to ask the "
    "user first (in the command's section, or in a line that covers every destructive change: "
    '"Before risky or destructive changes, ask the user if they want a snapshot"), so that an '
    "agent reading that part does not run them blindly. A `service "
    "remove` followed in the same step (code block or paragraph) by a `service add` of the "
    "same name only replaces the service's definition, and is not reported.",
    bad=example_skill("## Clean up\n\n```sh\nvrctl service remove web\n```\n"),
    good=example_skill(
        "## Clean up\n\nAsk the user first, and take a snapshot:\n\n"
        "```sh\nvrctl host snapshot\nvrctl service remove web\n```\n"
    ),
    default=False,
    enabled_by=("viberun",),
    messages={
        "unguarded": "`{run}` is destructive, but {where} says nothing about a snapshot or "
        "asking the user first",
        # Where the command is (`where` above).
        "in-section": "section `{title}`",
        "before-headings": "the part before the first heading",
    },
)
def destructive_unguarded(skill: Skill, context: Context) -> Iterator[Finding]:
    adds: dict[str, list[tuple[int, int]]] | None = None
    block_ends: dict[int, int] = {}
    guarded: dict[int, bool] = {}  # whether each section (by its first line) has a safeguard
    skill_wide: bool | None = None
    for run in context.analysis.policy_runs:
        if run.tool not in DESTRUCTIVE_TOOLS or not is_destructive(run):
            continue
        if adds is None:  # gathered once, for the first destructive command
            adds = _adds_by_name(context)
            block_ends = {block.span.line: block.span.end_line for block in skill.code_blocks}
        if _re_added(skill, run, adds, block_ends):
            continue
        if skill_wide is None:
            skill_wide = _guarded_everywhere(skill)
        if skill_wide:
            continue
        section = skill.section_at(run.command.line)
        key = section.start_line if section else 0
        if key not in guarded:  # once a section: a section may give thousands of commands
            guarded[key] = bool(_SAFEGUARD.search(section_text(skill, run.command.line)[0]))
        if guarded[key]:
            continue
        where = (
            destructive_unguarded.message("in-section", title=section.title)
            if section
            else destructive_unguarded.message("before-headings")
        )
        message = destructive_unguarded.message("unguarded", run=shown_run(run), where=where)
        yield Finding(run_start(run), message)
