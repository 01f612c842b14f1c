"""Map furniture of the plan map: the CJK font, north arrow, scale, graticule ticks, legend.

Each function draws one element onto a matplotlib Figure laid out in inches by
:mod:`maps.print`; none of them chooses the layout. The drawn artists are returned so the
tests measure what was drawn (the arrow's vertices, the scale bar's rectangle, the
legend's box), not what was meant.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pyproj
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.markers import TICKDOWN, TICKLEFT, TICKRIGHT, TICKUP
from matplotlib.patches import Polygon
from matplotlib.textpath import TextToPath
from matplotlib_scalebar.scalebar import ScaleBar

import geo
from geo.crs import WGS84, WORKING
from layers.i18n import Lang, t, text

__all__ = [
    "CJK_FAMILIES",
    "CJK_FILES",
    "Graticule",
    "add_north_arrow",
    "add_scale_bar",
    "cjk_font",
    "draw_graticule",
    "fit_legend",
    "meridian_convergence",
    "nice_km",
    "text_width_pt",
    "wrap_parts",
]

# Families tried in order: Debian's fonts-wqy-microhei (what .ci/run installs), then
# fonts-noto-cjk and the usual names of the same fonts elsewhere.
CJK_FAMILIES: Final = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Droid Sans Fallback",
)
# Files registered with matplotlib if its font cache was built before the font was
# installed (the cache is not rescanned by itself).
CJK_FILES: Final = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
_PROBE: Final = "南昌"


class CJKFontError(OSError):
    """No font with Chinese glyphs is installed (a machine setup problem, not bad input)."""

    def __init__(self) -> None:
        both = text("print.error.font")
        super().__init__(both.en)
        self.text = both


@functools.lru_cache(maxsize=8)
def _find_cjk(families: tuple[str, ...], files: tuple[str, ...]) -> str | None:
    def known() -> dict[str, str]:
        return {f.name: f.fname for f in font_manager.fontManager.ttflist}

    names = known()
    if not any(family in names for family in families):
        for path in files:
            if Path(path).is_file():
                font_manager.fontManager.addfont(path)
        names = known()
    for family in families:
        if family in names:
            return family
    return None


def cjk_font() -> str:
    """Return the family name of an installed font with Chinese glyphs.

    Reads :data:`CJK_FAMILIES` and :data:`CJK_FILES` when called.

    Raises
    ------
    CJKFontError
        If none is installed; the message (English and Chinese) names the Debian package.
    """
    family = _find_cjk(tuple(CJK_FAMILIES), tuple(CJK_FILES))
    if family is None:
        raise CJKFontError
    return family


def text_width_pt(value: str, prop: FontProperties) -> float:
    """Width of ``value`` set in ``prop``, in points (no renderer needed)."""
    width, _, _ = TextToPath().get_text_width_height_descent(value, prop, ismath=False)
    return float(width)


def wrap_parts(parts: Sequence[str], sep: str, width_pt: float, prop: FontProperties) -> list[str]:
    """Join ``parts`` with ``sep`` into lines no wider than ``width_pt`` (breaks between parts)."""
    lines: list[str] = []
    line = ""
    for part in parts:
        candidate = part if not line else line + sep + part
        if line and text_width_pt(candidate, prop) > width_pt:
            lines.append(line + sep.rstrip())
            line = part
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


# ---------------------------------------------------------------- north arrow


def meridian_convergence(x: float, y: float) -> float:
    """Meridian convergence (degrees) of EPSG:4548 at a point given in its metres.

    Negative west of the central meridian (117°E): about -0.53° in Nanchang, where true
    north points that much clockwise of grid north.
    """
    lon, lat = pyproj.Transformer.from_crs(WORKING, WGS84, always_xy=True).transform(x, y)
    factors = pyproj.Proj(WORKING).get_factors(lon, lat)
    return float(factors.meridian_convergence)


def _rotate(points: np.ndarray[Any, np.dtype[np.float64]], deg: float) -> Any:
    a = math.radians(deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return points @ rot.T


def add_north_arrow(ax: Axes, *, angle_deg: float, lang: Lang, fontsize: float) -> Polygon:
    """Draw a north arrow in ``ax`` (its own small axes), rotated ``angle_deg`` anticlockwise.

    Returns the right (filled) half, whose first vertex is the tip and last the base
    centre: the arrow points along their difference.
    """
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    tip, base, left, right, notch = (
        (0.0, 0.75),
        (0.0, -0.55),
        (-0.32, -0.8),
        (0.32, -0.8),
        (0, -0.5),
    )
    # Planning maps draw the arrow half black, half white so it reads in black-and-white prints.
    filled = np.array([tip, right, notch, base])
    hollow = np.array([tip, left, notch])
    black = Polygon(_rotate(filled, angle_deg), closed=True, facecolor="black", edgecolor="black")
    white = Polygon(_rotate(hollow, angle_deg), closed=True, facecolor="white", edgecolor="black")
    black.set_linewidth(0.8)
    white.set_linewidth(0.8)
    ax.add_patch(white)
    ax.add_patch(black)
    label = _rotate(np.array([[0.0, 0.92]]), angle_deg)[0]
    ax.text(
        label[0],
        label[1],
        t("print.north", lang),
        ha="center",
        va="bottom",
        fontsize=fontsize,
        rotation=angle_deg,
    )
    return black


# ---------------------------------------------------------------- scale bar


def nice_km(max_km: float) -> float:
    """Return the largest 1-2-5 length in km not above ``max_km`` (a round scale-bar length).

    Examples
    --------
    >>> nice_km(13.0), nice_km(4.9), nice_km(0.7)
    (10.0, 2.0, 0.5)
    """
    exponent = math.floor(math.log10(max_km))
    for step in (5.0, 2.0, 1.0):
        value = step * 10.0**exponent
        if value <= max_km:
            return round(value, 6)
    return 10.0**exponent  # pragma: no cover - 1 * 10**floor(log10(x)) <= x always


def add_scale_bar(
    ax: Axes,
    *,
    km: float,
    lang: Lang,
    fontsize: float,
    anchor: tuple[float, float],
    figure: Figure,
    label: str,
) -> ScaleBar:
    """Add a scale bar of ``km`` to the map axes ``ax`` (data in metres), drawn at ``anchor``.

    ``anchor`` is the bar's lower-left corner in figure fraction: the bar sits outside the
    map frame, so it never covers data, but measures with the map's own transform.
    """
    bar = ScaleBar(
        1.0,
        units="m",
        dimension="si-length",
        fixed_value=km,
        fixed_units="km",
        location="lower left",
        bbox_to_anchor=anchor,
        bbox_transform=figure.transFigure,
        frameon=False,
        color="black",
        scale_loc="bottom",
        label=label,
        label_loc="top",
        width_fraction=0.006,
        border_pad=0,
        pad=0,
        scale_formatter=lambda value, _unit: t("print.scale_km", lang, km=float(value)),
        font_properties={"size": fontsize},
    )
    bar.set_clip_on(False)
    ax.add_artist(bar)
    return bar


# ---------------------------------------------------------------- graticule ticks


@dataclass(frozen=True)
class Graticule:
    """Where the degree ticks of the frame fall (EPSG:4548 metres along each edge)."""

    step_deg: float
    bottom: tuple[tuple[float, float], ...]  # (x, lon)
    top: tuple[tuple[float, float], ...]
    left: tuple[tuple[float, float], ...]  # (y, lat)
    right: tuple[tuple[float, float], ...]


def _dm(value: float, hemis: str) -> str:
    minutes = round(value * 60)
    return f"{minutes // 60}°{minutes % 60:02d}′{hemis}"


def _edge(
    fixed: float, lo: float, hi: float, *, vertical: bool, step: float
) -> tuple[tuple[float, float], ...]:
    """Positions along one frame edge where longitude (or latitude) is a multiple of ``step``."""
    inverse = pyproj.Transformer.from_crs(WORKING, WGS84, always_xy=True)
    along = np.linspace(lo, hi, 400)
    xs, ys = (
        (np.full_like(along, fixed), along) if vertical else (along, np.full_like(along, fixed))
    )
    lon, lat = inverse.transform(xs, ys)
    degrees = np.asarray(lat if vertical else lon)
    first = math.ceil(degrees.min() / step - 1e-9) * step
    out = []
    # A label within 3 % of a corner would run into the other edge's labels or past the
    # frame: planning maps leave the corners bare.
    keep = 0.03 * (hi - lo)
    for value in np.arange(first, degrees.max() + 1e-9, step):
        # Degrees change monotonically along an edge of this small map: interpolate.
        pos = float(np.interp(value, degrees, along))
        if lo + keep <= pos <= hi - keep:
            out.append((pos, round(float(value), 6)))
    return tuple(out)


def draw_graticule(ax: Axes, *, fontsize: float, family: Sequence[str]) -> Graticule:
    """Tick the map frame every round step of degrees, labelled in degrees and minutes."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    span = max(x1 - x0, y1 - y0) / 100_000  # roughly degrees
    step = next((s for s in (0.05, 0.1, 0.2, 0.25, 0.5, 1.0) if span / s <= 6), 1.0)
    grat = Graticule(
        step_deg=step,
        bottom=_edge(y0, x0, x1, vertical=False, step=step),
        top=_edge(y1, x0, x1, vertical=False, step=step),
        left=_edge(x0, y0, y1, vertical=True, step=step),
        right=_edge(x1, y0, y1, vertical=True, step=step),
    )
    style: dict[str, Any] = {"fontsize": fontsize, "fontfamily": list(family), "clip_on": False}
    tick: dict[str, Any] = {"color": "black", "markersize": 5, "clip_on": False, "zorder": 10}
    # One row per frame edge: its ticks (position along the edge, degrees), where the edge
    # is, the tick marker, the hemisphere letter, the label's offset, alignment and turn.
    edges = (
        (grat.bottom, False, y0, TICKDOWN, "E", (0, -7), "center", "top", 0),
        (grat.top, False, y1, TICKUP, "E", (0, 7), "center", "bottom", 0),
        (grat.left, True, x0, TICKLEFT, "N", (-7, 0), "right", "center", 90),
        (grat.right, True, x1, TICKRIGHT, "N", (7, 0), "left", "center", -90),
    )
    for ticks, vertical, fixed, marker, letter, offset, ha, va, rotation in edges:
        for pos, degrees in ticks:
            at = (fixed, pos) if vertical else (pos, fixed)
            ax.plot([at[0]], [at[1]], marker=marker, **tick)
            ax.annotate(
                _dm(degrees, letter),
                at,
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                rotation=rotation,
                rotation_mode="anchor",
                **style,
            )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return grat


# ---------------------------------------------------------------- legend


def fit_legend(
    figure: Figure,
    handles: Sequence[Artist],
    labels: Sequence[str],
    *,
    box: tuple[float, float, float, float],
    title: str,
    fontsize: float,
    max_cols: int,
    family: Sequence[str],
) -> Legend:
    """Place the legend in ``box`` (figure inches: left, bottom, width, height), wrapped.

    The most columns that fit the box's width are used (entries fill column by column);
    if even one column is too tall for the box, the type shrinks (to 60 % at most) until it
    fits. The legend is anchored at the box's top-left corner, so it never reaches into the
    map frame, which lies outside the box.
    """
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    left, bottom, width, height = box
    w_in, h_in = figure.get_size_inches()
    anchor = (left / w_in, (bottom + height) / h_in)
    size = fontsize
    while True:
        for ncol in range(max(1, min(max_cols, len(handles))), 0, -1):
            legend = figure.legend(
                handles,
                labels,
                loc="upper left",
                bbox_to_anchor=anchor,
                ncols=ncol,
                frameon=False,
                title=title,
                title_fontproperties={"size": size * 1.15, "family": family},
                prop={"size": size, "family": list(family)},
                alignment="left",
                borderaxespad=0.0,
                borderpad=0.0,
                columnspacing=1.2,
                handlelength=1.8,
            )
            extent = legend.get_window_extent(renderer)
            if extent.width / figure.dpi <= width + 1e-6 or ncol == 1:
                break
            legend.remove()
        fits = extent.width / figure.dpi <= width + 1e-6 and extent.height / figure.dpi <= height
        if fits or size <= fontsize * 0.6:
            return legend
        legend.remove()
        size *= 0.9


def require(condition: bool, key: str, /, **values: object) -> None:
    """Raise :class:`geo.InputError` with the bilingual text ``key`` unless ``condition``."""
    if not condition:
        raise geo.InputError(text(key, **values))
