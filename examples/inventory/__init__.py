"""Stock keeping for a small fastener warehouse."""

from inventory.stock import StockItem, needs_reorder, total_value

__all__ = ["StockItem", "needs_reorder", "total_value"]
