"""What is derived once and kept with the object it was derived from: the settings (the rules
they select, their rules' context) and a rules' context (what rules derive from its settings and
render view). One memo for both, owned by that object: no module-global memo keyed by `id`, and
no sharing between objects that could derive different values (a context built outside the engine,
without its render view, has a memo of its own)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

A = TypeVar("A")
T = TypeVar("T")


class Memo:
    """Values derived once, each kept under its key."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, derive: Callable[[A], T], argument: A) -> T:
        """The value kept under `key`; `derive(argument)` (then kept) the first time."""
        values = self._values
        if key in values:
            value: T = values[key]
            return value
        value = values[key] = derive(argument)
        return value

    def __reduce__(self) -> tuple[type[Memo], tuple[()]]:
        # Pickled empty: what was derived is no part of its owner (and may not pickle: the
        # rules), so that settings sent to a spawned worker process derive it there again.
        return (Memo, ())
