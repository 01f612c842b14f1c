"""The admin page: the store's audit trail with filters, and its CSV download.

Listed in the navigation for admins only (``app.py``); a session of another role that
opens its URL anyway is told so and sees nothing. Every save, restore, import, refused
write, sign-in and sign-out is in the trail (:meth:`geo.store.Store.audit_log`). The CSV
is made formula-safe (:func:`geo.io.formula_safe`): a user id or page name beginning with
``=`` must not run as a formula in the spreadsheet an auditor opens it in.
Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

import geo.store
import layers
from app_pages import auth, common
from geo.io import formula_safe
from layers import access
from layers.i18n import Lang, error_text, t

__all__ = ["audit_view", "render"]


def audit_view(log: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return the audit log as shown and downloaded: worded actions, headers in ``lang``."""
    shown = log.copy()
    shown["at"] = shown["at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    shown["action"] = shown["action"].map(lambda a: t(f"audit.action.{a}", lang))
    shown["role"] = shown["role"].map(lambda r: t(f"role.{r}", lang))
    return shown.rename(columns={c: t(f"audit.{c}", lang) for c in shown.columns})


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    identity = auth.current()
    if not access.may_admin(identity):
        st.error(t("admin.only", lang))
        return
    st.write(t("admin.intro", lang))
    cols = st.columns([2, 2, 1, 1])
    who = cols[0].text_input(t("admin.who", lang), key="audit_who")
    actions = cols[1].multiselect(
        t("admin.action", lang),
        geo.store.AUDIT_ACTIONS,
        format_func=lambda a: t(f"audit.action.{a}", lang),
        key="audit_actions",
    )
    today = datetime.now(UTC).date()
    since = cols[2].date_input(
        t("admin.since", lang), today - timedelta(days=30), key="audit_since"
    )
    until = cols[3].date_input(t("admin.until", lang), today, key="audit_until")
    try:
        with geo.store.open(layers.settings.store_target()) as store:
            log = store.audit_log(
                who=who.strip() or None,
                action=actions or None,
                since=since,
                until=until,
            )
    except (geo.store.StoreError, ValueError) as exc:
        st.error(common.md(t("admin.failed", lang, error=error_text(exc, lang))))
        return
    st.caption(t("admin.count", lang, n=len(log)))
    view = audit_view(log, lang)
    st.dataframe(view, hide_index=True, width="stretch", key="audit_table")
    st.download_button(
        t("admin.download", lang),
        formula_safe(view).to_csv(index=False).encode("utf-8-sig"),
        file_name=f"audit_{today:%Y%m%d}.csv",
        mime="text/csv",
        key="audit_download",
    )


if __name__ == "__main__":
    render()
