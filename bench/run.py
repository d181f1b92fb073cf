"""The benchmark behind skillkit's speed claims: `uv run python bench/run.py`.

It builds the scaled corpus (`../shared/corpus/` copied 100 times: 2,800 skills, each with its
sibling files so that references resolve) in a temporary folder, then runs every measurement as a
whole process, several times, interleaved round by round so that a busy machine slows all of them
alike, and reports medians:

- `skillkit lint --select ALL` (every rule, the policies off by default too) cold
  (`--no-cache`), warm (cache filled, nothing changed), after one file changed, and on a single
  file (the pre-commit case: one changed file, the project's cache there);
- `near copies`: as many skills again, of about the corpus's size, whose sections are all
  near-copies of each other (every other skill edits one line of each), cold: the cost of the
  cross-skill rule SK601 where it has the most to compare (such a project once took minutes);
- baselines: the official validator's Python API (`skills_ref.validator.validate`) looping over
  the same skill folders in one process, the import floor `python -c "import yaml, markdown_it"`,
  and the fastest peer, agnix (Rust, from PyPI through `uv tool run`), cold (it keeps no cache)
  with every rule on (its default target, `generic`), on a copy of the same skills that holds
  their SKILL.md files only (it refuses a folder of more than 10,000 files). Where agnix cannot
  be installed (no uv, no network), its baseline is skipped with a line that says why.

Peak memory is the largest resident set of any one process of a run (`wait4`'s `ru_maxrss`, which
covers the pool's workers too). CPU seconds (user + system, workers included) are printed too:
on a machine that other work keeps busy, wall-clock ratios of a parallel run swing with the load,
and the CPU ratio says how much work each tool does. Children run without
PYTHONDONTWRITEBYTECODE, as a user's shell would: every command is run once untimed first, so
each starts from compiled bytecode.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
MIB = 1024 * 1024

# The official validator's API loop: the skill folders come in a file, so that its time is
# validation alone (no walk).
VALIDATOR_LOOP = """
import sys
from pathlib import Path
from skills_ref.validator import validate
folders = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
problems = 0
for folder in folders:
    problems += len(validate(Path(folder)))
print(problems, "problems in", len(folders), "skills")
"""

TARGETS = {  # measurement: (baseline, most it may take as a multiple of the baseline)
    "cold": ("validator", 0.6),
    "warm": ("validator", 0.1),
    "one changed": ("validator", 0.15),
    "single file": ("import floor", 2.5),
    "near copies": ("cold", 1.5),
}
# The second baseline: measurement → most it may take as a multiple of agnix cold (None: the
# ratio is reported, with no target).
AGNIX = "agnix==0.59.3"  # pinned, so that runs months apart compare against the same peer
AGNIX_TARGETS: dict[str, float | None] = {"cold": 1.0, "warm": None}
MEMORY_TARGET_MIB = 100.0


@dataclass
class Measurement:
    name: str
    command: list[str]
    before: Callable[[int], None] | None = None  # run before each run (untimed), given its index
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)  # user + system, children included
    peak_bytes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float | None:
        return statistics.median(self.cpu_seconds) if self.cpu_seconds else None

    @property
    def peak_mib(self) -> float | None:
        return max(self.peak_bytes) / MIB if self.peak_bytes else None


def build_corpus(source: Path, target: Path, copies: int) -> list[Path]:
    """`copies` copies of the corpus under `target`; SKILL.md files are real copies (the
    benchmark edits one), sibling files hard links where the filesystem allows. Everything is
    dated an hour back, as in a checkout nobody is editing this second."""
    skills: list[Path] = []
    for index in range(copies):
        root = target / f"copy-{index:03d}"
        for folder, _folders, files in os.walk(source):
            relative = Path(folder).relative_to(source)
            (root / relative).mkdir(parents=True, exist_ok=True)
            for name in files:
                origin, copy = Path(folder) / name, root / relative / name
                if name == "SKILL.md":
                    shutil.copyfile(origin, copy)
                    skills.append(copy)
                    continue
                try:
                    os.link(origin, copy)
                except OSError:
                    shutil.copyfile(origin, copy)
    an_hour_ago = time.time() - 3600
    for folder, _folders, files in os.walk(target):
        for name in [*files, "."]:
            os.utime(os.path.join(folder, name), (an_hour_ago, an_hour_ago))
    return sorted(skills)


NEAR_COPY_TITLES = (
    "Version freshness",
    "Workflow",
    "Common checks",
    "Guardrails",
    "User-facing notes",
    "Snapshot guidance",
)


def build_near_copies(target: Path, count: int, lines: int = 10) -> list[Path]:
    """`count` skills with the same sections: the even ones word for word alike, each odd one
    with the first line of every section edited its own way (a drifted copy), so that every
    title has thousands of distinct near-copies to compare."""
    skills: list[Path] = []
    for number in range(count):
        body: list[str] = []
        for title in NEAR_COPY_TITLES:
            body.append(f"## {title}")
            for line in range(lines):
                wait = f"wait {number} seconds" if number % 2 and not line else "wait briefly"
                body.append(
                    f"- When step {line} of the {title.lower()} fails, {wait} and retry once; if "
                    "it still fails, ask the user to restart the app session before going on."
                )
            body.append("")
        folder = target / f"skill-{number:05d}"
        folder.mkdir(parents=True)
        path = folder / "SKILL.md"
        path.write_text(
            f"---\nname: skill-{number:05d}\ndescription: Runs job {number} in the container. "
            f"Use when the user asks for job {number}.\n---\n\n# skill-{number:05d}\n\n"
            + "\n".join(body),
            encoding="utf-8",
        )
        skills.append(path)
    an_hour_ago = time.time() - 3600
    for path in skills:
        os.utime(path, (an_hour_ago, an_hour_ago))
    return skills


def build_skills_only(skills: Sequence[Path], source: Path, target: Path) -> None:
    """Copies of the SKILL.md files alone, in the same folders: agnix refuses a folder of more
    than 10,000 files, which the scaled corpus's sibling files exceed. Real copies, not links:
    the benchmark edits two of the originals."""
    for skill in skills:
        copy = target / skill.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(skill, copy)


def find_agnix(env: dict[str, str]) -> tuple[str | None, str]:
    """The agnix executable (installed by `uv tool run` into uv's cache on first use) and its
    version line; or None and why it cannot be had."""
    uv = shutil.which("uv")
    if uv is None:
        return None, "uv is not on PATH"
    where = [uv, "tool", "run", "--from", AGNIX, "python", "-c"]
    found = subprocess.run(
        [*where, "import shutil; print(shutil.which('agnix') or '')"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    executable = found.stdout.strip()
    if found.returncode != 0 or not executable:
        reason = (found.stderr.strip().splitlines() or ["no agnix executable"])[-1].strip()
        return None, f"`uv tool run --from {AGNIX}` failed: {reason}"
    version = subprocess.run(
        [executable, "--version"], env=env, capture_output=True, text=True, check=False
    )
    return executable, version.stdout.strip() or AGNIX


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


def run_once(
    command: Sequence[str], cwd: Path, env: dict[str, str]
) -> tuple[float, float | None, int | None]:
    """Wall seconds, CPU seconds (user + system, with the pool's workers) and peak resident
    bytes of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        # ru_maxrss is in KiB on Linux, in bytes on macOS.
        peak: int | None = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        cpu: float | None = usage.ru_utime + usage.ru_stime
    else:  # pragma: no cover - Windows: no rusage of one child
        process.wait()
        elapsed, cpu, peak = time.perf_counter() - start, None, None
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode not in (0, 1):  # 1: the corpus has findings
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{error}")
    return elapsed, cpu, peak


def output_of(command: Sequence[str], cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    ).stdout


def skillkit_command() -> list[str]:
    script = Path(sys.executable).with_name("skillkit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "skillkit"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--copies", type=int, default=100, help="corpus copies (default 100)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument(
        "--json", type=Path, default=HERE / "results.json", help="where to write the results"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus to scale")
    args = parser.parse_args(argv)

    env = child_environment()
    with tempfile.TemporaryDirectory(prefix="skillkit-bench-") as temporary:
        work = Path(temporary)
        root = work / "skills"
        skills = build_corpus(args.corpus, root, args.copies)
        size = sum(path.stat().st_size for path in skills)
        folders = work / "folders.txt"
        folders.write_text("".join(f"{path.parent}\n" for path in skills), encoding="utf-8")
        cache = work / "cache"
        changed = skills[len(skills) // 2]
        original = changed.read_bytes()
        single = skills[len(skills) // 3]
        single_original = single.read_bytes()
        near = work / "near-copies"
        build_near_copies(near, len(skills))
        agnix, agnix_version = find_agnix(env)
        skills_only = work / "skills-only"
        if agnix is not None:
            build_skills_only(skills, root, skills_only)

        def change(path: Path, text: bytes) -> Callable[[int], None]:
            def edit(index: int) -> None:
                # A new comment each time: the file differs from what the cache holds.
                path.write_bytes(text + f"\n<!-- edited for run {index} -->\n".encode())

            return edit

        # Every rule on, the policies that are off by default too: the targets are for all of
        # skillkit's work, not for a lighter default set.
        skillkit = [*skillkit_command(), "lint", "--select", "ALL"]

        def fill_cache(index: int) -> None:
            # The other measurements edit files: one untimed run first, so that nothing has
            # changed since the cache was filled.
            run_once([*skillkit, "--cache-dir", str(cache), str(root)], work, env)

        measurements = [
            Measurement("import floor", [sys.executable, "-c", "import yaml, markdown_it"]),
            Measurement("validator", [sys.executable, "-c", VALIDATOR_LOOP, str(folders)]),
            Measurement("cold", [*skillkit, "--no-cache", str(root)]),
            Measurement(
                "warm",
                [*skillkit, "--cache-dir", str(cache), str(root)],
                fill_cache,
            ),
            Measurement(
                "one changed",
                [*skillkit, "--cache-dir", str(cache), str(root)],
                change(changed, original),
            ),
            Measurement(
                "single file",
                [*skillkit, "--cache-dir", str(cache), str(single)],
                change(single, single_original),
            ),
            Measurement("near copies", [*skillkit, "--no-cache", str(near)]),
        ]
        if agnix is not None:
            measurements.append(Measurement("agnix", [agnix, str(skills_only)]))
        print(
            f"corpus: {len(skills):,} skills ({size / MIB:.1f} MiB of SKILL.md) in {root}; "
            f"{args.runs} runs each, {os.cpu_count()} cores, Python {platform.python_version()}",
            flush=True,
        )
        if agnix is None:
            print(f"agnix baseline skipped: {agnix_version}", flush=True)
        else:
            print(f"second baseline: {agnix_version}, cold, on {skills_only}", flush=True)
        # Untimed: compile bytecode, fill the cache, warm the page cache; and check that the
        # cache changes nothing in what is reported.
        cold_output = output_of(measurements[2].command, work, env)
        filling_output = output_of(measurements[3].command, work, env)
        warm_output = output_of(measurements[3].command, work, env)
        if not cold_output == filling_output == warm_output:
            raise SystemExit("cold and warm runs report different findings: the cache is wrong")
        for measurement in measurements:
            if measurement.before:
                measurement.before(-1)
            run_once(measurement.command, work, env)
        for index in range(args.runs):
            for measurement in measurements:
                if measurement.before:
                    measurement.before(index)
                seconds, cpu, peak = run_once(measurement.command, work, env)
                measurement.seconds.append(seconds)
                if cpu is not None:
                    measurement.cpu_seconds.append(cpu)
                if peak is not None:
                    measurement.peak_bytes.append(peak)
            print(f"  round {index + 1}/{args.runs} done", flush=True)
        changed.write_bytes(original)
        single.write_bytes(single_original)

    by_name = {measurement.name: measurement for measurement in measurements}

    def compare(measurement: Measurement, baseline: str, target: float | None) -> dict[str, object]:
        base = by_name[baseline]
        ratio = measurement.median / base.median
        comparison: dict[str, object] = {
            "baseline": baseline,
            "ratio": ratio,
            "target": target,
            "met": None if target is None else ratio <= target,
        }
        cpu, base_cpu = measurement.median_cpu, base.median_cpu
        if cpu is not None and base_cpu:
            comparison["cpu_ratio"] = cpu / base_cpu
        return comparison

    rows: list[dict[str, object]] = []
    against_agnix: list[tuple[str, dict[str, object]]] = []
    for measurement in measurements:
        row: dict[str, object] = {
            "name": measurement.name,
            "command": " ".join(measurement.command),
            "seconds": measurement.seconds,
            "median_seconds": measurement.median,
            "cpu_seconds": measurement.cpu_seconds,
            "median_cpu_seconds": measurement.median_cpu,
            "peak_mib": measurement.peak_mib,
        }
        if measurement.name in TARGETS:
            row.update(compare(measurement, *TARGETS[measurement.name]))
        if "agnix" in by_name and measurement.name in AGNIX_TARGETS:
            versus = compare(measurement, "agnix", AGNIX_TARGETS[measurement.name])
            row["against_agnix"] = versus
            against_agnix.append((measurement.name, versus))
        rows.append(row)
    skillkit_peak = max(
        (m.peak_mib or 0.0) for m in measurements if m.name in TARGETS and m.peak_mib is not None
    )
    memory_met = skillkit_peak <= MEMORY_TARGET_MIB

    def ratio_columns(comparison: dict[str, object]) -> str:
        short = {"import floor": "floor"}.get(str(comparison["baseline"]))
        ratio_text = f"{comparison['ratio']:.3f}x {short or comparison['baseline']:<12}"
        target = comparison["target"]
        target_text = f"{target:<6}" if target is not None else "-     "
        met = comparison["met"]
        met_text = "-" if met is None else "yes" if met else "NO"
        cpu_ratio = comparison.get("cpu_ratio")
        cpu_ratio_text = f"{cpu_ratio:8.3f}x" if isinstance(cpu_ratio, float) else " " * 9
        return f"| {ratio_text} | {target_text} | {met_text:<3} | {cpu_ratio_text} |"

    print()
    print(
        f"| {'measurement':<13} | median s | CPU s  | peak MiB | {'ratio':<19} | target | met "
        "| CPU ratio |"
    )
    print(f"|{'-' * 15}|{'-' * 10}|{'-' * 8}|{'-' * 10}|{'-' * 21}|{'-' * 8}|{'-' * 5}|{'-' * 11}|")
    for row in rows:
        row_peak = row["peak_mib"]
        peak_text = f"{row_peak:8.1f}" if isinstance(row_peak, float) else "       -"
        row_cpu = row["median_cpu_seconds"]
        cpu_text = f"{row_cpu:6.2f}" if isinstance(row_cpu, float) else "     -"
        ratio_text = (
            ratio_columns(row)
            if "ratio" in row
            else f"| {'baseline':<19} | {'':<6} | {'':<3} | {'':<9} |"
        )
        print(
            f"| {row['name']:<13} | {row['median_seconds']:8.3f} | {cpu_text} | {peak_text} "
            + ratio_text
        )
    for name, versus in against_agnix:
        print(f"| {name:<13} | {'':<8} | {'':<6} | {'':<8} " + ratio_columns(versus))
    print(
        f"\npeak memory of skillkit: {skillkit_peak:.1f} MiB (target <= {MEMORY_TARGET_MIB:.0f}): "
        f"{'met' if memory_met else 'NOT met'}"
    )
    if "agnix" not in by_name:
        print(f"agnix baseline skipped: {agnix_version}")
    results = {
        "corpus": {"skills": len(skills), "copies": args.copies, "skill_md_bytes": size},
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "runs": args.runs,
        "measurements": rows,
        "peak_mib": skillkit_peak,
        "memory_target_mib": MEMORY_TARGET_MIB,
        "memory_met": memory_met,
        "agnix": agnix_version if agnix is not None else None,
        "agnix_skipped": None if agnix is not None else agnix_version,
        "all_met": memory_met
        and all(row.get("met", True) for row in rows)
        and all(versus["met"] is not False for _name, versus in against_agnix),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
