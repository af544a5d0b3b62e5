"""Where GT303's noise comes from: the run-to-run spread of candidate estimators.

Runs ``--processes`` separate pytest processes per case (unchanged, 1.3x and 1.5x slower
work, interleaved in time). Each one collects, for about ``--seconds``, interleaved pairs
(reference workload, benchmark) of ``--sample-ms`` each, timed with both the wall clock
and the process's CPU time, and stores the raw samples. Then, for each estimator, it
prints the spread between processes of the unchanged case (sd of the log: the noise a
threshold must clear), the shift it sees at 1.3x and 1.5x (its bias), and what a
"more than 20 % above the geometric mean of 3 saved processes" rule would do with it.

    python benchmarks/perf_noise.py --processes 30
    python benchmarks/perf_noise.py --processes 30 --sample-ms 5 --seconds 0.3
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from perf_gate_accuracy import WORKLOADS

PROBE = """\
import json, os, time
from pytest_gates.perf.measure import Sampler, reference_workload

""" + WORKLOADS + """

def timed(func, loops):
    w, c = time.perf_counter, time.process_time
    w0, c0 = w(), c()
    for _ in range(loops):
        func()
    return (w() - w0) / loops, (c() - c0) / loops


def test_probe():
    func = arith if os.environ["WORKLOAD"] == "arith" else alloc
    sampler = Sampler(time.perf_counter, float(os.environ["SAMPLE"]))
    ref_loops, loops = sampler.calibrate(reference_workload), sampler.calibrate(func)
    timed(reference_workload, ref_loops), timed(func, loops)
    pairs, end = [], time.perf_counter() + float(os.environ["SECONDS"])
    while time.perf_counter() < end:
        ref, bench = timed(reference_workload, ref_loops), timed(func, loops)
        pairs.append((bench[0], bench[1], ref[0], ref[1]))
    with open(os.environ["OUT"], "a") as f:
        f.write(json.dumps({"factor": FACTOR, "pairs": pairs}) + "\\n")
"""
CASES = (1.0, 1.3, 1.5)
Pair = Sequence[float]  # wall A, cpu A, wall R, cpu R


def _low(values: list[float]) -> float:
    return sorted(values)[len(values) // 10]


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _ratio_of(pick: Callable[[list[float]], float], t: int, pairs: list[Pair]) -> float:
    """``pick`` of the benchmark's samples over ``pick`` of the reference's."""
    return pick([p[t] for p in pairs]) / pick([p[t + 2] for p in pairs])


def _of_benchmark(pick: Callable[[list[float]], float], t: int, pairs: list[Pair]) -> float:
    return pick([p[t] for p in pairs])


def _median_ratio(t: int, pairs: list[Pair]) -> float:
    return statistics.median(p[t] / p[t + 2] for p in pairs)


def _estimators() -> dict[str, Callable[[list[Pair]], float]]:
    found: dict[str, Callable[[list[Pair]], float]] = {}
    for t, timer in ((0, "wall"), (1, "cpu")):
        found[f"{timer} median A (no reference)"] = functools.partial(_of_benchmark, _median, t)
        found[f"{timer} minimum A (timeit)"] = functools.partial(_of_benchmark, min, t)
        found[f"{timer} 10th percentile A"] = functools.partial(_of_benchmark, _low, t)
        found[f"{timer} median A/R (GT303)"] = functools.partial(_median_ratio, t)
        found[f"{timer} min A / min R"] = functools.partial(_ratio_of, min, t)
        found[f"{timer} 10th pct A / 10th pct R"] = functools.partial(_ratio_of, _low, t)
    return found


def collect(ns: argparse.Namespace, out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
        (root / "test_probe.py").write_text(PROBE)
        env = {**os.environ, "OUT": str(out), "SAMPLE": str(ns.sample_ms / 1000),
               "SECONDS": str(ns.seconds), "WORKLOAD": ns.workload}
        for i in range(ns.processes):
            for case in CASES:
                subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
                    cwd=root, env={**env, "SLOWDOWN": str(case)}, capture_output=True, timeout=600, check=True,
                )
            sys.stderr.write(f"process {i + 1}/{ns.processes} of each case\n")


def simulated(logs: dict[float, list[float]], saved: int = 3) -> list[float]:
    """Flag rate per case of "log estimate > log level of `saved` other processes + log 1.2"."""
    rng, rates = random.Random(1), []
    for case in CASES:
        hits = total = 0
        for i, value in enumerate(logs[case]):
            pool = [j for j in range(len(logs[1.0])) if case != 1.0 or j != i]
            for _ in range(20):
                level = statistics.fmean(logs[1.0][j] for j in rng.sample(pool, saved))
                hits += value - level > math.log(1.2)
                total += 1
        rates.append(100 * hits / total)
    return rates


def analyse(out: Path) -> None:
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    write = sys.stdout.write
    write(f"{'estimator':<30}{'sd log 1.0x':>12}{'shift 1.3x':>11}{'shift 1.5x':>11}"
          f"{'flagged 1.0x / 1.3x / 1.5x (rule > 1.2, 3 saved)':>50}\n")
    for name, estimate in _estimators().items():
        logs: dict[float, list[float]] = {case: [] for case in CASES}
        for row in rows:
            logs[row["factor"]].append(math.log(estimate(row["pairs"])))
        base = statistics.fmean(logs[1.0])
        shifts = [math.exp(statistics.fmean(logs[c]) - base) for c in (1.3, 1.5)]
        rates = " / ".join(f"{r:5.1f} %" for r in simulated(logs))
        write(f"{name:<30}{statistics.stdev(logs[1.0]):>12.3f}{shifts[0]:>11.3f}{shifts[1]:>11.3f}{rates:>50}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=30, help="pytest processes per case")
    parser.add_argument("--sample-ms", type=float, default=0.5, help="length of one sample")
    parser.add_argument("--seconds", type=float, default=0.4, help="sampling time per process")
    parser.add_argument("--workload", choices=("arith", "alloc"), default="arith")
    parser.add_argument("--keep", type=Path, help="also keep the raw samples in this file (JSON lines)")
    ns = parser.parse_args(argv)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        out = ns.keep or Path(folder) / "samples.jsonl"
        collect(ns, out)
        analyse(out)
    sys.stdout.write(f"{ns.processes} processes per case, {ns.workload}, {ns.sample_ms:g} ms samples for "
                     f"{ns.seconds:g} s; load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
