"""GT103 file-size: modules stay small enough to navigate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gates.core.checker import Example, SizeChecker, option
from gates.model import Finding
from gates.core.source import SourceFile


@dataclass(frozen=True)
class FileSizeOptions:
    max: int = option(800, "the most physical lines a module may have")


class FileSizeChecker(SizeChecker):
    name = "file-size"
    code = "GT103"
    description = "no module longer than `max` physical lines (default 800)"
    rationale = (
        "Very long modules mix responsibilities and are hard to navigate and review. "
        "Counts physical lines, as `wc -l` does (plus an unterminated last line). "
        "A file that does not parse is measured too. "
        "The finding is on line 1, where `# gates: ignore[GT103]` suppresses it."
    )
    options_type = FileSizeOptions
    needs_tree = False
    noun = "file"
    examples = (
        Example("x = 1\n" * 800),
        Example("x = 1\n" * 801, fails_at=(1,)),
        Example("x = 1\n" * 4, options=(("max", 3),), fails_at=(1,)),
        Example("# gates: ignore[GT103]\n" + "x = 1\n" * 4, options=(("max", 3),)),
        Example("def broken(:\n" + "x = 1\n" * 4, options=(("max", 3),), fails_at=(1,)),
    )

    def applies_to(self, source: SourceFile) -> bool:
        # A file that does not parse still has its lines (it needs no tree); only a file
        # that could not be read or decoded has nothing to count.
        return not source.is_test and (source.error is None or bool(source.text))

    def check(self, source: SourceFile) -> Iterable[Finding]:
        count = source.line_count
        limit = self.options.max
        if count > limit:
            message = f"file is {count} lines long (max {limit})"
            yield self.finding(source, None, message, value=count, line=1)

    def measure(self, source: SourceFile) -> float | None:
        count = source.line_count
        return float(count) if count <= self.options.max else None

    def check_options(self) -> str | None:
        return "max must be at least 1" if self.options.max < 1 else None
