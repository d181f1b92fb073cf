"""Bounded cost of what used to be quadratic or unbounded (issue 13, items 14 and 15): the `full`
format on a long line with many findings, suppression matching, SK305, the language server's
position conversion, a render plan of thousands of outputs, and templates that loop for ever or
make gigabytes.

Each case runs in a subprocess under the CPU and memory limits of `test_bounded_cost` (CPU
seconds, so a loaded machine does not make it flaky); nothing here asserts a speed.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.robustness.limits import run_limited
from tests.robustness.test_bounded_cost import CPU_SECONDS, HEAD, WALL_SECONDS

SKILLKIT = [sys.executable, "-m", "skillkit"]


def bounded(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    completed = run_limited(argv, cpu_seconds=CPU_SECONDS, wall_seconds=WALL_SECONDS, cwd=cwd)
    assert completed.returncode != -signal.SIGXCPU, f"over {CPU_SECONDS} s of CPU: a hang"
    assert "Traceback" not in completed.stderr, completed.stderr[-2000:]
    assert "MemoryError" not in completed.stderr + completed.stdout, "a blow-up"
    return completed


def skill(root: Path, body: str) -> Path:
    folder = root / "hostile"
    folder.mkdir()
    (folder / "SKILL.md").write_text(HEAD + body, encoding="utf-8")
    return folder


# --- Item 14: quadratic paths ---------------------------------------------------------------------


def long_line_of_findings() -> str:
    # A 150 kB line with 10,000 findings: printed whole under each, 1.5 GB.
    return "\n# H\n\n" + "`scripts/x.py` " * 10_000 + "\n"


def test_full_format_clips_long_lines(tmp_path: Path) -> None:
    folder = skill(tmp_path, long_line_of_findings())
    # SK502 checks a path only where the skill's own folder makes the claim: it has scripts/.
    (folder / "scripts").mkdir()
    completed = bounded([*SKILLKIT, "lint", "--isolated", "--no-cache", str(folder)], tmp_path)
    assert completed.returncode == 0  # (warnings)
    lines = completed.stdout.splitlines()
    assert sum(" SK502 " in line for line in lines) == 10_000
    # Each source line is clipped around its span: at most 120 characters and two ellipses.
    sources = [line for line in lines if line.startswith(" 8 | ")]
    assert len(sources) == 10_001  # (SK202 on the body, too)
    assert max(len(line) for line in sources) == len(" 8 | ") + 122
    # The 5,001st path starts at character 75,001 (0-based 75,000): 30 characters before it.
    text = "`scripts/x.py` " * 10_000
    assert sources[1 + 5_000] == " 8 | …" + text[75_001 - 30 : 75_001 + 90] + "…"
    assert len(completed.stdout) < 10_000_000


def suppressed_pairs() -> str:
    # 17,000 findings, each under its own suppression: 900 kB.
    return "\n# H\n\n" + "<!-- skillkit: disable-next-line SK501 -->\n[a](m.md)\n" * 17_000


def test_suppression_matching_is_not_findings_times_directives(tmp_path: Path) -> None:
    folder = skill(tmp_path, suppressed_pairs())
    completed = bounded(
        [*SKILLKIT, "lint", "--isolated", "--no-cache", "--format", "concise", str(folder)],
        tmp_path,
    )
    # Every SK501 is suppressed, every suppression used: only the body's length is left.
    assert completed.returncode == 0
    assert [line.split(" ")[1] for line in completed.stdout.splitlines()] == ["SK202"]


def destructive_commands() -> str:
    # 30,000 destructive commands in one unguarded section: 750 kB.
    return "\n# H\n\n## Clean up\n\n```sh\n" + "vrctl service remove web\n" * 30_000 + "```\n"


def test_sk305_reads_each_section_once(tmp_path: Path) -> None:
    folder = skill(tmp_path, destructive_commands())
    completed = bounded(
        [
            *SKILLKIT,
            "lint",
            "--isolated",
            "--no-cache",
            "--select",
            "SK305",
            "--format",
            "concise",
            str(folder),
        ],
        tmp_path,
    )
    assert completed.returncode == 0  # (a warning)
    assert len(completed.stdout.splitlines()) == 30_000


LSP_RUNNER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from skillkit.lsp.features import analyse, code_actions, lsp_diagnostics
    from lsprotocol import types as lsp
    path = Path(sys.argv[1])
    analysis = analyse(path.as_uri(), path, path.read_text(encoding="utf-8"))
    found = lsp_diagnostics(analysis)
    whole = lsp.Range(start=lsp.Position(line=0, character=0),
                      end=lsp.Position(line=len(analysis.skill.lines), character=0))
    actions = code_actions(analysis, whole)
    last = found[-1].range.start
    print(len(found), len(actions), last.line, last.character)
    """
)


def test_lsp_converts_positions_of_a_long_line_in_bounded_time(tmp_path: Path) -> None:
    # A 380 kB line (an emoji first: two UTF-16 units) with 25,000 findings.
    folder = skill(tmp_path, "\n# H\n\n😀 " + "`scripts/x.py` " * 25_000 + "\n")
    (folder / "scripts").mkdir()  # so that SK502 checks the paths
    completed = bounded([sys.executable, "-c", LSP_RUNNER, str(folder / "SKILL.md")], tmp_path)
    assert completed.returncode == 0, completed.stderr[-2000:]
    count, _actions, line, character = map(int, completed.stdout.split())
    assert count == 25_001  # SK502 each, and SK202
    # The last path starts 15 characters from the end of the line, one more unit for the emoji.
    assert (line, character) == (7, 3 + 15 * 24_999 + 1)


PLAN = """\
[tool.skillkit.render]
[[tool.skillkit.render.outputs]]
template = "skill.md.j2"
path = "skill-{{ n }}/SKILL.md"
matrix = { n = [%s] }
[tool.skillkit.render.outputs.front-matter]
name = "skill-{{ n }}"
description = "Skill {{ n }} formats CSV files. Use when the user asks to tidy a CSV."
"""


def render_project(root: Path, template: str, count: int = 1) -> None:
    numbers = ", ".join(f'"{n}"' for n in range(count))
    (root / "pyproject.toml").write_text(PLAN.replace("%s", numbers), encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "skill.md.j2").write_text(template, encoding="utf-8")


def test_render_plan_of_three_thousand_outputs(tmp_path: Path) -> None:
    render_project(tmp_path, "# Skill {{ n }}\n\nBody.\n", 3_000)
    completed = bounded([*SKILLKIT, "render"], tmp_path)
    assert completed.returncode == 0, completed.stdout[-2000:]
    assert len(list((tmp_path / "skills").glob("*/SKILL.md"))) == 3_000


# --- Item 15: renders are bounded in time and size ------------------------------------------------

NESTED_LOOPS = (
    "# Skill\n\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"
)
LOOPS_WITHOUT_CALLS = (
    "# Skill\n\n{% set l = range(100000)|list %}"
    "{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}\n"
)
NOTHING_WRITTEN = (
    "Nothing written: {} in the rendered outputs. Fix them, list their codes in the output's "
    "`ignore` in the plan, or add --allow-errors."
)
TIME = "the render took more than 5 s of CPU time; it was stopped"
HUGE: list[tuple[str, str]] = [
    ('{{ "word " * 2*10**7 }}', "`*` would make 100,000,000 characters or items"),
    ("{{ [1] * 10**12 }}", "`*` would make 1,000,000,000,000 characters or items"),
    ('{{ "x"|center(10**9) }}', "an argument of 1,000,000,000 is over the limit of 1,000,000"),
    ('{{ "x".ljust(10**9) }}', "an argument of 1,000,000,000 is over the limit of 1,000,000"),
    ("{{ 10 ** 100000 }}", "`**` would make a number of more than 4096 bits"),
    (
        '{% set ns = namespace(s="ab") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}'
        "{% endfor %}{{ ns.s }}",
        "the render made a value of 1,048,576 characters or items, over the limit of 1,000,000",
    ),
    (
        '{% for i in range(3000) %}{{ "word " * 100 }}{% endfor %}',
        "the output is over 1,000,000 characters, the limit (option `max-file-bytes`)",
    ),
]


@pytest.mark.parametrize("template", [NESTED_LOOPS, LOOPS_WITHOUT_CALLS], ids=["calls", "no-calls"])
def test_render_time_is_bounded(tmp_path: Path, template: str) -> None:
    render_project(tmp_path, template, 3)
    completed = bounded([*SKILLKIT, "render", "--format", "concise"], tmp_path)
    assert completed.returncode == 1
    *findings, last = completed.stdout.splitlines()
    # (Equal findings of several outputs may be reported once.)
    assert sorted(set(findings)) == [
        "templates/skill.md.j2:1:1: SK706 refused: another output of this run took more than "
        "5 s of CPU time, so this one was not rendered",
        f"templates/skill.md.j2:3:1: SK706 refused: {TIME}",
    ]
    assert last.startswith("Nothing written: ")
    assert not (tmp_path / "skills").exists()  # nothing written


@pytest.mark.parametrize(("expression", "message"), HUGE, ids=[m for _, m in HUGE])
def test_render_size_is_bounded(tmp_path: Path, expression: str, message: str) -> None:
    render_project(tmp_path, "# Skill\n\n" + expression + "\n")
    completed = bounded([*SKILLKIT, "render", "--format", "concise"], tmp_path)
    assert completed.returncode == 1
    line, last = completed.stdout.splitlines()
    assert last == NOTHING_WRITTEN.format("1 error")
    assert line.startswith("templates/skill.md.j2:3:1: SK706 refused: " + message), line
    assert not (tmp_path / "skills").exists()


def test_output_over_max_file_bytes_is_not_written(tmp_path: Path) -> None:
    # Under the character bound, over the byte bound: 400,000 three-byte characters.
    render_project(tmp_path, "# Skill\n\n" + "{{ '€' * 400000 }}\n")
    completed = bounded([*SKILLKIT, "render", "--format", "concise"], tmp_path)
    assert completed.returncode == 1
    assert completed.stdout.splitlines() == [
        "pyproject.toml:4:1: SK706 outputs[1]: the output is 1,200,111 bytes, over the limit of "
        "1,000,000 (option `max-file-bytes`); it was not written",
        NOTHING_WRITTEN.format("1 error"),
    ]
    assert not (tmp_path / "skills").exists()


def test_lint_of_a_looping_template_is_bounded(tmp_path: Path) -> None:
    # What the pre-commit hook runs on a changed template.
    render_project(tmp_path, NESTED_LOOPS)
    completed = bounded(
        [*SKILLKIT, "lint", "--format", "concise", "templates/skill.md.j2"], tmp_path
    )
    assert completed.returncode == 1
    assert completed.stdout == f"templates/skill.md.j2:3:1: SK706 refused: {TIME}\n"


LSP_TEMPLATE_RUNNER = textwrap.dedent(
    """
    import sys, threading
    from pathlib import Path
    from skillkit.lsp.templates import template_findings
    path = Path(sys.argv[1])
    found = []
    # The language server renders outside the main thread, where no signal can interrupt it.
    worker = threading.Thread(target=lambda: found.append(
        template_findings(path, path.read_text(encoding="utf-8"))))
    worker.start()
    worker.join()
    for diagnostic in found[0].diagnostics:
        print(diagnostic.code, diagnostic.span.line, diagnostic.message)
    """
)


def test_language_server_render_is_bounded_in_a_thread(tmp_path: Path) -> None:
    render_project(tmp_path, NESTED_LOOPS)
    template = tmp_path / "templates" / "skill.md.j2"
    completed = bounded([sys.executable, "-c", LSP_TEMPLATE_RUNNER, str(template)], tmp_path)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout == f"SK706 3 refused: {TIME} (in skills/skill-0/SKILL.md)\n"
