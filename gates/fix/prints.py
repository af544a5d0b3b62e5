"""GT101's fix, decided on the ast: which flagged prints become log calls, at what level,
and which are left alone, with why.

The prints are GT101's own findings (:func:`gates.checkers.no_print.print_calls`, minus
suppressed lines), so a shadowed ``print`` is never touched. A print that is a program's
output stays (unless ``--unsafe``): one in a ``__main__.py``, under
``if __name__ == "__main__":``, in a function that block calls by name, or in a function
registered as a console script in pyproject.toml.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from gates.analysis.names import dotted
from gates.analysis.statements import function_defs
from gates.core.source import SourceFile

LEVELS = ("debug", "info", "warning", "error", "critical")


@dataclass(frozen=True)
class PrintPlan:
    """One flagged print: the logger method it becomes (None: left alone, ``why``)."""

    node: ast.Call
    level: str | None
    why: str = ""
    sep: str = " "
    program_output: bool = False


@dataclass(frozen=True)
class LoggerPlan:
    """The module logger the log calls use: its name, and what must be added for it."""

    name: str
    module: str = "logging"  # the name the logging module is bound to
    add_import: bool = False
    add_logger: bool = False


def _dotted(node: ast.expr) -> str | None:
    parts = dotted(node)
    return None if parts is None else ".".join([parts[0], *parts[1]])


def dotted_calls(tree: ast.AST) -> list[tuple[ast.Call, str]]:
    """Every call to a dotted name (``f``, ``a.b.f``), in source order: the order in which a
    libcst walk meets them, which is how :mod:`gates.fix.edit` finds each one again."""
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name is not None:
                calls.append((node, name))
    calls.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    return calls


def _is_main_test(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = {ast.dump(test.left), ast.dump(test.comparators[0])}
    return sides == {ast.dump(ast.Name("__name__", ast.Load())), ast.dump(ast.Constant("__main__"))}


def _main_blocks(tree: ast.Module) -> list[ast.If]:
    return [s for s in tree.body if isinstance(s, ast.If) and _is_main_test(s.test)]


def _called(block: ast.If) -> set[str | None]:
    """The dotted names the block calls (``main`` in ``sys.exit(main())``)."""
    return {_dotted(n.func) for s in block.body for n in ast.walk(s) if isinstance(n, ast.Call)}


def _ranges(source: SourceFile, scripts: frozenset[str]) -> list[tuple[int, int, str]]:
    """Line ranges whose prints are the program's output, each with why."""
    assert source.tree is not None
    ranges: list[tuple[int, int, str]] = []
    called: set[str | None] = set()
    for block in _main_blocks(source.tree):
        last = block.body[-1]
        ranges.append((block.body[0].lineno, last.end_lineno or last.lineno, 'under if __name__ == "__main__"'))
        called.update(_called(block))
    for qualname, node in function_defs(source):
        why = _output_function(qualname, scripts, called)
        if why:
            start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            ranges.append((start, node.end_lineno or node.lineno, why))
    return ranges


def _output_function(qualname: str, scripts: frozenset[str], called: set[str | None]) -> str:
    if qualname in scripts:
        return f"in {qualname}(), a console script of pyproject.toml"
    if qualname in called:
        return f'in {qualname}(), called under if __name__ == "__main__"'
    return ""


def _file_level(value: ast.expr, level: str, stderr_level: str) -> str | None:
    """The level a print with ``file=value`` logs at; None for a file that is not stdout/stderr."""
    target = _dotted(value)
    if target == "sys.stderr":
        return stderr_level
    if target == "sys.stdout" or (isinstance(value, ast.Constant) and value.value is None):
        return level
    return None


def _keyword_problem(keyword: ast.keyword) -> str:
    """Why a print with this keyword cannot be a log call ("" when it can)."""
    value = keyword.value
    literal = value.value if isinstance(value, ast.Constant) else ...
    if keyword.arg is None:
        return "**kwargs: which keywords it passes is not known"
    if keyword.arg == "sep" and not (literal is None or isinstance(literal, str)):
        return "sep= is not a string literal"
    if keyword.arg == "end" and literal not in (None, "\n"):
        return "end= is not a newline: a log record always ends its line"
    if keyword.arg == "flush":
        return "flush=: when to flush is the log handler's choice"
    if keyword.arg not in ("sep", "end", "file", "flush"):
        return f"unknown keyword {keyword.arg}="
    return ""


def _keywords(call: ast.Call, stderr_level: str, level: str) -> tuple[str | None, str, str]:
    """(level, why not, sep) from the print's keyword arguments."""
    sep = " "
    for keyword in call.keywords:
        problem = _keyword_problem(keyword)
        if problem:
            return None, problem, sep
        if keyword.arg == "sep" and isinstance(keyword.value, ast.Constant) and keyword.value.value is not None:
            sep = str(keyword.value.value)
        elif keyword.arg == "file":
            chosen = _file_level(keyword.value, level, stderr_level)
            if chosen is None:
                return None, "file= is not sys.stdout or sys.stderr", sep
            level = chosen
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        return None, "*args: how many values it prints is not known", sep
    return level, "", sep


def plan_prints(
    source: SourceFile, calls: list[ast.Call], *, level: str, stderr_level: str,
    scripts: frozenset[str], unsafe: bool,
) -> list[PrintPlan]:
    """What to do with each of ``calls`` (GT101's findings in ``source``)."""
    ranges = _ranges(source, scripts)
    main_file = source.path.rsplit("/", 1)[-1] == "__main__.py"
    plans = []
    for call in calls:
        output = "in a __main__.py" if main_file else next(
            (why for start, end, why in ranges if start <= call.lineno <= end), "")
        chosen, why, sep = _keywords(call, stderr_level, level)
        if output and not unsafe:
            plans.append(PrintPlan(call, None, f"program output ({output}); --unsafe logs it too",
                                   program_output=True))
        else:
            plans.append(PrintPlan(call, chosen, why, sep))
    return plans


def _names_bound_by(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [] if isinstance(node.ctx, ast.Load) else [node.id]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.alias):
        return [(node.asname or node.name).partition(".")[0]]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    return []


def bound_names(tree: ast.AST) -> dict[str, int]:
    """How many times each name is bound anywhere in the file (any scope)."""
    counts: dict[str, int] = {}
    for node in ast.walk(tree):
        for name in _names_bound_by(node):
            counts[name] = counts.get(name, 0) + 1
    return counts


def _leading(tree: ast.Module) -> list[ast.stmt]:
    """The docstring and the imports the module starts with: where a logger is added."""
    leading = []
    for index, statement in enumerate(tree.body):
        docstring = index == 0 and isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
        if not (docstring or isinstance(statement, (ast.Import, ast.ImportFrom))):
            break
        leading.append(statement)
    return leading


def _existing_logger(tree: ast.Module, bound: dict[str, int], first_use: int) -> str | None:
    """A module logger that already exists and is defined before the first print it would serve."""
    for statement in tree.body:
        if statement.lineno >= first_use:
            return None
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
            continue
        target, value = statement.targets[0], statement.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Call) and bound.get(target.id) == 1:
            if _dotted(value.func) in ("logging.getLogger", "getLogger"):
                return target.id
    return None


def _first_print_at_import(source: SourceFile, plans: list[PrintPlan]) -> int:
    """The line of the first fixed print that runs when the module is imported."""
    deferred = [(node.lineno, node.end_lineno or node.lineno) for _, node in function_defs(source)]
    lines = [p.node.lineno for p in plans if p.level]
    return min((n for n in lines if not any(a <= n <= b for a, b in deferred)), default=1 << 30)


def _free_name(bound: dict[str, int]) -> str | None:
    return next((n for n in ("logger", "log", "_logger", "_gates_logger") if n not in bound), None)


def plan_logger(source: SourceFile, plans: list[PrintPlan]) -> LoggerPlan | str:
    """The logger the fixed prints will use, or why none can be had safely."""
    tree = source.tree
    assert tree is not None
    bound = bound_names(tree)
    existing = _existing_logger(tree, bound, _first_print_at_import(source, plans))
    if existing is not None:
        return LoggerPlan(existing)
    name = _free_name(bound)
    if name is None:
        return "every name for a module logger (logger, log, _logger) is taken in this file"
    imported = any(_imports_logging(s) for s in _leading(tree))
    if imported and bound.get("logging") == 1:
        return LoggerPlan(name, add_logger=True)
    if bound.get("logging", 0) != sum(_imports_logging(n) for n in ast.walk(tree)):
        return "the name 'logging' is bound to something else in this file"
    return LoggerPlan(name, add_import=True, add_logger=True)


def _imports_logging(node: ast.AST) -> int:
    """How many times ``node`` binds the name ``logging`` to the logging package."""
    if not isinstance(node, ast.Import):
        return 0
    return sum(not a.asname and (a.name == "logging" or a.name.startswith("logging.")) for a in node.names)
