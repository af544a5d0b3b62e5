"""`gates check` over real open-source code: no crash, no traceback, sensible figures.

    python benchmarks/real_projects.py [DIR ...]

Without arguments it checks the source of large packages installed on this machine
(pip, setuptools, mypy, hypothesis, pygments, pytest, ...: whichever are importable).
Give folders to check others, e.g. an unpacked wheel or sdist of a project that uses
Python 3.12+ syntax (on an older interpreter its files are GT100 findings naming the
Python that could not parse them). Prints one row per project: files, wall time, exit
code, whether stderr stayed empty, and each gate's measured value.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

CANDIDATES = ("pip", "setuptools", "mypy", "hypothesis", "pygments", "_pytest", "radon", "bandit")
SHOWN = ("GT100", "GT101", "GT102", "GT103", "GT104", "GT105", "GT106")


def installed_packages() -> list[Path]:
    found = []
    for name in CANDIDATES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            found.append(Path(next(iter(spec.submodule_search_locations))))
    return found


def check(folder: Path) -> str:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "gates", "check", str(folder), "--format", "json", "--no-cache"],
        capture_output=True, text=True, check=False, cwd=folder,
    )
    seconds = time.perf_counter() - start
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return f"{folder.name:16} exit {proc.returncode}: no JSON; stderr: {proc.stderr.strip()[-300:]}"
    gates = {g["code"]: g for g in data["gates"]}
    figures = "  ".join(
        f"{code}={gates[code]['measured']:g}/{gates[code]['violations']}" for code in SHOWN if code in gates
    )
    clean = "clean" if not proc.stderr else "STDERR: " + proc.stderr.strip().splitlines()[-1]
    return (f"{folder.name:16} {data['files_checked']:6} files {seconds:6.1f} s  exit {proc.returncode}"
            f"  {clean}\n{'':16} {figures}")


def main(argv: list[str]) -> int:
    folders = [Path(a).resolve() for a in argv] or installed_packages()
    sys.stdout.write(f"gates on real code (Python {sys.version.split()[0]}); "
                     "figures are measured/violations per gate\n")
    for folder in folders:
        sys.stdout.write(check(folder) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
