"""Run the measured tools as they run on a developer's machine.

A ``pip install`` compiles every module to bytecode, and Python caches the bytecode of an
editable install on first import. A shell with ``PYTHONDONTWRITEBYTECODE=1`` (as in some
sandboxes and CI images) makes every run of an editable install compile gates' modules
from source again, about 40 ms per run that no user pays. The benchmarks therefore run
their subprocesses without that variable, after compiling gates once.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path

import gates


def installed() -> dict[str, str]:
    """This environment without ``PYTHONDONTWRITEBYTECODE``."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_gates() -> None:
    """Write the bytecode of gates and pytest_gates, as ``pip install`` would."""
    root = Path(gates.__file__).resolve().parent.parent
    for package in ("gates", "pytest_gates"):
        if (root / package).is_dir():
            compileall.compile_dir(root / package, quiet=1)
