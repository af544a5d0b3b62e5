"""Every checker's own pass/fail examples, run through the real engine path (parse, check,
suppress). Adding a checker without examples fails here too."""

from __future__ import annotations

import pytest

from gates.checkers.base import Checker, Example
from gates.config import build_options
from gates.discovery import is_test_path
from gates.registry import available_checkers
from gates.source import SourceFile
from gates.suppression import is_suppressed

CASES = [
    pytest.param(cls, example, id=f"{cls.code}-{index}")
    for cls in available_checkers()
    for index, example in enumerate(cls.examples)
]


def flagged_lines(cls: type[Checker], example: Example) -> list[int]:
    options, _ = build_options(cls.options_type, dict(example.options), cls.name)
    checker = cls(options)
    source = SourceFile.from_source(example.path, example.code, is_test=is_test_path(example.path))
    if not checker.applies_to(source):
        return []
    return sorted(f.line for f in checker.check(source) if not is_suppressed(f, source.lines))


@pytest.mark.parametrize(("cls", "example"), CASES)
def test_example(cls: type[Checker], example: Example) -> None:
    assert flagged_lines(cls, example) == list(example.fails_at)


@pytest.mark.parametrize("cls", available_checkers(), ids=lambda c: c.code)
def test_every_checker_documents_itself_with_passing_and_failing_examples(cls: type[Checker]) -> None:
    assert cls.description and cls.rationale
    if cls.check is Checker.check:
        # No per-file check (coverage data, a runtime gate): a snippet cannot show it;
        # its own test module runs it on real projects.
        assert not cls.examples, f"{cls.code} has examples but no per-file check to run them"
        return
    assert any(e.passes for e in cls.examples), f"{cls.code} has no passing example"
    assert any(not e.passes for e in cls.examples), f"{cls.code} has no failing example"
