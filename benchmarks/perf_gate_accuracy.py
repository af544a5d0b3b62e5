"""How trustworthy is GT303 on this machine? False alarms and detections, against
pytest-benchmark's ``--benchmark-compare-fail=median:20%`` on the same pytest runs.

A temporary project holds one workload measured twice per run: by gates' ``perf`` fixture
and by pytest-benchmark's ``benchmark`` fixture. First ``--saves`` runs save baselines
(gates keeps every run's samples; pytest-benchmark compares against the first saved run).
Then ``--rounds`` rounds, each one run unchanged (false alarm if flagged), one with the
workload made 1.3x slower and one 1.5x slower (detected if flagged), interleaved so that
both tools and all three cases meet the same machine conditions.

    python benchmarks/perf_gate_accuracy.py --rounds 30 [--timer cpu] [--workload alloc]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The measured workloads, made SLOWDOWN times slower by doing proportionally more work
# (benchmarks/perf_noise.py measures the same two).
WORKLOADS = """\
FACTOR = float(os.environ.get("SLOWDOWN", "1"))
N = int(3000 * FACTOR)
ALLOC = int(400 * FACTOR)


def arith():
    total = 0
    for i in range(N):
        total += i * i % 7
    return total


def alloc():
    return [str(i) for i in range(ALLOC)]
"""
TESTS = """\
import os
import time

""" + WORKLOADS + """

work = alloc if os.environ.get("WORKLOAD") == "alloc" else arith


def test_gates(perf):
    # timed here: pytest-benchmark's failure cuts the terminal summary (and --durations)
    start = time.perf_counter()
    try:
        perf(work)
    finally:
        with open("gates_seconds.txt", "w") as f:
            f.write(str(time.perf_counter() - start))


def test_pytest_benchmark(benchmark):
    benchmark(work)
"""
CASES = (1.0, 1.3, 1.5)
# The time gate is measured: the peak-memory check is off (a 1.3x longer list of strings
# also takes 1.3x the memory, which alone would flag the alloc workload).
ARGS = ("-q", "-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:cacheprovider",
        "--gates-perf-no-memory")


def run(root: Path, factor: float, *args: str) -> tuple[str, int]:
    env = {**os.environ, "SLOWDOWN": str(factor), "NO_COLOR": "1"}  # WORKLOAD set by main
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *ARGS, *args], cwd=root, env=env,
        capture_output=True, text=True, timeout=600,
    )
    return proc.stdout + proc.stderr, proc.returncode


def verdicts(output: str) -> tuple[bool, bool, float]:
    """(gates flagged, pytest-benchmark flagged, gates' ratio to the baseline). gates'
    verdict is read from its failure message, which pytest prints before any summary."""
    gates = "GT303 perf: test_workload.py::test_gates regressed" in output
    benchmark = "Performance has regressed" in output
    ratio = re.search(r"^\S*test_gates\s.*?\s([0-9.]+)x\s", output, re.MULTILINE)
    return gates, benchmark, float(ratio.group(1)) if ratio else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--timer", choices=("wall", "cpu"), default="wall",
                        help="gates' timer (pytest-benchmark keeps its default)")
    parser.add_argument("--workload", choices=("arith", "alloc"), default="arith",
                        help="integer arithmetic loop, or building a list of strings (allocation)")
    ns = parser.parse_args(argv)
    os.environ["WORKLOAD"] = ns.workload
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
        (root / "test_workload.py").write_text(TESTS)
        timer = f"--gates-perf-timer={ns.timer}"
        load = os.getloadavg()[0]
        for _ in range(ns.saves):
            save = ("--benchmark-save=base",)
            output, code = run(root, 1.0, "--gates-perf=save", timer, *save)
            if code != 0:
                sys.stderr.write(output)
                return 1
        rounds(root, ns.rounds, timer)
        out = sys.stdout.write
        out(f"workload {ns.workload}; gates timer: {ns.timer}; {ns.saves} saved runs; "
            f"load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end\n")
    return 0


def rounds(root: Path, count: int, timer: str) -> None:
    """Unchanged, 1.3x and 1.5x in turn, ``count`` times; print the rates and the spread."""
    flagged = {case: [0, 0] for case in CASES}
    ratios: dict[float, list[float]] = {case: [] for case in CASES}
    seconds: list[float] = []
    started = time.perf_counter()
    for round_ in range(count):
        for case in CASES:
            output, _ = run(root, case, timer, "--benchmark-compare=0001",
                            "--benchmark-compare-fail=median:20%")
            gates, other, ratio = verdicts(output)
            spent = float((root / "gates_seconds.txt").read_text())
            flagged[case][0] += gates
            flagged[case][1] += other
            seconds.append(spent)
            ratios[case].append(ratio)
        sys.stderr.write(f"round {round_ + 1}/{count}: {flagged}\n")
    report(flagged, count, seconds, time.perf_counter() - started)
    spread(ratios)


def report(flagged: dict[float, list[int]], rounds: int, seconds: list[float], total: float) -> None:
    out = sys.stdout.write
    out(f"{rounds} rounds x {len(CASES)} cases, {total:.0f} s\n")
    out(f"{'case':<22}{'gates GT303':>14}{'pytest-benchmark median:20%':>30}\n")
    for case in CASES:
        label = "unchanged (false alarm)" if case == 1.0 else f"{case}x slower (detected)"
        g, b = (100 * n / rounds for n in flagged[case])
        out(f"{label:<22}{g:>13.1f}%{b:>29.1f}%\n")
    for case in CASES:  # a flagged benchmark is measured twice: slowed cases take longer
        valid = sorted(t for t in seconds[CASES.index(case)::len(CASES)] if t == t)
        if valid:
            out(f"gates perf time per benchmark at {case}x: median {valid[len(valid) // 2]:.2f} s, "
                f"max {valid[-1]:.2f} s\n")


def spread(ratios: dict[float, list[float]]) -> None:
    """gates' ratio to the baseline per case: geometric mean and run-to-run spread (sd of
    the log), the figure that decides how well any threshold can separate the cases."""
    out = sys.stdout.write
    for case, values in ratios.items():
        logs = [math.log(v) for v in values if v == v and v > 0]
        if len(logs) >= 2:
            out(f"gates ratio at {case}x: geometric mean {math.exp(statistics.fmean(logs)):.3f}, "
                f"sd of log {statistics.stdev(logs):.3f}, range {min(values):.2f}-{max(values):.2f}\n")


if __name__ == "__main__":
    raise SystemExit(main())
