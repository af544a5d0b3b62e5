"""Static gates against the parse floor and the peer tools, on the standard library.

    python benchmarks/static_speed.py [--runs 3] [--peers DIR] [--pylint]

Copies the running interpreter's standard library, production modules only (tests
excluded: about 734 files, 327 k lines on CPython 3.11), into a temporary folder, then
in the same run times, interleaved, the best and the median of N:

- the floor: plain ``ast.parse`` of every file, in one process and in two, both as a
  whole process (``python -c``, interpreter start included, as gates is timed: the
  issue's "measured as whole processes") and inside this process (no start-up);
- ``gates check`` with the AST gates GT100-GT105, and with every default gate (GT106 added), in one
  process and with two workers;
- flake8 with flake8-print, flake8-functions and mccabe (T201, CFQ001, C901), ruff
  (T201, C901, PLR0915) and, with --pylint, pylint (bad-builtin print, too-many-lines,
  too-complex, too-many-statements) — taken from --peers DIR, a folder of executables.
  Install them in a separate virtual environment without gates: flake8 runs every
  installed plugin, gates' own flake8 plugin included, whatever --select says;
- a pre-commit-sized run: 10 files in a fresh process, gates against bare parsing and flake8;
- start-up: ``gates --version`` against ``python -c pass``; peak memory of a gates run.

The tools run with their bytecode cached, as after ``pip install`` (see environment.py).
"""

from __future__ import annotations

import argparse
import ast
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from environment import compile_gates, installed
from gates.core.discovery import discover
from gates.core.engine import GC_THRESHOLD, fewer_collections

AST_GATES = "GT100,GT101,GT102,GT103,GT104,GT105"
WITH_COMPLEXITY = AST_GATES + ",GT106"
# The floor as a whole process: every file of a list, in one process or a pool of N.
FLOOR_PROGRAM = """
import ast, sys

def parse(name):
    try:
        ast.parse(open(name, "rb").read())
    except (SyntaxError, ValueError):
        pass

names = open(sys.argv[1]).read().split("\\n")
jobs = int(sys.argv[2])
if jobs == 1:
    for name in names:
        parse(name)
else:
    from concurrent.futures import ProcessPoolExecutor  # as gates: only for a pool

    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(parse, names, chunksize=16))
"""


def build_corpus(target: Path) -> list[Path]:
    """The standard library's production modules, copied below ``target``."""
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


def parse_all(files: Sequence[Path], jobs: int) -> None:
    if jobs == 1:
        for file in files:
            parse_one(file)
        return
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(parse_one, files, chunksize=16))


def parse_with_gates_gc(files: Sequence[Path]) -> None:
    """The floor under the collector thresholds gates sets while it checks files."""
    with fewer_collections():
        parse_all(files, 1)


def best(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def command(*args: str | Path) -> Callable[[], object]:
    argv = [str(a) for a in args]
    env = installed()
    return lambda: subprocess.run(argv, capture_output=True, check=False, env=env)


def gates(folder: Path | Sequence[Path], select: str, jobs: int) -> Callable[[], object]:
    paths = [folder] if isinstance(folder, Path) else list(folder)
    return command(sys.executable, "-m", "gates", "check", *paths, "-q", "--no-cache",
                   "--select", select, "-j", str(jobs))


def peers(bin_dir: Path, folder: Path, with_pylint: bool) -> dict[str, Callable[[], object]]:
    found: dict[str, Callable[[], object]] = {}
    flake8, ruff, pylint = (bin_dir / n for n in ("flake8", "ruff", "pylint"))
    if flake8.exists():
        found["flake8 + print, functions, mccabe (-j2)"] = command(
            flake8, "--isolated", "--select", "T201,CFQ001,C901", "--max-function-length", "50",
            "--max-complexity", "10", "-j", "2", folder)
    if ruff.exists():
        found["ruff T201,C901,PLR0915"] = command(
            ruff, "check", "--isolated", "--no-cache", "--select", "T201,C901,PLR0915", folder)
    if with_pylint and pylint.exists():
        found["pylint equivalent checks (-j2)"] = command(
            pylint, "--disable=all", "--load-plugins=pylint.extensions.bad_builtin,"
            "pylint.extensions.mccabe", "--bad-functions=print",
            "--enable=bad-builtin,too-many-lines,too-complex,too-many-statements",
            "--max-module-lines=800", "--max-complexity=10", "-j", "2", folder)
    return found


def write(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def interleaved(runs: int, actions: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """The sorted times of each action over ``runs`` rounds, the actions alternating
    within a round, so that a change of machine load hits every action alike."""
    times: dict[str, list[float]] = {label: [] for label in actions}
    for _ in range(runs):
        for label, action in actions.items():
            start = time.perf_counter()
            action()
            times[label].append(time.perf_counter() - start)
    return {label: sorted(values) for label, values in times.items()}


def median(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def against_floors(times: dict[str, list[float]], jobs: int) -> None:
    """The gates runs with ``jobs`` processes against both floors of as many processes."""
    whole, inside = times[f"floor {jobs}, whole process"], times[f"floor {jobs}, in this process"]
    write(f"ast.parse floor, {jobs} process(es): whole process median {median(whole):5.2f} s "
          f"(best {whole[0]:5.2f}); in this process median {median(inside):5.2f} s (best {inside[0]:5.2f})")
    for label, values in times.items():
        if label.endswith(f"-j {jobs}"):
            write(f"  {label:45} median {median(values):5.2f} s: {median(values) / median(whole):4.2f} x the "
                  f"whole-process floor ({values[0] / whole[0]:4.2f} x of bests), "
                  f"{median(values) / median(inside):4.2f} x the in-process floor")


def whole_corpus(folder: Path, files: list[Path], runs: int, peer_bin: Path, pylint: bool) -> None:
    listing = folder.parent / "files.txt"
    listing.write_text("\n".join(str(f) for f in files))
    actions: dict[str, Callable[[], object]] = {}
    actions["floor 1, gates' GC thresholds"] = lambda: parse_with_gates_gc(files)
    for jobs in (1, 2):
        actions[f"floor {jobs}, whole process"] = command(sys.executable, "-c", FLOOR_PROGRAM, listing, str(jobs))
        actions[f"floor {jobs}, in this process"] = lambda jobs=jobs: parse_all(files, jobs)
        actions[f"gates AST gates GT100-GT105, -j {jobs}"] = gates(folder, AST_GATES, jobs)
        actions[f"gates all default gates GT100-GT106, -j {jobs}"] = gates(folder, WITH_COMPLEXITY, jobs)
    times = interleaved(runs, actions)
    best_times = {label: values[0] for label, values in times.items()}
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    write(f"{runs} runs each, interleaved; ratios of medians (and of bests) to each floor")
    for jobs in (1, 2):
        against_floors(times, jobs)
    tuned = best_times["floor 1, gates' GC thresholds"]
    ours = best_times["gates AST gates GT100-GT105, -j 1"]
    write(f"ast.parse floor with gates' GC thresholds {GC_THRESHOLD}, 1 process: {tuned:6.2f} s; "
          f"AST gates -j 1 are {ours / tuned:5.2f} x that")
    write(f"peak memory of any gates run so far: {peak:.0f} MB")
    fastest_ast = min(s for label, s in best_times.items() if "AST" in label)
    for label, action in peers(peer_bin, folder, pylint).items():
        seconds = best(1 if "pylint" in label else runs, action)
        write(f"{label:45} {seconds:6.2f} s  gates AST gates are {seconds / fastest_ast:5.1f} x faster")


def small_run(folder: Path, files: list[Path], runs: int, peer_bin: Path) -> None:
    ten = files[30:40]
    listing = folder.parent / "ten.txt"
    listing.write_text("\n".join(str(f) for f in ten))
    parse = best(runs, command(sys.executable, "-c", FLOOR_PROGRAM, listing, "1"))
    ours = best(runs, gates(ten, AST_GATES, 0))
    all_gates = best(runs, command(sys.executable, "-m", "gates", "check", *ten, "-q", "--no-cache"))
    write(f"10 files, fresh process: parse {parse * 1000:.0f} ms, gates AST gates "
          f"{ours * 1000:.0f} ms, all default gates {all_gates * 1000:.0f} ms")
    flake8 = peer_bin / "flake8"
    if flake8.exists():
        theirs = best(runs, command(flake8, "--isolated", "--select", "T201,CFQ001,C901", *ten))
        write(f"10 files, fresh process: flake8 {theirs * 1000:.0f} ms")
    bare = best(runs, command(sys.executable, "-c", "pass"))
    version = best(runs, command(sys.executable, "-m", "gates", "--version"))
    write(f"start-up: python -c pass {bare * 1000:.0f} ms, gates --version {version * 1000:.0f} ms "
          f"(+{(version - bare) * 1000:.0f} ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--peers", type=Path, default=Path(sys.executable).parent,
                        help="folder with flake8, ruff and pylint executables")
    parser.add_argument("--pylint", action="store_true", help="also time pylint (slow)")
    args = parser.parse_args()
    compile_gates()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "stdlib"
        files = build_corpus(folder)
        lines = sum(f.read_bytes().count(b"\n") for f in files)
        write(f"corpus: {len(files)} files, {lines:,} lines (Python {sys.version.split()[0]})")
        whole_corpus(folder, files, args.runs, args.peers, args.pylint)
        small_run(folder, files, args.runs * 3, args.peers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
