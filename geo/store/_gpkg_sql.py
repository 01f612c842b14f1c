"""The GeoPackage back end's SQL and encodings: split from :mod:`geo.store._gpkg`.

The tables every store file holds (:data:`CORE_SQL`), the GeoPackage binary geometry
(:func:`gpkg_blobs`), its DATETIME text, the standard R-tree triggers (GeoPackage 1.3,
annex F.3), and whether a file or folder may be written here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely

from geo.store._base import now_utc

__all__ = [
    "APPLICATION_ID",
    "CORE_SQL",
    "SQL_TYPES",
    "USER_VERSION",
    "WGS84_WKT",
    "can_create",
    "geometry_type",
    "gpkg_blobs",
    "gpkg_times",
    "parse_time",
    "quote",
    "rtree_triggers",
    "time_text",
    "writable",
]


APPLICATION_ID: Final = 0x47504B47  # "GPKG"
USER_VERSION: Final = 10300  # GeoPackage 1.3
WGS84_WKT: Final = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,'
    'AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]'
)
SQL_TYPES: Final = {
    "str": "TEXT",
    "int": "INTEGER",
    "float": "REAL",
    "bool": "BOOLEAN",
    "datetime": "DATETIME",
}
_GEOM_TYPES: Final = {
    0: "POINT",
    1: "LINESTRING",
    3: "POLYGON",
    4: "MULTIPOINT",
    5: "MULTILINESTRING",
    6: "MULTIPOLYGON",
    7: "GEOMETRYCOLLECTION",
}
_TIME_FORMAT: Final = "%Y-%m-%dT%H:%M:%S.%fZ"

CORE_SQL: Final = """
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined',
   'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined',
   'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, '<WGS84_WKT>',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE IF NOT EXISTS store_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, layer TEXT NOT NULL, version INTEGER NOT NULL,
  author TEXT NOT NULL, created_at DATETIME NOT NULL, note TEXT NOT NULL,
  feature_count INTEGER NOT NULL, parent_version INTEGER, restored_from INTEGER,
  schema TEXT NOT NULL, UNIQUE (layer, version));
CREATE TABLE IF NOT EXISTS store_scenarios (
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, created_at DATETIME NOT NULL,
  author TEXT NOT NULL, note TEXT NOT NULL, layer_versions TEXT NOT NULL, rules TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS store_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at DATETIME NOT NULL, who TEXT NOT NULL,
  role TEXT NOT NULL, action TEXT NOT NULL, layer TEXT, version INTEGER, page TEXT NOT NULL,
  detail TEXT NOT NULL);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('store_versions', 'attributes', 'store_versions', 'geo.store: version history'),
         ('store_scenarios', 'attributes', 'store_scenarios', 'geo.store: saved scenarios'),
         ('store_audit', 'attributes', 'store_audit', 'geo.store: audit trail');
"""


def quote(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def time_text(value: datetime) -> str:
    # GeoPackage DATETIME: ISO 8601 UTC with milliseconds ("...T12:34:56.789Z").
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=now_utc().tzinfo)


def gpkg_blobs(geometry: np.ndarray[Any, Any]) -> list[bytes | None]:
    """Return GeoPackage binary geometries (header + ISO WKB) for EPSG:4326.

    The headers are built for all rows at once with numpy: magic ``GP``, version 0, flags
    (little-endian, envelope ``[minx, maxx, miny, maxy]``, or the empty flag with no
    envelope), SRS id 4326.
    """
    n = len(geometry)
    wkb = shapely.to_wkb(geometry, byte_order=1, flavor="iso")
    empty = shapely.is_empty(geometry)
    bounds = shapely.bounds(geometry)
    header = np.zeros(
        n,
        dtype=[
            ("g", "u1"),
            ("p", "u1"),
            ("v", "u1"),
            ("f", "u1"),
            ("srs", "<i4"),
            ("env", "<f8", 4),
        ],
    )
    header["g"], header["p"] = ord("G"), ord("P")
    header["f"] = np.where(empty, 0b0001_0001, 0b0000_0011)
    header["srs"] = 4326
    header["env"] = bounds[:, [0, 2, 1, 3]]
    raw = header.tobytes()
    size = header.dtype.itemsize
    sizes = np.where(empty, 8, size).tolist()
    return [
        None if w is None else raw[i * size : i * size + s] + w
        for i, (s, w) in enumerate(zip(sizes, wkb.tolist(), strict=True))
    ]


def writable(path: Path) -> bool:
    """Tell whether SQLite may write ``path``: the file, and its folder for the WAL files.

    A read-only mount answers no for both (``EROFS``), as does a file or folder without
    write permission; the ``-wal``/``-shm`` files may stand in for a read-only folder.
    """
    if not os.access(path, os.W_OK):
        return False
    if os.access(path.parent, os.W_OK):
        return True
    beside = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    return all(p.is_file() and os.access(p, os.W_OK) for p in beside)


def can_create(path: Path) -> bool:
    """Tell whether a new store file can be made at ``path`` (its nearest existing folder)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK)


def gpkg_times(values: list[Any]) -> list[Any]:
    """Return ISO times in the GeoPackage DATETIME form (milliseconds, ``Z``).

    Only the typed current-version table uses it; the history keeps microseconds.
    """
    return [None if v is None else v[:23] + "Z" for v in values]


def geometry_type(geometry: np.ndarray[Any, Any]) -> str:
    ids = shapely.get_type_id(geometry)
    kinds = set(np.unique(ids[ids >= 0]).tolist())
    if len(kinds) == 1:
        return _GEOM_TYPES.get(kinds.pop(), "GEOMETRY")
    return "GEOMETRY"


# GeoPackage 1.3, annex F.3: the triggers that keep the R-tree in step when GIS software
# (QGIS, GDAL) edits the table. <t> table, <c> geometry column, <i> primary key.
_RTREE_TRIGGERS: Final = """
CREATE TRIGGER "rtree_<t>_<c>_insert" AFTER INSERT ON "<t>"
WHEN (new.<c> NOT NULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN
  INSERT OR REPLACE INTO "rtree_<t>_<c>" VALUES (
    NEW.<i>, ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>), ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>));
END;
CREATE TRIGGER "rtree_<t>_<c>_update1" AFTER UPDATE OF <c> ON "<t>"
WHEN OLD.<i> = NEW.<i> AND (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN
  INSERT OR REPLACE INTO "rtree_<t>_<c>" VALUES (
    NEW.<i>, ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>), ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>));
END;
CREATE TRIGGER "rtree_<t>_<c>_update2" AFTER UPDATE OF <c> ON "<t>"
WHEN OLD.<i> = NEW.<i> AND (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id = OLD.<i>;
END;
CREATE TRIGGER "rtree_<t>_<c>_update3" AFTER UPDATE ON "<t>"
WHEN OLD.<i> != NEW.<i> AND (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id = OLD.<i>;
  INSERT OR REPLACE INTO "rtree_<t>_<c>" VALUES (
    NEW.<i>, ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>), ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>));
END;
CREATE TRIGGER "rtree_<t>_<c>_update4" AFTER UPDATE ON "<t>"
WHEN OLD.<i> != NEW.<i> AND (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id IN (OLD.<i>, NEW.<i>);
END;
CREATE TRIGGER "rtree_<t>_<c>_delete" AFTER DELETE ON "<t>"
WHEN old.<c> NOT NULL
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id = OLD.<i>;
END;
"""


def rtree_triggers(table: str, column: str, pk: str) -> Sequence[str]:
    """Return the standard R-tree triggers for one table (names checked by the caller)."""
    sql = _RTREE_TRIGGERS.replace("<t>", table).replace("<c>", column).replace("<i>", pk)
    return [part.strip() + "\nEND" for part in sql.split("END;") if part.strip()]
