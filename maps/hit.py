"""Hit-testing of map clicks and drawings: from display coordinates back to the data.

What the browser reports is in the basemap's display coordinates: GCJ-02 on Amap. Both
functions shift it back to WGS 84 before anything is compared or stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry

from geo.crs import WORKING, convert_geometry
from maps._frames import drawable
from maps.basemaps import display_system

__all__ = ["clicked_row", "drawn_shapes"]


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
    keep = drawable(gdf)
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
