"""``gates explain``: the gate's documentation (:mod:`gates.core.docs`) as plain text."""

from __future__ import annotations

from gates.core.docs import explain

__all__ = ["explain"]
