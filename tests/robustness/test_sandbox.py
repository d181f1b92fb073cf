"""`skillkit render` against hostile templates and plans: the Jinja sandbox holds (no Python
internals, no file outside the templates folder), and no output lands outside the output root,
whatever the path variables or symlinks say. Each case checks that nothing was written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.robustness.test_writes import run_cli

SECRET = "TOP-SECRET-CONTENT"

PLAN = """\
[tool.skillkit.render]
[[tool.skillkit.render.outputs]]
template = "demo.md.j2"
path = "{path}"
variables = {{ dir = "{dir}" }}
[tool.skillkit.render.outputs.front-matter]
name = "demo"
description = "A demo skill that shows how rendering works. Use when testing skillkit render."
"""


def project(root: Path, template: str, path: str = "demo/SKILL.md", dir: str = "demo") -> Path:
    """root/project with one template, and root/secret.txt beside it (outside everything)."""
    (root / "secret.txt").write_text(SECRET)
    folder = root / "project"
    (folder / "templates" / "sub").mkdir(parents=True)
    escaped_path = path.replace("\\", "\\\\")
    escaped_dir = dir.replace("\\", "\\\\")
    (folder / "pyproject.toml").write_text(PLAN.format(path=escaped_path, dir=escaped_dir))
    (folder / "templates" / "demo.md.j2").write_text(template)
    (folder / "templates" / "sub" / "ok.j2").write_text("included\n")
    return folder


def everything(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def render_refused(root: Path, folder: Path) -> str:
    """Render; assert it failed with a finding and wrote nothing at all. Return the report."""
    before = everything(root)
    code, out, err = run_cli("render", "--root", str(folder))
    assert code == 1, out + err
    assert "Traceback" not in out + err
    assert everything(root) == before
    assert SECRET not in out + err
    return out


INTERNALS = [
    "''.__class__",
    "''.__class__.__mro__[1].__subclasses__()",
    "().__class__.__base__",
    "cycler.__init__.__globals__",
    "joiner.__init__.__globals__.os",
    "namespace.__init__.__globals__",
    "lipsum.__globals__",
    "lipsum.__globals__['os'].popen('id').read()",
    "range.__self__",
    "self.__init__.__globals__",
    "self._TemplateReference__context",
    "vrctl.__class__",
    "vrctl.service_add.__func__.__globals__",
    "''|attr('__class__')",
    "'{0.__class__}'.format(1)",
    "'%s'|format(''.__class__)",
    "os",
    "config",
    "request",
    "__builtins__",
    "''.__class__.__base__.__subclasses__()[0].__init__.__globals__['sys'].modules['os']",
]


@pytest.mark.parametrize("expression", INTERNALS)
def test_no_python_internals(tmp_path: Path, expression: str) -> None:
    out = render_refused(tmp_path, project(tmp_path, "# demo\n\n{{ " + expression + " }}\n"))
    # Line 3; the column is the undefined name's (SK702) or the line's start.
    assert re.match(r"templates/demo\.md\.j2:3:\d+: SK70", out), out


@pytest.mark.parametrize(
    "statement",
    [
        "{% set x = ''.__class__ %}{{ x }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{% with g = cycler.__init__.__globals__ %}{{ g }}{% endwith %}",
        "{{ {}.update.__self__ }}",
        "{% set l = [] %}{{ l.append.__self__.__class__ }}",
    ],
)
def test_no_python_internals_through_statements(tmp_path: Path, statement: str) -> None:
    out = render_refused(tmp_path, project(tmp_path, f"# demo\n\n{statement}\n"))
    assert " SK70" in out


@pytest.mark.parametrize(
    "statement",
    [
        "{% include '../../secret.txt' %}",
        "{% include '../secret.txt' %}",
        "{% include 'sub/../../../secret.txt' %}",
        "{% include '/etc/passwd' %}",
        "{% import '../../secret.txt' as s %}",
        "{% extends '../../secret.txt' %}",
        "{% include 'link.j2' %}",
        "{% include 'outside/secret.txt' %}",
        "{% include 'sub/../link.j2' %}",
    ],
)
def test_no_file_outside_the_templates_folder(tmp_path: Path, statement: str) -> None:
    folder = project(tmp_path, f"# demo\n\n{statement}\n")
    (folder / "templates" / "link.j2").symlink_to(tmp_path / "secret.txt")
    (folder / "templates" / "outside").symlink_to(tmp_path)
    out = render_refused(tmp_path, folder)
    assert " SK70" in out


def test_a_safe_include_still_works(tmp_path: Path) -> None:
    folder = project(tmp_path, "# demo\n\n{% include 'sub/ok.j2' %}")
    code, out, err = run_cli("render", "--root", str(folder))
    assert code == 0, out + err
    assert (folder / "skills" / "demo" / "SKILL.md").read_text().endswith("# demo\n\nincluded\n")


@pytest.mark.parametrize(
    "special",
    ["fifo", "zero"],
)
def test_a_template_that_is_not_a_file_cannot_hang_render(tmp_path: Path, special: str) -> None:
    """A FIFO (reading waits for a writer forever) or a link to /dev/zero (endless)."""
    folder = project(tmp_path, "# demo\n\n{% include 'special.j2' %}\n")
    target = folder / "templates" / "special.j2"
    if special == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    completed = subprocess.run(
        [sys.executable, "-m", "skillkit", "render", "--root", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert " SK70" in completed.stdout
    assert not (folder / "skills").exists()


@pytest.mark.parametrize(
    ("path", "dir"),
    [
        ("{{ dir }}/SKILL.md", ".."),
        ("{{ dir }}/SKILL.md", "../.."),
        ("{{ dir }}/SKILL.md", "a/../../.."),
        ("{{ dir }}/SKILL.md", "/tmp/skillkit-escape"),
        ("{{ dir }}/SKILL.md", "demo/./."),
        ("{{ dir }}/SKILL.md", "demo\\..\\..\\.."),
        ("{{ dir }}/SKILL.md", " demo"),
        ("{{ dir }}/SKILL.md", ""),
        ("{{ dir }}//SKILL.md", "demo"),
        ("../{{ dir }}/SKILL.md", "escape"),
    ],
)
def test_output_paths_from_variables_stay_inside(tmp_path: Path, path: str, dir: str) -> None:
    folder = project(tmp_path, "# demo\n", path=path, dir=dir)
    out = render_refused(tmp_path, folder)
    assert "SK705" in out
    assert not Path("/tmp/skillkit-escape").exists()


def test_a_home_folder_is_only_a_name(tmp_path: Path) -> None:
    """`~` is not expanded: it is a folder named `~` inside the output root (where the rendered
    skill is then checked, and its name found not to match the folder)."""
    out = render_refused(tmp_path, project(tmp_path, "# demo\n", path="~/SKILL.md"))
    assert out.startswith(
        "pyproject.toml:7:1: SK112 `name` is `demo` but the folder is `~`; they must be equal "
        "(in skills/~/SKILL.md:2)"
    )


@pytest.mark.parametrize("kind", ["folder", "file", "chain", "absolute-file"])
def test_symlinks_out_of_the_output_root_are_refused(tmp_path: Path, kind: str) -> None:
    folder = project(tmp_path, "# demo\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "SKILL.md").write_text("outside\n")
    skills = folder / "skills"
    skills.mkdir()
    if kind == "folder":
        (skills / "demo").symlink_to(outside)
    elif kind == "file":
        (skills / "demo").mkdir()
        (skills / "demo" / "SKILL.md").symlink_to("../../../outside/SKILL.md")
    elif kind == "chain":  # inside → inside → outside
        (skills / "hop").symlink_to(outside)
        (skills / "demo").symlink_to("hop")
    else:
        (skills / "demo").mkdir()
        (skills / "demo" / "SKILL.md").symlink_to(outside / "SKILL.md")
    out = render_refused(tmp_path, folder)
    assert "SK705" in out and "leads outside the output root through a symlink" in out
    assert (outside / "SKILL.md").read_text() == "outside\n"
    assert sorted(p.name for p in outside.iterdir()) == ["SKILL.md"]
