"""SK307: the team's own forbidden commands, from the config (`guardrails = [...]`).

Custom guardrails (`Settings.custom_guardrails`) are mappings:
    prefix   = "rm -rf"          # the command's words start with these
    pattern  = "curl .*\\| *sh"   # or: a regular expression searched in the command line
    message  = "why it is forbidden"                  (required)
    severity = "error" | "warning" | "info"           (default "error")
They are validated against the config's declaration (`config.specs.GUARDRAIL`): a config file
is refused at load time; a malformed entry of Settings made in code is reported as a finding
(SK307) on line 1 rather than silently ignored.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Mapping
from typing import Any

from skillkit.analysis import Run
from skillkit.config.specs import GUARDRAIL
from skillkit.config.validation import InvalidValue, check_value
from skillkit.context import Context
from skillkit.diagnostics import Finding, Severity
from skillkit.model import Skill, Span
from skillkit.rules._common import example_skill
from skillkit.rules.base import Example, rule
from skillkit.rules.guardrails.classify import Predicate, prefix_predicate
from skillkit.rules.guardrails.run_text import command_line, logical_lines, run_start, shown_run
from skillkit.user_regex import UserRegex, compile_user_regex


def guardrail_problem(entry: Any, index: int) -> str | None:
    """What is wrong with `guardrails[index]`, in the words the config uses for it (None when it
    is well formed): one validator, the config's declaration of a guardrail, for the entries of
    a config file and for those of Settings made in code."""
    try:
        value = dict(entry) if isinstance(entry, Mapping) else entry
        check_value(GUARDRAIL, value, ("guardrails", index))
    except InvalidValue as error:
        return error.message
    return None


def _prefix_words(prefix: str) -> list[str]:
    try:
        return shlex.split(prefix)
    except ValueError:
        return prefix.split()


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
    messages={
        "forbidden": "`{run}` is forbidden ({guardrail})",
        # A guardrail as the finding names it: what it matches, and its own message.
        "guardrail": "{match}: {why}",
        "ignored": "custom guardrail #{number} in {source} is ignored: {problem}",
        "the-config": "the config",
    },
)
def custom_guardrail(skill: Skill, context: Context) -> Iterator[Finding]:
    entries = context.settings.custom_guardrails
    if not entries:
        return
    source = (
        str(context.settings.config_path)
        if context.settings.config_path
        else custom_guardrail.message("the-config")
    )
    checks: list[tuple[Predicate, str, Severity]] = []
    for number, entry in enumerate(entries, 1):
        problem = guardrail_problem(entry, number - 1)
        if problem is not None:
            yield Finding(
                Span.at(1),
                custom_guardrail.message("ignored", number=number, source=source, problem=problem),
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
        guardrail = custom_guardrail.message("guardrail", match=checks[-1][1], why=entry["message"])
        checks[-1] = (checks[-1][0], guardrail, severity)
    reported: set[tuple[int, int]] = set()
    lines: set[tuple[str, int]] = set()  # a guardrail reports a command line once (`a | b`)
    for run in context.analysis.policy_runs:
        for predicate, guardrail, severity in checks:
            key = (run.argv[0].span.line, run.argv[0].span.column)
            line = (guardrail, logical_lines(skill, run)[0])
            if key in reported or line in lines or not predicate(run):
                continue
            reported.add(key)
            lines.add(line)
            message = custom_guardrail.message("forbidden", run=shown_run(run), guardrail=guardrail)
            yield Finding(run_start(run), message, severity=severity)
