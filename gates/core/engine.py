"""Find files, parse each once, run every selected checker on it (in parallel when it pays), collect.

The engine knows checkers only through the registry and the :class:`Checker` API.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gates.core.cache import CachedResults, CheckerResult, ResultCache, Stamp, content_digest
from gates.core.checker import Checker
from gates.core.config import Settings
from gates.core.discovery import FileEntry, discover, rest_of_project
from gates.core.git import repository_top
from gates.core.parallel import file_size, job_count
from gates.core.project_figure import rest_measures
from gates.core.project_step import project_steps
from gates.adoption.fingerprint import with_fingerprints
from gates.model import Finding, GateResult, Location, RunResult, percent_text
from gates.adoption.review import Review
from gates.core.selection import per_file_ignores
from gates.core.source import SourceFile
from gates.core.suppression import unsuppressed

# Parsing allocates a few hundred thousand tracked objects per thousand lines, so with
# the default thresholds (700, 10, 10) the cyclic collector keeps running full
# collections that find nothing: trees and findings hold no cycles, and reference
# counting frees each file's tree when its checkers are done. That was 0.2-0.3 s of a
# 1.9 s run over the stdlib. mypy runs with the same setting.
GC_THRESHOLD = (200_000, 30, 30)


@dataclass(frozen=True)
class _FileOutcome:
    findings: dict[str, list[Finding]]  # by checker code
    measures: dict[str, Any]
    ran: frozenset[str] = frozenset()  # codes of the checkers that applied to the file
    digest: str = ""  # of the bytes checked; "" when the file could not be read

    def results(self, codes: Iterable[str]) -> dict[str, CheckerResult]:
        """Each checker's part, as the cache keeps it (None: the checker did not apply)."""
        return {
            code: (self.findings.get(code, []), self.measures.get(code)) if code in self.ran else None
            for code in codes
        }

    @classmethod
    def from_results(cls, results: dict[str, CheckerResult], digest: str) -> _FileOutcome:
        applied = {code: result for code, result in results.items() if result is not None}
        return cls(
            {code: found for code, (found, _) in applied.items() if found},
            {code: value for code, (_, value) in applied.items() if value is not None},
            frozenset(applied), digest,
        )


FileOutcome = _FileOutcome  # one file's findings, measures and the checkers that ran
_WORKER_CHECKERS: list[Checker] = []
_WORKER_DIGESTS = [True]  # whether the workers digest each file's bytes (for the cache)


def _run_checker(checker: Checker, source: SourceFile) -> tuple[list[Finding], Any]:
    """One checker on one file. A checker that cannot cope with a file (a tree nested
    deeper than the interpreter's recursion limit, a bug in a plugin) gives a finding
    on that file instead of ending the run with a traceback."""
    try:
        found = unsuppressed(list(checker.check(source)), source)
        return found, checker.measure(source)
    except RecursionError:
        reason = "is nested too deeply to analyse (RecursionError)"
    except Exception as exc:  # a checker's bug must not lose the other files' results
        reason = f"could not be checked: {type(exc).__name__}: {exc} (a bug in {checker.name}; please report it)"
    message = f"file {reason}"
    return [Finding(checker.code, checker.name, Location(source.path), message)], None


def _read(entry: FileEntry, digest: bool = True) -> tuple[SourceFile, str]:
    """The file's source and the digest of its bytes ("" when not ``digest``: only the
    cache keeps it)."""
    if entry.problem is not None:  # a FIFO or an unlistable folder: never opened
        return SourceFile.unreadable(entry.path, entry.problem, is_test=entry.is_test), ""
    try:
        data = entry.file.read_bytes()
    except OSError:
        return SourceFile.read(entry.file, entry.path, is_test=entry.is_test), ""
    return SourceFile.from_bytes(data, entry.path, is_test=entry.is_test), content_digest(data) if digest else ""


def _check_file(
    entry: FileEntry, ignored: frozenset[str], checkers: Sequence[Checker], digest: bool = True
) -> _FileOutcome:
    source, digested = _read(entry, digest)
    return check_source(source, digested, ignored, checkers)


def check_source(
    source: SourceFile, digest: str, ignored: frozenset[str], checkers: Sequence[Checker]
) -> FileOutcome:
    """Every checker that applies on one file's source (``gates history`` reads it from git)."""
    findings: dict[str, list[Finding]] = {}
    measures: dict[str, Any] = {}
    ran: set[str] = set()
    for checker in checkers:
        if checker.code in ignored or not checker.applies_to(source):
            continue
        ran.add(checker.code)
        found, value = _run_checker(checker, source)
        if found:
            findings[checker.code] = with_fingerprints(found, source)
        if value is not None:
            measures[checker.code] = value
    return _FileOutcome(findings, measures, frozenset(ran), digest)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often (GC_THRESHOLD) inside the block."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _init_worker(checkers: list[Checker], digest: bool = True) -> None:
    gc.set_threshold(*GC_THRESHOLD)  # inherited when forked; not when spawned
    _WORKER_CHECKERS[:] = checkers
    _WORKER_DIGESTS[0] = digest


def _check_in_worker(task: tuple[FileEntry, frozenset[str]]) -> _FileOutcome:
    return _check_file(task[0], task[1], _WORKER_CHECKERS, _WORKER_DIGESTS[0])


def _ignored_per_file(settings: Settings, entries: Sequence[FileEntry]) -> list[frozenset[str]]:
    ignored = per_file_ignores(settings)
    return [ignored(e.path) for e in entries]


Tick = Callable[[], None]  # told once per file done, in whatever order files finish


def _no_tick() -> None:
    pass


def _outcomes(
    tasks: list[tuple[FileEntry, frozenset[str]]], checkers: list[Checker], jobs: int, digest: bool = True,
    tick: Tick = _no_tick,
) -> Iterator[_FileOutcome]:
    """Each file's outcome, in the order of ``tasks`` (with the digest of the bytes checked
    when ``digest``): one by one in this process, or all once the worker pool is done;
    ``tick`` is told as each file is done, so progress moves during a parallel run too."""
    if jobs <= 1:
        for entry, ignored in tasks:
            outcome = _check_file(entry, ignored, checkers, digest)
            tick()
            yield outcome
        return
    import multiprocessing  # only when the run is big enough to pay for workers
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    # Largest files first, in small chunks, so that the workers run out of work together
    # instead of one finishing a big file while the other waits; handed back in order.
    order = sorted(range(len(tasks)), key=lambda index: file_size(tasks[index][0]), reverse=True)
    chunk = max(1, len(tasks) // (jobs * 32))
    outcomes: list[_FileOutcome | None] = [None] * len(tasks)
    gc.freeze()  # what the workers inherit stays out of their collections: fewer pages copied
    try:
        with ProcessPoolExecutor(jobs, context, _init_worker, (checkers, digest)) as pool:
            for index, done in zip(order, pool.map(_check_in_worker, [tasks[i] for i in order], chunksize=chunk)):
                outcomes[index] = done
                tick()
    finally:
        gc.unfreeze()
    for ready in outcomes:
        assert ready is not None  # every task has its outcome once the pool is done
        yield ready


def _codes(checkers: Sequence[Checker], ignored: frozenset[str]) -> list[str]:
    return [c.code for c in checkers if c.code not in ignored]


def _looked_up(cache: ResultCache, entry: FileEntry, codes: list[str]) -> tuple[CachedResults, str, Stamp | None]:
    """The cache's results for the file (None: a miss), its digest and its stamp."""
    return (None, "", None) if entry.problem is not None else cache.current(entry.path, entry.file, codes)


def _through_cache(
    tasks: list[tuple[FileEntry, frozenset[str]]], checkers: list[Checker], jobs: int, cache: ResultCache,
    tick: Tick = _no_tick,
) -> Iterator[_FileOutcome]:
    """Each file's outcome in the order of ``tasks``: from the cache where the file's bytes,
    the checkers and gates are unchanged, else checked (in parallel when there are enough
    such files) and stored. The caller saves the cache."""
    looked = [_looked_up(cache, entry, _codes(checkers, ignored)) for entry, ignored in tasks]
    outcomes = [None if hit is None else _FileOutcome.from_results(hit, digest) for hit, digest, _ in looked]
    missed = [tasks[index] for index, outcome in enumerate(outcomes) if outcome is None]
    fresh = _outcomes(missed, checkers, job_count(jobs, missed), tick=tick)
    for (entry, ignored), outcome, (_, _, found) in zip(tasks, outcomes, looked):
        if outcome is not None:
            tick()  # from the cache
        else:
            outcome = next(fresh)
            if outcome.digest:
                cache.store(entry.path, outcome.digest, outcome.results(_codes(checkers, ignored)), found)
        yield outcome
    for _ in fresh:  # runs the generator to its end: a worker pool it holds shuts down
        pass


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


def _ticker(progress: Callable[[int, int], None] | None, total: int) -> Tick:
    """What tells ``progress`` that one more file is done (from the cache, in this process
    or in a worker)."""
    if progress is None:
        return _no_tick
    done = [0]

    def tick() -> None:
        done[0] += 1
        progress(done[0], total)

    return tick


def _file_outcomes(
    tasks: list[tuple[FileEntry, frozenset[str]]], checkers: list[Checker], settings: Settings,
    jobs: int | None, cache: ResultCache | None, tick: Tick = _no_tick,
) -> Iterator[_FileOutcome]:
    requested = settings.jobs if jobs is None else jobs
    if cache is not None:
        return _through_cache(tasks, checkers, requested, cache, tick)
    return _outcomes(tasks, checkers, job_count(requested, tasks), digest=False, tick=tick)


def run(
    paths: Sequence[Path],
    settings: Settings,
    checkers: list[Checker],
    *,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
    reviews: Sequence[Review] = (),
) -> RunResult:
    """Check every file under ``paths`` with ``checkers`` and return the verdicts.

    ``progress(done, total)``, when given, is called after each file and after each
    checker's whole-project step (total = files + checkers). ``cache``: reuse and keep
    per-file results under ``.gates_cache/`` in the root. ``reviews`` narrow the
    findings that count (the ratchet baseline, ``--diff``).
    """
    entries = discover(paths, settings.root, settings.exclude)
    tasks = list(zip(entries, _ignored_per_file(settings, entries)))
    total = len(tasks) + len(checkers)
    store = ResultCache(settings.root, checkers) if cache else None  # one load, one save
    outcomes = _file_outcomes(tasks, checkers, settings, jobs, store, _ticker(progress, total))
    with fewer_collections():
        findings, measures = _collect(tasks, outcomes, checkers)
        # A project total (GT104) counts every file; findings are the named files' only.
        for code, values in _other_files(paths, entries, checkers, settings, jobs, store).items():
            measures[code] += values
    if store is not None:
        store.save()
    floored = _with_floors(checkers, measures, reviews)
    # After the floors: a review's floor is about the per-file measures only.
    project_steps(tasks, [c for c, _ in floored], settings.root, findings, measures, progress, total)
    gates = tuple(_judged(c, findings, measures[c.code], reviews, note) for c, note in floored)
    every = sorted((f for group in findings.values() for f in group), key=Finding.sort_key)
    repository, config_file = _context(settings)
    return RunResult(
        str(settings.root), len(entries), gates, tuple(every),
        repository=repository, config_file=config_file,
    )


def _other_files(
    paths: Sequence[Path], entries: list[FileEntry], checkers: list[Checker], settings: Settings,
    jobs: int | None, store: ResultCache | None,
) -> dict[str, list[tuple[str, Any]]]:
    """The measures of the project's files not named in ``paths``, for the gates whose
    figure is a project total (none when only folders are named)."""
    wide = [c for c in checkers if c.project_figure]
    rest = rest_of_project(paths, entries, settings.root, settings.exclude) if wide else []
    if not rest:
        return {}
    tasks = list(zip(rest, _ignored_per_file(settings, rest)))
    return rest_measures(
        tasks, wide, store, lambda missed: _collect(missed, _file_outcomes(missed, wide, settings, jobs, store), wide)[1]
    )


def _context(settings: Settings) -> tuple[str, str]:
    """The git repository's top and the config file, for reporters (which never look at
    the disk themselves)."""
    config = settings.config_file
    return str(repository_top(settings.root) or ""), (
        os.path.relpath(config, settings.root) if config else ""
    )


def _with_floors(
    checkers: list[Checker], measures: dict[str, list[tuple[str, Any]]], reviews: Sequence[Review]
) -> list[tuple[Checker, str]]:
    return [_with_floor(checker, measures[checker.code], reviews) for checker in checkers]


def _with_floor(
    checker: Checker, measures: list[tuple[str, Any]], reviews: Sequence[Review]
) -> tuple[Checker, str]:
    """The checker that runs the whole-project step and judges the gate: with its
    ``fail-under`` lowered to the highest floor the reviews offer under the goal (each
    review's condition holds then), and the note that says so."""
    offers = [offer for review in reviews if (offer := review.floor(checker, measures))]
    if not offers or not checker.higher_is_better() or not hasattr(checker.options, "fail_under"):
        return checker, ""
    floor, source = max(offers)
    goal = checker.threshold
    if floor >= goal:
        return checker, ""
    lowered = type(checker)(dataclasses.replace(checker.options, fail_under=floor))
    return lowered, f"floor {percent_text(floor)} from {source} (goal {percent_text(goal)})"


def _judged(
    checker: Checker, findings: dict[str, list[Finding]], measures: list[tuple[str, Any]],
    reviews: Sequence[Review], note: str,
) -> GateResult:
    """The gate's verdict on the findings every review keeps (``findings`` is narrowed too)."""
    for review in reviews:
        findings[checker.code] = review.keep(checker, findings[checker.code])
    result = checker.summarize(findings[checker.code], measures)
    for review in reviews:
        result = review.verdict(checker, result)
    if note:
        result = dataclasses.replace(result, summary=f"{result.summary}; {note}")
    return result
