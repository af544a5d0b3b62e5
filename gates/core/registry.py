"""Finding checkers: every one, built-in or third-party, comes from the ``gates.checkers`` group."""

from __future__ import annotations

import sys
from functools import lru_cache
from collections.abc import Callable
from importlib.metadata import EntryPoint, EntryPoints, entry_points
from typing import TYPE_CHECKING, Any

from gates.errors import UsageError

if TYPE_CHECKING:
    from gates.core.checker import Checker

GROUP = "gates.checkers"


@lru_cache(maxsize=4)
def _entry_points_on(path: tuple[str, ...]) -> Any:
    """Every installed distribution's entry points, read once for this ``sys.path``
    (``SelectableGroups`` on Python 3.11, ``EntryPoints`` later: both ``select``)."""
    return entry_points()


def plugins(group: str) -> EntryPoints:
    """The entry points of ``group``. Reading them means reading every installed
    distribution's metadata, the largest part of a small run's start-up: gates reads
    them once per process and takes each group it needs (checkers, reporters,
    reseeders) from that one reading."""
    found: EntryPoints = _entry_points_on(tuple(sys.path)).select(group=group)
    return found


def load_plugin(
    entry: EntryPoint, kind: str, make: Callable[[Any], Any] = lambda target: target
) -> Any:
    """What an entry point names, passed through ``make``; any failure of a third-party
    package is one :class:`UsageError` naming the plugin, never a traceback."""
    try:
        return make(entry.load())
    except Exception as exc:  # a broken plugin must not be a traceback
        raise UsageError(
            f"{kind} plugin '{entry.name}' ({entry.value}) failed to load: "
            f"{type(exc).__name__}: {exc}; fix or uninstall that package"
        ) from None


@lru_cache(maxsize=1)
def available_checkers() -> tuple[type[Checker], ...]:
    """Every registered checker class, sorted by code. A plugin that fails to load is an error."""
    from gates.core.checker import Checker

    found: dict[str, type[Checker]] = {}
    for entry in plugins(GROUP):
        cls = load_plugin(entry, "checker")
        if not (isinstance(cls, type) and issubclass(cls, Checker)):
            raise UsageError(
                f"checker plugin '{entry.name}' ({entry.value}) is not a gates Checker subclass"
            )
        if cls.code in found and found[cls.code] is not cls:
            other = found[cls.code]
            raise UsageError(
                f"checker plugins {other.__module__}.{other.__name__} and "
                f"{cls.__module__}.{cls.__name__} both claim code {cls.code}"
            )
        found[cls.code] = cls
    if not found:
        raise UsageError("no checkers are registered: is gates installed? run: pip install -e .")
    return tuple(sorted(found.values(), key=lambda c: c.code))


def find_checker(key: str) -> type[Checker] | None:
    """The checker with this code or name (case-insensitive code), or None."""
    for cls in available_checkers():
        if key.upper() == cls.code or key == cls.name:
            return cls
    return None
