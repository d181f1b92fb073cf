"""`npx [OPTIONS] <package>[@<version>] [ARGS]...` (npm 10, `npm help exec`). npx's own flags
come before the package name; after it, every word is the package's (`npx -y tsx watch x.ts`,
`../shared/docs/vrctl.md`). npx also takes every npm setting as a flag (`--registry=...`), so an
unknown flag before the package is not an error.
"""

from __future__ import annotations

from skillkit.tools.grammar import CommandSpec, Flag, ToolGrammar

NPX = ToolGrammar(
    "npx",
    (
        CommandSpec(
            (),
            flags=(
                Flag(("-y", "--yes"), telltale=True),
                Flag(("--no",)),
                Flag(("-p", "--package"), "package-spec", repeat=True),
                Flag(("-c", "--call"), "call", replaces_command=True),
                Flag(("-w", "--workspace"), "workspace-name", repeat=True),
                Flag(("--workspaces",)),
                Flag(("--include-workspace-root",)),
                Flag(("--allow-scripts",), "package-list", repeat=True),
                Flag(("--strict-allow-scripts",)),
                Flag(("--dangerously-allow-all-scripts",)),
                Flag(("-q", "--quiet")),
            ),
            summary="run a command from a local or remote npm package",
            open_flags=True,
            command="package",
        ),
    ),
)
