"""SK2xx: the body — whether there is one, its length, its code fences, how the file ends."""

from __future__ import annotations

from collections.abc import Iterator

from skillkit.context import Context
from skillkit.diagnostics import Edit, Finding, Fix, Severity
from skillkit.model import ProblemKind, Skill, Span
from skillkit.rules._common import CSV_EXAMPLE_FRONT as _FRONT
from skillkit.rules._common import parse_problems
from skillkit.rules.base import FixAvailability, RuleOption, rule

GOOD = _FRONT + "\n# Demo\n\nRun `csvfix` on the file.\n"

# The token estimate: one token per four characters of body text (line ends counted as one
# character each). Four characters a token is the rule of thumb that both Anthropic and OpenAI
# publish for English text. It is preferred to words x 1.3 because skills are dense with paths,
# flags and identifiers (`scripts/fill_form.py --dry-run` is one "word" and many tokens), which a
# word count under-estimates; on the real corpus words x 1.3 comes out 15-35% below characters/4.
CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """The estimated number of tokens of `text`: characters / 4, rounded up."""
    return _tokens_of(len(text))


def _tokens_of(chars: int) -> int:
    return -(-chars // CHARS_PER_TOKEN)


def _body_usable(skill: Skill) -> bool:
    """True when the body is where the front matter says it is (a closed front matter)."""
    return skill.front_matter.present and skill.front_matter.closed


@rule(
    "SK201",
    "body-empty",
    Severity.WARNING,
    "The file has front matter and nothing else.",
    "The body holds the instructions an agent follows once it picks the skill; without one the "
    "skill is a description and nothing more. A warning, not an error: the specification sets "
    "no rule for the body and every client loads such a file, but it is almost always a file "
    "that was never finished.",
    bad=_FRONT,
    good=GOOD,
    messages={
        "empty": "the skill has no body after the front matter; add the instructions an agent "
        "follows",
    },
)
def body_empty(skill: Skill, context: Context) -> Iterator[Finding]:
    if not _body_usable(skill):
        return
    if any(map(str.strip, skill.body_lines)):  # a line with more than whitespace
        return
    closing = skill.body_start_line - 1
    yield Finding(
        Span.whole_line(closing, skill.line_text(closing)),
        body_empty.message("empty"),
    )


MAX_BODY_LINES = 500
MAX_BODY_TOKENS = 5_000
MAX_LINES_OPTION = RuleOption(
    "max-body-lines", MAX_BODY_LINES, int, "Bodies longer than this get SK202."
)
MAX_TOKENS_OPTION = RuleOption(
    "max-body-tokens",
    MAX_BODY_TOKENS,
    int,
    "Bodies of more estimated tokens (characters / 4) than this get SK202.",
)


@rule(
    "SK202",
    "body-too-long",
    Severity.WARNING,
    "The body is longer than 500 lines or an estimated 5,000 tokens.",
    "The specification recommends a body under 500 lines and under 5,000 tokens: the whole body "
    "enters the agent's context when the skill is used, so detail belongs in `references/` "
    "files the agent reads when it needs them. Tokens are estimated as characters / 4 (the rule "
    "of thumb the model vendors publish; a word count under-estimates text full of paths and "
    "flags). The finding points at the line where the body goes over the first limit.",
    bad=_FRONT + "\n# Demo\n\n" + "".join(f"{n}. Step {n}.\n" for n in range(1, 502)),
    good=GOOD,
    options=(MAX_LINES_OPTION, MAX_TOKENS_OPTION),
    messages={
        "too-long": "the body is {over}; move detail into files under `references/`",
        "lines": "{lines:,} lines (at most {limit:,})",
        "tokens": "about {tokens:,} tokens (at most {limit:,})",
    },
)
def body_too_long(skill: Skill, context: Context) -> Iterator[Finding]:
    if not _body_usable(skill):
        return
    max_lines = int(context.option(MAX_LINES_OPTION))
    max_tokens = int(context.option(MAX_TOKENS_OPTION))
    body = skill.body_lines
    # The length of the body joined by line ends, without building it.
    tokens = _tokens_of(sum(map(len, body)) + max(len(body) - 1, 0))
    over_lines = len(body) > max_lines
    over_tokens = tokens > max_tokens
    if not (over_lines or over_tokens):
        return
    # The line where the body first goes over a limit.
    crossing = skill.body_start_line + max_lines if over_lines else len(skill.lines)
    if over_tokens:
        chars = 0
        limit = max_tokens * CHARS_PER_TOKEN  # _tokens_of(chars) > max_tokens: chars > limit
        for offset, line in enumerate(body):
            chars += len(line) + (1 if offset else 0)
            if chars > limit:
                crossing = min(crossing, skill.body_start_line + offset)
                break
    parts = []
    if over_lines:
        parts.append(body_too_long.message("lines", lines=len(body), limit=max_lines))
    if over_tokens:
        parts.append(body_too_long.message("tokens", tokens=tokens, limit=max_tokens))
    yield Finding(
        Span.whole_line(crossing, skill.line_text(crossing)),
        body_too_long.message("too-long", over=" and ".join(parts)),
    )


_SK203_KINDS = (ProblemKind.UNCLOSED_FENCE,)


@rule(
    "SK203",
    "code-fence-unclosed",
    Severity.ERROR,
    "A code fence is opened and never closed.",
    "Everything after an unclosed fence is code to every Markdown reader: headings leave the "
    "outline, prose is shown verbatim, and the skill's later instructions stop being "
    "instructions. It is never intended, and closing the fence is the whole fix.",
    bad=_FRONT + "\n# Demo\n\n```sh\ncsvfix data.csv\n\n## Notes\n\nKeep backups.\n",
    good=_FRONT + "\n# Demo\n\n```sh\ncsvfix data.csv\n```\n\n## Notes\n\nKeep backups.\n",
    claims=_SK203_KINDS,
)
def code_fence_unclosed(skill: Skill, context: Context) -> Iterator[Finding]:
    yield from parse_problems(skill, *_SK203_KINDS)


@rule(
    "SK204",
    "missing-final-newline",
    Severity.WARNING,
    "The file does not end with a line break.",
    "A text file ends with a line break: without one, tools that join or append files glue the "
    "next text onto the last line, and every diff of the last line shows a spurious change. "
    "The fix adds the line break (in the file's own line-end style).",
    bad=GOOD.rstrip("\n"),
    good=GOOD,
    fix=FixAvailability.ALWAYS,
    messages={
        "no-newline": "the file does not end with a line break",
        "fix": "add a line break at the end of the file",
    },
)
def missing_final_newline(skill: Skill, context: Context) -> Iterator[Finding]:
    if skill.ends_with_newline or not skill.lines:
        return
    line = len(skill.lines)
    last = skill.lines[-1]
    # A last line that ends in a lone `\r` (its `\n` missing) gets only the `\n`, after the `\r`.
    ends_in_cr = skill.text.endswith("\r")
    column = len(last) + (2 if ends_in_cr else 1)
    newline = "\n" if ends_in_cr or not skill.crlf else "\r\n"
    yield Finding(
        Span(line, len(last) + 1, line, len(last) + 1),
        missing_final_newline.message("no-newline"),
        fix=Fix(missing_final_newline.message("fix"), (Edit(Span.at(line, column, 0), newline),)),
    )
