"""Page layout of the plan map: boxes in inches, the round scale and the frame it gives.

:func:`layout` places the title, the map frame, the legend, the north arrow, the scale
bar and the footer on an A4 or A3 page, portrait or landscape; :func:`fit_frame` then
picks the round scale at which the shown extent fits the frame and sizes the frame to it.
Nothing here draws: :mod:`maps.print` draws into these boxes.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Final

__all__ = [
    "MM",
    "PAPER_SIZES",
    "SCALE_STEPS",
    "Box",
    "Layout",
    "fit_frame",
    "fraction",
    "layout",
    "round_denominator",
]

PAPER_SIZES: Final[dict[str, tuple[float, float]]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
"""Paper sizes in millimetres, portrait (width, height)."""
# Round scales a planner reads at a glance (1:n x 10^k, n in half steps: 1:450,000,
# 1:650,000); the map takes the most detailed that fits. Half steps rather than the
# 1-1.5-2-2.5-3-4-5-6-7.5 series: the jumps of 25-33 % between those left up to a quarter
# of the page's map box empty. The scale bar stays a round km length at any of them.
SCALE_STEPS: Final = (
    1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 9.0
)  # fmt: skip
MM: Final = 1 / 25.4
"""One millimetre in inches."""
# The scale is chosen with the extent plus 4 % and the frame drawn 8 % larger than the
# extent: data never touches the frame line or the degree ticks.
_FIT: Final = 1.04
_FRAME: Final = 1.08

Box = tuple[float, float, float, float]
"""(left, bottom, width, height) in inches."""


def round_denominator(needed: float) -> int:
    """Return the smallest round denominator (:data:`SCALE_STEPS` x 10^k) >= ``needed``.

    Examples
    --------
    >>> round_denominator(412_000), round_denominator(700_000), round_denominator(98)
    (450000, 700000, 100)
    """
    exponent = math.floor(math.log10(needed))
    for power in (exponent, exponent + 1):
        for step in SCALE_STEPS:
            value = step * 10.0**power
            if value >= needed:
                return round(value)
    return int(10 ** (exponent + 1))  # pragma: no cover


@dataclasses.dataclass(frozen=True)
class Layout:
    """Boxes on the page in inches, (left, bottom, width, height)."""

    k: float  # type scale: 1 on A4, sqrt(2) on A3
    page: tuple[float, float]
    title_y: float
    map_box: Box
    legend_box: Box
    arrow_box: Box
    bar_anchor: tuple[float, float]  # lower-left, inches
    bar_space: float  # width available to the scale bar, inches
    footer_top: float
    footer_width: float


def layout(size: str, landscape: bool, footer_lines: int, legend_h: float | None) -> Layout:
    """Lay out the page; ``legend_h`` (inches) sizes the portrait legend band (None: largest)."""
    w_mm, h_mm = PAPER_SIZES[size]
    if landscape:
        w_mm, h_mm = h_mm, w_mm
    k = 1.0 if size == "A4" else math.sqrt(2)
    w, h = w_mm * MM, h_mm * MM
    margin = 10 * MM
    ticks = 7 * k * MM  # room for the degree labels outside the frame
    title_h = 15 * k * MM
    footer_h = footer_lines * 6.5 * k * 1.5 / 72 + 2 * MM
    top = h - margin - title_h
    # 4 mm of white between the footer and what sits above it (legend, scale bar).
    footer_top = margin + footer_h - 1 * MM
    bottom = margin + footer_h + 3 * MM
    arrow = 16 * k * MM
    if landscape:
        panel_w = 66 * k * MM
        map_box = (
            margin + ticks,
            bottom + ticks,
            w - 2 * margin - panel_w - 2 * ticks - 4 * MM,
            top - bottom - 2 * ticks,
        )
        px = w - margin - panel_w
        bar_h = 22 * k * MM
        return Layout(
            k=k,
            page=(w, h),
            title_y=h - margin - title_h / 2,
            map_box=map_box,
            legend_box=(px, bottom + bar_h, panel_w, top - arrow - 6 * MM - bottom - bar_h),
            arrow_box=(px, top - arrow, arrow, arrow),
            bar_anchor=(px, bottom + 2 * MM),
            bar_space=panel_w,
            footer_top=footer_top,
            footer_width=w - 2 * margin,
        )
    furniture_w = 66 * k * MM
    biggest = 0.25 * (top - bottom)
    band = biggest if legend_h is None else min(biggest, max(legend_h, arrow + 2 * MM))
    map_box = (
        margin + ticks,
        bottom + band + ticks + 2 * MM,
        w - 2 * margin - 2 * ticks,
        top - bottom - band - 2 * ticks - 2 * MM,
    )
    lx = margin + furniture_w
    return Layout(
        k=k,
        page=(w, h),
        title_y=h - margin - title_h / 2,
        map_box=map_box,
        legend_box=(lx, bottom + band - biggest, w - margin - lx, biggest),
        arrow_box=(margin, bottom + band - arrow, arrow, arrow),
        bar_anchor=(margin + arrow + 6 * MM, bottom + band - arrow),
        bar_space=furniture_w - arrow - 10 * MM,
        footer_top=footer_top,
        footer_width=w - 2 * margin,
    )


def _shrunk(lay: Layout, dw: float, dh: float, *, landscape: bool) -> Layout:
    """Return the layout with the map frame ``dw`` x ``dh`` inches smaller.

    In portrait the legend band, north arrow and scale bar move up with the frame's bottom.
    """
    x, y, w, h = lay.map_box
    if landscape:
        return dataclasses.replace(lay, map_box=(x + dw / 2, y + dh / 2, w - dw, h - dh))
    # Portrait: the frame and the legend band close up and sit centred between the title
    # and the footer (half the space left above, half below).
    box = (x + dw / 2, y + dh / 2, w - dw, h - dh)

    def up(b: Box) -> Box:
        return (b[0], b[1] + dh / 2, b[2], b[3])

    return dataclasses.replace(
        lay,
        map_box=box,
        legend_box=up(lay.legend_box),
        arrow_box=up(lay.arrow_box),
        bar_anchor=(lay.bar_anchor[0], lay.bar_anchor[1] + dh / 2),
    )


def fit_frame(
    lay: Layout, bounds: Box, *, landscape: bool
) -> tuple[Layout, int, tuple[float, float, float, float]]:
    """Fit ``bounds`` (xmin, ymin, xmax, ymax in EPSG:4548) into the map box at a round scale.

    Returns the layout with the frame sized to the scale, the denominator and the frame's
    extent in EPSG:4548 (centred on ``bounds``). The denominator is the largest-detail
    round scale (:func:`round_denominator`) showing the whole of ``bounds`` with a 4 %
    margin. At a round scale the extent rarely fills the box: the frame shrinks to the
    extent (centred), except that in portrait it keeps the box's full height.
    """
    x0, y0, x1, y1 = bounds
    mw, mh = lay.map_box[2] * 0.0254, lay.map_box[3] * 0.0254  # metres of paper
    denominator = round_denominator(max((x1 - x0) * _FIT / mw, (y1 - y0) * _FIT / mh))
    fw = min(mw, (x1 - x0) * _FRAME / denominator)
    # Portrait: the frame keeps the box's full height (the map shows more land north and
    # south of the extent instead of white paper above the frame and below the legend).
    fh = min(mh, (y1 - y0) * _FRAME / denominator) if landscape else mh
    lay = _shrunk(lay, (mw - fw) / 0.0254, (mh - fh) / 0.0254, landscape=landscape)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = fw * denominator / 2, fh * denominator / 2
    return lay, denominator, (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def fraction(box: Box, page: tuple[float, float]) -> Box:
    """Return ``box`` (inches) as a fraction of the ``page`` (matplotlib figure coordinates)."""
    w, h = page
    return (box[0] / w, box[1] / h, box[2] / w, box[3] / h)
