"""SK7xx: problems of templates and of the render plan, which `skillkit render` reports.

No check functions: the renderer finds these while rendering (skillkit.render) and takes each
code's name and severity from here. Each example is a small project (a `skillkit.toml` plan and
its templates) that the tests render with the real renderer.
"""

from __future__ import annotations

from skillkit.diagnostics import Severity
from skillkit.rules.base import RENDER_PLAN, Example, render_rule

_HEAD = """\
---
name: demo
description: Greet the user by name. Use when the user asks to be greeted.
---

# Demo

"""


def _project(
    template: str,
    *,
    path: str = "demo/SKILL.md",
    plan: str = "",
    name: str = "demo.md.j2",
    partials: dict[str, str] | None = None,
) -> Example:
    """A project with one output: the plan (the entry's extra keys in `plan`), the template
    `name`, and partials under templates/."""
    toml = f'[render]\n[[render.outputs]]\ntemplate = "{name}"\npath = "{path}"\n{plan}'
    files = {RENDER_PLAN: toml, f"templates/{name}": template}
    files.update({f"templates/{part}": text for part, text in (partials or {}).items()})
    return Example(files=files)


TEMPLATE_SYNTAX_ERROR = render_rule(
    "SK701",
    "template-syntax-error",
    Severity.ERROR,
    "A template is not valid Jinja.",
    "A template that does not parse renders nothing; the finding names the template (or partial) "
    "and line where Jinja stopped, so that the fix goes into the template, not the output.",
    bad=_project(_HEAD + "{% if formal %}\nGood day.\n{% end %}\n"),
    good=_project(
        _HEAD + "{% if formal %}\nGood day.\n{% endif %}\n",
        plan="variables = { formal = true }\n",
    ),
)

UNDEFINED_NAME = render_rule(
    "SK702",
    "undefined-name",
    Severity.ERROR,
    "A template (or the plan's `path` or front matter) uses a name no variable defines.",
    "Templates render strictly: an undefined name would otherwise become an empty string and a "
    "skill would silently lose a command or a sentence. Define the name in the plan's "
    "`variables` (or `matrix`), or fix its spelling.",
    bad=_project(_HEAD + "Say hello to {{ user }}.\n"),
    good=_project(_HEAD + "Say hello to {{ user }}.\n", plan='variables = { user = "Ada" }\n'),
)

IMPOSSIBLE_COMMAND = render_rule(
    "SK703",
    "impossible-command",
    Severity.ERROR,
    "A command helper (`vrctl.service_add`, ...) was asked for a command the tool cannot run.",
    "The helpers build each command from the same grammar lint checks it with, and refuse what "
    "the tool would reject (vrctl runs `--cmd` without a shell, so a whole command line there "
    "never starts), so a rendered skill never teaches a broken command.",
    bad=_project(_HEAD + "```sh\n{{ vrctl.service_add('web', 'uv run app') }}\n```\n"),
    good=_project(_HEAD + "```sh\n{{ vrctl.service_add('web', 'uv', ['run', 'app']) }}\n```\n"),
)

INVALID_RENDERED_COMMAND = render_rule(
    "SK704",
    "invalid-rendered-command",
    Severity.ERROR,
    "A command in a rendered script does not match its tool's grammar.",
    "Scripts are not skills, so lint never sees them; the renderer checks every known command "
    "in a rendered script with the tool's grammar (as lint does for skills) and points at the "
    "template line it came from.",
    bad=_project(
        "#!/bin/sh\nset -eu\nvrctl service rm web\n", path="register.sh", name="register.sh.j2"
    ),
    good=_project(
        "#!/bin/sh\nset -eu\nvrctl service remove web\n", path="register.sh", name="register.sh.j2"
    ),
)

OUTPUT_PATH_UNSAFE = render_rule(
    "SK705",
    "output-path-unsafe",
    Severity.ERROR,
    "An output path leaves the output root (absolute, `..`, a symlink) or names a folder.",
    "Rendering writes files; a path from the plan (or from a variable in it) must not be able "
    "to overwrite anything outside the output root, so such an output is refused and nothing "
    "is written.",
    bad=_project(_HEAD + "Say hello.\n", path="../demo/SKILL.md"),
    good=_project(_HEAD + "Say hello.\n", path="demo/SKILL.md"),
)

TEMPLATE_ERROR = render_rule(
    "SK706",
    "template-error",
    Severity.ERROR,
    "A template failed while rendering: a missing template or partial, something the sandbox "
    "refuses, or another error.",
    "Templates run in a sandbox and load only from the templates folder; any other failure is "
    "reported with the template and line where it happened instead of a traceback.",
    bad=_project(_HEAD + "{% include 'partials/greeting.md.j2' %}\n"),
    good=_project(
        _HEAD + "{% include 'partials/greeting.md.j2' %}\n",
        partials={"partials/greeting.md.j2": "Say hello.\n"},
    ),
)

OUTPUT_PATH_CONFLICT = render_rule(
    "SK707",
    "output-path-conflict",
    Severity.ERROR,
    "Two outputs of the plan render to the same path.",
    "One would silently overwrite the other; usually a `matrix` whose values the `path` does "
    "not use. Give each combination its own path.",
    bad=_project(_HEAD + "Say hello.\n", plan='matrix = { target = ["spec", "claude-code"] }\n'),
    good=_project(
        _HEAD + "Say hello.\n",
        path="{{ target }}/demo/SKILL.md",
        plan='matrix = { target = ["spec", "claude-code"] }\n',
    ),
)
