"""``gates badge``: a flat SVG badge for one gate's figure or for the overall verdict.

The colour follows the gate's own threshold, so a badge turns orange as a figure drops
just under its floor and red well under it, as interrogate's and coverage badges do.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from gates.errors import UsageError
from gates.model import Direction, GateResult, RunResult, judge

COLORS = {
    "brightgreen": "#4c1",
    "green": "#97ca00",
    "yellow": "#dfb317",
    "orange": "#fe7d37",
    "red": "#e05d44",
}
OVERALL = "overall"
# Below the floor by more than this many points the badge is red rather than orange.
RED_MARGIN = 10.0

# Approximate advance widths of Verdana at 11 px, which badge renderers use.
_NARROW = dict.fromkeys("il.,:;|!'`()[]{} ", 3.9) | dict.fromkeys("fjrt", 4.3)
_WIDE = dict.fromkeys("mwMW%@", 11.0) | dict.fromkeys("ABCDEFGHKNOPQRSTUVXYZ", 7.6)


@dataclass(frozen=True)
class Badge:
    label: str
    value: str
    color: str  # a key of COLORS


def percentage_color(measured: float, threshold: float, precision: int = 2) -> str:
    """Red well under the floor, orange just under, green over it, bright green near 100 %.

    Judged on the figure as shown (``precision`` decimals) by the model's one rule, as
    the gate itself judges it.
    """

    def meets(limit: float) -> bool:
        return judge(measured, limit, Direction.FLOOR, precision, "%")

    if not meets(threshold - RED_MARGIN):
        return "red"
    if not meets(threshold):
        return "orange"
    if meets(threshold + (100.0 - threshold) / 2):
        return "brightgreen"
    return "green"


def _gate_badge(gate: GateResult) -> Badge:
    label = gate.name.replace("-", " ")
    value = gate.shown.replace(" %", "%")
    if gate.unit == "%" and gate.direction is Direction.FLOOR:
        return Badge(label, value, percentage_color(gate.measured, gate.threshold, gate.precision))
    return Badge(label, value, "brightgreen" if gate.passed else "red")


def badge_for(result: RunResult, metric: str) -> Badge:
    """The badge for ``metric``: ``overall``, or a gate of the run by name or code."""
    if metric == OVERALL:
        failed = sum(not gate.passed for gate in result.gates)
        if failed:
            return Badge("gates", f"{failed} failing", "red")
        return Badge("gates", "passing", "brightgreen")
    for gate in result.gates:
        if metric in (gate.name, gate.code) or metric.upper() == gate.code:
            return _gate_badge(gate)
    known = ", ".join([OVERALL, *(gate.name for gate in result.gates)])
    raise UsageError(f"--metric: no gate '{metric}' in this run; choose one of: {known}")


def text_width(text: str) -> float:
    return sum(_NARROW.get(ch, _WIDE.get(ch, 6.8)) for ch in text)


def render_svg(badge: Badge) -> str:
    label_width = round(text_width(badge.label) + 12)
    value_width = round(text_width(badge.value) + 12)
    width = label_width + value_width
    label, value = escape(badge.label, quote=True), escape(badge.value, quote=True)
    fill = COLORS[badge.color]
    label_x, value_x = label_width / 2, label_width + value_width / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{label}: {value}">\n'
        f"  <title>{label}: {value}</title>\n"
        '  <linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>\n'
        f'  <clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>\n'
        f'  <g clip-path="url(#r)"><rect width="{label_width}" height="20" fill="#555"/>'
        f'<rect x="{label_width}" width="{value_width}" height="20" fill="{fill}" data-gates="color"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>\n'
        '  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'text-rendering="geometricPrecision" font-size="11">\n'
        f'    <text x="{label_x:g}" y="15" fill="#010101" fill-opacity=".3" aria-hidden="true">{label}</text>'
        f'<text x="{label_x:g}" y="14">{label}</text>\n'
        f'    <text x="{value_x:g}" y="15" fill="#010101" fill-opacity=".3" aria-hidden="true">{value}</text>'
        f'<text x="{value_x:g}" y="14" data-gates="value">{value}</text>\n'
        "  </g>\n</svg>\n"
    )
