"""`exclude` globs are relative to the config's folder, for `lint` and `lint --watch` alike."""

from __future__ import annotations

from pathlib import Path

from skillkit.engine.library import lint_paths
from skillkit.settings import Settings
from skillkit.watch import IncrementalLinter
from tests.helpers import write_skill

SKILL = "---\nname: {name}\ndescription: CSV helper.\n---\n\n# Demo\n"


def test_lint_and_watch_skip_the_same_files(in_tmp: Path) -> None:
    project = in_tmp / "project"
    write_skill(project, SKILL.format(name="kept"), "kept")
    write_skill(project / "drafts", SKILL.format(name="old"), "old")
    # `drafts/*` is anchored: it matches project/drafts/... only relative to the config's folder.
    settings = Settings(exclude=("drafts/*",), config_path=project / "skillkit.toml")
    expected = [str(Path("project/kept/SKILL.md"))]
    assert lint_paths(["project"], settings).files == expected
    assert IncrementalLinter(settings).run(["project"]).files == expected
