"""docs/rules.md is generated from the registry; this fails when someone adds or changes a rule
without regenerating it (`uv run skillkit rules --format markdown > docs/rules.md`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillkit.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_md_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "markdown"]) == 0
    generated = capsys.readouterr().out
    assert DOCS.read_text(encoding="utf-8") == generated, (
        "docs/rules.md is stale: run `uv run skillkit rules --format markdown > docs/rules.md`"
    )


def test_rules_md_documents_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from skillkit.registry import all_rules

    text = DOCS.read_text(encoding="utf-8")
    for code, rule in all_rules().items():
        assert f"### {code} `{rule.name}`" in text


README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_fences_close_where_they_should() -> None:
    # A stray "``` text" line does not close a fence (a closing fence has no text after it): the
    # fence then swallows the paragraphs and headings after it. A line starting with the fence's
    # own marker inside it is such a mistake (examples of fences use a longer marker).
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(README.read_text(encoding="utf-8"))
    headings = {
        tokens[index + 1].content
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag in ("h2", "h3")
    }
    assert {"Development", "Oracles", "Benchmark"} <= headings
    for token in tokens:
        if token.type == "fence":
            inner = [line for line in token.content.splitlines() if line.startswith(token.markup)]
            assert inner == [], f"README line {token.map[0] + 1 if token.map else '?'}: {inner}"


def test_ci_runs_the_readme_test_command() -> None:
    # What a developer runs (the README's Development section) is what CI runs.
    readme = README.read_text(encoding="utf-8")
    development = readme.split("## Development", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    command = development.splitlines()[0].split("#", 1)[0].strip()
    assert command == "uv run pytest"
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci
    # And it starts from nothing: uv is installed when missing.
    assert "if ! command -v uv >/dev/null 2>&1; then" in ci
