"""Options of a gate carry a one-line help beside their default.

The help is dataclass field metadata, so one declaration feeds the gate pages, ``gates
explain`` and the config error messages. Standard library only: the pytest plugin's
options (gates.core.runtime_options) use it too, and must stay cheap to import.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

HELP = "help"


def option(default: T, help: str) -> T:
    """A field of an options dataclass: its default and what it means, in one line.

    ``max: int = option(50, "the longest a def may be, in lines")``
    """
    return dataclasses.field(default=default, metadata={HELP: help})


def option_help(options_type: type[Any]) -> dict[str, str]:
    """Each option's help by kebab-case key; an option declared without help maps to ''."""
    return {
        spec.name.replace("_", "-"): str(spec.metadata.get(HELP, ""))
        for spec in dataclasses.fields(options_type)
    }
