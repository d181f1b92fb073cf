"""Fixtures every test module may use (defined in tests.helpers)."""

from tests.helpers import in_tmp

__all__ = ["in_tmp"]
