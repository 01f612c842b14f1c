"""The plan as of a date: which firms existed then, at what stage, and what changed since.

Two time axes, never mixed: **when a fact was true** (the events' dates, ``layers.events``)
and **when it was recorded** (the store's ``created_at`` of each saved version). A firm's
stage as of a date comes from its events; a zone layer as of a date is the store version
that was current then (:func:`zones_version_as_of`).

A date known only to the month or year counts from its first day (the start QGIS's
temporal controller uses too). A firm with no events keeps the status its enterprise row
gives once that row's ``as_of`` date has passed (``time_basis = "as_of"``); before that, or
with no ``as_of``, it is ``undated``: kept by default with status ``unknown`` (dropping it
would make a firm vanish from every past check only because no date is known), or left out
with ``undated="drop"``.

Examples
--------
>>> import layers, layers.events
>>> firms, ev = layers.enterprises(), layers.events.events()
>>> state = state_as_of(firms, ev, "2022-06-30")
>>> dated = state[state.time_basis == "events"]
>>> {i: s for i, s in zip(dated.id, dated.stage) if s}  # the others had no event yet
{'NC-001': 'production', 'NC-005': 'signed', 'NC-007': 'signed', 'NC-014': 'signed'}
>>> dated.loc[dated.present, "id"].tolist()
['NC-001', 'NC-005', 'NC-007', 'NC-014']
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from geo import InputError
from layers.events import PRESENT_STAGES, STAGES, STATUS_OF_STAGE, episodes, parse_date
from layers.i18n import text

__all__ = [
    "as_of_date",
    "changes",
    "enterprises_as_of",
    "project_as_of",
    "state_as_of",
    "time_fields",
    "zones_version_as_of",
]

_ORDER = {s: i for i, s in enumerate(STAGES)}


def as_of_date(value: object) -> pd.Timestamp:
    """Return the last day ``value`` stands for (``2024`` is 2024-12-31; ``2024-06`` 06-30).

    Raises
    ------
    geo.InputError
        If ``value`` is not a date (bilingual message with the accepted forms).

    Examples
    --------
    >>> as_of_date("2024-06-30"), as_of_date("2023年9月")
    (Timestamp('2024-06-30 00:00:00'), Timestamp('2023-09-30 00:00:00'))
    """
    period = parse_date(value)
    if period is None:
        raise InputError(text("time.as_of.bad", value=str(value)))
    return period.end


def state_as_of(
    enterprises: pd.DataFrame,
    events: pd.DataFrame,
    date: object,
    *,
    undated: Literal["keep", "drop"] = "keep",
) -> pd.DataFrame:
    """Return each enterprise's stage and status as of ``date`` (aligned to its index).

    Parameters
    ----------
    enterprises : pandas.DataFrame
        With ``id``, ``status`` and ``as_of`` (a validated enterprises layer).
    events : pandas.DataFrame
        As :func:`layers.events.read_events` returns them.
    date : str or pandas.Timestamp
        The day (a month or year stands for its last day).
    undated : {"keep", "drop"}
        Whether a firm whose state at ``date`` no date tells is kept (status ``unknown``).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``present`` (bool: a firm of the plan at ``date``), ``stage`` (the
        episode's stage, "" when none), ``status`` (:data:`layers.STATUSES`), ``since``
        (the episode's first day), ``time_basis`` (``events``, ``as_of`` or ``undated``).
    """
    when = as_of_date(date)
    ep = episodes(events)
    current = ep[(ep["valid_from"] <= when) & (ep["valid_to"].isna() | (ep["valid_to"] > when))]
    by_id = current.drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
    has_events = enterprises["id"].isin(set(ep["enterprise_id"]))
    # reindex, not map: pandas cannot map through an empty Series of dates (no events).
    ids = enterprises["id"].astype(str)
    stage = (
        pd.Series(by_id["stage"].reindex(ids).to_numpy(), index=enterprises.index, dtype=object)
        .fillna("")
        .astype(str)
    )
    since = pd.Series(by_id["valid_from"].reindex(ids).to_numpy(), index=enterprises.index)
    known = pd.to_datetime(
        enterprises["as_of"].map(lambda v: p.start if (p := parse_date(v)) else pd.NaT),
        errors="coerce",
    )
    seen = ~has_events & known.notna() & (known <= when)
    basis = pd.Series("undated", index=enterprises.index, dtype=object)
    basis[has_events] = "events"
    basis[seen] = "as_of"
    present = stage.isin(PRESENT_STAGES) | seen | ((basis == "undated") & (undated == "keep"))
    status = stage.map(STATUS_OF_STAGE).fillna("unknown")
    status[seen] = enterprises.loc[seen, "status"]
    return pd.DataFrame(
        {
            "id": enterprises["id"],
            "present": present.astype(bool),
            "stage": stage,
            "status": status,
            "since": pd.to_datetime(since),
            "time_basis": basis,
        },
        index=enterprises.index,
    )


def enterprises_as_of(
    enterprises: gpd.GeoDataFrame,
    events: pd.DataFrame,
    date: object,
    *,
    undated: Literal["keep", "drop"] = "keep",
) -> gpd.GeoDataFrame:
    """Return the enterprises present at ``date`` with their status then (one call per page).

    The rows keep their index and validation mark; ``status`` is the status as of
    ``date`` and ``project_stage``, ``time_basis`` say where it comes from.

    Examples
    --------
    >>> import layers, layers.events
    >>> then = enterprises_as_of(layers.enterprises(), layers.events.events(), "2023-06-30")
    >>> "NC-006" in set(then.id), then.set_index("id").loc["NC-010", "status"]
    (False, 'construction')
    """
    state = state_as_of(enterprises, events, date, undated=undated)
    keep = state["present"].to_numpy()
    out = enterprises.loc[keep].copy()
    out["status"] = state.loc[keep, "status"].to_numpy()
    out["project_stage"] = state.loc[keep, "stage"].to_numpy()
    out["time_basis"] = state.loc[keep, "time_basis"].to_numpy()
    return out


def changes(
    a: object,
    b: object,
    *,
    enterprises: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """List what changed between dates ``a`` and ``b``: new, advanced, stalled, left.

    - ``new``: a firm of the plan at ``b`` but not at ``a``;
    - ``advanced``: at both, at a later stage at ``b`` (halted excluded);
    - ``stalled``: at both, still in the same stage before production, or halted since;
    - ``left``: a firm at ``a`` that exited (or is no longer one) by ``b``.

    Only firms whose stage comes from events are compared (an undated firm has no change
    to tell). By default the shipped enterprises and events.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, name_zh, name_en, change, stage_a, stage_b``.

    Examples
    --------
    >>> for row in changes("2022-06-30", "2023-06-30").itertuples():
    ...     print(row.id, row.change, row.stage_b)
    NC-002 new production
    NC-005 advanced construction
    NC-007 advanced construction
    NC-008 new construction
    NC-010 new construction
    NC-013 new signed
    NC-014 stalled signed
    """
    if enterprises is None or events is None:
        import layers
        import layers.events

        enterprises = layers.enterprises() if enterprises is None else enterprises
        events = layers.events.events() if events is None else events
    first = state_as_of(enterprises, events, a)
    second = state_as_of(enterprises, events, b)
    dated = (first["time_basis"] == "events") | (second["time_basis"] == "events")
    rank_a = first["stage"].map(_ORDER)
    rank_b = second["stage"].map(_ORDER)
    both = first["present"] & second["present"]
    change = pd.Series("", index=enterprises.index, dtype=object)
    change[~first["present"] & second["present"]] = "new"
    change[first["present"] & ~second["present"]] = "left"
    change[both & (rank_b > rank_a) & (second["stage"] != "halted")] = "advanced"
    still = both & (first["stage"] == second["stage"]) & (rank_a < _ORDER["production"])
    change[still | (both & (second["stage"] == "halted") & (first["stage"] != "halted"))] = (
        "stalled"
    )
    listed = dated & (change != "")
    return (
        pd.DataFrame(
            {
                "id": enterprises["id"],
                "name_zh": enterprises.get("name_zh", ""),
                "name_en": enterprises.get("name_en", ""),
                "change": change,
                "stage_a": first["stage"],
                "stage_b": second["stage"],
            }
        )
        .loc[listed]
        .reset_index(drop=True)
    )


def zones_version_as_of(history: pd.DataFrame, date: object) -> int | None:
    """Return the store version of a layer current at the end of ``date`` (None: none yet).

    ``history`` is :meth:`geo.store.Store.history` (``version``, ``created_at`` in UTC).
    The recording axis: a version saved on 2024-07-01 was not current on 2024-06-30,
    whatever dates its boundaries describe.
    """
    end = as_of_date(date) + pd.Timedelta(days=1)
    saved = pd.to_datetime(history["created_at"], utc=True)
    before = history.loc[saved < end.tz_localize("UTC"), "version"]
    return None if before.empty else int(before.iloc[-1])


def project_as_of(project: Any, date: object, *, events: pd.DataFrame | None = None) -> Any:
    """Return ``project`` (a :class:`layers.Project`) as of ``date``: firms and zones then.

    The enterprises are :func:`enterprises_as_of`; the zones are the store version current
    then (the shipped zones when the store held none yet), and the areas are rebuilt on them.
    """
    import layers
    import layers.events
    from geo import store as geo_store
    from layers.project import ZONES_LAYER

    ev = (
        events
        if events is not None
        else layers.events.events(enterprise_ids=project.enterprises["id"].astype(str))
    )
    firms = enterprises_as_of(project.enterprises, ev, date)
    replaced = dataclasses.replace(project, enterprises=firms)
    if project.zones_version is None or project.store is None:
        return replaced
    with geo_store.open(project.store) as opened:
        version = zones_version_as_of(opened.history(ZONES_LAYER), date)
        if version == project.zones_version:
            return replaced
        zones = opened.read(ZONES_LAYER, version=version) if version else layers.zones()
    areas = layers.areas(project.rules, districts=project.districts, zones=zones)
    return dataclasses.replace(replaced, zones=zones, areas=areas, zones_version=version)


def time_fields(enterprises: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Return ISO 8601 ``time_start`` / ``time_end`` per enterprise, for QGIS's animation.

    ``time_start`` is the first day of the firm's first episode in which it is a firm of
    the plan (signed or later), ``time_end`` the day it exited; "" where unknown (QGIS
    reads an empty start or end as open). Aligned to ``enterprises``' index; use
    ``enterprises.join(time_fields(...))`` before export, and in QGIS set the layer's
    temporal mode to "separate fields for start and end date/time".
    """
    ep = episodes(events)
    on = ep[ep["stage"].isin(PRESENT_STAGES)].groupby("enterprise_id")["valid_from"].min()
    gone = ep[ep["stage"] == "exited"].groupby("enterprise_id")["valid_from"].min()

    def iso(series: pd.Series) -> pd.Series:
        # reindex, not map: map cannot use an empty datetime Series (no firm exited yet).
        when = pd.to_datetime(series.reindex(enterprises["id"].astype(str)))
        days = when.dt.strftime("%Y-%m-%d").fillna("").astype(str)
        return pd.Series(days.to_numpy(), index=enterprises.index, dtype=object)

    return pd.DataFrame({"time_start": iso(on), "time_end": iso(gone)}, index=enterprises.index)
