"""Percentages as gates compute them; how they are shown and judged is :mod:`gates.model`'s rule.

``PRECISION`` is the number of decimals gates shows its own percentages with (type
coverage); coverage.py's figures are shown with coverage.py's ``[report] precision``.
"""

from __future__ import annotations

PRECISION = 2


def percentage(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent; an empty whole counts as 100 % (nothing to miss)."""
    return 100.0 if whole == 0 else 100.0 * part / whole
