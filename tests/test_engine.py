"""The engine's promises: same result in one process or many; each file parsed once."""

from __future__ import annotations

from pathlib import Path

from gates.core import engine, parallel
from gates.core.config import Settings
from gates.core.engine import run
from gates.core.selection import select_checkers


def make_tree(root: Path, count: int) -> None:
    for i in range(count):
        body = "".join(f"    x{j} = {j}\n" for j in range(i % 70))
        (root / f"m{i}.py").write_text(f"import random\ndef f{i}():\n{body}    print({i})\nrandom.seed()\n")
    (root / "broken.py").write_text("def (:\n")


def test_parallel_and_serial_runs_give_identical_results(tmp_path: Path) -> None:
    make_tree(tmp_path, parallel.PARALLEL_MIN_FILES * 2)
    settings = Settings(root=tmp_path)
    checkers = select_checkers(settings)
    serial = run([tmp_path], settings, checkers, jobs=1)
    two = run([tmp_path], settings, checkers, jobs=2)
    assert serial == two
    assert serial.files_checked == parallel.PARALLEL_MIN_FILES * 2 + 1
    assert {g.code: g.violations for g in serial.gates}["GT105"] == parallel.PARALLEL_MIN_FILES * 2


def test_each_file_is_parsed_once_per_run(tmp_path: Path, monkeypatch) -> None:
    make_tree(tmp_path, 5)
    import ast

    calls: list[str] = []
    real_parse = ast.parse

    def counting_parse(source, filename="<unknown>", *args, **kwargs):
        calls.append(filename)
        return real_parse(source, filename, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting_parse)
    settings = Settings(root=tmp_path)
    run([tmp_path], settings, select_checkers(settings), jobs=1)
    assert sorted(calls) == sorted({*calls}) and len(calls) == 6


def _live_trees() -> int:
    import ast
    import gc

    return sum(1 for obj in gc.get_objects() if isinstance(obj, ast.Module))


def test_each_tree_is_freed_by_reference_counting_alone(tmp_path: Path) -> None:
    """The engine runs the cycle collector rarely (GC_THRESHOLD): that is only safe while
    nothing a checker builds ties a file's tree into a reference cycle."""
    import gc

    make_tree(tmp_path, 6)
    (tmp_path / "classes.py").write_text(
        "import random as r\n\nclass C:\n    def m(self, x: int):\n        def inner():\n"
        "            return [print(i) for i in range(x) if i and x or r.random()]\n"
        "        return inner\n"
    )
    settings = Settings(root=tmp_path)
    checkers = select_checkers(settings, select=["GT1"])
    assert "GT106" in {c.code for c in checkers}
    gc.collect()
    gc.disable()
    try:
        before = _live_trees()
        result = run([tmp_path], settings, checkers, jobs=1)
        after = _live_trees()
    finally:
        gc.enable()
    assert result.findings and after == before


def test_the_collector_thresholds_are_restored_after_a_run(tmp_path: Path) -> None:
    import gc

    make_tree(tmp_path, 2)
    before = gc.get_threshold()
    settings = Settings(root=tmp_path)
    run([tmp_path], settings, select_checkers(settings), jobs=1)
    assert gc.get_threshold() == before


def test_automatic_workers_only_for_enough_files_and_enough_source(tmp_path: Path, monkeypatch) -> None:
    # Starting workers costs 20-30 ms: many small files are checked in one process, and an
    # explicit -j is obeyed (up to the files and the cores).
    from gates.core.discovery import discover

    monkeypatch.setattr(parallel, "cores", lambda: 4)
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    big.mkdir()
    for i in range(40):
        (small / f"m{i}.py").write_text("x = 1\n")
        (big / f"m{i}.py").write_text("x = 1\n" * 3000)  # 18 KB each, 720 KB in all
    tasks = {name: [(e, frozenset[str]()) for e in discover([folder], folder)] for name, folder in
             (("small", small), ("big", big))}
    assert parallel.job_count(0, tasks["small"]) == 1
    assert parallel.job_count(0, tasks["big"]) == 4
    assert parallel.job_count(0, tasks["big"][: parallel.PARALLEL_MIN_FILES - 1]) == 1
    assert parallel.job_count(3, tasks["small"]) == 3


def test_progress_moves_while_the_workers_run(tmp_path: Path) -> None:
    # `gates report`'s bar counts files as they are done, also when workers check them
    # (largest first, handed back in order only once all are done).
    import multiprocessing

    make_tree(tmp_path, parallel.PARALLEL_MIN_FILES * 2)
    settings = Settings(root=tmp_path)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, len(multiprocessing.active_children())))

    run([tmp_path], settings, select_checkers(settings), jobs=2, progress=progress)
    files = parallel.PARALLEL_MIN_FILES * 2 + 1
    assert [done for done, _ in seen[:files]] == list(range(1, files + 1))
    assert seen[0][1] > 0  # the first file was counted while the workers were still alive
