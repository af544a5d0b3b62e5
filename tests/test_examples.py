"""Every checker's own pass/fail examples, run through the real engine path (parse, check,
suppress). Adding a checker without examples fails here too."""

from __future__ import annotations

from pathlib import Path

import pytest

from gates.core.checker import Checker, Example, Project, ProjectFile
from gates.core.config import build_options
from gates.core.discovery import is_test_path
from gates.core.registry import available_checkers
from gates.core.source import SourceFile
from gates.core.suppression import is_suppressed

CASES = [
    pytest.param(cls, example, id=f"{cls.code}-{index}")
    for cls in available_checkers()
    for index, example in enumerate(cls.examples)
]


def flagged_lines(cls: type[Checker], example: Example, folder: Path) -> list[int]:
    options, _ = build_options(cls.options_type, dict(example.options), cls.name)
    checker = cls(options)
    source = SourceFile.from_source(example.path, example.code, is_test=is_test_path(example.path))
    if cls.check_project is not Checker.check_project:
        return project_flagged_lines(checker, example, source, folder)
    if not checker.applies_to(source):
        return []
    return sorted(f.line for f in checker.check(source) if not is_suppressed(f, source.lines))


def project_flagged_lines(
    checker: Checker, example: Example, source: SourceFile, folder: Path
) -> list[int]:
    """A whole-project checker (a wrapped tool) sees the example as a one-file project."""
    file = folder / example.path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(example.code)
    project = Project(folder, (ProjectFile(file, example.path, source.is_test),))
    found = checker.check_project(project)
    return sorted(f.line for f in found if not is_suppressed(f, source.lines))


@pytest.mark.parametrize(("cls", "example"), CASES)
def test_example(
    cls: type[Checker], example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # tools that keep a cache in the working folder (mypy) keep it here
    assert flagged_lines(cls, example, tmp_path) == list(example.fails_at)


@pytest.mark.parametrize("cls", available_checkers(), ids=lambda c: c.code)
def test_every_checker_documents_itself_with_passing_and_failing_examples(cls: type[Checker]) -> None:
    assert cls.description and cls.rationale
    if not cls.examples and cls.check is Checker.check:
        # No per-file check (coverage data, a runtime gate): a snippet cannot show it;
        # its own test module runs it on real projects.
        return
    assert any(e.passes for e in cls.examples), f"{cls.code} has no passing example"
    assert any(not e.passes for e in cls.examples), f"{cls.code} has no failing example"
