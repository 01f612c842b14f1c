"""Print-ready plan maps (规划图): PDF (vector) and PNG, drawn offline in EPSG:4548.

A planning map carries 图名 (title), 图例 (legend), 指北针 (north arrow), 比例尺 (scale),
数据来源 (sources), 编制单位 and 日期; this module draws all of them around the plan's layers
with matplotlib, on A4 or A3, portrait or landscape, in Chinese or English:

- the map is drawn in EPSG:4548 (:data:`geo.crs.WORKING`) at a round scale (1:450,000,
  1:650,000, ...) chosen to fit the page, so the printed ratio, the scale bar and the
  frame's degree ticks all agree with the map's own grid;
- the north arrow points to true north: it is rotated by the meridian convergence at the
  map's centre (pyproj; about -0.53° in Nanchang);
- the legend, north arrow and scale bar sit outside the map frame (the legend wraps into
  as many columns as fit), so they never cover data;
- approximate boundaries (the shipped development zones) are hatched and footnoted;
- a map of one area (``area=``) is that area's plan: the area keeps its colour and is
  named "(this map)" in the legend, the other areas, the land and names around it grey;
- the footer cites the sources (checked against ``data/SOURCES.md``), the store version
  of the zones, the date and an editable 编制单位 line. The renderer refuses a map without
  a title, a date or a source line.

Chinese needs a CJK font (Debian ``fonts-wqy-microhei`` or ``fonts-noto-cjk``); it is
embedded in the PDF as TrueType (``pdf.fonttype`` 42). No tiles are fetched.

Examples
--------
>>> import datetime, layers
>>> project = layers.open_project(default_store=False)
>>> pdf = render_plan_map(project, lang="en", title="Plan", date=datetime.date(2026, 12, 1))
>>> pdf[:5]
b'%PDF-'
"""

from __future__ import annotations

import dataclasses
import datetime
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

import geopandas as gpd
import matplotlib as mpl
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.crs import to_working
from layers.i18n import Lang, local_names, t
from maps import _print_furniture as furniture
from maps import _print_layers as painters
from maps._print_footer import FOOTER_LINES, date_text, default_sources, draw_footer
from maps._print_furniture import CJKFontError, require
from maps._print_layout import PAPER_SIZES, fit_frame, fraction, layout

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend
    from matplotlib.patches import Polygon
    from matplotlib_scalebar.scalebar import ScaleBar

    from layers.project import Project

__all__ = [
    "DEFAULT_LAYERS",
    "MAP_LAYERS",
    "PAPER_SIZES",
    "CJKFontError",
    "PlanMap",
    "date_text",
    "default_sources",
    "plan_map",
    "plan_map_figure",
    "print_rc",
    "render_plan_map",
]

MAP_LAYERS: Final = (
    "districts",
    "zones",
    "areas",
    "enterprises",
    "labels",
    "clusters",
    "gaps",
    "suitability",
    "sites",
)
"""Layers the plan map can draw (``labels``: district and zone names)."""
DEFAULT_LAYERS: Final = ("districts", "zones", "areas", "enterprises", "labels")


def print_rc() -> dict[Any, Any]:
    """Matplotlib settings of a printed map: the CJK font first, TrueType embedded in PDF.

    Use them when saving a figure from :func:`plan_map_figure` yourself (e.g. into a
    ``PdfPages`` report): ``with matplotlib.rc_context(print_rc()): pages.savefig(fig)``.

    Raises
    ------
    maps.print.CJKFontError
        If no font with Chinese glyphs is installed.
    """
    family = [furniture.cjk_font(), "DejaVu Sans"]
    return {
        "font.family": family,
        "pdf.fonttype": 42,  # TrueType, embedded (subset): text stays text, fonts travel
        "ps.fonttype": 42,
        "axes.unicode_minus": False,
        "hatch.linewidth": 0.6,
        "savefig.dpi": 300,
    }


@dataclasses.dataclass(frozen=True)
class PlanMap:
    """A drawn plan map and what it was drawn with (the tests measure these).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The page (its size is the paper's, in inches).
    map_axes : matplotlib.axes.Axes
        The map frame; data in EPSG:4548 metres.
    legend : matplotlib.legend.Legend
    scale_bar : matplotlib_scalebar.scalebar.ScaleBar
    north_arrow : matplotlib.patches.Polygon
        The arrow's filled half: first vertex the tip, last the base centre.
    north_deg : float
        The arrow's anticlockwise rotation from the page's up (the meridian convergence).
    denominator : int
        The printed scale is 1:``denominator``.
    extent : tuple of float
        ``(xmin, ymin, xmax, ymax)`` of the frame in EPSG:4548.
    approximate : bool
        Whether approximate boundaries are drawn (and footnoted).
    sources : tuple of str
        The parts of the source line.
    """

    figure: Figure
    map_axes: Axes
    legend: Legend
    scale_bar: ScaleBar
    north_arrow: Polygon
    north_deg: float
    denominator: int
    extent: tuple[float, float, float, float]
    approximate: bool
    sources: tuple[str, ...]

    def to_bytes(self, fmt: Literal["pdf", "png"] = "pdf", *, dpi: int = 300) -> bytes:
        """Save the page as PDF (vector, fonts embedded) or PNG (``dpi``)."""
        require(fmt in ("pdf", "png"), "print.error.fmt", value=fmt)
        require(72 <= dpi <= 1200, "print.error.dpi", value=dpi)
        out = io.BytesIO()
        with mpl.rc_context(print_rc()):
            self.figure.savefig(out, format=fmt, dpi=dpi, metadata=_metadata(fmt, self))
        return out.getvalue()


def _metadata(fmt: str, plan: PlanMap) -> dict[str, Any]:
    title = plan.figure.get_label()
    if fmt == "pdf":
        return {"Title": title, "Creator": "nanchang-storage-zoning"}
    return {"Title": title, "Software": "nanchang-storage-zoning"}


# ---------------------------------------------------------------- checking the request


def _check(
    *,
    title: str,
    date: object,
    size: str,
    layers: Sequence[str],
    sources: Sequence[str] | None,
    sites: pd.DataFrame | None,
    suitability_segment: str | None,
) -> None:
    require(bool(str(title or "").strip()), "print.error.title")
    require(isinstance(date, datetime.date), "print.error.date")
    require(size in PAPER_SIZES, "print.error.size", choices=", ".join(PAPER_SIZES), value=size)
    unknown = [name for name in layers if name not in MAP_LAYERS]
    require(
        not unknown,
        "print.error.layers",
        value=", ".join(map(repr, unknown)),
        choices=", ".join(MAP_LAYERS),
    )
    require(sources is None or any(str(s).strip() for s in sources), "print.error.sources")
    if sites is not None:
        missing = [c for c in ("lon", "lat", "name") if c not in sites.columns]
        require(not missing, "print.error.sites", missing=", ".join(missing))
    require("suitability" not in layers or bool(suitability_segment), "print.error.segment")


# ---------------------------------------------------------------- drawing


def plan_map(
    project: Project,
    *,
    lang: Lang,
    title: str,
    date: datetime.date,
    organisation: str = "",
    area: str | None = None,
    size: Literal["A4", "A3"] = "A4",
    landscape: bool = False,
    layers: Sequence[str] = DEFAULT_LAYERS,
    enterprises: gpd.GeoDataFrame | None = None,
    sites: pd.DataFrame | None = None,
    suitability_segment: str | None = None,
    clusters: gpd.GeoDataFrame | None = None,
    gaps: gpd.GeoDataFrame | None = None,
    suitability: gpd.GeoDataFrame | None = None,
    sources: Sequence[str] | None = None,
) -> PlanMap:
    """Draw the plan map; see :func:`render_plan_map` for the parameters.

    ``clusters``, ``gaps`` and ``suitability`` take results already computed (e.g. shown on
    screen); without them the layers named in ``layers`` are computed from the project.
    """
    layers = tuple(layers)
    _check(
        title=title,
        date=date,
        size=size,
        layers=layers,
        sources=sources,
        sites=sites,
        suitability_segment=suitability_segment,
    )
    if sources is None:
        sources = default_sources(project, lang)
    parts = tuple(str(s).strip() for s in sources if str(s).strip())
    firms = project.enterprises if enterprises is None else enterprises
    with mpl.rc_context(print_rc()):
        return _draw(
            project,
            firms=firms,
            lang=lang,
            title=str(title).strip(),
            date=date,
            organisation=organisation,
            area=area,
            size=size,
            landscape=landscape,
            layers=layers,
            sites=sites,
            segment=suitability_segment,
            clusters=clusters,
            gaps=gaps,
            suitability=suitability,
            sources=parts,
        )


def _paint(
    ax: Axes,
    project: Project,
    firms: gpd.GeoDataFrame,
    layers: tuple[str, ...],
    *,
    lang: Lang,
    k: float,
    sites: pd.DataFrame | None,
    segment: str | None,
    clusters: gpd.GeoDataFrame | None,
    gaps: gpd.GeoDataFrame | None,
    suitability: gpd.GeoDataFrame | None,
    focus: str | None,
) -> tuple[list[painters.Entry], bool, int, int]:
    """Draw the data layers bottom to top; return legend entries and what the footer says."""
    entries: list[painters.Entry] = []
    approximate = False
    if "districts" in layers:
        entries += painters.draw_districts(ax, project.districts, lang=lang)
    if suitability is not None:
        names = dict(
            zip(project.chain.index.astype(str), local_names(project.chain, lang), strict=True)
        )
        # The surface's grid covers the frame's box: only the city's land is scored ground.
        land = shapely.union_all(to_working(project.districts).geometry.to_numpy())
        entries += painters.draw_suitability(
            ax,
            to_working(suitability).clip(land),
            segment_name=names.get(str(segment), str(segment or "")),
            lang=lang,
        )
    if "areas" in layers:
        entries += painters.draw_areas(ax, project.areas, lang=lang, focus=focus)
    if gaps is not None:
        entries += painters.draw_gaps(ax, gaps, lang=lang)
    if "zones" in layers:
        zone_entries, approximate = painters.draw_zones(ax, project.zones, lang=lang)
        entries += zone_entries
    if clusters is not None:
        entries += painters.draw_clusters(ax, clusters, chain=project.chain, lang=lang)
    unlocated = synthetic = 0
    if "enterprises" in layers:
        firm_entries, unlocated, synthetic = painters.draw_enterprises(
            ax, firms, chain=project.chain, lang=lang, size=9 * k
        )
        entries += firm_entries
    if sites is not None and len(sites):
        entries += painters.draw_sites(ax, sites, size=9 * k, fontsize=7 * k, lang=lang)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(1.2)
    return entries, approximate, unlocated, synthetic


def _draw(
    project: Project,
    *,
    firms: gpd.GeoDataFrame,
    lang: Lang,
    title: str,
    date: datetime.date,
    organisation: str,
    area: str | None,
    size: str,
    landscape: bool,
    layers: tuple[str, ...],
    sites: pd.DataFrame | None,
    segment: str | None,
    clusters: gpd.GeoDataFrame | None,
    gaps: gpd.GeoDataFrame | None,
    suitability: gpd.GeoDataFrame | None,
    sources: tuple[str, ...],
) -> PlanMap:
    family = list(mpl.rcParams["font.family"])
    shape = painters.extent_shape(project, area)
    first = layout(size, landscape, footer_lines=FOOTER_LINES, legend_h=None)
    k = first.k
    fig = Figure(figsize=first.page, dpi=100)
    FigureCanvasAgg(fig)
    fig.set_label(title)
    ax = fig.add_axes(fraction(first.map_box, first.page))
    x0, y0, x1, y1 = shape.bounds
    pad = 0.05 * max(x1 - x0, y1 - y0)
    rough = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)

    clusters, gaps, suitability = painters.analysis_layers(
        project,
        firms,
        layers,
        clusters=clusters,
        gaps=gaps,
        suitability=suitability,
        segment=segment,
        extent=rough,
    )
    entries, approximate, unlocated, synthetic = _paint(
        ax,
        project,
        firms,
        layers,
        lang=lang,
        k=k,
        sites=sites,
        segment=segment,
        clusters=clusters,
        gaps=gaps,
        suitability=suitability,
        focus=area,
    )
    handles = [h for h, _ in entries]
    labels = [label for _, label in entries]

    def legend_in(box: tuple[float, float, float, float]) -> Legend:
        return furniture.fit_legend(
            fig,
            handles,
            labels,
            box=box,
            title=t("print.legend", lang),
            fontsize=7.5 * k,
            max_cols=1 if landscape else 4,
            family=family,
        )

    legend = legend_in(first.legend_box)
    lay = first
    if not landscape:
        # The legend band is as tall as the legend (wrapped to the page width): the map
        # takes the rest of the page.
        height = legend.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi  # type: ignore[attr-defined]
        lay = layout(size, landscape, footer_lines=FOOTER_LINES, legend_h=height)
    # The frame at a round scale that shows the whole extent; the legend band follows the
    # frame's bottom.
    lay, denominator, extent = fit_frame(lay, shape.bounds, landscape=landscape)
    if not landscape:
        legend.remove()
        legend = legend_in(lay.legend_box)
    ax.set_position(fraction(lay.map_box, lay.page))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if area is not None:
        painters.mute_outside(ax, shape, extent)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="datalim")
    if "labels" in layers:
        # Zones first: they are the smaller, more specific places; districts give way.
        focus = None if area is None else shape
        # Compared sites' names (already drawn) first, then zones (the smaller, more
        # specific places); districts give way to both.
        painters.label_polygons(
            ax,
            project.zones,
            lang=lang,
            fontsize=7 * k,
            colour=painters.ZONE_COLOUR,
            focus=focus,
            avoid=list(ax.texts),
        )
        painters.label_polygons(
            ax,
            project.districts,
            lang=lang,
            fontsize=8.5 * k,
            colour="#222222",
            avoid=list(ax.texts),
            focus=focus,
        )

    furniture.draw_graticule(ax, fontsize=6 * k, family=family)
    # geopandas names the axes after the CRS ("Easting [metre]") on every plot call; the
    # frame's degree ticks are the only axis labels a plan map has.
    ax.set_xlabel("")
    ax.set_ylabel("")
    fig.text(0.5, lay.title_y / lay.page[1], title, ha="center", va="center", fontsize=17 * k)

    arrow_ax = fig.add_axes(fraction(lay.arrow_box, lay.page))
    north = furniture.meridian_convergence(cx, cy)
    arrow = furniture.add_north_arrow(arrow_ax, angle_deg=north, lang=lang, fontsize=9 * k)

    bar_paper_m = (lay.bar_space - 0.4) * 0.0254
    km = furniture.nice_km(
        min((extent[2] - extent[0]) / 1000 * 0.25, bar_paper_m * denominator / 1000)
    )
    bar = furniture.add_scale_bar(
        ax,
        km=km,
        lang=lang,
        fontsize=7 * k,
        anchor=(lay.bar_anchor[0] / lay.page[0], lay.bar_anchor[1] / lay.page[1]),
        figure=fig,
        label=t("print.scale_ratio", lang, denominator=f"{denominator:,}"),
    )
    bar.font_properties = {"size": 7 * k, "family": family}

    draw_footer(
        fig,
        lay,
        lang=lang,
        sources=sources,
        approximate=approximate,
        date=date,
        organisation=organisation,
        version=project.zones_version,
        unlocated=unlocated,
        synthetic=synthetic,
    )
    return PlanMap(
        figure=fig,
        map_axes=ax,
        legend=legend,
        scale_bar=bar,
        north_arrow=arrow,
        north_deg=north,
        denominator=denominator,
        extent=extent,
        approximate=approximate,
        sources=sources,
    )


def plan_map_figure(project: Project, **options: Any) -> Figure:
    """Return the plan map's Figure (for embedding, e.g. a report's cover).

    Takes the keyword options of :func:`plan_map`. Save it with :func:`print_rc` in force
    so the CJK font is embedded as TrueType.
    """
    return plan_map(project, **options).figure


def render_plan_map(
    project: Project,
    *,
    lang: Lang,
    title: str,
    date: datetime.date,
    organisation: str = "",
    area: str | None = None,
    size: Literal["A4", "A3"] = "A4",
    landscape: bool = False,
    layers: Sequence[str] = DEFAULT_LAYERS,
    fmt: Literal["pdf", "png"] = "pdf",
    dpi: int = 300,
    enterprises: gpd.GeoDataFrame | None = None,
    sites: pd.DataFrame | None = None,
    suitability_segment: str | None = None,
    **results: Any,
) -> bytes:
    """Render the plan map of ``project`` as PDF (vector) or PNG bytes.

    Parameters
    ----------
    project : layers.project.Project
        The opened project (districts, zones, areas, chain, enterprises, store version).
    lang : {"zh", "en"}
        Language of every printed word and of the district and zone labels.
    title : str
        图名; required (a blank title is refused).
    date : datetime.date
        Printed in the footer; required.
    organisation : str
        编制单位; blank prints a line to fill in by hand.
    area : str, optional
        An agglomeration-area key (``"materials"``) or a zone id (``"nc_etdz"``): the map
        shows it; default the whole city.
    size : {"A4", "A3"}
    landscape : bool
    layers : sequence of str
        Out of :data:`MAP_LAYERS`; default :data:`DEFAULT_LAYERS`.
    fmt : {"pdf", "png"}
    dpi : int
        Resolution of a PNG (and of the PDF's few raster parts, if any).
    enterprises : geopandas.GeoDataFrame, optional
        Validated enterprises; default the project's.
    sites : pandas.DataFrame, optional
        Compared sites: ``lon``, ``lat`` (WGS 84) and ``name``.
    suitability_segment : str, optional
        The segment of the suitability surface (needed by the ``suitability`` layer).
    **results
        ``clusters``, ``gaps``, ``suitability`` (results already computed) and ``sources``
        (the source line's parts; default :func:`default_sources`), as for :func:`plan_map`.

    Returns
    -------
    bytes

    Raises
    ------
    geo.InputError
        Without a title, a date or a source line, or for an unknown area, layer or size.
    maps.print.CJKFontError
        If no CJK font is installed (Chinese would print as boxes).
    """
    plan = plan_map(
        project,
        lang=lang,
        title=title,
        date=date,
        organisation=organisation,
        area=area,
        size=size,
        landscape=landscape,
        layers=layers,
        enterprises=enterprises,
        sites=sites,
        suitability_segment=suitability_segment,
        **results,
    )
    return plan.to_bytes(fmt, dpi=dpi)
