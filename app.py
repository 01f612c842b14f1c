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

import os
import re
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
import zoning
from layers import assets, draw
from layers.i18n import LANGS, STRINGS, Lang, lang_or_default, t

PAGES = ("map", "check", "gaps", "site", "zones", "upload")
ZONES_LAYER = "zones"
_ZONE_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
LANG_NAMES = {"zh": "中文", "en": "English"}
COORD_SYSTEMS = ("wgs84", "gcj02", "bd09")
UPLOAD_TYPES = ("csv", "xlsx", "geojson", "json", "gpkg", "zip", "kml")
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
        segment, cell_m=1000.0, enterprises=firms, areas=base["areas"], chain=base["chain"]
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
    table = pd.DataFrame(
        {
            t("field.id", lang): result["id"],
            t("field.name", lang): result[f"name_{lang}"].where(
                result[f"name_{lang}"].astype(str).str.strip() != "", result["name_zh"]
            ),
            t("field.segment", lang): result["segment"].map(lambda s: names.get(s, s)),
            t("field.verdict", lang): labels,
            t("field.area", lang): result["area"]
            .astype(str)
            .map(lambda keys: sep.join(area_names.get(k, k) for k in keys.split(";") if k)),
            t("field.reason", lang): result[f"reason_{lang}"].astype(str),
        }
    )
    st.subheader(t("check.table", lang))
    # st.dataframe shows every cell as text: names like "<img onerror=...>" stay inert.
    st.dataframe(table, hide_index=True, width="stretch")
    export = pd.DataFrame(result.drop(columns="geometry"))
    st.download_button(
        t("check.download_csv", lang),
        export.astype(dict.fromkeys(("verdict", "area", "rule", "reason_zh", "reason_en"), str))
        .to_csv(index=False)
        .encode("utf-8-sig"),
        file_name="zoning_check.csv",
        mime="text/csv",
    )


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
    status = gaps["status"].map(lambda v: t(f"gaps.status.{v}", lang))
    cells = gaps["count"].astype(str) + " · " + status
    matrix = (
        pd.DataFrame(
            {
                "segment": gaps[f"name_{lang}"],
                "area": gaps["area"].map(lambda k: area_names.get(k, k)),
                "cell": cells,
            }
        )
        .pivot_table(index="segment", columns="area", values="cell", aggfunc="first", sort=False)
        .fillna("")
    )
    matrix.index.name = t("field.segment", lang)
    matrix.columns.name = None
    st.subheader(t("gaps.matrix", lang))
    st.dataframe(matrix, width="stretch")
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


def _site_page(lang: Lang, base: dict[str, Any]) -> None:
    st.write(t("site.intro", lang))
    basemap = _url_choice("basemap", draw.BASEMAPS, "osm")
    if basemap == "tianditu" and not draw.valid_tianditu_key(_tianditu_key()):
        basemap = "none"
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
    fmap = draw.new_map(
        basemap=basemap, lang=lang, tianditu_key=_tianditu_key(), location=(result.lat, result.lon)
    )
    draw.add_districts(fmap, base["districts"], lang=lang, basemap=basemap)
    draw.add_areas(fmap, base["areas"], lang=lang, chain=base["chain"], basemap=basemap)
    draw.add_enterprises(fmap, firms, chain=base["chain"], lang=lang, basemap=basemap)
    draw.add_site(
        fmap, result.lon, result.lat, lang=lang, links=links, chain=base["chain"], basemap=basemap
    )
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


def _edited_zones(
    zones: gpd.GeoDataFrame, zone_id: str, shape: Any, *, name_zh: str, name_en: str
) -> gpd.GeoDataFrame:
    """Return ``zones`` with ``zone_id``'s boundary replaced by ``shape`` (or added)."""
    from geo.crs import WORKING

    out = zones.copy()
    row = {"zone_id": zone_id, "name_zh": name_zh, "name_en": name_en, "boundary_source": "drawn"}
    hit = out["zone_id"] == zone_id
    if hit.any():
        index = out.index[hit][0]
        out = out[~hit | (out.index == index)]
    else:
        index = (max(out.index) + 1) if len(out) else 0
        out.loc[index, "level"] = ""
    for column, value in row.items():
        out.loc[index, column] = value
    out.loc[index, "geometry"] = shape
    out = out.set_crs(zones.crs, allow_override=True)
    metric = gpd.GeoSeries([shape], crs=zones.crs).to_crs(WORKING)
    out.loc[index, "area_km2"] = float(metric.area.iloc[0]) / 1e6
    return out.reset_index(drop=True)


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
    _zone_form(lang, base, shapes, target)
    _zone_history(lang, target)


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
    edited = _edited_zones(
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
    st.session_state["upload"] = {"data": data, "name": file.name}
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
    st.download_button(
        t("upload.download_geojson", lang),
        data.to_json(drop_id=True, ensure_ascii=False).encode("utf-8"),
        file_name="enterprises_clean.geojson",
        mime="application/geo+json",
    )
    st.download_button(
        t("upload.download_csv", lang),
        pd.DataFrame(data.drop(columns="geometry")).to_csv(index=False).encode("utf-8-sig"),
        file_name="enterprises_clean.csv",
        mime="text/csv",
    )


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


main()
