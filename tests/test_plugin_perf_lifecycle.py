"""GT303 baselines over a project's life (issue 15): measured under a tracer is never
judged nor saved; an intended slowdown is accepted; baselines of deleted tests are pruned."""

from __future__ import annotations

import sys

import pytest
from test_plugin_perf import FILE, QUIET, bench, stored, write_baseline  # noqa: F401 (fixture)

from gates.perf import baselines as perf_baselines
from gates.perf.records import LastVerdict, PerfEntry, Verdict
from tests.conftest import Completed, run_gates_in_process

pytest_plugins = ["pytester"]
SPEED = "test_bench.py::test_speed"


def gates_check(bench: pytest.Pytester, *args: str) -> Completed:
    return run_gates_in_process("check", *args, ".", cwd=bench.path)


def entry(ratio: float, runs: int = 1) -> PerfEntry:
    return PerfEntry(((ratio,) * 6,) * runs, median=ratio, fingerprint=perf_baselines.fingerprint())


@pytest.mark.parametrize("how", ["pytest-cov", "coverage run", "profiler"])
def test_under_a_tracer_nothing_is_judged(bench: pytest.Pytester, how: str) -> None:
    write_baseline(bench, 1e-9)  # any real measurement is a regression against it
    before = (bench.path / FILE).read_text()
    command = [sys.executable, "-m", "pytest", *QUIET]
    if how == "pytest-cov":
        command.append("--cov=.")
    elif how == "coverage run":
        command[1:3] = ["-m", "coverage", "run", "-m", "pytest"]
    else:
        bench.makeconftest("import sys\nsys.setprofile(lambda *args: None)\n")
    result = bench.run(*command)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        f"{SPEED}*not judged (tracer)", "3 measurement(s) not judged and not saved: measured under *"
    ])
    assert "--gates-perf=save" not in result.stdout.str()
    assert (bench.path / FILE).read_text() == before  # not even a "last" verdict


def test_under_a_tracer_nothing_is_saved(bench: pytest.Pytester) -> None:
    result = bench.run(sys.executable, "-m", "pytest", *QUIET, "--cov=.", "--gates-perf=save")
    result.assert_outcomes(passed=2)
    assert "baseline(s) saved" not in result.stdout.str()
    assert not (bench.path / FILE).exists()


def test_accept_replaces_the_stored_runs(bench: pytest.Pytester) -> None:
    write_baseline(bench, 1e-9)
    bench.runpytest(*QUIET).assert_outcomes(passed=1, failed=1)
    accepted = bench.runpytest(*QUIET, "--gates-perf=accept")
    accepted.assert_outcomes(passed=2)
    accepted.stdout.fnmatch_lines(["3 baseline(s) accepted as the new *"])
    assert len(stored(bench)[SPEED].runs) == 1
    bench.runpytest(*QUIET).assert_outcomes(passed=2)


def test_one_save_of_a_slower_version_is_the_new_level(bench: pytest.Pytester) -> None:
    """Averaged with the old runs, one slower run would leave the next at "2x ... ok"."""
    (bench.path / FILE).write_text(perf_baselines.dumps({SPEED: entry(1e-9, runs=3)}))
    bench.runpytest(*QUIET, "--gates-perf=save").assert_outcomes(passed=2)
    runs = stored(bench)[SPEED].runs
    assert len(runs) == 1 and min(runs[0]) > 1e-6
    result = bench.runpytest(*QUIET)
    result.assert_outcomes(passed=2)
    row = next(line for line in result.outlines if line.startswith(SPEED))
    ratio = float(row.split()[3].rstrip("x"))
    assert 0.5 < ratio < 2.0, row


@pytest.mark.parametrize("xdist", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_prune_drops_baselines_of_tests_that_no_longer_exist(
    bench: pytest.Pytester, xdist: tuple[str, ...]
) -> None:
    bench.makepyfile(test_other="def test_y():\n    pass\n")
    entries = {key: entry(1e9) for key in (
        SPEED, "test_bench.py::test_gone", "test_bench.py::test_speed::renamed_name",
        "test_deleted.py::test_x", "test_other.py::test_y",
    )}
    # the deleted tests' last verdicts were regressions: `gates check` kept failing on them
    for gone in ("test_bench.py::test_gone", "test_deleted.py::test_x"):
        entries[gone] = entries[gone]._replace(last=LastVerdict(Verdict.REGRESSED, 2.05))
    (bench.path / FILE).write_text(perf_baselines.dumps(entries))
    assert gates_check(bench, "--select", "GT303").returncode == 1
    result = bench.runpytest_subprocess(*QUIET, *xdist, "test_bench.py", "--gates-perf=prune")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        "pruned 2 baseline(s) of tests that no longer exist: test_bench.py::test_gone, test_deleted.py::test_x"
    ])
    # test_other.py was not collected by this session: its entry stays. A named
    # measurement of a test that still exists stays too (the test may skip it this run).
    kept = stored(bench)
    assert set(kept) == {SPEED, "test_bench.py::test_speed::renamed_name", "test_other.py::test_y"}
    last = kept[SPEED].last
    assert last is not None and last.verdict == Verdict.FASTER
    assert gates_check(bench, "--select", "GT303").returncode == 0
