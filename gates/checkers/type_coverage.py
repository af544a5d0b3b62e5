"""GT104 type-coverage: the share of annotatable slots that carry a type annotation.

Layers, as interrogate has them: the tree -> slots (:func:`collect_slots`) -> per-file
counts (``measure``) -> the project total -> one decision (:func:`gates.model.judge`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from gates.core.checker import Checker, Example, FixExample, option
from gates.analysis.statements import function_defs
from gates.model import Direction, Finding, GateResult, Location, as_shown, judge, percent_text, shown
from gates.core.percent import PRECISION, percentage
from gates.core.source import SourceFile
from gates.core.suppression import is_suppressed, marked_lines


class Slot(NamedTuple):
    """One place that can carry an annotation: a parameter or a function's return.

    A named tuple: a file has a slot per parameter, and a tuple is built several times
    faster than a frozen dataclass."""

    function: str  # qualified name, e.g. "C.method" or "outer.<locals>.inner"
    name: str  # the parameter's name, or "return"
    line: int
    column: int
    annotated: bool
    # The return of an __init__ with an annotated parameter: mypy takes it as -> None.
    implied: bool = False

    @property
    def is_return(self) -> bool:
        return self.name == "return"


def _is_staticmethod(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "staticmethod":
            return True
    return False


def _implied_return(node: ast.FunctionDef | ast.AsyncFunctionDef, params: list[ast.arg]) -> bool:
    """As mypy (even with --disallow-untyped-defs): an __init__ with one annotated parameter
    returns None implicitly; a bare ``def __init__(self)`` still needs its ``-> None``."""
    if node.name != "__init__" or node.returns is not None:
        return False
    return any(arg.annotation is not None for arg in params)


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef, is_method: bool) -> list[ast.arg]:
    """The parameters that are slots, in source order."""
    args = node.args
    every = args.posonlyargs + args.args  # a new list
    if is_method and every and not _is_staticmethod(node):
        del every[0]  # self / cls: typed implicitly
    if args.vararg is not None:
        every.append(args.vararg)
    every += args.kwonlyargs
    if args.kwarg is not None:
        every.append(args.kwarg)
    return every


def _function_slots(
    node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str, is_method: bool
) -> Iterator[Slot]:
    every = _parameters(node, is_method)
    for arg in every:  # source order
        yield Slot(qualname, arg.arg, arg.lineno, arg.col_offset + 1, arg.annotation is not None)
    implied = is_method and _implied_return(node, every)
    yield Slot(qualname, "return", node.lineno, node.col_offset + 1, node.returns is not None, implied)


def _is_method(qualname: str) -> bool:
    """``C.m`` and ``f.<locals>.C.m`` are methods; ``f`` and ``f.<locals>.g`` are not."""
    owner, dot, _ = qualname.rpartition(".")
    return bool(dot) and not owner.endswith("<locals>")


def slot_counts(source: SourceFile, count_init_return: bool) -> tuple[int, int]:
    """(annotated, all) slots of the file as :func:`collect_slots` gives them, counted
    without building a slot each: what a file with no suppressing comment is measured by."""
    annotated = total = 0
    for qualname, node in function_defs(source):
        is_method = _is_method(qualname)
        notes = [arg.annotation for arg in _parameters(node, is_method)]  # None: not annotated
        typed = len(notes) - notes.count(None)
        annotated += typed
        total += len(notes) + 1
        if node.returns is not None:
            annotated += 1
        elif typed and is_method and not count_init_return and node.name == "__init__":
            total -= 1  # the implied -> None of an __init__ (see _implied_return)
    return annotated, total


def collect_slots(source: SourceFile) -> list[Slot]:
    """Every annotatable slot of the file, function by function: parameters, then return."""
    return [
        slot
        for qualname, node in function_defs(source)
        for slot in _function_slots(node, qualname, _is_method(qualname))
    ]


@dataclass(frozen=True)
class TypeCoverageOptions:
    fail_under: float = option(60.0, "the lowest share of annotated slots over the production code, in %")
    min_file: float = option(0.0, "also fail any single file below this %, at its line 1; 0 = off")
    show_missing: bool = option(False, "one finding per unannotated slot, at its line (as --show-missing)")
    count_init_return: bool = option(
        False, "count the return of an __init__ whose parameters are annotated (mypy implies -> None)")


_MISSING = (("show-missing", True),)


class TypeCoverageChecker(Checker):
    name = "type-coverage"
    code = "GT104"
    description = "annotated slots / annotatable slots >= `fail-under` % (default 60) over the project"
    rationale = (
        "Annotations are what a type checker can check; an unannotated parameter is a hole "
        "in that net. Slots: every parameter (positional-only, keyword-only, *args, "
        "**kwargs) except the implicit self/cls of a method (a @staticmethod has none), "
        "plus one return per function; nested functions and methods "
        "count, lambdas have none. 0 slots counts as 100 %. The figure is shown with two "
        "decimals and judged as shown, never rounded up to 100. min-file (0 = off) also "
        "fails any file below it; show-missing (or --show-missing) lists each unannotated "
        "slot. A slot on a line with `# gates: ignore[GT104]` is not counted. The return of "
        "an __init__ with an annotated parameter is not counted, as mypy (even with "
        "--disallow-untyped-defs) takes it as `-> None`; a bare `def __init__(self)` still "
        "needs its `-> None`, as in mypy. count-init-return = true counts it always "
        "(interrogate's and earlier gates releases' convention)."
    )
    options_type = TypeCoverageOptions
    unit = "%"
    project_figure = True
    examples = (
        Example("def f(x: int, *args: str, **kw: bytes) -> None: ...\n", options=_MISSING),
        Example("def f(x: int, y) -> None: ...\n", fails_at=(1,), options=_MISSING),
        Example("def f(x: int,\n      y) -> None:\n    pass\n", fails_at=(2,), options=_MISSING),
        Example("def f(x: int,\n      y: int):\n    pass\n", fails_at=(1,), options=_MISSING),
        Example("class C:\n    def m(self, x: int) -> None: ...\n"
                "    @classmethod\n    def k(cls) -> None: ...\n", options=_MISSING),
        Example("class C:\n    @staticmethod\n    def s(x) -> None: ...\n", fails_at=(3,),
                options=_MISSING),
        Example("def f(a, /, b: int, *, c) -> int: ...\n", fails_at=(1, 1), options=_MISSING),
        Example("def outer() -> None:\n    def inner(x: int):\n        pass\n", fails_at=(2,),
                options=_MISSING),
        Example("square = lambda x: x * x\n", options=_MISSING),
        Example("def f(x): ...\n", path="tests/test_x.py", options=_MISSING),
        Example("def f(x): ...  # gates: ignore[GT104]\n", options=_MISSING),
        Example("def f(x): ...\n"),
        Example("def f(x) -> int: ...\n", options=(("min-file", 60.0),), fails_at=(1,)),
        Example("class C:\n    def __init__(self, x: int):\n        self.x = x\n", options=_MISSING),
        Example("class C:\n    def __init__(self):\n        self.x = 1\n", fails_at=(2,),
                options=_MISSING),
        Example("class C:\n    def __init__(self, x: int):\n        self.x = x\n", fails_at=(2,),
                options=(*_MISSING, ("count-init-return", True))),
    )
    fix_examples = (
        FixExample('def save(path, text):\n    with open(path, "w") as out:\n        out.write(text)\n',
                   'def save(path, text) -> None:\n    with open(path, "w") as out:\n        out.write(text)\n',
                   note="no path returns a value"),
        FixExample('def numbers():\n    yield 1\n\n\nclass Base:\n    def size(self):\n        return 0\n\n\n'
                   'class Empty(Base):\n    def size(self):\n        pass\n',
                   'def numbers():\n    yield 1\n\n\nclass Base:\n    def size(self):\n        return 0\n\n\n'
                   'class Empty(Base):\n    def size(self):\n        pass\n',
                   note="left alone: a generator; a method whose override returns a value"),
        FixExample('def retry(call, times=3, quiet=False):\n    for _ in range(times):\n        call()\n',
                   'def retry(call, times: int = 3, quiet: bool = False) -> None:\n    for _ in range(times):\n'
                   '        call()\n',
                   unsafe=True, note="parameter types from literal defaults"),
    )

    @property
    def threshold(self) -> float:
        return float(self.options.fail_under)

    def default_text(self) -> str:
        return f"min {percent_text(self.options.fail_under)}"

    def check_options(self) -> str | None:
        for key, value in (("fail-under", self.options.fail_under), ("min-file", self.options.min_file)):
            if not 0 <= value <= 100:
                return f"{key} must be between 0 and 100"
        return None

    def _counted(self, source: SourceFile) -> list[Slot]:
        """The file's slots minus those on a line that silences this gate (and the implied
        ``__init__`` returns, unless count-init-return)."""
        marked = marked_lines(source)
        return [
            slot
            for slot in source.shared(collect_slots)
            if (not slot.implied or self.options.count_init_return)
            and (slot.line not in marked or not is_suppressed(self._finding(source.path, slot), source.lines))
        ]

    def _counts(self, source: SourceFile) -> tuple[int, int]:
        """(annotated, counted) slots of the file."""
        if not marked_lines(source):  # nothing silenced: count without building the slots
            return slot_counts(source, self.options.count_init_return)
        slots = source.shared(self._counted)
        return sum(slot.annotated for slot in slots), len(slots)

    def _shared_counts(self, source: SourceFile) -> tuple[int, int]:
        return source.shared(self._counts)  # check and measure ask both

    def _finding(self, path: str, slot: Slot) -> Finding:
        if slot.is_return:
            message = f"{slot.function}() has no return annotation"
        else:
            message = f"parameter '{slot.name}' of {slot.function}() has no annotation"
        location = Location(path, slot.line, slot.column)
        return Finding(self.code, self.name, location, message, symbol=slot.function)

    def check(self, source: SourceFile) -> Iterable[Finding]:
        annotated, counted = self._shared_counts(source)
        figure = percentage(annotated, counted)
        if self.options.min_file and not self._meets(figure, self.options.min_file):
            message = (
                f"type coverage of this file is {percent_text(figure, PRECISION)} "
                f"({annotated}/{counted} slots; min-file {percent_text(self.options.min_file)})"
            )
            yield Finding(self.code, self.name, Location(source.path), message, value=figure)
        if self.options.show_missing:
            yield from (self._finding(source.path, s) for s in source.shared(self._counted) if not s.annotated)

    @staticmethod
    def _meets(figure: float, floor: float) -> bool:
        return judge(figure, floor, Direction.FLOOR, PRECISION, "%")

    def measure(self, source: SourceFile) -> tuple[int, int]:
        return self._shared_counts(source)

    def summarize(
        self, findings: Sequence[Finding], measures: Sequence[tuple[str, Any]]
    ) -> GateResult:
        annotated = sum(a for _, (a, _) in measures)
        total = sum(t for _, (_, t) in measures)
        figure = percentage(annotated, total)
        low_files = sum(1 for f in findings if f.value is not None)
        failed = not self._meets(figure, self.options.fail_under) or low_files > 0
        summary = (
            f"{percent_text(figure, PRECISION)} of {total:,} slots annotated "
            f"(min {percent_text(self.options.fail_under)})"
        )
        if low_files:
            plural = "s" if low_files != 1 else ""
            summary += f"; {low_files} file{plural} below min-file {percent_text(self.options.min_file)}"
        per_file = sorted(((path, percentage(a, t)) for path, (a, t) in measures),
                          key=lambda row: (row[1], row[0]))
        return GateResult(
            name=self.name,
            code=self.code,
            passed=not failed,
            measured=as_shown(figure, PRECISION, "%"),
            threshold=self.threshold,
            unit=self.unit,
            violations=total - annotated,
            summary=summary,
            details=tuple(per_file),
            direction=Direction.FLOOR,
            precision=PRECISION,
        )
