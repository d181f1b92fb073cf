"""SK3xx: guardrails and policies. Sections a profile or the config requires; built-in policies
that a target (`Target.enables`) or the config turns on; a skill contradicting its own
Guardrails section; and the team's own forbidden commands from the config.

Policies read every program a command runs (`--cmd node --arg server.js` runs `node server.js`),
and skip an inline command that its sentence says not to run (`never use \\`pip install\\``).

Custom guardrails (`Settings.custom_guardrails`, `guardrails = [...]` in the config) are mappings:
    prefix   = "rm -rf"          # the command's words start with these (a string or a list)
    pattern  = "curl .*\\| *sh"   # or: a regular expression searched in the command line
    message  = "why it is forbidden"                  (required)
    severity = "error" | "warning" | "info"           (default "error")
A malformed entry is reported as a finding (SK307) on line 1 rather than silently ignored.
"""

from __future__ import annotations

import bisect
import itertools
import re
import shlex
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from skillkit.analysis import Run
from skillkit.context import Context
from skillkit.diagnostics import Finding, Related, Severity
from skillkit.model import InlineCode, Section, Skill, Span
from skillkit.rules.base import Example, rule
from skillkit.tools import PREFIX_COMMANDS
from skillkit.user_regex import UserRegex, UserRegexError, compile_user_regex

FRONT = (
    "---\nname: demo\ndescription: Runs the demo web app. Use when the user asks to run it.\n---\n"
)


def _skill(body: str) -> str:
    return FRONT + "\n# Demo\n\n" + body


_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")


@lru_cache(maxsize=4096)  # asked by several rules for every section of every skill
def normalize_title(title: str) -> str:
    return " ".join(title.strip().rstrip(":").split()).casefold()


def _section_lines(skill: Skill, section: Section) -> list[tuple[int, str]]:
    return [
        (number, skill.line_text(number))
        for number in range(section.start_line + 1, section.end_line + 1)
    ]


def _bullets(skill: Skill, section: Section) -> list[tuple[int, str]]:
    return [
        (number, text)
        for number, text in _section_lines(skill, section)
        if number not in skill.code_lines and _BULLET.match(text)
    ]


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
    bad=Example(_skill("```sh\nvrctl service restart web\n```\n"), target="viberun", folder="demo"),
    good=Example(
        _skill(
            "```sh\nvrctl service restart web\n```\n\n## Guardrails\n- Do not call s6 directly.\n"
        ),
        target="viberun",
    ),
)
def required_section_missing(skill: Skill, context: Context) -> Iterator[Finding]:
    wanted: list[tuple[str, bool, str]] = []  # (title, needs a bullet, why)
    vrctl = context.analysis.vrctl_run if context.target.required_sections_with_vrctl else None
    if vrctl is not None:
        why = f"this skill runs `vrctl` (line {vrctl.command.line})"
        wanted += [(title, True, why) for title in context.target.required_sections_with_vrctl]
    wanted += [
        (title, False, "the config requires it") for title in context.settings.required_sections
    ]
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
            yield Finding(
                where,
                f"no `{title}` section: {why}; add `## {title}`"
                + (" with at least one bullet" if needs_bullet else ""),
            )
        elif needs_bullet and not _bullets(skill, present):
            yield Finding(present.span, f"`{present.title}` has no bullet; list each as `- ...`")
        elif not any(text.strip() for _, text in _section_lines(skill, present)):
            yield Finding(present.span, f"`{present.title}` is empty ({why})")


# --- command predicates shared by the policies and the contradiction check -------------------

_SERVICE_VERBS = frozenset({"start", "stop", "restart", "reload", "status", "force-reload"})
_SUPERVISORS = frozenset({"systemctl", "supervisorctl", "initctl", "rc-service", "sv", "runsv"})


def is_s6(run: Run) -> bool:
    return run.tool == "s6" or run.tool.startswith("s6-")


def is_supervisor_call(run: Run) -> bool:
    tool = run.tool
    if tool == "s6" or tool.startswith("s6-") or tool in _SUPERVISORS:  # is_s6, inlined
        return True
    return tool == "service" and len(run.argv) >= 3 and run.argv[2].text in _SERVICE_VERBS


def is_systemctl(run: Run) -> bool:
    return run.tool == "systemctl"


_PYTHON = re.compile(r"python(?:3(?:\.\d+)?)?")
_PIP = re.compile(r"pip(?:3(?:\.\d+)?)?")


def _python_module(run: Run) -> str:
    tool = run.tool
    if not tool.startswith("python"):  # most runs: no pattern to try
        return ""
    words = run.words
    if _PYTHON.fullmatch(tool) and "-m" in words:
        index = words.index("-m")
        return words[index + 1] if index + 1 < len(words) else ""
    return ""


def is_pip_install(run: Run) -> bool:
    tool = run.tool
    if tool.startswith("pip") and _PIP.fullmatch(tool):
        words = run.words
        return len(words) > 1 and words[1] == "install"
    if _python_module(run) == "pip":
        words = run.words
        index = words.index("-m")
        return words[index + 2 : index + 3] == ("install",)
    return False


def is_venv(run: Run) -> bool:
    return run.tool == "virtualenv" or _python_module(run) in ("venv", "virtualenv")


_NODE_VALUE_FLAGS = frozenset(
    {"-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file", "-C"}
)
_NODE_INLINE = frozenset({"-e", "--eval", "-p", "--print"})
_JS_ENTRY = re.compile(r"\.[mc]?js$")


# Folders whose JavaScript the agent runs but does not write: build output of TypeScript,
# installed packages, and the tools a repository or a skill ships.
_NOT_APP_CODE = frozenset(
    {
        "dist",
        "build",
        "out",
        "node_modules",
        ".next",
        ".output",
        "scripts",
        "bin",
        "tools",
        ".agents",
        ".claude",
        ".codex",
        "skills",
    }
)


def js_entry(run: Run) -> str:
    """The JavaScript entry point of app code a node-like program runs (`node server.js`), or
    "". Not compiled output (`dist/server.js`) nor a script a repository or skill ships
    (`scripts/check.mjs`): running those writes no JavaScript."""
    if run.tool not in ("node", "nodejs", "nodemon", "tsx"):
        return ""
    words = list(run.words[1:])
    if run.tool == "tsx" and words[:1] == ["watch"]:
        words = words[1:]
    index = 0
    while index < len(words):
        word = words[index]
        if word in _NODE_INLINE:
            return ""
        if word.startswith("-"):
            index += 2 if word in _NODE_VALUE_FLAGS else 1
            continue
        if not _JS_ENTRY.search(word) or "$" in word:
            return ""
        return "" if _NOT_APP_CODE.intersection(word.split("/")[:-1]) else word
    return ""


def is_sudo(run: Run) -> bool:
    return run.tool == "sudo"


def is_rm_rf(run: Run) -> bool:
    if run.tool != "rm":
        return False
    recursive = force = False
    for word in run.words[1:]:
        if word == "--":
            break
        if word.startswith("--"):
            recursive |= word == "--recursive"
            force |= word == "--force"
        elif word.startswith("-"):
            recursive |= "r" in word or "R" in word
            force |= "f" in word
    return recursive and force


# The tools that is_destructive can be true of: a set test skips the call for every other run.
DESTRUCTIVE_TOOLS = frozenset({"vrctl", "rm"})


def is_destructive(run: Run) -> bool:
    if run.tool == "vrctl":  # (two words, not all of a long `service add`)
        return tuple(t.text for t in run.argv[1:3]) in (("service", "remove"), ("host", "restore"))
    return is_rm_rf(run)


def _shown(run: Run) -> str:
    text = " ".join(run.words)
    return text if len(text) <= 60 else text[:57] + "..."


def _where(run: Run) -> Span:
    return run.argv[0].span


# --- SK302-SK305: policies ------------------------------------------------------------------


@rule(
    "SK302",
    "supervisor-call",
    Severity.ERROR,
    "A command calls a process supervisor directly (`s6-*`, `systemctl`, `service x start`).",
    "In a viberun container vrctl owns the s6 layout under `~/.local/services`; a skill that "
    "tells the agent to call s6, systemd or `service` directly bypasses it (and systemd does "
    "not run there). Manage services with `vrctl service ...`.",
    bad=_skill("```sh\ns6-svc -r ~/.local/services/web\n```\n"),
    good=_skill("```sh\nvrctl service restart web\n```\n"),
    default=False,
    enabled_by=("viberun",),
)
def supervisor_call(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in context.analysis.policy_runs:
        if is_supervisor_call(run):
            yield Finding(
                _where(run),
                f"`{_shown(run)}` calls the supervisor directly; manage services with "
                "`vrctl service ...`",
            )


@rule(
    "SK303",
    "uv-policy",
    Severity.ERROR,
    "With the uv policy: a command uses `pip install`, `python -m venv` or `virtualenv`.",
    "A project that uses uv for environments and dependencies breaks when an agent installs "
    "with pip or makes its own virtual environment: the lock file and `uv run` no longer "
    "describe what runs. Use `uv add`, `uv sync` and `uv run` (`uv pip` is uv, and is fine).",
    bad=_skill("```sh\npip install fastapi\n```\n"),
    good=_skill("```sh\nuv add fastapi\n```\n"),
    default=False,
    enabled_by=("viberun",),
)
def uv_policy(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in context.analysis.policy_runs:
        if is_pip_install(run):
            yield Finding(
                _where(run),
                f"`{_shown(run)}` installs with pip; with uv use `uv add <package>` "
                "(or `uv run --with <package>` for a one-off)",
            )
        elif is_venv(run):
            yield Finding(
                _where(run),
                f"`{_shown(run)}` makes a virtual environment by hand; uv manages it "
                "(`uv sync`, `uv run`)",
            )


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
    bad=_skill(
        "```sh\nvrctl service add web --cmd node --arg server.js --cwd /home/viberun/app\n```\n"
    ),
    good=_skill(
        "```sh\nvrctl service add web --cmd node --arg server.ts --cwd /home/viberun/app\n```\n"
    ),
    default=False,
    enabled_by=("viberun",),
)
def typescript_policy(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in context.analysis.policy_runs:
        entry = js_entry(run)
        if entry:
            token = next((t for t in run.argv if t.text == entry), run.argv[0])
            yield Finding(
                token.span,
                f"`{_shown(run)}` runs the JavaScript entry point `{entry}`; use a `.ts` entry "
                f"(`{run.tool} {re.sub(r'[mc]?js$', 'ts', entry)}`)",
            )


_SAFEGUARD = re.compile(
    r"\bsnapshots?\b|\bask(?:s|ing)?\b[^.\n]{0,40}\b(?:user|them|first|before|permission)\b"
    r"|\bconfirm(?:s|ation)?\b",
    re.IGNORECASE,
)


def _section_text(skill: Skill, line: int) -> tuple[str, Section | None]:
    section = skill.section_at(line)
    if section is None:
        first = next((s.start_line for s in skill.sections), len(skill.lines) + 1)
        return "\n".join(skill.lines[skill.body_start_line - 1 : first - 1]), None
    return "\n".join(text for _, text in _section_lines(skill, section)), section


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
    bad=_skill("## Clean up\n\n```sh\nvrctl service remove web\n```\n"),
    good=_skill(
        "## Clean up\n\nAsk the user first, and take a snapshot:\n\n"
        "```sh\nvrctl host snapshot\nvrctl service remove web\n```\n"
    ),
    default=False,
    enabled_by=("viberun",),
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
            guarded[key] = bool(_SAFEGUARD.search(_section_text(skill, run.command.line)[0]))
        if guarded[key]:
            continue
        where = f"section `{section.title}`" if section else "the part before the first heading"
        yield Finding(
            _where(run),
            f"`{_shown(run)}` is destructive, but {where} says nothing about a snapshot or "
            "asking the user first",
        )


# --- SK308: what the non-root container user cannot do -------------------------------------

_PACKAGE_MANAGERS = {
    "apt-get": frozenset(
        {
            "install",
            "update",
            "upgrade",
            "dist-upgrade",
            "full-upgrade",
            "remove",
            "purge",
            "autoremove",
            "build-dep",
            "reinstall",
        }
    ),
    "apt": frozenset(
        {
            "install",
            "update",
            "upgrade",
            "full-upgrade",
            "remove",
            "purge",
            "autoremove",
            "reinstall",
        }
    ),
    "aptitude": frozenset({"install", "update", "upgrade", "remove", "purge"}),
    "dpkg": frozenset({"-i", "--install", "-r", "--remove", "-P", "--purge"}),
}
# Tools that write the path they are given.
_WRITERS = frozenset(
    {"tee", "cp", "mv", "install", "ln", "touch", "mkdir", "rm", "chmod", "chown", "crontab"}
)
_ETC_REDIRECT = re.compile(r"(?:^|[^<&\d])>{1,2}\|?\s*[\"']?/etc/")
# The system cron daemons (Debian's `cron`, the `crond` of /usr/sbin): they start as root.
_SYSTEM_CRON = frozenset({"cron", "/usr/sbin/cron", "/usr/sbin/crond", "/etc/init.d/cron"})
# A command given for the user's own machine, not the container.
_USER_MACHINE = re.compile(
    r"\b(?:laptop|your (?:own )?(?:machine|computer|mac)|their (?:own )?(?:machine|computer)|"
    r"on the host|host machine|locally)\b",
    re.IGNORECASE,
)
_INSTEAD_OF_APT = (
    "install system packages with Homebrew (`brew install <formula>`) and language toolchains "
    "with mise"
)


def _root_only(skill: Skill, run: Run) -> str | None:
    """Why a run cannot work as the container's non-root user without sudo, or None."""
    tool, words = run.tool, run.words
    if tool == "sudo":
        inner = words[1:]
        if inner and inner[0] in _PACKAGE_MANAGERS:
            return f"the image has no sudo and the container user is not root; {_INSTEAD_OF_APT}"
        if inner and inner[0] in _WRITERS and any(w.startswith("/etc/") for w in inner):
            return "the image has no sudo, and " + _ETC_WRITE
        return (
            "the image has no sudo and the container user `viberun` is not root; run it as the "
            "user, on files under /home/viberun"
        )
    verbs = _PACKAGE_MANAGERS.get(tool)
    if verbs is not None and any(word in verbs for word in words[1:3]):
        return f"it needs root, and the container user `viberun` has no sudo; {_INSTEAD_OF_APT}"
    if tool == "cron" or words[0] in _SYSTEM_CRON:
        return (
            "the system cron daemon must start as root, which the container user is not; run a "
            "user-space runner under vrctl instead (`brew install supercronic`, then "
            "`vrctl service add cron --cmd supercronic --arg /home/viberun/app/cron.tab`)"
        )
    if tool in _WRITERS and tool != "crontab":
        targets = [w for w in words[1:] if w.startswith("/etc/")]
        if targets and (tool not in ("cp", "mv", "install", "ln") or words[-1].startswith("/etc/")):
            return _ETC_WRITE
    if (
        run.command.source != "inline"
        and not run.via
        and _ETC_REDIRECT.search(command_line(skill, run))
    ):
        return _ETC_WRITE
    return None


_ETC_WRITE = (
    "it writes under /etc, which the non-root container user cannot; keep the file under "
    "/home/viberun (a crontab: `/home/viberun/app/cron.tab`, run by supercronic under vrctl)"
)


def _for_the_users_machine(skill: Skill, run: Run, known: dict[int, bool]) -> bool:
    """Whether the command is given for the user's own machine ("on your laptop, run ...").
    `known`: the answer for each line asked before (a line may hold thousands of commands)."""
    line = run.command.block_line or run.command.line
    if line not in known:
        known[line] = _lead_names_the_users_machine(skill, line)
    return known[line]


def _lead_names_the_users_machine(skill: Skill, line: int) -> bool:
    lead = [skill.line_text(line)]
    number = line - 1
    while number >= skill.body_start_line and len(lead) < 3:
        text = skill.line_text(number)
        if text.startswith("#"):
            break
        if text.strip():
            lead.append(text)
        number -= 1
    return any(_USER_MACHINE.search(text) for text in lead)


@rule(
    "SK308",
    "root-only-command",
    Severity.ERROR,
    "A command needs root (`apt-get install`, `sudo`, writing under /etc, the system cron "
    "daemon), which the viberun container user does not have.",
    "viberun app containers run as the non-root user `viberun` and the image has no `sudo` "
    "(`../shared/docs/vrctl.md`, The container user), so these commands fail in a current "
    "container; older skill versions used all of them. What works: Homebrew on Linux "
    "(`brew install ...`) for system packages, mise for language toolchains, files under "
    "`/home/viberun`, and for cron a user-space runner (`supercronic`) under vrctl. A command "
    'given for the user\'s own machine ("on your laptop") is not reported.',
    bad=Example(
        _skill("```sh\nsudo apt-get install -y cron\n```\n"), target="viberun", folder="demo"
    ),
    good=Example(_skill("```sh\nbrew install supercronic\n```\n"), target="viberun"),
    targets=("viberun",),
)
def root_only_command(skill: Skill, context: Context) -> Iterator[Finding]:
    done: set[int] = set()  # one finding a shell line: `sudo apt-get update && sudo ...`
    users_machine: dict[int, bool] = {}
    for run in context.analysis.policy_runs:
        if run.mention:
            continue
        line = logical_lines(skill, run)[0] if run.command.source != "inline" else -id(run.command)
        if line in done:
            continue
        why = _root_only(skill, run)
        if why is None or _for_the_users_machine(skill, run, users_machine):
            continue
        done.add(line)
        shown = command_line(skill, run) if why == _ETC_WRITE and not run.via else _shown(run)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        yield Finding(_where(run), f"`{shown}` cannot work in the container: {why}")


# --- SK306: a skill contradicting its own guardrails ----------------------------------------

# A guardrail forbids some things and often recommends others ("Do not call s6 directly; use
# `vrctl service ...` instead."). It is read clause by clause: a clause that forbids has one of
# these words; a clause that recommends ("use ...", "prefer ...", "... instead") forbids nothing;
# what follows "instead of" or "rather than" is forbidden.
_NEGATIVE = re.compile(
    r"\b(?:do not|don't|dont|does not|doesn't|never|avoid|must not|mustn't|should not|"
    r"shouldn't|cannot|can't|no|nor|forbidden|not allowed|disallowed|prohibited)\b",
    re.IGNORECASE,
)
_RECOMMEND = re.compile(
    r"^\W*(?:(?:and|but|or|so|then|just|always|only|instead)\W+)*"
    r"(?:use|prefer|run|call|try|go through|stick to|rely on|manage|ask|let|switch to)\b"
    r"|\binstead\b(?!\s+of\b)|\bprefer(?:red|ably|s)?\b|\brecommended\b",
    re.IGNORECASE,
)
# What follows one of these (to the next comma or the end of the sentence) is forbidden.
_REPLACED = re.compile(
    r"\b(?:instead of|rather than|in place of)\b|(?<=\bprefer)\b.*?\bover\b", re.IGNORECASE
)
# A clause that states a situation ("If vrctl reports the supervisor is not listening, ...")
# forbids nothing.
_SITUATION = re.compile(r"^\W*(?:if|when|whenever|once|after|while|in case)\b", re.IGNORECASE)
# "No need to run `vrctl service restart`": a thing that is not needed, not a thing forbidden.
_NOT_NEEDED = re.compile(
    r"\b(?:no need|need not|needn't|(?:do|does|don't|doesn't) not need|don't need|"
    r"doesn't need|(?:do not|don't|does not|doesn't) have to|not (?:necessary|needed|required)|"
    r"unnecessary)\b",
    re.IGNORECASE,
)
_SENTENCE_STOP = re.compile(r"[.;!?:](?=\s|$)|\s+(?:\u2014|--|\u2013)\s+")
# Commas start a new clause only before a word that turns it (", use ...", ", never ...");
# elsewhere they separate the items of one list ("Never run `a`, `b` or `c`").
_CLAUSE_COMMA = re.compile(
    r",\s*(?=(?:and\s+|but\s+|or\s+|then\s+)?(?:use|prefer|run|call|try|instead|never|"
    r"do not|don't|avoid|if|when|unless)\b)",
    re.IGNORECASE,
)
# A conditional guardrail ("... without asking", "unless the user asks") allows the command
# under a condition that skillkit cannot check; such a clause is not read as a ban.
_CONDITION = re.compile(
    r"\b(?:unless|without|except|until|before|only if|only when|first)\b", re.IGNORECASE
)
Predicate = Callable[[Run], bool]
CONCEPTS: tuple[tuple[re.Pattern[str], str, Predicate], ...] = (
    (re.compile(r"\bs6\b", re.IGNORECASE), "s6", is_s6),
    (re.compile(r"\bsupervisors?\b", re.IGNORECASE), "a supervisor", is_supervisor_call),
    (re.compile(r"\bsystem(?:d|ctl)\b", re.IGNORECASE), "systemd", is_systemctl),
    (re.compile(r"\bpip\b", re.IGNORECASE), "pip", is_pip_install),
    (re.compile(r"\b(?:venv|virtualenv)\b", re.IGNORECASE), "a virtualenv", is_venv),
    (re.compile(r"\bsudo\b", re.IGNORECASE), "sudo", is_sudo),
)


def _masked(text: str, codes: Sequence[InlineCode]) -> str:
    """The line with each code span's content blanked out (its punctuation splits nothing)."""
    chars = list(text)
    for code in codes:
        for index in range(code.span.column - 1, min(code.span.end_column - 1, len(chars))):
            chars[index] = "x"
    return "".join(chars)


def forbidden_ranges(text: str, codes: Sequence[InlineCode] = ()) -> list[tuple[int, int]]:
    """The (start, end) ranges of a guardrail line (0-based) that forbid something: its clauses
    with a negation that neither recommend nor state a situation, and what follows "instead of"
    or "rather than". Each range excludes the clauses that recommend."""
    masked = _masked(text, codes)
    found: list[tuple[int, int]] = []
    start = 0
    for stop in [*_SENTENCE_STOP.finditer(masked), None]:
        end = stop.start() if stop else len(masked)
        found.extend(_forbidding_clauses(masked, start, end))
        start = stop.end() if stop else end
    return found


def _forbidding_clauses(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    sentence = masked[start:end]
    if _CONDITION.search(sentence):
        return []
    cuts = [0, *(m.end() for m in _CLAUSE_COMMA.finditer(sentence)), len(sentence)]
    found: list[tuple[int, int]] = []
    previous = False  # whether the clause before forbids (list items after it inherit that)
    for low, high in itertools.pairwise(cuts):
        clause = sentence[low:high]
        replaced = _REPLACED.search(clause)
        if replaced:
            # "use X instead of Y", "instead of Y, use X": Y is forbidden, X recommended (unless
            # the part before has its own negation: "never use X instead of Y").
            before = clause[: replaced.start()]
            if _NEGATIVE.search(before) and not _SITUATION.match(before):
                found.append((start + low, start + low + replaced.start()))
            else:
                found.append((start + low + replaced.end(), start + high))
            previous = False
            continue
        if _SITUATION.match(clause) or _NOT_NEEDED.search(clause):
            previous = False
        elif _NEGATIVE.search(clause) and not _RECOMMEND.search(clause):
            previous = True
            found.append((start + low, start + high))
        elif _RECOMMEND.search(clause) or _NEGATIVE.search(clause):
            previous = False
        elif previous:
            found.append((start + low, start + high))
    return found


def _prefix_predicate(words: Sequence[str], *, direct_only: bool = False) -> Predicate:
    """Whether a run's words start with `words`. `direct_only`: not a program that a tool runs
    for the skill (`uv run python`, `--cmd node`), only one run as written or through a prefix
    such as `sudo`: "do not invoke bare `python`" is kept by `uv run python`."""

    def matches(run: Run) -> bool:
        if len(run.argv) < len(words):
            return False
        if direct_only and any(tool not in PREFIX_COMMANDS for tool in run.via):
            return False
        for wanted, token in zip(words, run.argv, strict=False):
            if re.fullmatch(r"<[^<>]+>|\.\.\.", wanted):
                continue
            if token.text != wanted and not (token is run.argv[0] and run.tool == wanted):
                return False
        return True

    return matches


def _guardrail_sections(skill: Skill) -> list[Section]:
    # `"guardrail" in normalize_title(title)`, without normalizing: a word is kept whole by the
    # normalization (it only joins whitespace and drops trailing colons), and casefold maps each
    # character on its own.
    return [s for s in skill.all_sections() if "guardrail" in s.title.casefold()]


def _bans(skill: Skill) -> list[tuple[int, str, str, Predicate]]:
    """(line, bullet text, what, predicate) for each thing a Guardrails bullet forbids."""
    found: list[tuple[int, str, str, Predicate]] = []
    sections = _guardrail_sections(skill)
    if not sections:  # most skills: nothing forbids anything
        return found
    # The inline code of each line, gathered once (a scan of every span for each bullet is
    # quadratic on a file of many guardrails).
    code_by_line: dict[int, list[InlineCode]] = {}
    for code in skill.inline_code:
        code_by_line.setdefault(code.span.line, []).append(code)
    for section in sections:
        for line, text in _bullets(skill, section):
            codes = code_by_line.get(line, [])
            ranges = forbidden_ranges(text, codes)
            if not ranges:
                continue
            prose = _masked(text, codes)
            for pattern, what, predicate in CONCEPTS:
                if any(pattern.search(prose, low, high) for low, high in ranges):
                    found.append((line, text.strip(), what, predicate))
            for code in codes:
                at = code.span.column - 1
                words = code.text.split()
                if words and any(low <= at < high for low, high in ranges):
                    predicate = _prefix_predicate(words, direct_only=True)
                    found.append((line, text.strip(), f"`{code.text}`", predicate))
    return found


@rule(
    "SK306",
    "guardrail-contradiction",
    Severity.ERROR,
    "A command of the skill does what the skill's own Guardrails section forbids.",
    "An agent that reads a guardrail and then a command that breaks it gets two orders; "
    "whichever it follows, the skill is wrong in one place. The finding points at the command "
    "and at the guardrail. A guardrail is read clause by clause: what it recommends (`use ...`, "
    "`prefer ...`, `... instead`) is not forbidden, what follows `instead of` or `rather than` "
    "is, and conditional guardrails (`without asking`, `unless ...`) are not read as bans.",
    bad=_skill(
        "## Restart\n\n```sh\ns6-svc -r ~/.local/services/web\n```\n\n"
        "## Guardrails\n- Do not call s6 directly.\n"
    ),
    good=_skill(
        "## Restart\n\n```sh\nvrctl service restart web\n```\n\n"
        "## Guardrails\n- Do not call s6 directly.\n"
    ),
)
def guardrail_contradiction(skill: Skill, context: Context) -> Iterator[Finding]:
    bans = _bans(skill)
    if not bans:
        return
    guarded = [(s.start_line, s.end_line) for s in _guardrail_sections(skill)]
    reported: set[tuple[int, int]] = set()
    for run in context.analysis.policy_runs:
        if any(start <= run.command.line <= end for start, end in guarded):
            continue
        for line, text, what, predicate in bans:
            key = (run.argv[0].span.line, run.argv[0].span.column)
            if key in reported or not predicate(run):
                continue
            reported.add(key)
            yield Finding(
                _where(run),
                f"`{_shown(run)}` does what the skill's guardrail on line {line} forbids ({what})",
                related=(
                    Related(f"the guardrail: {text}", Span.whole_line(line, skill.line_text(line))),
                ),
            )


# --- SK307: the team's own guardrails -------------------------------------------------------

_GUARDRAIL_KEYS = frozenset({"prefix", "pattern", "message", "severity"})


def guardrail_problems(entry: Any) -> list[str]:
    """What is wrong with one custom guardrail mapping (empty when it is well formed)."""
    if not isinstance(entry, Mapping):
        return [f"must be a table with `prefix` or `pattern` and `message`, not {entry!r}"]
    problems: list[str] = []
    unknown = sorted(set(map(str, entry)) - _GUARDRAIL_KEYS)
    if unknown:
        problems.append(
            f"unknown key(s) {', '.join(unknown)}; it takes {', '.join(sorted(_GUARDRAIL_KEYS))}"
        )
    prefix, pattern = entry.get("prefix"), entry.get("pattern")
    if (prefix is None) == (pattern is None):
        problems.append("needs exactly one of `prefix` and `pattern`")
    if prefix is not None and not (
        (isinstance(prefix, str) and prefix.strip())
        or (
            isinstance(prefix, (list, tuple))
            and prefix
            and all(isinstance(word, str) and word for word in prefix)
        )
    ):
        problems.append("`prefix` must be a non-empty string or list of words")
    if pattern is not None:
        if not isinstance(pattern, str):
            problems.append("`pattern` must be a string")
        else:
            try:
                compile_user_regex(pattern)
            except UserRegexError as error:
                problems.append(f"`pattern` is not a valid regular expression: {error}")
    message = entry.get("message")
    if not isinstance(message, str) or not message.strip():
        problems.append("needs a `message` (a non-empty string)")
    severity = entry.get("severity", "error")
    if not isinstance(severity, str) or severity.lower() not in ("error", "warning", "info"):
        problems.append(f"`severity` must be error, warning or info, not {severity!r}")
    return problems


def _prefix_words(prefix: str | Sequence[str]) -> list[str]:
    if isinstance(prefix, str):
        try:
            return shlex.split(prefix)
        except ValueError:
            return prefix.split()
    return list(prefix)


def logical_lines(skill: Skill, run: Run) -> tuple[int, int]:
    """The first and last line of the shell line a run is on, `\\` continuations included."""
    start, end = run.command.span.line, run.command.span.end_line
    while start - 1 in skill.code_lines and skill.line_text(start - 1).rstrip().endswith("\\"):
        start -= 1
    while end + 1 in skill.code_lines and skill.line_text(end).rstrip().endswith("\\"):
        end += 1
    return start, end


def command_line(skill: Skill, run: Run) -> str:
    """The command line a run is on, as written: the whole line of a block (pipes and `&&`
    included, `\\` continuations joined), or the run's own words for an inline span."""
    if run.command.source == "inline":
        return " ".join(token.raw for token in run.argv)
    start, end = logical_lines(skill, run)
    lines = [skill.line_text(n) for n in range(start, end + 1)]
    return " ".join(line.rstrip().removesuffix("\\").strip() for line in lines)


def _pattern_predicate(pattern: UserRegex, skill: Skill) -> Predicate:
    def matches(run: Run) -> bool:
        words = " ".join(token.raw for token in run.argv)
        return bool(pattern.search(words) or pattern.search(command_line(skill, run)))

    return matches


_NO_RM_RF = {"prefix": "rm -rf", "message": "move files aside instead", "severity": "warning"}


@rule(
    "SK307",
    "custom-guardrail",
    Severity.ERROR,
    "A command matches one of the config's own forbidden commands (`guardrails`).",
    "A team adds its own guardrails without code: each entry of `guardrails` in the config has "
    "a `prefix` (the command's words start with these) or a `pattern` (a regular expression "
    "searched in the command line), a `message` and a `severity` (default error). A malformed "
    "entry is reported on line 1 of each skill.",
    bad=Example(
        _skill("```sh\nsudo rm -rf /home/viberun/app/data\n```\n"),
        settings={"custom_guardrails": (_NO_RM_RF,)},
    ),
    good=Example(
        _skill("```sh\nrm -r /home/viberun/app/tmp\n```\n"),
        settings={"custom_guardrails": (_NO_RM_RF,)},
    ),
)
def custom_guardrail(skill: Skill, context: Context) -> Iterator[Finding]:
    entries = context.settings.custom_guardrails
    if not entries:
        return
    source = str(context.settings.config_path) if context.settings.config_path else "the config"
    checks: list[tuple[Predicate, str, Severity]] = []
    for number, entry in enumerate(entries, 1):
        problems = guardrail_problems(entry)
        if problems:
            yield Finding(
                Span.at(1),
                f"custom guardrail #{number} in {source} is ignored: {'; '.join(problems)}",
                severity=Severity.ERROR,
            )
            continue
        severity = Severity.parse(str(entry.get("severity", "error")))
        if entry.get("prefix") is not None:
            words = _prefix_words(entry["prefix"])
            checks.append((_prefix_predicate(words), " ".join(words), severity))
        else:
            pattern = compile_user_regex(entry["pattern"])
            checks.append((_pattern_predicate(pattern, skill), entry["pattern"], severity))
        checks[-1] = (checks[-1][0], f"{checks[-1][1]}: {entry['message']}", severity)
    reported: set[tuple[int, int]] = set()
    lines: set[tuple[str, int]] = set()  # a guardrail reports a command line once (`a | b`)
    for run in context.analysis.policy_runs:
        for predicate, message, severity in checks:
            key = (run.argv[0].span.line, run.argv[0].span.column)
            line = (message, logical_lines(skill, run)[0])
            if key in reported or line in lines or not predicate(run):
                continue
            reported.add(key)
            lines.add(line)
            yield Finding(
                _where(run), f"`{_shown(run)}` is forbidden ({message})", severity=severity
            )
