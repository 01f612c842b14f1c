"""Writing standard files: RFC 7946 GeoJSON, GeoPackage layers, CSV and GeoParquet.

Every writer writes beside the target first and then renames over it (``os.replace`` is
atomic on one file system), so a crash or a full disk never leaves a half-written file
where a good one was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo._errors import CRSError
from geo._io_source import check_gdal_string
from geo._io_table import LAT_COLUMNS, LON_COLUMNS
from geo.crs import WGS84

__all__ = ["ROW_GROUP_ROWS", "WRITERS", "write"]

WRITERS: Final = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".csv": "csv",
    ".parquet": "parquet",
}
"""Extensions :func:`write` understands."""
ROW_GROUP_ROWS: Final = 65_536
"""Rows per row group of a written GeoParquet file: few enough that a reader going through
it in batches holds little at once, enough for good compression."""


@contextlib.contextmanager
def _aside(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``."""
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def _plain_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy GDAL can write: a named index becomes a column, sequences text."""
    out = gdf.copy()
    if any(n is not None for n in out.index.names):
        out = out.reset_index()
    else:
        out = out.reset_index(drop=True)
    geom_name = out.geometry.name
    for col in out.columns:
        if col == geom_name or out[col].dtype != object:
            continue
        joined = _joined(out[col])
        if joined is not None:
            # Tuples of keys (e.g. segments) have no field type in GDAL: written as "a,b".
            out[col] = joined
    return out


def _joined(values: pd.Series) -> pd.Series | None:
    """Return the column with sequences joined by commas, or None if it holds none.

    A column of tuples usually repeats a few distinct ones (the areas of a million
    firms): each distinct value is joined once.
    """
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable values (lists): one by one
        if not values.map(_is_sequence).any():
            return None
        return values.map(_join)
    if not any(_is_sequence(u) for u in uniques):
        return None
    texts = np.array([_join(u) for u in uniques] + [None], dtype=object)
    return pd.Series(texts[codes], index=values.index, name=values.name)


def _is_sequence(value: object) -> bool:
    return isinstance(value, (tuple, list, set, frozenset))


def _join(value: object) -> object:
    if isinstance(value, (tuple, list, set, frozenset)):
        return ",".join(map(str, value))
    return value


def _write_geojson(gdf: gpd.GeoDataFrame, target: Path) -> None:
    data = _plain_columns(gdf.to_crs(WGS84))
    with _aside(target) as tmp:
        # RFC7946=YES: WGS 84 lon/lat, counter-clockwise outer rings, no "crs" member and
        # coordinates rounded to 7 decimals (about 1 cm).
        pyogrio.write_dataframe(data, tmp, driver="GeoJSON", RFC7946="YES", WRITE_NAME="NO")


def _write_gpkg(gdf: gpd.GeoDataFrame, target: Path, layer: str) -> None:
    data = _plain_columns(gdf)
    with _aside(target) as tmp:
        if target.exists():
            # The other layers must survive: edit a copy, then swap it in.
            shutil.copyfile(target, tmp)
        else:
            tmp.unlink()
        # Through Arrow: GDAL takes whole columns instead of one feature at a time, about
        # 2.5 times faster for a million rows, with the same file.
        pyogrio.write_dataframe(data, tmp, layer=layer, driver="GPKG", use_arrow=True)


def _source_coordinate_names(columns: pd.Index) -> dict[str, str]:
    """Rename coordinate-like columns other than ``lon``/``lat`` to ``<name>_source``.

    The file's ``lon``/``lat`` are the geometry in WGS 84. Other columns a reader would
    also take for coordinates (``经度``, ``lng``, ``x`` ... e.g. the GCJ-02 text a table
    was first read from) are kept, under a name that no longer competes with them, so
    :func:`geo.io.read` reads the written file back without ambiguity.
    """
    taken = {str(c) for c in columns}
    coordinate_like = {c.lower() for c in (*LON_COLUMNS, *LAT_COLUMNS)} - {"lon", "lat"}
    renames: dict[str, str] = {}
    for c in columns:
        if str(c).strip().lower() in coordinate_like:
            new = f"{c}_source"
            while new in taken:
                new += "_"
            taken.add(new)
            renames[str(c)] = new
    return renames


def _write_csv(gdf: gpd.GeoDataFrame, target: Path) -> None:
    data = _plain_columns(gdf.to_crs(WGS84))
    geom_name = data.geometry.name
    geoms = np.asarray(data.geometry.array, dtype=object)
    present = ~pd.isna(geoms)
    table = pd.DataFrame(data.drop(columns=geom_name))
    kinds = shapely.get_type_id(geoms[present])
    if (kinds == shapely.GeometryType.POINT).all():
        table = table.rename(columns=_source_coordinate_names(table.columns))
        lon = np.full(len(geoms), np.nan)
        lat = np.full(len(geoms), np.nan)
        lon[present] = shapely.get_x(geoms[present])
        lat[present] = shapely.get_y(geoms[present])
        table["lon"] = lon
        table["lat"] = lat
    else:
        wkt = np.full(len(geoms), None, dtype=object)
        wkt[present] = shapely.to_wkt(geoms[present], rounding_precision=-1)
        table["wkt"] = wkt
    with _aside(target) as tmp:
        # UTF-8 with a BOM: Excel then opens Chinese text correctly.
        table.to_csv(tmp, index=False, encoding="utf-8-sig")


def _write_parquet(gdf: gpd.GeoDataFrame, target: Path) -> None:
    data = _plain_columns(gdf.to_crs(WGS84))
    with _aside(target) as tmp:
        # GeoParquet 1.1 with WKB geometries (what every reader reads) and the covering
        # "bbox" column that lets readers skip row groups outside a filter; a data column
        # of that name keeps it, and the file then goes without the covering.
        data.to_parquet(
            tmp,
            index=False,
            geometry_encoding="WKB",
            schema_version="1.1.0",
            write_covering_bbox="bbox" not in data.columns,
            row_group_size=ROW_GROUP_ROWS,
        )


def write(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, layer: str | None = None) -> Path:
    """Write a GeoDataFrame to GeoJSON, GeoPackage, CSV or GeoParquet, by the extension.

    See :func:`geo.io.write` for the full description.
    """
    check_gdal_string(os.fspath(path), what="path")
    target = Path(path).resolve()
    kind = WRITERS.get(target.suffix.lower())
    if kind is None:
        msg = (
            f"cannot write {target.name!r}: the extension must be one of "
            f"{', '.join(WRITERS)} (GeoJSON, GeoPackage, CSV, GeoParquet)"
        )
        raise ValueError(msg)
    if not target.parent.is_dir():
        msg = f"cannot write {target.name!r}: the folder {str(target.parent)!r} does not exist"
        raise ValueError(msg)
    if gdf.crs is None:
        msg = (
            f"cannot write {target.name!r}: the geometries have no CRS; declare it with "
            "`set_crs('EPSG:4326')` (or whatever they are in) first"
        )
        raise CRSError(msg)
    if kind == "geojson":
        _write_geojson(gdf, target)
    elif kind == "gpkg":
        _write_gpkg(gdf, target, layer or target.stem)
    elif kind == "parquet":
        _write_parquet(gdf, target)
    else:
        _write_csv(gdf, target)
    return target


def table_csv(table: pd.DataFrame) -> bytes:
    """Return a table without geometry as the bytes of a CSV file (UTF-8 with a BOM).

    Sequences in a cell (tuples of keys) are joined with commas, as :func:`write` does;
    a named index becomes a column.
    """
    plain = pd.DataFrame(table)
    if any(n is not None for n in plain.index.names):
        plain = plain.reset_index()
    else:
        plain = plain.reset_index(drop=True)
    for col in plain.columns:
        if plain[col].dtype == object and plain[col].map(_is_sequence).any():
            plain[col] = plain[col].map(_join)
    return plain.to_csv(index=False).encode("utf-8-sig")
