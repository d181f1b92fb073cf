"""The CI formats through the command line: sarif (against the SARIF 2.1.0 schema), github,
junit, --statistics and --output; and that a single-file lint imports none of them."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from skillkit.cli import main
from skillkit.registry import all_rules
from tests.helpers import SCHEMAS, needs_shared, write_skill

SARIF_SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"
SHORT = "---\nname: no\ndescription: CSV helper.\n---\n\n# Demo\n\nSee [a](missing.md).\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["lint", "--isolated", *argv])
    return code, capsys.readouterr().out


def check_sarif_structure(log: Any) -> None:
    """The properties SARIF 2.1.0 requires (and the values it allows) of what skillkit writes:
    checked always, also where the schema in ../shared is absent."""
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    assert isinstance(log["runs"], list) and log["runs"]
    for run_ in log["runs"]:
        driver = run_["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        rules = driver.get("rules", [])
        assert all(isinstance(rule["id"], str) and rule["id"] for rule in rules)
        for result in run_["results"]:
            assert isinstance(result["message"]["text"], str) and result["message"]["text"]
            assert result.get("level", "warning") in {"none", "note", "warning", "error"}
            if "ruleIndex" in result:
                assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
            for location in result.get("locations", []):
                physical = location["physicalLocation"]
                assert isinstance(physical["artifactLocation"]["uri"], str)
                region = physical.get("region", {})
                positions = ("startLine", "startColumn", "endLine", "endColumn")
                assert all(region[key] >= 1 for key in positions if key in region)
            for fix in result.get("fixes", []):
                assert fix["artifactChanges"]
                for change in fix["artifactChanges"]:
                    assert isinstance(change["artifactLocation"]["uri"], str)
                    assert all("deletedRegion" in r for r in change["replacements"])


@needs_shared
def test_sarif_validates_against_the_schema(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, SHORT, "no")
    code, out = run(capsys, "--format", "sarif", ".")
    assert code == 1
    jsonschema.validate(json.loads(out), json.loads(SARIF_SCHEMA.read_text()))


def test_sarif_has_the_required_properties_and_carries_rule_metadata(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, SHORT, "no")
    code, out = run(capsys, "--format", "sarif", ".")
    assert code == 1
    log = json.loads(out)
    check_sarif_structure(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    # The lint rules only: render problems (SK7xx) never come from lint.
    assert [rule["id"] for rule in rules] == sorted(
        code for code, rule in all_rules().items() if rule.phase == "lint"
    )
    sk106 = next(rule for rule in rules if rule["id"] == "SK106")
    assert sk106["name"] == "yaml-not-a-string"
    assert sk106["defaultConfiguration"] == {"level": "error", "enabled": True}
    assert "Fails (`no/SKILL.md`):" in sk106["help"]["markdown"]
    results = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run_["results"]
    }
    assert results == {("SK106", 2), ("SK121", 3), ("SK122", 3), ("SK501", 8)}
    first = run_["results"][0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "no/SKILL.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert first["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == {
        "text": '"no"'
    }
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"]


@needs_shared
def test_sarif_of_a_clean_run_is_valid(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--format", "sarif", ".")
    assert code == 0
    jsonschema.validate(json.loads(out), json.loads(SARIF_SCHEMA.read_text()))


def test_sarif_of_a_clean_run_has_the_required_properties(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "--format", "sarif", ".")
    assert code == 0
    log = json.loads(out)
    check_sarif_structure(log)
    assert log["runs"][0]["results"] == []


def test_github_annotations_escape_properties_and_data(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_skill(in_tmp, "---\nname: no\ndescription: 100% CSV, ok\n---\n", "a,b:c")
    _code, out = run(capsys, "--format", "github", "--select", "SK106,SK121", ".")
    assert out.splitlines() == [
        "::error file=a%2Cb%3Ac/SKILL.md,line=2,col=7,endLine=2,endColumn=9,title=SK106::"
        '`name: no` is read by YAML 1.1 loaders as the boolean false, not the string "no"; '
        "quote it (yaml-not-a-string)",
        "::warning file=a%2Cb%3Ac/SKILL.md,line=3,col=14,endLine=3,endColumn=26,title=SK121::"
        "`description` is 12 characters long; say what the skill does and when to use it in at "
        "least 40 (description-too-short)",
    ]


def test_github_escapes_newlines_and_percent() -> None:
    from skillkit.diagnostics import Diagnostic, Severity
    from skillkit.model import Span
    from skillkit.report.github import annotation

    found = Diagnostic("s.md", Span(1, 1, 2, 3), "SK999", "x", Severity.INFO, "50%\r\nmore")
    assert annotation(found) == (
        "::notice file=s.md,line=1,col=1,endLine=2,endColumn=3,title=SK999::50%25%0D%0Amore (x)"
    )


def test_junit_has_a_suite_per_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, SHORT, "no")
    write_skill(
        in_tmp,
        "---\nname: clean\ndescription: Formats CSV files. Use when the user asks to tidy.\n---\n"
        "\n# Clean\n",
        "clean",
    )
    code, out = run(capsys, "--format", "junit", ".")
    assert code == 1
    root = ElementTree.fromstring(out)
    assert root.tag == "testsuites" and root.get("failures") == "4" and root.get("tests") == "5"
    suites = {str(suite.get("name")): suite for suite in root}
    assert sorted(suites) == ["clean/SKILL.md", "no/SKILL.md"]
    assert [case.get("name") for case in suites["clean/SKILL.md"]] == ["skillkit"]
    cases = list(suites["no/SKILL.md"])
    assert cases[0].get("name") == "SK106 yaml-not-a-string (line 2)"
    failure = cases[0].find("failure")
    assert failure is not None and failure.text == (
        "no/SKILL.md:2:7: SK106 `name: no` is read by YAML 1.1 loaders as the boolean false, "
        'not the string "no"; quote it'
    )


def test_statistics_and_output_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_skill(in_tmp, SHORT, "no")
    write_skill(in_tmp, SHORT, "other")
    code, out = run(capsys, "--statistics", ".")
    assert code == 1
    assert out.splitlines() == [
        "2\tSK106\t[*] yaml-not-a-string",
        "2\tSK121\t    description-too-short",
        "2\tSK122\t    description-no-trigger",
        "2\tSK501\t    link-target-missing",
    ]
    code, out = run(capsys, "--statistics", "--format", "json", ".")
    assert json.loads(out)[0] == {
        "code": "SK106",
        "name": "yaml-not-a-string",
        "count": 2,
        "fixable": True,
    }
    code, out = run(capsys, "--format", "json", "--output", "report.json", ".")
    assert code == 1 and out == ""
    assert len(json.loads((in_tmp / "report.json").read_text())) == 8


def test_single_file_lint_imports_no_other_format_nor_render(tmp_path: Path) -> None:
    path = write_skill(tmp_path, SHORT)
    script = (
        "import sys\n"
        "from skillkit.cli import main\n"
        f"main(['lint', '--format', 'concise', {str(path)!r}])\n"
        "heavy = ['jinja2', 'markdown_it', 'xml.etree.ElementTree', 'jsonschema',\n"
        "         'skillkit.report.sarif', 'skillkit.report.github', 'skillkit.report.junit',\n"
        "         'skillkit.report.json_format', 'skillkit.fix', 'skillkit.docs']\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    ).stdout
    assert out.splitlines()[-1] == "LOADED []"
