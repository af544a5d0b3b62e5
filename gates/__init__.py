"""gates: the success criteria of an engineering roadmap as checks that block a commit or a CI run."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
