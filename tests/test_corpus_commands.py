"""The command, guardrail and drift families (SK3, SK4, SK6) on the real corpus.

`../shared/corpus/viberun/` is linted with `--target viberun` (which turns on the policies),
every other corpus folder with the default target, each folder in one run (so SK601 compares
the skills of that folder). Every pinned finding was checked by hand against
`../shared/docs/vrctl.md`; the comments say why each is true. What must NOT be a finding is
pinned too: the `--arg -C`, `--arg --` and `--arg --bind` tokens, the `...` ellipses, the
mentions (`vrctl service add` alone in prose), the seed skill, and the 22 other skills.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from skillkit.diagnostics import Diagnostic
from skillkit.lint import lint_paths
from skillkit.settings import Settings
from tests.helpers import CORPUS, SEED, needs_shared

pytestmark = needs_shared

FAMILIES = ("SK3", "SK4", "SK6")
VIBERUN = CORPUS / "viberun"


# The skill-set rules (listing budget, competing triggers) read descriptions, not commands:
# tests/test_listing.py pins them on the corpus.
SKILL_SET_RULES = ("SK602", "SK603")


def _ours(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code.startswith(FAMILIES) and d.code not in SKILL_SET_RULES]


def _pinned(folder: Path, target: str) -> list[tuple[str, str, int, str]]:
    found = _ours(lint_paths([folder], Settings(target=target)).diagnostics)
    prefix = str(folder) + "/"
    return [
        (d.path.replace(prefix, ""), d.code, d.span.line, d.message.replace(prefix, ""))
        for d in found
    ]


NO_GUARDRAILS = (
    "no `Guardrails` section: this skill runs `vrctl` (line {}); add `## Guardrails` with at "
    "least one bullet"
)
NO_CWD = (
    "`vrctl service add {0}` has no `--cwd`: the process would run in the service folder "
    "(~/.local/services/{0}); add `--cwd /home/viberun/app`"
)
PARTIAL = "move it into a shared partial so that the copies stay the same"

EXPECTED_VIBERUN = [
    # Line 21 tells the agent to run `vrctl host branch apply <branch>`; the viberun profile
    # asks a skill that runs vrctl for a Guardrails section, and this one has none.
    ("branch-apply-conflicts/SKILL.md", "SK301", 21, NO_GUARDRAILS.format(21)),
    # Line 35 registers a service; no Guardrails section in the file.
    ("cron-jobs/SKILL.md", "SK301", 35, NO_GUARDRAILS.format(35)),
    # `vrctl service add cron --cmd supercronic --arg /home/viberun/app/cron.tab`: no --cwd,
    # so supercronic runs in ~/.local/services/cron (vrctl.md, `--cwd`).
    ("cron-jobs/SKILL.md", "SK410", 35, NO_CWD.format("cron")),
    # Line 10 says "Use `vrctl` to supervise services"; no Guardrails section in the file.
    ("service-management/SKILL.md", "SK301", 10, NO_GUARDRAILS.format(10)),
    # `--cmd node --arg server.js` runs `node server.js`: a .js entry point, which the viberun
    # TypeScript policy (the skills' own "Never use plain JavaScript") forbids.
    (
        "service-management/SKILL.md",
        "SK304",
        30,
        "`node server.js` runs the JavaScript entry point `server.js`; use a `.ts` entry "
        "(`node server.ts`)",
    ),
    # The redis line has `--arg -C --arg /home/viberun/app --arg -- ... --arg --bind` (all
    # fine: --arg takes the next word verbatim) but no --cwd.
    ("service-management/SKILL.md", "SK410", 31, NO_CWD.format("redis")),
    # The multi-line worker command (lines 52-57) has no --cwd either.
    ("service-management/SKILL.md", "SK410", 52, NO_CWD.format("worker")),
    # "Remove a service:" then `vrctl service remove redis`; section "Common Tasks" (lines
    # 41-77) says nothing about a snapshot or asking the user.
    (
        "service-management/SKILL.md",
        "SK305",
        75,
        "`vrctl service remove redis` is destructive, but section `Common Tasks` says nothing "
        "about a snapshot or asking the user first",
    ),
    # SK601, re-judged (issue 12): `--target viberun` compares its policy sections only.
    # Not drift, so not pinned: `Version freshness` in version-control (its middle bullet is
    # rewritten for git and gh, on purpose), `vrctl template` and `mise-managed executables`
    # in web-service (`<app>` for `<name>`, a moved ` \` and two `--env` lines added: the web
    # variant, and not a policy section), `Language/tooling preferences` in web-service (one
    # line added). What stays: the same first bullet, then for the same situation ("the
    # supervisor is not listening") one copy says wait and retry once, the other stop and tell
    # the user: two orders.
    (
        "web-service/SKILL.md",
        "SK601",
        101,
        "section `Guardrails` has drifted from its copy in background-service/SKILL.md:60 "
        '("…is not listening, wait briefly and retry once. If it still fails, ask the user to '
        'restart the app session." there, "…is not listening, stop and tell the user to restart '
        f'the app session instead of trying to fix s6 manually." here); {PARTIAL}',
    ),
]


def test_viberun_corpus_findings_are_exactly_the_true_ones() -> None:
    assert _pinned(VIBERUN, "viberun") == EXPECTED_VIBERUN


def test_the_drift_finding_points_at_the_copy_it_drifted_from() -> None:
    found = _ours(lint_paths([VIBERUN], Settings(target="viberun")).diagnostics)
    drift = next(d for d in found if d.code == "SK601" and d.span.line == 101)
    assert [(r.path, r.span.line, r.message) for r in drift.related] == [
        (str(VIBERUN / "background-service" / "SKILL.md"), 60, "the copy it drifted from")
    ]


def test_the_tokens_the_real_skills_pass_through_vrctl_are_not_findings() -> None:
    # `--arg -C`, `--arg --`, `--arg --bind`, `...` and the mentions appear in four of the
    # skills; the only command finding is the missing --cwd.
    found = _ours(lint_paths([VIBERUN], Settings(target="viberun")).diagnostics)
    assert {d.code for d in found if d.code.startswith("SK4")} == {"SK410"}


def test_no_finding_on_the_other_corpus_skills() -> None:
    others = [
        folder for folder in sorted(CORPUS.iterdir()) if folder.is_dir() and folder != VIBERUN
    ]
    skills = [p for folder in others for p in folder.rglob("SKILL.md")]
    assert len(skills) == 22
    for folder in others:
        assert _pinned(folder, "spec") == []


def test_no_finding_on_the_seed_skill(tmp_path: Path) -> None:
    folder = tmp_path / "background-service"
    folder.mkdir()
    (seed,) = SEED.glob("*.txt")
    shutil.copyfile(seed, folder / "SKILL.md")
    assert _pinned(tmp_path, "viberun") == []
    assert _pinned(tmp_path, "spec") == []
