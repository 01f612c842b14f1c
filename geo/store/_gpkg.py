"""The embedded back end: one OGC GeoPackage file (SQLite), no server needed.

Written with the standard library's ``sqlite3`` so that each write is exactly one SQLite
transaction the store controls (``BEGIN IMMEDIATE`` ... ``COMMIT``). SQLite's atomic
commit, in WAL mode with ``synchronous=FULL``, is what makes a killed writer harmless: an
uncommitted transaction is simply not there when the file is opened again. ``BEGIN
IMMEDIATE`` takes the single write lock up front, so a second writer waits up to
``busy_timeout`` seconds and then gets :class:`StoreBusyError` instead of failing half-way.

The current version of each layer is a real GeoPackage feature table (EPSG:4326, R-tree
spatial index with the standard triggers) that QGIS and GDAL open as a normal layer; the
history tables and the store's own tables are registered as GeoPackage attribute tables.

A store that may not be written here (a read-only file, folder or mount) is opened
read-only: reading works, and every write raises :class:`StoreReadOnlyError` saying so
before anything is tried. SQLite cannot read a WAL-mode file read-only unless it can use
(or create) the ``-shm`` file beside it; in a read-only folder without one, the file is
opened ``immutable`` (nobody can write through that folder either), unless a non-empty
``-wal`` file holds committed versions that reading without it would silently miss.

The SQL, the binary geometry and the file-access checks are in :mod:`geo.store._gpkg_sql`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo._errors import InputError
from geo.messages import Text, text
from geo.store._base import (
    HISTORY_SUFFIX,
    Actor,
    AuditEntry,
    ConflictError,
    Encoded,
    Scenario,
    Store,
    StoreBusyError,
    StoreError,
    StoreReadOnlyError,
    Version,
    dump_schema,
    now_utc,
    pause,
)
from geo.store._gpkg_sql import (
    APPLICATION_ID,
    CORE_SQL,
    SQL_TYPES,
    USER_VERSION,
    WGS84_WKT,
    can_create,
    geometry_type,
    gpkg_blobs,
    gpkg_times,
    parse_time,
    quote,
    rtree_triggers,
    time_text,
    writable,
)

__all__ = ["GeoPackageStore"]


class GeoPackageStore(Store):
    """The store in a GeoPackage file; see :mod:`geo.store` for the interface.

    Parameters
    ----------
    path : str or Path
        The GeoPackage file; created (with its parent folder) if missing.
    busy_timeout : float
        Seconds a writer waits for another writer before :class:`StoreBusyError`.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.target = str(self.path)
        self.busy_timeout = float(busy_timeout)
        if self.path.exists() and self.path.is_dir():
            raise InputError(text("geo.store.gpkg.folder", path=self.path))
        opening = text("geo.store.doing.open")
        self.read_only = self.path.is_file() and not writable(self.path)
        if self.read_only:
            self._con = self._connect_read_only(opening)
            return
        if not self.path.exists() and not can_create(self.path):
            raise StoreReadOnlyError(text("geo.store.gpkg.read_only_folder", path=self.path))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = self._connect(self.path)
        except sqlite3.Error as exc:
            raise self._translate(exc, opening) from None
        try:
            self._con.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            mode = self._con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            # FULL: a committed (acknowledged) write survives even a power cut, not only a
            # killed process; the cost is one extra fsync per write.
            self._con.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as exc:
            self._con.close()
            raise self._translate(exc, opening) from None
        if str(mode).lower() != "wal":
            self._con.close()
            raise StoreError(text("geo.store.gpkg.wal", path=self.path, mode=mode))
        # Only a new file needs the write lock for its tables: opening an existing store
        # must never wait for (or block) a writer.
        # A store made before the audit trail existed gets its table on first open.
        with self._transaction(opening, write=False) as con:
            ready = self._has_store_tables(con) and self._has_table(con, "store_audit")
        if not ready:
            self.init()

    # -- plumbing

    def _connect(self, where: str | Path, *, uri: bool = False) -> sqlite3.Connection:
        return sqlite3.connect(
            where,
            timeout=self.busy_timeout,
            isolation_level=None,
            check_same_thread=False,
            uri=uri,
        )

    def _connect_read_only(self, doing: Text) -> sqlite3.Connection:
        """Open a store that may not be written here, for reading only."""
        uri = self.path.resolve().as_uri()
        try:
            con = self._connect(uri + "?mode=ro", uri=True)
            try:
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error:
                con.close()
                raise
            return con
        except sqlite3.Error as exc:
            said = str(exc)
            if "readonly" not in said and "unable to open" not in said:
                raise self._translate(exc, doing) from None
        # A WAL-mode file whose -shm cannot be created: readable only as immutable, which
        # ignores the -wal file, so one holding committed versions is refused instead.
        wal = Path(f"{self.path}-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            raise StoreReadOnlyError(text("geo.store.gpkg.read_only_wal", path=self.path, wal=wal))
        try:
            con = self._connect(uri + "?immutable=1", uri=True)
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise self._translate(exc, doing) from None
        return con

    def _translate(self, exc: sqlite3.Error, doing: Text) -> Exception:
        said = str(exc)
        if "readonly" in said:
            return StoreReadOnlyError(text("geo.store.gpkg.read_only", path=self.path, doing=doing))
        if "locked" in said or "busy" in said:
            return StoreBusyError(
                text("geo.store.gpkg.busy", path=self.path, seconds=self.busy_timeout, doing=doing)
            )
        if "not a database" in said or "malformed" in said:
            return InputError(text("geo.store.gpkg.unusable", path=self.path, error=said))
        return StoreError(text("geo.store.gpkg.failed", path=self.path, doing=doing, error=said))

    @contextmanager
    def _transaction(self, doing: Text, *, write: bool) -> Iterator[sqlite3.Connection]:
        con = self._con
        if write and self.read_only:
            raise StoreReadOnlyError(text("geo.store.gpkg.read_only", path=self.path, doing=doing))
        try:
            con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as exc:
            raise self._translate(exc, doing) from None
        try:
            yield con
            con.execute("COMMIT")
        except BaseException as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._translate(exc, doing) from exc
            raise

    def _has_store_tables(self, con: sqlite3.Connection) -> bool:
        return self._has_table(con, "store_versions")

    @staticmethod
    def _has_table(con: sqlite3.Connection, name: str) -> bool:
        row = con.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", (name,)
        ).fetchone()
        return bool(row[0])

    def init(self) -> None:
        """Create the GeoPackage metadata and the store's tables (idempotent)."""
        with self._transaction(text("geo.store.doing.init"), write=True) as con:
            con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            con.execute(f"PRAGMA user_version = {USER_VERSION}")
            for statement in CORE_SQL.replace("<WGS84_WKT>", WGS84_WKT).split(";\n"):
                if statement.strip():
                    con.execute(statement)

    def close(self) -> None:
        """Close the file."""
        self._con.close()

    # -- reading

    def layers(self) -> list[str]:
        """Return the names of the layers in the store, sorted."""
        with self._transaction(text("geo.store.doing.layers"), write=False) as con:
            if not self._has_store_tables(con):
                return []
            rows = con.execute("SELECT DISTINCT layer FROM store_versions ORDER BY layer")
            return [r[0] for r in rows.fetchall()]

    def versions(self, layer: str) -> list[Version]:
        """Return every version of ``layer``, oldest first."""
        with self._transaction(text("geo.store.doing.history"), write=False) as con:
            return self._versions(con, layer)

    def _versions(self, con: sqlite3.Connection, layer: str) -> list[Version]:
        if not self._has_store_tables(con):
            return []
        rows = con.execute(
            "SELECT layer, version, author, created_at, note, feature_count, parent_version,"
            " restored_from FROM store_versions WHERE layer = ? ORDER BY version",
            (layer,),
        ).fetchall()
        return [Version(r[0], r[1], r[2], parse_time(r[3]), r[4], r[5], r[6], r[7]) for r in rows]

    def _read_rows(self, layer: str, version: int) -> tuple[str, list[str], list[Any]]:
        history = quote(layer + HISTORY_SUFFIX)
        with self._transaction(text("geo.store.doing.read"), write=False) as con:
            schema = con.execute(
                "SELECT schema FROM store_versions WHERE layer = ? AND version = ?",
                (layer, version),
            ).fetchone()[0]
            rows = con.execute(
                f"SELECT properties, geom_wkb FROM {history} WHERE version = ? "  # noqa: S608
                "ORDER BY feature",
                (version,),
            ).fetchall()
        properties = [r[0] for r in rows]
        blobs = np.array([r[1] for r in rows], dtype=object)
        return schema, properties, list(shapely.from_wkb(blobs))

    # -- writing

    def _write(
        self,
        layer: str,
        encoded: Encoded,
        *,
        actor: Actor,
        note: str,
        expected_version: int | None,
        restored_from: int | None,
        action: str,
        page: str,
    ) -> Version:
        author = actor.id
        wkb = shapely.to_wkb(encoded.geometry, byte_order=1, flavor="iso").tolist()
        with self._transaction(text("geo.store.doing.save", layer=layer), write=True) as con:
            pause("begin")
            found = self._versions(con, layer)
            current = found[-1] if found else None
            self._check_expected(layer, expected_version, current, restoring=restored_from)
            if current is None:
                self._refuse_foreign_table(con, layer)
            number = 1 if current is None else current.version + 1
            history = layer + HISTORY_SUFFIX
            con.execute(
                f"CREATE TABLE IF NOT EXISTS {quote(history)}"
                " (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                " version INTEGER NOT NULL, feature INTEGER NOT NULL, properties TEXT NOT NULL,"
                " geom_wkb BLOB)"
            )
            con.execute(
                f"CREATE UNIQUE INDEX IF NOT EXISTS {quote(history + '_version')}"
                f" ON {quote(history)} (version, feature)"
            )
            con.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier,"
                " description) VALUES (?, 'attributes', ?, ?)",
                (history, history, f"geo.store: every version of layer {layer}"),
            )
            con.executemany(
                f"INSERT INTO {quote(history)} (version, feature, properties, geom_wkb)"  # noqa: S608
                " VALUES (?, ?, ?, ?)",
                zip(
                    [number] * len(encoded),
                    range(1, len(encoded) + 1),
                    encoded.properties,
                    wkb,
                    strict=True,
                ),
            )
            pause("after_features")
            self._rebuild_current(con, layer, encoded)
            pause("after_current")
            created = now_utc()
            con.execute(
                "INSERT INTO store_versions (layer, version, author, created_at, note,"
                " feature_count, parent_version, restored_from, schema)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    layer,
                    number,
                    author,
                    time_text(created),
                    note,
                    len(encoded),
                    None if current is None else current.version,
                    restored_from,
                    dump_schema(encoded),
                ),
            )
            self._audit_insert(
                con, AuditEntry(created, author, actor.role, action, layer, number, page)
            )
            pause("before_commit")
        return Version(
            layer,
            number,
            author,
            created,
            note,
            len(encoded),
            None if current is None else current.version,
            restored_from,
        )

    def _refuse_foreign_table(self, con: sqlite3.Connection, layer: str) -> None:
        """Never drop a table the store did not create (e.g. a layer GDAL wrote)."""
        row = con.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN (?, ?)",
            (layer, layer + HISTORY_SUFFIX),
        ).fetchone()
        if row[0]:
            raise ConflictError(text("geo.store.gpkg.foreign", path=self.path, layer=layer))

    def _rebuild_current(self, con: sqlite3.Connection, layer: str, encoded: Encoded) -> None:
        """Replace the feature table ``layer`` by the new version, with its R-tree."""
        rtree = f"rtree_{layer}_geom"
        con.execute(f"DROP TABLE IF EXISTS {quote(rtree)}")
        con.execute(f"DROP TABLE IF EXISTS {quote(layer)}")
        con.execute("DELETE FROM gpkg_extensions WHERE table_name = ?", (layer,))
        con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = ?", (layer,))
        con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (layer,))
        columns = ", ".join(
            f"{quote(n)} {SQL_TYPES[k]}" for n, k in zip(encoded.names, encoded.kinds, strict=True)
        )
        con.execute(
            f"CREATE TABLE {quote(layer)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY"
            + (f", {columns}" if columns else "")
            + ")"
        )
        blobs = gpkg_blobs(encoded.geometry)
        fids = list(range(1, len(encoded) + 1))
        marks = ", ".join(["?"] * (2 + len(encoded.names)))
        names = ", ".join(["fid", "geom", *map(quote, encoded.names)])
        values = [
            gpkg_times(col) if kind == "datetime" else col
            for col, kind in zip(encoded.columns, encoded.kinds, strict=True)
        ]
        con.executemany(
            f"INSERT INTO {quote(layer)} ({names}) VALUES ({marks})",  # noqa: S608
            zip(fids, blobs, *values, strict=True),
        )
        bounds = shapely.bounds(encoded.geometry)
        usable = ~np.isnan(bounds).any(axis=1)
        con.execute(f"CREATE VIRTUAL TABLE {quote(rtree)} USING rtree(id, minx, maxx, miny, maxy)")
        con.executemany(
            f"INSERT INTO {quote(rtree)} VALUES (?, ?, ?, ?, ?)",  # noqa: S608
            zip(
                np.asarray(fids, dtype=np.int64)[usable].tolist(),
                bounds[usable, 0].tolist(),
                bounds[usable, 2].tolist(),
                bounds[usable, 1].tolist(),
                bounds[usable, 3].tolist(),
                strict=True,
            ),
        )
        for statement in rtree_triggers(layer, "geom", "fid"):
            con.execute(statement)
        total = (
            bounds[usable].min(axis=0).tolist()[:2] + bounds[usable].max(axis=0).tolist()[2:]
            if usable.any()
            else [None] * 4
        )
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description,"
            " last_change, min_x, min_y, max_x, max_y, srs_id)"
            " VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, 4326)",
            (layer, layer, "geo.store: current version", time_text(now_utc()), *total),
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)",
            (layer, geometry_type(encoded.geometry)),
        )
        con.execute(
            "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index',"
            " 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
            (layer,),
        )

    # -- scenarios

    def _insert_scenario(self, scenario: Scenario, audit: AuditEntry) -> None:
        doing = text("geo.store.doing.save_scenario", name=scenario.name)
        with self._transaction(doing, write=True) as con:
            row = con.execute(
                "SELECT author, created_at FROM store_scenarios WHERE name = ?", (scenario.name,)
            ).fetchone()
            if row is not None:
                raise ConflictError(
                    text(
                        "geo.store.scenario_exists",
                        name=scenario.name,
                        author=row[0],
                        at=f"{parse_time(row[1]):%Y-%m-%d %H:%M:%S} UTC",
                    )
                )
            con.execute(
                "INSERT INTO store_scenarios (name, created_at, author, note, layer_versions,"
                " rules) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    scenario.name,
                    time_text(scenario.created_at),
                    scenario.author,
                    scenario.note,
                    json.dumps(dict(scenario.layer_versions), ensure_ascii=False),
                    scenario.rules,
                ),
            )
            self._audit_insert(con, audit)

    def _scenario_rows(self) -> list[Scenario]:
        with self._transaction(text("geo.store.doing.scenarios"), write=False) as con:
            if not self._has_store_tables(con):
                return []
            rows = con.execute(
                "SELECT name, layer_versions, rules, author, note, created_at FROM store_scenarios"
                " ORDER BY id"
            ).fetchall()
        return [Scenario(r[0], json.loads(r[1]), r[2], r[3], r[4], parse_time(r[5])) for r in rows]

    # -- the audit trail

    @staticmethod
    def _audit_insert(con: sqlite3.Connection, entry: AuditEntry) -> None:
        con.execute(
            "INSERT INTO store_audit (at, who, role, action, layer, version, page, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                time_text(entry.at),
                entry.who,
                entry.role,
                entry.action,
                entry.layer,
                entry.version,
                entry.page,
                entry.detail,
            ),
        )

    def _insert_audit(self, entry: AuditEntry) -> None:
        with self._transaction(text("geo.store.doing.audit"), write=True) as con:
            self._audit_insert(con, entry)

    def _audit_rows(self) -> list[AuditEntry]:
        with self._transaction(text("geo.store.doing.audit_read"), write=False) as con:
            if not self._has_table(con, "store_audit"):
                return []
            rows = con.execute(
                "SELECT at, who, role, action, layer, version, page, detail FROM store_audit"
                " ORDER BY id"
            ).fetchall()
        return [AuditEntry(parse_time(r[0]), *r[1:]) for r in rows]
