"""Documentation generated from the rule registry: `docs/rules.md`, and the help text that
`--format sarif` puts in `tool.driver.rules`. One source, so the two never disagree.

Regenerate the file with `skillkit rules --format markdown > docs/rules.md` (CI and a test fail
when it is stale).
"""

from __future__ import annotations

from skillkit.registry import (
    Example,
    FixAvailability,
    RenderRule,
    Rule,
    all_rules,
    resolve_code,
)

FAMILIES = {
    "SK0": "The file itself",
    "SK1": "Front matter",
    "SK2": "Body and structure",
    "SK3": "Guardrails and policies",
    "SK4": "Commands",
    "SK5": "References and files",
    "SK6": "Across skills",
    "SK7": "Render and templates",
    "SK9": "skillkit itself",
}

# The table's `fixable` column.
_FIXABLE = {
    FixAvailability.ALWAYS: "yes",
    FixAvailability.SOMETIMES: "some",
    FixAvailability.NEVER: "",
}


def _example_text(example: Example) -> str:
    text = example.text
    body = text if isinstance(text, str) else text.decode("utf-8", "backslashreplace")
    if len(body) > 1200:
        body = body[:1200] + "\n[... cut]"
    return body.rstrip("\n")


def _fence(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return fence


def rule_markdown(rule: Rule, heading: str = "###") -> str:
    """One rule as Markdown: summary, facts, rationale, options and both examples."""
    facts = [f"severity **{rule.severity.label}**"]
    if isinstance(rule, RenderRule):
        facts.append("reported by `skillkit render` (lint settings do not apply)")
    else:
        facts += [
            "on by default"
            if rule.default
            else "off by default (enable with `select` or a target)",
            f"targets: {', '.join(sorted(rule.targets)) if rule.targets else 'all'}",
        ]
    if rule.fix is FixAvailability.ALWAYS:
        facts.append("fixable")
    elif rule.fix is FixAvailability.SOMETIMES:
        facts.append("fixable for some findings")
    lines = [
        f"{heading} {rule.code} `{rule.name}`",
        "",
        rule.summary,
        "",
        "; ".join(facts) + ".",
        "",
        rule.rationale,
    ]
    for option in rule.options:
        lines += ["", f"Option `{option.name}` (default `{option.default!r}`): {option.help}"]
    for title, example in rule.examples:
        if isinstance(rule, RenderRule):
            lines += ["", f"{title} (`skillkit render` in a project with these files):"]
            for name, content in example.files.items():
                inner = _fence(content)
                language = "toml" if name.endswith(".toml") else "jinja"
                lines += ["", f"`{name}`:", "", f"{inner}{language}", content.rstrip("\n"), inner]
            continue
        body = _example_text(example)
        fence = _fence(body)
        lines += [
            "",
            f"{title} (`{example.folder}/SKILL.md`):",
            "",
            f"{fence}markdown",
            body,
            fence,
        ]
        for name, content in example.files.items():
            inner = _fence(content)
            lines += [
                "",
                f"with `{example.folder}/{name}`:",
                "",
                inner,
                content.rstrip("\n"),
                inner,
            ]
    return "\n".join(lines) + "\n"


def rules_markdown() -> str:
    """The whole of docs/rules.md."""
    rules = all_rules()
    out = [
        "# Rules",
        "",
        "<!-- Generated from the rule registry by `skillkit rules --format markdown`; "
        "do not edit by hand. -->",
        "",
        "| code | name | severity | fixable | summary |",
        "|---|---|---|---|---|",
    ]
    for code in sorted(rules):
        rule = rules[code]
        summary = rule.summary.replace("|", "\\|")
        off = "" if rule.default else " (off by default)"
        out.append(
            f"| [{code}](#{code.lower()}-{rule.name}) | `{rule.name}` | {rule.severity.label}{off} "
            f"| {_FIXABLE[rule.fix]} | {summary} |"
        )
    family = ""
    for code in sorted(rules):
        if code[:3] != family:
            family = code[:3]
            out += ["", f"## {family}xx: {FAMILIES.get(family, family)}"]
        out += ["", rule_markdown(rules[code]).rstrip("\n")]
    return "\n".join(out) + "\n"


# The `Fixable:` line of `skillkit rule`.
_FIXABLE_LINE = {
    FixAvailability.ALWAYS: "yes",
    FixAvailability.SOMETIMES: "for some findings",
    FixAvailability.NEVER: "no",
}


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
            f"Fixable: {_FIXABLE_LINE[rule.fix]}",
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
        lines += ["    " + line for line in _example_text(example).split("\n")]
        for name, content in example.files.items():
            lines += [f"  with {example.folder}/{name}:", "    " + content.replace("\n", "\n    ")]
    return "\n".join(lines) + "\n"
