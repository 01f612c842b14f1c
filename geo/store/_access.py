"""Who acts on the store: the actor of a write, the roles that may write, the audit trail.

``geo`` knows no sign-in and no identity provider: a front end that serves many people
(the app) resolves its user to an :class:`Actor` (``layers.access.Identity.actor``) and
hands it to every write. The store refuses an actor whose role may not write
(:class:`AccessDeniedError`) before it touches anything, records the actor's ``id`` as the
version's author, and adds a row to the audit trail in the same transaction as the write,
so a version is never saved without its audit row.

Roles are three plain words, from least to most trusted: ``viewer`` (reads and downloads),
``planner`` (changes layers, restores versions, saves scenarios), ``admin`` (a planner who
also reads the audit trail and manages roles). A role the store does not know is refused
when the actor is made: an unknown role can never write by accident.

The audit table ``store_audit`` has one row per event: ``at`` (UTC), ``who`` (the actor's
id), ``role``, ``action`` (one of :data:`AUDIT_ACTIONS`), ``layer``, ``version``, ``page``
(where in the front end it happened) and ``detail`` (free text, e.g. why a write was
refused). Rows are only ever inserted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

import pandas as pd

from geo._errors import InputError
from geo._say import listing
from geo.messages import text

__all__ = [
    "AUDIT_ACTIONS",
    "AUDIT_COLUMNS",
    "ROLES",
    "WRITER_ROLES",
    "Actor",
    "AuditEntry",
    "filter_audit",
]

ROLES: Final = ("viewer", "planner", "admin")
"""The roles, least trusted first."""
WRITER_ROLES: Final = frozenset({"planner", "admin"})
"""The roles the store lets change layers, versions and scenarios."""
AUDIT_ACTIONS: Final = (
    "save",
    "restore",
    "import",
    "scenario",
    "refused",
    "sign_in",
    "sign_out",
)
"""What an audit row records: a write (the first four), a refused write, a session event."""
AUDIT_COLUMNS: Final = ("at", "who", "role", "action", "layer", "version", "page", "detail")
"""The columns of :meth:`geo.store.Store.audit_log`, in order."""


@dataclass(frozen=True)
class Actor:
    """Who asks the store to do something: an id for the record and a role for the check.

    Parameters
    ----------
    id : str
        What the audit trail and a version's author show: an e-mail address, an identity
        provider's subject, or a local user name. Not empty.
    role : str
        One of :data:`ROLES`; anything else is refused here, never treated as a writer.

    Examples
    --------
    >>> Actor("wang@bureau.example", "planner").may_write
    True
    >>> Actor("guest@bureau.example", "viewer").may_write
    False
    """

    id: str
    role: str

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise InputError(text("geo.store.actor_id", value=self.id))
        if self.role not in ROLES:
            raise InputError(text("geo.store.actor_role", role=self.role, roles=listing(ROLES)))

    @property
    def may_write(self) -> bool:
        """True when the store lets this actor change layers, versions and scenarios."""
        return self.role in WRITER_ROLES


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit trail (see the module's description of ``store_audit``)."""

    at: datetime
    who: str
    role: str
    action: str
    layer: str | None = None
    version: int | None = None
    page: str = ""
    detail: str = ""

    def __post_init__(self) -> None:
        if self.action not in AUDIT_ACTIONS:
            raise InputError(
                text("geo.store.audit_action", action=self.action, actions=listing(AUDIT_ACTIONS))
            )


def audit_frame(entries: Sequence[AuditEntry]) -> pd.DataFrame:
    """Return audit entries as a table with :data:`AUDIT_COLUMNS` (``at`` in UTC)."""
    return pd.DataFrame(
        {
            "at": pd.to_datetime([e.at for e in entries], utc=True),
            "who": pd.Series([e.who for e in entries], dtype=object),
            "role": pd.Series([e.role for e in entries], dtype=object),
            "action": pd.Series([e.action for e in entries], dtype=object),
            "layer": pd.Series([e.layer for e in entries], dtype=object),
            "version": pd.array([e.version for e in entries], dtype="Int64"),
            "page": pd.Series([e.page for e in entries], dtype=object),
            "detail": pd.Series([e.detail for e in entries], dtype=object),
        },
        columns=list(AUDIT_COLUMNS),
    )


def filter_audit(
    frame: pd.DataFrame,
    *,
    who: str | None = None,
    action: str | Sequence[str] | None = None,
    layer: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
) -> pd.DataFrame:
    """Keep the audit rows that match every filter given (newest first).

    ``who`` matches case-insensitively anywhere in the id; ``since`` and ``until`` are
    inclusive (a date means the whole day, in UTC).
    """
    keep = pd.Series(True, index=frame.index)
    if who:
        keep &= frame["who"].str.contains(who, case=False, regex=False, na=False)
    if action:
        wanted = [action] if isinstance(action, str) else list(action)
        keep &= frame["action"].isin(wanted)
    if layer:
        keep &= frame["layer"] == layer
    if since is not None:
        keep &= frame["at"] >= _utc(since, end=False)
    if until is not None:
        keep &= frame["at"] <= _utc(until, end=True)
    # Rows come oldest first; reversed before a stable sort, rows of the same millisecond
    # stay newest first too.
    kept = frame.loc[keep].iloc[::-1]
    return kept.sort_values("at", ascending=False, kind="stable").reset_index(drop=True)


def _utc(value: date | datetime, *, end: bool) -> pd.Timestamp:
    if not isinstance(value, datetime):
        stamp = pd.Timestamp(value)
        stamp = stamp + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1) if end else stamp
        return stamp.tz_localize("UTC")
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
