"""Inline suppression through the real command."""

from __future__ import annotations

import json

SOURCE = """\
print("a")  # gates: ignore[GT101]
print("b")  # gates: ignore[no-print]
print("c")  # noqa: GT101
print("d")  # noqa: E501, GT101
print("e")  # gates: ignore
print("f")  # noqa
print("g")  # gates: ignore[GT102]
print("h")
"""


def test_inline_suppression_by_code_name_noqa_and_bare(project, run_gates) -> None:
    root = project({"m.py": SOURCE})
    data = json.loads(run_gates("check", "--format", "json", cwd=root).stdout)
    assert [f["line"] for f in data["findings"]] == [6, 7, 8]


def test_suppressed_long_function_does_not_count_towards_measured(project, run_gates) -> None:
    body = "".join(f"    x = {i}\n" for i in range(60))
    root = project({"m.py": "def long():  # gates: ignore[GT102]\n" + body + "def short():\n    return 1\n"})
    data = json.loads(run_gates("check", "--format", "json", cwd=root).stdout)
    gate = next(g for g in data["gates"] if g["code"] == "GT102")
    assert gate["passed"] is True and gate["measured"] == 2
