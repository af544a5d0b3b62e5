"""The ``gates`` command: ``check``, ``list`` and ``explain``.

Exit codes: 0 every gate passed, 1 a gate failed, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from gates import __version__
from gates.errors import UsageError

if TYPE_CHECKING:
    from gates.checkers.base import Checker

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json")


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = sub.add_parser(
        "check",
        help="check files against every enabled gate",
        description=(
            "Check every Python file under PATH (default: the current folder) and exit "
            "0 when all gates pass, 1 when a gate fails, 2 on a usage or config error. "
            "Settings come from [tool.gates] in the nearest pyproject.toml."
        ),
    )
    check.add_argument("paths", nargs="*", metavar="PATH", type=Path, help="files or folders")
    check.add_argument(
        "--select", action="append", metavar="GATES",
        help="only these gates: codes (GT101), code prefixes (GT1) or names (no-print), "
        "comma-separated; replaces `select` from the config",
    )
    check.add_argument(
        "--ignore", action="append", metavar="GATES",
        help="skip these gates (same forms as --select); replaces `ignore` from the config",
    )
    check.add_argument("--config", type=Path, metavar="FILE", help="read settings from FILE")
    check.add_argument("--format", choices=FORMATS, default="text", help="output format")
    check.add_argument("--no-color", action="store_true", help="never colour the output")
    check.add_argument("-q", "--quiet", action="store_true", help="findings only, no summary")
    check.add_argument(
        "-v", "--verbose", action="store_true",
        help="also show the per-file table of gates that keep one (type-coverage), worst first",
    )
    check.add_argument(
        "--show-missing", action="store_true",
        help="list every unannotated parameter and return as a type-coverage finding",
    )
    check.add_argument(
        "-j", "--jobs", type=int, metavar="N",
        help="worker processes (default: automatic, one per core when there are many files)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gates",
        description="Quality gates for Python: roadmap criteria enforced on every commit and CI run.",
    )
    parser.add_argument("--version", action="version", version=f"gates {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _add_check(sub)
    sub.add_parser("list", help="list every gate with its code, default and description")
    explain = sub.add_parser("explain", help="show what a gate checks, why, and its examples")
    explain.add_argument("gate", metavar="GATE", help="a code (GT101) or a name (no-print)")
    return parser


def _common_folder(paths: Sequence[Path]) -> Path:
    """Where the settings are looked up: the folder common to every path, so the result
    never depends on the order of the arguments."""
    absolute = [os.path.abspath(p) for p in paths]
    common = Path(os.path.commonpath(absolute))
    return common if common.is_dir() else common.parent


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from gates.config import load_settings
    from gates.engine import run, select_checkers

    paths: list[Path] = args.paths or [Path(".")]
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
    if args.jobs is not None and args.jobs < 0:
        raise UsageError("--jobs: expected a whole number >= 0 (0 = automatic)")
    # Long operator chains (`a + b + ... `, 1,000 terms) make trees deeper than the default
    # limit of 1,000 frames; the walks over them are plain Python recursion.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    settings = load_settings(args.config, start=_common_folder(paths))
    checkers = select_checkers(settings, _split(args.select), _split(args.ignore))
    checkers = _showing_missing(checkers, args.show_missing)
    result = run(paths, settings, checkers, jobs=args.jobs)
    if args.format == "json":
        from gates.reporters.json import JsonReporter

        JsonReporter().report(result, out)
    else:
        from gates.reporters.text import TextReporter, use_color

        color = use_color(out, args.no_color)
        reporter = TextReporter(color=color, quiet=args.quiet, cwd=Path.cwd(), verbose=args.verbose)
        reporter.report(result, out)
    return EXIT_OK if result.passed else EXIT_FAILED


def _showing_missing(checkers: list[Checker], show: bool) -> list[Checker]:
    """With --show-missing, every checker that has a ``show-missing`` option gets it on."""
    if not show:
        return checkers
    return [
        type(c)(dataclasses.replace(c.options, show_missing=True))
        if hasattr(c.options, "show_missing") else c
        for c in checkers
    ]


def _list(out: TextIO) -> int:
    from gates.registry import available_checkers

    rows = []
    for cls in available_checkers():
        state = "" if cls.enabled_by_default else " (off by default)"
        rows.append((cls.code, cls.name, cls().default_text() + state, cls.description))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        out.write("  ".join([*cells, row[3]]) + "\n")
    return EXIT_OK


def _explain(key: str, out: TextIO) -> int:
    from gates.explain import explain
    from gates.registry import find_checker

    cls = find_checker(key)
    if cls is None:
        raise UsageError(f"unknown gate '{key}'; `gates list` shows every gate")
    out.write(explain(cls))
    return EXIT_OK


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (never raises for user errors)."""
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version, or a usage error (2)
        return int(exc.code or 0)
    try:
        if args.command == "check":
            return _check(args, out)
        if args.command == "list":
            return _list(out)
        return _explain(args.gate, out)
    except UsageError as exc:
        sys.stderr.write(f"gates: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("gates: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
