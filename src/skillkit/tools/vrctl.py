"""The grammar of `vrctl`, viberun's service manager, as its usage text gives it
(`../shared/docs/vrctl.md`, read from bin/vrctl at 5e89626). Nothing else exists."""

from __future__ import annotations

from skillkit.tools.grammar import CommandSpec, Flag, Positional, ToolGrammar

NAME = Positional("name")

VRCTL = ToolGrammar(
    "vrctl",
    (
        CommandSpec(
            ("service", "add"),
            (NAME,),
            (
                Flag(("--cmd",), "executable", required=True),
                Flag(("--arg",), "arg", repeat=True, verbatim=True),
                Flag(("--cwd",), "dir", kind="path"),
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
            (Positional("snapshot-ref"),),
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
