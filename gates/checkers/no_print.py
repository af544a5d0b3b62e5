"""GT101 no-print: production code logs, it does not print."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from gates.core.checker import Checker, Example, FixExample
from gates.analysis.calls import CallQuery, resolved_calls
from gates.model import Finding
from gates.core.source import SourceFile

# Any call that resolves to the builtin print mentions the word print.
_PRINT_CALLS = CallQuery(frozenset({"print", "__builtins__"}), frozenset({"builtins"}))


def print_calls(source: SourceFile) -> list[ast.Call]:
    """The calls of the builtin print in ``source``: GT101's findings, and what `gates fix`
    turns into log calls (one resolution, so that the two agree)."""
    if "print" not in source.text:
        return []
    return [call.node for call in resolved_calls(source, _PRINT_CALLS) if call.qualname == "builtins.print"]


class NoPrintChecker(Checker):
    name = "no-print"
    code = "GT101"
    description = "no call to the builtin print() in production code"
    rationale = (
        "print() in a library or service writes to stdout unconditionally: it cannot be "
        "filtered by level, routed or silenced. Use logging. Names are resolved, so a "
        "print that is rebound in scope (def, import, assignment, parameter) is not "
        "flagged, while builtins.print(...) is. Test files are not production code."
    )
    unit = "prints"
    examples = (
        Example('print("hello")\n', fails_at=(1,)),
        Example("import logging\nlogging.getLogger(__name__).info('hello')\n"),
        Example("def show(x):\n    print(x)\n", fails_at=(2,)),
        Example("import builtins\nbuiltins.print('x')\n", fails_at=(2,)),
        Example("from builtins import print as p\np('x')\n", fails_at=(2,)),
        Example("from rich import print\nprint('x')\n"),
        Example("def run(print):\n    print('x')\n"),
        Example("def print(*a):\n    pass\nprint('x')\n"),
        Example("print = lambda *a: None\nprint('x')\n"),
        Example("class C:\n    print = staticmethod(len)\n    def f(self):\n        print('x')\n",
                fails_at=(4,)),
        Example("def outer():\n    print = log\n    def inner():\n        print('x')\n"),
        Example("[print(x) for x in range(3)]\n", fails_at=(1,)),
        Example('print("in a test")\n', path="tests/test_x.py"),
        Example('print("x")  # gates: ignore[GT101]\n'),
        Example('print("x")  # noqa: GT101\n'),
    )
    fix_examples = (
        FixExample(
            'import sys\n\n\ndef greet(name):\n    print("hello", name)\n'
            '    print("no such user:", name, file=sys.stderr)\n',
            'import sys\nimport logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef greet(name):\n'
            '    logger.info("hello %s", name)\n    logger.error("no such user: %s", name)\n',
            note="a module logger; lazy %-formatting; file=sys.stderr logs at stderr-level"),
        FixExample(
            'def report(done, total):\n    print(f"{done} of {total!r}", "files", sep=": ")\n    print("100%")\n',
            'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef report(done, total):\n'
            '    logger.info("%s of %r: files", done, total)\n    logger.info("100%")\n',
            note="f-string fields and sep= become the format"),
        FixExample(
            'def main():\n    print("usage: tool FILE")\n\n\nif __name__ == "__main__":\n    main()\n',
            'def main():\n    print("usage: tool FILE")\n\n\nif __name__ == "__main__":\n    main()\n',
            note="program output: left alone and listed (logged with --unsafe)"),
        FixExample('def progress():\n    print(".", end="")\n', 'def progress():\n    print(".", end="")\n',
                   note="end=, flush= or another file=: listed as not fixed, with why"),
    )

    def check(self, source: SourceFile) -> Iterable[Finding]:
        for node in print_calls(source):
            yield self.finding(source, node, "print() call in production code; use logging")
