"""The one exception gates raises on purpose: a usage or configuration error (exit 2)."""

from __future__ import annotations


class UsageError(Exception):
    """A problem the user must fix before gates can run: shown as one line, exit code 2."""
