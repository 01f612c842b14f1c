"""Streamlit entry point: navigation, language, URL state and the sidebar. Nothing else.

Each page is a module in ``app_pages/`` that turns widgets into library calls and renders
the results (``app_pages/map.py``, ``check.py``, ``gaps.py``, ``site.py``, ``zones.py``,
``data.py``); what they share is in :mod:`app_pages.common`. (Not ``pages/``: a folder of
that name beside this script switches Streamlit into its legacy multipage mode for every
session that opens a sub-page first, which would run the page without this frame and list
``common.py`` as a page.) The language lives in the URL
(``/check?lang=en``), so a link reproduces the view; links of the earlier form
``?page=check`` still open their page.

Operator settings (environment, never taken from users; see :mod:`layers.settings`):
``NANCHANG_STORE``, the project store shared with the command line (its saved zones
replace the shipped ones on every page); ``NANCHANG_ENTERPRISES``, an enterprises file
used instead of the shipped one; ``NANCHANG_SYNTHETIC``, that many clearly-marked
synthetic enterprises added (demos, benchmarks); ``TIANDITU_KEY`` (or
``st.secrets["TIANDITU_KEY"]``) for the Tianditu basemap.
"""

from __future__ import annotations

import logging
import uuid
from typing import Final

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app_pages import auth, common
from layers import access
from layers.i18n import LANGS, lang_or_default, t

PAGES: Final = ("map", "check", "gaps", "site", "zones", "progress", "data", "admin")
"""Page keys: each is ``app_pages/<key>.py``, its URL path, and ``page.<key>`` in the words."""

_LEGACY: Final = {"upload": "data"}
"""Page keys of earlier links (``?page=upload``) that now have another name."""


def _title(page: str, lang: str) -> str:
    return t("page.upload" if page == "data" else f"page.{page}", lang_or_default(lang))


def main() -> None:
    """Render the frame once and run the chosen page (Streamlit reruns this on every event)."""
    lang = common.lang()
    st.set_page_config(page_title=t("app.title", lang), layout="wide")
    lang = st.sidebar.radio(
        t("app.language", lang),
        LANGS,
        index=LANGS.index(lang),
        format_func=common.LANG_NAMES.__getitem__,
        horizontal=True,
        key="lang",
    )
    # Sign-in first (issue 14): the admin page is offered to admins only.
    identity = auth.require_identity(lang)
    pages = {
        key: st.Page(
            f"app_pages/{key}.py",
            title=_title(key, lang),
            url_path=key,
            default=key == "map",
        )
        for key in PAGES
        if key != "admin" or access.may_admin(identity)
    }
    current = st.navigation(list(pages.values()))
    auth.record_session(identity, current.url_path or "map", lang)
    # An earlier link (``?page=check``) opens its page once; the parameter is then dropped.
    legacy = st.query_params.get("page")
    if legacy is not None:
        kept = {k: v for k, v in st.query_params.to_dict().items() if k != "page"}
        del st.query_params["page"]
        wanted = _LEGACY.get(legacy, legacy)
        if wanted in pages and pages[wanted].url_path != current.url_path:
            st.switch_page(pages[wanted], query_params=kept)
    # Navigating drops the URL's parameters: the language is written back on every run.
    common.persist("lang", lang)
    st.title(t("app.title", lang))
    project = common.project()
    if project.zones_problem:
        st.error(common.md(t("zones.unusable", lang, error=project.zones_problem.get(lang))))
    current.run()


_LOG: Final = logging.getLogger("nanchang.app")


def _uploaded_names() -> list[str]:
    """Return the names of the files uploaded in this session (their widgets' values)."""
    names: list[str] = []
    for key in list(st.session_state.keys()):
        value = st.session_state.get(key)
        files = value if isinstance(value, list) else [value]
        names.extend(f.name for f in files if isinstance(f, UploadedFile))
    return names


def run_guarded() -> None:
    """Run :func:`main`; an unexpected error shows a short message, the details go to the log.

    Errors a page expects (a rejected file, a busy store) are shown by the page itself;
    anything reaching here is a bug. The user reads what happened in their language, with
    the uploaded file's name when there is one, and a reference to the server log, which
    alone holds the traceback (``client.showErrorDetails = "none"`` in
    ``.streamlit/config.toml`` keeps Streamlit's own error box just as short). Streamlit's
    rerun and stop signals are not ``Exception`` and pass through.
    """
    try:
        main()
    except Exception:  # noqa: BLE001 - a bug: logged in full, shown short
        ref = uuid.uuid4().hex[:8]
        files = _uploaded_names()
        _LOG.exception("unexpected error, reference %s, uploads %s", ref, files)
        lang = common.lang()
        if files:
            shown = common.md(", ".join(files))
            st.error(t("app.internal_error_file", lang, file=shown, ref=ref))
        else:
            st.error(t("app.internal_error", lang, ref=ref))


run_guarded()
