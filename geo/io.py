"""Reading and writing geodata: user files in, standard files out.

:func:`read` turns a CSV/XLSX table of coordinates, a GeoJSON, a GeoPackage layer, a
zipped Shapefile or a KML file (a path, or the bytes of an upload) into a GeoDataFrame in
WGS 84 plus a table of problems. Bad records never crash the read and are never dropped
silently: each gets a problem row saying what is wrong and how to fix it, and unusable
coordinates leave the record in the data as *unlocated* (geometry None). Only an input
that is unusable as a whole raises :class:`geo.InputError`.

:func:`write` writes RFC 7946 GeoJSON, a GeoPackage layer or CSV, never leaving a
half-written file behind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo import _io_write
from geo._io_checks import (
    KEPT,
    PROBLEM_COLUMNS,
    REJECTED,
    REPAIRED,
    CRSHint,
    Extent,
    resolve_coord_system,
)
from geo._io_source import FORMATS, MAX_BYTES, open_source
from geo._io_table import LAT_COLUMNS, LON_COLUMNS, SYSTEM_COLUMNS, read_table
from geo._io_vector import read_vector

__all__ = [
    "FORMATS",
    "KEPT",
    "LAT_COLUMNS",
    "LON_COLUMNS",
    "MAX_BYTES",
    "PROBLEM_COLUMNS",
    "REJECTED",
    "REPAIRED",
    "SYSTEM_COLUMNS",
    "CRSHint",
    "Extent",
    "ReadResult",
    "read",
    "table_csv",
    "write",
]


@dataclass(frozen=True)
class ReadResult:
    """What :func:`read` returns.

    Attributes
    ----------
    data : geopandas.GeoDataFrame
        EPSG:4326, RangeIndex. Every input column is kept (CSV/XLSX columns as text,
        exactly as typed); records with unusable coordinates are kept with geometry None.
        Tables also get float columns ``lon`` and ``lat`` (WGS 84, NaN when unlocated).
    problems : pandas.DataFrame
        One row per problem, columns ``row``, ``column``, ``value``, ``problem``,
        ``action``. ``row`` is the spreadsheet row for CSV/XLSX (header = 1, first record
        = 2) and the 1-based feature number for vector files; ``action`` is
        ``"rejected"`` (left out of ``data``), ``"repaired"``, ``"kept unlocated"`` or
        ``"kept"`` (the record stays as it is, e.g. an XLSX formula cell that has no
        saved value reads as empty).
    source : str
        The input's display name (a file name, never a temporary path).
    rows : pandas.Series
        For each record kept in ``data`` (same index), its number as ``problems`` counts
        it (spreadsheet row or feature number), so later checks can name the same row even
        when blank lines or rejected records came before it.
    """

    data: gpd.GeoDataFrame
    problems: pd.DataFrame
    source: str
    rows: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))


def _check_extent(extent: Any) -> Extent | None:
    if extent is None or isinstance(extent, Extent):
        return extent
    return Extent(extent)  # a plain (lon_min, lat_min, lon_max, lat_max); validated there


def read(
    source: Any,
    *,
    coord_system: Any = "wgs84",
    layer: str | None = None,
    name: str | None = None,
    extent: Extent | tuple[float, float, float, float] | None = None,
    id_column: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> ReadResult:
    r"""Read a user's geodata file into WGS 84, reporting every bad record.

    Parameters
    ----------
    source : str, os.PathLike, bytes or file-like
        A local file, or the content of an upload. URLs, GDAL virtual paths
        (``/vsicurl/``...), connection strings (``GPKG:``, ``PG:``...) and device paths
        are refused.
    coord_system : str or pyproj.CRS
        What the coordinates are in: ``"wgs84"`` (default; CGCS2000 counts as WGS 84),
        ``"gcj02"`` (Amap/Gaode, Tencent) or ``"bd09"`` (Baidu), in any spelling
        :func:`geo.crs.normalise_coord_system` accepts; or the CRS of projected
        coordinates that come without one (e.g. ``"EPSG:4548"``). A per-row column
        ``coord_system``/``坐标系``/``crs`` in a table overrides it row by row. Files that
        declare a CRS are transformed from it.
    layer : str, optional
        The GeoPackage or KML layer, the shapefile inside a zip (by name, without
        ``.shp``) or the XLSX sheet (default: the first sheet). Required when a
        GeoPackage or KML file holds several layers, or a zip several shapefiles.
    name : str, optional
        For uploads, the original file name: its extension gives the format (``.csv``,
        ``.xlsx``, ``.geojson``/``.json``, ``.gpkg``, ``.zip``, ``.kml``) and it names the
        file in messages.
    extent : Extent, tuple of float or None
        Where the records are expected: an :class:`Extent` (bounds, a name for messages
        and the projected CRSs usual there) or plain bounds ``(lon_min, lat_min, lon_max,
        lat_max)`` in WGS 84. Records outside it are kept unlocated with a problem.
        Default None: no check (and no swapped-coordinates diagnosis); callers that know
        the place pass it, e.g. ``layers.settings.extent()`` for Nanchang.
    id_column : str, optional
        Column whose values must be unique; by default ``id`` (any case), ``编号`` or
        ``代码`` if present. Later repeats of an id are rejected.
    max_bytes : int
        Largest accepted input (default 50 MB).

    Returns
    -------
    ReadResult
        ``data`` (GeoDataFrame, EPSG:4326), ``problems`` and ``source``.

    Raises
    ------
    geo.InputError
        When the input as a whole is unusable (empty, unsafe, no coordinates, projected
        coordinates without a CRS, unreadable encoding, a table header that repeats a
        name or offers several longitude or latitude columns, JSON that is broken or not
        GeoJSON, ...). The message names the file, what is wrong and the fix.
    ValueError
        For an unknown ``coord_system`` or a malformed ``extent``.

    Examples
    --------
    >>> csv = "id,名称,经度,纬度\n1,南昌站,115.9,28.66\n2,坏点,11x,28.7\n".encode()
    >>> result = read(csv, name="sites.csv")
    >>> result.data[["名称", "lon", "lat"]].to_string(index=False)
    ' 名称   lon   lat\n南昌站 115.9 28.66\n 坏点   NaN   NaN'
    >>> result.problems[["row", "column", "value", "action"]].to_string(index=False)
    ' row column value         action\n   3     经度   11x kept unlocated'
    >>> shanghai = "id,lon,lat\n1,121.47,31.23\n".encode()
    >>> read(shanghai, name="s.csv", extent=(115.0, 27.9, 116.9, 29.5)).problems["action"][0]
    'kept unlocated'
    """
    spec = resolve_coord_system(coord_system)
    bounds = _check_extent(extent)
    src = open_source(source, name=name, max_bytes=max_bytes)
    if src.fmt in ("csv", "xlsx"):
        data, problems, rows = read_table(
            src, spec=spec, layer=layer, extent=bounds, id_column=id_column
        )
    else:
        data, problems, rows = read_vector(
            src, spec=spec, layer=layer, extent=bounds, id_column=id_column
        )
    return ReadResult(
        data=data,
        problems=problems,
        source=src.display,
        rows=pd.Series(rows, index=data.index, dtype="int64", name="row"),
    )


def write(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, layer: str | None = None) -> Path:
    """Write a GeoDataFrame as GeoJSON, a GeoPackage layer or CSV, by the extension.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The data, with a CRS. It is not modified. A named index is written as a column;
        tuple and list values are written as comma-separated text.
    path : str or os.PathLike
        The target: ``.geojson``/``.json``, ``.gpkg`` or ``.csv``.
    layer : str, optional
        The GeoPackage layer (default: the file's stem). Ignored for other formats.

    Returns
    -------
    pathlib.Path
        The absolute path written.

    Notes
    -----
    - ``.geojson`` follows RFC 7946: WGS 84 longitude/latitude, counter-clockwise outer
      rings, no ``crs`` member, 7 decimals (about 1 cm).
    - ``.gpkg`` writes (or replaces) one layer, in the data's CRS, and leaves the file's
      other layers untouched. The edit is made on a copy beside the file that then
      replaces it, so a failure never leaves a half-written GeoPackage.
    - ``.csv`` is UTF-8 with a BOM (Excel shows Chinese correctly), WGS 84, with ``lon``
      and ``lat`` columns when every geometry is a point and a ``wkt`` column otherwise;
      :func:`read` reads it back.

    Raises
    ------
    geo.CRSError
        If ``gdf`` has no CRS.
    ValueError
        For an unsupported extension, a missing folder, or a path GDAL would treat as a
        URL or virtual file.
    """
    return _io_write.write(gdf, path, layer=layer)


def table_csv(table: pd.DataFrame) -> bytes:
    """Return a table without geometry as the bytes of a CSV file (UTF-8 with a BOM).

    The same conventions as :func:`write`'s CSV: tuples of keys in a cell are joined with
    commas and a named index becomes a column; Excel opens the Chinese text as it is.

    Examples
    --------
    >>> print(table_csv(pd.DataFrame({"a": [("x", "y")], "b": [1]})).decode("utf-8-sig"))
    a,b
    "x,y",1
    <BLANKLINE>
    """
    return _io_write.table_csv(table)
