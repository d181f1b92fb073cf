"""The grammar of `vrctl`, viberun's service manager, as its usage text gives it
(`../shared/docs/vrctl.md`, read from bin/vrctl at 5e89626). Nothing else exists.

`service add` runs a program: `--cmd` is its executable (one word, no shell) and each `--arg` one
of its arguments, so `Invocation.program()` gives the argv that vrctl will exec."""

from __future__ import annotations

import re
from dataclasses import dataclass

from skillkit.tools.grammar import CommandSpec, Flag, Positional, ToolGrammar

APP_DIR = "/home/viberun/app"  # where app code lives in a viberun container
NAME = Positional("name")

VRCTL = ToolGrammar(
    "vrctl",
    (
        CommandSpec(
            ("service", "add"),
            (Positional("name", kind="name"),),
            (
                Flag(("--cmd",), "executable", required=True, kind="word", program="executable"),
                Flag(("--arg",), "arg", repeat=True, verbatim=True, program="argument"),
                Flag(("--cwd",), "dir", kind="abs-path"),
                Flag(("--env",), "KEY=VAL", repeat=True, kind="env"),
                Flag(("--no-start",)),
            ),
            "register a service (and start it unless --no-start)",
        ),
        CommandSpec(("service", "start"), (NAME,), summary="start a service"),
        CommandSpec(("service", "stop"), (NAME,), summary="stop a service"),
        CommandSpec(("service", "restart"), (NAME,), summary="restart a service"),
        CommandSpec(("service", "status"), (NAME,), summary="print a service's state"),
        CommandSpec(
            ("service", "logs"),
            (NAME,),
            (Flag(("-n",), "lines", kind="int"),),
            "print the last lines of a service's log",
        ),
        CommandSpec(("service", "list"), summary="list services"),
        CommandSpec(("service", "remove"), (NAME,), summary="stop and delete a service"),
        CommandSpec(("host", "snapshot"), summary="take a snapshot; prints its tag"),
        CommandSpec(("host", "snapshots"), summary="list snapshots"),
        CommandSpec(
            ("host", "restore"),
            (Positional("snapshot-ref", kind="ref"),),
            summary="restore a snapshot (the session reconnects by itself)",
        ),
        CommandSpec(("host", "branch", "list"), summary="list branches"),
        CommandSpec(
            ("host", "branch", "create"),
            (NAME,),
            (Flag(("--attach",)), Flag(("--allow-existing",))),
            "create a branch",
        ),
        CommandSpec(
            ("host", "branch", "delete"), (NAME,), (Flag(("--attach",)),), "delete a branch"
        ),
        CommandSpec(
            ("host", "branch", "apply"),
            (Positional("name", optional=True),),
            (Flag(("--attach",)),),
            "apply a branch",
        ),
        CommandSpec(
            ("host", "attach"), (Positional("app"),), (Flag(("--shell",)),), "attach to an app"
        ),
        CommandSpec(
            ("host", "urls"),
            (Positional("mode", choices=("public", "private", "disable", "enable")),),
            summary="set the app's URL visibility",
        ),
    ),
)


@dataclass(frozen=True)
class StaleGuidance:
    """Guidance that older viberun releases made true and the current one does not: what a skill
    says (`pattern`, searched in its prose), why it is no longer so, and what is true now
    (`../shared/docs/vrctl.md`). Kept next to the grammar, which states the same facts."""

    pattern: re.Pattern[str]
    stale: str  # what the skill says, in a few words
    why: str  # why that no longer holds
    now: str  # what to say instead
    in_code: bool = False  # also searched in code blocks (a command, not a sentence)


STALE_GUIDANCE: tuple[StaleGuidance, ...] = (
    StaleGuidance(
        re.compile(
            r"\b(?:either\s+)?a\s+tag\s+or\s+(?:a\s+)?full\s+(?:snapshot\s+)?ref\b"
            r"|\bfull\s+(?:snapshot\s+)?refs?\b[^.\n]{0,60}\bas[- ]is\b",
            re.IGNORECASE,
        ),
        "accept a full snapshot ref and pass it as-is",
        "the host accepts only `latest` or a tag without `/` or `:` (older releases took "
        "`repo:tag`)",
        "pass a tag from `vrctl host snapshots` (`v3`) or `latest`",
    ),
    StaleGuidance(
        re.compile(r"\brestor(?:e|es|ing)\b[^.;\n]{0,60}\bdisconnect", re.IGNORECASE),
        "restore disconnects the session",
        "`vrctl host restore` reconnects the session by itself (older releases disconnected "
        "it and the user had to reconnect)",
        "say the session reconnects by itself, then re-check the services",
    ),
    StaleGuidance(
        re.compile(
            r"\bviberun\s+(?:<[^<>\s]+>|[a-z0-9][a-z0-9_-]*)\s+(?:snapshots?|restore|urls?)\b"
        ),
        "`viberun <app> snapshot|restore|url` on the user's machine",
        "newer viberun releases take these inside the viberun shell, not as `viberun` arguments",
        "`app <app>`, then `snapshot` (or `restore <ref>`, `url public`) inside the viberun shell",
        in_code=True,
    ),
)
