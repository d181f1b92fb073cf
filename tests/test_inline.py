"""Inline Markdown (`skillkit.parse.inline`): code spans and links with exact spans, and
markdown-it-py as an oracle for both on every corpus skill.

Known limitation (no corpus skill has one): a code span or link broken across two lines is not
found, because the scan is line by line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from skillkit.model import Span
from skillkit.parse import parse_text, read_skill
from skillkit.parse.inline import _code_spans, _code_spans_by_run
from tests.helpers import CORPUS, REPO_SKILL_FILES, corpus_cases, needs_shared

FM = "---\nname: demo\n---\n"  # the body starts on line 4


def code_spans(body: str) -> list[tuple[str, Span]]:
    return [(c.text, c.span) for c in parse_text(FM + body).inline_code]


def links(body: str) -> list[tuple[str, str, bool, Span]]:
    return [(link.text, link.target, link.image, link.span) for link in parse_text(FM + body).links]


def test_code_spans() -> None:
    assert code_spans("Use `vrctl status` and ``a ` b`` and `` `x` ``.\n") == [
        ("vrctl status", Span(4, 6, 4, 18)),
        ("a ` b", Span(4, 26, 4, 31)),
        ("`x`", Span(4, 41, 4, 44)),
    ]


def test_escaped_and_unmatched_backticks() -> None:
    # `\`` is a literal backtick; the next run opens a span that the last one closes.
    assert code_spans("\\`not` code`.\n") == [(" code", Span(4, 7, 4, 12))]
    assert code_spans("`unclosed and ``two``\n") == [("two", Span(4, 17, 4, 20))]


def test_no_code_spans_in_code_blocks_or_comments() -> None:
    assert code_spans("```md\n`x`\n```\n<!-- `y` -->\n\n    `indented code`\n") == []
    # Indented under an open paragraph, a line is more of the paragraph.
    assert code_spans("para\n    `more`\n") == [("more", Span(5, 6, 5, 10))]


def test_links_and_images() -> None:
    body = (
        "See [ref](references/x.md), ![img](<assets/a b.png>), [t](https://x.y/(a)) and "
        '`[c](d.md)` [q](b.md "title").\n[r]: scripts/run.sh\n'
    )
    assert links(body) == [
        ("ref", "references/x.md", False, Span(4, 11, 4, 26)),
        ("img", "assets/a b.png", True, Span(4, 37, 4, 51)),
        ("t", "https://x.y/(a)", False, Span(4, 59, 4, 74)),
        ("q", "b.md", False, Span(4, 96, 4, 100)),
        ("r", "scripts/run.sh", False, Span(5, 6, 5, 20)),
    ]


def test_not_links() -> None:
    assert links("[a] (b.md)\n```\n[c](d.md)\n```\n<!-- [e](f.md) -->\n") == []


def test_computed_once() -> None:
    skill = parse_text(FM + "`x` [a](b.md)\n")
    assert skill.inline_code is skill.inline_code
    assert skill.links is skill.links


# --- the oracle --------------------------------------------------------------------------------

_MD = MarkdownIt("commonmark")
SKILL_FILES = sorted(CORPUS.rglob("SKILL.md"))


def _oracle(body: str) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    targets: list[str] = []

    def walk(tokens: list[Token]) -> None:
        for token in tokens:
            if token.type == "code_inline":
                codes.append(token.content)
            elif token.type == "link_open":
                targets.append(str(token.attrs["href"]))
            elif token.type == "image":
                targets.append(str(token.attrs["src"]))
            if token.children:
                walk(token.children)

    walk(_MD.parse(body))
    return codes, targets


def _case_id(path: Path) -> str:
    return str(path.relative_to(path.parents[1]))


@pytest.mark.parametrize(
    "path",
    [
        *corpus_cases(SKILL_FILES, _case_id),
        *(pytest.param(path, id=_case_id(path)) for path in REPO_SKILL_FILES),
    ],
)
def test_inline_code_and_links_agree_with_markdown_it(path: Path) -> None:
    skill = read_skill(path)
    body = "\n".join(skill.lines[skill.body_start_line - 1 :])
    assert ([c.text for c in skill.inline_code], [link.target for link in skill.links]) == (
        _oracle(body)
    )


@needs_shared
def test_the_corpus_has_inline_code_to_compare() -> None:
    assert sum(len(read_skill(path).inline_code) for path in SKILL_FILES) > 1000


# --- the two ways of finding code spans agree --------------------------------------------------


@given(st.text(alphabet="`` `\\a", max_size=40))
def test_code_span_regex_agrees_with_the_run_scan(line: str) -> None:
    # The regex reads lines of ordinary length; the run scan (linear on any line) the long ones.
    by_run = _code_spans_by_run(line)
    assert _code_spans(line) == by_run
    # (after an `x`, so that no line is read as indented code)
    found = [
        (c.text, c.span.column - 2, c.span.end_column - 2)
        for c in parse_text(FM + "x" + line).inline_code
    ]
    expected: list[tuple[str, int, int]] = []
    for _, start, end, _ in by_run:
        content = line[start:end]
        if len(content) > 2 and content[0] == content[-1] == " " and content.strip():
            content, start, end = content[1:-1], start + 1, end - 1
        expected.append((content, start, end))
    assert found == expected


def test_code_spans_on_a_long_line() -> None:
    line = "`a` " * 300 + "``b ` c``"  # over the regex's length limit: read by the run scan
    found = code_spans(line + "\n")
    assert len(found) == 301
    assert found[0] == ("a", Span(4, 2, 4, 3))
    assert found[-1] == ("b ` c", Span(4, 1203, 4, 1208))
