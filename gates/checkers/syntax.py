"""GT100 syntax: every file must be readable, decodable, parse and compile."""

from __future__ import annotations

from collections.abc import Iterable

from gates.analysis.compiles import compile_problem
from gates.core.checker import Checker, Example
from gates.model import Finding, Location
from gates.core.source import SourceFile


class SyntaxChecker(Checker):
    name = "syntax"
    code = "GT100"
    description = "every Python file can be read, decoded, parsed and compiled"
    rationale = (
        "A file that does not parse cannot be checked by any other gate, and will fail "
        "at import time; so will one that parses but that CPython's compiler rejects "
        "('return' outside a def, 'await' outside an async def, an unknown __future__ "
        "feature). Reported as a finding with line and column, never as a crash."
    )
    checks_tests = True
    needs_tree = False
    unit = "unparsable files"
    examples = (
        Example("def ok():\n    return 1\n"),
        Example("x = 1\ndef broken(:\n    pass\n", fails_at=(2,)),
        Example("if True:\n  x = 1\n    y = 2\n", fails_at=(3,)),
        Example("def ok():\n    pass\n\nreturn 1\n", fails_at=(4,)),
    )

    def check(self, source: SourceFile) -> Iterable[Finding]:
        error = source.error or source.shared(compile_problem)
        if error is None:
            return
        location = Location(source.path, error.line, error.column)
        message = f"{error.subject} {error.reason}" if error.subject else error.reason
        yield Finding(self.code, self.name, location, message)
