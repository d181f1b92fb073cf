"""SK4xx: the commands a skill gives, checked against the grammars of the tools they call
(`skillkit.tools`: vrctl, mise exec, uv run, npx). Most rules pick one kind of grammar problem;
the grammar engine finds them, so a rule here only says which kinds it reports and how.

Commands come from shell code blocks, crontab lines and inline spans that start with a known
tool; a command a wrapper runs (`--cmd mise --arg exec ...`) is checked like one written out.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from skillkit.analysis import Run
from skillkit.context import Context
from skillkit.diagnostics import Edit, Finding, Fix, Severity
from skillkit.model import Skill, Span
from skillkit.rules._common import example_skill as _skill
from skillkit.rules.base import FixAvailability, rule
from skillkit.tools import GrammarProblem
from skillkit.tools import GrammarProblemKind as Kind
from skillkit.tools.mise import RUNNERS
from skillkit.tools.vrctl import APP_DIR, STALE_GUIDANCE


def _block(*lines: str) -> str:
    return _skill("```sh\n" + "\n".join(lines) + "\n```\n")


def _problems(context: Context, *kinds: Kind) -> Iterator[tuple[Run, GrammarProblem]]:
    for run, problem in context.analysis.grammar_problems:
        if problem.kind in kinds:
            yield run, problem


def _report(context: Context, *kinds: Kind) -> Iterator[Finding]:
    for _, problem in _problems(context, *kinds):
        yield Finding(problem.span, problem.message)


def _service_adds(context: Context) -> Iterator[Run]:
    for run in context.analysis.runs:
        invocation = run.invocation
        if invocation and invocation.spec and invocation.spec.path == ("service", "add"):
            yield run


_SK401_KINDS = (Kind.UNKNOWN_SUBCOMMAND, Kind.MISSING_SUBCOMMAND)


@rule(
    "SK401",
    "unknown-subcommand",
    Severity.ERROR,
    "A `vrctl` command names a subcommand that does not exist, or none at all.",
    "vrctl has exactly the subcommands of its usage text (`../shared/docs/vrctl.md`): "
    "`service rm`, `service ls` or `service env` fail with a usage error, and an agent that "
    "follows the skill is stuck. The message names the subcommands that exist.",
    bad=_block("vrctl service rm web"),
    good=_block("vrctl service remove web"),
    claims=_SK401_KINDS,
)
def unknown_subcommand(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK401_KINDS)


_SK402_KINDS = (Kind.UNKNOWN_FLAG,)


@rule(
    "SK402",
    "unknown-flag",
    Severity.ERROR,
    "A command passes a flag its tool does not take.",
    "vrctl refuses any other token with `unknown flag: X` (it has no `logs -f` or `--follow`); "
    "`uv run` and `mise exec` stop at an option they do not know. A placeholder never hides "
    "the flag before it.",
    bad=_block("vrctl service logs web -f"),
    good=_block("vrctl service logs web -n 200"),
    claims=_SK402_KINDS,
)
def unknown_flag(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK402_KINDS)


_SK403_KINDS = (Kind.TOO_MANY_ARGUMENTS, Kind.MISSING_ARGUMENT, Kind.BAD_CHOICE)


@rule(
    "SK403",
    "wrong-arguments",
    Severity.ERROR,
    "A command has too many or too few arguments, or one that is not among its choices.",
    "`vrctl service status` takes exactly one name and `host urls` one of public, private, "
    "disable, enable; anything else is a usage error. An inline span that only names a command "
    "(`vrctl service add` in prose) is a mention and is not checked for missing arguments; an "
    "ellipsis (`...`) stands for arguments left out.",
    bad=_block("vrctl service status web api"),
    good=_skill(
        "Register it with `vrctl service add`, then check it with `vrctl service status web`.\n"
    ),
    claims=_SK403_KINDS,
)
def wrong_arguments(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK403_KINDS)


_SK404_KINDS = (Kind.MISSING_VALUE,)


@rule(
    "SK404",
    "flag-missing-value",
    Severity.ERROR,
    "A flag that takes a value has none.",
    "`-n` without a number, or `--cwd` followed by another flag, makes vrctl read the next "
    "flag as the value or fail. (`--arg` is the exception: it takes the next word even when it "
    "starts with `-`, which is how `--arg --reload` passes a flag to the program.)",
    bad=_block("vrctl service logs web -n"),
    good=_block("vrctl service logs web -n 50"),
    claims=_SK404_KINDS,
)
def flag_missing_value(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK404_KINDS)


_SK405_KINDS = (Kind.MISSING_FLAG,)


@rule(
    "SK405",
    "required-flag-missing",
    Severity.ERROR,
    "`vrctl service add` has no `--cmd`.",
    "vrctl refuses `service add` without `--cmd` (`--cmd is required`): the service has no "
    "program to run.",
    bad=_block("vrctl service add web --cwd /home/viberun/app"),
    good=_block("vrctl service add web --cmd python --arg app.py --cwd /home/viberun/app"),
    claims=_SK405_KINDS,
)
def required_flag_missing(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK405_KINDS)


_SK406_KINDS = (Kind.REPEATED_FLAG,)


@rule(
    "SK406",
    "flag-repeated",
    Severity.ERROR,
    "A flag that counts once is given more than once (two `--cmd`).",
    "vrctl keeps the last `--cmd` and silently drops the others, so the service runs something "
    "other than what the first one says. Repeatable flags (`--arg`, `--env`) are fine.",
    bad=_block(
        "vrctl service add web --cmd python --cmd uvicorn --arg app:app --cwd /home/viberun/app"
    ),
    good=_block("vrctl service add web --cmd uvicorn --arg app:app --cwd /home/viberun/app"),
    claims=_SK406_KINDS,
)
def flag_repeated(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK406_KINDS)


_SK407_KINDS = (Kind.WHITESPACE,)


@rule(
    "SK407",
    "cmd-shell-string",
    Severity.ERROR,
    "`--cmd` is given a shell string with whitespace instead of one executable.",
    "vrctl runs `--cmd` with `exec`, without a shell. With whitespace in it, `service add` is "
    "refused when there is no `--arg`, and when there is one the service fails at every start "
    '(`command contains spaces`) and is restarted forever. `--cmd "<command with spaces>"` is '
    "the form of older viberun releases; give the executable to `--cmd` and each argument to "
    "its own `--arg`.",
    bad=_block('vrctl service add web --cmd "npm run dev" --cwd /home/viberun/app'),
    good=_block("vrctl service add web --cmd npm --arg run --arg dev --cwd /home/viberun/app"),
    fix=FixAvailability.SOMETIMES,
    messages={
        "shell-string": "{problem}: vrctl runs one executable without a shell; give each "
        "argument its own `--arg` (a shell string is the form of older viberun releases)",
        "fix": "split into `{replacement}`",
    },
    claims=_SK407_KINDS,
)
def cmd_shell_string(skill: Skill, context: Context) -> Iterator[Finding]:
    for run, problem in _problems(context, *_SK407_KINDS):
        yield Finding(
            problem.span,
            cmd_shell_string.message("shell-string", problem=problem.message),
            fix=_split_cmd(run, problem.span),
        )


_SHELL_SYNTAX = re.compile(r"[|&;<>()$`*?\[\]{}~'\"\\]")


def _split_cmd(run: Run, span: Span) -> Fix | None:
    """`--cmd "npm run dev"` → `--cmd npm --arg run --arg dev`, when the string is plain words
    (no shell syntax a split would change). Unsafe: it changes the command that runs."""
    invocation = run.invocation
    use = (
        next((u for u in invocation.uses("--cmd") if u.value and u.value.span == span), None)
        if invocation
        else None
    )
    if use is None or use.value is None or _SHELL_SYNTAX.search(use.value.text):
        return None
    words = use.value.text.split()
    if use.word.span.line != use.value.span.end_line or not words:
        return None
    # Each word as the shell must see it: a bare `#1` would start a comment.
    quoted = [shlex.quote(word) for word in words]
    replacement = " ".join(["--cmd", quoted[0], *(f"--arg {word}" for word in quoted[1:])])
    where = Span(use.word.span.line, use.word.span.column, span.end_line, span.end_column)
    message = cmd_shell_string.message("fix", replacement=replacement)
    return Fix(message, (Edit(where, replacement),), safe=False)


_SK408_KINDS = (Kind.BAD_ENV,)


@rule(
    "SK408",
    "env-invalid",
    Severity.ERROR,
    "`--env` is not `KEY=VAL`, has a bad key, or an empty value.",
    "vrctl needs `=`, a key of `[A-Za-z0-9_]+` and a non-empty value (which may contain `=`); "
    "anything else is refused. Placeholders (`--env <KEY>=<value>`) are fine.",
    bad=_block(
        "vrctl service add web --cmd node --arg server.ts --cwd /home/viberun/app --env PORT"
    ),
    good=_block(
        "vrctl service add web --cmd node --arg server.ts --cwd /home/viberun/app --env PORT=8080"
    ),
    claims=_SK408_KINDS,
)
def env_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK408_KINDS)


_SK418_KINDS = (Kind.LITERAL_ENV,)


@rule(
    "SK418",
    "env-not-expanded",
    Severity.ERROR,
    "`--env` holds `$NAME` that reaches vrctl as written (single-quoted or escaped).",
    "vrctl exports env values literally, with no `$VAR` expansion at run time "
    "(`../shared/docs/vrctl.md`), so `--env 'PATH=$HOME/bin:$PATH'` gives the service a PATH "
    "that is those characters and it finds no program. Unquoted or double-quoted, the shell "
    "expands the name when the command runs, and vrctl stores the value.",
    bad=_block(
        "vrctl service add web --cmd node --arg server.ts --cwd /home/viberun/app "
        "--env 'PATH=$HOME/.local/bin:$PATH'"
    ),
    good=_block(
        "vrctl service add web --cmd node --arg server.ts --cwd /home/viberun/app "
        "--env PATH=/home/viberun/.local/bin:/usr/bin:/bin"
    ),
    claims=_SK418_KINDS,
)
def env_not_expanded(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK418_KINDS)


_SK409_KINDS = (Kind.RELATIVE_PATH,)


@rule(
    "SK409",
    "cwd-relative",
    Severity.ERROR,
    "`vrctl service add --cwd` is a relative path.",
    "vrctl does not check `--cwd`; a relative folder is resolved against wherever the "
    f"supervisor runs, not the app. App code lives in `{APP_DIR}`.",
    bad=_block("vrctl service add web --cmd python --arg app.py --cwd app"),
    good=_block("vrctl service add web --cmd python --arg app.py --cwd /home/viberun/app"),
    messages={"relative": "{problem} (app code lives in {app_dir})"},
    claims=_SK409_KINDS,
)
def cwd_relative(skill: Skill, context: Context) -> Iterator[Finding]:
    for _, problem in _problems(context, *_SK409_KINDS):
        message = cwd_relative.message("relative", problem=problem.message, app_dir=APP_DIR)
        yield Finding(problem.span, message)


@rule(
    "SK410",
    "cwd-missing",
    Severity.WARNING,
    "`vrctl service add` has no `--cwd`.",
    "Without `--cwd` the process runs in the service folder (`~/.local/services/<name>`), almost "
    f"never what a skill means: relative paths and config files are not found. Pass "
    f"`--cwd {APP_DIR}`. Not reported when the folder does not matter: `mise exec -C <dir>` "
    "runs the program in `<dir>`, and a program given its files by absolute path that reads "
    "no project (`supercronic /home/viberun/app/cron.tab`) needs no working folder.",
    bad=_block("vrctl service add web --cmd python --arg app.py"),
    good=_block("vrctl service add web --cmd python --arg app.py --cwd /home/viberun/app"),
    fix=FixAvailability.ALWAYS,
    messages={
        "missing": "`vrctl service add {name}` has no `--cwd`: the process would run in the "
        "service folder (~/.local/services/{name}); add `--cwd {app_dir}`",
        "fix": "add `--cwd {app_dir}`",
    },
)
def cwd_missing(skill: Skill, context: Context) -> Iterator[Finding]:
    programs: dict[int, list[Run]] = {}  # the programs each command runs, outermost first
    for run in context.analysis.runs:
        if run.via:
            programs.setdefault(id(run.command), []).append(run)
    for run in _service_adds(context):
        invocation = run.invocation
        assert invocation is not None
        if run.mention or invocation.elided or invocation.uses("--cwd"):
            continue
        if not _needs_folder(programs.get(id(run.command), [])):
            continue
        name = invocation.positionals[0].text if invocation.positionals else "<name>"
        last = run.argv[-1].span
        yield Finding(
            _words_span(run),
            cwd_missing.message("missing", name=name, app_dir=APP_DIR),
            fix=Fix(
                cwd_missing.message("fix", app_dir=APP_DIR),
                (Edit(Span.at(last.end_line, last.end_column, 0), f" --cwd {APP_DIR}"),),
                safe=False,
            ),
        )


# Programs that read their project from the folder they run in (package.json, pyproject.toml,
# a Makefile, ...), whatever their arguments.
_PROJECT_TOOLS = frozenset(
    {
        "npm",
        "npx",
        "pnpm",
        "yarn",
        "bun",
        "deno",
        "uv",
        "uvx",
        "poetry",
        "pipenv",
        "make",
        "cargo",
        "go",
        "mise",
        "bundle",
        "rails",
        "mix",
        "gradle",
        "mvn",
        "dotnet",
        "composer",
    }
)


def _needs_folder(programs: list[Run]) -> bool:
    """Whether the program a service runs depends on the folder it runs in. Not when `mise exec
    -C <dir>` moves it into `<dir>` (mise changes folder before it runs the program), nor when
    it is given its files by absolute path and reads no project (`supercronic
    /home/viberun/app/cron.tab`)."""
    if not programs:
        return True
    for run in programs:
        if run.tool == "mise" and run.invocation is not None and run.invocation.values("-C"):
            return False
    program = programs[-1]
    if program.tool in _PROJECT_TOOLS or program.tool.startswith("python"):
        return True
    paths = [word for word in program.argv[1:] if _path_like(word.text)]
    return not paths or not all(word.text.startswith(("/", "~")) for word in paths)


def _path_like(text: str) -> bool:
    """A word that names a file: it has a `/`, or ends in an extension (`server.ts`)."""
    if text.startswith("-") or "=" in text or "://" in text:
        return False
    return "/" in text or bool(re.search(r"\.[A-Za-z][A-Za-z0-9]{0,7}$", text))


def _words_span(run: Run) -> Span:
    """`vrctl service add <name>` as written (or its first word when it spans lines)."""
    first, last = run.argv[0].span, run.argv[min(3, len(run.argv) - 1)].span
    if last.line != first.line:
        return first
    return Span(first.line, first.column, last.end_line, last.end_column)


_SK411_KINDS = (Kind.UNSAFE_NAME,)


@rule(
    "SK411",
    "service-name-unsafe",
    Severity.ERROR,
    "A service name is not safe as a folder name.",
    "vrctl uses the name as a folder under `~/.local/services` without checking it: a `/`, `..` "
    "or a leading `.` breaks or hides the service (s6-svscan skips dot-names). A safe name "
    "matches `^[a-z0-9][a-z0-9_-]*$`.",
    bad=_block("vrctl service add .web --cmd python --arg app.py --cwd /home/viberun/app"),
    good=_block("vrctl service add web --cmd python --arg app.py --cwd /home/viberun/app"),
    claims=_SK411_KINDS,
)
def service_name_unsafe(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK411_KINDS)


_SK412_KINDS = (Kind.NOT_A_NUMBER,)


@rule(
    "SK412",
    "lines-not-number",
    Severity.ERROR,
    "`vrctl service logs -n` is not a whole number.",
    "vrctl passes `-n` to `tail` unchecked: anything but a whole number fails there.",
    bad=_block("vrctl service logs web -n all"),
    good=_block("vrctl service logs web -n 200"),
    claims=_SK412_KINDS,
)
def lines_not_number(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK412_KINDS)


_SK413_KINDS = (Kind.BAD_REF,)


@rule(
    "SK413",
    "snapshot-ref-invalid",
    Severity.ERROR,
    "`vrctl host restore` is given a ref with `/` or `:`.",
    "The host accepts only `latest` or a tag (`v3`) without `/` or `:`; older versions took "
    "`repo:tag`, so such a ref is stale. A placeholder does not hide a literal `:` "
    "(`<repo>:<tag>`).",
    bad=_skill("Roll back with `vrctl host restore myapp:v3`.\n"),
    good=_skill("Roll back with `vrctl host restore v3`.\n"),
    claims=_SK413_KINDS,
)
def snapshot_ref_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK413_KINDS)


_MISE_SHAPE = "mise exec [-C <dir>] [TOOL@VERSION]... -- <program> [<arg>]..."


_SK414_KINDS = (Kind.MISSING_SEPARATOR, Kind.MISSING_COMMAND)


@rule(
    "SK414",
    "mise-exec-shape",
    Severity.ERROR,
    "`mise exec` (or `--cmd mise`) without `exec` or without `--` before the program.",
    f"A mise-installed tool is run as `{_MISE_SHAPE}`: mise's `exec` takes its program after "
    "`--`, and without it mise reads the program as a tool to load. Through vrctl that is "
    "`--cmd mise --arg exec [--arg -C --arg <dir>] --arg -- --arg <program> ...`; `--cmd mise` "
    "without `--arg exec` runs mise itself, not the program. The same holds for `mise exec` "
    "lines anywhere, crontab lines included.",
    bad=_block(
        "vrctl service add web --cmd mise --arg exec --arg -C --arg /home/viberun/app \\",
        "  --arg redis-server --cwd /home/viberun/app",
    ),
    good=_block(
        "vrctl service add web --cmd mise --arg exec --arg -C --arg /home/viberun/app \\",
        "  --arg -- --arg redis-server --cwd /home/viberun/app",
    ),
    messages={
        "runs-mise": "`--cmd mise` runs mise itself: the first `--arg` must be `exec` (then "
        "`--arg -- --arg <program>`){instead}",
        "instead": ", not `{subcommand}`",
        "vrctl-separator": "`--cmd mise --arg exec` needs `--arg --` before the program: "
        "without it mise reads `{word}` as a tool to load",
        "vrctl-command": "`--cmd mise --arg exec` needs `--arg -- --arg <program>`",
        "separator": "{problem} (`{shape}`)",
    },
    claims=_SK414_KINDS,
)
def mise_exec_shape(skill: Skill, context: Context) -> Iterator[Finding]:
    for run in context.analysis.runs:
        if run.tool != "mise" or run.mention:
            continue
        through_vrctl = run.via[-1:] == ("vrctl",)
        if through_vrctl and run.outer is not None and run.outer.elided:
            continue  # `--cmd mise ...`: the rest is left out on purpose
        subcommand = run.argv[1].text if len(run.argv) > 1 else ""
        open_word = len(run.argv) > 1 and (run.argv[1].placeholder or run.argv[1].has_placeholder)
        if through_vrctl and subcommand not in RUNNERS and not open_word:
            where = run.argv[1].span if len(run.argv) > 1 else run.argv[0].span
            yield Finding(
                where,
                mise_exec_shape.message(
                    "runs-mise",
                    instead=(
                        mise_exec_shape.message("instead", subcommand=subcommand)
                        if subcommand
                        else ""
                    ),
                ),
            )
            continue
        if run.invocation is None:
            continue
        for problem in run.invocation.problems:
            if problem.kind not in _SK414_KINDS:
                continue
            if through_vrctl:
                message = (
                    mise_exec_shape.message("vrctl-separator", word=_word_at(run, problem.span))
                    if problem.kind is Kind.MISSING_SEPARATOR
                    else mise_exec_shape.message("vrctl-command")
                )
            else:
                message = (
                    mise_exec_shape.message("separator", problem=problem.message, shape=_MISE_SHAPE)
                    if problem.kind is Kind.MISSING_SEPARATOR
                    else problem.message
                )
            yield Finding(problem.span, message)


def _word_at(run: Run, span: Span) -> str:
    return next((t.text for t in run.argv if t.span == span), "")


def _same_folder(first: str, second: str) -> bool:
    return first.rstrip("/") == second.rstrip("/")


@rule(
    "SK415",
    "mise-dir-mismatch",
    Severity.WARNING,
    "A mise-wrapped service's `-C` folder differs from its `--cwd`.",
    "`mise exec -C <dir>` loads the mise config of `<dir>`, while `--cwd` is where the program "
    "runs; when they differ the program runs with one folder's tools in another folder. Make "
    "them the same (normally the app folder).",
    bad=_block(
        "vrctl service add web --cmd mise --arg exec --arg -C --arg /home/viberun/app/api \\",
        "  --arg -- --arg uvicorn --arg main:app --cwd /home/viberun/app",
    ),
    good=_block(
        "vrctl service add web --cmd mise --arg exec --arg -C --arg /home/viberun/app \\",
        "  --arg -- --arg uvicorn --arg main:app --cwd /home/viberun/app",
    ),
    messages={
        "mismatch": "mise runs with the config of `{config}` (`-C`) but the service runs in "
        "`{cwd}` (`--cwd`); make them the same",
    },
)
def mise_dir_mismatch(skill: Skill, context: Context) -> Iterator[Finding]:
    # The program each command runs through vrctl, looked up once (a scan of every run for
    # each service is quadratic on a file of many).
    inner_of: dict[int, Run] = {}
    for run in context.analysis.runs:
        if run.via == ("vrctl",):
            inner_of.setdefault(id(run.command), run)
    for add in _service_adds(context):
        assert add.invocation is not None
        cwd = add.invocation.values("--cwd")
        inner = inner_of.get(id(add.command))
        if not cwd or inner is None or inner.tool != "mise" or inner.invocation is None:
            continue
        folders = inner.invocation.values("-C")
        if not folders:
            continue
        folder, where = folders[-1], cwd[-1]
        if folder.has_placeholder or where.has_placeholder or folder.placeholder:
            continue
        if not _same_folder(folder.text, where.text):
            yield Finding(
                folder.span,
                mise_dir_mismatch.message("mismatch", config=folder.text, cwd=where.text),
            )


_SK416_KINDS = (Kind.FLAG_BEFORE_COMMAND, Kind.FLAG_AFTER_COMMAND)


@rule(
    "SK416",
    "misplaced-flag",
    Severity.ERROR,
    "A flag is on the wrong side of the program `uv run` or `npx` runs.",
    "Everything after the program belongs to the program: `uv run uvicorn app:app --reload` "
    "passes `--reload` to uvicorn (uv has no `--reload`, so `uv run --reload uvicorn` fails), "
    "and `npx tsx -y watch` gives `-y` to tsx instead of npx (`npx -y tsx watch`). Only flags "
    "no program plausibly takes (`-y`, `--with`, `--no-sync`, ...) between the program and its "
    "arguments are reported: at the very end they may be the program's own.",
    bad=_skill("Run `uv run --reload uvicorn main:app` and `npx tsx -y watch src/index.ts`.\n"),
    good=_skill("Run `uv run uvicorn main:app --reload` and `npx -y tsx watch src/index.ts`.\n"),
    claims=_SK416_KINDS,
)
def misplaced_flag(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _report(context, *_SK416_KINDS)


# `/workspace/<app>`, not `/workspaces/...` (dev containers) or `/foo/workspace/`.
_STALE_APP_PATH = re.compile(r"(?<![\w.~/-])/workspace(?=/|$|[\s\"'`])")


@rule(
    "SK417",
    "stale-app-path",
    Severity.WARNING,
    "A skill that runs vrctl uses the old app path `/workspace/<app>`.",
    f"Older viberun releases kept the app in `/workspace/<app>`; it now lives in `{APP_DIR}`. "
    "Only skills that run vrctl are checked: elsewhere `/workspace` may be a real folder.",
    bad=_block("vrctl service add web --cmd python --arg app.py --cwd /workspace/web"),
    good=_block("vrctl service add web --cmd python --arg app.py --cwd /home/viberun/app"),
    messages={
        "stale": "`{text}` uses `/workspace/<app>`, the app path of older viberun releases; app "
        "code now lives in {app_dir}",
    },
)
def stale_app_path(skill: Skill, context: Context) -> Iterator[Finding]:
    if not any(run.tool == "vrctl" for run in context.analysis.runs):
        return
    seen: set[tuple[int, int]] = set()
    for command in skill.commands:
        for token in command.argv:
            # The substring is necessary for a match; testing it first skips the pattern.
            if "/workspace" in token.text and _STALE_APP_PATH.search(token.text):
                seen.add((token.span.line, token.span.column))
                yield Finding(token.span, _stale_message(token.text))
    for code in skill.inline_code:
        found = _STALE_APP_PATH.search(code.text) if "/workspace" in code.text else None
        if found and not any(line == code.span.line for line, _ in seen):
            column = code.span.column + found.start()
            yield Finding(
                Span(code.span.line, column, code.span.line, column + len(found.group(0))),
                _stale_message(code.text),
            )


def _stale_message(text: str) -> str:
    return stale_app_path.message("stale", text=text, app_dir=APP_DIR)


_NAMES_VIBERUN = re.compile(r"vrctl|viberun", re.IGNORECASE)


@rule(
    "SK419",
    "stale-guidance",
    Severity.WARNING,
    "The skill's prose gives viberun guidance that only older releases made true.",
    "Some facts about viberun changed: `vrctl host restore` takes only `latest` or a tag "
    "without `/` or `:` (it once took a full `repo:tag` ref), restore now reconnects the "
    "session by itself (it once disconnected it), and `viberun <app> snapshot|restore|url` are "
    "gone (`app <app>`, then `snapshot`, inside the viberun shell). Guidance written for the "
    "old behaviour sends the agent the wrong way. The facts are data next to vrctl's grammar "
    "(`skillkit.tools.vrctl.STALE_GUIDANCE`); only skills that name vrctl or viberun are read.",
    bad=_skill(
        "Roll back with `vrctl host restore <ref>`. Restore will disconnect the session; tell "
        "the user to re-run `viberun <app>`.\n"
    ),
    good=_skill("Roll back with `vrctl host restore <ref>`; the session reconnects by itself.\n"),
    messages={"stale": "stale guidance ({stale}): {why}; today: {now}"},
)
def stale_guidance(skill: Skill, context: Context) -> Iterator[Finding]:
    if not any(_NAMES_VIBERUN.search(line) for line in skill.lines):
        return
    code_lines = skill.code_lines
    for number in range(skill.body_start_line, len(skill.lines) + 1):
        text = skill.line_text(number)
        in_code = number in code_lines
        for fact in STALE_GUIDANCE:
            if in_code and not fact.in_code:
                continue
            found = fact.pattern.search(text)
            if found:
                yield Finding(
                    Span(number, found.start() + 1, number, found.end() + 1),
                    stale_guidance.message("stale", stale=fact.stale, why=fact.why, now=fact.now),
                )
