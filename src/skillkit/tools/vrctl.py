"""The grammar of `vrctl`, viberun's service manager, as its usage text gives it
(`../shared/docs/vrctl.md`, read from bin/vrctl at 5e89626). Nothing else exists.

`service add` runs a program: `--cmd` is its executable (one word, no shell) and each `--arg` one
of its arguments, so `Invocation.program()` gives the argv that vrctl will exec."""

from __future__ import annotations

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
            summary="restore a snapshot (disconnects the session)",
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
