"""The gates pytest plugin: the coverage gate (GT301) and deterministic seeds (GT302).

Registered through the ``pytest11`` entry point under the name ``gates``, so
``-p no:gates`` switches it off. The hooks live in :mod:`pytest_gates.plugin`.
"""

from __future__ import annotations
