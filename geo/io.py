"""Reading and writing geodata: user files in, standard files out.

:func:`read` turns a CSV/XLSX table of coordinates, a GeoJSON, a GeoPackage layer, a
zipped Shapefile, a KML or a GeoParquet file (a path, or the bytes of an upload) into a
GeoDataFrame in WGS 84 plus a table of problems. Bad records never crash the read and are
never dropped silently: each gets a problem row saying what is wrong and how to fix it,
and unusable coordinates leave the record in the data as *unlocated* (geometry None).
Only an input that is unusable as a whole raises :class:`geo.InputError`.

Uploads are limited to :data:`MAX_BYTES`; a local file may be read without a limit
(``max_bytes=None``). :func:`read_chunks` reads a big local CSV or
GeoParquet file in chunks of rows, with the same records and problems as :func:`read`.

:func:`write` writes RFC 7946 GeoJSON, a GeoPackage layer, CSV or GeoParquet, never
leaving a half-written file behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

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
from geo._io_chunks import chunks
from geo._io_guard import ENV_VARS as LIMIT_ENV_VARS
from geo._io_guard import Limits, current_limits, read_guarded, use_limits
from geo._io_source import FORMATS, MAX_BYTES, open_source
from geo._io_table import LAT_COLUMNS, LON_COLUMNS, SYSTEM_COLUMNS
from geo._io_write import GPKG_VERSION, STYLES_TABLE, WriteError, formula_safe, uniform_geometries

__all__ = [
    "CHUNK_ROWS",
    "FORMATS",
    "GPKG_VERSION",
    "KEPT",
    "LAT_COLUMNS",
    "LIMIT_ENV_VARS",
    "LON_COLUMNS",
    "MAX_BYTES",
    "PROBLEM_COLUMNS",
    "REJECTED",
    "REPAIRED",
    "STYLES_TABLE",
    "SYSTEM_COLUMNS",
    "CRSHint",
    "Extent",
    "Limits",
    "ReadResult",
    "WriteError",
    "current_limits",
    "formula_safe",
    "read",
    "read_chunks",
    "table_csv",
    "uniform_geometries",
    "use_limits",
    "write",
    "write_table",
]

CHUNK_ROWS: Final = 100_000
"""Rows per chunk of :func:`read_chunks` by default (about 20 MB of a typical CSV)."""


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
    max_bytes: int | None = MAX_BYTES,
    limits: Limits | Literal["current"] | None = "current",
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
        ``.xlsx``, ``.geojson``/``.json``, ``.gpkg``, ``.zip``, ``.kml``, ``.parquet``) and
        it names the file in messages.
    extent : Extent, tuple of float or None
        Where the records are expected: an :class:`Extent` (bounds, a name for messages
        and the projected CRSs usual there) or plain bounds ``(lon_min, lat_min, lon_max,
        lat_max)`` in WGS 84. Records outside it are kept unlocated with a problem.
        Default None: no check (and no swapped-coordinates diagnosis); callers that know
        the place pass it, e.g. ``layers.settings.extent()`` for Nanchang.
    id_column : str, optional
        Column whose values must be unique; by default ``id`` (any case), ``编号`` or
        ``代码`` if present. Later repeats of an id are rejected.
    max_bytes : int or None
        Largest accepted input (default :data:`MAX_BYTES`, 50 MB). None: no limit, for a
        local file only (an upload always has one: ``ValueError``).
    limits : Limits, None or "current"
        What the file is read under: a wall-clock time, a memory cap, vertices per shape
        and per file, JSON nesting depth (see :class:`Limits`). ``"current"`` (default):
        :func:`current_limits`, i.e. the environment variables :data:`LIMIT_ENV_VARS`
        over the defaults, or what :func:`use_limits` chose. None: a trusted file, read in
        this process without limits.

    Returns
    -------
    ReadResult
        ``data`` (GeoDataFrame, EPSG:4326), ``problems`` and ``source``.

    Notes
    -----
    Every file is untrusted unless the caller says otherwise (``limits=None``): it is parsed
    in a worker process that is killed when it breaches a limit, and the breach is one
    :class:`geo.InputError` naming the limit and how to raise it. The worker starts in
    about 20 ms (after the first read of a process, which starts its server: about 2 s).

    GeoParquet (1.0 and 1.1): the primary geometry column in the WKB or GeoArrow
    ``point`` encoding, transformed from its declared CRS (none declared: OGC:CRS84);
    records are numbered by their row in the file from 1, and a null, empty or
    undecodable geometry leaves the record unlocated with a problem. A Parquet file
    without GeoParquet metadata is read like a CSV table with coordinate columns.

    Raises
    ------
    geo.InputError
        When the input as a whole is unusable (empty, unsafe, no coordinates, projected
        coordinates without a CRS, unreadable encoding, a table header that repeats a
        name or offers several longitude or latitude columns, JSON that is broken or not
        GeoJSON, ...). The message names the file, what is wrong and the fix.
    ValueError
        For an unknown ``coord_system``, a malformed ``extent`` or ``max_bytes=None``
        with an upload.

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
    chosen: Any = current_limits() if isinstance(limits, str) and limits == "current" else limits
    if chosen is not None and not isinstance(chosen, Limits):
        msg = f"`limits` must be a geo.io.Limits, None or 'current', got {limits!r}"
        raise TypeError(msg)
    data, problems, rows = read_guarded(
        src, spec=spec, layer=layer, extent=bounds, id_column=id_column, limits=chosen
    )
    return ReadResult(
        data=data,
        problems=problems,
        source=src.display,
        rows=pd.Series(rows, index=data.index, dtype="int64", name="row"),
    )


def read_chunks(
    source: str | os.PathLike[str],
    *,
    chunk_rows: int = CHUNK_ROWS,
    coord_system: Any = "wgs84",
    layer: str | None = None,
    name: str | None = None,
    extent: Extent | tuple[float, float, float, float] | None = None,
    id_column: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[ReadResult]:
    r"""Read a local file chunk by chunk, in bounded memory; see :func:`read`.

    CSV and (Geo)Parquet files are read ``chunk_rows`` rows at a time; other formats come
    as a single chunk. Each chunk is checked as :func:`read` checks a whole file, with the
    same results: concatenated, the chunks' data, problems and rows are what :func:`read`
    returns. Problems name the file's own rows; an id repeated in a later chunk is found
    (the ids seen are the one thing kept from chunk to chunk).

    Parameters
    ----------
    source : str or os.PathLike
        A local file (no bytes, no uploads: they are read whole by :func:`read`).
    chunk_rows : int
        Rows per chunk (default :data:`CHUNK_ROWS`). Blank lines of a CSV count as rows.
    coord_system, layer, name, extent, id_column
        As for :func:`read`.
    max_bytes : int or None
        Largest accepted file; default None: no limit (the file is the caller's own).

    Yields
    ------
    ReadResult
        One per chunk that holds records: its ``data`` has a RangeIndex that continues
        from the previous chunk's, so ``pandas.concat`` of the chunks' data equals
        :func:`read`'s; ``problems`` and ``rows`` are the chunk's, numbered in the file.

    Raises
    ------
    geo.InputError
        As :func:`read`. Problems with the file as a whole that show up only part-way
        (text that stops being UTF-8, a row pandas cannot parse) are raised when that
        chunk is reached, after the earlier chunks were yielded.
    TypeError
        If ``source`` is bytes or a file-like object.
    ValueError
        For ``chunk_rows`` < 1, and as :func:`read`.

    Notes
    -----
    Memory: one chunk at a time (pyarrow reads Parquet by row group; pandas reads CSV by
    ``chunk_rows``), plus the ids seen so far, about 45 bytes each (450 MB for ten
    million firms), which finding repeats across chunks needs.

    The check for projected coordinates without a CRS (the median of the coordinates
    exceeds 1,000) looks at one chunk at a time, so a file whose first rows are metres and
    later rows degrees is refused at the first such chunk.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "sites.csv"
    >>> _ = path.write_text("id,lon,lat\n1,115.9,28.66\n2,11x,28.7\n1,115.8,28.6\n")
    >>> for chunk in read_chunks(path, chunk_rows=2):
    ...     print(chunk.data.index.tolist(), chunk.rows.tolist(), chunk.problems["row"].tolist())
    [0, 1] [2, 3] [3]
    [] [] [4]
    >>> folder.cleanup()
    """
    if isinstance(source, (bytes, bytearray, memoryview)) or hasattr(source, "read"):
        msg = (
            "read_chunks reads local files; read bytes and file-like uploads with "
            "geo.io.read, which holds them in memory anyway"
        )
        raise TypeError(msg)
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
        msg = f"`chunk_rows` must be a whole number >= 1, got {chunk_rows!r}"
        raise ValueError(msg)
    spec = resolve_coord_system(coord_system)
    bounds = _check_extent(extent)
    src = open_source(source, name=name, max_bytes=max_bytes)
    start = 0
    for data, problems, rows in chunks(
        src, spec=spec, layer=layer, extent=bounds, id_column=id_column, chunk_rows=chunk_rows
    ):
        index = pd.RangeIndex(start, start + len(data))
        start += len(data)
        yield ReadResult(
            data=data.set_axis(index),
            problems=problems,
            source=src.display,
            rows=pd.Series(rows, index=index, dtype="int64", name="row"),
        )


def write(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    geometry_type: str | None = None,
    style: str | None = None,
) -> Path:
    """Write a GeoDataFrame as GeoJSON, a GeoPackage layer, CSV or GeoParquet, by extension.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The data, with a CRS. It is not modified. A named index is written as a column;
        tuple and list values are written as comma-separated text.
    path : str or os.PathLike
        The target: ``.geojson``/``.json``, ``.gpkg``, ``.csv`` or ``.parquet``.
    layer : str, optional
        The GeoPackage layer (default: the file's stem). Ignored for other formats.
    geometry_type : str, optional
        The GeoPackage layer's geometry type when the data cannot tell (an empty layer),
        e.g. ``"MultiPolygon"``. Ignored otherwise.
    style : str, optional
        A QGIS style (the text of a ``.qml`` file) stored as the layer's default style in
        the GeoPackage's ``layer_styles`` table, which QGIS applies on load. Ignored for
        other formats.

    Returns
    -------
    pathlib.Path
        The absolute path written.

    Notes
    -----
    - One geometry type per layer, in every format: a layer of polygons (some of them
      multi-part) is written as MultiPolygon throughout, lines as MultiLineString, points
      as Point (MultiPoint when some are multi-part); see :func:`uniform_geometries`.
    - ``.geojson`` follows RFC 7946: WGS 84 longitude/latitude, counter-clockwise outer
      rings, no ``crs`` member, 7 decimals (about 1 cm). Geometries are snapped to that
      grid first, so the rounding never repeats a vertex or makes a ring invalid.
    - ``.gpkg`` writes (or replaces) one layer, in the data's CRS, and leaves the file's
      other layers untouched. The edit is made on a copy beside the file that then
      replaces it, so a failure never leaves a half-written GeoPackage. A new file is a
      GeoPackage :data:`GPKG_VERSION`, which GDAL 3.6 (Debian 12) opens without warning.
    - ``.csv`` is UTF-8 with a BOM (Excel shows Chinese correctly), WGS 84, with ``lon``
      and ``lat`` columns when every geometry is a point and a ``wkt`` column otherwise;
      :func:`read` reads it back. Text a spreadsheet would evaluate as a formula gets a
      leading ``'`` (see :func:`table_csv`).
    - ``.parquet`` is GeoParquet 1.1: WGS 84, WKB geometries, a ``bbox`` covering column
      (unless the data has a ``bbox`` column of its own), row groups of 65,536 rows so
      that :func:`read_chunks` reads it in bounded memory; :func:`read` reads it back.

    Raises
    ------
    geo.CRSError
        If ``gdf`` has no CRS.
    WriteError
        If the file cannot be written because the disk is full (an ``OSError``); the
        target is left as it was.
    ValueError
        For an unsupported extension, a missing folder, or a path GDAL would treat as a
        URL or virtual file.
    """
    return _io_write.write(gdf, path, layer=layer, geometry_type=geometry_type, style=style)


def write_table(table: pd.DataFrame, path: str | os.PathLike[str], *, layer: str) -> Path:
    """Write a table without geometry as an attributes table (``layer``) of a GeoPackage.

    As :func:`write` does for a map layer: the other layers of an existing file are kept,
    the edit is made on a copy that then replaces the file, tuples in a cell become
    comma-separated text and a named index becomes a column.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows; it is not modified.
    path : str or os.PathLike
        A ``.gpkg`` file (created when missing).
    layer : str
        The table's name in the GeoPackage.

    Returns
    -------
    pathlib.Path
        The absolute path written.

    Raises
    ------
    ValueError
        For another extension, a missing folder, or a path GDAL would treat as a URL.

    Examples
    --------
    >>> import tempfile, pathlib, pyogrio
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = write_table(pd.DataFrame({"key": ["a"]}), pathlib.Path(folder.name) / "t.gpkg",
    ...                    layer="about")
    >>> pyogrio.list_layers(path).tolist()
    [['about', None]]
    >>> folder.cleanup()
    """
    return _io_write.write_table(table, path, layer=layer)


def table_csv(table: pd.DataFrame) -> bytes:
    """Return a table without geometry as the bytes of a CSV file (UTF-8 with a BOM).

    The same conventions as :func:`write`'s CSV: tuples of keys in a cell are joined with
    commas and a named index becomes a column; Excel opens the Chinese text as it is.
    Formula-safe: a text cell beginning with ``=``, ``+``, ``-`` (unless a number), ``@``,
    a tab or a carriage return gets a leading ``'`` so no spreadsheet evaluates it
    (:func:`formula_safe`).

    Examples
    --------
    >>> print(table_csv(pd.DataFrame({"a": [("x", "y")], "b": [1]})).decode("utf-8-sig"))
    a,b
    "x,y",1
    <BLANKLINE>
    >>> print(table_csv(pd.DataFrame({"name": ["=HYPERLINK(1)", "-3"]})).decode("utf-8-sig"))
    name
    '=HYPERLINK(1)
    -3
    <BLANKLINE>
    """
    return _io_write.table_csv(table)
