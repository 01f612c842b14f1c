"""The shared back end: a PostgreSQL database with PostGIS, for teams.

SQLAlchemy (psycopg 3 driver) manages connections; GeoAlchemy2 types the geometry columns
(``geometry(Geometry, 4326)``, GiST-indexed); features are loaded with ``COPY`` because a
row-by-row ``INSERT`` of 1e5 features is needlessly slow.

Each write is one transaction that first takes a per-layer advisory lock, so two writers
of the same layer queue instead of both computing "next version = 7". With
``expected_version`` a writer that started from a version someone else has replaced is
refused (optimistic concurrency). Every statement runs under ``statement_timeout``; a
connection that drops mid-write loses its transaction on the server, which is what the
error says. Messages, ``target`` and the store's ``repr`` show the URL with the password
hidden, including credentials given as query parameters (``password``, ``sslpassword``,
``passfile``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import numpy as np
import psycopg
import shapely
import sqlalchemy as sa
from geoalchemy2 import Geometry

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
    StoreConnectionError,
    StoreError,
    Version,
    dump_schema,
    now_utc,
    pause,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["PostGISStore", "redact"]

_CAST: Final = {
    "str": "text",
    "int": "bigint",
    "float": "double precision",
    "bool": "boolean",
}
_APPLICATION_NAME: Final = "geo.store"

_metadata = sa.MetaData()
_versions_table = sa.Table(
    "store_versions",
    _metadata,
    sa.Column("layer", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("feature_count", sa.Integer, nullable=False),
    sa.Column("parent_version", sa.Integer),
    sa.Column("restored_from", sa.Integer),
    sa.Column("schema", sa.Text, nullable=False),
)
_scenarios_table = sa.Table(
    "store_scenarios",
    _metadata,
    sa.Column("name", sa.Text, primary_key=True),
    # Saving order, to list scenarios oldest first even within one millisecond.
    sa.Column("seq", sa.BigInteger, sa.Identity(always=True), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("layer_versions", sa.Text, nullable=False),
    sa.Column("rules", sa.Text, nullable=False),
)

_audit_table = sa.Table(
    "store_audit",
    _metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("layer", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("page", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)


def _history_table(layer: str) -> sa.Table:
    name = layer + HISTORY_SUFFIX
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("fid", sa.Integer, nullable=False),
        sa.Column("properties", sa.dialects.postgresql.JSONB, nullable=False),
        sa.Column("geom", Geometry("GEOMETRY", srid=4326, spatial_index=False)),
        sa.PrimaryKeyConstraint("version", "fid", name=f"{name}_pk"),
        sa.Index(f"{name}_gix", "geom", postgresql_using="gist"),
    )


_SECRET_KEYS: Final = frozenset({"password", "passfile", "sslpassword"})
"""Query parameters of a libpq URL that hold a credential (or say where one is kept)."""
# Rendering quotes "*" as "%2A"; a plain marker is rendered as is and then replaced.
_MARK: Final = "REDACTEDSECRET"
_USERINFO: Final = re.compile(r"(://[^:/@]*:)[^@]*@")
_QUERY_SECRET: Final = re.compile(
    r"([?&](?:" + "|".join(sorted(_SECRET_KEYS)) + r")=)[^&#]*", re.IGNORECASE
)


def _secret_query(parsed: sa.URL) -> dict[str, tuple[str, ...]]:
    """Return the credential-bearing query parameters of ``parsed``, values as tuples."""
    return {
        key: (value,) if isinstance(value, str) else tuple(value)
        for key, value in parsed.query.items()
        if key.lower() in _SECRET_KEYS
    }


def _hidden(parsed: sa.URL) -> str:
    """Render ``parsed`` with the password and every credential query value as ``***``."""
    secret = _secret_query(parsed)
    marked = parsed.update_query_dict({key: [_MARK] * len(v) for key, v in secret.items()})
    return marked.render_as_string(hide_password=True).replace(_MARK, "***")


def redact(url: str) -> str:
    """Return ``url`` safe to print or log.

    The password after the user name and the values of the query parameters
    ``password``, ``passfile`` and ``sslpassword`` (libpq accepts credentials there too)
    become ``***``.
    """
    try:
        return _hidden(sa.make_url(url))
    except (sa.exc.ArgumentError, ValueError):
        return _QUERY_SECRET.sub(r"\1***", _USERINFO.sub(r"\1***@", url))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostGISStore(Store):
    """The store in a PostGIS database; see :mod:`geo.store` for the interface.

    Parameters
    ----------
    url : str
        ``postgresql://user:password@host:port/database`` (``postgresql+psycopg://`` too).
    statement_timeout : float
        Seconds any one statement may run (including waiting for another writer's lock)
        before the server cancels it and the write is rolled back.
    connect_timeout : float
        Seconds to wait for the server when connecting.
    """

    def __init__(
        self, url: str, *, statement_timeout: float = 30.0, connect_timeout: float = 10.0
    ) -> None:
        try:
            parsed = sa.make_url(url)
        except (sa.exc.ArgumentError, ValueError):
            raise InputError(text("geo.store.pg.not_url", url=redact(url))) from None
        if parsed.drivername not in {"postgresql", "postgres", "postgresql+psycopg"}:
            raise InputError(text("geo.store.pg.not_postgresql", url=_hidden(parsed)))
        parsed = parsed.set(drivername="postgresql+psycopg")
        # Every credential, raw and URL-quoted, is scrubbed from the driver's messages.
        given = [parsed.password or ""]
        given += [v for values in _secret_query(parsed).values() for v in values]
        self._secrets = sorted(
            {s for v in given for s in (v, quote(v), quote(v, safe="")) if s},
            key=len,
            reverse=True,
        )
        self.target = _hidden(parsed.set(drivername="postgresql"))
        self.statement_timeout = float(statement_timeout)
        self._engine = sa.create_engine(
            parsed,
            pool_pre_ping=True,
            hide_parameters=True,
            connect_args={
                "options": f"-c statement_timeout={int(self.statement_timeout * 1000)}",
                "connect_timeout": max(1, int(connect_timeout)),
                "application_name": _APPLICATION_NAME,
            },
        )
        try:
            self.init()
        except BaseException:
            # A store that cannot be initialised is never returned: close its connections.
            self._engine.dispose()
            raise

    # -- plumbing

    def _scrub(self, said: str) -> str:
        for secret in self._secrets:
            said = said.replace(secret, "***")
        return " ".join(said.split())

    def _translate(self, exc: BaseException, doing: Text, *, writing: bool) -> StoreError:
        orig = getattr(exc, "orig", None) or exc
        detail = self._scrub(str(orig).strip().splitlines()[0] if str(orig).strip() else "")
        undone = text("geo.store.pg.rolled_back") if writing else Text("", "")
        said = {"target": self.target, "doing": doing, "undone": undone}
        if isinstance(orig, psycopg.errors.QueryCanceled):
            return StoreBusyError(text("geo.store.pg.busy", seconds=self.statement_timeout, **said))
        if isinstance(orig, psycopg.OperationalError) or getattr(
            exc, "connection_invalidated", False
        ):
            return StoreConnectionError(text("geo.store.pg.lost", detail=detail, **said))
        return StoreError(text("geo.store.pg.failed", detail=detail, **said))

    @contextmanager
    def _begin(self, doing: Text, *, writing: bool = False) -> Iterator[Connection]:
        try:
            conn = self._engine.connect()
        except sa.exc.DBAPIError as exc:
            detail = self._scrub(str(exc.orig).strip().splitlines()[0])
            raise StoreConnectionError(
                text("geo.store.pg.connect", target=self.target, doing=doing, detail=detail)
            ) from None
        try:
            trans = conn.begin()
            try:
                yield conn
                trans.commit()
            except (sa.exc.DBAPIError, psycopg.Error) as exc:
                with suppress(Exception):
                    trans.rollback()
                raise self._translate(exc, doing, writing=writing) from None
            except BaseException:
                with suppress(Exception):
                    trans.rollback()
                raise
        finally:
            with suppress(Exception):
                conn.close()

    @staticmethod
    def _lock(conn: Connection, key: str) -> None:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})

    def init(self) -> None:
        """Create PostGIS (if allowed) and the store's tables (idempotent)."""
        with self._begin(text("geo.store.doing.init"), writing=True) as conn:
            self._lock(conn, "geo.store:init")
            has = conn.execute(
                sa.text("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'")
            ).scalar_one()
            if not has:
                try:
                    with conn.begin_nested():
                        conn.execute(sa.text("CREATE EXTENSION postgis"))
                except sa.exc.DBAPIError:
                    raise StoreError(text("geo.store.pg.no_postgis", target=self.target)) from None
            _metadata.create_all(conn, checkfirst=True)

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    # -- reading

    def layers(self) -> list[str]:
        """Return the names of the layers in the store, sorted."""
        with self._begin(text("geo.store.doing.layers")) as conn:
            rows = conn.execute(
                sa.select(_versions_table.c.layer).distinct().order_by(_versions_table.c.layer)
            )
            return [r[0] for r in rows]

    def versions(self, layer: str) -> list[Version]:
        """Return every version of ``layer``, oldest first."""
        with self._begin(text("geo.store.doing.history")) as conn:
            return self._versions(conn, layer)

    @staticmethod
    def _versions(conn: Connection, layer: str) -> list[Version]:
        t = _versions_table
        rows = conn.execute(
            sa.select(
                t.c.layer,
                t.c.version,
                t.c.author,
                t.c.created_at,
                t.c.note,
                t.c.feature_count,
                t.c.parent_version,
                t.c.restored_from,
            )
            .where(t.c.layer == layer)
            .order_by(t.c.version)
        )
        return [
            Version(r[0], r[1], r[2], r[3].astimezone(UTC), r[4], r[5], r[6], r[7]) for r in rows
        ]

    def _read_rows(self, layer: str, version: int) -> tuple[str, list[str], list[Any]]:
        t = _versions_table
        with self._begin(text("geo.store.doing.read")) as conn:
            schema = conn.execute(
                sa.select(t.c.schema).where(t.c.layer == layer, t.c.version == version)
            ).scalar_one()
            raw = conn.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cur:
                cur.execute(
                    f"SELECT properties::text, ST_AsBinary(geom) "  # noqa: S608
                    f"FROM {_q(layer + HISTORY_SUFFIX)} WHERE version = %s ORDER BY fid",
                    (version,),
                )
                rows = cur.fetchall()
        properties = [r[0] for r in rows]
        blobs = np.array([None if r[1] is None else bytes(r[1]) for r in rows], dtype=object)
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
        geoms = shapely.set_srid(encoded.geometry, 4326)
        ewkb = shapely.to_wkb(geoms, hex=True, include_srid=True).tolist()
        history = _history_table(layer)
        with self._begin(text("geo.store.doing.save", layer=layer), writing=True) as conn:
            self._lock(conn, f"geo.store:layer:{layer}")
            pause("begin")
            found = self._versions(conn, layer)
            current = found[-1] if found else None
            self._check_expected(layer, expected_version, current, restoring=restored_from)
            if current is None:
                self._refuse_foreign_table(conn, layer)
            number = 1 if current is None else current.version + 1
            history.create(conn, checkfirst=True)
            raw = conn.connection.driver_connection
            assert raw is not None
            with (
                raw.cursor() as cur,
                cur.copy(
                    f"COPY {_q(history.name)} (version, fid, properties, geom) FROM STDIN"
                ) as copy,
            ):
                for fid, (props, geom) in enumerate(
                    zip(encoded.properties, ewkb, strict=True), start=1
                ):
                    copy.write_row((number, fid, props, geom))
            pause("after_features")
            self._replace_view(conn, layer, number, encoded)
            pause("after_current")
            created = now_utc()
            conn.execute(
                _versions_table.insert().values(
                    layer=layer,
                    version=number,
                    author=author,
                    created_at=created,
                    note=note,
                    feature_count=len(encoded),
                    parent_version=None if current is None else current.version,
                    restored_from=restored_from,
                    schema=dump_schema(encoded),
                )
            )
            self._audit_insert(
                conn, AuditEntry(created, author, actor.role, action, layer, number, page)
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

    def _refuse_foreign_table(self, conn: Connection, layer: str) -> None:
        """Never replace a table or view the store did not create."""
        taken = conn.execute(
            sa.text(
                "SELECT to_regclass(quote_ident(:a)) IS NOT NULL OR "
                "to_regclass(quote_ident(:b)) IS NOT NULL"
            ),
            {"a": layer, "b": layer + HISTORY_SUFFIX},
        ).scalar_one()
        if taken:
            raise ConflictError(text("geo.store.pg.foreign", target=self.target, layer=layer))

    @staticmethod
    def _replace_view(conn: Connection, layer: str, version: int, encoded: Encoded) -> None:
        """Point the typed view ``layer`` at the new version (GIS clients read it)."""
        parts = ["fid"]
        for col in encoded.schema:
            name, kind = col["name"], col["kind"]
            if kind == "datetime":
                cast = "timestamptz" if "," in col["dtype"] else "timestamp"
            else:
                cast = _CAST[kind]
            literal = "'" + name.replace("'", "''") + "'"
            parts.append(f"(properties->>{literal})::{cast} AS {_q(name)}")
        parts.append("geom")
        conn.execute(sa.text(f"DROP VIEW IF EXISTS {_q(layer)}"))
        conn.execute(
            sa.text(
                f"CREATE VIEW {_q(layer)} AS SELECT {', '.join(parts)} "  # noqa: S608
                f"FROM {_q(layer + HISTORY_SUFFIX)} WHERE version = {int(version)}"
            )
        )

    # -- scenarios

    def _insert_scenario(self, scenario: Scenario, audit: AuditEntry) -> None:
        t = _scenarios_table
        doing = text("geo.store.doing.save_scenario", name=scenario.name)
        with self._begin(doing, writing=True) as conn:
            self._lock(conn, f"geo.store:scenario:{scenario.name}")
            row = conn.execute(
                sa.select(t.c.author, t.c.created_at).where(t.c.name == scenario.name)
            ).first()
            if row is not None:
                raise ConflictError(
                    text(
                        "geo.store.scenario_exists",
                        name=scenario.name,
                        author=row[0],
                        at=f"{row[1].astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
                    )
                )
            conn.execute(
                t.insert().values(
                    name=scenario.name,
                    created_at=scenario.created_at,
                    author=scenario.author,
                    note=scenario.note,
                    layer_versions=json.dumps(dict(scenario.layer_versions), ensure_ascii=False),
                    rules=scenario.rules,
                )
            )
            self._audit_insert(conn, audit)

    def _scenario_rows(self) -> list[Scenario]:
        t = _scenarios_table
        with self._begin(text("geo.store.doing.scenarios")) as conn:
            rows = conn.execute(
                sa.select(
                    t.c.name, t.c.layer_versions, t.c.rules, t.c.author, t.c.note, t.c.created_at
                ).order_by(t.c.seq)
            ).all()
        return [
            Scenario(r[0], json.loads(r[1]), r[2], r[3], r[4], r[5].astimezone(UTC)) for r in rows
        ]

    # -- the audit trail

    @staticmethod
    def _audit_insert(conn: Connection, entry: AuditEntry) -> None:
        conn.execute(
            _audit_table.insert().values(
                at=entry.at,
                who=entry.who,
                role=entry.role,
                action=entry.action,
                layer=entry.layer,
                version=entry.version,
                page=entry.page,
                detail=entry.detail,
            )
        )

    def _insert_audit(self, entry: AuditEntry) -> None:
        with self._begin(text("geo.store.doing.audit"), writing=True) as conn:
            self._audit_insert(conn, entry)

    def _audit_rows(self) -> list[AuditEntry]:
        t = _audit_table
        with self._begin(text("geo.store.doing.audit_read")) as conn:
            rows = conn.execute(
                sa.select(
                    t.c.at,
                    t.c.who,
                    t.c.role,
                    t.c.action,
                    t.c.layer,
                    t.c.version,
                    t.c.page,
                    t.c.detail,
                ).order_by(t.c.id)
            ).all()
        return [AuditEntry(r[0].astimezone(UTC), *r[1:]) for r in rows]
