"""SK602, SK603: the skill set as the model sees it.

Claude Code puts the name and description (with `when_to_use`) of every skill the model may
invoke into one listing in its system prompt, within a character budget; the model picks a skill
from that listing alone. Two questions no single file answers: does the listing fit, and can the
model tell the skills apart?
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from skillkit.context import Context, Files, ProjectContext
from skillkit.diagnostics import Finding, Related, Severity
from skillkit.model import Skill, Span
from skillkit.rules.base import Example, ProjectRule, RuleOption
from skillkit.rules.drift import rendered_from
from skillkit.rules.frontmatter import model_sees

# 1% of a 200,000-token context window at about 4 characters a token: Claude Code's setting
# `skillListingBudgetFraction` (default 0.01) and the 8,000-character fallback.
LISTING_BUDGET = 8_000
BUDGET_OPTION = RuleOption(
    "skill-listing-budget",
    LISTING_BUDGET,
    int,
    "Characters of skill names and descriptions Claude Code lists (SK602).",
)


def listing_group(files: Files, skill_folder: str) -> str:
    """The set of skills a client lists together: the Claude Code plugin (the folder holding
    `.claude-plugin/`) or the `.claude` folder the skill is under; else the folder that holds
    the skill's folder (a folder of skills)."""
    return _group(files, os.path.abspath(skill_folder))


def _group(files: Files, folder: str) -> str:
    marker = os.sep + ".claude" + os.sep
    if marker in folder + os.sep:
        return folder[: (folder + os.sep).index(marker) + len(marker) - 1]
    current = folder
    while True:
        if files.is_dir(os.path.join(current, ".claude-plugin")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    # A folder of skills; a skill nested in another skill's folder belongs to the outer one's.
    parent = os.path.dirname(folder)
    if parent != folder and files.is_file(os.path.join(parent, "SKILL.md")):
        return _group(files, parent)
    return parent


# Facts: (group, name, listed text, line and column of the description), or None for a skill
# that its target does not list for the model.
ListingFacts = tuple[str, str, str, int, int] | None


def listed_entry(skill: Skill, context: Context, limit: int) -> ListingFacts:
    """The skill's entry as the model's listing holds it: its group, the name it is listed by
    (the `name` field, else the folder's), its text with white space folded and cut at `limit`,
    and where the description is; None for a skill the model is not shown."""
    seen = model_sees(skill, context.target)
    if seen is None:
        return None
    item, text = seen
    name_field = skill.front_matter.get("name")
    name = skill.path.parent.name
    if name_field is not None and name_field.value.kind == "str" and name_field.value.text:
        name = name_field.value.text
    group = listing_group(context.files, str(skill.path.parent))
    span = item.value.span
    return (group, name, " ".join(text.split())[:limit], span.line, span.column)


def collect_listing(skill: Skill, context: Context) -> ListingFacts:
    limit = context.target.listing_entry_limit
    return None if limit is None else listed_entry(skill, context, limit)


def _entries(
    collected: Sequence[tuple[str, Any]],
) -> dict[str, list[tuple[str, str, str, int, int]]]:
    groups: dict[str, list[tuple[str, str, str, int, int]]] = {}
    for path, facts in collected:
        if facts is None:
            continue
        group, name, text, line, column = facts
        groups.setdefault(group, []).append((path, name, text, line, column))
    return groups


def entry_chars(name: str, text: str) -> int:
    """The characters a skill's entry takes in the listing: `- name: description`."""
    return len(name) + len(text) + 4


def check_budget(
    collected: Sequence[tuple[str, Any]], context: ProjectContext
) -> Iterator[tuple[str, Finding]]:
    budget = int(context.option(BUDGET_OPTION))
    for _group, entries in sorted(_entries(collected).items()):
        sizes = sorted(
            (
                (entry_chars(name, text), path, name, line, column)
                for path, name, text, line, column in entries
            ),
            key=lambda size: (-size[0], size[2]),
        )
        total = sum(size[0] for size in sizes)
        if total <= budget:
            continue
        # Past the budget, in name order: the skills whose entries no longer fit.
        running = 0
        past: list[str] = []
        for chars, _path, name, _line, _column in sorted(sizes, key=lambda size: size[2]):
            running += chars
            if running > budget:
                past.append(name)
        largest = sizes[0]
        shown = ", ".join(
            LISTING_OVER_BUDGET.message("entry", name=name, chars=chars)
            for chars, _p, name, _l, _c in sizes[:5]
        )
        message = LISTING_OVER_BUDGET.message(
            "over-budget",
            count=len(sizes),
            total=total,
            budget=budget,
            past=", ".join(past),
            largest=shown,
        )
        related = tuple(
            Related(
                LISTING_OVER_BUDGET.message("related", name=name, chars=chars),
                Span.at(line, column),
                path,
            )
            for chars, path, name, line, column in sizes[1:5]
        )
        yield largest[1], Finding(Span.at(largest[3], largest[4]), message, related=related)


def _demo(name: str, description: str) -> str:
    return f"---\nname: {name}\ndescription: {description}\n---\n\n# {name}\n\nSteps.\n"


_LONG = "Use when the user asks to tidy, check or convert CSV files of any size. " * 7

LISTING_OVER_BUDGET = ProjectRule(
    code="SK602",
    name="listing-over-budget",
    severity=Severity.WARNING,
    summary="The skills listed together overflow Claude Code's skill-listing budget.",
    rationale="Claude Code lists the name and description (with `when_to_use`) of every "
    "skill the model may invoke in one block of its system prompt, within a budget: "
    "`skillListingBudgetFraction` of the context window (default 0.01, about 8,000 "
    "characters for a 200k-token window; Claude Code settings schema), each entry cut at "
    "1,536 characters. Past the budget Claude Code shortens descriptions, down to names "
    "only, without an error, and the model can no longer choose skills by what they do. "
    "Counted per plugin (a `.claude-plugin/` folder) or `.claude` folder, for skills checked "
    "for Claude Code and not `disable-model-invocation: true`. The option "
    "`skill-listing-budget` sets another budget.",
    bad=Example(
        _demo("demo", _LONG),
        target="claude-code",
        files={f"s{i}/SKILL.md": _demo(f"s{i}", _LONG) for i in range(16)},
    ),
    good=Example(
        _demo("demo", _LONG),
        target="claude-code",
        files={"other/SKILL.md": _demo("other", _LONG)},
    ),
    collect=collect_listing,
    check_project=check_budget,
    options=(BUDGET_OPTION,),
    messages={
        "over-budget": "the {count} skills listed together with this one come to {total:,} "
        "characters of names and descriptions; Claude Code's listing budget is {budget:,} (1% "
        "of a 200k-token context), so it shortens descriptions or drops them; past the budget "
        "(in name order): {past}. Largest entries: {largest}. Shorten descriptions, or set "
        "`disable-model-invocation: true` on skills only a user starts",
        "entry": "{name} ({chars:,})",
        "related": "{name}: {chars:,} characters",
    },
)


# ---------------------------------------------------------------------------------------------
# Competing triggers

_WORD = re.compile(r"[a-z][a-z0-9]+")
# Words that say nothing about which skill applies: function words, and the words every skill
# description uses ("use", "skill", "when", "user", "asks").
_STOP = frozenset(
    re.findall(
        r"\S+",
        """a about above after again against all also an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our out over own same she should
    so some such than that the their them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    yours use used uses using skill skills user users ask asks asked want wants need needs
    help helps helping task tasks work working via e g eg etc like new any one two make makes
    when whenever should must also always never instead include including includes provide
    provides create creates creating build builds building set manage manages managing apply
    applies guide guidance toolkit tool tools reference resource resources various basic
    other others rather sort kind thing things way ways based inside within without""",
    )
)
# Words that name the same thing in skill descriptions: a long-lived process and a long-running
# service compete for the same request.
_SYNONYMS = {
    "process": "service",
    "server": "service",
    "daemon": "service",
    "worker": "service",
    "lived": "running",
    "persistent": "running",
    "supervise": "run",
    "start": "run",
    "launch": "run",
}


def _stem(word: str) -> str:
    """A light stem: `services` and `service`, `running` and `run` meet."""
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2]:
                word = word[:-1]  # running → runn → run
            break
    return word


def trigger_terms(text: str) -> tuple[str, ...]:
    """The content words of a listing text, stemmed, in order."""
    out = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 3:
            continue
        stem = _stem(word)
        out.append(_SYNONYMS.get(stem, stem))
    return tuple(out)


def _bigrams(terms: Sequence[str]) -> set[tuple[str, str]]:
    return {(terms[i], terms[i + 1]) for i in range(len(terms) - 1)}


def similarity(a: Sequence[str], b: Sequence[str]) -> tuple[float, float]:
    """(Jaccard of content words, Jaccard of adjacent word pairs) of two listing texts."""
    words_a, words_b = set(a), set(b)
    pairs_a, pairs_b = _bigrams(a), _bigrams(b)
    words = len(words_a & words_b) / max(len(words_a | words_b), 1)
    pairs = len(pairs_a & pairs_b) / max(len(pairs_a | pairs_b), 1)
    return words, pairs


# Each skill is compared with at most this many others (those sharing the most rare words), so a
# set of n skills costs O(n * MAX_CANDIDATES) comparisons.
MAX_CANDIDATES = 20


def _candidates(
    terms: dict[str, tuple[str, ...]],
) -> Iterable[tuple[str, str]]:
    """Pairs worth comparing: skills that share a word that few skills use (an inverted index,
    blocked on the rarer words, each skill with its MAX_CANDIDATES best partners)."""
    index: dict[str, list[str]] = {}
    for key, words in terms.items():
        for word in set(words):
            index.setdefault(word, []).append(key)
    limit = max(2, int(len(terms) ** 0.5) + 1)
    pairs: set[tuple[str, str]] = set()
    for key, words in terms.items():
        shared: dict[str, int] = {}
        for word in set(words):
            others = index[word]
            if len(others) > limit and len(terms) > 8:
                continue  # a word too many skills use blocks nothing
            for other in others:
                if other != key:
                    shared[other] = shared.get(other, 0) + 1
        best = sorted(shared, key=lambda other: (-shared[other], other))[:MAX_CANDIDATES]
        pairs.update((min(key, other), max(key, other)) for other in best)
    return sorted(pairs)


# A pair competes when most of the shorter listing text's content words (at least
# MIN_SHARED of them) are also the other's: tuned on ../shared/corpus (tests/test_listing.py),
# where background-service, web-service and service-management share 50-83% and no other pair
# of a project reaches 45%.
MIN_CONTAINMENT = 0.5
MIN_SHARED = 3
MIN_TERMS = 4

# Facts: (group, name, listing text, line and column of the description, the template it is
# rendered from or ""), or None.
TriggerFacts = tuple[str, str, str, int, int, str] | None


def collect_triggers(skill: Skill, context: Context) -> TriggerFacts:
    entry = listed_entry(skill, context, 2048)
    return None if entry is None else (*entry, rendered_from(skill, context))


def split_by_group(facts: Any) -> Iterable[tuple[str, Any]]:
    return () if facts is None else ((facts[0], facts),)


def _surface(text: str) -> dict[str, str]:
    """Each content term of a text with the first word it came from."""
    out: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 3:
            continue
        stem = _stem(word)
        out.setdefault(_SYNONYMS.get(stem, stem), word)
    return out


def check_triggers(
    collected: Sequence[tuple[str, Any]], context: ProjectContext
) -> Iterator[tuple[str, Finding]]:
    groups: dict[str, dict[str, tuple[str, str, str, int, int]]] = {}
    templates: dict[str, str] = {}
    for path, facts in collected:
        if facts is None:
            continue
        group, name, text, line, column, template = facts
        key = f"{name}\0{path}"
        groups.setdefault(group, {})[key] = (path, name, text, line, column)
        templates[key] = template
    for _group, by_key in sorted(groups.items()):
        terms = {key: trigger_terms(entry[2]) for key, entry in by_key.items()}
        for first, second in _candidates(terms):
            if templates[first] and templates[first] == templates[second]:
                continue  # variants of one template (per language or client), not rivals
            a, b = set(terms[first]), set(terms[second])
            shared = a & b
            if min(len(a), len(b)) < MIN_TERMS or len(shared) < MIN_SHARED:
                continue
            if len(shared) / min(len(a), len(b)) < MIN_CONTAINMENT:
                continue
            yield from _competing(by_key[first], by_key[second], shared)


def _competing(
    one: tuple[str, str, str, int, int], other: tuple[str, str, str, int, int], shared: set[str]
) -> Iterator[tuple[str, Finding]]:
    words_one, words_other = _surface(one[2]), _surface(other[2])
    quoted = []
    for term in sorted(shared, key=lambda t: one[2].lower().find(words_one[t])):
        a, b = words_one[term], words_other[term]
        quoted.append(f"`{a}`" if a == b else f"`{a}`/`{b}`")
    for this, that in ((one, other), (other, one)):
        message = COMPETING_TRIGGERS.message(
            "alike", other=that[1], shared=", ".join(quoted), this=this[1]
        )
        related = Related(
            COMPETING_TRIGGERS.message("related", other=that[1]), Span.at(that[3], that[4]), that[0]
        )
        yield this[0], Finding(Span.at(this[3], this[4]), message, related=(related,))


COMPETING_TRIGGERS = ProjectRule(
    code="SK603",
    name="competing-triggers",
    severity=Severity.WARNING,
    summary="Two skills listed together have descriptions so alike that the model cannot "
    "tell which to load.",
    rationale="An agent picks a skill from the names and descriptions alone (the spec's "
    "progressive disclosure; Claude Code's skill listing). When most of the content words "
    "of one description (at least 50% of the shorter one's, and at least 3) are also "
    "another's, after dropping function words and words every description uses (`use`, "
    "`skill`, `when`) and meeting a few synonyms (a long-lived process and a long-running "
    "service), the model may load either. Tuned on real skill sets: it fires on viberun's "
    "background-service, web-service and service-management, and on no pair of "
    "Anthropic's or OpenAI's skills. Compared within one plugin, `.claude` folder or folder "
    "of skills; each skill against at most 20 others sharing its rarer words. Outputs "
    "that `skillkit render` makes from one template (variants per language or client) are "
    "not compared with each other. Off by default (on for `--target viberun`, or with "
    "`extend-select`): on skills from the wild, sibling skills of one author that share "
    "boilerplate (`ALWAYS use this skill when ...`) and serve distinct tasks read as alike.",
    default=False,
    enabled_by=frozenset({"viberun"}),
    bad=Example(
        _demo("demo", "Run a long-lived background process under vrctl."),
        files={
            "other/SKILL.md": _demo(
                "other",
                "Manage long-running services under vrctl. Use when the user asks to run "
                "or supervise background services.",
            )
        },
    ),
    good=Example(
        _demo("demo", "Run a long-lived background process under vrctl."),
        files={
            "other/SKILL.md": _demo(
                "other", "Format CSV files. Use when the user asks to tidy a CSV file."
            )
        },
    ),
    collect=collect_triggers,
    check_project=check_triggers,
    partition=split_by_group,
    messages={
        "alike": "the description reads much like `{other}`'s (both: {shared}); the model may "
        "load either for the same request. Say what only `{this}` covers, and when to use "
        "`{other}` instead",
        "related": "`{other}`'s description",
    },
)
