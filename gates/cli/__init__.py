"""The ``gates`` command line: one module per command, ``main(argv)`` the entry point.

``main`` returns the exit code (0 every gate passed, 1 a gate failed, 2 usage or
configuration error) and never raises for a user's mistake, so tests and scripts call it
in-process: ``gates.cli.main(["check", "src"])``. ``entry`` is the installed command:
``main``, then a fast exit.
"""

from __future__ import annotations

from gates.cli.app import build_parser, entry, main

__all__ = ["build_parser", "entry", "main"]
