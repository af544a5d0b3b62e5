"""Text from the checked repository, made safe to print on a terminal.

File names, finding messages and roadmap lines come from a repository gates did not
write. Printed raw, a control character in one of them could move the cursor, recolour
or clear the screen (``\\x1b[2J``), or start a line that looks like a finding of its own
(a newline in a file name). Every such character is shown escaped instead, as Python
writes it in a string literal.
"""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` with every non-printable character (controls, line and paragraph
    separators, bidirectional overrides, lone surrogates) escaped as ``\\n``, ``\\x1b``,
    ``\\u2028`` or ``\\U000e0001``; printable text (and plain spaces) unchanged."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escaped(ch) for ch in text)


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    point = ord(ch)
    if point < 0x100:
        return f"\\x{point:02x}"
    if point < 0x10000:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"
