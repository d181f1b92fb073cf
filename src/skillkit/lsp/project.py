"""Cross-skill findings (SK6xx) for the document open in the editor.

The project is the folder of the nearest config (`skillkit lint`'s root), else the editor's
workspace root; a skill in neither has no project (and no such findings). Every other skill of
it is taken as on disk, through the lint cache in the project's cache folder (the one `skillkit
lint` keeps there, so a warm project costs a few stats per skill); the open document's facts
come from the editor's text. Paths are shown relative to the root, so the messages are those
`skillkit lint` prints when run in the root.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from skillkit.config.resolver import Resolver
from skillkit.diagnostics import Diagnostic
from skillkit.engine.cache import LintCache
from skillkit.engine.check import FileResult
from skillkit.engine.discover import CACHE_FOLDER, discover_skills, list_folder
from skillkit.engine.per_file import lint_serially
from skillkit.engine.project import file_project_diagnostics
from skillkit.engine.runner import results_with_facts
from skillkit.render.engine import rendered_outputs
from skillkit.settings import Settings


def project_root(path: Path, settings: Settings, workspace_root: str | None) -> Path | None:
    """The folder whose skills are compared with the document at `path` (absolute), or None
    when the document belongs to no project: a skill opened from no workspace and under no
    config would make some guessed folder (the home folder, Downloads) the project, walked and
    given a cache folder on every save."""
    if settings.config_path is not None:
        return Path(os.path.abspath(settings.config_path.parent))
    if workspace_root:
        workspace = Path(os.path.abspath(workspace_root))
        if path.is_relative_to(workspace):
            return workspace
    return None


def project_findings(
    path: Path, document: FileResult, root: Path, *, use_cache: bool = True
) -> list[Diagnostic]:
    """The project rules' findings in the document at `path` (absolute; its per-file result
    `document` from the editor's text, with its facts), with every other skill under `root` as
    on disk and the settings of each file's nearest config, as `skillkit lint` gives them.
    A document that discovery skips (excluded, ignored by git) gets none, as in lint."""
    resolver = Resolver()
    base = resolver.settings_for(root)
    cache = LintCache(root / CACHE_FOLDER) if use_cache else None
    files, _missing = discover_skills(
        [root], base, lister=cache.list_folder if cache is not None else list_folder
    )
    own = os.path.abspath(path)
    shown = os.path.relpath(own, root)
    others = [file for file in files if os.path.abspath(file) != own]
    if len(others) == len(files):
        return []
    # The other skills through the runner's per-file step and the cache, in this process: forking
    # a server that runs threads can deadlock.
    linted = iter(
        results_with_facts(
            [(file, resolver.settings_for(file)) for file in others], lint_serially, cache
        )
    )
    results = [
        replace(document, path=shown)
        if os.path.abspath(file) == own
        else FileResult(os.path.relpath(os.path.abspath(file), root), (), next(linted).facts)
        for file in files
    ]
    return [
        _absolute_related(d, root)
        for d in file_project_diagnostics(results, base, shown, rendered_outputs)
    ]


def _absolute_related(diagnostic: Diagnostic, root: Path) -> Diagnostic:
    """The related locations by absolute path (the editor opens them); the message keeps the
    paths relative to the root."""
    related = tuple(
        replace(item, path=str(root / item.path)) if item.path is not None else item
        for item in diagnostic.related
    )
    return replace(diagnostic, related=related)
