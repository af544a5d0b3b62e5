"""``gates check`` and ``gates report``: the same audit and exit code, two views of it.

``check`` prints the findings (or ``--format`` json, sarif, ...), ``report`` the
scorecard; ``report --roadmap`` the roadmap's checklist (:mod:`gates.cli.roadmap_report`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from gates.cli.audit import audit, split_keys

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
    _add_adoption_options(check)


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

    parser.add_argument("--format", default="text", metavar="FORMAT", help=FORMAT_HELP)
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
    output = open_output(
        args.format, args.output, out,
        scorecard=scorecard, no_color=args.no_color, quiet=args.quiet, verbose=args.verbose,
    )
    progress = progress_for() if scorecard else None
    try:
        result = audit(args, split_keys(args.select), progress)
    finally:
        if progress is not None:
            progress.close()
    output.write(result)
    return 0 if result.passed else 1
