"""The watcher reads skills as safely as lint does: what cannot be read is a finding, not a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skillkit.settings import Settings
from skillkit.watch import IncrementalLinter
from tests.helpers import triples


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_named_skill_md_is_reported_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    os.mkfifo(tmp_path / "demo" / "SKILL.md")
    result = IncrementalLinter(Settings()).run([tmp_path])
    assert triples(result.diagnostics) == [
        ("SK001", 1, "cannot read file: it is a named pipe (FIFO)")
    ]
