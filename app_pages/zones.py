"""The zone editor: pick a zone, edit its vertices, draw or import a boundary, preview, save.

Every save is a new version of the store's ``zones`` layer (:data:`layers.ZONES_LAYER`),
which the whole project, the command line included, uses from then on. The shipped
boundaries become version 1 at the first save (:func:`layers.zone_import.ensure_shipped_version`),
so they can always be restored. Nothing is written before the planner has seen the new
boundary on the map, its area next to the official one, and the check before/after.
After a save or a restore the page reruns at once, so the version, the map and the history
shown are the new ones, with the before/after of what was just done on top.

Every save and restore carries the version the planner was looking at (the one the page
showed on its previous run, kept in the session), not the one the store holds when the
button is clicked: if another planner saved in between, the store refuses the write with
who saved which version when (:class:`geo.store.ConflictError`) and nothing is written.
Only planners and admins see the save and restore forms (:func:`layers.access.may_write`);
the author of a version is the signed-in identity (:mod:`app_pages.auth`), never typed, and
the store refuses a write by any other role whatever the page shows
(:class:`geo.store.AccessDeniedError`), recording the attempt in its audit trail.
Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

import geo.store
import layers
import maps
import zoning
from app_pages import auth, common
from geo.crs import COORD_SYSTEMS
from layers import access, edits, zone_import
from layers.access import Identity
from layers.i18n import Lang, error_text, local_names, t
from layers.project import ZONES_LAYER
from maps import editing
from zoning import tables

__all__ = ["render"]

BOUNDARY_TYPES: Final = ("geojson", "json", "gpkg", "zip", "kml")
_ZONE_ID: Final = re.compile(r"[a-z][a-z0-9_]{0,39}")
_NEW: Final = "_new"  # stands for the zone being created until it has an id
_FLASH: Final = "zones_flash"
_ROUND: Final = "zones_round"
_SEEN: Final = "zones_seen_version"
_REFUSED: Final = "zones_refused"
_PAGE: Final = "zones"
"""What the audit trail records as the place of this page's writes."""
# A new boundary this far from the official area (ratio) is most likely the wrong feature,
# several zones merged, or coordinates in the wrong system: said before saving.
_AREA_RATIO_WARN: Final = 1.5


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    project = common.project()
    target = layers.settings.store_target()
    # What the planner's clicks in this run are about: the version the previous run showed.
    # The project is opened afresh on every run, so its version may already be a newer one
    # another planner saved; writing against that would overwrite their work unseen.
    seen = st.session_state.get(_SEEN, project.zones_version)
    st.write(t("zones.edit.intro", lang))
    st.caption(common.md(t("zones.store", lang, target=geo.store.redact(target))))
    if project.zones_version is None:
        st.info(t("zones.edit.shipped_now", lang))
    else:
        st.markdown(t("zones.edit.version_now", lang, version=project.zones_version))
    _flash(lang, project)
    writer = _writer(lang)
    refused = st.session_state.pop(_REFUSED, None)
    if refused is not None:
        st.error(common.md(t("zones.failed", lang, error=error_text(refused, lang))))
    zones = project.zones
    names = dict(zip(zones["zone_id"].astype(str), local_names(zones, lang), strict=True))
    names[_NEW] = t("zones.new", lang)
    zone_id = st.selectbox(
        t("zones.edit.zone", lang),
        (*zones["zone_id"].astype(str), _NEW),
        format_func=lambda z: names.get(z, z),
        key="zone_target",
    )
    picked = _import(lang, zones, zone_id, names)
    current = zones.loc[zones["zone_id"].astype(str) == zone_id]
    original = shapely.union_all(current.geometry.to_numpy()) if len(current) else None
    basemap = common.basemap()
    fmap = maps.new_map(basemap=basemap, lang=lang, tianditu_key=common.tianditu_key())
    # Show what is being worked on: the imported polygons, else the zone picked.
    maps.fit(fmap, picked[0] if picked is not None else current if len(current) else zones)
    maps.add_districts(fmap, project.districts, lang=lang, basemap=basemap)
    maps.add_zones(fmap, zones, lang=lang, basemap=basemap)
    if picked is not None:
        features, assignment, _ = picked
        labels = [
            t("zones.edit.preview_as", lang, n=i + 1, zone=names[z]) if z else
            t("zones.edit.preview_unused", lang, n=i + 1)
            for i, z in enumerate(assignment)
        ]  # fmt: skip
        editing.add_preview(
            fmap, features, labels=labels, used=[bool(z) for z in assignment],
            lang=lang, basemap=basemap,
        )  # fmt: skip
    editing.add_zone_editor(fmap, current if len(current) else None, lang=lang, basemap=basemap)
    maps.finish(fmap, lang=lang)
    st.caption(t("zones.edit.map_help", lang))
    # The key changes with the zone, the version seen and the imported file: a fresh map
    # (no stale drawings) whenever what it edits changed. The version is the one seen, so
    # a drawing made on version 2 reaches the save (refused) after another planner's save.
    sig = "" if picked is None else picked[2]
    out = st_folium(
        fmap,
        key=f"zone_map_{zone_id}_{seen}_{sig}",
        height=560,
        use_container_width=True,
        returned_objects=["all_drawings"],
    )
    edited, drawn = editing.editor_shapes(
        (out or {}).get("all_drawings"), basemap, original=original
    )
    changes, how = _changes(lang, zone_id, picked, edited, drawn)
    if not changes:
        st.caption(t("zones.edit.nothing_yet", lang))
    else:
        after = _preview(lang, project, changes, how, names)
        _save_form(lang, project, changes, target=target, edited=after, seen=seen, who=writer)
    _history(lang, project, target, seen=seen, who=writer)
    st.session_state[_SEEN] = project.zones_version
    if seen != project.zones_version:
        # Another planner saved since the last run: start over on what is shown now (map
        # and picks keyed by the new version, a refusal of this run shown on top) before
        # the planner draws or picks on widgets that are about to be replaced.
        st.rerun()
    st.session_state.pop(_REFUSED, None)  # shown above already: no rerun to carry it to


def _writer(lang: Lang) -> Identity | None:
    """Return who may save and restore here, or None (and say why) for a viewer."""
    identity = auth.current()
    if access.may_write(identity, ZONES_LAYER):
        return identity
    st.info(t("auth.read_only", lang, role=t(f"role.{identity.role}", lang)))
    return None


# --- where the new boundary comes from ---------------------------------------------------


def _import(
    lang: Lang, zones: gpd.GeoDataFrame, zone_id: str, names: dict[str, str]
) -> tuple[gpd.GeoDataFrame, list[str], str] | None:
    """Read an uploaded boundary file and ask which feature becomes which zone."""
    cols = st.columns([3, 1])
    file = common.file_uploader(
        cols[0],
        t("zones.edit.import", lang),
        types=BOUNDARY_TYPES,
        # A new key after each save: the saved file leaves the page instead of offering
        # the same boundaries again as "not saved yet".
        key=f"zone_file_{st.session_state.get(_ROUND, 0)}",
        lang=lang,
    )
    coord = cols[1].selectbox(
        t("zones.import_coord", lang),
        COORD_SYSTEMS,
        format_func=lambda c: t(f"coord.{c}", lang),
        key="zone_file_coord",
    )
    if file is None:
        return None
    data = file.getvalue()
    suffix = PurePosixPath(file.name.replace("\\", "/")).suffix.lower().lstrip(".")
    ext = next((e for e in BOUNDARY_TYPES if e == suffix), "geojson")
    # The user's own file name, so messages name it: geo.io takes only its base name and
    # extension from it (it never becomes a path); an unknown extension reads as GeoJSON.
    shown = file.name if suffix == ext else f"{file.name}.{ext}"
    try:
        result = geo.read(data, name=shown, coord_system=coord, extent=layers.settings.extent())
    except ValueError as exc:
        st.error(common.md(t("zones.import_failed", lang, error=error_text(exc, lang))))
        return None
    polygons = edits.boundary_polygons(result.data)
    if not len(polygons):
        st.error(t("zones.import_no_polygon", lang))
        return None
    features = gpd.GeoDataFrame(
        result.data.drop(columns=result.data.geometry.name).loc[polygons.index],
        geometry=polygons,
        crs="EPSG:4326",
    ).reset_index(drop=True)
    if len(result.problems):
        st.dataframe(tables.problems_table(result.problems, lang), hide_index=True, width="stretch")
    sig = hashlib.sha256(data + coord.encode()).hexdigest()[:12]
    st.caption(common.md(t("zones.edit.imported", lang, n=len(features), name=file.name)))
    return _pick(lang, zones=zones, zone_id=zone_id, names=names, features=features, sig=sig)


def _pick(
    lang: Lang,
    *,
    zones: gpd.GeoDataFrame,
    zone_id: str,
    names: dict[str, str],
    features: gpd.GeoDataFrame,
    sig: str,
) -> tuple[gpd.GeoDataFrame, list[str], str]:
    """Ask which zone each feature is (guessed from a name/id column); never merge silently."""
    columns = [zone_import.FEATURE_NUMBER, *zone_import.name_columns(features)]
    hits = [int(zone_import.match_zones(features, zones, c).notna().sum()) for c in columns]
    best = max(range(len(columns)), key=lambda i: (hits[i], -i))
    column = st.selectbox(
        t("zones.edit.column", lang),
        columns,
        index=best,
        format_func=lambda c: c or t("zones.edit.column_none", lang),
        key=f"zone_column_{sig}",
    )
    guess = zone_import.match_zones(features, zones, column)
    options = ["", *zones["zone_id"].astype(str)]
    if zone_id == _NEW:
        options.append(_NEW)
    areas = zone_import.area_km2(features.geometry)
    labels = (
        features[column].astype(str) if column else pd.Series([""] * len(features))
    ).to_numpy()
    assignment: list[str] = []
    st.markdown(t("zones.edit.pick_title", lang, n=len(features)))
    if len(features) > 1:
        # The zone picked at the top only says whose corners the map lets you drag.
        st.caption(t("zones.edit.pick_help", lang))
    grid = st.columns(min(len(features), 3))
    for i in range(len(features)):
        default = guess.iloc[i] or (zone_id if len(features) == 1 else "")
        choice = grid[i % len(grid)].selectbox(
            t("zones.edit.pick", lang, n=i + 1, label=labels[i] or "-", km2=areas.iloc[i]),
            options,
            index=options.index(default) if default in options else 0,
            format_func=lambda z: names.get(z, t("zones.edit.unused", lang)) if z else
            t("zones.edit.unused", lang),
            key=f"zone_pick_{sig}_{column}_{i}",
        )  # fmt: skip
        assignment.append(choice)
    table = zone_import.import_table(features, zones, assignment, column=column)
    st.dataframe(_import_view(table, names, lang), hide_index=True, width="stretch")
    return features, assignment, f"{sig}_{'-'.join(assignment)}"


def _import_view(table: pd.DataFrame, names: dict[str, str], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("zones.edit.col.feature", lang): table["feature"],
            t("zones.edit.col.label", lang): table["label"],
            t("zones.edit.col.area", lang): table["area_km2"].round(1),
            t("zones.edit.col.zone", lang): table["zone_id"].map(
                lambda z: names.get(z, z) if z else t("zones.edit.unused", lang)
            ),
            t("zones.edit.col.current", lang): table["current_area_km2"].round(1),
            t("zones.edit.col.official", lang): table["official_area_km2"].round(1),
        }
    )


def _changes(
    lang: Lang,
    zone_id: str,
    picked: tuple[gpd.GeoDataFrame, list[str], str] | None,
    edited: Any,
    drawn: gpd.GeoSeries,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return (zone id -> new boundary, zone id -> how it was made) from one source."""
    if picked is not None and any(picked[1]):
        if len(drawn) or edited is not None:
            st.warning(t("zones.edit.import_wins", lang))
        features, assignment, _ = picked
        grouped = zone_import.combine(features.geometry, assignment)
        how = {
            z: t("zones.edit.how_import", lang, features="、".join(map(str, nums)))
            if lang == "zh" else
            t("zones.edit.how_import", lang, features=", ".join(map(str, nums)))
            for z, (_, nums) in grouped.items()
        }  # fmt: skip
        for z, (_, nums) in grouped.items():
            if len(nums) > 1:
                st.warning(t("zones.edit.combined", lang, n=len(nums), zone=z))
        return {z: g for z, (g, _) in grouped.items()}, how
    if len(drawn):
        shape = shapely.union_all(drawn.to_numpy())
        return {zone_id: shape}, {zone_id: t("zones.edit.how_drawn", lang, n=len(drawn))}
    if edited is not None:
        return {zone_id: edited}, {zone_id: t("zones.edit.how_vertices", lang)}
    return {}, {}


# --- preview, save -----------------------------------------------------------------------


def _preview(
    lang: Lang,
    project: layers.Project,
    changes: dict[str, Any],
    how: dict[str, str],
    names: dict[str, str],
) -> gpd.GeoDataFrame:
    """Show what a save would do (areas, the check before/after); return the edited layer."""
    st.subheader(t("zones.edit.preview", lang))
    table = zone_import.change_table(project.zones, changes)
    view = pd.DataFrame(
        {
            t("zones.edit.col.zone", lang): [names.get(z, z) for z in table.index],
            t("zones.edit.col.how", lang): [how.get(z, "") for z in table.index],
            t("zones.edit.col.current", lang): table["current_area_km2"].round(1).to_numpy(),
            t("zones.edit.col.new", lang): table["new_area_km2"].round(1).to_numpy(),
            t("zones.edit.col.official", lang): table["official_area_km2"].round(1).to_numpy(),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch", key="zone_preview_table")
    for zone, row in table.iterrows():
        official, new = float(row["official_area_km2"]), float(row["new_area_km2"])
        if official > 0 and not 1 / _AREA_RATIO_WARN <= new / official <= _AREA_RATIO_WARN:
            st.warning(
                t("zones.edit.area_off", lang, zone=names.get(str(zone), str(zone)),
                  new=new, official=official, ratio=new / official)
            )  # fmt: skip
    edited = zone_import.apply_changes(project.zones, changes)
    change = _compare(lang, project, edited)
    if change is not None:
        _show_change(lang, *change, title=t("zones.edit.check_if_saved", lang))
    return edited


def _compare(
    lang: Lang, project: layers.Project, edited: gpd.GeoDataFrame
) -> tuple[Any, gpd.GeoDataFrame] | None:
    """Re-run the check against ``edited`` zones: (comparison, areas after) or None."""
    try:
        after_areas = layers.areas(project.rules, districts=project.districts, zones=edited)
    except ValueError as exc:
        st.warning(common.md(t("zones.compare_failed", lang, error=error_text(exc, lang))))
        return None
    firms, chain = project.enterprises, project.chain
    before = zoning.check(firms, areas=project.areas, chain=chain)
    after = zoning.check(firms, areas=after_areas, chain=chain)
    return zoning.compare_checks(before, after), after_areas


def _show_change(lang: Lang, change: Any, after_areas: gpd.GeoDataFrame, *, title: str) -> None:
    st.subheader(title)
    st.dataframe(tables.change_counts(change.counts, lang), width="stretch")
    if change.changed.empty:
        st.write(t("zones.compare_none", lang))
        return
    st.dataframe(
        tables.changed_table(change.changed, areas=after_areas, lang=lang),
        hide_index=True,
        width="stretch",
    )


def _save_form(
    lang: Lang,
    project: layers.Project,
    changes: dict[str, Any],
    *,
    target: str,
    edited: gpd.GeoDataFrame,
    seen: int | None,
    who: Identity | None,
) -> None:
    if who is None:
        return  # a viewer: no form (and the store would refuse the write anyway)
    with st.form("zone_form"):
        new_id = name_zh = name_en = ""
        if _NEW in changes:
            new_id = st.text_input(t("zones.new_id", lang), key="zone_new_id")
            cols = st.columns(2)
            name_zh = cols[0].text_input(t("zones.name_zh", lang), key="zone_name_zh")
            name_en = cols[1].text_input(t("zones.name_en", lang), key="zone_name_en")
        st.caption(common.md(t("auth.author_is_you", lang, who=who.id)))
        note = st.text_area(t("zones.note", lang), key="zone_note")
        submitted = st.form_submit_button(t("zones.save", lang), type="primary")
    if not submitted:
        return
    if not note.strip():
        st.error(t("auth.need_note", lang))
        return
    if _NEW in changes:
        key = new_id.strip()
        if not _ZONE_ID.fullmatch(key) or key in set(project.zones["zone_id"].astype(str)):
            st.error(t("zones.bad_id", lang))
            return
        changes = {key if z == _NEW else z: g for z, g in changes.items()}
        named = {key: (name_zh.strip(), name_en.strip())}
        edited = zone_import.apply_changes(project.zones, changes, names=named)
    change = _compare(lang, project, edited)
    try:
        with geo.store.open(target) as store:
            # Refused before the shipped zones are seeded: a role that may not write
            # changes nothing at all, not even version 1.
            store.authorize(who.actor, layer=ZONES_LAYER, page=_PAGE)
            # Seeding happens only when the store has no zones at all: then the planner
            # worked on the shipped zones (seen None), which version 1 now holds.
            seeded = zone_import.ensure_shipped_version(store)
            start = seen if seen is not None else 0
            saved = store.write(
                ZONES_LAYER,
                edited,
                actor=who.actor,
                note=note.strip(),
                expected_version=seeded if seeded and seen is None else start,
                page=_PAGE,
            )
    except (geo.store.StoreError, ValueError) as exc:
        _failed(lang, exc)
        return
    _done(saved.version, ("zones.saved", {"version": saved.version}), change, seeded)


def _failed(lang: Lang, exc: Exception) -> None:
    """Say why nothing was written, now and (if the page reruns on a newer version) after."""
    st.error(common.md(t("zones.failed", lang, error=error_text(exc, lang))))
    st.session_state[_REFUSED] = exc


def _done(
    version: int, message: tuple[str, dict[str, Any]], change: Any, seeded: int | None
) -> None:
    """Keep what was just done for the rerun, forget the old project, rerun at once."""
    # The message as a key: the planner may switch the language before reading it.
    st.session_state[_FLASH] = {
        "version": int(version), "message": message, "change": change, "seeded": seeded,
    }  # fmt: skip
    st.session_state[_ROUND] = st.session_state.get(_ROUND, 0) + 1
    # This session wrote it, so it has seen it: the next click is about this version.
    st.session_state[_SEEN] = int(version)
    common.clear_project()
    st.rerun()


def _flash(lang: Lang, project: layers.Project) -> None:
    """Show the last save or restore (while its version is the current one)."""
    flash = st.session_state.get(_FLASH)
    if not flash or flash["version"] != project.zones_version:
        return
    key, values = flash["message"]
    st.success(t(key, lang, **values))
    if flash["seeded"]:
        st.caption(t("zones.edit.seeded", lang))
    if flash["change"] is not None:
        _show_change(lang, *flash["change"], title=t("zones.edit.check_done", lang))


# --- history and restore -----------------------------------------------------------------


def _history(
    lang: Lang, project: layers.Project, target: str, *, seen: int | None, who: Identity | None
) -> None:
    """Show the versions; offer a restore to ``who`` (None: a role that may not write)."""
    st.subheader(t("zones.history", lang))
    if project.zones_version is None:
        st.caption(t("zones.edit.history_none", lang))
        return
    try:
        with geo.store.open(target) as store:
            history = store.history(ZONES_LAYER)
    except geo.store.StoreError as exc:
        st.error(common.md(t("zones.failed", lang, error=error_text(exc, lang))))
        return
    st.dataframe(
        history.rename(columns={c: t(f"history.{c}", lang) for c in history.columns}),
        hide_index=True,
        width="stretch",
        key=f"zone_history_{project.zones_version}",
    )
    older = [int(v) for v in history["version"] if int(v) != project.zones_version]
    if older and who is not None:
        _restore(lang, project, target, older, seen=seen, who=who)


def _restore(
    lang: Lang,
    project: layers.Project,
    target: str,
    older: list[int],
    *,
    seen: int | None,
    who: Identity,
) -> None:
    """Pick a version, see the check before/after restoring it, restore it.

    The pick is keyed by the version seen, so the version the planner chose is the one
    refused (or restored) on the click's run.
    """
    version = st.selectbox(
        t("zones.restore_version", lang),
        older[::-1],
        key=f"restore_version_{seen}",
    )
    try:
        with geo.store.open(target) as store:
            old = store.read(ZONES_LAYER, version=int(version))
    except geo.store.StoreError as exc:
        st.error(common.md(t("zones.failed", lang, error=error_text(exc, lang))))
        return
    change = _compare(lang, project, old)
    if change is not None:
        _show_change(lang, *change, title=t("zones.edit.check_if_restored", lang, old=version))
    with st.form("zone_restore"):
        st.caption(common.md(t("auth.author_is_you", lang, who=who.id)))
        note = st.text_input(t("zones.note", lang), key="restore_note")
        restore = st.form_submit_button(t("zones.restore", lang))
    if not restore:
        return
    if not note.strip():
        st.error(t("auth.need_note", lang))
        return
    try:
        with geo.store.open(target) as store:
            saved = store.restore(
                ZONES_LAYER,
                int(version),
                actor=who.actor,
                note=note.strip(),
                # The version on screen when the planner chose, not the store's latest.
                expected_version=seen if seen is not None else 0,
                page=_PAGE,
            )
    except (geo.store.StoreError, ValueError) as exc:
        _failed(lang, exc)
        return
    message = ("zones.restored", {"old": version, "version": saved.version})
    _done(saved.version, message, change, None)


if __name__ == "__main__":
    render()
