"""GT107 banned-import: a module may not be imported, except from the paths a rule allows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gates.analysis.imports import ImportOptions, imports_of, module_name, within
from gates.core.checker import Checker, Example, option
from gates.core.discovery import PathMatcher, invalid_pattern
from gates.core.source import SourceFile
from gates.model import Finding, Location

_RULE_KEYS = ("module", "allow-in", "message")


@dataclass(frozen=True)
class BanRule:
    """``module`` (and its submodules and names) may be imported only from ``allow_in``."""

    module: str
    allow_in: tuple[str, ...] = ()
    message: str = ""


def _rule(table: Any) -> BanRule:
    if not isinstance(table, dict):
        raise ValueError('each rule is a table, like {module = "numpy", allow-in = ["pkg/backend/**"]}')
    unknown = [key for key in table if key not in _RULE_KEYS]
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}' in a rule; known keys: {', '.join(_RULE_KEYS)}")
    module, message = table.get("module"), table.get("message", "")
    if not isinstance(module, str) or not module.strip(".").strip() or " " in module:
        raise ValueError('each rule needs module = "a.dotted.name", like module = "numpy"')
    if not isinstance(message, str):
        raise ValueError(f"{module}: message is a string, like \"use ember_ml.ops\"")
    return BanRule(module.strip("."), _patterns(module, table.get("allow-in", [])), message)


def _patterns(module: str, allow_in: Any) -> tuple[str, ...]:
    if not isinstance(allow_in, list) or not all(isinstance(p, str) for p in allow_in):
        raise ValueError(f'{module}: allow-in is a list of path patterns, like ["pkg/backend/**"]')
    for pattern in allow_in:
        if (why := invalid_pattern(pattern)) is not None:
            raise ValueError(f"{module}: allow-in {pattern!r} is not a valid gitignore pattern ({why})")
    return tuple(allow_in)


def parse_rules(value: Any) -> tuple[BanRule, ...]:
    """The ``rules`` option from TOML: a list of tables (``[[tool.gates.banned-import.rules]]``)."""
    if not isinstance(value, list):
        raise ValueError('expected a list of rules, like [{module = "numpy", allow-in = ["pkg/backend/**"]}]')
    return tuple(_rule(table) for table in value)


@dataclass(frozen=True)
class BannedImportOptions(ImportOptions):
    rules: tuple[BanRule, ...] = option(
        (), "[{module, allow-in, message}]: module may be imported only from the allow-in paths",
        parse=parse_rules)


_NUMPY = (("rules", [{"module": "numpy", "allow-in": ["pkg/backend/**"], "message": "use pkg.ops"}]),)
_V2 = (("rules", [{"module": "pkg.core.operators_v2"}]),)


class BannedImportChecker(Checker):
    name = "banned-import"
    code = "GT107"
    description = "no import of a banned module outside the paths its rule allows"
    rationale = (
        "A migration away from a library or an old package ends when nothing imports it. "
        "Each rule names a module (numpy, numpy.random, pkg.core.operators_v2); importing "
        "it, a submodule or a name from it is a finding at the import line, with the "
        "rule's message, except in files that match the rule's allow-in patterns "
        "(gitignore-style, relative to the project root) and in the banned package's own "
        "files. Imports inside functions, classes and try/if blocks count; relative "
        "imports are resolved against the file's package; imports under "
        "`if TYPE_CHECKING:` count unless type-checking = false. With the ratchet "
        "baseline, the migration's remaining imports are its burn-down. No rules: the "
        "gate checks nothing."
    )
    options_type = BannedImportOptions
    enabled_by_default = False
    unit = "imports"
    examples = (
        Example("import numpy as np\n", fails_at=(1,), path="pkg/model.py", options=_NUMPY),
        Example("from numpy.random import default_rng\n", fails_at=(1,), path="pkg/model.py",
                options=_NUMPY),
        Example("def f():\n    import numpy\n", fails_at=(2,), path="pkg/model.py", options=_NUMPY),
        Example("import numpy as np\n", path="pkg/backend/numpy_ops.py", options=_NUMPY),
        Example("import numpyro\n", path="pkg/model.py", options=_NUMPY),
        Example("from ..core import operators_v2\n", fails_at=(1,), path="pkg/api/x.py", options=_V2),
        Example("from . import helpers\n", path="pkg/core/operators_v2/add.py", options=_V2),
        Example("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import numpy\n",
                path="pkg/model.py", options=(*_NUMPY, ("type-checking", False))),
        Example("import numpy  # gates: ignore[GT107]\n", path="pkg/model.py", options=_NUMPY),
    )

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self._allowed = [PathMatcher(rule.allow_in) for rule in self.options.rules]


    def check(self, source: SourceFile) -> Iterable[Finding]:
        rules = self.options.rules
        if not rules:
            return
        own, _ = module_name(source.path, self.options.source_roots)
        applies = [
            rule for rule, allowed in zip(rules, self._allowed)
            if not within(own, rule.module) and not allowed.matches(source.path)
        ]
        if not applies:
            return
        for found in imports_of(source, self.options.source_roots, self.options.type_checking):
            rule = next((r for r in applies if within(found.target, r.module)), None)
            if rule is not None:
                yield Finding(self.code, self.name, Location(source.path, found.line, found.column),
                              self._message(found.target, rule))

    @staticmethod
    def _message(target: str, rule: BanRule) -> str:
        text = f"import of {target}: {rule.module} is banned"
        if rule.allow_in:
            text += f" outside {', '.join(rule.allow_in)}"
        return f"{text}; {rule.message}" if rule.message else text
