"""Static gates against the parse floor, on the running interpreter's standard library.

    python benchmarks/static_speed.py [--runs 3]

Copies the standard library's production modules (tests excluded: about 734 files,
327 k lines on CPython 3.11) into a temporary folder, then in the same run times:
plain ``ast.parse`` of every file in one process and in two; ``gates check`` with the
built-in AST gates (GT100-GT105) in one process and with two workers. Prints best-of-N
times and the ratios to the floor with the same number of processes.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gates.discovery import discover

AST_GATES = "GT100,GT101,GT102,GT103,GT105"


def build_corpus(target: Path) -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = []
    for entry in discover([stdlib], stdlib):
        if entry.is_test:
            continue
        dest = target / entry.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry.file, dest)
        files.append(dest)
    return files


def parse_one(file: Path) -> None:
    try:
        ast.parse(file.read_bytes())
    except (SyntaxError, ValueError):
        pass


def parse_all(files: list[Path], jobs: int) -> None:
    if jobs == 1:
        for file in files:
            parse_one(file)
        return
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(parse_one, files, chunksize=16))


def best(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def gates_command(folder: Path, jobs: int) -> Callable[[], object]:
    command = [sys.executable, "-m", "gates", "check", str(folder), "-q",
               "--select", AST_GATES, "-j", str(jobs)]
    return lambda: subprocess.run(command, capture_output=True, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "stdlib"
        files = build_corpus(folder)
        lines = sum(f.read_bytes().count(b"\n") for f in files)
        out = sys.stdout
        out.write(f"corpus: {len(files)} files, {lines:,} lines (Python {sys.version.split()[0]})\n")
        rows = []
        for jobs in (1, 2):
            floor = best(args.runs, lambda: parse_all(files, jobs))
            ours = best(args.runs, gates_command(folder, jobs))
            rows.append((jobs, floor, ours))
        for jobs, floor, ours in rows:
            out.write(f"{jobs} process(es): ast.parse {floor:6.2f} s   gates check {ours:6.2f} s"
                      f"   ratio {ours / floor:5.2f}x\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
