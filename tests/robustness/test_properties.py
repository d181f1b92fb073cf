"""Property-based: parsing and linting never raise on any text or bytes, and every finding points
inside the file. Inputs are arbitrary, built from skill-shaped fragments, or real corpus skills
mutated (cut, lines swapped, delimiters doubled, unicode, CRLF, tabs, NUL bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillkit.parse import parse_bytes, parse_text
from skillkit.registry import all_rules
from tests.helpers import CORPUS, REPO_SKILL_FILES, corpus_cases
from tests.robustness.invariants import lint_everything

CORPUS_FILES = sorted(CORPUS.rglob("SKILL.md"))
# What the mutations start from: the corpus when it is beside the checkout, and always this
# repository's skills and every rule's example skills (so that a fresh clone mutates real
# shapes too).
EXAMPLE_TEXTS = [
    example.text if isinstance(example.text, bytes) else example.text.encode()
    for rule in sorted(all_rules().values(), key=lambda rule: rule.code)
    for _, example in rule.examples
    if example.text
]
SEED_BYTES = [
    *(path.read_bytes() for path in CORPUS_FILES),
    *(path.read_bytes() for path in REPO_SKILL_FILES),
    *EXAMPLE_TEXTS,
]

# Lines that steer the parsers into their branches: delimiters, YAML, headings, fences, shell.
FRAGMENTS = [
    "---",
    "name: demo",
    "description: Does a thing. Use when asked.",
    "description: >",
    "  folded",
    "metadata:",
    "  key: value",
    "allowed-tools: [Bash, Read]",
    "a: &a [x, x]",
    "b: [*a, *a]",
    "tag: !!python/object:os.system ls",
    "name: no",
    '"quoted: key": 1',
    "? [complex, key]",
    "# Title",
    "## Section #",
    "Setext",
    "===",
    "---",
    "- item",
    "  - nested",
    "1. step",
    "> quote",
    "```",
    "```sh",
    "~~~bash",
    "````",
    "$ vrctl app create <name> \\",
    "  --port 8080",
    "vrctl snapshot restore --yes",
    "cat <<'EOF'",
    "EOF",
    "echo $(date) ${HOME} `id` 'a' \"b\" > out 2>&1 | tee",
    "0 3 * * * /usr/bin/backup",
    "<!-- skillkit: disable SK101 -->",
    "<!--",
    "-->",
    "Run `vrctl status` and see [the docs](docs/x.md) or ![img](<a b.png>).",
    "[ref]: https://example.com",
    "\t\tindented with tabs",
    "    indented code",
    "`` ` ``",
    "\\",
    "",
]

line_text = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40))
line_end = st.sampled_from(["\n", "\r\n", "\r", ""])
skill_shaped = st.lists(st.tuples(line_text, line_end), max_size=40).map(
    lambda parts: "".join(text + end for text, end in parts)
)


@given(st.text())
def test_any_text(text: str) -> None:
    lint_everything(parse_text(text))


@given(st.binary())
def test_any_bytes(data: bytes) -> None:
    lint_everything(parse_bytes(data))


@given(skill_shaped)
def test_skill_shaped_text(text: str) -> None:
    lint_everything(parse_text(text))


@given(skill_shaped)
def test_skill_shaped_bytes_with_bom_and_nul(text: str) -> None:
    data = b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    lint_everything(parse_bytes(data))
    lint_everything(parse_bytes(data.replace(b"\n", b"\x00\n", 1)))


# --- Mutations of the real corpus -------------------------------------------------------------


def _cut(data: bytes, draw: st.DrawFn) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def _swap_lines(data: bytes, draw: st.DrawFn) -> bytes:
    lines = data.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _double_delimiter(data: bytes, draw: st.DrawFn) -> bytes:
    lines = data.split(b"\n")
    candidates = [
        i for i, line in enumerate(lines) if line.strip() in (b"---", b"```", b"~~~", b"-->")
    ]
    candidates = candidates or [0]
    i = draw(st.sampled_from(candidates))
    lines.insert(i, lines[i] if lines[i].strip() else b"---")
    return b"\n".join(lines)


def _drop_line(data: bytes, draw: st.DrawFn) -> bytes:
    lines = data.split(b"\n")
    del lines[draw(st.integers(0, len(lines) - 1))]
    return b"\n".join(lines)


def _insert(data: bytes, draw: st.DrawFn, piece: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + piece + data[at:]


def _unicode(data: bytes, draw: st.DrawFn) -> bytes:
    text = draw(st.text(min_size=1, max_size=8))
    return _insert(data, draw, text.encode("utf-8", "surrogatepass"))


def _crlf(data: bytes, draw: st.DrawFn) -> bytes:
    lines = data.split(b"\n")
    ends = draw(st.lists(st.sampled_from([b"\n", b"\r\n", b"\r"]), min_size=len(lines)))
    return b"".join(line + end for line, end in zip(lines, ends, strict=False))


def _tabs(data: bytes, draw: st.DrawFn) -> bytes:
    return data.replace(b"  ", b"\t", draw(st.integers(1, 50)))


def _nul(data: bytes, draw: st.DrawFn) -> bytes:
    return _insert(data, draw, b"\x00")


def _bad_byte(data: bytes, draw: st.DrawFn) -> bytes:
    return _insert(data, draw, bytes([draw(st.integers(0x80, 0xFF))]))


MUTATIONS = [
    _cut,
    _swap_lines,
    _double_delimiter,
    _drop_line,
    _unicode,
    _crlf,
    _tabs,
    _nul,
    _bad_byte,
]


@st.composite
def mutated_corpus(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(SEED_BYTES))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        data = mutation(data, draw)
    return data


@given(mutated_corpus())
def test_mutated_corpus(data: bytes) -> None:
    skill = parse_bytes(data)
    lint_everything(skill)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    lint_everything(parse_text(text))  # the text path too, NUL bytes and all


@pytest.mark.parametrize(
    "path",
    [
        *corpus_cases(CORPUS_FILES, lambda p: str(p.relative_to(CORPUS))),
        *(pytest.param(path, id=f"skills/{path.parent.name}") for path in REPO_SKILL_FILES),
    ],
)
def test_every_cut_of_a_corpus_skill(path: Path) -> None:
    """Not random: the file cut after each of its lines, so every block is seen half-open."""
    lines = path.read_bytes().split(b"\n")
    for count in range(0, len(lines), max(1, len(lines) // 40)):
        lint_everything(parse_bytes(b"\n".join(lines[:count])))


# --- LSP positions: the per-line table agrees with counting the code units one by one ----------

_LINE_CHARACTERS = st.sampled_from(["a", " ", "é", "€", "😀", "\U0001f9ea", "中", "\t"])


@given(
    st.lists(_LINE_CHARACTERS, max_size=40).map("".join),
    st.integers(min_value=-2, max_value=120),
    st.sampled_from(["utf-8", "utf-16", "utf-32"]),
)
def test_lsp_positions_match_counting_units(line: str, number: int, encoding: str) -> None:
    from skillkit.lsp.positions import character_to_column, column_to_character

    def units(text: str) -> int:
        if encoding == "utf-32":
            return len(text)
        return len(text.encode(encoding.replace("utf-16", "utf-16-le"))) // (
            2 if encoding == "utf-16" else 1
        )

    # Model column → LSP character: the units of the characters before it (clamped).
    index = min(max(number - 1, 0), len(line))
    assert column_to_character(line, number, encoding) == units(line[:index])
    # LSP character → model column: the longest prefix within `number` units, rounded down.
    fits = max((i for i in range(len(line) + 1) if units(line[:i]) <= number), default=0)
    assert character_to_column(line, number, encoding) == fits + 1
