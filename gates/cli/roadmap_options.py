"""The command-line options of ``gates init`` and ``gates report --roadmap``."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_roadmap_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``gates init`` and ``gates report --roadmap``: the roadmap is the config (gates/roadmap/)."""
    init = sub.add_parser(
        "init", help="write the roadmap's criteria (or the defaults) into pyproject.toml",
        description="Write [tool.gates] settings into pyproject.toml: the measurable criteria of "
        "ROADMAP (--from), each with a comment quoting its line, or the default criteria. "
        "Everything else in the file is kept as it is.",
    )
    init.add_argument("--from", dest="roadmap", type=Path, metavar="ROADMAP",
                      help="a Markdown or plain-text roadmap to read the criteria from")
    init.add_argument("--dry-run", action="store_true", help="print the change, write nothing")
    init.add_argument("-v", "--verbose", action="store_true",
                      help="list every line not taken, each with why (default: counts by reason)")
    init.add_argument("--force", action="store_true", help="overwrite settings that conflict")
    init.add_argument("--config", type=Path, metavar="FILE",
                      help="the pyproject.toml to write (default: the project's, as `gates check` finds it)")
    sub.choices["report"].add_argument(
        "--roadmap", type=Path, metavar="ROADMAP",
        help="the roadmap's own criteria as a checklist, each ticked or crossed by measurement",
    )
