"""``gates history`` on a real history, cold and warm, beside ``wily build`` on the same commits.

    python benchmarks/history_speed.py REPO [--runs 3] [--wily /tmp/wily-venv/bin/wily]
                                             [--wily-commits 100] [--wily-path src]

REPO is a git checkout with a long history (we used pallets/click: 1,378 first-parent
commits). Each command runs as a fresh process, wall time:

- ``gates history REPO`` over the whole main line with every default static gate: cold
  (``.gates_cache/`` removed first) and warm (the cache filled by the cold run);
- on the last ``--wily-commits`` commits, cold, side by side: ``gates history --commits N
  --no-cache`` (N commits of the main line) and ``wily build -n N PATH`` (N commits of
  ``git log``, all parents; its cache in a fresh folder, so never reused; wily checks each
  revision out and re-measures the files). The ratio is per commit measured. wily is run
  from its own virtualenv (``pip install wily`` into /tmp/wily-venv): it is not one of
  gates' dependencies. It leaves the checkout at HEAD.

The shape of the history is printed first: commits, distinct Python file contents (blobs)
and their size. Timings on a shared 2-core machine are noisy: best and median of --runs.
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
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


CPU: list[float] = []  # CPU seconds (user + system, the process and its workers) of each timed run


def timed(command: Sequence[str], cwd: Path, before: Callable[[], None] = lambda: None) -> float:
    """Wall seconds of one run; its CPU seconds are appended to CPU."""
    before()
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime)
    return wall


def shape(repo: Path) -> str:
    log = subprocess.run(["git", "log", "--first-parent", "--format=", "--raw", "--no-abbrev", "--no-renames"],
                         cwd=repo, capture_output=True, text=True, check=True).stdout
    blobs = {line.split()[3] for line in log.splitlines()
             if line.startswith(":") and line.endswith(".py") and not line.split()[3].startswith("0000000")}
    sizes = subprocess.run(["git", "cat-file", "--batch-check=%(objectsize)"], cwd=repo, check=True,
                           input="\n".join(blobs) + "\n", capture_output=True, text=True).stdout.split()
    commits = len(subprocess.run(["git", "rev-list", "--first-parent", "HEAD"], cwd=repo,
                                 capture_output=True, text=True, check=True).stdout.split())
    total = sum(int(s) for s in sizes if s.isdigit())
    return f"{commits:,} first-parent commits, {len(blobs):,} distinct .py contents, {total / 1e6:.1f} MB"


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def runs_of(label: str, times: list[float], cpu: list[float]) -> tuple[float, float]:
    say(f"  {label:<44} wall best {min(times):7.2f} s  median {statistics.median(times):7.2f} s"
          f"   CPU best {min(cpu):7.2f} s")
    return min(times), min(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wily", default="/tmp/wily-venv/bin/wily")
    parser.add_argument("--wily-commits", type=int, default=100)
    parser.add_argument("--wily-path", default="src")
    args = parser.parse_args()
    repo = args.repo.resolve()
    cache = repo / ".gates_cache"
    gates = [sys.executable, "-m", "gates", "history", str(repo), "--format", "json", "-o", os.devnull]
    say(f"history: {shape(repo)}  ({repo})")
    cold = [timed(gates, HERE, lambda: shutil.rmtree(cache, ignore_errors=True)) for _ in range(args.runs)]
    cold_cpu = CPU[-args.runs:]
    warm = [timed(gates, HERE) for _ in range(args.runs)]
    runs_of("gates history, whole main line, cold", cold, cold_cpu)
    runs_of("gates history, whole main line, warm", warm, CPU[-args.runs:])
    if not Path(args.wily).exists():
        say(f"  wily not found at {args.wily}: pip install wily into its own venv to compare")
        return 0
    n = args.wily_commits
    ours = [timed([*gates, "--commits", str(n), "--no-cache"], HERE) for _ in range(args.runs)]
    ours_cpu = CPU[-args.runs:]
    wily_dir = Path(tempfile.mkdtemp(prefix="wily-cache-"))  # not ~/.wily: every run cold
    theirs = [timed([args.wily, "--cache", str(wily_dir), "build", "-n", str(n), args.wily_path], repo,
                    lambda: shutil.rmtree(wily_dir, ignore_errors=True))]
    shutil.rmtree(wily_dir, ignore_errors=True)
    a, a_cpu = runs_of(f"gates history --commits {n} --no-cache", ours, ours_cpu)
    b, b_cpu = runs_of(f"wily build -n {n} {args.wily_path} (one run)", theirs, CPU[-1:])
    say(f"  wily / gates on the same {n} commits: {b / a:.1f}x wall, {b_cpu / a_cpu:.1f}x CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
