"""``gates explain``: the gate's documentation (:mod:`gates.core.docs`) as plain text."""

from __future__ import annotations

import argparse
from typing import TextIO

from gates.errors import UsageError


def add_explain_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    explain = sub.add_parser("explain", help="show what a gate checks, why, and its examples")
    explain.add_argument("gate", metavar="GATE", help="a code (GT101) or a name (no-print)")


def run_explain(args: argparse.Namespace, out: TextIO) -> int:
    """``gates explain GATE``; an unknown gate is a usage error."""
    from gates.core.docs import explain
    from gates.core.registry import find_checker

    cls = find_checker(args.gate)
    if cls is None:
        raise UsageError(f"unknown gate '{args.gate}'; `gates list` shows every gate")
    out.write(explain(cls))
    return 0
