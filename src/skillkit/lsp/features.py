"""What the language server answers, computed from the library: diagnostics of a document's
text as it is in the editor, its safe fixes as code actions, completions of front-matter keys
and of `vrctl` words in code blocks, and a rule's explanation on hover."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from skillkit.add_suppressions import suppression_text
from skillkit.diagnostics import Diagnostic, Edit, Severity
from skillkit.docs import explain
from skillkit.engine.check import check_skill
from skillkit.engine.per_file import file_context
from skillkit.intervals import Disjoint
from skillkit.lsp.positions import UTF16, from_lsp, to_lsp, units
from skillkit.lsp.templates import template_findings
from skillkit.model import Skill, Span
from skillkit.parse import parse_text
from skillkit.settings import DEFAULT_SETTINGS, Settings
from skillkit.targets import Target, get_target
from skillkit.tools import VRCTL, CommandSpec

SOURCE = "skillkit"
SEVERITIES = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
# Nested keys worth offering under a top-level key (`metadata.short-description`, which Codex
# shows and the viberun target requires).
NESTED_KEYS = {"metadata": ("short-description",)}


def is_skill_path(path: Path) -> bool:
    return path.name.lower() == "skill.md"


def is_template_path(path: Path) -> bool:
    return path.suffix == ".j2"


@dataclass(frozen=True)
class Analysis:
    """One version of one document, parsed and linted."""

    uri: str
    skill: Skill
    diagnostics: tuple[Diagnostic, ...]
    target: Target
    encoding: str = UTF16
    facts: tuple[tuple[str, Any], ...] = ()  # for project rules (see skillkit.lsp.project)

    def position(self, line: int, column: int) -> lsp.Position:
        lsp_line, character = to_lsp(
            self.skill.lines, line, column, self.encoding, self.skill.has_bom
        )
        return lsp.Position(line=lsp_line, character=character)

    def range(self, span: Span) -> lsp.Range:
        return lsp.Range(
            start=self.position(span.line, span.column),
            end=self.position(span.end_line, span.end_column),
        )

    def model_position(self, position: lsp.Position) -> tuple[int, int]:
        return from_lsp(
            self.skill.lines, position.line, position.character, self.encoding, self.skill.has_bom
        )


def analyse(
    uri: str,
    path: Path,
    text: str,
    settings: Settings = DEFAULT_SETTINGS,
    encoding: str = UTF16,
    extra: Sequence[Diagnostic] = (),
    *,
    lint: bool = True,
) -> Analysis:
    """Parse (and, unless `lint` is false, lint) a document's text as the editor has it. A
    template is rendered with every output of its plan instead (`skillkit.lsp.templates`)."""
    skill = parse_text(text, path)
    found: tuple[Diagnostic, ...] = ()
    facts: tuple[tuple[str, Any], ...] = ()
    if lint and is_template_path(path):
        findings = template_findings(path, text)
        found = findings.diagnostics if findings is not None else ()
    elif lint:
        result = check_skill(skill, file_context(skill, settings), str(path))
        found, facts = result.diagnostics, result.facts
    return Analysis(uri, skill, (*extra, *found), get_target(settings.target), encoding, facts)


# ---------------------------------------------------------------------------------------------
# Diagnostics


def to_lsp_diagnostic(analysis: Analysis, diagnostic: Diagnostic) -> lsp.Diagnostic:
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(
                uri=analysis.uri if item.path is None else Path(item.path).resolve().as_uri(),
                range=analysis.range(item.span)
                if item.path is None
                else lsp.Range(
                    start=lsp.Position(line=item.span.line - 1, character=0),
                    end=lsp.Position(line=item.span.line - 1, character=0),
                ),
            ),
            message=item.message,
        )
        for item in diagnostic.related
    ]
    return lsp.Diagnostic(
        range=analysis.range(diagnostic.span),
        message=diagnostic.message,
        severity=SEVERITIES[diagnostic.severity],
        code=diagnostic.code,
        source=SOURCE,
        related_information=related or None,
        data={"name": diagnostic.name, "fixable": diagnostic.fix is not None},
    )


def lsp_diagnostics(analysis: Analysis) -> list[lsp.Diagnostic]:
    return [to_lsp_diagnostic(analysis, d) for d in analysis.diagnostics]


# ---------------------------------------------------------------------------------------------
# Code actions


def _overlaps(span: Span, start: tuple[int, int], end: tuple[int, int]) -> bool:
    return (span.line, span.column) <= end and start <= (span.end_line, span.end_column)


def _text_edits(analysis: Analysis, edits: Sequence[Edit]) -> list[lsp.TextEdit]:
    return [lsp.TextEdit(range=analysis.range(e.span), new_text=e.replacement) for e in edits]


def _clash(a: Span, b: Span) -> bool:
    """Whether two edits' spans overlap, or both insert at one point (their order is unknown)."""
    a_start, a_end = (a.line, a.column), (a.end_line, a.end_column)
    b_start, b_end = (b.line, b.column), (b.end_line, b.end_column)
    return (a_start < b_end and b_start < a_end) or a_start == b_start


def _disjoint(edit_groups: Sequence[Sequence[Edit]]) -> list[Edit]:
    """Every edit of the groups whose edits clash with none taken before (a client applies one
    WorkspaceEdit at once and refuses overlapping edits); a later pass fixes the rest."""
    taken: list[Edit] = []
    chosen: Disjoint[tuple[int, int]] = Disjoint()
    for group in edit_groups:
        spans = [
            ((e.span.line, e.span.column), (e.span.end_line, e.span.end_column)) for e in group
        ]
        if any(chosen.clashes(start, end) for start, end in spans) or any(
            _clash(a.span, b.span) for i, a in enumerate(group) for b in group[i + 1 :]
        ):
            continue
        for start, end in spans:
            chosen.add(start, end)
        taken.extend(group)
    return taken


def code_actions(analysis: Analysis, requested: lsp.Range) -> list[lsp.CodeAction]:
    """A quick fix for each safe fix of a finding in the range, and one action that applies
    every safe fix in the file."""
    start = analysis.model_position(requested.start)
    end = analysis.model_position(requested.end)
    actions: list[lsp.CodeAction] = []
    fixable = [d for d in analysis.diagnostics if d.fix is not None and d.fix.safe]
    for diagnostic in fixable:
        assert diagnostic.fix is not None
        if not _overlaps(diagnostic.span, start, end):
            continue
        actions.append(
            lsp.CodeAction(
                title=f"{diagnostic.fix.description} ({diagnostic.code})",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[to_lsp_diagnostic(analysis, diagnostic)],
                edit=lsp.WorkspaceEdit(
                    changes={analysis.uri: _text_edits(analysis, diagnostic.fix.edits)}
                ),
                is_preferred=True,
            )
        )
    actions.extend(_suppressions(analysis, start, end))
    if fixable:
        edits = _disjoint([d.fix.edits for d in fixable if d.fix is not None])
        actions.append(
            lsp.CodeAction(
                title="skillkit: apply every safe fix",
                kind=lsp.CodeActionKind.SourceFixAll,
                edit=lsp.WorkspaceEdit(changes={analysis.uri: _text_edits(analysis, edits)}),
            )
        )
    return actions


def _suppressions(
    analysis: Analysis, start: tuple[int, int], end: tuple[int, int]
) -> list[lsp.CodeAction]:
    """For each finding in the range, the comment that suppresses it (as `lint
    --add-suppressions` writes it), as an edit of the whole text."""
    if not is_skill_path(analysis.skill.path):
        return []  # a template's findings are about its outputs
    skill = analysis.skill
    lines = skill.text.split("\n")
    whole = lsp.Range(
        start=analysis.position(1, 1),
        end=lsp.Position(
            line=len(lines) - 1,
            character=units(lines[-1], analysis.encoding)
            + (1 if skill.has_bom and len(lines) == 1 else 0),
        ),
    )
    actions = []
    offered: set[tuple[str, int]] = set()  # one comment a code and line, however many findings
    for diagnostic in analysis.diagnostics:
        if not _overlaps(diagnostic.span, start, end) or not diagnostic.code.startswith("SK"):
            continue
        if (diagnostic.code, diagnostic.span.line) in offered:
            continue
        offered.add((diagnostic.code, diagnostic.span.line))
        text, added = suppression_text(skill, [diagnostic])
        if not added:
            continue
        actions.append(
            lsp.CodeAction(
                title=f"suppress {diagnostic.code} here (a skillkit comment)",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[to_lsp_diagnostic(analysis, diagnostic)],
                edit=lsp.WorkspaceEdit(
                    changes={analysis.uri: [lsp.TextEdit(range=whole, new_text=text)]}
                ),
            )
        )
    return actions


# ---------------------------------------------------------------------------------------------
# Hover


def hover(analysis: Analysis, position: lsp.Position) -> lsp.Hover | None:
    """The explanation of the rule of each finding under the cursor."""
    line, column = analysis.model_position(position)
    here = (line, column)
    found = [
        d
        for d in analysis.diagnostics
        if (d.span.line, d.span.column) <= here <= (d.span.end_line, d.span.end_column)
        and d.code.startswith("SK")
    ]
    if not found:
        return None
    parts = []
    for diagnostic in found:
        try:
            explanation = explain(diagnostic.code)
        except (KeyError, IndexError):
            explanation = ""
        parts.append(
            f"**{diagnostic.code} {diagnostic.name}**: {diagnostic.message}\n\n"
            f"```text\n{explanation.rstrip()}\n```"
        )
    span = found[0].span
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
        range=analysis.range(span),
    )


# ---------------------------------------------------------------------------------------------
# Completion


def _front_matter_line(skill: Skill, line: int) -> bool:
    front = skill.front_matter
    if not front.present or line <= 1:
        return False
    return not front.closed or line < skill.body_start_line - 1


def _parent_key(skill: Skill, line: int) -> str | None:
    """The top-level key an indented front-matter line belongs to."""
    for number in range(line - 1, 1, -1):
        text = skill.line_text(number)
        if text and not text[0].isspace() and ":" in text:
            return text.split(":", 1)[0].strip()
    return None


def _key_items(
    analysis: Analysis, line: int, column: int, keys: Sequence[str], present: set[str]
) -> list[lsp.CompletionItem]:
    text = analysis.skill.line_text(line)
    indent = len(text) - len(text.lstrip())
    replace = lsp.Range(
        start=analysis.position(line, indent + 1), end=analysis.position(line, column)
    )
    items = []
    for key in keys:
        if key in present:
            continue
        required = key in analysis.target.required
        items.append(
            lsp.CompletionItem(
                label=key,
                kind=lsp.CompletionItemKind.Property,
                detail=f"{'required' if required else 'optional'} for {analysis.target.name}",
                text_edit=lsp.TextEdit(range=replace, new_text=f"{key}: "),
                sort_text=f"{0 if required else 1}{key}",
            )
        )
    return items


def _front_matter_items(analysis: Analysis, line: int, column: int) -> list[lsp.CompletionItem]:
    skill = analysis.skill
    before = skill.line_text(line)[: column - 1]
    if ":" in before:
        return []  # a value, not a key
    if before and before[0].isspace():
        parent = _parent_key(skill, line)
        nested = NESTED_KEYS.get(parent or "", ())
        field = skill.front_matter.get(parent or "")
        present = {f.key for f in field.value.fields} if field is not None else set()
        return _key_items(analysis, line, column, nested, present)
    present = {f.key for f in skill.front_matter.fields if f.key_span.line != line}
    keys = sorted(analysis.target.fields, key=lambda k: (k not in analysis.target.required, k))
    return _key_items(analysis, line, column, keys, present)


def _command_text(skill: Skill, line: int, column: int, first_content: int) -> str:
    """The command up to the cursor: this line, joined with the lines it continues (`\\`)."""
    parts = [skill.line_text(line)[: column - 1]]
    number = line - 1
    while number >= first_content and skill.line_text(number).rstrip().endswith("\\"):
        parts.insert(0, skill.line_text(number).rstrip()[:-1])
        number -= 1
    return " ".join(parts)


def _vrctl_items(words: list[str], partial: str) -> list[lsp.CompletionItem]:
    args = words[1:]
    path: tuple[str, ...] = ()
    spec: CommandSpec | None = None
    for word in args:
        if word.startswith("-"):
            break
        candidate = (*path, word)
        if not any(s.path[: len(candidate)] == candidate for s in VRCTL.commands):
            break
        path = candidate
        exact = [s for s in VRCTL.commands if s.path == path]
        if exact:
            spec = exact[0]
            break
    if spec is None:
        if len(path) != len(args):
            return []  # an unknown word: nothing sensible to offer
        items = []
        for word in VRCTL.children(path):
            full = [s for s in VRCTL.commands if s.path == (*path, word)]
            items.append(
                lsp.CompletionItem(
                    label=word,
                    kind=lsp.CompletionItemKind.Keyword,
                    detail=full[0].usage("vrctl")
                    if full
                    else f"vrctl {' '.join((*path, word))} ...",
                    documentation=full[0].summary if full else None,
                )
            )
        return [item for item in items if item.label.startswith(partial)]
    used = set(args[len(spec.path) :])
    items = []
    for flag in spec.flags:
        if any(name in used for name in flag.names) and not flag.repeat:
            continue
        for name in flag.names:
            items.append(
                lsp.CompletionItem(
                    label=name,
                    kind=lsp.CompletionItemKind.Field,
                    detail=f"{name} <{flag.metavar}>" if flag.metavar else f"{name} (switch)",
                    documentation=spec.usage("vrctl"),
                )
            )
    if not partial.startswith("-"):
        for positional in spec.positionals:
            items.extend(
                lsp.CompletionItem(
                    label=choice, kind=lsp.CompletionItemKind.EnumMember, detail=positional.name
                )
                for choice in positional.choices
            )
    return [item for item in items if item.label.startswith(partial)]


def _code_block_items(
    analysis: Analysis, line: int, column: int
) -> list[lsp.CompletionItem] | None:
    """vrctl completions when the cursor is inside a code block; None outside every block."""
    for block in analysis.skill.code_blocks:
        last = block.span.end_line - 1 if block.closed else block.span.end_line
        if not block.content_line <= line <= last:
            continue
        text = _command_text(analysis.skill, line, column, block.content_line).lstrip()
        for prompt in ("$ ", "# "):
            if text.startswith(prompt):
                text = text[len(prompt) :]
        words = text.split()
        partial = "" if not text or text[-1].isspace() else words.pop()
        if not words:
            return (
                [lsp.CompletionItem(label="vrctl", kind=lsp.CompletionItemKind.Function)]
                if "vrctl".startswith(partial) and partial
                else []
            )
        if words[0] != "vrctl":
            return []
        return _vrctl_items(words, partial)
    return None


def completions(analysis: Analysis, position: lsp.Position) -> list[lsp.CompletionItem]:
    line, column = analysis.model_position(position)
    if _front_matter_line(analysis.skill, line) and is_skill_path(analysis.skill.path):
        return _front_matter_items(analysis, line, column)
    return _code_block_items(analysis, line, column) or []
