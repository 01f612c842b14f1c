"""The site-checker page: score a site for a segment, see why, compare up to five sites.

Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.

One coordinate field takes what people paste (read by :func:`geo.coords.parse_coords`),
the coordinate system sits next to it; the map sits beside the inputs and keeps its view
when clicked (streamlit-folium returns its centre and zoom, which are fed back).
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import geo
import layers
import maps
import zoning
from app_pages import common
from geo.coords import TypedCoords, parse_coords
from geo.crs import COORD_SYSTEMS, convert
from layers.i18n import Lang, error_text, t
from zoning import settings, tables

__all__ = ["render"]

# Sites on the comparison list at most: more do not fit side by side on a screen.
MAX_COMPARED: Final = 5
# Where the page opens: a site in the storage-battery area, as Amap would give it.
DEFAULT_WHERE: Final = "115.85, 28.75"
_SITE_ZOOM: Final = 12


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    project = common.project()
    st.write(t("site.intro", lang))
    basemap = common.basemap()
    _take_click(maps.display_system(basemap))
    inputs, side = st.columns([2, 3], gap="medium")
    result: zoning.SiteScore | None = None
    with inputs:
        segment, system, name = _inputs(lang, project.chain)
        typed = _read_site(lang, system)
        if typed is not None:
            try:
                result = _score(project, segment, typed.lon, typed.lat, system)
            except ValueError as exc:
                st.error(common.md(t("site.invalid", lang, error=error_text(exc, lang))))
        if result is not None and typed is not None:
            _show_score(lang, result)
            if st.button(t("site.compare_add_named", lang), key="site_compare_add"):
                _add_compared(lang, result, typed, system, name)
    compared = _ranked(project, segment)
    with side:
        _map(lang, project, basemap, result, compared)
    if result is not None:
        st.subheader(t("site.criteria", lang))
        st.dataframe(tables.criteria_table(result.criteria, lang), hide_index=True, width="stretch")
        st.write(common.md(result.reason_zh if lang == "zh" else result.reason_en))
    _comparison(lang, compared)
    # The compared sites on a printable plan map (PDF/PNG), drawn only when asked.
    common.print_downloads(
        project,
        lang,
        layers=("districts", "zones", "areas", "enterprises", "labels"),
        sites=None if compared is None else compared[0][["label", "lon", "lat"]],
        key="print_site",
    )


# --- inputs ---------------------------------------------------------------------------------


def _take_click(display: str) -> None:
    """Put a click on the map into the coordinate field (before the widgets are drawn)."""
    click = (st.session_state.get("site_map") or {}).get("last_clicked")
    st.session_state["site_clicked_now"] = False
    if click and click != st.session_state.get("site_click"):
        st.session_state["site_click"] = click
        st.session_state["site_clicked_now"] = True
        st.session_state["site_where"] = f"{float(click['lng']):.6f}, {float(click['lat']):.6f}"
        st.session_state["site_coord"] = display


def _inputs(lang: Lang, chain: pd.DataFrame) -> tuple[str, str, str]:
    """Return the segment, the coordinate system and the site's name (field read later)."""
    names = chain[f"name_{lang}"].to_dict()
    keys = tuple(chain.index)
    segment = st.selectbox(
        t("site.segment", lang),
        keys,
        index=keys.index("li_ion_cell") if "li_ion_cell" in keys else 0,
        format_func=lambda k: names.get(k, k),
        key="site_segment",
    )
    where, coord = st.columns([3, 2])
    st.session_state.setdefault("site_where", DEFAULT_WHERE)
    where.text_input(t("site.where", lang), key="site_where", help=t("site.where_help", lang))
    system = coord.selectbox(
        t("site.coord_system", lang),
        COORD_SYSTEMS,
        format_func=lambda c: t(f"site.system.{c}", lang),
        help=" / ".join(t(f"coord.{c}", lang) for c in COORD_SYSTEMS),
        key="site_coord",
    )
    number = int(st.session_state.get("site_compare_next", 1))
    name = st.text_input(
        t("site.name", lang),
        key="site_name",
        placeholder=t("site.name_default", lang, n=number),
    )
    return str(segment), str(system), name.strip() or t("site.name_default", lang, n=number)


def _read_site(lang: Lang, system: str) -> TypedCoords | None:
    """Read the coordinate field and say how it was read; None (with the reason) if unreadable."""
    try:
        typed = parse_coords(str(st.session_state.get("site_where", "")))
    except geo.InputError as exc:
        st.error(common.md(error_text(exc, lang)))
        return None
    said = t(
        "site.parsed", lang, lon=typed.lon, lat=typed.lat, system=t(f"site.system.{system}", lang)
    )
    if system != "wgs84":
        wx, wy = convert(typed.lon, typed.lat, src=system, dst="wgs84")
        said += t("site.parsed_wgs84", lang, lon=float(wx), lat=float(wy))
    st.caption(said)  # numbers and our own words only: no user text to escape
    if typed.swapped:
        st.warning(t("site.swapped", lang))
    if typed.dms:
        st.caption(t("site.dms", lang))
    return typed


@st.cache_data(show_spinner=False, max_entries=64)
def _score_cached(
    _project: layers.Project,
    key: tuple[object, ...],
    segment: str,
    lon: float,
    lat: float,
    system: str,
) -> zoning.SiteScore:
    del key  # the project's cache key: a new store version or upload scores again
    return zoning.site_score(
        lon,
        lat,
        segment,
        coord_system=system,
        enterprises=_project.enterprises,
        areas=_project.areas,
        chain=_project.chain,
    )


def _score(
    project: layers.Project, segment: str, lon: float, lat: float, system: str
) -> zoning.SiteScore:
    """Score the site with the settings' draws and seed (the command line uses the same)."""
    key = (*common.project_key(), settings.score_config.draws, settings.robustness_seed)
    return _score_cached(project, key, segment, lon, lat, system)


def _show_score(lang: Lang, result: zoning.SiteScore) -> None:
    score, band = st.columns(2)
    score.metric(t("site.score", lang), f"{result.score:.0f}")
    band.metric(t("site.band_label", lang), tables.band_text(result.band, lang))
    st.caption(tables.band_scale(lang))
    rb = result.robustness
    st.caption(t("site.range_draws", lang, draws=rb.draws, p5=rb.p5, p95=rb.p95))
    if result.excluded:
        reasons = result.exclusion_reasons_zh if lang == "zh" else result.exclusion_reasons
        st.warning(common.md(t("site.excluded", lang, reasons="; ".join(reasons))))


# --- the comparison ---------------------------------------------------------------------------


def _add_compared(
    lang: Lang, result: zoning.SiteScore, typed: TypedCoords, system: str, name: str
) -> None:
    """Put a scored site on the comparison list, at most :data:`MAX_COMPARED`."""
    sites: list[dict[str, Any]] = st.session_state.setdefault("site_compare", [])
    here = (round(result.lon, 6), round(result.lat, 6))
    if any((s["lon"], s["lat"]) == here for s in sites):
        st.info(t("site.compare_duplicate", lang))
        return
    if len(sites) >= MAX_COMPARED:
        st.warning(t("site.compare_full", lang, n=MAX_COMPARED))
        return
    number = int(st.session_state.get("site_compare_next", 1))
    st.session_state["site_compare_next"] = number + 1
    sites.append(
        {
            "id": f"S{number}",
            "label": name,
            "typed": typed.text,
            "system": system,
            "lon": here[0],
            "lat": here[1],
        }
    )


def _ranked(project: layers.Project, segment: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Score the compared sites for the chosen segment (``zoning.rank_sites``), or None."""
    columns = ["id", "label", "typed", "system", "lon", "lat"]
    sites = pd.DataFrame(st.session_state.get("site_compare", []), columns=columns)
    if not len(sites):
        return None
    ranked = zoning.rank_sites(
        sites,
        segment,
        enterprises=project.enterprises,
        areas=project.areas,
        chain=project.chain,
    )
    return sites, ranked


def _comparison(lang: Lang, compared: tuple[pd.DataFrame, pd.DataFrame] | None) -> None:
    """Show the compared sites, their criteria side by side, the downloads, remove buttons."""
    st.subheader(t("site.compare_title", lang))
    if compared is None:
        st.caption(t("site.compare_empty", lang))
        return
    sites, ranked = compared
    st.caption(t("site.compare_intro", lang))
    text = st.column_config.TextColumn
    # Two lines per row and set widths: the rank ("1 (tied)") and the stability sentence
    # wrap instead of being cut at the page's edge.
    st.dataframe(
        tables.comparison_table(sites, ranked, lang),
        hide_index=True,
        width="stretch",
        key="site_compare_table",
        row_height=72,
        column_config={
            t("site.compare_label", lang): text(width=70),
            t("site.compare_typed", lang): text(width=100),
            t("site.compare_system", lang): text(width=80),
            t("site.compare_wgs84", lang): text(width=95),
            t("site.score", lang): st.column_config.NumberColumn(width=60),
            t("site.band_label", lang): text(width=60),
            t("site.compare_interval", lang): text(width=70),
            t("site.compare_rank", lang): text(width=70),
            t("site.compare_stability", lang): text(width=250),
            t("site.compare_excluded", lang): st.column_config.CheckboxColumn(width=60),
        },
    )
    st.markdown(f"**{t('site.criteria_compare', lang)}**")
    st.caption(t("site.criteria_compare_note", lang))
    st.table(tables.criteria_side_by_side(sites, ranked, lang))
    xlsx, csv = st.columns(2)
    xlsx.download_button(
        t("site.compare_download_xlsx", lang),
        tables.comparison_file(sites, ranked, lang, "xlsx"),
        file_name="site_comparison.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="site_compare_xlsx",
    )
    csv.download_button(
        t("site.compare_download_csv", lang),
        tables.comparison_file(sites, ranked, lang, "csv"),
        file_name="site_comparison.csv",
        mime="text/csv",
        key="site_compare_csv",
    )
    cols = st.columns(MAX_COMPARED)
    for col, (sid, label) in zip(cols, zip(sites["id"], sites["label"], strict=True), strict=False):
        if col.button(t("site.compare_remove", lang, label=label), key=f"site_remove_{sid}"):
            st.session_state["site_compare"] = [
                s for s in st.session_state["site_compare"] if s["id"] != sid
            ]
            st.rerun()


# --- the map ----------------------------------------------------------------------------------


def _view(result: zoning.SiteScore | None, basemap: str) -> tuple[tuple[float, float], int]:
    """Return the map's centre (display coordinates) and zoom: the user's view, kept.

    streamlit-folium returns the view after each interaction; it is fed back so a click
    does not zoom the map out. A new site typed into the field (not clicked) is centred.
    """
    returned = st.session_state.get("site_map") or {}
    view = st.session_state.setdefault("site_view", {})
    if returned.get("center") and returned.get("zoom"):
        c = returned["center"]
        view.update(center=(float(c["lat"]), float(c["lng"])), zoom=int(returned["zoom"]))
    if result is not None:
        here = (round(result.lon, 6), round(result.lat, 6))
        if here != view.get("site") and not st.session_state.get("site_clicked_now"):
            # Typed, not clicked: bring the new site into view at the kept zoom.
            view["center"] = maps.display_centre((result.lat, result.lon), basemap)
            view.setdefault("zoom", _SITE_ZOOM)
        view["site"] = here
    centre = view.get("center") or maps.NANCHANG_CENTRE
    return (float(centre[0]), float(centre[1])), int(view.get("zoom") or _SITE_ZOOM)


def _map(
    lang: Lang,
    project: layers.Project,
    basemap: str,
    result: zoning.SiteScore | None,
    compared: tuple[pd.DataFrame, pd.DataFrame] | None,
) -> None:
    centre, zoom = _view(result, basemap)
    fmap = maps.new_map(
        basemap=basemap,
        lang=lang,
        tianditu_key=common.tianditu_key(),
        location=centre,
        zoom_start=zoom,
    )
    maps.add_districts(fmap, project.districts, lang=lang, basemap=basemap)
    maps.add_areas(fmap, project.areas, lang=lang, chain=project.chain, basemap=basemap)
    maps.add_enterprises(fmap, project.enterprises, chain=project.chain, lang=lang, basemap=basemap)
    if result is not None:
        links = pd.concat(
            [result.suppliers.assign(role="supplier"), result.customers.assign(role="customer")],
            ignore_index=True,
        )
        maps.add_site(
            fmap,
            result.lon,
            result.lat,
            lang=lang,
            links=links,
            chain=project.chain,
            basemap=basemap,
        )
    if compared is not None:
        sites, ranked = compared
        maps.add_candidates(
            fmap, sites.assign(score=ranked["score"].to_numpy()), lang=lang, basemap=basemap
        )
    maps.finish(fmap, lang=lang)
    st.caption(t("site.click_hint", lang))
    # A click or a pan/zoom reruns the script: the view comes back and is kept.
    st_folium(
        fmap,
        key="site_map",
        height=560,
        use_container_width=True,
        returned_objects=["last_clicked", "center", "zoom"],
        center=centre,
        zoom=zoom,
    )


if __name__ == "__main__":
    render()
