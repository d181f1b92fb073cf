"""The Markdown block scanner (`skillkit.parse.markdown`): exact headings, fences, comments and
problems; then markdown-it-py as an oracle on every corpus skill and on generated documents.

The scanner must agree with markdown-it-py (CommonMark) on heading lines, levels and titles and on
fenced code block line ranges. Listed exceptions, each a deliberate choice:
- Block quotes are not looked into: a heading or a fence inside `> ...` is quoted text, not the
  skill's structure (the oracle's tokens inside a blockquote are left out).
- A multi-line setext title is joined with single spaces (markdown-it keeps the line breaks and
  the continuation lines' indentation in the inline content; the oracle's title is normalised).
- Lazy continuation lines indented 4-5 columns under an ordered item whose marker is itself
  indented 3 columns (`   1. x` then `    - y`): markdown-it's answer depends on its
  `listIndent` special case; no real skill is written so, and the generated documents leave the
  3-space-indented ordered marker out.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from skillkit.model import CodeBlock, ProblemKind, Skill, Span
from skillkit.parse import parse_text, read_skill
from skillkit.parse.markdown import scan_blocks
from tests.helpers import CORPUS, corpus_cases, needs_shared

FM = "---\nname: demo\ndescription: d\n---\n"  # 4 lines: the body starts on line 5


def parse(body: str) -> Skill:
    return parse_text(FM + body)


def headings(skill: Skill) -> list[tuple[int, int, str]]:
    return [(s.span.line, s.level, s.title) for s in skill.all_sections()]


def fences(skill: Skill) -> list[tuple[int, int, str, bool]]:
    return [(b.span.line, b.span.end_line, b.info, b.closed) for b in skill.code_blocks]


# --- headings ---------------------------------------------------------------------------------


def test_atx_headings_levels_and_titles() -> None:
    skill = parse(
        "# One\n## Two ##\n###### Six\n####### seven\n#hashtag\n   # Three spaces\n"
        "    # four spaces is code\n#\tTab\n# #\n"
    )
    assert headings(skill) == [
        (5, 1, "One"),
        (6, 2, "Two"),
        (7, 6, "Six"),
        (10, 1, "Three spaces"),
        (12, 1, "Tab"),
        (13, 1, ""),
    ]


def test_atx_heading_span_is_the_whole_line() -> None:
    skill = parse("## Usage  \n")
    assert skill.sections[0].span == Span(5, 1, 5, 11)


def test_setext_headings() -> None:
    skill = parse("Title\n=====\n\nSub\n---\n\nline one\nline two\n===\n")
    assert headings(skill) == [(5, 1, "Title"), (8, 2, "Sub"), (11, 1, "line one line two")]
    # A setext heading's span runs from its first title line through the underline.
    assert skill.sections[0].span == Span(5, 1, 6, 6)
    assert skill.all_sections()[2].span == Span(11, 1, 13, 4)


def test_dashes_after_list_item_or_blank_line_are_not_setext() -> None:
    assert headings(parse("- item\n---\n")) == []
    assert headings(parse("para\n\n---\n")) == []
    assert headings(parse("para\n***\n")) == []


def test_section_tree_nesting_and_ranges() -> None:
    skill = parse("intro\n# A\n## A1\ntext\n## A2\n# B\n### B1\n")
    (a, b) = skill.sections
    assert (a.title, a.start_line, a.end_line) == ("A", 6, 9)
    assert [(c.title, c.start_line, c.end_line) for c in a.children] == [
        ("A1", 7, 8),
        ("A2", 9, 9),
    ]
    assert (b.title, b.start_line, b.end_line) == ("B", 10, 11)
    assert [(c.title, c.level) for c in b.children] == [("B1", 3)]
    assert skill.section_at(8) == a.children[0]
    assert [s.title for s in skill.sections_at(8)] == ["A", "A1"]
    assert skill.section_at(5) is None


# --- fences ------------------------------------------------------------------------------------


def test_hash_inside_fence_is_not_a_heading() -> None:
    skill = parse("```bash\n# a comment\n```\n# Real\n")
    assert headings(skill) == [(8, 1, "Real")]
    assert fences(skill) == [(5, 7, "bash", True)]
    assert skill.code_blocks[0].text == "# a comment\n"
    assert skill.code_lines == frozenset({6})


def test_tilde_and_long_fences_need_a_matching_closer() -> None:
    skill = parse("~~~~\n```\n~~~\n~~~~~\n# after\n````md\n```\ninner\n```\n````\n")
    assert fences(skill) == [(5, 8, "", True), (10, 14, "md", True)]
    assert skill.code_blocks[0].text == "```\n~~~\n"
    assert skill.code_blocks[1].text == "```\ninner\n```\n"
    assert headings(skill) == [(9, 1, "after")]


def test_info_string_and_language() -> None:
    skill = parse("```Bash title=x.sh\necho\n```\n~~~ a`b\nx\n~~~\n")
    assert [(b.info, b.language) for b in skill.code_blocks] == [
        ("Bash title=x.sh", "bash"),
        ("a`b", "a`b"),
    ]


def test_backtick_fence_info_with_a_backtick_is_not_a_fence() -> None:
    assert fences(parse("``` a`b\ntext\n```\n")) == [(7, 7, "", False)]


def test_closing_fence_rules() -> None:
    # A closer with trailing text, or indented 4+ columns, does not close.
    skill = parse("```\ncode\n``` x\n    ```\n```\n")
    assert fences(skill) == [(5, 9, "", True)]
    assert skill.code_blocks[0].text == "code\n``` x\n    ```\n"


def test_fence_indented_in_a_list_item() -> None:
    skill = parse("1. Step\n\n   ```bash\n   echo hi\n     two\n   ```\n\n2. Next\n")
    (block,) = skill.code_blocks
    assert (block.span, block.indent, block.content_line) == (Span(7, 4, 10, 7), 3, 8)
    assert block.text == "echo hi\n  two\n"


def test_fence_in_a_bullet_item_and_after_a_marker() -> None:
    assert fences(parse("- a\n  ```sh\n  ls\n  ```\n- b\n")) == [(6, 8, "sh", True)]
    assert fences(parse("- ```sh\n  ls\n  ```\n")) == [(5, 7, "sh", True)]
    assert headings(parse("1. # Title\n")) == [(5, 1, "Title")]


def test_items_that_start_with_emphasis_or_code_hold_their_fences() -> None:
    # `**` and `` ` `` after a marker are text (not a nested marker, a break or a fence): the
    # item's content starts after the one space, so a fence indented two columns is inside it.
    skill = parse("- **Run**:\n\n  ```sh\n  x\n  ```\n- `y`\n  ```\n  z\n  ```\n**Done**\n")
    assert fences(skill) == [(7, 9, "sh", True), (11, 13, "", True)]
    assert [b.indent for b in skill.code_blocks] == [2, 2]
    assert fences(parse("- ***\n  ```\n  x\n  ```\n")) == [(6, 8, "", True)]  # a break, then code


def test_four_space_indent_outside_a_list_is_indented_code() -> None:
    skill = parse("para\n\n    ```\n    # not a heading\n    ```\n# H\n")
    assert fences(skill) == []
    assert headings(skill) == [(10, 1, "H")]


def test_unclosed_fence_runs_to_the_end_and_is_a_problem() -> None:
    skill = parse("# T\n```sh\ncode\n# not a heading\n")
    assert fences(skill) == [(6, 8, "sh", False)]
    assert headings(skill) == [(5, 1, "T")]
    assert [(p.kind, p.span, p.message) for p in skill.problems] == [
        (
            ProblemKind.UNCLOSED_FENCE,
            Span(6, 1, 6, 4),
            "code fence ``` opened here is never closed; the rest of the file is read as code",
        )
    ]


def test_fence_cut_by_the_end_of_its_list_item() -> None:
    skill = parse("1. Run:\n   ```bash\n   ls\ncd x\n   ```\n")
    # The would-be closer on line 9 then opens a fence of its own that runs to the end.
    assert fences(skill) == [(6, 7, "bash", False), (9, 9, "", False)]
    assert [(p.kind, p.span.line, p.message) for p in skill.problems] == [
        (
            ProblemKind.UNCLOSED_FENCE,
            6,
            "code fence ``` opened here is not closed inside its list item, which ends on line 8 "
            "(indent the code and the closing fence like the item)",
        ),
        (
            ProblemKind.UNCLOSED_FENCE,
            9,
            "code fence ``` opened here is never closed; the rest of the file is read as code",
        ),
    ]


# --- HTML --------------------------------------------------------------------------------------


def test_html_comments() -> None:
    skill = parse("<!-- one -->\n<!-- two\n# not a heading\n-->\n# yes\n")
    assert [(c.text, c.span) for c in skill.comments] == [
        ("one", Span(5, 1, 5, 13)),
        ("two\n# not a heading", Span(6, 1, 8, 4)),
    ]
    assert headings(skill) == [(9, 1, "yes")]


def test_unclosed_comment_runs_to_the_end() -> None:
    skill = parse("<!-- open\n# hidden\n")
    assert [c.span for c in skill.comments] == [Span(5, 1, 6, 1)]
    assert headings(skill) == []


def test_html_blocks_hide_headings_until_a_blank_line() -> None:
    assert headings(parse("<div>\n# inside\n</div>\n\n# after\n")) == [(9, 1, "after")]
    assert headings(parse("<example>\n# inside\n\n# after\n")) == [(8, 1, "after")]
    assert headings(parse("<pre>\n\n# inside\n</pre>\n# after\n")) == [(9, 1, "after")]
    # A custom tag cannot interrupt a paragraph: the heading after it is one.
    assert headings(parse("text\n<example>\n# real\n")) == [(7, 1, "real")]


def test_scan_blocks_starts_at_the_given_line() -> None:
    found = scan_blocks(["# skipped", "# kept"], 2)
    assert [(s.title, s.span.line) for s in found.sections] == [("kept", 2)]


def test_crlf_and_no_final_newline() -> None:
    skill = parse_text(FM.replace("\n", "\r\n") + "# A\r\n```sh\r\nls\r\n```")
    assert headings(skill) == [(5, 1, "A")]
    assert fences(skill) == [(6, 8, "sh", True)]
    assert skill.code_blocks[0].text == "ls\n"


# --- the oracle --------------------------------------------------------------------------------

_MD = MarkdownIt("commonmark")


def oracle(lines: list[str], offset: int = 0) -> tuple[list[tuple[int, int, str]], list[Span]]:
    """Headings (line, level, title) and fences (first, last line) as markdown-it-py sees them."""
    tokens = _MD.parse("\n".join(lines) + "\n")
    found_headings: list[tuple[int, int, str]] = []
    found_fences: list[Span] = []
    quoted = 0
    for index, token in enumerate(tokens):
        quoted += {"blockquote_open": 1, "blockquote_close": -1}.get(token.type, 0)
        if quoted or token.map is None:
            continue
        first, end = token.map
        if token.type == "heading_open":
            title = " ".join(tokens[index + 1].content.split())
            found_headings.append((first + 1 + offset, int(token.tag[1]), title))
        elif token.type == "fence":
            found_fences.append(Span(first + 1 + offset, 0, end + offset, 0))
    return found_headings, found_fences


def scanned(skill: Skill) -> tuple[list[tuple[int, int, str]], list[Span]]:
    blocks: tuple[CodeBlock, ...] = skill.code_blocks
    return headings(skill), [Span(b.span.line, 0, b.span.end_line, 0) for b in blocks]


SKILL_FILES = sorted(CORPUS.rglob("SKILL.md"))
REPO_SKILLS = sorted((Path(__file__).resolve().parents[1] / "skills").rglob("SKILL.md"))


@needs_shared
def test_the_corpus_is_there() -> None:
    assert len(SKILL_FILES) == 28


def _case_id(path: Path) -> str:
    return str(path.relative_to(path.parents[1]))


@pytest.mark.parametrize(
    "path",
    [
        *corpus_cases(SKILL_FILES, _case_id),
        *(pytest.param(path, id=_case_id(path)) for path in REPO_SKILLS),
    ],
)
def test_scanner_agrees_with_markdown_it_on_real_skills(path: Path) -> None:
    skill = read_skill(path)
    body = list(skill.lines[skill.body_start_line - 1 :])
    assert scanned(skill) == oracle(body, skill.body_start_line - 1)


@needs_shared
def test_corpus_has_structure_to_compare() -> None:
    # The oracle test means something only if the corpus has headings and fences in numbers.
    skills = [read_skill(path) for path in SKILL_FILES]
    assert sum(len(s.all_sections()) for s in skills) > 200
    assert sum(len(s.code_blocks) for s in skills) > 50
    assert any(b.indent > 0 for s in skills for b in s.code_blocks)


# Lines that stress the scanner: headings, fences of both kinds and any indent, list items, HTML,
# setext underlines, tabs. (No `>` quotes and no `   1. ` marker: see the module docstring.)
_SNIPPETS = (
    "# H", "## Sub", "text", "more text", "", "", "- item", "1. step", "2. step", "   indented",
    "  two", "    four", "```", "```bash", "~~~", "````", "  ```", "   ```sh", "     ```", "===",
    "---", "***", "<div>", "</div>", "<example>", "<br/>", "<!-- c -->", "<!--", "-->",
    "    - nested", "  - sub", "   # h3", "* star", "+ plus", "10. ten", "-", "1.", "#", "# a #",
    "\t```", "\tcode", "      ```", "      code", "- **b**", "**b**", "- `c`", "`c`", "- ** x",
    "- ***", "* **a", "1. `x`",
)  # fmt: skip


def test_scanner_agrees_with_markdown_it_on_generated_documents() -> None:
    generator = random.Random(20260809)
    for _ in range(3000):
        lines = [generator.choice(_SNIPPETS) for _ in range(generator.randint(1, 9))]
        found = scan_blocks(lines, 1)
        got = (
            [(s.span.line, s.level, s.title) for top in found.sections for s in top.walk()],
            [Span(b.span.line, 0, b.span.end_line, 0) for b in found.code_blocks],
        )
        assert got == oracle(lines), "\n".join(lines)
