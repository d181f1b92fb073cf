"""Hypothesis profiles for the robustness suite.

`ci` (the default, and what CI runs) keeps the whole suite to a few minutes on two cores;
`thorough` is for a run by hand: `HYPOTHESIS_PROFILE=thorough uv run pytest tests/robustness`.
No deadline: a slow example on a loaded machine is not a failure (hangs are caught by the
bounded-cost tests, with a timeout on a subprocess).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
