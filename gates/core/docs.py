"""A gate's documentation, rendered from the checker itself: what it checks, why, its
options and its pass/fail examples (``gates explain``, SARIF rule help, the gate pages of
the docs site, which docs/gen_gate_pages.py writes)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

from gates.core.checker import Checker, Example, FixExample
from gates.core.config import default_table
from gates.core.options import option_help
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


def _option_lines(options_type: type[Any]) -> list[str]:
    """``key = default`` per option, its help as an aligned TOML comment."""
    helps = option_help(options_type)
    settings = [(f"{key} = {value}", helps[key]) for key, value in default_table(options_type)]
    width = max((len(setting) for setting, _ in settings), default=0)
    return [f"{setting:<{width}}  # {text}" if text else setting for setting, text in settings]


def _enabled_line(cls: type[Checker]) -> str:
    """The ``enabled`` key with its real default: what a user copies must not turn a gate on."""
    if _in_pytest_plugin(cls):
        return "# enabled  # unset: the pytest plugin runs it; `gates check` only with true"
    return f"enabled = {'true' if cls.enabled_by_default else 'false'}"


def explain(cls: type[Checker]) -> str:
    """What the gate checks, why, its options and its pass/fail examples, as plain text."""
    parts = [f"{cls.code} {cls.name}: {cls.description}", ""]
    parts += textwrap.wrap(cls.rationale, 88) + [""]
    scope = "production code and tests" if cls.checks_tests else "production code (not tests)"
    parts.append(f"Checks: {scope}. Enabled by default: {'yes' if cls.enabled_by_default else 'no'}.")
    parts += ["", f"Options ([tool.gates.{cls.name}] in pyproject.toml):", "  " + _enabled_line(cls)]
    parts += ["  " + line for line in _option_lines(cls.options_type)]
    parts.append(f"Suppress on a line: # gates: ignore[{cls.code}]  (or # noqa: {cls.code})")
    for example in cls.examples:
        parts += ["", f"Example — {_heading(example)}:"]
        parts += ["    " + line for line in example.code.rstrip("\n").split("\n")][:12]
        if example.code.count("\n") > 12:
            parts.append("    ...")
    for fix in cls.fix_examples:
        parts += _fix_text(fix)
    return "\n".join(parts) + "\n"


def _fix_text(fix: FixExample) -> list[str]:
    parts = ["", f"`gates fix{' --unsafe' if fix.unsafe else ''}` — {_fix_heading(fix)}:"]
    parts += ["    " + line for line in fix.before.rstrip("\n").split("\n")]
    if fix.after != fix.before:
        parts += ["  becomes", *("    " + line for line in fix.after.rstrip("\n").split("\n"))]
    return parts


def _fix_heading(fix: FixExample) -> str:
    return fix.note or ("left alone" if fix.after == fix.before else "fixed")


def _fix_section(cls: type[Checker]) -> list[str]:
    if not cls.fix_examples:
        return []
    parts = ["## Fixing", "",
             f"[`gates fix`](../fix.md) fixes what it safely can; the test suite runs each example.", ""]
    for fix in cls.fix_examples:
        unsafe = " (with `--unsafe`)" if fix.unsafe else ""
        parts += [f"**{_fix_heading(fix)[0].upper() + _fix_heading(fix)[1:]}{unsafe}**", "",
                  "```python", fix.before.rstrip("\n"), "```", ""]
        if fix.after != fix.before:
            parts += ["becomes", "", "```python", fix.after.rstrip("\n"), "```", ""]
    return parts


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


# The gate pages of the docs site: one Markdown page per built-in gate, written by
# docs/gen_gate_pages.py and compared with the committed pages by tests/test_docs.py.
PAGES_COMMAND = "python3 docs/gen_gate_pages.py"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _in_pytest_plugin(cls: type[Checker]) -> bool:
    """Whether the pytest plugin runs the gate too (its options are shared with the plugin)."""
    return cls.options_type.__module__ == "gates.core.runtime_options"


def _scope(cls: type[Checker]) -> str:
    from gates.core.checker import ProjectChecker

    if cls.runtime_only:
        where = "Acts while the tests run, in the pytest plugin; `gates check` has nothing to check for it."
    elif issubclass(cls, ProjectChecker):
        where = "Judged once over the whole project, from the data a test run leaves."
    elif cls.checks_tests:
        where = "Checks every Python file: production code and tests."
    else:
        where = "Checks production code; test files are not checked."
    if _in_pytest_plugin(cls):
        state = "The pytest plugin runs it unless `enabled = false`; `gates check` only with `enabled = true`."
    elif cls.enabled_by_default:
        state = "On by default."
    else:
        state = "Off by default: turn it on with `enabled = true`."
    return f"{where} {state}"


def _options_section(cls: type[Checker]) -> list[str]:
    if _in_pytest_plugin(cls):
        rows = ["| `enabled` | unset | whether the gate runs: unset runs it in the pytest plugin, "
                "not in `gates check` |"]
    else:
        on = "true" if cls.enabled_by_default else "false"
        rows = [f"| `enabled` | `{on}` | whether the gate runs |"]
    helps = option_help(cls.options_type)
    rows += [f"| `{key}` | `{_cell(value)}` | {_cell(helps[key])} |"
             for key, value in default_table(cls.options_type)]
    return [
        "## Options", "",
        f"In `[tool.gates.{cls.name}]` of pyproject.toml (or `[tool.gates.{cls.code}]`):", "",
        "| key | default | meaning |", "|---|---|---|", *rows, "",
    ]


def _example_section(example: Example) -> list[str]:
    fence = 'python linenums="1"'
    if example.passes:
        head = "Passes"
    else:
        lines = sorted(set(example.fails_at))
        head = f"Fails at line{'s' if len(lines) > 1 else ''} " + ", ".join(map(str, lines))
        fence += ' hl_lines="' + " ".join(map(str, lines)) + '"'
    settings = [f"`{key} = {str(value).lower() if isinstance(value, bool) else repr(value)}`"
                for key, value in example.options]
    if settings:
        head += " with " + ", ".join(settings)
    if example.path != "example.py":
        head += f" in `{example.path}`"
    return [f"**{head}**", "", f"```{fence}", example.code.rstrip("\n"), "```", ""]


def _examples_section(cls: type[Checker]) -> list[str]:
    from gates.core.checker import ProjectChecker

    if not cls.examples:
        if issubclass(cls, ProjectChecker):
            return ["## How it is measured", "",
                    "From a test run: see [the pytest plugin](../pytest-plugin.md).", ""]
        return []
    parts = ["## Examples", "",
             f"The test suite runs each one; `gates explain {cls.code}` shows them too.", ""]
    for example in cls.examples:
        parts += _example_section(example)
    return parts


def _suppress_section(cls: type[Checker]) -> list[str]:
    if cls.runtime_only:
        return []
    return [
        "## Suppressing", "",
        f"On the line of a finding: `# gates: ignore[{cls.code}]` (or `# gates: ignore[{cls.name}]`, "
        f"or `# noqa: {cls.code}`); for whole paths, `per-file-ignores` in "
        "[configuration](../configuration.md).", "",
    ]


def gate_page(cls: type[Checker]) -> str:
    """The gate's page of the docs site, as Markdown: what, why, which files, options,
    suppression and every example (the failing lines highlighted)."""
    module = cls.__module__.replace(".", "/") + ".py"
    parts = [
        f"# {cls.code} {cls.name}", "",
        f"<!-- Generated from {module} by {PAGES_COMMAND}; edit the checker, not this page. -->", "",
        cls.description[0].upper() + cls.description[1:] + ".", "",
        "## Why", "", cls.rationale, "",
        "## Which files", "", _scope(cls), "",
        *_options_section(cls),
        *_suppress_section(cls),
        *_examples_section(cls),
        *_fix_section(cls),
    ]
    return "\n".join(parts).rstrip("\n") + "\n"


def builtin_gate_pages() -> dict[str, str]:
    """``{"GT101.md": page, ...}``: the page of every gate that gates itself registers."""
    from gates.core.registry import available_checkers

    return {f"{cls.code}.md": gate_page(cls) for cls in available_checkers()
            if cls.__module__.startswith("gates.checkers.")}
