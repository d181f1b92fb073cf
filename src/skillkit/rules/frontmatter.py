"""SK1xx: front matter — its delimiters, its YAML, and each field's type and limits per target."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from unicodedata import east_asian_width

from skillkit.context import Context
from skillkit.diagnostics import Edit, Finding, Fix, Related, Severity
from skillkit.model import Field, ProblemKind, Skill, Span, Value, kind_name
from skillkit.rules._common import parse_problems
from skillkit.rules.base import Example, FixAvailability, RuleOption, rule
from skillkit.targets import Target, targets_where

GOOD = (
    "---\nname: demo\ndescription: Formats CSV files. Use when the user asks to tidy or "
    "validate a CSV file.\n---\n\n# Demo\n\nSteps.\n"
)


def _front_matter_usable(skill: Skill) -> bool:
    """True when the front matter was read as a mapping (or is empty): field rules apply."""
    fm = skill.front_matter
    return fm.present and fm.root_kind in ("map", "empty")


_SK101_KINDS = (ProblemKind.FRONT_MATTER_MISSING,)


@rule(
    "SK101",
    "front-matter-missing",
    Severity.ERROR,
    "The file does not start with a `---` front-matter block.",
    "Every client reads `name` and `description` from YAML front matter that opens on the "
    "file's first line; without it the skill is not loaded at all.",
    bad="# Demo\n\nFormats CSV files.\n",
    good=GOOD,
    claims=_SK101_KINDS,
)
def front_matter_missing(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from parse_problems(skill, *_SK101_KINDS)


_SK102_KINDS = (ProblemKind.FRONT_MATTER_UNCLOSED,)


@rule(
    "SK102",
    "front-matter-unclosed",
    Severity.ERROR,
    "The front matter has no closing `---` line.",
    "Without a line that is exactly `---` after the fields, the whole file is read as YAML "
    "(or rejected).",
    bad="---\nname: demo\ndescription: Formats CSV files.\n\n# Demo\n",
    good=GOOD,
    claims=_SK102_KINDS,
)
def front_matter_unclosed(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from parse_problems(skill, *_SK102_KINDS)


_SK103_KINDS = (ProblemKind.YAML_SYNTAX, ProblemKind.YAML_SYNTAX_QUOTABLE)


@rule(
    "SK103",
    "yaml-syntax-error",
    Severity.ERROR,
    "The front matter is not valid YAML.",
    "Clients reject a skill whose front matter does not parse (Codex, Copilot, the spec's "
    "validator). Claude Code tries again after double-quoting each top-level one-line value "
    "that holds a YAML indicator (`[`, `{`, `#`, `*`...) or `: `: when that reads the front "
    "matter, the finding is a warning for Claude Code, which loads the skill while other "
    "clients do not; when it does not (a multi-line value, bad indentation), Claude Code reads "
    "none of the fields either, and the finding stays an error. The most common cause in real "
    "skills is an unquoted `: ` inside a description.",
    bad="---\nname: demo\ndescription: Use when: the user has a CSV\n---\n",
    good=GOOD,
    claims=_SK103_KINDS,
    messages={
        "read-after-quoting": "{problem}; {client} reads this front matter only after quoting "
        "the values it cannot parse, and other clients reject it: quote the value",
    },
)
def yaml_syntax_error(skill: Skill, context: Context) -> Iterator[Finding]:
    for problem in skill.problems:
        if problem.kind not in _SK103_KINDS:
            continue
        if (
            problem.kind is ProblemKind.YAML_SYNTAX_QUOTABLE
            and context.target.quotes_values_on_yaml_error
        ):
            message = yaml_syntax_error.message(
                "read-after-quoting", problem=problem.message, client=context.target.title
            )
            yield Finding(problem.span, message, severity=Severity.WARNING)
        else:
            yield Finding(problem.span, problem.message)


_SK104_KINDS = (ProblemKind.YAML_NOT_MAPPING,)


@rule(
    "SK104",
    "front-matter-not-mapping",
    Severity.ERROR,
    "The front matter is YAML, but not a mapping of fields.",
    "The front matter must be `key: value` fields; a list or a bare string has no `name`.",
    bad="---\n- name: demo\n- description: Formats CSV files.\n---\n",
    good=GOOD,
    claims=_SK104_KINDS,
)
def front_matter_not_mapping(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from parse_problems(skill, *_SK104_KINDS)


@rule(
    "SK105",
    "duplicate-key",
    Severity.ERROR,
    "A front-matter key is given twice.",
    "YAML forbids duplicate keys, but common loaders keep the last one silently, so the first "
    "value is lost without a word. Strict loaders reject the file.",
    bad="---\nname: demo\ndescription: Formats CSV files.\ndescription: Tidies CSV files.\n---\n",
    good=GOOD,
    messages={
        "duplicate": "duplicate key `{key}` (first given on line {first}); YAML loaders keep "
        "only this last value",
        "first": "first given here",
    },
)
def duplicate_key(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from _duplicates(skill.front_matter.fields, "")


def _duplicates(fields: tuple[Field, ...], prefix: str) -> Iterator[Finding]:
    first: dict[str, Field] = {}
    for item in fields:
        if item.key in first:
            earlier = first[item.key]
            yield Finding(
                item.key_span,
                duplicate_key.message(
                    "duplicate", key=prefix + item.key, first=earlier.key_span.line
                ),
                related=(Related(duplicate_key.message("first"), earlier.key_span),),
            )
        else:
            first[item.key] = item
        if item.value.kind == "map":
            yield from _duplicates(item.value.fields, f"{prefix}{item.key}.")


# Fields whose value must be a string wherever they appear.
STRING_FIELDS = frozenset(
    {"name", "description", "license", "compatibility", "when_to_use", "argument-hint", "model"}
)
_SURPRISE_KINDS = {"bool", "int", "float", "null", "other"}


def _quote_fix(value: Value) -> Fix:
    quoted = '"' + value.text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return Fix(yaml_not_a_string.message("fix", quoted=quoted), (Edit(value.span, quoted),))


def _surprise(path: str, value: Value) -> Finding | None:
    if value.style or value.kind not in _SURPRISE_KINDS:
        return None
    if value.kind == "null" and not value.text.strip():
        return None  # an empty value: the field rules say "empty"
    if value.kind == "bool":
        read_as = yaml_not_a_string.message("as-bool", value=str(value.scalar).lower())
    elif value.kind in ("int", "float"):
        read_as = yaml_not_a_string.message("as-number")
    elif value.kind == "null":
        read_as = yaml_not_a_string.message("as-null")
    else:
        read_as = yaml_not_a_string.message("as-other")
    return Finding(
        value.span,
        yaml_not_a_string.message("not-string", path=path, text=value.text, read_as=read_as),
        fix=_quote_fix(value),
    )


@rule(
    "SK106",
    "yaml-not-a-string",
    Severity.ERROR,
    "A value that must be a string is read by YAML as a boolean, number, null or date.",
    "YAML 1.1 loaders, which most clients use, turn `no`, `yes`, `on`, `off` into booleans and "
    "`1.0` into a number; the skill then has `name: false`. Quoting keeps the text.",
    bad=Example("---\nname: no\ndescription: Formats CSV files.\n---\n", folder="no"),
    good=Example('---\nname: "no"\ndescription: Formats CSV files.\n---\n', folder="no"),
    fix=FixAvailability.ALWAYS,
    messages={
        "not-string": "`{path}: {text}` is read by YAML 1.1 loaders as {read_as}, not the string "
        '"{text}"; quote it',
        "as-bool": "the boolean {value}",
        "as-number": "a number",
        "as-null": "null (no value)",
        "as-other": "a date or other non-string value",
        "fix": "quote the value as {quoted}",
    },
)
def yaml_not_a_string(skill: Skill, context: Context) -> Iterator[Finding]:
    if not _front_matter_usable(skill):
        return
    # A value with a hand-written tag (`!!python/object`) is SK108's; one finding is enough.
    # (The problem spans the tag, the value only what follows it: they end together.)
    tagged = {
        (p.span.end_line, p.span.end_column)
        for p in skill.problems
        if p.kind is ProblemKind.YAML_UNSUPPORTED
    }
    for item in skill.front_matter.fields:
        if item.key in STRING_FIELDS:
            found = _surprise(item.key, item.value)
            if found and (item.value.span.end_line, item.value.span.end_column) not in tagged:
                yield found
        elif item.key == "metadata" and item.value.kind == "map":
            for entry in item.value.fields:
                found = _surprise(f"metadata.{entry.key}", entry.value)
                end = (entry.value.span.end_line, entry.value.span.end_column)
                if found and end not in tagged:
                    yield found


@rule(
    "SK107",
    "unknown-field",
    Severity.ERROR,
    "A front-matter field that the target does not accept.",
    'The open specification\'s reference validator rejects unknown keys ("Unexpected key(s)"), '
    "so for `spec`, `claude-api` and `viberun` an unknown key is an error. Codex reads only "
    "`name`, `description` and `metadata` and ignores the rest (openai/codex, "
    "codex-rs/core/src/skills/loader.rs), and Claude Code ignores keys it does not know: there "
    "an unknown key is a warning. A near-miss of a field the client knows (`tools` or "
    "`allowed_tools` for `allowed-tools`, `user_invocable` for `user-invocable`) stays an "
    "error: the setting the author meant has no effect. Choose the target with `--target` or "
    "`target` in the config; skills under `.claude/skills` or in a Claude Code plugin are "
    "checked for Claude Code unless the config says otherwise.",
    bad="---\nname: demo\ndescription: Formats CSV files.\nversion: 1.0\n---\n",
    good=GOOD,
    messages={
        "unknown": "unknown field `{key}` for target {target}",
        "near-miss": "{unknown}; did you mean `{meant}`? (as written, {client} ignores it)",
        "ignored": "{unknown}: {client} ignores it",
        "close": "{unknown}; did you mean `{close}`?",
        "accepted": "{unknown} (accepted: {accepted})",
    },
)
def unknown_field(skill: Skill, context: Context) -> Iterator[Finding]:
    if not _front_matter_usable(skill):
        return
    target = context.target
    accepted = target.fields
    lenient = target.unknown_key_severity == "warning"
    for item in skill.front_matter.fields:
        if item.key in accepted:
            continue
        meant = near_miss(item.key, target)
        unknown = unknown_field.message("unknown", key=item.key, target=target.name)
        if meant is not None:
            yield Finding(
                item.key_span,
                unknown_field.message(
                    "near-miss", unknown=unknown, meant=meant, client=target.title
                ),
                severity=Severity.ERROR,
            )
            continue
        if lenient:
            yield Finding(
                item.key_span,
                unknown_field.message("ignored", unknown=unknown, client=target.title),
                severity=Severity.WARNING,
            )
            continue
        close = difflib.get_close_matches(item.key, sorted(accepted), n=1, cutoff=0.6)
        if close:
            message = unknown_field.message("close", unknown=unknown, close=close[0])
        else:
            accepted_keys = ", ".join(sorted(accepted))
            message = unknown_field.message("accepted", unknown=unknown, accepted=accepted_keys)
        yield Finding(item.key_span, message)


def _folded(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "")


def near_miss(key: str, target: Target) -> str | None:
    """The accepted field that `key` is a misspelling of (`tools` → `allowed-tools`,
    `user_invocable` → `user-invocable`), or None. Only where the target ignores unknown keys
    does the difference matter (elsewhere every unknown key is an error)."""
    if target.unknown_key_severity != "warning":
        return None
    if key in target.field_aliases:
        return target.field_aliases[key]
    folded = _folded(key)
    by_folded = {_folded(name): name for name in target.fields}
    if folded in by_folded:
        return by_folded[folded]
    if folded in target.field_aliases:
        return target.field_aliases[folded]
    # One or two letters off a field name of some length (`hook`, `modle`, `contex`).
    close = difflib.get_close_matches(folded, sorted(by_folded), n=1, cutoff=0.85)
    if close and len(folded) >= 4:
        return by_folded[close[0]]
    return None


_SK108_KINDS = (ProblemKind.YAML_UNSUPPORTED, ProblemKind.YAML_TOO_COMPLEX)


@rule(
    "SK108",
    "yaml-unsupported",
    Severity.ERROR,
    "The front matter uses YAML tags or expands beyond reason (an alias bomb).",
    "Tags such as `!!python/object` are an attack on loaders that construct them, and a few "
    "lines of nested aliases can expand to billions of nodes. skillkit never constructs either.",
    bad="---\nname: demo\ndescription: !!python/object:os.system echo\n---\n",
    good=GOOD,
    claims=_SK108_KINDS,
)
def yaml_unsupported(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from parse_problems(skill, *_SK108_KINDS)


@rule(
    "SK110",
    "required-field-missing",
    Severity.ERROR,
    "A field that the target requires is missing.",
    "The open specification, Codex and Anthropic's API require `name` and `description`. "
    "Claude Code requires neither (the name defaults to the folder's, the description to the "
    "first paragraph). `metadata.short-description` is required by no client: Codex shows it "
    "when present.",
    bad="---\nname: demo\n---\n\nBody.\n",
    good=GOOD,
    messages={"missing": "required field `{key}` is missing (target {target})"},
)
def required_field_missing(skill: Skill, context: Context) -> Iterator[Finding]:
    if not _front_matter_usable(skill):
        return
    fm = skill.front_matter
    where = Span(1, 1, 1, 4)
    for key in sorted(context.target.required):
        if fm.get(key) is None:
            yield Finding(
                where,
                required_field_missing.message("missing", key=key, target=context.target.name),
            )


NAME_MAX = 64
_NAME_CHARS = re.compile(r"^[a-z0-9-]+$")


def _string_field(skill: Skill, key: str) -> Field | None:
    """The field when it is a string value; None when absent or not a string."""
    found = skill.front_matter.get(key)
    if found is None or found.value.kind != "str":
        return None
    return found


def _collection(item: Field) -> str | None:
    """The kind of a string field's value that is a list or a mapping, as messages name it."""
    return kind_name(item.value.kind) if item.value.kind in ("seq", "map") else None


def name_problem(name: str, chars_only: bool = False) -> str | None:
    """Why `name` is not a valid skill name under the spec, or None. ASCII letters only: the
    spec's letters are a-z (the reference validator also accepts other Unicode letters).
    `chars_only`: only the characters and the length (Claude Code's rule for a name)."""
    if not name:
        return name_invalid.message("empty")
    if len(name) > NAME_MAX:
        return name_invalid.message("too-long", length=len(name), limit=NAME_MAX)
    if not _NAME_CHARS.match(name):
        bad = sorted({c for c in name if not re.match(r"[a-z0-9-]", c)})
        shown = ", ".join(f"`{c}`" for c in bad)
        if any(c.isupper() for c in bad):
            return name_invalid.message("characters-uppercase", found=shown)
        return name_invalid.message("characters", found=shown)
    if chars_only:
        return None
    if name.startswith("-") or name.endswith("-"):
        return name_invalid.message("hyphen-at-end")
    if "--" in name:
        return name_invalid.message("double-hyphen")
    return None


@rule(
    "SK111",
    "name-invalid",
    Severity.ERROR,
    "`name` is not 1-64 characters of a-z, 0-9 and single inner hyphens.",
    "The name is the skill's identifier: clients match it against the folder and use it in "
    "commands, so the spec limits it to lowercase ASCII letters, digits and single hyphens. In "
    'Claude Code the name is the `/slash-command`: "lowercase letters, numbers, and hyphens '
    'only (max 64 characters)" (code.claude.com/docs/en/skills, frontmatter reference); there '
    "only the characters and the length are checked. Codex loads any name of 1-64 characters "
    "(its loader checks the length alone): there a name only the spec refuses is a warning.",
    bad=Example("---\nname: CSV_Tools\ndescription: Formats CSV files.\n---\n", folder="csv-tools"),
    good=Example(
        "---\nname: csv-tools\ndescription: Formats CSV files.\n---\n", folder="csv-tools"
    ),
    messages={
        "not-string": "`name` must be a string, not a {kind}",
        "empty": "`name` is empty",
        "too-long": "`name` is {length} characters long; at most {limit}",
        "characters": "`name` may contain only a-z, 0-9 and `-`; found {found}",
        "characters-uppercase": "`name` may contain only a-z, 0-9 and `-`; found {found}; use "
        "lowercase",
        "hyphen-at-end": "`name` must not start or end with `-`",
        "double-hyphen": "`name` must not contain `--`",
    },
)
def name_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    if not _front_matter_usable(skill):
        return
    item = skill.front_matter.get("name")
    if item is None:
        return
    if kind := _collection(item):
        yield Finding(item.value.span, name_invalid.message("not-string", kind=kind))
        return
    if item.value.kind == "null" and not item.value.text.strip():
        yield Finding(item.key_span, name_invalid.message("empty"))
        return
    if item.value.kind != "str":
        return  # SK106 reports values that YAML reads as another type
    name = str(item.value.scalar)
    problem = name_problem(name, chars_only=context.target.name_chars_only)
    if problem:
        # A name of 1-64 characters that only the spec refuses: Codex loads it (a warning).
        loads = not context.target.name_charset_enforced and 0 < len(name) <= NAME_MAX
        yield Finding(item.value.span, problem, severity=Severity.WARNING if loads else None)


@rule(
    "SK112",
    "name-folder-mismatch",
    Severity.ERROR,
    "`name` differs from the name of the skill's folder.",
    "The spec requires the name to equal the parent folder; clients that install by folder and "
    "index by name disagree about a skill whose two names differ. The fix sets `name` to the "
    "folder's name when that is a valid name. Claude Code does not ask for it: there `name` "
    "is the slash command and defaults to the folder's name (code.claude.com/docs/en/skills).",
    bad=Example("---\nname: csv\ndescription: Formats CSV files.\n---\n", folder="csv-tools"),
    good=Example(
        "---\nname: csv-tools\ndescription: Formats CSV files.\n---\n", folder="csv-tools"
    ),
    targets=targets_where(lambda target: target.name_matches_folder),
    fix=FixAvailability.SOMETIMES,
    messages={
        "mismatch": "`name` is `{name}` but the folder is `{folder}`; they must be equal",
        "fix": "set `name` to `{folder}`",
    },
)
def name_folder_mismatch(skill: Skill, context: Context) -> Iterator[Finding]:
    if not _front_matter_usable(skill) or not context.target.name_matches_folder:
        return
    item = _string_field(skill, "name")
    folder = skill.path.parent.name
    if item is None or not folder or folder in (".", "..") or not item.value.scalar:
        return
    name = str(item.value.scalar)
    if name == folder or name_problem(name):
        return
    fix = None
    if name_problem(folder) is None:
        message = name_folder_mismatch.message("fix", folder=folder)
        fix = Fix(message, (Edit(item.value.span, folder),))
    yield Finding(
        item.value.span,
        name_folder_mismatch.message("mismatch", name=name, folder=folder),
        fix=fix,
    )


def description_text(value: Value) -> str:
    """The description as a client sees it, less a block scalar's trailing line breaks."""
    text = str(value.scalar) if value.scalar is not None else ""
    return text.rstrip("\n") if value.style in ("|", ">") else text


@rule(
    "SK120",
    "description-invalid",
    Severity.ERROR,
    "`description` is empty, not a string, or longer than 1024 characters.",
    "The description is how an agent decides to load a skill; clients reject an empty one and "
    "one over 1024 characters (the trailing line break of a `|` block does not count). Claude "
    "Code sets no such limit: it cuts a long entry in its skill listing (SK124).",
    bad="---\nname: demo\ndescription: ''\n---\n",
    good=GOOD,
    messages={
        "not-string": "`description` must be a string, not a {kind}",
        "empty": "`description` is empty",
        "too-long": "`description` is {length:,} characters long; at most {limit:,}",
    },
)
def description_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    if not _front_matter_usable(skill):
        return
    item = skill.front_matter.get("description")
    if item is None:
        return
    if kind := _collection(item):
        yield Finding(item.value.span, description_invalid.message("not-string", kind=kind))
        return
    if item.value.kind == "null" and not item.value.text.strip():
        yield Finding(item.key_span, description_invalid.message("empty"))
        return
    if item.value.kind != "str":
        return
    text = description_text(item.value)
    if not text.strip():
        yield Finding(item.value.span, description_invalid.message("empty"))
    elif (limit := context.target.description_limit) is not None and len(text) > limit:
        yield Finding(
            item.value.span,
            description_invalid.message("too-long", length=len(text), limit=limit),
        )


def yaml_boolean(value: Value) -> bool | None:
    """The boolean a YAML 1.2 reader (the JavaScript and Rust clients) makes of a plain value:
    only `true` and `false` (any case). `yes`, `on` and quoted "true" are strings there."""
    if value.style or value.kind != "bool":
        return None
    lowered = value.text.strip().lower()
    return {"true": True, "false": False}.get(lowered)


def claude_flag(value: Value) -> bool | None:
    """What Claude Code makes of `disable-model-invocation` or `user-invocable`: its
    `parseBooleanFrontmatter` is `value === true || value === 'true'`, so the boolean, and the
    string "true" (quoted, exactly) is true too, and "false" false; None for another value,
    which it reads as false whatever the writer meant."""
    plain = yaml_boolean(value)
    if plain is not None:
        return plain
    if value.kind == "str" and value.text in ("true", "false"):
        return value.text == "true"
    return None


def model_never_invokes(skill: Skill, target: Target) -> bool:
    """True when the target leaves this skill out of what the model sees (Claude Code's
    `disable-model-invocation: true`: "Description not in context")."""
    if not target.reads_when_to_use:
        return False
    flag = skill.front_matter.get("disable-model-invocation")
    return flag is not None and claude_flag(flag.value) is True


def model_sees(skill: Skill, target: Target) -> tuple[Field, str] | None:
    """The description field and the text the model reads to choose the skill: the
    description, and on Claude Code its `when_to_use` after it. None when the model never
    sees the skill, or it has no string description."""
    if not _front_matter_usable(skill) or model_never_invokes(skill, target):
        return None
    item = _string_field(skill, "description")
    if item is None:
        return None
    text = description_text(item.value)
    when = _string_field(skill, "when_to_use") if target.reads_when_to_use else None
    if when is not None:
        text = f"{text} {description_text(when.value)}"
    return item, text


MIN_DESCRIPTION_OPTION = RuleOption(
    "min-description-length",
    40,
    int,
    "Descriptions shorter than this many characters get SK121 (a wide character, such as a "
    "Chinese or Japanese one, counts as two).",
)


@rule(
    "SK121",
    "description-too-short",
    Severity.WARNING,
    "`description` is too short to tell an agent when to use the skill.",
    "Agents choose skills by their descriptions alone; a few words rarely say what the skill "
    "does and when it applies. On Claude Code the `when_to_use` text counts too (it is "
    "appended to the description in the listing), and a skill with "
    "`disable-model-invocation: true` is skipped: its description is not in the model's "
    "context (code.claude.com/docs/en/skills).",
    bad="---\nname: demo\ndescription: CSV helper.\n---\n",
    good=GOOD,
    options=(MIN_DESCRIPTION_OPTION,),
    messages={
        "too-short": "`description` is {length} characters long; say what the skill does and "
        "when to use it in at least {minimum}",
        "too-short-wide": "`description` is {length} characters long ({width} with each wide "
        "character counted as two); say what the skill does and when to use it in at least "
        "{minimum}",
    },
)
def description_too_short(skill: Skill, context: Context) -> Iterator[Finding]:
    seen = model_sees(skill, context.target)
    if seen is None:
        return
    item, text = seen
    text = text.strip()
    minimum = int(context.option(MIN_DESCRIPTION_OPTION))
    if not text or len(text) >= minimum:
        return
    # A Chinese, Japanese or Korean character says about what a word does: "当用户要求修改系统设置时
    # 使用、包括通用设置、安全设置、功能开关和邮件配置。" is a whole description in 37 characters.
    # Counted as two (their width on screen), such a text is measured about as its English is.
    width = sum(2 if east_asian_width(character) in "WF" else 1 for character in text)
    if width >= minimum:
        return
    if width == len(text):
        message = description_too_short.message("too-short", length=len(text), minimum=minimum)
    else:
        message = description_too_short.message(
            "too-short-wide", length=len(text), width=width, minimum=minimum
        )
    yield Finding(item.value.span, message)


# Phrases that tell an agent when a skill applies. "Help(s) ..." is not one: it says what the
# skill does ("Help run a long-lived background process", the seed's true warning, must read the
# same as "Helps you run ..."); nor is "while" ("while keeping the layout"). Calibrated on the
# corpus: see tests/test_corpus.py. (The lookahead names the alternatives' first letters, under
# the same IGNORECASE: the same matches, found twice as fast, as no alternative is tried where
# none can start.)
_TRIGGER = re.compile(
    r"\b(?=[abdfituw])"
    r"(when|whenever|if (?:the )?(?:user|you)|use (?:this|it)\b|use (?:for|to|with|on|in)\b"
    r"|used (?:for|to|when)|useful (?:for|when)|triggers?\b"
    r"|for (?:tasks|requests|questions|work)|asks?\b|before|after|during|invoke)",
    re.IGNORECASE,
)


# A word of Latin letters; a word of another alphabet; one ideograph, kana or hangul syllable
# (scripts without spaces: each character stands for about a word).
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_OTHER_WORD = re.compile(r"[\u0370-\u2dff\ua640-\ua6ff]+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")

# Function words (articles, conjunctions, prepositions, pronouns) are the most frequent words of
# any text and name its language whatever the topic: those of English, and those of the main
# other Latin-script languages that are not English words. Left out: single letters (`a`, `e`,
# `i`, `o`, `y`: also "e.g.", "x and y"), words English shares (`in`, `an`, `as`, `do`, `no`,
# `non`, `per`, `her`, `met`, `op`, `was`, `will`; `use`: Portuguese "Use quando ...") or writes
# as a name or an extension (`com`, `dat`, `dos`, `du`, `em`, `es`, `est`, `ini`, `jest`, `mit`,
# `os`, `su`). A word shared by two other languages is listed once.
_FUNCTION_WORDS = {
    "English": "the and or of to for with from by at on into onto about this that these those it "
    "its is are be been you your they their them we our which what how if than then but also any "
    "all each such other while should can",
    "Spanish": "el la los las del de que en un una para con por cuando se sus como más",
    "Portuguese": "da uma não quando ao pelo pela na nos",
    "Italian": "il di che della gli nel alla questo questa sono",
    "French": "le les des et pour une qui dans avec sur lorsque quand cette ce elle aux au pas "
    "vous votre ou",
    "German": "der die das und ist nicht ein eine einen für fuer wenn den dem zu von auf oder nur "
    "sich werden wird soll um kein keine diesen dieser dieses bei aus nach auch",
    "Dutch": "het een van voor wanneer als niet bij wordt deze naar ook",
    "Turkish": "ve veya bir bu için ile gibi olan daha çok",
    "Indonesian": "dan yang untuk dengan saat ke dari atau akan pada",
    "Polish": "się gdy nie dla oraz lub że jak przez jeśli aby",
}
_ENGLISH_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS["English"].split())
_FOREIGN_FUNCTION_WORDS = frozenset(
    word
    for language, words in _FUNCTION_WORDS.items()
    if language != "English"
    for word in words.split()
)


def _reads_as_english(text: str) -> bool:
    """Whether `text` reads as English, the only language whose "when" this rule knows.

    Not English: a text mostly in another script (Japanese "...時に呼ぶ", Chinese, Russian, even
    with Latin names such as `issue` among them), or in Latin letters with at least two function
    words of another language and more of them than English ones (Spanish "Usar cuando el
    usuario pida ...", German "..., wenn der Nutzer ..."). An English sentence with a foreign
    name ("... for the Casa de la Moneda ...") still has more English function words; a text
    with none of either ("CSV helper.") is judged as English."""
    words = _LATIN_WORD.findall(text.lower())
    if len(words) < len(_OTHER_WORD.findall(text)):
        return False
    english = foreign = 0
    for word in words:
        if word in _ENGLISH_FUNCTION_WORDS:
            english += 1
        elif word in _FOREIGN_FUNCTION_WORDS:
            foreign += 1
    return foreign < 2 or foreign <= english


@rule(
    "SK122",
    "description-no-trigger",
    Severity.WARNING,
    "`description` never says when to use the skill.",
    "The spec asks descriptions to say what a skill does and when to use it; an agent matches "
    'the user\'s request against the when. Phrases such as "Use when ..." or "when the user '
    'asks ..." count. On Claude Code a `when_to_use` field says when by itself, and a skill '
    "with `disable-model-invocation: true` is skipped (the model never sees its description; "
    "code.claude.com/docs/en/skills). The rule reads English descriptions only: one mostly in "
    "another script, or in Latin letters with at least two function words of another language "
    'and more of them than English ones (Spanish "Usar cuando el usuario ...", German "..., wenn '
    'der Nutzer ..."), is not judged.',
    bad="---\nname: demo\ndescription: Formats and validates comma-separated value files.\n---\n",
    good=GOOD,
    messages={
        "no-trigger": '`description` says what the skill does but not when to use it (add "Use '
        'when ...")',
    },
)
def description_no_trigger(skill: Skill, context: Context) -> Iterator[Finding]:
    seen = model_sees(skill, context.target)
    if seen is None:
        return
    item, text = seen
    if _string_field(skill, "when_to_use") is not None and context.target.reads_when_to_use:
        return  # `when_to_use` says when, by definition
    if text.strip() and not _TRIGGER.search(text) and _reads_as_english(text):
        yield Finding(
            item.value.span,
            description_no_trigger.message("no-trigger"),
        )


COMPATIBILITY_MAX = 500


@rule(
    "SK130",
    "compatibility-invalid",
    Severity.ERROR,
    "`compatibility` is not a string of 1-500 characters.",
    "The spec limits `compatibility` (environment requirements) to 1-500 characters.",
    bad="---\nname: demo\ndescription: Formats CSV files.\ncompatibility: ''\n---\n",
    good=(
        "---\nname: demo\ndescription: Formats CSV files.\ncompatibility: Needs Python 3.11+\n---\n"
    ),
    messages={
        "not-string": "`compatibility` must be a string, not a {kind}",
        "empty": "`compatibility` is empty",
        "too-long": "`compatibility` is {length:,} characters long; at most {limit}",
    },
)
def compatibility_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    item = skill.front_matter.get("compatibility") if _front_matter_usable(skill) else None
    if item is None:
        return
    if kind := _collection(item):
        yield Finding(item.value.span, compatibility_invalid.message("not-string", kind=kind))
        return
    if item.value.kind not in ("str", "null"):
        return
    text = description_text(item.value) if item.value.kind == "str" else ""
    if not text.strip():
        yield Finding(
            item.value.span if item.value.kind == "str" else item.key_span,
            compatibility_invalid.message("empty"),
        )
    elif len(text) > COMPATIBILITY_MAX:
        yield Finding(
            item.value.span,
            compatibility_invalid.message("too-long", length=len(text), limit=COMPATIBILITY_MAX),
        )


@rule(
    "SK131",
    "metadata-invalid",
    Severity.ERROR,
    "`metadata` is not a mapping of string keys to string values.",
    "The spec defines `metadata` as a map of strings to strings; clients that index it drop or "
    "reject nested values and lists. Codex reads only `short-description` from it and ignores "
    "the other keys, whatever their values: for Codex only that key is checked.",
    bad="---\nname: demo\ndescription: Formats CSV files.\nmetadata:\n  tags: [csv, data]\n---\n",
    good="---\nname: demo\ndescription: Formats CSV files.\nmetadata:\n  tags: csv data\n---\n",
    messages={
        "not-mapping": "`metadata` must be a mapping of strings, not a {kind}",
        "not-string": "`metadata.{key}` must be a string, not a {kind}",
    },
)
def metadata_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    item = skill.front_matter.get("metadata") if _front_matter_usable(skill) else None
    if item is None:
        return
    if item.value.kind != "map":
        yield Finding(
            item.value.span if item.value.text or item.value.kind != "null" else item.key_span,
            metadata_invalid.message("not-mapping", kind=kind_name(item.value.kind)),
        )
        return
    read = context.target.metadata_keys
    for entry in item.value.fields:
        if read is not None and entry.key not in read:
            continue  # (a key the client ignores)
        if entry.value.kind in ("seq", "map"):
            yield Finding(
                entry.value.span,
                metadata_invalid.message(
                    "not-string", key=entry.key, kind=kind_name(entry.value.kind)
                ),
            )


@rule(
    "SK132",
    "license-invalid",
    Severity.ERROR,
    "`license` is not a string.",
    "`license` names a licence (`Apache-2.0`) or a bundled licence file; a list or mapping is "
    "not read by clients.",
    bad="---\nname: demo\ndescription: Formats CSV files.\nlicense: [MIT, Apache-2.0]\n---\n",
    good="---\nname: demo\ndescription: Formats CSV files.\nlicense: MIT\n---\n",
    messages={"not-string": "`license` must be a string, not a {kind}"},
)
def license_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    item = skill.front_matter.get("license") if _front_matter_usable(skill) else None
    if item is None:
        return
    if kind := _collection(item):
        yield Finding(item.value.span, license_invalid.message("not-string", kind=kind))


@rule(
    "SK133",
    "allowed-tools-invalid",
    Severity.ERROR,
    "`allowed-tools` is not a space-separated string (a list where the target wants a string "
    "is a warning).",
    "The spec's `allowed-tools` is a string such as `Bash(git:*) Read`. The reference validator "
    'and Claude Code also accept a YAML list (code.claude.com/docs/en/skills: "a '
    'space-separated string or a YAML list"), so elsewhere a list is a warning, fixed by '
    "joining it. A number, a boolean or a mapping names no tool: an error. Codex has no such "
    "field and ignores it, in any form: not checked there.",
    bad="---\nname: demo\ndescription: Formats CSV files.\nallowed-tools: true\n---\n",
    good="---\nname: demo\ndescription: Formats CSV files.\nallowed-tools: Read Bash\n---\n",
    fix=FixAvailability.SOMETIMES,
    fixed="---\nname: demo\ndescription: Formats CSV files.\nallowed-tools: [Read, Bash]\n---\n",
    targets=targets_where(lambda target: target.reads_allowed_tools),
    messages={
        "entry": "each `allowed-tools` entry must be a string",
        "list": "`allowed-tools` is a list; target {target} expects one space-separated string "
        "(the reference validator and Claude Code accept both)",
        "mapping": "`allowed-tools` must be a string, not a mapping",
        "scalar": "`allowed-tools: {text}` is a {kind}, not tool names; write the tools as a "
        "space-separated string such as `Read Bash(git diff *)`",
        "fix": "join the list: `allowed-tools: {joined}`",
    },
)
def allowed_tools_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    item = skill.front_matter.get("allowed-tools") if _front_matter_usable(skill) else None
    if item is None:
        return
    value = item.value
    if value.kind == "seq":
        strings = [entry for entry in value.items if entry.kind == "str"]
        for entry in value.items:
            if entry.kind != "str":
                yield Finding(entry.span, allowed_tools_invalid.message("entry"))
        if not context.target.allowed_tools_list and len(strings) == len(value.items):
            yield Finding(
                value.span,
                allowed_tools_invalid.message("list", target=context.target.name),
                fix=_join_list_fix(item),
                severity=Severity.WARNING,
            )
    elif value.kind == "map":
        yield Finding(value.span, allowed_tools_invalid.message("mapping"))
    elif value.kind in ("bool", "int", "float") and not value.style:
        yield Finding(
            value.span,
            allowed_tools_invalid.message("scalar", text=value.text, kind=kind_name(value.kind)),
        )


_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`]|: | #|:$")


def _yaml_string(text: str) -> str:
    """`text` as a YAML scalar: plain where that reads back the same, else double-quoted."""
    if text and not _PLAIN_UNSAFE.search(text) and text.strip() == text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _join_list_fix(item: Field) -> Fix:
    joined = " ".join(str(entry.scalar) for entry in item.value.items)
    span = item.value.span
    # From just after the key to the end of the list: `: ` and the joined string replace the
    # colon, the flow or block list, and (for a block list) its lines.
    after_key = Span(
        item.key_span.end_line, item.key_span.end_column, span.end_line, span.end_column
    )
    ends_line = span.end_column == 1 and span.end_line > item.key_span.end_line
    replacement = f": {_yaml_string(joined)}" + ("\n" if ends_line else "")
    message = allowed_tools_invalid.message("fix", joined=joined)
    return Fix(message, (Edit(after_key, replacement),))


@rule(
    "SK134",
    "short-description-invalid",
    Severity.ERROR,
    "`metadata.short-description` is empty or over the target's limit.",
    "Codex shows `metadata.short-description` in its picker and older releases reject one over "
    "500 characters.",
    bad=Example(
        "---\nname: demo\ndescription: Formats CSV files.\nmetadata:\n"
        "  short-description: ''\n---\n",
        target="codex",
    ),
    good=Example(
        "---\nname: demo\ndescription: Formats CSV files.\nmetadata:\n"
        "  short-description: Tidy CSV files\n---\n",
        target="codex",
    ),
    messages={
        "empty": "`metadata.short-description` is empty",
        "too-long": "`metadata.short-description` is {length:,} characters long; at most {limit} "
        "for target {target}",
    },
)
def short_description_invalid(skill: Skill, context: Context) -> Iterator[Finding]:
    if not _front_matter_usable(skill):
        return
    metadata = skill.front_matter.get("metadata")
    if metadata is None or metadata.value.kind != "map":
        return
    item = metadata.value.get("short-description")
    if item is None or item.value.kind != "str":
        return
    text = description_text(item.value)
    limit = context.target.short_description_limit
    if not text.strip():
        yield Finding(item.value.span, short_description_invalid.message("empty"))
    elif limit is not None and len(text) > limit:
        yield Finding(
            item.value.span,
            short_description_invalid.message(
                "too-long", length=len(text), limit=limit, target=context.target.name
            ),
        )
