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
from skillkit.engine.library import lint_paths
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
PARTIAL = "move it into a shared partial so that the copies stay the same"

EXPECTED_VIBERUN = [
    # Line 21 tells the agent to run `vrctl host branch apply <branch>`; the viberun profile
    # asks a skill that runs vrctl for a Guardrails section, and this one has none.
    ("branch-apply-conflicts/SKILL.md", "SK301", 21, NO_GUARDRAILS.format(21)),
    # Line 35 registers a service; no Guardrails section in the file.
    ("cron-jobs/SKILL.md", "SK301", 35, NO_GUARDRAILS.format(35)),
    # No SK410 on line 35: `supercronic /home/viberun/app/cron.tab` is given its crontab by
    # absolute path and each job does its own `cd`, so the service folder does not matter.
    # Line 10 says "Use `vrctl` to supervise services"; no Guardrails section in the file.
    ("service-management/SKILL.md", "SK301", 10, NO_GUARDRAILS.format(10)),
    # `--cmd node --arg server.js` runs `node server.js`: a .js entry point, which the viberun
    # TypeScript policy (the skills' own "Never use plain JavaScript") forbids. A warning: the
    # command works.
    (
        "service-management/SKILL.md",
        "SK304",
        30,
        "`node server.js` runs the JavaScript entry point `server.js`; use a `.ts` entry "
        "(`node server.ts`)",
    ),
    # No SK410 on lines 31 and 52: both run through `mise exec -C /home/viberun/app`, and mise
    # changes into that folder before it runs redis-server or php (mise's `-C/--cd`), so the
    # service runs in the app folder without `--cwd`.
    # "Remove a service:" then `vrctl service remove redis`, and nothing re-adds redis; section
    # "Common Tasks" (lines 41-77) says nothing about a snapshot or asking the user.
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


STALE_REF = (
    "stale guidance (accept a full snapshot ref and pass it as-is): the host accepts only "
    "`latest` or a tag without `/` or `:` (older releases took `repo:tag`); today: pass a tag "
    "from `vrctl host snapshots` (`v3`) or `latest`"
)
STALE_DISCONNECT = (
    "stale guidance (restore disconnects the session): `vrctl host restore` reconnects the "
    "session by itself (older releases disconnected it and the user had to reconnect); today: "
    "say the session reconnects by itself, then re-check the services"
)
STALE_CLI = (
    "stale guidance (`viberun <app> snapshot|restore|url` on the user's machine): newer viberun "
    "releases take these inside the viberun shell, not as `viberun` arguments; today: `app "
    "<app>`, then `snapshot` (or `restore <ref>`, `url public`) inside the viberun shell"
)
# Three skills share the Snapshot guidance section word for word. Its "Accept either a tag or
# full ref; ... pass it as-is" is stale (the host takes only `latest` or a tag without `/` or
# `:`, vrctl.md "host"), and so is "Restore will disconnect the session; tell the user to
# re-run `viberun`, then `vibe <app>`" (restore now prints "reconnecting to the session" and
# the client reconnects by itself). Their `app <app>` then `snapshot` lines are current.
EXPECTED_STALE = [
    ("background-service/SKILL.md", "SK419", 74, STALE_REF),
    ("background-service/SKILL.md", "SK419", 75, STALE_DISCONNECT),
    ("cron-jobs/SKILL.md", "SK419", 67, STALE_REF),
    ("cron-jobs/SKILL.md", "SK419", 68, STALE_DISCONNECT),
    ("web-service/SKILL.md", "SK419", 91, STALE_REF),
    ("web-service/SKILL.md", "SK419", 92, STALE_DISCONNECT),
]


def test_viberun_corpus_findings_are_exactly_the_true_ones() -> None:
    found = _pinned(VIBERUN, "viberun")
    assert [f for f in found if f[1] != "SK419"] == EXPECTED_VIBERUN
    assert [f for f in found if f[1] == "SK419"] == EXPECTED_STALE


def test_the_drift_finding_points_at_the_copy_it_drifted_from() -> None:
    found = _ours(lint_paths([VIBERUN], Settings(target="viberun")).diagnostics)
    drift = next(d for d in found if d.code == "SK601" and d.span.line == 101)
    assert [(r.path, r.span.line, r.message) for r in drift.related] == [
        (str(VIBERUN / "background-service" / "SKILL.md"), 60, "the copy it drifted from")
    ]


def test_the_tokens_the_real_skills_pass_through_vrctl_are_not_findings() -> None:
    # `--arg -C`, `--arg --`, `--arg --bind`, `...` and the mentions appear in four of the
    # skills; no command of theirs breaks vrctl's grammar.
    found = _ours(lint_paths([VIBERUN], Settings(target="viberun")).diagnostics)
    # (SK419 reads prose, not commands: its findings are pinned above.)
    assert {d.code for d in found if d.code.startswith("SK4")} == {"SK419"}


def test_no_finding_on_the_other_corpus_skills() -> None:
    others = [
        folder for folder in sorted(CORPUS.iterdir()) if folder.is_dir() and folder != VIBERUN
    ]
    skills = [p for folder in others for p in folder.rglob("SKILL.md")]
    assert len(skills) == 22
    for folder in others:
        assert _pinned(folder, "spec") == []


def test_the_seed_skill_has_only_its_stale_guidance(tmp_path: Path) -> None:
    # The seed is an older background-service: besides the two stale lines the corpus copies
    # still have, it sends the user to `viberun <app> snapshot` and `viberun <app> restore
    # <ref>` (lines 71 and 76), which newer viberun runs as `app <app>`, then `snapshot` inside
    # the viberun shell (vrctl.md, "Stale forms"). Nothing else in it is a finding.
    folder = tmp_path / "background-service"
    folder.mkdir()
    (seed,) = SEED.glob("*.txt")
    shutil.copyfile(seed, folder / "SKILL.md")
    expected = [
        ("background-service/SKILL.md", "SK419", 71, STALE_CLI),
        ("background-service/SKILL.md", "SK419", 74, STALE_REF),
        ("background-service/SKILL.md", "SK419", 75, STALE_DISCONNECT),
        ("background-service/SKILL.md", "SK419", 76, STALE_CLI),
    ]
    assert _pinned(tmp_path, "viberun") == expected
    assert _pinned(tmp_path, "spec") == expected
