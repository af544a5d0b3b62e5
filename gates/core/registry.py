"""Finding checkers: every one, built-in or third-party, comes from the ``gates.checkers`` group."""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache, reduce
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any, NamedTuple

from gates.errors import UsageError

if TYPE_CHECKING:
    from gates.core.checker import Checker

GROUP = "gates.checkers"
_TARGET = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


class EntryPoint(NamedTuple):
    """One entry point, as ``importlib.metadata.EntryPoint`` gives it: name, target, group."""

    name: str
    value: str
    group: str

    def load(self) -> Any:
        """What the entry point names (``module:attribute``), imported."""
        match = _TARGET.match(self.value)
        if match is None:
            raise ValueError(f"not an entry point target: {self.value!r}")
        module = import_module(match.group("module"))
        return reduce(getattr, filter(None, (match.group("attr") or "").split(".")), module)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _sections(text: str, into: list[EntryPoint]) -> None:
    """The ``name = value`` lines of an ``entry_points.txt``, by section (group)."""
    group = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1].strip()
        elif group is not None and "=" in line:
            name, value = line.split("=", 1)
            into.append(EntryPoint(name.strip(), value.strip(), group))


def _scan(path: tuple[str, ...]) -> list[EntryPoint] | None:
    """Every distribution's entry points found in the folders of ``path``, the first
    distribution of each name winning as in ``importlib.metadata``; None when an entry is
    not a folder (a zip file), which only ``importlib.metadata`` reads."""
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for folder in path:
        try:
            names = os.listdir(folder or ".")
        except NotADirectoryError:
            return None
        except OSError:
            continue
        for name in names:
            stem, ext = os.path.splitext(name)
            if ext.lower() not in (".dist-info", ".egg-info"):
                continue
            key = _normalized(stem.partition("-")[0])
            if key in seen:
                continue
            seen.add(key)
            try:
                with open(os.path.join(folder or ".", name, "entry_points.txt"), encoding="utf-8") as text:
                    _sections(text.read(), found)
            except (OSError, UnicodeDecodeError):
                continue
    return found


@lru_cache(maxsize=4)
def _entry_points_on(path: tuple[str, ...]) -> list[EntryPoint]:
    """Every installed distribution's entry points, read once for this ``sys.path``.

    Read straight from the ``entry_points.txt`` of each ``*.dist-info`` and ``*.egg-info``
    folder: ``importlib.metadata`` gives the same, but importing it (with ``email`` and
    ``zipfile``) is about 20 ms of every start. It still reads a path with a zip file.
    """
    found = _scan(path)
    if found is None:
        from importlib.metadata import distributions

        found = []
        seen: set[str] = set()
        for dist in distributions():
            key = _normalized(dist.metadata["Name"] or "")
            if key not in seen:
                seen.add(key)
                found += [EntryPoint(e.name, e.value, e.group) for e in dist.entry_points]
    return found


def plugins(group: str) -> list[EntryPoint]:
    """The entry points of ``group``. Reading them means reading every installed
    distribution's metadata, the largest part of a small run's start-up: gates reads
    them once per process and takes each group it needs (checkers, reporters,
    reseeders) from that one reading."""
    return [entry for entry in _entry_points_on(tuple(sys.path)) if entry.group == group]


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


class CheckerInfo(NamedTuple):
    """A registered checker as a run first needs it: its code, name and default, and how
    to import its class (a built-in one is imported only when a run uses it)."""

    code: str
    name: str
    enabled_by_default: bool
    entry: EntryPoint

    def load(self) -> type[Checker]:
        """The checker class (imported once)."""
        return _checker_class(self.entry)


@lru_cache(maxsize=None)
def _checker_class(entry: EntryPoint) -> type[Checker]:
    from gates.core.checker import Checker

    cls = load_plugin(entry, "checker")
    if not (isinstance(cls, type) and issubclass(cls, Checker)):
        raise UsageError(f"checker plugin '{entry.name}' ({entry.value}) is not a gates Checker subclass")
    return cls


@lru_cache(maxsize=1)
def checker_index() -> tuple[CheckerInfo, ...]:
    """Every registered checker, sorted by code. A built-in one is known from
    ``gates.checkers.BUILT_IN`` without importing it; a third-party one is imported to
    learn its code. A plugin that fails to load, or two that claim one code, is an error."""
    from gates.checkers import BUILT_IN

    found: dict[str, CheckerInfo] = {}
    for entry in plugins(GROUP):
        known = BUILT_IN.get(entry.value)
        if known is None:
            cls = _checker_class(entry)
            info = CheckerInfo(cls.code, cls.name, cls.enabled_by_default, entry)
        else:
            info = CheckerInfo(known[0], entry.name, known[1], entry)
        other = found.get(info.code)
        if other is not None and other.entry.value != entry.value:
            raise UsageError(f"checker plugins {other.entry.value} and {entry.value} both claim code {info.code}")
        found[info.code] = info
    if not found:
        raise UsageError("no checkers are registered: is gates installed? run: pip install -e .")
    return tuple(sorted(found.values(), key=lambda info: info.code))


def available_checkers() -> tuple[type[Checker], ...]:
    """Every registered checker class, sorted by code (all imported)."""
    return tuple(info.load() for info in checker_index())


def find_checker(key: str) -> type[Checker] | None:
    """The checker with this code or name (case-insensitive code), or None."""
    for cls in available_checkers():
        if key.upper() == cls.code or key == cls.name:
            return cls
    return None
