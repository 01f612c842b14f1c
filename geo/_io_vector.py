"""Reading vector files: GeoJSON, GeoPackage, zipped Shapefile and KML (via pyogrio/GDAL).

GDAL only ever opens absolute paths of files checked by :mod:`geo._io_source` or written
here, under names chosen here, inside a private temporary folder removed afterwards.

Nothing is lost on the way: an archive naming a member twice (or twice but for case) is
refused, a Shapefile whose parts hold different numbers of records is refused, and the
features read are counted against the number the driver reports. GeoPackages are opened
read-only (immutable, so a read-only mount is readable) and a layer that is an SQL view
is refused (a view is computed when read, and a recursive one never finishes).
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyogrio
import pyogrio.errors
import pyproj
import shapely

from geo._errors import InputError
from geo._io_checks import (
    ID_COLUMNS,
    KEPT,
    REJECTED,
    REPAIRED,
    CoordSpec,
    CRSHint,
    Extent,
    Problems,
    describe_extent,
    duplicate_ids,
    find_column,
    refuse_projected,
)
from geo._io_source import Source, check_zip, extract_shapefile
from geo._io_write import STYLES_TABLE
from geo._say import at, listing
from geo.crs import WGS84, convert_geometry
from geo.messages import Text, text

__all__ = ["check_geometries", "read_vector"]

BoolArray = npt.NDArray[np.bool_]
_GDAL_ERRORS: Final = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.CRSError,
)
_SUFFIX: Final = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml"}
_SHOWN: Final = 60
_JSON_COLUMN: Final = re.compile(r"Could not parse column '.*' as JSON; leaving as string")
# KML NetworkLink elements make the LIBKML driver fetch remote documents.
_NETWORK_LINK: Final = re.compile(rb"<\s*(?:\w+:)?NetworkLink\b", re.IGNORECASE)
# Plain KML never needs a DTD; entity declarations are the XML bomb and XXE vector.
_DOCTYPE: Final = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _wkt_shown(geom: object) -> str:
    if geom is None:
        return ""
    text = str(shapely.to_wkt(geom, rounding_precision=6))
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _bbox_hits(bounds: npt.NDArray[np.float64], extent: Extent) -> BoolArray:
    x0, y0, x1, y1 = extent.bounds
    with np.errstate(invalid="ignore"):
        hits: BoolArray = (
            (bounds[:, 0] <= x1)
            & (bounds[:, 2] >= x0)
            & (bounds[:, 1] <= y1)
            & (bounds[:, 3] >= y0)
        )
    return hits


@dataclass(frozen=True)
class _Report:
    """Where problems go and how records are named in them."""

    problems: Problems
    labels: npt.NDArray[np.int64]
    label_word: str
    display: str
    column: str

    def add(
        self, i: int | np.integer, geom: object, key: str, action: str, **values: object
    ) -> None:
        """Record message ``key`` for record ``i``, prefixed with the row or feature."""
        label = self.labels[i]
        where = at(self.display, label, feature=self.label_word == "feature")
        message = text(key, at=where, **values)
        self.problems.add(label, self.column, _wkt_shown(geom), message, action)


def check_geometries(
    gdf: gpd.GeoDataFrame,
    *,
    labels: npt.NDArray[np.int64],
    label_word: str,
    display: str,
    spec: CoordSpec,
    extent: Extent | None,
    problems: Problems,
    skip: BoolArray | None = None,
    column: str = "geometry",
) -> gpd.GeoDataFrame:
    """Bring geometries to WGS 84 and report (and unlocate) the unusable ones.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Geometries in their source CRS (None when the file declares none).
    labels : numpy.ndarray
        The number reported for each record (feature number or spreadsheet row).
    label_word : str
        "feature" or "row", for messages.
    display : str
        The file's name, for messages.
    spec : CoordSpec
        The resolved ``coord_system`` argument.
    extent : Extent or None
        Where the records are expected (None: anywhere).
    problems : Problems
        Receives one row per problem.
    skip : numpy.ndarray of bool, optional
        Records whose missing geometry was already reported.
    column : str
        The column named in problems (a table's WKT column, else "geometry").

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:4326 with ``None`` for every unlocated record.
    """
    report = _Report(problems, labels, label_word, display, column)
    geoms = np.asarray(gdf.geometry.array, dtype=object).copy()
    skip = np.zeros(len(gdf), dtype=bool) if skip is None else skip
    missing = np.asarray(pd.isna(geoms) | shapely.is_empty(geoms), dtype=bool)
    if missing.all() and not skip.all():
        units = text("geo.word.features" if label_word == "feature" else "geo.word.rows")
        raise InputError(text("geo.vector.no_geometry", file=display, n=len(gdf), units=units))
    for i in np.flatnonzero(missing & ~skip):
        report.add(i, geoms[i], "geo.vector.empty_geometry", KEPT)
    geoms[missing] = None
    hints = () if extent is None else extent.crs_hints
    geoms, geographic = _to_wgs84(geoms, gdf.crs, spec, display, hints=hints)
    located = _check_positions(geoms, ~missing, geographic, extent, report)
    geoms[~located] = None
    geoms = _repair(geoms, located, report)
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=WGS84))


def _to_wgs84(
    geoms: npt.NDArray[np.object_],
    source_crs: object,
    spec: CoordSpec,
    display: str,
    *,
    hints: Sequence[CRSHint],
) -> tuple[npt.NDArray[np.object_], bool]:
    """Transform to WGS 84; refuse metres that come without a CRS.

    Returns the geometries and whether the source was longitude/latitude.
    """
    crs = pyproj.CRS.from_user_input(source_crs) if source_crs is not None else None
    if crs is None and spec.system == "crs":
        crs = spec.crs
    geographic = crs is None or crs.is_geographic
    present = ~pd.isna(geoms)
    if geographic:
        # GDAL labels GeoJSON without a crs member as WGS 84 whatever its numbers are.
        box = shapely.bounds(geoms[present])
        refuse_projected(
            (box[:, 0] + box[:, 2]) / 2,
            (box[:, 1] + box[:, 3]) / 2,
            display,
            what=text("geo.projected.coordinates"),
            hints=hints,
        )
    if crs is None:
        crs = pyproj.CRS.from_user_input(WGS84)
    offset = spec.system in ("gcj02", "bd09")
    if offset and not crs.is_geographic:
        raise InputError(
            text(
                "geo.vector.offset_projected",
                file=display,
                crs=crs.to_string(),
                system=spec.system,
            )
        )
    series = gpd.GeoSeries(geoms, crs=crs)
    if not crs.equals(pyproj.CRS.from_user_input(WGS84)):
        series = series.to_crs(WGS84)
    out = np.asarray(series.array, dtype=object).copy()
    if offset and present.any():
        out[present] = convert_geometry(out[present], src=spec.system, dst="wgs84")
    return out, geographic


def _check_positions(
    geoms: npt.NDArray[np.object_],
    present: BoolArray,
    geographic: bool,
    extent: Extent | None,
    report: _Report,
) -> BoolArray:
    """Report swapped, impossible and out-of-extent geometries; return the usable ones."""
    bounds = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        in_range = (
            np.isfinite(bounds).all(axis=1)
            & (np.abs(bounds[:, [0, 2]]) <= 180).all(axis=1)
            & (np.abs(bounds[:, [1, 3]]) <= 90).all(axis=1)
        )
    swapped = np.zeros(len(geoms), dtype=bool)
    outside = np.zeros(len(geoms), dtype=bool)
    where: Text | str = describe_extent(extent) if extent is not None else ""
    if extent is not None:
        hits = _bbox_hits(bounds, extent)
        if geographic:
            swapped = present & ~hits & _bbox_hits(bounds[:, [1, 0, 3, 2]], extent)
        outside = present & in_range & ~hits & ~swapped
    out_of_range = present & ~in_range & ~swapped
    for i in np.flatnonzero(swapped):
        report.add(i, geoms[i], "geo.vector.swapped", KEPT, where=where)
    for i in np.flatnonzero(out_of_range):
        report.add(i, geoms[i], "geo.vector.not_on_earth", KEPT)
    for i in np.flatnonzero(outside):
        report.add(i, geoms[i], "geo.vector.outside", KEPT, where=where)
    located: BoolArray = present & ~swapped & ~out_of_range & ~outside
    return located


def _repair(
    geoms: npt.NDArray[np.object_], located: BoolArray, report: _Report
) -> npt.NDArray[np.object_]:
    """Repair invalid geometries with make_valid, reporting each one."""
    invalid = located & ~np.asarray(shapely.is_valid(geoms), dtype=bool)
    if not invalid.any():
        return geoms
    out = geoms.copy()
    reasons = shapely.is_valid_reason(geoms[invalid])
    # "structure" keeps polygons polygonal (no stray boundary lines) and drops collapsed parts.
    fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    for i, reason, new in zip(np.flatnonzero(invalid), reasons, fixed, strict=True):
        if shapely.is_empty(new):
            report.add(i, geoms[i], "geo.vector.collapses", KEPT, reason=reason)
            out[i] = None
        else:
            report.add(i, geoms[i], "geo.vector.repaired", REPAIRED, reason=reason)
            out[i] = new
    return out


_GEOMETRY_TYPES: Final = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)
# GDAL's advice to prefix the path with a driver name, which geo.io refuses on purpose.
_DRIVER_ADVICE: Final = re.compile(r"[;\s]*It might help to specify the correct driver[^;]*")
_TEMP_PATH: Final = re.compile(
    re.escape(str(Path(tempfile.gettempdir()) / "geo-io-")) + r"[^\s'\"]*"
)


def _gdal_message(exc: BaseException, path: Path, display: str) -> str:
    """Return GDAL's message naming ``display`` instead of paths, without driver advice."""
    text = str(exc).replace(str(path), display)
    text = _TEMP_PATH.sub(display, text)
    text = _DRIVER_ADVICE.sub("", text)
    return text.strip().rstrip(";").strip()


def _check_geojson(data: bytes, display: str) -> object:
    """Parse GeoJSON before GDAL sees it; refuse what is not JSON or not GeoJSON.

    GDAL's own messages for these cases name the file's temporary path and advise a
    driver prefix; this names the file, the place of a syntax error and the expected form.

    Returns
    -------
    object
        The parsed document (a dict), reused to recover the features' ids.
    """
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(
            text(
                "geo.geojson.not_json",
                file=display,
                error=exc.msg,
                line=exc.lineno,
                col=exc.colno,
            )
        ) from None
    except UnicodeDecodeError:
        raise InputError(text("geo.vector.not_utf8", file=display)) from None
    except RecursionError:
        # Arrays or objects nested thousands deep: no GeoJSON needs more than a few levels.
        raise InputError(text("geo.lossless.json_depth", file=display)) from None
    shape = text("geo.geojson.shape")
    if not isinstance(doc, dict):
        what = {
            list: "geo.json.list",
            str: "geo.json.string",
            bool: "geo.json.bool",
            type(None): "geo.json.null",
        }.get(type(doc), "geo.json.number")
        raise InputError(text("geo.geojson.top_level", file=display, what=text(what), shape=shape))
    kind = doc.get("type")
    if kind == "FeatureCollection":
        if not isinstance(doc.get("features"), list):
            raise InputError(text("geo.geojson.no_features", file=display, shape=shape))
    elif kind != "Feature" and kind not in _GEOMETRY_TYPES:
        found = (
            text("geo.geojson.type_is", kind=kind) if "type" in doc else text("geo.geojson.no_type")
        )
        raise InputError(text("geo.geojson.not_geojson", file=display, found=found, shape=shape))
    return doc


def _list_layers(path: Path, display: str) -> list[str]:
    try:
        with warnings.catch_warnings():
            # GDAL's notes on odd files (e.g. "bad application_id") precede the real error,
            # which is reported below.
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = pyogrio.list_layers(path)
    except _GDAL_ERRORS as exc:
        error = _gdal_message(exc, path, display)
        raise InputError(text("geo.vector.cannot_open", file=display, error=error)) from None
    return [str(row[0]) for row in layers]


def _choose_layer(path: Path, layer: str | None, display: str) -> str | None:
    names = _list_layers(path, display)
    if not names:
        raise InputError(text("geo.vector.no_layers", file=display))
    if layer is not None:
        if layer not in names:
            raise InputError(
                text("geo.vector.no_layer", file=display, layer=layer, names=listing(names))
            )
        return layer
    # QGIS's style table (GDAL lists it as a layer) is how a layer looks, not data: a
    # GeoPackage of one layer and its style holds one layer to read.
    data_layers = [n for n in names if n != STYLES_TABLE]
    if len(data_layers) == 1:
        return data_layers[0]
    if len(names) > 1:
        raise InputError(
            text("geo.vector.several_layers", file=display, n=len(names), names=listing(names))
        )
    return names[0]


class _UndecodableError(Exception):
    """GDAL could not convert the file's text to UTF-8 (it only warns, and garbles)."""


def _open_options(path: Path) -> dict[str, str]:
    """GDAL open options: a GeoPackage is opened immutable, so nothing is written beside it.

    SQLite would otherwise create ``-wal``/``-shm``/lock files next to the file (and fail on
    a read-only mount). Immutable mode ignores a write-ahead log, so a file whose ``-wal``
    holds data not yet in the file is opened normally, to see that data.
    """
    if path.suffix.lower() != ".gpkg":
        return {}
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return {}
    return {"IMMUTABLE": "YES"}


def _refuse_view(path: Path, layer: str | None, display: str) -> None:
    """Refuse a GeoPackage layer that is an SQL view (computed when read: unbounded)."""
    if path.suffix.lower() != ".gpkg" or layer is None:
        return
    uri = f"{path.as_uri()}?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            row = con.execute(
                "SELECT type FROM sqlite_master WHERE lower(name) = lower(?)", (layer,)
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return  # not SQLite after all: GDAL says what is wrong with it
    if row is not None and row[0] == "view":
        raise InputError(text("geo.lossless.gpkg_view", file=display, layer=layer))


def _feature_count(path: Path, layer: str | None, encoding: str | None) -> int:
    """Return the number of features the driver reports for the layer (-1: unknown)."""
    options = _open_options(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = pyogrio.read_info(
                path, layer=layer, encoding=encoding, force_feature_count=True, **options
            )
    except _GDAL_ERRORS:
        return -1
    return int(info.get("features", -1))


def _read(path: Path, display: str, layer: str | None, encoding: str | None) -> gpd.GeoDataFrame:
    """Read one layer; raise :class:`_UndecodableError` or ``UnicodeDecodeError`` on bad text.

    The features read are counted against what the driver reports: a difference (a
    damaged file GDAL stops reading part-way) is refused rather than returned short.
    """
    _refuse_view(path, layer, display)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = pyogrio.read_dataframe(
                path, layer=layer, encoding=encoding, **_open_options(path)
            )
    except _GDAL_ERRORS as exc:
        error = _gdal_message(exc, path, display)
        raise InputError(text("geo.vector.cannot_read", file=display, error=error)) from None
    for w in caught:
        note = str(w.message)
        if "converted correctly" in note:
            raise _UndecodableError(note)
        if issubclass(w.category, UserWarning) and _JSON_COLUMN.match(note):
            # GDAL types a GeoJSON property holding both numbers and text ("segment": 5
            # in one feature, "x" in another) as JSON; pyogrio cannot parse "x" as JSON
            # and leaves the column as the text of each value ("5", "x"), which is what
            # the reader wants: values as given. Nothing to report.
            continue
        # GDAL's other notes (e.g. "several features with id = 1 ... altering it to be
        # unique", about its internal feature ids) do not change the values read; the
        # checks after reading report what matters per record.
        if not issubclass(w.category, RuntimeWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if not isinstance(frame, gpd.GeoDataFrame):
        where = text("geo.vector.layer_of", layer=layer, file=display) if layer else display
        raise InputError(text("geo.vector.no_geometry_column", where=where))
    expected = _feature_count(path, layer, encoding)
    if expected >= 0 and expected != len(frame):
        raise InputError(
            text("geo.lossless.count", file=display, expected=expected, read=len(frame))
        )
    frame.attrs[_CORRUPT] = _corrupt_blobs(path, layer, frame)
    return frame


_CORRUPT: Final = "geo.corrupt_geometry"  # frame.attrs key: positions of undecodable blobs


def _corrupt_blobs(path: Path, layer: str | None, frame: gpd.GeoDataFrame) -> list[int]:
    """Positions of GeoPackage features whose geometry blob GDAL could not decode.

    GDAL reads a damaged blob as no geometry, without a word; the table still holds
    bytes there, which a truly empty record does not.
    """
    missing = np.flatnonzero(pd.isna(np.asarray(frame.geometry.array, dtype=object)))
    if path.suffix.lower() != ".gpkg" or layer is None or not len(missing):
        return []
    uri = f"{path.as_uri()}?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            column = con.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
            ).fetchone()
            if column is None:
                return []
            # Rows in the order GDAL reads them (by the primary key, its feature id).
            present = [
                r[0] is not None
                for r in con.execute(
                    f'SELECT "{column[0]}" FROM "{layer}" ORDER BY rowid'  # noqa: S608
                )
            ]
        finally:
            con.close()
    except sqlite3.Error:
        return []
    if len(present) != len(frame):
        return []
    return [int(i) for i in missing if present[i]]


def _read_text(path: Path, display: str, layer: str | None) -> gpd.GeoDataFrame:
    """Read a layer whose format fixes its encoding (GeoJSON, GeoPackage, KML: UTF-8)."""
    try:
        return _read(path, display, layer, None)
    except (_UndecodableError, UnicodeDecodeError):
        raise InputError(text("geo.vector.not_utf8", file=display)) from None


def _read_shapefile(path: Path, has_cpg: bool, display: str, shp_name: str) -> gpd.GeoDataFrame:
    if has_cpg:
        try:
            return _read(path, display, None, None)
        except (_UndecodableError, UnicodeDecodeError):
            raise InputError(text("geo.shp.cpg", file=display, shp=shp_name)) from None
    # No .cpg: GDAL would guess Latin-1 and garble Chinese. UTF-8 is tried first, since
    # it rarely decodes text that is really GB18030; then GB18030 (covers GBK).
    for encoding in ("utf-8", "gb18030"):
        try:
            return _read(path, display, None, encoding)
        except (_UndecodableError, UnicodeDecodeError):
            continue
    raise InputError(text("geo.shp.encoding", file=display, shp=shp_name))


def _load(src: Source, layer: str | None, folder: Path) -> gpd.GeoDataFrame:
    """Open the source with GDAL, from files under ``folder`` where it must be written."""
    data = src.read_bytes() if src.fmt in ("zip", "kml") or src.data is not None else None
    empty = (data is not None and not data) or (
        src.path is not None and not src.path.stat().st_size
    )
    if empty:
        raise InputError(text("geo.vector.empty", file=src.display))
    if src.fmt == "zip":
        assert data is not None
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = check_zip(zf, src.display)
                _refuse_clashing_members(infos, src.display)
                shp, has_cpg, shp_name = extract_shapefile(
                    zf, infos, layer=layer, display=src.display, dest=folder
                )
        except zipfile.BadZipFile:
            raise InputError(text("geo.zip.bad", file=src.display)) from None
        _check_shapefile_parts(shp, src.display, shp_name)
        return _read_shapefile(shp, has_cpg, src.display, shp_name)
    if src.fmt == "kml" and data is not None and _NETWORK_LINK.search(data):
        raise InputError(text("geo.kml.network_link", file=src.display))
    if src.fmt == "kml" and data is not None and _DOCTYPE.search(data):
        raise InputError(text("geo.kml.doctype", file=src.display))
    if src.path is not None:
        path = src.path
    else:
        assert data is not None
        path = folder / f"upload{_SUFFIX[src.fmt]}"
        path.write_bytes(data)
    if src.fmt != "geojson":
        return _read_text(path, src.display, _choose_layer(path, layer, src.display))
    doc = _check_geojson(path.read_bytes() if data is None else data, src.display)
    gdf = _read_text(path, src.display, None)
    return _with_feature_ids(gdf, doc)


def _refuse_clashing_members(infos: list[zipfile.ZipInfo], display: str) -> None:
    """Refuse an archive naming a file twice, or twice but for case.

    zipfile lets the last of two same-named members win, and Windows and macOS folders
    cannot hold ``A.dbf`` beside ``a.dbf``: which copy the user meant cannot be told, and
    reading either could silently lose the other's records or attributes.
    """
    seen: dict[str, list[str]] = {}
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename.replace("\\", "/")
        seen.setdefault(name.lower(), []).append(info.filename)
    clashes = [names for names in seen.values() if len(names) > 1]
    if clashes:
        names = clashes[0]
        raise InputError(
            text(
                "geo.lossless.zip_clash",
                file=display,
                member=names[0],
                n=len(names),
                names=listing(map(repr, names)),
            )
        )


def _shape_records(shp: bytes) -> int:
    """Count the records of a .shp file by walking its record headers (not its index)."""
    # Main file header: 100 bytes, the file length in 16-bit words at byte 24 (big-endian).
    # Each record: an 8-byte header (number, content length in words), then the content.
    end = min(len(shp), struct.unpack(">i", shp[24:28])[0] * 2) if len(shp) >= 100 else 0
    pos, count = 100, 0
    while pos + 8 <= end:
        words = struct.unpack(">i", shp[pos + 4 : pos + 8])[0]
        if words < 0:
            break
        pos += 8 + 2 * words
        count += 1
    return count


def _check_shapefile_parts(shp: Path, display: str, shp_name: str) -> None:
    """Refuse a Shapefile whose .shp, .shx and .dbf hold different numbers of records.

    GDAL reads as many features as the index (.shx) lists and the attributes of as many
    as the table (.dbf) holds, and says nothing when they disagree with the shapes: a
    truncated part would silently drop the features beyond its end.
    """
    shapes = _shape_records(shp.read_bytes())
    shx = shp.with_suffix(".shx").stat().st_size
    index = max(shx - 100, 0) // 8
    dbf = shp.with_suffix(".dbf")
    with dbf.open("rb") as fh:
        head = fh.read(12)
    table = 0
    if len(head) == 12:
        # The record count the header declares, but no more than the file holds.
        declared, header_len, record_len = struct.unpack("<IHH", head[4:12])
        held = max(dbf.stat().st_size - header_len, 0) // max(record_len, 1)
        table = min(declared, held)
    if shapes == index == table:
        return
    raise InputError(
        text(
            "geo.lossless.shp_parts",
            file=display,
            shp=shp_name,
            shapes=shapes,
            index=index,
            table=table,
        )
    )


def _with_feature_ids(gdf: gpd.GeoDataFrame, doc: object) -> gpd.GeoDataFrame:
    """Keep GeoJSON's top-level feature ids as an ``id`` column.

    GDAL turns integer feature ids into its internal feature ids, renumbering repeats
    ("altering it to be unique"), so they would vanish and duplicates go unseen. String
    ids already arrive as an ``id`` column.
    """
    if "id" in gdf.columns or not isinstance(doc, dict):
        return gdf
    features = doc.get("features")
    if not isinstance(features, list) or len(features) != len(gdf):
        return gdf
    ids = [f.get("id") if isinstance(f, dict) else None for f in features]
    if all(i is None for i in ids):
        return gdf
    out = gdf.copy()
    out.insert(0, "id", pd.Series(ids, index=gdf.index, dtype=object))
    return out


def read_vector(
    src: Source,
    *,
    spec: CoordSpec,
    layer: str | None,
    extent: Extent | None,
    id_column: str | None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, npt.NDArray[np.int64]]:
    """Read a GeoJSON/GeoPackage/zipped Shapefile/KML source; see :func:`geo.io.read`."""
    with tempfile.TemporaryDirectory(prefix="geo-io-") as tmp:
        gdf = _load(src, layer, Path(tmp))
    if len(gdf) == 0:
        raise InputError(text("geo.vector.no_features", file=src.display))
    corrupt = np.zeros(len(gdf), dtype=bool)
    corrupt[gdf.attrs.get(_CORRUPT, [])] = True
    gdf = gdf.reset_index(drop=True)
    labels = np.arange(1, len(gdf) + 1, dtype=np.int64)
    problems = Problems()
    for i in np.flatnonzero(corrupt):
        problems.add(
            labels[i],
            gdf.geometry.name,
            text("geo.lossless.corrupt_value").en,
            text("geo.lossless.corrupt_geometry", at=at(src.display, labels[i], feature=True)),
            KEPT,
        )
    out = check_geometries(
        gdf,
        labels=labels,
        label_word="feature",
        display=src.display,
        spec=spec,
        extent=extent,
        problems=problems,
        skip=corrupt,
    )
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    id_col = find_column(columns, ID_COLUMNS) if id_column is None else id_column
    rejected = np.zeros(len(gdf), dtype=bool)
    if id_col is not None:
        if id_col not in columns:
            names = Text(str(columns), text("geo.list.comma").zh.join(map(str, columns)))
            raise InputError(
                text("geo.vector.no_id_field", file=src.display, field=id_col, fields=names)
            )
        rejected, first = duplicate_ids(gdf[id_col], labels)
        for i in np.flatnonzero(rejected):
            value = str(gdf[id_col].iloc[i])
            problems.add(
                labels[i],
                id_col,
                value[:_SHOWN],
                text(
                    "geo.vector.duplicate_id",
                    at=at(src.display, labels[i], feature=True),
                    id=value,
                    first=first[i],
                ),
                REJECTED,
            )
    frame = problems.frame()
    if rejected.any():
        gone = set(labels[rejected].tolist())
        frame = frame[(frame["action"] == REJECTED) | ~frame["row"].isin(gone)]
        frame = frame.reset_index(drop=True)
    return out.loc[~rejected].reset_index(drop=True), frame, labels[~rejected]
