"""GDAL (pyogrio) opening vector files for :mod:`geo._io_vector`, losing no record.

Nothing is lost on the way: an archive naming a member twice (or twice but for case) is
refused, a Shapefile whose parts hold different numbers of records is refused, and the
features read are counted against the number the driver reports. GeoPackages are opened
read-only (immutable, so a read-only mount is readable) and a layer that is an SQL view
is refused (a view is computed when read, and a recursive one never finishes).
"""

from __future__ import annotations

import re
import sqlite3
import struct
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors

from geo._errors import InputError
from geo._io_write import STYLES_TABLE
from geo._say import listing
from geo.messages import text

__all__ = [
    "CORRUPT",
    "check_shapefile_parts",
    "choose_layer",
    "read_shapefile",
    "read_text",
    "refuse_clashing_members",
]

_GDAL_ERRORS: Final = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.CRSError,
)
_JSON_COLUMN: Final = re.compile(r"Could not parse column '.*' as JSON; leaving as string")
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


def choose_layer(path: Path, layer: str | None, display: str) -> str | None:
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
    frame.attrs[CORRUPT] = _corrupt_blobs(path, layer, frame)
    return frame


CORRUPT: Final = "geo.corrupt_geometry"  # frame.attrs key: positions of undecodable blobs


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


def read_text(path: Path, display: str, layer: str | None) -> gpd.GeoDataFrame:
    """Read a layer whose format fixes its encoding (GeoJSON, GeoPackage, KML: UTF-8)."""
    try:
        return _read(path, display, layer, None)
    except (_UndecodableError, UnicodeDecodeError):
        raise InputError(text("geo.vector.not_utf8", file=display)) from None


def read_shapefile(path: Path, has_cpg: bool, display: str, shp_name: str) -> gpd.GeoDataFrame:
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


def refuse_clashing_members(infos: list[zipfile.ZipInfo], display: str) -> None:
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


def check_shapefile_parts(shp: Path, display: str, shp_name: str) -> None:
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
