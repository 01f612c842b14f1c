"""The map page: districts, zones, areas and enterprises, with clusters, gaps and a surface.

Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

import layers
import maps
import zoning
from app_pages import _as_of, common
from app_pages._print_widget import print_downloads
from layers.i18n import Lang, t
from maps import assets

__all__ = ["render"]


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    current = common.project()
    chosen = common.url_choice(
        "basemap", maps.BASEMAPS, str(st.session_state.get(common.BASEMAP_KEY, "osm"))
    )
    chosen = st.sidebar.selectbox(
        t("map.basemap", lang),
        maps.BASEMAPS,
        index=maps.BASEMAPS.index(chosen),
        format_func=lambda b: t(f"basemap.{b}", lang),
        key="basemap",
    )
    common.persist("basemap", chosen)
    st.session_state[common.BASEMAP_KEY] = chosen
    show_clusters = st.sidebar.checkbox(t("map.show_clusters", lang), key="show_clusters")
    show_gaps = st.sidebar.checkbox(t("map.show_gaps", lang), key="show_gaps")
    segment_names = current.chain[f"name_{lang}"].to_dict()
    surface = st.sidebar.selectbox(
        t("map.suitability_segment", lang),
        ("", *current.chain.index),
        format_func=lambda s: segment_names.get(s, t("map.no_suitability", lang)),
        key="surface",
    )
    key = common.tianditu_key()
    shown = chosen
    if chosen == "tianditu" and not maps.valid_tianditu_key(key):
        st.warning(t("map.tianditu_no_key" if key is None else "map.tianditu_bad_key", lang))
        shown = "none"

    if surface:
        st.session_state["surface_segment"] = surface
    else:
        st.session_state.pop("surface_segment", None)
    # The date shown (today: the current project, the cache entries of every session).
    day = _as_of.choose(lang, current)
    project_key = (*common.project_key(), *_as_of.cache_key(current, day))
    project = _as_of.project_then(current, project_key, day)
    st.caption(_as_of.caption(lang, current, project, day))
    view = _View(lang, shown, key, show_clusters, show_gaps, surface)
    prepared = _prepared(project_key, view, project)
    if show_clusters and not len(prepared.results["clusters"]):
        st.caption(t("map.no_clusters", lang))
    # No returned objects: panning and zooming never rerun the script.
    common.show_prepared_map(prepared.map, key="map", height=640)
    # Rendered only when clicked: the page itself stays as fast as the map.
    st.download_button(
        t("download.map_html", lang),
        data=lambda: maps.standalone_html(_build(view, project)[0]).encode("utf-8"),
        file_name="nanchang_map.html",
        mime="text/html",
        on_click="ignore",
        key="download_map",
    )
    st.caption(t("download.map_html_note", lang))
    # What the print shows: the layers on screen, and the results already computed for it.
    printed = ["districts", "zones", "areas", "enterprises", "labels", *prepared.results]
    # The project key with the date: a file made for another date is never offered.
    print_downloads(
        project,
        lang,
        layers=printed,
        surface_segment=surface or None,
        results=prepared.results,
        project_key=project_key,
        key="print_map",
    )
    _notes(lang, project, drawn=prepared.drawn, basemap=shown)


class _View(NamedTuple):
    """What the map shows, besides the project: the cache key of a drawn map."""

    lang: Lang
    basemap: str
    tianditu_key: str | None
    clusters: bool
    gaps: bool
    surface: str


class _Prepared(NamedTuple):
    map: common.PreparedMap
    drawn: int
    results: dict[str, Any]


# Shared by every session: the map depends only on the project and the view, and drawing it
# (building the folium layers, then rendering them to HTML and script) is most of the page's
# cost, about 0.6 CPU-seconds with 10,000 enterprises. The project is keyed by
# common.project_key() (store version, settings, this session's upload) and the "as of" date
# (None for today, so the current map stays one entry for every session). Entries hold only
# strings and result frames nothing mutates; 32 of them are at most ~60 MB at 10,000 firms.
@st.cache_resource(show_spinner=False, max_entries=32)
def _prepared(project_key: tuple[object, ...], view: _View, _project: layers.Project) -> _Prepared:
    del project_key  # a cache key only
    fmap, drawn, results = _build(view, _project)
    return _Prepared(common.prepare_map(fmap, key="map"), drawn, results)


def _build(view: _View, project: layers.Project) -> tuple[Any, int, dict[str, Any]]:
    """Draw the map's layers; return it, the enterprises drawn and the results computed."""
    lang, shown, firms = view.lang, view.basemap, project.enterprises
    fmap = maps.new_map(basemap=shown, lang=lang, tianditu_key=view.tianditu_key)
    maps.fit(fmap, project.districts)
    if view.surface:
        _add_surface(fmap, view.surface, project, lang=lang, basemap=shown)
    maps.add_districts(fmap, project.districts, lang=lang, basemap=shown)
    maps.add_zones(fmap, project.zones, lang=lang, basemap=shown)
    maps.add_areas(fmap, project.areas, lang=lang, chain=project.chain, basemap=shown)
    maps.add_names(fmap, project.districts, project.zones, lang=lang, basemap=shown)
    results: dict[str, Any] = {}
    if view.gaps:
        gaps = zoning.spatial_gaps(firms, areas=project.areas)
        maps.add_gaps(fmap, gaps, lang=lang, areas=project.areas, basemap=shown)
        results["gaps"] = gaps
    if view.clusters:
        _, outlines = zoning.clusters(firms, areas=project.areas, chain=project.chain)
        results["clusters"] = outlines
        if len(outlines):
            maps.add_clusters(fmap, outlines, lang=lang, chain=project.chain, basemap=shown)
    drawn = maps.add_enterprises(fmap, firms, chain=project.chain, lang=lang, basemap=shown)
    maps.finish(fmap, lang=lang)
    return fmap, drawn, results


def _notes(lang: Lang, project: layers.Project, *, drawn: int, basemap: str) -> None:
    """Say what the map shows: the data's origin, what is missing, and why."""
    firms = project.enterprises
    origin = common.enterprise_origin()
    if origin is None:
        st.caption(t("app.data_source_shipped", lang, n=len(firms)))
    else:
        st.caption(common.md(t(origin, lang, name=project.enterprise_source, n=len(firms))))
    unlocated = len(firms) - drawn
    if unlocated:
        st.caption(t("map.unlocated", lang, n=unlocated))
    synthetic = int(firms.get("synthetic", pd.Series(dtype=bool)).fillna(False).sum())
    if synthetic:
        st.caption(t("map.synthetic_note", lang, n=synthetic))
    if basemap == "amap":
        st.info(t("map.amap_shift", lang))
    if basemap != "none":
        st.caption(t("map.tiles_remote", lang))
    if assets.missing():
        st.warning(t("map.cdn_fallback", lang))


def _add_surface(
    fmap: Any, segment: str, project: layers.Project, *, lang: Lang, basemap: str
) -> None:
    grid = zoning.suitability_grid(
        segment,
        cell_m=zoning.settings.surface_cell_m,
        enterprises=project.enterprises,
        areas=project.areas,
        chain=project.chain,
    )
    name = project.chain.loc[segment, f"name_{lang}"]
    maps.add_surface(
        fmap,
        grid,
        column="score",
        vmax=100.0,
        name=t("layer.suitability", lang, segment=name),
        lang=lang,
        basemap=basemap,
    )


if __name__ == "__main__":
    render()
