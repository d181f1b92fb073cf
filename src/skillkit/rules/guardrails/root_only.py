"""SK308: what the non-root viberun container user cannot do (install with apt, `sudo`, write
under /etc, start the system cron daemon)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillkit.analysis import Run
from skillkit.context import Context
from skillkit.diagnostics import Finding, Severity
from skillkit.model import Skill
from skillkit.rules._common import example_skill
from skillkit.rules.base import Example, rule
from skillkit.rules.guardrails.run_text import command_line, logical_lines, run_start, shown_run

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


def _root_only(skill: Skill, run: Run) -> str | None:
    """Why a run cannot work as the container's non-root user without sudo, or None."""
    tool, words = run.tool, run.words
    if tool == "sudo":
        inner = words[1:]
        if inner and inner[0] in _PACKAGE_MANAGERS:
            instead = root_only_command.message("instead-of-apt")
            return root_only_command.message("sudo-install", instead=instead)
        if inner and inner[0] in _WRITERS and any(w.startswith("/etc/") for w in inner):
            etc_write = root_only_command.message("etc-write")
            return root_only_command.message("sudo-etc-write", etc_write=etc_write)
        return root_only_command.message("sudo")
    verbs = _PACKAGE_MANAGERS.get(tool)
    if verbs is not None and any(word in verbs for word in words[1:3]):
        instead = root_only_command.message("instead-of-apt")
        return root_only_command.message("install", instead=instead)
    if tool == "cron" or words[0] in _SYSTEM_CRON:
        return root_only_command.message("cron")
    if tool in _WRITERS and tool != "crontab":
        targets = [w for w in words[1:] if w.startswith("/etc/")]
        if targets and (tool not in ("cp", "mv", "install", "ln") or words[-1].startswith("/etc/")):
            return root_only_command.message("etc-write")
    if (
        run.command.source != "inline"
        and not run.via
        and _ETC_REDIRECT.search(command_line(skill, run))
    ):
        return root_only_command.message("etc-write")
    return None


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
        example_skill("```sh\nsudo apt-get install -y cron\n```\n"), target="viberun", folder="demo"
    ),
    good=Example(example_skill("```sh\nbrew install supercronic\n```\n"), target="viberun"),
    targets=("viberun",),
    messages={
        "cannot": "`{command}` cannot work in the container: {why}",
        # Why (`why` above).
        "sudo-install": "the image has no sudo and the container user is not root; {instead}",
        "sudo-etc-write": "the image has no sudo, and {etc_write}",
        "sudo": "the image has no sudo and the container user `viberun` is not root; run it as "
        "the user, on files under /home/viberun",
        "install": "it needs root, and the container user `viberun` has no sudo; {instead}",
        "cron": "the system cron daemon must start as root, which the container user is not; run "
        "a user-space runner under vrctl instead (`brew install supercronic`, then "
        "`vrctl service add cron --cmd supercronic --arg /home/viberun/app/cron.tab`)",
        "etc-write": "it writes under /etc, which the non-root container user cannot; keep the "
        "file under /home/viberun (a crontab: `/home/viberun/app/cron.tab`, run by supercronic "
        "under vrctl)",
        "instead-of-apt": "install system packages with Homebrew (`brew install <formula>`) and "
        "language toolchains with mise",
    },
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
        writes_etc = why == root_only_command.message("etc-write")
        shown = command_line(skill, run) if writes_etc and not run.via else shown_run(run)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        yield Finding(run_start(run), root_only_command.message("cannot", command=shown, why=why))
