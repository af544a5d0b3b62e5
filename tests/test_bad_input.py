"""Files that cannot be checked are GT100 findings with the reason; the run goes on; no traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

CASES = {
    "syntax-error": (b"x = 1\ndef broken(:\n    pass\n", 2, "does not parse with Python 3.1"),
    "indentation": (b"if True:\n  x = 1\n    y = 2\n", 3, ": IndentationError"),
    "undecodable": (b"x = 1\ny = '\xff\xfe'\n", 2, "cannot be decoded as utf-8"),
    "bad-cookie": (b"# -*- coding: klingon -*-\nx = 1\n", 1, "cannot be decoded"),
    "nul-byte": (b"x = 1\ny = 2\x00\n", 2, "contains a NUL byte"),
    "python2": (b"print 'hello'\n", 1, "does not parse with Python 3.1"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_a_gt100_finding_and_other_files_are_still_checked(project, run_gates, name: str) -> None:
    content, line, reason = CASES[name]
    root = project({"bad.py": content, "good.py": "print('still checked')\n"})
    result = run_gates("check", "--format", "json", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["code"]) for f in findings] == [("bad.py", "GT100"), ("good.py", "GT101")]
    assert findings[0]["line"] == line
    assert reason in findings[0]["message"]


def test_unreadable_file_is_a_finding(project, run_gates) -> None:
    root = project({"good.py": "x = 1\n"})
    os.symlink(root / "missing.py", root / "dangling.py")  # points inside the project, to nothing
    result = run_gates("check", "--format", "json", cwd=root)
    findings = json.loads(result.stdout)["findings"]
    assert result.returncode == 1
    assert findings[0]["path"] == "dangling.py" and "cannot be read" in findings[0]["message"]


def test_bom_crlf_and_empty_files_are_fine(project, run_gates) -> None:
    root = project({
        "bom.py": "\ufeffdef f():\r\n    return 1\r\n".encode("utf-8"),
        "crlf.py": b"def f():\r\n    print('x')\r\n",
        "empty.py": b"",
        "latin.py": "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1"),
    })
    result = run_gates("check", "--format", "json", cwd=root)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [("crlf.py", 2, "GT101")]


def test_an_encoding_is_read_from_its_cookie_on_line_two_and_only_there() -> None:
    # The first two lines are read for a PEP 263 cookie; without one, UTF-8 (a fast path
    # that skips tokenize, which must not lose a cookie or invent one).
    from gates.core.source import SourceFile

    latin = SourceFile.from_bytes("#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\nx = 'caf\xe9'\n"
                                  .encode("latin-1"), "m.py")
    assert latin.error is None and "café" in latin.text
    late = SourceFile.from_bytes("x = 1\n\n# coding: latin-1\ny = 'caf\xe9'\n".encode("latin-1"), "m.py")
    assert late.error is not None and "cannot be decoded as utf-8" in late.error.reason and late.error.line == 4
    named = SourceFile.from_bytes("coding = 'utf-8'\nname = 'café'\n".encode("utf-8"), "m.py")
    assert named.error is None and "café" in named.text


def test_crlf_line_count_matches_physical_lines(project, run_gates) -> None:
    root = project({"big.py": b"x = 1\r\n" * 801, "ok.py": b"x = 1\r\n" * 800})
    data = json.loads(run_gates("check", "--format", "json", "--select", "GT103", cwd=root).stdout)
    assert [(f["path"], f["value"]) for f in data["findings"]] == [("big.py", 801)]


def test_deeply_nested_expression_is_a_finding_not_a_crash(project, run_gates) -> None:
    root = project({"deep.py": "x = " + "(" * 300 + "1" + ")" * 300 + "\n"})
    result = run_gates("check", "--format", "json", cwd=root)
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["findings"][0]["code"] == "GT100"


def test_checked_code_is_never_imported_or_executed(project, run_gates, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    root = project({"evil.py": f"open({str(marker)!r}, 'w').write('ran')\nprint(1)\n"})
    result = run_gates("check", cwd=root)
    assert result.returncode == 1
    assert not marker.exists()


def test_warnings_from_parsing_checked_code_are_not_shown(project, run_gates) -> None:
    root = project({"w.py": 'x = "a"[1, 2]\ny = "\\d"\nz = 1 is 1\n'})
    result = run_gates("check", cwd=root)
    assert result.returncode == 0
    assert result.stderr == ""


def test_newer_syntax_names_the_python_that_parsed_it(project, run_gates) -> None:
    import sys

    root = project({"new.py": "type Alias = list[int]\n", "ok.py": "x = 1\n"})
    result = run_gates("check", "--format", "json", cwd=root)
    findings = json.loads(result.stdout)["findings"]
    if sys.version_info >= (3, 12):
        assert findings == []
    else:
        assert [f["path"] for f in findings] == ["new.py"]
        assert "does not parse with Python 3.11" in findings[0]["message"]


def test_long_operator_chains_are_analysed_and_deeper_ones_are_findings(project, run_gates) -> None:
    def chain(n: int) -> str:
        return "import random\ndef f():\n    print(1)\n    x = " + " + ".join(["a"] * n) + "\n"

    root = project({"c3000.py": chain(3000), "c60000.py": chain(60_000)})
    result = run_gates("check", "--format", "json", "-j", "1", cwd=root)
    assert "Traceback" not in result.stderr and result.stderr == ""
    found = {(f["path"], f["code"]) for f in json.loads(result.stdout)["findings"]}
    assert ("c3000.py", "GT101") in found
    deep = {code for path, code in found if path == "c60000.py"}
    assert deep and deep <= {"GT100", "GT101", "GT105", "GT106"}


def test_huge_files_are_checked(project, run_gates) -> None:
    root = project({
        "long.py": "def f():\n" + "    x = 1\n" * 50_000,
        "wide.py": 'x = "' + "a" * 5_000_000 + '"\nprint(x)\n',
    })
    result = run_gates("check", "--format", "json", cwd=root)
    assert result.returncode == 1 and result.stderr == ""
    data = json.loads(result.stdout)
    found = {(f["path"], f["code"], f.get("value")) for f in data["findings"]}
    assert ("long.py", "GT102", 50_001) in found
    assert ("long.py", "GT103", 50_001) in found
    assert ("wide.py", "GT101", None) in found


def test_project_modules_named_like_the_standard_library_are_not_imported(project, run_gates, tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    trap = f"open({str(marker)!r}, 'a').write(__name__)\nraise SystemExit('imported checked code')\n"
    root = project({name: trap for name in ("logging.py", "token.py", "tokenize.py", "ast.py", "json.py", "re.py")})
    result = run_gates("check", ".", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files_checked"] == 6
    assert not marker.exists()
