"""SK601: sections copied between skills that have drifted."""

from __future__ import annotations

from pathlib import Path

from skillkit.lint import lint_paths
from skillkit.rules.drift import differing_lines, is_drifted
from skillkit.settings import Settings
from tests.helpers import write_skill


def _skill(name: str, sections: str) -> str:
    return (
        f"---\nname: {name}\ndescription: Runs {name}. Use when the user asks.\n---\n\n"
        f"# {name}\n\n{sections}"
    )


SNAPSHOT = (
    "## Snapshot guidance\n"
    "- If the user asks to save progress, run `vrctl host snapshot`.\n"
    "- Before risky changes, ask the user if they want a snapshot.\n"
    "- If they say no, proceed and note it briefly.\n"
)


def _lint(tmp_path: Path, skills: dict[str, str]) -> list[tuple[str, int, str, list[str]]]:
    for name, sections in skills.items():
        write_skill(tmp_path, _skill(name, sections), name)
    found = lint_paths([tmp_path], Settings(select=("SK601",))).diagnostics
    return [
        (
            Path(d.path).parent.name,
            d.span.line,
            d.message.replace(str(tmp_path) + "/", ""),
            [f"{Path(r.path or '').parent.name}:{r.span.line}" for r in d.related],
        )
        for d in found
    ]


def test_a_drifted_copy_is_reported_against_the_copy_most_skills_share(tmp_path: Path) -> None:
    drifted = SNAPSHOT.replace("note it briefly", "say nothing")
    found = _lint(
        tmp_path,
        {"alpha": SNAPSHOT, "beta": SNAPSHOT, "gamma": drifted, "delta": "## Notes\n- x\n"},
    )
    assert found == [
        (
            "gamma",
            8,
            "section `Snapshot guidance` has drifted from its copy in alpha/SKILL.md:8 (removed "
            '"- If they say no, proceed and note it briefly.", added "- If they say no, proceed '
            'and say nothing."); move it into a shared partial so that the copies stay the same',
            ["alpha:8"],
        )
    ]


def test_identical_copies_and_sections_that_only_share_a_title_are_not_drift(
    tmp_path: Path,
) -> None:
    found = _lint(
        tmp_path,
        {
            "alpha": SNAPSHOT + "\n## Overview\nFormats CSV files for reports.\n",
            "beta": SNAPSHOT + "\n## Overview\nDeploys the web app to the container.\n",
        },
    )
    assert found == []


def test_drift_is_measured_on_lines_and_text() -> None:
    original = ["- a shared line here", "- another shared line", "- the last line"]
    assert is_drifted(original, [*original[:2], "- the last line, changed"])
    assert not is_drifted(original, original)
    # Every line adapted: not a drifted copy, a different section.
    assert not is_drifted(original, ["- one", "- two", "- three"])
    assert differing_lines(["a", "b"], ["a", "c"]) == ["-b", "+c"]


def test_a_skill_with_a_child_section_compares_only_its_own_text(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        {
            "alpha": SNAPSHOT + "\n### Details\nOne thing.\n",
            "beta": SNAPSHOT + "\n### Details\nAnother, quite different thing entirely.\n",
        },
    )
    assert found == []


def test_variants_rendered_from_one_template_are_not_drift(tmp_path: Path) -> None:
    drifted = SNAPSHOT.replace("note it briefly", "say nothing")
    skills = tmp_path / "skills"
    write_skill(skills, _skill("web-python", SNAPSHOT), "web-python")
    write_skill(skills, _skill("web-node", drifted), "web-node")
    write_skill(skills, _skill("web-go", drifted), "hand-written")
    plan = {
        "outputs": [
            {
                "template": "web.md.j2",
                "path": "web-{{ language }}/SKILL.md",
                "matrix": {"language": ["python", "node"]},
            }
        ]
    }
    settings = Settings(select=("SK601",), render=plan, config_path=tmp_path / "skillkit.toml")
    found = lint_paths([skills], settings).diagnostics
    # web-node is a variant of web-python's template; the hand-written copy is a real copy.
    assert [
        (Path(d.path).parent.name, Path(r.path or "").parent.name) for d in found for r in d.related
    ] == [("web-python", "hand-written")]
