"""GT108 layers: a higher layer may import a lower one, never the reverse."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from gates.analysis.imports import ImportOptions, imports_of, module_name, within
from gates.core.checker import Checker, Example, option
from gates.core.source import SourceFile
from gates.model import Finding, Location

_SIBLINGS = re.compile(r"\s*([|:])\s*")


class Place(NamedTuple):
    """Where a module sits: its layer (0 is the highest), its sibling on that layer, and
    the container the layers are in ("" for none)."""

    layer: int
    package: str
    container: str
    independent: bool


@dataclass(frozen=True)
class LayersOptions(ImportOptions):
    layers: tuple[str, ...] = option(
        (), "packages from the highest layer to the lowest; siblings on one layer as "
        '"a | b" (independent: they may not import each other) or "a : b" (they may)')
    containers: tuple[str, ...] = option(
        (), "packages that each hold the layers (the layers' names are then relative to them)")
    independent: bool = option(True, 'false lets siblings written "a | b" import each other too')


_LAYERS = (("layers", ["pkg.api", "pkg.core", "pkg.backend"]),)
_SIBLING_LAYERS = (("layers", ["pkg.api", "pkg.nn | pkg.ops", "pkg.backend"]),)


class LayersChecker(Checker):
    name = "layers"
    code = "GT108"
    description = "no import from a lower layer into a higher one (or between independent siblings)"
    rationale = (
        "A layered architecture holds only if its arrows point one way. `layers` lists "
        "packages from the highest to the lowest: a module in a layer may import the "
        "layers below it, never those above. Siblings on one layer written \"a | b\" may "
        "not import each other (\"a : b\" siblings may); `containers` applies the same "
        "layers inside each container package, as import-linter's layers contract does. "
        "Each direct import is a finding at its line; imports inside functions and "
        "relative imports count, `if TYPE_CHECKING:` imports unless type-checking = "
        "false. Modules outside every layer are not checked. No layers: the gate checks "
        "nothing."
    )
    options_type = LayersOptions
    enabled_by_default = False
    unit = "imports"
    examples = (
        Example("from pkg.core import engine\n", path="pkg/api/views.py", options=_LAYERS),
        Example("from pkg.api import views\n", fails_at=(1,), path="pkg/core/engine.py", options=_LAYERS),
        Example("def f():\n    from ..api import views\n", fails_at=(2,), path="pkg/core/engine.py",
                options=_LAYERS),
        Example("import pkg.core.engine\n", fails_at=(1,), path="src/pkg/backend/cpu.py", options=_LAYERS),
        Example("from pkg.ops import add\n", fails_at=(1,), path="pkg/nn/dense.py", options=_SIBLING_LAYERS),
        Example("from pkg.backend import cpu\n", path="pkg/nn/dense.py", options=_SIBLING_LAYERS),
        Example("from pkg.ops import add\n", path="pkg/nn/dense.py",
                options=(*_SIBLING_LAYERS, ("independent", False))),
        Example("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.api import views\n",
                path="pkg/core/engine.py", options=(*_LAYERS, ("type-checking", False))),
        Example("from ..views import page\nfrom shop.billing.views import invoice\n", fails_at=(1,),
                path="shop/orders/models/order.py",
                options=(("layers", ["views", "models"]), ("containers", ["shop.orders", "shop.billing"]))),
    )

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self._places = self._layout()

    def _layout(self) -> list[tuple[str, Place]]:
        """Every layer package with its place, the longest name first (the innermost wins)."""
        places: list[tuple[str, Place]] = []
        for container in self.options.containers or ("",):
            for index, layer in enumerate(self.options.layers):
                parts = _SIBLINGS.split(layer.strip())
                independent = "|" in parts[1::2] and self.options.independent
                for package in parts[::2]:
                    full = f"{container}.{package}" if container else package
                    places.append((full, Place(index, full, container, independent)))
        return sorted(places, key=lambda item: -len(item[0]))

    def check_options(self) -> str | None:
        for layer in self.options.layers:
            parts = _SIBLINGS.split(layer.strip())
            if set(parts[1::2]) == {"|", ":"}:
                return f'layer "{layer}" mixes | and :; write its siblings with one of them'
            if any(not part or " " in part for part in parts[::2]):
                return f'layer "{layer}" is not a package or siblings like "a | b"'
        return None

    def place(self, module: str) -> Place | None:
        return next((place for name, place in self._places if within(module, name)), None)


    def check(self, source: SourceFile) -> Iterable[Finding]:
        if not self._places:
            return
        own = self.place(module_name(source.path, self.options.source_roots)[0])
        if own is None:
            return
        for found in imports_of(source, self.options.source_roots, self.options.type_checking):
            other = self.place(found.target)
            if other is None or other.container != own.container or other.package == own.package:
                continue
            if other.layer < own.layer:
                reason = "a higher layer"
            elif other.layer == own.layer and own.independent:
                reason = "an independent sibling"
            else:
                continue
            message = f"{own.package} imports {found.target} from {other.package}, {reason}"
            yield Finding(self.code, self.name, Location(source.path, found.line, found.column), message)
