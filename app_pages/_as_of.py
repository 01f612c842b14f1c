"""The "as of" date of the map and check pages: a slider, the project then, what changed.

The date lives in the URL (``?as_of=2023-06-30``) so a link reproduces the view; without
it (or with a value that is not a date) the pages show today, the current state, exactly
as before: the same project object, the same cache entries shared by every session. A past
date gives :func:`zoning.timeline.project_as_of`: the firms signed by then at their stage
then, on the zones of the store version current then. Firms no date places are kept with
status "unknown", as ``zoning check --as-of`` keeps them, and the caption says how many.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Final

import pandas as pd
import streamlit as st

import layers
from layers.i18n import Lang, t
from zoning import timeline

__all__ = [
    "AS_OF_PARAM",
    "COMPARE_PARAM",
    "cache_key",
    "caption",
    "changes_table",
    "choose",
    "compare_date",
    "events",
    "project_then",
]

AS_OF_PARAM: Final = "as_of"
"""URL parameter (and slider key) of the date shown."""
COMPARE_PARAM: Final = "as_of_compare"
"""URL parameter (and widget key) of the check page's second date."""
_KEPT: Final = "chosen_as_of"
"""Session key of the date chosen on either page (a widget's own state is dropped while its
page is not shown, so moving from the map to the check keeps the date under this one)."""
_ISO: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPAN: Final = datetime.timedelta(days=5 * 365)
"""How far back the slider reaches when no event or as-of date gives a start."""


def events(project: layers.Project) -> pd.DataFrame:
    """Return the project's events (``layers.events.read_events(...).data`` schema)."""
    found: pd.DataFrame | None = getattr(project, "events", None)
    if found is not None:
        return found
    # Projects made before events joined layers.Project: the shipped events of its firms.
    import layers.events

    ids = project.enterprises["id"].astype(str)
    read: pd.DataFrame = layers.events.read_events(enterprise_ids=ids).data
    return read


def _bounds(project: layers.Project, today: datetime.date) -> datetime.date:
    """Return the slider's first day: the earliest event, else the earliest as-of date."""
    dates: list[Any] = [
        *pd.to_datetime(events(project).get("start", pd.Series(dtype=object)), errors="coerce"),
    ]
    if not any(pd.notna(d) for d in dates):
        as_of = project.enterprises.get("as_of", pd.Series(dtype=object))
        dates = [*pd.to_datetime(as_of, errors="coerce", format="mixed")]
    known = [pd.Timestamp(d).date() for d in dates if pd.notna(d)]
    lo = min(known) if known else today - _SPAN
    # A slider needs two distinct ends; an event dated today or later still leaves a range.
    return min(lo, today - datetime.timedelta(days=1))


def _parse(value: object) -> datetime.date | None:
    """Return ``value`` as a date if it is ``YYYY-MM-DD`` (anything else: None)."""
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _url_date(param: str, lo: datetime.date, today: datetime.date) -> datetime.date | None:
    """Return the URL's date for ``param`` within [lo, today]; None if absent or invalid."""
    day = _parse(st.query_params.get(param))
    if day is None:
        return None
    return min(max(day, lo), today)


def _keep_in_url(param: str, day: datetime.date, today: datetime.date) -> None:
    """Write ``day`` to the URL, or drop the parameter when it is today (the default)."""
    if day >= today:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != day.isoformat():
        st.query_params[param] = day.isoformat()


def choose(lang: Lang, project: layers.Project) -> datetime.date | None:
    """Draw the "as of" slider; return the date chosen, or None for today (current state)."""
    today = datetime.date.today()
    lo = _bounds(project, today)
    kept = _parse(st.session_state.get(_KEPT))
    initial = _url_date(AS_OF_PARAM, lo, today) or (
        min(max(kept, lo), today) if kept is not None else today
    )
    day = st.slider(
        t("time.ui.as_of", lang),
        min_value=lo,
        max_value=today,
        value=initial,
        step=datetime.timedelta(days=1),
        format="YYYY-MM-DD",
        help=t("time.ui.as_of_help", lang),
        key=AS_OF_PARAM,
    )
    _keep_in_url(AS_OF_PARAM, day, today)
    st.session_state[_KEPT] = day.isoformat()
    return None if day >= today else day


def cache_key(project: layers.Project, day: datetime.date | None) -> tuple[object, ...]:
    """Return the date's part of a cache key (None for today: the entries of before)."""
    if day is None:
        return (None,)
    return (day.isoformat(), getattr(project, "events_version", None))


def project_then(
    project: layers.Project, project_key: tuple[object, ...], day: datetime.date | None
) -> layers.Project:
    """Return ``project`` as of ``day`` (``project`` itself for today), once per state."""
    if day is None:
        return project
    return _then((project_key, *cache_key(project, day)), day.isoformat(), _project=project)


# Shared by every session: the project then depends only on the project state (its key:
# store version, settings, this session's upload, events version) and the date, and opening
# the store for the zones then costs a database round trip. Nothing mutates a project.
@st.cache_resource(show_spinner=False, max_entries=16)
def _then(key: tuple[object, ...], day: str, *, _project: layers.Project) -> layers.Project:
    del key  # a cache key only
    then: layers.Project = timeline.project_as_of(_project, day, events=events(_project))
    return then


def caption(
    lang: Lang, project: layers.Project, then: layers.Project, day: datetime.date | None
) -> str:
    """Say what is shown: the date, how many firms of how many, which zones, undated ones."""
    version = then.zones_version
    zones = (
        t("time.ui.zones_shipped", lang)
        if version is None
        else t("time.ui.zones_version", lang, version=version)
    )
    if day is None:
        return t(
            "time.ui.today",
            lang,
            date=datetime.date.today().isoformat(),
            n=len(project.enterprises),
            zones=zones,
        )
    said = t(
        "time.ui.then",
        lang,
        date=day.isoformat(),
        n=len(then.enterprises),
        total=len(project.enterprises),
        zones=zones,
    )
    basis = then.enterprises.get("time_basis", pd.Series(dtype=object))
    undated = int((basis == "undated").sum())
    if undated:
        said += " " + t("time.ui.undated", lang, n=undated)
    return said


def compare_date(lang: Lang, project: layers.Project) -> datetime.date:
    """Draw the second date of a comparison (default today); return it."""
    today = datetime.date.today()
    lo = _bounds(project, today)
    initial = _url_date(COMPARE_PARAM, lo, today) or today
    second = st.date_input(
        t("time.ui.compare_date", lang),
        value=initial,
        min_value=lo,
        max_value=today,
        format="YYYY-MM-DD",
        key=COMPARE_PARAM,
    )
    chosen = second if isinstance(second, datetime.date) else today
    _keep_in_url(COMPARE_PARAM, chosen, today)
    return chosen


def changes_table(
    lang: Lang,
    project: layers.Project,
    a: datetime.date,
    b: datetime.date,
    *,
    project_key: tuple[object, ...],
) -> pd.DataFrame:
    """Return :func:`zoning.timeline.changes` from ``a`` to ``b`` worded in ``lang``.

    ``project_key`` (:func:`app_pages.common.project_key`) stands for ``project``: the
    list is computed once per project state, dates and language, for every session.
    """
    key = (project_key, getattr(project, "events_version", None))
    return _changes(key, a.isoformat(), b.isoformat(), lang, _project=project)


@st.cache_data(show_spinner=False, max_entries=32)
def _changes(
    key: tuple[object, ...], a: str, b: str, lang: Lang, *, _project: layers.Project
) -> pd.DataFrame:
    del key  # a cache key only
    project = _project
    found = timeline.changes(a, b, enterprises=project.enterprises, events=events(project))

    def stage(value: Any) -> str:
        return t(f"time.stage.{value}", lang) if value else t("time.ui.no_stage", lang)

    return pd.DataFrame(
        {
            t("field.id", lang): found["id"].astype(str),
            t("field.name", lang): found[f"name_{lang}"].astype(str),
            t("time.ui.change", lang): [t(f"time.change.{c}", lang) for c in found["change"]],
            t("time.ui.stage_on", lang, date=a): found["stage_a"].map(stage),
            t("time.ui.stage_on", lang, date=b): found["stage_b"].map(stage),
        }
    )
