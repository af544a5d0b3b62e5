"""Export stock to the old warehouse system's fixed-width format.

Ported from the Python 2 tool; one line was missed in the port.
"""

import logging

log = logging.getLogger(__name__)


def export(items, path):
    try:
        with open(path, "w", encoding="ascii") as out:
            for item in items:
                out.write(f"{item.sku:<20}{item.on_hand:>8}\n")
    except OSError, err:  # violation: GT100 (Python 2 syntax: the file does not parse)
        log.error("export to %s failed: %s", path, err)
        raise
