"""What the gates that wrap an established tool (GT201 flake8, GT202 mypy, GT203 bandit) share.

Each runs once per run on the project's files through the tool's Python API, in the
main process (``check_project``), and turns the tool's reports into findings. The tool
is imported only then; a tool that is not installed is a :class:`UsageError` naming
the ``pip install`` to run.
"""

from __future__ import annotations

import importlib
import os
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import ClassVar

from gates.core.checker import Checker, Project
from gates.errors import UsageError
from gates.model import Finding, Location
from gates.core.source import SourceFile


def require(module: str, package: str, gate: str) -> ModuleType:
    """Import ``module`` of the tool, or explain how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(
            f"gate {gate} needs {package}, which is not installed; "
            f"run: pip install {package}  (or: pip install 'gates[tools]')"
        ) from None


def _has_ini_section(file: Path, sections: Sequence[str]) -> bool:
    import configparser  # only when a tool gate reads an ini file

    parser = configparser.RawConfigParser()
    try:
        parser.read(file, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return False
    return any(parser.has_section(s) for s in sections)


def has_tool_table(file: Path, tool: str) -> bool:
    """True when ``file`` (a pyproject.toml) has a ``[tool.<tool>]`` table."""
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return False
    table = data.get("tool")
    return isinstance(table, dict) and tool in table


Candidate = tuple[str, Callable[[Path], bool]]


def ini_with(*sections: str) -> Callable[[Path], bool]:
    return lambda file: _has_ini_section(file, sections)


def toml_with(tool: str) -> Callable[[Path], bool]:
    return lambda file: has_tool_table(file, tool)


def find_config(root: Path, candidates: Sequence[Candidate]) -> Path | None:
    """The tool's config file as the tool would find it from ``root``: the first candidate
    that holds the tool's section, in ``root`` or the nearest folder above it, stopping at
    a repository's top (``.git``) or the home folder."""
    home = Path(os.path.expanduser("~")).resolve()
    for folder in (root.resolve(), *root.resolve().parents):
        if folder == home:
            break
        for name, holds_section in candidates:
            file = folder / name
            if file.is_file() and holds_section(file):
                return file
        if (folder / ".git").exists():
            break
    return None


def relative(root: Path, file: str) -> str:
    """A path the tool reported, relative to the root with ``/`` (absolute when outside)."""
    absolute = Path(os.path.abspath(file))
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        try:
            return absolute.relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            return absolute.as_posix()


class ToolChecker(Checker):
    """A gate that runs an established tool once over the project's files."""

    enabled_by_default = False
    needs_tree = False
    unit = "problems"
    tool: ClassVar[str]  # the pip package, e.g. "mypy"

    def applies_to(self, source: SourceFile) -> bool:
        return False  # nothing per file: the tool runs once, in check_project

    def default_text(self) -> str:
        return f"0 {self.tool} problems"

    def check_project(self, project: Project) -> Iterable[Finding]:
        files = [f for f in project.files if self.checks_tests or not f.is_test]
        if not files:
            return []
        return self.run_tool(project.root, [str(f.file.resolve()) for f in files])

    def run_tool(self, root: Path, files: list[str]) -> list[Finding]:
        raise NotImplementedError

    def tool_finding(self, root: Path, file: str, line: int, column: int, message: str) -> Finding:
        location = Location(relative(root, file), max(line, 1), max(column, 1))
        return Finding(self.code, self.name, location, message)
