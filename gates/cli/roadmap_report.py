"""``gates report --roadmap ROADMAP.md [PATH]``: measure the roadmap's criteria, print the checklist.

Exit codes as ``gates report``: 0 when every measured criterion is met, 1 when one is
not, 2 on a usage error. A criterion that cannot be measured here is shown as such and
does not fail the run.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from gates.errors import UsageError
from gates.model import RunResult
from gates.roadmap.checklist import adjusted, checklist, measurable
from gates.roadmap.parse import parse_roadmap, read_roadmap
from gates.roadmap.plan import resolve

if TYPE_CHECKING:
    from gates.core.config import Settings

Audit = Callable[..., RunResult]


def run_roadmap_report(args: argparse.Namespace, out: TextIO, audit: Audit) -> int:
    """Parse, measure, render; ``audit`` is the command line's own (paths, config, jobs).

    The checklist travels in ``RunResult.checklist``: every reporter, a third party's too,
    renders it, and its verdict is the run's.
    """
    from gates.cli.output import open_output, progress_for

    args = _checked(args)
    output = open_output(
        args.format, args.output, out,
        scorecard=True, no_color=args.no_color, quiet=args.quiet, verbose=args.verbose,
    )
    shown = Path(os.path.relpath(args.roadmap)).as_posix() if not args.roadmap.is_absolute() else str(args.roadmap)
    criteria = parse_roadmap(read_roadmap(args.roadmap), shown)
    if not criteria:
        raise UsageError(f"{args.roadmap}: no criteria found; write them as checklist items, "
                         "e.g. \u201c- [ ] Test coverage \u2265 80%\u201d")
    requirements = [resolve(c) for c in criteria]
    chosen = measurable(requirements)
    codes = sorted({_code(r.gate) for r in chosen})

    def adjust(settings: Settings) -> Settings:
        return adjusted(settings, chosen)

    progress = progress_for()
    try:
        result = audit(args, codes, progress, adjust) if codes else _nothing_run(args)
    finally:
        if progress is not None:
            progress.close()
    judged = checklist(shown, requirements, result, _in_repository(args.roadmap.resolve(), result))
    result = dataclasses.replace(result, checklist=judged)
    output.write(result)
    return 0 if result.passed else 1


def _in_repository(roadmap: Path, result: RunResult) -> str:
    """The roadmap's path from the top of the git repository, as CI systems resolve paths."""
    relative = os.path.relpath(roadmap, result.repository or result.root)
    return roadmap.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def _checked(args: argparse.Namespace) -> argparse.Namespace:
    """The options as the checklist uses them; options that would change what it measures are errors."""
    if args.select or args.ignore:
        raise UsageError("--roadmap: the roadmap chooses the gates; drop --select and --ignore")
    if getattr(args, "diff", None) is not None or getattr(args, "staged", False):
        raise UsageError("--roadmap: the roadmap's criteria hold for the whole project; drop --diff and --staged")
    if getattr(args, "baseline", None) is None:
        # The roadmap's figures are absolute: findings recorded in a ratchet baseline
        # count too, unless a baseline is given explicitly.
        return argparse.Namespace(**{**vars(args), "no_baseline": True})
    return args


def _code(gate: str) -> str:
    from gates.core.registry import find_checker

    cls = find_checker(gate)
    assert cls is not None
    return cls.code


def _nothing_run(args: argparse.Namespace) -> RunResult:
    from gates.core.git import repository_top

    root = Path((args.paths or [Path(".")])[0]).resolve()
    return RunResult(str(root), 0, (), (), repository=str(repository_top(root) or ""))
