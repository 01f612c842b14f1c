"""The zone-editor page: draw or import a boundary, save it with a note, restore a version.

Every save is a new version of the store's ``zones`` layer (:data:`layers.ZONES_LAYER`),
which the whole project, the command line included, uses from then on.
Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Final

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

import geo.store
import layers
import maps
import zoning
from app_pages import common
from geo.crs import COORD_SYSTEMS
from layers import edits
from layers.i18n import Lang, error_text, local_names, t
from layers.project import ZONES_LAYER
from zoning import tables

__all__ = ["render"]

BOUNDARY_TYPES: Final = ("geojson", "json", "gpkg", "zip", "kml")
_ZONE_ID: Final = re.compile(r"[a-z][a-z0-9_]{0,39}")


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    project = common.project()
    target = layers.settings.store_target()
    st.write(t("zones.intro", lang))
    st.caption(common.md(t("zones.store", lang, target=geo.store.redact(target))))
    if project.zones_version is None:
        st.info(t("zones.no_history", lang))
    else:
        st.caption(t("zones.source_store", lang, version=project.zones_version))
    basemap = common.basemap()
    fmap = maps.new_map(basemap=basemap, lang=lang, tianditu_key=common.tianditu_key())
    maps.fit(fmap, project.zones)
    maps.add_districts(fmap, project.districts, lang=lang, basemap=basemap)
    maps.add_zones(fmap, project.zones, lang=lang, basemap=basemap)
    maps.add_draw(fmap)
    maps.finish(fmap, lang=lang)
    # Only finished drawings rerun the script; the map keeps its state (fixed key).
    out = st_folium(
        fmap,
        key="zone_map",
        height=560,
        use_container_width=True,
        returned_objects=["all_drawings"],
    )
    shapes = maps.drawn_shapes((out or {}).get("all_drawings"), basemap)
    st.caption(t("zones.drawn", lang, n=len(shapes)))
    imported = _imported_boundary(lang)
    if not len(shapes):
        shapes = imported
    _form(lang, project, shapes, target)
    _history(lang, target)


def _imported_boundary(lang: Lang) -> gpd.GeoSeries:
    """Return a zone boundary from an uploaded file (polygons only), or an empty series."""
    empty = gpd.GeoSeries([], crs="EPSG:4326")
    cols = st.columns([3, 1])
    file = cols[0].file_uploader(
        t("zones.import", lang), type=list(BOUNDARY_TYPES), key="zone_file"
    )
    coord = cols[1].selectbox(t("zones.import_coord", lang), COORD_SYSTEMS, key="zone_file_coord")
    if file is None:
        return empty
    suffix = PurePosixPath(file.name.replace("\\", "/")).suffix.lower().lstrip(".")
    ext = next((e for e in BOUNDARY_TYPES if e == suffix), "geojson")
    try:
        # Bytes with a fixed name: the user's file name never becomes a path.
        result = geo.read(
            file.getvalue(),
            name=f"boundary.{ext}",
            coord_system=coord,
            extent=layers.settings.extent(),
        )
    except ValueError as exc:
        st.error(common.md(t("zones.import_failed", lang, error=error_text(exc, lang))))
        return empty
    polygons = edits.boundary_polygons(result.data)
    if not len(polygons):
        st.error(t("zones.import_no_polygon", lang))
        return empty
    st.caption(common.md(t("zones.imported", lang, n=len(polygons), name=file.name)))
    if len(result.problems):
        st.dataframe(tables.problems_table(result.problems, lang), hide_index=True, width="stretch")
    return polygons


def _show_change(lang: Lang, project: layers.Project, edited: gpd.GeoDataFrame) -> None:
    """Re-run the check against the edited zones and show what changed."""
    try:
        after_areas = layers.areas(project.rules, districts=project.districts, zones=edited)
    except ValueError as exc:
        st.warning(common.md(t("zones.compare_failed", lang, error=error_text(exc, lang))))
        return
    firms, chain = project.enterprises, project.chain
    before = zoning.check(firms, areas=project.areas, chain=chain)
    after = zoning.check(firms, areas=after_areas, chain=chain)
    change = zoning.compare_checks(before, after)
    st.subheader(t("zones.compare", lang))
    st.dataframe(
        tables.change_counts(change.counts, lang), width="stretch", key="zone_compare_counts"
    )
    if change.changed.empty:
        st.write(t("zones.compare_none", lang))
        return
    st.dataframe(
        tables.changed_table(change.changed, areas=after_areas, lang=lang),
        hide_index=True,
        width="stretch",
        key="zone_compare_changed",
    )


def _form(lang: Lang, project: layers.Project, shapes: gpd.GeoSeries, target: str) -> None:
    zones = project.zones
    ids = ("", *zones["zone_id"].astype(str))
    names = dict(zip(zones["zone_id"].astype(str), local_names(zones, lang), strict=True))
    with st.form("zone_form"):
        zone_id = st.selectbox(
            t("zones.target", lang),
            ids,
            format_func=lambda z: names.get(z, t("zones.new", lang)),
            key="zone_target",
        )
        new_id = st.text_input(t("zones.new_id", lang), key="zone_new_id")
        cols = st.columns(2)
        name_zh = cols[0].text_input(t("zones.name_zh", lang), key="zone_name_zh")
        name_en = cols[1].text_input(t("zones.name_en", lang), key="zone_name_en")
        author = st.text_input(t("zones.author", lang), key="zone_author")
        note = st.text_area(t("zones.note", lang), key="zone_note")
        submitted = st.form_submit_button(t("zones.save", lang))
    if not submitted:
        return
    key = zone_id or new_id.strip()
    if not len(shapes):
        st.error(t("zones.need_shape", lang))
        return
    if not author.strip() or not note.strip():
        st.error(t("zones.need_text", lang))
        return
    if not zone_id and (not _ZONE_ID.fullmatch(key) or key in names):
        st.error(t("zones.bad_id", lang))
        return
    old = zones.loc[zones["zone_id"] == key]
    edited = edits.edited_zones(
        zones,
        key,
        shapes.union_all(),
        name_zh=name_zh.strip() or (str(old["name_zh"].iloc[0]) if len(old) else key),
        name_en=name_en.strip() or (str(old["name_en"].iloc[0]) if len(old) else key),
    )
    try:
        with geo.store.open(target) as store:
            version = store.write(
                ZONES_LAYER,
                edited,
                author=author.strip(),
                note=note.strip(),
                expected_version=project.zones_version or 0,
            )
    except (geo.store.StoreError, ValueError) as exc:
        st.error(common.md(t("zones.failed", lang, error=error_text(exc, lang))))
        return
    st.success(t("zones.saved", lang, version=version.version))
    _show_change(lang, project, edited)
    common.clear_project()


def _history(lang: Lang, target: str) -> None:
    try:
        if layers.project.stored_zones_version(target) is None:
            return
    except geo.store.StoreError:
        return  # already said at the top of the page (the shipped zones are shown)
    with geo.store.open(target) as store:
        history = store.history(ZONES_LAYER)
    st.subheader(t("zones.history", lang))
    st.dataframe(
        history.rename(columns={c: t(f"history.{c}", lang) for c in history.columns}),
        hide_index=True,
        width="stretch",
    )
    with st.form("zone_restore"):
        version = st.selectbox(t("zones.restore_version", lang), list(history["version"]))
        author = st.text_input(t("zones.author", lang), key="restore_author")
        note = st.text_input(t("zones.note", lang), key="restore_note")
        restore = st.form_submit_button(t("zones.restore", lang))
    if not restore:
        return
    if not author.strip() or not note.strip():
        st.error(t("zones.need_text", lang))
        return
    try:
        with geo.store.open(target) as store:
            saved = store.restore(
                ZONES_LAYER, int(version), author=author.strip(), note=note.strip()
            )
    except (geo.store.StoreError, ValueError) as exc:
        st.error(common.md(t("zones.failed", lang, error=error_text(exc, lang))))
        return
    st.success(t("zones.restored", lang, old=version, version=saved.version))
    common.clear_project()


if __name__ == "__main__":
    render()
