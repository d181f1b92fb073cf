"""`skillkit show PATH`: what skillkit understood of a skill — fields, outline, commands."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from skillkit.analysis import in_sentence
from skillkit.errors import UsageError
from skillkit.model import Command, Skill, Value
from skillkit.parse import read_skill
from skillkit.text import printable, without_surrogates
from skillkit.tools import GRAMMARS, match


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="a SKILL.md or its folder")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _value_to_data(value: Any) -> Any:
    assert isinstance(value, Value)
    if value.kind == "map":
        return {f.key: _value_to_data(f.value) for f in value.fields}
    if value.kind == "seq":
        return [_value_to_data(item) for item in value.items]
    if isinstance(value.scalar, float) and not math.isfinite(value.scalar):
        return value.text  # `.inf` and `.nan` have no JSON number
    return value.scalar


def _grammar_data(command: Any, skill: Any) -> dict[str, Any]:
    """What the tool grammars make of a command: its subcommand, flags, arguments, the program
    it runs. Empty for a tool skillkit has no grammar for."""
    assert isinstance(command, Command)
    grammar = GRAMMARS.get(command.tool)
    if grammar is None or not command.argv:
        return {}
    # As the rules read it: a span inside a sentence, or one that only names a command path.
    mention = command.source == "inline" and (
        in_sentence(skill, command) or grammar.names_command(command.words)
    )
    invocation = match(grammar, command.argv, mention=mention)
    spec = invocation.spec
    return {
        "subcommand": " ".join(spec.path) if spec else None,
        "mention": mention,
        "flags": [
            {"flag": use.word.text, "value": use.value.text if use.value else None}
            for use in invocation.flags
        ],
        "arguments": [token.text for token in invocation.positionals],
        "program": [token.text for token in invocation.program()],
        "problems": [problem.kind for problem in invocation.problems],
    }


def model_to_data(skill: Any) -> dict[str, Any]:
    """The model as plain data (what `show --format json` prints)."""
    assert isinstance(skill, Skill)
    return {
        "path": str(skill.path),
        "front_matter": {
            "present": skill.front_matter.present,
            "closed": skill.front_matter.closed,
            "fields": [
                {
                    "key": f.key,
                    "line": f.key_span.line,
                    "column": f.key_span.column,
                    "value_line": f.value.span.line,
                    "value_column": f.value.span.column,
                    "kind": f.value.kind,
                    "value": _value_to_data(f.value),
                }
                for f in skill.front_matter.fields
            ],
        },
        "body_start_line": skill.body_start_line,
        "sections": [
            {"title": s.title, "level": s.level, "line": s.start_line, "end_line": s.end_line}
            for s in skill.all_sections()
        ],
        "code_blocks": [
            {
                "language": b.language,
                "info": b.info,
                "line": b.span.line,
                "end_line": b.span.end_line,
                "closed": b.closed,
            }
            for b in skill.code_blocks
        ],
        "commands": [
            {
                "line": c.line,
                "column": c.span.column,
                "source": c.source,
                "tool": c.tool,
                "argv": list(c.words),
                "placeholders": [i for i, t in enumerate(c.argv) if t.placeholder],
                **_grammar_data(c, skill),
            }
            for c in skill.commands
        ],
        "links": [{"target": link.target, "line": link.span.line} for link in skill.links],
        "problems": [
            {
                "kind": p.kind.value,
                "message": p.message,
                "line": p.span.line,
                "column": p.span.column,
            }
            for p in skill.problems
        ],
    }


def _grammar_summary(command: dict[str, Any]) -> str:
    parts = [f"tool: {command['tool']}"]
    if "subcommand" not in command:
        return parts[0]  # no grammar for this tool
    parts.append(f"subcommand: {command['subcommand'] or '(not described)'}")
    if command["mention"]:
        parts.append("mention")
    if command["arguments"]:
        parts.append("arguments: " + " ".join(command["arguments"]))
    if command["flags"]:
        flags = [
            f["flag"] if f["value"] is None else f"{f['flag']} {f['value']}"
            for f in command["flags"]
        ]
        parts.append("flags: " + ", ".join(flags))
    if command["program"]:
        parts.append("runs: " + " ".join(command["program"]))
    if command["problems"]:
        parts.append("problems: " + ", ".join(command["problems"]))
    return "; ".join(parts)


def run(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if path.is_dir():
        path = path / "SKILL.md"
    if not path.exists():
        given = Path(args.path)
        raise UsageError(
            f"{args.path}: no SKILL.md in this folder"
            if given.is_dir()
            else f"{args.path}: no such file"
        )
    skill = read_skill(path)
    data = model_to_data(skill)
    if args.format == "json":
        json.dump(without_surrogates(data), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout  # (each text from the file goes through `printable`)
    out.write(f"{printable(data['path'])}\n\nFront matter")
    fm = skill.front_matter
    if not fm.present:
        out.write(": none\n")
    else:
        out.write(f" (lines {fm.span.line}-{fm.span.end_line}):\n")
        for field in data["front_matter"]["fields"]:
            value = printable(json.dumps(without_surrogates(field["value"]), ensure_ascii=False))
            if len(value) > 70:
                value = value[:67] + "..."
            key = printable(field["key"])
            out.write(f"  {field['line']:>4}  {key}: {value}  ({field['kind']})\n")
    out.write("\nSections:\n")
    for section in skill.all_sections():
        indent = "  " * (section.level - 1)
        out.write(
            f"  {section.start_line:>4}  {indent}{'#' * section.level} {printable(section.title)}\n"
        )
    out.write("\nCommands:\n")
    for command in data["commands"]:
        argv = printable(" ".join(command["argv"]))
        out.write(f"  {command['line']:>4}  [{command['source']}] {argv}\n")
        out.write(f"        {printable(_grammar_summary(command))}\n")
    if data["problems"]:
        out.write("\nProblems:\n")
        for problem in data["problems"]:
            out.write(
                f"  {problem['line']:>4}  {problem['kind']}: {printable(problem['message'])}\n"
            )
    return 0
