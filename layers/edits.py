"""What the app changes in, and hands out of, the layers: edited zones and downloadable files.

- :func:`edited_zones`: the zones layer with one zone's boundary replaced by a drawn shape
  (or a new zone added), its area measured again in EPSG:4548.
- :func:`on_areas`: a table keyed by area (chain gaps, investment targets) given each
  area's polygon, so it can be written as a spatial file.
- :func:`file_bytes`: a layer or result as the bytes of a GeoJSON (RFC 7946), GeoPackage or
  CSV file, written by :func:`geo.io.write` under a fixed name in a private folder.

Nothing here imports streamlit or folium; the app calls these and renders the results.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import shapely

import geo.io
from geo import CRSError, InputError
from geo.crs import WORKING
from layers.i18n import text

__all__ = [
    "FILE_FORMATS",
    "MIME_TYPES",
    "boundary_polygons",
    "edited_zones",
    "file_bytes",
    "on_areas",
]

FILE_FORMATS: Final = ("geojson", "gpkg", "csv")
"""Formats :func:`file_bytes` writes (also the file extensions)."""

MIME_TYPES: Final = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
}
"""Media type of each format, for a download."""

_LAYER_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,39}")


def edited_zones(
    zones: gpd.GeoDataFrame,
    zone_id: str,
    shape: Any,
    *,
    name_zh: str,
    name_en: str,
) -> gpd.GeoDataFrame:
    """Return ``zones`` with ``zone_id``'s boundary replaced by ``shape``, or the zone added.

    Parameters
    ----------
    zones : geopandas.GeoDataFrame
        A zones layer (``layers.zones()`` columns) with a CRS; it is not modified.
    zone_id : str
        The zone to replace. If no row has it, a new zone is appended.
    shape : shapely Polygon or MultiPolygon
        The new boundary, in ``zones``' CRS (the zone editor passes WGS 84).
    name_zh, name_en : str
        The zone's names.

    Returns
    -------
    geopandas.GeoDataFrame
        Same columns and CRS, RangeIndex. The edited row keeps its position (a repeated
        ``zone_id`` is collapsed to its first row) and its other attributes, gets
        ``boundary_source = "drawn"`` and ``area_km2`` measured in EPSG:4548. A new row
        has ``level = ""`` and missing values elsewhere.

    Raises
    ------
    geo.CRSError
        If ``zones`` has no CRS (the area could not be measured).
    geo.InputError
        If ``shape`` is not a non-empty polygon or multipolygon (a ``ValueError``; the
        message in English and Chinese).

    Examples
    --------
    >>> import layers
    >>> from shapely.geometry import box
    >>> zones = layers.zones()
    >>> out = edited_zones(zones, "test_zone", box(115.9, 28.6, 115.92, 28.62),
    ...                    name_zh="测试区", name_en="Test zone")
    >>> len(out) == len(zones) + 1, out["boundary_source"].iloc[-1]
    (True, 'drawn')
    """
    if zones.crs is None:
        msg = "`zones` has no CRS: declare it with `set_crs('EPSG:4326')` first"
        raise CRSError(msg)
    if not isinstance(shape, shapely.Polygon | shapely.MultiPolygon) or shape.is_empty:
        kind = "nothing" if shape is None else type(shape).__name__
        # The user drew or uploaded it: refused in both languages (an InputError is a
        # ValueError, as before).
        raise InputError(text("check.edits.boundary", kind=kind))
    out = zones.reset_index(drop=True)
    hit = (out["zone_id"].astype(str) == zone_id).to_numpy()
    if hit.any():
        position = int(hit.argmax())
        # A repeated id would leave two boundaries for one zone: keep the first row only.
        keep = ~hit
        keep[position] = True
        out = out[keep].reset_index(drop=True)
        position = int((out["zone_id"].astype(str) == zone_id).to_numpy().argmax())
    else:
        position = len(out)
        out = out.reindex(pd.RangeIndex(position + 1))
        out.loc[position, "level"] = ""
    values = {
        "zone_id": zone_id,
        "name_zh": name_zh,
        "name_en": name_en,
        "boundary_source": "drawn",
    }
    for column, value in values.items():
        out.loc[position, column] = value
    out.loc[position, "geometry"] = shape
    out = out.set_crs(zones.crs, allow_override=True)
    # Area in metres on the working projection: degrees have no area.
    metric = gpd.GeoSeries([shape], crs=zones.crs).to_crs(WORKING)
    out.loc[position, "area_km2"] = float(metric.area.iloc[0]) / 1e6
    return out


def on_areas(
    table: pd.DataFrame, areas: gpd.GeoDataFrame, *, column: str = "area"
) -> gpd.GeoDataFrame:
    """Give each row of ``table`` the polygon of the area named in its ``column``.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows keyed by area, e.g. ``zoning.chain_gaps`` or ``zoning.investment_targets``.
    areas : geopandas.GeoDataFrame
        Areas indexed by key (``layers.areas()``).
    column : str
        The column of ``table`` holding area keys.

    Returns
    -------
    geopandas.GeoDataFrame
        ``table``'s rows, index and columns, with the area's geometry (None for a key not
        in ``areas``), in ``areas``' CRS.
    """
    keys = table[column].astype(str)
    geometry = areas.geometry.reindex(keys.to_numpy()).to_numpy()
    return gpd.GeoDataFrame(table.copy(), geometry=list(geometry), crs=areas.crs)


def file_bytes(
    gdf: gpd.GeoDataFrame,
    fmt: str,
    *,
    layer: str = "layer",
    geometry_type: str | None = None,
    style: str | None = None,
) -> bytes:
    """Return ``gdf`` as the bytes of a GeoJSON (RFC 7946), GeoPackage or CSV file.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS; it is not modified. Categorical columns are written as
        text.
    fmt : {"geojson", "gpkg", "csv"}
        The format (see :func:`geo.io.write`: GeoJSON is WGS 84 with no ``crs`` member,
        CSV has ``lon``/``lat`` for points and ``wkt`` otherwise, UTF-8 with a BOM).
    layer : str
        The file's stem and the GeoPackage layer name: lower-case letters, digits and
        underscores. It is chosen by the caller, never taken from a user.
    geometry_type : str, optional
        The GeoPackage layer's geometry type when the data cannot tell (no rows), e.g.
        ``"MultiPolygon"``.
    style : str, optional
        A QGIS style (``.qml`` text) embedded in the GeoPackage's ``layer_styles`` table as
        the layer's default, so QGIS draws the layer as the app does.

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        For an unknown format or a layer name that is not a plain identifier.

    Examples
    --------
    >>> import json, layers
    >>> data = json.loads(file_bytes(layers.districts(), "geojson", layer="districts"))
    >>> data["type"], "crs" in data
    ('FeatureCollection', False)
    """
    if fmt not in FILE_FORMATS:
        msg = f"`fmt` must be one of {FILE_FORMATS}, got {fmt!r}"
        raise ValueError(msg)
    if not _LAYER_NAME.fullmatch(layer):
        msg = f"`layer` must be lower-case letters, digits and underscores, got {layer!r}"
        raise ValueError(msg)
    data = gdf.copy()
    for name in data.columns:
        if isinstance(data[name].dtype, pd.CategoricalDtype):
            # GDAL has no categorical field type: write the labels.
            data[name] = data[name].astype(object).where(data[name].notna(), None)
    with tempfile.TemporaryDirectory(prefix="nanchang-download-") as folder:
        path = geo.io.write(
            data,
            Path(folder) / f"{layer}.{fmt}",
            layer=layer,
            geometry_type=geometry_type,
            style=style,
        )
        return path.read_bytes()


def boundary_polygons(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Return the polygons of an imported boundary file, in EPSG:4326.

    Points and lines in the file are not zone boundaries and are left out; empty or
    missing geometries too. The caller unions what remains into one zone.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A file read with :func:`geo.io.read` (any CRS with a definition).

    Returns
    -------
    geopandas.GeoSeries
        Polygon and MultiPolygon geometries only, with the input's index.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> g = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), Point(0, 0), None], crs="EPSG:4326")
    >>> list(boundary_polygons(g).geom_type)
    ['Polygon']
    """
    if gdf.crs is None:
        msg = "the boundary has no CRS: declare it with `set_crs('EPSG:4326')`"
        raise CRSError(msg)
    geoms = gdf.geometry.to_crs("EPSG:4326")
    kind = shapely.get_type_id(geoms.to_numpy())
    polygonal = (kind == shapely.GeometryType.POLYGON) | (kind == shapely.GeometryType.MULTIPOLYGON)
    keep = polygonal & ~geoms.is_empty.to_numpy()
    return geoms[keep]
