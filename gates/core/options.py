"""Options of a gate carry a one-line help beside their default.

The help is dataclass field metadata, so one declaration feeds the gate pages, ``gates
explain`` and the config error messages. Standard library only: the pytest plugin's
options (gates.core.runtime_options) use it too, and must stay cheap to import.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

HELP = "help"
# A function that turns the option's raw TOML value (a list of tables, say) into its typed
# value, raising ValueError with the fix when the value is wrong.
PARSE = "parse"


def option(default: T, help: str, parse: Callable[[Any], T] | None = None) -> T:
    """A field of an options dataclass: its default and what it means, in one line.

    ``max: int = option(50, "the longest a def may be, in lines")``. ``parse`` reads a value
    the plain types (bool, int, float, str, list of strings) cannot describe.
    """
    metadata: dict[str, Any] = {HELP: help}
    if parse is not None:
        metadata[PARSE] = parse
    return dataclasses.field(default=default, metadata=metadata)


def option_help(options_type: type[Any]) -> dict[str, str]:
    """Each option's help by kebab-case key; an option declared without help maps to ''."""
    return {
        spec.name.replace("_", "-"): str(spec.metadata.get(HELP, ""))
        for spec in dataclasses.fields(options_type)
    }
