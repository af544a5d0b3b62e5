"""The ratchet baseline as a team uses it: `gates baseline`, then `gates check` fails only
on what is new or worse; `--update` tightens, never loosens; a broken file is exit 2."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from gates.adoption.baseline import Entry, load, render
from gates.errors import UsageError

# Small limits keep the sample code short: functions of at most 4 lines, 60 % type coverage.
CONFIG = """\
    [tool.gates.function-length]
    max = 4
"""

LEGACY = """\
    import random


    def main():
        print("starting")
        random.seed()


    def long():
        x = 1
        x = 2
        x = 3
        x = 4
        return x
"""


@pytest.fixture
def legacy(project, run_gates) -> Path:
    root = project({"pyproject.toml": CONFIG, "app/__init__.py": "", "app/main.py": LEGACY})
    recorded = run_gates("baseline", cwd=root)
    assert recorded.returncode == 0, recorded.stderr
    return root


def entries(root: Path) -> list[dict]:
    return json.loads((root / ".gates-baseline.json").read_text())["findings"]


def edit(root: Path, old: str, new: str, name: str = "app/main.py") -> None:
    path = root / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_recorded_findings_pass_and_the_summary_shows_the_debt(legacy, run_gates) -> None:
    assert run_gates("check", "--no-baseline", cwd=legacy).returncode == 1
    result = run_gates("check", cwd=legacy)
    assert result.returncode == 0, result.stdout
    assert ": GT" not in result.stdout  # no finding lines, only the summary
    summary = [line for line in result.stdout.splitlines() if line.startswith("no-print (GT101)")]
    assert summary[0].split() == "no-print (GT101) passed 0 prints; 1 known in the baseline".split()
    recorded = {(e["code"], e["symbol"]) for e in entries(legacy)}
    assert recorded >= {("GT101", "main"), ("GT102", "long"), ("GT105", "main")}


def test_a_new_finding_fails_and_only_it_is_shown(legacy, run_gates) -> None:
    edit(legacy, "    random.seed()\n", "    random.seed()\n    print(1)\n")
    result = run_gates("check", cwd=legacy)
    assert result.returncode == 1
    findings = [line for line in result.stdout.splitlines() if ": GT" in line]
    assert findings == ["app/main.py:7:5: GT101 print() call in production code; use logging"]


def test_lines_added_above_a_function_keep_its_findings_known(legacy, run_gates) -> None:
    edit(legacy, "import random\n", '"""Module doc."""\n\nimport os\nimport random\n\nX = 1\n')
    edit(legacy, "def main():\n", "def main():\n    # a comment\n")
    result = run_gates("check", cwd=legacy)
    assert result.returncode == 0, result.stdout


def test_the_same_finding_in_another_function_is_new(legacy, run_gates) -> None:
    edit(legacy, '    print("starting")\n', "")
    edit(legacy, "def long():\n", 'def long():\n    print("starting")\n')
    result = run_gates("check", cwd=legacy)
    assert result.returncode == 1
    assert "GT101" in result.stdout


def test_a_repeated_finding_is_counted(project, run_gates) -> None:
    code = "def main():\n    print(1)\n    print(1)\n"
    root = project({"m.py": code})
    assert run_gates("baseline", cwd=root).returncode == 0
    assert [e.get("count") for e in entries(root) if e["code"] == "GT101"] == [2]
    (root / "m.py").write_text(code + "    print(1)\n")
    result = run_gates("check", "--select", "GT101", cwd=root)
    assert result.returncode == 1
    assert "m.py:4:5: GT101" in result.stdout


def test_a_measured_finding_may_stay_or_shrink_but_not_grow(legacy, run_gates) -> None:
    edit(legacy, "def long():\n", "def long():  # renamed parameters keep the ceiling\n")
    assert run_gates("check", cwd=legacy).returncode == 0
    edit(legacy, "    x = 4\n", "    x = 4\n    x = 5\n")
    grown = run_gates("check", cwd=legacy)
    assert grown.returncode == 1
    assert "GT102 function long is 7 lines long (max 4) (baseline allows 6)" in grown.stdout
    edit(legacy, "    x = 4\n    x = 5\n", "")
    edit(legacy, "    x = 3\n", "")
    assert run_gates("check", cwd=legacy).returncode == 0


def test_update_tightens_ceilings_and_drops_fixed_findings(legacy, run_gates) -> None:
    edit(legacy, "    x = 3\n", "")
    edit(legacy, '    print("starting")\n', "")
    result = run_gates("baseline", "--update", cwd=legacy)
    assert result.returncode == 0, result.stderr
    assert "GT101 no-print: 0 known (was 1)" in result.stdout
    recorded = {(e["code"], e["symbol"]): e for e in entries(legacy)}
    assert ("GT101", "main") not in recorded
    assert recorded[("GT102", "long")]["max"] == 5
    edit(legacy, "    x = 2\n", "    x = 2\n    x = 3\n")  # back to 6 lines: now over the ceiling
    assert run_gates("check", cwd=legacy).returncode == 1


def test_update_never_loosens_without_allow_worse(legacy, run_gates) -> None:
    before = entries(legacy)
    edit(legacy, "    x = 4\n", "    x = 4\n    x = 5\n")
    edit(legacy, "def long():\n", "def long():\n    print(2)\n")
    result = run_gates("baseline", "--update", cwd=legacy)
    assert result.returncode == 0
    assert "not recorded" in result.stdout
    after = entries(legacy)
    assert [e for e in after if e["code"] == "GT102"][0]["max"] == 6
    assert [e["code"] for e in after].count("GT101") == [e["code"] for e in before].count("GT101")
    assert run_gates("check", cwd=legacy).returncode == 1
    assert run_gates("baseline", "--update", "--allow-worse", cwd=legacy).returncode == 0
    assert [e for e in entries(legacy) if e["code"] == "GT102"][0]["max"] == 8
    assert run_gates("check", cwd=legacy).returncode == 0


TYPED = {
    "pyproject.toml": "[tool.gates.type-coverage]\nfail-under = 60\n",
    "typed.py": "def f(x: int, y) -> None: ...\ndef g(z, w) -> None: ...\n",  # 3 of 6 slots: 50 %
}


def floors(root: Path) -> dict:
    return json.loads((root / ".gates-baseline.json").read_text())["metrics"]


def test_a_metric_under_its_goal_is_a_floor_it_may_not_drop_below(project, run_gates) -> None:
    root = project(TYPED)
    assert run_gates("check", "--select", "GT104", cwd=root).returncode == 1
    assert run_gates("baseline", cwd=root).returncode == 0
    assert floors(root) == {"GT104": {"gate": "type-coverage", "min": 50.0}}
    passed = run_gates("check", "--select", "GT104", cwd=root)
    assert passed.returncode == 0
    assert "50.00 % of 6 slots annotated (min 50 %); floor 50 % from the baseline (goal 60 %)" in passed.stdout
    with (root / "typed.py").open("a") as handle:
        handle.write("def h(v): ...\n")  # 3 of 8: 37.5 %
    dropped = run_gates("check", "--select", "GT104", cwd=root)
    assert dropped.returncode == 1 and "37.50 %" in dropped.stdout
    (root / "typed.py").write_text("def f(x: int, y) -> None: ...\ndef g(z: int, w) -> None: ...\n")
    assert run_gates("check", "--select", "GT104", cwd=root).returncode == 0  # 4 of 6
    assert run_gates("baseline", "--update", cwd=root).returncode == 0
    assert floors(root) == {}  # 66.67 %: the goal is met, nothing is owed


def test_update_raises_a_floor_and_a_drop_below_the_new_floor_fails(project, run_gates) -> None:
    root = project({**TYPED, "typed.py": "def f(x: int, y, z, w) -> None: ...\n"})  # 2 of 5
    assert run_gates("baseline", cwd=root).returncode == 0
    assert floors(root)["GT104"]["min"] == 40.0
    (root / "typed.py").write_text("def f(x: int, y: int, z, w, v) -> None: ...\n")  # 3 of 6
    assert run_gates("baseline", "--update", cwd=root).returncode == 0
    assert floors(root)["GT104"]["min"] == 50.0
    (root / "typed.py").write_text("def f(x: int, y: int, z, w, v, u) -> None: ...\n")  # 3 of 7
    result = run_gates("check", "--select", "GT104", cwd=root)
    assert result.returncode == 1 and "42.86 %" in result.stdout
    assert run_gates("baseline", "--update", cwd=root).returncode == 0
    assert floors(root)["GT104"]["min"] == 50.0  # never lowered without --allow-worse


FINDING = '{"version": 1, "findings": [{"path": "a.py", "code": "GT101", "symbol": "", "hash": "x"%s}]}'
BROKEN = ('{"version": 1, "findings": [', '{"version": 7}', '{"version": 1, "findings": [3]}',
          FINDING % ', "max": "ten"', '{"version": 1, "metrics": {"GT104": 50}}', "\udcff",
          FINDING % ', "max": 5, "min": 40.0', FINDING % ', "count": "2"', FINDING % ', "count": 0',
          FINDING.replace('"symbol": ""', '"symbol": 3') % "", FINDING % ', "min": true',
          '{"version": 1, "metrics": {"GT104": {"gate": 104, "min": 50}}}')


@pytest.mark.parametrize("text", BROKEN)
def test_every_kind_of_broken_baseline_is_a_usage_error_naming_the_file(tmp_path, text) -> None:
    file = tmp_path / ".gates-baseline.json"
    file.write_text(text, errors="surrogateescape")
    with pytest.raises(UsageError) as raised:
        load(file)
    message = str(raised.value)
    assert message.startswith(f"{file}: not a valid gates baseline (") and "\n" not in message


def test_a_corrupt_baseline_is_a_one_line_error_and_is_left_alone(legacy, run_gates) -> None:
    file = legacy / ".gates-baseline.json"
    broken = file.read_text()[:-20]
    file.write_text(broken)
    for command in (("check",), ("baseline", "--update")):
        result = run_gates(*command, cwd=legacy)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "gates: error: " in result.stderr and "not a valid gates baseline" in result.stderr
        assert file.read_text() == broken


def test_recording_over_an_existing_baseline_or_updating_none_is_an_error(legacy, run_gates) -> None:
    again = run_gates("baseline", cwd=legacy)
    assert again.returncode == 2 and "--update" in again.stderr
    (legacy / ".gates-baseline.json").unlink()
    missing = run_gates("baseline", "--update", cwd=legacy)
    assert missing.returncode == 2 and "no baseline to update" in missing.stderr
    assert run_gates("check", "--baseline", "other.json", cwd=legacy).returncode == 2


def test_the_file_is_sorted_stable_and_one_finding_per_line(project, run_gates) -> None:
    root = project({"b.py": "print(1)\nprint(2)\n", "a.py": "def f():\n    print(3)\n"})
    assert run_gates("baseline", cwd=root).returncode == 0
    first = (root / ".gates-baseline.json").read_bytes()
    assert run_gates("baseline", "--update", cwd=root).returncode == 0
    assert (root / ".gates-baseline.json").read_bytes() == first
    lines = [line for line in first.decode().splitlines() if '"path"' in line]
    assert [json.loads(line.rstrip(","))["path"] for line in lines] == ["a.py", "b.py", "b.py"]


def test_a_moved_file_keeps_its_findings_known_but_a_copy_does_not(legacy, run_gates) -> None:
    shutil.copy(legacy / "app/main.py", legacy / "app/copy.py")
    copied = run_gates("check", cwd=legacy)
    assert copied.returncode == 1
    assert "app/copy.py:5:5: GT101" in copied.stdout and "app/main.py" not in copied.stdout
    (legacy / "app/main.py").unlink()
    assert run_gates("check", cwd=legacy).returncode == 0


def test_updating_some_files_keeps_the_entries_of_the_others(project, run_gates) -> None:
    root = project({"a.py": "print(1)\n", "b.py": "print(2)\n"})
    assert run_gates("baseline", cwd=root).returncode == 0
    (root / "a.py").write_text("x = 1\n")
    (root / "b.py").write_text("y = 2\n")
    assert run_gates("baseline", "--update", "a.py", cwd=root).returncode == 0
    assert [e["path"] for e in entries(root)] == ["b.py"]


def test_two_functions_of_the_same_name_keep_their_own_ceilings(project, run_gates) -> None:
    body = "".join(f"    x = {i}\n" for i in range(6))
    code = f"import sys\nif sys:\n    def f():\n{body * 2}else:\n    def f():\n{body}"  # longer first
    root = project({"pyproject.toml": CONFIG, "m.py": code.replace("\n    x", "\n        x")})
    assert run_gates("baseline", cwd=root).returncode == 0
    assert sorted(e["max"] for e in entries(root)) == [7, 13]
    assert run_gates("check", "--select", "GT102", cwd=root).returncode == 0


def test_an_entry_matches_no_more_findings_than_its_count(project, run_gates) -> None:
    long = "".join(f"    x = {i}\n" for i in range(6))
    root = project({"pyproject.toml": CONFIG, "m.py": f"def f():\n{long}"})
    assert run_gates("baseline", cwd=root).returncode == 0
    with (root / "m.py").open("a") as handle:
        handle.write(f"\n\ndef f(a):\n{long}")  # a second, redefined f: same name, new def line
    result = run_gates("check", "--select", "GT102", cwd=root)
    assert result.returncode == 1
    assert "m.py:10:1: GT102 function f is 7 lines long (max 4)" in result.stdout


def test_each_finding_is_recorded_under_its_innermost_def_or_class(project, run_gates) -> None:
    root = project({
        "pyproject.toml": '[tool.gates]\nselect = ["GT101"]\n',
        "m.py": """\
            print(1)
            class C:
                print(2)
                def m(self):
                    def inner():
                        print(3)
                    if self:
                        print(4)
            def f():
                class D:
                    def g(self):
                        print(5)
                print(6)
            """,
    })
    assert run_gates("baseline", cwd=root).returncode == 0
    entries = json.loads((root / ".gates-baseline.json").read_text())["findings"]
    assert sorted(e["symbol"] for e in entries) == ["", "C", "C.m", "C.m.<locals>.inner", "f", "f.<locals>.D.g"]


# Written by `gates baseline` before the typed records (commit ad79dbb) for the project below:
# a repeated finding (count), a ceiling (max), a per-file floor (min) and a gate's floor.
TODAYS_BASELINE = """\
{
  "version": 1,
  "about": "gates ratchet baseline: known findings and floors; `gates baseline --update` tightens it",
  "metrics": {
    "GT104": {"gate": "type-coverage", "min": 40.0}
  },
  "findings": [
    {"path": "app/main.py", "code": "GT101", "symbol": "main", "hash": "e00559b142cc", "count": 2},
    {"path": "app/main.py", "code": "GT102", "symbol": "main", "hash": "8b98191cbd99", "max": 5},
    {"path": "app/main.py", "code": "GT104", "symbol": "main", "hash": "b357a406b160", "min": 40.0},
    {"path": "app/other.py", "code": "GT101", "symbol": "", "hash": "bac625d61ec5"}
  ]
}
"""
TODAYS_PROJECT = {
    "pyproject.toml": """\
        [tool.gates]
        select = ["GT101", "GT102", "GT104"]
        [tool.gates.function-length]
        max = 4
        [tool.gates.type-coverage]
        fail-under = 90
        min-file = 50
    """,
    "app/main.py": """\
        def main(a, b):
            print("x")
            print("x")
            x = 1
            return x


        def ok(a: int) -> int:
            return a
    """,
    "app/other.py": 'print("\u00e9")\n',
}


def test_a_baseline_of_the_previous_version_loads_and_is_written_back_unchanged(tmp_path) -> None:
    file = tmp_path / ".gates-baseline.json"
    file.write_text(TODAYS_BASELINE)
    baseline = load(file)
    assert baseline.floors == {"GT104": 40.0} and baseline.gate_names == {"GT104": "type-coverage"}
    assert [(e.code, e.limit, e.floor, e.count) for e in baseline.entries] == [
        ("GT101", None, False, 2), ("GT102", 5, False, 1), ("GT104", 40.0, True, 1), ("GT101", None, False, 1)]
    assert [Entry.from_json(e.to_json()) for e in baseline.entries] == baseline.entries
    out = io.StringIO()
    render(baseline, out)
    assert out.getvalue() == TODAYS_BASELINE


def test_a_baseline_of_the_previous_version_still_matches_its_project(project, run_gates) -> None:
    root = project({**TODAYS_PROJECT, ".gates-baseline.json": TODAYS_BASELINE})
    assert run_gates("check", "--no-baseline", cwd=root).returncode == 1
    result = run_gates("check", cwd=root)
    assert result.returncode == 0, result.stdout
    assert run_gates("baseline", "--update", cwd=root).returncode == 0
    assert (root / ".gates-baseline.json").read_text() == TODAYS_BASELINE
