"""Painters for the analysis' results: clusters, gaps, a suitability surface, a site.

``zoning`` computes; these functions only draw what it returns (drawing sits above the
analysis). Tooltip texts are escaped in :func:`maps.add_polygons`; the highlight's label
travels as JSON and becomes ``textContent``.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.i18n import Lang, local_names, t
from maps._frames import rounded, segment_names
from maps.base import add_legend, add_polygons
from maps.basemaps import to_display
from maps.elements import MapScript, js_json
from maps.styles import RAMP, area_colours, family_colours, ramp_colour

__all__ = [
    "add_candidates",
    "add_clusters",
    "add_gaps",
    "add_highlight",
    "add_site",
    "add_surface",
]


def add_clusters(
    fmap: folium.Map,
    clusters: gpd.GeoDataFrame,
    *,
    lang: Lang,
    chain: pd.DataFrame | None = None,
    basemap: str = "osm",
) -> folium.GeoJson:
    """Add cluster outlines (``zoning.clusters(...).clusters``), coloured by dominant family."""
    dominant = clusters.get("dominant_segment", pd.Series("", index=clusters.index))
    names = segment_names(chain, lang)
    share = pd.to_numeric(clusters.get("share_in_planned_area"), errors="coerce")
    return add_polygons(
        fmap,
        clusters,
        name=t("layer.clusters", lang),
        fields={
            t("field.dominant", lang): dominant.astype(str).map(lambda s: names.get(s, s)),
            t("field.members", lang): clusters.get(
                "n_members", pd.Series("", index=clusters.index)
            ),
            t("field.in_area", lang): share.map(lambda v: "" if pd.isna(v) else f"{v:.0%}"),
            t("field.area_km2", lang): rounded(clusters.get("area_km2"), clusters.index),
        },
        basemap=basemap,
        colour=family_colours(dominant, chain),
        weight=3.0,
        fill_opacity=0.05,
    )


def add_gaps(
    fmap: folium.Map,
    gaps: gpd.GeoDataFrame,
    *,
    lang: Lang,
    areas: gpd.GeoDataFrame | None = None,
    basemap: str = "osm",
) -> folium.GeoJson:
    """Add spatial gaps (``zoning.spatial_gaps``, indexed by area key) in their area's colour."""
    names = (
        local_names(areas, lang).reindex(gaps.index).fillna("")
        if areas is not None
        else pd.Series([str(k) for k in gaps.index], index=gaps.index)
    )
    share = pd.to_numeric(gaps.get("gap_share"), errors="coerce")
    return add_polygons(
        fmap,
        gaps,
        name=t("layer.gaps", lang),
        fields={
            t("field.name", lang): names,
            t("field.gap_km2", lang): rounded(gaps.get("gap_km2"), gaps.index),
            t("field.gap_share", lang): share.map(lambda v: "" if pd.isna(v) else f"{v:.0%}"),
        },
        basemap=basemap,
        colour=area_colours(gaps.index),
        weight=1.0,
        fill_opacity=0.35,
        dashed=[True] * len(gaps),
    )


def add_surface(
    fmap: folium.Map,
    grid: gpd.GeoDataFrame,
    *,
    column: str = "score",
    vmax: float = 1.0,
    name: str,
    lang: Lang,
    basemap: str = "osm",
    show: bool = True,
) -> folium.GeoJson:
    """Add a grid of cells coloured by ``column`` (values in [0, vmax]), e.g. suitability.

    ``zoning.suitability_grid`` scores are in [0, 100]: pass ``vmax=100``.
    """
    if not vmax > 0:
        msg = f"`vmax` must be positive, got {vmax!r}"
        raise ValueError(msg)
    values = pd.to_numeric(grid[column], errors="coerce") / vmax
    layer = add_polygons(
        fmap,
        grid,
        name=name,
        fields={
            t("field.score", lang): (values * vmax).map(lambda v: "" if pd.isna(v) else f"{v:.3g}")
        },
        basemap=basemap,
        colour=ramp_colour(values),
        weight=0.0,
        fill_opacity=0.55,
        show=show,
    )
    steps = len(RAMP)
    add_legend(
        fmap,
        t("legend.suitability", lang, vmax=f"{vmax:g}"),
        [
            # The classes on the scale the layer draws (scores, not 0-1 fractions).
            (c, f"{i * vmax / steps:.3g} – {(i + 1) * vmax / steps:.3g}", "")
            for i, c in enumerate(RAMP)
        ],
    )
    return layer


def add_site(
    fmap: folium.Map,
    lon: float,
    lat: float,
    *,
    lang: Lang,
    links: pd.DataFrame | None = None,
    chain: pd.DataFrame | None = None,
    basemap: str = "osm",
) -> None:
    """Add a candidate site (WGS 84) and lines to its nearest suppliers and customers.

    Parameters
    ----------
    fmap : folium.Map
    lon, lat : float
        The site in WGS 84.
    lang : {"zh", "en"}
    links : pandas.DataFrame, optional
        Rows with ``segment``, ``name_zh``, ``name_en``, ``distance_m``, ``lon``, ``lat``
        and ``role`` (``"supplier"`` or ``"customer"``), e.g. ``SiteScore.suppliers`` and
        ``.customers`` stacked; rows without coordinates are skipped.
    chain : pandas.DataFrame, optional
        For segment names.
    basemap : str
        Shifts the display to GCJ-02 on ``"amap"``.
    """
    if links is not None and len(links):
        ok = links[np.isfinite(pd.to_numeric(links["lon"], errors="coerce"))].reset_index()
        lines = gpd.GeoDataFrame(
            ok,
            geometry=shapely.linestrings(
                np.stack(
                    [
                        np.column_stack([np.full(len(ok), lon), ok["lon"].astype(float)]),
                        np.column_stack([np.full(len(ok), lat), ok["lat"].astype(float)]),
                    ],
                    axis=-1,
                )
            ),
            crs="EPSG:4326",
        )
        names = segment_names(chain, lang)
        role = ok["role"].astype(str)
        add_polygons(
            fmap,
            lines,
            name=t("site.links", lang),
            fields={
                t("field.segment", lang): ok["segment"].astype(str).map(lambda k: names.get(k, k)),
                t("field.name", lang): local_names(ok, lang),
                t("site.distance_km", lang): (pd.to_numeric(ok["distance_m"]) / 1000).round(1),
                t("field.role", lang): role.map(
                    lambda r: t(f"site.{r}", lang) if r in ("supplier", "customer") else r
                ),
            },
            basemap=basemap,
            colour=["#0072B2" if r == "supplier" else "#D55E00" for r in role],
            weight=2.0,
            dashed=[True] * len(ok),
        )
    site = gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat)], crs="EPSG:4326")
    add_polygons(
        fmap,
        site,
        name=t("site.marker", lang),
        fields={t("site.marker", lang): [f"{lon:.5f}, {lat:.5f}"]},
        basemap=basemap,
    )


def add_candidates(
    fmap: folium.Map,
    sites: pd.DataFrame,
    *,
    lang: Lang,
    basemap: str = "osm",
) -> folium.GeoJson:
    """Add candidate sites being compared: ``lon``, ``lat`` (WGS 84), ``label``, ``score``.

    Each is a marker whose tooltip shows its label and score (plain text, escaped here).
    """
    points = gpd.GeoDataFrame(
        sites.reset_index(drop=True),
        geometry=shapely.points(
            pd.to_numeric(sites["lon"]).to_numpy(float), pd.to_numeric(sites["lat"]).to_numpy(float)
        ),
        crs="EPSG:4326",
    )
    score = pd.to_numeric(points.get("score"), errors="coerce")
    layer = add_polygons(
        fmap,
        points,
        name=t("site.compare_layer", lang),
        fields={
            t("site.compare_label", lang): points["label"].astype(str),
            t("site.score", lang): score.map(lambda v: "" if pd.isna(v) else f"{v:.0f}"),
        },
        basemap=basemap,
    )
    # Each pin carries its site's name, always shown: the comparison table names sites,
    # so the map must too. Names are user text: they travel as JSON into textContent.
    shown = to_display(points, basemap).geometry
    labels = [
        [round(float(p.y), 6), round(float(p.x), 6), name]
        for p, name in zip(shown, points["label"].astype(str), strict=True)
    ]
    MapScript(
        f"{js_json(labels)}.forEach(function(s) {{"
        " var d = document.createElement('div'); d.textContent = s[2];"
        " L.tooltip({permanent: true, direction: 'right', offset: [8, 0],"
        " className: 'nc-site-label'}).setLatLng([s[0], s[1]]).setContent(d).addTo(MAP);"
        " });"
    ).add_to(fmap)
    return layer


def add_highlight(
    fmap: folium.Map,
    lon: float,
    lat: float,
    *,
    label: str,
    basemap: str = "osm",
) -> None:
    """Add a ring around one selected point (WGS 84), with ``label`` as its tooltip.

    ``label`` is plain text, e.g. the selected enterprise's name. It travels as JSON and
    becomes the tooltip's ``textContent`` (folium's own tooltip would put it inside a JS
    template literal, where a backtick or ``${`` in a name would run as code).
    """
    point = to_display(
        gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat)], crs="EPSG:4326"), basemap
    ).geometry.iloc[0]
    where = js_json([round(float(point.y), 6), round(float(point.x), 6)])
    MapScript(
        f"var ring = L.circleMarker({where}, "
        "{radius: 16, color: '#e41a1c', weight: 4, fill: false}).addTo(MAP);"
        " var text = document.createElement('div');"
        f" text.textContent = {js_json(label)};"
        " ring.bindTooltip(text);"
    ).add_to(fmap)
