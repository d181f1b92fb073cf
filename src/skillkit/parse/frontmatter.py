"""Front matter: the `---` delimiters and the YAML between them, read with node positions.

YAML is composed into nodes (libyaml when present) and never constructed: tags such as
`!!python/object` are only names here, aliases are walked under a budget (an alias bomb becomes a
problem, not an hour of CPU), and every value keeps the kind a YAML 1.1 loader would give it, so
that rules can say "`no` is read as a boolean" instead of crashing on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import yaml

from skillkit.model import (
    Field,
    FrontMatter,
    Problem,
    ProblemKind,
    Span,
    Value,
    ValueKind,
    kind_name,
)

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# How many YAML nodes one front matter may expand to, aliases included. Real front matter has
# tens; an alias bomb has billions.
MAX_NODES = 10_000
# How deep collections may nest. Real front matter nests two or three levels; a deeper one is
# refused before Python's recursion limit (or libyaml's own, at 1,000) gives a murkier answer.
MAX_DEPTH = 100

_KIND_BY_TAG: dict[str, ValueKind] = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:seq": "seq",
    "tag:yaml.org,2002:map": "map",
}

# Tags YAML resolves on its own; any other (`!!python/object`, `!custom`) is written by hand.
_KNOWN_TAGS = frozenset(_KIND_BY_TAG) | {
    f"tag:yaml.org,2002:{name}"
    for name in ("timestamp", "binary", "omap", "pairs", "set", "merge", "value")
}


def split_front_matter(lines: Sequence[str]) -> tuple[int, int]:
    """Return (opening line, closing line), 1-based; 0 for each that is missing.

    The opening delimiter is a first line that is exactly `---`; the closing one is the next line
    that is exactly `---` (a `---` inside a value is not a line of its own, so it does not count).
    """
    if not lines or lines[0] != "---":
        return 0, 0
    for index in range(1, len(lines)):
        if lines[index] == "---":
            return 1, index + 1
    return 1, 0


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_NODES


class _TooComplex(Exception):
    pass


class _TooDeep(Exception):
    pass


_TOO_DEEP = f"front matter nests more than {MAX_DEPTH} levels deep; it was not read"
# Builds Python values of plain scalars whose kind is already known (`0x1F`, `1:30`, `.inf`):
# PyYAML's own rules for YAML 1.1 rather than a copy of them.
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONSTRUCT = {
    "bool": _CONSTRUCTOR.construct_yaml_bool,
    "int": _CONSTRUCTOR.construct_yaml_int,
    "float": _CONSTRUCTOR.construct_yaml_float,
}


class _Where:
    """Maps YAML marks to file positions. Node marks count from the YAML text, which starts on
    file line `line_offset`. A block collection that ends the text ends on the line after it:
    the closing `---`, or past the end of the file when there is none; such a mark is clamped
    to the end of the file's last line, so that every span stays inside the file."""

    def __init__(self, line_offset: int, lines: Sequence[str]) -> None:
        self.line_offset = line_offset
        self.lines = lines
        self.last_line = max(1, len(lines))
        self.last_length = len(lines[-1]) if lines else 0

    def scalar_span(self, node: yaml.ScalarNode) -> Span:
        """A scalar's span without the anchor and tag written before it (`&d !!str yes` is
        `yes`): a fix that rewrites the value must keep them, or a later `*d` breaks."""
        span = self.span(node)
        line, column = span.line, span.column
        end = (span.end_line, span.end_column)
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        while (line, column) < end and text[column - 1 : column] in ("&", "!"):
            while column <= len(text) and not text[column - 1].isspace():
                column += 1  # the property itself
            while (line, column) < end:  # the blanks, line ends and comment after it
                if column > len(text) or text[column - 1] == "#":
                    line, column = line + 1, 1
                    text = self.lines[line - 1] if line <= len(self.lines) else ""
                elif text[column - 1].isspace():
                    column += 1
                else:
                    break
        if (line, column) >= end:
            return span  # only properties (`&d` with an empty value): nothing to narrow
        return Span(line, column, span.end_line, span.end_column)

    def span(self, node: yaml.Node) -> Span:
        start, end = node.start_mark, node.end_mark
        return Span(*self.position(start.line, start.column), *self.position(end.line, end.column))

    def position(self, index: int, column: int) -> tuple[int, int]:
        """The file (line, column) of a 0-based YAML mark."""
        if index + self.line_offset > self.last_line:
            return self.last_line, self.last_length + 1
        return index + self.line_offset, column + 1


_EMPTY = '""'  # how an empty scalar is shown


class _NotConstructible(Exception):
    """A scalar whose tag says bool, int or float, but whose text is none (`!!bool maybe`)."""


def _scalar_value(kind: ValueKind, node: yaml.ScalarNode) -> str | bool | int | float | None:
    text = str(node.value)
    if kind == "null":
        return None
    construct = _CONSTRUCT.get(kind)
    if construct is None:
        return text
    try:
        value: bool | int | float = construct(node)
    except Exception:  # PyYAML raises KeyError, IndexError, ValueError... on such text
        raise _NotConstructible from None
    return value


_STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"


def _written_tag(tag: str) -> str:
    """A tag as its author wrote it: `!!python/object`, not `tag:yaml.org,2002:python/object`."""
    if tag.startswith(_STANDARD_TAG_PREFIX):
        return "!!" + tag[len(_STANDARD_TAG_PREFIX) :]
    return tag


def _value(
    node: yaml.Node, where: _Where, budget: _Budget, problems: list[Problem], depth: int = 0
) -> Value:
    budget.left -= 1
    if budget.left < 0:
        raise _TooComplex
    if depth > MAX_DEPTH:
        raise _TooDeep
    span = where.span(node)
    tag = node.tag or ""
    kind = _KIND_BY_TAG.get(tag, "other")
    if tag not in _KNOWN_TAGS and tag not in ("", "!"):
        problems.append(
            Problem(
                ProblemKind.YAML_UNSUPPORTED,
                f"YAML tag `{_written_tag(tag)}` is not supported; it is kept as text and never "
                "constructed",
                span,
            )
        )
    if isinstance(node, yaml.ScalarNode):
        text = str(node.value)
        if tag == "!":  # a quoted scalar resolved by the non-specific tag: a string
            kind = "str"
        try:
            scalar = _scalar_value(kind, node)
        except _NotConstructible:
            # A YAML loader fails on the whole front matter here (PyYAML with a KeyError):
            # one finding on the value, which is kept as text so that the other rules go on.
            problems.append(
                Problem(
                    ProblemKind.YAML_SYNTAX,
                    f"`{_written_tag(tag)} {text or _EMPTY}` is not a valid {kind}: a YAML loader "
                    "fails on it",
                    span,
                )
            )
            kind, scalar = "str", text
        return Value(
            kind=kind if kind not in ("seq", "map") else "other",
            text=text,
            span=where.scalar_span(node),
            style=node.style or "",
            scalar=scalar,
        )
    if isinstance(node, yaml.SequenceNode):
        items = tuple(_value(item, where, budget, problems, depth + 1) for item in node.value)
        return Value(kind="seq", text="", span=span, items=items)
    if isinstance(node, yaml.MappingNode):
        return Value(
            kind="map",
            text="",
            span=span,
            fields=_fields(node, where, budget, problems, depth + 1),
        )
    return Value(kind="other", text="", span=span)


def _fields(
    node: yaml.MappingNode,
    where: _Where,
    budget: _Budget,
    problems: list[Problem],
    depth: int = 0,
) -> tuple[Field, ...]:
    out: list[Field] = []
    for key_node, value_node in node.value:
        budget.left -= 1
        # A complex key (`? [a, b]`) gets a readable stand-in.
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "<complex key>"
        out.append(
            Field(
                key=key,
                key_span=where.span(key_node),
                value=_value(value_node, where, budget, problems, depth),
            )
        )
    return tuple(out)


_COLON_HINT = (
    "an unquoted value contains `: `; quote the whole value "
    '(description: "Use when: ...") or use a block scalar (`|`)'
)
_TAB_HINT = "YAML does not allow tabs for indentation"
# PyYAML's wording → libyaml's, so that a message does not depend on which one is installed.
_WORDING = {"mapping values are not allowed here": "mapping values are not allowed in this context"}
# Keyed by the problem text of both PyYAML's pure-Python reader and libyaml's.
_HINTS = {
    "mapping values are not allowed in this context": _COLON_HINT,
    "found character '\\t' that cannot start any token": _TAB_HINT,
    "found a tab character that violates indentation": _TAB_HINT,
    "found a tab character where an indentation space is expected": _TAB_HINT,
}


def _compose(
    yaml_text: str, where: _Where, closed: bool, problems: list[Problem]
) -> tuple[bool, yaml.Node | None]:
    """The YAML node tree of the front matter (None: no document), with True; or False when YAML
    cannot read it, with the problem recorded (only when the front matter is closed: unclosed,
    the whole file was read as YAML, and the missing `---` is the one finding to give)."""
    try:
        root = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = where.position(mark.line, mark.column) if mark else (2, 1)
        what = error.problem or error.context or "invalid YAML"
        what = _WORDING.get(what, what)
        if what == "exceeded maximum nesting depth":  # libyaml's limit, at 1,000 levels
            if closed:
                problems.append(
                    Problem(ProblemKind.YAML_TOO_COMPLEX, _TOO_DEEP, Span.at(line, column))
                )
            return False, None
        message = f"YAML syntax error: {what}"
        hint = _HINTS.get(what)
        if hint:
            message += f" ({hint})"
        # Unclosed, the whole file was read as YAML and the error is most likely in the
        # Markdown: the missing `---` is the one finding to give.
        if closed:
            problems.append(Problem(ProblemKind.YAML_SYNTAX, message, Span.at(line, column)))
        return False, None
    except RecursionError:  # the pure-Python composer recurses once a level
        if closed:
            problems.append(Problem(ProblemKind.YAML_TOO_COMPLEX, _TOO_DEEP, Span.at(2)))
        return False, None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, such as DEL
        if closed:
            before = yaml_text[: error.position]
            line = before.count("\n") + where.line_offset
            column = len(before) - (before.rfind("\n") + 1) + 1
            character = error.character
            code = ord(character) if isinstance(character, str) else int(character)
            problems.append(
                Problem(
                    ProblemKind.YAML_SYNTAX,
                    f"YAML syntax error: character U+{code:04X} is not allowed in YAML "
                    "(remove it or write it as an escape in a double-quoted string)",
                    Span.at(line, column),
                )
            )
        return False, None
    except (yaml.YAMLError, ValueError) as error:
        if closed:
            problems.append(
                Problem(ProblemKind.YAML_SYNTAX, f"YAML could not be read: {error}", Span.at(2))
            )
        return False, None
    return True, root


# Claude Code's second try at front matter its YAML parser rejects (`quoteProblematicValues` in
# its src/utils/frontmatterParser.ts): each top-level one-line `key: value` whose value holds a
# YAML indicator or `: `, and is not already quoted, becomes `key: "value"`. The patterns are its
# JavaScript ones: `.` does not match \r, so no line of a CRLF file is rewritten.
_RETRY_KEY_VALUE = re.compile(r"([a-zA-Z_-]+):\s+([^\n\r\u2028\u2029]+)")
_RETRY_SPECIAL = re.compile(r"[{}\[\]*&#!|>%@`]|: ")


def _quote_problematic_values(yaml_text: str) -> str:
    out: list[str] = []
    for line in yaml_text.split("\n"):
        match = _RETRY_KEY_VALUE.fullmatch(line)
        if match:
            key, value = match.groups()
            quoted = value[:1] in ("'", '"') and value.endswith(value[0])
            if not quoted and _RETRY_SPECIAL.search(value):
                escaped = value.replace("\\", "\\\\").replace('"', '\\"')
                line = f'{key}: "{escaped}"'
        out.append(line)
    return "\n".join(out)


def _reads_after_quoting(yaml_text: str) -> bool:
    """Whether front matter that YAML cannot read is read as a mapping once its one-line values
    are quoted the way Claude Code does before its second try."""
    try:
        root = yaml.compose(_quote_problematic_values(yaml_text), Loader=_Loader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return False
    return isinstance(root, yaml.MappingNode)


def _root_value(root: yaml.Node, where: _Where, problems: list[Problem]) -> Value | None:
    """The value of the front matter's root node, or None (with the problem recorded) when it
    nests too deep or expands to too many nodes."""
    budget = _Budget()
    try:
        root_value = _value(root, where, budget, problems)
    except (_TooDeep, RecursionError):
        problems.append(Problem(ProblemKind.YAML_TOO_COMPLEX, _TOO_DEEP, where.span(root)))
        return None
    except _TooComplex:
        problems.append(
            Problem(
                ProblemKind.YAML_TOO_COMPLEX,
                f"front matter expands to more than {MAX_NODES} YAML nodes "
                "(aliases of aliases?); it was not read",
                where.span(root),
            )
        )
        return None
    return root_value


def parse_front_matter(
    lines: Sequence[str], text: str = ""
) -> tuple[FrontMatter, int, list[Problem]]:
    """Parse the front matter of a file's lines; return it, the body's first line, and problems.
    `text` is the text the lines come from, when some end with \r\n: Claude Code's second try
    at front matter that YAML rejects sees each line's \r."""
    problems: list[Problem] = []
    opening, closing = split_front_matter(lines)
    if not opening:
        first = lines[0] if lines else ""
        problems.append(
            Problem(
                ProblemKind.FRONT_MATTER_MISSING,
                "no front matter: the file must start with a line that is exactly `---`",
                Span.whole_line(1, first),
            )
        )
        return FrontMatter(present=False, closed=False, span=Span.at(1)), 1, problems
    if not closing:
        problems.append(
            Problem(
                ProblemKind.FRONT_MATTER_UNCLOSED,
                "front matter is never closed: no line that is exactly `---` follows the first",
                Span.at(1, 1, 3),
            )
        )
        closing_for_yaml = len(lines) + 1
        closed = False
    else:
        closing_for_yaml = closing
        closed = True
    block_span = Span(1, 1, closing if closed else len(lines), 4)
    body_start = closing + 1 if closed else len(lines) + 1
    # Each line keeps its line end, as clients read it: a block scalar that ends the front
    # matter keeps its final newline.
    yaml_text = "".join(line + "\n" for line in lines[1 : closing_for_yaml - 1])
    # Node marks count from the text we hand YAML, which starts on file line 2.
    line_offset = 2
    where = _Where(line_offset, lines)
    if not yaml_text.strip():
        return FrontMatter(True, closed, block_span, root_kind="empty"), body_start, problems
    read, root = _compose(yaml_text, where, closed, problems)
    if not read and closed and problems and problems[-1].kind is ProblemKind.YAML_SYNTAX:
        # (Only here, where YAML failed: no cost for front matter that reads.)
        client_text = yaml_text
        if "\r" in text:
            client_text = "".join(
                f"{line}\n" for line in text.split("\n", closing)[1 : closing - 1]
            )
        if _reads_after_quoting(client_text):
            problems[-1] = replace(problems[-1], kind=ProblemKind.YAML_SYNTAX_QUOTABLE)
    if not read:
        return FrontMatter(True, closed, block_span, root_kind="invalid"), body_start, problems
    if root is None:
        return FrontMatter(True, closed, block_span, root_kind="empty"), body_start, problems
    root_value = _root_value(root, where, problems)
    if root_value is None:
        return FrontMatter(True, closed, block_span, root_kind="invalid"), body_start, problems
    if root_value.kind != "map":
        problems.append(
            Problem(
                ProblemKind.YAML_NOT_MAPPING,
                f"front matter must be a mapping of fields, not a {kind_name(root_value.kind)}",
                root_value.span,
            )
        )
    return (
        FrontMatter(
            present=True,
            closed=closed,
            span=block_span,
            fields=root_value.fields,
            root_kind=root_value.kind,
            root_span=root_value.span,
        ),
        body_start,
        problems,
    )
