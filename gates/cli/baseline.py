"""``gates baseline``: record today's findings so that ``gates check`` fails only on new or
worse ones; ``--update`` tightens an existing baseline, never loosens it."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from gates.cli.audit import baseline_file, common_folder, deeply, existing_paths
from gates.core.files import is_stdout, locked
from gates.errors import UsageError

if TYPE_CHECKING:
    from gates.adoption.baseline import Baseline
    from gates.adoption.ratchet import GateChange


def add_baseline_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    baseline = sub.add_parser(
        "baseline",
        help="record today's findings so that `gates check` fails only on new or worse ones",
        description=(
            "Record every finding and every gate figure under its goal in .gates-baseline.json "
            "(in the project root). With --update, tighten an existing baseline: fixed "
            "findings are dropped, ceilings lowered and floors raised, never loosened."
        ),
    )
    baseline.add_argument("paths", nargs="*", metavar="PATH", type=Path, help="files or folders")
    baseline.add_argument("--update", action="store_true", help="tighten the existing baseline")
    baseline.add_argument(
        "--allow-worse", action="store_true",
        help="also record new findings and worse values (loosens the baseline: review the diff)",
    )
    baseline.add_argument("--file", type=Path, metavar="FILE", help="the baseline file to write")
    baseline.add_argument("--config", type=Path, metavar="FILE", help="read settings from FILE")
    baseline.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes")


def run_baseline(args: argparse.Namespace, out: TextIO) -> int:
    """Record (or tighten) the baseline and say what changed; ``--file -`` writes it to
    the standard output and the summary to the standard error."""
    from gates.adoption.baseline import save
    from gates.adoption.ratchet import record
    from gates.core.config import load_settings
    from gates.core.discovery import discover
    from gates.core.engine import run
    from gates.core.selection import select_checkers

    paths = existing_paths(args.paths, args.jobs)
    settings = load_settings(args.config, start=common_folder(paths))
    file = baseline_file(args.file, settings)
    to_stdout = args.file is not None and is_stdout(args.file)  # no --file: the default file
    exists = not to_stdout and file.exists()
    _previous(file, exists, args)  # a wrong mode or a broken file fails before the audit
    checkers = select_checkers(settings)
    result = deeply(lambda: run(paths, settings, checkers, jobs=args.jobs, cache=True))
    checked = {e.path for e in discover(paths, settings.root, settings.exclude)}
    with nullcontext() if to_stdout else locked(file):
        # Read again under the lock: another `gates baseline --update` may have saved
        # meanwhile, and its entries for other files must survive this save.
        exists = not to_stdout and file.exists()
        old = _previous(file, exists, args)
        new, changes = record(result, checkers, old, checked=checked, root=settings.root,
                              allow_worse=args.allow_worse or not exists)
        save(new, file, out)
    summary = sys.stderr if to_stdout else out  # the standard output holds the baseline
    summary.write(f"wrote {'the standard output' if to_stdout else os.path.relpath(file)}\n")
    _write_changes(changes, summary, fresh=not exists)
    return 0


def _previous(file: Path, exists: bool, args: argparse.Namespace) -> Baseline:
    """The baseline to tighten (an empty one for a fresh record); the wrong mode is an error."""
    from gates.adoption.baseline import Baseline, load

    if exists and not (args.update or args.allow_worse):
        raise UsageError(f"{file}: a baseline exists; tighten it with `gates baseline --update`")
    if args.update and not exists:
        raise UsageError(f"{file}: no baseline to update; record one with `gates baseline`")
    return load(file) if exists else Baseline()


def _write_changes(changes: list[GateChange], out: TextIO, fresh: bool) -> None:
    for change in changes:
        if change.after or change.before or change.floor_after is not None or change.left_out:
            out.write(f"  {change.describe(fresh)}\n")
    if any(change.left_out for change in changes):
        out.write("new or worse findings are not recorded: fix them, or add --allow-worse\n")
