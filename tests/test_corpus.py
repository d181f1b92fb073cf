"""The real corpus (`../shared/corpus/`, 28 skills written by others) and the seed skill.

The pin covers the families this suite owns (SK0 file, SK1 front matter, SK2 body, SK5
references), so that rules added in other families do not move it; their own corpus tests pin
those. Every pinned finding was checked by hand, and where a figure can be recomputed without
skillkit (a length, a line count, the last byte) the test recomputes it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from skillkit.cli import main
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.engine.library import lint_paths
from skillkit.parse import read_skill
from skillkit.settings import Settings
from tests.helpers import CORPUS, SEED, needs_shared

pytestmark = needs_shared

FAMILIES = ("SK0", "SK1", "SK2", "SK5")
SELECT = ",".join(FAMILIES)

A = "anthropics-skills"
OA = "openai-skills"
V = "viberun"
NO_FINAL_NEWLINE = "the file does not end with a line break"
NO_TRIGGER = '`description` says what the skill does but not when to use it (add "Use when ...")'

EXPECTED: list[tuple[str, str, int, str]] = [
    # The bytes of this copy end without a line break (recomputed in
    # test_final_newline_findings_match_the_bytes). True for this copy; upstream files may
    # differ, but the finding describes the file as it is.
    (f"{A}/algorithmic-art/SKILL.md", "SK204", 405, NO_FINAL_NEWLINE),
    (f"{A}/canvas-design/SKILL.md", "SK204", 130, NO_FINAL_NEWLINE),
    # An error, and the only one: 1,068 characters, over the spec's 1,024 (recomputed with
    # PyYAML below). The reference validator and claude.ai's upload reject it too.
    (
        f"{A}/claude-api/SKILL.md",
        "SK120",
        3,
        "`description` is 1,068 characters long; at most 1,024",
    ),
    # 570 body lines and 72,143 characters (recomputed below): over both of the spec's
    # recommendations. The finding sits on line 209, where the running estimate passes 5,000.
    (
        f"{A}/claude-api/SKILL.md",
        "SK202",
        209,
        "the body is 570 lines (at most 500) and about 18,036 tokens (at most 5,000); move "
        "detail into files under `references/`",
    ),
    # 481 lines (under 500) but 32,625 characters: over 5,000 tokens by characters/4 (8,157)
    # and by words*1.3 (6,696) alike, so the choice of estimate does not decide this one.
    (
        f"{A}/skill-creator/SKILL.md",
        "SK202",
        314,
        "the body is about 8,157 tokens (at most 5,000); move detail into files under "
        "`references/`",
    ),
    # SK122, each read by hand. "Toolkit for styling artifacts with a theme ... 10 pre-set
    # themes ... that you can apply to any artifact": what it is and what it can do, never when
    # an agent should pick it (no request, situation or trigger is named).
    (f"{A}/theme-factory/SKILL.md", "SK122", 3, NO_TRIGGER),
    (f"{A}/web-artifacts-builder/SKILL.md", "SK204", 74, NO_FINAL_NEWLINE),
    # "Toolkit for interacting with and testing local web applications using Playwright.
    # Supports verifying ...": a list of capabilities, no when.
    (f"{A}/webapp-testing/SKILL.md", "SK122", 3, NO_TRIGGER),
    (f"{A}/webapp-testing/SKILL.md", "SK204", 96, NO_FINAL_NEWLINE),
    # "Help address review/issue comments on the open GitHub PR ...; verify gh auth first and
    # prompt the user to authenticate if not logged in": the "if" is a step of the work, not
    # the occasion to use the skill.
    (f"{OA}/.curated/gh-address-comments/SKILL.md", "SK122", 3, NO_TRIGGER),
    # The seed itself ("Help run a long-lived background process under vrctl."): the issue
    # names this warning as true. cron-jobs and web-service are written the same way ("Help set
    # up and manage cron-based jobs ...", "Help run a web service under vrctl ..."), so the
    # same judgment holds; their sibling skills in viberun/ all add "Use when ...".
    (f"{V}/background-service/SKILL.md", "SK122", 3, NO_TRIGGER),
    (f"{V}/cron-jobs/SKILL.md", "SK122", 3, NO_TRIGGER),
    (f"{V}/web-service/SKILL.md", "SK122", 3, NO_TRIGGER),
]

# Not pinned because they do not fire, on purpose:
# - SK501/SK502: the corpus has 10 relative links (all in mcp-builder, all present) and 107
#   backticked skill paths that are checked, all present. The 13 backticked file paths that name
#   missing files are all hypothetical: the openai skill-creator's "Example: `scripts/
#   rotate_pdf.py`", "Examples: `references/finance.md`, ..." describe some other skill, and
#   the anthropic skill-creator's `evals/evals.json` is a file the agent is told to create in
#   the user's workspace (no `evals/` folder in the skill). The rule skips example sentences
#   and folders the skill does not have, so none of them fires.
# - canvas-design: SOURCES.md warns that its fonts were left out of this copy. The skill names
#   only the folder `./canvas-fonts` (a folder, not a `dir/file.ext` path, and present here with
#   the font licences), so nothing points at a missing font; had it named a `.ttf`, the finding
#   would be an artefact of the copy and would be listed here as such.


def _relative(diagnostic: Diagnostic) -> str:
    return Path(diagnostic.path).resolve().relative_to(CORPUS.resolve()).as_posix()


@pytest.fixture(scope="module")
def corpus_findings() -> list[Diagnostic]:
    result = lint_paths([CORPUS], Settings())
    assert len(result.files) == 28
    return [d for d in result.diagnostics if d.code.startswith(FAMILIES)]


def test_the_corpus_findings_are_pinned(corpus_findings: list[Diagnostic]) -> None:
    got = [(_relative(d), d.code, d.span.line, d.message) for d in corpus_findings]
    assert got == EXPECTED


def test_every_corpus_file_parses(corpus_findings: list[Diagnostic]) -> None:
    # No file-level problem, no YAML error, no internal error in any rule.
    result = lint_paths([CORPUS], Settings(select=("ALL",)))
    assert [d for d in result.diagnostics if d.code in ("SK000", "SK001", "SK002", "SK003")] == []
    assert [d for d in corpus_findings if d.code in ("SK101", "SK102", "SK103", "SK104")] == []


def test_the_only_error_is_the_long_description(corpus_findings: list[Diagnostic]) -> None:
    errors = [(_relative(d), d.code) for d in corpus_findings if d.severity is Severity.ERROR]
    assert errors == [(f"{A}/claude-api/SKILL.md", "SK120")]


def test_the_run_exits_1_because_of_that_error_only(capsys: pytest.CaptureFixture[str]) -> None:
    # Hermetic: no cache left by an earlier run, no config file found on the way up.
    run = ["lint", "--no-cache", "--isolated", "--format", "concise", "--select", SELECT]
    assert main([*run, str(CORPUS)]) == 1
    assert main([*run, "--ignore", "SK120", str(CORPUS)]) == 0
    capsys.readouterr()


def test_the_long_description_is_1068_characters() -> None:
    text = (CORPUS / A / "claude-api" / "SKILL.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert len(front["description"]) == 1068


def test_the_long_bodies_measure_as_pinned() -> None:
    claude_api = read_skill(CORPUS / A / "claude-api" / "SKILL.md")
    assert len(claude_api.body_lines) == 570
    assert len("\n".join(claude_api.body_lines)) == 72_143
    creator = read_skill(CORPUS / A / "skill-creator" / "SKILL.md")
    body = "\n".join(creator.body_lines)
    assert (len(creator.body_lines), len(body), len(body.split())) == (481, 32_625, 5_151)


def test_final_newline_findings_match_the_bytes(corpus_findings: list[Diagnostic]) -> None:
    without = sorted(
        path.relative_to(CORPUS).as_posix()
        for path in CORPUS.rglob("SKILL.md")
        if not path.read_bytes().endswith(b"\n")
    )
    assert without == sorted(_relative(d) for d in corpus_findings if d.code == "SK204")


def test_the_seed_gets_exactly_its_true_warnings(tmp_path: Path) -> None:
    [seed] = SEED.glob("*.txt")
    folder = tmp_path / "background-service"
    folder.mkdir()
    shutil.copyfile(seed, folder / "SKILL.md")
    diagnostics = lint_paths([folder], Settings()).diagnostics  # every default rule
    # Its description has no trigger; and its snapshot guidance is that of older viberun
    # releases (SK419, whose messages tests/test_corpus_commands.py pins): `viberun <app>
    # snapshot` and `restore` (lines 71, 76), a full ref passed as-is (74), restore
    # disconnecting the session (75).
    assert [(d.code, d.severity, d.span.line, d.span.column) for d in diagnostics] == [
        ("SK122", Severity.WARNING, 3, 14),
        ("SK419", Severity.WARNING, 71, 61),
        ("SK419", Severity.WARNING, 74, 12),
        ("SK419", Severity.WARNING, 75, 5),
        ("SK419", Severity.WARNING, 76, 53),
    ]
    assert diagnostics[0].message == NO_TRIGGER
