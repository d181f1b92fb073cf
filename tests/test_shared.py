"""The `needs_shared` marker: what a fresh clone (no ../shared beside it) says, and CI refuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import corpus_cases, needs_shared_reason

REPO = Path(__file__).resolve().parents[1]


def test_the_one_reason_names_the_missing_part() -> None:
    assert needs_shared_reason(["corpus", "seed", "schemas"]) == (
        "needs ../shared/corpus beside the checkout"
    )
    assert needs_shared_reason(["schemas"]) == "needs ../shared/schemas beside the checkout"


def test_no_cases_gives_one_placeholder_not_an_empty_parameter_set() -> None:
    (case,) = corpus_cases([], str)
    assert case.id == "shared-absent"
    assert [mark.name for mark in case.marks] == ["needs_shared"]
    cases = corpus_cases(["a", "b"], str.upper)
    assert [(c.values, c.id) for c in cases] == [(("a",), "A"), (("b",), "B")]


MODULE = """
import pytest
from tests.helpers import corpus_cases

@pytest.mark.needs_shared
def test_reads_shared():
    pass

@pytest.mark.parametrize("path", corpus_cases([], str))
def test_each(path):
    pass
"""


@pytest.mark.parametrize(
    ("ci", "expected"), [("", "2 skipped"), ("true", "2 errors")], ids=["fresh-clone", "CI"]
)
def test_absent_shared_skips_and_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ci: str, expected: str
) -> None:
    # A checkout whose ../shared is absent: a copy of tests/ in a temporary folder.
    checkout = tmp_path / "clone"
    (checkout / "tests").mkdir(parents=True)
    for name in ("__init__.py", "conftest.py", "helpers.py"):
        (checkout / "tests" / name).write_bytes((REPO / "tests" / name).read_bytes())
    (checkout / "tests" / "test_it.py").write_text(MODULE, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "CI": ci, "PYTHONPATH": str(REPO / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rsf", "tests"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert expected in run.stdout, run.stdout + run.stderr
    assert "needs ../shared/corpus beside the checkout" in run.stdout
    assert "empty parameter set" not in run.stdout


def test_every_module_that_reads_shared_marks_it() -> None:
    # A module that imports a ../shared path uses the marker (or corpus_cases, which applies
    # it): else it fails in a fresh clone, or skips in CI without failing.
    unmarked = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        if path.name in ("helpers.py", "conftest.py"):
            continue
        text = path.read_text(encoding="utf-8")
        imports = [line for line in text.splitlines() if line.startswith("from tests.helpers")]
        reads_shared = any(
            name in line for line in imports for name in ("CORPUS", "SEED", "SCHEMAS", "SHARED")
        )
        if reads_shared and "needs_shared" not in text and "corpus_cases" not in text:
            unmarked.append(path.relative_to(REPO).as_posix())
    assert unmarked == []
