"""``gates fix``: the mechanical edits a roadmap asks for, made safely.

Two layers, as in the checkers: the decisions are made on the file's ``ast`` tree, with
the same name resolution the gates use (:mod:`gates.fix.prints` for GT101,
:mod:`gates.fix.returns` for GT104), so that fix and check agree on which call is a print
and which slot is missing; the edits are then made with libcst
(:mod:`gates.fix.edit`), which keeps the rest of the file byte for byte.
:mod:`gates.fix.run` is the per-file driver: it never touches a file that does not parse,
and it never writes one that no longer compiles. libcst is imported only here, and only
when a file has something to fix.
"""

from __future__ import annotations

LIBCST_MISSING = "gates fix needs libcst: pip install 'gates[fix]'"
