"""GT106's own count against radon on every def: the same figures, and how long each takes.

    python benchmarks/gt106_count.py [FOLDER]

Reads every Python file under FOLDER (default: the running interpreter's standard
library, tests included), then in one process times, best of 3 in CPU seconds, gates'
count (``complexity_count``) and radon's ``ComplexityVisitor`` on every def, and checks
that every figure agrees. Prints ``bad 0`` when they do.
"""

from __future__ import annotations

import sys
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path

from gates.analysis.complexity_count import complexity
from gates.analysis.statements import Function, function_defs
from gates.checkers.complexity import radon_complexity
from gates.core.discovery import discover
from gates.core.source import SourceFile


def write(line: str) -> None:
    sys.stdout.write(line + "\n")


def timed(count: Callable[[Function], int], defs: list[Function]) -> tuple[float, list[int]]:
    best, figures = float("inf"), []
    for _ in range(3):
        started = time.process_time()
        figures = [count(node) for node in defs]
        best = min(best, time.process_time() - started)
    return best, figures


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(sysconfig.get_paths()["stdlib"])
    sources = [SourceFile.read(e.file, e.path) for e in discover([root], root)]
    found = [(s.path, q, n) for s in sources if s.tree is not None for q, n in function_defs(s)]
    defs = [node for _, _, node in found]
    ours, figures = timed(complexity, defs)
    theirs, reference = timed(radon_complexity, defs)
    write(f"{len(sources)} files, {len(defs)} defs: gates' count {ours:.3f} s, radon {theirs:.3f} s "
          f"({theirs / ours:.1f} x), CPU seconds, best of 3")
    bad = [f"DIFF {path} {qualname}: gates {a}, radon {b}"
           for (path, qualname, _), a, b in zip(found, figures, reference) if a != b]
    write("\n".join([*bad, f"bad {len(bad)}"]))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
