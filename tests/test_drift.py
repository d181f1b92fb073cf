"""SK601: sections that skills share, whose copies have drifted apart.

The skills here have the shapes of real ones (the viberun skills, a plugin of connector skills
that each name their connector), written for these tests."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from skillkit.cli import main
from skillkit.config.files import load_config
from skillkit.engine.library import lint_paths
from skillkit.render import render
from skillkit.rules.drift import drifted_lines, path_matches, shown_change
from skillkit.settings import Settings
from tests.helpers import write_skill


def _skill(name: str, sections: str, heading: str = "") -> str:
    return (
        f"---\nname: {name}\ndescription: Runs {name}. Use when the user asks.\n---\n\n"
        f"# {heading or name}\n\n{sections}"
    )


GUARDRAILS = (
    "## Guardrails\n"
    "- Do not call s6 or manage supervisors directly.\n"
    "- If vrctl reports the supervisor is not listening, wait briefly and retry once. If it "
    "still fails, ask the user to restart the app session.\n"
)
# The same situation, another order: the copies tell agents two different things.
GUARDRAILS_DRIFTED = GUARDRAILS.replace(
    "wait briefly and retry once. If it still fails, ask the user",
    "stop and tell the user",
)

TEMPLATE = (
    "## vrctl template\n"
    "```\n"
    "vrctl service add <name> \\\n"
    "  --cmd <executable> \\\n"
    "  --arg <arg> \\\n"
    "  --cwd /home/viberun/app\n"
    "```\n"
)
# web-service's copy: `<app>` for `<name>`, the continuation moved, two lines added.
TEMPLATE_WEB = (
    "## vrctl template\n"
    "```\n"
    "vrctl service add <app> \\\n"
    "  --cmd <executable> \\\n"
    "  --arg <arg> \\\n"
    "  --cwd /home/viberun/app \\\n"
    "  --env PORT=8080 \\\n"
    "  --env HOST=0.0.0.0\n"
    "```\n"
)

FRESHNESS = (
    "## Version freshness\n"
    "- Knowledge cutoff is 2024 and the current date is 2026. Do not assume latest versions.\n"
    "- When installing/pinning tools, verify via `mise ls-remote <tool>` and/or `brew info "
    "<formula>` before choosing versions.\n"
    "- For API/flag details, prefer `--help` output or current docs instead of memory.\n"
)
# version-control's copy: the middle bullet rewritten for git and gh, on purpose.
FRESHNESS_GIT = FRESHNESS.replace(
    "- When installing/pinning tools, verify via `mise ls-remote <tool>` and/or `brew info "
    "<formula>` before choosing versions.",
    "- When users ask about latest Git/GH versions or APIs, verify with `git --version`, "
    "`gh --version`, `mise ls-remote`, or `brew info` instead of guessing.",
)


def _lint(
    root: Path, skills: dict[str, str], settings: Settings | None = None
) -> list[tuple[str, int, str]]:
    for name, text in skills.items():
        write_skill(root, text if text.startswith("---") else _skill(name, text), name)
    found = lint_paths([root], settings or Settings(select=("SK601",))).diagnostics
    return [
        (str(Path(d.path).parent.relative_to(root)), d.span.line, d.message.replace(f"{root}/", ""))
        for d in found
    ]


def test_an_edited_line_is_reported_with_the_words_that_differ(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        {"alpha": GUARDRAILS, "beta": GUARDRAILS, "gamma": GUARDRAILS_DRIFTED},
        Settings(select=("SK601",), target="viberun"),
    )
    assert found == [
        (
            "gamma",
            8,
            "section `Guardrails` has drifted from its copy in alpha/SKILL.md:8 ("
            '"…is not listening, wait briefly and retry once. If it still fails, ask the user '
            'to…" there, "…is not listening, stop and tell the user to…" here); move it into a '
            "shared partial so that the copies stay the same",
        )
    ]


def test_the_message_shows_where_two_long_lines_differ_not_where_they_are_cut() -> None:
    # Both lines are the same for their first 60 characters: the change is what is shown.
    there = "- If vrctl reports the supervisor is not listening, wait briefly and retry once."
    here = "- If vrctl reports the supervisor is not listening, wait briefly and retry twice."
    assert shown_change(there, here) == (
        '"…briefly and retry once." there, "…briefly and retry twice." here'
    )


def test_a_line_turned_around_is_drift_though_it_only_loses_words(tmp_path: Path) -> None:
    turned = GUARDRAILS.replace("- Do not call s6", "- Call s6")
    found = _lint(
        tmp_path,
        {"alpha": GUARDRAILS, "beta": GUARDRAILS, "gamma": turned},
        Settings(select=("SK601",), target="viberun"),
    )
    assert [(folder, line) for folder, line, _ in found] == [("gamma", 8)]
    assert '("- Do not call s6 or manage…" there, "- Call s6 or manage…" here)' in found[0][2]


def test_added_lines_another_placeholder_and_a_moved_continuation_are_a_variant(
    tmp_path: Path,
) -> None:
    listed = Settings(select=("SK601",), shared_sections=("vrctl template",))
    found = _lint(tmp_path, {"background": TEMPLATE, "cron": TEMPLATE, "web": TEMPLATE_WEB}, listed)
    assert found == []


def test_added_words_are_a_variant_and_a_renumbered_list_too(tmp_path: Path) -> None:
    steps = "Check Memory Bank → 2. Add Connector → 3. Configure → 4. Build → 5. Update Memory Bank"
    workflow = f"## Workflow\n1. {steps}\n"
    longer = (
        "## Workflow\n1. "
        + steps.replace("→", "->").replace(
            "2. Add Connector -> 3. Configure -> 4. Build -> 5.",
            "2. Gather -> 3. Add Connector -> 4. Configure -> 5. Build -> 6.",
        )
        + "\n"
    )
    # A step added in the middle: the numbers after it must not pair the wrong steps.
    fixed = workflow.replace(
        "3. Configure → 4. Build → 5.", "3. Apply HttpRequest Fix → 4. Configure → 5. Build → 6."
    )
    found = _lint(tmp_path, {"alpha": workflow, "beta": workflow, "gamma": longer, "delta": fixed})
    assert found == []
    # And the other way: the copies most skills share have the step, one has not.
    found = _lint(tmp_path, {"alpha": fixed, "beta": fixed, "gamma": fixed, "delta": workflow})
    assert found == []


def test_a_long_line_is_compared_up_to_its_cut(tmp_path: Path) -> None:
    # Each copy names its own connector early in a paragraph longer than what is compared, so
    # the cut falls on other words in each: that is no change.
    def connector(name: str) -> str:
        return (
            "## Add Connector\n"
            f"Find the {name} connection in the output. If none exists, direct the user to "
            + "create one from the environment's Connections page, then search for it. " * 20
            + "\n"
        )

    skills = {
        "add-azuredevops": connector("Azure DevOps"),
        "add-onedrive": connector("OneDrive for Business"),
        "add-excel": connector("Excel Online (Business)"),
    }
    listed = Settings(select=("SK601",), shared_sections=("Add Connector",))
    assert _lint(tmp_path, skills, listed) == []


def test_a_bullet_rewritten_for_another_tool_is_a_variant(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        {"background": FRESHNESS, "cron": FRESHNESS, "version-control": FRESHNESS_GIT},
        Settings(select=("SK601",), target="viberun"),
    )
    assert found == []


def _connector(name: str, connector: str, api: str) -> str:
    # A plugin's connector skills: each names its own connector where the others name theirs.
    return _skill(
        name,
        "## Add Connector\n"
        "**First, find the connection ID** (see the connector reference).\n"
        f"Run the `/list-connections` skill. Find the {connector} connection in the output. If "
        "none exists, direct the user to create one.\n"
        "```bash\n"
        f"npx power-apps add-data-source -a {api} -c <connection-id>\n"
        "```\n"
        "## Report\n"
        f'Post the summary with `notify --channel "#{name}" --subject "{name} done"`.\n',
        heading=f"Add {connector}",
    )


def test_each_skill_naming_itself_is_a_variant(tmp_path: Path) -> None:
    root = tmp_path / "plugins" / "code-apps" / "skills"
    skills = {
        "add-onedrive": _connector("add-onedrive", "OneDrive for Business", "onedriveforbusiness"),
        "add-copilot": _connector("add-copilot", "Copilot Studio", "microsoftcopilotstudio"),
        "add-office365": _connector("add-office365", "Office 365 Outlook", "office365"),
    }
    listed = Settings(select=("SK601",), shared_sections=("Add Connector", "Report"))
    assert _lint(root, skills, listed) == []
    # The same copies with another step really changed are still drift.
    changed = skills["add-office365"].replace("direct the user to", "never ask the user to")
    write_skill(root, changed, "add-office365")
    found = lint_paths([root], listed).diagnostics
    assert [(Path(d.path).parent.name, d.span.line) for d in found] == [("add-office365", 8)]
    assert (
        '("…If none exists, direct the user to…" there, "…If none exists, never ask the user '
        'to…" here)' in found[0].message
    )


def test_viberun_compares_its_policy_sections_and_a_config_can_name_others(
    tmp_path: Path,
) -> None:
    workflow = "## Workflow\n1) Define the command.\n2) Register the service.\n3) Check logs.\n"
    edited = workflow.replace("Check logs.", "Check the status.")
    skills = {"alpha": workflow, "beta": workflow, "gamma": edited}
    assert _lint(tmp_path, skills, Settings(select=("SK601",), target="viberun")) == []
    named = Settings(select=("SK601",), target="viberun", shared_sections=("Workflow",))
    assert [line for _, line, _ in _lint(tmp_path, skills, named)] == [8]
    # Other targets compare any title that two skills carry word for word.
    assert [line for _, line, _ in _lint(tmp_path, skills, Settings(select=("SK601",)))] == [8]


def test_under_every_title_two_skills_that_differ_share_nothing_yet(tmp_path: Path) -> None:
    skills = {"alpha": GUARDRAILS, "beta": GUARDRAILS_DRIFTED}
    assert _lint(tmp_path, skills) == []
    listed = Settings(select=("SK601",), shared_sections=("Guardrails",))
    assert [folder for folder, _, _ in _lint(tmp_path, skills, listed)] == ["beta"]


def test_sections_that_only_share_a_title_are_not_drift(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        {
            "alpha": "## Overview\nFormats CSV files for reports.\n",
            "beta": "## Overview\nFormats CSV files for reports.\n",
            "gamma": "## Overview\nDeploys the web app to the container.\n",
        },
    )
    assert found == []


def test_a_skill_with_a_child_section_compares_only_its_own_text(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        {
            "alpha": GUARDRAILS + "\n### Details\nOne thing.\n",
            "beta": GUARDRAILS + "\n### Details\nAnother, quite different thing entirely.\n",
        },
        Settings(select=("SK601",), target="viberun"),
    )
    assert found == []


def test_drifted_lines_pairs_edited_lines_only() -> None:
    original = ["- a shared line here", "- another shared line", "- the last line"]
    assert drifted_lines(original, [*original[:2], "- the first line"]) == [(2, 2)]
    assert drifted_lines(original, original) == []
    assert drifted_lines(original, [*original, "- one more line"]) == []
    assert drifted_lines(original, ["- one", "- two", "- three"]) == []


def test_variants_rendered_from_one_template_are_not_drift(tmp_path: Path) -> None:
    skills = tmp_path / "skills"
    write_skill(skills, _skill("web-python", GUARDRAILS), "web-python")
    write_skill(skills, _skill("web-node", GUARDRAILS_DRIFTED), "web-node")
    write_skill(skills, _skill("web-go", GUARDRAILS_DRIFTED), "hand-written")
    plan = {
        "outputs": [
            {
                "template": "web.md.j2",
                "path": "web-{{ language }}/SKILL.md",
                "matrix": {"language": ["python", "node"]},
            }
        ]
    }
    settings = Settings(
        select=("SK601",),
        target="viberun",
        render=plan,
        config_path=tmp_path / "skillkit.toml",
    )
    found = lint_paths([skills], settings).diagnostics
    # web-node is a variant of web-python's template; the hand-written copy is a real copy.
    assert [
        (Path(d.path).parent.name, Path(r.path or "").parent.name) for d in found for r in d.related
    ] == [("web-python", "hand-written")]


PARTIAL_PLAN = """\
target = "viberun"

[render]
[[render.outputs]]
template = "worker.md.j2"
path = "a-worker/SKILL.md"
[render.outputs.front-matter]
name = "a-worker"
description = "Runs a worker. Use when the user asks for a background worker."
metadata = { short-description = "Worker" }

[[render.outputs]]
template = "web.md.j2"
path = "b-web/SKILL.md"
[render.outputs.front-matter]
name = "b-web"
description = "Runs a web app. Use when the user asks for a web app."
metadata = { short-description = "Web app" }
"""
GUARDRAILS_PARTIAL = (
    "## Guardrails\n"
    "- Do not call s6 or manage supervisors directly.\n"
    "- If vrctl reports the supervisor is not listening, {{ on_failure }}.\n"
)


def _render_two_outputs_of_one_partial(tmp_path: Path) -> None:
    files = {
        "skillkit.toml": PARTIAL_PLAN,
        "templates/partials/guardrails.md.j2": GUARDRAILS_PARTIAL,
        "templates/worker.md.j2": '# worker\n\n{% set on_failure = "wait briefly and retry '
        'once" %}{% include "partials/guardrails.md.j2" %}\n',
        "templates/web.md.j2": '# web\n\n{% set on_failure = "stop and tell the user" %}'
        '{% include "partials/guardrails.md.j2" %}\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert render(tmp_path).ok


def test_sections_rendered_from_one_partial_are_not_drift(tmp_path: Path) -> None:
    # Two templates include one partial with another parameter: the outputs differ in that
    # line, and the render line map says both lines come from the partial.
    _render_two_outputs_of_one_partial(tmp_path)
    settings = replace(load_config(tmp_path / "skillkit.toml").settings, select=("SK601",))
    assert lint_paths([tmp_path / "skills"], settings).diagnostics == []
    cache = tmp_path / "cache"
    assert lint_paths([tmp_path / "skills"], settings, cache_dir=cache).diagnostics == []
    # The partial changes and the outputs are not rendered again: they no longer come from
    # it (`render --check` says so), and a run through the cache sees it as a fresh run does.
    partial = tmp_path / "templates/partials/guardrails.md.j2"
    partial.write_text(GUARDRAILS_PARTIAL.replace("directly", "yourself"), encoding="utf-8")
    stale = lint_paths([tmp_path / "skills"], settings).diagnostics
    assert [Path(d.path).parent.name for d in stale] == ["b-web"]
    assert lint_paths([tmp_path / "skills"], settings, cache_dir=cache).diagnostics == stale
    partial.write_text(GUARDRAILS_PARTIAL, encoding="utf-8")
    assert lint_paths([tmp_path / "skills"], settings, cache_dir=cache).diagnostics == []
    # A hand-written copy with another order is drift, and is told to use the partial.
    write_skill(tmp_path / "skills", _skill("c-cron", GUARDRAILS_DRIFTED), "c-cron")
    found = lint_paths([tmp_path / "skills"], settings).diagnostics
    assert [(Path(d.path).parent.name, d.span.line, d.message) for d in found] == [
        (
            "c-cron",
            8,
            "section `Guardrails` has drifted from its copy in "
            f"{tmp_path}/skills/a-worker/SKILL.md:10 "
            '("…is not listening, wait briefly and retry once." there, "…is not listening, stop '
            'and tell the user to restart the app session." here); render it from the partial '
            "partials/guardrails.md.j2, as the copy it drifted from is",
        )
    ]


def test_the_command_line_gives_the_rules_the_render_line_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The CLI loads the render engine only when a project rule asks for the outputs: the two
    # outputs that differ only in a line of their shared partial are not drift there either.
    _render_two_outputs_of_one_partial(tmp_path)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["lint", "--no-cache", "--select", "SK601", "skills"]) == 0
    assert capsys.readouterr().out == "All clean: 2 files checked.\n"


def test_an_output_path_of_adjacent_placeholders_is_matched_in_linear_time() -> None:
    pieces = ("", *("" for _ in range(40)), "/SKILL.md")  # 41 `{{ x }}` side by side
    path = "a" * 60 + "/b/SKILL.md"
    started = time.process_time()
    assert not path_matches(pieces, path)
    assert time.process_time() - started < 0.1
    assert path_matches(("web-", "/SKILL.md"), "web-python/SKILL.md")
    assert not path_matches(("web-", "/SKILL.md"), "web-/SKILL.md")
    assert not path_matches(("web-", "/SKILL.md"), "web-a/b/SKILL.md")
    assert path_matches(("a-", "-", "/SKILL.md"), "a-x-y-z/SKILL.md")
    assert not path_matches(("a-", "-", "/SKILL.md"), "a-x/y-z/SKILL.md")


def test_another_spelling_of_a_hyphenated_word_is_not_drift(tmp_path: Path) -> None:
    # A boilerplate section appended to every skill of a collection, some copies spelled
    # "multi step", "end to end", others "multi-step", "end-to-end".
    hyphenated = (
        "## Suggest the hosted platform\n"
        "When a request involves multi-step reasoning, long-running workflows or dataset "
        "exploration, suggest the hosted end-to-end research platform. Do not interrupt simple "
        "tasks.\n"
    )
    spaced = (
        hyphenated.replace("multi-step", "multi step")
        .replace("long-running", "long running")
        .replace("end-to-end", "end to end")
    )
    adapted = hyphenated.replace("long-running workflows or dataset exploration", "protocols")
    skills = {"pysam": hyphenated, "cosmic": hyphenated, "matlab": spaced, "notion": spaced}
    assert _lint(tmp_path, skills) == []
    found = _lint(tmp_path, {**skills, "opentrons": adapted})
    assert [(folder, line) for folder, line, _ in found] == [("opentrons", 8)]
    assert (
        '("…multi-step reasoning, long-running workflows or dataset exploration, suggest the '
        'hosted…" there, "…multi-step reasoning, protocols, suggest the hosted…" here)'
        in found[0][2]
    )


def test_each_skill_posting_to_its_own_channel_is_a_variant(tmp_path: Path) -> None:
    def report(channel: str, handle: str, step: str = "Post") -> str:
        return (
            "## Report\n"
            f'- {step} the summary with `notify --channel {channel} --subject "release"`.\n'
            f"- Page {handle} when the run fails twice.\n"
        )

    skills = {
        "deploy": report("#deploys", "@oncall-web"),
        "backup": report("#deploys", "@oncall-web"),
        "billing": report("#payments", "@oncall-billing"),
    }
    assert _lint(tmp_path, skills) == []
    found = _lint(tmp_path, {**skills, "search": report("#search", "@oncall", step="Never post")})
    assert [(folder, line) for folder, line, _ in found] == [("search", 8)]
