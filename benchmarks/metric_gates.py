"""What the metric gates (GT104 type-coverage, GT106 complexity) find and cost on the stdlib.

    python benchmarks/metric_gates.py [--runs 3] [--jobs 0]

Copies the running interpreter's standard library, tests excluded (the corpus of
benchmarks/static_speed.py less idlelib/idle_test: 734 files on CPython 3.11), then reports the
type-coverage figure and the number of functions over complexity 10 as `gates check`
reports them, and the best-of-N wall time of `gates check` with the AST gates
(GT100-GT103, GT105) alone and with GT104 and GT106 added, runs interleaved.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from static_speed import AST_GATES, build_corpus

WITH_METRICS = AST_GATES + ",GT104,GT106"


def gates(folder: Path, select: str, jobs: int, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "gates", "check", str(folder), "-q", "--no-cache", "--select", select,
               "-j", str(jobs), *extra]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def timed(folder: Path, select: str, jobs: int) -> float:
    start = time.perf_counter()
    gates(folder, select, jobs)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="gates -j (0 = automatic)")
    args = parser.parse_args()
    out = sys.stdout
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "stdlib"
        files = build_corpus(folder)
        # idlelib/idle_test is IDLE's test folder too, though not named tests/ or test/
        idle_tests = folder / "idlelib" / "idle_test"
        files = [f for f in files if idle_tests not in f.parents]
        shutil.rmtree(idle_tests, ignore_errors=True)
        out.write(f"corpus: {len(files)} files (Python {sys.version.split()[0]})\n")
        report = json.loads(gates(folder, "GT104,GT106", args.jobs, "--format", "json").stdout)
        by_code = {g["code"]: g for g in report["gates"]}
        coverage, complexity = by_code["GT104"], by_code["GT106"]
        out.write(f"type coverage: {coverage['measured']:.2f} % ({coverage['summary']})\n")
        out.write(f"functions over complexity 10: {complexity['violations']} "
                  f"({complexity['summary']})\n")
        base, metrics = [], []
        for _ in range(args.runs):  # interleaved: both see the same machine
            base.append(timed(folder, AST_GATES, args.jobs))
            metrics.append(timed(folder, WITH_METRICS, args.jobs))
        added = min(metrics) - min(base)
        out.write(f"gates check -j {args.jobs}, best of {args.runs}: {AST_GATES} {min(base):.2f} s; "
                  f"+GT104,GT106 {min(metrics):.2f} s; added {added:.2f} s "
                  f"({100 * added / min(base):.0f} %)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
