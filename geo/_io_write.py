"""Writing standard files: RFC 7946 GeoJSON, GeoPackage layers, CSV and GeoParquet.

Every writer writes beside the target first and then renames over it (``os.replace`` is
atomic on one file system), so a crash or a full disk never leaves a half-written file
where a good one was; a full disk is reported as a :class:`WriteError` naming the file.

Every CSV written (:func:`write`'s ``.csv``, :func:`table_csv`) is formula-safe: a text
cell (or header) that a spreadsheet would evaluate, one beginning with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, and that is not a plain number, gets a leading
single quote, as OWASP recommends against CSV injection (:func:`formula_safe`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyogrio
import shapely

from geo._errors import CRSError, InputError, TwoLanguageError
from geo._io_source import check_gdal_string
from geo._io_table import LAT_COLUMNS, LON_COLUMNS
from geo.crs import WGS84
from geo.messages import text

__all__ = [
    "GEOJSON_DECIMALS",
    "GPKG_VERSION",
    "ROW_GROUP_ROWS",
    "STYLES_TABLE",
    "WRITERS",
    "WriteError",
    "formula_safe",
    "table_csv",
    "uniform_geometries",
    "write",
    "write_table",
]

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
GEOJSON_DECIMALS: Final = 7
"""Decimals of a GeoJSON coordinate (1e-7 degrees, about 1 cm): what GDAL's RFC 7946 writer
rounds to, and the grid geometries are snapped to before it does."""
GPKG_VERSION: Final = "1.3"
"""GeoPackage version written. GDAL 3.7+ writes 1.4 by default, which GDAL 3.6 (Debian 12,
QGIS builds on it) opens with the warning "may only be partially supported"; nothing we
write needs 1.4."""
STYLES_TABLE: Final = "layer_styles"
"""The table QGIS (and GDAL) read a layer's default style from on load."""
_STYLE_COLUMNS: Final = (
    "f_table_catalog",
    "f_table_schema",
    "f_table_name",
    "f_geometry_column",
    "styleName",
    "styleQML",
    "styleSLD",
    "useAsDefault",
    "description",
    "owner",
    "ui",
    "update_time",
)
GEOMETRY_COLUMN: Final = "geom"
"""The geometry column of a written GeoPackage layer (GDAL's default, named explicitly
because ``layer_styles`` refers to it)."""
_MULTI: Final = {
    shapely.GeometryType.POINT: shapely.GeometryType.MULTIPOINT,
    shapely.GeometryType.LINESTRING: shapely.GeometryType.MULTILINESTRING,
    shapely.GeometryType.POLYGON: shapely.GeometryType.MULTIPOLYGON,
}
_TYPE_NAMES: Final = {
    shapely.GeometryType.POINT: "Point",
    shapely.GeometryType.MULTIPOINT: "MultiPoint",
    shapely.GeometryType.MULTILINESTRING: "MultiLineString",
    shapely.GeometryType.MULTIPOLYGON: "MultiPolygon",
}


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_NUMBER: Final = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")
# How GDAL and SQLite say the disk is full (errno is lost on the way through them).
_DISK_FULL: Final = re.compile(r"No space left on device|database or disk is full|disk full", re.I)


class WriteError(TwoLanguageError, OSError):
    """A file could not be written (e.g. the disk is full); the target is left as it was."""


def _unsafe(value: object) -> bool:
    return (
        isinstance(value, str) and value.startswith(_FORMULA_START) and _NUMBER.match(value) is None
    )


def formula_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells and header names no spreadsheet would evaluate.

    A value beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
    read by Excel, WPS and LibreOffice as a formula (``=HYPERLINK(...)``, ``@SUM(...)``)
    when the CSV is opened; a leading single quote makes it text. Signed numbers
    (``-5``, ``+1.5e3``) and non-text columns are left as they are.

    Examples
    --------
    >>> formula_safe(pd.DataFrame({"name": ["=1+1", "-5", "-x", "ok"]}))["name"].tolist()
    ["'=1+1", '-5', "'-x", 'ok']
    """
    out = pd.DataFrame(table).copy()
    for j, col in enumerate(out.columns):
        values = out.iloc[:, j]
        if values.dtype.kind in "biufcmM":
            continue
        unsafe = values.map(_unsafe).to_numpy(dtype=bool)
        if unsafe.any():
            fixed = values.astype(object).copy()
            fixed[unsafe] = "'" + values[unsafe].astype(str)
            out[col] = fixed
    out.columns = [f"'{c}" if _unsafe(c) else c for c in out.columns]
    return out


def _line_end(table: pd.DataFrame) -> str:
    r"""Return the CSV line end: ``\n``, or ``\r\n`` when a text cell holds a ``\r``.

    Python's csv writer quotes a cell holding a character of the line end only, so with
    ``\n`` a lone carriage return would go out unquoted and split its row in two for
    every reader; with ``\r\n`` (also standard CSV) such a cell is quoted.
    """
    for j in range(table.shape[1]):
        values = table.iloc[:, j]
        if (
            values.dtype.kind not in "biufcmM"
            and values.map(lambda v: isinstance(v, str) and "\r" in v).any()
        ):
            return "\r\n"
    return "\n"


@contextlib.contextmanager
def _reported(target: Path) -> Iterator[None]:
    """Report a full disk as a :class:`WriteError` naming the file (nothing is replaced)."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, WriteError) or exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise _disk_full(target) from None
    except RuntimeError as exc:  # pyogrio's errors (GDAL's), SQLite's through GDAL
        if _DISK_FULL.search(str(exc)) is None:
            raise
        raise _disk_full(target) from None


def _disk_full(target: Path) -> WriteError:
    return WriteError(text("geo.lossless.disk_full", name=target.name, folder=str(target.parent)))


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


def uniform_geometries(geoms: npt.ArrayLike) -> tuple[np.ndarray, str | None]:
    """Return the geometries with one type per layer, and that type's name.

    Polygons become single-part MultiPolygons whenever the layer is polygonal, lines
    MultiLineStrings, and points MultiPoints when some are MultiPoints already: a GIS
    reading the file then sees one geometry type ("Multi Polygon"), not a mix that GDAL
    and QGIS call "Unknown (any)". Missing geometries stay missing; empty ones become the
    layer type's empty geometry. A layer mixing points with polygons (or lines) is
    returned as it is, with None.

    Examples
    --------
    >>> from shapely.geometry import MultiPolygon, box
    >>> out, kind = uniform_geometries([box(0, 0, 1, 1), MultiPolygon([box(2, 2, 3, 3)]), None])
    >>> kind, [g.geom_type if g is not None else None for g in out]
    ('MultiPolygon', ['MultiPolygon', 'MultiPolygon', None])
    """
    out = np.array(geoms, dtype=object).copy()
    present = ~pd.isna(out)
    kinds = shapely.get_type_id(out[present])
    families = {_family(int(k)) for k in np.unique(kinds)}
    if len(families) != 1:
        return out, None
    family = families.pop()
    if family is None:
        return out, None
    if (
        family == shapely.GeometryType.POINT
        and not (kinds == shapely.GeometryType.MULTIPOINT).any()
    ):
        return out, "Point"
    single = np.zeros(len(out), dtype=bool)
    single[present] = kinds == family
    empty = np.zeros(len(out), dtype=bool)
    empty[present] = shapely.is_empty(out[present])
    single &= ~empty
    build = {
        shapely.GeometryType.POINT: shapely.multipoints,
        shapely.GeometryType.LINESTRING: shapely.multilinestrings,
        shapely.GeometryType.POLYGON: shapely.multipolygons,
    }[family]
    if single.any():
        out[single] = build(out[single][:, np.newaxis])
    multi = _MULTI[family]
    if empty.any():
        out[empty] = shapely.from_wkt(f"{_TYPE_NAMES[multi].upper()} EMPTY")
    return out, _TYPE_NAMES[multi]


def _family(kind: int) -> shapely.GeometryType | None:
    """Return the single-part type of a geometry type id (None: collections, rings)."""
    for single, multi in _MULTI.items():
        if kind in (single, multi):
            return single
    return None


def _uniform(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, str | None]:
    """Return ``gdf`` (a copy) with :func:`uniform_geometries`, and the layer's type."""
    geoms, kind = uniform_geometries(gdf.geometry.array)
    out = gdf.copy()
    out[gdf.geometry.name] = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    return out, kind


def _write_geojson(gdf: gpd.GeoDataFrame, target: Path) -> None:
    data = _plain_columns(gdf.to_crs(WGS84))
    geoms = np.asarray(data.geometry.array, dtype=object)
    present = ~pd.isna(geoms)
    # GDAL rounds coordinates to GEOJSON_DECIMALS; two vertices closer than that would be
    # written as the same point twice in a row (the areas' overlay seams have them), and a
    # thin sliver could collapse into an invalid ring. Snapping to that grid first removes
    # the repeats and keeps every geometry valid (GEOS repairs what the snap breaks), so
    # the rounding that follows changes nothing.
    snapped = geoms.copy()
    snapped[present] = shapely.set_precision(geoms[present], 10.0**-GEOJSON_DECIMALS)
    data[data.geometry.name] = gpd.GeoSeries(snapped, index=data.index, crs=WGS84)
    data, kind = _uniform(data)
    with _aside(target) as tmp:
        # RFC7946=YES: WGS 84 lon/lat, counter-clockwise outer rings, no "crs" member and
        # coordinates rounded to 7 decimals (about 1 cm).
        pyogrio.write_dataframe(
            data,
            tmp,
            driver="GeoJSON",
            RFC7946="YES",
            WRITE_NAME="NO",
            COORDINATE_PRECISION=GEOJSON_DECIMALS,
            geometry_type=kind,
        )


def _write_gpkg(
    gdf: gpd.GeoDataFrame,
    target: Path,
    layer: str,
    *,
    geometry_type: str | None,
    style: str | None,
) -> None:
    data, kind = _uniform(_plain_columns(gdf))
    with _aside(target) as tmp:
        _open_copy(target, tmp)
        # Through Arrow: GDAL takes whole columns instead of one feature at a time, about
        # 2.5 times faster for a million rows, with the same file. The geometry type is
        # declared (an empty layer has none to infer).
        pyogrio.write_dataframe(
            data,
            tmp,
            layer=layer,
            driver="GPKG",
            use_arrow=True,
            geometry_type=kind or geometry_type or "Unknown",
            layer_options={"GEOMETRY_NAME": GEOMETRY_COLUMN},
            dataset_options={"VERSION": GPKG_VERSION},
        )
        if style is not None:
            _embed_style(tmp, layer, style, geometry_column=GEOMETRY_COLUMN)


def _open_copy(target: Path, tmp: Path) -> None:
    """Start ``tmp`` as a copy of ``target`` (its other layers must survive), or as nothing."""
    if target.exists():
        shutil.copyfile(target, tmp)
    else:
        tmp.unlink()


def _embed_style(path: Path, layer: str, qml: str, *, geometry_column: str | None) -> None:
    """Make ``qml`` the default style of ``layer`` in the GeoPackage's ``layer_styles``.

    The table is the one QGIS writes (and reads on load): a plain attributes table, one
    row per style, ``useAsDefault`` marking the one applied. A previous default style of
    the same layer is replaced; other layers' rows are kept.
    """
    row = pd.DataFrame(
        {
            "f_table_catalog": [""],
            "f_table_schema": [""],
            "f_table_name": [layer],
            "f_geometry_column": [geometry_column or ""],
            "styleName": [layer],
            "styleQML": [qml],
            "styleSLD": [""],
            "useAsDefault": [True],
            "description": ["nanchang-storage-zoning"],
            "owner": [""],
            "ui": [""],
            "update_time": [pd.Timestamp.now(tz="UTC").floor("s")],
        }
    )
    if STYLES_TABLE in {str(name) for name, _ in pyogrio.list_layers(path)}:
        kept = pyogrio.read_dataframe(path, layer=STYLES_TABLE, read_geometry=False)
        kept = pd.DataFrame(kept).reindex(columns=list(_STYLE_COLUMNS))
        row = pd.concat([kept[kept["f_table_name"] != layer], row], ignore_index=True)
    # Rewritten whole (GDAL replaces a layer of the same name): a handful of rows.
    pyogrio.write_dataframe(
        row.astype({"useAsDefault": bool}),
        path,
        layer=STYLES_TABLE,
        driver="GPKG",
        layer_options={"FID": "id"},
    )


def write_table(table: pd.DataFrame, path: str | os.PathLike[str], *, layer: str) -> Path:
    """Write a table without geometry as an attributes table of a GeoPackage.

    See :func:`geo.io.write_table` for the full description.
    """
    check_gdal_string(os.fspath(path), what="path")
    target = Path(path).resolve()
    if target.suffix.lower() != ".gpkg":
        raise InputError(text("geo.write.extension", name=target.name, writers=".gpkg"))
    if not target.parent.is_dir():
        raise InputError(text("geo.write.no_folder", name=target.name, folder=str(target.parent)))
    plain = pd.DataFrame(table)
    plain = plain.reset_index() if any(n is not None for n in plain.index.names) else plain
    plain = plain.reset_index(drop=True)
    for col in plain.columns:
        if plain[col].dtype == object and plain[col].map(_is_sequence).any():
            plain[col] = plain[col].map(_join)
    with _reported(target), _aside(target) as tmp:
        _open_copy(target, tmp)
        pyogrio.write_dataframe(
            plain, tmp, layer=layer, driver="GPKG", dataset_options={"VERSION": GPKG_VERSION}
        )
    return target


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
    data, _ = _uniform(_plain_columns(gdf.to_crs(WGS84)))
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
        safe = formula_safe(table)
        safe.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator=_line_end(safe))


def _write_parquet(gdf: gpd.GeoDataFrame, target: Path) -> None:
    data, _ = _uniform(_plain_columns(gdf.to_crs(WGS84)))
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


def write(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    geometry_type: str | None = None,
    style: str | None = None,
) -> Path:
    """Write a GeoDataFrame to GeoJSON, GeoPackage, CSV or GeoParquet, by the extension.

    See :func:`geo.io.write` for the full description.
    """
    check_gdal_string(os.fspath(path), what="path")
    target = Path(path).resolve()
    kind = WRITERS.get(target.suffix.lower())
    if kind is None:
        # InputError is a ValueError: the name may come from a user (the CLI's --out).
        writers = ", ".join(WRITERS)
        raise InputError(text("geo.write.extension", name=target.name, writers=writers))
    if not target.parent.is_dir():
        raise InputError(text("geo.write.no_folder", name=target.name, folder=str(target.parent)))
    if gdf.crs is None:
        raise CRSError(text("geo.write.no_crs", name=target.name))
    with _reported(target):
        if kind == "geojson":
            _write_geojson(gdf, target)
        elif kind == "gpkg":
            _write_gpkg(gdf, target, layer or target.stem, geometry_type=geometry_type, style=style)
        elif kind == "parquet":
            _write_parquet(gdf, target)
        else:
            _write_csv(gdf, target)
    return target


def table_csv(table: pd.DataFrame) -> bytes:
    """Return a table without geometry as the bytes of a CSV file (UTF-8 with a BOM).

    Sequences in a cell (tuples of keys) are joined with commas, as :func:`write` does;
    a named index becomes a column; cells a spreadsheet would evaluate are quoted
    (:func:`formula_safe`).
    """
    plain = pd.DataFrame(table)
    if any(n is not None for n in plain.index.names):
        plain = plain.reset_index()
    else:
        plain = plain.reset_index(drop=True)
    for col in plain.columns:
        if plain[col].dtype == object and plain[col].map(_is_sequence).any():
            plain[col] = plain[col].map(_join)
    safe = formula_safe(plain)
    return safe.to_csv(index=False, lineterminator=_line_end(safe)).encode("utf-8-sig")
