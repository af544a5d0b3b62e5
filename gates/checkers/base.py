"""The import path plugin authors use: ``from gates.checkers.base import Checker``.

The checker protocol itself lives in :mod:`gates.core.checker`; this module re-exports it
so that third-party checkers written against the documented path keep working.
"""

from __future__ import annotations

from gates.core.checker import (
    Checker,
    Example,
    NoOptions,
    Project,
    ProjectChecker,
    ProjectFile,
    SizeChecker,
    option,
)

__all__ = [
    "Checker",
    "Example",
    "NoOptions",
    "Project",
    "ProjectChecker",
    "ProjectFile",
    "SizeChecker",
    "option",
]
