"""``gates fix``: GT101's prints become log calls, GT104's missing ``-> None`` is added.

Exit codes: 0 when the fixes are written (or there was nothing to fix: what is left, the
program-output prints and those it cannot fix, is listed, and `gates check` judges it);
with ``--diff``, 1 when a file would change (as ``ruff --diff``), 0 when none would;
2 on a usage error, or when libcst is not installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gates.errors import UsageError

if TYPE_CHECKING:
    from gates.fix.run import FileFix

DESCRIPTION = (
    "Fix what can be fixed safely under PATH (default: the current folder): GT101's prints "
    "become log calls on a module logger (program output, under if __name__ == '__main__', in "
    "a console script or a __main__.py, is listed and left alone), GT104's functions that "
    "never return a value get `-> None`. A file that does not parse is never touched; a result "
    "that does not compile is never written. Exit 0 when done, 1 with --diff when a file "
    "would change, 2 on a usage error."
)


def add_fix_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fix = sub.add_parser("fix", help="turn prints into logging and add -> None, safely", description=DESCRIPTION)
    fix.add_argument("paths", nargs="*", metavar="PATH", type=Path, help="files or folders")
    fix.add_argument("--select", action="append", metavar="GATES",
                     help="only these gates' fixes (GT101, GT104; codes, prefixes or names, comma-separated)")
    fix.add_argument("--diff", action="store_true",
                     help="print a unified diff of the changes instead of writing them; exit 1 if any")
    fix.add_argument("--unsafe", action="store_true",
                     help="also log program-output prints and type parameters from their literal defaults")
    fix.add_argument("--config", type=Path, metavar="FILE", help="read settings from FILE")
    fix.add_argument("-j", "--jobs", type=int, metavar="N",
                     help="worker processes (default: automatic, one per core when there are many files)")


def _options(settings: Any) -> Any:
    from gates.core.config import build_options
    from gates.fix.run import FixOptions

    where = settings.where("tool.gates.fix")
    options, enabled = build_options(FixOptions, settings.gate_tables.get("fix", {}), where)
    problem = "enabled: `gates fix` has no such key" if enabled is not None else options.problem()
    if problem:
        raise UsageError(f"{where}: {problem}")
    return options


def _checkers(settings: Any, select: list[str] | None) -> list[Any]:
    from gates.core.selection import select_checkers
    from gates.fix.run import FIXABLE

    chosen = [c for c in select_checkers(settings, select) if c.code in FIXABLE]
    if not chosen:
        raise UsageError("nothing to fix: `gates fix` fixes GT101 (no-print) and GT104 (type-coverage); select one")
    return chosen


def run_fix(args: argparse.Namespace, out: TextIO) -> int:
    """``gates fix``: write the fixes (or show them with ``--diff``), list what is left."""
    from gates.cli.audit import common_folder, deeply, existing_paths, split_keys
    from gates.core.config import load_settings
    from gates.fix import LIBCST_MISSING

    if importlib.util.find_spec("libcst") is None:
        raise UsageError(LIBCST_MISSING)
    from gates.fix.run import fix_files

    paths = existing_paths(args.paths, args.jobs)
    settings = load_settings(args.config, start=common_folder(paths))
    options = _options(settings)
    checkers = _checkers(settings, split_keys(args.select))
    results = deeply(lambda: list(fix_files(paths, settings, checkers, options, unsafe=args.unsafe,
                                             write=not args.diff, jobs=args.jobs or 0)))
    _report(results, [c.code for c in checkers], args.diff, out)
    changed = any(r.fixed is not None for r in results)
    return 1 if args.diff and changed else 0


def _report(results: Sequence[FileFix], codes: Sequence[str], diff: bool, out: TextIO) -> None:
    """The diffs (``--diff``) on ``out``; the notes and the summary on ``out``, or on the
    standard error with ``--diff``, so that the diff can be piped to ``git apply``."""
    notes = sys.stderr if diff else out
    if diff:
        out.write("".join(_diff(r) for r in results if r.fixed is not None))
    notes.write("".join(note + "\n" for r in results for note in r.notes))
    _summary(results, codes, diff, notes)


def _text(data: bytes) -> list[str]:
    try:
        return data.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return data.decode("latin-1").splitlines(keepends=True)


def _diff(result: FileFix) -> str:
    import difflib

    assert result.fixed is not None
    lines = difflib.unified_diff(_text(result.original), _text(result.fixed),
                                 fromfile=f"a/{result.path}", tofile=f"b/{result.path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _gt104_figures(results: Sequence[FileFix]) -> str:
    from gates.core.percent import PRECISION, percentage
    from gates.model import shown

    figures = []
    for state in ("before", "after"):
        pairs = [(getattr(r, state) or r.before).get("GT104", (0, 0)) for r in results]
        annotated, total = sum(a for a, _ in pairs), sum(t for _, t in pairs)
        figures.append(f"{shown(percentage(annotated, total), '%', PRECISION)} {state} ({annotated:,} of {total:,} slots)")
    return ", ".join(figures)


def _summary(results: Sequence[FileFix], codes: Sequence[str], diff: bool, out: TextIO) -> None:
    from gates.model import shown

    if "GT101" in codes:
        before, after = (sum((getattr(r, state) or r.before).get("GT101", 0) for r in results)
                         for state in ("before", "after"))
        out.write(f"GT101 no-print: {shown(before, 'prints', 0)} before, {shown(after, 'prints', 0)} after\n")
    if "GT104" in codes:
        out.write(f"GT104 type-coverage: {_gt104_figures(results)}\n")
    changed = [r for r in results if r.fixed is not None]
    files = shown(len(changed), "files", 0)
    out.write(f"{files} {'would change' if diff else 'changed'} ({sum(r.fixes for r in changed):,} fixes)\n")
