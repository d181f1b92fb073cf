"""SK5xx: references — links and backticked paths in the body that must exist in the skill folder.

These rules read one thing besides the model: which files the skill's folder holds. They ask it
through the context's file system view (`skillkit.context.Files`, which lists each folder once a
file and records it for the lint cache), by `exists_in`, which compares names exactly, so that
`Scripts/fill.py` is missing on a case-insensitive disk too, as it will be on the Linux machine
that runs the skill.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from skillkit.context import Context, Files
from skillkit.diagnostics import Finding, Severity
from skillkit.model import InlineCode, Skill
from skillkit.rules._common import CODE_SPAN, SENTENCE_WINDOW
from skillkit.rules._common import CSV_EXAMPLE_FRONT as _FRONT
from skillkit.rules.base import Example, rule


def _parts(relative: str) -> list[str]:
    return [part for part in relative.split("/") if part not in ("", ".")]


def exists_in(files: Files, folder: str | Path, relative: str) -> bool:
    """Whether the `/`-separated `relative` path names a file or folder under `folder`, with the
    exact case of every name."""
    parts = _parts(relative)
    if ".." in parts:  # outside the folder (or back into it): the filesystem decides case
        return files.exists(os.path.join(folder, *parts))
    current = str(folder)  # joined as strings: pathlib's joins cost more than the lookups
    for part in parts:
        names = files.names(current)
        if names is None or part not in names:
            return False
        current = os.path.join(current, part)
    return files.exists(current)  # a dangling symlink is listed but does not exist


def suggestion(files: Files, folder: Path, relative: str) -> str | None:
    """A close existing path for a missing one: the same path with its first missing name
    replaced by the closest name in that directory."""
    parts = _parts(relative)
    if ".." in parts:
        return None
    current = str(folder)
    for index, part in enumerate(parts):
        names = files.names(current)
        if names is None:
            return None
        if part not in names:
            close = difflib.get_close_matches(part, sorted(names), n=1, cutoff=0.8)
            if not close:
                return None
            fixed = [*parts[:index], close[0], *parts[index + 1 :]]
            candidate = "/".join(fixed)
            return candidate if exists_in(files, folder, candidate) else None
        current = os.path.join(current, part)
    return None


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Characters that make a link target a template, placeholder or pattern rather than a path.
_NOT_A_PATH = re.compile(r"[<>{}*?\[\]$|]")


def link_path(target: str) -> str | None:
    """The skill-relative path a link target names, or None for URLs (`https:`, `mailto:`),
    anchors (`#usage`), absolute and home paths, and placeholders."""
    target = target.strip()
    if not target or target.startswith(("#", "/", "~", "\\")) or _SCHEME.match(target):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path or _NOT_A_PATH.search(path):
        return None
    return path


# Folders a client reads skills from in place, in the repository that holds them: a link that
# leaves the skill folder is followed where the file is.
_IN_PLACE = frozenset({".claude", ".agents", ".codex", ".github", ".cursor", ".opencode"})


def install_root(files: Files, folder: str, target: str) -> tuple[str | None, str]:
    """The folder a skill is installed with, and how it is (as SK501's message says it):
    (None, "") for a skill read in place (`.claude/skills/x` of a repository), where any file
    its links reach is there; the root of the Claude Code plugin (or marketplace) above it,
    which is copied whole; else the skill folder itself, the unit every other distribution
    installs."""
    path = Path(files.real_path(folder))
    for parent in [path, *path.parents]:
        if files.is_dir(os.path.join(parent, ".claude-plugin")):
            return str(parent), link_target_missing.message("by-plugin", plugin=parent.name)
    if (
        target != "viberun"
        and path.parent.name == "skills"
        and path.parent.parent.name in (_IN_PLACE)
    ):
        return None, ""
    if target == "viberun":
        return str(path), link_target_missing.message("by-viberun")
    return str(path), link_target_missing.message("by-target", target=target)


@rule(
    "SK501",
    "link-target-missing",
    Severity.ERROR,
    "A relative link or image points at a file that is not in the skill folder.",
    "A Markdown link is a promise that the file is there: the agent follows it to read the "
    "details the body left out. A link to a file that was renamed or never committed breaks "
    "for every user (an error). A link that leaves the skill folder (`../other-skill/SKILL.md`) "
    "works where the skill is read in place (`.claude/skills/<name>` of a repository) and "
    "within a Claude Code plugin, which is installed whole; where the skill is installed as "
    "its own folder (a `spec` or `codex` distribution, viberun's installed skills) or the link "
    "leaves its plugin, it breaks once installed (a warning, with that reason). URLs, "
    "`#anchors`, absolute and `~` paths and placeholders (`<name>`, `{lang}`, globs) are not "
    "checked.",
    bad=_FRONT + "\nSee [the form guide](references/forms.md).\n",
    good=Example(
        _FRONT + "\nSee [the form guide](references/forms.md#fields).\n",
        files={"references/forms.md": "# Forms\n"},
    ),
    messages={
        "link": "link target",
        "image": "image",
        "missing": "{what} `{target}` does not exist in the skill folder",
        "missing-close": "{what} `{target}` does not exist in the skill folder; did you mean "
        "`{close}`?",
        "outside": "{what} `{target}` is outside the skill folder: it resolves here, but {how}, "
        "without this file, so the link breaks once installed",
        # How the skill is installed (`how` above).
        "by-plugin": "its plugin is installed by copying `{plugin}/`",
        "by-viberun": "viberun installs it as its own folder",
        "by-target": "a {target} skill is installed as its own folder",
    },
)
def link_target_missing(skill: Skill, context: Context) -> Iterator[Finding]:
    files = context.files
    folder = skill.folder
    for link in skill.links:
        path = link_path(link.target)
        if path is None:
            continue
        what = (
            link_target_missing.message("image")
            if link.image
            else link_target_missing.message("link")
        )
        if not exists_in(files, folder, path):
            close = suggestion(files, folder, path)
            message = (
                link_target_missing.message(
                    "missing-close", what=what, target=link.target, close=close
                )
                if close
                else link_target_missing.message("missing", what=what, target=link.target)
            )
            yield Finding(link.span, message)
            continue
        if ".." not in _parts(path):
            continue
        root, how = install_root(files, str(folder), context.target.name)
        if root is None:
            continue
        resolved = os.path.normpath(os.path.join(os.path.abspath(folder), *_parts(path)))
        if os.path.commonpath([files.real_path(resolved), root]) != root:
            yield Finding(
                link.span,
                link_target_missing.message("outside", what=what, target=link.target, how=how),
                severity=Severity.WARNING,
            )


_PATH = re.compile(r"^[A-Za-z0-9_.+-]+(?:/[A-Za-z0-9_.+-]+)+$")
# A file name: a name, a dot and an extension with at least one letter (not `1.0` or `v2.5`).
_FILE_NAME = re.compile(r"^[A-Za-z0-9_+-][A-Za-z0-9_.+-]*\.(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,8}$")
# Words that mark a paragraph as talking about hypothetical files: examples, and files the
# agent is to make ("put patterns in `references/patterns.md`", "save it as `assets/x.png`").
_EXAMPLE = re.compile(
    r"\bexamples?\b|\be\.g\.|\bfor instance\b|\bsuch as\b"
    r"|\b(?:create|write|put|save|generate|output|produce|place|store|emit)(?:s|d|ed|ing)?\b",
    re.IGNORECASE,
)
_STOPS = (". ", "! ", "? ", "; ")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf)\.", re.IGNORECASE)


def code_path(text: str) -> str | None:
    """The path a backticked span names when it looks like a file of a skill folder: `a/b.ext`
    (a `/` and a file extension), relative, with no placeholder, glob, URL or space. Folders
    (`scripts/`) are not paths here: skills name them to describe the layout."""
    text = text.strip()
    if text.startswith("./"):
        text = text[2:]
    if not _PATH.match(text):
        return None
    parts = text.split("/")
    if ".." in parts or "." in parts or not _FILE_NAME.match(parts[-1]):
        return None
    return text


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of `text` around the columns start..end (0-based), code spans removed."""
    # "e.g. " and "i.e. " do not end a sentence (same length, so the columns still hold).
    # Only a window around the span: a sentence is not longer than this, and reading the whole
    # line for each span is quadratic on a long line of them.
    low = max(0, start - SENTENCE_WINDOW)
    text = text[low : end + SENTENCE_WINDOW]
    start, end = start - low, end - low
    masked = _ABBREVIATION.sub(lambda found: found.group(0).replace(".", "_"), text)
    left = max(masked.rfind(stop, 0, start) for stop in _STOPS)
    rights = [found for stop in _STOPS if (found := masked.find(stop, end)) >= 0]
    right = min(rights) if rights else len(text)
    return CODE_SPAN.sub("", text[left + 1 : right + 1])


def _speaks_of_examples(skill: Skill, code: InlineCode) -> bool:
    """Whether the sentence around the span, or the line that leads into its paragraph or list
    (one ending in `:`, such as "Example: when building a `pdf` skill, the analysis shows:"),
    says "example", "e.g." or "for instance"."""
    line = code.span.line
    texts = [_sentence(skill.line_text(line), code.span.column - 1, code.span.end_column - 1)]
    first = line
    # Back to the paragraph's first line (at most 100 lines: a bound for a file of one endless
    # paragraph, where walking back from every span is quadratic).
    while (
        first - 1 >= skill.body_start_line
        and line - first < 100
        and skill.line_text(first - 1).strip()
    ):
        first -= 1
    lead = first - 1
    while lead >= skill.body_start_line and not skill.line_text(lead).strip():
        lead -= 1
    if lead >= skill.body_start_line and skill.line_text(lead).rstrip().endswith(":"):
        texts.append(CODE_SPAN.sub("", skill.line_text(lead)))
    return any(_EXAMPLE.search(text) for text in texts)


_LABEL = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\(")


def _link_label_spans(skill: Skill) -> dict[int, list[tuple[int, int]]]:
    """For each line with a link, the (first column, end column) of each link label, in order:
    a path there repeats the link's target, which SK501 checks."""
    found: dict[int, list[tuple[int, int]]] = {}
    for line in {link.span.line for link in skill.links}:
        found[line] = [
            (match.start(1) + 1, match.end(1) + 1)
            for match in _LABEL.finditer(skill.line_text(line))
        ]
    return found


def _in_label(labels: dict[int, list[tuple[int, int]]], code: InlineCode) -> bool:
    ranges = labels.get(code.span.line)
    if not ranges:
        return False
    # Labels do not overlap: the one that starts last before the span is the only candidate.
    index = bisect.bisect_right(ranges, (code.span.column, 1 << 62)) - 1
    return index >= 0 and ranges[index][0] <= code.span.column < ranges[index][1]


def _checked_path(files: Files, folder: Path, text: str, has_folder: dict[str, bool]) -> str | None:
    """The path of a span that SK502 checks (before the sentence around it is read), or None."""
    path = code_path(text)
    if path is None:
        return None
    first = path.split("/", 1)[0]
    # A path under a folder the skill does not have is most likely relative to something else:
    # the user's project (`src/app.py`), the plugin or repository root (`scripts/build.py`
    # next to `.claude-plugin/`), a clone the skill makes, a file it writes. Only a folder the
    # skill has makes the claim that the file is in it.
    known = has_folder.get(first)
    if known is None:  # asked once a skill: a long skill names `scripts/...` many times
        known = has_folder[first] = files.names(os.path.join(folder, first)) is not None
    if not known:
        return None
    return path


@rule(
    "SK502",
    "path-missing",
    Severity.WARNING,
    "A backticked path such as `scripts/fill.py` names a file that is not in the skill folder.",
    "Skills tell the agent to run `scripts/x.py` or read `references/y.md`; when the file is "
    "missing the agent improvises. Prose also names files the agent is to create, or files of "
    "an example skill, so this rule is careful and a warning: it checks only `dir/file.ext` "
    "spans under a folder the skill has (a `scripts/...` path in a skill without `scripts/` "
    "names a file of the plugin or repository root, of a clone, or one the skill writes), "
    "skips a link's label (SK501 checks its target), and skips a sentence (or the line ending "
    "in `:` that leads into its paragraph) that speaks of an example or of making the file "
    '("e.g.", "create", "put ... in", "save"). Folders (`scripts/`), URLs, absolute and `~` '
    "paths, `${VAR}/...`, placeholders (`<name>`, `{lang}`) and globs are not checked.",
    bad=Example(
        _FRONT + "\nRun `scripts/fill_form.py` on the input.\n",
        files={"scripts/extract.py": "print('ok')\n"},
    ),
    good=Example(
        _FRONT + "\nRun `scripts/fill_form.py` on the input.\n",
        files={"scripts/fill_form.py": "print('ok')\n"},
    ),
    messages={
        "missing": "path `{path}` does not exist in the skill folder",
        "missing-close": "path `{path}` does not exist in the skill folder; did you mean "
        "`{close}`?",
    },
)
def path_missing(skill: Skill, context: Context) -> Iterator[Finding]:
    files = context.files
    # Whether each path exists, asked once a skill (it names the same files many times). The
    # sentence around a span is read only for a missing path: it costs more than the lookup.
    exists: dict[str, bool] = {}
    checked: dict[str, str | None] = {}  # each span's text, judged once a skill
    has_folder: dict[str, bool] = {}
    folder = skill.folder
    labels = _link_label_spans(skill)
    for code in skill.inline_code:
        text = code.text
        if "/" not in text:  # every path has one; most spans are not paths
            continue
        if _in_label(labels, code):
            continue  # `[\`scripts/x.py\`](scripts/x.py)`: SK501 checks the link's target
        if text in checked:
            path = checked[text]
        else:
            path = checked[text] = _checked_path(files, folder, text, has_folder)
        if path is None:
            continue
        found = exists.get(path)
        if found is None:
            found = exists[path] = exists_in(files, folder, path)
        if found or _speaks_of_examples(skill, code):
            continue
        close = suggestion(files, folder, path)
        message = (
            path_missing.message("missing-close", path=code.text, close=close)
            if close
            else path_missing.message("missing", path=code.text)
        )
        yield Finding(code.span, message)
