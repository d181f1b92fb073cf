"""Suppression comments in skills. (The full syntax arrives with the workflow issue; until then
findings pass through unchanged.)"""

from __future__ import annotations

from collections.abc import Iterable

from skillkit.diagnostics import Diagnostic
from skillkit.model import Skill
from skillkit.settings import Settings


def apply_suppressions(
    skill: Skill, diagnostics: Iterable[Diagnostic], settings: Settings
) -> list[Diagnostic]:
    return list(diagnostics)
