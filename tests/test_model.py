"""The model classes whose __init__ is written out for speed (`skillkit.model._slot_setters`)
behave exactly as the dataclass-generated one would: same signature, every field set, frozen."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from skillkit.model import InlineCode, Section, Span, Token

WRITTEN_OUT: list[type[Any]] = [Span, Token, InlineCode, Section]


@pytest.mark.parametrize("cls", WRITTEN_OUT, ids=lambda cls: cls.__name__)
def test_signature_is_the_dataclass_one(cls: type[Any]) -> None:
    parameters = list(inspect.signature(cls).parameters.values())
    assert [(p.name, p.default, p.kind) for p in parameters] == [
        (
            field.name,
            inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        )
        for field in dataclasses.fields(cls)
    ]


@pytest.mark.parametrize("cls", WRITTEN_OUT, ids=lambda cls: cls.__name__)
def test_every_field_is_set_and_frozen(cls: type[Any]) -> None:
    names = [field.name for field in dataclasses.fields(cls)]
    values = {name: f"value of {name}" for name in names}
    by_keyword = cls(**values)
    by_position = cls(*values.values())
    assert by_keyword == by_position
    assert [getattr(by_keyword, name) for name in names] == list(values.values())
    assert pickle.loads(pickle.dumps(by_keyword)) == by_keyword
    assert dataclasses.replace(by_keyword, **{names[0]: "other"}) != by_keyword
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(by_keyword, names[0], "changed")


def test_defaults() -> None:
    span = Span(1, 2, 1, 3)
    assert Token("a", "'a'", span) == Token("a", "'a'", span, False, False, False)
    assert Section("T", 1, span, 1, 5).children == ()
    assert Span.at(3) == Span(3, 1, 3, 2)
    assert Span(1, 2, 3, 4) < Span(1, 3, 0, 0)
