"""SK14x: the values of a client's own front-matter fields, as that client reads them.

Every check asks the target profile (`skillkit.targets`) which fields it has and what they
accept; the facts are Claude Code's frontmatter reference (code.claude.com/docs/en/skills), its
hooks reference (code.claude.com/docs/en/hooks) and its tools reference
(code.claude.com/docs/en/tools-reference).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from skillkit.context import FILE, FOLDER, Context, Files
from skillkit.diagnostics import Edit, Finding, Fix, Related, Severity
from skillkit.model import Field, Skill, Span, Value, kind_name, shown_value
from skillkit.reading import UnreadableFile
from skillkit.rules.base import Example, FixAvailability, RuleOption, rule
from skillkit.rules.frontmatter import claude_flag, model_sees, yaml_boolean
from skillkit.targets import targets_where

CC = "claude-code"
HEAD = "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy a CSV.\n"
BODY = "---\n\n# Demo\n\nSteps.\n"


def _fields(skill: Skill) -> tuple[Field, ...]:
    fm = skill.front_matter
    if not fm.present or fm.root_kind not in ("map", "empty"):
        return ()
    return fm.fields


def _last(skill: Skill, key: str) -> Field | None:
    """The field as the client reads it (the last duplicate wins), in a front matter that is a
    mapping."""
    return skill.front_matter.get(key) if _fields(skill) else None


def _is_null(value: Value) -> bool:
    return value.kind == "null" and not value.style


@rule(
    "SK140",
    "invocation-flag-not-boolean",
    Severity.ERROR,
    "`disable-model-invocation` or `user-invocable` is not the boolean `true` or `false`.",
    "Claude Code reads both as booleans (code.claude.com/docs/en/skills, frontmatter "
    'reference): true only for `true` or the string "true" (its `parseBooleanFrontmatter` is '
    "`value === true || value === 'true'`), false for anything else. So `yes`, `on` or a quoted "
    '`"True"` (strings to a YAML 1.2 reader such as Claude Code\'s) are read as false, and a '
    "skill meant to be manual-only is invoked by the model. A value meant as false (`no`, `off`, "
    '`"false"`) is read as false, as meant, and so is not reported. The fix writes the plain '
    "boolean.",
    bad=Example(HEAD + "disable-model-invocation: yes\n" + BODY, target=CC),
    good=Example(HEAD + "disable-model-invocation: true\n" + BODY, target=CC),
    targets=targets_where(lambda target: bool(target.boolean_fields)),
    fix=FixAvailability.SOMETIMES,
    messages={
        "not-boolean": "`{key}` must be `true` or `false`, not {value}",
        "string": "`{key}: {text}` is a string to Claude Code, not the boolean {word}; write "
        "`{word}` unquoted",
        "fix": "write `{key}: {word}`",
    },
)
def invocation_flag_not_boolean(skill: Skill, context: Context) -> Iterator[Finding]:
    for item in _fields(skill):
        if item.key not in context.target.boolean_fields or _is_null(item.value):
            continue
        value = item.value
        if claude_flag(value) is not None:
            continue  # a boolean, or the string "true" or "false", which Claude Code reads so
        meant = _meant_boolean(value)
        if meant is False:
            continue  # (`no`, `off`, `"False"`: read as false, as meant)
        if meant is None:
            yield Finding(
                value.span,
                invocation_flag_not_boolean.message(
                    "not-boolean", key=item.key, value=shown_value(value)
                ),
            )
            continue
        word = "true" if meant else "false"
        text = value.text if not value.style else repr(value.text)
        yield Finding(
            value.span,
            invocation_flag_not_boolean.message("string", key=item.key, text=text, word=word),
            fix=Fix(
                invocation_flag_not_boolean.message("fix", key=item.key, word=word),
                (Edit(value.span, word),),
            ),
        )


_TRUE_WORDS = frozenset({"true", "yes", "on", "y"})
_FALSE_WORDS = frozenset({"false", "no", "off", "n"})


def _meant_boolean(value: Value) -> bool | None:
    if value.kind not in ("str", "bool"):
        return None
    word = value.text.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


@rule(
    "SK141",
    "skill-unreachable",
    Severity.WARNING,
    "The skill can be invoked by neither the user nor the model.",
    "`disable-model-invocation: true` keeps the model from loading a skill and "
    "`user-invocable: false` hides it from the `/` menu (code.claude.com/docs/en/skills); with "
    "both, nothing can start the skill. Drop one of the two.",
    bad=Example(HEAD + "disable-model-invocation: true\nuser-invocable: false\n" + BODY, target=CC),
    good=Example(HEAD + "disable-model-invocation: true\n" + BODY, target=CC),
    targets=targets_where(lambda target: bool(target.boolean_fields)),
    messages={
        "unreachable": "with `disable-model-invocation: true` and `user-invocable: false` "
        "neither the model nor the user can invoke this skill; drop one of the two",
    },
)
def skill_unreachable(skill: Skill, context: Context) -> Iterator[Finding]:
    disabled = _last(skill, "disable-model-invocation")
    hidden = _last(skill, "user-invocable")
    if disabled is None or hidden is None:
        return
    if claude_flag(disabled.value) is True and claude_flag(hidden.value) is False:
        yield Finding(hidden.key_span, skill_unreachable.message("unreachable"))


@rule(
    "SK142",
    "field-value-invalid",
    Severity.ERROR,
    "A client field has a value of the wrong type, or not one of its documented choices.",
    "Claude Code documents each field's values (code.claude.com/docs/en/skills, frontmatter "
    "reference): `context` accepts only `fork`; `effort` one of `low`, `medium`, `high`, "
    "`xhigh`, `max`; `shell` `bash` or `powershell`; `when_to_use`, `argument-hint`, `agent` "
    "and `model` are strings; `paths`, `arguments`, `allowed-tools` and `disallowed-tools` a "
    "string or a list of strings. A value outside the documented choices is an error: the "
    "setting does not do what the author meant; for `context` a warning, as any value but "
    "`fork` leaves the skill inline, as no value does. A list or mapping where a string is "
    "documented is a warning: Claude Code tolerates the unquoted "
    "`argument-hint: [issue-number]` of many real skills (a YAML list; "
    "anthropics/claude-code#22161), but other readers reject it "
    "(GitHub Copilot CLI 1.0.65 drops such a skill); quoting it is the fix.",
    bad=Example(HEAD + "context: forked\n" + BODY, target=CC),
    good=Example(HEAD + "context: fork\n" + BODY, target=CC),
    targets=targets_where(lambda target: bool(target.field_choices or target.string_fields)),
    fix=FixAvailability.SOMETIMES,
    fixed=Example(HEAD + "argument-hint: [issue-number]\n" + BODY, target=CC),
    messages={
        "context": "`context` has an effect only as `fork`; with {value} the skill runs inline, "
        "as without the field",
        "not-the-choice": "`{key}` accepts only {choices}; not {value}",
        "not-a-choice": "`{key}` accepts one of {choices}; not {value}",
        "entry-not-string": "each `{key}` entry must be a string",
        "not-string-or-list": "`{key}` must be a string or a list of strings, not {value}",
        "agent-empty": "`agent` is empty; name a subagent or drop the field",
        "flow-list": "`{key}: {source}` is a YAML list, not a string; quote it",
        "fix": "quote the value as {quoted}",
        "not-string": "`{key}` must be a string, not a {kind}",
    },
)
def field_value_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    target = context.target
    for item in _fields(skill):
        value = item.value
        if _is_null(value) and not value.text.strip():
            continue  # an empty value is the default
        if item.key in target.field_choices:
            choices = target.field_choices[item.key]
            if value.kind != "str" or value.text.strip() not in choices:
                listed = ", ".join(f"`{choice}`" for choice in choices)
                if item.key == "context":
                    # Claude Code acts on `fork` alone; any other value leaves the skill inline,
                    # which is what a skill without the field does: nothing breaks but the intent.
                    yield Finding(
                        value.span,
                        field_value_invalid.message("context", value=shown_value(value)),
                        severity=Severity.WARNING,
                    )
                    continue
                shown = shown_value(value)
                message = (
                    field_value_invalid.message(
                        "not-the-choice", key=item.key, choices=listed, value=shown
                    )
                    if len(choices) == 1
                    else field_value_invalid.message(
                        "not-a-choice", key=item.key, choices=listed, value=shown
                    )
                )
                yield Finding(value.span, message)
        elif item.key in target.string_fields:
            yield from _string_value(skill, item)
        elif item.key in target.string_or_list_fields and item.key != "allowed-tools":
            # (`allowed-tools` has its own rule, SK133.)
            if value.kind == "seq":
                for entry in value.items:
                    if entry.kind != "str":
                        message = field_value_invalid.message("entry-not-string", key=item.key)
                        yield Finding(entry.span, message)
            elif value.kind not in ("str",) and not value.style:
                yield Finding(
                    value.span,
                    field_value_invalid.message(
                        "not-string-or-list", key=item.key, value=shown_value(value)
                    ),
                )


def _string_value(skill: Skill, item: Field) -> Iterator[Finding]:
    value = item.value
    if value.kind == "str":
        if not value.text.strip() and item.key == "agent":
            yield Finding(value.span, field_value_invalid.message("agent-empty"))
        return
    if value.kind == "seq" and value.span.line == value.span.end_line:
        # `argument-hint: [issue-number]`: a flow list where a hint was meant.
        source = skill.line_text(value.span.line)[value.span.column - 1 : value.span.end_column - 1]
        quoted = '"' + source.replace("\\", "\\\\").replace('"', '\\"') + '"'
        yield Finding(
            value.span,
            field_value_invalid.message("flow-list", key=item.key, source=source),
            fix=Fix(field_value_invalid.message("fix", quoted=quoted), (Edit(value.span, quoted),)),
            severity=Severity.WARNING,
        )
        return
    if value.kind in ("seq", "map"):
        yield Finding(
            value.span,
            field_value_invalid.message("not-string", key=item.key, kind=kind_name(value.kind)),
            severity=Severity.WARNING,
        )
    # Numbers, booleans and dates in string fields are SK106's (yaml-not-a-string).


@rule(
    "SK143",
    "agent-without-fork",
    Severity.WARNING,
    "`agent` is set but `context: fork` is not: the agent is never used.",
    "`agent` names the subagent type that runs the skill when `context: fork` is set "
    "(code.claude.com/docs/en/skills); without it the skill runs inline and `agent` has no "
    "effect. (`context: fork` without `agent` is valid: it uses `general-purpose`.)",
    bad=Example(HEAD + "agent: Explore\n" + BODY, target=CC),
    good=Example(HEAD + "context: fork\nagent: Explore\n" + BODY, target=CC),
    targets=targets_where(lambda target: "context" in target.field_choices),
    messages={
        "no-fork": "`agent: {agent}` has no effect without `context: fork`; add it, or drop "
        "`agent`",
    },
)
def agent_without_fork(skill: Skill, context: Context) -> Iterator[Finding]:
    agent = _last(skill, "agent")
    if agent is None or agent.value.kind != "str" or not agent.value.text.strip():
        return
    fork = _last(skill, "context")
    if fork is not None and fork.value.kind == "str" and fork.value.text.strip() == "fork":
        return
    yield Finding(agent.key_span, agent_without_fork.message("no-fork", agent=agent.value.text))


_MODEL_ID = re.compile(r"claude[-.]|^(sonnet|opus|haiku)(\[1m\])?$", re.IGNORECASE)


@rule(
    "SK144",
    "model-unknown",
    Severity.WARNING,
    "`model` is neither a model alias nor a Claude model id.",
    "Claude Code's `model` takes an alias (`sonnet`, `opus`, `haiku`, `inherit`) or a full "
    "Claude model id such as `claude-opus-4-6` (code.claude.com/docs/en/skills). A warning, not "
    "an error: new ids appear with each release.",
    bad=Example(HEAD + "model: gpt-4o\n" + BODY, target=CC),
    good=Example(HEAD + "model: sonnet\n" + BODY, target=CC),
    targets=targets_where(lambda target: bool(target.model_aliases)),
    messages={
        "unknown": "`model: {model}` is not a Claude model alias (`sonnet`, `opus`, `haiku`, "
        "`inherit`) or a Claude model id (`claude-...`)",
    },
)
def model_unknown(skill: Skill, context: Context) -> Iterator[Finding]:
    item = _last(skill, "model")
    if item is None or item.value.kind != "str":
        return
    model = item.value.text.strip()
    if not model or model.lower() in context.target.model_aliases or _MODEL_ID.search(model):
        return
    yield Finding(item.value.span, model_unknown.message("unknown", model=model))


@rule(
    "SK145",
    "hooks-invalid",
    Severity.ERROR,
    "`hooks` is not a mapping of hook events to lists of matcher groups.",
    "A skill's `hooks` have the format of the hooks in settings (code.claude.com/docs/en/hooks): "
    "a mapping from a hook event (`PreToolUse`, `PostToolUse`, `Stop`, ...) to a list of "
    "matcher groups, each with its own `hooks` list. An unknown event never fires, and a "
    "value of another shape is not read as hooks.",
    bad=Example(
        HEAD + "hooks:\n  PreToolUSe:\n    - hooks:\n        - type: command\n"
        "          command: ./check.sh\n" + BODY,
        target=CC,
    ),
    good=Example(
        HEAD + "hooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n"
        "        - type: command\n          command: ./check.sh\n" + BODY,
        target=CC,
    ),
    targets=targets_where(lambda target: bool(target.hook_events)),
    messages={
        "not-mapping": "`hooks` must be a mapping of hook events to lists, not {value}",
        "unknown-event": "`{name}` is not a Claude Code hook event",
        "unknown-event-close": "`{name}` is not a Claude Code hook event; did you mean `{close}`?",
        "not-list": "`hooks.{event}` must be a list of matcher groups, not {value}",
        "not-group": "each entry of `hooks.{event}` is a matcher group with a `hooks` list "
        "(`- matcher: Bash` / `hooks: [{{type: command, command: ...}}]`)",
    },
)
def hooks_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    item = _last(skill, "hooks")
    if item is None or _is_null(item.value):
        return
    value = item.value
    if value.kind != "map":
        yield Finding(value.span, hooks_invalid.message("not-mapping", value=shown_value(value)))
        return
    events = context.target.hook_events
    for event in value.fields:
        if event.key not in events:
            yield Finding(event.key_span, _unknown_event(event.key, events))
            continue
        groups = event.value
        if groups.kind != "seq":
            yield Finding(
                groups.span if groups.text or groups.kind != "null" else event.key_span,
                hooks_invalid.message("not-list", event=event.key, value=shown_value(groups)),
            )
            continue
        for group in groups.items:
            inner = group.get("hooks") if group.kind == "map" else None
            if inner is None or inner.value.kind != "seq":
                yield Finding(group.span, hooks_invalid.message("not-group", event=event.key))


def _unknown_event(name: str, events: frozenset[str]) -> str:
    by_lower = {event.lower(): event for event in events}
    if name.lower() in by_lower:
        return hooks_invalid.message("unknown-event-close", name=name, close=by_lower[name.lower()])
    close = difflib.get_close_matches(name, sorted(events), n=1, cutoff=0.7)
    if close:
        return hooks_invalid.message("unknown-event-close", name=name, close=close[0])
    return hooks_invalid.message("unknown-event", name=name)


def tool_entries(value: Value) -> Iterator[tuple[str, Value]]:
    """Each tool of an `allowed-tools` value (a string split on spaces and commas outside
    parentheses, or a list), with the value it came from."""
    if value.kind == "seq":
        for entry in value.items:
            if entry.kind == "str":
                for tool in split_tools(entry.text):
                    yield tool, entry
    elif value.kind == "str":
        for tool in split_tools(value.text):
            yield tool, value


def split_tools(text: str) -> list[str]:
    tools: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if depth == 0 and (char.isspace() or char == ","):
            if current:
                tools.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        tools.append("".join(current))
    return tools


@rule(
    "SK146",
    "tool-unknown",
    Severity.WARNING,
    "`allowed-tools` or `disallowed-tools` names a tool the client does not have.",
    'Tool names are exact strings (code.claude.com/docs/en/tools-reference: "the exact strings '
    'you use in permission rules"): `Read`, `Bash(git diff *)`, `mcp__server__tool`. A '
    "misspelt or wrongly cased name (`read`, `Bsh`) matches no tool, so the permission the "
    "author wanted is not given (or the tool not denied).",
    bad=Example(HEAD + "allowed-tools: read Grep\n" + BODY, target=CC),
    good=Example(
        HEAD + "allowed-tools: Read Grep Bash(git diff *) mcp__github__get_issue\n" + BODY,
        target=CC,
    ),
    targets=targets_where(lambda target: bool(target.known_tools)),
    messages={
        "unknown": "`{key}` names `{name}`, which is not a Claude Code tool",
        "wrong-case": "`{key}` names `{name}`, which is not a Claude Code tool; tool names are "
        "case-sensitive: `{tool}`",
        "close": "`{key}` names `{name}`, which is not a Claude Code tool; did you mean `{tool}`?",
    },
)
def tool_unknown(skill: Skill, context: Context) -> Iterator[Finding]:
    known = context.target.known_tools
    by_lower = {tool.lower(): tool for tool in known}
    for key in ("allowed-tools", "disallowed-tools"):
        item = _last(skill, key)
        if item is None:
            continue
        for tool, value in tool_entries(item.value):
            name = tool.split("(", 1)[0]
            if name in known or name.startswith("mcp__") or name == "*":
                continue
            if name.lower() in by_lower:
                tool = by_lower[name.lower()]
                message = tool_unknown.message("wrong-case", key=key, name=name, tool=tool)
            else:
                close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
                message = (
                    tool_unknown.message("close", key=key, name=name, tool=close[0])
                    if close
                    else tool_unknown.message("unknown", key=key, name=name)
                )
            yield Finding(value.span, message)


API = "claude-api"


@rule(
    "SK113",
    "name-reserved-word",
    Severity.ERROR,
    "`name` contains a word the client reserves (`anthropic`, `claude`).",
    "Anthropic's Agent Skills docs (platform.claude.com/docs/en/agents-and-tools/agent-skills/"
    'overview, "Skill structure") say a skill\'s `name` "cannot contain reserved words: '
    '\\"anthropic\\", \\"claude\\"", so the Claude API and claude.ai reject the upload.',
    bad=Example(
        "---\nname: claude-helper\ndescription: Formats CSV files. Use when asked to tidy a "
        "CSV.\n---\n\n# Demo\n\nSteps.\n",
        folder="claude-helper",
        target=API,
    ),
    good=Example(HEAD + BODY, target=API),
    targets=targets_where(lambda target: bool(target.reserved_name_words)),
    messages={"reserved": "`name` contains the reserved word `{word}`, which {client} rejects"},
)
def name_reserved_word(skill: Skill, context: Context) -> Iterator[Finding]:
    item = _last(skill, "name")
    if item is None or item.value.kind != "str":
        return
    name = item.value.text.lower()
    for word in context.target.reserved_name_words:
        if word in name:
            yield Finding(
                item.value.span,
                name_reserved_word.message("reserved", word=word, client=context.target.title),
            )
            return


_XML_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(\s[^<>]*)?/?>")


@rule(
    "SK123",
    "description-xml-tag",
    Severity.ERROR,
    "`description` contains an XML tag.",
    "Anthropic's Agent Skills docs (platform.claude.com/docs/en/agents-and-tools/agent-skills/"
    'overview) say `description` "cannot contain XML tags": the description goes into the '
    "system prompt, and the Claude API and claude.ai reject a skill whose description holds "
    "one (`<example>`, `</tool>`).",
    bad=Example(
        "---\nname: demo\ndescription: Formats CSV files. Use when <csv> files need tidying."
        "\n---\n\n# Demo\n\nSteps.\n",
        target=API,
    ),
    good=Example(HEAD + BODY, target=API),
    targets=targets_where(lambda target: target.description_no_xml),
    messages={
        "xml-tag": "`description` contains the XML tag `{tag}`, which {client} rejects; reword "
        "it without angle brackets",
    },
)
def description_xml_tag(skill: Skill, context: Context) -> Iterator[Finding]:
    item = _last(skill, "description")
    if item is None or item.value.kind != "str":
        return
    found = _XML_TAG.search(str(item.value.scalar))
    if found:
        yield Finding(
            item.value.span,
            description_xml_tag.message("xml-tag", tag=found.group(0), client=context.target.title),
        )


UPLOAD_LIMIT = 8 * 1024 * 1024
# Entries walked at most: a folder with more is reported as too large to check, not walked on.
MAX_UPLOAD_ENTRIES = 20_000
UPLOAD_LIMIT_OPTION = RuleOption(
    "max-upload-bytes",
    UPLOAD_LIMIT,
    int,
    "The most a skill folder may weigh, in bytes, for an uploading target (SK004).",
)


@rule(
    "SK004",
    "skill-folder-too-large",
    Severity.ERROR,
    "The skill folder is larger than the client's upload limit.",
    "A skill for the Claude API or claude.ai is uploaded as one folder (a zip), and the upload "
    "has a size limit: 8 MB in the agnix linter's reading of Anthropic's docs (the option "
    "`max-upload-bytes` sets another). A folder over it is rejected. Hidden `.git` folders are "
    "not counted.",
    bad=Example(
        HEAD + BODY,
        target=API,
        files={"assets/big.bin": "x" * 2048},
        settings={"options": {"max-upload-bytes": 1024}},
    ),
    good=Example(HEAD + BODY, target=API),
    targets=targets_where(lambda target: target.uploaded),
    options=(UPLOAD_LIMIT_OPTION,),
    runs_on_unreadable=True,
    messages={
        "too-large": "the skill folder holds {size} ({total:,} bytes counted); {client} accepts "
        "at most {limit:,} bytes",
        "size": "{megabytes:.1f} MB",
        "size-over": "over {megabytes:.1f} MB",
    },
)
def skill_folder_too_large(skill: Skill, context: Context) -> Iterator[Finding]:
    limit = int(context.option(UPLOAD_LIMIT_OPTION))
    total, complete = folder_bytes(context.files, skill.path.parent, limit)
    if total > limit:
        size = (
            skill_folder_too_large.message("size", megabytes=total / 1_048_576)
            if complete
            else skill_folder_too_large.message("size-over", megabytes=limit / 1_048_576)
        )
        yield Finding(
            Span.at(1),
            skill_folder_too_large.message(
                "too-large", size=size, total=total, client=context.target.title, limit=limit
            ),
        )


def folder_bytes(files: Files, folder: Path, limit: int) -> tuple[int, bool]:
    """The bytes of the files under `folder` (symlinks not followed, `.git` skipped), counted
    until the total passes `limit`; and whether the count is complete."""
    total = 0
    entries = 0
    stack = [str(folder)]
    while stack:
        for entry in files.scan(stack.pop()):
            entries += 1
            if entries > MAX_UPLOAD_ENTRIES:
                return total, False
            if entry.kind == FOLDER:
                if entry.name != ".git":
                    stack.append(entry.path)
            elif entry.kind == FILE:
                total += entry.size
                if total > limit:
                    return total, False
    return total, True


@rule(
    "SK124",
    "listing-entry-too-long",
    Severity.WARNING,
    "The description (with `when_to_use`) is longer than the client shows the model.",
    "Claude Code lists every skill the model may invoke with its description and "
    "`when_to_use`, and cuts each entry at 1,536 characters (code.claude.com/docs/en/skills; "
    "the setting `skillListingMaxDescChars`, default 1536): what comes after is never seen "
    "when the model chooses a skill. Put the key use case first and shorten the rest.",
    bad=Example(
        HEAD + "when_to_use: " + "Use when the user asks to tidy a CSV. " * 42 + "\n" + BODY,
        target=CC,
    ),
    good=Example(HEAD + "when_to_use: Use when the user asks to tidy a CSV.\n" + BODY, target=CC),
    targets=targets_where(lambda target: target.listing_entry_limit is not None),
    messages={
        "too-long": "the description come to {length:,} characters; {client} cuts each skill's "
        "listing entry at {limit:,}, so the model never sees the rest",
        "too-long-with-when-to-use": "the description and `when_to_use` come to {length:,} "
        "characters; {client} cuts each skill's listing entry at {limit:,}, so the model never "
        "sees the rest",
    },
)
def listing_entry_too_long(skill: Skill, context: Context) -> Iterator[Finding]:
    limit = context.target.listing_entry_limit
    seen = model_sees(skill, context.target)
    if limit is None or seen is None:
        return
    item, text = seen
    if len(text) > limit:
        client = context.target.title
        message = (
            listing_entry_too_long.message(
                "too-long-with-when-to-use", length=len(text), client=client, limit=limit
            )
            if _last(skill, "when_to_use")
            else listing_entry_too_long.message(
                "too-long", length=len(text), client=client, limit=limit
            )
        )
        yield Finding(item.value.span, message)


SIDECAR = "agents/openai.yaml"
SIDECAR_MAX_BYTES = 256 * 1024
# Codex's limits (openai/codex, codex-rs/core/src/skills/loader.rs): a name's 64, a
# description's 1024; and the skill-creator's guidance for the picker's short blurb.
SIDECAR_LIMITS = {"display_name": 64, "short_description": 1024, "default_prompt": 1024}
SHORT_DESCRIPTION_GUIDE = (25, 64)
SIDECAR_KEYS = {
    "": ("interface", "dependencies", "policy"),
    "interface": (
        "display_name",
        "short_description",
        "icon_small",
        "icon_large",
        "brand_color",
        "default_prompt",
    ),
    "policy": ("allow_implicit_invocation",),
}
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@rule(
    "SK150",
    "openai-yaml-invalid",
    Severity.WARNING,
    "The skill's `agents/openai.yaml` (Codex's UI and policy sidecar) has a value Codex drops.",
    "Codex reads `agents/openai.yaml` next to `SKILL.md` for its UI (`interface.display_name`, "
    "`short_description`, `icon_small`, `icon_large`, `brand_color`, `default_prompt`) and "
    "policy (`policy.allow_implicit_invocation`). It fails open (openai/codex, "
    "codex-rs/core/src/skills/loader.rs): a file that is not YAML, or a value of the wrong type, "
    "is ignored whole; an empty value, a name over 64 or a text over 1024 characters, an icon "
    "outside the skill's `assets/` (or with `..`), a colour that is not `#RRGGBB` is dropped, "
    "each with a warning in Codex's log. The skill still loads, so these are warnings; a short "
    "description outside the 25-64 characters of Codex's own guidance (skill-creator, "
    "references/openai_yaml.md) is an info. An icon file that does not exist is a warning.",
    bad=Example(
        HEAD + BODY,
        target="codex",
        files={SIDECAR: 'interface:\n  brand_color: "blue"\n'},
    ),
    good=Example(
        HEAD + BODY,
        target="codex",
        files={
            SIDECAR: 'interface:\n  display_name: "CSV Tools"\n  short_description: "Tidy and '
            'check CSV files fast"\n  brand_color: "#3B82F6"\npolicy:\n'
            "  allow_implicit_invocation: true\n"
        },
    ),
    targets=targets_where(lambda target: target.reads_openai_yaml),
    messages={
        # Each finding is about a line of the sidecar: "agents/openai.yaml:3: <problem>".
        "in-sidecar": "{sidecar}:{line}: {problem}",
        "related": "in the sidecar",
        "too-large": "is larger than 256 KB; not checked",
        "unreadable": "cannot be read ({why}); Codex ignores it",
        "not-utf8": "is not UTF-8; Codex ignores the whole file",
        "not-yaml": "cannot be read ({why}); Codex ignores the whole file",
        "not-a-mapping": "it is not a mapping",
        "unknown-key": "unknown key `{name}`; did you mean `{close}`?",
        "section-not-mapping": "`{name}` must be a mapping; Codex ignores the whole file",
        "not-boolean": "`{name}` must be `true` or `false`, not {value}; Codex ignores the "
        "whole file",
        "not-string": "`{name}` must be a string, not {value}; Codex ignores the whole file",
        "empty": "`{name}` is empty; Codex ignores it",
        "too-long": "`{name}` is {length:,} characters long; Codex ignores one over {limit:,}",
        "short-description": "`{name}` is {length} characters long; Codex's guidance for the "
        "picker is {low}-{high}",
        "not-colour": "`{name}: {text}` is not a `#RRGGBB` colour; Codex ignores it",
        "icon-absolute": "`{name}: {text}` is an absolute path; Codex takes only a path under "
        "the skill's `assets/`",
        "icon-outside": "`{name}: {text}` leaves the skill folder (`..`); Codex ignores it",
        "icon-not-in-assets": "`{name}: {text}` is not under the skill's `assets/`; Codex "
        "ignores it",
        "icon-missing": "`{name}: {text}` names a file that does not exist in the skill folder",
    },
)
def openai_yaml_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    folder = skill.path.parent
    path = folder / SIDECAR
    files = context.files
    if not files.is_file(str(path)):
        return
    try:
        data = files.read(str(path), SIDECAR_MAX_BYTES)
    except UnreadableFile as error:
        if error.too_large:
            yield _sidecar(path, 1, openai_yaml_invalid.message("too-large"))
        else:  # (replaced by something else since it was stated)
            yield _sidecar(path, 1, openai_yaml_invalid.message("unreadable", why=error.reason))
        return
    except OSError as error:
        yield _sidecar(path, 1, openai_yaml_invalid.message("unreadable", why=error.strerror))
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield _sidecar(path, 1, openai_yaml_invalid.message("not-utf8"))
        return
    lines = text.splitlines()
    fm, _body, problems = context.parse_front_matter(["---", *lines, "---"])
    if problems or fm.root_kind not in ("map", "empty"):
        line = problems[0].span.line - 1 if problems else 1
        why = problems[0].message if problems else openai_yaml_invalid.message("not-a-mapping")
        yield _sidecar(path, line, openai_yaml_invalid.message("not-yaml", why=why))
        return
    yield from _sidecar_fields(files, path, folder, fm.fields, "")


def _sidecar(path: Path, line: int, problem: str, severity: Severity | None = None) -> Finding:
    where = Span.at(max(line, 1))
    return Finding(
        Span.at(1),
        openai_yaml_invalid.message(
            "in-sidecar", sidecar=SIDECAR, line=max(line, 1), problem=problem
        ),
        related=(Related(openai_yaml_invalid.message("related"), where, str(path)),),
        severity=severity,
    )


def _sidecar_fields(
    files: Files, path: Path, folder: Path, fields: tuple[Field, ...], parent: str
) -> Iterator[Finding]:
    known = SIDECAR_KEYS.get(parent)
    for item in fields:
        name = f"{parent}.{item.key}" if parent else item.key
        line = item.key_span.line - 1
        value = item.value
        if known is not None and item.key not in known:
            close = difflib.get_close_matches(item.key, known, n=1, cutoff=0.75)
            if close:
                message = openai_yaml_invalid.message("unknown-key", name=name, close=close[0])
                yield _sidecar(path, line, message)
            continue
        if item.key in ("interface", "policy") and not parent:
            if value.kind == "map":
                yield from _sidecar_fields(files, path, folder, value.fields, item.key)
            elif not _is_null(value):
                message = openai_yaml_invalid.message("section-not-mapping", name=name)
                yield _sidecar(path, line, message)
            continue
        if parent == "policy":
            if yaml_boolean(value) is None and not _is_null(value):
                message = openai_yaml_invalid.message(
                    "not-boolean", name=name, value=shown_value(value)
                )
                yield _sidecar(path, line, message)
            continue
        if parent != "interface":
            continue
        if value.kind not in ("str",) and not _is_null(value):
            message = openai_yaml_invalid.message("not-string", name=name, value=shown_value(value))
            yield _sidecar(path, line, message)
            continue
        text = " ".join(value.text.split()) if value.kind == "str" else ""
        yield from _interface_value(files, path, folder, name, item.key, text, line)


def _interface_value(
    files: Files, path: Path, folder: Path, name: str, key: str, text: str, line: int
) -> Iterator[Finding]:
    if not text:
        yield _sidecar(path, line, openai_yaml_invalid.message("empty", name=name))
        return
    limit = SIDECAR_LIMITS.get(key)
    if limit is not None and len(text) > limit:
        message = openai_yaml_invalid.message("too-long", name=name, length=len(text), limit=limit)
        yield _sidecar(path, line, message)
        return
    if key == "short_description":
        low, high = SHORT_DESCRIPTION_GUIDE
        if not low <= len(text) <= high:
            message = openai_yaml_invalid.message(
                "short-description", name=name, length=len(text), low=low, high=high
            )
            yield _sidecar(path, line, message, Severity.INFO)
    elif key == "brand_color" and not _COLOR.match(text):
        yield _sidecar(path, line, openai_yaml_invalid.message("not-colour", name=name, text=text))
    elif key in ("icon_small", "icon_large"):
        problem = _icon_problem(files, folder, name, text)
        if problem:
            yield _sidecar(path, line, problem)


def _icon_problem(files: Files, folder: Path, name: str, text: str) -> str | None:
    """What is wrong with the icon path `text` of the key `name`, or None."""
    parts = [part for part in text.replace("\\", "/").split("/") if part not in ("", ".")]
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return openai_yaml_invalid.message("icon-absolute", name=name, text=text)
    if ".." in parts:
        return openai_yaml_invalid.message("icon-outside", name=name, text=text)
    if not parts or parts[0] != "assets":
        return openai_yaml_invalid.message("icon-not-in-assets", name=name, text=text)
    if not files.is_file(os.path.join(folder, *parts)):
        return openai_yaml_invalid.message("icon-missing", name=name, text=text)
    return None
