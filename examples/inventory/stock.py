"""Stock items and the rules for reordering them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StockItem:
    sku: str
    description: str
    on_hand: int
    reorder_level: int
    unit_price: float

    def value(self) -> float:
        return self.on_hand * self.unit_price


def needs_reorder(item: StockItem) -> bool:
    """An item is reordered when what is on hand falls to its reorder level."""
    return item.on_hand <= item.reorder_level


def total_value(items: Iterable[StockItem]) -> float:
    return round(sum(item.value() for item in items), 2)
