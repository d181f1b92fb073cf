"""SK0xx: the file itself (a file these rules fire on gets no other findings), and skillkit's own
internal error."""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.context import Context
from skillkit.diagnostics import Finding, Severity
from skillkit.model import ProblemKind, Skill
from skillkit.rules._common import parse_problems
from skillkit.rules.base import Example, engine_rule, rule

_GOOD = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n"
    "---\n\nBody.\n"
)


_SK001_KINDS = (ProblemKind.UNREADABLE,)


@rule(
    "SK001",
    "file-unreadable",
    Severity.ERROR,
    "The file or path cannot be read.",
    "A skill that cannot be read is not loaded by any agent; the path may not exist, be a "
    "folder, a broken symlink or lack read permission.",
    bad=Example("", folder="demo", files={"SKILL.md/README": "a folder named SKILL.md"}),
    good=_GOOD,
    runs_on_unreadable=True,
    messages={
        "not-listed": "cannot lint: {why}",
        # Why discovery could not list a path (the `why` above).
        "no-such-path": "no such file or folder",
        "broken-link": "broken symbolic link or symlink loop",
        "cannot-list": "cannot list folder: {why}",
    },
    claims=_SK001_KINDS,
)
def file_unreadable(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from parse_problems(skill, *_SK001_KINDS)


_SK002_KINDS = (ProblemKind.NOT_UTF8,)


@rule(
    "SK002",
    "file-not-utf8",
    Severity.ERROR,
    "The file is not UTF-8 text.",
    "Agents read skills as UTF-8; a file in another encoding, or a binary file, is garbled or "
    "rejected. The finding names the first bad byte's offset.",
    bad=b"---\nname: demo\ndescription: caf\xe9\n---\n",
    good=_GOOD,
    runs_on_unreadable=True,
    claims=_SK002_KINDS,
)
def file_not_utf8(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from parse_problems(skill, *_SK002_KINDS)


_SK003_KINDS = (ProblemKind.TOO_LARGE,)


@rule(
    "SK003",
    "file-too-large",
    Severity.ERROR,
    "The file is larger than `max-file-bytes`.",
    "A skill of megabytes is not a skill an agent can read; skillkit does not parse it, so that "
    "one huge file cannot stall a run.",
    bad=Example("---\nname: demo\ndescription: x\n---\n" + "x" * 1_000_100 + "\n"),
    good=_GOOD,
    runs_on_unreadable=True,
    claims=_SK003_KINDS,
)
def file_too_large(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from parse_problems(skill, *_SK003_KINDS)


INTERNAL_ERROR = engine_rule(
    "SK000",
    "internal-error",
    Severity.ERROR,
    "A rule failed while checking a file: a bug in skillkit.",
    "A rule that raises an exception is a bug in skillkit, not a problem of the skill; the engine "
    "reports it here (with the rule and the error, to report upstream), whatever rules are "
    "selected, and still gives every other rule's findings. No skill triggers it on purpose, "
    "so it has no examples.",
    bad=None,
    good=None,
    messages={
        "crashed": "rule {code} ({name}) failed: {error}: {why}; please report this",
    },
)

IGNORE_FILE_UNUSABLE = engine_rule(
    "SK005",
    "ignore-file-unusable",
    Severity.WARNING,
    "A `.gitignore` line (or the whole file) that skillkit cannot use; it is skipped.",
    "Discovery skips what the repository's `.gitignore` files ignore. A line that git itself "
    "skips as invalid (`!`, a trailing `\\`, the range `[z-a]`) is skipped here too, and so is a "
    "`.gitignore` that is not a regular file of at most 1 MB (a FIFO, a device): the finding "
    "names the file and line, and the rest of its patterns still apply. Found by discovery, "
    "not on a skill.",
    bad=Example(_GOOD, files={".gitignore": "build/\n[z-a]\n"}),
    good=Example(_GOOD, files={".gitignore": "build/\n[a-z]\n"}),
    messages={
        "unusable-file": "{why}; it is skipped",
        "unusable-line": "pattern `{pattern}` is skipped: {why}",
    },
)  # discovery reports it (skillkit.engine.discover), before any skill is read
