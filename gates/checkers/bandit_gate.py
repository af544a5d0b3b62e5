"""GT203 bandit: bandit's security issues as findings, from one bandit run over the project."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gates.core.checker import Example, option
from gates.integrations.tools import ToolChecker, has_tool_table, require
from gates.errors import UsageError
from gates.model import Finding

LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class BanditOptions:
    severity: str = option("medium", 'the lowest severity that fails: "low", "medium" or "high"')
    confidence: str = option("medium", 'the lowest confidence that fails: "low", "medium" or "high"')


def _manager(root: Path) -> Any:
    """A BanditManager with the project's [tool.bandit] (tests, skips, exclude_dirs)."""
    require("bandit", "bandit", "GT203 (bandit)")
    from bandit.core import config, manager, utils

    pyproject = root / "pyproject.toml"
    config_file = str(pyproject) if has_tool_table(pyproject, "bandit") else None
    try:
        conf = config.BanditConfig(config_file=config_file)
    except utils.ConfigError as exc:
        raise UsageError(f"{config_file}: bandit cannot use [tool.bandit]: {exc}") from None
    profile = {
        "include": set(conf.get_option("tests") or []),
        "exclude": set(conf.get_option("skips") or []),
    }
    return manager.BanditManager(conf, "file", False, profile=profile, quiet=True)


class BanditChecker(ToolChecker):
    name = "bandit"
    code = "GT203"
    tool = "bandit"
    description = "bandit reports no issue at or above `severity` and `confidence` (needs bandit)"
    rationale = (
        "Runs bandit once per run on the production files through its manager API, with "
        "the project's [tool.bandit] table in pyproject.toml (tests, skips, exclude_dirs), "
        "and reports each issue of at least `severity` and `confidence` (low, medium or "
        "high; default medium) with bandit's test id, e.g. `GT203 B602 subprocess call "
        "with shell=True identified, security issue.` `# nosec` works as in bandit."
    )
    options_type = BanditOptions
    examples = (
        Example("import hashlib\n\ndigest = hashlib.sha256(b'data').hexdigest()\n"),
        Example("import subprocess\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n",
                fails_at=(4,)),
        Example("import subprocess\n\nsubprocess.call('ls -l', shell=True)\n"),
        Example("import subprocess\n\nsubprocess.call('ls -l', shell=True)\n",
                options=(("severity", "low"), ("confidence", "low")), fails_at=(1, 3, 3)),
    )

    def default_text(self) -> str:
        return f"0 bandit issues >= {self.options.severity} severity"

    def check_options(self) -> str | None:
        for key in ("severity", "confidence"):
            if getattr(self.options, key) not in LEVELS:
                return f'{key} must be one of "low", "medium", "high"'
        return None

    def run_tool(self, root: Path, files: list[str]) -> list[Finding]:
        mgr = _manager(root)
        mgr.discover_files(files, False)
        mgr.run_tests()
        issues = mgr.get_issue_list(
            sev_level=self.options.severity.upper(), conf_level=self.options.confidence.upper()
        )
        return [
            self.tool_finding(
                root, issue.fname, issue.lineno, issue.col_offset + 1,
                f"{issue.test_id} {issue.text} (severity {issue.severity.lower()}, "
                f"confidence {issue.confidence.lower()})",
            )
            for issue in issues
        ]
