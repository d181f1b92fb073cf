"""The render parts on their own: vrctl helpers, front matter per target, the line map, files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from skillkit.atomic import write_atomic
from skillkit.diagnostics import Diagnostic, Related, Severity
from skillkit.model import Span, Token
from skillkit.outputs import plan_for, settings_for
from skillkit.outputs.files import UnsafePath, output_path
from skillkit.render.engine import OutputFindings, TemplateTextFindings, findings_with_text
from skillkit.render.environment import (
    Origin,
    TemplateFailure,
    load,
    make_environment,
    render_with_origins,
)
from skillkit.render.frontmatter import adapt, front_matter_block
from skillkit.render.helpers import VRCTL_HELPERS as vrctl
from skillkit.render.helpers import HelperError, shell_quote
from skillkit.shell import commands_of_text
from skillkit.targets import TARGETS
from skillkit.tools import VRCTL, match
from tests.render_helpers import TWO_OUTPUTS_PLAN, make_project

# --- vrctl helpers ------------------------------------------------------------------------------


def test_service_add_gives_the_seed_templates_exactly() -> None:
    assert vrctl.service_add("<name>", "<executable>", ["<arg>"]) == (
        "vrctl service add <name> \\\n"
        "  --cmd <executable> \\\n"
        "  --arg <arg> \\\n"
        "  --cwd /home/viberun/app"
    )
    assert vrctl.service_add("<name>", "<executable>", ["<arg>"], mise=True) == (
        "vrctl service add <name> \\\n"
        "  --cmd mise \\\n"
        "  --arg exec \\\n"
        "  --arg -C --arg /home/viberun/app \\\n"
        "  --arg -- \\\n"
        "  --arg <executable> \\\n"
        "  --arg <arg> \\\n"
        "  --cwd /home/viberun/app"
    )


def test_service_add_quotes_for_the_shell_and_pins_mise_tools() -> None:
    text = vrctl.service_add(
        "bot",
        "python",
        ["-c", "print('hi there')", "$HOME", "--flag"],
        cwd="/srv/my app",
        env={"GREETING": "a b", "URL": "x=y"},
        mise=["python@3.12"],
        no_start=True,
    )
    assert text == (
        "vrctl service add bot \\\n"
        "  --cmd mise \\\n"
        "  --arg exec \\\n"
        "  --arg -C --arg '/srv/my app' \\\n"
        "  --arg python@3.12 \\\n"
        "  --arg -- \\\n"
        "  --arg python \\\n"
        "  --arg -c \\\n"
        "  --arg 'print('\"'\"'hi there'\"'\"')' \\\n"
        "  --arg '$HOME' \\\n"
        "  --arg --flag \\\n"
        "  --cwd '/srv/my app' \\\n"
        "  --env 'GREETING=a b' \\\n"
        "  --env URL=x=y \\\n"
        "  --no-start"
    )
    # What the shell would hand vrctl, word for word, matches the grammar.
    (command,) = commands_of_text(text)
    assert command.words[20:22] == ("--arg", "print('hi there')")
    assert match(VRCTL, command.argv).problems == ()


def test_service_add_without_mise() -> None:
    assert vrctl.service_add("w", "/usr/bin/worker") == (
        "vrctl service add w \\\n  --cmd /usr/bin/worker \\\n  --cwd /home/viberun/app"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"name": "web", "cmd": "uv run app"},
            "cmd 'uv run app' must be one executable without whitespace; pass its arguments in "
            "args (vrctl runs --cmd with exec, no shell)",
        ),
        (
            {"name": "web", "cmd": "uv", "env": {"BAD-KEY": "1"}},
            "env key 'BAD-KEY' is not valid: vrctl accepts only letters, digits and `_`",
        ),
        (
            {"name": "web", "cmd": "uv", "env": {"KEY": ""}},
            "env KEY has an empty value; vrctl refuses `--env KEY=`",
        ),
        (
            {"name": "web", "cmd": "uv", "env": ["NOEQUALS"]},
            "env item 'NOEQUALS' needs the form KEY=VAL",
        ),
        (
            {"name": "../web", "cmd": "uv"},
            "service name '../web' is not a safe name ([a-z0-9][a-z0-9_-]*): vrctl makes it a "
            "directory, where `/`, `..` or a leading `.` break or hide the service",
        ),
        (
            {"name": "web", "cmd": "uv", "args": ["a\nb"]},
            "argument 'a\\nb' holds a line break; vrctl stores values one a line, so it would "
            "split in two",
        ),
        (
            {"name": "web", "cmd": "uv", "args": "run app"},
            "args must be a list of words, not str 'run app'",
        ),
        (
            {"name": "web", "cmd": "uv", "cwd": "app"},
            "cwd 'app' is not an absolute path; vrctl would resolve it from the service directory "
            "(app code lives in /home/viberun/app)",
        ),
        (
            {"name": "web", "cmd": "-x"},
            "`vrctl service add web --cmd -x --cwd /home/viberun/app` is not a valid vrctl "
            "command: flag `--cmd` needs a value <executable>",
        ),
        (
            {"name": "web", "cmd": "uv", "mise": ["--bad"]},
            "mise tool '--bad' is not a TOOL@VERSION word",
        ),
    ],
)
def test_service_add_refuses_impossible_commands(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(HelperError) as caught:
        vrctl.service_add(**kwargs)
    assert str(caught.value) == message


def test_the_other_verbs() -> None:
    assert vrctl.service_restart("web") == "vrctl service restart web"
    assert vrctl.service_logs("<name>", 200) == "vrctl service logs <name> -n 200"
    assert vrctl.service_list() == "vrctl service list"
    assert vrctl.host_restore("<ref>") == "vrctl host restore <ref>"
    with pytest.raises(HelperError, match="only `latest` or a tag without"):
        vrctl.host_restore("repo:v3")
    with pytest.raises(HelperError, match="whole number of at least 1"):
        vrctl.service_logs("web", 0)


def test_shell_quote() -> None:
    assert shell_quote("it's") == "'it'\"'\"'s'"
    assert shell_quote("plain") == "plain"
    assert shell_quote(3) == "3"


def test_helpers_agree_with_the_grammar_token_for_token() -> None:
    # Every helper's output, read back by the shell parser, matches the grammar lint uses.
    outputs = [
        vrctl.service_add("web", "uv", ["run", "app"], env=["A=1"], mise=True),
        vrctl.service_start("web"),
        vrctl.service_stop("web"),
        vrctl.service_status("web"),
        vrctl.service_remove("web"),
        vrctl.host_snapshot(),
        vrctl.host_snapshots(),
    ]
    for text in outputs:
        (command,) = commands_of_text(text)
        assert match(VRCTL, command.argv).problems == (), text
    spans = [Token("vrctl", "vrctl", Span.at(1))]
    assert match(VRCTL, spans).problems[0].kind == "missing-subcommand"


# --- front matter -------------------------------------------------------------------------------

CLAUDE_DATA = {
    "description": "Runs things. Use when asked.",
    "name": "demo",
    "disable-model-invocation": True,
    "when_to_use": "Use when the user says run.",
    "allowed-tools": ["Bash(git:*)", "Read"],
    "metadata": {"short-description": "Demo"},
    "hooks": {"PreToolUse": []},
}


@pytest.mark.parametrize("target", ["spec", "codex", "viberun"])
def test_claude_code_fields_are_dropped_or_mapped_for_other_targets(target: str) -> None:
    adapted = adapt(CLAUDE_DATA, TARGETS[target])
    assert adapted.dropped == ("disable-model-invocation", "hooks")
    assert adapted.mapped == ("when_to_use", "allowed-tools")
    assert front_matter_block(adapted.fields) == (
        "---\n"
        "name: demo\n"
        "description: Runs things. Use when asked. Use when the user says run.\n"
        "allowed-tools: Bash(git:*) Read\n"
        "metadata:\n"
        "  short-description: Demo\n"
        "---\n"
    )


def test_claude_code_keeps_its_fields_in_a_stable_order() -> None:
    adapted = adapt(CLAUDE_DATA, TARGETS["claude-code"])
    assert adapted.dropped == () and adapted.mapped == ()
    assert front_matter_block(adapted.fields) == (
        "---\n"
        "name: demo\n"
        "description: Runs things. Use when asked.\n"
        "when_to_use: Use when the user says run.\n"
        "allowed-tools:\n- Bash(git:*)\n- Read\n"
        "metadata:\n  short-description: Demo\n"
        "disable-model-invocation: true\n"
        "hooks:\n  PreToolUse: []\n"
        "---\n"
    )


def test_values_that_yaml_would_misread_are_quoted_and_read_back_the_same() -> None:
    fields = {
        "name": "no",
        "description": "Use when: the user asks; 1.0 # not a comment",
        "license": "1.0",
        "compatibility": "line one\nline two",
        "metadata": {"on": "yes", "version": "2026-01-01"},
    }
    text = front_matter_block(fields)
    assert text == (
        "---\n"
        "name: 'no'\n"
        "description: 'Use when: the user asks; 1.0 # not a comment'\n"
        "license: '1.0'\n"
        "compatibility: |-\n  line one\n  line two\n"
        "metadata:\n  'on': 'yes'\n  version: '2026-01-01'\n"
        "---\n"
    )
    assert yaml.safe_load(text.strip("-\n")) == fields


# --- the line map -------------------------------------------------------------------------------


def _render(
    tmp_path: Path, templates: dict[str, str], variables: dict[str, object]
) -> list[tuple[str, Origin | None]]:
    for name, text in templates.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = make_environment(tmp_path)
    rendered = render_with_origins(env, load(env, "main.j2"), variables)
    lines = rendered.text.split("\n")
    if rendered.text.endswith("\n"):
        lines.pop()
    assert len(lines) == len(rendered.origins)
    return list(zip(lines, rendered.origins, strict=True))


def test_every_output_line_knows_its_template_line(tmp_path: Path) -> None:
    main = (
        "{# a comment #}\n"  # 1
        "{% set who = 'you' %}\n"  # 2
        "Hello {{ who }}\n"  # 3
        "{% include 'partials/p.j2' %}\n"  # 4
        "{% for item in items %}\n"  # 5
        "- {{ item }}\n"  # 6
        "{% endfor %}\n"  # 7
        "{% if True %}\n"  # 8
        "```\n"  # 9
        "{{ vrctl.service_add('web', 'uv', ['run', 'app']) }}\n"  # 10
        "```\n"  # 11
        "{% endif %}\n"  # 12
        "end\n"  # 13
    )
    partial = "from the partial\n\nline {{ 3 }} of it\n"
    result = _render(tmp_path, {"main.j2": main, "partials/p.j2": partial}, {"items": ["a", "b"]})
    assert result == [
        ("Hello you", Origin("main.j2", 3)),
        ("from the partial", Origin("partials/p.j2", 1)),
        ("", Origin("partials/p.j2", 2)),
        ("line 3 of it", Origin("partials/p.j2", 3)),
        ("- a", Origin("main.j2", 6)),
        ("- b", Origin("main.j2", 6)),
        ("```", Origin("main.j2", 9)),
        ("vrctl service add web \\", Origin("main.j2", 10)),
        ("  --cmd uv \\", Origin("main.j2", 10)),
        ("  --arg run \\", Origin("main.j2", 10)),
        ("  --arg app \\", Origin("main.j2", 10)),
        ("  --cwd /home/viberun/app", Origin("main.j2", 10)),
        ("```", Origin("main.j2", 11)),
        ("end", Origin("main.j2", 13)),
    ]


def test_blocks_and_extends_map_to_the_child_template(tmp_path: Path) -> None:
    base = "# title\n{% block body %}{% endblock %}\nfooter\n"
    main = "{% extends 'base.j2' %}\n{% block body %}\nbody line\n{{ 'x' ~ 'y' }}\n{% endblock %}\n"
    assert _render(tmp_path, {"base.j2": base, "main.j2": main}, {}) == [
        ("# title", Origin("base.j2", 1)),
        ("body line", Origin("main.j2", 3)),
        ("xy", Origin("main.j2", 4)),
        ("footer", Origin("base.j2", 3)),
    ]


def test_undefined_inside_a_partial_points_at_the_partial(tmp_path: Path) -> None:
    with pytest.raises(TemplateFailure) as caught:
        _render(
            tmp_path,
            {"main.j2": "a\n{% include 'p.j2' %}\n", "p.j2": "x\n\n{{ missing.attr }}\n"},
            {},
        )
    failure = caught.value
    assert (failure.code, failure.message, failure.template, failure.line) == (
        "SK702",
        "undefined: 'missing' is undefined",
        "p.j2",
        3,
    )


def test_a_template_symlinked_from_outside_is_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "main.j2").symlink_to(secret)
    env = make_environment(folder)
    with pytest.raises(TemplateFailure, match="leads outside the templates folder"):
        load(env, "main.j2")
    with pytest.raises(TemplateFailure, match="template not found"):
        load(env, "../secret.txt")


# --- files --------------------------------------------------------------------------------------


def test_output_path_stays_inside_the_root(tmp_path: Path) -> None:
    assert output_path(tmp_path, "a/SKILL.md") == tmp_path / "a" / "SKILL.md"
    for bad in ("", "/abs", "a/../../x", "./a", "a\\b", "a/", " a"):
        with pytest.raises(UnsafePath):
            output_path(tmp_path, bad)


def test_atomic_write_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.sh"
    write_atomic(target, b"one\n", executable=True)
    target.chmod(0o750)
    write_atomic(target, b"two\n")
    assert target.read_bytes() == b"two\n"
    assert target.stat().st_mode & 0o777 == 0o750
    assert [p.name for p in target.parent.iterdir()] == ["file.sh"]


def test_shell_quote_is_a_filter_in_templates(tmp_path: Path) -> None:
    result = _render(
        tmp_path, {"main.j2": "echo {{ message | shell_quote }}\n"}, {"message": "it's $HOME"}
    )
    assert result == [("echo 'it'\"'\"'s $HOME'", Origin("main.j2", 1))]


# --- a template's findings with the editor's text -----------------------------------------------


SAVED = "# {{ front_matter.name }}\n\n```sh\nvrctl service status web\n```\n"


def _findings_with_text(root: Path, text: str) -> TemplateTextFindings:
    make_project(root, TWO_OUTPUTS_PLAN, {"demo.md.j2": SAVED})
    settings = settings_for(root)
    return findings_with_text(plan_for(root, settings), settings, "demo.md.j2", text)


def test_findings_with_text_are_empty_for_a_good_template(tmp_path: Path) -> None:
    assert _findings_with_text(tmp_path, SAVED) == TemplateTextFindings(
        "templates/demo.md.j2",
        (
            OutputFindings("skills/demo-a/SKILL.md", ()),
            OutputFindings("skills/demo-b/SKILL.md", ()),
        ),
    )


def test_findings_with_text_render_the_text_not_the_file(tmp_path: Path) -> None:
    # The saved template is good; the text has a Jinja syntax error on its first line.
    found = _findings_with_text(tmp_path, "{% if %}\n" + SAVED)
    assert found == TemplateTextFindings(
        "templates/demo.md.j2",
        tuple(
            OutputFindings(
                output,
                (
                    Diagnostic(
                        path="templates/demo.md.j2",
                        span=Span.at(1),
                        code="SK701",
                        name="template-syntax-error",
                        severity=Severity.ERROR,
                        message="template syntax error: Expected an expression, got "
                        "'end of statement block'",
                        related=(Related(f"while rendering {output}", Span.at(1), output),),
                        source_line="{% if %}",  # the text's line, not the file's
                    ),
                ),
            )
            for output in ("skills/demo-a/SKILL.md", "skills/demo-b/SKILL.md")
        ),
    )
    assert (tmp_path / "templates" / "demo.md.j2").read_text(encoding="utf-8") == SAVED
    assert not (tmp_path / "skills").exists()  # nothing is written
