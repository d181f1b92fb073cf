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
