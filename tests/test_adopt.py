"""`skillkit adopt SKILLS`: an existing skills folder becomes templates, partials and a plan that
render it back byte for byte, with `render --check` passing at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import skillkit
from skillkit.cli import main
from tests.helpers import CORPUS, needs_shared
from tests.render_helpers import snapshot

VIBERUN = CORPUS / "viberun"

SHARED = """\
## Guardrails
- Never run `rm -rf` on the app folder.
- Ask before deleting data.
"""

ALPHA = f"""\
---
name: alpha
description: Formats CSV files. Use when the user asks for CSV.
---

# alpha

Write `{{{{ name }}}}` and {{% raw %}} as they are; {{#}} too.

{SHARED}
## Alpha only
Text.
"""

# Folded description: the YAML render would write from the data is not these bytes.
BETA = f"""\
---
name: beta
description: >-
  Formats TSV files. Use when the user asks for TSV.
---

# beta

{SHARED}"""


def _adopt(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["adopt", *args, "--root", str(root), str(root / "skills")])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _skills(root: Path, skills: dict[str, str]) -> None:
    for name, text in skills.items():
        (root / "skills" / name).mkdir(parents=True)
        (root / "skills" / name / "SKILL.md").write_text(text, encoding="utf-8")


def test_adopt_writes_templates_partials_plan_and_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _skills(tmp_path, {"alpha": ALPHA, "beta": BETA})
    monkeypatch.chdir(tmp_path)
    code, out = _adopt(tmp_path, capsys)
    assert (code, out) == (
        0,
        "wrote templates/alpha.md.j2\n"
        "wrote templates/beta.md.j2\n"
        "wrote templates/partials/guardrails.md.j2 (section `Guardrails`, shared by 2 skills)\n"
        "note: skills/beta/SKILL.md: front matter kept in the template as text: render would "
        "write its YAML differently (quoting, order or layout)\n"
        "created skillkit.toml (2 outputs)\n"
        "wrote skills/.skillkit-manifest.json\n"
        "Adopted 2 skills: 2 templates, 1 partial. `skillkit render --check` passes; next, merge "
        "the variants by hand.\n",
    )
    templates = tmp_path / "templates"
    assert (templates / "partials/guardrails.md.j2").read_text() == SHARED
    assert (templates / "alpha.md.j2").read_text() == (
        "# alpha\n\n"
        "Write `{{ '{' }}{ name }}` and {{ '{' }}% raw %} as they are; {{ '{' }}#} too.\n\n"
        '{% include "partials/guardrails.md.j2" %}\n\n'
        "## Alpha only\nText.\n"
    )
    assert (templates / "beta.md.j2").read_text() == (
        BETA.replace(SHARED, '{% include "partials/guardrails.md.j2" %}\n')
    )
    assert (tmp_path / "skillkit.toml").read_text() == (
        "[[render.outputs]]\n"
        'template = "alpha.md.j2"\n'
        'path = "alpha/SKILL.md"\n\n'
        "[render.outputs.front-matter]\n"
        'name = "alpha"\n'
        'description = "Formats CSV files. Use when the user asks for CSV."\n\n'
        "[[render.outputs]]\n"
        'template = "beta.md.j2"\n'
        'path = "beta/SKILL.md"\n'
    )
    assert (tmp_path / "skills/alpha/SKILL.md").read_text() == ALPHA
    assert (tmp_path / "skills/beta/SKILL.md").read_text() == BETA
    assert main(["render", "--check", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "All 2 outputs are up to date.\n"


def test_adopt_ignores_todays_findings_in_the_plan_so_render_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No "Use when" (SK122), too short (SK121), and a field the spec does not know (SK107).
    _skills(
        tmp_path,
        {"gamma": "---\nname: gamma\ndescription: Formats CSV files.\nfoo: 1\n---\n\nBody.\n"},
    )
    monkeypatch.chdir(tmp_path)
    code, out = _adopt(tmp_path, capsys)
    assert code == 0
    assert (
        "  outputs[1] (gamma/SKILL.md) ignores SK107, SK121, SK122: its findings today; "
        "`skillkit lint` still reports them\n"
    ) in out
    assert (
        "note: skills/gamma/SKILL.md: front matter kept in the template as text: target spec "
        "does not accept `foo`, which render would drop\n"
    ) in out
    plan = (tmp_path / "skillkit.toml").read_text()
    assert 'ignore = [\n    "SK107",\n    "SK121",\n    "SK122",\n]\n' in plan
    assert skillkit.render(tmp_path, check=True).exit_code == 0
    # lint still reports them on the output: the baseline belongs to render only.
    assert main(["lint", "--format", "concise", str(tmp_path / "skills")]) == 1
    assert "SK107" in capsys.readouterr().out


def test_adopt_adds_the_plan_to_an_existing_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _skills(tmp_path, {"alpha": ALPHA})
    (tmp_path / "pyproject.toml").write_text('[tool.skillkit]\ntarget = "spec"\n')
    code, out = _adopt(tmp_path, capsys)
    assert code == 0, out
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith('[tool.skillkit]\ntarget = "spec"\n\n[[tool.skillkit.render.outputs]]\n')
    assert skillkit.render(tmp_path, check=True).exit_code == 0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "[render]\noutputs = []\n",
            "already has a render plan; adopt writes a new one (remove it first, or add outputs "
            "by hand)",
        ),
    ],
)
def test_adopt_refuses_a_project_with_a_plan_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, message: str
) -> None:
    _skills(tmp_path, {"alpha": ALPHA})
    (tmp_path / "skillkit.toml").write_text(config)
    before = snapshot(tmp_path)
    code, out = _adopt(tmp_path, capsys)
    assert code == 2
    assert out == f"skillkit: error: {(tmp_path / 'skillkit.toml').resolve()} {message}\n"
    assert snapshot(tmp_path) == before


def test_adopt_refuses_an_existing_template_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _skills(tmp_path, {"alpha": ALPHA})
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/alpha.md.j2").write_text("mine\n")
    before = snapshot(tmp_path)
    code, out = _adopt(tmp_path, capsys)
    assert code == 2
    assert out == (
        "skillkit: error: no skill under "
        f"{tmp_path / 'skills'} can be adopted (alpha/SKILL.md: its template name alpha.md.j2 "
        "is taken)\n"
    )
    assert snapshot(tmp_path) == before


def test_a_skill_that_would_not_render_back_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _skills(tmp_path, {"alpha": ALPHA})
    (tmp_path / "skills/crlf").mkdir()
    (tmp_path / "skills/crlf/SKILL.md").write_bytes(b"---\r\nname: crlf\r\n---\r\nBody.\r\n")
    monkeypatch.chdir(tmp_path)
    code, out = _adopt(tmp_path, capsys)
    assert code == 0
    assert "skipped skills/crlf/SKILL.md: has CR line ends, which a template renders as LF\n" in out
    assert not (tmp_path / "templates/crlf.md.j2").exists()
    assert skillkit.render(tmp_path, check=True).exit_code == 0


@needs_shared
def test_adopting_the_viberun_skills_renders_them_back_with_shared_sections_as_partials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    originals = {path.parent.name: path.read_bytes() for path in VIBERUN.glob("*/SKILL.md")}
    assert len(originals) == 6
    for name, data in originals.items():
        (tmp_path / "skills" / name).mkdir(parents=True)
        (tmp_path / "skills" / name / "SKILL.md").write_bytes(data)

    code, out = _adopt(tmp_path, capsys, "--target", "viberun")
    assert code == 0, out
    assert out.endswith("`skillkit render --check` passes; next, merge the variants by hand.\n")

    # render --check passes at once, and a fresh render reproduces every byte.
    assert main(["render", "--check", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "All 6 outputs are up to date.\n"
    shutil.rmtree(tmp_path / "skills")
    assert skillkit.render(tmp_path).exit_code == 0
    rendered = {p.parent.name: p.read_bytes() for p in (tmp_path / "skills").glob("*/SKILL.md")}
    assert rendered == originals

    # Every section identical in two or more skills is a partial; each partial is included by
    # the templates of the skills that hold it, and is text of at least two of them.
    templates = tmp_path / "templates"
    partials = {p.name: p.read_text() for p in (templates / "partials").iterdir()}
    assert {"version-freshness.md.j2", "snapshot-guidance.md.j2"} <= set(partials)
    for name, text in partials.items():
        holders = [skill for skill, data in originals.items() if text.encode() in data]
        including = [
            p.stem.removesuffix(".md")
            for p in templates.glob("*.md.j2")
            if f'{{% include "partials/{name}" %}}' in p.read_text()
        ]
        assert len(holders) >= 2 and sorted(including) == sorted(holders), name
    # The front matter is data in the plan, not text in the templates.
    assert not any(p.read_text().startswith("---") for p in templates.glob("*.md.j2"))
