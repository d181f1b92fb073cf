"""Bounded cost of SK601 (sections drifted across skills): a project whose skills' sections are
all near-copies of each other, and a render plan whose output path is many adjacent
placeholders. Each runs in a subprocess under CPU and memory limits (as in
test_bounded_cost.py): before SK601 was bounded, the first took minutes of CPU for a thousand
skills, and the second built a backtracking regular expression that never finished."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

from tests.robustness.limits import run_limited

CPU_SECONDS = 30
WALL_SECONDS = 300

TITLES = ("Guardrails", "Snapshot guidance", "Version freshness", "Reload guidance")

# Lint the folder argv[1] for SK601 with the settings of the config in it; print the findings.
RUNNER = """
import json, sys
from pathlib import Path
from skillkit.config.resolver import Resolver
from skillkit.engine.library import lint_paths
resolver = Resolver()
root = Path(sys.argv[1])
settings = resolver.settings_for(root)
result = lint_paths([root], settings, settings_for=resolver.settings_for)
print(json.dumps({
    "files": len(result.files),
    "findings": [[d.path, d.code, d.span.line] for d in result.diagnostics if d.code == "SK601"],
}))
"""


def _lint(root: Path) -> dict[str, object]:
    completed = run_limited(
        [sys.executable, "-c", RUNNER, str(root)],
        cpu_seconds=CPU_SECONDS,
        wall_seconds=WALL_SECONDS,
    )
    assert completed.returncode != -signal.SIGXCPU, f"over {CPU_SECONDS} s of CPU: unbounded"
    assert completed.returncode == 0, completed.stderr[-2000:]
    report: dict[str, object] = json.loads(completed.stdout)
    return report


def _near_copy(number: int, lines: int) -> str:
    """A skill whose sections are those of every other skill, except (in every other skill)
    one word of the first line of each: thousands of distinct near-copies of each section."""
    body: list[str] = []
    for title in TITLES:
        body.append(f"## {title}")
        for line in range(lines):
            word = f"briefly-{number}" if number % 2 and not line else "briefly"
            body.append(
                f"- When step {line} of {title.lower()} fails, wait {word} and retry once; if it "
                "still fails, ask the user to restart the app session before going on."
            )
        body.append("")
    return (
        f"---\nname: skill-{number}\ndescription: Runs job {number}. Use when the user asks for "
        f"job {number}.\n---\n\n# skill-{number}\n\n" + "\n".join(body)
    )


def test_a_thousand_skills_of_near_copied_sections(tmp_path: Path) -> None:
    (tmp_path / "skillkit.toml").write_text('select = ["SK601"]\n', encoding="utf-8")
    for number in range(1_000):
        folder = tmp_path / f"skill-{number:04d}"
        folder.mkdir()
        (folder / "SKILL.md").write_text(_near_copy(number, 40), encoding="utf-8")
    report = _lint(tmp_path)
    assert report["files"] == 1_000
    findings = report["findings"]
    assert isinstance(findings, list)
    # Every odd skill's copies drifted from the one the even skills share; a title's report is
    # bounded (the first 63 versions after the original), so each title reports 63.
    assert len(findings) == 63 * len(TITLES)
    assert all(int(Path(path).parent.name.split("-")[1]) % 2 == 1 for path, _, _ in findings)


def test_an_output_path_of_adjacent_placeholders(tmp_path: Path) -> None:
    placeholders = "".join(f"{{{{ v{index} }}}}" for index in range(40))
    (tmp_path / "skillkit.toml").write_text(
        'select = ["SK601"]\n\n[render]\noutput-root = "skills"\n\n[[render.outputs]]\n'
        f'template = "t.md.j2"\npath = "{placeholders}/SKILL.md"\n'
        "variables = { " + ", ".join(f'v{index} = "a"' for index in range(40)) + " }\n",
        encoding="utf-8",
    )
    # A folder name the path's placeholders nearly match: one folder too deep.
    for name in ("one", "two"):
        folder = tmp_path / "skills" / ("a" * 60) / name
        folder.mkdir(parents=True)
        (folder / "SKILL.md").write_text(
            f"---\nname: {name}\ndescription: Runs {name}. Use when asked.\n---\n\n# {name}\n\n"
            "## Notes\n- Keep it short.\n",
            encoding="utf-8",
        )
    report = _lint(tmp_path)
    assert report == {"files": 2, "findings": []}
