"""What the architecture gates (GT107-GT109) add to `gates check`, on the standard library.

    python benchmarks/import_gates_speed.py [--runs 5] [-j 1]

Copies the running interpreter's standard library, production modules only (as
static_speed.py builds it), into a temporary folder and times, interleaved, best of N:

- the floor: plain ``ast.parse`` of every file;
- ``gates check`` with the default gates (GT100-GT106), no cache;
- the same with banned-import (two rules), layers (one stack of the email package) and
  import-cycles configured: the three gates read the trees the others already parsed,
  so the difference is their own work (and the cycle graph over every module).

Prints each time, the ratio with / without (the issue's target: at most 1.10) and both
against the floor. Wall time of a subprocess and its CPU time (user + system) are both
shown: on a shared machine the CPU time is the steadier of the two.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from environment import compile_gates, installed
from static_speed import build_corpus, parse_with_gates_gc

DEFAULT_GATES = "GT100,GT101,GT102,GT103,GT104,GT105,GT106"
ARCHITECTURE = """\
[tool.gates.banned-import]
enabled = true
rules = [
    {module = "xml.dom.minidom", allow-in = ["xml/**"], message = "use xml.etree"},
    {module = "distutils", message = "removed in Python 3.12"},
]

[tool.gates.layers]
enabled = true
layers = ["email.mime", "email.parser | email.generator", "email.message", "email._policybase"]

[tool.gates.import-cycles]
enabled = true
"""


def run_gates(folder: Path, select: str, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one `gates check`."""
    argv = [sys.executable, "-m", "gates", "check", str(folder), "-q", "--no-cache",
            "--exit-zero", "--select", select, "-j", str(jobs)]
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False, env=installed(), cwd=folder)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"gates check failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="best of N (default 5)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="gates' worker processes (default 1)")
    args = parser.parse_args()
    compile_gates()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "stdlib"
        files = build_corpus(folder)
        (folder / "pyproject.toml").write_text(ARCHITECTURE)
        runs = {"default gates": DEFAULT_GATES, "default + GT107-GT109": DEFAULT_GATES + ",GT107,GT108,GT109"}
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in runs}
        floors = []
        for _ in range(args.runs):
            start = time.perf_counter()
            parse_with_gates_gc(files)
            floors.append(time.perf_counter() - start)
            for label, select in runs.items():
                times[label].append(run_gates(folder, select, args.jobs))
    floor = min(floors)
    sys.stdout.write(f"{len(files)} files of the standard library, best of {args.runs}, -j {args.jobs}\n")
    sys.stdout.write(f"{'ast.parse floor (in process)':34} {floor:6.2f} s\n")
    best = {label: (min(w for w, _ in rows), min(c for _, c in rows)) for label, rows in times.items()}
    for label, (wall, cpu) in best.items():
        sys.stdout.write(f"{'gates check, ' + label:34} {wall:6.2f} s wall {cpu:6.2f} s CPU "
                         f"{wall / floor:5.2f} x floor\n")
    (base_wall, base_cpu), (with_wall, with_cpu) = best.values()
    sys.stdout.write(f"ratio with / without GT107-GT109: {with_wall / base_wall:.3f} wall, "
                     f"{with_cpu / base_cpu:.3f} CPU (target <= 1.10)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
