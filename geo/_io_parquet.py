"""Reading GeoParquet (1.0 and 1.1), whole or in row batches.

A GeoParquet file says in its ``geo`` metadata which column holds the geometry, how it
is encoded and in which CRS. Read here: the WKB encoding (every GeoParquet 1.0 file and
the usual 1.1 one) and the native GeoArrow ``point`` encoding; CRSs are transformed to
WGS 84. A Parquet file without ``geo`` metadata is read as a table when it has
longitude/latitude (or WKT) columns, with the same checks as a CSV file.

Records are numbered by their row in the file, from 1. A record without a geometry (null,
empty or undecodable WKB) is kept unlocated with a problem, as in every other format.

Batches are read with pyarrow (:meth:`pyarrow.parquet.ParquetFile.iter_batches`), so a
big file never has to be in memory at once; the files :func:`geo.io.write` writes have
row groups of ``geo._io_write.ROW_GROUP_ROWS`` rows, which bounds what a batch costs to
read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj
import shapely

from geo._errors import InputError
from geo._io_checks import (
    ID_COLUMNS,
    KEPT,
    REJECTED,
    CoordSpec,
    Extent,
    Problems,
    duplicate_ids,
    find_column,
)
from geo._io_seen import SeenIds
from geo._io_source import Source
from geo._io_table import no_id_column, table_layout, table_records
from geo._io_vector import check_geometries
from geo._say import at
from geo.messages import text

__all__ = ["parquet_chunks"]

Chunk = tuple[gpd.GeoDataFrame, pd.DataFrame, npt.NDArray[np.int64]]
BoolArray = npt.NDArray[np.bool_]
_SHOWN: Final = 60
# GeoParquet: a column without a "crs" member is in OGC:CRS84 (longitude/latitude, WGS 84).
_DEFAULT_CRS: Final = "OGC:CRS84"
_ENCODINGS: Final = ("wkb", "point")


def _open(src: Source) -> pq.ParquetFile:
    target: Any = src.path if src.path is not None else pa.BufferReader(src.read_bytes())
    try:
        return pq.ParquetFile(target)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(text("geo.parquet.unreadable", file=src.display, error=exc)) from None


def _geo_metadata(parquet: pq.ParquetFile, display: str) -> dict[str, Any] | None:
    """Return the primary geometry column's metadata (with its ``name``), or None."""
    raw = (parquet.schema_arrow.metadata or {}).get(b"geo")
    if raw is None:
        return None
    try:
        geo = json.loads(raw)
        name = str(geo["primary_column"])
        column = dict(geo["columns"][name])
        encoding = str(column["encoding"])
    except (ValueError, KeyError, TypeError):
        raise InputError(text("geo.parquet.metadata", file=display)) from None
    if name not in parquet.schema_arrow.names:
        raise InputError(text("geo.parquet.no_column", file=display, name=name))
    if encoding.lower() not in _ENCODINGS:
        raise InputError(text("geo.parquet.encoding", file=display, name=name, encoding=encoding))
    column["name"] = name
    return column


def _crs(column: dict[str, Any], display: str) -> pyproj.CRS | None:
    if "crs" not in column:
        return pyproj.CRS.from_user_input(_DEFAULT_CRS)
    if column["crs"] is None:  # explicitly unknown
        return None
    try:
        return pyproj.CRS.from_user_input(column["crs"])
    except pyproj.exceptions.CRSError:
        raise InputError(text("geo.parquet.crs", file=display, name=column["name"])) from None


def _geometries(values: pa.Array | pa.ChunkedArray, encoding: str) -> tuple[Any, BoolArray]:
    """Decode a geometry column; return the geometries and where WKB was undecodable."""
    if encoding == "point":
        xy = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        valid = np.asarray(xy.is_valid(), dtype=bool)
        x = xy.field("x").to_numpy(zero_copy_only=False).astype(np.float64)
        y = xy.field("y").to_numpy(zero_copy_only=False).astype(np.float64)
        geoms = np.full(len(xy), None, dtype=object)
        geoms[valid] = shapely.points(x[valid], y[valid])
        return geoms, np.zeros(len(xy), dtype=bool)
    wkb = np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    bad = np.asarray(pd.notna(wkb) & pd.isna(geoms), dtype=bool)
    return geoms, bad


def _shown(value: object) -> str:
    text = "" if value is None or value is pd.NA else str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _batches(parquet: pq.ParquetFile, chunk_rows: int | None) -> Iterator[pa.Table]:
    if chunk_rows is None:
        yield parquet.read()
        return
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        yield pa.Table.from_batches([batch])


def parquet_chunks(
    src: Source,
    *,
    spec: CoordSpec,
    extent: Extent | None,
    id_column: str | None,
    chunk_rows: int | None,
) -> Iterator[Chunk]:
    """Read a (Geo)Parquet source in batches of ``chunk_rows`` rows (None: at once).

    Yields, for every batch with records, the data (EPSG:4326, RangeIndex), its problems
    and each kept record's row; ids are checked for repeats across batches.

    Raises
    ------
    geo.InputError
        For a file that is not Parquet, holds no rows, has malformed or unsupported
        GeoParquet metadata, or (without that metadata) no coordinate columns.
    """
    parquet = _open(src)
    if parquet.metadata.num_rows == 0:
        raise InputError(text("geo.parquet.no_rows", file=src.display))
    column = _geo_metadata(parquet, src.display)
    names = list(parquet.schema_arrow.names)
    # The ids of earlier batches, to find repeats across batches (not needed at once).
    seen: SeenIds | None = None if chunk_rows is None else SeenIds()
    start = 0
    if column is None:
        # A plain Parquet table: coordinates in columns, checked as a CSV file's are.
        layout = table_layout(names, names, src.display, id_column=id_column)
        for table in _batches(parquet, chunk_rows):
            labels = np.arange(start + 1, start + 1 + table.num_rows, dtype=np.int64)
            start += table.num_rows
            problems = Problems()
            data, rows = table_records(
                table.to_pandas(),
                labels,
                layout,
                src.display,
                spec=spec,
                extent=extent,
                problems=problems,
                seen_ids=seen,
            )
            yield data, problems.frame(), rows
        return
    crs = _crs(column, src.display)
    geometry = str(column["name"])
    # The covering bbox columns (GeoParquet 1.1) only index the geometry: not data.
    covering = {
        str(path[0])
        for path in (column.get("covering") or {}).get("bbox", {}).values()
        if isinstance(path, list) and path
    }
    attributes = [n for n in names if n != geometry and n not in covering]
    id_col = find_column(attributes, ID_COLUMNS) if id_column is None else id_column
    if id_col is not None and id_col not in attributes:
        raise no_id_column(src.display, id_col, attributes)
    encoding = str(column["encoding"]).lower()
    for table in _batches(parquet, chunk_rows):
        labels = np.arange(start + 1, start + 1 + table.num_rows, dtype=np.int64)
        start += table.num_rows
        yield _geo_chunk(
            table,
            labels,
            src.display,
            geometry=geometry,
            encoding=encoding,
            crs=crs,
            attributes=attributes,
            id_col=id_col,
            spec=spec,
            extent=extent,
            seen=seen,
        )


def _geo_chunk(
    table: pa.Table,
    labels: npt.NDArray[np.int64],
    display: str,
    *,
    geometry: str,
    encoding: str,
    crs: pyproj.CRS | None,
    attributes: list[str],
    id_col: str | None,
    spec: CoordSpec,
    extent: Extent | None,
    seen: SeenIds | None,
) -> Chunk:
    problems = Problems()
    geoms, bad = _geometries(table.column(geometry), encoding)
    missing = np.asarray(pd.isna(geoms), dtype=bool)
    missing[~missing] = np.asarray(shapely.is_empty(geoms[~missing]), dtype=bool)
    for i in np.flatnonzero(missing):
        what = text("geo.parquet.not_wkb" if bad[i] else "geo.parquet.empty")
        problems.add(
            labels[i],
            geometry,
            "",
            text("geo.parquet.geometry", at=at(display, labels[i]), column=geometry, what=what),
            KEPT,
        )
    frame = table.select(attributes).to_pandas()
    raw = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(np.where(missing, None, geoms), crs=crs))
    # Missing geometries are reported above (per row, never "no geometry in the file").
    out = check_geometries(
        raw,
        labels=labels,
        label_word="row",
        display=display,
        spec=spec,
        extent=extent,
        problems=problems,
        skip=missing,
        column=geometry,
    )
    rejected = np.zeros(len(out), dtype=bool)
    if id_col is not None:
        rejected, first = duplicate_ids(out[id_col], labels, seen=seen)
        for i in np.flatnonzero(rejected):
            value = str(out[id_col].iloc[i])
            problems.add(
                labels[i],
                id_col,
                _shown(value),
                text("geo.table.duplicate_id", at=at(display, labels[i]), id=value, first=first[i]),
                REJECTED,
            )
        if rejected.any():
            # A rejected row's other problems would only distract: it is not in the data.
            problems.drop_rows(labels[rejected], keep=REJECTED)
            out = out.loc[~rejected].reset_index(drop=True)
    return out, problems.frame(), labels[~rejected]
