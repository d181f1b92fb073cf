"""The front-matter parser (`skillkit.parse.frontmatter`): delimiters, file shapes, positions of
keys and values, what a YAML 1.1 loader would make of each value, and hostile YAML."""

from __future__ import annotations

import pytest
import yaml

from skillkit.model import Field, FrontMatter, ProblemKind, Skill, Span
from skillkit.parse import frontmatter as frontmatter_module
from skillkit.parse import parse_bytes, parse_skill, parse_text
from skillkit.parse.frontmatter import MAX_DEPTH, MAX_NODES, split_front_matter


def fields(skill: Skill) -> list[tuple[str, str, str]]:
    """(key, kind, text) of each top-level field."""
    return [(f.key, f.value.kind, f.value.text) for f in skill.front_matter.fields]


def problems(skill: Skill) -> list[tuple[ProblemKind, Span, str]]:
    return [(p.kind, p.span, p.message) for p in skill.problems]


def field(skill: Skill, key: str) -> Field:
    found = skill.front_matter.get(key)
    assert found is not None
    return found


# --- delimiters --------------------------------------------------------------------------------


def test_delimiters_are_lines_that_are_exactly_three_dashes() -> None:
    assert split_front_matter(["---", "a: b", "---", "body"]) == (1, 3)
    assert split_front_matter(["--- ", "a: b", "---"]) == (0, 0)
    assert split_front_matter(["----", "a: b", "---"]) == (0, 0)
    assert split_front_matter(["", "---", "a: b", "---"]) == (0, 0)
    assert split_front_matter(["---", "a: b", "---x", "--- ", "---"]) == (1, 5)
    assert split_front_matter(["---", "a: b"]) == (1, 0)
    assert split_front_matter([]) == (0, 0)


def test_three_dashes_inside_a_value_do_not_end_the_front_matter() -> None:
    skill = parse_text("---\nname: demo\ndescription: a --- b\n---\nbody\n")
    assert fields(skill) == [("name", "str", "demo"), ("description", "str", "a --- b")]
    assert skill.body_start_line == 5
    assert skill.front_matter.span == Span(1, 1, 4, 4)
    assert skill.problems == ()


def test_a_block_scalar_holding_a_dashes_line_is_cut_there() -> None:
    # A line that is exactly `---` closes the front matter even inside a block scalar: that is
    # what every client does, so the description is what comes before it.
    skill = parse_text("---\nname: demo\ndescription: |\n  one\n---\n  two\n---\n")
    assert field(skill, "description").value.scalar == "one\n"
    assert skill.body_start_line == 6


def test_closing_line_with_trailing_space_is_not_a_delimiter() -> None:
    skill = parse_text("---\nname: demo\ndescription: x\n--- \n---\nbody")
    assert skill.body_start_line == 6
    assert problems(skill) == [
        (
            ProblemKind.YAML_SYNTAX,
            Span(4, 1, 4, 2),
            "YAML syntax error: but found another document",
        )
    ]


def test_missing_front_matter() -> None:
    skill = parse_text("# Title\n\ntext\n")
    assert skill.front_matter == FrontMatter(present=False, closed=False, span=Span(1, 1, 1, 2))
    assert skill.body_start_line == 1
    assert problems(skill) == [
        (
            ProblemKind.FRONT_MATTER_MISSING,
            Span(1, 1, 1, 8),
            "no front matter: the file must start with a line that is exactly `---`",
        )
    ]


def test_empty_file_has_no_front_matter() -> None:
    skill = parse_text("")
    assert skill.lines == ()
    assert [p.kind for p in skill.problems] == [ProblemKind.FRONT_MATTER_MISSING]


def test_unclosed_front_matter_is_read_to_the_end() -> None:
    skill = parse_text("---\nname: demo\ndescription: x\n\n# Body\n")
    assert skill.front_matter.closed is False
    assert skill.body_start_line == 6
    # The YAML is still read, so its fields are known (and `# Body` is a YAML comment).
    assert fields(skill) == [("name", "str", "demo"), ("description", "str", "x")]
    assert problems(skill) == [
        (
            ProblemKind.FRONT_MATTER_UNCLOSED,
            Span(1, 1, 1, 4),
            "front matter is never closed: no line that is exactly `---` follows the first",
        )
    ]


@pytest.mark.parametrize("text", ["---\n---\n", "---\n\n   \n---\nbody\n", "---\n# only\n---\n"])
def test_empty_front_matter(text: str) -> None:
    skill = parse_text(text)
    assert skill.front_matter.present and skill.front_matter.closed
    assert skill.front_matter.root_kind == "empty"
    assert skill.front_matter.fields == ()
    assert skill.problems == ()


# --- file shapes -------------------------------------------------------------------------------


def test_bom_crlf_and_no_final_newline() -> None:
    skill = parse_bytes(b"\xef\xbb\xbf---\r\nname: demo\r\ndescription: x\r\n---\r\n# B")
    assert (skill.has_bom, skill.crlf, skill.ends_with_newline) == (True, True, False)
    assert skill.lines == ("---", "name: demo", "description: x", "---", "# B")
    assert fields(skill) == [("name", "str", "demo"), ("description", "str", "x")]
    # Columns count from after the BOM: `demo` starts in column 7 as an editor shows it.
    assert field(skill, "name").value.span == Span(2, 7, 2, 11)
    assert skill.body_start_line == 5
    assert [s.title for s in skill.sections] == ["B"]


def test_bom_in_text() -> None:
    skill = parse_text("\ufeff---\nname: demo\n---\n")
    assert skill.has_bom and skill.text.startswith("---")
    assert fields(skill) == [("name", "str", "demo")]


def test_only_line_feeds_split_lines() -> None:
    # A form feed or U+2028 inside a line does not start a new one (editors agree).
    skill = parse_text("---\nname: demo\ndescription: a\u2028b\n---\nx\x0cy\n")
    assert skill.lines[4] == "x\x0cy"
    assert len(skill.lines) == 5


def test_not_utf8_points_at_the_byte() -> None:
    skill = parse_bytes(b"---\nname: demo\ndescription: caf\xe9\n---\n")
    assert problems(skill) == [
        (
            ProblemKind.NOT_UTF8,
            Span(3, 17, 3, 18),
            "not UTF-8: byte 0xe9 at offset 31 (invalid continuation byte)",
        )
    ]


def test_binary_file() -> None:
    skill = parse_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert [p.message for p in skill.problems] == [
        "binary file (contains NUL bytes), not a text skill"
    ]


def test_parse_skill_takes_a_folder_a_file_or_text(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path)) / "demo"
    folder.mkdir()
    (folder / "SKILL.md").write_text("---\nname: demo\n---\n", encoding="utf-8")
    assert fields(parse_skill(folder)) == [("name", "str", "demo")]
    assert fields(parse_skill(str(folder / "SKILL.md"))) == [("name", "str", "demo")]
    from_text = parse_skill("---\nname: other\n---\n", path="x/SKILL.md")
    assert (fields(from_text), str(from_text.path)) == ([("name", "str", "other")], "x/SKILL.md")
    gone = parse_skill(folder / "missing")
    assert [p.kind for p in gone.problems] == [ProblemKind.UNREADABLE]


# --- positions ---------------------------------------------------------------------------------


def test_positions_of_keys_and_values() -> None:
    skill = parse_text(
        "---\nname: demo\ndescription:   spaced out  \nmetadata:\n"
        "  short-description: 'Tidy'\n---\n"
    )
    name, description, metadata = skill.front_matter.fields
    assert (name.key_span, name.value.span) == (Span(2, 1, 2, 5), Span(2, 7, 2, 11))
    assert description.value.span == Span(3, 16, 3, 26)
    assert description.value.text == "spaced out"
    assert metadata.key_span == Span(4, 1, 4, 9)
    (short,) = metadata.value.fields
    assert short.key_span == Span(5, 3, 5, 20)
    assert (short.value.span, short.value.style, short.value.text) == (
        Span(5, 22, 5, 28),
        "'",
        "Tidy",
    )


def test_value_span_of_an_empty_value() -> None:
    skill = parse_text("---\nname:\ndescription: x\n---\n")
    value = field(skill, "name").value
    assert (value.kind, value.text, value.span) == ("null", "", Span(2, 6, 2, 6))


# --- YAML 1.1 kinds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "scalar"),
    [
        ("no", "bool", False),
        ("Yes", "bool", True),
        ("on", "bool", True),
        ("OFF", "bool", False),
        ("y", "str", "y"),  # PyYAML reads a lone y/n as a string
        ("1.0", "float", 1.0),
        (".inf", "float", float("inf")),
        ("1e3", "str", "1e3"),  # YAML 1.1 floats need a dot
        ("42", "int", 42),
        ("0x1F", "int", 31),
        ("017", "int", 15),  # YAML 1.1 octal
        ("0o17", "str", "0o17"),  # YAML 1.2 octal is a string in 1.1
        ("1_000", "int", 1000),
        ("1:30", "int", 90),  # sexagesimal
        ("~", "null", None),
        ("null", "null", None),
        ("2024-01-01", "other", "2024-01-01"),  # a timestamp
        ("'no'", "str", "no"),
        ('"1.0"', "str", "1.0"),
        ("!!str 1", "str", "1"),
        ("hello world", "str", "hello world"),
    ],
)
def test_yaml_1_1_kinds(text: str, kind: str, scalar: object) -> None:
    value = field(parse_text(f"---\nx: {text}\n---\n"), "x").value
    assert (value.kind, value.scalar) == (kind, scalar)


def test_kind_keeps_the_text_as_written() -> None:
    value = field(parse_text("---\nname: no\n---\n"), "name").value
    assert (value.kind, value.text, value.style, value.is_string) == ("bool", "no", "", False)


def test_block_scalars() -> None:
    skill = parse_text(
        "---\ndescription: |\n  line one\n  line two\nfolded: >-\n  folded\n  text\n"
        "kept: |+\n  a\n\nlast: x\n---\n"
    )
    description = field(skill, "description").value
    assert (description.style, description.scalar) == ("|", "line one\nline two\n")
    assert description.span.line == 2 and description.span.column == 14
    folded = field(skill, "folded").value
    assert (folded.style, folded.scalar) == (">", "folded text")
    assert field(skill, "kept").value.scalar == "a\n\n"
    assert field(skill, "last").key_span.line == 11


def test_quoted_strings() -> None:
    skill = parse_text("---\nname: \"caf\\u00e9\"\ndescription: 'it''s'\n---\n")
    assert [(f.value.style, f.value.scalar) for f in skill.front_matter.fields] == [
        ('"', "café"),
        ("'", "it's"),
    ]


def test_collections() -> None:
    skill = parse_text("---\ntools: [Read, Bash]\nmeta:\n  a: 1\n  b: [x]\n---\n")
    tools = field(skill, "tools").value
    assert tools.kind == "seq"
    assert [(i.kind, i.text, i.span) for i in tools.items] == [
        ("str", "Read", Span(2, 9, 2, 13)),
        ("str", "Bash", Span(2, 15, 2, 19)),
    ]
    meta = field(skill, "meta").value
    assert [(f.key, f.value.kind) for f in meta.fields] == [("a", "int"), ("b", "seq")]
    assert meta.get("b") is not None and meta.get("c") is None


def test_duplicate_keys_are_kept_in_order_and_the_last_wins() -> None:
    skill = parse_text("---\nname: a\nname: b\nmetadata:\n  k: v\n  k: w\n---\n")
    assert [(f.key, f.key_span.line) for f in skill.front_matter.fields] == [
        ("name", 2),
        ("name", 3),
        ("metadata", 4),
    ]
    assert skill.front_matter.keys() == ("name", "metadata")
    assert field(skill, "name").value.text == "b"
    metadata = field(skill, "metadata").value
    assert [(f.key, f.value.text) for f in metadata.fields] == [("k", "v"), ("k", "w")]
    found = metadata.get("k")
    assert found is not None and found.value.text == "w"


def test_complex_key_gets_a_stand_in() -> None:
    skill = parse_text("---\n? [a, b]\n: c\n---\n")
    assert fields(skill) == [("<complex key>", "str", "c")]


# --- YAML errors and the shape of the document -------------------------------------------------


@pytest.mark.parametrize("pure_python", [False, True])
def test_unquoted_colon_gets_the_hint(pure_python: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if pure_python:  # the same message whether or not libyaml is installed
        monkeypatch.setattr(frontmatter_module, "_Loader", yaml.SafeLoader)
    skill = parse_text("---\nname: demo\ndescription: Use when: the user asks\n---\n")
    assert skill.front_matter.root_kind == "invalid"
    assert problems(skill) == [
        (
            # (Quotable: YAML reads it once the value is quoted, as Claude Code retries.)
            ProblemKind.YAML_SYNTAX_QUOTABLE,
            Span(3, 22, 3, 23),
            "YAML syntax error: mapping values are not allowed in this context (an unquoted "
            'value contains `: `; quote the whole value (description: "Use when: ...") or use a '
            "block scalar (`|`))",
        )
    ]


@pytest.mark.parametrize("pure_python", [False, True])
def test_tab_indentation_is_a_syntax_error_with_a_hint(
    pure_python: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if pure_python:
        monkeypatch.setattr(frontmatter_module, "_Loader", yaml.SafeLoader)
    skill = parse_text("---\nname: x\n\tdescription: y\n---\n")
    assert [(p.kind, p.span.line) for p in skill.problems] == [(ProblemKind.YAML_SYNTAX, 3)]
    assert skill.problems[0].message.endswith("(YAML does not allow tabs for indentation)")


@pytest.mark.parametrize("pure_python", [False, True])
def test_a_character_yaml_does_not_allow(
    pure_python: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if pure_python:
        monkeypatch.setattr(frontmatter_module, "_Loader", yaml.SafeLoader)
    skill = parse_text("---\nname: demo\ndescription: 'a\x7f'\n---\n")
    assert problems(skill) == [
        (
            ProblemKind.YAML_SYNTAX,
            Span(3, 16, 3, 17),
            "YAML syntax error: character U+007F is not allowed in YAML (remove it or write it "
            "as an escape in a double-quoted string)",
        )
    ]


def test_front_matter_that_is_not_a_mapping() -> None:
    skill = parse_text("---\n- a\n- b\n---\n")
    assert skill.front_matter.root_kind == "seq"
    assert problems(skill) == [
        (
            ProblemKind.YAML_NOT_MAPPING,
            Span(2, 1, 4, 1),
            "front matter must be a mapping of fields, not a list",
        )
    ]
    scalar = parse_text("---\njust text\n---\n")
    assert [p.message for p in scalar.problems] == [
        "front matter must be a mapping of fields, not a string"
    ]


# --- hostile YAML ------------------------------------------------------------------------------


def test_tags_are_reported_and_never_constructed() -> None:
    skill = parse_text(
        "---\nname: !!python/object/apply:os.system ['echo pwned']\nx: !custom foo\n---\n"
    )
    assert [(f.key, f.value.kind) for f in skill.front_matter.fields] == [
        ("name", "seq"),
        ("x", "other"),
    ]
    assert problems(skill) == [
        (
            ProblemKind.YAML_UNSUPPORTED,
            Span(2, 7, 2, 53),
            "YAML tag `!!python/object/apply:os.system` is not supported; it is "
            "kept as text and never constructed",
        ),
        (
            ProblemKind.YAML_UNSUPPORTED,
            Span(3, 4, 3, 15),
            "YAML tag `!custom` is not supported; it is kept as text and never constructed",
        ),
    ]


def test_aliases_under_the_budget_are_expanded() -> None:
    skill = parse_text("---\na: &x [1, 2]\nb: *x\n---\n")
    b = field(skill, "b").value
    assert [i.scalar for i in b.items] == [1, 2]
    assert b.span == Span(2, 4, 2, 13)  # an alias points at its anchor's node
    assert skill.problems == ()


def test_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for this, previous in zip("bcd", "abc", strict=True):
        lines.append(f"{this}: &{this} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines.append("e: [" + ",".join(["*d"] * 9) + "]")
    skill = parse_text("---\n" + "\n".join(lines) + "\n---\n")
    assert skill.front_matter.root_kind == "invalid"
    assert problems(skill) == [
        (
            ProblemKind.YAML_TOO_COMPLEX,
            Span(2, 1, 7, 1),
            f"front matter expands to more than {MAX_NODES} YAML nodes (aliases of aliases?); "
            "it was not read",
        )
    ]


_TOO_DEEP = f"front matter nests more than {MAX_DEPTH} levels deep; it was not read"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 999, 1000, 5000, 100_000])
@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ("{a: ", "}")])
@pytest.mark.parametrize("pure_python", [False, True])
def test_deep_flow_collections_never_raise(
    depth: int, opening: str, closing: str, pure_python: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if pure_python:  # the pure-Python composer recurses where libyaml has a limit
        monkeypatch.setattr(frontmatter_module, "_Loader", yaml.SafeLoader)
    skill = parse_text("---\nx: " + opening * depth + closing * depth + "\n---\n")
    assert skill.front_matter.root_kind == "invalid"
    assert [(p.kind, p.span.line, p.message) for p in skill.problems] == [
        (ProblemKind.YAML_TOO_COMPLEX, 2, _TOO_DEEP)
    ]


def test_nesting_within_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1
    skill = parse_text("---\nx: " + "[" * depth + "]" * depth + "\n---\n")
    assert skill.problems == ()
    assert field(skill, "x").value.kind == "seq"


def test_deep_block_sequence_never_raises() -> None:
    text = "---\nx:\n" + "".join("  " * i + "-\n" for i in range(3000)) + "---\n"
    assert [p.kind for p in parse_text(text).problems] == [ProblemKind.YAML_TOO_COMPLEX]
