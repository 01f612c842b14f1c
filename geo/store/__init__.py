"""The project store: versioned layers (who, when, why; any version restorable) and scenarios.

One interface, two back ends, chosen by the target given to :func:`open`:

- a GeoPackage file (embedded, no server needed): ``geo.store.open("project.gpkg")``;
- a PostGIS database shared by a team:
  ``geo.store.open("postgresql://planner@db.example:5432/nanchang")``.

``geo`` has no default store: the caller names one (the tool's default, a per-user data
folder or ``$NANCHANG_STORE``, is ``layers.settings.store_target()``).

Every write is one transaction and adds a version; nothing is ever rewritten, and
:meth:`Store.restore` brings back an old version by saving it again as a new one::

    store = geo.store.open("project.gpkg")
    v = store.write("zones_drawn", gdf, author="王工", note="东区边界按批复调整")
    store.history("zones_drawn")        # version, author, created_at, note, feature_count
    store.read("zones_drawn", version=1)
    store.restore("zones_drawn", 1, author="王工", note="撤回调整", expected_version=1)

Every write takes the acting :class:`Actor` (an id and a role): a role that may not
write (``viewer``) is refused with :class:`AccessDeniedError` before anything is written,
the actor's id becomes the version's author, and the write adds its row to the audit
trail (:meth:`Store.audit_log`) in the same transaction. Trusted local callers (scripts,
the command line) may pass ``author="name"`` instead, acting as an admin::

    planner = geo.store.Actor("wang@bureau.example", "planner")
    store.write("zones_drawn", gdf, actor=planner, note="东区边界按批复调整")
    store.audit_log(action="save")

Every write takes ``expected_version``, the version its author was looking at: if
somebody saved another one since, :class:`ConflictError` names who saved which version
when (in English and Chinese) and nothing is written. A GeoPackage that may not be written
here (read-only file, folder or mount) is opened for reading; writing to it raises
:class:`StoreReadOnlyError`.

``geo.store`` imports SQLAlchemy only when a ``postgresql://`` target is opened, and
``import geo`` does not import ``geo.store`` at all.
"""

from __future__ import annotations

import os
import re
from typing import Final

from geo.messages import text
from geo.store._access import AUDIT_ACTIONS, AUDIT_COLUMNS, ROLES, WRITER_ROLES, Actor, AuditEntry
from geo.store._base import (
    AccessDeniedError,
    ConflictError,
    LayerNotFoundError,
    Scenario,
    Store,
    StoreBusyError,
    StoreConnectionError,
    StoreError,
    StoreReadOnlyError,
    Version,
)

__all__ = [
    "AUDIT_ACTIONS",
    "AUDIT_COLUMNS",
    "ROLES",
    "WRITER_ROLES",
    "AccessDeniedError",
    "Actor",
    "AuditEntry",
    "ConflictError",
    "LayerNotFoundError",
    "Scenario",
    "Store",
    "StoreBusyError",
    "StoreConnectionError",
    "StoreError",
    "StoreReadOnlyError",
    "Version",
    "open",
    "redact",
]

_QUERY_SECRET: Final = re.compile(r"([?&](?:password|passfile|sslpassword)=)[^&#]*", re.I)


def redact(target: str) -> str:
    """Return ``target`` safe to print.

    A database URL's password, and the values of its query parameters ``password``,
    ``passfile`` and ``sslpassword``, become ``***``.
    """
    if _is_url(target):
        from geo.store._postgis import redact as _redact

        return _redact(target)
    # Other URLs (refused, but named in the message) are masked without SQLAlchemy, which
    # a GeoPackage store never imports.
    return _QUERY_SECRET.sub(r"\1***", re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", target))


def _is_url(target: str) -> bool:
    return target.lower().startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def open(  # noqa: A001 (``geo.store.open`` mirrors the built-in on purpose)
    target: str | os.PathLike[str],
    *,
    busy_timeout: float = 10.0,
    statement_timeout: float = 30.0,
) -> Store:
    """Open (and if needed create) a project store.

    Parameters
    ----------
    target : str or path-like
        A GeoPackage path or a ``postgresql://`` URL.
    busy_timeout : float
        GeoPackage: seconds a writer waits for another writer before
        :class:`StoreBusyError` ("busy, retry").
    statement_timeout : float
        PostGIS: seconds a statement may run (including waiting for another writer)
        before the server cancels it and the write is rolled back.

    Returns
    -------
    Store
        Use it as a context manager, or call ``close()``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with open(pathlib.Path(tempfile.mkdtemp()) / "p.gpkg") as store:
    ...     store.layers()
    []
    """
    given = os.fspath(target)
    if _is_url(given):
        from geo.store._postgis import PostGISStore

        return PostGISStore(given, statement_timeout=statement_timeout)
    if "://" in given:
        raise StoreError(text("geo.store.not_a_store", target=redact(given)))
    from geo.store._gpkg import GeoPackageStore

    return GeoPackageStore(given, busy_timeout=busy_timeout)
