"""How trustworthy is GT303 on this machine? False alarms and detections, against
pytest-benchmark's ``--benchmark-compare-fail=median:20%`` on the same pytest runs.

A temporary git project holds one workload (package ``wl``) measured twice per run: by
gates' ``perf`` fixture and by pytest-benchmark's ``benchmark`` fixture. Each case is a
branch whose ``wl`` does proportionally more work (1.3x slower: 1.3 times the loop, the
array, the text). First ``--saves`` runs of the unchanged code save baselines (gates keeps
every run's samples; pytest-benchmark compares against the first saved run). Then
``--runs`` rounds, each one run per case (unchanged: a false alarm if flagged; slowed:
detected if flagged), interleaved so that both tools and all cases meet the same machine.

``--ab`` judges gates in A/B mode instead (``--gates-perf-against=base``: the unchanged
code measured in the same run; cases 1.0x, 1.1x, 1.3x); pytest-benchmark still compares
against its saved run. ``--busy`` keeps one spinning process per core running meanwhile
(a shared CI runner).

    python benchmarks/perf_gate_accuracy.py --runs 6 --workload numpy,long,regex,micro [--busy] [--ab]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The measured workloads; FACTOR (written into each case's branch) scales the work.
WORKLOADS = {
    # integer arithmetic loop, ~0.2 ms (the workload GT303 was tuned on)
    "arith": "def work():\n    total = 0\n    for i in range(int(3000 * FACTOR)):\n"
             "        total += i * i % 7\n    return total\n",
    # building a list of strings (allocation)
    "alloc": "def work():\n    return [str(i) for i in range(int(400 * FACTOR))]\n",
    # a numpy array operation: C code, memory bound (~0.5 ms)
    "numpy": "import numpy as np\nA = np.arange(int(200_000 * FACTOR), dtype=np.float64)\n"
             "B = A[::-1].copy()\n\n\ndef work():\n    return float((A * 1.5 + B).sum())\n",
    # a pure-Python call of tens of milliseconds: few samples fit in 0.4 s
    "long": "def work():\n    total = 0\n    for i in range(int(300_000 * FACTOR)):\n"
            "        total += i * i % 7\n    return total\n",
    # a regular-expression search: C code of the regex engine (~0.3 ms)
    "regex": "import re\nTEXT = 'abcab1 xyzxy ' * int(2000 * FACTOR)\nPATTERN = re.compile(r'(ab|xy)+[0-9]z')\n\n\n"
             "def work():\n    return PATTERN.findall(TEXT)\n",
    # a microsecond call: dict and str building
    "micro": "def work():\n    return {str(i): i for i in range(int(20 * FACTOR))}\n",
}
TESTS = """\
import time

from wl import work


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
STORED_CASES = (1.0, 1.3, 1.5)
AB_CASES = (1.0, 1.1, 1.3)
# The time gate is measured: the peak-memory check is off (a 1.3x longer list of strings
# also takes 1.3x the memory, which alone would flag the alloc workload).
ARGS = ("-q", "-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:cacheprovider",
        "-p", "no:xdist", "--gates-perf-no-memory")


def git(root: Path, *args: str) -> None:
    command = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args]
    subprocess.run(command, cwd=root, check=True, capture_output=True)


def make_project(root: Path, workload: str, cases: tuple[float, ...]) -> None:
    """The ``base`` branch (factor 1) and one branch per case, ``case-<factor>``."""
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\npythonpath = ["src"]\n')
    (root / ".gitignore").write_text(".benchmarks/\n.performance_baselines.json*\ngates_seconds.txt\n")
    (root / "test_workload.py").write_text(TESTS)
    package = root / "src" / "wl"
    package.mkdir(parents=True)
    git(root, "init", "-q", "-b", "base")
    for factor in cases:
        if factor != 1.0:
            git(root, "checkout", "-q", "-b", f"case-{factor}", "base")
        (package / "__init__.py").write_text(f"FACTOR = {factor}\n" + WORKLOADS[workload])
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"factor {factor}")
        if factor == 1.0:
            git(root, "branch", "case-1.0")
    git(root, "checkout", "-q", "base")


def run(root: Path, factor: float, *args: str) -> tuple[str, int]:
    git(root, "checkout", "-q", f"case-{factor}")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *ARGS, *args], cwd=root, env={**os.environ, "NO_COLOR": "1"},
        capture_output=True, text=True, timeout=900,
    )
    return proc.stdout + proc.stderr, proc.returncode


def verdicts(output: str) -> tuple[bool, bool, float]:
    """(gates flagged, pytest-benchmark flagged, gates' ratio). gates' verdict is read
    from its failure message, which pytest prints before any summary."""
    gates = "GT303 perf: test_workload.py::test_gates regressed" in output
    benchmark = "Performance has regressed" in output
    ratio = re.search(r"^\S*test_gates\s.*?\s([0-9.]+)x\s", output, re.MULTILINE)
    return gates, benchmark, float(ratio.group(1)) if ratio else float("nan")


@contextmanager
def busy(on: bool) -> Iterator[None]:
    """One spinning process per core while the block runs (stopped by their ids)."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                for _ in range((os.cpu_count() or 1) if on else 0)]
    try:
        yield
    finally:
        for proc in spinners:
            proc.kill()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", "--rounds", dest="runs", type=int, default=30,
                        help="rounds: one run of each case per round (default 30)")
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--timer", choices=("wall", "cpu"), default="wall",
                        help="gates' timer (pytest-benchmark keeps its default)")
    parser.add_argument("--workload", default="arith",
                        help=f"comma-separated, of {', '.join(WORKLOADS)} (or all)")
    parser.add_argument("--busy", action="store_true", help="one spinning process per core")
    parser.add_argument("--ab", action="store_true",
                        help="gates in A/B mode (--gates-perf-against=base) instead of stored baselines")
    ns = parser.parse_args(argv)
    # a stopped script stops its spinning processes too (their `finally`)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    names = list(WORKLOADS) if ns.workload == "all" else ns.workload.split(",")
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload {', '.join(unknown)}; choose from {', '.join(WORKLOADS)}")
    rows = []
    with busy(ns.busy):
        for name in names:
            rows.append(measure_workload(name, ns))
    table(rows, ns)
    return 0


def measure_workload(name: str, ns: argparse.Namespace) -> list[str]:
    cases = AB_CASES if ns.ab else STORED_CASES
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_project(root, name, cases)
        timer = f"--gates-perf-timer={ns.timer}"
        load = os.getloadavg()[0]
        for _ in range(ns.saves):
            output, code = run(root, 1.0, "--gates-perf=save", timer, "--benchmark-save=base")
            if code != 0:
                sys.stderr.write(output)
                raise SystemExit(1)
        extra = ("--gates-perf-against=base",) if ns.ab else ()
        row = rounds(root, ns.runs, cases, timer, *extra)
        sys.stdout.write(f"workload {name}; {'A/B' if ns.ab else 'stored'}; gates timer: {ns.timer}; "
                         f"{ns.saves} saved runs; {'busy' if ns.busy else 'quiet'}; load average "
                         f"{load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end\n\n")
    return [name, *row]


def rounds(root: Path, count: int, cases: tuple[float, ...], *args: str) -> list[str]:
    """Each case in turn, ``count`` times; print the rates and the spread; the table row."""
    flagged = {case: [0, 0] for case in cases}
    ratios: dict[float, list[float]] = {case: [] for case in cases}
    seconds: dict[float, list[float]] = {case: [] for case in cases}
    started = time.perf_counter()
    for round_ in range(count):
        for case in cases:
            output, _ = run(root, case, *args, "--benchmark-compare=0001",
                            "--benchmark-compare-fail=median:20%")
            gates, other, ratio = verdicts(output)
            flagged[case][0] += gates
            flagged[case][1] += other
            seconds[case].append(float((root / "gates_seconds.txt").read_text()))
            ratios[case].append(ratio)
        sys.stderr.write(f"round {round_ + 1}/{count}: {flagged}\n")
    report(flagged, count, seconds, time.perf_counter() - started)
    spread(ratios)
    rates = [f"{flagged[case][0]}/{count}, {flagged[case][1]}/{count}" for case in cases]
    times = [f"{statistics.median(seconds[case]):.2f}" for case in (cases[0], cases[-1])]
    return [*rates, " / ".join(times)]


def report(flagged: dict[float, list[int]], rounds: int, seconds: dict[float, list[float]],
           total: float) -> None:
    out = sys.stdout.write
    out(f"{rounds} rounds x {len(flagged)} cases, {total:.0f} s\n")
    out(f"{'case':<26}{'gates GT303':>14}{'pytest-benchmark median:20%':>30}\n")
    for case, (g, b) in flagged.items():
        label = "unchanged (false alarm)" if case == 1.0 else f"{case}x slower (detected)"
        out(f"{label:<26}{100 * g / rounds:>13.1f}%{100 * b / rounds:>29.1f}%\n")
    for case, values in seconds.items():  # a flagged benchmark is measured twice
        valid = sorted(values)
        out(f"gates perf time per benchmark at {case}x: median {valid[len(valid) // 2]:.2f} s, "
            f"max {valid[-1]:.2f} s\n")


def spread(ratios: dict[float, list[float]]) -> None:
    """gates' ratio per case: geometric mean and run-to-run spread (sd of the log), the
    figure that decides how well any threshold can separate the cases."""
    out = sys.stdout.write
    for case, values in ratios.items():
        logs = [math.log(v) for v in values if v == v and v > 0]
        if len(logs) >= 2:
            out(f"gates ratio at {case}x: geometric mean {math.exp(statistics.fmean(logs)):.3f}, "
                f"sd of log {statistics.stdev(logs):.3f}, range {min(values):.2f}-{max(values):.2f}\n")


def table(rows: list[list[str]], ns: argparse.Namespace) -> None:
    """The rows for the docs' table: flagged counts as gates, pytest-benchmark."""
    cases = AB_CASES if ns.ab else STORED_CASES
    mode = f"{'A/B' if ns.ab else 'stored baselines'}, {'busy' if ns.busy else 'quiet'}"
    out = sys.stdout.write
    out(f"| workload ({mode}) | unchanged: flagged (gates, pytest-benchmark) | "
        + " | ".join(f"{c}x: detected" for c in cases[1:]) + " | gates s per benchmark (1.0x / "
        f"{cases[-1]}x) |\n")
    out("|---" * (len(cases) + 2) + "|\n")
    for row in rows:
        out("| " + " | ".join(row) + " |\n")


if __name__ == "__main__":
    raise SystemExit(main())
