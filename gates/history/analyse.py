"""Each distinct file content analysed once: from the caches, else in worker processes.

A content is a git blob and whether it sits where tests do. Its results come from
``gates history``'s store (by blob id), else from ``gates check``'s cache (by path and
content digest), else from the same per-file step as ``gates check``
(:func:`gates.core.engine.check_source`), in parallel when there are many.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gates.core.cache import CheckerResult, ResultCache, content_digest
from gates.core.checker import Checker
from gates.core.engine import check_source, fewer_collections
from gates.core.parallel import cores
from gates.core.source import SourceFile
from gates.history.store import HistoryStore, content_key
from gates.history.walk import BlobReader

if TYPE_CHECKING:
    from gates.history.measure import CommitConfig, Plan

PARALLEL_MIN_CONTENTS = 16
Results = dict[str, dict[str, CheckerResult]]  # content key -> checker key -> result


_WORKER: list[Checker] = []


def _init_worker(checkers: list[Checker]) -> None:
    _WORKER[:] = checkers


def _analyse(task: tuple[str, bytes, bool]) -> dict[str, CheckerResult]:
    path, data, is_test = task
    return _analyse_with(_WORKER, path, data, is_test)


def _analyse_with(checkers: Sequence[Checker], path: str, data: bytes, is_test: bool) -> dict[str, CheckerResult]:
    source = SourceFile.from_bytes(data, path, is_test=is_test)
    outcome = check_source(source, "", frozenset(), checkers)
    return outcome.results([c.code for c in checkers])


def _run_tasks(tasks: list[tuple[str, bytes, bool]], checkers: list[Checker], jobs: int) -> list[dict[str, CheckerResult]]:
    workers = jobs or (min(cores(), len(tasks) // 8) if len(tasks) >= PARALLEL_MIN_CONTENTS else 1)
    workers = max(1, min(workers, cores(), len(tasks) or 1))
    if workers <= 1:
        return [_analyse_with(checkers, *task) for task in tasks]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    chunk = max(1, len(tasks) // (workers * 8))
    with ProcessPoolExecutor(workers, multiprocessing.get_context(method), _init_worker, (checkers,)) as pool:
        return list(pool.map(_analyse, tasks, chunksize=chunk))


def fill(plan: Plan, store: HistoryStore, reader: BlobReader, root: Path, jobs: int) -> tuple[Results, int]:
    """Every result the samples need, from the store or analysed; and how many contents were analysed."""
    results: Results = {}
    analysed = 0
    by_config: dict[int, tuple[CommitConfig, dict[str, tuple[str, str, bool]]]] = {}
    for _, config, files in plan.commits:
        wanted = by_config.setdefault(id(config), (config, {}))[1]
        for path, blob, is_test, _ in files:
            wanted.setdefault(content_key(blob, is_test), (path, blob, is_test))
    for config, wanted in by_config.values():
        missing = []
        for key, (path, blob, is_test) in wanted.items():
            have = results.setdefault(key, {})
            for code, ckey in config.keys.items():
                if ckey not in have:
                    found, result = store.lookup(key, ckey)
                    if not found:
                        missing.append((key, path, blob, is_test))
                        break
                    have[ckey] = result
        analysed += _analyse_missing(missing, config, results, store, reader, root, jobs)
    return results, analysed


def _analyse_missing(missing: list[tuple[str, str, str, bool]], config: CommitConfig, results: Results,
                     store: HistoryStore, reader: BlobReader, root: Path, jobs: int) -> int:
    """Analyse the contents no cache had (``gates check``'s cache is asked first)."""
    if not missing:
        return 0
    check_cache = ResultCache(root, config.checkers) if store.enabled else None  # --no-cache: neither
    codes = list(config.keys)
    tasks, keys = [], []
    for key, path, blob, is_test in missing:
        data = reader.read(blob)
        hit = None if check_cache is None else check_cache.lookup(path, content_digest(data), codes)
        if hit is not None:
            _keep(key, hit, config, results, store)
        else:
            tasks.append((path, data, is_test))
            keys.append(key)
    with fewer_collections():
        outcomes = _run_tasks(tasks, config.checkers, jobs)
    for key, outcome in zip(keys, outcomes):
        _keep(key, outcome, config, results, store)
    return len(tasks)


def _keep(key: str, outcome: dict[str, CheckerResult], config: CommitConfig, results: Results, store: HistoryStore) -> None:
    for code, result in outcome.items():
        results.setdefault(key, {})[config.keys[code]] = result
        store.store(key, config.keys[code], result)


def share_newest(plan: Plan, results: Results, root: Path) -> None:
    """The newest commit's results offered to ``gates check``'s cache, for the files whose
    bytes on disk are those of the commit (a checkout at that commit is then warm)."""
    if not plan.commits:
        return
    _, config, files = plan.commits[-1]
    cache = ResultCache(root, config.checkers)
    for path, blob, is_test, ignored in files:
        try:
            data = (root / path).read_bytes()
        except OSError:
            continue
        if _blob_id(data) != blob:
            continue
        kept = results[content_key(blob, is_test)]
        wanted = {code: ckey for code, ckey in config.keys.items() if code not in ignored}
        if all(ckey in kept for ckey in wanted.values()):
            cache.store(path, content_digest(data), {code: kept[ckey] for code, ckey in wanted.items()})
    cache.save()


def _blob_id(data: bytes) -> str:
    from hashlib import sha1

    return sha1(b"blob %d\0" % len(data) + data).hexdigest()


