"""``gates badge``: a flat SVG badge for a gate's figure or the overall verdict."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from gates.cli.audit import audit


def add_badge_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def run_badge(args: argparse.Namespace, out: TextIO) -> int:
    """Audit and write the badge (to stdout, or atomically to ``--output``); 0 once written."""
    from gates.core.files import write_output
    from gates.reporters.badge import OVERALL, badge_for, render_svg

    select = None if args.metric == OVERALL else [args.metric]
    svg = render_svg(badge_for(audit(args, select), args.metric))

    def render(handle: TextIO) -> None:
        handle.write(svg)

    write_output(args.output, render, out)
    return 0
