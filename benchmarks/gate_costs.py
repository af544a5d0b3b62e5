"""Where a `gates check` run spends its CPU: the parse floor, then each gate, in-process.

    python benchmarks/gate_costs.py [--gates GT100,GT101,...] [--runs 3] [--whole] [FOLDER]

Checks the running interpreter's standard library (production modules, as
static_speed.py builds it) or FOLDER, one file at a time in this process, and prints the
process CPU time of each part, best of N: plain ``ast.parse`` of every file (the floor),
reading + decoding + parsing as gates does, each gate's ``check`` and ``measure``, the
fingerprints of the findings, and freeing each file's tree. Every part, the floor
included, runs under gates' GC thresholds; an analysis that gates share (the walk over
defs and classes) is charged to the first part that asks for it. CPU time is far less
disturbed than wall time by the other jobs of a shared machine, so this is the tool for
deciding whether a change to a gate pays; static_speed.py gives the figures to quote.

With --whole it also times a whole ``gates check --no-cache -j 1`` of the folder in this
process (``cli.main``: discovery, every default gate, the report) against plain
``ast.parse`` of the same files under Python's own collector thresholds, best of N CPU:
the in-process counterpart of static_speed.py's ratio, without the interpreter's start.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from gates.core.config import Settings
from gates.core.engine import fewer_collections
from gates.adoption.fingerprint import with_fingerprints
from gates.core.selection import select_checkers
from gates.core.source import SourceFile
from static_speed import AST_GATES, build_corpus, parse_all


def one_round(files: list[Path], codes: list[str]) -> dict[str, float]:
    checkers = [c for c in select_checkers(Settings(root=files[0].parent), select=codes) if c.code in codes]
    spent: dict[str, float] = {}

    def add(key: str, since: float) -> None:
        spent[key] = spent.get(key, 0.0) + time.process_time() - since

    start = time.process_time()
    parse_all(files, 1)
    add("ast.parse floor", start)
    for file in files:
        start = time.process_time()
        source = SourceFile.from_bytes(file.read_bytes(), str(file))
        add("read, decode, parse", start)
        for checker in checkers:
            start = time.process_time()
            found = list(checker.check(source)) if checker.applies_to(source) else []
            checker.measure(source)
            add(checker.code, start)
            start = time.process_time()
            with_fingerprints(found, source)
            add("fingerprints", start)
        start = time.process_time()
        del source
        add("freeing the tree", start)
    return spent


def whole_run(folder: Path, files: list[Path], runs: int) -> None:
    """The whole check in this process against the floor, best of ``runs`` CPU each."""
    import contextlib
    import io

    from gates.cli import main as gates_main

    floors, checks = [], []
    for _ in range(runs):
        start = time.process_time()
        parse_all(files, 1)
        floors.append(time.process_time() - start)
        start = time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):
            gates_main(["check", str(folder), "-q", "--no-cache", "-j", "1"])
        checks.append(time.process_time() - start)
    sys.stdout.write(f"whole gates check in this process {min(checks):7.3f} s against the floor "
                     f"{min(floors):7.3f} s: {min(checks) / min(floors):6.3f} x\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="default: the standard library")
    parser.add_argument("--gates", default=AST_GATES, help=f"comma-separated codes (default {AST_GATES})")
    parser.add_argument("--runs", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--whole", action="store_true", help="also time a whole `gates check` in this process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, fewer_collections():  # as gates checks files
        files = sorted(args.folder.rglob("*.py")) if args.folder else build_corpus(Path(tmp) / "stdlib")
        rounds = [one_round(files, args.gates.split(",")) for _ in range(args.runs)]
    floor = min(r["ast.parse floor"] for r in rounds)
    sys.stdout.write(f"{len(files)} files, CPU seconds, best of {args.runs}\n")
    for key in rounds[0]:
        best = min(r[key] for r in rounds)
        sys.stdout.write(f"{key:22} {best:7.3f} s  {best / floor:6.3f} x floor\n")
    if args.whole:
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.folder or Path(tmp) / "stdlib"
            whole_run(folder, files if args.folder else build_corpus(folder), args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
