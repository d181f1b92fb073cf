"""The lint cache takes a file's dependencies from what its rules looked at through the context
(skillkit.context.Files): a change to anything they looked at, and only that, lints it again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from skillkit.context import FILE, LISTED, MISSING, PROBED, RESOLVED, STATED, Files, stamp
from skillkit.engine.library import lint_paths
from skillkit.engine.runner import LintResult
from skillkit.settings import Settings
from tests.helpers import write_skill

AN_HOUR = 3_600_000_000_000


def _age(*paths: Path, walk: bool = False) -> None:
    """The mtime of each path (with `walk`, of everything under it too) an hour into the past:
    older than the cache's "racy" window, as in real use."""
    for root in paths:
        found = [Path(f) / n for f, _, ns in os.walk(root) for n in [*ns, "."]] if walk else [root]
        for path in found:
            status = os.stat(path)
            os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - AN_HOUR))


def _lint(root: Path, settings: Settings, cache: Path | None) -> LintResult:
    return lint_paths([root], settings, cache_dir=cache, workers=1)


def _shown(result: LintResult) -> list[tuple[str, int, str]]:
    return [(d.code, d.span.line, d.message) for d in result.diagnostics]


def _cached_equals_fresh(root: Path, settings: Settings, cache: Path) -> LintResult:
    cached = _lint(root, settings, cache)
    fresh = _lint(root, settings, None)
    assert cached.diagnostics == fresh.diagnostics
    return cached


HEAD = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n---\n"
)


def test_a_changed_sidecar_file_is_seen_through_the_cache(tmp_path: Path) -> None:
    # SK150 reads `agents/openai.yaml`: rewriting it changes neither the skill file nor any
    # folder's mtime, only the file's own stat, which the context recorded when it read it.
    root = tmp_path / "skills"
    sidecar = root / "demo" / "agents" / "openai.yaml"
    write_skill(root, HEAD + "\n# Demo\n", files={"agents/openai.yaml": "interface: {}\n"})
    _age(root, walk=True)
    settings = Settings(target="codex", select=("SK150",))
    cache = tmp_path / "cache"
    assert _lint(root, settings, cache).diagnostics == []
    assert _lint(root, settings, cache).cache_hits == 1
    sidecar.write_text('interface:\n  brand_color: "blue"\n', encoding="utf-8")
    _age(sidecar)
    cached = _cached_equals_fresh(root, settings, cache)
    assert cached.cache_hits == 0
    assert _shown(cached) == [
        (
            "SK150",
            1,
            "agents/openai.yaml:2: `interface.brand_color: blue` is not a `#RRGGBB` "
            "colour; Codex ignores it",
        )
    ]
    # Unchanged since: a hit again.
    assert _lint(root, settings, cache).cache_hits == 1


def test_a_plugin_root_above_the_watched_folders_is_seen_through_the_cache(
    tmp_path: Path,
) -> None:
    # SK501 asks each ancestor of the skill folder whether it holds `.claude-plugin/`: a
    # marketplace root far above the folders the link passes through makes the link one that
    # stays inside what is installed.
    market = tmp_path / "market"
    skill = write_skill(
        market / "plugins" / "csv",
        HEAD + "\n# Demo\n\nSee [the guide](../../shared/guide.md).\n",
        folder="skills/demo",
        files={},
    )
    guide = market / "plugins" / "csv" / "shared" / "guide.md"
    guide.parent.mkdir()
    guide.write_text("# Guide\n", encoding="utf-8")
    _age(tmp_path, walk=True)
    settings = Settings(select=("SK501",))
    cache = tmp_path / "cache"
    assert [d.message.split(":")[0] for d in _lint(market, settings, cache).diagnostics] == [
        "link target `../../shared/guide.md` is outside the skill folder"
    ]
    assert _lint(market, settings, cache).cache_hits == 1
    (market / ".claude-plugin").mkdir()
    _age(market, market / ".claude-plugin")  # (only these changed)
    cached = _cached_equals_fresh(market, settings, cache)
    assert cached.cache_hits == 0
    assert cached.diagnostics == []
    assert str(skill) in cached.files


def test_a_file_that_grows_is_weighed_again_through_the_cache(tmp_path: Path) -> None:
    # SK004 adds up the sizes of the skill folder's files: a file rewritten larger changes no
    # folder's mtime, only its own stat, which the context recorded when it scanned the folder.
    root = tmp_path / "skills"
    big = root / "demo" / "assets" / "data.bin"
    write_skill(root, HEAD + "\n# Demo\n", files={"assets/data.bin": "x" * 10})
    _age(root, walk=True)
    settings = Settings(target="claude-api", select=("SK004",), options={"max-upload-bytes": 1024})
    cache = tmp_path / "cache"
    assert _lint(root, settings, cache).diagnostics == []
    big.write_text("x" * 2048, encoding="utf-8")
    _age(big)
    cached = _cached_equals_fresh(root, settings, cache)
    assert cached.cache_hits == 0
    assert [d.code for d in cached.diagnostics] == ["SK004"]


def test_an_unrelated_change_keeps_the_cached_result(tmp_path: Path) -> None:
    # What the rules did not look at is no dependency: a new file beside the skills' folder.
    root = tmp_path / "skills"
    write_skill(root, HEAD + "\n# Demo\n\nSee [the guide](references/guide.md).\n")
    _age(root, walk=True)
    cache = tmp_path / "cache"
    settings = Settings(select=("SK501",))
    assert len(_lint(root, settings, cache).diagnostics) == 1
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    assert _lint(root, settings, cache).cache_hits == 1


def test_files_records_each_answer_with_what_it_depended_on(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run.py").write_text("print()\n", encoding="utf-8")
    listed_mtime = os.stat(tmp_path).st_mtime_ns
    files = Files()
    assert files.names(str(tmp_path)) == frozenset({"scripts"})
    assert files.is_file(str(tmp_path / "scripts" / "run.py"))
    assert not files.exists(str(tmp_path / "gone.md"))
    assert files.read(str(tmp_path / "scripts" / "run.py"), 100) == b"print()\n"
    run = os.stat(tmp_path / "scripts" / "run.py")
    assert files.dependencies() == (
        (str(tmp_path), LISTED, listed_mtime),
        (str(tmp_path / "scripts" / "run.py"), PROBED, FILE),
        (str(tmp_path / "gone.md"), PROBED, MISSING),
        (str(tmp_path / "scripts" / "run.py"), STATED, (run.st_mtime_ns, run.st_size)),
    )
    # Each recorded stamp is what `stamp` states now, until something changes.
    for path, how, recorded in files.dependencies() or ():
        assert stamp(path, how) == recorded
    (tmp_path / "gone.md").write_text("", encoding="utf-8")
    assert stamp(str(tmp_path / "gone.md"), PROBED) == FILE


def test_an_answer_that_cannot_be_checked_again_is_not_cached(tmp_path: Path) -> None:
    files = Files()
    (tmp_path / "folder").mkdir()
    with pytest.raises(OSError):
        files.read(str(tmp_path / "folder"), 100)  # a folder is refused, not read
    assert files.dependencies() is None


# What the record must cover, change by change in and around a skill folder: each change a rule's
# answer depended on lints the file again, and a change no rule looked at does not.


GUIDE_LINK = HEAD + "\n# Demo\n\nSee [the guide](references/guide.md).\n"
GUIDE_MISSING = ("SK501", 8, "link target `references/guide.md` does not exist in the skill folder")


def _aged_skill(tmp_path: Path, files: dict[str, str]) -> tuple[Path, Path]:
    """A skill that links `references/guide.md`, in `tmp_path/skills`, everything an hour old:
    (the skills folder, the skill's folder)."""
    root = tmp_path / "skills"
    skill = write_skill(root, GUIDE_LINK, files=files)
    _age(root, walk=True)
    return root, skill.parent


def test_a_file_created_where_a_rule_looked_for_it_is_seen_through_the_cache(
    tmp_path: Path,
) -> None:
    root, folder = _aged_skill(tmp_path, {})
    settings = Settings(select=("SK501",))
    cache = tmp_path / "cache"
    assert _shown(_lint(root, settings, cache)) == [GUIDE_MISSING]
    assert _lint(root, settings, cache).cache_hits == 1
    (folder / "references").mkdir()
    (folder / "references" / "guide.md").write_text("# Guide\n", encoding="utf-8")
    _age(folder, folder / "references", folder / "references" / "guide.md")
    cached = _cached_equals_fresh(root, settings, cache)
    assert cached.cache_hits == 0
    assert cached.diagnostics == []


def test_a_deleted_referenced_file_is_seen_through_the_cache(tmp_path: Path) -> None:
    root, folder = _aged_skill(tmp_path, {"references/guide.md": "# Guide\n"})
    settings = Settings(select=("SK501",))
    cache = tmp_path / "cache"
    assert _lint(root, settings, cache).diagnostics == []
    (folder / "references" / "guide.md").unlink()
    _age(folder / "references")
    cached = _cached_equals_fresh(root, settings, cache)
    assert cached.cache_hits == 0
    assert _shown(cached) == [GUIDE_MISSING]


def test_a_new_file_where_no_rule_looked_keeps_the_cached_result(tmp_path: Path) -> None:
    # Every default rule on: none of them lists `assets/` (the skill names no path in it), so a
    # file added there, or one changed there, changes no answer the rules were given.
    files = {"references/guide.md": "# Guide\n", "assets/logo.txt": "logo\n"}
    root, folder = _aged_skill(tmp_path, files)
    settings = Settings()
    cache = tmp_path / "cache"
    first = _lint(root, settings, cache)
    assert _lint(root, settings, cache).cache_hits == 1
    (folder / "assets" / "new.txt").write_text("new\n", encoding="utf-8")
    (folder / "assets" / "logo.txt").write_text("a new logo\n", encoding="utf-8")
    _age(folder / "assets", walk=True)  # (only these changed)
    cached = _cached_equals_fresh(root, settings, cache)
    assert cached.cache_hits == 1
    assert cached.diagnostics == first.diagnostics


def test_a_retargeted_link_is_seen_through_the_cache(tmp_path: Path) -> None:
    # SK501 resolves `../shared/guide.md` through the link `shared`, beside the skill folder:
    # while it points into the skill folder the file is installed with the skill; pointed
    # elsewhere (a new link renamed over it, as `ln -sfn` does), the link leaves the skill
    # folder. No folder the skill's rules listed changed, only where the link points.
    root = tmp_path / "skills"
    skill = write_skill(
        root,
        HEAD + "\n# Demo\n\nSee [the guide](../shared/guide.md).\n",
        files={"inner/guide.md": "# Guide\n"},
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "guide.md").write_text("# Guide\n", encoding="utf-8")
    link = root / "shared"
    link.symlink_to(skill.parent / "inner", target_is_directory=True)
    _age(tmp_path, walk=True)
    settings = Settings(select=("SK501",))
    cache = tmp_path / "cache"
    assert _lint(root, settings, cache).diagnostics == []
    assert _lint(root, settings, cache).cache_hits == 1
    (root / "shared.new").symlink_to(elsewhere, target_is_directory=True)
    os.replace(root / "shared.new", link)
    _age(root)
    cached = _cached_equals_fresh(root, settings, cache)
    assert cached.cache_hits == 0
    assert [d.message.split(":")[0] for d in cached.diagnostics] == [
        "link target `../shared/guide.md` is outside the skill folder"
    ]


def test_per_file_ignores_follow_a_retargeted_link_through_the_cache(tmp_path: Path) -> None:
    # `per-file-ignores` matches the skill's real path: `skills` is a link to `a` (whose skills
    # are ignored) and then to `b`, a copy of it byte for byte, stat for stat.
    write_skill(tmp_path / "a", HEAD + "\n# Demo\n\nSee [gone](gone.md).\n")
    _age(tmp_path / "a", walk=True)
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    link = tmp_path / "skills"
    link.symlink_to(tmp_path / "a", target_is_directory=True)
    settings = Settings(
        select=("SK501",),
        per_file_ignores=(("a/*/SKILL.md", ("SK501",)),),
        config_path=tmp_path / "skillkit.toml",
    )
    cache = tmp_path / "cache"
    assert _lint(link, settings, cache).diagnostics == []
    assert _lint(link, settings, cache).cache_hits == 1
    (tmp_path / "skills.new").symlink_to(tmp_path / "b", target_is_directory=True)
    os.replace(tmp_path / "skills.new", link)
    cached = _cached_equals_fresh(link, settings, cache)
    assert cached.cache_hits == 0
    assert _shown(cached) == [
        ("SK501", 8, "link target `gone.md` does not exist in the skill folder")
    ]


def test_files_records_where_a_path_leads(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "one")
    files = Files()
    assert files.real_path(str(tmp_path / "link" / "x.md")) == str(tmp_path / "one" / "x.md")
    assert files.dependencies() == (
        (str(tmp_path / "link" / "x.md"), RESOLVED, str(tmp_path / "one" / "x.md")),
    )
    (tmp_path / "link").unlink()
    (tmp_path / "link").symlink_to(tmp_path / "two")
    assert stamp(str(tmp_path / "link" / "x.md"), RESOLVED) == str(tmp_path / "two" / "x.md")
