"""The "download as PDF/PNG" panel the map page and the site checker share.

The page passes what it shows (layers, compared sites, the suitability segment); the panel
asks for the title (prefilled, editable), 编制单位, paper, orientation and format, and draws
the plan map (:func:`maps.print.render_plan_map`) only when the user asks for it: a page
rerun (a pan, a checkbox) never draws a print. The file is kept for this session under the
request it was made for, so the download button offers exactly what the settings say;
after a change the panel asks to make it again. Errors are shown in the user's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Final

import pandas as pd
import streamlit as st

import geo
from layers import Project
from layers.i18n import Lang, error_text, t
from maps.print import MAP_LAYERS, CJKFontError, render_plan_map

__all__ = ["print_downloads"]

_MIME: Final = {"pdf": "application/pdf", "png": "image/png"}


def _layer_names(shown: Sequence[str], lang: Lang, segment: str) -> str:
    """Return the shown layers as the user reads them (names are part of every print)."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(
        t(f"print.layer.{name}", lang, segment=segment) for name in shown if name != "labels"
    )


def _fingerprint(frame: pd.DataFrame | None) -> str:
    """Return a cheap, stable identity of the compared sites (part of the request's key)."""
    if frame is None or not len(frame):
        return ""
    return str(pd.util.hash_pandas_object(frame, index=True).sum())


def print_downloads(
    project: Project,
    lang: Lang,
    *,
    layers: Sequence[str],
    sites: pd.DataFrame | None = None,
    surface_segment: str | None = None,
    results: Mapping[str, Any] | None = None,
    project_key: object = None,
    key: str = "print",
) -> None:
    """Draw the print panel: settings, a button that makes the map, then its download.

    Parameters
    ----------
    project : layers.Project
        The project the page shows.
    lang : {"zh", "en"}
        The page's language: the panel's words and the printed map's.
    layers : sequence of str
        The layers shown on the page, out of :data:`maps.print.MAP_LAYERS` (``"sites"`` and
        ``"suitability"`` are added when ``sites`` / ``surface_segment`` are given).
    sites : pandas.DataFrame, optional
        Compared sites: ``name`` (or the site checker's ``label``), ``lon``, ``lat`` (WGS 84).
    surface_segment : str, optional
        The segment of the suitability surface shown.
    results : mapping, optional
        Results the page already computed (``clusters``: cluster outlines, ``gaps``:
        spatial gaps), so the print draws what the screen shows without computing again.
    project_key : object, optional
        A hashable stand-in for the project (:func:`app_pages.common.project_key`): a file
        made from another project's data is never offered.
    key : str
        Prefix of the widgets' keys (one panel per page).
    """
    if sites is not None and "name" not in sites.columns and "label" in sites.columns:
        sites = sites.rename(columns={"label": "name"})  # the site checker's column
    shown = [name for name in layers if name in MAP_LAYERS]
    if surface_segment and "suitability" not in shown:
        shown.append("suitability")
    if sites is not None and len(sites) and "sites" not in shown:
        shown.append("sites")
    names = project.chain[f"name_{lang}"].to_dict()
    segment_name = str(names.get(surface_segment, surface_segment or ""))
    with st.expander(t("print.ui.heading", lang)):
        st.caption(t("print.ui.intro", lang, layers=_layer_names(shown, lang, segment_name)))
        # Keyed by language: switching the language prefills the title in the new one.
        title = st.text_input(
            t("print.ui.title", lang),
            value=t("print.title.default", lang),
            key=f"{key}_title_{lang}",
        )
        organisation = st.text_input(t("print.ui.organisation", lang), key=f"{key}_org")
        left, middle, right = st.columns(3)
        size = left.radio(t("print.ui.size", lang), ("A4", "A3"), key=f"{key}_size")
        orientation = middle.radio(
            t("print.ui.orientation", lang),
            ("portrait", "landscape"),
            format_func=lambda o: t(f"print.ui.{o}", lang),
            key=f"{key}_orientation",
        )
        fmt = right.radio(
            t("print.ui.format", lang), ("pdf", "png"), format_func=str.upper, key=f"{key}_fmt"
        )
        request = (
            lang,
            title,
            organisation,
            size,
            orientation,
            fmt,
            tuple(shown),
            surface_segment,
            _fingerprint(sites),
            project_key,
            datetime.date.today(),
        )
        store = f"{key}_file"
        if st.button(t("print.ui.prepare", lang), key=f"{key}_prepare", type="primary"):
            st.session_state.pop(store, None)
            try:
                with st.spinner(t("print.ui.working", lang)):
                    data = render_plan_map(
                        project,
                        lang=lang,
                        title=title,
                        date=datetime.date.today(),
                        organisation=organisation,
                        size="A3" if size == "A3" else "A4",
                        landscape=orientation == "landscape",
                        layers=shown,
                        fmt="png" if fmt == "png" else "pdf",
                        sites=sites if "sites" in shown else None,
                        suitability_segment=surface_segment or None,
                        **{k: v for k, v in (results or {}).items() if k in ("clusters", "gaps")},
                    )
            except (geo.InputError, CJKFontError) as exc:
                st.error(error_text(exc, lang))
            else:
                st.session_state[store] = (request, data)
        made = st.session_state.get(store)
        if made is None:
            return
        if made[0] != request:
            st.caption(t("print.ui.changed", lang))
            return
        st.download_button(
            t("print.ui.download", lang, fmt=fmt.upper()),
            data=made[1],
            file_name=f"nanchang_plan_map_{size}.{fmt}",
            mime=_MIME[fmt],
            on_click="ignore",  # downloading must not rerun the page (and redraw the map)
            key=f"{key}_download",
        )
