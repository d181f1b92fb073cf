"""Bad input never gives a traceback: any bytes parse to a model, every lazily computed part of it
computes, and no rule crashes on it (a crash would be an SK000 finding) under any target."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillkit.parse import parse_bytes
from skillkit.settings import Settings
from skillkit.targets import TARGET_NAMES
from tests.helpers import check

# Fragments that reach into every parser: front matter, fences, lists, HTML, links, shell syntax
# and the tools whose grammars the command rules know.
_FRAGMENTS = (
    "---\n", "name: demo\n", "description: x\n", "metadata:\n  k: v\n", "```bash\n", "```\n",
    "~~~\n", "# H\n", "- item\n", "1. ", "   ```sh\n", "    ", "<div>\n", "<!--", "-->",
    "<!-- skillkit: ignore SK111 -->\n", "vrctl service add web --cmd 'uv run' --port 8000\n",
    "vrctl ", "service ", "--cmd ", "<app>", "`vrctl service logs <x>`", "[a](b.md)",
    "[a]: <x>\n", "$ ", "\\\n", "'", '"', "$(", "`", "<<EOF\n", "EOF\n", "|", "&&", ">",
    "2>&1", "\t", " ", "\n", "\r\n", "é", "\u2028", ":", "#", "*/5 * * * * ", "@daily ",
    "FOO=1 ", "mise exec -- ", "uv run ", "npx ", "`scripts/x.py`", "![i](img.png)", "](",
    "[", "]", "=", "- Never run `rm -rf`\n", "## Guardrails\n", "\ufeff", "&a ", "*a ", "!!",
)  # fmt: skip

documents = st.one_of(
    st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map(lambda parts: "".join(parts).encode()),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(documents)
def test_parse_and_every_rule_survive_any_input(data: bytes) -> None:
    skill = parse_bytes(data, "demo/SKILL.md")
    assert isinstance(skill.commands, tuple)
    assert isinstance(skill.inline_code, tuple)
    assert isinstance(skill.links, tuple)
    for target in TARGET_NAMES:
        result = check(skill, Settings(target=target, select=("SK",)))  # every rule
        crashes = [d.message for d in result.diagnostics if d.code == "SK000"]
        assert crashes == [], data
