"""YAML in front matter: tags are never constructed, aliases and nesting cannot blow up, with
libyaml and with PyYAML's pure-Python parser alike."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skillkit.parse import frontmatter, parse_text
from tests.helpers import lint_text, triples
from tests.robustness.test_bounded_cost import BOMB

LOADERS = [pytest.param(yaml.SafeLoader, id="pure-python")]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    monkeypatch.setattr(frontmatter, "_Loader", request.param)
    return request.param  # type: ignore[no-any-return]


def test_python_tags_are_never_constructed(
    tmp_path: Path, loader: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a YAML constructor ran")

    # Nothing may construct: not the safe constructor, not the unsafe one.
    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_document", refuse)
    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_object", refuse)
    marker = tmp_path / "pwned"
    text = (
        "---\n"
        "name: demo\n"
        "description: Formats CSV files. Use when the user asks to tidy a CSV.\n"
        f'run: !!python/object/apply:os.system ["touch {marker}"]\n'
        "call: !!python/name:os.system\n"
        "---\n"
    )
    findings = lint_text(tmp_path, text, select=("SK108",))
    assert not marker.exists()
    assert triples(findings) == [
        (
            "SK108",
            4,
            "YAML tag `!!python/object/apply:os.system` is not supported; "
            "it is kept as text and never constructed",
        ),
        (
            "SK108",
            5,
            "YAML tag `!!python/name:os.system` is not supported; "
            "it is kept as text and never constructed",
        ),
    ]


def test_alias_bomb(loader: type) -> None:
    skill = parse_text(BOMB)
    assert [(p.kind.value, p.span.line, p.message) for p in skill.problems] == [
        (
            "yaml-too-complex",
            2,
            "front matter expands to more than 10000 YAML nodes (aliases of aliases?); "
            "it was not read",
        )
    ]


@pytest.mark.parametrize(
    "nested",
    [
        "a: " + "[" * 50_000 + "]" * 50_000,
        "a: " + "{b: " * 50_000 + "}" * 50_000,
        "".join(" " * depth + "k:\n" for depth in range(3_000)),
        "".join(" " * depth + "-\n" for depth in range(3_000)),
    ],
    ids=["flow-lists", "flow-maps", "block-maps", "block-lists"],
)
def test_deep_nesting_is_one_finding(loader: type, nested: str) -> None:
    skill = parse_text(f"---\n{nested}\n---\n")
    kinds = [problem.kind.value for problem in skill.problems]
    assert kinds == ["yaml-too-complex"], skill.problems
    assert skill.front_matter.root_kind == "invalid"
