"""The zoning-check page: every enterprise's verdict and reason, on a map and in a table.

Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.
"""

from __future__ import annotations

import datetime
import threading
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
import maps
import zoning
from app_pages import _as_of, common
from layers.i18n import Lang, t
from zoning import tables

__all__ = ["render"]

# A click on the map picks the nearest enterprise within this distance: at the zoom where single
# markers show, a marker's radius is a few pixels, up to a couple of kilometres.
CLICK_REACH_M = 2000.0
# Five lines of text per row: a reason (100-200 characters) wraps within the wide column
# instead of being cut; the selected row's full reason is also shown above the map.
_ROW_HEIGHT = 100
# From this many enterprises the first check of a project state shows a progress bar: the
# check then takes about a second or more on a 2-core server (and a large upload several),
# long enough for a blank page to look broken; below it the bar would only flicker.
PROGRESS_MIN_ROWS = 20_000
# The bar is redrawn at most this often (seconds): smooth enough, and few messages.
_DRAW_EVERY_S = 0.1


class _ProgressBar:
    """The check's progress (``zoning.check``'s ``progress``), drawn in a placeholder.

    The check runs in a worker thread (see :func:`_checked_with_bar`) and only records
    the counts it reports (:meth:`__call__`); the page's own thread draws them
    (:meth:`draw`). ``shown`` keeps every text drawn, in order, for the tests: the bar is
    removed when the check is done, so it is no longer in the page they can read.
    """

    def __init__(self, slot: Any, lang: Lang) -> None:
        self.slot = slot
        self.lang = lang
        self.heard: tuple[int, int] | None = None  # the latest (done, total) reported
        self.drawn: tuple[int, int] | None = None
        self.shown: list[str] = []

    def __call__(self, done: int, total: int) -> None:
        """Record ``done`` of ``total`` rows checked (called by the check's thread)."""
        self.heard = (done, total)  # one assignment: the page's thread reads it whole

    def draw(self) -> None:
        """Show the latest count, if it changed since the last drawn."""
        heard = self.heard
        if heard is None or heard == self.drawn:
            return
        done, total = heard
        text = t("check.progress", self.lang, done=f"{done:,}", total=f"{total:,}")
        self.slot.progress(done / total if total else 1.0, text=text)
        self.drawn = heard
        self.shown.append(text)

    def close(self) -> None:
        """Remove the bar."""
        self.slot.empty()


@st.cache_data(show_spinner=False, max_entries=16)
def _checked(
    key: tuple[object, ...],
    *,
    _project: layers.Project,
    _progress: _ProgressBar | None = None,
) -> gpd.GeoDataFrame:
    """Check every enterprise once per project state, shared by every session.

    ``key`` (the project's cheap key, its zones version and the "as of" date, None for
    today) stands for ``_project``, which is not hashed: with 10,000 firms the check cost
    seconds of server CPU on every view. ``_progress`` (not hashed either) hears how far
    the check is; it is called only when the check runs, not on a cache hit.
    """
    del key  # a cache key only
    return zoning.check(
        _project.enterprises, areas=_project.areas, chain=_project.chain, progress=_progress
    )


def _checked_with_bar(
    key: tuple[object, ...], lang: Lang, project: layers.Project
) -> gpd.GeoDataFrame:
    """Return :func:`_checked`, with a progress bar while a large project is first checked.

    The cached function runs in a worker thread while this one draws what it reports: an
    element drawn inside ``st.cache_data`` would be recorded and replayed on every later
    hit, and a cache hit reports nothing, so the bar appears only when the check runs.
    """
    if len(project.enterprises) < PROGRESS_MIN_ROWS:
        return _checked(key, _project=project)
    bar = _ProgressBar(st.empty(), lang)  # an empty placeholder until the check reports
    done: list[gpd.GeoDataFrame] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            done.append(_checked(key, _project=project, _progress=bar))
        except BaseException as exc:  # noqa: BLE001  (re-raised in the page's thread)
            failed.append(exc)

    worker = threading.Thread(target=work, name="check-progress", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            bar.draw()
            worker.join(_DRAW_EVERY_S)
        bar.draw()  # the last count, if the check ended between two draws
    finally:
        bar.close()
    if failed:
        raise failed[0]
    return done[0]


@st.cache_data(show_spinner=False, max_entries=32)
def _table(key: tuple[object, ...], lang: Lang, *, _project: layers.Project) -> pd.DataFrame:
    """Return the check table of every firm in ``lang``, once per project state (as above)."""
    everything = _checked(key, _project=_project)
    return tables.check_table(everything, areas=_project.areas, chain=_project.chain, lang=lang)


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    current = common.project()
    st.write(t("check.intro", lang))
    # The date checked (today: the current project, the cache entries of every session).
    day = _as_of.choose(lang, current)
    dated = _as_of.cache_key(current, day)
    project = _as_of.project_then(current, (*common.project_key(), *dated), day)
    st.caption(_as_of.caption(lang, current, project, day))
    firms = project.enterprises
    key = (common.project_key(), project.zones_version, *dated)
    everything = _checked_with_bar(key, lang, project)
    result = everything.loc[_filters(lang, everything, project)]
    firms = firms.loc[result.index]
    st.subheader(t("check.summary", lang))
    st.caption(t("check.filtered", lang, n=len(result), total=len(everything)))
    st.markdown(f"**{t('check.counts_title', lang)}**")
    counts = tables.verdict_area_counts(result, areas=project.areas, lang=lang)
    st.dataframe(counts, column_config=_count_columns(counts))
    table = _table(key, lang, _project=project).loc[result.index]
    basemap = common.basemap()
    picked = _pick(result, basemap)
    st.subheader(t("check.map", lang))
    st.caption(t("check.select_hint", lang))
    centre = None  # (lat, lon) in WGS 84 of the picked enterprise, if it has a site
    name = ""
    if picked is not None:
        row = table.loc[picked]
        name = str(row[t("field.name", lang)])
        st.info(
            common.md(
                t(
                    "check.selected",
                    lang,
                    name=name,
                    id=row[t("field.id", lang)],
                    verdict=row[t("field.verdict", lang)],
                    reason=row[t("field.reason", lang)],
                )
            )
        )
        point = result.geometry.loc[picked]
        if bool(firms.loc[picked, "located"]) and point is not None:
            centre = (float(point.y), float(point.x))
        else:
            st.caption(t("check.selected_unlocated", lang))
    shown_centre = None if centre is None else maps.display_centre(centre, basemap)
    fmap = maps.new_map(
        basemap=basemap,
        lang=lang,
        tianditu_key=common.tianditu_key(),
        location=maps.NANCHANG_CENTRE if shown_centre is None else shown_centre,
        zoom_start=9 if shown_centre is None else 14,
    )
    if centre is None:
        maps.fit(fmap, project.districts)
    maps.add_areas(fmap, project.areas, lang=lang, chain=project.chain, basemap=basemap)
    maps.add_enterprises(fmap, firms, chain=project.chain, lang=lang, basemap=basemap)
    if centre is not None:
        maps.add_highlight(fmap, centre[1], centre[0], label=name, basemap=basemap)
    maps.finish(fmap, lang=lang)
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
    # Rows tall enough for three lines: long text (reasons, areas) wraps instead of being cut.
    # Pixel widths that add up to the page's width at 1400 px, so nothing scrolls sideways;
    # area names break at spaces (en) or anywhere (zh) in 130 px without splitting words.
    wide = st.column_config.TextColumn(width=380)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="check_table",
        on_select="rerun",
        selection_mode="single-row",
        row_height=_ROW_HEIGHT,
        column_config={
            t("field.id", lang): st.column_config.TextColumn(width="small"),
            t("field.name", lang): st.column_config.TextColumn(width=180),
            t("field.segment", lang): st.column_config.TextColumn(width="small"),
            t("field.verdict", lang): st.column_config.TextColumn(width="small"),
            t("field.area", lang): st.column_config.TextColumn(width=130),
            t("field.reason", lang): wide,
        },
    )
    st.download_button(
        t("check.download_csv", lang),
        _csv(result),
        file_name="zoning_check.csv",
        mime="text/csv",
    )
    _compare(lang, current, day)


def _compare(lang: Lang, project: layers.Project, day: datetime.date | None) -> None:
    """Draw "what changed between two dates": the page's date and a second one."""
    with st.expander(t("time.ui.compare", lang)):
        first = day or datetime.date.today()
        second = _as_of.compare_date(lang, project)
        a, b = sorted((first, second))
        if a == b:
            st.caption(t("time.ui.compare_same", lang))
            return
        st.caption(t("time.ui.compare_intro", lang, a=a.isoformat(), b=b.isoformat()))
        table = _as_of.changes_table(lang, project, a, b, project_key=common.project_key())
        if table.empty:
            st.caption(t("time.ui.compare_none", lang, a=a.isoformat(), b=b.isoformat()))
            return
        st.dataframe(table, hide_index=True, key="as_of_changes")


def _filters(lang: Lang, result: gpd.GeoDataFrame, project: layers.Project) -> pd.Series:
    """Draw the filters (verdict, area, segment, status) and return the rows they keep."""
    options = tables.check_filter_options(
        result, areas=project.areas, chain=project.chain, lang=lang
    )
    st.markdown(f"**{t('check.filter_title', lang)}**")
    chosen: dict[str, list[str]] = {}
    for col, name in zip(st.columns(len(options)), options, strict=True):
        labels = options[name]
        chosen[name] = col.multiselect(
            t(f"check.filter_{name}", lang),
            list(labels),
            format_func=labels.__getitem__,
            placeholder=t("check.filter_all", lang),
            key=f"check_filter_{name}",
        )
    return tables.check_filter(
        result,
        verdicts=chosen["verdict"],
        areas=chosen["area"],
        segments=chosen["segment"],
        statuses=chosen["status"],
    )


def _csv(result: gpd.GeoDataFrame) -> bytes:
    """Return the check as a CSV file (written by :func:`geo.io.write`, as every download)."""
    from layers import edits

    return edits.file_bytes(result, "csv", layer="check")


def _pick(result: gpd.GeoDataFrame, basemap: str) -> Any:
    """Return the index label of the enterprise chosen by table row or marker click.

    Whichever changed last wins; the choice is kept (by enterprise id) across reruns and
    dropped when the data no longer hold that id.
    """
    state = st.session_state.get("check_table")
    try:
        rows = list(state["selection"]["rows"]) if state else []
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
        label = maps.clicked_row(result, click, basemap, max_m=CLICK_REACH_M)
        if label is not None:
            picked_id = str(result.loc[label, "id"])
    st.session_state["check_pick"] = picked_id
    if picked_id is None:
        return None
    hit = result.index[pd.Series(result["id"]).astype(str) == picked_id]
    return hit[0] if len(hit) else None


def _count_columns(counts: pd.DataFrame) -> dict[str, Any]:
    """Give the counts table fixed widths, with each header's full name as its tooltip.

    The plan's area names are long (in English up to 80 characters): sized to their
    headers, the last columns fell off a 1400-px screen and the verdicts were cut.
    """
    config: dict[str, Any] = {"_index": st.column_config.TextColumn(width=240)}
    for name in counts.columns:
        config[str(name)] = st.column_config.NumberColumn(str(name), width=130, help=str(name))
    return config


if __name__ == "__main__":
    render()
