"""``gates history``: every static gate's figure over the commits of a range, with a forecast."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from gates.errors import UsageError

if TYPE_CHECKING:
    from datetime import date

    from gates.history.forecast import Forecast
    from gates.history.measure import Trail

SUMMARY = "each gate's figure over the git history, burn-down charts and a forecast"
DESCRIPTION = (
    "Measure every selected static gate at each commit of a range (first parent; default: "
    "all of HEAD's), read from git objects without a checkout, and forecast when each "
    "failing gate reaches its limit at the recent pace. Exit 0, or 2 on a usage error."
)
FORMATS = ("text", "json", "csv", "markdown", "html")


def add_history_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = sub.add_parser("history", help=SUMMARY, description=DESCRIPTION)
    history.add_argument("targets", nargs="*", metavar="[PATH] [REV-RANGE]",
                         help="the project folder, or a folder in it (default: the current folder), "
                         "then commits as git names them (HEAD~100..HEAD, v1.0..main; default HEAD)")
    span = history.add_mutually_exclusive_group()
    span.add_argument("--since", metavar="DATE", help="only commits since DATE (2026-01-01, '8 weeks ago')")
    span.add_argument("--commits", type=int, metavar="N", help="only the last N commits of the main line")
    history.add_argument("--every", choices=("commit", "week"), default="commit",
                         help="measure every commit (default) or the last commit of each week")
    history.add_argument("--config-now", action="store_true",
                         help="judge every commit by the current config, not the one it had")
    history.add_argument("--select", action="append", metavar="GATES", help="only these gates (as gates check)")
    history.add_argument("--ignore", action="append", metavar="GATES", help="skip these gates (as gates check)")
    history.add_argument("--roadmap", type=Path, metavar="FILE",
                         help="a roadmap whose criteria carry dates (2027-03-01): does each date hold?")
    history.add_argument("--format", default="text", choices=FORMATS, help="output format (default text)")
    history.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    history.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (0: automatic)")
    history.add_argument("--no-cache", action="store_true", help="neither read nor write .gates_cache/")


def _split(values: list[str] | None) -> list[str] | None:
    from gates.cli.audit import split_keys

    return split_keys(values)


def _where(targets: list[str]) -> tuple[Path, list[str]]:
    """The folder, and the revisions: a first argument that is no folder is a revision."""
    if targets and Path(targets[0]).is_dir():
        return Path(targets[0]), targets[1:]
    if targets and Path(targets[0]).exists():
        raise UsageError(f"{targets[0]}: not a folder; give the project folder (gates history .)")
    return Path("."), targets


def run_history(args: argparse.Namespace, out: TextIO) -> int:
    from gates.cli.audit import deeply
    from gates.core.config import load_settings
    from gates.core.files import write_output
    from gates.core.git import repository
    from gates.history.forecast import forecasts, roadmap_dates, with_roadmap
    from gates.history.measure import Selection, measure
    from gates.history.walk import read_history

    if args.commits is not None and args.commits < 1:
        raise UsageError("--commits: expected a whole number >= 1")
    if args.jobs < 0:
        raise UsageError("--jobs: expected a whole number >= 0 (0 = automatic)")
    folder, revisions = _where(list(args.targets))
    settings = load_settings(start=folder.resolve())
    top, prefix = repository(settings.root, "gates history")
    scope = os.path.relpath(folder.resolve(), settings.root)
    scope = "" if scope == "." else Path(scope).as_posix() + "/"
    dates = roadmap_dates(args.roadmap) if args.roadmap is not None else {}
    history = read_history(top, prefix, args.since, args.commits, revisions)
    selection = Selection(settings, _split(args.select), _split(args.ignore), args.config_now)
    every = "week" if args.every == "week" else None
    trail = deeply(lambda: measure(history, top, prefix, scope, selection, every=every,
                                   cache=not args.no_cache, jobs=args.jobs))
    found = with_roadmap(forecasts(trail), dates)
    write_output(args.output, lambda stream: _render(args.format, trail, found, stream, dates), out)
    return 0


def _render(fmt: str, trail: Trail, found: list[Forecast], out: TextIO,
            dates: dict[str, tuple[date, float | None, str]]) -> None:
    from gates.history import html, render

    writers = {"text": render.write_text, "json": render.write_json, "csv": render.write_csv,
               "markdown": render.write_markdown}
    if fmt == "html":
        html.write_html(trail, found, out, dates)
    else:
        writers[fmt](trail, found, out)
