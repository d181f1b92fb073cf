"""Bounded cost: hostile files finish in bounded time and memory, with a finding, and the other
files of the run are still linted.

Each case runs in a subprocess under an address-space limit (`RLIMIT_AS`), a CPU-time limit
(`RLIMIT_CPU`: CPU seconds, so a loaded machine does not make it flaky) and a wall-clock timeout
as a backstop against a process that waits on something: a case that exceeds them fails as a
hang or a blow-up; nothing here asserts a speed.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.robustness.limits import run_limited

CPU_SECONDS = 60
WALL_SECONDS = 300

GOOD = (
    "---\nname: good\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n"
    "---\n\n# Good\n\nBody.\n"
)
FLAWED = GOOD.replace("name: good", "name: Bad_Name")  # one finding: SK111 on line 2
HEAD = "---\nname: hostile\ndescription: A hostile file. Use when testing skillkit.\n---\n"

# Lint the folders given in argv[2:] with `max_file_bytes` = argv[1]; print the findings as JSON.
RUNNER = """
import json, sys
from skillkit.engine.library import lint_paths
from skillkit.settings import Settings
settings = Settings(select=("ALL",), max_file_bytes=int(sys.argv[1]))
result = lint_paths(sys.argv[2:], settings)
print(json.dumps({
    "files": result.files,
    "findings": [[d.path, d.code, d.span.line, d.message] for d in result.diagnostics],
}))
"""


def lint_in_subprocess(root: Path, max_file_bytes: int) -> dict[str, list[tuple[str, int, str]]]:
    """Findings by skill folder name, from a bounded subprocess; also checks the run went on."""
    completed = run_limited(
        [sys.executable, "-c", RUNNER, str(max_file_bytes), str(root)],
        cpu_seconds=CPU_SECONDS,
        wall_seconds=WALL_SECONDS,
    )
    assert completed.returncode != -signal.SIGXCPU, f"over {CPU_SECONDS} s of CPU: a hang"
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    by_folder: dict[str, list[tuple[str, int, str]]] = {}
    for path, code, line, message in report["findings"]:
        by_folder.setdefault(Path(path).parent.name, []).append((code, line, message))
    # The run went on: all three files were linted, the flawed one has its finding.
    assert sorted(Path(path).parent.name for path in report["files"]) == [
        "flawed",
        "good",
        "hostile",
    ]
    assert ("SK111", 2) in [f[:2] for f in by_folder.pop("flawed")]
    by_folder.pop("good", None)
    return by_folder


def write_tree(root: Path, hostile: bytes) -> None:
    for name, data in (("good", GOOD.encode()), ("flawed", FLAWED.encode()), ("hostile", hostile)):
        (root / name).mkdir()
        (root / name / "SKILL.md").write_bytes(data)


# --- Over the size limit (the default, 1 MB): refused unread, one finding -------------------------


def fifty_megabytes() -> bytes:
    return (HEAD + "# Heading\n\nSome text, `code` and [a link](x.md).\n" * 1_100_000).encode()


def ten_megabyte_line() -> bytes:
    return (HEAD + "x" * 10_000_000 + "\n").encode()


def million_continuations() -> bytes:
    return (
        HEAD + "```sh\nvrctl app create demo \\\n" + "  --flag \\\n" * 1_000_000 + "```\n"
    ).encode()


@pytest.mark.parametrize(
    "make", [fifty_megabytes, ten_megabyte_line, million_continuations], ids=lambda f: f.__name__
)
def test_over_the_size_limit(tmp_path: Path, make: Callable[[], bytes]) -> None:
    data = make()
    write_tree(tmp_path, data)
    findings = lint_in_subprocess(tmp_path, 1_000_000)
    assert findings == {
        "hostile": [
            (
                "SK003",
                1,
                f"file is {len(data):,} bytes, over the limit of 1,000,000 "
                "(option `max-file-bytes`); it was not parsed",
            )
        ]
    }


# --- Parsed all the same (the limit raised to 64 MB): the parser's worst cases are linear ---------

BOMB = HEAD.replace(
    "---\n",
    "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    ),
    1,
)


def alias_bomb() -> bytes:
    return BOMB.encode()


def deep_yaml_flow() -> bytes:
    return ("---\nname: x\nmetadata: " + "[" * 100_000 + "]" * 100_000 + "\n---\n").encode()


def deep_yaml_block() -> bytes:
    return ("---\nname: x\n" + "".join(" " * i + "k:\n" for i in range(2_000)) + "---\n").encode()


def nested_list_items() -> bytes:
    # 10,000 nested items on one line (each on a line of its own would make a 100 MB file);
    # then lines of nested items and quotes, and 1,000 items each a line deeper.
    return (
        HEAD
        + "- " * 10_000
        + "item\n"
        + ("- " * 5_000 + "> " * 5_000 + "item\n") * 100
        + "".join("  " * depth + "- item\n" for depth in range(1_000))
    ).encode()


def hundred_thousand_headings() -> bytes:
    return (
        HEAD + "".join(f"{'#' * (1 + n % 6)} H{n}\n\nText with `code`.\n" for n in range(100_000))
    ).encode()


def million_continuations_parsed() -> bytes:
    # One line in ten carries a word: a million continuations, a hundred thousand words.
    lines = ("  --flag \\\n" + "\\\n" * 9) * 100_000
    return (HEAD + "```sh\nvrctl app create demo \\\n" + lines + "```\n").encode()


def ten_megabyte_inline_line() -> bytes:
    # Code spans of many widths, unclosed backticks, links, pointy targets, brackets.
    piece = "`` ` [a](<b [c](d) ``` ![e](<f> g \\` "
    return (HEAD + piece * (10_000_000 // len(piece)) + "\n").encode()


def ten_megabyte_heading_line() -> bytes:
    return (HEAD + "# a" + " \t" * 5_000_000 + "b #\n").encode()


def shell_worst_cases() -> bytes:
    block = "cat <<a\na\n" * 50_000 + "$(" * 50_000 + "\n" + "<a" * 200_000 + "\n" + "'\"" * 50_000
    return (HEAD + "```sh\n" + block + "\n```\n").encode()


def unclosed_everything() -> bytes:
    return (HEAD + "<!--\n" * 100_000 + "```\n" * 100_000).encode()


def rule_worst_cases() -> bytes:
    # Rules that looked at every span (or every run) for each span: guardrail bullets with
    # inline code, long lines of paths and of inline commands, many services.
    return (
        HEAD
        + "## Guardrails\n"
        + "- Never run `rm -rf /`\n" * 20_000
        + "`scripts/x.py` " * 20_000
        + "\n"
        + "`vrctl service add x --cmd y` " * 10_000
        + "\n```sh\n"
        + "vrctl service add web --cmd uv --arg run --port 8000\n" * 5_000
        + "```\n"
    ).encode()


CASES: list[tuple[Callable[[], bytes], str | None]] = [
    (alias_bomb, "SK108"),
    (deep_yaml_flow, "SK108"),
    (deep_yaml_block, "SK108"),
    (nested_list_items, None),
    (hundred_thousand_headings, None),
    (million_continuations_parsed, None),
    (ten_megabyte_inline_line, None),
    (ten_megabyte_heading_line, None),
    (shell_worst_cases, None),
    (unclosed_everything, None),
    (rule_worst_cases, None),
]


@pytest.mark.parametrize(("make", "expected"), CASES, ids=[c[0].__name__ for c in CASES])
def test_parsed_in_bounded_cost(
    tmp_path: Path, make: Callable[[], bytes], expected: str | None
) -> None:
    write_tree(tmp_path, make())
    findings = lint_in_subprocess(tmp_path, 64_000_000)
    codes = {code for code, _, _ in findings.get("hostile", [])}
    assert "SK000" not in codes, findings  # no rule crashed
    if expected is not None:
        assert expected in codes, findings
