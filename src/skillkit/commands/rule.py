"""`skillkit rule CODE`: a rule's rationale, options and examples."""

from __future__ import annotations

import argparse

from skillkit.errors import UsageError
from skillkit.registry import RenderRule, all_rules, resolve_code, unknown_rule_hint


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="a rule code (SK111) or name (name-invalid)")


def _example_text(text: str | bytes) -> str:
    return text if isinstance(text, str) else text.decode("utf-8", "backslashreplace")


def explain(code: str) -> str:
    """The explanation of one rule, as `skillkit rule` prints it and docs/rules.md shows it."""
    rules = all_rules()
    rule = rules[resolve_code(code)[0]] if code not in rules else rules[code]
    lines = [f"{rule.code} {rule.name}", "", rule.summary, ""]
    if isinstance(rule, RenderRule):
        lines += [
            f"Severity: {rule.severity.label}",
            "Reported by: skillkit render (lint settings do not apply)",
        ]
    else:
        lines += [
            f"Severity: {rule.severity.label}"
            + ("" if rule.default else " (off by default; enable with select or a target)"),
            f"Targets: {', '.join(sorted(rule.targets)) if rule.targets else 'all'}",
            f"Fixable: {'yes' if rule.fixable else 'no'}",
        ]
    lines += ["", "Why:", f"  {rule.rationale}"]
    for option in rule.options:
        lines += ["", f"Option `{option.name}` (default {option.default!r}): {option.help}"]
    for title, example in rule.examples:
        if isinstance(rule, RenderRule):
            lines += ["", f"{title} (skillkit render in a project with these files):"]
            for name, content in example.files.items():
                lines += [
                    f"  {name}:",
                    *("    " + line for line in content.rstrip("\n").split("\n")),
                ]
            continue
        where = f"{example.folder}/SKILL.md"
        lines += ["", f"{title} ({where}):"]
        for key, value in example.settings.items():
            lines.append(f"  with the setting {key} = {value!r}")
        body = _example_text(example.text)
        if len(body) > 1200:
            body = body[:1200] + "\n[... cut]"
        lines += ["    " + line for line in body.rstrip("\n").split("\n")]
        for name, content in example.files.items():
            lines += [f"  with {example.folder}/{name}:", "    " + content.replace("\n", "\n    ")]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.code not in rules:
        matches = resolve_code(args.code)
        if len(matches) != 1:
            raise UsageError(f"no rule `{args.code}`{unknown_rule_hint(args.code)}")
    print(explain(args.code), end="")
    return 0
