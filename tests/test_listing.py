"""The skill set as the model sees it: Claude Code's listing budget (SK602) and descriptions
too alike to tell apart (SK603)."""

from __future__ import annotations

import time
from pathlib import Path

from skillkit.engine.library import lint_paths
from skillkit.registry import Context
from skillkit.rules.listing import MAX_CANDIDATES, _candidates, check_triggers, trigger_terms
from skillkit.settings import Settings
from skillkit.targets import get_target
from tests.helpers import CORPUS, needs_shared, write_skill


def skill(name: str, description: str, extra: str = "") -> str:
    return f"---\nname: {name}\ndescription: {description}\n{extra}---\n\n# {name}\n\nSteps.\n"


def findings(root: Path, target: str, codes: tuple[str, ...]) -> list[tuple[str, str, int, str]]:
    result = lint_paths([root], Settings(target=target, select=codes))
    return [
        (Path(d.path).relative_to(root).as_posix(), d.code, d.span.line, d.message)
        for d in result.diagnostics
    ]


# SK603: competing triggers, tuned on the corpus


@needs_shared
def test_competing_triggers_fire_on_the_viberun_service_skills_only() -> None:
    # Read by hand: background-service ("Help run a long-lived background process under
    # vrctl"), web-service ("Help run a web service under vrctl") and service-management ("run
    # or supervise background services (web servers, ...) ... with vrctl") answer the same
    # request ("keep my server running"); each pair is a true finding.
    pairs = set()
    for folder in ("viberun", "anthropics-skills", "openai-skills"):
        for path, _code, _line, message in findings(CORPUS / folder, "spec", ("SK603",)):
            other = message.split("`")[1]
            pairs.add((folder, path.split("/")[-2], other))
    assert pairs == {
        ("viberun", "background-service", "service-management"),
        ("viberun", "background-service", "web-service"),
        ("viberun", "service-management", "background-service"),
        ("viberun", "service-management", "web-service"),
        ("viberun", "web-service", "background-service"),
        ("viberun", "web-service", "service-management"),
    }


@needs_shared
def test_the_competing_trigger_message_quotes_the_shared_words() -> None:
    result = lint_paths([CORPUS / "viberun"], Settings(select=("SK603",)))
    first = next(d for d in result.diagnostics if "web-service`" in d.message)
    assert first.path.endswith("background-service/SKILL.md") and first.span.line == 3
    assert first.message == (
        "the description reads much like `web-service`'s (both: `run`, `process`/`service`, "
        "`vrctl`); the model may load either for the same request. Say what only "
        "`background-service` covers, and when to use `web-service` instead"
    )
    assert [(Path(r.path or "").parent.name, r.span.line) for r in first.related] == [
        ("web-service", 3)
    ]


def test_distinct_skills_do_not_compete(tmp_path: Path) -> None:
    write_skill(
        tmp_path, skill("csv", "Format CSV files. Use when the user asks to tidy a CSV."), "csv"
    )
    write_skill(tmp_path, skill("pdf", "Fill PDF forms. Use when the user has a PDF form."), "pdf")
    assert findings(tmp_path, "spec", ("SK603",)) == []


def test_a_skill_the_model_never_sees_does_not_compete(tmp_path: Path) -> None:
    one = "Run a long-lived background process under vrctl and keep it running."
    other = "Run long-running background services under vrctl and keep them running."
    write_skill(tmp_path, skill("one", one), "one")
    write_skill(tmp_path, skill("other", other), "other")
    assert len(findings(tmp_path, "claude-code", ("SK603",))) == 2
    write_skill(tmp_path, skill("other", other, "disable-model-invocation: true\n"), "other")
    assert findings(tmp_path, "claude-code", ("SK603",)) == []


def test_skills_of_different_plugins_are_not_compared(tmp_path: Path) -> None:
    text = "Run a long-lived background process under vrctl and keep it running."
    for plugin in ("a", "b"):
        (tmp_path / plugin / ".claude-plugin").mkdir(parents=True)
        write_skill(tmp_path / plugin / "skills", skill(f"svc-{plugin}", text), f"svc-{plugin}")
    assert findings(tmp_path, "claude-code", ("SK603",)) == []


def test_the_comparisons_are_bounded() -> None:
    # 2,000 skills whose descriptions all share most words: each is compared with at most
    # MAX_CANDIDATES others, and the check stays well within a second or two.
    words = [f"word{i}" for i in range(60)]
    terms = {
        f"s{i}": tuple(trigger_terms(" ".join(words[i % 50 : i % 50 + 8]) + f" extra{i}"))
        for i in range(2000)
    }
    started = time.perf_counter()
    pairs = list(_candidates(terms))
    assert len(pairs) <= 2000 * MAX_CANDIDATES
    facts = [
        (f"s{i}/SKILL.md", ("g", f"s{i}", " ".join(words[i % 50 : i % 50 + 8]), 3, 14, ""))
        for i in range(2000)
    ]
    context = Context(get_target("spec"), Settings())
    found = list(check_triggers(facts, context))
    assert found  # near-identical descriptions do compete
    assert time.perf_counter() - started < 10


# SK602: the listing budget


LONG = "Use when the user asks to tidy, check or convert CSV files of any size. " * 7


def test_a_listing_over_the_budget(tmp_path: Path) -> None:
    root = tmp_path / "app" / ".claude" / "skills"
    for i in range(17):
        write_skill(root, skill(f"s{i:02}", LONG.strip()), f"s{i:02}")
    found = findings(tmp_path, "claude-code", ("SK602",))
    assert len(found) == 1
    path, code, line, message = found[0]
    assert (path, code, line) == ("app/.claude/skills/s00/SKILL.md", "SK602", 3)
    # 17 entries of 510 characters (`- s00: ` and the description): 8,670; the 16th passes 8,000.
    assert message == (
        "the 17 skills listed together with this one come to 8,670 characters of names and "
        "descriptions; Claude Code's listing budget is 8,000 (1% of a 200k-token context), so "
        "it shortens descriptions or drops them; past the budget (in name order): s15, s16. "
        "Largest entries: s00 (510), s01 (510), s02 (510), s03 (510), s04 (510). Shorten "
        "descriptions, or set `disable-model-invocation: true` on skills only a user starts"
    )


def test_the_budget_is_a_setting_and_skips_what_the_model_never_sees(tmp_path: Path) -> None:
    root = tmp_path / ".claude" / "skills"
    for i in range(3):
        write_skill(root, skill(f"s{i}", LONG.strip()), f"s{i}")
    settings = Settings(
        target="claude-code", select=("SK602",), options={"skill-listing-budget": 1000}
    )
    assert [d.code for d in lint_paths([tmp_path], settings).diagnostics] == ["SK602"]
    for i in range(2):
        write_skill(root, skill(f"s{i}", LONG.strip(), "disable-model-invocation: true\n"), f"s{i}")
    assert lint_paths([tmp_path], settings).diagnostics == []


def test_the_budget_is_claude_codes(tmp_path: Path) -> None:
    for i in range(17):
        write_skill(tmp_path, skill(f"s{i:02}", LONG.strip()), f"s{i:02}")
    assert findings(tmp_path, "spec", ("SK602",)) == []
    assert [f[1] for f in findings(tmp_path, "claude-code", ("SK602",))] == ["SK602"]
