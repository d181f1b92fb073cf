"""Fixtures every test module may use (defined in tests.helpers), and the `needs_shared` marker:
a test that reads `../shared` skips in a fresh clone, and fails under CI=true (CI has `../shared`,
so a skip there would hide a test that no longer runs)."""

from __future__ import annotations

import os

import pytest

from tests.helpers import in_tmp, missing_shared, needs_shared_reason

__all__ = ["in_tmp"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs_shared: reads ../shared (corpus, seed, schemas) beside the checkout"
    )
    config.addinivalue_line(
        "markers",
        "needs_index: installs from the package index (skipped when it cannot be reached; "
        "deselect with -m 'not needs_index')",
    )


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("needs_shared") is None:
        return
    missing = missing_shared()
    if not missing:
        return
    reason = needs_shared_reason(missing)
    if in_ci():
        pytest.fail(f"{reason} (CI=true: CI has ../shared and must run every test)")
    pytest.skip(reason)
