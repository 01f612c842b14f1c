"""Who is using the app: sign-in with the organisation's identity provider, or single-user mode.

With an ``[auth]`` section in ``.streamlit/secrets.toml`` (see
``.streamlit/secrets.toml.example``) every page first needs the user to sign in with
OpenID Connect (Streamlit's ``st.login``); their role comes from a claim of the identity
token through the roles file (:mod:`layers.access`). The app refuses to start when
``[auth]`` has no ``cookie_secret``: Streamlit signs its identity cookie with it, and a
missing one must never fall back to something guessable.

Without ``[auth]`` the app runs in an explicit single-user mode (a laptop, ``make run``):
no sign-in, everyone who can open the page may edit, and every page says so. No
deployment document uses that mode.

Sign-in and sign-out are recorded in the store's audit trail. A sign-in is recorded once
per sign-in with the provider, not once per browser session: every reload or new tab
starts a new Streamlit session with the same identity cookie, and recording each of them
would bury the real sign-ins. The ID token's issue time (and nonce) name the sign-in in
the row's ``detail``, and a session whose sign-in is already in the trail adds nothing. The
role
only decides what a page offers; the store refuses a write by a role that may not write
whatever the page shows (:class:`geo.store.AccessDeniedError`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

import streamlit as st

import geo.store
import layers
from geo import InputError
from layers import access
from layers.access import Identity
from layers.i18n import Lang, error_text, t

__all__ = ["auth_settings", "current", "record_session", "require_identity"]

_KEY: Final = "auth_identity"
_RECORDED: Final = "auth_recorded"
_PAGE: Final = "auth_page"
_LOG: Final = logging.getLogger("nanchang.app")


def auth_settings() -> Mapping[str, Any] | None:
    """Return the ``[auth]`` section of the app's secrets, or None in single-user mode."""
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return None
    return section if isinstance(section, Mapping) and section else None


def require_identity(lang: Lang) -> Identity:
    """Return who is using this session; show the sign-in screen and stop if nobody yet.

    Call once per run, before the pages are built (the admin page is offered to admins
    only). In single-user mode it shows the banner and returns
    :meth:`layers.access.Identity.single_user`.
    """
    settings = auth_settings()
    if settings is None:
        st.warning(t("auth.single_user", lang), icon="⚠️")
        identity = Identity.single_user()
        st.session_state[_KEY] = identity
        return identity
    if not str(settings.get("cookie_secret") or "").strip():
        st.error(t("auth.no_cookie_secret", lang))
        st.stop()
    # Read defensively: anything but an explicit True is "not signed in".
    if st.user.get("is_logged_in") is not True:
        st.session_state.pop(_KEY, None)
        st.session_state.pop(_RECORDED, None)
        st.info(t("auth.sign_in_intro", lang))
        st.button(
            t("auth.sign_in", lang),
            type="primary",
            key="auth_sign_in",
            on_click=st.login,
            args=_provider(settings),
        )
        st.stop()
    try:
        config = access.load_roles()
    except InputError as exc:
        # A broken roles file must not lock everyone out, nor let anyone write.
        st.error(t("auth.roles_broken", lang, error=error_text(exc, lang)))
        config = access.RoleConfig()
    try:
        identity = Identity.from_claims(st.user.to_dict(), config)
    except InputError as exc:
        st.error(t("auth.identity_failed", lang, error=error_text(exc, lang)))
        st.stop()
    st.session_state[_KEY] = identity
    shown = identity.name or identity.id
    st.sidebar.caption(
        t("auth.signed_in_as", lang, who=shown, role=t(f"role.{identity.role}", lang))
    )
    st.sidebar.button(t("auth.sign_out", lang), key="auth_sign_out", on_click=_sign_out)
    return identity


def _provider(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """Return ``st.login``'s arguments: none for one provider, else the first one named."""
    if "client_id" in settings:
        return ()
    named = [k for k, v in settings.items() if isinstance(v, Mapping)]
    return (named[0],) if named else ()


def current() -> Identity:
    """Return the identity :func:`require_identity` found in this run (for the pages)."""
    found = st.session_state.get(_KEY)
    if isinstance(found, Identity):
        return found
    # A page run without the frame (tests run pages alone): single-user only if no [auth].
    if auth_settings() is None:
        return Identity.single_user()
    st.stop()
    raise AssertionError  # st.stop() does not return  # pragma: no cover


def record_session(identity: Identity, page: str, lang: Lang) -> None:
    """Record the sign-in in the audit trail once, and remember the page.

    Once per sign-in with the provider (see the module's description); a provider whose
    ID token has neither ``iat`` nor ``nonce`` gets one row per session instead.
    """
    st.session_state[_PAGE] = page
    if identity.source != "oidc" or st.session_state.get(_RECORDED) == identity.id:
        return
    marker = _sign_in_marker()
    if marker is not None and _sign_in_recorded(identity, marker):
        st.session_state[_RECORDED] = identity.id
        return
    if _audit(identity, "sign_in", page, lang, detail=marker or ""):
        st.session_state[_RECORDED] = identity.id
        if marker is not None:
            _recorded_sign_ins().add((identity.id, marker))


def _sign_in_marker() -> str | None:
    """Name this sign-in from the ID token (issue time, nonce), or None if it has neither."""
    # Streamlit types the claims as text; the ID token's numbers (iat) arrive as numbers.
    claims: Mapping[str, Any] = st.user.to_dict()
    issued, nonce = claims.get("iat"), claims.get("nonce")
    parts = []
    if isinstance(issued, int | float) and not isinstance(issued, bool):
        when = datetime.fromtimestamp(issued, UTC).strftime("%Y-%m-%d %H:%M:%S")
        parts.append(f"ID token issued {when} UTC")
    if isinstance(nonce, str) and nonce.strip():
        parts.append(f"nonce {nonce.strip()[:64]}")
    return ", ".join(parts) if parts else None


@st.cache_resource(show_spinner=False)
def _recorded_sign_ins() -> set[tuple[str, str]]:
    """Return the sign-ins this server process has recorded: (identity id, marker)."""
    return set()


def _sign_in_recorded(identity: Identity, marker: str) -> bool:
    """Tell whether this sign-in is in the trail already (another tab, a reload, a restart)."""
    if (identity.id, marker) in _recorded_sign_ins():
        return True
    try:
        with geo.store.open(layers.settings.store_target()) as store:
            rows = store.audit_log(who=identity.id, action="sign_in")
    except (geo.store.StoreError, ValueError):
        return False  # recorded again rather than lost; _audit says what is wrong
    found = bool(((rows["who"] == identity.id) & (rows["detail"] == marker)).any())
    if found:
        _recorded_sign_ins().add((identity.id, marker))
    return found


def _sign_out() -> None:
    identity = st.session_state.get(_KEY)
    if isinstance(identity, Identity):
        lang = st.session_state.get("lang", "zh")
        _audit(identity, "sign_out", str(st.session_state.get(_PAGE, "")), lang)
    st.session_state.pop(_KEY, None)
    st.session_state.pop(_RECORDED, None)
    st.logout()


def _audit(identity: Identity, action: str, page: str, lang: Lang, *, detail: str = "") -> bool:
    """Record a session event; a store that cannot take it is said, never fatal."""
    try:
        with geo.store.open(layers.settings.store_target()) as store:
            store.audit(identity.actor, action, page=page, detail=detail)
    except (geo.store.StoreError, ValueError) as exc:
        _LOG.warning("audit %s of %s not recorded: %s", action, identity.id, exc)
        st.warning(t("auth.audit_failed", lang, error=error_text(exc, lang)))
        return False
    return True
