"""Overhead of the gates pytest plugin on a generated 2,000-test suite.

Runs the same suite with the plugin (seeds on, coverage gate on an existing data file)
and without it (``-p no:gates``), alternating the two (AB, BA, AB, ...) so that the
machine's slow and fast phases hit both alike, and prints the ratio with/without for
wall and CPU time: the median of the per-round ratios and the ratio of the fastest runs.
Target: <= 1.03.

On a shared machine other load moves both figures by several percent from run to run.
``--instructions`` runs each variant once under valgrind (callgrind) and compares the
instructions executed instead: slow (minutes per run) but free of that noise.

    python benchmarks/plugin_overhead.py [--rounds 20] [--tests 2000] [--instructions]
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

from environment import installed

PACKAGE = '''\
def grade(score):
    if score >= 90:
        return "A"
    if score >= 50:
        return "B"
    return "C"


def unused(values):
    return sorted(values)
'''


def make_suite(root: Path, tests: int) -> None:
    """``tests`` small tests in modules of 100: half draw random numbers, a quarter use a
    fixture (so the plugin reseeds their setup and teardown too)."""
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text(PACKAGE)
    (root / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef score():\n    return 95\n"
    )
    per_module = 100
    for module in range((tests + per_module - 1) // per_module):
        count = min(per_module, tests - module * per_module)
        body = ["import random", "from pkg import grade", ""]
        for index in range(count):
            if index % 4 == 0:
                body += [f"def test_{index}(score):", "    assert grade(score) == 'A'", ""]
            elif index % 2:
                body += [f"def test_{index}():", "    assert 0 <= random.random() < 1", ""]
            else:
                body += [f"def test_{index}():", "    assert grade(95) == 'A'", ""]
        (root / f"test_m{module:02d}.py").write_text("\n".join(body))


def make_data_file(root: Path) -> None:
    """The existing coverage data file the gate reads: a measured run of one module."""
    (root / "measure_me.py").write_text(
        textwrap.dedent(
            """\
            from pkg import grade

            def test_grade():
                assert grade(95) == "A"
            """
        )
    )
    subprocess.run(
        [sys.executable, "-m", "coverage", "run", "--source=pkg", "-m", "pytest", "-q",
         "-p", "no:gates", "-p", "no:randomly", "-p", "no:hypothesispytest", "measure_me.py"],
        cwd=root, check=True, capture_output=True, env=environment(),
    )
    (root / "measure_me.py").unlink()


def environment() -> dict[str, str]:
    """As on a developer's machine: compiled modules (and pytest's rewritten test modules)
    are cached between runs, whatever this shell says."""
    return installed()


def timed(args: Sequence[str], cwd: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of one pytest run, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=environment())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"pytest failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return wall, cpu, proc.stdout


def commands() -> dict[str, list[str]]:
    # Other plugins stay out of both variants: their start-up cost (hypothesis's is about
    # a second) would dilute the ratio.
    off = ["-p", "no:randomly", "-p", "no:xdist", "-p", "no:hypothesispytest", "-p", "no:cov"]
    base = [sys.executable, "-m", "pytest", "-q", *off]
    return {
        "without": [*base, "-p", "no:gates"],
        "with": [*base, "--gates-coverage-file=.coverage", "--gates-fail-under=50"],
    }


def measure(root: Path, rounds: int) -> dict[str, list[tuple[float, float]]]:
    runs = commands()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    check = timed(runs["with"], root)[2]
    if "GT301 coverage passed" not in check:
        raise SystemExit(f"the coverage gate did not run:\n{check}")
    for name in runs:  # warm-up: file caches, .pyc files
        timed(runs[name], root)
    for index in range(rounds):
        order = list(runs) if index % 2 == 0 else list(reversed(runs))
        for name in order:
            wall, cpu, _ = timed(runs[name], root)
            times[name].append((wall, cpu))
    return times


def report(times: dict[str, list[tuple[float, float]]], tests: int) -> str:
    """Two estimates: the median of the per-round ratios, and the ratio of the fastest runs
    (the least disturbed by other load on a shared machine)."""
    pairs = list(zip(times["with"], times["without"]))
    lines = [f"{tests} tests, {len(pairs)} rounds, each variant alternating first"]
    for name, samples in times.items():
        walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
        lines.append(
            f"  {name:8} plugin: wall median {statistics.median(walls):.3f} s, min {min(walls):.3f} s; "
            f"cpu median {statistics.median(cpus):.3f} s, min {min(cpus):.3f} s"
        )
    for index, label in ((0, "wall"), (1, "cpu")):
        median = statistics.median(w[index] / wo[index] for w, wo in pairs)
        best = min(s[index] for s in times["with"]) / min(s[index] for s in times["without"])
        lines.append(f"  ratio with/without, {label}: median of rounds {median:.3f}, fastest runs {best:.3f}")
    lines.append("  target: <= 1.03")
    return "\n".join(lines) + "\n"


def instructions(root: Path) -> str:
    """Instructions executed by each variant, counted by valgrind's callgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    runs = commands()
    for args in runs.values():  # fill pytest's cache and the bytecode caches
        timed(args, root)
    env = {**environment(), "PYTHONHASHSEED": "0"}
    counts = {}
    for name, args in runs.items():
        proc = subprocess.run(
            [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *args],
            cwd=root, capture_output=True, text=True, env=env,
        )
        match = re.search(r"Collected : (\d+)", proc.stderr)
        if proc.returncode != 0 or match is None:
            raise SystemExit(f"valgrind run failed:\n{proc.stdout}\n{proc.stderr}")
        counts[name] = int(match.group(1))
    lines = [f"  {name:8} plugin: {count:,} instructions" for name, count in counts.items()]
    ratio = counts["with"] / counts["without"]
    lines.append(f"  ratio with/without, instructions: {ratio:.4f} (target <= 1.03)")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--tests", type=int, default=2000)
    parser.add_argument("--instructions", action="store_true", help="count instructions (valgrind)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gates-bench-") as folder:
        root = Path(folder)
        make_suite(root, args.tests)
        make_data_file(root)
        if args.instructions:
            sys.stdout.write(f"{args.tests} tests, one run each under callgrind\n")
            sys.stdout.write(instructions(root))
        else:
            sys.stdout.write(report(measure(root, args.rounds), args.tests))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
