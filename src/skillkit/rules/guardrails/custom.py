"""SK307: the team's own forbidden commands, from the config (`guardrails = [...]`).

Custom guardrails (`Settings.custom_guardrails`) are mappings:
    prefix   = "rm -rf"          # the command's words start with these (a string or a list)
    pattern  = "curl .*\\| *sh"   # or: a regular expression searched in the command line
    message  = "why it is forbidden"                  (required)
    severity = "error" | "warning" | "info"           (default "error")
A malformed entry is reported as a finding (SK307) on line 1 rather than silently ignored.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from skillkit.diagnostics import Finding, Severity
from skillkit.model import Skill, Span
from skillkit.registry import Context, Example, rule
from skillkit.rules._common import example_skill
from skillkit.rules.guardrails.classify import Predicate, prefix_predicate
from skillkit.rules.guardrails.run_text import command_line, logical_lines, run_start, shown_run
from skillkit.rules.invocations import Run, policy_runs
from skillkit.user_regex import UserRegex, UserRegexError, compile_user_regex

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
        example_skill("```sh\nsudo rm -rf /home/viberun/app/data\n```\n"),
        settings={"custom_guardrails": (_NO_RM_RF,)},
    ),
    good=Example(
        example_skill("```sh\nrm -r /home/viberun/app/tmp\n```\n"),
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
            checks.append((prefix_predicate(words), " ".join(words), severity))
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
                run_start(run), f"`{shown_run(run)}` is forbidden ({message})", severity=severity
            )
