"""GT201 flake8: flake8's reports as findings, from one flake8 run over the project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gates.core.checker import Example
from gates.integrations.tools import ToolChecker, find_config, ini_with, require
from gates.errors import UsageError
from gates.model import Finding

# Where flake8 itself looks, in its own order.
CONFIG_FILES = (
    ("setup.cfg", ini_with("flake8", "flake8:local-plugins")),
    ("tox.ini", ini_with("flake8", "flake8:local-plugins")),
    (".flake8", ini_with("flake8", "flake8:local-plugins")),
)


def _collector_class() -> type[Any]:
    """A flake8 formatter that keeps every reported violation instead of printing it."""
    from flake8.formatting.base import BaseFormatter

    class Collector(BaseFormatter):  # type: ignore[misc]
        def after_init(self) -> None:
            self.violations: list[Any] = []

        def start(self) -> None:
            pass  # never open flake8's --output-file: we print nothing

        def handle(self, error: Any) -> None:
            self.violations.append(error)

        def stop(self) -> None:
            pass

    return Collector


def run_flake8(argv: list[str]) -> list[Any]:
    """flake8's violations for ``argv`` after its own select/ignore/noqa decisions."""
    require("flake8", "flake8", "GT201 (flake8)")
    from flake8.main.application import Application

    app = Application()
    try:
        app.initialize(argv)
    except SystemExit as exc:  # flake8's argparse on a bad option in the config
        raise UsageError(f"flake8 could not start (exit {exc.code}): check its configuration") from None
    collector = _collector_class()(app.options)
    app.formatter = collector
    app.make_guide()
    app.make_file_checker_manager(argv)  # it holds the guide, which holds the formatter
    app.run_checks()
    app.report_errors()
    violations: list[Any] = collector.violations
    return violations


class Flake8Checker(ToolChecker):
    name = "flake8"
    code = "GT201"
    tool = "flake8"
    description = "flake8 reports no problem (needs flake8)"
    rationale = (
        "Runs flake8 once per run on the production files through its Python API, with "
        "the project's own flake8 configuration (setup.cfg, tox.ini or .flake8, found "
        "from the project root) and every flake8 plugin installed, and reports each "
        "problem with flake8's code, e.g. `GT201 F401 'os' imported but unused`. "
        "`# noqa` works as in flake8. gates' own GT codes, which flake8 also reports "
        "through the gates plugin, are left to the gates that own them."
    )
    examples = (
        Example("import os\n\nSEPARATOR = os.sep\n"),
        Example("import os\n", fails_at=(1,)),
        Example("x = undefined_name\n", fails_at=(1,)),
    )

    def run_tool(self, root: Path, files: list[str]) -> list[Finding]:
        config = find_config(root, CONFIG_FILES)
        argv = [*(["--config", str(config)] if config else []), *files]
        return [
            self.tool_finding(root, v.filename, v.line_number, v.column_number, f"{v.code} {v.text}")
            for v in run_flake8(argv)
            if not v.code.startswith("GT")
        ]
