"""Learning curves as a small hand-written SVG: accuracy and cost per epoch, no plotting library."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

__all__ = ["curves_svg", "line_panel"]

WIDTH, HEIGHT = 360, 240  # one panel
MARGIN = {"left": 56, "right": 16, "top": 28, "bottom": 40}
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round tick values covering [low, high]."""
    if not high > low:
        return [low]
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(f for f in (1, 2, 2.5, 5, 10) if f * step >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#444"/>'


def _text(x: float, y: float, text: str, extra: str = "", anchor: str = "middle") -> str:
    where = f'x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"'
    return f"<text {where} {extra}>{escape(text)}</text>"


def line_panel(
    title: str, series: Mapping[str, Sequence[float]], x0: float = 0.0, y_label: str = ""
) -> str:
    """One panel: a line per series against the epoch, with axes, ticks and a legend.

    Parameters
    ----------
    title : str
    series : dict of str to sequence of float
        A label and one value per epoch; NaN and inf are left out.
    x0 : float
        The horizontal offset of the panel in the whole figure.
    y_label : str

    Returns
    -------
    str
        An SVG ``<g>`` element.
    """
    left, top = x0 + MARGIN["left"], MARGIN["top"]
    width = WIDTH - MARGIN["left"] - MARGIN["right"]
    height = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    values = [v for vs in series.values() for v in vs if math.isfinite(v)]
    n = max((len(vs) for vs in series.values()), default=0)
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    low, high = low - 0.05 * (high - low), high + 0.05 * (high - low)  # keep lines off the frame
    x_max = max(n - 1, 1)

    def sx(epoch: float) -> float:
        return left + width * epoch / x_max

    def sy(value: float) -> float:
        return top + height * (1 - (value - low) / (high - low))

    parts = [f'<g font-family="sans-serif" font-size="11"><title>{escape(title)}</title>']
    parts.append(_text(x0 + WIDTH / 2, 16, title, 'font-size="13"'))
    box = f'x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}"'
    parts.append(f'<rect {box} fill="none" stroke="#444"/>')
    for tick in _ticks(low, high):
        parts.append(_line(left - 4, sy(tick), left, sy(tick)))
        parts.append(_text(left - 6, sy(tick) + 4, f"{tick:g}", anchor="end"))
    for tick in _ticks(0, x_max):
        if tick == int(tick):
            parts.append(_line(sx(tick), top + height, sx(tick), top + height + 4))
            parts.append(_text(sx(tick), top + height + 16, str(int(tick))))
    parts.append(_text(left + width / 2, HEIGHT - 6, "epoch"))
    if y_label:
        where = f'transform="rotate(-90 {x0 + 14:.1f} {top + height / 2:.1f})"'
        parts.append(_text(x0 + 14, top + height / 2, y_label, where))
    for k, (label, vs) in enumerate(series.items()):
        color = COLORS[k % len(COLORS)]
        points = " ".join(f"{sx(i):.1f},{sy(v):.1f}" for i, v in enumerate(vs) if math.isfinite(v))
        if points:
            line = f'fill="none" stroke="{color}" stroke-width="1.5"'
            parts.append(f'<polyline points="{points}" {line}/>')
        parts.append(_text(left + width - 6, top + 14 + 14 * k, label, f'fill="{color}"', "end"))
    parts.append("</g>")
    return "".join(parts)


def curves_svg(
    accuracy: Mapping[str, Sequence[float]], cost: Mapping[str, Sequence[float]], title: str = ""
) -> str:
    """A figure of two panels, accuracy (in %) and cost per epoch, as an SVG document.

    Parameters
    ----------
    accuracy, cost : dict of str to sequence of float
        Series by label, e.g. ``{"test": history.evaluation_accuracy}`` (fractions).
    title : str
        Shown above the panels.

    Returns
    -------
    str

    Examples
    --------
    >>> svg = curves_svg({"test": [0.9, 0.93, 0.94]}, {"test": [0.3, 0.2, 0.18]})
    >>> svg.startswith("<svg") and svg.count("<polyline") == 2
    True
    """
    percent = {label: [100 * v for v in vs] for label, vs in accuracy.items()}
    top = 20 if title else 0
    body = line_panel("Accuracy", percent, 0.0, "%") + line_panel("Cost", cost, WIDTH)
    heading = _text(WIDTH, 14, title, 'font-family="sans-serif"')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * WIDTH}" height="{HEIGHT + top}" '
        f'viewBox="0 0 {2 * WIDTH} {HEIGHT + top}">'
        f'<rect width="100%" height="100%" fill="white"/>{heading if title else ""}'
        f'<g transform="translate(0,{top})">{body}</g></svg>\n'
    )
