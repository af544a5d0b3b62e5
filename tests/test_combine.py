"""`gates combine` on shard records written with coverage.py's data API: the combined
figure equals `coverage combine && coverage report`, and every "never a phantom" case is
an incomplete (exit 1) or input error (exit 2) naming the shard, never a lower figure."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Completed

from gates.combine.record import COVERAGE_PREFIX, ShardRecord, changes_to_json, write_record
from gates.perf.records import Fingerprint, LastVerdict, NewRun, Verdict

MODULE = "".join(f"def f{i}(x):\n    if x:\n        return {i}\n    return -{i}\n\n\n" for i in range(4))
# Shard i runs f{i}(1): lines 2-3 of its function; every shard imports the module (defs).
DEFS = [1 + 6 * i for i in range(4)]
FINGERPRINT = Fingerprint("cpu", 2, "3.11", "CPython")


def shard(folder: Path, project: Path, index: int, total: int = 4, **fields: Any) -> Path:
    """Write shard ``index``'s record and coverage data into ``folder/shard-index``."""
    where = folder / f"shard-{index}"
    name = fields.pop("name", str(index))
    lines = fields.pop("lines", DEFS + [2 + 6 * (index - 1), 3 + 6 * (index - 1)])
    data_name = f"{COVERAGE_PREFIX}{name}"
    where.mkdir(parents=True, exist_ok=True)
    from coverage import CoverageData

    data = CoverageData(basename=str(where / data_name))
    data.add_lines({str(project / "pkg" / "mod.py"): lines})
    data.write()
    record = ShardRecord(
        name=name, number=index, total=total, commit="c0ffee" * 6 + "abcd", config="settings-1",
        tests=(f"tests/test_mod.py::test_f{index}",), counts={"passed": 1}, exitstatus=0,
        seed=42, duration=float(index), peak_memory=100_000_000 + index, root=str(project),
        coverage={"data": data_name, "fail_under": 50.0, "min_file": 0.0, "diff_base": "",
                  "diff_fail_under": 80.0},
    )
    return write_record(where, record._replace(**fields))


@pytest.fixture
def proj(project: Callable[..., Path]) -> Path:
    return project({"pkg/__init__.py": "", "pkg/mod.py": MODULE, ".coveragerc": "[report]\nprecision = 2\n"})


def combine(run_gates: Callable[..., Completed], proj: Path, *args: str) -> Completed:
    return run_gates("combine", str(proj / "shards"), *args, cwd=proj)


def coverage_report_total(proj: Path) -> str:
    files = sorted(str(p) for p in (proj / "shards").rglob(f"{COVERAGE_PREFIX}*"))
    run = [sys.executable, "-m", "coverage"]
    subprocess.run([*run, "combine", "--keep", *files], cwd=proj, check=True, capture_output=True)
    out = subprocess.run([*run, "report"], cwd=proj, check=True, capture_output=True, text=True).stdout
    return next(line for line in out.splitlines() if line.startswith("TOTAL")).split()[-1]


def coverage_row(result: Completed) -> dict[str, Any]:
    return next(g for g in json.loads(result.stdout)["gates"] if g["code"] == "GT301")


def test_the_combined_figure_is_coverage_combine_and_report(run_gates: Callable[..., Completed], proj: Path) -> None:
    for i in (1, 2, 3):
        shard(proj / "shards", proj, i, total=3)
    result = combine(run_gates, proj, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    figure = coverage_row(result)["measured"]
    assert f"{figure:.2f}%" == coverage_report_total(proj) == "62.50%"  # 10 of 16 statements
    assert json.loads(result.stdout)["files_checked"] == 1  # pkg/mod.py, the measured file (was 0)


def test_every_format_of_gates_report(run_gates: Callable[..., Completed], proj: Path) -> None:
    for i in (1, 2, 3, 4):
        shard(proj / "shards", proj, i)
    for fmt in ("text", "json", "sarif", "junit", "markdown", "github", "html"):
        result = combine(run_gates, proj, "--format", fmt)
        assert result.returncode == 0, (fmt, result.stdout, result.stderr)
        assert "GT301" in result.stdout or "coverage" in result.stdout, fmt
    text = combine(run_gates, proj).stdout
    assert "4 of 4 shards, 4 tests: 4 passed" in text
    assert "75.00 %" in text and "combined from 4 shards" in text


def test_a_figure_below_the_floor_fails(run_gates: Callable[..., Completed], proj: Path) -> None:
    for i in (1, 2):
        shard(proj / "shards", proj, i, total=2, coverage={"data": f"{COVERAGE_PREFIX}{i}", "fail_under": 80.0})
    result = combine(run_gates, proj, "--format", "json")
    assert result.returncode == 1
    assert coverage_row(result)["measured"] == 50.0 and not coverage_row(result)["passed"]


def incomplete(result: Completed) -> list[str]:
    assert result.returncode == 1, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert [g["code"] for g in data["gates"]] == ["GT300"]  # no coverage figure at all
    return [f["message"] for f in data["findings"]]


def test_a_missing_shard_is_incomplete_never_a_lower_figure(run_gates: Callable[..., Completed], proj: Path) -> None:
    for i in (1, 2, 4):
        shard(proj / "shards", proj, i)
    assert incomplete(combine(run_gates, proj, "--expect", "4", "--format", "json")) == [
        "incomplete: found 3 of 4 shards: index 3 missing"]


def test_without_indexes_the_count_decides(run_gates: Callable[..., Completed], proj: Path) -> None:
    for i in (1, 2):
        shard(proj / "shards", proj, i, number=None, total=None, name=f"job-{i}")
    assert incomplete(combine(run_gates, proj, "--expect", "3", "--format", "json")) == [
        "incomplete: found 2 of 3 shards"]
    assert combine(run_gates, proj, "--expect", "2").returncode == 0


def test_a_shard_of_another_commit(run_gates: Callable[..., Completed], proj: Path) -> None:
    for i in (1, 2, 3):
        shard(proj / "shards", proj, i, total=3)
    shard(proj / "shards", proj, 3, total=3, commit="1234567890abcdef")
    (message,) = incomplete(combine(run_gates, proj, "--format", "json"))
    assert message.startswith("incomplete: shard 3 (3) in ") and "shard-3" in message
    assert "ran commit 1234567890ab, the others c0ffeec0ffee" in message


def test_a_shard_of_another_config(run_gates: Callable[..., Completed], proj: Path) -> None:
    for i in (1, 2, 3):
        shard(proj / "shards", proj, i, total=3, config="settings-2" if i == 2 else "settings-1")
    (message,) = incomplete(combine(run_gates, proj, "--format", "json"))
    assert "shard 2 (2)" in message and "with gates settings settings-2, the others settings-1" in message


def test_two_shards_claiming_one_index(run_gates: Callable[..., Completed], proj: Path) -> None:
    shard(proj / "shards", proj, 1, total=2)
    shard(proj / "shards" / "again", proj, 1, total=2, tests=("tests/test_mod.py::test_f2",))
    (message,) = incomplete(combine(run_gates, proj, "--format", "json"))
    assert message.startswith("incomplete: 2 shards claim index 1: shard 1 (1) in ")
    assert message.count("gates-shard-1.json") == 2


def test_overlapping_tests(run_gates: Callable[..., Completed], proj: Path) -> None:
    shard(proj / "shards", proj, 1, total=2)
    shard(proj / "shards", proj, 2, total=2, tests=("tests/test_mod.py::test_f1", "tests/test_mod.py::test_f2"))
    (message,) = incomplete(combine(run_gates, proj, "--format", "json"))
    assert "shard 1 (1)" in message and "shard 2 (2)" in message
    assert message.endswith("both ran 1 test (e.g. tests/test_mod.py::test_f1)")


def test_a_shard_without_coverage_among_measured_ones(run_gates: Callable[..., Completed], proj: Path) -> None:
    shard(proj / "shards", proj, 1, total=2)
    shard(proj / "shards", proj, 2, total=2, coverage=None)
    (message,) = incomplete(combine(run_gates, proj, "--format", "json"))
    assert "shard 2 (2)" in message and "has no coverage data" in message


def test_too_many_records_and_index_beyond(run_gates: Callable[..., Completed], proj: Path) -> None:
    for i in (1, 2, 3):
        shard(proj / "shards", proj, i, total=3)
    messages = incomplete(combine(run_gates, proj, "--expect", "2", "--format", "json"))
    assert "incomplete: found 3 shard records, 2 expected" in messages
    assert any("has index 3, beyond the 2 expected shards" in m for m in messages)


def input_error(result: Completed) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    return result.stderr


def test_unreadable_inputs_exit_2_naming_the_file(run_gates: Callable[..., Completed], proj: Path) -> None:
    path = shard(proj / "shards", proj, 1, total=1)
    (path.parent / f"{COVERAGE_PREFIX}1").write_bytes(b"not a database" * 100)
    assert f"{COVERAGE_PREFIX}1: not a coverage data file" in input_error(combine(run_gates, proj))
    (path.parent / f"{COVERAGE_PREFIX}1").unlink()
    assert "coverage data file" in input_error(combine(run_gates, proj)) and "is missing" in input_error(combine(run_gates, proj))
    path.write_text("{broken")
    assert "gates-shard-1.json:1: not a shard record (invalid JSON)" in input_error(combine(run_gates, proj))
    path.write_text(json.dumps({"format": "gates-shard", "version": 1, "name": 3}))
    assert 'broken shard record ("name" missing or not a str)' in input_error(combine(run_gates, proj))


def test_no_records_or_no_count_exit_2(run_gates: Callable[..., Completed], proj: Path) -> None:
    (proj / "shards").mkdir()
    assert "no shard records" in input_error(combine(run_gates, proj))
    shard(proj / "shards", proj, 1, total=None)
    assert "pass --expect N" in input_error(combine(run_gates, proj))
    assert "--expect 0" in input_error(combine(run_gates, proj, "--expect", "0"))


def test_perf_baselines_merged_under_the_lock(run_gates: Callable[..., Completed], proj: Path) -> None:
    from gates.perf import baselines

    path = proj / ".performance_baselines.json"
    baselines.update(path, {"tests/test_old.py::test_kept": NewRun((1.0, 1.1), 1.0, 0.001, None, "ratio", "wall", FINGERPRINT)})
    for i in (1, 2):
        key = f"tests/test_mod.py::test_f{i}"
        change = NewRun((1.0 + i, 1.2 + i), 1.1 + i, 0.002, 4096, "ratio", "wall", FINGERPRINT)
        records = [{"key": key, "verdict": "saved"}]
        shard(proj / "shards", proj, i, total=2, coverage=None,
              perf={"file": path.name, "records": records, "changes": changes_to_json({key: change})})
    result = combine(run_gates, proj)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 baseline changes written to .performance_baselines.json" in result.stdout
    stored = baselines.load(path)
    assert sorted(stored) == ["tests/test_mod.py::test_f1", "tests/test_mod.py::test_f2", "tests/test_old.py::test_kept"]
    assert stored["tests/test_mod.py::test_f2"].runs == ((3.0, 3.2),) and stored["tests/test_mod.py::test_f2"].memory == 4096


def test_a_regressed_benchmark_and_the_largest_shard_budgets(run_gates: Callable[..., Completed], proj: Path) -> None:
    key = "tests/test_mod.py::test_f1"
    regressed = {key: LastVerdict(Verdict.REGRESSED, 1.5)}
    shard(proj / "shards", proj, 1, total=2, coverage=None, max_duration=1.5, max_memory=100_000_001,
          perf={"file": ".performance_baselines.json", "changes": changes_to_json(regressed),
                "records": [{"key": key, "verdict": "regressed", "ratio": 1.5}]})
    shard(proj / "shards", proj, 2, total=2, coverage=None, max_duration=1.5, max_memory=100_000_001)
    result = combine(run_gates, proj, "--format", "json")
    assert result.returncode == 1
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert any(m.startswith(f"benchmark {key} regressed (1.50x its baseline) in shard 1 (1)") for m in messages)
    assert any("shard 2 (2)" in m and "took 2.00 s, max-duration 1.5 s" in m for m in messages)
    assert any("shard 2 (2)" in m and "peaked at 100,000,002 bytes, max-memory 100,000,001 bytes" in m for m in messages)


def test_failed_tests_in_a_shard_fail_the_combined_verdict(run_gates: Callable[..., Completed], proj: Path) -> None:
    shard(proj / "shards", proj, 1, total=2)
    shard(proj / "shards", proj, 2, total=2, counts={"passed": 0, "failed": 1}, exitstatus=1)
    result = combine(run_gates, proj)
    assert result.returncode == 1
    assert "2 of 2 shards, 2 tests: 1 passed, 1 failed" in result.stdout


def test_a_shard_checked_out_elsewhere_maps_onto_the_root(run_gates: Callable[..., Completed], proj: Path) -> None:
    elsewhere = Path("/home/runner/work/other-checkout")
    for i in (1, 2):
        where = shard(proj / "shards", proj, i, total=2, root=str(elsewhere)).parent
        from coverage import CoverageData

        data = CoverageData(basename=str(where / f"{COVERAGE_PREFIX}{i}"))
        data.erase()
        data = CoverageData(basename=str(where / f"{COVERAGE_PREFIX}{i}"))
        data.add_lines({str(elsewhere / "pkg" / "mod.py"): DEFS + [2 + 6 * (i - 1), 3 + 6 * (i - 1)]})
        data.write()
    result = combine(run_gates, proj, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert coverage_row(result)["measured"] == 50.0  # the sources read from proj: 8 of 16


def test_a_shard_cut_short_is_incomplete(run_gates: Callable[..., Completed], proj: Path) -> None:
    shard(proj / "shards", proj, 1, total=2)
    shard(proj / "shards", proj, 2, total=2, exitstatus=2)  # interrupted, or a collection error
    (message,) = incomplete(combine(run_gates, proj, "--format", "json"))
    assert "shard 2 (2)" in message and "ended with pytest exit status 2 (interrupted)" in message


def test_a_record_never_points_outside_its_folder_or_the_project(run_gates: Callable[..., Completed], proj: Path) -> None:
    shard(proj / "shards", proj, 1, total=1, coverage={"data": "../../elsewhere/.coverage"})
    assert "is not a file name beside the record" in input_error(combine(run_gates, proj))
    shard(proj / "shards", proj, 1, total=1, coverage=None,
          perf={"file": "../outside.json", "records": [], "changes": {}})
    assert "perf file '../outside.json' is not a path inside the project" in input_error(combine(run_gates, proj))
    assert not (proj.parent / "outside.json").exists()


def test_min_file_and_changed_lines_are_judged_on_the_whole_run(run_gates: Callable[..., Completed], proj: Path) -> None:
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    module = proj / "pkg" / "mod.py"
    module.write_text(MODULE.rsplit("def f3", 1)[0])
    subprocess.run(["git", "init", "-q"], cwd=proj, check=True)
    subprocess.run(["git", "add", "-A"], cwd=proj, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=proj, check=True)
    module.write_text(MODULE)  # f3, lines 19-22, is the change
    subprocess.run([*git, "commit", "-qam", "f3"], cwd=proj, check=True)
    options = {"fail_under": 0.0, "min_file": 70.0, "diff_base": "HEAD~1", "diff_fail_under": 80.0}
    for i in (1, 2, 3, 4):
        lines = DEFS + ([2, 3] if i == 1 else [20, 21] if i == 4 else [])
        shard(proj / "shards", proj, i, lines=lines, coverage={"data": f"{COVERAGE_PREFIX}{i}", **options})
    result = combine(run_gates, proj, "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    row = coverage_row(result)
    assert row["summary"] == ("total 50.00 % (no floor set) (line); 1 file < min-file 70 %: pkg/mod.py 50.00 %; "
                              "changed lines 75.00 % < 80 % (3 of 4 since HEAD~1)")
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert "changed lines not covered: 22 (3 of 4 changed lines covered)" in messages
