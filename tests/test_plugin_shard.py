"""`pytest --gates-shard=DIR` in real runs (pytester): the record each shard writes, under
pytest-xdist and pytest-split, and a real suite run whole and as 4 shards giving the same
coverage figure, the same verdicts and the same merged baselines through `gates combine`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import run_gates_in_process

pytest_plugins = ["pytester"]
NO_RANDOMLY = ("-p", "no:randomly", "-p", "no:hypothesispytest")

MODULES = {
    f"m{i}": f"def f{i}(x):\n    if x > {i}:\n        return 'big'\n    y = x * 2\n    return y\n\n\n"
    f"def g{i}():\n    return {i}\n"
    for i in range(1, 5)
}
# Four test files, one per module; files 3 and 4 also hold a benchmark. f4's big branch
# is never run, g2 never called: the figure is below 100 %.
TESTS = {
    "test_m1": "from pkg.m1 import f1, g1\n\ndef test_one():\n    assert f1(5) == 'big'\n\n"
               "def test_two():\n    assert f1(0) == 0 and g1() == 1\n",
    "test_m2": "from pkg.m2 import f2\n\ndef test_three():\n    assert f2(1) == 2\n\n"
               "def test_four():\n    assert f2(9) == 'big'\n",
    "test_m3": "import pytest\nfrom pkg.m3 import f3, g3\n\ndef test_five():\n    assert f3(0) == 0\n\n"
               "@pytest.mark.no_cover\ndef test_perf_a(perf):\n    assert perf(g3) == 3\n",
    "test_m4": "import pytest\nfrom pkg.m4 import f4, g4\n\ndef test_six():\n    assert f4(1) == 2\n\n"
               "@pytest.mark.no_cover\ndef test_perf_b(perf):\n    assert perf.memory(g4) == 4\n",
}
FAST_PERF = "[tool.gates.perf]\nsample-time = 0.0002\nsamples = 6\nmeasure-time = 0.01\n"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pkg = pytester.mkpydir("pkg")
    for name, text in MODULES.items():
        (pkg / f"{name}.py").write_text(text)
    pytester.makepyfile(**TESTS)
    pytester.makepyprojecttoml(FAST_PERF)
    (pytester.path / ".coveragerc").write_text("[report]\nprecision = 2\n")
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=pytester.path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=pytester.path, check=True)
    subprocess.run([*git, "commit", "-qm", "suite"], cwd=pytester.path, check=True)
    return pytester


def record_of(folder: Path) -> dict[str, Any]:
    (path,) = folder.glob("gates-shard-*.json")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_under_xdist_the_controller_writes_one_record(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess(*NO_RANDOMLY, "-n", "2", "--cov=pkg", "--gates-fail-under=100",
                                        "--gates-shard=out", "--gates-shard-index=2", "--gates-shard-total=4",
                                        "-k", "test_m1 or test_m2")
    result.assert_outcomes(passed=4)
    assert result.ret == 0  # a shard does not judge its fraction of the coverage
    result.stdout.fnmatch_lines(["gates: shard 2 of 4, record to *out; coverage floors and baselines are left to `gates combine`",
                                 "gates: shard record *written*", "coverage gate not judged in a shard*"])
    assert sorted(p.name for p in (suite.path / "out").iterdir()) == [".coverage.gates-shard-2", "gates-shard-2.json"]
    record = record_of(suite.path / "out")
    assert record["tests"] == ["test_m1.py::test_one", "test_m1.py::test_two",
                               "test_m2.py::test_four", "test_m2.py::test_three"]
    assert (record["index"], record["total"], record["name"]) == (2, 4, "2")
    assert record["counts"] == {"passed": 4, "failed": 0, "skipped": 0, "errors": 0}
    assert len(record["commit"]) == 40 and record["seed"] == 42 and record["peak_memory"] > 0
    assert record["coverage"]["fail_under"] == 100.0


def test_environment_and_pytest_split_name_the_shard(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATES_SHARD_DIR", str(suite.path / "env-out"))
    result = suite.runpytest_subprocess(*NO_RANDOMLY, "--splits", "3", "--group", "3", "-p", "no:cov")
    assert result.ret == 0
    record = record_of(suite.path / "env-out")
    assert (record["index"], record["total"]) == (3, 3) and record["coverage"] is None
    assert record["perf"]["records"] or record["tests"]


def test_a_bad_shard_index_is_a_usage_error(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess(*NO_RANDOMLY, "--gates-shard=out", "--gates-shard-index=5",
                                        "--gates-shard-total=4")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*gates: shard index 5 is beyond the 4 shards*"])


def _coverage_total(path: Path) -> str:
    out = subprocess.run([sys.executable, "-m", "coverage", "report"], cwd=path, check=True,
                         capture_output=True, text=True).stdout
    return next(line for line in out.splitlines() if line.startswith("TOTAL")).split()[-1]


def _baselines(path: Path) -> dict[str, tuple[int, bool]]:
    """Each benchmark's number of stored runs and whether it kept its memory: what must
    match between a whole run and combined shards (the timings themselves differ)."""
    data = json.loads((path / ".performance_baselines.json").read_text())["benchmarks"]
    return {key: (len(entry["runs"]), "memory" in entry) for key, entry in data.items()}


def _combined(suite: pytest.Pytester, shards: list[list[str]]) -> dict[str, Any]:
    """Run each shard (its own arguments), then `gates combine`; the JSON scorecard."""
    (suite.path / ".performance_baselines.json").unlink(missing_ok=True)
    for i, args in enumerate(shards, start=1):
        result = suite.runpytest_subprocess(*NO_RANDOMLY, "--cov=pkg", "--cov-report=", "--gates-fail-under=90",
                                            "--gates-perf=save", f"--gates-shard=shards/{i}", *args)
        assert result.ret == 0, result.stdout.str()
    done = run_gates_in_process("combine", "shards", "--expect", str(len(shards)), "--format", "json",
                                cwd=suite.path)
    assert done.returncode == 1, done.stdout + done.stderr  # 82.14 % < 90 %, as in the whole run
    os.replace(suite.path / "shards", suite.path / f"shards-{len(os.listdir(suite.path))}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.slow
def test_whole_and_sharded_runs_agree(suite: pytest.Pytester) -> None:
    whole = suite.runpytest_subprocess(*NO_RANDOMLY, "--cov=pkg", "--cov-report=", "--gates-fail-under=90",
                                       "--gates-perf=save")
    whole.assert_outcomes(passed=8)
    assert whole.ret == pytest.ExitCode.TESTS_FAILED
    (verdict,) = [line for line in whole.outlines if line.startswith("GT301 coverage")]
    figure, baselines = _coverage_total(suite.path), _baselines(suite.path)
    assert verdict == f"GT301 coverage FAILED: total {figure} < 90% (line)" and figure == "82.14%"
    # The -n 2 shards hold no benchmark: under pytest-xdist, pytest-cov's no_cover mark does
    # not stop the workers' tracer, and a traced benchmark is never saved.
    split = [["--splits", "4", "--group", str(i)] + (["-n", "2"] if i == 2 else []) for i in range(1, 5)]
    by_file = [["-k", f"test_m{i}", "--gates-shard-index", str(i), "--gates-shard-total", "4"]
               + (["-n", "2"] if i == 1 else []) for i in range(1, 5)]
    for shards in (split, by_file):
        combined = _combined(suite, shards)
        rows = {row["code"]: row for row in combined["gates"]}
        assert rows["GT300"]["summary"] == "4 of 4 shards, 8 tests: 8 passed"
        assert f"{rows['GT301']['measured']:.2f}%" == figure == _coverage_total(suite.path)
        assert f"GT301 coverage FAILED: {rows['GT301']['summary']}" == verdict
        assert rows["GT303"]["summary"].startswith("2 benchmarks: 2 saved; 2 baseline changes written")
        assert _baselines(suite.path) == baselines
