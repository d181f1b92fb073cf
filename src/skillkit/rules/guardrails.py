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

import re
import shlex
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from skillkit.diagnostics import Finding, Related, Severity
from skillkit.model import InlineCode, Section, Skill, Span
from skillkit.registry import Context, Example, rule
from skillkit.rules.invocations import Run, policy_runs, runs_vrctl
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
    vrctl = runs_vrctl(skill) if context.target.required_sections_with_vrctl else None
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


def js_entry(run: Run) -> str:
    """The JavaScript entry point a node-like program runs (`node server.js`), or ""."""
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
        return word if _JS_ENTRY.search(word) else ""
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
)
def supervisor_call(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in policy_runs(skill):
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
)
def uv_policy(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in policy_runs(skill):
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
    Severity.ERROR,
    "With the TypeScript policy: a command runs a JavaScript entry point (`node server.js`).",
    "A team that writes TypeScript only wants `.ts` entry points: `node server.ts` (recent Node "
    "runs TypeScript natively) or `npx -y tsx server.ts`. A `.js` entry point means plain "
    "JavaScript the agent would write and maintain.",
    bad=_skill(
        "```sh\nvrctl service add web --cmd node --arg server.js --cwd /home/viberun/app\n```\n"
    ),
    good=_skill(
        "```sh\nvrctl service add web --cmd node --arg server.ts --cwd /home/viberun/app\n```\n"
    ),
    default=False,
)
def typescript_policy(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in policy_runs(skill):
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


@rule(
    "SK305",
    "destructive-unguarded",
    Severity.WARNING,
    "A destructive command is not in a section that mentions a snapshot or asking the user.",
    "`vrctl service remove`, `vrctl host restore` and `rm -rf` lose work that cannot be got "
    "back. A skill should give them only where it also says to take a snapshot or to ask the "
    "user first, so that an agent reading that part does not run them blindly.",
    bad=_skill("## Clean up\n\n```sh\nvrctl service remove web\n```\n"),
    good=_skill(
        "## Clean up\n\nAsk the user first, and take a snapshot:\n\n"
        "```sh\nvrctl host snapshot\nvrctl service remove web\n```\n"
    ),
    default=False,
)
def destructive_unguarded(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in policy_runs(skill):
        if run.tool not in DESTRUCTIVE_TOOLS or not is_destructive(run):
            continue
        text, section = _section_text(skill, run.command.line)
        if _SAFEGUARD.search(text):
            continue
        where = f"section `{section.title}`" if section else "the part before the first heading"
        yield Finding(
            _where(run),
            f"`{_shown(run)}` is destructive, but {where} says nothing about a snapshot or "
            "asking the user first",
        )


# --- SK306: a skill contradicting its own guardrails ----------------------------------------

_NEGATIVE = re.compile(
    r"\b(?:do not|don't|never|avoid|must not|should not|no|not|forbidden|instead of)\b",
    re.IGNORECASE,
)
# A conditional guardrail ("... without asking", "unless the user asks") allows the command
# under a condition that skillkit cannot check; such a bullet is not read as a ban.
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


def _prefix_predicate(words: Sequence[str]) -> Predicate:
    def matches(run: Run) -> bool:
        if len(run.argv) < len(words):
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
            if not _NEGATIVE.search(text) or _CONDITION.search(text):
                continue
            for pattern, what, predicate in CONCEPTS:
                if pattern.search(text):
                    found.append((line, text.strip(), what, predicate))
            for code in code_by_line.get(line, ()):
                words = code.text.split()
                if words:
                    found.append((line, text.strip(), f"`{code.text}`", _prefix_predicate(words)))
    return found


@rule(
    "SK306",
    "guardrail-contradiction",
    Severity.ERROR,
    "A command of the skill does what the skill's own Guardrails section forbids.",
    "An agent that reads a guardrail and then a command that breaks it gets two orders; "
    "whichever it follows, the skill is wrong in one place. The finding points at the command "
    "and at the guardrail. Conditional guardrails (`without asking`, `unless ...`) are not "
    "read as bans.",
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
    for run in policy_runs(skill):
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
    for run in policy_runs(skill):
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
