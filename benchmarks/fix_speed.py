"""`gates fix --diff` (a dry run) on the whole standard library, beside the floors it builds on.

    python benchmarks/fix_speed.py [--runs 1]

Copies the running interpreter's standard library, production modules only (tests
excluded: about 734 files, 327 k lines on CPython 3.11), into a temporary folder, then
times, best of N, each in a fresh process:

- ``gates fix --diff --select GT101,GT104`` (the target: under 60 s);
- ``gates check --select GT101,GT104`` (the same findings, no edits);
- the floor of any libcst tool: ``libcst.parse_module`` of every file, and parse + codegen.

It also checks the dry run wrote nothing and prints how many files would change and the
summary. `gates fix` uses one worker process per core, as `gates check` does.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from static_speed import build_corpus

LIBCST_FLOOR = (
    "import sys, libcst\n"
    "codegen = sys.argv[1] == 'codegen'\n"
    "for name in sys.argv[2:]:\n"
    "    module = libcst.parse_module(open(name, 'rb').read())\n"
    "    if codegen:\n"
    "        module.bytes\n"
)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, runs: int) -> tuple[str, subprocess.CompletedProcess[str]]:
    """Best wall time of ``runs`` and the CPU time of that run (every process it started)."""
    best, cpu, done = float("inf"), 0.0, None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if wall < best:
            best, cpu = wall, _children_cpu() - start_cpu
    assert done is not None
    return f"{best:6.1f} s wall, {cpu:6.1f} s CPU", done


def dry_run(root: Path, files: list[Path], runs: int) -> tuple[str, list[str]]:
    """Time `gates fix --diff`, check that it wrote nothing, and keep its summary and listing."""
    before = {f: f.read_bytes() for f in files}
    fix, done = timed([sys.executable, "-m", "gates", "fix", "--diff", "--select", "GT101,GT104", "."], root, runs)
    assert done.returncode in (0, 1), done.stderr
    assert all(f.read_bytes() == data for f, data in before.items()), "--diff wrote a file"
    listed = sum(1 for line in done.stderr.splitlines() if ": GT101 " in line or ": not " in line)
    return fix, [*done.stderr.strip().splitlines()[-3:], f"{listed} prints or files listed as left alone or not fixed"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = build_corpus(root)
        lines = sum(f.read_bytes().count(b"\n") for f in files)
        say(f"corpus: {len(files)} files, {lines:,} lines (the standard library minus tests)")
        fix, summary = dry_run(root, files, args.runs)
        check_command = [sys.executable, "-m", "gates", "check", "--no-cache", "--select", "GT101,GT104", "-j", "1"]
        check, checked = timed([*check_command, "."], root, args.runs)
        assert checked.returncode in (0, 1), checked.stderr
        names = [str(f) for f in files]
        parse, _ = timed([sys.executable, "-c", LIBCST_FLOOR, "parse", *names], root, args.runs)
        codegen, _ = timed([sys.executable, "-c", LIBCST_FLOOR, "codegen", *names], root, args.runs)
    say("(a shared 2-core machine is noisy: wall time depends on the other load; CPU time less so)")
    say(f"gates fix --diff --select GT101,GT104        {fix}   (target < 60 s wall)")
    say(f"gates check --select GT101,GT104 -j 1        {check}")
    say(f"libcst parse of every file (1 process)       {parse}")
    say(f"libcst parse + codegen of every file         {codegen}")
    say("\n".join(summary))
    return 0 if float(fix.split()[0]) < 60 else 1


if __name__ == "__main__":
    raise SystemExit(main())
