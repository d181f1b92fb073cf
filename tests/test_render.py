"""`skillkit render` end to end: exact bytes, exit codes, messages, and the files left behind."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

import skillkit
from tests.render_helpers import make_project, render_cli, snapshot

MATRIX_PLAN = """\
[tool.skillkit.render]
[[tool.skillkit.render.outputs]]
template = "worker.md.j2"
path = "{{ target }}/worker-{{ language }}/SKILL.md"
matrix = { target = ["spec", "claude-code"], language = ["python", "node"] }
variables.commands.python = ["uv", "run", "python", "-m", "worker"]
variables.commands.node = ["node", "<entry>.ts"]

[tool.skillkit.render.outputs.front-matter]
name = "worker-{{ language }}"
description = "Run the {{ language }} worker as a service. Use when it must keep running."
when_to_use = "Use when the worker must survive restarts."
allowed-tools = ["Bash(vrctl:*)", "Read"]
model = "sonnet"
"""

WORKER = """\
# {{ front_matter.name }}

Register the {{ language }} worker ({{ target }}):
```sh
{{ vrctl.service_add(front_matter.name, commands[language][0], commands[language][1:],
                     env={"MODE": "a b"}, mise=true) }}
```
"""


def _vrctl_block(name: str, words: list[str]) -> str:
    args = "".join(f"  --arg {word} \\\n" for word in words)
    return (
        f"```sh\nvrctl service add {name} \\\n  --cmd mise \\\n  --arg exec \\\n"
        f"  --arg -C --arg /home/viberun/app \\\n  --arg -- \\\n{args}"
        "  --cwd /home/viberun/app \\\n  --env 'MODE=a b'\n```\n"
    )


def _expected(target: str, language: str) -> str:
    words = (
        ["uv", "run", "python", "-m", "worker"] if language == "python" else ["node", "<entry>.ts"]
    )
    description = f"Run the {language} worker as a service. Use when it must keep running."
    if target == "spec":
        head = (
            f"name: worker-{language}\n"
            f"description: {description} Use when the worker must survive restarts.\n"
            "allowed-tools: Bash(vrctl:*) Read\n"
        )
    else:
        head = (
            f"name: worker-{language}\n"
            f"description: {description}\n"
            "when_to_use: Use when the worker must survive restarts.\n"
            "allowed-tools:\n- Bash(vrctl:*)\n- Read\n"
            "model: sonnet\n"
        )
    return (
        f"---\n{head}---\n\n# worker-{language}\n\n"
        f"Register the {language} worker ({target}):\n" + _vrctl_block(f"worker-{language}", words)
    )


@pytest.fixture
def matrix_project(tmp_path: Path) -> Path:
    return make_project(tmp_path, MATRIX_PLAN, {"worker.md.j2": WORKER})


def test_a_matrix_renders_one_output_a_combination_with_exact_bytes(
    matrix_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = render_cli(matrix_project, capsys)
    assert code == 0
    assert out == (
        "wrote skills/spec/worker-python/SKILL.md\n"
        "  note: skills/spec/worker-python/SKILL.md: front-matter field model not written "
        "(target spec does not accept it)\n"
        "wrote skills/spec/worker-node/SKILL.md\n"
        "  note: skills/spec/worker-node/SKILL.md: front-matter field model not written "
        "(target spec does not accept it)\n"
        "wrote skills/claude-code/worker-python/SKILL.md\n"
        "wrote skills/claude-code/worker-node/SKILL.md\n"
        "Rendered 4 outputs: 4 written, 0 unchanged.\n"
    )
    for target in ("spec", "claude-code"):
        for language in ("python", "node"):
            path = matrix_project / "skills" / target / f"worker-{language}" / "SKILL.md"
            assert path.read_bytes() == _expected(target, language).encode()
            assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()
    # Nothing else: no temporary files left beside the outputs.
    assert sorted(
        p.relative_to(matrix_project).as_posix() for p in matrix_project.rglob("*") if p.is_file()
    ) == [
        "pyproject.toml",
        "skills/.skillkit-manifest.json",
        "skills/claude-code/worker-node/SKILL.md",
        "skills/claude-code/worker-python/SKILL.md",
        "skills/spec/worker-node/SKILL.md",
        "skills/spec/worker-python/SKILL.md",
        "templates/worker.md.j2",
    ]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_claude_code_field_never_reaches_a_spec_output(matrix_project: Path) -> None:
    result = skillkit.render(matrix_project)
    assert result.exit_code == 0
    spec = (matrix_project / "skills/spec/worker-python/SKILL.md").read_text()
    claude = (matrix_project / "skills/claude-code/worker-python/SKILL.md").read_text()
    assert "model:" not in spec and "when_to_use:" not in spec
    assert "model: sonnet\n" in claude and "when_to_use:" in claude
    dropped = {o.display: o.dropped for o in result.outputs}
    assert dropped["skills/spec/worker-python/SKILL.md"] == ("model",)
    assert dropped["skills/claude-code/worker-python/SKILL.md"] == ()


def test_a_second_render_changes_nothing(
    matrix_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    render_cli(matrix_project, capsys)
    before = snapshot(matrix_project)
    code, out = render_cli(matrix_project, capsys)
    assert (code, out.splitlines()[-1]) == (0, "Rendered 4 outputs: 0 written, 4 unchanged.")
    assert snapshot(matrix_project) == before


def test_manifest_records_the_checksum_of_each_output(matrix_project: Path) -> None:
    import hashlib

    skillkit.render(matrix_project)
    manifest = json.loads((matrix_project / "skills/.skillkit-manifest.json").read_text())
    assert manifest["version"] == 1
    outputs = manifest["outputs"]
    assert list(outputs) == sorted(outputs)
    data = (matrix_project / "skills/spec/worker-node/SKILL.md").read_bytes()
    assert outputs["spec/worker-node/SKILL.md"] == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "template": "worker.md.j2",
    }


def test_check_fails_with_a_diff_after_a_template_edit_and_passes_after_a_render(
    matrix_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    render_cli(matrix_project, capsys)
    assert render_cli(matrix_project, capsys, "--check") == (0, "All 4 outputs are up to date.\n")
    template = matrix_project / "templates/worker.md.j2"
    template.write_text(template.read_text().replace("Register the", "Register the long-lived"))
    before = snapshot(matrix_project)
    code, out = render_cli(matrix_project, capsys, "--check", "--diff")
    assert code == 1
    assert snapshot(matrix_project) == before  # --check writes nothing
    assert out.startswith(
        "skills/spec/worker-python/SKILL.md is stale (what templates/worker.md.j2 renders "
        "changed since it was rendered)\n"
        "--- a/skills/spec/worker-python/SKILL.md\n"
        "+++ b/skills/spec/worker-python/SKILL.md\n"
        "@@ -6,7 +6,7 @@\n"
        " \n"
        " # worker-python\n"
        " \n"
        "-Register the python worker (spec):\n"
        "+Register the long-lived python worker (spec):\n"
        " ```sh\n"
        " vrctl service add worker-python \\\n"
        "   --cmd mise \\\n"
    )
    assert out.endswith("4 of 4 outputs out of date. Run `skillkit render` to update them.\n")
    code, out = render_cli(matrix_project, capsys, "--check")
    assert out.endswith(
        "4 of 4 outputs out of date. Run `skillkit render` to update them, or add --diff to see "
        "the changes.\n"
    )
    assert render_cli(matrix_project, capsys)[0] == 0
    assert render_cli(matrix_project, capsys, "--check") == (0, "All 4 outputs are up to date.\n")


def test_check_reports_a_missing_output(
    matrix_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    render_cli(matrix_project, capsys)
    (matrix_project / "skills/claude-code/worker-node/SKILL.md").unlink()
    code, out = render_cli(matrix_project, capsys, "--check")
    assert code == 1
    assert out == (
        "skills/claude-code/worker-node/SKILL.md is missing\n"
        "1 of 4 outputs out of date. Run `skillkit render` to update them, or add --diff to see "
        "the changes.\n"
    )


def test_a_hand_edited_output_is_not_overwritten_without_force(
    matrix_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    render_cli(matrix_project, capsys)
    edited = matrix_project / "skills/spec/worker-node/SKILL.md"
    edited.write_text(edited.read_text() + "A note added by hand.\n")
    hand_made = edited.read_bytes()
    template = matrix_project / "templates/worker.md.j2"
    template.write_text(template.read_text().replace("Register the", "Register the long-lived"))

    code, out = render_cli(matrix_project, capsys, "--check")
    assert code == 1
    assert "skills/spec/worker-node/SKILL.md was edited by hand since it was rendered\n" in out
    assert out.endswith(
        "4 of 4 outputs out of date. Run `skillkit render --force` to update them (a hand edit "
        "belongs in the template), or add --diff to see the changes.\n"
    )

    code, out = render_cli(matrix_project, capsys)
    assert code == 1
    assert (
        "skills/spec/worker-node/SKILL.md was edited by hand since it was rendered; not "
        "overwritten. Move the change into templates/worker.md.j2, or run "
        "`skillkit render --force` to overwrite it.\n"
    ) in out
    assert out.endswith("Rendered 4 outputs: 3 written, 0 unchanged, 1 refused.\n")
    assert edited.read_bytes() == hand_made
    # Still refused on the next run: the manifest kept the checksum of what skillkit wrote.
    assert render_cli(matrix_project, capsys)[0] == 1
    assert edited.read_bytes() == hand_made

    code, out = render_cli(matrix_project, capsys, "--force")
    assert code == 0
    assert "wrote skills/spec/worker-node/SKILL.md\n" in out
    assert b"A note added by hand." not in edited.read_bytes()
    assert render_cli(matrix_project, capsys, "--check")[0] == 0


def test_an_existing_file_skillkit_never_wrote_counts_as_hand_made(
    matrix_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = matrix_project / "skills/spec/worker-node/SKILL.md"
    own.parent.mkdir(parents=True)
    own.write_text("my own skill\n")
    code, out = render_cli(matrix_project, capsys)
    assert code == 1
    assert own.read_text() == "my own skill\n"
    assert "Rendered 4 outputs: 3 written, 0 unchanged, 1 refused.\n" in out


def test_outputs_no_plan_entry_produces_are_reported_and_deleted_with_delete(
    matrix_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    render_cli(matrix_project, capsys)
    plan = matrix_project / "pyproject.toml"
    plan.write_text(plan.read_text().replace('"spec", "claude-code"', '"spec"'))
    gone = matrix_project / "skills/claude-code/worker-python/SKILL.md"

    code, out = render_cli(matrix_project, capsys, "--check")
    assert code == 1
    assert out == (
        "skills/claude-code/worker-node/SKILL.md: no plan entry produces it any more (run "
        "`skillkit render --delete` to remove it)\n"
        "skills/claude-code/worker-python/SKILL.md: no plan entry produces it any more (run "
        "`skillkit render --delete` to remove it)\n"
        "2 outputs that no plan entry produces any more. Run `skillkit render --delete` to "
        "remove them.\n"
    )
    code, out = render_cli(matrix_project, capsys)
    assert code == 0 and gone.exists()
    assert "no plan entry produces it any more" in out

    code, out = render_cli(matrix_project, capsys, "--delete")
    assert code == 0
    assert out == (
        "deleted skills/claude-code/worker-node/SKILL.md (no plan entry produces it any more)\n"
        "deleted skills/claude-code/worker-python/SKILL.md (no plan entry produces it any more)\n"
        "Rendered 2 outputs: 0 written, 2 unchanged.\n"
    )
    assert not (matrix_project / "skills/claude-code").exists()  # emptied folders go too
    manifest = json.loads((matrix_project / "skills/.skillkit-manifest.json").read_text())
    assert sorted(manifest["outputs"]) == [
        "spec/worker-node/SKILL.md",
        "spec/worker-python/SKILL.md",
    ]
    assert render_cli(matrix_project, capsys, "--check")[0] == 0


def test_list_prints_the_plan(matrix_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = render_cli(matrix_project, capsys, "--list")
    assert code == 0
    commands = (
        'commands={"node": ["node", "<entry>.ts"], "python": ["uv", "run", "python", "-m", '
        '"worker"]}'
    )
    # What every output shares is printed once; each output shows what sets it apart.
    assert out.splitlines()[:9] == [
        f"every output: {commands}",
        "skills/spec/worker-python/SKILL.md",
        "    template: templates/worker.md.j2",
        "    target: spec (skill)",
        '    variables: language="python"',
        "skills/spec/worker-node/SKILL.md",
        "    template: templates/worker.md.j2",
        "    target: spec (skill)",
        '    variables: language="node"',
    ]
    assert len(out.splitlines()) == 17
    assert not (matrix_project / "skills").exists()


# --- errors: a clear message, and every file left as it was -----------------------------------

SIMPLE_PLAN = """\
[tool.skillkit.render]
[[tool.skillkit.render.outputs]]
template = "{template}"
path = "{path}"
variables = {{ dir = "{dir}" }}
[tool.skillkit.render.outputs.front-matter]
name = "demo"
description = "A demo skill that shows how rendering works. Use when testing skillkit render."
"""


def _simple(root: Path, template: str, *, path: str = "demo/SKILL.md", dir: str = "demo") -> Path:
    plan = SIMPLE_PLAN.format(template="demo.md.j2", path=path, dir=dir)
    return make_project(root, plan, {"demo.md.j2": template, "partials/p.md.j2": "ok\n"})


def _render_fails_untouched(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    # An earlier good render, so that "untouched" covers existing outputs and the manifest.
    existing = root / "skills" / "keep" / "SKILL.md"
    existing.parent.mkdir(parents=True, exist_ok=True)
    existing.write_text("kept\n")
    before = snapshot(root)
    code, out = render_cli(root, capsys)
    assert snapshot(root) == before
    return code, out


def test_an_undefined_variable_names_the_variable_and_the_template_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _simple(tmp_path, "# demo\n\n{% include 'partials/p.md.j2' %}\nHello {{ user }}.\n")
    code, out = _render_fails_untouched(tmp_path, capsys)
    assert code == 1
    assert out == (
        "templates/demo.md.j2:4:10: SK702 undefined: 'user' is undefined [error]\n"
        " 4 | Hello {{ user }}.\n"
        "   |          ^^^^\n"
        "  = note: while rendering skills/demo/SKILL.md (skills/demo/SKILL.md:1)\n"
        "\n"
        "Found 1 error in 1 file checked.\n"
        "Nothing written: 1 error in the rendered outputs. Fix them, list their codes in the "
        "output's `ignore` in the plan, or add --allow-errors.\n"
    )


def test_a_template_syntax_error_is_a_finding_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _simple(tmp_path, "# demo\n\n{% if %}\nx\n{% endif %}\n")
    code, out = _render_fails_untouched(tmp_path, capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "templates/demo.md.j2:3:1: SK701 template syntax error: Expected an expression, got "
        "'end of statement block' [error]"
    )
    assert "Traceback" not in out


def test_a_syntax_error_in_a_partial_points_at_the_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _simple(tmp_path, "# demo\n\n{% include 'partials/bad.md.j2' %}\n")
    (tmp_path / "templates/partials/bad.md.j2").write_text("fine\n{{ x + }}\n")
    code, out = _render_fails_untouched(tmp_path, capsys)
    assert code == 1
    assert out.splitlines()[0].startswith("templates/partials/bad.md.j2:2:1: SK701 template syntax")


@pytest.mark.parametrize(
    ("path", "dir", "message"),
    [
        ("../escape/SKILL.md", "x", "output path '../escape/SKILL.md' has a `..` or `.` part"),
        ("/tmp/escape/SKILL.md", "x", "output path '/tmp/escape/SKILL.md' is absolute"),
        ("{{ dir }}/SKILL.md", "../../etc", "output path '../../etc/SKILL.md' has a `..` or `.`"),
        ("{{ dir }}/SKILL.md", "/etc", "output path '/etc/SKILL.md' is absolute"),
    ],
)
def test_a_path_escaping_the_output_root_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, dir: str, message: str
) -> None:
    _simple(tmp_path, "# demo\n", path=path, dir=dir)
    code, out = _render_fails_untouched(tmp_path, capsys)
    assert code == 1
    assert out.splitlines()[0].startswith(f"pyproject.toml:4:1: SK705 outputs[1]: {message}")
    assert not (tmp_path / "escape").exists()


def test_a_symlink_leading_out_of_the_output_root_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    outside = tmp_path / "outside"
    outside.mkdir()
    project.mkdir()
    _simple(project, "# demo\n")
    (project / "skills").mkdir()
    (project / "skills" / "demo").symlink_to(outside)
    code, out = _render_fails_untouched(project, capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "pyproject.toml:4:1: SK705 outputs[1]: output path 'demo/SKILL.md' leads outside the "
        "output root through a symlink [error]"
    )
    assert list(outside.iterdir()) == []


def test_a_helper_refuses_an_impossible_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _simple(tmp_path, "# demo\n\n```\n{{ vrctl.service_add('web', 'uv run app') }}\n```\n")
    code, out = _render_fails_untouched(tmp_path, capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "templates/demo.md.j2:4:1: SK703 impossible command: cmd 'uv run app' must be one "
        "executable without whitespace; pass its arguments in args (vrctl runs --cmd with exec, "
        "no shell) [error]"
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("''.__class__.__mro__", "access to attribute '__class__' of 'str' object is unsafe."),
        ("vrctl.service_add.__globals__", "access to attribute '__globals__' of 'method' object"),
        ("cycler.__init__.__globals__", "access to attribute '__init__' of 'type' object"),
        ("vrctl._simple('start', 'x')", "access to attribute '_simple' of 'VrctlHelpers' object"),
    ],
)
def test_the_sandbox_keeps_templates_from_python_internals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expression: str, message: str
) -> None:
    _simple(tmp_path, "# demo\n\n{{ " + expression + " }}\n")
    code, out = _render_fails_untouched(tmp_path, capsys)
    assert code == 1
    assert out.splitlines()[0].startswith(
        f"templates/demo.md.j2:3:1: SK706 refused by the sandbox: {message}"
    )


def test_a_lint_error_in_rendered_output_is_at_the_template_line_naming_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = (
        '[tool.skillkit.render]\n[[tool.skillkit.render.outputs]]\ntemplate = "t.md.j2"\n'
        'path = "demo/SKILL.md"\n'
    )
    template = (
        "{# the front matter comes from a partial #}\n"
        "{% include 'partials/head.md.j2' %}\n"
        "\n# demo\n"
    )
    head = (
        "{% set shown = 'Demo Skill' %}\n---\nname: {{ shown }}\n"
        "description: A demo skill that shows how rendering works. Use when testing render.\n---\n"
    )
    make_project(tmp_path, plan, {"t.md.j2": template, "partials/head.md.j2": head})
    before = snapshot(tmp_path)
    code, out = render_cli(tmp_path, capsys, "--format", "concise")
    assert code == 1
    assert snapshot(tmp_path) == before
    # At the partial's line (where the fix belongs), naming the output line it reaches.
    assert out.splitlines()[0] == (
        "templates/partials/head.md.j2:3:1: SK111 `name` may contain only a-z, 0-9 and `-`; "
        "found ` `, `D`, `S`; use lowercase (in skills/demo/SKILL.md:2)"
    )
    result = skillkit.render(tmp_path)
    finding = next(d for d in result.diagnostics if d.code == "SK111")
    assert (
        finding.path,
        finding.span.line,
        finding.fix,
        [(r.path, r.span.line, r.message) for r in finding.related],
    ) == (
        "templates/partials/head.md.j2",
        3,
        None,
        [("skills/demo/SKILL.md", 2, "rendered into this output")],
    )


def test_a_script_output_has_every_vrctl_command_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = """\
[tool.skillkit.render]
output-root = "scripts"
[[tool.skillkit.render.outputs]]
template = "register.sh.j2"
path = "register-services.sh"
[tool.skillkit.render.outputs.variables.services.web]
cmd = "uv"
args = ["run", "uvicorn", "app:app", "--reload"]
[tool.skillkit.render.outputs.variables.services.worker]
cmd = "uv"
args = ["run", "python", "-m", "worker"]
env = { QUEUE = "jobs" }
"""
    template = """\
#!/bin/sh
# Register this project's services with vrctl.
set -eu
{% for name, service in services.items() %}
{{ vrctl.service_add(name, service.cmd, service.args, env=service.env | default(none), mise=true) }}
{% endfor %}
{{ extra | default("") }}
"""
    make_project(tmp_path, plan, {"register.sh.j2": template})
    assert render_cli(tmp_path, capsys) == (
        0,
        "wrote scripts/register-services.sh\nRendered 1 output: 1 written, 0 unchanged.\n",
    )
    script = tmp_path / "scripts/register-services.sh"
    assert script.read_text() == (
        "#!/bin/sh\n# Register this project's services with vrctl.\nset -eu\n"
        "vrctl service add web \\\n  --cmd mise \\\n  --arg exec \\\n"
        "  --arg -C --arg /home/viberun/app \\\n  --arg -- \\\n  --arg uv \\\n  --arg run \\\n"
        "  --arg uvicorn \\\n  --arg app:app \\\n  --arg --reload \\\n  --cwd /home/viberun/app\n"
        "vrctl service add worker \\\n  --cmd mise \\\n  --arg exec \\\n"
        "  --arg -C --arg /home/viberun/app \\\n  --arg -- \\\n  --arg uv \\\n  --arg run \\\n"
        "  --arg python \\\n  --arg -m \\\n  --arg worker \\\n  --cwd /home/viberun/app \\\n"
        "  --env QUEUE=jobs\n"
        "\n"
    )
    assert script.stat().st_mode & stat.S_IXUSR  # a script is executable

    # A hand-written command in the template is checked with the same grammar.
    template_path = tmp_path / "templates/register.sh.j2"
    template_path.write_text(template_path.read_text() + "vrctl service rm web\n")
    code, out = render_cli(tmp_path, capsys, "--format", "concise")
    assert code == 1
    assert out.splitlines()[0] == (
        "templates/register.sh.j2:8:15: SK704 unknown subcommand `vrctl service rm`; "
        "`vrctl service` takes add, list, logs, remove, restart, start, status, stop; did you "
        "mean `remove`? (in scripts/register-services.sh:28)"
    )
    finding = next(d for d in skillkit.render(tmp_path).diagnostics if d.code == "SK704")
    assert [(r.path, r.span.line) for r in finding.related] == [
        ("scripts/register-services.sh", 28)
    ]


# --- the plan itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (
            "[tool.skillkit.render]\noutput = 'x'\n",
            "skillkit: error: pyproject.toml [tool.skillkit.render]: unknown key `output` "
            "(known: output-root, outputs, target, templates, variables)\n",
        ),
        (
            "[tool.skillkit.render]\n[[tool.skillkit.render.outputs]]\ntemplate = 't'\n"
            "path = 'a/SKILL.md'\ntarget = 'cursor'\n",
            "skillkit: error: pyproject.toml [tool.skillkit.render] outputs[1].target: unknown "
            "target `cursor` (one of spec, claude-code, claude-api, codex, viberun)\n",
        ),
        (
            "[tool.skillkit.render]\n[[tool.skillkit.render.outputs]]\ntemplate = 't'\n",
            "skillkit: error: pyproject.toml [tool.skillkit.render] outputs[1].path must be a "
            "non-empty string\n",
        ),
        (
            "[tool.skillkit.render]\noutput-root = '../elsewhere'\n",
            "skillkit: error: pyproject.toml [tool.skillkit.render] output-root must be a folder "
            "inside the project, not `../elsewhere`\n",
        ),
        (
            "[tool.skillkit]\n",
            "skillkit: error: no outputs to render: add [[tool.skillkit.render.outputs]] to "
            "pyproject.toml (or [[render.outputs]] to skillkit.toml), or run `skillkit adopt "
            "skills/`; see the README's Rendering section\n",
        ),
    ],
)
def test_a_wrong_plan_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], plan: str, message: str
) -> None:
    make_project(tmp_path, plan, {})
    assert render_cli(tmp_path, capsys) == (2, message)


def test_skillkit_toml_wins_over_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _simple(tmp_path, "# demo\n")
    (tmp_path / "skillkit.toml").write_text(
        '[render]\noutput-root = "out"\n[[render.outputs]]\ntemplate = "demo.md.j2"\n'
        'path = "demo/notes.md"\n'
    )
    assert render_cli(tmp_path, capsys)[1] == (
        "wrote out/demo/notes.md\nRendered 1 output: 1 written, 0 unchanged.\n"
    )


def test_two_combinations_rendering_to_one_path_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = MATRIX_PLAN.replace(
        'path = "{{ target }}/worker-{{ language }}/SKILL.md"',
        'path = "{{ target }}/worker/SKILL.md"',
    )
    make_project(tmp_path, plan, {"worker.md.j2": WORKER})
    code, out = render_cli(tmp_path, capsys, "--format", "concise")
    assert code == 1
    assert out.splitlines()[0] == (
        "pyproject.toml:4:1: SK707 outputs[1]: renders to skills/spec/worker/SKILL.md, as "
        "outputs[1] already does; give each combination its own path (use the matrix values in "
        "`path`)"
    )
    assert not (tmp_path / "skills").exists()


def test_library_api_is_callable_before_and_after_the_package_is_imported(
    matrix_project: Path,
) -> None:
    import skillkit.render as package

    assert skillkit.render is package  # type: ignore[comparison-overlap]
    result = skillkit.render(matrix_project, check=True)
    assert [o.state for o in result.outputs] == ["missing"] * 4
    assert result.exit_code == 1
    assert package.render(matrix_project).exit_code == 0


def test_the_config_in_force_applies_to_the_lint_of_rendered_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = (
        '[tool.skillkit]\nignore = ["SK111"]\n\n'
        '[tool.skillkit.render]\n[[tool.skillkit.render.outputs]]\ntemplate = "t.md.j2"\n'
        'path = "demo/SKILL.md"\n'
    )
    template = (
        "---\nname: Demo Skill\n"
        "description: A demo skill that shows how rendering works. Use when testing render.\n"
        "---\n\n# demo\n"
    )
    make_project(tmp_path, plan, {"t.md.j2": template})
    assert render_cli(tmp_path, capsys) == (
        0,
        "wrote skills/demo/SKILL.md\nRendered 1 output: 1 written, 0 unchanged.\n",
    )


def test_an_undefined_name_in_an_output_path_points_at_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _simple(tmp_path, "# demo\n", path="{{ folder }}/SKILL.md")
    code, out = _render_fails_untouched(tmp_path, capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "pyproject.toml:4:1: SK702 outputs[1]: path: undefined: 'folder' is undefined [error]"
    )


def test_a_missing_template_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _simple(tmp_path, "# demo\n")
    (tmp_path / "templates/demo.md.j2").unlink()
    code, out = _render_fails_untouched(tmp_path, capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "pyproject.toml:4:1: SK706 outputs[1]: template `demo.md.j2`: template not found: "
        "demo.md.j2 [error]"
    )


def test_an_output_path_naming_a_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _simple(tmp_path, "# demo\n", path="demo")
    (tmp_path / "skills/demo").mkdir(parents=True)
    code, out = _render_fails_untouched(tmp_path, capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "pyproject.toml:4:1: SK705 outputs[1]: output path 'demo' is a folder, not a file [error]"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_that_cannot_be_written_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _simple(tmp_path, "# demo\n")
    (tmp_path / "skills").mkdir()
    (tmp_path / "skills").chmod(0o500)
    try:
        code, out = render_cli(tmp_path, capsys)
    finally:
        (tmp_path / "skills").chmod(0o700)
    assert code == 2
    assert out.startswith("skillkit: error: cannot write")


def test_config_names_the_plan_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _simple(project, "# demo\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, out = render_cli(elsewhere, capsys, "--config", str(project / "pyproject.toml"))
    # Paths in the plan are relative to the config's folder, wherever the command runs.
    assert (code, out) == (
        0,
        "wrote skills/demo/SKILL.md\nRendered 1 output: 1 written, 0 unchanged.\n",
    )
    assert (project / "skills/demo/SKILL.md").is_file()
    assert list(elsewhere.iterdir()) == []
