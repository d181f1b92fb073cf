"""The bytes of `skillkit config` (text and JSON) and `skillkit config-schema`, pinned: the
config module is restructured without changing what users and editors see. After a deliberate
change (a new key, a new rule), regenerate with
`SKILLKIT_UPDATE_GOLDEN=1 uv run pytest tests/test_config_output.py` and review the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skillkit.cli import main
from tests.helpers import write_skill

GOLDEN = Path(__file__).parent / "golden"

# Every top-level key set, so that each converter and each origin shows in the output.
EVERY_KEY = """\
# team settings
target = "viberun"
select = ["SK1", "SK3"]
extend-select = ["SK601"]
ignore = ["description-no-trigger"]
exclude = ["legacy/"]
required-sections = ["Usage"]
shared-sections = ["Guardrails", "*"]
max-file-bytes = 50000

[per-file-ignores]
"drafts/*" = ["SK12", "SK301"]

[severity]
SK121 = "error"
SK3 = "info"

[options]
min-description-length = 60

[[guardrails]]
prefix = "rm -rf"
message = "move files aside instead"
severity = "warning"

[[guardrails]]
pattern = "curl .*\\\\| *sh"
message = "no piping to a shell"

[render]
anything = { goes = true }
"""


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SKILLKIT_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed"


@pytest.fixture
def configured(in_tmp: Path) -> Path:
    write_skill(in_tmp, "---\nname: demo\ndescription: CSV helper.\n---\n\n# Demo\n")
    (in_tmp / "skillkit.toml").write_text(EVERY_KEY, encoding="utf-8")
    return in_tmp


def test_config_text_bytes(configured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config"]) == 0
    _check_golden("config.txt", capsys.readouterr().out)


def test_config_json_bytes(configured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "--format", "json", "--target", "codex"]) == 0
    out = capsys.readouterr().out.replace(str(configured), "<tmp>")
    _check_golden("config.json", out)


def test_config_schema_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config-schema"]) == 0
    _check_golden("config-schema.json", capsys.readouterr().out)
