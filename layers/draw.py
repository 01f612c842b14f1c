"""How each layer is drawn: folium maps, layers, legends and popups built from GeoDataFrames.

This is the only module of the project that imports folium (``import layers`` does not load
it). Every text that comes from data becomes HTML or JavaScript in exactly two ways, both
safe against markup and script injection:

- polygon tooltips: the values are ``html.escape``-d before they enter the GeoJSON (folium
  puts tooltip values into ``innerHTML``);
- enterprises, legends and notices: the data travel as JSON (:func:`js_json`, which also
  escapes ``<``, ``>``, ``&``, quotes and U+2028/2029, so the JSON cannot end a ``<script>``,
  open a template string or be mangled by streamlit-folium's rewriting) and the browser
  puts them into the page with ``textContent`` only.

Where the map's scripts and stylesheets are installed (``python -m layers.assets``), every
element of the map points at the app's own copies; otherwise folium's CDN links stay.
Geometries are WGS 84; on the Amap basemap every overlay is shifted to GCJ-02 for display
only (:func:`to_display`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
import shapely.geometry
from branca.element import Figure, MacroElement
from folium.template import Template

from geo.crs import WORKING, convert_geometry
from layers import assets
from layers.i18n import Lang, t

__all__ = [
    "AREA_COLOURS",
    "BASEMAPS",
    "NANCHANG_CENTRE",
    "STAGE_COLOURS",
    "add_areas",
    "add_candidates",
    "add_clusters",
    "add_districts",
    "add_draw",
    "add_enterprises",
    "add_gaps",
    "add_highlight",
    "add_legend",
    "add_polygons",
    "add_site",
    "add_surface",
    "add_zones",
    "clicked_row",
    "display_system",
    "drawn_shapes",
    "enterprise_legend",
    "external_links",
    "finish",
    "fit",
    "js_json",
    "new_map",
    "standalone_html",
    "to_display",
    "valid_tianditu_key",
]

BASEMAPS: Final = ("osm", "amap", "tianditu", "none")
NANCHANG_CENTRE: Final = (28.68, 115.89)  # (lat, lon): Leaflet's order

# Segment families (the chain's stages), colour-blind-safe Okabe-Ito hues.
STAGE_COLOURS: Final[dict[str, str]] = {
    "materials": "#0072B2",
    "cells": "#D55E00",
    "control": "#009E73",
    "integration": "#CC79A7",
    "equipment": "#56B4E9",
    "downstream": "#E69F00",
}
UNKNOWN_COLOUR: Final = "#777777"
AREA_COLOURS: Final[dict[str, str]] = {
    "battery": "#D55E00",
    "materials": "#0072B2",
    "control": "#009E73",
}
_EXTRA_AREA_COLOURS: Final = ("#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
# Precision circles are drawn only where a location is known to the park (>= 1 km); finer
# locations would only add clutter under their marker.
PRECISION_CIRCLE_MIN_M: Final = 1000.0
_DISPLAY_GRID_DEG: Final = 1e-6
# Green (low) to dark red (high) would read as "bad"; a sequential yellow-green-blue ramp
# (ColorBrewer YlGnBu) reads as "more" in both directions of colour vision.
_RAMP: Final = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")

_TILES: Final[dict[str, tuple[str, str, str]]] = {
    # name: (url template, subdomains, attribution)
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "abc",
        "&copy; OpenStreetMap contributors",
    ),
    "amap": (
        (
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
            "&x={x}&y={y}&z={z}"
        ),
        "1234",
        "&copy; 高德地图 AutoNavi",
    ),
}
_TIANDITU: Final = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}"
    "&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
_TIANDITU_KEY = re.compile(r"[A-Za-z0-9]{16,64}")

# Characters that must not appear raw in JSON placed inside <script> or a JS template:
# "<" ">" "&" could end the script element or start markup, "'" and "`" and "$" could end or
# open string/template literals in generated code, "{" would let streamlit-folium's
# `{{'name'}}` rewriting touch the data, U+2028/2029 end lines in older JS engines.
_JSON_ESCAPES: Final = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "`": "\\u0060",
    "$": "\\u0024",
    "{": "\\u007b",
    "}": "\\u007d",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE: Final = re.compile("|".join(re.escape(c) for c in _JSON_ESCAPES))


def js_json(value: Any) -> str:
    r"""Serialise ``value`` as JSON that is safe to embed in a ``<script>`` and in JS code.

    Parameters
    ----------
    value : Any
        JSON-serialisable data (NaN is not allowed: pass None).

    Returns
    -------
    str
        JSON text with no raw ``< > & ' ` $ { }`` and no U+2028/2029 outside escapes.

    Examples
    --------
    >>> js_json(["</script>"])
    '["\\u003c/script\\u003e"]'
    """
    # Braces are only escaped inside strings: structural braces are JSON syntax. json.dumps
    # emits structural characters only outside strings, so escape within string tokens.
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return _STRING_TOKEN.sub(lambda m: _JSON_ESCAPE_RE.sub(_escape_char, m.group(0)), text)


_STRING_TOKEN: Final = re.compile(r'"(?:[^"\\]|\\.)*"')


def _escape_char(match: re.Match[str]) -> str:
    return _JSON_ESCAPES[match.group(0)]


def valid_tianditu_key(key: str | None) -> bool:
    """Tell whether ``key`` looks like a Tianditu browser key (16-64 letters and digits).

    The key goes into a tile URL: anything else is refused rather than escaped.
    """
    return key is not None and _TIANDITU_KEY.fullmatch(key) is not None


def display_system(basemap: str) -> str:
    """Return the coordinate system overlays must be drawn in on ``basemap``."""
    return "gcj02" if basemap == "amap" else "wgs84"


def to_display(gdf: gpd.GeoDataFrame, basemap: str) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` in the coordinates the basemap's streets are drawn in.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        WGS 84 (EPSG:4326) geometries; None geometries are kept.
    basemap : str
        One of :data:`BASEMAPS`. Only ``"amap"`` changes anything: its tiles are GCJ-02,
        about 600 m off WGS 84 in Nanchang, so overlays are shifted for display only.

    Returns
    -------
    geopandas.GeoDataFrame
        Same index and columns; the input is not modified.
    """
    out = gdf.copy()
    if display_system(basemap) == "gcj02" and len(out):
        shifted = convert_geometry(out.geometry.to_numpy(), src="wgs84", dst="gcj02")
        out = out.set_geometry(gpd.GeoSeries(shifted, index=out.index, crs=out.crs))
    return out


# --- map and assets ------------------------------------------------------------------


def _localise(element: Any) -> Any:
    """Point ``element``'s scripts and stylesheets at the app's own copies, where installed.

    New lists are assigned to the instance: folium's class lists are shared by every map.
    """
    js = dict(assets.js_links() or [])
    css = dict(assets.css_links() or [])
    element.default_js = [(n, js.get(n, url)) for n, url in type(element).default_js]
    element.default_css = [(n, css.get(n, url)) for n, url in type(element).default_css]
    return element


class _Script(MacroElement):
    """A snippet of JavaScript run in the map's own script (header scripts never run)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Script"
        self.code = code


class _MapScript(MacroElement):
    """JavaScript that needs the map variable: ``MAP`` in ``code`` is replaced by its name."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(MAP){ {{ this.code }} })({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, code: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MapScript"
        self.code = code


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
    if basemap not in BASEMAPS:
        msg = f"`basemap` must be one of {BASEMAPS}, got {basemap!r}"
        raise ValueError(msg)
    if basemap == "tianditu" and not valid_tianditu_key(tianditu_key):
        msg = "the Tianditu basemap needs a key of 16-64 letters and digits (`tianditu_key`)"
        raise ValueError(msg)
    # Canvas draws thousands of polygons, circles and circle markers as one element.
    fmap: folium.Map = _localise(
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
    _MapScript("MAP.setMaxZoom(18);").add_to(fmap)
    if basemap in _TILES:
        url, subdomains, attribution = _TILES[basemap]
        folium.TileLayer(
            url,
            attr=attribution,
            name=t(f"basemap.{basemap}", lang),
            subdomains=subdomains,
            max_zoom=18,
        ).add_to(fmap)
    elif basemap == "tianditu":
        for layer, overlay in (("vec", False), ("cva", True)):
            folium.TileLayer(
                _TIANDITU.format(layer=layer, key=tianditu_key),
                attr="&copy; 天地图 Tianditu",
                name=t("basemap.tianditu", lang) + (" (labels)" if overlay else ""),
                subdomains="01234567",
                overlay=overlay,
                control=False,
                max_zoom=18,
            ).add_to(fmap)
    if assets.js_links() is not None:
        # Leaflet guesses its marker images' folder from its stylesheet's <link>, which the
        # component adds after the scripts run: tell it where they are.
        image_path = f"{assets.URL_PREFIX}/leaflet/dist/images/"
        _Script(f"L.Icon.Default.imagePath = {js_json(image_path)};").add_to(fmap)
    return fmap


def fit(fmap: folium.Map, gdf: gpd.GeoDataFrame) -> folium.Map:
    """Open the map on the extent of ``gdf`` (e.g. the districts: the whole city)."""
    if _drawable(gdf).any():
        lon0, lat0, lon1, lat1 = (float(v) for v in gdf.total_bounds)
        fmap.fit_bounds([[lat0, lon0], [lat1, lon1]])
    return fmap


def finish(fmap: folium.Map, *, lang: Lang) -> folium.Map:
    """Add the layer control and a notice shown when basemap tiles fail to load.

    Call once, after every layer.
    """
    notice = js_json(t("map.tiles_failed", lang))
    # Offline, only the tiles are missing: say so on the map itself, once.
    _MapScript(
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
    _localise(draw).add_to(fmap)
    return draw


# --- polygon layers ------------------------------------------------------------------


def _drawable(gdf: gpd.GeoDataFrame) -> npt.NDArray[np.bool_]:
    """Rows with a geometry that is neither missing (unlocated) nor empty (e.g. no gap)."""
    geoms = gdf.geometry.to_numpy()
    result: npt.NDArray[np.bool_] = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return result


def _text(values: pd.Series) -> pd.Series:
    """Escape a column for tooltips: None/NaN become "", everything else ``html.escape``-d."""
    return values.astype(object).where(values.notna(), "").astype(str).map(html.escape)


def _lang_column(gdf: pd.DataFrame, lang: Lang, base: str = "name") -> pd.Series:
    """Return the ``<base>_<lang>`` column, with the other language where it is empty."""
    other: Lang = "en" if lang == "zh" else "zh"
    first = gdf.get(f"{base}_{lang}")
    second = gdf.get(f"{base}_{other}")
    if first is None and second is None:
        return pd.Series("", index=gdf.index, dtype=object)
    if first is None:
        return second.astype(object)  # type: ignore[union-attr]
    first = first.astype(object)
    if second is None:
        return first
    empty = first.isna() | (first.astype(str).str.strip() == "")
    return first.where(~empty, second.astype(object))


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
    keep = _drawable(gdf)
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
        props[f"f{i}"] = _text(series.set_axis(gdf.index))
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


def add_districts(
    fmap: folium.Map, districts: gpd.GeoDataFrame, *, lang: Lang, basemap: str = "osm"
) -> folium.GeoJson:
    """Add the district outlines (``layers.districts()``)."""
    return add_polygons(
        fmap,
        districts,
        name=t("layer.districts", lang),
        fields={
            t("field.name", lang): _lang_column(districts, lang),
            t("field.adcode", lang): districts.get("adcode", pd.Series("", index=districts.index)),
            t("field.area_km2", lang): _rounded(districts.get("area_km2"), districts.index),
        },
        basemap=basemap,
        colour="#444444",
        weight=1.5,
        fill_opacity=0.03,
    )


def add_zones(
    fmap: folium.Map, zones: gpd.GeoDataFrame, *, lang: Lang, basemap: str = "osm"
) -> folium.GeoJson:
    """Add development zones; approximate boundaries are dashed and say so."""
    source = zones.get("boundary_source", pd.Series("", index=zones.index)).astype(str)
    boundary = source.map(
        lambda s: t(f"boundary.{s}", lang) if f"boundary.{s}" in _BOUNDARY_KEYS else s
    )
    return add_polygons(
        fmap,
        zones,
        name=t("layer.zones", lang),
        fields={
            t("field.name", lang): _lang_column(zones, lang),
            t("field.level", lang): zones.get("level", pd.Series("", index=zones.index)),
            t("field.area_km2", lang): _rounded(zones.get("area_km2"), zones.index),
            t("field.boundary", lang): boundary,
        },
        basemap=basemap,
        colour="#6a3d9a",
        weight=2.0,
        fill_opacity=0.08,
        dashed=(source == "approximate").tolist(),
    )


_BOUNDARY_KEYS: Final = frozenset({"boundary.approximate", "boundary.official", "boundary.drawn"})


def _area_colours(keys: Iterable[object]) -> list[str]:
    extra = iter(_EXTRA_AREA_COLOURS * 10)
    return [AREA_COLOURS.get(str(k)) or next(extra) for k in keys]


def add_areas(
    fmap: folium.Map,
    areas: gpd.GeoDataFrame,
    *,
    lang: Lang,
    chain: pd.DataFrame | None = None,
    basemap: str = "osm",
) -> folium.GeoJson:
    """Add the agglomeration areas (``layers.areas()``, indexed by area key)."""
    segments = areas.get("segments", pd.Series([()] * len(areas), index=areas.index))
    names = _segment_names(chain, lang)
    seg_text = segments.map(
        lambda keys: (
            "、".join(names.get(k, k) for k in (keys or ()))
            if lang == "zh"
            else ", ".join(names.get(k, k) for k in (keys or ()))
        )
    )
    layer = add_polygons(
        fmap,
        areas,
        name=t("layer.areas", lang),
        fields={
            t("field.name", lang): _lang_column(areas, lang),
            t("field.definition", lang): areas.get("definition", pd.Series("", index=areas.index)),
            t("field.segments", lang): seg_text,
        },
        basemap=basemap,
        colour=_area_colours(areas.index),
        weight=2.5,
        fill_opacity=0.15,
    )
    add_legend(
        fmap,
        t("legend.areas", lang),
        [
            (c, str(n), "")
            for c, n in zip(_area_colours(areas.index), _lang_column(areas, lang), strict=True)
        ],
    )
    return layer


def _rounded(values: pd.Series | None, index: pd.Index) -> pd.Series:
    if values is None:
        return pd.Series("", index=index, dtype=object)
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.map(lambda v: "" if pd.isna(v) else f"{v:,.1f}")


def _segment_names(chain: pd.DataFrame | None, lang: Lang) -> dict[str, str]:
    if chain is None or not len(chain):
        return {}
    return {str(k): str(v) for k, v in _lang_column(chain, lang).items()}


def _family_colours(segments: pd.Series, chain: pd.DataFrame | None) -> list[str]:
    stage_of = (
        chain["stage"].astype(str).to_dict() if chain is not None and "stage" in chain else {}
    )
    return [STAGE_COLOURS.get(stage_of.get(str(s), ""), UNKNOWN_COLOUR) for s in segments]


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
    names = _segment_names(chain, lang)
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
            t("field.area_km2", lang): _rounded(clusters.get("area_km2"), clusters.index),
        },
        basemap=basemap,
        colour=_family_colours(dominant, chain),
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
        _lang_column(areas, lang).reindex(gaps.index).fillna("")
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
            t("field.gap_km2", lang): _rounded(gaps.get("gap_km2"), gaps.index),
            t("field.gap_share", lang): share.map(lambda v: "" if pd.isna(v) else f"{v:.0%}"),
        },
        basemap=basemap,
        colour=_area_colours(gaps.index),
        weight=1.0,
        fill_opacity=0.35,
        dashed=[True] * len(gaps),
    )


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
        names = _segment_names(chain, lang)
        role = ok["role"].astype(str)
        add_polygons(
            fmap,
            lines,
            name=t("site.links", lang),
            fields={
                t("field.segment", lang): ok["segment"].astype(str).map(lambda k: names.get(k, k)),
                t("field.name", lang): _lang_column(ok, lang),
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


def drawn_shapes(features: Sequence[Mapping[str, Any]] | None, basemap: str) -> gpd.GeoSeries:
    """Turn the Draw plugin's GeoJSON features (``all_drawings``) into WGS 84 polygons.

    Parameters
    ----------
    features : sequence of GeoJSON features, or None
        As ``st_folium(...)["all_drawings"]`` returns them; anything but polygons is
        ignored, and so are malformed features.
    basemap : str
        The basemap they were drawn on: shapes drawn over Amap are in GCJ-02 and are
        shifted back to WGS 84 here, before anyone stores them.

    Returns
    -------
    geopandas.GeoSeries
        Valid polygons in EPSG:4326 (possibly empty).
    """
    geoms = []
    for feature in features or ():
        geometry = feature.get("geometry") if isinstance(feature, Mapping) else None
        if not isinstance(geometry, Mapping) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            continue
        try:
            geoms.append(shapely.geometry.shape(geometry))
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            continue
    array = np.asarray(geoms, dtype=object)
    if len(array) and display_system(basemap) == "gcj02":
        array = convert_geometry(array, src="gcj02", dst="wgs84")
    series = gpd.GeoSeries(list(array), crs="EPSG:4326")
    series = series.make_valid() if len(series) else series
    return series[~series.is_empty]


# --- enterprises ---------------------------------------------------------------------


def enterprise_legend(chain: pd.DataFrame, lang: Lang) -> list[tuple[str, str, str]]:
    """Legend rows ``(colour, family name, its segment names)`` for the segment families."""
    names = _segment_names(chain, lang)
    stages = chain["stage"].astype(str) if "stage" in chain else pd.Series(dtype=str)
    sep = "、" if lang == "zh" else ", "
    rows = []
    for stage, colour in STAGE_COLOURS.items():
        members = [names[str(k)] for k in stages.index[stages == stage]]
        if members:
            rows.append((colour, t(f"stage.{stage}", lang), sep.join(members)))
    return rows


class _EnterpriseCluster(folium.plugins.MarkerCluster):
    """Enterprises as canvas circle markers clustered in the browser.

    One JSON array carries the rows; the browser builds each marker and, on click, its
    popup from DOM nodes with ``textContent`` (never ``innerHTML``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            var firms = {{ this.rows_json }};
            var colours = {{ this.colours_json }};
            var labels = {{ this.labels_json }};
            var lookup = {{ this.lookup_json }};
            function pick(table, i) { return i === null || i < 0 ? null : table[i]; }
            var cluster = L.markerClusterGroup({{ this.options_json }});
            function line(parent, label, value) {
                if (value === null || value === "") return;
                var p = L.DomUtil.create("div", "", parent);
                var b = L.DomUtil.create("b", "", p);
                b.textContent = label + ": ";
                p.appendChild(document.createTextNode(String(value)));
            }
            function popup(r) {
                var div = L.DomUtil.create("div", "nc-enterprise");
                var h = L.DomUtil.create("div", "", div);
                h.style.fontWeight = "bold";
                h.textContent = r[3];
                line(div, labels.segment, pick(lookup.segment, r[4]));
                line(div, labels.status, pick(lookup.status, r[5]));
                line(div, labels.park, pick(lookup.park, r[6]));
                line(div, labels.precision, r[7] === null ? null : "\\u00b1 " + r[7] + " m");
                line(div, labels.capacity, r[8]);
                line(div, labels.id, r[9]);
                if (r[10]) { var s = L.DomUtil.create("div", "", div);
                             s.style.fontStyle = "italic"; s.textContent = labels.synthetic; }
                return div;
            }
            var markers = new Array(firms.length);
            for (var i = 0; i < firms.length; i++) {
                var r = firms[i];
                var m = L.circleMarker([r[0], r[1]], {
                    radius: 6, weight: 1, color: "#222", fillOpacity: 0.9,
                    fillColor: colours[r[2]], dashArray: r[10] ? "2 2" : null});
                m.bindPopup(popup.bind(null, r));
                markers[i] = m;
            }
            cluster.addLayers(markers);
            cluster.addTo({{ this._parent.get_name() }});
            return cluster;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        rows: list[list[Any]],
        *,
        colours: list[str],
        labels: dict[str, str],
        lookup: dict[str, list[Any]],
        name: str,
        show: bool = True,
    ) -> None:
        super().__init__(name=name, show=show)  # type: ignore[no-untyped-call]
        self._name = "EnterpriseCluster"
        self.rows_json = js_json(rows)
        self.colours_json = js_json(colours)
        self.labels_json = js_json(labels)
        self.lookup_json = js_json(lookup)
        # chunkedLoading keeps the page responsive while ten thousand markers are added.
        self.options_json = js_json(
            {"chunkedLoading": True, "maxClusterRadius": 50, "disableClusteringAtZoom": 16}
        )


class _Circles(folium.FeatureGroup):
    """Non-interactive circles from one JSON array ``[[lat, lon, radius_m, colour], ...]``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup({});
        (function(group){
            var circles = {{ this.rows_json }};
            for (var i = 0; i < circles.length; i++) {
                var r = circles[i];
                L.circle([r[0], r[1]], {radius: r[2], color: r[3], weight: 1,
                    fillOpacity: 0.05, dashArray: "4 4", interactive: false}).addTo(group);
            }
        })({{ this.get_name() }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, rows: list[list[Any]], *, name: str, show: bool = True) -> None:
        super().__init__(name=name, show=show)
        self._name = "Circles"
        self.rows_json = js_json(rows)


def _codes(values: pd.Series) -> tuple[pd.Series, list[Any]]:
    """Factorise a text column: codes (-1 for missing/empty) and the distinct values."""
    text = values.astype(object).where(values.notna(), "")
    codes, uniques = pd.factorize(text.astype(str).str.strip().replace("", None), sort=False)
    return pd.Series(codes, index=values.index), [str(u) for u in uniques]


def _json_values(values: pd.Series) -> list[Any]:
    """Plain Python values for JSON: NaN/NA -> None, text stays text (never escaped twice)."""
    obj = values.astype(object)
    return obj.where(obj.notna(), None).tolist()


def add_enterprises(
    fmap: folium.Map,
    enterprises: gpd.GeoDataFrame,
    *,
    chain: pd.DataFrame,
    lang: Lang,
    basemap: str = "osm",
    precision_circles: bool = True,
) -> int:
    """Add enterprises coloured by segment family, clustered, with precision circles.

    Parameters
    ----------
    fmap : folium.Map
    enterprises : geopandas.GeoDataFrame
        ``layers.enterprises()`` columns; rows without geometry (unlocated) are skipped.
    chain : pandas.DataFrame
        ``layers.chain()``: segment names and stages (families) for colours and labels.
    lang : {"zh", "en"}
    basemap : str
        Shifts the display to GCJ-02 on ``"amap"``.
    precision_circles : bool
        Draw a circle of radius ``precision_m`` where it is at least 1 km (park-level).

    Returns
    -------
    int
        The number of enterprises drawn.
    """
    located = _drawable(enterprises)
    shown = to_display(enterprises[located], basemap)
    pts = shown.geometry
    lon = pts.x.to_numpy()
    lat = pts.y.to_numpy()

    families = list(STAGE_COLOURS)
    colours = [*STAGE_COLOURS.values(), UNKNOWN_COLOUR]
    stage_of = chain["stage"].astype(str).to_dict() if "stage" in chain else {}
    segment = shown.get("segment", pd.Series("", index=shown.index)).astype(str)
    family = segment.map(
        lambda s: families.index(stage_of[s]) if stage_of.get(s) in families else len(families)
    )
    names = _segment_names(chain, lang)
    seg_label = segment.map(lambda s: names.get(s, s))
    status = shown.get("status", pd.Series("unknown", index=shown.index)).astype(str)
    status_label = status.map(lambda s: t(f"status.{s}", lang) if s in _STATUSES else s)
    precision = pd.to_numeric(shown.get("precision_m"), errors="coerce")
    if precision is None:
        precision = pd.Series(np.nan, index=shown.index)
    capacity = pd.to_numeric(shown.get("capacity"), errors="coerce")
    unit = shown.get("capacity_unit", pd.Series("", index=shown.index))
    cap_text = pd.Series(
        [
            "" if pd.isna(c) else f"{c:g} {'' if pd.isna(u) else u}".strip()
            for c, u in zip(capacity, unit, strict=True)
        ]
        if capacity is not None
        else [""] * len(shown),
        index=shown.index,
    )
    synthetic = shown.get("synthetic", pd.Series(False, index=shown.index))
    # Repeated texts travel once, in lookup tables; each row carries their index.
    seg_code, seg_values = _codes(seg_label)
    status_code, status_values = _codes(status_label)
    park_code, park_values = _codes(shown.get("park", pd.Series("", index=shown.index)))
    columns = [
        pd.Series(np.round(lat, 6), index=shown.index),
        pd.Series(np.round(lon, 6), index=shown.index),
        family,
        _lang_column(shown, lang),
        seg_code,
        status_code,
        park_code,
        precision.round(0).astype("Int64"),
        cap_text,
        shown.get("id", pd.Series("", index=shown.index)),
        synthetic.fillna(False).astype(bool).astype(int),
    ]
    rows = [list(r) for r in zip(*(_json_values(c) for c in columns), strict=True)]
    labels = {
        k: t(f"field.{k}", lang)
        for k in ("segment", "status", "park", "precision", "capacity", "id", "synthetic")
    }
    if precision_circles:
        wide = (precision >= PRECISION_CIRCLE_MIN_M).to_numpy()
        circle_rows = [
            [float(a), float(b), float(r), colours[int(f)]]
            for a, b, r, f in zip(
                np.round(lat[wide], 6),
                np.round(lon[wide], 6),
                precision.to_numpy()[wide],
                family.to_numpy()[wide],
                strict=True,
            )
        ]
        _Circles(circle_rows, name=html.escape(t("layer.precision", lang))).add_to(fmap)
    cluster = _EnterpriseCluster(
        rows,
        colours=colours,
        labels=labels,
        lookup={"segment": seg_values, "status": status_values, "park": park_values},
        name=html.escape(t("layer.enterprises", lang)),
    )
    _localise(cluster).add_to(fmap)
    add_legend(fmap, t("legend.enterprises", lang), enterprise_legend(chain, lang))
    return len(rows)


_STATUSES: Final = frozenset({"operating", "construction", "planned", "unknown"})


# --- surfaces and legends ------------------------------------------------------------


def ramp_colour(values: npt.ArrayLike) -> list[str]:
    """Map values in [0, 1] to the sequential ramp; NaN -> grey."""
    v = np.asarray(values, dtype=float)
    idx = np.clip(np.floor(np.nan_to_num(v, nan=0.0) * len(_RAMP)), 0, len(_RAMP) - 1)
    return [UNKNOWN_COLOUR if np.isnan(x) else _RAMP[int(i)] for x, i in zip(v, idx, strict=True)]


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
    steps = len(_RAMP)
    add_legend(
        fmap,
        t("legend.suitability", lang),
        [
            (c, f"{i * vmax / steps:.3g} – {(i + 1) * vmax / steps:.3g}", "")
            for i, c in enumerate(_RAMP)
        ],
    )
    return layer


class _Legend(MacroElement):
    """A legend control built in the browser from JSON with ``textContent`` only."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map){
            var spec = {{ this.spec_json }};
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function() {
                var box = L.DomUtil.create("div", "nc-legend");
                box.style.cssText = "background:rgba(255,255,255,0.92);padding:6px 8px;" +
                    "border-radius:4px;font:12px sans-serif;max-width:280px;" +
                    "max-height:45vh;overflow:auto;box-shadow:0 1px 4px rgba(0,0,0,0.3)";
                var title = L.DomUtil.create("div", "", box);
                title.style.fontWeight = "bold";
                title.textContent = spec.title;
                spec.rows.forEach(function(row) {
                    var line = L.DomUtil.create("div", "", box);
                    var sw = L.DomUtil.create("span", "", line);
                    sw.style.cssText = "display:inline-block;width:12px;height:12px;" +
                        "margin-right:6px;vertical-align:middle;border:1px solid #333";
                    sw.style.background = row[0];
                    var label = L.DomUtil.create("span", "", line);
                    label.textContent = row[1];
                    if (row[2]) {
                        var d = L.DomUtil.create("div", "", box);
                        d.style.cssText = "margin-left:20px;color:#555;font-size:11px";
                        d.textContent = row[2];
                    }
                });
                L.DomEvent.disableScrollPropagation(box);
                return box;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, rows: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.spec_json = js_json({"title": title, "rows": [list(r) for r in rows]})


_COLOUR = re.compile(r"#[0-9A-Fa-f]{3,8}")


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
    _Legend(title, rows).add_to(fmap)


# --- selection, candidates and export ------------------------------------------------


def clicked_row(
    gdf: gpd.GeoDataFrame,
    click: Mapping[str, Any] | None,
    basemap: str,
    *,
    max_m: float = 500.0,
) -> Any:
    """Return the index label of the row nearest a map click, or None.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        WGS 84 points (e.g. enterprises); rows without geometry are never picked.
    click : mapping or None
        ``{"lat": ..., "lng": ...}`` as streamlit-folium returns ``last_object_clicked``
        or ``last_clicked``, in the basemap's display coordinates.
    basemap : str
        The basemap clicked on: a click on Amap is GCJ-02 and is shifted back first.
    max_m : float
        Nothing is picked when the nearest row is farther than this (a click beside the
        markers, e.g. on an area polygon).

    Returns
    -------
    object or None
        A label of ``gdf.index``.
    """
    if not click:
        return None
    try:
        lon, lat = float(click["lng"]), float(click["lat"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (np.isfinite(lon) and np.isfinite(lat)):
        return None
    keep = _drawable(gdf)
    if not keep.any():
        return None
    if display_system(basemap) == "gcj02":
        point = convert_geometry(np.asarray([shapely.Point(lon, lat)]), src="gcj02", dst="wgs84")
        lon, lat = float(shapely.get_x(point[0])), float(shapely.get_y(point[0]))
    # Distances in metres on the working projection, never in degrees.
    located = gdf.geometry[keep].to_crs(WORKING)
    here = gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4326").to_crs(WORKING).iloc[0]
    distance = located.distance(here).to_numpy()
    best = int(np.argmin(distance))
    return located.index[best] if distance[best] <= max_m else None


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
    _MapScript(
        f"var ring = L.circleMarker({where}, "
        "{radius: 16, color: '#e41a1c', weight: 4, fill: false}).addTo(MAP);"
        " var text = document.createElement('div');"
        f" text.textContent = {js_json(label)};"
        " ring.bindTooltip(text);"
    ).add_to(fmap)


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
    return add_polygons(
        fmap,
        points,
        name=t("site.compare_layer", lang),
        fields={
            t("site.compare_label", lang): points["label"].astype(str),
            t("site.score", lang): score.map(lambda v: "" if pd.isna(v) else f"{v:.0f}"),
        },
        basemap=basemap,
    )


def standalone_html(fmap: folium.Map) -> str:
    """Render ``fmap`` as a standalone HTML page that loads its scripts from public CDNs.

    The app serves the map's scripts itself (offline use); a file saved to disk and opened
    outside the app cannot reach those, so this copy points at folium's CDN links again.
    ``fmap`` itself is not changed.

    Returns
    -------
    str
        A complete HTML document.
    """
    import copy

    page = copy.deepcopy(fmap)
    # A map already rendered (st_folium renders it) keeps that output in its figure; a
    # fresh figure renders every element again, with the links set below.
    Figure().add_child(page)
    stack: list[Any] = [page]
    images = _cdn_images()
    while stack:
        element = stack.pop()
        for attribute in ("default_js", "default_css"):
            if attribute in vars(element):
                setattr(element, attribute, list(getattr(type(element), attribute)))
        if isinstance(element, _Script) and "imagePath" in element.code:
            element.code = f"L.Icon.Default.imagePath = {js_json(images)};"
        stack.extend(getattr(element, "_children", {}).values())
    rendered: str = page.get_root().render()
    return rendered


def _cdn_images() -> str:
    """Leaflet's marker images beside folium's CDN copy of leaflet.js."""
    url = dict(folium.Map.default_js)["leaflet"]
    return url.rsplit("/", 1)[0] + "/images/"
