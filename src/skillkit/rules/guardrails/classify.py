"""What a command run is: predicates over a `Run` (a supervisor call, `pip install`, a
JavaScript entry point, a destructive command, ...), shared by the policies and the
contradiction check; and the predicate of a command prefix the skill or the config names."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from skillkit.analysis import Run
from skillkit.tools import PREFIX_COMMANDS

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


Predicate = Callable[[Run], bool]


def prefix_predicate(words: Sequence[str], *, direct_only: bool = False) -> Predicate:
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
