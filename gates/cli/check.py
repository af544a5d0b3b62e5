"""``gates check`` and ``gates report``: the same audit and exit code, two views of it.

``check`` prints the findings (or ``--format`` json, sarif, ...), ``report`` the
scorecard; ``report --roadmap`` the roadmap's checklist (:mod:`gates.cli.roadmap_report`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from gates.cli.audit import audit, split_keys
from gates.errors import UsageError
from gates.model import RunResult

CHECK_SUMMARY = "check files against every enabled gate"
CHECK_DESCRIPTION = (
    "Check every Python file under PATH (default: the current folder) and exit "
    "0 when all gates pass, 1 when a gate fails, 2 on a usage or config error. "
    "Settings come from [tool.gates] in the nearest pyproject.toml."
)
REPORT_SUMMARY = "the scorecard: every gate's figure against its limit"
REPORT_DESCRIPTION = (
    "Audit every Python file under PATH (default: the current folder) and print the "
    "scorecard: one row per gate with the measured value, the limit, the verdict and the "
    "worst offenders. Exit codes as `gates check`."
)


def add_check_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``check`` and ``report``, which take exactly the same options."""
    _add_check(sub, "check", CHECK_SUMMARY, CHECK_DESCRIPTION)
    _add_check(sub, "report", REPORT_SUMMARY, REPORT_DESCRIPTION)


def _add_check(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str, description: str
) -> None:
    check = sub.add_parser(name, help=summary, description=description)
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
    add_output_options(check)
    _add_view_options(check)
    check.add_argument(
        "-j", "--jobs", type=int, metavar="N",
        help="worker processes (default: automatic, one per core when there are many files)",
    )
    _add_adoption_options(check)


def _add_view_options(check: argparse.ArgumentParser) -> None:
    """What the output shows and the exit code it ends with (flake8's and ruff's switches)."""
    check.add_argument("--no-color", action="store_true", help="never colour the output")
    check.add_argument(
        "-q", "--quiet", action="store_true",
        help="check: findings only, no summary; report: only the failing gates' rows",
    )
    check.add_argument(
        "--statistics", action="store_true",
        help="check: one line per code with its number of findings, instead of every finding",
    )
    check.add_argument(
        "--exit-zero", action="store_true",
        help="exit 0 even when gates fail (2 still means a usage or config error)",
    )
    check.add_argument(
        "-v", "--verbose", action="store_true",
        help="also show the per-file table of gates that keep one (type-coverage), worst first",
    )
    check.add_argument(
        "--show-missing", action="store_true",
        help="list every unannotated parameter and return as a type-coverage finding",
    )


def _add_adoption_options(check: argparse.ArgumentParser) -> None:
    """The ratchet baseline, changed-lines mode and the cache (README: adopting gates)."""
    changed = check.add_mutually_exclusive_group()
    changed.add_argument(
        "--diff", metavar="REF",
        help="only findings on lines changed since the merge-base with REF (a branch, tag or "
        "commit), and functions or files that grew",
    )
    changed.add_argument(
        "--staged", action="store_true",
        help="only findings on lines staged for commit (the index against HEAD), for pre-commit",
    )
    known = check.add_mutually_exclusive_group()
    known.add_argument(
        "--baseline", type=Path, metavar="FILE",
        help="the ratchet baseline to apply (default: .gates-baseline.json in the project root, "
        "when it exists)",
    )
    known.add_argument("--no-baseline", action="store_true", help="report every finding")
    check.add_argument(
        "--no-cache", action="store_true",
        help="neither read nor write per-file results in .gates_cache/",
    )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``--format`` and ``-o/--output``."""
    from gates.cli.formats import FORMAT_HELP

    parser.add_argument("--format", "--output-format", dest="format", default="text", metavar="FORMAT",
                        help=FORMAT_HELP + " (--output-format: ruff's name for it)")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE",
        help="write to FILE (atomically: all or nothing) instead of the standard output",
    )


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    """``check`` and ``report``: 0 when every gate passed, 1 when one failed."""
    from gates.cli.output import open_output, progress_for

    scorecard = args.command == "report"
    if scorecard and args.roadmap is not None:
        from gates.cli.roadmap_report import run_roadmap_report

        return run_roadmap_report(args, out, audit)
    if args.statistics and (scorecard or args.format != "text"):
        raise UsageError("--statistics is for `gates check` with the text format")
    output = open_output(
        args.format, args.output, out, scorecard=scorecard, no_color=args.no_color,
        quiet=args.quiet, verbose=args.verbose, statistics=args.statistics,
    )
    progress = progress_for() if scorecard else None
    try:
        result = audit(args, split_keys(args.select), progress)
    finally:
        if progress is not None:
            progress.close()
    _refuse_empty(result, args)
    output.write(result)
    return 0 if result.passed or args.exit_zero else 1


def _refuse_empty(result: RunResult, args: argparse.Namespace) -> None:
    """No gate left is a usage error (exit 2): nothing was judged, so nothing passed. No
    Python file is a warning on stderr, as in ruff: the project gates (GT301 coverage,
    GT303 perf) judge data files and still have a verdict, but a CI job pointed at the
    wrong folder must not go green without a word."""
    if not result.gates:
        raise UsageError("no gates selected: --select/--ignore (or select/ignore in the config) "
                         "leave none; `gates list` shows them")
    if result.files_checked == 0:
        where = ", ".join(str(p) for p in args.paths) if args.paths else "the current folder"
        sys.stderr.write(f"gates: warning: no Python files found in {where}\n")
