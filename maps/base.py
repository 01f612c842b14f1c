"""The map itself: a new map, its extent, the finishing touches, legends and polygon layers.

Every element points at the app's own copies of its scripts and stylesheets where they
are installed (``python -m maps.assets``); otherwise folium's CDN links stay. Polygon
tooltips are ``html.escape``-d before they enter the GeoJSON, because folium puts tooltip
values into ``innerHTML``; legends travel as JSON and become ``textContent``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import shapely

from geo.crs import to_working
from layers.i18n import Lang, t
from maps._frames import drawable, escaped_text
from maps.basemaps import NANCHANG_CENTRE, add_tiles, to_display
from maps.elements import FitCity, Labels, Legend, MapScript, Script, js_json, localise

__all__ = [
    "add_draw",
    "add_labels",
    "add_legend",
    "add_polygons",
    "external_links",
    "finish",
    "fit",
    "new_map",
]

_DISPLAY_GRID_DEG: Final = 1e-6
_COLOUR = re.compile(r"#[0-9A-Fa-f]{3,8}")


def new_map(
    *,
    basemap: str = "osm",
    lang: Lang = "zh",
    tianditu_key: str | None = None,
    location: tuple[float, float] = NANCHANG_CENTRE,
    zoom_start: int = 9,
) -> folium.Map:
    """Create an empty map of Nanchang with a basemap, canvas rendering and local assets.

    Parameters
    ----------
    basemap : {"osm", "amap", "tianditu", "none"}
        ``"tianditu"`` needs ``tianditu_key``; ``"none"`` draws no tiles (no internet needed).
    lang : {"zh", "en"}
        Language of the map's own notices.
    tianditu_key : str, optional
        The user's Tianditu key (from ``st.secrets`` or ``TIANDITU_KEY``).
    location : tuple of float
        Centre as (lat, lon).
    zoom_start : int
        Initial zoom.

    Returns
    -------
    folium.Map

    Raises
    ------
    ValueError
        For an unknown basemap, or Tianditu without a valid key.
    """
    # Canvas draws thousands of polygons, circles and circle markers as one element.
    fmap: folium.Map = localise(
        folium.Map(
            location=list(location),
            zoom_start=zoom_start,
            tiles=None,
            prefer_canvas=True,
            control_scale=True,
        )
    )
    # Marker clustering needs the map's maximum zoom, which without tiles nothing sets
    # (folium passes `max_zoom` only to its own tile layer).
    MapScript("MAP.setMaxZoom(18);").add_to(fmap)
    add_tiles(fmap, basemap, lang=lang, tianditu_key=tianditu_key)
    from maps import assets  # not at the top: see maps.elements.localise

    if assets.js_links() is not None:
        # Leaflet guesses its marker images' folder from its stylesheet's <link>, which the
        # component adds after the scripts run: tell it where they are.
        image_path = f"{assets.URL_PREFIX}/leaflet/dist/images/"
        Script(f"L.Icon.Default.imagePath = {js_json(image_path)};").add_to(fmap)
    return fmap


def fit(fmap: folium.Map, gdf: gpd.GeoDataFrame) -> folium.Map:
    """Open the map on the extent of ``gdf`` (e.g. the districts: the whole city).

    The extent is fitted beside the legends and the layer control (see
    :class:`maps.elements.FitCity`), so they never cover it when the map opens.
    """
    if drawable(gdf).any():
        lon0, lat0, lon1, lat1 = (float(v) for v in gdf[drawable(gdf)].total_bounds)
        FitCity((lon0, lat0, lon1, lat1)).add_to(fmap)
    return fmap


def add_labels(
    fmap: folium.Map,
    layers: Sequence[tuple[gpd.GeoDataFrame, pd.Series, str]],
    *,
    name: str,
    basemap: str = "osm",
) -> folium.FeatureGroup:
    """Add name labels as one layer the layer control can switch off.

    Parameters
    ----------
    fmap : folium.Map
    layers : sequence of (GeoDataFrame, Series, str)
        Polygons (WGS 84), their names (plain text, aligned with the frame) and the label
        style: ``"district"`` or ``"zone"``. Each name sits on a point inside its polygon.
        Earlier layers, and within a layer larger polygons, take precedence where labels
        would overlap (the others show at a closer zoom).
    name : str
        The layer's name in the layer control (plain text; escaped here).
    basemap : str
        Shifts the labels to GCJ-02 on ``"amap"``, as the polygons are.

    Returns
    -------
    folium.FeatureGroup
    """
    points: list[tuple[float, float, str, str]] = []
    for gdf, names, kind in layers:
        keep = drawable(gdf)
        if not keep.any():
            continue
        kept = gdf[keep]
        # Larger polygons first: their names win where labels would overlap.
        order = to_working(kept).area.sort_values(ascending=False, kind="stable").index
        shown = to_display(kept.loc[order], basemap)
        # A point guaranteed inside the polygon (a centroid may fall outside a crescent).
        inside = shown.geometry.representative_point()
        text = names.loc[shown.index].fillna("").astype(str)
        points.extend(
            (round(float(p.x), 6), round(float(p.y), 6), label, kind)
            for p, label in zip(inside, text, strict=True)
            if label.strip()
        )
    group = folium.FeatureGroup(name=html.escape(name), show=True)
    Labels(points).add_to(group)
    group.add_to(fmap)
    return group


def finish(fmap: folium.Map, *, lang: Lang) -> folium.Map:
    """Add the layer control and a notice shown when basemap tiles fail to load.

    Call once, after every layer.
    """
    notice = js_json(t("map.tiles_failed", lang))
    # Offline, only the tiles are missing: say so on the map itself, once.
    MapScript(
        "var shown = false;"
        "MAP.eachLayer(function(layer){ if (!(layer instanceof L.TileLayer)) return;"
        " layer.on('tileerror', function(){ if (shown) return; shown = true;"
        " var c = L.control({position: 'bottomleft'});"
        " c.onAdd = function(){ var d = L.DomUtil.create('div', 'nc-tiles-failed');"
        " d.style.cssText = 'background:#fff8e1;padding:4px 8px;border:1px solid #e0b000;"
        "border-radius:4px;font:12px sans-serif';"
        f" d.textContent = {notice}; return d; }};"
        " c.addTo(MAP); }); });"
    ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap


def external_links(fmap: folium.Map) -> list[str]:
    """List every script or stylesheet URL in the map tree that is not served by the app.

    Empty when the map works without internet (tiles aside).
    """
    found: list[str] = []
    stack: list[Any] = [fmap]
    while stack:
        element = stack.pop()
        if type(element).__module__.startswith("branca.colormap"):
            # streamlit-folium adds d3 from a CDN for any branca colormap.
            found.append("https://d3js.org (branca colormap)")
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            if "://" in url or url.startswith("//"):
                found.append(url)
        stack.extend(getattr(element, "_children", {}).values())
    return sorted(set(found))


def add_draw(fmap: folium.Map, *, polygon_only: bool = True) -> folium.plugins.Draw:
    """Add the drawing toolbar (zone editor) with local assets."""
    options = {"polyline": False, "circle": False, "circlemarker": False, "marker": False}
    draw = folium.plugins.Draw(  # type: ignore[no-untyped-call]
        export=False,
        draw_options=options if polygon_only else None,
        edit_options={"edit": True, "remove": True},
    )
    localise(draw).add_to(fmap)
    return draw


def add_legend(fmap: folium.Map, title: str, rows: Sequence[tuple[str, str, str]]) -> None:
    """Add a legend box: ``rows`` of ``(colour "#rrggbb", label, detail)`` (plain text).

    Raises
    ------
    ValueError
        If a colour is not a hex colour (it becomes a CSS value).
    """
    bad = [c for c, _, _ in rows if not _COLOUR.fullmatch(c)]
    if bad:
        msg = f"legend colours must be hex colours like '#1f77b4', got {bad[0]!r}"
        raise ValueError(msg)
    Legend(title, rows).add_to(fmap)


def add_polygons(
    fmap: folium.Map,
    gdf: gpd.GeoDataFrame,
    *,
    name: str,
    fields: Mapping[str, pd.Series | Sequence[Any]],
    basemap: str = "osm",
    colour: str | Sequence[str] = "#444444",
    weight: float = 1.5,
    fill_opacity: float = 0.1,
    dashed: Sequence[bool] | None = None,
    show: bool = True,
) -> folium.GeoJson:
    """Add polygons (or lines, or points as markers) with a hover tooltip as one layer.

    Parameters
    ----------
    fmap : folium.Map
    gdf : geopandas.GeoDataFrame
        WGS 84 polygons; rows with no geometry are skipped.
    name : str
        Layer name in the layer control (plain text; escaped here).
    fields : mapping of str to Series or sequence
        Tooltip rows: label -> one value per row of ``gdf`` (plain text; escaped here).
    basemap : str
        Shifts the display to GCJ-02 on ``"amap"``.
    colour : str or sequence of str
        One stroke/fill colour, or one per row.
    weight, fill_opacity : float
        Stroke width in pixels and fill opacity.
    dashed : sequence of bool, optional
        Per row: draw a dashed outline (used for approximate boundaries).
    show : bool
        Whether the layer is on when the map opens.

    Returns
    -------
    folium.GeoJson
    """
    n = len(gdf)
    keep = drawable(gdf)
    colours = [colour] * n if isinstance(colour, str) else list(colour)
    dashes = [False] * n if dashed is None else [bool(d) for d in dashed]
    if len(colours) != n or len(dashes) != n:
        msg = f"`colour` and `dashed` need one value per row of `gdf` ({n})"
        raise ValueError(msg)
    labels = list(fields)
    props = pd.DataFrame(index=gdf.index)
    for i, label in enumerate(labels):
        values = fields[label]
        series = values if isinstance(values, pd.Series) else pd.Series(list(values))
        if len(series) != n:
            msg = f"tooltip field {label!r} has {len(series)} values for {n} rows"
            raise ValueError(msg)
        props[f"f{i}"] = escaped_text(series.set_axis(gdf.index))
    props["_colour"] = colours
    props["_dash"] = dashes
    geometry = to_display(gdf, basemap).geometry
    # Display only: 1e-6 degrees (~0.1 m) is far below a screen pixel and halves the JSON
    # the browser receives; "pointwise" rounds vertices without rebuilding topology.
    rounded = shapely.set_precision(geometry.to_numpy(), _DISPLAY_GRID_DEG, mode="pointwise")
    shown = gpd.GeoDataFrame(props, geometry=list(rounded), crs=gdf.crs)
    shown = shown[keep]
    data = json.loads(shown.to_json(drop_id=True))

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        p = feature["properties"]
        return {
            "color": p["_colour"],
            "fillColor": p["_colour"],
            "weight": weight,
            "fillOpacity": fill_opacity,
            "dashArray": "6 4" if p["_dash"] else None,
        }

    tooltip = (
        folium.GeoJsonTooltip(
            fields=[f"f{i}" for i in range(len(labels))],
            aliases=[html.escape(label) for label in labels],
            sticky=True,
            # Leaflet's "auto" puts the tooltip on the side of the pointer facing the map's
            # centre, so near the east edge it opens westward instead of being cut off.
            direction="auto",
            style="max-width:320px;white-space:normal;",
        )
        if labels and len(shown)
        else None
    )
    layer = folium.GeoJson(
        data,
        name=html.escape(name),
        style_function=style,
        tooltip=tooltip,
        show=show,
        smooth_factor=1.0,
    )
    layer.add_to(fmap)
    return layer
