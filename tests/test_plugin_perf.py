"""GT303 and budgets as users meet them: real pytest runs (pytester), also under `-n 2`.

Verdicts must not depend on this machine's speed: compared baselines are written by the
tests with samples far below (certain regression) or far above (certain pass) anything a
real measurement gives.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from gates.perf import baselines as perf_baselines
from gates.perf.records import Fingerprint, PerfEntry, Verdict

pytest_plugins = ["pytester"]

QUIET = ("-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:benchmark")
FAST = """\
[tool.gates.perf]
sample-time = 0.0002
samples = 6
"""
BENCH = """\
def work(n):
    return sum(i * i for i in range(n))

def test_speed(perf):
    assert perf(work, 50) == sum(i * i for i in range(50))

def test_named(perf):
    perf(work, 10, name="small")
    assert perf.memory(lambda: [0] * 1000, name="mem") == [0] * 1000
"""
FILE = ".performance_baselines.json"


@pytest.fixture
def bench(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".toml", pyproject=FAST)
    pytester.makepyfile(test_bench=BENCH)
    return pytester


def stored(pytester: pytest.Pytester) -> dict[str, PerfEntry]:
    return perf_baselines.load(pytester.path / FILE)


def write_baseline(pytester: pytest.Pytester, ratio: float, **extra: Any) -> None:
    fields = {"median": ratio, "fingerprint": perf_baselines.fingerprint(), **extra}
    benchmarks = {"test_bench.py::test_speed": PerfEntry(((ratio,) * 6,), **fields)}
    (pytester.path / FILE).write_text(perf_baselines.dumps(benchmarks))


def test_save_then_runs_accumulate(bench: pytest.Pytester) -> None:
    result = bench.runpytest(*QUIET, "--gates-perf=save")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*gates: performance (GT303)*", "*test_speed*saved", "3 baseline(s) saved*"])
    first = stored(bench)
    assert set(first) == {
        "test_bench.py::test_speed",
        "test_bench.py::test_named::small",
        "test_bench.py::test_named::mem",
    }
    assert first["test_bench.py::test_named::mem"].runs == ()
    assert first["test_bench.py::test_speed"].timer == "wall"
    # A wide limit: a run this machine's load shifts by more than 20 % would start a new level.
    again = bench.runpytest(*QUIET, "--gates-perf=save", "--gates-perf-timer=cpu", "--gates-perf-max-regression=1000")
    again.assert_outcomes(passed=2)
    second = stored(bench)["test_bench.py::test_speed"]
    assert len(second.runs) == 2
    assert second.timer == "cpu"


def test_no_baseline_passes_and_says_so(bench: pytest.Pytester) -> None:
    result = bench.runpytest(*QUIET)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_speed*no baseline"])
    assert not (bench.path / FILE).exists()


def test_regression_fails_and_is_recorded(bench: pytest.Pytester) -> None:
    write_baseline(bench, 1e-9)
    result = bench.runpytest(*QUIET)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*GT303 perf: test_bench.py::test_speed regressed:*slower*--gates-perf=accept*"])
    last = stored(bench)["test_bench.py::test_speed"].last
    assert last is not None and last.verdict == Verdict.REGRESSED


def test_much_slower_baseline_passes(bench: pytest.Pytester) -> None:
    write_baseline(bench, 1e9)
    result = bench.runpytest(*QUIET)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_speed*faster"])


def test_threshold_option_is_used(bench: pytest.Pytester) -> None:
    write_baseline(bench, 1e-9)
    result = bench.runpytest(*QUIET, "--gates-perf-max-regression=1e15")
    result.assert_outcomes(passed=2)


def test_other_machine_is_skipped_unless_asked(bench: pytest.Pytester) -> None:
    write_baseline(bench, 1e-9, fingerprint=Fingerprint("elsewhere", 64, "3.11", "CPython"))
    result = bench.runpytest(*QUIET)
    result.assert_outcomes(passed=2, warnings=1)
    result.stdout.fnmatch_lines(["*saved on another machine*", "*test_speed*other machine"])
    bench.runpytest(*QUIET, "--gates-perf-any-machine").assert_outcomes(passed=1, failed=1)


def test_off_measures_nothing(bench: pytest.Pytester) -> None:
    write_baseline(bench, 1e-9)
    before = (bench.path / FILE).read_text()
    result = bench.runpytest(*QUIET, "--gates-perf=off")
    result.assert_outcomes(passed=2)
    assert "GT303" not in result.stdout.str()
    assert (bench.path / FILE).read_text() == before


def test_memory_regression_is_switchable(bench: pytest.Pytester) -> None:
    entry = PerfEntry((), memory=10, fingerprint=perf_baselines.fingerprint())
    key = "test_bench.py::test_named::mem"
    (bench.path / FILE).write_text(perf_baselines.dumps({key: entry}))
    result = bench.runpytest(*QUIET)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*GT303 perf: *::mem regressed: peak memory*"])
    bench.runpytest(*QUIET, "--gates-perf-no-memory").assert_outcomes(passed=2)


def test_corrupt_file_is_a_usage_error(bench: pytest.Pytester) -> None:
    (bench.path / FILE).write_text("{broken")
    result = bench.runpytest(*QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{FILE}: not a valid baseline file (invalid JSON at line 1)*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert (bench.path / FILE).read_text() == "{broken"


def test_a_field_of_the_wrong_type_is_one_usage_error_not_a_crash_in_every_test(
    bench: pytest.Pytester,
) -> None:
    text = perf_baselines.dumps({"test_bench.py::test_speed": PerfEntry(((1.0,),))})
    text = text.replace('"runs"', '"memory": "96 B",\n      "runs"')
    (bench.path / FILE).write_text(text)
    result = bench.runpytest(*QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([
        f"*{FILE}: not a valid baseline file (entry 'test_bench.py::test_speed' has \"memory\" "
        "'96 B', not a whole number of bytes); repair it, or delete it and run `pytest --gates-perf=save`"
    ])
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output and "TypeError" not in output
    assert (bench.path / FILE).read_text() == text


def test_a_file_nested_100000_deep_is_one_usage_error(bench: pytest.Pytester) -> None:
    bomb = "[" * 100_000 + "]" * 100_000
    (bench.path / FILE).write_text(bomb)
    result = bench.runpytest(*QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{FILE}: not a valid baseline file (JSON nested too deeply); repair it*"])
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output and "RecursionError" not in output
    assert (bench.path / FILE).read_text() == bomb


def test_a_file_broken_during_the_run_is_an_error_line_and_exit_2(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", pyproject=FAST)
    pytester.makepyfile(test_corrupt=f"""
def test_speed(perf):
    perf(sum, range(10))
    open({FILE!r}, "w").write("{{broken")
""")
    result = pytester.runpytest(*QUIET, "--gates-perf=save")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines([
        f"ERROR: gates: *{FILE}: not a valid baseline file (invalid JSON at line 1)*",
        "test_corrupt.py::test_speed * saved",
    ])
    assert (pytester.path / FILE).read_text() == "{broken"


def test_bad_config_is_a_usage_error(bench: pytest.Pytester) -> None:
    result = bench.runpytest(*QUIET, "--gates-perf-max-regression=-5")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*tool.gates.perf*max-regression*positive*"])


def test_xdist_workers_measure_controller_writes(bench: pytest.Pytester) -> None:
    result = bench.runpytest_subprocess(*QUIET, "-n", "2", "--gates-perf=save")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["3 baseline(s) saved*"])
    assert len(stored(bench)) == 3
    write_baseline(bench, 1e-9)
    result = bench.runpytest_subprocess(*QUIET, "-n", "2")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*test_speed*regressed"])
    assert json.loads((bench.path / FILE).read_text())["benchmarks"]["test_bench.py::test_speed"]["last"]


BUDGETS = """\
import time
import pytest

@pytest.mark.budget(seconds=60, memory="50 MB")
def test_within():
    [0] * 1000

@pytest.mark.budget(seconds=0.001)
def test_too_slow():
    time.sleep(0.05)

@pytest.mark.budget(memory="10 KiB")
def test_too_big():
    x = [0] * 100_000
"""


def test_budget_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_budgets=BUDGETS)
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*budget exceeded: test_budgets.py::test_too_slow took * s, budget 0.001 s*",
        "*budget exceeded: test_budgets.py::test_too_big peak memory *, budget 10,240 bytes*",
    ])


def test_budget_marker_misuse(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("import pytest\n@pytest.mark.budget(memory='lots')\ndef test_x(): pass\n")
    result = pytester.runpytest(*QUIET)
    result.stdout.fnmatch_lines(["*memory budget 'lots': expected bytes or a size like '50 MB'*"])
    assert result.ret != 0


@pytest.mark.parametrize("xdist", [(), ("-n", "2")])
def test_max_duration(pytester: pytest.Pytester, xdist: tuple[str, ...]) -> None:
    pytester.makepyfile("import time\ndef test_a(): time.sleep(0.2)\ndef test_b(): pass\n")
    run = pytester.runpytest_subprocess if xdist else pytester.runpytest
    result = run(*QUIET, *xdist, "--gates-max-duration=0.1")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*gates: session duration FAILED: * s (max-duration 0.1 s)*"])
    result = run(*QUIET, *xdist, "--gates-max-duration=600")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*gates: session duration passed*"])


BIG = """\
def test_big():
    block = bytearray(300 * 10**6)  # zero pages are only resident once written
    block[::4096] = b"x" * len(block[::4096])
    assert block[0] == ord("x")

def test_small():
    pass
"""


@pytest.mark.parametrize("xdist", [(), ("-n", "2")])
def test_max_memory_counts_the_largest_process(pytester: pytest.Pytester, xdist: tuple[str, ...]) -> None:
    pytester.makepyfile(test_big=BIG)
    # No pytest process stays under 150 MB with a 300 MB block resident; under -n 2 the
    # block lives in a worker, so only the worker's report can fail the session.
    result = pytester.runpytest_subprocess(*QUIET, *xdist, "--gates-max-memory=150MB")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=2)
    processes = "largest of 3 processes" if xdist else "one process"
    result.stdout.fnmatch_lines([
        f"*gates: session peak memory FAILED: * MB ({processes}, peak RSS; max-memory 150.0 MB)*"
    ])
    result = pytester.runpytest_subprocess(*QUIET, *xdist, "--gates-max-memory=100 GB")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*gates: session peak memory passed: * MB (*max-memory 100 GB)*"])


def test_max_memory_in_config_and_bad_values(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_a(): pass\n")
    pytester.makefile(".toml", pyproject="[tool.gates.perf]\nmax-memory = 1000\n")
    result = pytester.runpytest_subprocess(*QUIET)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*gates: max-memory 1.0 kB peak RSS per process*",
                                 "*session peak memory FAILED*max-memory 1.0 kB)*"])
    result = pytester.runpytest_subprocess(*QUIET, "--gates-max-memory=lots")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--gates-max-memory*expected bytes or a size like 1.2GB*"])
    pytester.makefile(".toml", pyproject='[tool.gates.perf]\nmax-memory = "1.2 GB"\n')
    result = pytester.runpytest_subprocess(*QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*tool.gates.perf*max-memory: expected*"])
