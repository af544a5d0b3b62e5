"""A gate's documentation, rendered from the checker itself: what it checks, why, its
options and its pass/fail examples (``gates explain``, SARIF rule help)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from gates.core.checker import Checker, Example
from gates.core.config import default_table
from gates.model import GateDoc


def _heading(example: Example) -> str:
    if example.passes:
        head = "passes"
    else:
        head = "fails at line " + ", ".join(str(n) for n in example.fails_at)
    extra = ", ".join(f"{k} = {v!r}" for k, v in example.options)
    if extra:
        head += f" (with {extra})"
    if example.path != "example.py":
        head += f" (in {example.path})"
    return head


def explain(cls: type[Checker]) -> str:
    """What the gate checks, why, its options and its pass/fail examples, as plain text."""
    parts = [f"{cls.code} {cls.name}: {cls.description}", ""]
    parts += textwrap.wrap(cls.rationale, 88) + [""]
    scope = "production code and tests" if cls.checks_tests else "production code (not tests)"
    parts.append(f"Checks: {scope}. Enabled by default: {'yes' if cls.enabled_by_default else 'no'}.")
    options = default_table(cls.options_type)
    parts += ["", f"Options ([tool.gates.{cls.name}] in pyproject.toml):", "  enabled = true"]
    parts += [f"  {key} = {value}" for key, value in options]
    parts.append(f"Suppress on a line: # gates: ignore[{cls.code}]  (or # noqa: {cls.code})")
    for example in cls.examples:
        parts += ["", f"Example — {_heading(example)}:"]
        parts += ["    " + line for line in example.code.rstrip("\n").split("\n")][:12]
        if example.code.count("\n") > 12:
            parts.append("    ...")
    return "\n".join(parts) + "\n"


def markdown(cls: type[Checker]) -> str:
    """The same documentation as Markdown, for viewers that render it (code scanning)."""
    parts = [f"**{cls.code} {cls.name}**: {cls.description}", "", cls.rationale, ""]
    for example in cls.examples:
        verdict = "Passes:" if example.passes else f"Fails at line {', '.join(map(str, example.fails_at))}:"
        parts += [verdict, "", "```python", example.code.rstrip("\n"), "```", ""]
    parts.append(f"Suppress on a line with `# gates: ignore[{cls.code}]`.")
    return "\n".join(parts)


def gate_docs(codes: Iterable[str]) -> tuple[GateDoc, ...]:
    """The documentation of the registered gates with these codes (unknown codes are left out)."""
    from gates.core.registry import find_checker

    docs = []
    for code in codes:
        cls = find_checker(code)
        if cls is not None:
            docs.append(GateDoc(cls.code, cls.name, cls.description, explain(cls), markdown(cls)))
    return tuple(docs)
