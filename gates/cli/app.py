"""The ``gates`` command: ``check``, ``report``, ``badge``, ``baseline``, ``init``, ``list`` and ``explain``.

Exit codes: 0 every gate passed, 1 a gate failed, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gates import __version__
from gates.errors import UsageError

if TYPE_CHECKING:
    from gates.core.checker import Checker
    from gates.core.config import Settings
    from gates.model import RunResult
    from gates.adoption.ratchet import GateChange

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
REPORT_DESCRIPTION = (
    "Audit every Python file under PATH (default: the current folder) and print the "
    "scorecard: one row per gate with the measured value, the limit, the verdict and the "
    "worst offenders. Exit codes as `gates check`."
)


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _add_check(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str = "check",
    summary: str = "check files against every enabled gate",
    description: str = (
        "Check every Python file under PATH (default: the current folder) and exit "
        "0 when all gates pass, 1 when a gate fails, 2 on a usage or config error. "
        "Settings come from [tool.gates] in the nearest pyproject.toml."
    ),
) -> None:
    """The ``check`` command; ``report`` takes exactly the same options."""
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
    _add_output_options(check)
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


def _add_baseline(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    from gates.cli.formats import FORMAT_HELP

    parser.add_argument("--format", default="text", metavar="FORMAT", help=FORMAT_HELP)
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE",
        help="write to FILE (atomically: all or nothing) instead of the standard output",
    )


def _add_badge(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    badge = sub.add_parser(
        "badge",
        help="write an SVG badge for a gate's figure or the overall verdict",
        description="Audit PATH and write a flat SVG badge; exit 0 once it is written.",
    )
    badge.add_argument("paths", nargs="*", metavar="PATH", type=Path, help="files or folders")
    badge.add_argument(
        "--metric", default="overall", metavar="GATE",
        help="`overall` (pass/fail, the default) or a gate's name or code, e.g. "
        "coverage, type-coverage, GT102",
    )
    badge.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: stdout)")
    badge.add_argument("--config", type=Path, metavar="FILE", help="read settings from FILE")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gates",
        description="Quality gates for Python: roadmap criteria enforced on every commit and CI run.",
    )
    parser.add_argument("--version", action="version", version=f"gates {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _add_check(sub)
    _add_check(sub, "report", "the scorecard: every gate's figure against its limit", REPORT_DESCRIPTION)
    _add_badge(sub)
    _add_baseline(sub)
    from gates.cli.roadmap_options import add_roadmap_commands  # gates init, gates report --roadmap

    add_roadmap_commands(sub)
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


def _audit(
    args: argparse.Namespace,
    select: list[str] | None,
    progress: Callable[[int, int], None] | None = None,
    adjust: Callable[[Settings], Settings] | None = None,
) -> RunResult:
    """Validate the paths and options, load the settings (``adjust`` may change them), run the gates."""
    from gates.core.config import load_settings
    from gates.core.engine import run
    from gates.core.selection import select_checkers

    paths: list[Path] = args.paths or [Path(".")]
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 0:
        raise UsageError("--jobs: expected a whole number >= 0 (0 = automatic)")
    # Long operator chains (`a + b + ... `, 1,000 terms) make trees deeper than the default
    # limit of 1,000 frames; the walks over them are plain Python recursion.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    settings = load_settings(args.config, start=_common_folder(paths))
    if adjust is not None:
        settings = adjust(settings)
    checkers = select_checkers(settings, select, _split(getattr(args, "ignore", None)))
    checkers = _showing_missing(checkers, getattr(args, "show_missing", False))
    return run(paths, settings, checkers, jobs=jobs, progress=progress, **_adoption(args, settings))


def _check(args: argparse.Namespace, out: TextIO) -> int:
    """``check`` and ``report``: the same audit, the same exit code, two views of it."""
    from gates.cli.output import open_output, progress_for

    scorecard = args.command == "report"
    if scorecard and args.roadmap is not None:
        from gates.cli.roadmap_report import run_roadmap_report

        return run_roadmap_report(args, out, _audit)
    output = open_output(
        args.format, args.output, out,
        scorecard=scorecard, no_color=args.no_color, quiet=args.quiet, verbose=args.verbose,
    )
    progress = progress_for() if scorecard else None
    try:
        result = _audit(args, _split(args.select), progress)
    finally:
        if progress is not None:
            progress.close()
    output.write(result)
    return EXIT_OK if result.passed else EXIT_FAILED


def _badge(args: argparse.Namespace, out: TextIO) -> int:
    from gates.core.files import write_atomic
    from gates.reporters.badge import OVERALL, badge_for, render_svg

    select = None if args.metric == OVERALL else [args.metric]
    svg = render_svg(badge_for(_audit(args, select), args.metric))

    def render(handle: TextIO) -> None:
        handle.write(svg)

    if args.output is None or str(args.output) == "-":
        render(out)
    else:
        write_atomic(args.output, render)
    return EXIT_OK


def _baseline_file(given: Path | None, settings: Settings) -> Path:
    from gates.adoption.review import BASELINE_FILE

    return given if given is not None else settings.root / BASELINE_FILE


def _adoption(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """``run`` keywords for the cache, the ratchet baseline and changed-lines mode."""
    from gates.adoption.review import Review

    reviews: list[Review] = []
    given = getattr(args, "baseline", None)  # `gates badge` has none of these options
    file = _baseline_file(given, settings)
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


def _existing(paths: list[Path], jobs: int | None) -> list[Path]:
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
    if jobs is not None and jobs < 0:
        raise UsageError("--jobs: expected a whole number >= 0 (0 = automatic)")
    return paths


def _baseline(args: argparse.Namespace, out: TextIO) -> int:
    from gates.adoption.baseline import Baseline, load, save
    from gates.core.config import load_settings
    from gates.core.discovery import discover
    from gates.core.engine import run
    from gates.core.selection import select_checkers
    from gates.adoption.ratchet import record

    paths = _existing(args.paths or [Path(".")], args.jobs)
    settings = load_settings(args.config, start=_common_folder(paths))
    file = _baseline_file(args.file, settings)
    exists = file.exists()
    if exists and not (args.update or args.allow_worse):
        raise UsageError(f"{file}: a baseline exists; tighten it with `gates baseline --update`")
    if args.update and not exists:
        raise UsageError(f"{file}: no baseline to update; record one with `gates baseline`")
    old = load(file) if exists else Baseline()
    checkers = select_checkers(settings)
    result = run(paths, settings, checkers, jobs=args.jobs, cache=True)
    checked = {e.path for e in discover(paths, settings.root, settings.exclude)}
    new, changes = record(result, checkers, old, checked=checked, root=settings.root,
                          allow_worse=args.allow_worse or not exists)
    save(new, file)
    out.write(f"wrote {os.path.relpath(file)}\n")
    _write_changes(changes, out, fresh=not exists)
    return EXIT_OK


def _write_changes(changes: list[GateChange], out: TextIO, fresh: bool) -> None:
    for change in changes:
        if change.after or change.before or change.floor_after is not None or change.left_out:
            out.write(f"  {change.describe(fresh)}\n")
    if any(change.left_out for change in changes):
        out.write("new or worse findings are not recorded: fix them, or add --allow-worse\n")


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
    from gates.core.registry import available_checkers

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
    from gates.cli.explain import explain
    from gates.core.registry import find_checker

    cls = find_checker(key)
    if cls is None:
        raise UsageError(f"unknown gate '{key}'; `gates list` shows every gate")
    out.write(explain(cls))
    return EXIT_OK


def _dispatch(args: argparse.Namespace, out: TextIO) -> int:
    if args.command in ("check", "report"):
        return _check(args, out)
    if args.command == "badge":
        return _badge(args, out)
    if args.command == "baseline":
        return _baseline(args, out)
    if args.command == "init":
        from gates.cli.init import run_init

        return run_init(args, out)
    if args.command == "list":
        return _list(out)
    return _explain(args.gate, out)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (never raises for user errors)."""
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version, or a usage error (2)
        return int(exc.code or 0)
    try:
        return _dispatch(args, out)
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
