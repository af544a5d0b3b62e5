"""Every output format, validated the way its consumers read it."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO_ROOT, run_gates_process
from gates.reporters import BUILTIN_FORMATS

SAMPLE = REPO_ROOT / "tests" / "samples" / "report_project"
SARIF_SCHEMA = REPO_ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
JSON_SCHEMA = REPO_ROOT / "gates" / "schema" / "output-v1.json"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository whose gates project is the subfolder svc/ (a monorepo layout)."""
    top = tmp_path_factory.mktemp("repo")
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    shutil.copytree(SAMPLE, top / "svc")
    return top


def output_of(repo: Path, fmt: str, command: str = "check") -> str:
    result = run_gates_process(command, "--format", fmt, cwd=repo / "svc")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("fmt", BUILTIN_FORMATS)
def test_every_format_carries_every_finding_and_every_gate(repo: Path, fmt: str) -> None:
    text = output_of(repo, fmt, "report")
    for where in ("shop/cart.py", "shop/broken.py", "shop/pricing.py"):
        assert where in text, (fmt, where)
    for gate in ("no-print", "function-length", "file-size", "unseeded-rng"):
        assert gate in text, (fmt, gate)


@pytest.mark.parametrize("command", ["check", "report"])
def test_json_validates_against_the_published_schema(repo: Path, command: str) -> None:
    schema = json.loads(JSON_SCHEMA.read_text())
    data = json.loads(output_of(repo, "json", command))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    # Every key we emit is documented in the schema.
    assert set(data) <= set(schema["properties"])
    for finding in data["findings"]:
        assert set(finding) <= set(schema["$defs"]["finding"]["properties"])
    for gate in data["gates"]:
        assert set(gate) <= set(schema["$defs"]["gate"]["properties"])
    assert {f["code"] for f in data["findings"]} == {"GT100", "GT101", "GT102", "GT105"}


def test_sarif_validates_against_the_official_schema(repo: Path) -> None:
    data = json.loads(output_of(repo, "sarif"))
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validate(data, schema, cls=jsonschema.Draft7Validator)
    assert data["version"] == "2.1.0"


def test_sarif_rules_carry_the_gates_own_docs_and_results_are_repository_relative(repo: Path) -> None:
    run = json.loads(output_of(repo, "sarif"))["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"GT100", "GT101", "GT102", "GT103", "GT105"}
    no_print = rules["GT101"]
    assert no_print["name"] == "no-print"
    assert no_print["shortDescription"]["text"].startswith("no call to the builtin print()")
    assert "Use logging" in no_print["help"]["text"] and "```python" in no_print["help"]["markdown"]
    result = next(r for r in run["results"] if r["ruleId"] == "GT102")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "svc/shop/cart.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 10, "startColumn": 1}
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "GT102"
    assert result["properties"] == {"value": 15, "symbol": "checkout"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    gates = {g["code"]: g for g in run["properties"]["gates"]}
    assert gates["GT102"]["measured"] == 15 and gates["GT102"]["threshold"] == 12


def test_junit_is_one_testcase_per_gate_with_failures_listing_findings(repo: Path) -> None:
    from junitparser import Failure, JUnitXml

    text = output_of(repo, "junit")
    ET.fromstring(text.split("\n", 1)[1])  # well-formed XML
    path = repo / "gates-junit.xml"
    path.write_text(text)
    suites = JUnitXml.fromfile(str(path))
    cases = {case.name: case for suite in suites for case in suite}
    assert set(cases) == {
        "syntax (GT100)", "no-print (GT101)", "function-length (GT102)",
        "file-size (GT103)", "unseeded-rng (GT105)",
    }
    assert cases["file-size (GT103)"].is_passed
    failure = next(r for r in cases["no-print (GT101)"].result if isinstance(r, Failure))
    assert failure.type == "GT101" and failure.message == "2 prints"
    assert "shop/cart.py:5:5: GT101" in failure.text and "shop/cart.py:23:5: GT101" in failure.text
    assert suites.tests == 5 and suites.failures == 4


def test_github_annotations_point_at_repository_paths(repo: Path) -> None:
    lines = output_of(repo, "github").splitlines()
    assert "::error file=svc/shop/cart.py,line=5,col=5,title=GT101 no-print::" \
        "print() call in production code; use logging" in lines
    assert lines[-1].startswith("::notice title=gates::4 of 5 gates failed (7 files checked)%0A")


def test_github_workflow_commands_are_escaped() -> None:
    from gates.reporters.github import escape_data, escape_property

    assert escape_data("50%\nnext\r") == "50%25%0Anext%0D"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


HOSTILE = {
    "pyproject.toml": "[tool.gates.function-length]\nmax = 2\n",
    "<script>alert(1)</script>.py": "def f():\n    x = 1\n    print(x)\n",
    "a|b.py": "print('pipe')\n",
}


def test_html_is_self_contained_and_escapes_every_string(project, run_gates) -> None:
    root = project(HOSTILE)
    result = run_gates("report", "--format", "html", cwd=root)
    assert result.returncode == 1, result.stderr
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.py" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing from the network
    assert "<link" not in page and "@import" not in page
    parsed = ParsedPage()
    parsed.feed(page)
    assert parsed.tags <= SAFE_TAGS, parsed.tags - SAFE_TAGS
    assert "<script>alert(1)</script>.py" in parsed.text  # shown as text, as named


SAFE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "span", "br",
    "table", "thead", "tbody", "tr", "th", "td", "code", "a", "footer",
}


class ParsedPage(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def test_markdown_escapes_names_that_would_break_the_table(project, run_gates) -> None:
    root = project(HOSTILE)
    text = run_gates("check", "--format", "markdown", cwd=root).stdout
    assert "<script>" not in text and "&lt;script&gt;" in text
    for line in text.splitlines():
        if line.startswith("| ") and "a" in line and ".py" in line:
            assert len(re.findall(r"(?<!\\)\|", line)) in (4, 5, 6), line
    assert "a\\|b.py:1:1" in text


def test_a_failing_project_level_gate_without_findings_is_still_reported_in_sarif(project) -> None:
    from gates.model import GateResult, RunResult
    from gates.reporters.sarif import sarif_log

    root = project({"pyproject.toml": "[tool.gates]\n"})
    gate = GateResult("coverage", "GT301", False, 41.3, 80.0, "%", 1, "41.3 % < 80 %", note="from .coverage")
    data = sarif_log(RunResult(str(root), 3, (gate,), (), config_file="pyproject.toml"))
    jsonschema.validate(data, json.loads(SARIF_SCHEMA.read_text()), cls=jsonschema.Draft7Validator)
    (result,) = data["runs"][0]["results"]
    assert result["message"]["text"] == "coverage: 41.3 % < 80 % (from .coverage)"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pyproject.toml"


def test_html_escapes_symbols_messages_notes_and_details_too() -> None:
    from gates.model import Finding, GateResult, Location, RunResult
    from gates.reporters.html import HtmlReporter

    evil = "<script>alert(1)</script>"
    finding = Finding("XT001", "x", Location(f"{evil}.py", 1, 1), f"msg {evil}", value=3.0, symbol=evil)
    gate = GateResult(f"g{evil}", "XT001", False, 3.0, 1.0, "lines", 1, f"sum {evil}",
                      details=((evil, 2.0),), note=f"note {evil}")
    out = io.StringIO()
    HtmlReporter().report(RunResult(f"/{evil}", 1, (gate,), (finding,)), out)
    parsed = ParsedPage()
    parsed.feed(out.getvalue())
    assert parsed.tags <= SAFE_TAGS
    assert parsed.text.count(evil) >= 6
