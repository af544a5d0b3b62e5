"""GT301 in a test run: find the session's coverage data, judge it once, on the controller.

Where the data comes from, first match wins:

1. ``--gates-cov=PKG`` (or ``source`` in ``[tool.gates.coverage]``): the plugin measures
   with coverage.py itself; pytest-xdist workers send their data to the controller, which
   combines it and writes the data file.
2. pytest-cov (``--cov``): its combined data, after it has saved it.
3. ``coverage run -m pytest``: the running measurement.
4. An existing data file, when the gate is asked for explicitly (``enabled = true`` or a
   ``--gates-*`` coverage option): the same file ``gates check`` would read.

Without any of these the gate stays silent: there is nothing to judge.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from gates.errors import UsageError
from pytest_gates.coverage.summary import summary_lines
from pytest_gates.options import PluginSettings

if TYPE_CHECKING:
    from gates.coverage.figures import CoverageFigures
    from gates.coverage.gate import Verdict

DATA_KEY = "gates_coverage_data"


def running_coverage() -> Any:
    """The started ``coverage.Coverage`` (``coverage run``), without importing coverage."""
    module = sys.modules.get("coverage")
    return module.Coverage.current() if module is not None else None


class Measurement:
    """coverage.py measuring ``sources`` in this process, data kept in memory."""

    def __init__(self, sources: Sequence[str], target: Path | None, distributed: bool) -> None:
        import coverage

        self.cov = coverage.Coverage(source=list(sources), data_file=None, config_file=True)
        self.target = target or Path(os.path.abspath(self.cov.config.data_file))
        if distributed:
            # Each xdist process sees only part of the run: its "no data" or "never
            # imported" warnings would be false alarms. The combined figure tells.
            quiet = ["no-data-collected", "module-not-imported"]
            disabled = list(self.cov.get_option("run:disable_warnings") or [])  # type: ignore[arg-type]
            self.cov.set_option("run:disable_warnings", disabled + quiet)
        self.cov.start()
        self._stopped = False

    def stop(self) -> Any:
        if not self._stopped:
            self.cov.stop()
            self._stopped = True
        return self.cov.get_data()

    def dumps(self) -> bytes:
        data: bytes = self.stop().dumps()
        return data

    def finish(self, worker_blobs: Sequence[bytes]) -> Any:
        """Combine this process's and the workers' data, write the data file, reopen it."""
        from coverage import Coverage, CoverageData

        combined = CoverageData(no_disk=True)
        combined.update(self.stop())
        for blob in worker_blobs:
            part = CoverageData(no_disk=True)
            part.loads(blob)
            combined.update(part)
        write_data(combined, self.target)
        cov = Coverage(data_file=str(self.target), config_file=True)
        cov.load()
        return cov


def write_data(data: Any, target: Path) -> None:
    """Write coverage data atomically: a reader never sees a half-written file."""
    from coverage import CoverageData

    temporary = target.with_name(f"{target.name}.gates-{os.getpid()}.tmp")
    try:
        out = CoverageData(basename=str(temporary))
        out.update(data)
        out.write()
        out.close()
        os.replace(temporary, target)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write the coverage data: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)


def start_measurement(config: pytest.Config, settings: PluginSettings) -> Measurement | None:
    """Start measuring early (before conftest files are imported) when asked to."""
    sources = settings.coverage.source
    if not (settings.coverage_on and sources):
        return None
    if getattr(config.known_args_namespace, "cov_source", None):
        raise pytest.UsageError(
            "gates: --gates-cov and pytest-cov's --cov both measure coverage; use one of them"
        )
    if running_coverage() is not None:
        raise pytest.UsageError(
            "gates: --gates-cov under `coverage run`: coverage is already measured; drop --gates-cov"
        )
    try:
        import coverage  # noqa: F401
    except ImportError:
        raise pytest.UsageError(
            "gates: --gates-cov needs coverage.py: pip install 'gates[coverage]'"
        ) from None
    data_file = settings.coverage.data_file
    target = settings.root / data_file if data_file else None
    namespace = config.known_args_namespace
    distributed = bool(os.environ.get("PYTEST_XDIST_WORKER")) or bool(
        getattr(namespace, "numprocesses", None) or getattr(namespace, "dist", "no") != "no"
    )
    return Measurement(sources, target, distributed)


def _uses_xdist(config: pytest.Config) -> bool:
    return getattr(config.option, "dist", "no") != "no" and not hasattr(config, "workerinput")


class CoverageGate:
    """Registered on the controller (or the only process) and on xdist workers."""

    def __init__(self, settings: PluginSettings, measurement: Measurement | None) -> None:
        self.settings = settings
        self.measurement = measurement
        self.worker_blobs: list[bytes] = []
        self.verdict: Verdict | None = None
        self.error: str | None = None
        self.note: str | None = None
        self.floor_from = ""  # whose floor judged the total, when not gates' own
        self.warned: list[str] = []  # coverage.py's warnings while the data was read
        # A shard of a split run (--gates-shard) keeps its data for `gates combine`
        # instead of judging a fraction of the suite.
        self.sharded = False
        self.shard_data: Any = None  # coverage.CoverageData
        self.shard_options: dict[str, Any] = {}

    def describe(self, config: pytest.Config) -> str | None:
        """Where the data will come from, for the header; None when the gate is idle."""
        options = self.settings.coverage
        if self.measurement is not None:
            source = f"data measured by gates ({', '.join(options.source)})"
        elif _pytest_cov(config) is not None:
            source = "pytest-cov data"
        elif running_coverage() is not None:
            if _uses_xdist(config):
                self.note = (
                    "skipped: `coverage run` combines pytest-xdist workers' data only after "
                    "pytest exits; use --cov (pytest-cov) or --gates-cov=PKG"
                )
                return f"coverage gate {self.note}"
            source = "`coverage run` data"
        elif self.settings.coverage_explicit:
            source = f"data file {options.data_file or '.coverage'}"
        else:
            return None
        text = f"coverage gate: {_floor_text(config, self.settings)}"
        if options.min_file:
            text += f", min-file {options.min_file:g}%"
        if options.diff_base:
            text += f", changed lines since {options.diff_base} {options.diff_fail_under:g}%"
        return f"{text} on {source}"

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        blob = getattr(node, "workeroutput", {}).get(DATA_KEY)
        if blob:
            self.worker_blobs.append(blob)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        config = session.config
        if hasattr(config, "workerinput"):
            if self.measurement is not None:
                config.workeroutput[DATA_KEY] = self.measurement.dumps()  # type: ignore[attr-defined]
            return
        judged = exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
        if not judged or config.option.collectonly or self.note:
            if self.measurement is not None:
                self.measurement.stop()
            return
        if self.sharded:
            self._keep_for_shard(session)
            return
        self._decide(session)

    def _keep_for_shard(self, session: pytest.Session) -> None:
        """The session's data and the options it would be judged with, for the shard record."""
        config, settings = session.config, self.settings
        try:
            self.shard_data = self._session_data(config)
        except UsageError as exc:
            self.error = str(exc)
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.USAGE_ERROR
            return
        options = settings.coverage
        floor, self.floor_from = options.fail_under, ""
        if not settings.floor_configured:
            floor, self.floor_from = inherited_floor(config, settings.root)
        self.shard_options = {
            "fail_under": floor, "floor_from": self.floor_from, "min_file": options.min_file,
            "diff_base": options.diff_base, "diff_fail_under": options.diff_fail_under,
            "floor_configured": settings.floor_configured,
        }
        self.note = "not judged in a shard: `gates combine` judges the shards' data together"

    def _session_data(self, config: pytest.Config) -> Any:
        """This session's coverage data (combined over xdist workers), or None."""
        if self.measurement is not None:
            return self.measurement.finish(self.worker_blobs).get_data()
        cov = _pytest_cov(config) or running_coverage()
        return cov.get_data() if cov is not None else None

    def _decide(self, session: pytest.Session) -> None:
        """Judge the coverage and turn a failed gate or a usage error into the exit status."""
        try:
            # coverage.py warns (module never imported, no data); under pytest's
            # `filterwarnings = error` a warning would raise: each becomes one line.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    self.verdict = self._judge(session.config)
                finally:
                    self.warned = sorted({" ".join(str(w.message).split()) for w in caught})
        except UsageError as exc:
            self.error = str(exc)
            failing = pytest.ExitCode.USAGE_ERROR
        else:
            if self.verdict is None or self.verdict.passed:
                return
            failing = pytest.ExitCode.TESTS_FAILED
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = failing

    def _judge(self, config: pytest.Config) -> Verdict | None:
        from gates.coverage.gate import evaluate

        options, root = self.settings.coverage, self.settings.root
        figures = self._session_figures(config)
        if figures is None:
            return None
        if not self.settings.floor_configured:
            floor, self.floor_from = inherited_floor(config, root)
            options = dataclasses.replace(options, fail_under=floor)
        changed = None
        if options.diff_base:
            from gates.core.git import changed_lines

            changed = changed_lines(root, options.diff_base)
        return evaluate(figures, options, changed)

    def _session_figures(self, config: pytest.Config) -> CoverageFigures | None:
        from gates.coverage.figures import figures_from

        if self.measurement is not None:
            return figures_from(self.measurement.finish(self.worker_blobs))
        cov = _pytest_cov(config)
        if cov is not None:
            return figures_from(cov)
        running = running_coverage()
        if running is not None:
            return live_figures(running)
        if self.settings.coverage_explicit:
            return _existing_figures(config, self.settings.root, self.settings.coverage.data_file)  # type: ignore[no-any-return]
        return None

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        lines = [(f"gates: coverage.py: {text}", {"yellow": True}) for text in self.warned]
        lines += summary_lines(self.verdict, self.error, self.note, self.floor_from,
                               self.settings.floor_configured)
        if not lines:
            return
        terminalreporter.write_sep("-", "gates: coverage (GT301)")
        for text, style in lines:
            terminalreporter.write_line(text, **style)


def _floor_text(config: pytest.Config, settings: PluginSettings) -> str:
    """The floor the header announces: gates' own, the inherited one, or none."""
    floor = settings.coverage.fail_under
    if settings.floor_configured:
        return f"fail-under {floor:g}%"
    floor, whose = inherited_floor(config, settings.root)
    return f"fail-under {floor:g}% ({whose})" if whose else "no fail-under configured (figure only)"


def live_figures(cov: Any) -> CoverageFigures:
    """Figures of the running ``coverage run`` measurement, from a copy of its data.

    Never report on the running object itself: with a ``[paths]`` section coverage.py
    replaces its data by a remapped in-memory copy before reporting, and the data file
    `coverage run` writes at exit would be empty.
    """
    from coverage import Coverage, CoverageData

    from gates.coverage.figures import figures_from

    copy = CoverageData(no_disk=True)
    copy.update(cov.get_data())
    shown = str(cov.config.data_file)
    shown = os.path.relpath(shown) if os.path.isabs(shown) else shown
    with tempfile.TemporaryDirectory(prefix="gates-coverage-") as folder:
        target = Path(folder) / ".coverage"
        write_data(copy, target)
        reader = Coverage(data_file=str(target), config_file=cov.config.config_file or True)
        reader.load()
        figures = figures_from(reader)
    return figures._replace(data_file=shown)


def inherited_floor(config: pytest.Config, root: Path) -> tuple[float, str]:
    """The floor when gates' own is not configured, and whose it is ("" when none).

    pytest-cov's ``--cov-fail-under`` (pytest-cov itself falls back to coverage.py's
    ``[report] fail_under``), else coverage.py's; 0 means no floor, as in both tools.
    """
    cov = _pytest_cov(config)
    if cov is not None:
        # pytest-cov keeps its options (--cov-fail-under, else coverage.py's) on its plugin.
        options = getattr(config.pluginmanager.getplugin("_cov"), "options", None)
        value = getattr(options, "cov_fail_under", None)
        floor = float(cov.config.fail_under if value is None else value)
        return floor, "pytest-cov's fail-under" if floor else ""
    running = running_coverage()
    floor = float(running.config.fail_under) if running is not None else _coverage_py_floor(root)
    return floor, "coverage.py's fail_under" if floor else ""


def _coverage_py_floor(root: Path) -> float:
    """``[report] fail_under`` of coverage.py's configuration as read in ``root``."""
    import contextlib

    import coverage

    with contextlib.chdir(root):
        try:
            return float(coverage.Coverage(config_file=True).config.fail_under)
        except Exception:  # a broken configuration is reported when the data is read
            return 0.0


def _existing_figures(config: pytest.Config, root: Path, data_file: str) -> Any:
    """Figures of a data file this session did not write; reused while nothing changed."""
    from gates.coverage.figures import load_figures
    from pytest_gates.coverage.figures_cache import cached_figures, store_figures

    cache = getattr(config, "cache", None)
    figures = cached_figures(cache, root, data_file) if cache is not None else None
    if figures is None:
        figures = load_figures(root, data_file)
        if cache is not None:
            path = os.path.join(root, figures.data_file)
            store_figures(cache, root, data_file, path, figures)
    return figures


def _pytest_cov(config: pytest.Config) -> Any:
    plugin = config.pluginmanager.getplugin("_cov")
    controller = getattr(plugin, "cov_controller", None)
    return getattr(controller, "cov", None)
