"""The edits, made with libcst so that everything else in the file stays as it was.

libcst's tree is walked in source order; calls to a dotted name and defs are met in the
same order as :func:`gates.fix.prints.dotted_calls` and
:func:`gates.analysis.statements.function_defs` list them on the ast, which is how each planned
edit finds its node (no position metadata: computing it costs four times the parse).
The walk checks the names it meets against the ast's; any difference is a
:class:`Mismatch` and the file is left alone.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

import libcst as cst

from gates.fix.prints import LoggerPlan, PrintPlan
from gates.fix.returns import DefPlan

_CONVERSIONS = {None: "%s", "s": "%s", "r": "%r", "a": "%a"}


class Mismatch(Exception):
    """The libcst tree and the ast tree do not line up: the file is left alone."""


def _dotted(node: cst.BaseExpression) -> str | None:
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    return ".".join([node.value, *reversed(parts)])


def literal(text: str) -> str:
    """A Python string literal for ``text``, in double quotes when it can be."""
    shown = repr(text)
    if shown[0] == "'" and '"' not in text:
        shown = '"' + shown[1:-1].replace("\\'", "'") + '"'
    return shown


def _comma(arg: cst.Arg) -> Any:
    return arg.comma if isinstance(arg.comma, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


Pieces = list[tuple[str, "cst.Arg | None"]]  # format text, and the Arg of a value (None: plain text)


def _simple_fields(arg: cst.Arg, node: ast.JoinedStr) -> list[cst.FormattedStringExpression] | None:
    """The f-string's fields when each one is a plain ``{x}``, ``{x!r}``, ``{x!s}`` or ``{x!a}``."""
    if not isinstance(arg.value, cst.FormattedString):
        return None
    fields = [p for p in arg.value.parts if isinstance(p, cst.FormattedStringExpression)]
    if any(f.format_spec is not None or f.equal is not None or f.conversion not in _CONVERSIONS for f in fields):
        return None
    if sum(isinstance(v, ast.FormattedValue) for v in node.values) != len(fields):
        return None
    return fields


def _fstring_pieces(arg: cst.Arg, node: ast.JoinedStr) -> Pieces | None:
    """An f-string as lazy pieces: its text, and ``%s``/``%r``/``%a`` per simple field."""
    fields = _simple_fields(arg, node)
    if fields is None:
        return None
    expressions = iter(fields)
    pieces: Pieces = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            pieces.append((str(value.value), None))
        else:
            field = next(expressions)
            pieces.append((_CONVERSIONS[field.conversion], cst.Arg(field.expression)))
    return pieces


def _pieces(arg: cst.Arg, node: ast.expr) -> Pieces:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, None)]
    pieces = _fstring_pieces(arg, node) if isinstance(node, ast.JoinedStr) else None
    return pieces if pieces is not None else [("%s", arg)]


def _message(parts: list[Pieces], sep: str, lazy: bool) -> str:
    """The format string; a ``%`` of the text doubled when there are values to format."""
    def text(piece: str, arg: cst.Arg | None) -> str:
        return piece if arg is not None or not lazy else piece.replace("%", "%%")

    sep = sep.replace("%", "%%") if lazy else sep
    return sep.join("".join(text(piece, arg) for piece, arg in pieces) for pieces in parts)


def _positional(call: cst.Call, node: ast.Call) -> list[cst.Arg]:
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) != len(node.args):
        raise Mismatch("print arguments")
    return positional


def log_call(call: cst.Call, plan: PrintPlan, logger: str) -> cst.Call:
    """``print(a, "b", f"{c!r}", sep=...)`` -> ``logger.<level>("%s b %r", a, c)``."""
    assert plan.level is not None
    positional = _positional(call, plan.node)
    parts = [_pieces(arg, node) for arg, node in zip(positional, plan.node.args)]
    values = [arg for pieces in parts for _, arg in pieces if arg is not None]
    trailing = call.args[-1].comma if call.args else cst.MaybeSentinel.DEFAULT
    first = cst.Arg(cst.SimpleString(literal(_message(parts, plan.sep, bool(values)))), comma=trailing)
    if values:  # the layout of the call stays: each comma with the whitespace it had
        first = first.with_changes(comma=_comma(positional[0]))
        values = [*(v.with_changes(comma=_comma(v)) for v in values[:-1]), values[-1].with_changes(comma=trailing)]
    func = cst.Attribute(cst.Name(logger), cst.Name(plan.level))
    return call.with_changes(func=func, args=[first, *values])


def _annotated_params(params: cst.Parameters, types: dict[str, str]) -> cst.Parameters:
    def typed(param: cst.Param) -> cst.Param:
        kind = types.get(param.name.value)
        if kind is None or param.annotation is not None:
            return param
        spaced = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(" "),
                                 whitespace_after=cst.SimpleWhitespace(" "))
        return param.with_changes(annotation=cst.Annotation(cst.Name(kind)), equal=spaced)

    return params.with_changes(
        posonly_params=[typed(p) for p in params.posonly_params],
        params=[typed(p) for p in params.params],
        kwonly_params=[typed(p) for p in params.kwonly_params],
    )


class _Fixer(cst.CSTTransformer):
    def __init__(self, calls: Sequence[str], prints: dict[int, PrintPlan], logger: LoggerPlan | None,
                 defs: Sequence[str], def_plans: dict[int, DefPlan]) -> None:
        super().__init__()
        self.calls, self.prints, self.logger = calls, prints, logger
        self.defs, self.def_plans = defs, def_plans
        self.call_count = 0
        self.call_stack: list[int] = []
        self.def_count = 0
        self.def_stack: list[int] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Without prints to fix only defs matter, and no simple statement or expression holds one.
        if not self.prints and isinstance(node, (cst.SimpleStatementLine, cst.BaseExpression, cst.Decorator,
                                                 cst.Parameters)):
            return False
        return super().on_visit(node)

    def visit_Call(self, node: cst.Call) -> bool:
        if not self.prints:
            return True
        name = _dotted(node.func)
        if name is None:
            self.call_stack.append(-1)
            return True
        if self.call_count >= len(self.calls) or self.calls[self.call_count] != name:
            raise Mismatch(f"call {self.call_count}: {name}")
        self.call_stack.append(self.call_count)
        self.call_count += 1
        return True

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.prints:
            return updated
        plan = self.prints.get(self.call_stack.pop())
        if plan is None or plan.level is None or self.logger is None:
            return updated
        return log_call(updated, plan, self.logger.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if not self.def_plans:
            return True
        if self.def_count >= len(self.defs) or self.defs[self.def_count] != node.name.value:
            raise Mismatch(f"def {self.def_count}: {node.name.value}")
        self.def_stack.append(self.def_count)
        self.def_count += 1
        return True

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        if not self.def_plans:
            return updated
        plan = self.def_plans.get(self.def_stack.pop())
        if plan is None:
            return updated
        if plan.params:
            updated = updated.with_changes(params=_annotated_params(updated.params, plan.params))
        if plan.returns_none and updated.returns is None:
            updated = updated.with_changes(returns=cst.Annotation(cst.Name("None")))
        return updated

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if (self.prints and self.call_count != len(self.calls)) or (
                self.def_plans and self.def_count != len(self.defs)):
            raise Mismatch("count")
        if self.logger is None or not self.logger.add_logger:
            return updated
        return _with_logger(updated, self.logger)


def _is_leading(statement: cst.BaseStatement, index: int) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    small = statement.body
    if index == 0 and len(small) == 1 and isinstance(small[0], cst.Expr):
        return isinstance(small[0].value, (cst.SimpleString, cst.ConcatenatedString))
    return all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in small)


def _is_def(statement: cst.BaseStatement) -> bool:
    inner = statement
    return isinstance(inner, (cst.FunctionDef, cst.ClassDef))


def _with_logger(module: cst.Module, logger: LoggerPlan) -> cst.Module:
    body: list[Any] = list(module.body)
    at = 0
    while at < len(body) and _is_leading(body[at], at):
        at += 1
    added: list[Any] = []
    if logger.add_import:
        added.append(cst.parse_statement("import logging\n"))
    assign = cst.parse_statement(f"{logger.name} = {logger.module}.getLogger(__name__)\n")
    if at or logger.add_import:
        assign = assign.with_changes(leading_lines=[cst.EmptyLine()])
    added.append(assign)
    if at == 0 and body:  # a header comment stays at the top
        first = body[0]
        added[0] = added[0].with_changes(leading_lines=first.leading_lines)
        body[0] = first.with_changes(leading_lines=[cst.EmptyLine()] * (2 if _is_def(first) else 1))
    body[at:at] = added
    return module.with_changes(body=body)


def apply(data: bytes, calls: Sequence[str], prints: dict[int, PrintPlan], logger: LoggerPlan | None,
          defs: Sequence[str], def_plans: dict[int, DefPlan]) -> bytes:
    """The file's new bytes (same encoding and line endings). Raises :class:`Mismatch`,
    or libcst's ParserSyntaxError for code libcst cannot parse."""
    module = cst.parse_module(data)
    body, tail = _split_tail(data)
    if _split_tail(module.bytes)[0] != body:
        raise Mismatch("libcst does not write the unchanged file back as it was")
    fixed = module.visit(_Fixer(calls, prints, logger, defs, def_plans))
    return _split_tail(fixed.bytes)[0] + tail


_BLANK = b" \t\f\r\n"


def _split_tail(data: bytes) -> tuple[bytes, bytes]:
    """The file up to its last non-blank byte, and the blank bytes after it. libcst does not
    write a file's trailing blank lines back as they were (1.0 drops lines that hold only
    spaces, 1.9 an empty line before them), so gates keeps the original's tail; any other
    difference on the unchanged file means libcst cannot reproduce it, and
    :class:`Mismatch` leaves the file alone."""
    body = data.rstrip(_BLANK)
    return body, data[len(body):]
