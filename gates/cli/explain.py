"""``gates explain``: a gate's documentation, rendered from the checker itself."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, TextIO

from gates.errors import UsageError

if TYPE_CHECKING:  # imported when a gate is explained, not at every start of `gates`
    from gates.core.checker import Checker, Example


def _heading(example: Example) -> str:
    if example.passes:
        head = "passes"
    else:
        head = "fails at line " + ", ".join(str(n) for n in example.fails_at)
    extra = ", ".join(f"{k} = {v!r}" for k, v in example.options)
    if extra:
        head += f" (with {extra})"
    if example.path != "example.py":
        head += f" (in {example.path})"
    return head


def explain(cls: type[Checker]) -> str:
    """What the gate checks, why, its options and its pass/fail examples, as plain text."""
    from gates.core.config import default_table

    parts = [f"{cls.code} {cls.name}: {cls.description}", ""]
    parts += textwrap.wrap(cls.rationale, 88) + [""]
    scope = "production code and tests" if cls.checks_tests else "production code (not tests)"
    parts.append(f"Checks: {scope}. Enabled by default: {'yes' if cls.enabled_by_default else 'no'}.")
    options = default_table(cls.options_type)
    parts += ["", f"Options ([tool.gates.{cls.name}] in pyproject.toml):", "  enabled = true"]
    parts += [f"  {key} = {value}" for key, value in options]
    parts.append(f"Suppress on a line: # gates: ignore[{cls.code}]  (or # noqa: {cls.code})")
    for example in cls.examples:
        parts += ["", f"Example — {_heading(example)}:"]
        parts += ["    " + line for line in example.code.rstrip("\n").split("\n")][:12]
        if example.code.count("\n") > 12:
            parts.append("    ...")
    return "\n".join(parts) + "\n"


def add_explain_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    explain = sub.add_parser("explain", help="show what a gate checks, why, and its examples")
    explain.add_argument("gate", metavar="GATE", help="a code (GT101) or a name (no-print)")


def run_explain(args: argparse.Namespace, out: TextIO) -> int:
    """``gates explain GATE``; an unknown gate is a usage error."""
    from gates.core.registry import find_checker

    cls = find_checker(args.gate)
    if cls is None:
        raise UsageError(f"unknown gate '{args.gate}'; `gates list` shows every gate")
    out.write(explain(cls))
    return 0
