"""The progress page: per year, area and segment, every figure against the plan's targets.

Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing. The
figures are :func:`zoning.progress.progress` as it returns them (the command line's
``zoning progress`` shows the same table); this page only chooses, words and draws them.
The "as of" date is kept in the URL (``?as_of=2024-06-30``), with the area and segment,
so a link reproduces the view.
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Final

import pandas as pd
import streamlit as st

import geo
import geo.io
import layers
import layers.events
from app_pages import common
from layers.i18n import Lang, error_text, local_names, t, term
from zoning import progress as plan
from zoning import settings as zoning_settings

__all__ = ["figures_table", "money_spec", "project_events", "render"]

_ALL: Final = "all"
_NONE: Final = "none"
_MONEY: Final = ("investment_cny", "paid_in_cny", "output_cny")
_RATES: Final = ("fulfilment_rate", "start_rate", "production_rate", "funds_rate")
_EARLIEST: Final = datetime.date(1990, 1, 1)
_TARGET_COLOUR: Final = "#d62728"


# --- inputs ---------------------------------------------------------------------------------


def project_events(project: Any, lang: Lang) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Return the project's events, their problems and where they come from.

    ``layers.Project`` carries ``events`` / ``events_problems`` / ``events_version``; a
    project object without them (an older one) gets the shipped events file read for its
    enterprises, as ``zoning progress`` does.

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.DataFrame, str)
        The events (schema of :func:`layers.events.read_events`), their problems table and
        the source's display name (a file name, a store version, or "-" for none).
    """
    events = getattr(project, "events", None)
    if events is not None:
        problems = getattr(project, "events_problems", None)
        if problems is None:
            problems = pd.DataFrame()
        version = getattr(project, "events_version", None)
        if version is not None:
            source = t("time.ui.zones_version", lang, version=version)
        else:  # shipped, or none (another enterprise list's firms have no events)
            source = layers.settings.data_path("events.csv").name if len(events) else "-"
        return events, problems, source
    ids = project.enterprises["id"].astype(str)
    try:
        read = layers.events.read_events(enterprise_ids=ids)
    except geo.InputError as exc:
        st.error(common.md(t("progress.events_unreadable", lang, error=error_text(exc, lang))))
        empty = layers.events.read_events(
            pd.DataFrame(columns=["enterprise_id", "date", "stage"]), enterprise_ids=ids
        )
        return empty.data, empty.problems, ""
    return read.data, read.problems, read.source


def _targets(lang: Lang) -> list[plan.Target]:
    """Return the plan's targets; an unusable targets file is said, and no target is used."""
    try:
        return plan.targets()
    except layers.RuleError as exc:
        st.error(common.md(t("progress.targets_unusable", lang, error=error_text(exc, lang))))
        return []


def _as_of(lang: Lang) -> datetime.date:
    """Draw the "as of" date (default today, or the URL's ``as_of``) and keep it in the URL."""
    today = datetime.date.today()
    try:
        start = datetime.date.fromisoformat(str(st.query_params.get("as_of", "")))
    except ValueError:  # absent or not a date: today
        start = today
    latest = datetime.date(today.year + 10, 12, 31)
    start = min(max(start, _EARLIEST), latest)
    chosen = st.date_input(
        t("time.ui.as_of", lang),
        value=start,
        min_value=_EARLIEST,
        max_value=latest,
        help=t("progress.as_of_help", lang),
        key="progress_as_of",
    )
    when = chosen if isinstance(chosen, datetime.date) else start
    common.persist("as_of", when.isoformat())
    return when


def _choice(label: str, param: str, labels: dict[str, str], *, key: str, column: Any) -> str:
    """Draw one filter (a select box) whose choice is kept in the URL as ``param``."""
    options = tuple(labels)
    start = common.url_choice(param, options, _ALL)
    chosen = column.selectbox(
        label, options, index=options.index(start), format_func=labels.__getitem__, key=key
    )
    value = chosen if chosen in labels else _ALL
    common.persist(param, value)
    return value


def _area_labels(project: layers.Project, lang: Lang) -> dict[str, str]:
    names = local_names(project.areas, lang)
    labels = {_ALL: t("progress.all_areas", lang)}
    labels.update({str(k): str(v) for k, v in names.items()})
    labels[_NONE] = t("time.none", lang)
    return labels


def _segment_labels(project: layers.Project, lang: Lang) -> dict[str, str]:
    names = local_names(project.chain, lang)
    present = sorted(set(project.enterprises["segment"].dropna().astype(str)))
    labels = {_ALL: t("progress.all_segments", lang)}
    labels.update({s: str(names.get(s, s)) for s in present})
    return labels


# --- the figures ------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _table(
    key: tuple[object, ...],
    as_of: str,
    segment: str,
    events: pd.DataFrame,
    goals: tuple[plan.Target, ...],
    *,
    _project: layers.Project,
) -> pd.DataFrame:
    """Return the progress table for one date and segment, once per project state.

    ``key`` (the project's cheap key and zones version) stands for the unhashed project
    (the events and targets are hashed): with thousands of firms the point-in-area test
    costs seconds per view.
    """
    del key  # a cache key only
    firms = _project.enterprises
    if segment != _ALL:
        firms = firms[firms["segment"].astype(str) == segment]
    mine = events[events["enterprise_id"].astype(str).isin(firms["id"].astype(str))]
    return plan.progress(firms, mine, as_of=as_of, areas=_project.areas, target_list=list(goals))


def _number(value: float, metric: str, unit: str, lang: Lang) -> str:
    """Say one figure as a planner reads it: 亿元 / bn yuan, per cent, counts, capacity."""
    if not math.isfinite(value):
        return t("progress.unknown", lang)
    if metric in _MONEY:
        return t("progress.money", lang, value=value / (1e8 if lang == "zh" else 1e9))
    if metric in _RATES:
        return t("progress.percent", lang, value=value)
    if metric == "output_growth":
        return t("progress.growth", lang, value=value)
    if metric == "capacity":
        return f"{value:,.0f} {unit}" if value == round(value) else f"{value:,.2f} {unit}"
    return f"{value:,.0f}"


def _metric_name(metric: str, unit: str, lang: Lang) -> str:
    if metric.startswith("firms."):
        stage = t(f"time.stage.{metric.split('.', 1)[1]}", lang)
        return t("progress.metric.firms_at", lang, stage=stage)
    if metric == "capacity":
        return t("progress.metric.capacity_in", lang, unit=unit)
    return t(f"time.metric.{metric}", lang)


def _basis(records: int, newest: str, lang: Lang) -> str:
    """Say what a figure rests on: "4 records, newest 2023-05-27"."""
    if not records:
        return t("progress.no_records", lang)
    if not newest:
        return t("progress.basis_undated", lang, n=records)
    if records == 1:
        return t("progress.basis_one", lang, date=newest)
    return t("progress.basis", lang, n=records, date=newest)


def _result(row: pd.Series, lang: Lang) -> str:
    """Say a figure against its target: met, missed, or not known (never "missed" for no data)."""
    if pd.isna(row["target"]):
        return ""
    if row["met"] is True:
        return t("progress.met", lang)
    if row["met"] is False:
        return t("progress.missed", lang)
    return t("progress.not_known", lang)


def figures_table(rows: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return the rows of :func:`zoning.progress.progress` worded for the page, in ``lang``."""
    out = pd.DataFrame(index=rows.index)
    out[t("progress.col.year", lang)] = rows["year"].astype(int)
    out[t("progress.col.metric", lang)] = [
        _metric_name(m, u, lang) for m, u in zip(rows["metric"], rows["unit"], strict=True)
    ]
    out[t("progress.col.value", lang)] = [
        _number(float(v), m, u, lang)
        for v, m, u in zip(rows["value"], rows["metric"], rows["unit"], strict=True)
    ]
    out[t("progress.col.basis", lang)] = [
        _basis(int(n), str(d or ""), lang)
        for n, d in zip(rows["records"], rows["newest"], strict=True)
    ]
    # An age only where records back the figure (a rate over no project has none); text,
    # so that a figure without one shows blank rather than "None".
    out[t("progress.col.age", lang)] = [
        f"{int(a)}" if n and pd.notna(a) else ""
        for a, n in zip(rows["age_days"], rows["records"], strict=True)
    ]
    out[t("progress.col.target", lang)] = [
        ""
        if pd.isna(v)
        else t("progress.target_value", lang, comparison=c, value=_number(float(v), m, "", lang))
        for v, c, m in zip(rows["target"], rows["comparison"], rows["metric"], strict=True)
    ]
    out[t("progress.col.result", lang)] = [_result(r, lang) for _, r in rows.iterrows()]
    out[t("progress.col.source", lang)] = rows["target_source"].fillna("")
    return out.reset_index(drop=True)


# --- charts -----------------------------------------------------------------------------------


def _stage_chart(rows: pd.DataFrame, lang: Lang) -> None:
    counts = rows[rows["metric"].str.startswith("firms.")]
    if counts.empty:
        st.caption(t("progress.chart.empty", lang))
        return
    stage = t("progress.chart.stage", lang)
    long = pd.DataFrame(
        {
            "year": counts["year"].astype(int).astype(str),
            stage: [t(f"time.stage.{m.split('.', 1)[1]}", lang) for m in counts["metric"]],
            "n": counts["value"].astype(int),
        }
    )
    wide = long.pivot_table(index="year", columns=stage, values="n", aggfunc="sum", fill_value=0)
    st.bar_chart(
        wide,
        x_label=t("progress.col.year", lang),
        y_label=t("progress.chart.projects", lang),
    )


def money_spec(rows: pd.DataFrame, lang: Lang) -> dict[str, Any] | None:
    """Return the Vega-Lite spec of the money figures per year with their targets (or None)."""
    scale = 1e8 if lang == "zh" else 1e9
    money = rows[rows["metric"].isin(_MONEY)]
    triples = list(
        zip(
            money["year"].astype(int),
            money["metric"].astype(str),
            zip(money["value"].astype(float), money["target"].astype(float), strict=True),
            strict=True,
        )
    )

    def point(year: int, metric: str, value: float) -> dict[str, Any]:
        name = t(f"time.metric.{metric}", lang)
        label = t("progress.chart.target_label", lang, figure=name)
        return {"year": str(year), "figure": name, "value": round(value / scale, 4), "label": label}

    bars = [point(y, m, v) for y, m, (v, _) in triples if math.isfinite(v)]
    goals = [point(y, m, g) for y, m, (_, g) in triples if math.isfinite(g)]
    if not bars and not goals:
        return None
    axis = t("progress.chart.money_axis", lang)
    x = {"field": "year", "type": "ordinal", "title": t("progress.col.year", lang)}
    y = {"field": "value", "type": "quantitative", "title": axis}
    figure = {"field": "figure", "type": "nominal", "title": t("progress.chart.figure", lang)}
    tooltip = [x, figure, {**y, "format": ",.2f"}]
    layers_: list[dict[str, Any]] = [
        {
            "data": {"values": bars},
            "mark": "bar",
            "encoding": {"x": x, "xOffset": figure, "y": y, "color": figure, "tooltip": tooltip},
        }
    ]
    if goals:
        # In the slot of the figure it is for (the shared x-offset scale keeps an empty slot
        # for a figure with a target but no value), labelled, so that a target for output
        # is not read as one for the investment bar beside it.
        where = {"x": x, "xOffset": figure, "y": y}
        target = t("progress.chart.target", lang)
        layers_ += [
            {
                "data": {"values": goals},
                "mark": {"type": "tick", "color": _TARGET_COLOUR, "thickness": 3},
                "encoding": {**where, "tooltip": [x, figure, {**y, "title": target}]},
            },
            {
                "data": {"values": goals},
                "mark": {"type": "text", "color": _TARGET_COLOUR, "dy": -8},
                "encoding": {**where, "text": {"field": "label"}},
            },
        ]
    return {"layer": layers_}


def _money_chart(rows: pd.DataFrame, lang: Lang) -> None:
    spec = money_spec(rows, lang)
    if spec is None:
        st.caption(t("progress.chart.empty", lang))
        return
    st.vega_lite_chart(spec, width="stretch")
    st.caption(t("progress.chart.money_caption", lang))


# --- freshness and intensity --------------------------------------------------------------------


def _freshness(firms: pd.DataFrame, events: pd.DataFrame, when: datetime.date, lang: Lang) -> None:
    """Show every record known by ``when`` with its age; stale ones flagged."""
    st.subheader(t("progress.freshness", lang))
    cutoff = pd.Timestamp(when)
    known = events[events["start"].isna() | (events["start"] <= cutoff)]
    names = local_names(firms, lang).set_axis(firms["id"].astype(str))
    status = firms["status"].astype(str)
    parts = [
        pd.DataFrame(
            {
                "record": t("progress.record.event", lang),
                "id": known["enterprise_id"].astype(str),
                "date": known["date"].astype(str),
                "stage": [t(f"time.stage.{s}", lang) for s in known["stage"]],
                "source": known["source"].astype(str),
                "_frame": "event",
            }
        ),
        pd.DataFrame(
            {
                "record": t("progress.record.enterprise", lang),
                "id": firms["id"].astype(str),
                "date": firms["as_of"].fillna("").astype(str),
                "stage": [term("status", s, lang, default=s) for s in status],
                "source": firms["source"].fillna("").astype(str),
                "_frame": "enterprise",
            }
        ),
    ]
    records = pd.concat(parts, ignore_index=True)
    age = plan.freshness(records.rename(columns={"date": "as_of"}), as_of=when.isoformat())
    shown = records.assign(age_days=age["age_days"].astype("Int64"), stale=age["stale"])
    # A record dated after the day asked about was not made yet then.
    shown = shown[shown["age_days"].isna() | (shown["age_days"] >= 0)]
    months = zoning_settings.stale_after_months
    st.caption(
        t(
            "progress.freshness_caption",
            lang,
            date=when.isoformat(),
            stale=int(shown["stale"].sum()),
            total=len(shown),
            months=months,
        )
    )
    table = pd.DataFrame(
        {
            t("progress.col.record", lang): shown["record"],
            t("progress.col.firm", lang): shown["id"].map(names).fillna(shown["id"]),
            t("progress.col.date", lang): shown["date"],
            t("progress.col.stage", lang): shown["stage"],
            t("progress.col.record_source", lang): shown["source"],
            t("progress.col.age_days", lang): shown["age_days"],
            t("progress.col.stale", lang): shown["stale"].astype(bool),
        }
    ).reset_index(drop=True)
    st.dataframe(table, hide_index=True, width="stretch")


def _intensity(
    project: layers.Project,
    firms: pd.DataFrame,
    events: pd.DataFrame,
    *,
    area: str,
    when: datetime.date,
    lang: Lang,
    goals: list[plan.Target],
) -> None:
    st.subheader(t("progress.intensity", lang))
    found = plan.intensity(
        firms, events, as_of=when.isoformat(), areas=project.areas, target_list=goals
    )
    if area != _ALL:
        found = found[found["area"] == area]
    if found.empty:
        st.write(t("progress.no_land", lang))
        return
    names = local_names(firms, lang).set_axis(firms["id"].astype(str))
    areas = _area_labels(project, lang)
    per_mu = [
        "investment_per_mu",
        "output_per_mu",
    ]
    table = pd.DataFrame(
        {
            t("progress.col.firm", lang): [
                names.get(i, i) if i else t("progress.col.area_total", lang) for i in found["id"]
            ],
            t("progress.area", lang): [areas.get(str(a), str(a)) for a in found["area"]],
            t("progress.col.land_mu", lang): found["land_mu"].round(1),
        }
    )
    for metric in per_mu:
        table[t(f"time.metric.{metric}", lang)] = [
            t("progress.unknown", lang)
            if not math.isfinite(float(v))
            else t("progress.per_mu", lang, value=float(v) / 1e4)
            for v in found[metric]
        ]
    st.dataframe(table.reset_index(drop=True), hide_index=True, width="stretch")
    has_threshold = any(found[f"threshold_{m}"].notna().any() for m in per_mu)
    st.caption(
        t(
            "progress.intensity_caption",
            lang,
            thresholds="" if has_threshold else t("progress.no_thresholds", lang),
        )
    )


# --- the page ---------------------------------------------------------------------------------


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    project = common.project()
    st.write(t("progress.intro", lang))
    events, problems, source = project_events(project, lang)
    goals = _targets(lang)
    date_col, area_col, segment_col = st.columns(3)
    with date_col:
        when = _as_of(lang)
    area = _choice(
        t("progress.area", lang),
        "area",
        _area_labels(project, lang),
        key="progress_area",
        column=area_col,
    )
    segment = _choice(
        t("progress.segment", lang),
        "segment",
        _segment_labels(project, lang),
        key="progress_segment",
        column=segment_col,
    )
    firms = project.enterprises
    if segment != _ALL:
        firms = firms[firms["segment"].astype(str) == segment]
    shown_events = events[events["enterprise_id"].astype(str).isin(firms["id"].astype(str))]
    st.caption(
        common.md(
            t(
                "progress.selection",
                lang,
                date=when.isoformat(),
                firms=len(firms),
                events=int((shown_events["start"] <= pd.Timestamp(when)).sum()),
                source=source,
            )
        )
    )
    if len(problems):
        column = "problem_zh" if lang == "zh" else "problem"
        st.warning(t("progress.event_problems", lang, n=len(problems)))
        st.dataframe(problems[["row", column, "action"]], hide_index=True)
    key = (common.project_key(), project.zones_version)
    table = _table(key, when.isoformat(), segment, events, tuple(goals), _project=project)
    rows = table[(table["area"] == area) & (table["segment"] == _ALL)] if len(table) else table
    st.subheader(t("progress.figures", lang))
    if rows.empty:
        st.info(t("progress.no_firms", lang))
    else:
        # The latest year first: the one a reader asks about; earlier years below it.
        latest_first = rows.sort_values("year", ascending=False, kind="stable")
        st.dataframe(figures_table(latest_first, lang), hide_index=True, width="stretch")
        st.caption(t("progress.figures_caption", lang))
    st.download_button(
        t("progress.download", lang),
        geo.io.table_csv(table),
        file_name=f"progress_{when.isoformat()}.csv",
        mime="text/csv",
        key="progress_download",
    )
    if not rows.empty:
        st.subheader(t("progress.chart.stages", lang))
        _stage_chart(rows, lang)
        st.subheader(t("progress.chart.money", lang))
        _money_chart(rows, lang)
    _freshness(firms, shown_events, when, lang)
    _intensity(project, firms, shown_events, area=area, when=when, lang=lang, goals=goals)


if __name__ == "__main__":
    render()
