"""GT106 pruning against radon on every def: same results, how many radon runs, how long.

    python benchmarks/gt106_pruning.py [MAX] [FOLDER]

Reads every Python file under FOLDER (default: the running interpreter's standard
library, tests included), then in one process times the upper bounds alone, the pruned
run (``PrunedComplexities``: the findings over MAX and the worst passing figure) and
radon on every def (``function_complexities``), and checks that every bound is at least
radon's figure and that findings and measure agree. Prints ``bad 0`` when they do.
"""

from __future__ import annotations

import sys
import sysconfig
import time
from pathlib import Path

from gates.checkers.complexity import function_complexities
from gates.analysis.complexity_bound import PrunedComplexities, complexity_bounds
from gates.analysis.names import function_defs
from gates.core.discovery import discover
from gates.core.source import SourceFile


def write(line: str) -> None:
    sys.stdout.write(line + "\n")


def disagreements(source: SourceFile, pruned: PrunedComplexities, limit: int) -> list[str]:
    full = source.shared(function_complexities)
    within = [c for _, _, c in full if c <= limit]
    want = ([(q, n, c) for q, n, c in full if c > limit], max(within) if within else None)
    bad = [] if (pruned.over(limit), pruned.worst_within(limit)) == want else [f"DIFF {source.path}"]
    for bound, (qualname, _, figure) in zip(pruned.bounds, full):
        if bound < figure:
            bad.append(f"UNSOUND {source.path} {qualname}: bound {bound} < radon {figure}")
    return bad


def load(root: Path) -> list[SourceFile]:
    sources = [SourceFile.read(e.file, e.path) for e in discover([root], root)]
    return [s for s in sources if s.tree is not None]


def pruned_run(sources: list[SourceFile], limit: int) -> list[PrunedComplexities]:
    started = time.process_time()
    pruned = [PrunedComplexities(s) for s in sources]
    for index in pruned:
        index.over(limit), index.worst_within(limit)
    runs = sum(len(index._exact) for index in pruned)
    write(f"pruned (bounds included) {time.process_time() - started:.3f} s, radon on {runs} defs")
    return pruned


def main() -> int:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    root = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(sysconfig.get_paths()["stdlib"])
    sources = load(root)
    defs = sum(len(function_defs(s)) for s in sources)  # the shared index, built by GT102 anyway
    started = time.process_time()
    for source in sources:
        complexity_bounds(source)
    write(f"{len(sources)} files, {defs} defs; bounds {time.process_time() - started:.3f} s")
    pruned = pruned_run(sources, limit)
    started = time.process_time()
    for source in sources:
        source.shared(function_complexities)
    write(f"radon on every def {time.process_time() - started:.3f} s")
    bad = [line for s, p in zip(sources, pruned) for line in disagreements(s, p, limit)]
    for line in bad:
        write(line)
    write(f"bad {len(bad)}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
