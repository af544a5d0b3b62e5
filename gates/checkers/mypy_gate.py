"""GT202 mypy: the type checker's errors as findings, from one mypy run over the project."""

from __future__ import annotations

import re
from pathlib import Path

from gates.core.checker import Example
from gates.integrations.tools import ToolChecker, find_config, ini_with, require, toml_with
from gates.errors import UsageError
from gates.model import Finding

# "path:line:column: error: message  [code]" (with --show-column-numbers, no pretty output);
# a blocking error about a whole file ("Duplicate module named ...") has no line.
_LINE = re.compile(
    r"^(?P<path>.+?):(?:(?P<line>\d+):(?:(?P<column>\d+):)?)? error: (?P<message>.*?)"
    r"(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)
# Where mypy itself looks, in its own order.
CONFIG_FILES = (
    ("mypy.ini", ini_with("mypy")),
    (".mypy.ini", ini_with("mypy")),
    ("pyproject.toml", toml_with("mypy")),
    ("setup.cfg", ini_with("mypy")),
)
# Output switches only: they change how mypy prints, never what it checks.
OUTPUT_ARGS = (
    "--show-column-numbers",
    "--show-absolute-path",
    "--show-error-codes",
    "--no-pretty",
    "--no-error-summary",
    "--no-color-output",
)


def parse_output(text: str) -> list[tuple[str, int, int, str]]:
    """(path, line, column, message with its [code]) for every error line mypy printed."""
    errors = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        message = match["message"]
        if match["code"]:
            message += f"  [{match['code']}]"
        line_number = int(match["line"] or 1)
        errors.append((match["path"], line_number, int(match["column"] or 1), message))
    return errors


# Exit status 2 with errors: mypy stopped at a blocking error (a file that does not parse,
# a duplicate module), so the errors of the other files were never counted.
BLOCKING = "  (blocking: mypy stopped here, the other errors are not counted yet)"


class MypyChecker(ToolChecker):
    name = "mypy"
    code = "GT202"
    tool = "mypy"
    description = "mypy reports no error (needs mypy)"
    rationale = (
        "Runs mypy once per run on the production files through mypy.api, with the "
        "project's own mypy configuration (mypy.ini, .mypy.ini, [tool.mypy] in "
        "pyproject.toml or [mypy] in setup.cfg, found from the project root), and reports "
        "each error with mypy's code, e.g. `GT202 Incompatible types in assignment ... "
        "[assignment]`. Notes are not findings. A blocking error (a file mypy cannot parse, "
        "a duplicate module name) stops mypy before it checks the rest: it is reported at "
        "its file (line 1 when mypy gives no line) and marked blocking, so a short count "
        "is not read as mypy's whole verdict. `# type: ignore` works as in mypy, "
        "`# gates: ignore[GT202]` too."
    )
    examples = (
        Example("def double(x: int) -> int:\n    return x * 2\n"),
        Example("count: int = 'three'\n", fails_at=(1,)),
        Example("def f() -> str:\n    return 1\n", fails_at=(2,)),
    )

    def run_tool(self, root: Path, files: list[str]) -> list[Finding]:
        api = require("mypy.api", "mypy", f"{self.code} ({self.name})")
        config = find_config(root, CONFIG_FILES)
        args = [*OUTPUT_ARGS, *(["--config-file", str(config)] if config else []), *files]
        stdout, stderr, status = api.run(args)
        errors = parse_output(stdout)
        if status == 2 and not errors:
            problem = (stderr or stdout).strip().splitlines() or ["no output"]
            where = config or "the command line"
            raise UsageError(f"mypy could not run ({where}): {problem[0]}; fix the mypy configuration")
        if status == 2:
            errors = [(path, line, column, message + BLOCKING) for path, line, column, message in errors]
        return [self.tool_finding(root, *error) for error in errors]
