"""Where do worker processes start to pay? Times `gates check -j 1` against `-j 2` on the
first N files of the standard library (tests excluded), best of 5, in fresh processes.

    python benchmarks/parallel_break_even.py

Prints one row per N; the engine's PARALLEL_MIN_FILES should sit near the first N where
-j 2 wins.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from gates.core.discovery import discover

SIZES = (8, 16, 24, 32, 48, 64, 96, 128)


def corpus(target: Path, count: int) -> Path:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = [f for f in discover([stdlib], stdlib) if not f.is_test][:count]
    folder = target / f"n{count}"
    for entry in files:
        dest = folder / entry.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry.file, dest)
    return folder


def best_of(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        sys.stdout.write(f"{'files':>6} {'-j 1':>8} {'-j 2':>8} {'ratio':>6}\n")
        for count in SIZES:
            folder = corpus(Path(tmp), count)
            base = [sys.executable, "-m", "gates", "check", str(folder), "-q", "--no-cache"]
            serial = best_of([*base, "-j", "1"])
            parallel = best_of([*base, "-j", "2"])
            sys.stdout.write(f"{count:>6} {serial:>8.3f} {parallel:>8.3f} {parallel / serial:>6.2f}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
