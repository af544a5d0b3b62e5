"""Finding and building the output format the user asked for (``--format``).

Reporters themselves (:mod:`gates.reporters`) see a run's result only; loading them from
the ``gates.reporters`` entry-point group, and turning a broken third-party reporter into a
one-line error, is the command line's job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from gates.errors import UsageError
from gates.reporters import BUILTIN_FORMATS, GROUP, Reporter, ReportOptions

if TYPE_CHECKING:
    from gates.model import RunResult

FORMAT_HELP = (
    f"output format: {', '.join(BUILTIN_FORMATS)} (default text), or one a plugin "
    "registers under the gates.reporters entry-point group"
)


def available_formats() -> list[str]:
    """The registered format names, sorted, without importing any reporter module."""
    from gates.core.registry import plugins  # not at start-up: `gates --version` needs none

    return sorted({entry.name for entry in plugins(GROUP)})


def make_reporter(name: str, options: ReportOptions) -> Reporter:
    """The reporter registered as ``name``; an unknown or broken one is a :class:`UsageError`."""
    from gates.core.registry import load_plugin, plugins

    found = [entry for entry in plugins(GROUP) if entry.name == name]
    if not found:
        known = ", ".join(available_formats()) or "none (is gates installed? pip install -e .)"
        raise UsageError(f"--format: unknown format '{name}'; known formats: {known}")
    entry = found[0]
    reporter: Reporter = load_plugin(entry, "reporter", lambda factory: factory(options))
    if not callable(getattr(reporter, "report", None)):
        raise UsageError(f"reporter plugin '{name}' ({entry.value}) has no report(result, out)")
    if entry.value.startswith("gates."):
        return reporter
    return _Guarded(reporter, f"reporter plugin '{name}' ({entry.value})")


class _Guarded:
    """A third-party reporter whose failure is a one-line error naming it, not a traceback."""

    def __init__(self, reporter: Reporter, label: str) -> None:
        self.reporter = reporter
        self.label = label
        self.needs_docs = bool(getattr(reporter, "needs_docs", False))

    def report(self, result: RunResult, out: TextIO) -> None:
        try:
            self.reporter.report(result, out)
        except (OSError, UsageError):
            raise
        except Exception as exc:
            raise UsageError(
                f"{self.label} failed: {type(exc).__name__}: {exc}; fix or uninstall that package"
            ) from None
