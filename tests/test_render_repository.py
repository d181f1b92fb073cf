"""This repository's own skills: rendered from templates/, committed, reproducible byte for byte."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import skillkit
from skillkit.config.files import load_config
from skillkit.engine.library import lint_paths
from tests.helpers import SEED, needs_shared

REPO = Path(__file__).resolve().parents[1]
OUTPUTS = (
    "background-service/SKILL.md",
    "background-service-python/SKILL.md",
    "background-service-node/SKILL.md",
)


def _copy_sources(destination: Path) -> None:
    shutil.copy(REPO / "pyproject.toml", destination / "pyproject.toml")
    shutil.copytree(REPO / "templates", destination / "templates")


def test_the_committed_skills_are_what_the_templates_render() -> None:
    result = skillkit.render(REPO, check=True)
    assert result.diagnostics == []
    assert [o.relative for o in result.outputs] == list(OUTPUTS)
    assert [o.state for o in result.outputs] == ["unchanged"] * 3
    assert result.orphans == [] and not result.manifest_stale
    assert result.exit_code == 0


def test_a_fresh_render_reproduces_every_committed_byte(tmp_path: Path) -> None:
    _copy_sources(tmp_path)
    assert skillkit.render(tmp_path).exit_code == 0
    rendered = sorted(
        p.relative_to(tmp_path / "skills").as_posix()
        for p in (tmp_path / "skills").rglob("*")
        if p.is_file()
    )
    assert rendered == sorted([*OUTPUTS, ".skillkit-manifest.json"])
    for name in rendered:
        assert (tmp_path / "skills" / name).read_bytes() == (REPO / "skills" / name).read_bytes(), (
            name
        )


@needs_shared
def test_background_service_is_the_seed_skill_with_a_better_description() -> None:
    (seed_file,) = SEED.glob("*.txt")
    seed = seed_file.read_text(encoding="utf-8").split("\n")
    ours = (REPO / "skills/background-service/SKILL.md").read_text(encoding="utf-8").split("\n")
    # The body is the seed's, but for the snapshot guidance of older viberun releases (SK419):
    # the current forms of `viberun <app> snapshot|restore`, of the ref restore takes, and of
    # what restore does to the session (vrctl.md, "host" and "Stale forms").
    body, seed_body = ours[ours.index("---", 1) :], seed[seed.index("---", 1) :]
    changed = [(old, new) for old, new in zip(seed_body, body, strict=True) if old != new]
    assert changed == [
        (
            "  - If host snapshots are unavailable, ask the user to run `viberun <app> snapshot` "
            "from their machine.",
            "  - If host snapshots are unavailable, ask the user to run `app <app>` then "
            "`snapshot` from their machine (inside the viberun shell).",
        ),
        (
            "  - Accept either a tag or full ref; if given a tag, pass it as-is and let the host "
            "resolve it.",
            "  - Pass a tag from that list (`v3`) or `latest`; the host rejects refs with `/` or "
            "`:`.",
        ),
        (
            "  - Restore will disconnect the session; tell the user to re-run `viberun <app>` and "
            "then re-check service status / bring it back up.",
            "  - The session reconnects by itself after the restore; then re-check service "
            "status / bring it back up.",
        ),
        (
            "  - If restore is unavailable, ask the user to run `viberun <app> restore <ref>` "
            "from their machine.",
            "  - If restore is unavailable, ask the user to run `app <app>` then `restore <ref>` "
            "from their machine (inside the viberun shell).",
        ),
    ]
    assert [line for line in seed[:6] if not line.startswith("description:")] == [
        line for line in ours[:6] if not line.startswith("description:")
    ]
    assert ours[2] == (
        "description: Help run a long-lived background process under vrctl. Use when the user "
        "wants a worker, queue consumer, bot or other non-web process kept running in the app "
        "container."
    )


def test_every_rendered_skill_lints_clean_for_viberun() -> None:
    # With the repository's config: its render plan tells SK601 that the three outputs are
    # variants of one template, whose differing sections are not drifted copies.
    settings = replace(load_config(REPO / "pyproject.toml").settings, target="viberun")
    result = lint_paths([REPO / "skills"], settings)
    assert len(result.files) == 3
    assert result.diagnostics == []


def test_shared_sections_are_the_same_in_every_variant() -> None:
    def section(text: str, title: str) -> str:
        start = text.index(f"## {title}\n")
        end = text.find("\n## ", start + 1)
        return text[start : end if end >= 0 else None]

    texts = [(REPO / "skills" / name).read_text(encoding="utf-8") for name in OUTPUTS]
    for title in (
        "Version freshness",
        "Language/tooling preferences",
        "Guardrails",
        "User-facing notes",
        "Snapshot guidance",
    ):
        assert len({section(text, title) for text in texts}) == 1, title
