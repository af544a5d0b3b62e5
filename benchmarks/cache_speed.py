"""The result cache: warm re-runs on the standard library and a pre-commit-sized run.

    python benchmarks/cache_speed.py [--runs 7] [--peers DIR]

Copies the standard library's production modules (benchmarks/static_speed.py's corpus:
about 738 files, 327 k lines on CPython 3.11) into a temporary folder and times, each
as a fresh process started from outside the corpus (so the corpus' copies of stdlib
modules never shadow the real ones):

- ``gates check`` with every default gate: cold (no cache), then warm (cache filled);
- a pre-commit-sized run: ``gates check`` on 10 files, warm and cold;
- the peers in the same run, when found on PATH or in ``--peers``: ruff (cold with
  ``--no-cache``, warm with its cache) and flake8 (no cache), on the same files;
- the interpreter alone (``python -c pass``), the floor of any fresh process.

Runs of the different commands are interleaved (a, b, c, a, b, c, ...), because this
machine's speed drifts; best-of-N and median are printed, wall time, and the best CPU
time of the process and its children (user + sys), which other jobs on a shared machine
disturb far less than wall time (a threaded peer such as ruff spends more CPU than wall).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from environment import compile_gates, installed
from static_speed import build_corpus

PRE_COMMIT_FILES = 10


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=False, env=installed())
    return time.perf_counter() - start, _children_cpu() - cpu


def peer(name: str, folder: str | None) -> str | None:
    if folder and (Path(folder) / name).exists():
        return str(Path(folder) / name)
    return shutil.which(name)


def commands(corpus: Path, sample: list[str], peers: str | None) -> dict[str, list[str]]:
    gates = [sys.executable, "-m", "gates", "check", "-q"]
    found = {
        "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
        "gates, stdlib, warm cache": [*gates, str(corpus)],
        "gates, stdlib, no cache": [*gates, "--no-cache", str(corpus)],
        f"gates, {len(sample)} files, warm cache": [*gates, *sample],
        f"gates, {len(sample)} files, no cache": [*gates, "--no-cache", *sample],
    }
    ruff = peer("ruff", peers)
    if ruff:
        found["ruff, stdlib, warm cache"] = [ruff, "check", "-q", "--exit-zero", str(corpus)]
        found["ruff, stdlib, no cache"] = [ruff, "check", "-q", "--no-cache", "--exit-zero", str(corpus)]
        found[f"ruff, {len(sample)} files, warm cache"] = [ruff, "check", "-q", "--exit-zero", *sample]
    flake8 = peer("flake8", peers)
    if flake8:
        found[f"flake8, {len(sample)} files"] = [flake8, "--exit-zero", *sample]
    return found


def measure(table: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in table}
    for name, command in table.items():  # fill every cache once, untimed
        subprocess.run(command, cwd=cwd, capture_output=True, check=False, env=installed())
    for _ in range(runs):
        for name, command in table.items():
            if "no cache" in name and "stdlib" in name and len(times[name]) >= 2:
                continue  # several seconds each: two are enough to show the scale
            times[name].append(timed(command, cwd))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--peers", help="a folder with ruff and flake8 (default: PATH)")
    args = parser.parse_args()
    compile_gates()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "stdlib"
        files = build_corpus(corpus)
        lines = sum(f.read_bytes().count(b"\n") for f in files)
        # Ten mid-sized modules, as a commit touches them.
        sample = sorted(f for f in files if 200 < f.read_bytes().count(b"\n") < 600)[:PRE_COMMIT_FILES]
        table = commands(corpus, [os.path.relpath(f, tmp) for f in sample], args.peers)
        times = measure(table, Path(tmp), args.runs)
    out = sys.stdout
    out.write(f"corpus: {len(files)} files, {lines:,} lines (Python {sys.version.split()[0]}); "
              f"{args.runs} interleaved runs, wall time\n")
    width = max(map(len, times))
    for name, samples in times.items():
        wall = [w for w, _ in samples]
        cpu = min(c for _, c in samples)
        out.write(f"{name:<{width}}  best {min(wall) * 1000:7.0f} ms   "
                  f"median {statistics.median(wall) * 1000:7.0f} ms   "
                  f"CPU best {cpu * 1000:7.0f} ms   (n={len(samples)})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
