"""``gates combine DIR... --expect N``: the shards of a split test run, one verdict.

Each shard ran ``pytest --gates-shard=DIR``; this command merges their records into one
scorecard in every format of ``gates report``. Exit 0 when every gate passed, 1 when one
failed or the set of shards is incomplete (missing, duplicated, from another commit or
configuration, overlapping), 2 when a record or data file cannot be read.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from gates.errors import UsageError

SUMMARY = "merge the records of a split test run's shards into one verdict"
DESCRIPTION = (
    "Read the records that `pytest --gates-shard=DIR` wrote in each shard (searched under "
    "each DIR), check that they make one whole run (N shards, one commit, one configuration, "
    "no test run twice), combine their coverage data with coverage.py and judge it once, "
    "merge perf verdicts and new baselines, judge max-duration and max-memory on the largest "
    "shard. An incomplete set is never judged: exit 1, naming the shard."
)


def add_combine_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from gates.cli.check import add_output_options

    parser = sub.add_parser("combine", help=SUMMARY, description=DESCRIPTION)
    parser.add_argument("folders", nargs="+", metavar="DIR", type=Path,
                        help="folders holding the shards' records (searched recursively)")
    parser.add_argument("--expect", type=int, metavar="N",
                        help="how many shards make the whole run (default: the total the shards "
                        "recorded, --gates-shard-total or pytest-split's --splits)")
    parser.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                        help="the project: coverage.py's configuration, the combined data file and "
                        "the baseline file are read and written there (default: the current folder)")
    parser.add_argument("--coverage-file", metavar="FILE", default="",
                        help="write the combined coverage data to FILE, relative to --root "
                        "(default: coverage.py's data file, usually .coverage)")
    parser.add_argument("--no-color", action="store_true", help="never colour the output")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the failing gates' rows")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when gates fail (2 still means unreadable input)")
    add_output_options(parser)


def run_combine(args: argparse.Namespace, out: TextIO) -> int:
    from gates.cli.output import open_output
    from gates.combine.merge import combine

    if args.expect is not None and args.expect < 1:
        raise UsageError(f"--expect {args.expect}: expected 1 or more shards")
    root = args.root.resolve()
    if not root.is_dir():
        raise UsageError(f"{args.root}: --root is not a folder")
    output = open_output(args.format, args.output, out, scorecard=True,
                         no_color=args.no_color, quiet=args.quiet)
    result = combine(args.folders, args.expect, root, args.coverage_file)
    output.write(result)
    return 0 if result.passed or args.exit_zero else 1
