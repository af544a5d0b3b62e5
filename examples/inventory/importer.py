"""Import stock counts from the warehouse's CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

from inventory.stock import StockItem

REQUIRED_COLUMNS = ("sku", "description", "on_hand", "reorder_level", "unit_price")


class StockImportError(ValueError):
    """A row of the export that cannot be turned into a stock item."""


def _number(text: str, column: str, line: int) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise StockImportError(f"line {line}: {column} is not a number: {text!r}") from None


def load_stock(path: Path) -> list[StockItem]:  # violation: GT102 (54 lines, max 50) # violation: GT106 (complexity 21, max 10): split it up
    """Read every row of the export; duplicates of a SKU are summed.

    The export comes from a spreadsheet, so numbers may use a decimal comma, cells
    may carry stray spaces, and blank rows appear between sections.
    """
    if not path.is_file():
        raise StockImportError(f"{path}: no such export file")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise StockImportError(f"{path}: missing columns: {', '.join(missing)}")
        counts: dict[str, int] = {}
        levels: dict[str, int] = {}
        prices: dict[str, float] = {}
        descriptions: dict[str, str] = {}
        for line, row in enumerate(reader, start=2):
            cells = {key: (value or "").strip() for key, value in row.items() if key}
            if not any(cells.values()):
                continue
            sku = cells["sku"].upper()
            if not sku:
                raise StockImportError(f"line {line}: empty sku")
            on_hand = _number(cells["on_hand"], "on_hand", line)
            if on_hand < 0 or on_hand != int(on_hand):
                raise StockImportError(f"line {line}: on_hand must be a whole number >= 0")
            level = _number(cells["reorder_level"], "reorder_level", line)
            if level < 0:
                raise StockImportError(f"line {line}: reorder_level must be >= 0")
            price = _number(cells["unit_price"], "unit_price", line)
            if price <= 0:
                raise StockImportError(f"line {line}: unit_price must be > 0")
            if sku in prices and abs(prices[sku] - price) > 0.005:
                raise StockImportError(
                    f"line {line}: {sku} listed at {price} and at {prices[sku]}"
                )
            description = cells["description"]
            if not description and sku not in descriptions:
                raise StockImportError(f"line {line}: {sku} has no description")
            counts[sku] = counts.get(sku, 0) + int(on_hand)
            levels[sku] = max(levels.get(sku, 0), int(level))
            prices[sku] = price
            descriptions.setdefault(sku, description)
    return [
        StockItem(
            sku=sku,
            description=descriptions[sku],
            on_hand=counts[sku],
            reorder_level=levels[sku],
            unit_price=prices[sku],
        )
        for sku in sorted(counts)
    ]


def load_all(folder: Path) -> list[StockItem]:
    items: list[StockItem] = []
    for path in sorted(folder.glob("*.csv")):
        items.extend(load_stock(path))
    return items
