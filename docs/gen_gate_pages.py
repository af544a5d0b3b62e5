"""Write the gate pages of the docs site from the checkers: ``python3 docs/gen_gate_pages.py``.

One page per built-in gate, docs/gates/<code>.md (gates.core.docs.gate_page); pages of
gates that no longer exist are removed. tests/test_docs.py fails when a committed page
differs from what this writes, so run it after changing a checker's text, options or
examples, and commit the pages.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    """Write the pages into the folder given (default docs/gates); 0 when done."""
    args = list(sys.argv[1:] if argv is None else argv)
    folder = Path(args[0]) if args else ROOT / "docs" / "gates"
    sys.path.insert(0, str(ROOT))  # this tree's gates, also when another one is installed
    from gates.core.docs import builtin_gate_pages

    pages = builtin_gate_pages()
    for stale in folder.glob("GT*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    sys.stdout.write(f"{len(pages)} gate pages written to {folder}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
