"""The cache and the worker pool change how fast results come, never what they are."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skillkit import hashing
from skillkit.diagnostics import Diagnostic, Edit, Fix, Related, Severity
from skillkit.engine import cache as cache_module
from skillkit.engine.cache import settings_key
from skillkit.engine.cache_codec import decode_diagnostic, encode_diagnostic
from skillkit.engine.library import lint_paths
from skillkit.engine.runner import LintResult
from skillkit.model import Span
from skillkit.settings import Settings
from tests.helpers import CORPUS, needs_shared, write_skill

# Older than the cache's "racy" window, so that stats are trusted as they would be in real use.
AN_HOUR_AGO = 3600


def _age(root: Path, seconds: int = AN_HOUR_AGO) -> None:
    """Set every file's and folder's mtime `seconds` into the past."""
    for folder, _folders, files in os.walk(root):
        for name in [*files, "."]:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 1_000_000_000))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    _age(root)
    return root


_GUIDANCE = "## Snapshot guidance\n- Take a snapshot first.\n- Ask before removing a service.\n"

# Most tests need a few skills of the shapes real ones have (nested folders, sibling files,
# findings of each family, a drifted copy for the project rules), written here so that a fresh
# clone without ../shared runs them too.
SAMPLE_SKILLS: dict[str, tuple[str, dict[str, str]]] = {
    "alpha": (
        "---\nname: alpha\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n"
        "---\n\n# Alpha\n\nRead [the guide](references/guide.md) first.\n\n" + _GUIDANCE,
        {"references/guide.md": "# Guide\n"},
    ),
    "beta": (
        "---\nname: wrong\ndescription: Formats CSV files.\n---\n\n# Beta\n\n"
        "See [gone](missing.md).\n\n" + _GUIDANCE.replace("first", "afterwards"),
        {},
    ),
    "team/gamma": (
        "---\nname: gamma\ndescription: Runs the app. Use when asked.\n---\n\n# Gamma\n\n"
        "```bash\necho never closed\n",
        {"scripts/run.sh": "echo hi\n"},
    ),
    "team/delta": ("---\nname: delta\n---\n\n# Delta\n\n" + _GUIDANCE, {}),
}
N = len(SAMPLE_SKILLS)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    for folder, (text, files) in SAMPLE_SKILLS.items():
        write_skill(root, text, folder=folder, files=files)
    _age(root)
    return root


def test_the_sample_has_findings_of_each_kind(sample: Path) -> None:
    # The cache tests compare cached with fresh results: they mean something only if there are
    # findings to compare, a project (cross-skill) one among them.
    codes = {d.code for d in _lint(sample, None, 1).diagnostics}
    assert {"SK112", "SK501", "SK203", "SK110", "SK601"} <= codes


def _lint(
    root: Path, cache: Path | None, workers: int, settings: Settings | None = None
) -> LintResult:
    return lint_paths([root], settings, cache_dir=cache, workers=workers)


# The defaults, and every rule (as the benchmark runs): the policies off by default too.
@needs_shared
@pytest.mark.parametrize("settings", [None, Settings(select=("ALL",))], ids=["default", "all"])
def test_four_ways_give_the_same_diagnostics(
    corpus: Path, tmp_path: Path, settings: Settings | None
) -> None:
    # A copy of a skill whose shared "Snapshot guidance" says another thing: a cross-skill
    # finding to compare too (the corpus itself has none under the default target).
    original = (corpus / "viberun" / "background-service" / "SKILL.md").read_text()
    drifted = original.replace("background-service", "worker").replace(
        "note it briefly", "say nothing"
    )
    write_skill(corpus / "viberun", drifted, folder="worker")
    _age(corpus / "viberun" / "worker")
    _four_ways(corpus, tmp_path, settings, 29)


@pytest.mark.parametrize("settings", [None, Settings(select=("ALL",))], ids=["default", "all"])
def test_four_ways_give_the_same_diagnostics_on_the_sample(
    sample: Path, tmp_path: Path, settings: Settings | None
) -> None:
    _four_ways(sample, tmp_path, settings, N)


def _four_ways(corpus: Path, tmp_path: Path, settings: Settings | None, count: int) -> None:
    reference = _lint(corpus, None, 1, settings)
    assert len(reference.files) == count
    assert reference.diagnostics  # the corpus has findings: the comparison is not vacuous
    assert any(d.code == "SK601" for d in reference.diagnostics)  # and a cross-skill one
    parallel = _lint(corpus, None, 2, settings)
    assert parallel.diagnostics == reference.diagnostics
    assert parallel.files == reference.files

    cache = tmp_path / "cache"
    cold = _lint(corpus, cache, 2, settings)  # fills the cache, in the pool
    assert cold.cache_hits == 0
    warm_serial = _lint(corpus, cache, 1, settings)
    warm_parallel = _lint(corpus, cache, 2, settings)
    for result in (cold, warm_serial, warm_parallel):
        assert result.diagnostics == reference.diagnostics
        assert result.files == reference.files
    assert warm_serial.cache_hits == warm_parallel.cache_hits == count


def test_cold_serial_cache_then_warm(sample: Path, tmp_path: Path) -> None:
    reference = _lint(sample, None, 1)
    cache = tmp_path / "cache"
    assert _lint(sample, cache, 1).diagnostics == reference.diagnostics
    warm = _lint(sample, cache, 1)
    assert warm.cache_hits == N
    assert warm.diagnostics == reference.diagnostics


def test_diagnostics_round_trip_exactly() -> None:
    diagnostic = Diagnostic(
        path="a/SKILL.md",
        span=Span(2, 3, 4, 5),
        code="SK101",
        name="demo",
        severity=Severity.WARNING,
        message="a message",
        fix=Fix("quote it", (Edit(Span(2, 3, 2, 9), '"no"'), Edit(Span.at(7), "")), safe=False),
        related=(Related("see here", Span.at(9), None), Related("there", Span.at(1), "b.md")),
        source_line="name: no",
    )
    encoded = marshal.loads(marshal.dumps(encode_diagnostic(diagnostic)))
    assert decode_diagnostic("a/SKILL.md", encoded) == diagnostic


_SHARED = "- Take a snapshot before risky changes.\n- Ask the user before removing a service.\n"


def _drift_skill(name: str, guidance: str) -> str:
    return (
        f"---\nname: {name}\ndescription: Runs the {name} app. Use when the user asks.\n---\n\n"
        f"# {name}\n\n## Snapshot guidance\n{guidance}"
    )


def _codes(result: LintResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_project_rules_see_every_skill_through_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "skills"
    for name in ("alpha", "beta", "gamma"):
        write_skill(root, _drift_skill(name, _SHARED), folder=name)
    drifted = write_skill(
        root, _drift_skill("delta", _SHARED.replace("before risky", "after risky")), folder="delta"
    )
    _age(root)
    cache = tmp_path / "cache"
    reference = _lint(root, None, 1)
    assert "SK601" in _codes(reference)
    assert _lint(root, cache, 1).diagnostics == reference.diagnostics
    warm = _lint(root, cache, 1)  # the project findings of the last run, facts not even read
    assert warm.cache_hits == 4
    assert warm.diagnostics == reference.diagnostics

    # One file changes: the others' facts come back from the cache for the project rule.
    drifted.write_text(_drift_skill("delta", _SHARED), encoding="utf-8")
    fixed = _lint(root, cache, 1)
    assert fixed.cache_hits == 3
    assert "SK601" not in _codes(fixed)
    assert fixed.diagnostics == _lint(root, None, 1).diagnostics

    # The facts file is lost: those skills are linted again rather than checked without them.
    for path in _cache_files(cache):
        if path.name.startswith("facts"):
            path.write_bytes(b"lost")
    drifted.write_text(
        _drift_skill("delta", _SHARED.replace("before removing", "after removing")),
        encoding="utf-8",
    )
    again = _lint(root, cache, 1)
    assert "SK601" in _codes(again)
    assert again.diagnostics == _lint(root, None, 1).diagnostics


def test_a_changed_file_is_linted_again(sample: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _lint(sample, cache, 1)
    skill = next(iter(sorted(sample.rglob("SKILL.md"))))
    text = skill.read_text(encoding="utf-8")
    skill.write_text(text.replace("description:", "descriptio:", 1), encoding="utf-8")
    changed = _lint(sample, cache, 1)
    assert changed.cache_hits == N - 1
    assert changed.diagnostics == _lint(sample, None, 1).diagnostics
    assert any(d.path == str(skill) and d.code == "SK110" for d in changed.diagnostics)


def test_same_stat_but_new_bytes_is_caught_while_the_stat_is_racy(tmp_path: Path) -> None:
    # A file written just now may change again within one mtime tick: its stat is not trusted,
    # and the content hash decides.
    root = tmp_path / "skills"
    path = write_skill(root, "---\nname: demo\ndescription: aaaa\n---\n\nBody.\n")
    cache = tmp_path / "cache"
    _lint(root, cache, 1)
    stat = path.stat()
    path.write_text("---\nname: demo\ndescription: \n---\n\nBody.\n\n\n\n\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert _lint(root, cache, 1).diagnostics == _lint(root, None, 1).diagnostics


def test_a_new_sibling_file_invalidates_its_skill(sample: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _lint(sample, cache, 1)
    skill = next(iter(sorted(sample.rglob("SKILL.md"))))
    (skill.parent / "references-new.md").write_text("new\n", encoding="utf-8")
    assert _lint(sample, cache, 1).cache_hits == N - 1


def test_a_settings_change_invalidates(sample: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _lint(sample, cache, 1)
    for settings in (
        Settings(target="claude-code"),
        Settings(ignore=("SK122",)),
        Settings(severity={"SK122": Severity.ERROR}),
    ):
        first = _lint(sample, cache, 1, settings)
        assert first.cache_hits == 0
        assert first.diagnostics == _lint(sample, None, 1, settings).diagnostics
        assert _lint(sample, cache, 1, settings).cache_hits == N
    assert _lint(sample, cache, 1).cache_hits == N  # the defaults' entries are still there


def test_settings_key_is_stable_and_distinguishes() -> None:
    one = Settings(severity={"SK122": Severity.ERROR, "SK101": Severity.INFO}, options={"a": 1})
    two = Settings(severity={"SK101": Severity.INFO, "SK122": Severity.ERROR}, options={"a": 1})
    assert settings_key(one) == settings_key(two)
    assert settings_key(one) != settings_key(Settings())
    assert settings_key(Settings(target="codex")) != settings_key(Settings())


def _cache_files(cache: Path) -> list[Path]:
    return [path for path in cache.rglob("*") if path.is_file() and path.parent != cache]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),
        lambda data: b"garbage that is not a cache at all",
        lambda data: data.replace(cache_module.MAGIC, b"other-tool-cache!!!\n"),
    ],
    ids=["empty", "truncated", "flipped-bit", "garbage", "foreign-magic"],
)
def test_a_corrupt_cache_is_ignored(sample: Path, tmp_path: Path, damage: object) -> None:
    cache = tmp_path / "cache"
    reference = _lint(sample, None, 1)
    assert reference.diagnostics
    _lint(sample, cache, 1)
    files = _cache_files(cache)
    assert files
    for path in files:
        path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    result = _lint(sample, cache, 1)
    assert result.cache_hits == 0
    assert result.diagnostics == reference.diagnostics
    assert _lint(sample, cache, 1).cache_hits == N  # rewritten, and trusted again


def _rewrite(path: Path, change: object) -> None:
    """Rewrite a cache file's payload with a valid checksum (a malformed but 'signed' file)."""
    data = path.read_bytes()
    header = len(cache_module.MAGIC) + hashing.DIGEST_SIZE
    version, build, entries = marshal.loads(data[header:])
    version, build, entries = change(version, build, entries)  # type: ignore[operator]
    payload = marshal.dumps((version, build, entries))
    path.write_bytes(cache_module.MAGIC + hashing.digest(payload) + payload)


@pytest.mark.parametrize(
    "change",
    [
        lambda v, b, e: (v, "another build", e),
        lambda v, b, e: (v + 1, b, e),
        lambda v, b, e: (v, b, ["not", "a", "dict"]),
        lambda v, b, e: (v, b, {k: ("nonsense",) for k in e}),
        lambda v, b, e: (v, b, {k: (*x[:5], (("bad",),), x[6]) for k, x in e.items()}),
        lambda v, b, e: (
            v,
            b,
            {k: (x[0], x[1], x[2], x[3], ((1, 2),), x[5], x[6]) for k, x in e.items()},
        ),
    ],
    ids=[
        "other-build",
        "other-format",
        "not-a-dict",
        "short-entries",
        "bad-diagnostics",
        "bad-folders",
    ],
)
def test_a_malformed_cache_is_never_trusted(sample: Path, tmp_path: Path, change: object) -> None:
    cache = tmp_path / "cache"
    reference = _lint(sample, None, 1)
    _lint(sample, cache, 1)
    for path in _cache_files(cache):
        if path.name.startswith("lint-"):
            _rewrite(path, change)
    result = _lint(sample, cache, 1)
    assert result.cache_hits == 0
    assert result.diagnostics == reference.diagnostics


def test_malformed_listings_are_not_trusted(sample: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    reference = _lint(sample, None, 1)
    _lint(sample, cache, 1)
    listings = next(path for path in _cache_files(cache) if path.name == "listings")
    _rewrite(listings, lambda v, b, e: (v, b, {k: (x[0], ((1, "x"),)) for k, x in e.items()}))
    assert _lint(sample, cache, 1).diagnostics == reference.diagnostics


def test_cli_writes_the_cache_in_the_working_folder_unless_told_not_to(
    sample: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    command = [sys.executable, "-m", "skillkit", "lint", "--format", "concise", str(sample)]
    no_cache = subprocess.run([*command, "--no-cache"], cwd=work, capture_output=True, text=True)
    assert not (work / ".skillkit_cache").exists()
    first = subprocess.run(command, cwd=work, capture_output=True, text=True)
    assert (work / ".skillkit_cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    second = subprocess.run(command, cwd=work, capture_output=True, text=True)
    assert no_cache.stdout == first.stdout == second.stdout
    assert no_cache.returncode == first.returncode == second.returncode
    elsewhere = tmp_path / "elsewhere"
    subprocess.run([*command, "--cache-dir", str(elsewhere)], cwd=work, check=False)
    assert (elsewhere / "CACHEDIR.TAG").is_file()


def test_order_is_the_same_in_the_pool_for_many_files(tmp_path: Path) -> None:
    root = tmp_path / "many"
    for index in range(150):
        write_skill(
            root,
            f"---\nname: skill-{index:03d}\ndescription: Does {index}.\n---\n\nBody.\n",
            folder=f"skill-{index:03d}",
        )
    serial = lint_paths([root], workers=1)
    pooled = lint_paths([root])  # over the threshold: every core
    assert pooled.files == serial.files
    assert pooled.diagnostics == serial.diagnostics


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_as_it_was_after_a_run(
    sample: Path, tmp_path: Path, enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Linting pauses the cyclic garbage collector; a caller (the LSP, a watch loop, a library
    # user) gets it back as it had it, also when linting raised.
    import gc

    from skillkit.engine import per_file

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        lint_paths([sample], workers=1)
        assert gc.isenabled() is enabled

        def broken(path: Path, settings: Settings, sign: bool) -> object:
            assert not gc.isenabled()  # paused while files are linted
            raise RuntimeError("a bug")

        monkeypatch.setattr(per_file, "lint_file", broken)
        with pytest.raises(RuntimeError, match="a bug"):
            lint_paths([sample], workers=1)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_link_out_of_the_skill_folder_is_watched_by_the_cache(tmp_path: Path) -> None:
    # SK501 decides `../shared/guide.md` on the filesystem outside the skill folder: deleting
    # the target there must show in a cached run as in a fresh one.
    root = tmp_path / "skills"
    skill = write_skill(
        root,
        "---\nname: demo\ndescription: Runs the demo app. Use when the user asks.\n---\n\n"
        "# Demo\n\nSee [the guide](../shared/guide.md).\n",
        folder="demo",
    )
    guide = root / "shared" / "guide.md"
    guide.parent.mkdir()
    guide.write_text("# Guide\n", encoding="utf-8")
    _age(root)
    cache = tmp_path / "cache"
    # While the guide is there, the link only warns (a spec skill is installed as its folder).
    assert [d.message.split(":")[0] for d in _lint(root, cache, 1).diagnostics] == [
        "link target `../shared/guide.md` is outside the skill folder"
    ]
    guide.unlink()
    # Only `shared` changed, and it looks an hour old as everything else (not "racy").
    _age(guide.parent)
    fresh = _lint(root, None, 1)
    assert [(d.code, d.path, d.span.line, d.message) for d in fresh.diagnostics] == [
        (
            "SK501",
            str(skill),
            8,
            "link target `../shared/guide.md` does not exist in the skill folder",
        )
    ]
    cached = _lint(root, cache, 1)
    assert cached.diagnostics == fresh.diagnostics
    assert cached.cache_hits == 0
