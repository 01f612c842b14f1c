"""Basemaps and the coordinates overlays are drawn in on each of them.

The map shows WGS 84 on OSM and Tianditu tiles. Amap's tiles are GCJ-02, about 600 m off
WGS 84 in Nanchang, so on an Amap basemap every overlay is shifted to GCJ-02 for display
only (:func:`to_display`, :func:`display_centre`); the conversion itself is ``geo.crs``'s.
"""

from __future__ import annotations

import re
from typing import Final

import folium
import geopandas as gpd

from geo.crs import convert, convert_geometry
from layers.i18n import Lang, t

__all__ = [
    "BASEMAPS",
    "NANCHANG_CENTRE",
    "add_tiles",
    "display_centre",
    "display_system",
    "to_display",
    "valid_tianditu_key",
]

BASEMAPS: Final = ("osm", "amap", "tianditu", "none")
NANCHANG_CENTRE: Final = (28.68, 115.89)  # (lat, lon): Leaflet's order

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


def valid_tianditu_key(key: str | None) -> bool:
    """Tell whether ``key`` looks like a Tianditu browser key (16-64 letters and digits).

    The key goes into a tile URL: anything else is refused rather than escaped.

    Examples
    --------
    >>> valid_tianditu_key("0123456789abcdef"), valid_tianditu_key("abc&callback=x")
    (True, False)
    """
    return key is not None and _TIANDITU_KEY.fullmatch(key) is not None


def display_system(basemap: str) -> str:
    """Return the coordinate system overlays must be drawn in on ``basemap``.

    Examples
    --------
    >>> display_system("amap"), display_system("osm")
    ('gcj02', 'wgs84')
    """
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


def display_centre(centre: tuple[float, float], basemap: str) -> tuple[float, float]:
    """Return a WGS 84 ``(lat, lon)`` in the basemap's display coordinates (GCJ-02 on Amap).

    Parameters
    ----------
    centre : tuple of float
        ``(lat, lon)`` in WGS 84: Leaflet's order, as a map's centre is given.
    basemap : str
        One of :data:`BASEMAPS`.

    Returns
    -------
    tuple of float
        ``(lat, lon)`` to centre a map on ``basemap`` at the same place on the ground.

    Examples
    --------
    >>> display_centre((28.68, 115.89), "osm")
    (28.68, 115.89)
    """
    lat, lon = centre
    x, y = convert(lon, lat, src="wgs84", dst=display_system(basemap))
    return float(y), float(x)


def add_tiles(
    fmap: folium.Map, basemap: str, *, lang: Lang, tianditu_key: str | None = None
) -> folium.Map:
    """Add ``basemap``'s tile layers to ``fmap`` (none for ``"none"``).

    Parameters
    ----------
    fmap : folium.Map
    basemap : {"osm", "amap", "tianditu", "none"}
    lang : {"zh", "en"}
        Language of the layer names.
    tianditu_key : str, optional
        Required for ``"tianditu"``.

    Returns
    -------
    folium.Map
        ``fmap``, for chaining.

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
    return fmap
