"""Streamlit app over the library: widgets in, `layers` / `zoning` calls, rendering out.

Pages: the map (layers, legends, basemaps, clusters, gaps, a suitability surface), the
zoning check, the chain gaps and investment targets, the site checker, the zone editor
(draw, save with a note, restore) and data upload with a validation report and downloads.
Language, page and basemap live in the URL (``?lang=en&page=check``), so a link reproduces
the view. Maps are drawn by :mod:`layers.draw`, the only module that
knows folium; every text from data reaches the page through ``st.dataframe`` / ``st.text``
(plain text) or escaped markdown, never as raw HTML.

Operator settings (environment, never taken from users):
``TIANDITU_KEY`` (or ``st.secrets["TIANDITU_KEY"]``) for the Tianditu basemap;
``NANCHANG_ENTERPRISES``: path of an enterprises file to show instead of the shipped one;
``NANCHANG_SYNTHETIC``: add that many clearly-marked synthetic enterprises (demos, benchmarks);
``NANCHANG_STORE``: the project store (see ``geo.store``) the zone editor saves to; its
saved zones replace the shipped ones on every page.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
import zoning
from layers import assets, draw, edits
from layers.i18n import LANGS, STRINGS, Lang, lang_or_default, t
from zoning import _config as zoning_config

PAGES = ("map", "check", "gaps", "site", "zones", "upload")
ZONES_LAYER = "zones"
_ZONE_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
LANG_NAMES = {"zh": "中文", "en": "English"}
COORD_SYSTEMS = ("wgs84", "gcj02", "bd09")
UPLOAD_TYPES = ("csv", "xlsx", "geojson", "json", "gpkg", "zip", "kml")
BOUNDARY_TYPES = ("geojson", "json", "gpkg", "zip", "kml")
MAX_COMPARED = 5
DOWNLOADS = (
    "districts",
    "zones",
    "areas",
    "enterprises",
    "check",
    "targets",
    "chain_gaps",
    "spatial_gaps",
    "clusters",
)
SURFACE_CELL_M = 1000.0
CLICK_REACH_M = 2000.0
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def _md(text: object) -> str:
    """Escape a data value for markdown-rendered widgets (messages, captions)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _url_choice(param: str, options: tuple[str, ...], default: str) -> str:
    value = st.query_params.get(param)
    return value if value in options else default


def _persist(param: str, value: str) -> None:
    if st.query_params.get(param) != value:
        st.query_params[param] = value


# --- data (cached on plain values; the library never mutates its inputs) -------------


def _store_target() -> str | None:
    """Return the project store to read zones from, if it exists (reading creates none)."""
    import geo.store

    target = geo.store.default_target()
    if "://" in target:
        return target
    return target if Path(target).is_file() else None


@st.cache_data(show_spinner=False)
def _base_layers(store: str | None, version: int | None) -> dict[str, Any]:
    """Shipped layers; zones (and the areas built on them) from the store when saved there."""
    zones = layers.zones()
    if store is not None and version is not None:
        import geo.store

        with geo.store.open(store) as project:
            zones = project.read(ZONES_LAYER, version=version)
    districts = layers.districts()
    problem = None
    try:
        areas = layers.areas(districts=districts, zones=zones)
    except layers.RuleError as exc:
        # A stored zones layer the rules cannot use (e.g. a zone deleted) must not take the
        # app down: the areas fall back to the shipped zones and every page says why.
        problem = str(exc)
        areas = layers.areas(districts=districts)
    return {
        "districts": districts,
        "zones": zones,
        "areas": areas,
        "chain": layers.chain(),
        "zones_version": version,
        "zones_problem": problem,
    }


def _load_base(lang: Lang) -> dict[str, Any]:
    import geo.store

    store = _store_target()
    version = None
    if store is not None:
        try:
            with geo.store.open(store) as project:
                version = project.current_version(ZONES_LAYER)
        except geo.store.StoreError as exc:
            # An unreachable shared database must not take the app down: shipped zones.
            st.warning(_md(t("zones.store_unavailable", lang, error=exc)))
            store = None
    return _base_layers(store, version)


@st.cache_data(show_spinner=False)
def _configured_enterprises(path: str | None, synthetic: int) -> tuple[gpd.GeoDataFrame, str]:
    result = layers.read_enterprises(path)
    data = result.data
    if synthetic > 0:
        extra = layers.synthetic_enterprises(synthetic, seed=0)
        data = gpd.GeoDataFrame(pd.concat([data, extra], ignore_index=True), crs=data.crs)
    return data, result.source


def _enterprises() -> tuple[gpd.GeoDataFrame, tuple[str, str] | None]:
    """Return the enterprises to show and where they come from (None: the shipped file).

    An upload in this session wins over the operator's ``NANCHANG_ENTERPRISES`` file,
    which wins over the shipped data.
    """
    upload = st.session_state.get("upload")
    if upload is not None:
        return upload["data"], ("app.data_source_upload", upload["name"])
    path = os.environ.get("NANCHANG_ENTERPRISES") or None
    try:
        synthetic = int(os.environ.get("NANCHANG_SYNTHETIC", "0"))
    except ValueError:
        synthetic = 0
    data, name = _configured_enterprises(path, max(synthetic, 0))
    return data, None if path is None else ("app.data_source_configured", name)


def _enterprises_key() -> tuple[object, ...]:
    """Return a cheap, hashable stand-in for the current enterprises (a cache key)."""
    upload = st.session_state.get("upload")
    if upload is not None:
        return ("upload", upload["key"])
    return (
        "configured",
        os.environ.get("NANCHANG_ENTERPRISES") or None,
        os.environ.get("NANCHANG_SYNTHETIC", "0"),
    )


def _base_key(base: dict[str, Any]) -> tuple[object, ...]:
    return (_store_target(), base["zones_version"])


def _page_basemap() -> str:
    """Return the basemap chosen on the map page (URL), "none" where Tianditu has no key."""
    basemap = _url_choice("basemap", draw.BASEMAPS, "osm")
    if basemap == "tianditu" and not draw.valid_tianditu_key(_tianditu_key()):
        return "none"
    return basemap


def _tianditu_key() -> str | None:
    try:
        key = st.secrets.get("TIANDITU_KEY")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        key = None
    return str(key) if key else os.environ.get("TIANDITU_KEY") or None


# --- pages ---------------------------------------------------------------------------


def _map_page(lang: Lang, base: dict[str, Any]) -> None:
    firms, source = _enterprises()
    basemap = _url_choice("basemap", draw.BASEMAPS, "osm")
    basemap = st.sidebar.selectbox(
        t("map.basemap", lang),
        draw.BASEMAPS,
        index=draw.BASEMAPS.index(basemap),
        format_func=lambda b: t(f"basemap.{b}", lang),
        key="basemap",
    )
    _persist("basemap", basemap)
    show_clusters = st.sidebar.checkbox(t("map.show_clusters", lang), key="show_clusters")
    show_gaps = st.sidebar.checkbox(t("map.show_gaps", lang), key="show_gaps")
    chain = base["chain"]
    segment_names = chain["name_zh" if lang == "zh" else "name_en"].to_dict()
    surface = st.sidebar.selectbox(
        t("map.suitability_segment", lang),
        ("", *chain.index),
        format_func=lambda s: segment_names.get(s, t("map.no_suitability", lang)),
        key="surface",
    )
    key = _tianditu_key()
    shown = basemap
    if basemap == "tianditu" and not draw.valid_tianditu_key(key):
        st.warning(t("map.tianditu_no_key" if key is None else "map.tianditu_bad_key", lang))
        shown = "none"

    fmap = draw.new_map(basemap=shown, lang=lang, tianditu_key=key)
    draw.fit(fmap, base["districts"])
    if surface:
        _add_surface(fmap, surface, firms, base, lang=lang, basemap=shown)
        st.session_state["surface_segment"] = surface
    else:
        st.session_state.pop("surface_segment", None)
    draw.add_districts(fmap, base["districts"], lang=lang, basemap=shown)
    draw.add_zones(fmap, base["zones"], lang=lang, basemap=shown)
    draw.add_areas(fmap, base["areas"], lang=lang, chain=chain, basemap=shown)
    if show_gaps:
        gaps = zoning.spatial_gaps(firms, areas=base["areas"])
        draw.add_gaps(fmap, gaps, lang=lang, areas=base["areas"], basemap=shown)
    if show_clusters:
        _, outlines = zoning.clusters(firms, areas=base["areas"], chain=chain)
        if len(outlines):
            draw.add_clusters(fmap, outlines, lang=lang, chain=chain, basemap=shown)
        else:
            st.caption(t("map.no_clusters", lang))
    drawn = draw.add_enterprises(fmap, firms, chain=chain, lang=lang, basemap=shown)
    draw.finish(fmap, lang=lang)
    # No returned objects: panning and zooming never rerun the script.
    st_folium(fmap, key="map", height=640, use_container_width=True, returned_objects=[])
    # Rendered only when clicked: the page itself stays as fast as the map.
    st.download_button(
        t("download.map_html", lang),
        data=lambda: draw.standalone_html(fmap).encode("utf-8"),
        file_name="nanchang_map.html",
        mime="text/html",
        on_click="ignore",
        key="download_map",
    )
    st.caption(t("download.map_html_note", lang))
    _map_notes(lang, firms, source, drawn=drawn, basemap=shown)


def _map_notes(
    lang: Lang,
    firms: gpd.GeoDataFrame,
    source: tuple[str, str] | None,
    *,
    drawn: int,
    basemap: str,
) -> None:
    """Say what the map shows: the data's origin, what is missing, and why."""
    if source is None:
        st.caption(t("app.data_source_shipped", lang, n=len(firms)))
    else:
        st.caption(_md(t(source[0], lang, name=source[1], n=len(firms))))
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
    fmap: Any,
    segment: str,
    firms: gpd.GeoDataFrame,
    base: dict[str, Any],
    *,
    lang: Lang,
    basemap: str,
) -> None:
    grid = zoning.suitability_grid(
        segment, cell_m=SURFACE_CELL_M, enterprises=firms, areas=base["areas"], chain=base["chain"]
    )
    name = base["chain"].loc[segment, "name_zh" if lang == "zh" else "name_en"]
    draw.add_surface(
        fmap,
        grid,
        column="score",
        vmax=100.0,
        name=t("layer.suitability", lang, segment=name),
        lang=lang,
        basemap=basemap,
    )


def _check_page(lang: Lang, base: dict[str, Any]) -> None:
    st.write(t("check.intro", lang))
    firms, _ = _enterprises()
    result = zoning.check(firms, areas=base["areas"], chain=base["chain"])
    verdict = result["verdict"].astype(str)
    labels = verdict.map(lambda v: t(f"verdict.{v}", lang))
    st.subheader(t("check.summary", lang))
    counts = labels.value_counts().rename_axis(t("field.verdict", lang))
    st.dataframe(counts.rename(t("field.count", lang)))
    names = base["chain"]["name_zh" if lang == "zh" else "name_en"]
    area_names = base["areas"]["name_zh" if lang == "zh" else "name_en"].to_dict()
    sep = "、" if lang == "zh" else "; "
    shown_names = result[f"name_{lang}"].where(
        result[f"name_{lang}"].astype(str).str.strip() != "", result["name_zh"]
    )
    table = pd.DataFrame(
        {
            t("field.id", lang): result["id"],
            t("field.name", lang): shown_names,
            t("field.segment", lang): result["segment"].map(lambda s: names.get(s, s)),
            t("field.verdict", lang): labels,
            t("field.area", lang): result["area"]
            .astype(str)
            .map(lambda keys: sep.join(area_names.get(k, k) for k in keys.split(";") if k)),
            t("field.reason", lang): result[f"reason_{lang}"].astype(str),
        }
    )
    basemap = _page_basemap()
    picked = _check_pick(result, basemap)
    st.subheader(t("check.map", lang))
    st.caption(t("check.select_hint", lang))
    centre = None  # (lat, lon) in WGS 84 of the picked enterprise, if it has a site
    if picked is not None:
        row = result.loc[picked]
        name = str(shown_names.loc[picked])
        reason = row[f"reason_{lang}"]
        verdict_text = labels.loc[picked]
        st.info(
            _md(
                t(
                    "check.selected",
                    lang,
                    name=name,
                    id=row["id"],
                    verdict=verdict_text,
                    reason=reason,
                )
            )
        )
        if bool(row.get("located", True)) and row.geometry is not None:
            centre = (float(row.geometry.y), float(row.geometry.x))
        else:
            st.caption(t("check.selected_unlocated", lang))
    shown_centre = None if centre is None else _display_centre(centre, basemap)
    fmap = draw.new_map(
        basemap=basemap,
        lang=lang,
        tianditu_key=_tianditu_key(),
        location=draw.NANCHANG_CENTRE if shown_centre is None else shown_centre,
        zoom_start=9 if shown_centre is None else 14,
    )
    if centre is None:
        draw.fit(fmap, base["districts"])
    draw.add_areas(fmap, base["areas"], lang=lang, chain=base["chain"], basemap=basemap)
    draw.add_enterprises(fmap, firms, chain=base["chain"], lang=lang, basemap=basemap)
    if centre is not None:
        draw.add_highlight(fmap, centre[1], centre[0], label=name, basemap=basemap)
    draw.finish(fmap, lang=lang)
    # A marker click (not panning) reruns the script to select the nearest enterprise.
    st_folium(
        fmap,
        key="check_map",
        height=480,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
        center=shown_centre,
        zoom=None if shown_centre is None else 14,
    )
    st.subheader(t("check.table", lang))
    # st.dataframe shows every cell as text: names like "<img onerror=...>" stay inert.
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="check_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    export = pd.DataFrame(result.drop(columns="geometry"))
    st.download_button(
        t("check.download_csv", lang),
        export.astype(dict.fromkeys(("verdict", "area", "rule", "reason_zh", "reason_en"), str))
        .to_csv(index=False)
        .encode("utf-8-sig"),
        file_name="zoning_check.csv",
        mime="text/csv",
    )


def _display_centre(centre: tuple[float, float], basemap: str) -> tuple[float, float]:
    """(lat, lon) in WGS 84 -> the basemap's display coordinates (GCJ-02 on Amap)."""
    from geo.crs import convert

    lat, lon = centre
    x, y = convert(lon, lat, src="wgs84", dst=draw.display_system(basemap))
    return float(y), float(x)


def _check_pick(result: gpd.GeoDataFrame, basemap: str) -> Any:
    """Return the index label of the enterprise chosen by table row or marker click.

    Whichever changed last wins; the choice is kept (by enterprise id) across reruns and
    dropped when the data no longer hold that id.
    """
    table = st.session_state.get("check_table")
    try:
        rows = list(table["selection"]["rows"]) if table else []
    except (KeyError, TypeError):
        rows = []
    picked_id = st.session_state.get("check_pick")
    if rows != st.session_state.get("check_rows", []):
        st.session_state["check_rows"] = rows
        if rows and 0 <= int(rows[0]) < len(result):
            picked_id = str(result["id"].iloc[int(rows[0])])
    click = (st.session_state.get("check_map") or {}).get("last_object_clicked")
    if click and click != st.session_state.get("check_click"):
        st.session_state["check_click"] = click
        # The click is where the pointer was, up to a marker's radius off its centre: at
        # the zoom where single markers show, a few pixels are up to a couple of km.
        label = draw.clicked_row(result, click, basemap, max_m=CLICK_REACH_M)
        if label is not None:
            picked_id = str(result.loc[label, "id"])
    st.session_state["check_pick"] = picked_id
    if picked_id is None:
        return None
    hit = result.index[result["id"].astype(str) == picked_id]
    return hit[0] if len(hit) else None


def _read_upload(name: str, content: bytes, coord: str) -> Any:
    """Validate an uploaded enterprises file (``layers.read_enterprises``).

    The reader takes the format from a file name, which bytes do not carry: the content is
    written to a private temporary folder under a fixed name whose extension is picked
    from :data:`UPLOAD_TYPES`; the user's file name itself is never used as a path.
    """
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    ext = next((e for e in UPLOAD_TYPES if e == suffix), "csv")
    with tempfile.TemporaryDirectory(prefix="nanchang-upload-") as folder:
        path = Path(folder) / f"upload.{ext}"
        path.write_bytes(content)
        return layers.read_enterprises(path, coord_system=coord)


def _gaps_page(lang: Lang, base: dict[str, Any]) -> None:
    st.write(t("gaps.intro", lang))
    firms, _ = _enterprises()
    areas, chain = base["areas"], base["chain"]
    gaps = zoning.chain_gaps(firms, areas=areas, chain=chain)
    area_names = areas["name_zh" if lang == "zh" else "name_en"]
    st.subheader(t("gaps.matrix", lang))
    st.dataframe(_gap_matrix(lang, firms, areas, chain, gaps), width="stretch")
    st.caption(t("gaps.matrix_caption", lang))
    targets = zoning.investment_targets(firms, areas=areas, chain=chain)
    table = pd.DataFrame(
        {
            t("field.rank", lang): targets["rank"],
            t("field.segment", lang): targets[f"name_{lang}"],
            t("field.area", lang): targets["area"].map(lambda k: area_names.get(k, k)),
            t("field.status", lang): targets["status"].map(lambda v: t(f"gaps.status.{v}", lang)),
            t("field.count", lang): targets["count"],
            t("field.links_closed", lang): targets["links_closed"],
            t("field.reason", lang): targets[f"reason_{lang}"],
        }
    )
    st.subheader(t("gaps.targets", lang))
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t("gaps.download", lang),
        targets.to_csv(index=False).encode("utf-8-sig"),
        file_name="investment_targets.csv",
        mime="text/csv",
    )
    _supplier_flags(lang, firms, chain)


def _supplier_flags(lang: Lang, firms: gpd.GeoDataFrame, chain: pd.DataFrame) -> None:
    """List the library's supplier-distance flags: one row per firm and distant supplier."""
    st.subheader(t("gaps.suppliers", lang))
    threshold = zoning_config.SUPPLIER_THRESHOLD_M
    st.caption(t("gaps.suppliers_intro", lang, km=threshold / 1000))
    distances = zoning.supplier_distances(firms, chain=chain, threshold_m=threshold)
    flags = distances["flags"]
    pairs = flags[flags != ""].str.split(";").explode()
    if not len(pairs):
        st.write(t("gaps.no_flags", lang))
        return
    rows = distances.index.get_indexer(pairs.index)
    cols = distances.columns.get_indexer(pd.Index(pairs.astype(str) + "_m"))
    km = distances.to_numpy()[rows, cols].astype(float) / 1000
    segment_names = chain["name_zh" if lang == "zh" else "name_en"]
    table = pd.DataFrame(
        {
            t("field.id", lang): firms["id"].astype(str).to_numpy()[rows],
            t("field.name", lang): _names(firms, lang).to_numpy()[rows],
            t("field.segment", lang): [
                segment_names.get(k, k) for k in firms["segment"].astype(str).to_numpy()[rows]
            ],
            t("field.supplier", lang): [segment_names.get(k, k) for k in pairs.astype(str)],
            t("field.distance_km", lang): [
                f"{v:,.1f}" if np.isfinite(v) else t("gaps.no_supplier", lang) for v in km
            ],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def _gap_matrix(
    lang: Lang,
    firms: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    chain: pd.DataFrame,
    gaps: pd.DataFrame,
) -> pd.DataFrame:
    """Every segment × area count; designated cells marked ★ with their status."""
    inside, _ = zoning.membership(firms, areas)
    segment = firms["segment"].astype(str).to_numpy()
    counts = inside.astype(int).groupby(segment).sum().reindex(chain.index, fill_value=0)
    cells = counts.astype(str)
    for row in gaps.itertuples(index=False):
        if row.segment in cells.index and row.area in cells.columns:
            status = t(f"gaps.status.{row.status}", lang)
            cells.loc[row.segment, row.area] = f"★ {row.count} · {status}"
    cells.index = chain["name_zh" if lang == "zh" else "name_en"].reindex(cells.index).to_numpy()
    cells.index.name = t("field.segment", lang)
    area_names = areas["name_zh" if lang == "zh" else "name_en"]
    cells.columns = [str(area_names.get(k, k)) for k in cells.columns]
    return cells


def _site_inputs(lang: Lang, chain: pd.DataFrame, display: str) -> tuple[str, str, float, float]:
    """Segment, coordinate system and site; a click on the site map fills them in."""
    click = (st.session_state.get("site_map") or {}).get("last_clicked")
    if click and click != st.session_state.get("site_click"):
        # Widgets are not drawn yet in this run, so their values may still be set.
        st.session_state["site_click"] = click
        st.session_state["site_lon"] = round(float(click["lng"]), 6)
        st.session_state["site_lat"] = round(float(click["lat"]), 6)
        st.session_state["site_coord"] = display
    names = chain["name_zh" if lang == "zh" else "name_en"].to_dict()
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


def _site_comparison(
    lang: Lang, base: dict[str, Any], segment: str, firms: gpd.GeoDataFrame
) -> pd.DataFrame | None:
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
        enterprises=firms,
        areas=base["areas"],
        chain=base["chain"],
        draws=200,
    )
    table = pd.DataFrame(
        {
            t("site.compare_label", lang): sites["label"],
            t("site.lon", lang): sites["lon"],
            t("site.lat", lang): sites["lat"],
            t("site.score", lang): ranked["score"].round(0),
            t("site.compare_interval", lang): [
                f"{a:.0f}–{b:.0f}" for a, b in zip(ranked["p5"], ranked["p95"], strict=True)
            ],
            t("site.compare_rank", lang): ranked["rank"],
            t("site.compare_stability", lang): ranked["rank_stability"].map("{:.0%}".format),
            t("site.compare_excluded", lang): ranked["excluded"].astype(bool),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    cols = st.columns(MAX_COMPARED)
    for col, label in zip(cols, sites["label"], strict=False):
        if col.button(t("site.compare_remove", lang, label=label), key=f"site_remove_{label}"):
            st.session_state["site_compare"] = [
                s for s in st.session_state["site_compare"] if s["label"] != label
            ]
            st.rerun()
    return sites.assign(score=ranked["score"].to_numpy())


def _site_page(lang: Lang, base: dict[str, Any]) -> None:
    st.write(t("site.intro", lang))
    basemap = _page_basemap()
    segment, coord, lon, lat = _site_inputs(lang, base["chain"], draw.display_system(basemap))
    firms, _ = _enterprises()
    try:
        result = zoning.site_score(
            lon,
            lat,
            segment,
            coord_system=coord,
            enterprises=firms,
            areas=base["areas"],
            chain=base["chain"],
            draws=200,
        )
    except ValueError as exc:
        st.error(_md(t("site.invalid", lang, error=exc)))
        return
    left, right = st.columns([1, 2])
    left.metric(t("site.score", lang), f"{result.score:.0f}")
    rb = result.robustness
    left.caption(t("site.range", lang, p5=rb.p5, p95=rb.p95))
    if result.excluded:
        reasons = result.exclusion_reasons_zh if lang == "zh" else result.exclusion_reasons
        left.warning(_md(t("site.excluded", lang, reasons="; ".join(reasons))))
    left.write(_md(result.reason_zh if lang == "zh" else result.reason_en))
    if left.button(t("site.compare_add", lang, n=MAX_COMPARED), key="site_compare_add"):
        _add_compared(lang, result.lon, result.lat)
    right.subheader(t("site.criteria", lang))
    c = result.criteria
    criteria = pd.DataFrame(
        {
            t("criterion.name", lang): c["criterion"].map(lambda k: _label("criterion", k, lang)),
            t("criterion.raw", lang): c["raw"].map(
                lambda v: f"{v:,.4g}" if isinstance(v, float) else _label("criterion", v, lang)
            ),
            t("criterion.unit", lang): c["unit"].astype(str),
            t("criterion.normalised", lang): c["normalised"],
            t("criterion.weight", lang): c["weight"],
            t("criterion.contribution", lang): c["contribution"],
        }
    )
    right.dataframe(criteria, hide_index=True, width="stretch")
    links = pd.concat(
        [result.suppliers.assign(role="supplier"), result.customers.assign(role="customer")],
        ignore_index=True,
    )
    compared = _site_comparison(lang, base, segment, firms)
    fmap = draw.new_map(
        basemap=basemap, lang=lang, tianditu_key=_tianditu_key(), location=(result.lat, result.lon)
    )
    draw.add_districts(fmap, base["districts"], lang=lang, basemap=basemap)
    draw.add_areas(fmap, base["areas"], lang=lang, chain=base["chain"], basemap=basemap)
    draw.add_enterprises(fmap, firms, chain=base["chain"], lang=lang, basemap=basemap)
    draw.add_site(
        fmap, result.lon, result.lat, lang=lang, links=links, chain=base["chain"], basemap=basemap
    )
    if compared is not None:
        draw.add_candidates(fmap, compared, lang=lang, basemap=basemap)
    draw.finish(fmap, lang=lang)
    st.caption(t("site.click_hint", lang))
    # Only a click reruns the script (to score the clicked site); panning does not.
    st_folium(
        fmap,
        key="site_map",
        height=520,
        use_container_width=True,
        returned_objects=["last_clicked"],
    )


def _zones_page(lang: Lang, base: dict[str, Any]) -> None:
    import geo.store

    st.write(t("zones.intro", lang))
    target = geo.store.default_target()
    st.caption(_md(t("zones.store", lang, target=geo.store.redact(target))))
    if base["zones_version"] is None:
        st.info(t("zones.no_history", lang))
    else:
        st.caption(t("zones.source_store", lang, version=base["zones_version"]))
    basemap = _url_choice("basemap", draw.BASEMAPS, "osm")
    if basemap == "tianditu" and not draw.valid_tianditu_key(_tianditu_key()):
        basemap = "none"
    fmap = draw.new_map(basemap=basemap, lang=lang, tianditu_key=_tianditu_key())
    draw.fit(fmap, base["zones"])
    draw.add_districts(fmap, base["districts"], lang=lang, basemap=basemap)
    draw.add_zones(fmap, base["zones"], lang=lang, basemap=basemap)
    draw.add_draw(fmap)
    draw.finish(fmap, lang=lang)
    # Only finished drawings rerun the script; the map keeps its state (fixed key).
    out = st_folium(
        fmap,
        key="zone_map",
        height=560,
        use_container_width=True,
        returned_objects=["all_drawings"],
    )
    shapes = draw.drawn_shapes((out or {}).get("all_drawings"), basemap)
    st.caption(t("zones.drawn", lang, n=len(shapes)))
    imported = _imported_boundary(lang)
    if not len(shapes):
        shapes = imported
    _zone_form(lang, base, shapes, target)
    _zone_history(lang, target)


def _imported_boundary(lang: Lang) -> gpd.GeoSeries:
    """Return a zone boundary from an uploaded file (polygons only), or an empty series."""
    from geo.crs import COORD_SYSTEMS
    from geo.io import read

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
        result = read(file.getvalue(), name=f"boundary.{ext}", coord_system=coord)
    except ValueError as exc:
        st.error(_md(t("zones.import_failed", lang, error=exc)))
        return empty
    polygons = edits.boundary_polygons(result.data)
    if not len(polygons):
        st.error(t("zones.import_no_polygon", lang))
        return empty
    st.caption(_md(t("zones.imported", lang, n=len(polygons), name=file.name)))
    if len(result.problems):
        st.dataframe(result.problems, hide_index=True, width="stretch")
    return polygons


def _show_check_change(lang: Lang, base: dict[str, Any], edited: gpd.GeoDataFrame) -> None:
    """Re-run the check against the edited zones and show what changed."""
    firms, _ = _enterprises()
    try:
        after_areas = layers.areas(districts=base["districts"], zones=edited)
    except ValueError as exc:
        st.warning(_md(t("zones.compare_failed", lang, error=exc)))
        return
    before = zoning.check(firms, areas=base["areas"], chain=base["chain"])
    after = zoning.check(firms, areas=after_areas, chain=base["chain"])
    change = zoning.compare_checks(before, after)
    st.subheader(t("zones.compare", lang))
    counts = change.counts.rename(
        index=lambda v: t(f"verdict.{v}", lang),
        columns={
            "before": t("field.before", lang),
            "after": t("field.after", lang),
            "change": t("field.change", lang),
        },
    )
    counts.index.name = t("field.verdict", lang)
    st.dataframe(counts, width="stretch", key="zone_compare_counts")
    if change.changed.empty:
        st.write(t("zones.compare_none", lang))
        return
    moved = change.changed
    names = dict(zip(after_areas.index, after_areas[f"name_{lang}"], strict=True))
    sep = "、" if lang == "zh" else "; "

    def area_names(keys: str) -> str:
        return sep.join(names.get(k, k) for k in keys.split(";") if k) or "-"

    st.dataframe(
        pd.DataFrame(
            {
                t("field.id", lang): moved["id"],
                t("field.name", lang): _names(moved, lang),
                t("field.before", lang): moved["verdict_before"].map(
                    lambda v: t(f"verdict.{v}", lang)
                ),
                t("field.after", lang): moved["verdict_after"].map(
                    lambda v: t(f"verdict.{v}", lang)
                ),
                t("field.area_before", lang): moved["area_before"].map(area_names),
                t("field.area_after", lang): moved["area_after"].map(area_names),
                t("field.reason", lang): moved[f"reason_{lang}"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="zone_compare_changed",
    )


def _zone_form(lang: Lang, base: dict[str, Any], shapes: gpd.GeoSeries, target: str) -> None:
    import geo.store

    zones = base["zones"]
    ids = ("", *zones["zone_id"].astype(str))
    names = dict(zip(zones["zone_id"].astype(str), _names(zones, lang), strict=True))
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
        with geo.store.open(target) as project:
            version = project.write(
                ZONES_LAYER,
                edited,
                author=author.strip(),
                note=note.strip(),
                expected_version=base["zones_version"] or 0,
            )
    except (geo.store.StoreError, ValueError) as exc:
        st.error(_md(t("zones.failed", lang, error=exc)))
        return
    st.success(t("zones.saved", lang, version=version.version))
    _show_check_change(lang, base, edited)
    _base_layers.clear()


def _zone_history(lang: Lang, target: str) -> None:
    import geo.store

    if _store_target() is None:
        return
    with geo.store.open(target) as project:
        if project.current_version(ZONES_LAYER) is None:
            return
        history = project.history(ZONES_LAYER)
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
        with geo.store.open(target) as project:
            saved = project.restore(
                ZONES_LAYER, int(version), author=author.strip(), note=note.strip()
            )
    except (geo.store.StoreError, ValueError) as exc:
        st.error(_md(t("zones.failed", lang, error=exc)))
        return
    st.success(t("zones.restored", lang, old=version, version=saved.version))
    _base_layers.clear()


def _label(group: str, value: object, lang: Lang) -> str:
    """Translate a library value (criterion key, zoning class...) if we have words for it."""
    key = f"{group}.{value}"
    return t(key, lang) if key in STRINGS else str(value)


def _names(gdf: pd.DataFrame, lang: Lang) -> pd.Series:
    first = gdf[f"name_{lang}"].astype(str)
    return first.where(first.str.strip() != "", gdf["name_zh"].astype(str))


def _upload_page(lang: Lang) -> None:
    from geo import InputError

    st.write(t("upload.intro", lang))
    coord = st.selectbox(
        t("upload.coord_system", lang),
        COORD_SYSTEMS,
        format_func=lambda c: t(f"coord.{c}", lang),
        key="upload_coord",
    )
    file = st.file_uploader(
        t("upload.file", lang),
        type=list(UPLOAD_TYPES),
        key="upload_file",
    )
    if file is None:
        if st.session_state.get("upload") is not None and st.button(t("app.use_shipped", lang)):
            st.session_state["upload"] = None
            st.rerun()
        return
    try:
        result = _read_upload(file.name, file.getvalue(), coord)
    except (InputError, ValueError) as exc:
        st.error(_md(t("upload.rejected", lang, error=exc)))
        return
    data, problems = result.data, result.problems
    located = int(data["located"].sum()) if "located" in data else len(data)
    digest = hashlib.sha256(file.getvalue() + coord.encode()).hexdigest()
    st.session_state["upload"] = {"data": data, "name": file.name, "key": digest}
    summary = t(
        "upload.summary",
        lang,
        source=file.name,
        rows=len(data) + int((problems["action"] == "rejected").sum()),
        located=located,
        problems=len(problems),
    )
    st.success(_md(summary))
    st.info(t("upload.in_use", lang))
    st.subheader(t("upload.problems", lang))
    if len(problems):
        shown = problems.assign(
            action=problems["action"].map(
                lambda a: t(f"action.{a}", lang) if f"action.{a}" in STRINGS else a
            )
        ).rename(columns={c: t(f"problem.{c}", lang) for c in problems.columns})
        st.dataframe(shown, hide_index=True, width="stretch")
        st.download_button(
            t("upload.download_report", lang),
            problems.to_csv(index=False).encode("utf-8-sig"),
            file_name="validation_report.csv",
            mime="text/csv",
        )
    else:
        st.write(t("upload.no_problems", lang))


def _downloads(lang: Lang, base: dict[str, Any]) -> None:
    """Every layer and result as GeoJSON (RFC 7946), GeoPackage and CSV."""
    st.subheader(t("download.title", lang))
    st.write(t("download.intro", lang))
    surface = st.session_state.get("surface_segment")
    kinds = (*DOWNLOADS, "suitability") if surface in base["chain"].index else DOWNLOADS
    segment_name = (
        base["chain"].loc[surface, "name_zh" if lang == "zh" else "name_en"]
        if surface in base["chain"].index
        else ""
    )
    kind = st.selectbox(
        t("download.layer", lang),
        kinds,
        format_func=lambda k: t(f"download.kind.{k}", lang, segment=segment_name),
        key="download_kind",
    )
    firms, _ = _enterprises()
    files = _layer_files(
        str(kind),
        _base_key(base),
        _enterprises_key(),
        str(surface) if kind == "suitability" else "",
        _base=base,
        _firms=firms,
    )
    for col, fmt in zip(st.columns(len(edits.FILE_FORMATS)), edits.FILE_FORMATS, strict=True):
        col.download_button(
            t(f"download.format.{fmt}", lang),
            files[fmt],
            file_name=f"{kind}.{fmt}",
            mime=edits.MIME_TYPES[fmt],
            on_click="ignore",
            key=f"download_{fmt}",
        )


@st.cache_data(show_spinner=False, max_entries=32)
def _layer_files(
    kind: str,
    base_key: tuple[object, ...],
    firms_key: tuple[object, ...],
    segment: str,
    *,
    _base: dict[str, Any],
    _firms: gpd.GeoDataFrame,
) -> dict[str, bytes]:
    """One layer or result in every download format, cached on cheap keys.

    ``base_key`` and ``firms_key`` stand for ``_base`` and ``_firms`` (not hashed: a
    GeoDataFrame of ten thousand firms would be hashed on every rerun).
    """
    del base_key, firms_key  # cache keys only
    layer = _download_layer(kind, segment, _base, _firms)
    return {fmt: edits.file_bytes(layer, fmt, layer=kind) for fmt in edits.FILE_FORMATS}


def _download_layer(
    kind: str, segment: str, base: dict[str, Any], firms: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    areas, chain = base["areas"], base["chain"]
    if kind in ("districts", "zones", "areas"):
        layer: gpd.GeoDataFrame = base[kind]
    elif kind == "enterprises":
        layer = firms
    elif kind == "check":
        layer = zoning.check(firms, areas=areas, chain=chain)
    elif kind == "targets":
        targets = zoning.investment_targets(firms, areas=areas, chain=chain)
        layer = edits.on_areas(targets, areas)
    elif kind == "chain_gaps":
        layer = edits.on_areas(zoning.chain_gaps(firms, areas=areas, chain=chain), areas)
    elif kind == "spatial_gaps":
        layer = zoning.spatial_gaps(firms, areas=areas)
    elif kind == "clusters":
        layer = zoning.clusters(firms, areas=areas, chain=chain).summary
    else:
        layer = zoning.suitability_grid(
            segment, cell_m=SURFACE_CELL_M, enterprises=firms, areas=areas, chain=chain
        )
    return layer


def main() -> None:
    """Render the app once (Streamlit reruns this script on every interaction)."""
    lang = lang_or_default(st.query_params.get("lang"))
    st.set_page_config(page_title=t("app.title", lang), layout="wide")
    lang = st.sidebar.radio(
        t("app.language", lang),
        LANGS,
        index=LANGS.index(lang),
        format_func=LANG_NAMES.__getitem__,
        horizontal=True,
        key="lang",
    )
    _persist("lang", lang)
    page = _url_choice("page", PAGES, "map")
    page = st.sidebar.radio(
        t("app.page", lang),
        PAGES,
        index=PAGES.index(page),
        format_func=lambda p: t(f"page.{p}", lang),
        key="page",
    )
    _persist("page", page)
    st.title(t("app.title", lang))
    base = _load_base(lang)
    if base["zones_problem"]:
        st.error(_md(t("zones.unusable", lang, error=base["zones_problem"])))
    if page == "map":
        _map_page(lang, base)
    elif page == "check":
        _check_page(lang, base)
    elif page == "gaps":
        _gaps_page(lang, base)
    elif page == "site":
        _site_page(lang, base)
    elif page == "zones":
        _zones_page(lang, base)
    else:
        _upload_page(lang)
        _downloads(lang, base)


main()
