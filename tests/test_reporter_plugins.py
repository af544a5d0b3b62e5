"""Third parties add formats under `gates.reporters` and data-reading gates under `gates.checkers`;
both show up in `gates report` exactly like the built-in ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPORTER = '''
from __future__ import annotations


class CountReporter:
    """One line: how many findings, for a team's own dashboard."""

    def __init__(self, options):
        self.options = options

    def report(self, result, out):
        mode = "scorecard" if self.options.scorecard else "check"
        out.write(f"{mode}: {len(result.findings)} findings\\n")


class TallyReporter:
    """The roadmap's checklist, as a team's own dashboard wants it (`gates report --roadmap`)."""

    def __init__(self, options):
        pass

    def report(self, result, out):
        if result.checklist is None:
            out.write("no roadmap\\n")
            return
        out.write(f"{result.checklist.roadmap} passed={result.passed}\\n")
        for item in result.checklist.items:
            out.write(f"{item.line} {item.status} {item.gate} {item.measured} {item.limit} {item.text}\\n")


class HalfReporter:
    def __init__(self, options):
        pass

    def report(self, result, out):
        out.write("half a rep")
        raise RuntimeError("disk on fire")
'''

# A project-level gate that reads data another tool wrote, as the coverage and perf
# gates do: its figure and the freshness of its data reach every format via GateResult.
DATA_GATE = '''
from gates.core.checker import Checker, Example
from gates.core.datafile import inspect_data_file
from gates.model import GateResult


class FakeCoverageChecker(Checker):
    name = "fake-coverage"
    code = "XT301"
    description = "the figure in .fakecov is at least 80"
    rationale = "Stands in for a gate that reads another tool's data file."
    needs_tree = False
    unit = "%"
    examples = (Example("x = 1\\n"), Example("x = 2\\n", fails_at=()))

    def check_project(self, project):
        self.data = project.root / ".fakecov"
        self.state = inspect_data_file(self.data, project.root, [f.file for f in project.files])
        return ()

    def summarize(self, findings, measures):
        note = self.state.note("run fakecov first")
        measured = float(self.data.read_text()) if self.state.exists else 0.0
        passed = self.state.exists and measured >= 80
        summary = f"{measured:.1f} % " + (">= 80 %" if passed else "< 80 %")
        details = (("pkg/a.py", 95.0), ("pkg/b.py", 12.5)) if self.state.exists else ()
        return GateResult(self.name, self.code, passed, measured, 80.0, "%", int(not passed),
                          summary, details=details, note=note)
'''


def install(site: Path) -> None:
    info = site / "gates_extra-1.0.dist-info"
    info.mkdir(parents=True)
    (site / "gates_extra.py").write_text(REPORTER + DATA_GATE)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gates-extra\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[gates.reporters]\ncount = gates_extra:CountReporter\nhalf = gates_extra:HalfReporter\n"
        "tally = gates_extra:TallyReporter\n\n"
        "[gates.checkers]\nfake-coverage = gates_extra:FakeCoverageChecker\n"
    )


def run(args: list[str], cwd: Path, site: Path) -> subprocess.CompletedProcess[str]:
    # The tree under test stays importable (PYTHONPATH set by whoever runs the tests).
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH", "")]))
    env = {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "gates", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def setup(tmp_path: Path) -> tuple[Path, Path]:
    site = tmp_path / "site"
    install(site)
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("print('x')\n")
    return root, site


def test_a_third_party_format_is_chosen_with_format(tmp_path: Path) -> None:
    root, site = setup(tmp_path)
    assert run(["check", "--format", "count"], root, site).stdout == "check: 1 findings\n"
    assert run(["report", "--format", "count"], root, site).stdout == "scorecard: 1 findings\n"
    unknown = run(["check", "--format", "nope"], root, site)
    assert "known formats: count, github, half, html, json" in unknown.stderr


def test_a_third_party_format_receives_the_roadmap_checklist(tmp_path: Path) -> None:
    root, site = setup(tmp_path)
    (root / "ROADMAP.md").write_text("# Plan\n\n- [ ] No print() calls\n- [ ] Largest file < 800 lines\n- [ ] Team happy\n")
    done = run(["report", "--roadmap", "ROADMAP.md", "--format", "tally"], root, site)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        "ROADMAP.md passed=False",
        "3 failed no-print 1.0 None No print() calls",
        "4 passed file-size 1.0 799.0 Largest file < 800 lines",
        "5 unmeasured None None None Team happy",
    ]
    assert run(["report", "--format", "tally"], root, site).stdout == "no roadmap\n"


def test_a_reporter_failing_midway_leaves_no_partial_file(tmp_path: Path) -> None:
    root, site = setup(tmp_path)
    (root / "out.txt").write_text("previous\n")
    result = run(["check", "--format", "half", "--output", "out.txt"], root, site)
    assert result.returncode == 2
    assert result.stderr == (
        "gates: error: reporter plugin 'half' (gates_extra:HalfReporter) failed: "
        "RuntimeError: disk on fire; fix or uninstall that package\n"
    )
    assert (root / "out.txt").read_text() == "previous\n"
    # nothing else written beside it (the result cache keeps to its own folder)
    assert sorted(p.name for p in root.iterdir() if p.name != ".gates_cache") == ["out.txt", "pkg"]


def test_a_data_gate_says_when_its_data_is_missing(tmp_path: Path) -> None:
    root, site = setup(tmp_path)
    result = run(["report", "--select", "XT301"], root, site)
    assert result.returncode == 1
    row = next(line for line in result.stdout.splitlines() if line.startswith("fake-coverage"))
    assert "FAILED" in row and "(no .fakecov: run fakecov first)" in row


def test_a_data_gate_shows_its_figure_age_staleness_and_worst_items(tmp_path: Path) -> None:
    root, site = setup(tmp_path)
    (root / ".fakecov").write_text("83.4\n")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(root / ".fakecov", (two_hours_ago, two_hours_ago))
    os.utime(root / "pkg" / "a.py", (two_hours_ago - 60, two_hours_ago - 60))
    fresh = run(["report", "--select", "XT301"], root, site).stdout
    row = next(line for line in fresh.splitlines() if line.startswith("fake-coverage"))
    assert "83.40 %" in row and ">= 80 %" in row and "passed" in row
    assert "(from .fakecov, 2 h old)" in row
    (root / "pkg" / "b.py").write_text("y = 2\n")  # written after the data: stale
    data = json.loads(run(["report", "--select", "XT301", "--format", "json"], root, site).stdout)
    (gate,) = data["gates"]
    assert gate["note"] == "from .fakecov, 2 h old; stale: 1 file changed since"
    assert gate["details"] == [{"key": "pkg/a.py", "value": 95.0}, {"key": "pkg/b.py", "value": 12.5}]
    markdown = run(["report", "--select", "XT301", "--format", "markdown"], root, site).stdout
    assert "stale: 1 file changed since" in markdown
    html = run(["report", "--select", "XT301", "--format", "html"], root, site).stdout
    assert "fake-coverage per item" in html and "12.50 %" in html
