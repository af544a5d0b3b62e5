from inventory.stock import StockItem, needs_reorder, total_value


def make(on_hand: int, reorder_level: int = 10, price: float = 0.5) -> StockItem:
    return StockItem("FX-HN-M6-ZP", "Hex nut M6", on_hand, reorder_level, price)


def test_reorder_at_the_level_not_above() -> None:
    assert needs_reorder(make(on_hand=10))
    assert not needs_reorder(make(on_hand=11))


def test_total_value() -> None:
    assert total_value([make(4, price=0.25), make(2, price=1.5)]) == 4.0
