"""Human-readable stock reports."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from inventory.stock import StockItem, needs_reorder

log = logging.getLogger(__name__)


def format_low_stock(items: Iterable[StockItem]) -> str:
    lines = [
        f"{item.sku:<20} {item.on_hand:>6} / {item.reorder_level:<6} {item.description}"
        for item in items
        if needs_reorder(item)
    ]
    return "\n".join(lines) if lines else "nothing to reorder"


def log_low_stock(items: Iterable[StockItem]) -> None:
    log.info("low stock:\n%s", format_low_stock(items))


def show_low_stock(items: Iterable[StockItem]) -> None:
    print(format_low_stock(items))  # violation: GT101 (print in production code; use log_low_stock)
