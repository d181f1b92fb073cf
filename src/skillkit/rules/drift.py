"""SK6xx: across the skills of one run. A section that skills share (same title) whose copies
have drifted apart is reported with the words that differ.

Which sections are shared: the config's `shared-sections` (titles; `"*"` for every title), by
default the target's (`Target.shared_sections`: for viberun the policy sections every viberun
skill carries; elsewhere `"*"`). A title that is listed is compared whenever two skills have it;
under `"*"` a title is compared only where two skills or more carry it word for word (a section
copied on purpose), and a copy that differs from those is reported.

What is not drift, because copies are adapted on purpose (each a class seen in real skills):
- a copy that only adds lines, or drops some (a superset of the other: web-service's template
  adds `--env` lines), or only adds words to a line, unless they turn it around (`not`,
  `never`, `only`, ...);
- another placeholder (`<name>` for `<app>`, `{{ x }}`), a moved ` \\` continuation, another
  list number, typographic quotes, dashes and arrows, a code fence's language;
- the skill's own name, folder, title or plugin folder in place of the other's
  (`--subject "deploy-app"`, "Find the OneDrive for Business connection");
- a line rewritten for another tool (fewer than half its words kept: not an edit of the line);
- lines that `skillkit render` writes from one template or partial (the render line map says
  where each line of an output came from): they already share one source.

Cost is bounded by the input: copies are blocked by normalized title, equal texts are compared
once, at most `MAX_VERSIONS` versions of a title, `MAX_SECTION_LINES` lines of a section and
`MAX_LINE_CHARS` characters of a line take part, and a changed line is paired only with lines
near it.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from skillkit.context import Context, ProjectContext
from skillkit.diagnostics import Finding, Related, Severity
from skillkit.model import Skill, Span
from skillkit.rules.base import Example, ProjectRule
from skillkit.rules.guardrails.sections import normalize_title

ALL_TITLES = "*"
MIN_KEPT = 0.75  # of the shorter copy's lines, kept equal or edited (edits count by likeness)
MIN_PAIR_RATIO = 0.5  # a changed line keeps at least half of its words (else: rewritten)
MAX_NAME_WORDS = 6  # a substituted name is at most this many words
MAX_VERSIONS = 64  # distinct versions of one title compared with the original
MAX_SECTION_LINES = 200
MAX_LINE_CHARS = 1_000
_CUT = "\x00cut"  # ends a line cut at MAX_LINE_CHARS
CLEARLY_EDITED = 0.8  # a line this alike is the edited one: no need to look further
PAIR_WINDOW = 8  # a changed line is paired with one of the next lines of the other copy
SHOWN_CHANGES = 2
CONTEXT_WORDS = 3
SHOWN_RUNS = 2  # changes shown within one line
MAX_SHOWN_WORDS = 24

# One section's facts: (normalized title, title, line, column, end column, own text). The own
# text is its non-blank lines, right-stripped, joined by "\n": one string per section rather than
# one per line, because every skill's facts travel from the pool's workers and are interned in
# the parent (see `skillkit.engine.cache.shared_strings`), and that cost goes by the number of
# strings.
SectionFacts = tuple[str, str, int, int, int, str]
# The skill's own names: front-matter name, folder, first H1 title, plugin folder (if any).
Identity = tuple[str, ...]
# A skill's facts: (the template it is rendered from, or "", its names, its sections).
SkillFacts = tuple[str, Identity, tuple[SectionFacts, ...]]


# --- Which output of the render plan a skill is -------------------------------------------

_Pattern = tuple[str, ...]  # an output path's literal pieces, split at each `{{ ... }}`
# The plan's output root, the templates of its literal output paths by path, and the patterns
# of its paths that hold Jinja (one per plan entry: the variants of a matrix share theirs).
_OutputPatterns = tuple[Path | None, dict[str, str], tuple[tuple[_Pattern, str], ...]]
_PLACEHOLDER_IN_PATH = re.compile(r"\{\{.*?\}\}")


def _output_patterns(context: ProjectContext) -> _OutputPatterns:
    """The patterns of the plan's outputs. Built once per settings (`ProjectContext.derived`): a
    run lints thousands of skills under the same plan, and building the plan per skill cost
    outputs x outputs."""
    if context.render is None:  # (a context made without the engine's view of the plan)
        return (None, {}, ())
    try:
        plan = context.render.plan(context.settings)
        literal: dict[str, str] = {}
        templated: dict[_Pattern, str] = {}
        for variant in plan.variants:
            # An output path may hold Jinja (`background-service-{{ language }}/SKILL.md`).
            pieces = tuple(_PLACEHOLDER_IN_PATH.split(variant.path))
            if len(pieces) == 1:
                literal.setdefault(variant.path, variant.template)
            else:
                templated.setdefault(pieces, variant.template)
        patterns: _OutputPatterns = (
            plan.output_root.resolve(),
            literal,
            tuple(templated.items()),
        )
    except Exception:  # a broken plan is for `skillkit render` to report, not this rule
        patterns = (None, {}, ())
    return patterns


def path_matches(pieces: _Pattern, path: str) -> bool:
    """Whether `path` is the literal pieces with one or more characters other than `/` between
    each two (a `{{ x }}` of an output path). Linear: no regular expression is built from the
    plan (adjacent placeholders made a backtracking one), and the leftmost place of each piece
    is the best one, since a wildcard's text only has to be non-empty and without `/`."""
    if len(pieces) == 1:
        return path == pieces[0]
    first, *middle, last = pieces
    if len(path) < len(first) + len(last) or not (path.startswith(first) and path.endswith(last)):
        return False
    position = len(first)
    end = len(path) - len(last)
    for piece in middle:
        found = path.find(piece, position + 1, end)
        if found < 0 or "/" in path[position:found]:
            return False
        position = found + len(piece)
    return end > position and "/" not in path[position:end]


def rendered_from(skill: Skill, context: Context) -> str:
    """The template of the render plan that outputs this skill, or "" (hand-written)."""
    if not context.settings.render:
        return ""
    output_root, literal, patterns = context.derived(_output_patterns)
    if output_root is None:
        return ""
    try:
        relative = (
            Path(context.files.real_path(str(skill.path))).relative_to(output_root).as_posix()
        )
    except (ValueError, OSError):
        return ""
    if relative in literal:
        return literal[relative]
    for pieces, template in patterns:
        if path_matches(pieces, relative):
            return template
    return ""


# --- Facts ------------------------------------------------------------------------------------


def _identity(skill: Skill) -> Identity:
    names: list[str] = []
    item = skill.front_matter.get("name")
    if item is not None and item.value.kind == "str":
        names.append(item.value.text)
    names.append(skill.path.parent.name)
    heading = next((s.title for s in skill.sections if s.level == 1), "")
    names.append(heading)
    # A plugin's skills live in `<plugin>/skills/<skill>/SKILL.md`.
    if skill.path.parent.parent.name == "skills":
        names.append(skill.path.parent.parent.parent.name)
    return tuple(dict.fromkeys(name.strip()[:100] for name in names if len(name.strip()) > 2))


def collect_sections(skill: Skill, context: Context) -> SkillFacts:
    return rendered_from(skill, context), _identity(skill), _sections(skill)


def _sections(skill: Skill) -> tuple[SectionFacts, ...]:
    found: list[SectionFacts] = []
    for section in skill.all_sections():
        end = section.children[0].start_line - 1 if section.children else section.end_line
        # The non-blank lines, right-stripped (a line is blank exactly when its rstrip is
        # empty): map and filter keep this loop over every line of every skill in C.
        text = "\n".join(filter(None, map(str.rstrip, skill.lines[section.start_line : end])))
        if text:
            span = section.span
            found.append(
                (
                    normalize_title(section.title),
                    section.title,
                    span.line,
                    span.column,
                    span.end_column,
                    text,
                )
            )
    return tuple(found)


def split_by_title(facts: SkillFacts) -> Iterator[tuple[str, SkillFacts]]:
    """A skill's facts, one part per normalized title: `check_drift` compares only copies of one
    title, so a changed skill needs re-checking only under its titles (see `Rule.partition`)."""
    template, identity, sections = facts
    by_title: dict[str, list[SectionFacts]] = {}
    for section in sections:
        by_title.setdefault(section[0], []).append(section)
    for title, found in by_title.items():
        yield title, (template, identity, tuple(found))


# --- Normalizing a copy -----------------------------------------------------------------------

# Typographic quotes, dashes, arrows and ellipses: written by hand or by an editor, alike.
_TYPOGRAPHY = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2192": "->",
        "\u2026": "...",
    }
)
# `<name>`, `{{ name }}`, `{name}`: placeholders, whatever each copy calls them (not `${VAR}`:
# a variable of the shell or of the client is a name that must be right).
_PLACEHOLDER = re.compile(
    r"\{\{[^{}\n]{1,80}\}\}|<[A-Za-z_][\w .:/-]{0,60}>|(?<!\$)\{[A-Za-z_][\w.-]{0,40}\}"
)
# A channel, a handle or a quoted name, each skill its own (`--channel #deploys`, `@oncall`,
# `--subject "deploy-app"`): a parameter of the shared text, not a change of it.
_PARAMETER = re.compile(r"""(?:[#@][\w./-]+|"[^"\s]+")[,.;:)]*""")
# A number of a list written inline ("1. Check → 2. Build"): another step before it renumbers.
_ORDINAL = re.compile(r"\(?\d{1,3}[.)]")
_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_HYPHENATED = re.compile(r"\(?[^\W\d_]+(?:-[^\W\d_]+)+[,.;:)]*")
_LIST_MARKER = re.compile(r"^(?:[*+-]|\d{1,3}[.)])\s+")
_WORD = re.compile(r"[a-z0-9]+")
# Words that turn an instruction around: added or dropped, they are not an adaptation.
_POLARITY = frozenset(
    (
        *("not", "no", "never", "dont", "doesnt", "cannot", "cant", "must", "always", "only"),
        *("without", "avoid", "unless", "except", "instead", "nor", "neither"),
    )
)
_COMMON_WORDS = frozenset(
    ("the", "and", "for", "with", "from", "into", "your", "our", "this", "that", "via", "skill")
)


def _normalize(line: str) -> str:
    """A line as copies are compared: what copies adapted on purpose made equal."""
    text = line.strip()
    if len(text) > MAX_LINE_CHARS:  # compared up to a cut, which no change is judged across
        return _normalize(text[:MAX_LINE_CHARS]) + " " + _CUT
    if text.endswith("\\"):  # a ` \` continuation, moved when a copy adds a line after it
        text = text[:-1].rstrip()
    if text.startswith(("```", "~~~")):
        return text[:3]  # a fence's language is presentation
    text = _PLACEHOLDER.sub("<x>", text.translate(_TYPOGRAPHY))
    text = _LIST_MARKER.sub("- ", text)
    # "multi-step" and "multi step" are one spelling each (plain words only: `@oncall-web`,
    # `--dry-run` are names).
    # A list number written inline ("2. Build") is "#.": another step before it renumbers the
    # rest, and the numbers would pair the wrong steps.
    return " ".join(
        _HYPHEN_IN_WORD.sub(" ", word)
        if _HYPHENATED.fullmatch(word)
        else "#."
        if _ORDINAL.fullmatch(word)
        else word
        for word in text.split()
    )


def _without_own_names(text: str, names: Sequence[str]) -> str:
    """The text with each of the skill's own names (casefolded, longest first), where it
    stands as a whole word, read as a placeholder: a copy that names its own skill where the
    other names its own says the same. Plain string search, no pattern built from the names."""
    folded = text.lower()
    if len(folded) != len(text):  # a character whose lower case is longer: left as it is
        return text
    for name in names:
        start = folded.find(name)
        while start >= 0:
            end = start + len(name)
            before = folded[start - 1] if start else " "
            after = folded[end] if end < len(folded) else " "
            if not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_"):
                text = text[:start] + "<x>" + text[end:]
                folded = folded[:start] + "<x>" + folded[end:]
                end = start + 3
            start = folded.find(name, end)
    return text


def _name_words(identity: Identity) -> frozenset[str]:
    return frozenset(
        word
        for name in identity
        for word in _WORD.findall(name.casefold())
        if len(word) > 2 and not word.isdigit() and word not in _COMMON_WORDS
    )


# --- Comparing two copies ---------------------------------------------------------------------


def _squash(word: str) -> str:
    return "".join(_WORD.findall(word.casefold()))


def _names_one(words: Sequence[str], own: frozenset[str]) -> bool:
    """Whether the words name the skill: one of its names is in them (`OneDriveForBusiness`
    holds "onedrive"), or they spell one (`Azure DevOps` of `add-azuredevops`)."""
    joined = _squash("".join(words))
    if any(name in joined for name in own):
        return True
    squashed = [_squash(word) for word in words]
    return any(len(word) > 3 and word in name for word in squashed for name in own)


def _adapted(
    removed: Sequence[str],
    added: Sequence[str],
    left_own: frozenset[str],
    right_own: frozenset[str],
) -> bool:
    """Whether words one copy has in place of the other's adapt the line rather than change
    it: added words that do not turn it around (`not`, `never`, `only`...), another list
    number, a channel, handle or quoted name for another, or each copy's own name."""
    words = (*removed, *added)
    turned = bool(_POLARITY.intersection(_squash(word) for word in words))
    if not removed or not added:
        return not turned
    if all(_ORDINAL.fullmatch(word) for word in words):
        return True
    if len(removed) == len(added) == 1 and all(_PARAMETER.fullmatch(word) for word in words):
        return True
    return (
        not turned
        and len(removed) <= MAX_NAME_WORDS
        and len(added) <= MAX_NAME_WORDS
        and _names_one(removed, left_own)
        and _names_one(added, right_own)
    )


Run = tuple[int, int, int, int]  # a change within a line: left words i1:i2, right words j1:j2


def _changes(
    left: Sequence[str],
    right: Sequence[str],
    left_own: frozenset[str],
    right_own: frozenset[str],
    compared: Callable[[str], str] = str,
) -> list[Run]:
    """What an edited line (its words on each side) changes in what it says, less what only
    adapts it (see `_adapted`). Words are compared as `compared` makes them; changes one or two
    words apart are one ("wait briefly and retry" for "stop and tell" is one change, not two
    around the "and" they share)."""
    matcher = difflib.SequenceMatcher(
        None, [compared(w) for w in left], [compared(w) for w in right], autojunk=False
    )
    # Only the names that tell the two skills apart ("deploy" of deploy-web and deploy-api is
    # no substitution: "never deploy" for "always deploy" is a change).
    left_own, right_own = left_own - right_own, right_own - left_own
    # A line too long to compare whole ends in a cut, which falls on other words in each copy
    # (one names a longer connector earlier): no change is judged at it.
    cut = bool(left and left[-1] == _CUT) or bool(right and right[-1] == _CUT)
    found: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if cut and (i2 >= len(left) - 1 or j2 >= len(right) - 1):
            continue
        removed, added = left[i1:i2], right[j1:j2]
        if _adapted(removed, added, left_own, right_own):
            continue
        if found and i1 - found[-1][1] <= 2 and j1 - found[-1][3] <= 2:
            found[-1][1], found[-1][3] = i2, j2
        else:
            found.append([i1, i2, j1, j2])
    return [(i1, i2, j1, j2) for i1, i2, j1, j2 in found]


class Budget:
    """Comparisons of lines left for one title: a bound on the cost of a title whose many
    copies are all near-copies of each other (a project of generated skills took minutes)."""

    def __init__(self, units: int) -> None:
        self.units = units

    def spend(self) -> bool:
        self.units -= 1
        return self.units >= 0


def drifted_lines(
    original: Sequence[str],
    copy: Sequence[str],
    original_own: frozenset[str] = frozenset(),
    copy_own: frozenset[str] = frozenset(),
    budget: Budget | None = None,
) -> list[tuple[int, int]]:
    """The (original, copy) line pairs of two normalized copies that say something different,
    or [] when the copy is the original or a variant of it (see the module docstring), or when
    the budget is spent."""
    if original == copy:
        return []
    budget = budget or Budget(len(original) * PAIR_WINDOW + len(copy))
    for _ in range(len(original) + len(copy)):  # the line diff costs by the lines
        if not budget.spend():
            return []
    lines = difflib.SequenceMatcher(None, original, copy, autojunk=False)
    found: list[tuple[int, int]] = []
    kept = 0.0  # the lines of the copies in common: equal ones, and edited ones by their likeness
    words = [line.split() for line in copy]
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag == "equal":
            kept += i2 - i1
        if tag != "replace":
            continue  # lines only one copy has: a variant
        start = j1
        for i in range(i1, i2):
            left = original[i].split()
            best, best_ratio = -1, MIN_PAIR_RATIO
            # The line at the same place first (a line edited in place), then those near it.
            aligned = j1 + i - i1
            candidates = list(range(start, min(j2, start + PAIR_WINDOW)))
            if start <= aligned < j2:
                candidates = [aligned, *(j for j in candidates if j != aligned)]
            for j in candidates:
                if not budget.spend():
                    return []
                matcher = difflib.SequenceMatcher(None, left, words[j], autojunk=False)
                if matcher.real_quick_ratio() < best_ratio:
                    continue
                ratio = matcher.ratio()
                if ratio >= best_ratio and (best < 0 or ratio > best_ratio):
                    best, best_ratio = j, ratio
                if best_ratio >= CLEARLY_EDITED:
                    break
            if best < 0:
                continue  # rewritten, not edited
            start = best + 1
            kept += best_ratio
            if _changes(left, words[best], original_own, copy_own):
                found.append((i, best))
    if kept < MIN_KEPT * min(len(original), len(copy)):
        # Two sections under one title ("Overview"), or one adapted line by line for another
        # purpose (a skill for p5.js and one for posters): not one text that drifted.
        return []
    return found


_GLUE = "\x00"  # ends a piece of a hyphenated word ("multi-" of "multi-step"): no space after


def _joined(words: Sequence[str]) -> str:
    return " ".join(words).replace(_GLUE + " ", "").replace(_GLUE, "")


def _excerpt(words: Sequence[str], ranges: Sequence[tuple[int, int]]) -> str:
    """The words of each range (a change) with a few words either side, `…` where words are
    left out; a long change keeps its start and its end."""
    shown: list[tuple[int, int]] = []  # (start, end) of each window, merged when they touch
    for start, end in ranges:
        window = (max(0, start - CONTEXT_WORDS), min(len(words), end + CONTEXT_WORDS))
        if shown and window[0] <= shown[-1][1]:
            shown[-1] = (shown[-1][0], max(shown[-1][1], window[1]))
        else:
            shown.append(window)
    parts: list[str] = []
    for start, end in shown:
        piece = list(words[start:end])
        if len(piece) > MAX_SHOWN_WORDS:
            piece = [*piece[: MAX_SHOWN_WORDS - 4], "…", *piece[-4:]]
        parts.append(_joined(piece))
    text = " … ".join(parts)
    if shown and shown[0][0] > 0:
        text = "…" + text
    if shown and shown[-1][1] < len(words):
        text += "…"
    return text


def _shown_words(line: str) -> list[str]:
    """The words of a line, a hyphenated word in pieces (as copies are compared)."""
    return [
        piece
        for word in line.split()
        for piece in (
            _HYPHEN_IN_WORD.sub("-" + _GLUE + " ", word).split(" ")
            if _HYPHENATED.fullmatch(word)
            else (word,)
        )
    ]


def _word_compared(word: str) -> str:
    """A word as the copies are compared (for the words a message shows)."""
    word = word.rstrip(_GLUE).translate(_TYPOGRAPHY)
    if word.endswith("-") and len(word) > 1:
        word = word[:-1]  # a piece of a hyphenated word
    if _ORDINAL.fullmatch(word):
        return "#."
    return "<x>" if _PLACEHOLDER.fullmatch(word) else word


def shown_change(
    there: str,
    here: str,
    there_own: frozenset[str] = frozenset(),
    here_own: frozenset[str] = frozenset(),
) -> str:
    """Two versions of a line as the words that differ, with a little context: `"…wait
    briefly and retry once…" there, "…stop and tell the…" here`."""
    left, right = _shown_words(there), _shown_words(here)
    changes = _changes(left, right, there_own, here_own, _word_compared)
    if not changes:  # the change is in what normalizing joins (a placeholder of two words)
        changes = _changes(left, right, frozenset(), frozenset())
    changes = changes[:SHOWN_RUNS]
    return SECTION_DRIFT.message(
        "change",
        there=_excerpt(left, [(i1, i2) for i1, i2, _, _ in changes]),
        here=_excerpt(right, [(j1, j2) for _, _, j1, j2 in changes]),
    )


# The same two lines are shown for every skill that carries them (a collection vendored twice).
_shown_once = functools.lru_cache(maxsize=1024)(shown_change)


# --- The check --------------------------------------------------------------------------------


class _Copy:
    """One skill's copy of a section, normalized for comparison."""

    __slots__ = ("facts", "normalized", "own", "path", "raw", "template")

    def __init__(
        self,
        path: str,
        template: str,
        facts: SectionFacts,
        raw: list[str],
        normalized: tuple[str, ...],
        own: frozenset[str],
    ) -> None:
        self.path = path
        self.template = template
        self.facts = facts
        self.raw = raw
        self.normalized = normalized
        self.own = own


def shared_titles(context: ProjectContext) -> tuple[frozenset[str], bool]:
    """The normalized titles listed as shared, and whether `"*"` (every title) is among them."""
    listed = context.settings.shared_sections
    if listed is None:
        listed = context.target.shared_sections
    titles = frozenset(normalize_title(title) for title in listed if title != ALL_TITLES)
    return titles, ALL_TITLES in listed


def check_drift(
    collected: Sequence[tuple[str, Any]], context: ProjectContext
) -> Iterator[tuple[str, Finding]]:
    listed, every = shared_titles(context)
    found: dict[str, list[tuple[str, str, Identity, SectionFacts]]] = {}
    for path, (template, identity, sections) in collected:
        for facts in sections:
            if every or facts[0] in listed:
                found.setdefault(facts[0], []).append((path, template, identity, facts))
    own_names: dict[Identity, tuple[str, ...]] = {}
    own_words: dict[Identity, frozenset[str]] = {}
    lines_of = _LineOrigins(context)
    for key in sorted(found):
        holders = found[key]
        if len({facts[5] for *_, facts in holders}) < 2 or len({h[0] for h in holders}) < 2:
            continue  # every copy word for word the same (most titles), or in one skill
        versions: dict[tuple[str, ...], list[_Copy]] = {}
        # A section's text → its lines, as compared, and those in lower case (one title at a
        # time: memory stays that of one title's texts).
        normalized: dict[str, tuple[list[str], tuple[str, ...], str]] = {}
        for path, template, identity, facts in sorted(holders, key=lambda h: (h[0], h[3][2])):
            if identity not in own_words:
                own_words[identity] = _name_words(identity)
                own_names[identity] = tuple(
                    sorted({name.lower() for name in identity}, key=len, reverse=True)
                )
            names = own_names[identity]
            known = normalized.get(facts[5])
            if known is None:
                # Copies share most sections word for word: each text is normalized once.
                raw = facts[5].split("\n")[:MAX_SECTION_LINES]
                lines = tuple(_normalize(line) for line in raw)
                known = normalized[facts[5]] = (raw, lines, "\n".join(lines).lower())
            raw, compared, lowered = known
            if any(name in lowered for name in names):
                compared = tuple(
                    _without_own_names(line, names)
                    if any(name in line.lower() for name in names)
                    else line
                    for line in compared
                )
            copy = _Copy(path, template, facts, raw, compared, own_words[identity])
            versions.setdefault(copy.normalized, []).append(copy)
        if len(versions) < 2:
            continue
        # The version most skills share is the original; on a tie, the one in the first path.
        ordered = sorted(
            versions.values(), key=lambda copies: (-len({c.path for c in copies}), copies[0].path)
        )
        originals = ordered[0]
        if key not in listed and len({c.path for c in originals}) < 2:
            continue  # under "*", only a section two skills carry word for word is shared
        # Line comparisons in proportion to the title's text: the cost of a title stays linear
        # in its copies however many near-copies there are.
        budget = Budget(PAIR_WINDOW * sum(len(c.raw) for v in ordered for c in v) + 1_000)
        results: dict[tuple[frozenset[str], tuple[str, ...], frozenset[str]], Pairs] = {}
        for copies in ordered[1:MAX_VERSIONS]:
            for copy in copies:
                finding = _compare(originals, copy, lines_of, budget, results)
                if finding is not None:
                    yield copy.path, finding


Pairs = list[tuple[int, int]]


def _compare(
    originals: list[_Copy],
    copy: _Copy,
    lines_of: _LineOrigins,
    budget: Budget,
    results: dict[tuple[frozenset[str], tuple[str, ...], frozenset[str]], Pairs],
) -> Finding | None:
    # Variants of one template are not copies of each other.
    original = next(
        (
            o
            for o in originals
            if o.path != copy.path and not (copy.template and o.template == copy.template)
        ),
        None,
    )
    if original is None:
        return None
    # Copies of a version in many skills of the same names compare alike: once.
    key = (original.own, copy.normalized, copy.own)
    pairs = results.get(key)
    if pairs is None:
        pairs = results[key] = drifted_lines(
            original.normalized, copy.normalized, original.own, copy.own, budget
        )
    there = lines_of(original) if pairs and original.template else None
    here = lines_of(copy) if pairs and copy.template else None
    if there is not None and here is not None:
        # Lines that one template or partial wrote (with other parameters) are one text.
        pairs = [(i, j) for i, j in pairs if there[i] is None or there[i] != here[j]]
    if not pairs:
        return None
    _, title, line, column, end_column, _ = copy.facts
    shown = [
        _shown_once(original.raw[i].strip(), copy.raw[j].strip(), original.own, copy.own)
        for i, j in pairs[:SHOWN_CHANGES]
    ]
    more = len(pairs) - SHOWN_CHANGES
    if more > 1:
        shown.append(SECTION_DRIFT.message("more-lines", more=more))
    elif more == 1:
        shown.append(SECTION_DRIFT.message("one-more-line"))
    # Where a copy is already rendered from a partial, say which, rather than "make one".
    i, j = pairs[0]
    partial_there = _partial(there, i, original.template)
    partial_here = _partial(here, j, copy.template)
    if partial_there and not partial_here:
        advice = SECTION_DRIFT.message("render-from-theirs", partial=partial_there)
    elif partial_here and not partial_there:
        advice = SECTION_DRIFT.message("render-from-ours", partial=partial_here)
    else:
        advice = SECTION_DRIFT.message("share")
    facts = original.facts
    message = SECTION_DRIFT.message(
        "drifted",
        title=title,
        path=original.path,
        line=facts[2],
        changes=", ".join(shown),
        advice=advice,
    )
    related = Related(
        SECTION_DRIFT.message("related"),
        Span(facts[2], facts[3], facts[2], facts[4]),
        path=original.path,
    )
    return Finding(Span(line, column, line, end_column), message, related=(related,))


def _partial(origins: tuple[str | None, ...] | None, line: int, template: str) -> str:
    """The partial that wrote a line of an output (not its own template), or ""."""
    name = origins[line] if origins is not None else None
    return name if name and name != template else ""


class _LineOrigins:
    """The template each own line of a copy was rendered from (the render line map), for the
    outputs of the plan; None when the file is not what the plan renders now (stale, or edited
    by hand: `skillkit render --check` reports that). The plan is rendered on first use only:
    when two outputs of different templates have drifted."""

    def __init__(self, context: ProjectContext) -> None:
        self.settings = context.settings
        self.render = context.render
        self.outputs: dict[str, tuple[list[str], tuple[str | None, ...]]] | None = None

    def _render(self) -> dict[str, tuple[list[str], tuple[str | None, ...]]]:
        outputs: dict[str, tuple[list[str], tuple[str | None, ...]]] = {}
        if self.render is None or self.render.outputs is None:
            return outputs
        try:
            plan = self.render.plan(self.settings)
            for output in self.render.outputs(plan, self.settings):
                outputs[str(output.path.resolve())] = (
                    (output.text or "").split("\n"),
                    tuple(origin.template if origin else None for origin in output.origins),
                )
        except Exception:  # a broken plan or template is for `skillkit render` to report
            pass
        return outputs

    def __call__(self, copy: _Copy) -> tuple[str | None, ...] | None:
        if self.outputs is None:
            self.outputs = self._render()
        try:
            rendered = self.outputs.get(str(Path(copy.path).resolve()))
        except OSError:
            return None
        if rendered is None:
            return None
        lines, origins = rendered
        found: list[str | None] = []
        for number in range(copy.facts[2], len(lines)):  # the lines after the heading
            if len(found) == len(copy.raw):
                break
            if lines[number].rstrip():
                if lines[number].rstrip() != copy.raw[len(found)]:
                    return None
                found.append(origins[number] if number < len(origins) else None)
        return tuple(found) if len(found) == len(copy.raw) else None


_SHARED = "- Take a snapshot before risky changes.\n- Ask the user before removing a service.\n"


def _demo(name: str, guidance: str) -> str:
    return (
        f"---\nname: {name}\ndescription: Runs the {name} app. Use when the user asks.\n---\n\n"
        f"# {name}\n\n## Snapshot guidance\n{guidance}"
    )


SECTION_DRIFT = ProjectRule(
    code="SK601",
    name="section-drift",
    severity=Severity.INFO,
    summary="A section that skills share has drifted apart (same title, a line edited).",
    rationale="Skills of one project repeat sections (the viberun skills all carry "
    '"Snapshot guidance" and "Guardrails"). When one copy is edited and the others are '
    "not, agents get different orders from different skills. The finding shows the words "
    "that differ; a shared partial in the templates keeps one copy. The sections compared "
    "are the config's `shared-sections` (default: the target's; `*` compares a title "
    "wherever two skills carry it word for word). A copy adapted on purpose is not drift: "
    "added lines or words, another placeholder (`<name>`, `<app>`), a moved ` \\` "
    "continuation, the skill's own name in place of the other's, a line rewritten for "
    "another tool, or lines `skillkit render` writes from one partial.",
    bad=Example(
        _demo("demo", _SHARED),
        files={
            "other/SKILL.md": _demo("other", _SHARED.replace("before risky", "after risky")),
            "third/SKILL.md": _demo("third", _SHARED),
        },
    ),
    good=Example(
        _demo("demo", _SHARED),
        files={
            "other/SKILL.md": _demo("other", _SHARED + "- Report the snapshot ref.\n"),
            "third/SKILL.md": _demo("third", _SHARED),
        },
    ),
    collect=collect_sections,
    check_project=check_drift,
    partition=split_by_title,
    messages={
        "drifted": "section `{title}` has drifted from its copy in {path}:{line} ({changes}); "
        "{advice}",
        # A changed line, as the words that differ (`changes` above, joined by ", ").
        "change": '"{there}" there, "{here}" here',
        "one-more-line": "and 1 more changed line",
        "more-lines": "and {more} more changed lines",
        # What to do (`advice` above).
        "render-from-theirs": "render it from the partial {partial}, as the copy it drifted "
        "from is",
        "render-from-ours": "this copy is rendered from the partial {partial}: render the other "
        "from it too",
        "share": "move it into a shared partial so that the copies stay the same",
        "related": "the copy it drifted from",
    },
)
