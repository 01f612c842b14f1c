"""Who is using the tool and what their role lets them do: viewer, planner or admin.

The app signs people in with the organisation's identity provider (OpenID Connect, through
Streamlit's ``st.login``); this module turns the provider's claims into an
:class:`Identity` with one role, without importing Streamlit, so the mapping is tested
and shared by every front end. The store enforces the role on every write
(:class:`geo.store.Actor`, from :attr:`Identity.actor`); the pages only hide what a role
cannot use.

Roles come from one claim of the identity token (``groups`` by default; ``roles`` with
some providers), mapped in an operator's YAML file: ``$NANCHANG_ROLES`` if set, else
``.streamlit/roles.yaml`` beside the app (read when a function runs)::

    claim: groups              # the claim that carries the user's groups or roles
    roles:
      admin: [gis-admins]      # claim values that make an admin
      planner: [planners, zoning-editors]
    # anyone else who signs in is a viewer

Anyone signed in whose claim matches no entry, or who has no such claim, is a viewer. A
claim of an unexpected shape (a number, a mapping, a list with non-text items) also gives
a viewer, with a warning in the log naming the user and the claim: the safe reading of a
misconfigured provider is "may look, may not change". A user in several groups gets the
most trusted role any of them gives.

The command line acts as the local operating-system user with the admin role
(:meth:`Identity.local_user`): it is an administrator's tool, run by whoever can already
open the store's file or database directly.

Examples
--------
>>> config = RoleConfig(claim="groups", grants={"planners": "planner"})
>>> Identity.from_claims({"sub": "u1", "email": "wang@x.cn", "groups": ["planners"]},
...                      config).role
'planner'
>>> Identity.from_claims({"sub": "u2", "groups": "visitors"}, config).role
'viewer'
"""

from __future__ import annotations

import getpass
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import yaml

from geo import InputError
from geo.store import ROLES, WRITER_ROLES, Actor
from layers.i18n import text

__all__ = [
    "DEFAULT_CLAIM",
    "ROLES",
    "ROLES_ENV_VAR",
    "ROLES_FILE",
    "Identity",
    "RoleConfig",
    "load_roles",
    "may_admin",
    "may_write",
    "role_from_claims",
    "roles_path",
]

Source = Literal["oidc", "local", "single_user"]

ROLES_ENV_VAR: Final = "NANCHANG_ROLES"
"""Environment variable naming the roles file (YAML); overrides :data:`ROLES_FILE`."""
ROLES_FILE: Final = Path(".streamlit") / "roles.yaml"
"""The roles file's default place, relative to the folder the app is started from."""
DEFAULT_CLAIM: Final = "groups"
"""The claim read when the roles file names none."""
_RANK: Final = {role: i for i, role in enumerate(ROLES)}
_LOG: Final = logging.getLogger("nanchang.access")


@dataclass(frozen=True)
class RoleConfig:
    """Which claim carries the roles, and which claim value gives which role.

    Parameters
    ----------
    claim : str
        The claim's name in the identity token (``groups``, ``roles``, ...).
    grants : mapping of str to str
        Claim value -> role (``planner`` or ``admin``; ``viewer`` needs no entry).
    source : str
        Where the configuration was read from (a path, or ``"default"``), for messages.
    """

    claim: str = DEFAULT_CLAIM
    grants: Mapping[str, str] = field(default_factory=dict)
    source: str = "default"


def roles_path() -> Path:
    """Return the roles file in use: ``$NANCHANG_ROLES``, else :data:`ROLES_FILE`."""
    given = os.environ.get(ROLES_ENV_VAR, "").strip()
    return Path(given) if given else ROLES_FILE


def load_roles(path: str | os.PathLike[str] | None = None) -> RoleConfig:
    """Read the roles file (``yaml.safe_load`` only).

    Parameters
    ----------
    path : str or path-like, optional
        The file; default :func:`roles_path`. A missing default file means "everyone who
        signs in is a viewer"; a missing file named explicitly (argument or
        ``$NANCHANG_ROLES``) is an error, since the operator meant one.

    Returns
    -------
    RoleConfig

    Raises
    ------
    geo.InputError
        If the file cannot be read or is not of the shape shown in the module's
        description; the message names the file and the entry.
    """
    explicit = path is not None or bool(os.environ.get(ROLES_ENV_VAR, "").strip())
    where = Path(path) if path is not None else roles_path()
    if not where.is_file():
        if explicit:
            raise InputError(text("access.roles.missing", path=str(where), env=ROLES_ENV_VAR))
        return RoleConfig()
    try:
        raw = yaml.safe_load(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(text("access.roles.unreadable", path=str(where), error=first)) from None
    return _parse(raw, str(where))


def _parse(raw: Any, source: str) -> RoleConfig:
    if raw is None:
        return RoleConfig(source=source)
    if not isinstance(raw, dict):
        raise InputError(text("access.roles.shape", path=source))
    unknown = sorted(str(k) for k in raw if k not in ("claim", "roles"))
    if unknown:
        raise InputError(text("access.roles.keys", path=source, keys=", ".join(unknown)))
    claim = raw.get("claim", DEFAULT_CLAIM)
    if not isinstance(claim, str) or not claim.strip():
        raise InputError(text("access.roles.claim", path=source, value=repr(claim)))
    table = raw.get("roles") or {}
    if not isinstance(table, dict):
        raise InputError(text("access.roles.shape", path=source))
    grants: dict[str, str] = {}
    for role, values in table.items():
        if role not in ("planner", "admin"):
            raise InputError(text("access.roles.role", path=source, role=str(role)))
        listed = [values] if isinstance(values, str) else values
        if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
            raise InputError(text("access.roles.values", path=source, role=role))
        for value in listed:
            # The same value under two roles: the more trusted one, as for a user in two groups.
            if value not in grants or _RANK[role] > _RANK[grants[value]]:
                grants[value] = role
    return RoleConfig(claim=claim.strip(), grants=grants, source=source)


def role_from_claims(claims: Mapping[str, Any], config: RoleConfig) -> str:
    """Return the role the claims give under ``config``: the most trusted one matched.

    A missing claim or one that matches nothing gives ``viewer``. A claim of an unexpected
    shape gives ``viewer`` and logs a warning (``nanchang.access``) naming the user and the
    claim, so the operator can fix the provider or the roles file.
    """
    value = claims.get(config.claim)
    if value is None:
        return "viewer"
    if isinstance(value, str):
        values = [value]
    elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        values = list(value)
    else:
        _LOG.warning(
            "claim %r of user %r has an unexpected shape (%s); treated as a viewer: "
            "the claim must be a text or a list of texts",
            config.claim,
            claims.get("email") or claims.get("sub"),
            type(value).__name__,
        )
        return "viewer"
    found = [config.grants[v] for v in values if v in config.grants]
    return max(found, key=_RANK.__getitem__, default="viewer")


@dataclass(frozen=True)
class Identity:
    """A person using the tool, with their one role.

    Parameters
    ----------
    subject : str
        The identity provider's stable id for the person (``sub``), or the local user name.
    email : str or None
        Their e-mail, when the provider gives one.
    name : str or None
        Their display name.
    role : str
        ``viewer``, ``planner`` or ``admin``.
    source : {"oidc", "local", "single_user"}
        How they were identified: signed in with the provider, the command line's OS user,
        or the app's single-user mode (no sign-in).
    """

    subject: str
    email: str | None
    name: str | None
    role: str
    source: Source

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise InputError(text("access.role_unknown", role=self.role))

    @property
    def id(self) -> str:
        """What a version's author and the audit trail record: the e-mail, else the subject."""
        return self.email or self.subject

    @property
    def actor(self) -> Actor:
        """Return the store's :class:`geo.store.Actor` for this identity (id and role)."""
        return Actor(self.id, self.role)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any], config: RoleConfig) -> Identity:
        """Return the signed-in person the provider's claims describe (``st.user``).

        Raises
        ------
        geo.InputError
            If the claims carry neither a subject (``sub``) nor an e-mail.
        """
        subject = claims.get("sub")
        email = claims.get("email")
        email = email.strip() if isinstance(email, str) and email.strip() else None
        if not isinstance(subject, str) or not subject.strip():
            if email is None:
                raise InputError(text("access.no_subject"))
            subject = email
        name = claims.get("name")
        return cls(
            subject=subject.strip(),
            email=email,
            name=name if isinstance(name, str) and name.strip() else None,
            role=role_from_claims(claims, config),
            source="oidc",
        )

    @classmethod
    def local_user(cls) -> Identity:
        """Return the operating-system user as an admin: the command line's identity."""
        user = _os_user()
        return cls(subject=user, email=None, name=user, role="admin", source="local")

    @classmethod
    def single_user(cls) -> Identity:
        """Return the app's single-user mode identity (no sign-in configured).

        Everyone who can open the page may edit, so the role is ``admin``; the OS user the
        app runs as is what versions and the audit trail record, marked as single-user.
        """
        user = _os_user()
        return cls(
            subject=f"{user} (single-user)", email=None, name=user, role="admin",
            source="single_user",
        )  # fmt: skip


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        # No name for this uid (a container): the number still tells who it was.
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def may_write(identity: Identity, layer: str | None = None) -> bool:
    """Tell whether ``identity`` may change ``layer`` (zones, enterprises, any layer).

    Planners and admins may change every layer; the store applies the same rule
    (``geo.store.WRITER_ROLES``), so hiding a control and refusing a write never disagree.
    ``layer`` is accepted so that a per-layer rule can be added in one place.
    """
    del layer  # one rule for every layer today
    return identity.role in WRITER_ROLES


def may_admin(identity: Identity) -> bool:
    """Tell whether ``identity`` may read the audit trail and manage roles."""
    return identity.role == "admin"
