"""The per-file driver of ``gates fix``: plan on the ast, edit with libcst, check, write.

A file that does not parse is never touched; a result that does not compile is never
written (the file is listed instead); each file is written atomically, keeping its
encoding, line endings and permissions. The findings before and after come from the
gates' own checkers, run on the old and the new text.
"""

from __future__ import annotations

import os
import tomllib
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gates.core.checker import Checker, option
from gates.core.config import Settings
from gates.core.discovery import FileEntry, discover
from gates.core.files import replace_bytes
from gates.core.selection import per_file_ignores
from gates.core.source import SourceFile
from gates.core.suppression import is_suppressed
from gates.fix.prints import LEVELS, PrintPlan, bound_names, dotted_calls, plan_logger, plan_prints
from gates.fix.returns import plan_returns

FIXABLE = ("GT101", "GT104")


@dataclass(frozen=True)
class FixOptions:
    """``[tool.gates.fix]``."""

    level: str = option("info", "the logger method a print to stdout becomes")
    stderr_level: str = option("error", "the logger method a print to sys.stderr becomes")

    def problem(self) -> str | None:
        for key, value in (("level", self.level), ("stderr-level", self.stderr_level)):
            if value not in LEVELS:
                return f"{key} = {value!r}: expected one of {', '.join(LEVELS)}"
        return None


@dataclass
class FileFix:
    """What ``gates fix`` did (or would do) to one file."""

    path: str
    file: Path
    original: bytes
    fixed: bytes | None = None  # None: left as it is
    notes: list[str] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)  # code -> GT101 count, GT104 (annotated, slots)
    after: dict[str, Any] = field(default_factory=dict)
    fixes: int = 0


@dataclass(frozen=True)
class FixContext:
    checkers: Sequence[Checker]
    options: FixOptions
    unsafe: bool
    scripts: dict[str, frozenset[str]]  # module -> functions registered as console scripts


def console_scripts(root: Path) -> dict[str, frozenset[str]]:
    """``module -> {function}`` for every ``module:function`` of [project.scripts],
    [project.gui-scripts] and [tool.poetry.scripts] in the root's pyproject.toml."""
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    tables = [data.get("project", {}).get("scripts", {}), data.get("project", {}).get("gui-scripts", {}),
              data.get("tool", {}).get("poetry", {}).get("scripts", {})]
    found: dict[str, set[str]] = {}
    for table in tables:
        for target in table.values() if isinstance(table, dict) else ():
            if isinstance(target, str) and ":" in target:
                module, _, function = target.partition(":")
                found.setdefault(module.strip(), set()).add(function.split("[")[0].strip())
    return {module: frozenset(functions) for module, functions in found.items()}


def module_name(path: str) -> str:
    """``src/pkg/cli.py`` -> ``pkg.cli``; ``pkg/__init__.py`` -> ``pkg``."""
    parts = path.removesuffix(".py").split("/")
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _counts(source: SourceFile, checkers: Sequence[Checker]) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    for checker in checkers:
        if checker.code == "GT101":
            counts["GT101"] = sum(not is_suppressed(f, source.lines) for f in checker.check(source))
        elif checker.code == "GT104":
            counts["GT104"] = checker.measure(source)
    return counts


def _note(source: SourceFile, plan: PrintPlan, why: str) -> str:
    node = plan.node
    prefix = "left alone" if plan.program_output else "not fixed"
    return f"{source.path}:{node.lineno}:{node.col_offset + 1}: GT101 {prefix}: {why}"


def _print_plans(source: SourceFile, context: FixContext) -> list[PrintPlan]:
    """What to do with each print GT101 flags in ``source`` (none when GT101 is not fixed)."""
    from gates.checkers.no_print import print_calls

    checker = next((c for c in context.checkers if c.code == "GT101"), None)
    if checker is None:
        return []
    flagged = {(f.line, f.column) for f in checker.check(source) if not is_suppressed(f, source.lines)}
    calls = [node for node in print_calls(source) if (node.lineno, node.col_offset + 1) in flagged]
    scripts = context.scripts.get(module_name(source.path), frozenset())
    return plan_prints(source, calls, level=context.options.level, stderr_level=context.options.stderr_level,
                       scripts=scripts, unsafe=context.unsafe)


def _logged_prints(source: SourceFile, context: FixContext, result: FileFix) -> tuple[list[PrintPlan], Any]:
    """The prints to turn into log calls and the logger they use; notes for the others."""
    plans = _print_plans(source, context)
    fixable = [p for p in plans if p.level is not None]
    result.notes += [_note(source, p, p.why) for p in plans if p.level is None]
    if not fixable:
        return [], None
    logger = plan_logger(source, plans)
    if isinstance(logger, str):
        result.notes[:0] = [_note(source, p, logger) for p in fixable]
    return ([], None) if isinstance(logger, str) else (fixable, logger)


def fix_source(source: SourceFile, data: bytes, context: FixContext, file: Path) -> FileFix:
    """Plan, edit and check one file; ``data`` is its bytes as read."""
    result = FileFix(source.path, file, data)
    if source.tree is None:
        if source.error is not None:
            error = source.error
            result.notes.append(f"{source.path}:{error.line}:{error.column}: not touched: it {error.reason}")
        return result
    result.before = _counts(source, context.checkers)
    prints, logger = _logged_prints(source, context, result)
    def_plans = []
    if any(c.code == "GT104" for c in context.checkers):
        bound = set(bound_names(source.tree)) if context.unsafe else set()  # only --unsafe's types need it
        def_plans = plan_returns(source, unsafe=context.unsafe, bound=bound)
    if prints or def_plans:
        _edit(source, result, context, prints, logger, def_plans)
    return result


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _new_bytes(source: SourceFile, result: FileFix, prints: list[PrintPlan], logger: Any,
               def_plans: list[Any]) -> bytes | None:
    """The edited file, or None (and a note) when libcst cannot make the edit."""
    from gates.analysis.statements import function_defs
    from gates.fix.edit import Mismatch, apply

    assert source.tree is not None
    calls = dotted_calls(source.tree) if prints else []
    by_node = {id(node): index for index, (node, _) in enumerate(calls)}
    defs = [node.name for _, node in function_defs(source)]
    try:
        return apply(result.original, [name for _, name in calls], {by_node[id(p.node)]: p for p in prints},
                     logger, defs, {p.index: p for p in def_plans})
    except Mismatch as exc:
        result.notes.append(f"{source.path}:1:1: not fixed: libcst and ast disagree ({exc}); please report it")
    except Exception as exc:  # libcst's parser error, or its limits (a deep tree)
        result.notes.append(f"{source.path}:1:1: not fixed: libcst cannot edit it ({_first_line(exc)})")
    return None


def _compiles(source: SourceFile, new: bytes, result: FileFix) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(new, source.path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        result.notes.append(f"{source.path}:1:1: not fixed: the result would not compile ({exc}); please report it")
        return False
    return True


def _edit(source: SourceFile, result: FileFix, context: FixContext, prints: list[PrintPlan],
          logger: Any, def_plans: list[Any]) -> None:
    new = _new_bytes(source, result, prints, logger, def_plans)
    if new is None or new == result.original or not _compiles(source, new, result):
        return
    after = SourceFile.from_bytes(new, source.path, is_test=source.is_test)
    result.after = _counts(after, context.checkers)
    result.fixed = new
    result.fixes = len(prints) + sum(p.returns_none + len(p.params) for p in def_plans)


def _entries(paths: Sequence[Path], settings: Settings) -> Iterator[tuple[FileEntry, frozenset[str]]]:
    ignored = per_file_ignores(settings)
    for entry in discover(paths, settings.root, settings.exclude):
        if entry.problem is None:
            yield entry, ignored(entry.path)


def _active(checkers: Sequence[Checker], ignored: frozenset[str], source: SourceFile) -> list[Checker]:
    """The checkers whose fixes apply to ``source`` (all that would, for a file that does not parse)."""
    wanted = [c for c in checkers if c.code not in ignored and (c.checks_tests or not source.is_test)]
    return wanted if source.tree is None else [c for c in wanted if c.applies_to(source)]


_WORKER: list[FixContext] = []


def _fix_entry(task: tuple[FileEntry, frozenset[str]]) -> FileFix | None:
    """One file, in this process or a worker: None when no selected gate applies to it."""
    entry, ignored = task
    context = _WORKER[0]
    try:
        data = entry.file.read_bytes()
    except OSError as exc:
        return FileFix(entry.path, entry.file, b"", notes=[f"{entry.path}:1:1: not touched: {exc.strerror}"])
    source = SourceFile.from_bytes(data, entry.path, is_test=entry.is_test)
    active = _active(context.checkers, ignored, source)
    if not active:
        return None
    return fix_source(source, data, FixContext(active, context.options, context.unsafe, context.scripts), entry.file)


def _start_worker(context: FixContext) -> None:
    _WORKER[:] = [context]


def _job_count(requested: int, files: int) -> int:
    """As `gates check`: one process below 16 files; else up to one per core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if requested:
        return max(1, min(requested, files, cores))
    return 1 if files < 16 else max(1, min(cores, files // 8))


def fix_files(paths: Sequence[Path], settings: Settings, checkers: Sequence[Checker], options: FixOptions,
              *, unsafe: bool, write: bool, jobs: int = 0) -> Iterator[FileFix]:
    """Fix every file under ``paths`` (written when ``write``, by this process), one result per
    file, in a stable order; ``jobs``: worker processes (0: automatic)."""
    context = FixContext(tuple(checkers), options, unsafe, console_scripts(settings.root))
    tasks = list(_entries(paths, settings))
    count = _job_count(jobs, len(tasks))
    if count == 1:
        _start_worker(context)
        results: Iterator[FileFix | None] = map(_fix_entry, tasks)
    else:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(count, initializer=_start_worker, initargs=(context,))
        results = pool.map(_fix_entry, tasks, chunksize=4)
    for result in results:
        if result is not None:
            if write and result.fixed is not None:
                _write(result)
            yield result
    if count > 1:
        pool.shutdown()


def _write(result: FileFix) -> None:
    assert result.fixed is not None
    target = Path(os.path.realpath(result.file))
    try:
        mode = target.stat().st_mode & 0o7777
        replace_bytes(target, result.fixed, mode)
    except OSError as exc:
        result.notes.append(f"{result.path}:1:1: not written: {exc.strerror or exc}")
        result.fixed = None
        result.after = {}


def fix_snippet(checker: Checker, code: str, *, unsafe: bool = False, path: str = "example.py") -> FileFix:
    """``gates fix`` with one gate on a snippet (its fix examples, in the tests and the docs)."""
    data = code.encode("utf-8")
    source = SourceFile.from_bytes(data, path)
    return fix_source(source, data, FixContext([checker], FixOptions(), unsafe, {}), Path(path))
