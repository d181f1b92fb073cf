"""`uv run [OPTIONS] [COMMAND]...`: the options of uv 0.13 (`uv run --help`). Everything after
the command is the command's own: `uv run uvicorn app:app --reload` passes `--reload` to
uvicorn, and uv itself has no `--reload` (`../shared/docs/vrctl.md`, "Other command facts").

Only `run` is described; `uv add`, `uv sync`, `uv pip ...` and the rest are accepted unchecked.
"""

from __future__ import annotations

from skillkit.tools.grammar import CommandSpec, Flag, ToolGrammar


def _switches(*names: str, telltale: bool = False) -> tuple[Flag, ...]:
    return tuple(Flag((name,), telltale=telltale) for name in names)


def _options(*names: str, telltale: bool = False) -> tuple[Flag, ...]:
    return tuple(Flag((name,), "value", repeat=True, telltale=telltale) for name in names)


# Options no program run by `uv run` plausibly takes as its first flags: misplaced after the
# program, they were meant for uv.
_TELLTALE = (
    Flag(("-w", "--with"), "requirement", repeat=True, telltale=True),
    *_options("--with-editable", "--with-requirements", telltale=True),
    *_switches(
        "--no-sync",
        "--locked",
        "--frozen",
        "--isolated",
        "--no-project",
        "--all-extras",
        "--all-packages",
        "--no-dev",
        "--only-dev",
        telltale=True,
    ),
)

UV_RUN_FLAGS = (
    *_TELLTALE,
    *_options(
        "--extra",
        "--no-extra",
        "--group",
        "--no-group",
        "--only-group",
        "--no-editable-package",
        "--env-file",
        "--package",
        "--python-platform",
        "--index",
        "--default-index",
        "--extra-index-url",
        "--index-strategy",
        "--keyring-provider",
        "--upgrade-group",
        "--resolution",
        "--prerelease",
        "--prerelease-package",
        "--fork-strategy",
        "--exclude-newer",
        "--exclude-newer-package",
        "--no-sources-package",
        "--reinstall-package",
        "--link-mode",
        "--config-settings-package",
        "--no-build-isolation-package",
        "--no-build-package",
        "--no-binary-package",
        "--cache-dir",
        "--refresh-package",
        "--color",
        "--allow-insecure-host",
        "--directory",
        "--project",
        "--config-file",
    ),
    Flag(("-i", "--index-url"), "url"),
    Flag(("-f", "--find-links"), "location", repeat=True),
    Flag(("-P", "--upgrade-package"), "package", repeat=True),
    Flag(("-C", "--config-setting"), "setting", repeat=True),
    Flag(("-p", "--python"), "python"),
    Flag(("-m", "--module")),
    Flag(("-s", "--script")),
    Flag(("-U", "--upgrade")),
    Flag(("-n", "--no-cache")),
    Flag(("-q", "--quiet"), repeat=True),
    Flag(("-v", "--verbose"), repeat=True),
    Flag(("-h", "--help")),
    *_switches(
        "--all-groups",
        "--no-default-groups",
        "--no-editable",
        "--exact",
        "--no-env-file",
        "--active",
        "--gui-script",
        "--no-index",
        "--no-sources",
        "--reinstall",
        "--compile-bytecode",
        "--no-build-isolation",
        "--no-build",
        "--no-binary",
        "--require-build-hashes",
        "--no-require-build-hashes",
        "--refresh",
        "--managed-python",
        "--no-managed-python",
        "--no-python-downloads",
        "--system-certs",
        "--native-tls",
        "--offline",
        "--no-progress",
        "--no-config",
        "--preview",
        "--no-preview",
    ),
)

UV = ToolGrammar(
    "uv",
    (
        CommandSpec(
            ("run",),
            flags=UV_RUN_FLAGS,
            summary="run a command or script in the project's environment",
            command="command",
        ),
    ),
    closed=False,
)
