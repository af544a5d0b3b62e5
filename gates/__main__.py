"""``python -m gates``.

``python -m`` puts the current folder first on ``sys.path``, so a checked project's own
``logging.py`` or ``token.py`` would shadow the standard library and run on import. The
checked code must never be imported: drop that entry before importing anything else
(gates' own modules are found through the already-imported package, not sys.path).
"""

import os
import sys

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from gates.cli import entry  # noqa: E402

entry()
