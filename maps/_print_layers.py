"""Painters of the plan map's data layers, on matplotlib axes in EPSG:4548 metres.

Each painter draws one layer and returns its legend entries ``[(handle, label), ...]``;
colours are the screen map's (:mod:`maps.styles`), so a family or an area has one colour
on screen and on paper. :func:`extent_shape` and :func:`analysis_layers` say what a map
shows: the place it is about, and the analysis results it draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from pyproj import Transformer

from geo.crs import WGS84, WORKING, to_working
from layers.i18n import Lang, local_names, t
from maps._frames import drawable
from maps._print_furniture import require
from maps.styles import (
    RAMP,
    STAGE_COLOURS,
    UNKNOWN_COLOUR,
    area_colours,
    family_colours,
    ramp_colour,
)

if TYPE_CHECKING:
    from layers.project import Project

__all__ = [
    "Entry",
    "analysis_layers",
    "draw_areas",
    "draw_clusters",
    "draw_districts",
    "draw_enterprises",
    "draw_gaps",
    "draw_sites",
    "draw_suitability",
    "draw_zones",
    "extent_shape",
    "label_polygons",
    "mute_outside",
]

Entry = tuple[Artist, str]
ZONE_COLOUR: Final = "#6a3d9a"  # the screen map's zone outline
DISTRICT_COLOUR: Final = "#444444"
LAND: Final = "#f6f4ee"  # a light land tone: the city reads against the white page
SCORE_MAX: Final = 100.0  # suitability scores are in [0, 100]
MUTED: Final = "#bdbdbd"  # agglomeration areas other than the one a map is about
MUTED_EDGE: Final = "#8c8c8c"
MUTED_TEXT: Final = "#8a8a8a"
# The halo is a second, stroke-only copy under the text: a text drawn with a stroke path
# effect becomes outlines in the PDF, and planners search and copy a map's names.
_HALO: Final = [patheffects.Stroke(linewidth=2.2, foreground="white")]


def _halo_label(ax: Axes, value: str, xy: tuple[float, float], **style: Any) -> tuple[Text, Text]:
    """Draw a label as real text over a white halo; return (text, halo)."""
    halo = ax.annotate(value, xy, path_effects=_HALO, **style)
    style["zorder"] = style.get("zorder", 8) + 0.1
    return ax.annotate(value, xy, **style), halo


def _working(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    shown = gdf[drawable(gdf)] if len(gdf) else gdf
    return shown if shown.crs is not None and shown.crs == WORKING else to_working(shown)


def draw_districts(ax: Axes, districts: gpd.GeoDataFrame, *, lang: Lang) -> list[Entry]:
    """District outlines over a light land fill."""
    shown = _working(districts)
    shown.plot(ax=ax, facecolor=LAND, edgecolor="none", zorder=0)
    shown.boundary.plot(ax=ax, color=DISTRICT_COLOUR, linewidth=0.9, linestyle="-.", zorder=4)
    line = Line2D([], [], color=DISTRICT_COLOUR, linewidth=0.9, linestyle="-.")
    return [(line, t("print.legend.district", lang))]


def draw_areas(
    ax: Axes, areas: gpd.GeoDataFrame, *, lang: Lang, focus: str | None = None
) -> list[Entry]:
    """Agglomeration areas in their screen colours, translucent, with a solid edge.

    With ``focus`` (an area key) the map is that area's plan: it keeps its colour and a
    heavier edge, its legend entry says so, and the other areas turn grey under one entry.
    """
    shown = _working(areas)
    colours = area_colours(shown.index)
    names = local_names(shown, lang)
    if focus is None or focus not in shown.index:
        shown.plot(ax=ax, color=colours, alpha=0.16, edgecolor="none", zorder=1)
        shown.boundary.plot(ax=ax, color=colours, linewidth=1.6, zorder=3)
        return [
            (Patch(facecolor=c, edgecolor=c, alpha=0.35, linewidth=1.6), str(n))
            for c, n in zip(colours, names, strict=True)
        ]
    chosen = shown.index == focus
    colour = colours[int(np.flatnonzero(chosen)[0])]
    entries: list[Entry] = []
    others = shown[~chosen]
    if len(others):
        others.plot(ax=ax, color=MUTED, alpha=0.35, edgecolor="none", zorder=1)
        others.boundary.plot(ax=ax, color=MUTED_EDGE, linewidth=0.9, zorder=3)
    part = shown[chosen]
    part.plot(ax=ax, color=colour, alpha=0.22, edgecolor="none", zorder=1)
    # Above the mask (zorder 7.5) that greys everything outside the chosen place.
    part.boundary.plot(ax=ax, color=colour, linewidth=2.4, zorder=7.6)
    name = str(names[focus])
    entries.append(
        (
            Patch(facecolor=colour, edgecolor=colour, alpha=0.45, linewidth=2.4),
            t("print.legend.area_focus", lang, area=name),
        )
    )
    if len(others):
        entries.append(
            (
                Patch(facecolor=MUTED, edgecolor=MUTED_EDGE, alpha=0.6, linewidth=0.9),
                t("print.legend.area_other", lang),
            )
        )
    return entries


def mute_outside(ax: Axes, shape: Any, extent: tuple[float, float, float, float]) -> None:
    """Grey out the frame outside ``shape`` (EPSG:4548): the chosen place reads first.

    Drawn above the data layers and the enterprises (zorder 7.5), below the names (8) and
    compared sites (9), so what lies outside is still visible but clearly not the subject.
    """
    outside = shapely.difference(shapely.box(*extent), shape)
    if outside.is_empty:
        return
    gpd.GeoSeries([outside], crs=WORKING).plot(
        ax=ax, facecolor="white", alpha=0.6, edgecolor="none", zorder=7.5
    )


def draw_zones(ax: Axes, zones: gpd.GeoDataFrame, *, lang: Lang) -> tuple[list[Entry], bool]:
    """Development zones; approximate outlines dashed and hatched (returned flag: any)."""
    shown = _working(zones)
    source = shown.get("boundary_source", pd.Series("", index=shown.index)).astype(str)
    approx = (source == "approximate").to_numpy()
    entries: list[Entry] = []
    if approx.any():
        part = shown[approx]
        part.plot(
            ax=ax,
            facecolor="none",
            edgecolor=ZONE_COLOUR,
            hatch="////",
            linewidth=0,
            alpha=0.45,
            zorder=2,
        )
        part.boundary.plot(ax=ax, color=ZONE_COLOUR, linewidth=1.3, linestyle="--", zorder=5)
        handle = Patch(facecolor="none", edgecolor=ZONE_COLOUR, hatch="////", linestyle="--")
        entries.append((handle, t("print.legend.zone_approx", lang)))
    if (~approx).any():
        shown[~approx].boundary.plot(ax=ax, color=ZONE_COLOUR, linewidth=1.3, zorder=5)
        entries.append(
            (Patch(facecolor="none", edgecolor=ZONE_COLOUR), t("print.legend.zone", lang))
        )
    return entries, bool(approx.any())


def _xy(frame: pd.DataFrame) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """EPSG:4548 x, y of points: a GeoDataFrame's geometry, else ``lon``/``lat`` (WGS 84)."""
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame:
        pts = frame.to_crs(WORKING).geometry.to_numpy()
        return np.asarray(shapely.get_x(pts)), np.asarray(shapely.get_y(pts))
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(float)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(float)
    x, y = Transformer.from_crs(WGS84, WORKING, always_xy=True).transform(lon, lat)
    return np.asarray(x), np.asarray(y)


def draw_enterprises(
    ax: Axes,
    firms: gpd.GeoDataFrame,
    *,
    chain: pd.DataFrame,
    lang: Lang,
    size: float,
) -> tuple[list[Entry], int, int]:
    """Enterprises as dots in their family's colour; synthetic ones paler and smaller.

    Returns the legend entries (families present, in the chain's order), the number of
    firms without a drawable position and the number of synthetic firms drawn.
    """
    ok = drawable(firms) if len(firms) else np.zeros(0, bool)
    shown = firms[ok]
    x, y = _xy(shown)
    colours = np.asarray(family_colours(shown.get("segment", pd.Series(dtype=str)), chain))
    synthetic = shown.get("synthetic", pd.Series(False, index=shown.index))
    fake = synthetic.fillna(False).astype(bool).to_numpy()
    if fake.any():
        ax.scatter(
            x[fake],
            y[fake],
            s=size * 0.6,
            c=colours[fake],
            alpha=0.55,
            linewidths=0,
            zorder=6,
            rasterized=False,
        )
    if (~fake).any():
        ax.scatter(
            x[~fake],
            y[~fake],
            s=size,
            c=colours[~fake],
            edgecolors="#222222",
            linewidths=0.4,
            zorder=7,
        )
    present = set(colours.tolist())
    entries: list[Entry] = []
    for stage, colour in STAGE_COLOURS.items():
        if colour in present:
            family = t(f"stage.{stage}", lang)
            marker = Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=5,
                markerfacecolor=colour,
                markeredgecolor="#222222",
                markeredgewidth=0.4,
            )
            entries.append((marker, t("print.legend.firms", lang, family=family)))
    if UNKNOWN_COLOUR in present:
        marker = Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=5,
            markerfacecolor=UNKNOWN_COLOUR,
            markeredgecolor="#222222",
        )
        entries.append((marker, t("print.legend.firms", lang, family=t("stage.unknown", lang))))
    if fake.any():
        marker = Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=4,
            markerfacecolor="#999999",
            alpha=0.55,
            markeredgewidth=0,
        )
        entries.append((marker, t("print.legend.synthetic", lang)))
    return entries, int((~ok).sum()), int(fake.sum())


def draw_clusters(
    ax: Axes, clusters: gpd.GeoDataFrame, *, chain: pd.DataFrame, lang: Lang
) -> list[Entry]:
    """Cluster outlines in their dominant family's colour."""
    shown = _working(clusters)
    if not len(shown):
        return []
    dominant = shown.get("dominant_segment", pd.Series("", index=shown.index))
    shown.boundary.plot(
        ax=ax, color=family_colours(dominant, chain), linewidth=1.4, linestyle=":", zorder=5
    )
    line = Line2D([], [], color="#333333", linewidth=1.4, linestyle=":")
    return [(line, t("print.legend.cluster", lang))]


def draw_gaps(ax: Axes, gaps: gpd.GeoDataFrame, *, lang: Lang) -> list[Entry]:
    """Spatial gaps dotted in their area's colour."""
    shown = _working(gaps)
    if not len(shown):
        return []
    shown.plot(
        ax=ax,
        facecolor="none",
        edgecolor=area_colours(shown.index),
        hatch="..",
        linewidth=0,
        zorder=2,
    )
    return [(Patch(facecolor="none", edgecolor="#555555", hatch=".."), t("print.legend.gap", lang))]


def draw_suitability(
    ax: Axes, surface: gpd.GeoDataFrame, *, segment_name: str, lang: Lang
) -> list[Entry]:
    """Suitability cells on the screen map's sequential ramp.

    Scores are ``zoning.suitability_grid``'s, in [0, 100], coloured as on screen
    (:func:`maps.styles.ramp_colour` of score / 100).
    """
    shown = _working(surface)
    if not len(shown):
        return []
    score = pd.to_numeric(shown.get("score"), errors="coerce").to_numpy(float)
    colours = ramp_colour(score / SCORE_MAX)
    shown.plot(ax=ax, color=colours, alpha=0.75, edgecolor="none", zorder=1)
    return [
        (Patch(facecolor=RAMP[0]), t("print.legend.suit_low", lang, segment=segment_name)),
        (Patch(facecolor=RAMP[-1]), t("print.legend.suit_high", lang, segment=segment_name)),
    ]


def draw_sites(
    ax: Axes, sites: pd.DataFrame, *, size: float, fontsize: float, lang: Lang
) -> list[Entry]:
    """Draw compared sites as stars, each named."""
    x, y = _xy(sites)
    ax.scatter(
        x, y, marker="*", s=size * 12, c="#d7191c", edgecolors="black", linewidths=0.6, zorder=9
    )
    for xi, yi, name in zip(x, y, sites["name"].astype(str), strict=True):
        _halo_label(
            ax,
            name,
            (xi, yi),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize=fontsize,
            zorder=9,
            clip_on=True,
        )
    star = Line2D(
        [],
        [],
        linestyle="none",
        marker="*",
        markersize=9,
        markerfacecolor="#d7191c",
        markeredgecolor="black",
        markeredgewidth=0.6,
    )
    return [(star, t("print.legend.site", lang))]


def _wrapped(name: str, lang: Lang) -> str:
    """Break a long English name onto two lines (Chinese names are short enough)."""
    if lang == "zh" or len(name) <= 22:
        return name
    words = name.split()
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(name) / 2))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def label_polygons(
    ax: Axes,
    layer: gpd.GeoDataFrame,
    *,
    lang: Lang,
    fontsize: float,
    colour: str,
    weight: str = "normal",
    avoid: Sequence[Text] = (),
    focus: Any = None,
) -> list[Text]:
    """Name each polygon inside the map frame at its largest visible part's inner point.

    A label that would overlap one already placed (``avoid`` and the earlier ones) is
    moved above or below its anchor or set smaller; it is dropped if it would still overlap,
    leave its own polygon (and so name the neighbour) or cross the map frame. With
    ``focus`` (a shape in EPSG:4548) names anchored outside it are set in grey, as the
    land around them is.
    """
    shown = _working(layer)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    frame = shapely.box(x0, y0, x1, y1)
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    placed: list[Text] = list(avoid)
    out: list[Text] = []
    for geom, name in zip(shown.geometry, local_names(shown, lang), strict=True):
        visible = shapely.intersection(geom, frame)
        if visible.is_empty or not str(name).strip():
            continue
        parts = getattr(visible, "geoms", [visible])
        largest = max(parts, key=lambda g: g.area)
        point = largest.representative_point()
        label_text = _wrapped(str(name), lang)
        shade = colour if focus is None or focus.contains(point) else MUTED_TEXT
        label = None
        # Try the inner point, then above and below it, then smaller type; a label whose
        # centre would leave its own polygon is never used (it would name the neighbour).
        for dy, scale in ((0.0, 1.0), (1.3, 1.0), (-1.3, 1.0), (0.0, 0.8)):
            label, halo = _halo_label(
                ax,
                label_text,
                (point.x, point.y),
                xytext=(0, dy * fontsize),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=fontsize * scale,
                color=shade,
                fontweight=weight,
                zorder=8,
                clip_on=True,
                multialignment="center",
                linespacing=1.1,
            )
            box = label.get_window_extent(renderer)
            centre = ax.transData.inverted().transform(
                (box.x0 + box.width / 2, box.y0 + box.height / 2)
            )
            frame_px = ax.get_window_extent(renderer)
            inside = (
                largest.contains(shapely.Point(centre))
                and frame_px.x0 <= box.x0
                and box.x1 <= frame_px.x1
                and frame_px.y0 <= box.y0
                and box.y1 <= frame_px.y1
            )
            if inside and not any(box.overlaps(o.get_window_extent(renderer)) for o in placed):
                break
            label.remove()
            halo.remove()
            label = None
        if label is not None:
            placed.append(label)
            out.append(label)
    return out


def extent_shape(project: Project, area: str | None) -> Any:
    """Return the shape the map must show (an area, a zone or the city), in EPSG:4548."""
    if area is None:
        return shapely.union_all(to_working(project.districts).geometry.to_numpy())
    if area in project.areas.index:
        return to_working(project.areas.loc[[area]]).geometry.iloc[0]
    zones = project.zones
    hit = zones[zones["zone_id"].astype(str) == area]
    choices = [*map(str, project.areas.index), *map(str, zones["zone_id"])]
    require(len(hit) > 0, "print.error.area", value=area, choices=", ".join(choices))
    return to_working(hit).geometry.iloc[0]


def analysis_layers(
    project: Project,
    firms: gpd.GeoDataFrame,
    layers: tuple[str, ...],
    *,
    clusters: gpd.GeoDataFrame | None,
    gaps: gpd.GeoDataFrame | None,
    suitability: gpd.GeoDataFrame | None,
    segment: str | None,
    extent: tuple[float, float, float, float],
) -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None, gpd.GeoDataFrame | None]:
    """Compute the analysis layers asked for where not given (drawing sits above zoning)."""
    import zoning

    if clusters is None and "clusters" in layers:
        clusters = zoning.clusters(
            firms, areas=project.areas, rules=project.rules, chain=project.chain
        ).summary
    if gaps is None and "gaps" in layers:
        gaps = zoning.spatial_gaps(firms, areas=project.areas, rules=project.rules)
    if suitability is None and segment and "suitability" in layers:
        box = gpd.GeoDataFrame(geometry=[shapely.box(*extent)], crs=WORKING).to_crs("EPSG:4326")
        width_km = (extent[2] - extent[0]) / 1000
        suitability = zoning.suitability_grid(
            segment,
            cell_m=max(250.0, round(width_km * 10 / 50) * 50),  # ~100 cells across
            extent=box,
            enterprises=firms,
            areas=project.areas,
            rules=project.rules,
            chain=project.chain,
        )
    return clusters, gaps, suitability
