"""The site-checker page: score a site for a segment, see why, compare up to five sites.

Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
import maps
import zoning
from app_pages import common
from geo.crs import COORD_SYSTEMS
from layers.i18n import Lang, error_text, t
from zoning import tables

__all__ = ["render"]

# Sites on the comparison list at most: more do not fit side by side on a screen.
MAX_COMPARED: Final = 5


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    project = common.project()
    st.write(t("site.intro", lang))
    basemap = common.basemap()
    segment, coord, lon, lat = _inputs(lang, project.chain, maps.display_system(basemap))
    try:
        result = zoning.site_score(
            lon,
            lat,
            segment,
            coord_system=coord,
            enterprises=project.enterprises,
            areas=project.areas,
            chain=project.chain,
        )
    except ValueError as exc:
        st.error(common.md(t("site.invalid", lang, error=error_text(exc, lang))))
        return
    left, right = st.columns([1, 2])
    left.metric(t("site.score", lang), f"{result.score:.0f}")
    rb = result.robustness
    left.caption(t("site.range", lang, p5=rb.p5, p95=rb.p95))
    if result.excluded:
        reasons = result.exclusion_reasons_zh if lang == "zh" else result.exclusion_reasons
        left.warning(common.md(t("site.excluded", lang, reasons="; ".join(reasons))))
    left.write(common.md(result.reason_zh if lang == "zh" else result.reason_en))
    if left.button(t("site.compare_add", lang, n=MAX_COMPARED), key="site_compare_add"):
        _add_compared(lang, result.lon, result.lat)
    right.subheader(t("site.criteria", lang))
    right.dataframe(tables.criteria_table(result.criteria, lang), hide_index=True, width="stretch")
    links = pd.concat(
        [result.suppliers.assign(role="supplier"), result.customers.assign(role="customer")],
        ignore_index=True,
    )
    compared = _comparison(lang, project, segment)
    fmap = maps.new_map(
        basemap=basemap,
        lang=lang,
        tianditu_key=common.tianditu_key(),
        location=(result.lat, result.lon),
    )
    maps.add_districts(fmap, project.districts, lang=lang, basemap=basemap)
    maps.add_areas(fmap, project.areas, lang=lang, chain=project.chain, basemap=basemap)
    maps.add_enterprises(fmap, project.enterprises, chain=project.chain, lang=lang, basemap=basemap)
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
        maps.add_candidates(fmap, compared, lang=lang, basemap=basemap)
    maps.finish(fmap, lang=lang)
    st.caption(t("site.click_hint", lang))
    # Only a click reruns the script (to score the clicked site); panning does not.
    st_folium(
        fmap,
        key="site_map",
        height=520,
        use_container_width=True,
        returned_objects=["last_clicked"],
    )


def _inputs(lang: Lang, chain: pd.DataFrame, display: str) -> tuple[str, str, float, float]:
    """Segment, coordinate system and site; a click on the site map fills them in."""
    click = (st.session_state.get("site_map") or {}).get("last_clicked")
    if click and click != st.session_state.get("site_click"):
        # Widgets are not drawn yet in this run, so their values may still be set.
        st.session_state["site_click"] = click
        st.session_state["site_lon"] = round(float(click["lng"]), 6)
        st.session_state["site_lat"] = round(float(click["lat"]), 6)
        st.session_state["site_coord"] = display
    names = chain[f"name_{lang}"].to_dict()
    keys = tuple(chain.index)
    segment = st.selectbox(
        t("site.segment", lang),
        keys,
        index=keys.index("li_ion_cell") if "li_ion_cell" in keys else 0,
        format_func=lambda k: names.get(k, k),
        key="site_segment",
    )
    cols = st.columns(3)
    coord = cols[0].selectbox(
        t("upload.coord_system", lang),
        COORD_SYSTEMS,
        format_func=lambda c: t(f"coord.{c}", lang),
        key="site_coord",
    )
    lon = cols[1].number_input(
        t("site.lon", lang), value=115.85, min_value=73.0, max_value=136.0, format="%.6f",
        key="site_lon",
    )  # fmt: skip
    lat = cols[2].number_input(
        t("site.lat", lang), value=28.75, min_value=3.0, max_value=54.0, format="%.6f",
        key="site_lat",
    )  # fmt: skip
    return str(segment), str(coord), float(lon), float(lat)


def _add_compared(lang: Lang, lon: float, lat: float) -> None:
    """Put a scored site (WGS 84) on the comparison list, at most :data:`MAX_COMPARED`."""
    sites: list[dict[str, Any]] = st.session_state.setdefault("site_compare", [])
    here = (round(lon, 6), round(lat, 6))
    if any((s["lon"], s["lat"]) == here for s in sites):
        st.info(t("site.compare_duplicate", lang))
        return
    if len(sites) >= MAX_COMPARED:
        st.warning(t("site.compare_full", lang, n=MAX_COMPARED))
        return
    number = int(st.session_state.get("site_compare_next", 1))
    st.session_state["site_compare_next"] = number + 1
    sites.append({"label": f"S{number}", "lon": here[0], "lat": here[1]})


def _comparison(lang: Lang, project: layers.Project, segment: str) -> pd.DataFrame | None:
    """Show the compared sites side by side (``zoning.rank_sites``); return them or None."""
    st.subheader(t("site.compare_title", lang))
    sites = pd.DataFrame(st.session_state.get("site_compare", []), columns=["label", "lon", "lat"])
    if not len(sites):
        st.caption(t("site.compare_empty", lang))
        return None
    st.caption(t("site.compare_intro", lang))
    ranked = zoning.rank_sites(
        sites,
        segment,
        enterprises=project.enterprises,
        areas=project.areas,
        chain=project.chain,
    )
    st.dataframe(tables.comparison_table(sites, ranked, lang), hide_index=True, width="stretch")
    cols = st.columns(MAX_COMPARED)
    for col, label in zip(cols, sites["label"], strict=False):
        if col.button(t("site.compare_remove", lang, label=label), key=f"site_remove_{label}"):
            st.session_state["site_compare"] = [
                s for s in st.session_state["site_compare"] if s["label"] != label
            ]
            st.rerun()
    return sites.assign(score=ranked["score"].to_numpy())


if __name__ == "__main__":
    render()
