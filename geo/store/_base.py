"""What both back ends share: the interface, the errors, and (re-exported) the feature encoding.

Data model (identical in GeoPackage and PostGIS)
------------------------------------------------
``store_versions``
    One row per saved version of a layer: ``layer``, ``version`` (1, 2, ...), ``author``,
    ``created_at`` (UTC), ``note``, ``feature_count``, ``parent_version`` (the version that
    was current when this one was saved), ``restored_from`` (set when the version is a
    restore) and ``schema`` (JSON: column names and pandas dtypes, in order).
``<layer>__history``
    Every feature of every version: ``version``, ``fid`` (1-based row number),
    ``properties`` (JSON object, exact values) and the geometry (EPSG:4326). Rows are only
    ever inserted: a version, once committed, is never changed or deleted.
``<layer>``
    The current version as an ordinary typed feature layer for GIS software: a real
    GeoPackage feature table with an R-tree index (rebuilt in the same transaction as the
    write), or in PostGIS a view over the history table.
``store_scenarios``
    Named, immutable sets of layer versions plus rules text.
``store_audit``
    The audit trail (:mod:`geo.store._access`): who did what when, from which page;
    each write adds its row in its own transaction.

Who may write: every write takes an :class:`~geo.store._access.Actor` and refuses one
whose role may not write (:class:`AccessDeniedError`). This file is over 600 lines
because it is the one interface both back ends implement; splitting the shared behaviour
away from the abstract primitives would make each half unreadable alone.

A write is one transaction that inserts the new version's features and its
``store_versions`` row (and refreshes ``<layer>``); the current version is the highest
committed one. A write that dies half-way leaves nothing behind, so the previous version
is untouched.

The interface, its errors and the feature encoding (:mod:`geo.store._encoding`) are the
contract both back ends implement, and change together.
"""

from __future__ import annotations

import abc
import contextlib
import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Self

import pandas as pd

from geo._errors import InputError, TwoLanguageError
from geo._say import listing
from geo.messages import text
from geo.store._access import Actor, AuditEntry, audit_frame, filter_audit
from geo.store._encoding import Encoded, decode, dump_schema, encode

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "AccessDeniedError",
    "Actor",
    "AuditEntry",
    "ConflictError",
    "Encoded",  # the encoding (geo.store._encoding), re-exported for the back ends
    "LayerNotFoundError",
    "Scenario",
    "Store",
    "StoreBusyError",
    "StoreConnectionError",
    "StoreError",
    "StoreReadOnlyError",
    "Version",
    "dump_schema",
]

HISTORY_SUFFIX: Final = "__history"
# Lower-case ASCII identifiers are valid unquoted in SQLite, PostgreSQL and every GIS
# client, so a layer name never needs quoting rules that differ between back ends.
_LAYER_RE: Final = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
_RESERVED_PREFIXES: Final = ("store_", "gpkg_", "rtree_", "sqlite_", "pg_", "spatial_ref_sys")

# Test hook: a writer pauses at this named point of a write (see ``pause``).
PAUSE_ENV: Final = "GEO_STORE_TEST_PAUSE"
PAUSE_FILE_ENV: Final = "GEO_STORE_TEST_PAUSE_FILE"
PAUSE_POINTS: Final = ("begin", "after_features", "after_current", "before_commit")


class StoreError(TwoLanguageError, RuntimeError):
    """The store could not do what was asked; the message says why and what to do.

    Parameters
    ----------
    message : str or geo.messages.Text
        The message; the store gives every one as a :class:`~geo.messages.Text`, in
        English and Chinese (``str(error)`` is the English, :func:`geo.messages.in_lang`
        picks either). A database URL in it always has its password hidden.

    Attributes
    ----------
    text : geo.messages.Text or None
        Both texts, when the message was given in both languages.
    """


class StoreBusyError(StoreError, TimeoutError):
    """Another writer holds the store (or the server timed out): nothing was written, retry."""


class ConflictError(StoreError):
    """Saving over a version that someone else has already replaced (optimistic locking)."""


class StoreReadOnlyError(StoreError, PermissionError):
    """The store can be read but not changed here (a read-only file, folder or mount)."""


class AccessDeniedError(StoreError, PermissionError):
    """The acting user's role may not do this (a viewer saving, say): nothing was written.

    The refusal itself is recorded in the audit trail (action ``refused``) when the store
    can be written at all.
    """


class StoreConnectionError(StoreError, ConnectionError):
    """The database connection failed or dropped; an interrupted write was rolled back."""


class LayerNotFoundError(StoreError, LookupError):
    """The layer, version or scenario does not exist in the store."""


@dataclass(frozen=True)
class Version:
    """One saved version of a layer (a row of ``store_versions``)."""

    layer: str
    version: int
    author: str
    created_at: datetime
    note: str
    feature_count: int
    parent_version: int | None = None
    restored_from: int | None = None


@dataclass(frozen=True)
class Scenario:
    """A named set of layer versions plus rules text, e.g. "plan as drawn"."""

    name: str
    layer_versions: Mapping[str, int]
    rules: str
    author: str
    note: str
    created_at: datetime


def now_utc() -> datetime:
    """Return the current time in UTC to the millisecond, the time stamp of a version."""
    now = datetime.now(UTC)
    # Milliseconds: what a GeoPackage DATETIME holds, so both back ends agree exactly.
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def check_layer_name(layer: str) -> str:
    """Return ``layer`` if it is a valid layer name, else raise :class:`InputError`."""
    if not isinstance(layer, str) or not _LAYER_RE.match(layer):
        raise InputError(text("geo.store.layer_name", layer=layer))
    if layer.startswith(_RESERVED_PREFIXES) or HISTORY_SUFFIX in layer:
        raise InputError(
            text(
                "geo.store.layer_reserved",
                layer=layer,
                prefixes=listing(_RESERVED_PREFIXES),
                suffix=HISTORY_SUFFIX,
            )
        )
    return layer


def check_text(value: object, what: str) -> str:
    """Return a required, non-empty text argument (author, note) or raise InputError."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(text("geo.store.need_text", what=what, value=value))
    return value


def pause(point: str) -> None:
    """Stop at a named point of a write when a test asks for it.

    Tests set ``GEO_STORE_TEST_PAUSE`` to one of :data:`PAUSE_POINTS` and
    ``GEO_STORE_TEST_PAUSE_FILE`` to a path: the writer creates that file (so the test knows
    it is inside the write) and waits until ``<path>.go`` appears (at most 120 s). The test
    then kills the process, or cuts its connection, or lets it go on. Without the variables
    this does nothing.
    """
    if os.environ.get(PAUSE_ENV) != point:
        return
    ready = Path(os.environ.get(PAUSE_FILE_ENV, "geo_store_pause"))
    ready.write_text(str(os.getpid()), encoding="utf-8")
    go = ready.with_name(ready.name + ".go")
    deadline = time.monotonic() + 120.0
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


# ---------------------------------------------------------------- the interface


class Store(abc.ABC):
    """A project store: versioned layers and saved scenarios.

    Open one with :func:`geo.store.open`. Every method that changes the store is one
    transaction; versions are only ever added, never changed or deleted.
    """

    target: str
    read_only: bool = False
    """True when the store can be read but not written here (every write is refused)."""

    # -- back-end primitives

    @abc.abstractmethod
    def init(self) -> None:
        """Create the store's tables if they do not exist (idempotent)."""

    @abc.abstractmethod
    def layers(self) -> list[str]:
        """Return the names of the layers in the store, sorted."""

    @abc.abstractmethod
    def versions(self, layer: str) -> list[Version]:
        """Return every version of ``layer``, oldest first (empty list if none)."""

    @abc.abstractmethod
    def _read_rows(self, layer: str, version: int) -> tuple[str, list[str], list[Any]]:
        """Return (schema JSON, properties JSON per feature, geometry per feature)."""

    @abc.abstractmethod
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
        """Save ``encoded`` as the next version of ``layer`` in one transaction.

        The version's author is ``actor.id``; the same transaction adds the audit row
        (``action``, ``page``, the new version).
        """

    @abc.abstractmethod
    def _insert_scenario(self, scenario: Scenario, audit: AuditEntry) -> None:
        """Insert a scenario row and its audit row; raise ConflictError if the name exists."""

    @abc.abstractmethod
    def _insert_audit(self, entry: AuditEntry) -> None:
        """Insert one audit row in a transaction of its own."""

    @abc.abstractmethod
    def _audit_rows(self) -> list[AuditEntry]:
        """Return every audit row, oldest first (empty if the store has no audit table)."""

    @abc.abstractmethod
    def _scenario_rows(self) -> list[Scenario]:
        """Return every saved scenario in the order they were saved."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections and file handles."""

    # -- shared behaviour

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.target!r})"

    def current_version(self, layer: str) -> int | None:
        """Return the current (highest) version number of ``layer``, or None if absent."""
        found = self.versions(check_layer_name(layer))
        return found[-1].version if found else None

    def history(self, layer: str) -> pd.DataFrame:
        """Return the history of a layer, one row per version, oldest first.

        Columns: ``version``, ``author``, ``created_at`` (UTC), ``note``,
        ``feature_count``, ``parent_version``, ``restored_from``.

        Raises
        ------
        LayerNotFoundError
            If the store has no such layer.
        """
        found = self._versions_or_raise(layer)
        return pd.DataFrame(
            {
                "version": [v.version for v in found],
                "author": [v.author for v in found],
                "created_at": pd.to_datetime([v.created_at for v in found], utc=True),
                "note": [v.note for v in found],
                "feature_count": [v.feature_count for v in found],
                "parent_version": pd.array([v.parent_version for v in found], dtype="Int64"),
                "restored_from": pd.array([v.restored_from for v in found], dtype="Int64"),
            }
        )

    def read(self, layer: str, *, version: int | None = None) -> gpd.GeoDataFrame:
        """Return a layer (its current version, or any past ``version``) in EPSG:4326.

        Values, dtypes, column order and row order are those that were written; a named
        index written with the data is restored.
        """
        found = self._versions_or_raise(layer)
        wanted = found[-1].version if version is None else int(version)
        if wanted not in {v.version for v in found}:
            raise LayerNotFoundError(
                text(
                    "geo.store.no_version",
                    layer=layer,
                    target=self.target,
                    version=version,
                    last=found[-1].version,
                )
            )
        schema, properties, geometry = self._read_rows(layer, wanted)
        return decode(json.loads(schema), properties, geometry)

    def write(
        self,
        layer: str,
        data: gpd.GeoDataFrame,
        *,
        actor: Actor | None = None,
        author: str | None = None,
        note: str,
        expected_version: int | None = None,
        action: str = "save",
        page: str = "",
    ) -> Version:
        """Save ``data`` as the new current version of ``layer``.

        Parameters
        ----------
        layer : str
            Layer name: lower-case ASCII letters, digits and underscores.
        data : GeoDataFrame
            Any CRS (converted to EPSG:4326); text, integer, float, boolean and datetime
            columns. A CRS-less frame is refused.
        actor : Actor
            Who saves: their role is checked (a viewer is refused with
            :class:`AccessDeniedError` and nothing is written) and their ``id`` becomes the
            version's author. Front ends that serve several people always pass one.
        author : str, optional
            Instead of ``actor``, for trusted local callers only (scripts, tests, the
            command line, which could open the file directly anyway): the name is recorded
            as given, acting as an admin. Give one of ``actor`` and ``author``.
        note : str
            Why; required, free text.
        expected_version : int, optional
            The version the caller started from (the one the user was looking at). If the
            layer's current version is a different one, somebody else saved in between:
            :class:`ConflictError` names who saved which version when, and nothing is
            written. ``0`` means "the layer must not exist yet". Omitted: no check (the
            new version goes on top of whatever is current; for administrative tools).
        action : {"save", "import"}
            What the audit trail calls this write.
        page : str
            Where in the front end the write was made, for the audit trail.

        Returns
        -------
        Version
            The version just saved.
        """
        check_layer_name(layer)
        if action not in ("save", "import"):
            raise InputError(text("geo.store.write_action", action=action))
        who = self._acting(actor, author)
        self.authorize(who, layer=layer, page=page)
        encoded = encode(data)
        return self._write(
            layer,
            encoded,
            actor=who,
            note=check_text(note, "note"),
            expected_version=expected_version,
            restored_from=None,
            action=action,
            page=str(page),
        )

    def restore(
        self,
        layer: str,
        version: int,
        *,
        actor: Actor | None = None,
        author: str | None = None,
        note: str,
        expected_version: int | None = None,
        page: str = "",
    ) -> Version:
        """Make past ``version`` current again by saving its content as a new version.

        History is never rewritten: the versions after ``version`` stay readable.

        Parameters
        ----------
        layer : str
            The layer.
        version : int
            The past version to bring back.
        actor, author, note, page
            As for :meth:`write`: who restores (checked, recorded) and why.
        expected_version : int, optional
            The version the user was looking at when choosing to restore, checked exactly
            as :meth:`write` checks it: a restore decided on a page that still showed
            version 2 after somebody saved version 3 raises :class:`ConflictError` naming
            who saved version 3 when, and nothing is written. Omitted: no check.

        Returns
        -------
        Version
            The new version (its ``restored_from`` is ``version``).
        """
        who = self._acting(actor, author)
        self.authorize(who, layer=check_layer_name(layer), page=page)
        old = self.read(layer, version=version)
        return self._write(
            layer,
            encode(old),
            actor=who,
            note=check_text(note, "note"),
            expected_version=expected_version,
            restored_from=int(version),
            action="restore",
            page=str(page),
        )

    # -- who acts, and the audit trail

    @staticmethod
    def _acting(actor: Actor | None, author: str | None) -> Actor:
        """Return the actor of a write: ``actor``, or a trusted local ``author`` as admin."""
        if actor is not None and author is not None:
            raise InputError(text("geo.store.actor_both"))
        if actor is not None:
            if not isinstance(actor, Actor):
                raise InputError(text("geo.store.actor_type", type=type(actor).__name__))
            return actor
        return Actor(check_text(author, "author"), "admin")

    def authorize(self, actor: Actor, *, layer: str | None = None, page: str = "") -> None:
        """Refuse (and record) a change by an actor whose role may not write.

        Every write calls it first; a front end may call it too before preparing a write
        (e.g. before seeding a layer it is about to save).

        Raises
        ------
        AccessDeniedError
            If ``actor.role`` is not a writer role; the attempt is recorded in the audit
            trail as ``refused`` when the store can be written at all.
        """
        if not isinstance(actor, Actor):
            raise InputError(text("geo.store.actor_type", type=type(actor).__name__))
        if actor.may_write:
            return
        message = text("geo.store.denied", who=actor.id, role=actor.role, layer=layer or "-")
        entry = AuditEntry(
            now_utc(), actor.id, actor.role, "refused", layer, None, str(page), message.en
        )
        if not self.read_only:
            # The refusal stands whether or not it could be recorded (a busy store).
            with contextlib.suppress(StoreError):
                self._insert_audit(entry)
        raise AccessDeniedError(message)

    def audit(
        self,
        actor: Actor,
        action: str,
        *,
        layer: str | None = None,
        version: int | None = None,
        page: str = "",
        detail: str = "",
    ) -> AuditEntry:
        """Record an event in the audit trail (writes record themselves; this is for the rest).

        Parameters
        ----------
        actor : Actor
            Who; any role (a viewer signing in is recorded too).
        action : str
            One of ``geo.store.AUDIT_ACTIONS``, e.g. ``"sign_in"`` or ``"sign_out"``.
        layer, version, page, detail
            What it was about and where; optional.

        Returns
        -------
        AuditEntry
            The row recorded.
        """
        if not isinstance(actor, Actor):
            raise InputError(text("geo.store.actor_type", type=type(actor).__name__))
        entry = AuditEntry(
            now_utc(),
            actor.id,
            actor.role,
            action,
            None if layer is None else check_layer_name(layer),
            None if version is None else int(version),
            str(page),
            str(detail),
        )
        self._insert_audit(entry)
        return entry

    def audit_log(
        self,
        *,
        who: str | None = None,
        action: str | Sequence[str] | None = None,
        layer: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
    ) -> pd.DataFrame:
        """Return the audit trail, newest first, filtered.

        Parameters
        ----------
        who : str, optional
            Part of the actor's id (case-insensitive).
        action : str or list of str, optional
            Only these actions (see ``geo.store.AUDIT_ACTIONS``).
        layer : str, optional
            Only this layer.
        since, until : date or datetime, optional
            Inclusive bounds in UTC (a date covers its whole day).

        Returns
        -------
        DataFrame
            Columns ``at`` (UTC), ``who``, ``role``, ``action``, ``layer``, ``version``,
            ``page``, ``detail``.
        """
        frame = audit_frame(self._audit_rows())
        return filter_audit(frame, who=who, action=action, layer=layer, since=since, until=until)

    # -- scenarios

    def save_scenario(
        self,
        name: str,
        layer_versions: Mapping[str, int] | None = None,
        *,
        rules: str = "",
        actor: Actor | None = None,
        author: str | None = None,
        note: str,
        page: str = "",
    ) -> Scenario:
        """Save a named, immutable scenario: layer versions plus rules text.

        ``layer_versions`` defaults to the current version of every layer. Each named
        version must exist. A scenario name is used once: saving it again raises
        :class:`ConflictError` (choose a new name, e.g. "plan as drawn 2"). ``actor``,
        ``author``, ``note`` and ``page`` are as for :meth:`write`.
        """
        who = self._acting(actor, author)
        self.authorize(who, page=page)
        if not isinstance(name, str) or not name.strip():
            raise InputError(text("geo.store.scenario_name", name=name))
        if layer_versions is None:
            picked = {layer: v for layer in self.layers() if (v := self.current_version(layer))}
        else:
            picked = {}
            for layer, version in layer_versions.items():
                found = {v.version for v in self._versions_or_raise(layer)}
                if int(version) not in found:
                    raise LayerNotFoundError(
                        text("geo.store.scenario_version", name=name, layer=layer, version=version)
                    )
                picked[layer] = int(version)
        scenario = Scenario(
            name=name,
            layer_versions=picked,
            rules=str(rules),
            author=who.id,
            note=check_text(note, "note"),
            created_at=now_utc(),
        )
        entry = AuditEntry(
            scenario.created_at, who.id, who.role, "scenario", None, None, str(page), name
        )
        self._insert_scenario(scenario, entry)
        return scenario

    def scenarios(self) -> list[Scenario]:
        """Return every saved scenario, oldest first."""
        return self._scenario_rows()

    def scenario(self, name: str) -> Scenario:
        """Return the scenario called ``name``."""
        for found in self._scenario_rows():
            if found.name == name:
                return found
        raise LayerNotFoundError(text("geo.store.no_scenario", name=name, target=self.target))

    def read_scenario(self, name: str) -> dict[str, gpd.GeoDataFrame]:
        """Return the layers of a scenario at the versions it names."""
        found = self.scenario(name)
        return {lay: self.read(lay, version=v) for lay, v in found.layer_versions.items()}

    # -- helpers for the back ends

    def _versions_or_raise(self, layer: str) -> list[Version]:
        found = self.versions(check_layer_name(layer))
        if not found:
            names = self.layers()
            have = listing(names) if names else text("geo.word.none")
            raise LayerNotFoundError(
                text("geo.store.no_layer", layer=layer, target=self.target, have=have)
            )
        return found

    @staticmethod
    def _check_expected(
        layer: str, expected: int | None, current: Version | None, *, restoring: int | None
    ) -> None:
        """Refuse a write that started from another version than the current one.

        Called inside the write's transaction (after its lock), so nobody can save in
        between the check and the write. ``restoring`` is the version a restore brings
        back (None for a save): the message then says "restore", not "save".
        """
        if expected is None:
            return
        have = current.version if current is not None else 0
        if int(expected) == have:
            return
        if current is None:
            raise ConflictError(text("geo.store.conflict_gone", layer=layer, expected=expected))
        key = "geo.store.conflict" if restoring is None else "geo.store.conflict_restore"
        raise ConflictError(
            text(
                key,
                layer=layer,
                expected=expected,
                version=current.version,
                author=current.author,
                at=f"{current.created_at:%Y-%m-%d %H:%M:%S}",
                note=current.note,
                old=restoring,
            )
        )
