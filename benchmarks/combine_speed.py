"""`gates combine` on 50 shards of a 2,000-test suite, beside `coverage combine && coverage report`.

    python benchmarks/combine_speed.py [--shards 50] [--tests 2000] [--modules 100] [--runs 5]

Builds a synthetic project in a temporary folder: ``--modules`` source modules of 20
small functions each (about 100 statements a module), and ``--shards`` shard folders as
``pytest --gates-shard=DIR`` writes them: a shard record listing its share of the
``--tests`` test ids (with perf records and a new baseline per shard), and a coverage.py
data file written with coverage.py's ``CoverageData`` API, each shard covering a seeded
random tenth of the functions. Then times, each as a fresh process, interleaved:

- ``gates combine DIR --expect N`` (check the set, combine the coverage data with
  coverage.py, judge it, merge the perf baselines under their lock, print the scorecard);
- the peer: ``coverage combine --keep FILES && coverage report`` on the same data files.

Prints best and median wall time of each and the ratio; the target is under 2 s for
gates combine. Most of either command's time is coverage.py analysing the sources (the
same work `coverage report` does), which grows with the project, not with the shards:
``--modules 200`` (20,000 statements) takes about twice as long for both. Timings on a
shared 2-core machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = 20  # per module; each 5 statements: def, if, return, assignment, return


def module_text(index: int) -> str:
    return "".join(
        f"def f{index}_{k}(x):\n    if x > {k}:\n        return {k}\n    y = x + {k}\n    return y\n\n\n"
        for k in range(FUNCTIONS)
    )


def function_lines(k: int, taken: bool) -> list[int]:
    start = 1 + 7 * k
    return [start, start + 1, start + 2] if taken else [start, start + 1, start + 3, start + 4]


def shard_lines(pkg: Path, modules: int, rng: random.Random) -> dict[str, list[int]]:
    """One shard's executed lines: every def, and a random tenth of the functions run."""
    lines: dict[str, list[int]] = {}
    for m in range(modules):
        chosen = [k for k in range(FUNCTIONS) if rng.random() < 0.1]
        lines[str(pkg / f"mod{m}.py")] = sorted(
            {1 + 7 * k for k in range(FUNCTIONS)}
            | {n for k in chosen for n in function_lines(k, rng.random() < 0.5)})
    return lines


def write_shard(folder: Path, s: int, shards: int, per_shard: int, lines: dict[str, list[int]],
                rng: random.Random) -> None:
    from coverage import CoverageData

    from gates.combine.record import COVERAGE_PREFIX, ShardRecord, changes_to_json, write_record
    from gates.perf.records import Fingerprint, NewRun

    where = folder / "shards" / f"shard-{s}"
    where.mkdir(parents=True)
    data = CoverageData(basename=str(where / f"{COVERAGE_PREFIX}{s}"))
    data.add_lines(lines)
    data.write()
    key = f"tests/test_s{s}.py::test_0"
    change = NewRun(tuple(1.0 + rng.random() / 10 for _ in range(50)), 1.05, 0.001, 4096,
                    "ratio", "wall", Fingerprint("synthetic", 2, "3.11", "CPython"))
    record = ShardRecord(
        name=str(s), number=s, total=shards, commit="0" * 40, config="synthetic",
        tests=tuple(f"tests/test_s{s}.py::test_{t}" for t in range(per_shard)),
        counts={"passed": per_shard}, exitstatus=0, seed=42, duration=60.0 + s, peak_memory=10**8,
        max_duration=600.0, max_memory=2 * 10**9, root=str(folder),
        coverage={"data": f"{COVERAGE_PREFIX}{s}", "fail_under": 80.0, "floor_from": "", "min_file": 0.0,
                  "diff_base": "", "diff_fail_under": 80.0},
        perf={"file": ".performance_baselines.json", "max_regression": 20.0, "mode": "save",
              "records": [{"key": key, "verdict": "saved"}], "changes": changes_to_json({key: change})},
    )
    write_record(where, record)


def build(folder: Path, shards: int, tests: int, modules: int) -> None:
    sys.path.insert(0, str(ROOT))
    pkg = folder / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    for m in range(modules):
        (pkg / f"mod{m}.py").write_text(module_text(m))
    (folder / ".coveragerc").write_text("[report]\nprecision = 2\n")
    rng = random.Random(19)
    for s in range(1, shards + 1):
        write_shard(folder, s, shards, tests // shards, shard_lines(pkg, modules, rng), rng)


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    spent = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr}")
    return spent, proc.stdout


def show(args: argparse.Namespace, scorecard: dict[str, Any], report: str,
         ours: list[float], peer: list[float]) -> None:
    rows = {row["code"]: row for row in scorecard["gates"]}
    total = report.strip().splitlines()[-1].split()[-1]
    median = statistics.median(ours)
    sys.stdout.write(
        f"{args.shards} shards, {args.tests} tests, {args.modules} modules "
        f"({args.modules * FUNCTIONS * 5:,} statements), {args.runs} runs, wall time, fresh processes\n"
        f"coverage: gates combine {rows['GT301']['measured']:.2f}% | coverage report {total}\n"
        f"gates combine                       best {min(ours):.3f} s  median {median:.3f} s\n"
        f"coverage combine && coverage report best {min(peer):.3f} s  median {statistics.median(peer):.3f} s\n"
        f"ratio (median, gates / coverage.py): {median / statistics.median(peer):.2f}\n"
        f"target: under 2 s -> {'met' if median < 2.0 else 'NOT met'}\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=50)
    parser.add_argument("--tests", type=int, default=2000)
    parser.add_argument("--modules", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory(prefix="gates-combine-bench-") as tmp:
        folder = Path(tmp)
        build(folder, args.shards, args.tests, args.modules)
        files = sorted(str(p) for p in (folder / "shards").rglob(".coverage.gates-shard-*"))
        gates = [sys.executable, "-m", "gates", "combine", "shards", "--expect", str(args.shards),
                 "--format", "json"]
        coverage = [sys.executable, "-m", "coverage"]
        ours, peer = [], []
        for _ in range(args.runs):
            (folder / ".performance_baselines.json").unlink(missing_ok=True)
            spent, scorecard = timed(gates, folder, env)
            ours.append(spent)
            start = time.perf_counter()
            subprocess.run([*coverage, "combine", "--keep", *files], cwd=folder, check=True, capture_output=True)
            report = subprocess.run([*coverage, "report"], cwd=folder, check=True, capture_output=True, text=True)
            peer.append(time.perf_counter() - start)
        show(args, json.loads(scorecard), report.stdout, ours, peer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
