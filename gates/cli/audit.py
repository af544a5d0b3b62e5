"""The audit every reading command shares (``check``, ``report``, ``badge``, ``baseline``,
``report --roadmap``): validate the paths, load the settings, choose the checkers, run.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from gates.errors import UsageError

if TYPE_CHECKING:
    from gates.core.checker import Checker
    from gates.core.config import Settings
    from gates.model import RunResult

# Long operator chains (`a + b + ...`, 1,000 terms) make trees deeper than the default
# limit of 1,000 frames; the walks over them are plain Python recursion.
DEEP_RECURSION = 10_000
T = TypeVar("T")


def split_keys(values: list[str] | None) -> list[str] | None:
    """``--select a,b --select c`` -> ``[a, b, c]``; None when the option was not given."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def common_folder(paths: Sequence[Path]) -> Path:
    """Where the settings are looked up: the folder common to every path, so the result
    never depends on the order of the arguments."""
    absolute = [os.path.abspath(p) for p in paths]
    common = Path(os.path.commonpath(absolute))
    return common if common.is_dir() else common.parent


def existing_paths(paths: list[Path], jobs: int | None) -> list[Path]:
    """``paths`` (the current folder when none), each checked to exist, and ``--jobs`` checked."""
    paths = paths or [Path(".")]
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
    if jobs is not None and jobs < 0:
        raise UsageError("--jobs: expected a whole number >= 0 (0 = automatic)")
    return paths


def deeply(call: Callable[[], T]) -> T:
    """``call()`` with a recursion limit high enough for deep trees, put back as it was
    afterwards (the limit is the whole process's, the caller's too)."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, DEEP_RECURSION))
    try:
        return call()
    finally:
        sys.setrecursionlimit(previous)


def audit(
    args: argparse.Namespace,
    select: list[str] | None,
    progress: Callable[[int, int], None] | None = None,
    adjust: Callable[[Settings], Settings] | None = None,
) -> RunResult:
    """Validate the paths and options, load the settings (``adjust`` may change them), run the gates."""
    from gates.core.config import load_settings
    from gates.core.engine import run
    from gates.core.selection import select_checkers

    jobs = getattr(args, "jobs", None)
    paths = existing_paths(args.paths, jobs)
    settings = load_settings(args.config, start=common_folder(paths))
    if adjust is not None:
        settings = adjust(settings)
    checkers = select_checkers(settings, select, split_keys(getattr(args, "ignore", None)))
    checkers = _showing_missing(checkers, getattr(args, "show_missing", False))
    adoption = _adoption(args, settings)
    return deeply(lambda: run(paths, settings, checkers, jobs=jobs, progress=progress, **adoption))


def baseline_file(given: Path | None, settings: Settings) -> Path:
    """The ratchet baseline: ``given``, else ``.gates-baseline.json`` in the project root."""
    from gates.adoption.review import BASELINE_FILE

    return given if given is not None else settings.root / BASELINE_FILE


def _adoption(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """``run`` keywords for the cache, the ratchet baseline and changed-lines mode."""
    from gates.adoption.review import Review

    reviews: list[Review] = []
    given = getattr(args, "baseline", None)  # `gates badge` has none of these options
    file = baseline_file(given, settings)
    if given is not None and not file.is_file():
        raise UsageError(f"{file}: no such baseline; record one with `gates baseline --file {file}`")
    if not getattr(args, "no_baseline", False) and file.is_file():
        from gates.adoption.baseline import load
        from gates.adoption.ratchet import BaselineReview

        reviews.append(BaselineReview(load(file), settings.root))
    diff, staged = getattr(args, "diff", None), getattr(args, "staged", False)
    if diff is not None or staged:
        from gates.adoption.changed_lines import DiffReview, changes_since, staged_changes

        changes = staged_changes(settings.root) if staged else changes_since(settings.root, str(diff))
        reviews.append(DiffReview(changes))
    return {"cache": not getattr(args, "no_cache", False), "reviews": reviews}


def _showing_missing(checkers: list[Checker], show: bool) -> list[Checker]:
    """With --show-missing, every checker that has a ``show-missing`` option gets it on."""
    if not show:
        return checkers
    import dataclasses

    return [
        type(c)(dataclasses.replace(c.options, show_missing=True))
        if hasattr(c.options, "show_missing") else c
        for c in checkers
    ]
