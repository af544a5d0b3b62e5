"""GT100 syntax: every file must be readable, decodable, parse and compile."""

from __future__ import annotations

from collections.abc import Iterable

from gates.core.checker import Checker, Example
from gates.model import Finding, Location
from gates.analysis.compile_rules import compile_problem
from gates.core.source import PYTHON, SourceFile


class SyntaxChecker(Checker):
    name = "syntax"
    code = "GT100"
    description = "every Python file can be read, decoded and parsed"
    rationale = (
        "A file that does not parse cannot be checked by any other gate, and will fail "
        "at import time; so will one that parses but that CPython's compiler rejects "
        "(`return` outside a function, `break` outside a loop, `from __future__ import "
        "braces`). Reported as a finding with line and column, never as a crash."
    )
    checks_tests = True
    needs_tree = False
    unit = "unparsable files"
    examples = (
        Example("def ok():\n    return 1\n"),
        Example("x = 1\ndef broken(:\n    pass\n", fails_at=(2,)),
        Example("if True:\n  x = 1\n    y = 2\n", fails_at=(3,)),
        Example("def first():\n    return 1\nreturn 2\n", fails_at=(3,)),
        Example("for item in range(3):\n    pass\nbreak\n", fails_at=(3,)),
        Example("from __future__ import braces\n", fails_at=(1,)),
    )

    def check(self, source: SourceFile) -> Iterable[Finding]:
        if source.error is None and source.tree is not None:
            yield from self._compiles(source)
            return
        if source.error is None:
            return
        error = source.error
        location = Location(source.path, error.line, error.column)
        message = f"{error.subject} {error.reason}" if error.subject else error.reason
        yield Finding(self.code, self.name, location, message)

    def _compiles(self, source: SourceFile) -> Iterable[Finding]:
        """What CPython's compiler rejects after parsing (``return`` at module level,
        ``break`` outside a loop, ``from __future__ import braces``, ...): the module
        would parse but never import."""
        assert source.tree is not None
        problem = compile_problem(source.tree, source.text, source.path)
        if problem is not None:
            line, column, message = problem
            reason = f"does not compile with Python {PYTHON}: SyntaxError: {message}"
            yield Finding(self.code, self.name, Location(source.path, line, column), f"file {reason}")
