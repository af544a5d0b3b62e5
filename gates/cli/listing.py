"""``gates list``: every gate with its code, default and description."""

from __future__ import annotations

import argparse
from typing import TextIO


def add_list_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("list", help="list every gate with its code, default and description")


def run_list(args: argparse.Namespace, out: TextIO) -> int:
    """One aligned row per registered gate."""
    from gates.core.registry import available_checkers

    rows = []
    for cls in available_checkers():
        state = "" if cls.enabled_by_default else " (off by default)"
        rows.append((cls.code, cls.name, cls().default_text() + state, cls.description))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        out.write("  ".join([*cells, row[3]]) + "\n")
    return 0
