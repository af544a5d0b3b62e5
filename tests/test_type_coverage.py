"""GT104 type-coverage: the slot rules one by one, the rounding rule, and the gate as users run it."""

from __future__ import annotations

import json
import os
import textwrap

import sysconfig
from pathlib import Path

import pytest

from gates.checkers.type_coverage import collect_slots, slot_counts
from gates.core.percent import percentage
from gates.model import Direction, as_shown, judge, shown as shown_text


def format_percent(value: float) -> str:
    return shown_text(value, "%", 2).removesuffix(" %")


def should_fail_under(value: float, floor: float) -> bool:
    return not judge(value, floor, Direction.FLOOR, 2, "%")
from gates.core.source import SourceFile

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def slots(code: str) -> list[tuple[str, str, bool]]:
    source = SourceFile.from_source("m.py", textwrap.dedent(code))
    return [(s.function, s.name, s.annotated) for s in collect_slots(source)]


# -- the slot rules ------------------------------------------------------------------
def test_every_parameter_kind_is_a_slot_and_so_is_the_return() -> None:
    found = slots("def f(a, /, b: int, *args, c: str, **kwargs) -> None: ...\n")
    assert found == [
        ("f", "a", False), ("f", "b", True), ("f", "args", False),
        ("f", "c", True), ("f", "kwargs", False), ("f", "return", True),
    ]


def test_a_function_without_parameters_still_has_its_return_slot() -> None:
    assert slots("def f(): ...\n") == [("f", "return", False)]


def test_self_of_a_method_is_not_a_slot_whatever_its_name() -> None:
    assert slots("class C:\n    def m(this, x: int) -> int: ...\n") == [
        ("C.m", "x", True), ("C.m", "return", True),
    ]


def test_cls_of_a_classmethod_and_of_new_is_not_a_slot() -> None:
    found = slots("""\
        class C:
            @classmethod
            def make(cls) -> None: ...
            def __new__(cls, value): ...
        """)
    assert found == [
        ("C.make", "return", True), ("C.__new__", "value", False), ("C.__new__", "return", False),
    ]


def test_a_staticmethod_has_no_parameter_to_skip() -> None:
    found = slots("""\
        import builtins
        class C:
            @staticmethod
            def s(x): ...
            @builtins.staticmethod
            def t(y: int) -> int: ...
        """)
    assert found == [("C.s", "x", False), ("C.s", "return", False), ("C.t", "y", True), ("C.t", "return", True)]


def test_init_has_a_return_slot() -> None:
    assert slots("class C:\n    def __init__(self) -> None: ...\n") == [("C.__init__", "return", True)]


def test_lambdas_have_no_slots() -> None:
    assert slots("key = lambda item: item[0]\nsorted([], key=lambda x: x)\n") == []


def test_nested_functions_and_methods_of_nested_classes_count() -> None:
    found = slots("""\
        def outer() -> None:
            def inner(x): ...
            class Local:
                def m(self) -> int: ...
        """)
    assert found == [
        ("outer", "return", True),
        ("outer.<locals>.inner", "x", False), ("outer.<locals>.inner", "return", False),
        ("outer.<locals>.Local.m", "return", True),
    ]


def test_a_function_nested_in_a_method_is_not_a_method() -> None:
    found = slots("class C:\n    def m(self) -> None:\n        def helper(first): ...\n")
    assert ("C.m.<locals>.helper", "first", False) in found


def test_async_functions_and_functions_under_if_and_try_count() -> None:
    found = slots("""\
        if True:
            async def a(x: int) -> None: ...
        try:
            def b() -> None: ...
        except ImportError:
            pass
        """)
    assert found == [("a", "x", True), ("a", "return", True), ("b", "return", True)]


# -- rounding: the displayed figure is the judged figure ---------------------------------
def test_zero_slots_is_one_hundred_percent() -> None:
    assert percentage(0, 0) == 100.0
    assert not should_fail_under(percentage(0, 0), 100.0)


@pytest.mark.parametrize(
    ("total", "shown", "fails_at_60"),
    [
        (59.995, "59.99", True),  # the float 59.995 lies just below 59.995: shown and judged 59.99
        (59.99500001, "60.00", False),
        (59.994, "59.99", True),
        (60.0, "60.00", False),
        (60.004, "60.00", False),
    ],
)
def test_shown_figure_and_decision_agree_at_the_edge(total: float, shown: str, fails_at_60: bool) -> None:
    assert format_percent(total) == shown
    assert should_fail_under(total, 60.0) is fails_at_60
    assert should_fail_under(total, 60.0) is (float(shown) < 60.0)


def test_never_rounded_up_to_100_nor_down_to_0() -> None:
    assert format_percent(99.996) == "99.99" and should_fail_under(99.996, 100.0)
    assert format_percent(100.0) == "100.00" and not should_fail_under(100.0, 100.0)
    assert format_percent(0.001) == "0.01" and as_shown(0.0, 2, "%") == 0.0


# -- the gate from the command line -----------------------------------------------------
THIRDS = """\
    def f(a: int, b: int, c) -> None: ...
    """  # 3 of 4 slots annotated: 75 %


def gt104(data: dict[str, object]) -> dict[str, object]:
    return next(g for g in data["gates"] if g["code"] == "GT104")  # type: ignore[index, union-attr, return-value]


def test_total_over_production_files_only(project, run_gates) -> None:
    root = project({
        "app/a.py": "def f(x: int) -> int:\n    return x\n",          # 2 / 2
        "app/b.py": "def g(x, y) -> None:\n    pass\n",               # 1 / 3
        "tests/test_a.py": "def test_it(fixture):\n    pass\n",       # not production code
    })
    result = run_gates("check", "--select", "GT104", "--format", "json", cwd=root)
    gate = gt104(json.loads(result.stdout))
    assert gate["measured"] == 60.0 and gate["passed"] is True  # 3 of 5 slots: 60.00 passes 60
    assert result.returncode == 0


def test_the_floor_is_judged_on_the_figure_shown(project, run_gates) -> None:
    files = {"m.py": "def f(a: int, b: int, c) -> None: ...\ndef g(x: int, y) -> None: ...\n"}
    # 5 of 7 slots = 71.428...% shown as 71.43
    passes = project({**files, "pyproject.toml": "[tool.gates.type-coverage]\nfail-under = 71.43\n"})
    result = run_gates("check", "--select", "GT104", cwd=passes)
    assert result.returncode == 0, result.stdout
    assert "71.43 % of 7 slots annotated (min 71.43 %)" in result.stdout
    (passes / "pyproject.toml").write_text("[tool.gates.type-coverage]\nfail-under = 71.44\n")
    result = run_gates("check", "--select", "GT104", cwd=passes)
    assert result.returncode == 1
    assert "FAILED  71.43 % of 7 slots annotated (min 71.44 %)" in result.stdout


def test_verbose_table_lists_files_least_covered_first(project, run_gates) -> None:
    root = project({
        "full.py": "def f(x: int) -> int:\n    return x\n",
        "none.py": "def g(x):\n    return x\n",
        "half.py": "def h(x) -> int:\n    return x\n",
        "empty.py": "X = 1\n",
    })
    result = run_gates("check", "--select", "GT104", "-v", cwd=root)
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith("    ")]
    assert rows == [["0.00", "%", "none.py"], ["50.00", "%", "half.py"],
                    ["100.00", "%", "empty.py"], ["100.00", "%", "full.py"]]
    plain = run_gates("check", "--select", "GT104", cwd=root)
    assert "none.py" not in plain.stdout


def test_show_missing_lists_each_slot_at_its_own_line(project, run_gates) -> None:
    root = project({"m.py": """\
        def f(a,
              b: int,
              *rest):
            pass
        class C:
            def m(self, x) -> None: ...  # gates: ignore[GT104]
        """})
    result = run_gates("check", "--select", "GT104", "--show-missing", cwd=root)
    findings = [line for line in result.stdout.splitlines() if " GT104 " in line]
    assert findings == [
        "m.py:1:1: GT104 f() has no return annotation",
        "m.py:1:7: GT104 parameter 'a' of f() has no annotation",
        "m.py:3:8: GT104 parameter 'rest' of f() has no annotation",
    ]
    assert "25.00 % of 4 slots annotated" in result.stdout  # the silenced line is not counted


def test_min_file_fails_a_poorly_annotated_file_even_when_the_total_passes(project, run_gates) -> None:
    root = project({
        "good.py": "".join(f"def f{i}(x: int) -> int: ...\n" for i in range(9)),
        "bad.py": "def g(x): ...\n",
        "pyproject.toml": "[tool.gates.type-coverage]\nmin-file = 50\n",
    })
    result = run_gates("check", "--select", "GT104", cwd=root)
    assert result.returncode == 1
    assert "bad.py:1:1: GT104 type coverage of this file is 0.00 % (0/2 slots; min-file 50 %)" in result.stdout
    assert "90.00 % of 20 slots annotated (min 60 %); 1 file below min-file 50 %" in result.stdout


def test_an_out_of_range_floor_is_a_config_error(project, run_gates) -> None:
    root = project({"m.py": "X = 1\n", "pyproject.toml": "[tool.gates.type-coverage]\nfail-under = 120\n"})
    result = run_gates("check", cwd=root)
    assert result.returncode == 2
    assert "fail-under must be between 0 and 100" in result.stderr


# -- the __init__ convention: mypy's ------------------------------------------------------
INIT = """\
class Point:
    def __init__(self, x: int, y: int):
        self.x = x
        self.y = y


class Origin:
    def __init__(self) -> None:
        self.x = 0
"""


def _gt104(result) -> dict:
    return gt104(json.loads(result.stdout))


def test_init_return_is_not_counted_when_mypy_implies_it(project, run_gates) -> None:
    import mypy.api

    root = project({"point.py": INIT})
    # mypy's strictest setting for this accepts the file as it is ...
    stdout, _, status = mypy.api.run(["--disallow-untyped-defs", "--disallow-incomplete-defs",
                                      "--cache-dir", os.devnull, str(root / "point.py")])
    assert status == 0, stdout
    # ... and so does the gate: 3 slots (x, y, Origin.__init__'s return), all annotated.
    result = run_gates("check", "--select", "GT104", "--format", "json", "--show-missing", cwd=root)
    assert result.returncode == 0, result.stdout
    assert _gt104(result)["measured"] == 100.0


def test_a_bare_init_still_needs_its_return_as_in_mypy(project, run_gates) -> None:
    root = project({"m.py": "class C:\n    def __init__(self):\n        self.x = 1\n"})
    result = run_gates("check", "--select", "GT104", "--format", "json", cwd=root)
    assert _gt104(result)["measured"] == 0.0


def test_count_init_return_counts_it_always(project, run_gates) -> None:
    root = project({"point.py": INIT,
                    "pyproject.toml": "[tool.gates.type-coverage]\ncount-init-return = true\n"})
    result = run_gates("check", "--select", "GT104", "--format", "json", cwd=root)
    assert _gt104(result)["measured"] == 75.0  # 3 of 4 slots: Point.__init__'s return is bare


ANNOTATED = "".join(f"def f{i}(x: int) -> int:\n    return x\n\n\n" for i in range(20))


def test_named_files_are_judged_on_the_project_figure_and_report_their_own_findings(
    project, run_gates
) -> None:
    """A commit hook names the staged files: GT104's figure stays the project's (41 of 43
    slots), its findings those of the named file only (other.py's slot is not listed)."""
    root = project({"pyproject.toml": "[project]\nname = 'p'\n", "pkg/typed.py": ANNOTATED,
                    "pkg/tools/helper.py": "def h(x):\n    return x\n", "pkg/other.py": "def o(): ...\n"})
    for cache in ((), ("--no-cache",)):
        result = run_gates("check", "--select", "GT104", "--show-missing", *cache, "--", "pkg/tools/helper.py",
                           cwd=root)
        assert result.returncode == 0, result.stdout
        assert "passed  93.02 % of 43 slots annotated" in result.stdout
        listed = [line.split(":")[0] for line in result.stdout.splitlines() if ": GT104 " in line]
        assert listed == ["pkg/tools/helper.py"] * 2
    # A folder named is measured on its own, as before: there the user chose the scope.
    folder = run_gates("check", "--select", "GT104", "--format", "json", "pkg/tools", cwd=root)
    assert _gt104(folder)["measured"] == 0.0


def test_a_change_in_a_file_not_named_changes_the_project_figure_on_a_warm_cache(
    project, run_gates
) -> None:
    """The other files' measures come from the cache on a warm run (the stat stamp says
    unchanged): an edit to one of them must still move the figure."""
    root = project({"pyproject.toml": "[project]\nname = 'p'\n", "pkg/typed.py": ANNOTATED,
                    "pkg/helper.py": "def h(x):\n    return x\n", "pkg/other.py": "def o(): ...\n"})
    for _ in range(2):  # the second run reads every file's measures from the cache
        result = run_gates("check", "--select", "GT104", "--", "pkg/helper.py", cwd=root)
        assert "passed  93.02 % of 43 slots annotated" in result.stdout, result.stdout
    (root / "pkg" / "other.py").write_text("def o() -> None: ...\n")
    result = run_gates("check", "--select", "GT104", "--", "pkg/helper.py", cwd=root)
    assert "passed  95.35 % of 43 slots annotated" in result.stdout, result.stdout
    (root / "pkg" / "other.py").unlink()
    result = run_gates("check", "--select", "GT104", "--", "pkg/helper.py", cwd=root)
    assert "passed  95.24 % of 42 slots annotated" in result.stdout, result.stdout


@pytest.mark.parametrize("name", ["argparse.py", "dataclasses.py", "typing.py", "asyncio/base_events.py",
                                  "email/_header_value_parser.py", "importlib/metadata/__init__.py"])
def test_the_quick_count_is_the_slot_list_counted(name: str) -> None:
    # A file without suppressing comments is measured without building its slots: the same
    # figures, with and without count-init-return (typing.py has __init__s of both kinds).
    source = SourceFile.read(STDLIB / name, name)
    for count_init_return in (False, True):
        slots = [s for s in collect_slots(source) if count_init_return or not s.implied]
        assert slot_counts(source, count_init_return) == (sum(s.annotated for s in slots), len(slots))
    assert len(collect_slots(source)) > 50


def test_a_suppressed_slot_leaves_the_count_and_the_others_stay(project, run_gates) -> None:
    root = project({"m.py": "def f(a,  # gates: ignore[GT104]\n      b: int) -> None: ...\n"
                            "def g(c, d): ...  # noqa: GT104\n"
                            "def h(e): ...  # noqa: E501\n"})
    result = run_gates("check", "--select", "GT104", "--format", "json", cwd=root)
    # Counted: b, e and h's return. Silenced: a and f's return (on f's def line), all of g's.
    assert _gt104(result)["measured"] == 33.33
