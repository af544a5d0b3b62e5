"""Find files, parse each once, run every selected checker on it (in parallel when it pays), collect.

The engine knows checkers only through the registry and the :class:`Checker` API.
"""

from __future__ import annotations

import os
import tokenize
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gates.checkers.base import Checker, Project, ProjectFile
from gates.config import Settings, build_options
from gates.discovery import FileEntry, PathMatcher, discover
from gates.errors import UsageError
from gates.model import Finding, Location, RunResult
from gates.registry import available_checkers, find_checker
from gates.source import SourceFile
from gates.suppression import is_suppressed

# Below this many files, starting worker processes costs more than it saves. Measured
# on 2 cores with benchmarks/parallel_break_even.py: -j 2 / -j 1 = 1.11 at 8 files,
# 0.84 at 16, 0.72 at 24 (stdlib modules, fork start method).
PARALLEL_MIN_FILES = 16


def _resolve_keys(keys: Iterable[str], where: str) -> set[str]:
    """Codes for a list of codes, code prefixes (GT1) or names; unknown keys are an error."""
    codes: set[str] = set()
    for key in keys:
        matched = [
            cls.code
            for cls in available_checkers()
            if key == cls.name or cls.code.startswith(key.upper())
        ]
        if not matched:
            known = ", ".join(f"{c.code} ({c.name})" for c in available_checkers())
            raise UsageError(f"{where}: unknown gate '{key}'; known gates: {known}")
        codes.update(matched)
    return codes


def _instantiate(settings: Settings) -> tuple[dict[str, Checker], dict[str, bool]]:
    """Every registered checker with its options from the config, and whether it is on."""
    tables = dict(settings.gate_tables)
    checkers: dict[str, Checker] = {}
    enabled: dict[str, bool] = {}
    for cls in available_checkers():
        table = tables.pop(cls.name, None) or tables.pop(cls.code, None) or {}
        where = settings.where(f"tool.gates.{cls.name}")
        options, is_enabled = build_options(cls.options_type, table, where)
        checker = cls(options)
        problem = checker.check_options()
        if problem:
            raise UsageError(f"{where}: {problem}")
        checkers[cls.code] = checker
        enabled[cls.code] = cls.enabled_by_default if is_enabled is None else is_enabled
    if tables:
        unknown = next(iter(tables))
        names = ", ".join(c.name for c in available_checkers())
        raise UsageError(f"{settings.where()}: unknown gate '{unknown}'; known gates: {names}")
    return checkers, enabled


def _ignored_codes(settings: Settings, ignore: Sequence[str] | None) -> set[str]:
    if ignore is not None:
        return _resolve_keys(ignore, "--ignore")
    return _resolve_keys(settings.ignore, settings.where())


def select_checkers(
    settings: Settings,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> list[Checker]:
    """Instantiate the checkers this run uses, options validated against their tables.

    ``select``/``ignore`` from the command line replace those of the config. GT100
    (syntax) comes with any gate that needs a parsed tree unless it is ignored
    explicitly: a file that does not parse must never pass silently.
    """
    checkers, enabled = _instantiate(settings)
    chosen_select = select if select else settings.select
    source = "--select" if select else settings.where()
    if chosen_select:
        codes = _resolve_keys(chosen_select, source)
    else:
        codes = {code for code, on in enabled.items() if on}
    ignored = _ignored_codes(settings, ignore)
    if any(checkers[c].needs_tree for c in codes):
        codes.add("GT100")
    return [checkers[code] for code in sorted(codes - ignored)]


@dataclass(frozen=True)
class _FileOutcome:
    findings: dict[str, list[Finding]]  # by checker code
    measures: dict[str, Any]


_WORKER_CHECKERS: list[Checker] = []


def _run_checker(checker: Checker, source: SourceFile) -> tuple[list[Finding], Any]:
    """One checker on one file. A checker that cannot cope with a file (a tree nested
    deeper than the interpreter's recursion limit, a bug in a plugin) gives a finding
    on that file instead of ending the run with a traceback."""
    try:
        found = [f for f in checker.check(source) if not is_suppressed(f, source.lines)]
        return found, checker.measure(source)
    except RecursionError:
        reason = "is nested too deeply to analyse (RecursionError)"
    except Exception as exc:  # a checker's bug must not lose the other files' results
        reason = f"could not be checked: {type(exc).__name__}: {exc} (a bug in {checker.name}; please report it)"
    message = f"file {reason}"
    return [Finding(checker.code, checker.name, Location(source.path), message)], None


def _check_file(entry: FileEntry, ignored: frozenset[str], checkers: Sequence[Checker]) -> _FileOutcome:
    source = SourceFile.read(entry.file, entry.path, is_test=entry.is_test)
    findings: dict[str, list[Finding]] = {}
    measures: dict[str, Any] = {}
    for checker in checkers:
        if checker.code in ignored or not checker.applies_to(source):
            continue
        found, value = _run_checker(checker, source)
        if found:
            findings[checker.code] = found
        if value is not None:
            measures[checker.code] = value
    return _FileOutcome(findings, measures)


def _init_worker(checkers: list[Checker]) -> None:
    _WORKER_CHECKERS[:] = checkers


def _check_in_worker(task: tuple[FileEntry, frozenset[str]]) -> _FileOutcome:
    return _check_file(task[0], task[1], _WORKER_CHECKERS)


def _job_count(requested: int, files: int) -> int:
    if requested:
        return requested if files > 1 else 1
    if files < PARALLEL_MIN_FILES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, files // (PARALLEL_MIN_FILES // 2)))


def _ignored_per_file(settings: Settings, entries: Sequence[FileEntry]) -> list[frozenset[str]]:
    rules = [
        (PathMatcher([pattern]), frozenset(_resolve_keys(keys, settings.where())))
        for pattern, keys in settings.per_file_ignores
    ]
    return [
        frozenset().union(*(codes for matcher, codes in rules if matcher.matches(e.path)))
        for e in entries
    ]


def _outcomes(
    tasks: list[tuple[FileEntry, frozenset[str]]], checkers: list[Checker], jobs: int
) -> Iterator[_FileOutcome]:
    """Each file's outcome, in the order of ``tasks``, as soon as it is ready."""
    if jobs <= 1:
        for entry, ignored in tasks:
            yield _check_file(entry, ignored, checkers)
        return
    import multiprocessing  # only when the run is big enough to pay for workers
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    chunk = max(1, len(tasks) // (jobs * 8))
    with ProcessPoolExecutor(jobs, context, _init_worker, (checkers,)) as pool:
        yield from pool.map(_check_in_worker, tasks, chunksize=chunk)


def _read_lines(file: Path) -> list[str]:
    """A file's lines as SourceFile numbers them; none when it cannot be read."""
    try:
        with tokenize.open(file) as handle:
            text = handle.read()
    except (OSError, SyntaxError, UnicodeDecodeError):
        return []
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _kept(
    found: list[Finding], ignored_by_path: dict[str, frozenset[str]], root: Path
) -> Iterable[Finding]:
    """Whole-project findings minus those that per-file-ignores or an inline comment silence.

    Per-file findings go through the same two filters in ``_check_file``.
    """
    lines: dict[str, list[str]] = {}
    for finding in found:
        if finding.code in ignored_by_path.get(finding.path, frozenset()):
            continue
        if finding.path not in lines:
            lines[finding.path] = _read_lines(root / finding.path)
        if not is_suppressed(finding, lines[finding.path]):
            yield finding


def _collect(
    tasks: list[tuple[FileEntry, frozenset[str]]],
    outcomes: Iterable[_FileOutcome],
    checkers: list[Checker],
) -> tuple[dict[str, list[Finding]], dict[str, list[tuple[str, Any]]]]:
    """Every file's findings and measures, grouped by checker code."""
    findings: dict[str, list[Finding]] = {c.code: [] for c in checkers}
    measures: dict[str, list[tuple[str, Any]]] = {c.code: [] for c in checkers}
    # strict: runs ``outcomes`` to its end, so a worker pool it holds is shut down here.
    for (entry, _), outcome in zip(tasks, outcomes, strict=True):
        for code, found in outcome.findings.items():
            findings[code].extend(found)
        for code, value in outcome.measures.items():
            measures[code].append((entry.path, value))
    return findings, measures


def _counted(
    outcomes: Iterable[_FileOutcome], progress: Callable[[int, int], None] | None, total: int
) -> Iterator[_FileOutcome]:
    """The outcomes, telling ``progress`` after each one."""
    for done, outcome in enumerate(outcomes, 1):
        yield outcome
        if progress:
            progress(done, total)


def run(
    paths: Sequence[Path],
    settings: Settings,
    checkers: list[Checker],
    *,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Check every file under ``paths`` with ``checkers`` and return the verdicts.

    ``progress(done, total)``, when given, is called after each file and after each
    checker's whole-project step (total = files + checkers).
    """
    entries = discover(paths, settings.root, settings.exclude)
    tasks = list(zip(entries, _ignored_per_file(settings, entries)))
    count = _job_count(settings.jobs if jobs is None else jobs, len(tasks))
    total = len(tasks) + len(checkers)
    outcomes = _counted(_outcomes(tasks, checkers, count), progress, total)
    findings, measures = _collect(tasks, outcomes, checkers)
    project = Project(settings.root, tuple(ProjectFile(e.file, e.path, e.is_test) for e in entries))
    ignored_by_path = {entry.path: ignored for entry, ignored in tasks}
    for done, checker in enumerate(checkers, len(tasks) + 1):
        found = list(checker.check_project(project))
        findings[checker.code].extend(_kept(found, ignored_by_path, settings.root))
        if progress:
            progress(done, total)
    gates = tuple(c.summarize(findings[c.code], measures[c.code]) for c in checkers)
    every = sorted((f for group in findings.values() for f in group), key=Finding.sort_key)
    return RunResult(str(settings.root), len(entries), gates, tuple(every))
