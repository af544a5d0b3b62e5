"""Two gates trees on the same input in one run: a change's before/after ratio.

    python benchmarks/trees_ab.py OLD NEW [--runs 5] [--select CODES] [FOLDER]

OLD and NEW are each a gates checkout (``git worktree add /tmp/old <commit>``), run by
this interpreter with ``PYTHONPATH`` set to it, or the Python executable of a virtual
environment with that checkout installed (``python -m venv --system-site-packages V;
V/bin/pip install --no-deps -e /tmp/old``: needed when the two register different
checkers). ``gates check`` runs as a whole process on FOLDER or the running
interpreter's standard library (production modules, as static_speed.py builds it),
``--no-cache``, with 1 and 2 processes. The runs alternate (old, new, floor) within each
round, so that a change of machine load hits both trees alike; the median and the best
of N are printed, with the whole-process parse floor of static_speed.py beside them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from environment import installed
from static_speed import FLOOR_PROGRAM, build_corpus, median, write


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def runner(what: Path) -> tuple[str, dict[str, str]]:
    """(interpreter, environment) that runs the gates of ``what``, its bytecode written."""
    if what.is_file():  # a virtual environment's python, with the tree installed
        python, env = str(what), installed()
    else:
        python, env = sys.executable, dict(installed(), PYTHONPATH=str(what.resolve()))
    code = "import compileall, pathlib, gates; compileall.compile_dir(pathlib.Path(gates.__file__).parent, quiet=1)"
    subprocess.run([python, "-c", code], env=env, check=True, capture_output=True)
    return python, env


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("old", type=Path, help="the gates tree (or a Python with it installed) before the change")
    parser.add_argument("new", type=Path, help="the gates tree (or a Python with it installed) after the change")
    parser.add_argument("folder", type=Path, nargs="?", help="what to check (default: the standard library)")
    parser.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--select", default="", help="the gates to run (default: gates' default selection)")
    args = parser.parse_args()
    runners = {"old": runner(args.old), "new": runner(args.new)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "stdlib"
        files = build_corpus(folder) if args.folder is None else sorted(folder.rglob("*.py"))
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(str(f) for f in files))
        select = ["--select", args.select] if args.select else []
        times: dict[str, list[float]] = {}
        for _ in range(args.runs):
            for jobs in ("1", "2"):
                for label, (python, env) in runners.items():
                    argv = [python, "-m", "gates", "check", str(folder), "-q", "--no-cache", "-j", jobs, *select]
                    times.setdefault(f"{label} -j {jobs}", []).append(timed(argv, env))
                floor = [sys.executable, "-c", FLOOR_PROGRAM, str(listing), jobs]
                times.setdefault(f"floor -j {jobs}", []).append(timed(floor, installed()))
    load = os.getloadavg()[0]
    write(f"{len(files)} files, {args.runs} rounds, load average {load:.1f} at the end; old {args.old}, new {args.new}")
    for jobs in ("1", "2"):
        floor = sorted(times[f"floor -j {jobs}"])
        old, new = sorted(times[f"old -j {jobs}"]), sorted(times[f"new -j {jobs}"])
        write(f"-j {jobs}: floor median {median(floor):.3f} s; old median {median(old):.3f} s "
              f"({median(old) / median(floor):.2f} x floor), new median {median(new):.3f} s "
              f"({median(new) / median(floor):.2f} x floor); new/old {median(new) / median(old):.3f} "
              f"(bests {new[0] / old[0]:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
