"""SK306: a skill contradicting its own Guardrails section. A guardrail bullet is read clause by
clause to find what it forbids (a concept such as s6 or pip, or an inline command), and each
command of the skill is checked against those bans."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

from skillkit.context import Context
from skillkit.diagnostics import Finding, Related, Severity
from skillkit.model import InlineCode, Skill, Span
from skillkit.rules._common import example_skill
from skillkit.rules.base import rule
from skillkit.rules.guardrails.classify import (
    Predicate,
    is_pip_install,
    is_s6,
    is_sudo,
    is_supervisor_call,
    is_systemctl,
    is_venv,
    prefix_predicate,
)
from skillkit.rules.guardrails.run_text import run_start, shown_run
from skillkit.rules.guardrails.sections import bullets, guardrail_sections

# A guardrail forbids some things and often recommends others ("Do not call s6 directly; use
# `vrctl service ...` instead."). It is read clause by clause: a clause that forbids has one of
# these words; a clause that recommends ("use ...", "prefer ...", "... instead") forbids nothing;
# what follows "instead of" or "rather than" is forbidden.
_NEGATIVE = re.compile(
    r"\b(?:do not|don't|dont|does not|doesn't|never|avoid|must not|mustn't|should not|"
    r"shouldn't|cannot|can't|no|nor|forbidden|not allowed|disallowed|prohibited)\b",
    re.IGNORECASE,
)
_RECOMMEND = re.compile(
    r"^\W*(?:(?:and|but|or|so|then|just|always|only|instead)\W+)*"
    r"(?:use|prefer|run|call|try|go through|stick to|rely on|manage|ask|let|switch to)\b"
    r"|\binstead\b(?!\s+of\b)|\bprefer(?:red|ably|s)?\b|\brecommended\b",
    re.IGNORECASE,
)
# What follows one of these (to the next comma or the end of the sentence) is forbidden.
_REPLACED = re.compile(
    r"\b(?:instead of|rather than|in place of)\b|(?<=\bprefer)\b.*?\bover\b", re.IGNORECASE
)
# A clause that states a situation ("If vrctl reports the supervisor is not listening, ...")
# forbids nothing.
_SITUATION = re.compile(r"^\W*(?:if|when|whenever|once|after|while|in case)\b", re.IGNORECASE)
# "No need to run `vrctl service restart`": a thing that is not needed, not a thing forbidden.
_NOT_NEEDED = re.compile(
    r"\b(?:no need|need not|needn't|(?:do|does|don't|doesn't) not need|don't need|"
    r"doesn't need|(?:do not|don't|does not|doesn't) have to|not (?:necessary|needed|required)|"
    r"unnecessary)\b",
    re.IGNORECASE,
)
_SENTENCE_STOP = re.compile(r"[.;!?:](?=\s|$)|\s+(?:\u2014|--|\u2013)\s+")
# Commas start a new clause only before a word that turns it (", use ...", ", never ...");
# elsewhere they separate the items of one list ("Never run `a`, `b` or `c`").
_CLAUSE_COMMA = re.compile(
    r",\s*(?=(?:and\s+|but\s+|or\s+|then\s+)?(?:use|prefer|run|call|try|instead|never|"
    r"do not|don't|avoid|if|when|unless)\b)",
    re.IGNORECASE,
)
# A conditional guardrail ("... without asking", "unless the user asks") allows the command
# under a condition that skillkit cannot check; such a clause is not read as a ban.
_CONDITION = re.compile(
    r"\b(?:unless|without|except|until|before|only if|only when|first)\b", re.IGNORECASE
)


CONCEPTS: tuple[tuple[re.Pattern[str], str, Predicate], ...] = (
    (re.compile(r"\bs6\b", re.IGNORECASE), "s6", is_s6),
    (re.compile(r"\bsupervisors?\b", re.IGNORECASE), "a supervisor", is_supervisor_call),
    (re.compile(r"\bsystem(?:d|ctl)\b", re.IGNORECASE), "systemd", is_systemctl),
    (re.compile(r"\bpip\b", re.IGNORECASE), "pip", is_pip_install),
    (re.compile(r"\b(?:venv|virtualenv)\b", re.IGNORECASE), "a virtualenv", is_venv),
    (re.compile(r"\bsudo\b", re.IGNORECASE), "sudo", is_sudo),
)


def _masked(text: str, codes: Sequence[InlineCode]) -> str:
    """The line with each code span's content blanked out (its punctuation splits nothing)."""
    chars = list(text)
    for code in codes:
        for index in range(code.span.column - 1, min(code.span.end_column - 1, len(chars))):
            chars[index] = "x"
    return "".join(chars)


def forbidden_ranges(text: str, codes: Sequence[InlineCode] = ()) -> list[tuple[int, int]]:
    """The (start, end) ranges of a guardrail line (0-based) that forbid something: its clauses
    with a negation that neither recommend nor state a situation, and what follows "instead of"
    or "rather than". Each range excludes the clauses that recommend."""
    masked = _masked(text, codes)
    found: list[tuple[int, int]] = []
    start = 0
    for stop in [*_SENTENCE_STOP.finditer(masked), None]:
        end = stop.start() if stop else len(masked)
        found.extend(_forbidding_clauses(masked, start, end))
        start = stop.end() if stop else end
    return found


def _forbidding_clauses(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    sentence = masked[start:end]
    if _CONDITION.search(sentence):
        return []
    cuts = [0, *(m.end() for m in _CLAUSE_COMMA.finditer(sentence)), len(sentence)]
    found: list[tuple[int, int]] = []
    previous = False  # whether the clause before forbids (list items after it inherit that)
    for low, high in itertools.pairwise(cuts):
        clause = sentence[low:high]
        replaced = _REPLACED.search(clause)
        if replaced:
            # "use X instead of Y", "instead of Y, use X": Y is forbidden, X recommended (unless
            # the part before has its own negation: "never use X instead of Y").
            before = clause[: replaced.start()]
            if _NEGATIVE.search(before) and not _SITUATION.match(before):
                found.append((start + low, start + low + replaced.start()))
            else:
                found.append((start + low + replaced.end(), start + high))
            previous = False
            continue
        if _SITUATION.match(clause) or _NOT_NEEDED.search(clause):
            previous = False
        elif _NEGATIVE.search(clause) and not _RECOMMEND.search(clause):
            previous = True
            found.append((start + low, start + high))
        elif _RECOMMEND.search(clause) or _NEGATIVE.search(clause):
            previous = False
        elif previous:
            found.append((start + low, start + high))
    return found


def _bans(skill: Skill) -> list[tuple[int, str, str, Predicate]]:
    """(line, bullet text, what, predicate) for each thing a Guardrails bullet forbids."""
    found: list[tuple[int, str, str, Predicate]] = []
    sections = guardrail_sections(skill)
    if not sections:  # most skills: nothing forbids anything
        return found
    # The inline code of each line, gathered once (a scan of every span for each bullet is
    # quadratic on a file of many guardrails).
    code_by_line: dict[int, list[InlineCode]] = {}
    for code in skill.inline_code:
        code_by_line.setdefault(code.span.line, []).append(code)
    for section in sections:
        for line, text in bullets(skill, section):
            codes = code_by_line.get(line, [])
            ranges = forbidden_ranges(text, codes)
            if not ranges:
                continue
            prose = _masked(text, codes)
            for pattern, what, predicate in CONCEPTS:
                if any(pattern.search(prose, low, high) for low, high in ranges):
                    found.append((line, text.strip(), what, predicate))
            for code in codes:
                at = code.span.column - 1
                words = code.text.split()
                if words and any(low <= at < high for low, high in ranges):
                    predicate = prefix_predicate(words, direct_only=True)
                    found.append((line, text.strip(), f"`{code.text}`", predicate))
    return found


@rule(
    "SK306",
    "guardrail-contradiction",
    Severity.ERROR,
    "A command of the skill does what the skill's own Guardrails section forbids.",
    "An agent that reads a guardrail and then a command that breaks it gets two orders; "
    "whichever it follows, the skill is wrong in one place. The finding points at the command "
    "and at the guardrail. A guardrail is read clause by clause: what it recommends (`use ...`, "
    "`prefer ...`, `... instead`) is not forbidden, what follows `instead of` or `rather than` "
    "is, and conditional guardrails (`without asking`, `unless ...`) are not read as bans.",
    bad=example_skill(
        "## Restart\n\n```sh\ns6-svc -r ~/.local/services/web\n```\n\n"
        "## Guardrails\n- Do not call s6 directly.\n"
    ),
    good=example_skill(
        "## Restart\n\n```sh\nvrctl service restart web\n```\n\n"
        "## Guardrails\n- Do not call s6 directly.\n"
    ),
    messages={
        "forbidden": "`{run}` does what the skill's guardrail on line {line} forbids ({what})",
        "related": "the guardrail: {text}",
    },
)
def guardrail_contradiction(skill: Skill, context: Context) -> Iterator[Finding]:
    bans = _bans(skill)
    if not bans:
        return
    guarded = [(s.start_line, s.end_line) for s in guardrail_sections(skill)]
    reported: set[tuple[int, int]] = set()
    for run in context.analysis.policy_runs:
        if any(start <= run.command.line <= end for start, end in guarded):
            continue
        for line, text, what, predicate in bans:
            key = (run.argv[0].span.line, run.argv[0].span.column)
            if key in reported or not predicate(run):
                continue
            reported.add(key)
            message = guardrail_contradiction.message(
                "forbidden", run=shown_run(run), line=line, what=what
            )
            related = Related(
                guardrail_contradiction.message("related", text=text),
                Span.whole_line(line, skill.line_text(line)),
            )
            yield Finding(run_start(run), message, related=(related,))
