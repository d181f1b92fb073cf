"""The pre-commit hooks, end to end with the real pre-commit framework: `pre-commit try-repo` on a
snapshot of this repository, in a temporary git repository with nested skills.

pre-commit builds this repository into a virtual environment (from the package index, the only
network it needs), so the first test of a session takes some seconds; the environment is shared
by the tests of this module. Marked `needs_index`: skipped, with the reason, when a quick probe
cannot reach the index (`-m 'not needs_index'` leaves them out on purpose).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillkit.cli import COMMANDS

REPO = Path(__file__).resolve().parents[1]
GIT = shutil.which("git")
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
GOOD = "description: Formats CSV files. Use when the user asks to tidy a CSV."

PACKAGE_INDEX = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple/")


@functools.cache
def index_unreachable() -> str | None:
    """Why the package index cannot be reached (pre-commit installs this repository from it),
    or None: a quick probe, so that an offline machine skips in seconds rather than failing."""
    try:
        request = urllib.request.Request(PACKAGE_INDEX, method="HEAD")
        with urllib.request.urlopen(request, timeout=5):
            return None
    except urllib.error.HTTPError:
        return None  # the index answered
    except (OSError, ValueError) as error:
        return f"needs the package index ({PACKAGE_INDEX}), not reachable: {error}"


pytestmark = [
    pytest.mark.needs_index,
    pytest.mark.skipif(GIT is None, reason="git is not installed"),
]


@pytest.fixture(scope="module", autouse=True)
def _index_reachable() -> None:
    reason = index_unreachable()
    if reason is not None:
        pytest.skip(reason)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run([str(GIT), *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_COLOR": "1",
    }
    env.pop("VIRTUAL_ENV", None)
    yield env


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory, environment: dict[str, str]) -> Path:
    """This repository's working tree (tracked and new files, not ignored ones), committed in a
    temporary repository: try-repo installs HEAD, and the tree under test may not be committed."""
    listed = subprocess.run(
        [str(GIT), "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    snapshot = tmp_path_factory.mktemp("hooks-repo")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", "-A")
    subprocess.run(
        [str(GIT), "commit", "-qm", "snapshot"], cwd=snapshot, check=True, env=environment
    )
    return snapshot


def _project(root: Path, files: dict[str, str], environment: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not (root / ".git").exists():
        _git(root, "init", "-q")
    _git(root, "add", "-A")
    return root


def _try_repo(
    project: Path, hooks_repo: Path, hook: str, environment: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(hooks_repo), hook, "--all-files"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_lint_hook_fails_on_a_nested_bad_skill_and_passes_once_fixed(
    tmp_path: Path, hooks_repo: Path, environment: dict[str, str]
) -> None:
    project = _project(
        tmp_path,
        {
            ".claude/skills/x/SKILL.md": f"---\nname: x\n{GOOD}\n---\n\n# X\n\nSteps.\n",
            "skills/y/SKILL.md": f"---\nname: wrong\n{GOOD}\n---\n\n# Y\n\nSteps.\n",
            "README.md": "not a skill\n",
        },
        environment,
    )
    failed = _try_repo(project, hooks_repo, "skillkit-lint", environment)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert (
        "skills/y/SKILL.md:2:7: SK112 `name` is `wrong` but the folder is `y`; they must be equal"
        in failed.stdout
    )
    # Both nested skills were named to the hook (and nothing else).
    assert "Found 1 error in 2 files checked." in failed.stdout

    _project(
        project, {"skills/y/SKILL.md": f"---\nname: y\n{GOOD}\n---\n\n# Y\n\nSteps.\n"}, environment
    )
    passed = _try_repo(project, hooks_repo, "skillkit-lint", environment)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "skillkit lint" in passed.stdout and "Passed" in passed.stdout


RENDER_CONFIG = f"""
[render]

[[render.outputs]]
template = "y.md.j2"
path = "y/SKILL.md"

[render.outputs.front-matter]
name = "y"
description = "{GOOD.removeprefix("description: ")}"
"""


@pytest.mark.skipif("render" not in COMMANDS, reason="`skillkit render` is not on main yet")
def test_render_hook_fails_on_a_stale_output(
    tmp_path: Path, hooks_repo: Path, environment: dict[str, str]
) -> None:
    project = _project(
        tmp_path,
        {
            "skillkit.toml": RENDER_CONFIG,
            "templates/y.md.j2": "# Y\n\nSteps.\n",
        },
        environment,
    )
    subprocess.run(
        [sys.executable, "-m", "skillkit", "render"], cwd=project, check=True, env=environment
    )
    _project(project, {}, environment)
    passed = _try_repo(project, hooks_repo, "skillkit-render-check", environment)
    assert passed.returncode == 0, passed.stdout + passed.stderr

    _project(project, {"templates/y.md.j2": "# Y\n\nNew steps.\n"}, environment)
    failed = _try_repo(project, hooks_repo, "skillkit-render-check", environment)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "skills/y/SKILL.md" in failed.stdout
    assert "-Steps.\n+New steps." in failed.stdout

    # The lint hook, named a template, lints what it renders.
    _project(project, {"templates/y.md.j2": "# Y\n\nRun `vrctl service ad x`.\n"}, environment)
    linted = _try_repo(project, hooks_repo, "skillkit-lint", environment)
    assert linted.returncode == 1, linted.stdout + linted.stderr
    assert "SK401 unknown subcommand `vrctl service ad`" in linted.stdout


def _readme_local_hooks() -> str:
    """The README's `repo: local` pre-commit config, as a user copies it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```yaml\n")[1:]
    (local,) = [block.split("```", 1)[0] for block in blocks if "- repo: local" in block]
    return local


def test_the_readme_local_hooks_run_skillkit_with_uv(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    # The form that works without publishing skillkit: a dev dependency by path, run by uv.
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    project = _project(
        tmp_path,
        {
            ".pre-commit-config.yaml": _readme_local_hooks(),
            "pyproject.toml": '[project]\nname = "team-skills"\nversion = "0"\n'
            'requires-python = ">=3.11"\n',
            ".claude/skills/x/SKILL.md": f"---\nname: x\n{GOOD}\n---\n\n# X\n\nSteps.\n",
            "skills/y/SKILL.md": f"---\nname: wrong\n{GOOD}\n---\n\n# Y\n\nSteps.\n",
        },
        environment,
    )
    subprocess.run(
        [uv, "add", "--quiet", "--dev", str(REPO)],
        cwd=project,
        env=environment,
        check=True,
        capture_output=True,
        timeout=600,
    )
    _git(project, "add", "-A")
    ran = subprocess.run(
        [str(PRE_COMMIT), "run", "skillkit-lint", "--all-files"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert (
        "skills/y/SKILL.md:2:7: SK112 `name` is `wrong` but the folder is `y`; they must be equal"
        in ran.stdout
    )
    assert "Found 1 error in 2 files checked." in ran.stdout
