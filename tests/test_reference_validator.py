"""Differential test against the official reference validator, `skills-ref`.

On every corpus skill and on generated front matters, every skill that `skills_ref.validate`
rejects, skillkit rejects with `--target spec` (at least one error-level finding). Every
disagreement, in either direction, must be one of the differences listed here, each explained:

skills-ref rejects, skillkit accepts (skills-ref is wrong or stricter than the spec):
- DASH_SPLIT: skills-ref splits the file on the first `---` anywhere (`content.split("---", 2)`),
  not on a line of its own, so `description: a --- b` is cut to `a` and the rest of the front
  matter becomes the body. Its verdict is then about a different front matter.
- BOM: skills-ref reads the file with a byte-order mark kept, so the file does not start with
  `---` for it. The spec says nothing of BOMs; editors on Windows write them; skillkit drops it.
- BLOCK_NEWLINE: skills-ref counts the trailing line break of a `|` or `>` block scalar in the
  1024-character description limit; a fair limit (and the clients' display) does not.
- STRICTYAML: skills-ref reads YAML with strictyaml, which refuses valid YAML that every client's
  YAML loader reads: flow collections (`[a, b]`, `{a: b}`), anchors and aliases, tags, and tabs
  inside a plain scalar (`a<TAB>b`). skillkit reads YAML as clients do (and reports tags itself).

skillkit rejects, skills-ref accepts (skillkit checks what skills-ref does not):
- SK106: strictyaml reads every scalar as a string, so `name: no` is "no" for skills-ref but
  `false` for the YAML 1.1 loaders most clients use.
- SK111: skills-ref accepts any Unicode letter in `name` after NFKC (and strips spaces);
  skillkit follows the spec's letters, ASCII a-z only.
- SK102: a closing `--- # comment` or `----` line ends the front matter for skills-ref (the
  first `---` anywhere); skillkit needs a line that is exactly `---`.
- SK105 in a nested mapping, SK130 (an empty `compatibility`), SK131 (`metadata` not a mapping of
  strings), SK132, SK133: fields whose types or bounds skills-ref never checks.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from skills_ref.parser import parse_frontmatter  # type: ignore[import-untyped]
from skills_ref.validator import validate  # type: ignore[import-untyped]

from skillkit.diagnostics import Severity
from skillkit.engine.library import lint_paths
from skillkit.settings import Settings
from tests.helpers import CORPUS, REPO_SKILL_FILES, corpus_cases, needs_shared

DASH_SPLIT = "skills-ref splits on the first `---` anywhere"
BOM = "skills-ref keeps a byte-order mark"
BLOCK_NEWLINE = "skills-ref counts a block scalar's trailing newline"
STRICTYAML = "strictyaml refuses YAML that clients read"

# The YAML reader skillkit uses (libyaml where installed: it reads a tab inside a plain scalar as
# YAML says, where PyYAML's pure-Python scanner refuses it).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Codes skillkit may report where skills-ref sees nothing wrong (see the module docstring).
SKILLKIT_STRICTER = frozenset(
    {"SK102", "SK105", "SK106", "SK111", "SK112", "SK130", "SK131", "SK132", "SK133"}
)


def skillkit_errors(folder: Path) -> list[str]:
    result = lint_paths([folder], Settings(target="spec"))
    return [d.code for d in result.diagnostics if d.severity is Severity.ERROR]


def _front_matter_text(data: bytes) -> str:
    """The text between the `---` lines, as skillkit delimits it."""
    text = data.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    closing = lines.index("---", 1) if "---" in lines[1:] else len(lines)
    return "\n".join(lines[1:closing]) + "\n"


def explain_reference_only(data: bytes, reference_errors: list[str]) -> str | None:
    """Why skills-ref rejects a skill that skillkit accepts, or None when unexplained."""
    if data.startswith(b"\xef\xbb\xbf"):
        return BOM
    front_matter = _front_matter_text(data)
    if "---" in front_matter:
        return DASH_SPLIT
    joined = " ".join(reference_errors)
    if "Description exceeds 1024" in joined and len(reference_errors) == 1:
        description = yaml.load(front_matter, Loader=YAML_LOADER)["description"]
        block = any(
            line.startswith("description:") and line.split(":", 1)[1].strip()[:1] in "|>"
            for line in front_matter.split("\n")
        )
        if block and len(description.rstrip("\n")) <= 1024 < len(description):
            return BLOCK_NEWLINE
    if joined.startswith("Invalid YAML in frontmatter"):
        try:
            yaml.load(front_matter, Loader=YAML_LOADER)
        except yaml.YAMLError:
            return None  # both loaders refuse it, yet skillkit accepted: a skillkit bug
        markers = ("[", "{", "&", "*", "!", "\t")
        if any(marker in front_matter for marker in markers):
            return STRICTYAML
    return None


def reference_errors(folder: Path) -> list[str]:
    """skills-ref's errors; a crash (it raises on some YAML it cannot read) is a rejection."""
    try:
        return [str(error) for error in validate(folder)]
    except Exception as error:
        return [f"skills-ref crashed: {type(error).__name__}: {error}"]


def check_agreement(folder: Path) -> None:
    data = (folder / "SKILL.md").read_bytes()
    reference = reference_errors(folder)
    ours = skillkit_errors(folder)
    if reference and not ours:
        reason = explain_reference_only(data, reference)
        assert reason is not None, f"skills-ref rejects, skillkit accepts: {reference}\n{data!r}"
    if ours and not reference:
        unexplained = sorted(set(ours) - SKILLKIT_STRICTER)
        assert not unexplained, f"skillkit rejects ({ours}), skills-ref accepts:\n{data!r}"


# --- the corpus --------------------------------------------------------------------------------

CORPUS_SKILLS = sorted(path.parent for path in CORPUS.rglob("SKILL.md"))


@pytest.mark.parametrize(
    "folder",
    [
        *corpus_cases(CORPUS_SKILLS, lambda p: p.name),
        *(pytest.param(path.parent, id=path.parent.name) for path in REPO_SKILL_FILES),
    ],
)
def test_corpus_skill_agrees_with_the_reference_validator(folder: Path) -> None:
    check_agreement(folder)


@needs_shared
def test_corpus_verdicts() -> None:
    # One corpus skill is rejected, by both, for the same reason.
    rejected = {folder.name: validate(folder) for folder in CORPUS_SKILLS if validate(folder)}
    assert rejected == {"claude-api": ["Description exceeds 1024 character limit (1068 chars)"]}
    assert skillkit_errors(CORPUS / "anthropics-skills" / "claude-api") == ["SK120"]


# --- the listed disagreements, one by one ------------------------------------------------------


def write(root: Path, text: str | bytes, folder: str = "demo") -> Path:
    skill = root / folder
    skill.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (skill / "SKILL.md").write_bytes(data)
    return skill


BODY = "\n# Demo\n\nBody.\n"
DESCRIPTION = "Formats CSV files. Use when the user asks to tidy a CSV file."


def test_dash_split_cuts_the_description_for_skills_ref_only(tmp_path: Path) -> None:
    text = f"---\nname: demo\ndescription: {DESCRIPTION} --- and more\n---\n{BODY}"
    metadata, _ = parse_frontmatter(text)
    assert metadata["description"] == DESCRIPTION  # cut at the `---`
    folder = write(tmp_path, text)
    assert validate(folder) == []
    assert skillkit_errors(folder) == []
    from skillkit.parse import read_skill

    description = read_skill(folder / "SKILL.md").front_matter.get("description")
    assert description is not None and description.value.text == f"{DESCRIPTION} --- and more"


def test_dash_split_makes_skills_ref_reject_a_valid_skill(tmp_path: Path) -> None:
    # The `---` in the first value ends the front matter early for skills-ref: `description`
    # lands in the body and is "missing".
    folder = write(tmp_path, f"---\nname: demo---x\n---\n{BODY}", folder="demo---x")
    assert validate(folder) != []
    folder = write(
        tmp_path,
        f"---\nlicense: MIT --- see LICENSE\nname: demo\ndescription: {DESCRIPTION}\n---\n",
    )
    assert "Missing required field in frontmatter: description" in validate(folder)
    assert skillkit_errors(folder) == []
    check_agreement(folder)


def test_a_closing_line_with_more_than_three_dashes(tmp_path: Path) -> None:
    folder = write(tmp_path, f"---\nname: demo\ndescription: {DESCRIPTION}\n--- # end\n{BODY}")
    assert validate(folder) == []
    assert skillkit_errors(folder) == ["SK102"]


def test_skills_ref_crashes_on_a_control_character(tmp_path: Path) -> None:
    folder = write(tmp_path, f"---\nname: demo\ndescription: 'a\x7f'\n---\n{BODY}")
    with pytest.raises(AttributeError):
        validate(folder)
    assert skillkit_errors(folder) == ["SK103"]


def test_bom(tmp_path: Path) -> None:
    folder = write(tmp_path, f"\ufeff---\nname: demo\ndescription: {DESCRIPTION}\n---\n{BODY}")
    assert validate(folder) == ["SKILL.md must start with YAML frontmatter (---)"]
    assert skillkit_errors(folder) == []
    check_agreement(folder)


def test_block_scalar_newline(tmp_path: Path) -> None:
    folder = write(tmp_path, "---\nname: demo\ndescription: |\n  " + "x" * 1024 + f"\n---\n{BODY}")
    assert validate(folder) == ["Description exceeds 1024 character limit (1025 chars)"]
    assert skillkit_errors(folder) == []
    check_agreement(folder)


@pytest.mark.parametrize(
    "field",
    [
        "metadata: {owner: me}",
        "license: &licence MIT",
        "compatibility: !!str Python 3.11",
        "compatibility: Python\t3.11",
    ],
)
def test_strictyaml_refuses_what_clients_read(tmp_path: Path, field: str) -> None:
    folder = write(tmp_path, f"---\nname: demo\ndescription: {DESCRIPTION}\n{field}\n---\n{BODY}")
    assert validate(folder)[0].startswith("Invalid YAML in frontmatter")
    assert skillkit_errors(folder) == []
    check_agreement(folder)


def test_yaml_1_1_boolean_name(tmp_path: Path) -> None:
    folder = write(tmp_path, f"---\nname: no\ndescription: {DESCRIPTION}\n---\n{BODY}", "no")
    assert validate(folder) == []
    assert skillkit_errors(folder) == ["SK106"]


def test_unicode_letters_in_the_name(tmp_path: Path) -> None:
    folder = write(tmp_path, f"---\nname: café\ndescription: {DESCRIPTION}\n---\n{BODY}", "café")
    assert validate(folder) == []
    assert skillkit_errors(folder) == ["SK111"]
    # NFKC: skills-ref folds the ligature `ﬁ` to `fi`, and then the name equals the folder.
    folder = write(tmp_path, f"---\nname: ﬁle\ndescription: {DESCRIPTION}\n---\n{BODY}", "file")
    assert validate(folder) == []
    assert skillkit_errors(folder) == ["SK111"]


def test_both_reject_what_the_spec_forbids(tmp_path: Path) -> None:
    cases = {
        "Demo": "SK111",
        "de--mo": "SK111",
        "-demo": "SK111",
        "a" * 65: "SK111",
    }
    for name, code in cases.items():
        folder = write(
            tmp_path, f"---\nname: {name}\ndescription: {DESCRIPTION}\n---\n{BODY}", name
        )
        assert validate(folder) != [], name
        assert code in skillkit_errors(folder), name


# --- generated front matters -------------------------------------------------------------------

FOLDERS = ("demo", "café", "no", "x1-y2")
NAMES = (
    "demo", "Demo", "demo_x", "-demo", "demo-", "de--mo", "a" * 64, "a" * 65, "café", "no",
    "1.0", "~", "", "' demo'", '"demo"', "x1-y2", "'no'", "ﬁle", "demo --- x", "[demo]",
)  # fmt: skip
FIXED_DESCRIPTIONS = (
    DESCRIPTION, "", "''", "a --- b", "Use when: the user asks", '"Use when: the user asks"',
    "yes", "1.0", "~", "2024-01-01", "x" * 1024, "x" * 1025, "'" + "x" * 1024 + "'",
    "|\n  " + "x" * 1024, "|\n  " + "x" * 1025, ">-\n  " + "x" * 1024, "|\n  two\n  lines",
    "[a, b]", "&anchor text", "!!str tagged", "Tab\tinside", "'it''s'", "a #comment",
)  # fmt: skip
EXTRA_LINES = (
    "license: MIT", "license: [MIT]", "license:\n  - MIT", "compatibility: ''",
    "compatibility: Python 3.11+", "compatibility: " + "c" * 501, "metadata:\n  owner: me",
    "metadata: {owner: me}", "metadata:\n  - a", "metadata:\n  nested:\n    k: v",
    "metadata:\n  k: v\n  k: w", "metadata: text", "allowed-tools: Read Bash",
    "allowed-tools: [Read, Bash]", "allowed-tools:\n  - Read", "version: 1.0", "model: opus",
    "description: duplicate", "name: demo", "# a comment", "license: &l MIT",
)  # fmt: skip
# Plain scalars from an alphabet that stresses YAML: colons, hashes, quotes, brackets, dashes.
PLAIN_ALPHABET = "abcXYZ é-:#'\"[]{},&*!|>%@`?\t."


@st.composite
def skill_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A skill folder's name and its SKILL.md: mostly valid, with a few perturbations each."""
    folder = draw(st.sampled_from(FOLDERS))
    lines: list[str] = []
    name = draw(st.one_of(st.just(folder), st.just(folder), st.sampled_from(NAMES), st.none()))
    if name is not None:
        lines.append(f"name: {name}")
    description = draw(
        st.one_of(
            st.just(DESCRIPTION),
            st.just(DESCRIPTION),
            st.sampled_from(FIXED_DESCRIPTIONS),
            st.text(PLAIN_ALPHABET, max_size=40).map(lambda text: f"Use when {text}"),
            st.text(max_size=60).map(lambda text: json.dumps(text, ensure_ascii=False)),
            st.none(),
        )
    )
    if description is not None:
        lines.append(f"description: {description}")
    lines.extend(draw(st.lists(st.sampled_from(EXTRA_LINES), max_size=2)))
    lines = draw(st.permutations(lines))
    text = "---\n" + "\n".join(lines) + "\n---\n" + BODY
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if draw(st.sampled_from([False] * 19 + [True])):  # a BOM now and then
        data = b"\xef\xbb\xbf" + data
    return folder, data


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(skill_files())
@example(("demo", f"---\nname: demo\ndescription: a --- b\n---\n{BODY}".encode()))
@example(("café", f"---\nname: café\ndescription: {DESCRIPTION}\n---\n{BODY}".encode()))
def test_generated_front_matters_agree(case: tuple[str, bytes]) -> None:
    folder_name, data = case
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / folder_name
        folder.mkdir()
        (folder / "SKILL.md").write_bytes(data)
        check_agreement(folder)
